//! The demo's mailings: most contact persons agreed to receive the
//! office's circulars (one left through the unsubscribe link); two
//! mailings are in the archive — the working group's invitation in
//! German, Turkish and Arabic two months ago (one address bounced) and the
//! integration prize's call two weeks ago — and a draft about a funding
//! programme waits.

use crate::mailings::{MailingInput, MailingSelection};
use crate::{Actor, Error, Services};
use chrono::{Duration, Utc};
use msohub_domain::Role;
use std::collections::BTreeMap;

fn texts(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(l, t)| ((*l).to_owned(), (*t).to_owned()))
        .collect()
}

impl Services {
    pub(super) async fn load_demo_mailings(&self) -> Result<(), Error> {
        let cli = Actor::cli();
        let conn = self.store.conn();
        let given = (Utc::now().date_naive() - Duration::days(300))
            .format("%Y-%m-%d")
            .to_string();
        let persons = msohub_store::mailings::live_persons(conn).await?;
        for (i, p) in persons.iter().enumerate() {
            if i % 4 != 3 && p.email.is_some() {
                self.record_consent(
                    &cli,
                    p.id,
                    "mailings",
                    &given,
                    "Anmeldung zum Rundschreiben beim Arbeitskreis",
                    "",
                )
                .await?;
            }
        }
        let staff = msohub_store::users::find_user_by_email(conn, "j.lehmann@ki-lindenau.example")
            .await?
            .ok_or(Error::NotFound)?;
        let sender = Actor {
            user_id: Some(staff.id),
            email: staff.email.clone(),
            display_name: staff.display_name.clone(),
            role: Role::Staff,
            organisation_id: None,
            must_change_password: false,
            ip: None,
            via: crate::Via::Session,
            person_id: None,
            language: "de".to_owned(),
        };
        let msos = MailingSelection {
            kinds: vec!["mso".to_owned()],
            ..MailingSelection::default()
        };
        let invitation = self
            .create_mailing(
                &sender,
                &MailingInput {
                    subject: texts(&[
                        ("de", "Einladung zum Arbeitskreis MSO"),
                        ("tr", "MSO Çalışma Grubuna davet"),
                        ("ar", "دعوة إلى مجموعة عمل منظمات المهاجرين"),
                    ]),
                    text: texts(&[
                        ("de", "Liebe Vereine,\n\nder **Arbeitskreis MSO** trifft sich wieder. Wir sprechen über\n\n- die Räume für eure Angebote,\n- die Bedarfsabfrage dieses Schuljahrs,\n- das Fest der Kulturen im Stadtpark.\n\nDie Tagesordnung hängt an. Wir freuen uns auf euch!\n\nEuer Team des Kommunalen Integrationszentrums"),
                        ("tr", "Sevgili dernekler,\n\n**MSO Çalışma Grubu** yeniden toplanıyor. Konularımız:\n\n- sunduğunuz etkinlikler için mekânlar,\n- bu okul yılının ihtiyaç anketi,\n- Şehir Parkı'ndaki Kültürler Şenliği.\n\nGündem ektedir. Sizi görmekten mutluluk duyarız!\n\nEntegrasyon Merkezi ekibi"),
                        ("ar", "أعزاءنا في الجمعيات،\n\nتجتمع **مجموعة عمل منظمات المهاجرين** من جديد. سنتحدث عن:\n\n- القاعات لأنشطتكم،\n- استبيان الاحتياجات لهذا العام الدراسي،\n- مهرجان الثقافات في حديقة المدينة.\n\nجدول الأعمال مرفق. نتطلع إلى لقائكم!\n\nفريق مركز الاندماج"),
                    ]),
                    selection: msos.clone(),
                    version: 0,
                },
            )
            .await?;
        self.add_mailing_attachment(
            &sender,
            invitation.mailing.id,
            "tagesordnung-arbeitskreis.txt",
            "Tagesordnung\n1. Begrüßung\n2. Räume für Angebote\n3. Bedarfsabfrage\n4. Fest der Kulturen\n5. Verschiedenes\n"
                .as_bytes()
                .to_vec(),
        )
        .await?;
        let row = self.live_mailing(invitation.mailing.id).await?;
        self.dispatch(&sender, row, Some(Utc::now() - Duration::days(60)))
            .await?;
        // One address bounced.
        if let Some(m) = msohub_store::mailings::messages_of_mailing(conn, invitation.mailing.id)
            .await?
            .into_iter()
            .nth(3)
        {
            msohub_store::bodies::mark_message(
                conn,
                m.id,
                "failed",
                "550 5.1.1 Mailbox unknown",
                Utc::now() - Duration::days(60),
            )
            .await?;
        }

        let call = self
            .create_mailing(
                &sender,
                &MailingInput {
                    subject: texts(&[
                        ("de", "Aufruf: Integrationspreis der Stadt – Vorschläge bis 31. März"),
                        ("tr", "Çağrı: Şehrin Uyum Ödülü – öneriler 31 Mart'a kadar"),
                        ("ar", "دعوة: جائزة الاندماج للمدينة – المقترحات حتى 31 مارس"),
                        ("uk", "Заклик: Премія міста за інтеграцію – пропозиції до 31 березня"),
                    ]),
                    text: texts(&[
                        ("de", "Liebe Vereine,\n\nauch in diesem Jahr vergibt die Stadt den **Integrationspreis**. Schlagt Menschen, Gruppen oder Projekte vor, die das Zusammenleben in Lindenau stärken – auch euch selbst.\n\nVorschläge bis zum **31. März** im Portal oder formlos per E-Mail an uns."),
                        ("tr", "Sevgili dernekler,\n\nşehir bu yıl da **Uyum Ödülü**'nü veriyor. Lindenau'da birlikte yaşamı güçlendiren kişileri, grupları veya projeleri – kendinizi de – önerin.\n\nÖneriler **31 Mart**'a kadar portalda ya da bize e-postayla."),
                        ("ar", "أعزاءنا في الجمعيات،\n\nتمنح المدينة هذا العام أيضًا **جائزة الاندماج**. رشّحوا أشخاصًا أو مجموعات أو مشاريع تعزز العيش المشترك في ليندناو – وأنفسكم أيضًا.\n\nالترشيحات حتى **31 مارس** عبر البوابة أو بالبريد الإلكتروني."),
                        ("uk", "Шановні об'єднання,\n\nцього року місто знову вручає **Премію за інтеграцію**. Пропонуйте людей, групи чи проєкти, які зміцнюють спільне життя в Лінденау, – і себе також.\n\nПропозиції до **31 березня** на порталі або електронною поштою."),
                    ]),
                    selection: MailingSelection {
                        kinds: vec!["mso".to_owned(), "faith_community".to_owned()],
                        ..MailingSelection::default()
                    },
                    version: 0,
                },
            )
            .await?;
        let row = self.live_mailing(call.mailing.id).await?;
        self.dispatch(&sender, row, Some(Utc::now() - Duration::days(14)))
            .await?;

        // One person left through the link of the last mailing.
        if let Some(p) = persons.iter().find(|p| p.email.is_some()) {
            let link = self.unsubscribe_link(p.id, "de").await?;
            if let Some(token) = link.rsplit('/').next() {
                self.unsubscribe(token, None).await?;
            }
        }

        self.create_mailing(
            &sender,
            &MailingInput {
                subject: texts(&[("de", "Förderprogramm: Mittel für Vereinsräume")]),
                text: texts(&[("de", "Liebe Vereine,\n\ndas Land fördert wieder Räume für die Arbeit von Migrantenorganisationen. Wir helfen beim Antrag – meldet euch bis Ende des Monats.")]),
                selection: msos,
                version: 0,
            },
        )
        .await?;
        Ok(())
    }
}
