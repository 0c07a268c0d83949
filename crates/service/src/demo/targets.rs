//! The demo's targets: the seed's school year with its three targets and
//! their substitutes, and the current period's.

use crate::{Actor, Error, Services};

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
        // The projects: the coordination with the MSO (the default one,
        // described as the seed describes it) and a second field of work.
        let projects = self.all_projects().await?;
        if let Some(mso) = projects.first() {
            let mut input = mso.to_input();
            input.description = "In Lindenau gibt es eine Vielzahl von Migrantenselbstorganisationen. Diese Vereine haben unterschiedliche Strukturen und verfolgen zum Teil unterschiedliche Ziele. Für das Kommunale Integrationszentrum (KI) ist es wichtig, einen Überblick über die MSO und deren Arbeit zu bekommen, um eventuelle Bedarfe festzustellen. Mit dem Projekt möchte das KI seine Vernetzung mit den MSO intensivieren und eine Transparenz der Angebote und Aktivitäten auf beiden Seiten schaffen. Das Projekt findet im Rahmen der Unterstützung der Koordinierungsstelle für Inklusion und Integration der Stadt Lindenau statt.".into();
            input.chart_counts = vec!["contacts".into(), "meetings".into()];
            self.update_project(&cli, mso.id, &input).await?;
        }
        let education = self
            .create_project(
                &cli,
                &crate::projects::ProjectInput {
                    name: "Bildung und Elternarbeit".into(),
                    description: "Das KI unterstützt Elterncafés und Lernangebote, die Migrantenorganisationen für Familien anbieten.".into(),
                    chart_counts: vec!["events".into()],
                    ..Default::default()
                },
            )
            .await?;
        self.create_target(
            &cli,
            &TargetInput {
                period_id: pid.clone(),
                project_id: education.id.to_string(),
                number: "1".into(),
                title: "Vier Elterncafés gemeinsam mit Migrantenorganisationen".into(),
                metric: "manual".into(),
                manual_value: "3".into(),
                wanted: "4".into(),
                ..Default::default()
            },
        )
        .await?;
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
                chapters: self
                    .all_projects()
                    .await?
                    .first()
                    .map(|p| {
                        (
                            p.id.to_string(),
                            crate::report::ChapterTexts {
                                outlook: "Im kommenden Schuljahr sollen die ausgefallenen Besuche nachgeholt werden. Der Arbeitskreis wird fortgeführt und um digitale Angebote ergänzt.".into(),
                                ..Default::default()
                            },
                        )
                    })
                    .into_iter()
                    .collect(),
                place: "Lindenau".into(),
                dated: "2021-07".into(),
                staff_names: "anonymous".into(),
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
