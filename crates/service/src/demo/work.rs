//! A year of the office's work for the demo: visits, calls and meetings
//! with the organisations (some cancelled, with their reasons), the needs
//! they expressed and the follow-ups, some done, some due, some overdue.
//! Deterministic, like the rest of the demo.

use super::registry::Lcg;
use crate::interactions::InteractionInput;
use crate::needs::NeedInput;
use crate::tasks::TaskInput;
use crate::{Actor, Error, Services};
use chrono::{Duration, Utc};

const SUBJECTS: &[(&str, &str, &str)] = &[
    ("visit", "in_person", "Besuch beim Vorstand"),
    (
        "visit",
        "in_person",
        "Kennenlernbesuch in den Vereinsräumen",
    ),
    ("visit", "in_person", "Besuch beim Sommerfest"),
    ("phone", "digital", "Telefonat zu Fördermöglichkeiten"),
    ("email", "digital", "Rückfrage zur Raumsuche"),
    (
        "video",
        "digital",
        "Videokonferenz zur Kooperation mit Schulen",
    ),
    ("meeting_at_office", "in_person", "Beratungsgespräch im KI"),
    (
        "meeting_at_office",
        "hybrid",
        "Vorbereitung des Arbeitskreises",
    ),
];

const INTERFACES: &[&str] = &[
    "Hausaufgabenhilfe – Schnittstelle zum Programm „Bildung und Teilhabe“.",
    "Elternarbeit an Grundschulen; gemeinsame Elterncafés denkbar.",
    "Sprachmittlung bei Veranstaltungen des KI.",
    "",
];

const NEEDS: &[(&str, &str)] = &[
    (
        "rooms",
        "Regelmäßiger Raum für Hausaufgabenhilfe am Nachmittag",
    ),
    ("funding", "Zuschuss für das Sommerfest und die Kulturwoche"),
    (
        "language_courses",
        "Deutschkurs für Mütter mit Kinderbetreuung",
    ),
    (
        "counselling",
        "Beratung zur Gründung eines eingetragenen Vereins",
    ),
    ("volunteers", "Ehrenamtliche für die Lernpatenschaften"),
    ("networking", "Kontakt zu Sportvereinen im Stadtteil"),
    ("qualification", "Fortbildung zur Vereinsbuchhaltung"),
    (
        "public_relations",
        "Unterstützung bei Flyern in mehreren Sprachen",
    ),
];

const TASKS: &[&str] = &[
    "Protokoll an den Vorstand schicken",
    "Fördermittelantrag gemeinsam durchsehen",
    "Raumanfrage bei der Stadtteilbibliothek stellen",
    "Einladung zum Arbeitskreis versenden",
    "Kontakt zur Schulsozialarbeit herstellen",
    "Rückmeldung zur Kulturwoche geben",
];

impl Services {
    pub(crate) async fn load_demo_work(&self) -> Result<(), Error> {
        let cli = Actor::cli();
        let staff = self.colleagues(&cli).await?;
        // Johanna Lehmann and Aylin Yılmaz do the visits; the admin rarely.
        let field: Vec<_> = staff
            .iter()
            .filter(|s| s.name != "Monika Berger")
            .cloned()
            .collect();
        let staff = if field.is_empty() { staff } else { field };
        let orgs: Vec<_> = self
            .organisation_names(&cli, 200)
            .await?
            .into_iter()
            .collect();
        let office = self.office().await?.name;
        let orgs: Vec<_> = orgs
            .into_iter()
            .filter(|o| o.name != office)
            .take(36)
            .collect();
        if orgs.is_empty() || staff.is_empty() {
            return Ok(());
        }
        let mut rng = Lcg(2020);
        let now = Utc::now();
        let mut held = Vec::new();
        // About 70 contacts over the past year, 8 planned ahead.
        for n in 0..78 {
            let org = &orgs[(n * 7 + 3) % orgs.len()];
            let (kind, mode, subject) = *rng.pick(SUBJECTS);
            let days = if n < 70 {
                -(365 * (n as i64 + 1) / 72)
            } else {
                3 + 4 * (n as i64 - 70)
            };
            let hour = 9 + (rng.next() % 9) as i64;
            let starts = (now + Duration::days(days))
                .date_naive()
                .and_hms_opt(hour as u32, 0, 0)
                .unwrap_or_default();
            let future = days > 0;
            let cancelled = !future && rng.next().is_multiple_of(7);
            let (status, reason, note) = if future {
                ("planned", "", "")
            } else if cancelled {
                let reason = *rng.pick(&[
                    "contact_restrictions",
                    "illness",
                    "organisation_declined",
                    "scheduling",
                    "other",
                ]);
                let note = if reason == "other" {
                    "Vereinsräume wegen Wasserschaden geschlossen"
                } else {
                    ""
                };
                ("cancelled", reason, note)
            } else {
                ("held", "", "")
            };
            let people: Vec<String> = self
                .organisation_people(&cli, org.id)
                .await?
                .into_iter()
                .map(|(_, p)| p.id.to_string())
                .take(if status == "held" { 1 } else { 0 })
                .collect();
            let who = rng.pick(&staff).id.to_string();
            let input = InteractionInput {
                kind: kind.into(),
                mode: mode.into(),
                status: status.into(),
                subject: subject.into(),
                starts_at: starts.format("%Y-%m-%dT%H:%M").to_string(),
                duration_minutes: if kind == "email" {
                    String::new()
                } else {
                    ["45", "60", "90"][n % 3].into()
                },
                cancel_reason: reason.into(),
                cancel_note: note.into(),
                topics: vec![
                    (*rng.pick(&["education", "culture", "youth", "women", "religion"])).into(),
                ],
                interfaces: if status == "held" {
                    (*rng.pick(INTERFACES)).into()
                } else {
                    String::new()
                },
                notes: if status == "held" {
                    "**Ergebnis:** Interesse an einer Zusammenarbeit; nächste Schritte vereinbart."
                        .into()
                } else {
                    String::new()
                },
                organisations: vec![org.id.to_string()],
                persons: people,
                staff: vec![who],
                version: 0,
            };
            // A demo term that the vocabulary lacks is left out, not fatal.
            let created = match self.create_interaction(&cli, &input).await {
                Ok(c) => c,
                Err(Error::Validation(_)) => {
                    self.create_interaction(
                        &cli,
                        &InteractionInput {
                            topics: Vec::new(),
                            ..input
                        },
                    )
                    .await?
                }
                Err(e) => return Err(e),
            };
            if status == "held" {
                held.push(created);
            }
        }
        // Needs learnt in some of the held contacts.
        for (n, i) in held.iter().step_by(3).take(22).enumerate() {
            let (category, description) = NEEDS[n % NEEDS.len()];
            let status = [
                "open",
                "in_progress",
                "addressed",
                "open",
                "cannot_be_met",
                "addressed",
            ][n % 6];
            let outcome = match status {
                "addressed" => "Kontakt vermittelt; Angebot wird seit dem Folgemonat genutzt.",
                "cannot_be_met" => {
                    "Derzeit keine passenden Mittel; Hinweis auf den Förderaufruf im Frühjahr."
                }
                _ => "",
            };
            // Resolved two to eight weeks after the contact, never after
            // today.
            let resolved_on = if outcome.is_empty() {
                String::new()
            } else {
                let raised = crate::time::day_of(i.starts_at);
                (raised + Duration::weeks(2 * (n as i64 % 4 + 1)))
                    .min(crate::time::today())
                    .to_string()
            };
            self.create_need(
                &cli,
                &NeedInput {
                    organisation_id: i.organisations[0].id.to_string(),
                    category: category.into(),
                    description: description.into(),
                    source: "interaction".into(),
                    source_interaction_id: i.id.to_string(),
                    status: status.into(),
                    outcome: outcome.into(),
                    resolved_on,
                    ..NeedInput::default()
                },
            )
            .await?;
        }
        // Follow-ups: done ones in the past, some overdue, some this week.
        let today = crate::time::today();
        for (n, i) in held.iter().rev().take(14).enumerate() {
            let due = today + Duration::days(n as i64 * 3 - 12);
            let task = self
                .create_task(
                    &cli,
                    &TaskInput {
                        title: TASKS[n % TASKS.len()].into(),
                        notes: String::new(),
                        due_on: due.to_string(),
                        assignee_id: i
                            .staff
                            .first()
                            .map_or_else(|| staff[0].id, |s| s.id)
                            .to_string(),
                        link_type: "interaction".into(),
                        link_id: i.id.to_string(),
                        done: false,
                        version: 0,
                    },
                )
                .await?;
            if n % 3 == 0 && due < today {
                self.set_task_done(&cli, task.id, task.version, true)
                    .await?;
            }
        }
        Ok(())
    }
}
