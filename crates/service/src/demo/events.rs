//! The demo's events: the office's and the organisations' own, past and
//! coming, with translations.

use crate::{Actor, Error, Services};
use chrono::Duration;

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
