//! The portal's part of the demo data: two representatives (contact
//! persons of the first two organisations, signed in with the demo
//! password), proposals in every state, a need and an idea from the
//! portal, and answers to a working group's next meeting.

use crate::accounts::login::actor_of;
use crate::portal::proposals::Entity;
use crate::{Actor, Error, Services, Via};
use msohub_store::users;
use serde_json::json;
use uuid::Uuid;

/// A contact person the demo makes a representative: (person, organisation).
pub(crate) type Representative = (Uuid, Uuid);

impl Services {
    /// Invites and signs up the representatives, then lets them act. Does
    /// nothing when invitations go out by mail (no link to follow here).
    /// Returns the representatives' e-mail addresses.
    pub(crate) async fn load_demo_portal(
        &self,
        representatives: &[Representative],
        password: &str,
    ) -> Result<Vec<String>, Error> {
        let cli = Actor::cli();
        let mut actors = Vec::new();
        for (i, (person, organisation)) in representatives.iter().enumerate() {
            let invitation = self
                .invite_representative(&cli, *person, *organisation)
                .await?;
            let Some(link) = invitation.link else {
                return Ok(Vec::new());
            };
            let token = link.rsplit('/').next().unwrap_or_default().to_owned();
            // The second reads the portal in Turkish.
            let language = if i == 1 { Some("tr") } else { None };
            let (user, _) = self
                .accept_invitation(&token, Some(password), true, language, None, None)
                .await?;
            let row = users::find_user_by_email(self.store.conn(), &user.email)
                .await?
                .ok_or(Error::NotFound)?;
            actors.push((actor_of(&row, Via::Session, None), *organisation));
        }
        let [(first, first_org), (second, second_org)] = actors.as_slice() else {
            return Ok(Vec::new());
        };

        // The first organisation: a profile change and a new offer waiting,
        // an earlier description accepted.
        let live = self.get_organisation(&cli, *first_org).await?;
        let accepted = self
            .propose_change(
                first,
                Entity::Organisation,
                *first_org,
                &json!({"version": live.version, "description": format!("{}\n\nHausaufgabenhilfe dienstags und donnerstags ab 15 Uhr, Elterncafé am ersten Samstag im Monat.", live.description.trim())}),
            )
            .await?;
        self.accept_proposal(&cli, accepted.id, Some(accepted.version), None, false)
            .await?;
        let live = self.get_organisation(&cli, *first_org).await?;
        self.propose_change(
            first,
            Entity::Organisation,
            *first_org,
            &json!({"version": live.version, "phone": "0341 555 01 23", "website": "https://verein.example/"}),
        )
        .await?;
        self.propose_new(
            first,
            Entity::Offer,
            &json!({
                "organisation_id": first_org,
                "title": "Sprachcafé für Mütter",
                "description": "Deutsch üben bei Tee und Gebäck, Kinderbetreuung im Nebenraum.",
                "category": "language_course",
                "languages": ["de", "ar"],
                "cost_kind": "free",
                "schedule_text": "mittwochs 10–12 Uhr",
                "is_public": true
            }),
        )
        .await?;
        // A need and an idea from the portal.
        self.report_need(
            first,
            &crate::needs::NeedInput {
                organisation_id: first_org.to_string(),
                category: "rooms".to_owned(),
                description: "Ein Raum für 30 Personen an Samstagen für die Wochenendschule."
                    .to_owned(),
                urgency: "high".to_owned(),
                ..Default::default()
            },
        )
        .await?;
        self.propose_idea(
            first,
            &crate::ideas::IdeaInput {
                organisation_id: first_org.to_string(),
                title: "Fest der Kulturen im Stadtpark".to_owned(),
                description: "Alle Vereine stellen sich an Ständen vor, mit Musik und Essen aus den Herkunftsländern.".to_owned(),
                participants: "Die Vereine des Arbeitskreises, die Stadtteilbibliothek".to_owned(),
                support: "Genehmigung, Bühne und Strom, Hilfe bei der Werbung".to_owned(),
                ..Default::default()
            },
        )
        .await?;

        // The second organisation: an offer rejected with a message, then
        // trusted — its next change is live at once.
        let rejected = self
            .propose_new(
                second,
                Entity::Offer,
                &json!({"organisation_id": second_org, "title": "Kurs", "category": "language_course", "is_public": true}),
            )
            .await?;
        self.reject_proposal(
            &cli,
            rejected.id,
            Some(rejected.version),
            "Bitte beschreiben Sie den Kurs: für wen, wann und wo? Dann nehmen wir ihn gern auf.",
        )
        .await?;
        self.set_organisation_trusted(&cli, *second_org, true)
            .await?;
        let live = self.get_organisation(&cli, *second_org).await?;
        self.propose_change(
            second,
            Entity::Organisation,
            *second_org,
            &json!({"version": live.version, "email": "info@verein-zwei.example"}),
        )
        .await?;

        // Both sit in the first working group; the first says yes to its
        // next meeting.
        self.load_demo_answers(&[first, second], &[*first_org, *second_org])
            .await?;
        self.load_demo_survey(second, *second_org).await?;
        Ok(vec![first.email.clone(), second.email.clone()])
    }

    /// The yearly needs survey, sent to every migrant organisation and
    /// translated into English, Turkish and Arabic (Russian and Ukrainian
    /// readers see the German text, marked); the second representative
    /// has answered, the first has not yet.
    async fn load_demo_survey(&self, second: &Actor, second_org: Uuid) -> Result<(), Error> {
        use crate::surveys::{
            Choice, Question, QuestionKind, Selection, ShowIf, SurveyInput, Texts,
        };
        let texts = |de: &str, en: &str, tr: &str, ar: &str| -> Texts {
            [("de", de), ("en", en), ("tr", tr), ("ar", ar)]
                .into_iter()
                .map(|(l, t)| (l.to_owned(), t.to_owned()))
                .collect()
        };
        let choice = |de: &str, en: &str, tr: &str, ar: &str| Choice {
            code: String::new(),
            label: texts(de, en, tr, ar),
        };
        let cli = Actor::cli();
        let closes = crate::time::today() + chrono::Duration::days(30);
        let survey = self
            .create_survey(
                &cli,
                &SurveyInput {
                    title: {
                        let year = crate::targets::school_year_of(crate::time::today());
                        texts(
                            &format!("Bedarfsabfrage der Migrantenorganisationen {year}"),
                            &format!("Needs survey of the migrant organisations {year}"),
                            &format!("Göçmen derneklerinin ihtiyaç anketi {year}"),
                            &format!("استبيان احتياجات منظمات المهاجرين {year}"),
                        )
                    },
                    intro: texts(
                        "Wir möchten wissen, wie Ihr Verein arbeitet und wobei das Integrationszentrum helfen kann. Die Antworten sieht nur das Büro.",
                        "We would like to know how your organisation works and where the integration centre can help. Only the office sees the answers.",
                        "Derneğinizin nasıl çalıştığını ve entegrasyon merkezinin nerede yardımcı olabileceğini öğrenmek istiyoruz. Cevapları yalnızca ofis görür.",
                        "نود أن نعرف كيف تعمل جمعيتكم وأين يمكن لمركز الاندماج أن يساعد. الإجابات يراها المكتب فقط.",
                    ),
                    questions: vec![
                        Question {
                            kind: QuestionKind::Multiple,
                            text: texts("Wobei brauchen Sie Unterstützung?", "Where do you need support?", "Hangi konularda desteğe ihtiyacınız var?", "في أي مجال تحتاجون إلى دعم؟"),
                            required: true,
                            other: true,
                            choices: vec![
                                choice("Räume", "Rooms", "Mekân", "قاعات"),
                                choice("Förderanträge", "Funding applications", "Hibe başvuruları", "طلبات التمويل"),
                                choice("Öffentlichkeitsarbeit", "Public relations", "Tanıtım", "العلاقات العامة"),
                                choice("Qualifizierung der Ehrenamtlichen", "Training for volunteers", "Gönüllülerin eğitimi", "تأهيل المتطوعين"),
                            ],
                            ..Question::default()
                        },
                        Question {
                            kind: QuestionKind::YesNo,
                            text: texts("Hat Ihr Verein eigene Räume?", "Does your organisation have its own rooms?", "Derneğinizin kendi mekânı var mı?", "هل لدى جمعيتكم مقر خاص؟"),
                            required: true,
                            ..Question::default()
                        },
                        Question {
                            kind: QuestionKind::Scale,
                            text: texts("Wie dringend suchen Sie Räume?", "How urgently are you looking for rooms?", "Ne kadar acil mekân arıyorsunuz?", "ما مدى إلحاح حاجتكم إلى قاعات؟"),
                            show_if: Some(ShowIf { question: "q2".to_owned(), equals: "no".to_owned() }),
                            ..Question::default()
                        },
                        Question {
                            kind: QuestionKind::Number,
                            text: texts("Wie viele Ehrenamtliche engagieren sich bei Ihnen?", "How many volunteers work with you?", "Derneğinizde kaç gönüllü çalışıyor?", "كم عدد المتطوعين لديكم؟"),
                            ..Question::default()
                        },
                        Question {
                            kind: QuestionKind::Single,
                            text: texts("Wie oft treffen sich Ihre Mitglieder?", "How often do your members meet?", "Üyeleriniz ne sıklıkla bir araya geliyor?", "كم مرة يجتمع أعضاؤكم؟"),
                            required: true,
                            choices: vec![
                                choice("Wöchentlich", "Weekly", "Haftalık", "أسبوعيًا"),
                                choice("Monatlich", "Monthly", "Aylık", "شهريًا"),
                                choice("Seltener", "Less often", "Daha seyrek", "أقل من ذلك"),
                            ],
                            ..Question::default()
                        },
                        Question {
                            kind: QuestionKind::Multiple,
                            text: texts("Für wen bieten Sie etwas an?", "Who do you offer something for?", "Kimler için etkinlik sunuyorsunuz?", "لمن تقدمون أنشطة؟"),
                            choices: vec![
                                choice("Kinder und Jugendliche", "Children and young people", "Çocuklar ve gençler", "الأطفال والشباب"),
                                choice("Frauen", "Women", "Kadınlar", "النساء"),
                                choice("Ältere Menschen", "Older people", "Yaşlılar", "كبار السن"),
                                choice("Neu Zugewanderte", "Newcomers", "Yeni gelenler", "القادمون الجدد"),
                            ],
                            ..Question::default()
                        },
                        Question {
                            kind: QuestionKind::YesNo,
                            text: texts("Arbeiten Sie mit Schulen oder Kitas zusammen?", "Do you work with schools or day-care centres?", "Okullar veya kreşlerle çalışıyor musunuz?", "هل تتعاونون مع المدارس أو الحضانات؟"),
                            required: true,
                            ..Question::default()
                        },
                        Question {
                            kind: QuestionKind::Scale,
                            text: texts("Wie zufrieden sind Sie mit der Zusammenarbeit mit dem Integrationszentrum?", "How satisfied are you with the work with the integration centre?", "Entegrasyon merkeziyle işbirliğinden ne kadar memnunsunuz?", "ما مدى رضاكم عن التعاون مع مركز الاندماج؟"),
                            required: true,
                            ..Question::default()
                        },
                        Question {
                            kind: QuestionKind::YesNo,
                            text: texts("Möchten Sie im Arbeitskreis Migrantenorganisationen mitarbeiten?", "Would you like to join the working group of migrant organisations?", "Göçmen dernekleri çalışma grubuna katılmak ister misiniz?", "هل تودون المشاركة في مجموعة عمل منظمات المهاجرين؟"),
                            ..Question::default()
                        },
                        Question {
                            kind: QuestionKind::Single,
                            text: texts("In welcher Sprache erreichen wir Sie am besten?", "In which language do we reach you best?", "Size en iyi hangi dilde ulaşırız?", "بأي لغة نصل إليكم بشكل أفضل؟"),
                            other: true,
                            choices: vec![
                                choice("Deutsch", "German", "Almanca", "الألمانية"),
                                choice("Türkisch", "Turkish", "Türkçe", "التركية"),
                                choice("Arabisch", "Arabic", "Arapça", "العربية"),
                            ],
                            ..Question::default()
                        },
                        Question {
                            kind: QuestionKind::ShortText,
                            text: texts("Welches Projekt planen Sie als Nächstes?", "Which project are you planning next?", "Bir sonraki projeniz ne?", "ما هو مشروعكم القادم؟"),
                            ..Question::default()
                        },
                        Question {
                            kind: QuestionKind::LongText,
                            text: texts("Was sollte das Integrationszentrum noch wissen?", "What else should the integration centre know?", "Entegrasyon merkezinin başka neyi bilmesi gerekir?", "ماذا يجب أن يعرف مركز الاندماج أيضًا؟"),
                            ..Question::default()
                        },
                    ],
                    closes_on: closes.to_string(),
                    reminder_limit: 2,
                    ..SurveyInput::default()
                },
            )
            .await?;
        // To (up to) 30 organisations: the migrant organisations first.
        let mut organisations: Vec<(Uuid, String)> = self
            .organisation_names(&cli, 5_000)
            .await?
            .into_iter()
            .map(|r| (r.id, r.name))
            .collect();
        organisations.sort_by(|a, b| a.1.cmp(&b.1));
        let mso = self
            .select_organisations(
                &cli,
                &Selection {
                    kinds: vec!["mso".to_owned()],
                    ..Selection::default()
                },
            )
            .await?;
        let mut chosen: Vec<Uuid> = vec![second_org];
        for id in mso.iter().chain(organisations.iter().map(|(id, _)| id)) {
            if chosen.len() >= 30 {
                break;
            }
            if !chosen.contains(id) {
                chosen.push(*id);
            }
        }
        self.send_survey(
            &cli,
            survey.id,
            &Selection {
                organisations: chosen.iter().map(Uuid::to_string).collect(),
                version: survey.version,
                ..Selection::default()
            },
        )
        .await?;
        let answers = json!({
            "q1": ["c1", "other"], "q1.other": "Kinderbetreuung bei Veranstaltungen",
            "q2": "no", "q3": 5, "q4": 12, "q5": "c1", "q6": ["c1", "c2"], "q7": "yes",
            "q8": 4, "q9": "yes", "q10": "c2", "q11": "Hausaufgabenhilfe am Samstag",
            "q12": "Unsere Jugendgruppe wächst; samstags fehlt uns ein Raum.",
        });
        self.answer_survey(
            second,
            survey.id,
            second_org,
            &crate::surveys::answers::SurveyAnswerInput {
                answers: answers.as_object().cloned(),
                version: 0,
            },
        )
        .await?;
        // 18 more answers, typed in by staff from paper forms: 19 of 30.
        const NEEDS: [&str; 6] = [
            "Wir suchen einen Raum für die Theatergruppe, dienstags abends.",
            "Hilfe beim Antrag für das Förderprogramm „Komm-AN NRW“.",
            "Eine Schulung zur Vereinskasse für den neuen Vorstand.",
            "Übersetzung unseres Flyers ins Deutsche.",
            "Kontakt zu den Grundschulen im Stadtteil.",
            "Mehr junge Ehrenamtliche für die Nachhilfe.",
        ];
        let mut needs_from = Vec::new();
        for (i, org) in chosen.iter().skip(1).take(18).enumerate() {
            let rooms = i % 3 == 0;
            let mut a = json!({
                "q1": match i % 4 { 0 => json!(["c1", "c2"]), 1 => json!(["c2"]), 2 => json!(["c3", "c4"]), _ => json!(["c4"]) },
                "q2": if rooms { "no" } else { "yes" },
                "q4": 3 + (i * 7) % 40,
                "q5": (["c1", "c2", "c3"][i % 3]),
                "q6": match i % 3 { 0 => json!(["c1"]), 1 => json!(["c2", "c4"]), _ => json!(["c3"]) },
                "q7": if i % 2 == 0 { "yes" } else { "no" },
                "q8": 2 + i % 4,
                "q9": if i % 3 == 1 { "yes" } else { "no" },
                "q10": (["c1", "c2", "c3", "c1"][i % 4]),
                "q12": NEEDS[i % NEEDS.len()],
            });
            if rooms {
                a["q3"] = json!(3 + i % 3);
            }
            self.answer_survey(
                &cli,
                survey.id,
                *org,
                &crate::surveys::answers::SurveyAnswerInput {
                    answers: a.as_object().cloned(),
                    version: 0,
                },
            )
            .await?;
            if i < 3 {
                needs_from.push((*org, ["rooms", "funding", "qualification"][i]));
            }
        }
        // Three of them became needs in the register.
        for (org, category) in needs_from {
            let made = self
                .need_from_answer(
                    &cli,
                    survey.id,
                    org,
                    &crate::surveys::needs::NeedFromAnswerInput {
                        question: "q12".to_owned(),
                        category: category.to_owned(),
                        ..Default::default()
                    },
                )
                .await;
            // A category the demo's vocabulary lacks leaves that one out.
            match made {
                Ok(_) | Err(Error::Validation(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    async fn load_demo_answers(
        &self,
        actors: &[&Actor],
        organisations: &[Uuid],
    ) -> Result<(), Error> {
        let cli = Actor::cli();
        let Some(body) = self
            .list_bodies(&cli, false)
            .await?
            .into_iter()
            .find(|b| b.kind == "working_group")
        else {
            return Ok(());
        };
        for (actor, organisation) in actors.iter().zip(organisations) {
            let Some(person) = actor.person_id else {
                continue;
            };
            let already = body
                .members
                .iter()
                .any(|m| m.person.as_ref().is_some_and(|p| p.id == person) && m.to.is_none());
            if already {
                continue;
            }
            self.add_member(
                &cli,
                body.id,
                &crate::bodies::MemberInput {
                    person_id: person.to_string(),
                    on_behalf_of: organisation.to_string(),
                    role: "member".to_owned(),
                    from: "2024-01-01".to_owned(),
                    ..Default::default()
                },
            )
            .await?;
        }
        if let Some(first) = actors.first() {
            let next = self
                .portal_meetings(first)
                .await?
                .into_iter()
                .find(|m| m.starts_at > chrono::Utc::now() && m.status != "cancelled");
            if let Some(meeting) = next {
                self.answer_meeting(first, meeting.id, "yes", None).await?;
            }
        }
        Ok(())
    }
}
