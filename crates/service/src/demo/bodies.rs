//! The demo's bodies: the working group of the MSOs and the integration
//! council, with members, a year of meetings, agendas, minutes and
//! attendance.

use crate::{Actor, Error, Services};
use chrono::Duration;

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
