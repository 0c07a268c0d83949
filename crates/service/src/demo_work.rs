//! A year of the office's work for the demo: visits, calls and meetings
//! with the organisations (some cancelled, with their reasons), the needs
//! they expressed and the follow-ups, some done, some due, some overdue.
//! Deterministic, like the rest of the demo.

use crate::demo_registry::Lcg;
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

impl Services {
    /// The working group the seed report founded, the integration council
    /// and a research project's advisory group, with members, meetings and
    /// attendance.
    pub(crate) async fn load_demo_bodies(&self) -> Result<(), Error> {
        use crate::bodies::{BodyInput, MemberInput};
        use crate::meetings::{AgendaItem, AttendanceInput, MeetingInput};
        let cli = Actor::cli();
        let staff = self.colleagues(&cli).await?;
        let find = |name: &str| {
            staff
                .iter()
                .find(|s| s.name == name)
                .map(|s| s.id.to_string())
        };
        let (Some(johanna), Some(aylin)) = (find("Johanna Lehmann"), find("Aylin Yılmaz")) else {
            return Ok(());
        };
        let monika = find("Monika Berger").unwrap_or_else(|| johanna.clone());
        let office_name = self.office().await?.name;
        let orgs: Vec<_> = self.organisation_names(&cli, 200).await?;
        let office = orgs
            .iter()
            .find(|o| o.name == office_name)
            .map(|o| o.id.to_string())
            .unwrap_or_default();
        let today = crate::time::today();
        let when = |d: i64, h: u32| {
            (today + Duration::days(d))
                .and_hms_opt(h, 0, 0)
                .unwrap_or_default()
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        };

        // The working group: nine MSOs, the office's representative.
        let group = self
            .create_body(&cli, &BodyInput {
                kind: "working_group".into(),
                name: "Arbeitskreis Migrantenorganisationen".into(),
                purpose: "Austausch der Migrantenorganisationen untereinander und mit dem KI; Bedarfe bündeln, gemeinsame Vorhaben planen.".into(),
                founded_on: "2020-09-01".into(),
                organiser_id: office.clone(),
                is_public: true,
                ..Default::default()
            })
            .await?;
        let mut members = Vec::new();
        for o in orgs.iter().filter(|o| o.name != office_name).take(9) {
            if let Some((_, p)) = self
                .organisation_people(&cli, o.id)
                .await?
                .into_iter()
                .next()
            {
                self.add_member(
                    &cli,
                    group.id,
                    &MemberInput {
                        person_id: p.id.to_string(),
                        on_behalf_of: o.id.to_string(),
                        role: if members.is_empty() {
                            "chair".into()
                        } else {
                            "member".into()
                        },
                        from: "2020-09-01".into(),
                        ..Default::default()
                    },
                )
                .await?;
                members.push(format!("p:{}", p.id));
            }
        }
        self.add_member(
            &cli,
            group.id,
            &MemberInput {
                user_id: johanna.clone(),
                role: "office_representative".into(),
                from: "2020-09-01".into(),
                ..Default::default()
            },
        )
        .await?;
        // The seed year 2020/21: founded, met in person and online; then
        // this year's meetings.
        for (starts_at, ends_at, mode, title, online_from) in [
            (
                "2020-09-14T17:00".to_owned(),
                "2020-09-14T19:00".to_owned(),
                "in_person",
                "Gründungstreffen",
                9,
            ),
            (
                "2020-11-24T17:00".to_owned(),
                "2020-11-24T19:00".to_owned(),
                "digital",
                "Zweites Treffen (online)",
                0,
            ),
            (
                when(-280, 17),
                when(-280, 19),
                "in_person",
                "Treffen im Frühjahr",
                9,
            ),
            (
                when(-120, 17),
                when(-120, 19),
                "digital",
                "Treffen (online)",
                0,
            ),
        ] {
            let m = self
                .create_meeting(&cli, &MeetingInput {
                    body_id: group.id.to_string(),
                    title: title.into(),
                    starts_at,
                    ends_at,
                    mode: mode.into(),
                    place: if mode == "in_person" { "KI Lindenau, Raum 2.14".into() } else { String::new() },
                    video_link: if mode == "digital" { "https://video.lindenau.example/ak-mso".into() } else { String::new() },
                    status: "held".into(),
                    minutes: "Sieben Organisationen waren vertreten. Vereinbart: Sammlung der Raumbedarfe bis zum nächsten Treffen.".into(),
                    minutes_status: "approved".into(),
                    agenda: vec![
                        AgendaItem { title: "Begrüßung und Vorstellungsrunde".into(), outcome: String::new() },
                        AgendaItem { title: "Bedarfe der Organisationen".into(), outcome: "Räume und Fördermittel stehen an erster Stelle.".into() },
                        AgendaItem { title: "Verschiedenes".into(), outcome: String::new() },
                    ],
                    cancel_reason: String::new(),
                    version: 0,
                })
                .await?;
            let mut attendance: Vec<AttendanceInput> = members
                .iter()
                .enumerate()
                .map(|(i, key)| AttendanceInput {
                    attendee: key.clone(),
                    status: if i < 7 {
                        "present".into()
                    } else {
                        "excused".into()
                    },
                    mode: if mode == "digital" || i >= online_from {
                        "online".into()
                    } else {
                        "in_person".into()
                    },
                    on_behalf_of: String::new(),
                })
                .collect();
            attendance.push(AttendanceInput {
                attendee: format!("u:{johanna}"),
                status: "present".into(),
                mode: if mode == "digital" {
                    "online".into()
                } else {
                    "in_person".into()
                },
                on_behalf_of: String::new(),
            });
            self.set_attendance(&cli, m.id, m.version, &attendance)
                .await?;
        }
        self.create_meeting(
            &cli,
            &MeetingInput {
                body_id: group.id.to_string(),
                title: "Drittes Treffen".into(),
                starts_at: when(24, 17),
                ends_at: when(24, 19),
                mode: "hybrid".into(),
                place: "Bürgerhaus Lindenau".into(),
                video_link: "https://video.lindenau.example/ak-mso".into(),
                status: "planned".into(),
                agenda: vec![
                    AgendaItem {
                        title: "Raumbedarfe: Stand der Gespräche".into(),
                        outcome: String::new(),
                    },
                    AgendaItem {
                        title: "Interkulturelle Woche: gemeinsamer Stand".into(),
                        outcome: String::new(),
                    },
                ],
                ..Default::default()
            },
        )
        .await?;

        // The integration council: the office attended one of three.
        let council = self
            .create_body(
                &cli,
                &BodyInput {
                    kind: "integration_council".into(),
                    name: "Integrationsrat der Stadt Lindenau".into(),
                    founded_on: "2014-06-01".into(),
                    is_public: true,
                    ..Default::default()
                },
            )
            .await?;
        self.add_member(
            &cli,
            council.id,
            &MemberInput {
                user_id: aylin.clone(),
                role: "office_representative".into(),
                from: "2019-09-01".into(),
                ..Default::default()
            },
        )
        .await?;
        // Three sessions in the seed year and three this year; the office
        // attended one of three each time.
        for (i, starts_at) in [
            "2020-10-01T18:00".to_owned(),
            "2021-02-04T18:00".to_owned(),
            "2021-06-10T18:00".to_owned(),
            when(-330, 18),
            when(-240, 18),
            when(-60, 18),
        ]
        .into_iter()
        .enumerate()
        {
            let m = self
                .create_meeting(
                    &cli,
                    &MeetingInput {
                        body_id: council.id.to_string(),
                        title: format!("{}. Sitzung", i % 3 + 1),
                        starts_at,
                        mode: "in_person".into(),
                        place: "Rathaus, Sitzungssaal".into(),
                        status: "held".into(),
                        ..Default::default()
                    },
                )
                .await?;
            let status = if i % 3 == 1 { "present" } else { "excused" };
            self.set_attendance(
                &cli,
                m.id,
                m.version,
                &[AttendanceInput {
                    attendee: format!("u:{aylin}"),
                    status: status.into(),
                    ..Default::default()
                }],
            )
            .await?;
        }
        self.create_meeting(
            &cli,
            &MeetingInput {
                body_id: council.id.to_string(),
                title: "Sondersitzung".into(),
                starts_at: when(-150, 18),
                mode: "in_person".into(),
                status: "cancelled".into(),
                cancel_reason: "Kontaktbeschränkungen".into(),
                ..Default::default()
            },
        )
        .await?;

        // A research project's advisory group, until a date.
        let advisory = self
            .create_body(
                &cli,
                &BodyInput {
                    kind: "advisory_group".into(),
                    name: "Beirat des Forschungsprojekts „Religiöse Gemeinden im Alter“".into(),
                    founded_on: "2019-03-01".into(),
                    dissolved_on: "2020-12-31".into(),
                    ..Default::default()
                },
            )
            .await?;
        self.add_member(
            &cli,
            advisory.id,
            &MemberInput {
                user_id: monika,
                role: "member".into(),
                from: "2019-03-01".into(),
                to: "2020-12-31".into(),
                ..Default::default()
            },
        )
        .await?;
        Ok(())
    }
}

impl Services {
    /// The current school year's targets, as the seed report set them.
    pub(crate) async fn load_demo_targets(&self) -> Result<(), Error> {
        use crate::targets::{PeriodInput, TargetInput};
        let cli = Actor::cli();
        let year = crate::targets::school_year_of(crate::time::today())[..4].to_owned();
        let period = self
            .create_period(
                &cli,
                &PeriodInput {
                    kind: "school_year".into(),
                    year,
                    ..Default::default()
                },
            )
            .await?;
        let bodies = self.list_bodies(&cli, false).await?;
        let find = |kind: &str| {
            bodies
                .iter()
                .find(|b| b.kind == kind)
                .map(|b| b.id.to_string())
                .unwrap_or_default()
        };
        let pid = period.id.to_string();
        let targets = [
            TargetInput {
                number: "1".into(),
                title: "Mindestens sechs Besuche bei Migrantenorganisationen".into(),
                metric: "interactions".into(),
                kinds: vec!["visit".into()],
                organisation_kinds: vec!["mso".into()],
                wanted: "6".into(),
                ..Default::default()
            },
            TargetInput {
                number: "2".into(),
                title: "Teilnahme an den Sitzungen des Integrationsrats".into(),
                metric: "staff_attendance_rate".into(),
                body_id: find("integration_council"),
                wanted: "100".into(),
                partly_at: "30".into(),
                ..Default::default()
            },
            TargetInput {
                number: "3".into(),
                title: "Arbeitskreis der Migrantenorganisationen: zwei Treffen".into(),
                metric: "meetings_held".into(),
                body_id: find("working_group"),
                wanted: "2".into(),
                ..Default::default()
            },
            TargetInput {
                number: "4".into(),
                title: "Mindestens sieben Organisationen im Arbeitskreis vertreten".into(),
                metric: "organisations_represented".into(),
                body_id: find("working_group"),
                wanted: "7".into(),
                ..Default::default()
            },
            TargetInput {
                number: "5".into(),
                title: "Drei eigene Veranstaltungen des KI".into(),
                metric: "events_held".into(),
                organisation_kinds: vec!["public_body".into()],
                wanted: "3".into(),
                ..Default::default()
            },
            TargetInput {
                number: "6".into(),
                title: "Mindestens zehn Angebote der Migrantenorganisationen veröffentlicht".into(),
                metric: "offers_published".into(),
                organisation_kinds: vec!["mso".into()],
                wanted: "10".into(),
                ..Default::default()
            },
        ];
        for t in targets {
            self.create_target(
                &cli,
                &TargetInput {
                    period_id: pid.clone(),
                    ..t
                },
            )
            .await?;
        }
        self.load_demo_seed_year(&find("working_group"), &find("integration_council"))
            .await
    }

    /// The seed report's school year 2020/21: visits planned and cancelled
    /// because of the contact restrictions, the working group founded
    /// instead, the council attended once in three sessions, the advisory
    /// group until the end of 2020; the report's texts, finalised once.
    async fn load_demo_seed_year(&self, group: &str, council: &str) -> Result<(), Error> {
        use crate::interactions::InteractionInput;
        use crate::report::ReportTexts;
        use crate::targets::{PeriodInput, TargetInput};
        let cli = Actor::cli();
        let orgs = self.organisation_names(&cli, 200).await?;
        let office = self.office().await?.name;
        for (i, (day, subject)) in [
            ("2020-10-20", "Besuch beim Vorstand"),
            ("2020-11-10", "Besuch in den Vereinsräumen"),
            ("2020-12-01", "Besuch zur Fördermittelberatung"),
            ("2021-01-12", "Besuch beim Elterncafé"),
            ("2021-03-03", "Besuch zum Kennenlernen"),
        ]
        .into_iter()
        .enumerate()
        {
            let Some(org) = orgs.iter().filter(|o| o.name != office).nth(i) else {
                continue;
            };
            self.create_interaction(
                &cli,
                &InteractionInput {
                    subject: subject.into(),
                    kind: "visit".into(),
                    mode: "in_person".into(),
                    status: "cancelled".into(),
                    cancel_reason: "contact_restrictions".into(),
                    starts_at: format!("{day}T10:00"),
                    organisations: vec![org.id.to_string()],
                    ..Default::default()
                },
            )
            .await?;
        }
        let period = self
            .create_period(
                &cli,
                &PeriodInput {
                    kind: "school_year".into(),
                    year: "2020".into(),
                    ..Default::default()
                },
            )
            .await?;
        let pid = period.id.to_string();
        self.create_target(
            &cli,
            &TargetInput {
                period_id: pid.clone(),
                number: "1".into(),
                title: "Mindestens sechs Besuche bei Migrantenorganisationen".into(),
                description: "Das KI besucht Migrantenorganisationen in ihren Räumen, um Angebote und Bedarfe kennenzulernen.".into(),
                metric: "interactions".into(),
                kinds: vec!["visit".into()],
                organisation_kinds: vec!["mso".into()],
                wanted: "6".into(),
                deviation_reason: "Die geplanten Besuche mussten wegen der Kontaktbeschränkungen in der Pandemie abgesagt werden.".into(),
                substitute_measures: "Stattdessen wurde der Arbeitskreis der Migrantenorganisationen gegründet, der in Präsenz und online getagt hat.".into(),
                substitutes: vec![format!("body:{group}")],
                ..Default::default()
            },
        )
        .await?;
        self.create_target(
            &cli,
            &TargetInput {
                period_id: pid,
                number: "2".into(),
                title: "Teilnahme an den Sitzungen des Integrationsrats".into(),
                metric: "staff_attendance_rate".into(),
                body_id: council.to_owned(),
                wanted: "100".into(),
                partly_at: "30".into(),
                deviation_reason:
                    "Zwei Sitzungen fielen mit Terminen des Arbeitskreises und Krankheit zusammen."
                        .into(),
                ..Default::default()
            },
        )
        .await?;
        self.save_report_texts(
            &cli,
            period.id,
            &ReportTexts {
                introduction: "Das Kommunale Integrationszentrum Lindenau begleitet die Migrantenorganisationen der Stadt. Dieser Bericht beschreibt die Arbeit im Schuljahr 2020/21, das von der Pandemie geprägt war.".into(),
                outlook: "Im kommenden Schuljahr sollen die ausgefallenen Besuche nachgeholt werden. Der Arbeitskreis wird fortgeführt und um digitale Angebote ergänzt.".into(),
                place: "Lindenau".into(),
                author: "Kommunales Integrationszentrum Lindenau".into(),
                ..Default::default()
            },
        )
        .await?;
        self.finalise_report(&cli, period.id, "an die Bezirksregierung übermittelt")
            .await?;
        Ok(())
    }
}

impl Services {
    /// Events: the integration prize ceremony the office organised in the
    /// seed year, and this year's events of the office and the MSOs —
    /// held, planned and one cancelled.
    pub(crate) async fn load_demo_events(&self) -> Result<(), Error> {
        use crate::events::{EventInput, Translation};
        let cli = Actor::cli();
        let Some(office) = self.office_organisation().await? else {
            return Ok(());
        };
        let office_name = self.office().await?.name;
        let msos: Vec<String> = self
            .organisation_names(&cli, 200)
            .await?
            .into_iter()
            .filter(|o| o.name != office_name)
            .map(|o| o.id.to_string())
            .take(6)
            .collect();
        let today = crate::time::today();
        let when = |d: i64, h: u32| {
            (today + Duration::days(d))
                .and_hms_opt(h, 0, 0)
                .unwrap_or_default()
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        };
        let mso = |i: usize| msos.get(i % msos.len().max(1)).cloned().unwrap_or_default();
        let events = [
            (
                "Verleihung des Integrationspreises 2021",
                "2021-03-12T18:00".to_owned(),
                "2021-03-12T21:00".to_owned(),
                "hybrid",
                "held",
                vec![office.to_string()],
                "culture",
                "Der Integrationspreis der Stadt Lindenau würdigt Vereine und Initiativen, die Zusammenhalt stiften. Wegen der Kontaktbeschränkungen mit kleinem Publikum im Ratssaal und im Livestream.",
            ),
            (
                "Interkulturelle Woche: Eröffnung",
                when(-75, 17),
                when(-75, 20),
                "in_person",
                "held",
                vec![office.to_string(), mso(0)],
                "culture",
                "Eröffnung der Interkulturellen Woche mit Musik, Essen und Vorstellung der Vereine.",
            ),
            (
                "Fördermittel-Werkstatt für Vereine",
                when(-20, 16),
                when(-20, 19),
                "digital",
                "held",
                vec![office.to_string()],
                "counselling",
                "Wie beantrage ich Fördermittel? Eine Werkstatt für Vorstände von Migrantenorganisationen.",
            ),
            (
                "Tag der offenen Moschee",
                when(12, 11),
                when(12, 17),
                "in_person",
                "planned",
                vec![mso(1)],
                "religion",
                "Führungen, Gespräche und Tee für alle Nachbarinnen und Nachbarn.",
            ),
            (
                "Elterncafé: Übergang in die weiterführende Schule",
                when(19, 16),
                when(19, 18),
                "in_person",
                "planned",
                vec![mso(2), office.to_string()],
                "parents",
                "Informationen auf Deutsch, Arabisch und Türkisch zum Schulwechsel.",
            ),
            (
                "Verleihung des Integrationspreises",
                when(40, 18),
                when(40, 21),
                "in_person",
                "planned",
                vec![office.to_string()],
                "culture",
                "Die Stadt Lindenau ehrt Vereine und Initiativen für ihr Engagement.",
            ),
            (
                "Sommerfest der Vereine",
                when(-150, 14),
                when(-150, 20),
                "in_person",
                "cancelled",
                vec![mso(3), mso(4)],
                "culture",
                "",
            ),
        ];
        for (title, starts_at, ends_at, mode, status, organisers, category, description) in events {
            let mut translations = std::collections::BTreeMap::new();
            if title.starts_with("Verleihung") {
                translations.insert(
                    "en".to_owned(),
                    Translation {
                        title: "Integration Prize award ceremony".into(),
                        description: "The city of Lindenau honours associations and initiatives for their commitment.".into(),
                    },
                );
            }
            self.create_event(
                &cli,
                &EventInput {
                    title: title.into(),
                    description: description.into(),
                    category: category.into(),
                    starts_at,
                    ends_at,
                    mode: mode.into(),
                    place: if mode == "digital" {
                        String::new()
                    } else {
                        "Rathaus Lindenau, Ratssaal".into()
                    },
                    online_link: if mode == "in_person" {
                        String::new()
                    } else {
                        "https://video.lindenau.example/ki".into()
                    },
                    registration_link: if status == "planned" {
                        "https://www.lindenau.example/anmeldung".into()
                    } else {
                        String::new()
                    },
                    languages: vec!["de".into()],
                    status: status.into(),
                    cancel_reason: if status == "cancelled" {
                        "Zu wenige Helferinnen und Helfer".into()
                    } else {
                        String::new()
                    },
                    is_public: true,
                    organisers,
                    translations,
                    version: 0,
                },
            )
            .await?;
        }
        Ok(())
    }
}
