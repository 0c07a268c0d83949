//! E-mail: invitations to meetings go into an outbox table in the same
//! transaction as the change that causes them; a background worker sends
//! what is due over SMTP (lettre, rustls), retries failures with growing
//! pauses and gives up after five attempts. The outbox is the delivery log.

use crate::meetings::AgendaItem;
use crate::{Actor, Error, FieldError, Services, audit};
use chrono::{Duration, Utc};
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use msohub_domain::Permission;
use msohub_exchange::ical::{Event, When, invitation};
use msohub_store::bodies::{self as store, MeetingRow, OutboxRow};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub(crate) const SMTP_KEY: &str = "smtp";
const MAX_ATTEMPTS: i32 = 5;
/// Messages one call of [`Services::deliver_due`] sends at most.
pub const BATCH: usize = 20;

/// How to reach the mail server. The password is never shown again once
/// stored; it can also come from `MSOHUB_SMTP_PASSWORD`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    /// none, starttls, tls
    pub security: String,
    pub username: String,
    pub password: String,
    /// The sender, e.g. "KI Lindenau <ki@lindenau.example>".
    pub from: String,
}

impl SmtpSettings {
    pub fn configured(&self) -> bool {
        !self.host.is_empty() && !self.from.is_empty()
    }

    /// Checks the fields an admin entered.
    pub(crate) fn check(&self, errors: &mut Vec<FieldError>) {
        // A closed list is closed with or without a server (schemathesis
        // stored '__not_in_enum__' here while no host was set).
        if !matches!(self.security.as_str(), "none" | "starttls" | "tls") {
            errors.push(FieldError::new("smtp_security", "choice-unknown"));
        }
        if self.host.is_empty() {
            return;
        }
        if self.host.contains(['/', ' ', ':']) {
            errors.push(FieldError::new("smtp_host", "host-invalid"));
        }
        if self.port == 0 {
            errors.push(FieldError::new("smtp_port", "port-invalid"));
        }
        if self.from.is_empty() {
            errors.push(FieldError::new("smtp_from", "required"));
        } else if self.from.parse::<lettre::message::Mailbox>().is_err() {
            errors.push(FieldError::new("smtp_from", "email-invalid"));
        }
    }
}

/// A message in the outbox, as the meeting page lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Delivery {
    pub to: String,
    pub subject: String,
    /// pending, sent, failed
    pub status: String,
    pub attempts: i32,
    pub last_error: String,
    pub sent_at: Option<chrono::DateTime<Utc>>,
    pub created_at: chrono::DateTime<Utc>,
}

/// What an invitation run did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InvitationReport {
    pub queued: usize,
    /// Members without an e-mail address.
    pub without_address: Vec<String>,
}

impl From<OutboxRow> for Delivery {
    fn from(r: OutboxRow) -> Delivery {
        Delivery {
            to: r.to_address,
            subject: r.subject,
            status: r.status,
            attempts: r.attempts,
            last_error: r.last_error,
            sent_at: r.sent_at,
            created_at: r.created_at,
        }
    }
}

fn event_of(m: &MeetingRow, agenda: &[AgendaItem], body: &str) -> Event {
    let agenda_text = agenda
        .iter()
        .enumerate()
        .map(|(i, a)| format!("{}. {}", i + 1, a.title))
        .collect::<Vec<_>>()
        .join("\n");
    Event {
        uid: format!("meeting-{}@msohub", m.id),
        when: When::Timed(
            m.starts_at,
            m.ends_at.unwrap_or(m.starts_at + Duration::hours(2)),
        ),
        summary: format!("{body}: {}", m.title),
        description: agenda_text,
        location: if m.place.is_empty() {
            m.video_link.clone()
        } else {
            m.place.clone()
        },
        status: "CONFIRMED",
        sequence: m.sequence,
        stamp: Utc::now(),
    }
}

fn text_of(
    m: &MeetingRow,
    agenda: &[AgendaItem],
    body: &str,
    cancelled: bool,
    update: bool,
) -> (String, String) {
    let when = m
        .starts_at
        .with_timezone(&chrono_tz::Europe::Berlin)
        .format("%d.%m.%Y, %H:%M Uhr")
        .to_string();
    let subject = if cancelled {
        format!("Abgesagt: {body} – {} am {when}", m.title)
    } else if update {
        format!("Geändert: {body} – {} am {when}", m.title)
    } else {
        format!("Einladung: {body} – {} am {when}", m.title)
    };
    let mut text = String::from("Guten Tag,\n\n");
    if cancelled {
        text.push_str(&format!(
            "die Sitzung „{}“ ({body}) am {when} findet nicht statt.\n",
            m.title
        ));
        if !m.cancel_reason.is_empty() {
            text.push_str(&format!("Grund: {}\n", m.cancel_reason));
        }
    } else {
        text.push_str(&format!(
            "{} zur Sitzung „{}“ ({body}) am {when}.\n",
            if update {
                "die Angaben haben sich geändert: Einladung"
            } else {
                "hiermit laden wir Sie ein"
            },
            m.title
        ));
        if !m.place.is_empty() {
            text.push_str(&format!("Ort: {}\n", m.place));
        }
        if !m.video_link.is_empty() {
            text.push_str(&format!("Online: {}\n", m.video_link));
        }
        if !agenda.is_empty() {
            text.push_str("\nTagesordnung:\n");
            for (i, a) in agenda.iter().enumerate() {
                text.push_str(&format!("{}. {}\n", i + 1, a.title));
            }
        }
        text.push_str("\nDer Termin ist als Kalenderdatei angehängt.\n");
    }
    text.push_str("\nMit freundlichen Grüßen\n");
    (subject, text)
}

impl Services {
    pub async fn smtp_settings(&self) -> Result<SmtpSettings, Error> {
        let mut s: SmtpSettings = self
            .store
            .get_setting(SMTP_KEY)
            .await?
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        if s.password.is_empty()
            && let Ok(p) = std::env::var("MSOHUB_SMTP_PASSWORD")
        {
            s.password = p;
        }
        Ok(s)
    }

    /// Queues a plain e-mail (no calendar file) in `tx`; the outbox worker
    /// sends it (with retries) once SMTP is set up.
    pub(crate) async fn enqueue_mail(
        &self,
        tx: &msohub_store::Tx,
        to: &str,
        subject: &str,
        text: &str,
    ) -> Result<(), Error> {
        self.enqueue_mail_about(tx, to, subject, text, None).await
    }

    /// [`Self::enqueue_mail`] for an e-mail of a survey (its delivery log).
    pub(crate) async fn enqueue_mail_about(
        &self,
        tx: &msohub_store::Tx,
        to: &str,
        subject: &str,
        text: &str,
        survey: Option<Uuid>,
    ) -> Result<(), Error> {
        store::enqueue(
            tx,
            OutboxRow {
                survey_id: survey,
                ..store::message(to, subject, text)
            },
        )
        .await?;
        Ok(())
    }

    /// Queues invitations (or, for a cancelled meeting, cancellations) in
    /// `tx`. `to`: the addresses; `None` means everyone invited before.
    pub(crate) async fn enqueue_invitations(
        &self,
        tx: &msohub_store::Tx,
        m: &MeetingRow,
        agenda: &[AgendaItem],
        to: Option<Vec<String>>,
    ) -> Result<usize, Error> {
        let smtp = self.smtp_settings().await?;
        let body = store::find_body(tx, m.body_id)
            .await?
            .map(|b| b.name)
            .unwrap_or_default();
        let earlier: Vec<OutboxRow> = store::messages_of_meeting(tx, m.id).await?;
        let update = !earlier.is_empty();
        let addresses = match to {
            Some(a) => a,
            None => {
                let mut a: Vec<String> = earlier.iter().map(|r| r.to_address.clone()).collect();
                a.sort();
                a.dedup();
                a
            }
        };
        let cancelled = m.status == "cancelled";
        let (subject, text) = text_of(m, agenda, &body, cancelled, update);
        let event = event_of(m, agenda, &body);
        let office = self.office().await?.name;
        let from_address = smtp
            .from
            .parse::<lettre::message::Mailbox>()
            .map(|mb| mb.email.to_string())
            .unwrap_or_else(|_| "noreply@localhost".into());
        for address in &addresses {
            // Members with a portal account answer there: the mail links
            // to the meeting's page in their language.
            let portal = msohub_store::users::find_user_by_email(tx, &address.to_lowercase())
                .await?
                .filter(|u| {
                    u.role == msohub_domain::Role::Representative.as_str()
                        && u.disabled_at.is_none()
                        && !cancelled
                });
            let text = match portal {
                Some(u) => format!(
                    "{text}\n\nZusagen oder absagen / Answer: {}/portal/{}/meetings/{}\n",
                    self.public_url(),
                    u.language,
                    m.id
                ),
                None => text.clone(),
            };
            let ics = invitation(
                if cancelled { "CANCEL" } else { "REQUEST" },
                &event,
                (&office, &from_address),
                address,
            );
            store::enqueue(
                tx,
                OutboxRow {
                    meeting_id: Some(m.id),
                    ics,
                    ..store::message(address, &subject, &text)
                },
            )
            .await?;
        }
        Ok(addresses.len())
    }

    /// Invites the members on the meeting's day (or the chosen ones, by
    /// their attendee keys) by e-mail with the agenda and a calendar file.
    /// A planned meeting becomes "invited".
    pub async fn invite(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
        chosen: Option<&[String]>,
    ) -> Result<InvitationReport, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let meeting = self.get_meeting(actor, id).await?;
        if meeting.version != version {
            return Err(Error::stale());
        }
        if meeting.status == "cancelled" || meeting.status == "held" {
            return Err(Error::field("status", "meeting-not-open"));
        }
        if !self.smtp_settings().await?.configured() {
            return Err(Error::field("smtp", "smtp-off"));
        }
        let conn = self.store.conn();
        let mut addresses = Vec::new();
        let mut without = Vec::new();
        for m in self.members_at(actor, &meeting).await? {
            if chosen.is_some_and(|c| !c.contains(&m.attendee())) {
                continue;
            }
            let email = match (&m.person, &m.user) {
                (Some(p), _) => msohub_store::people::find_person(conn, p.id)
                    .await?
                    .and_then(|r| r.email),
                (None, Some(u)) => msohub_store::users::find_user(conn, u.id)
                    .await?
                    .map(|r| r.email),
                _ => None,
            };
            match email {
                Some(e) if !e.is_empty() => addresses.push(e),
                _ => without.push(m.name().to_owned()),
            }
        }
        addresses.sort();
        addresses.dedup();
        if addresses.is_empty() {
            return Err(Error::field("recipients", "no-recipients"));
        }
        let tx = self.store.begin().await?;
        // Still at `version`: the row read now is written back whole.
        let mut row = crate::write::current(store::find_meeting(&tx, id).await?, version)?;
        let before_status = row.status.clone();
        if row.status == "planned" {
            row.status = "invited".into();
        }
        let row = store::update_meeting(&tx, row).await?;
        let queued = self
            .enqueue_invitations(&tx, &row, &meeting.agenda, Some(addresses.clone()))
            .await?;
        audit::record(
            &tx,
            actor,
            "meeting",
            id,
            "invite",
            Some(serde_json::json!({"status": before_status})),
            Some(serde_json::json!({"status": row.status, "recipients": addresses.len()})),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(InvitationReport {
            queued,
            without_address: without,
        })
    }

    /// The delivery log of a meeting's e-mails.
    pub async fn deliveries(&self, actor: &Actor, meeting: Uuid) -> Result<Vec<Delivery>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        Ok(store::messages_of_meeting(self.store.conn(), meeting)
            .await?
            .into_iter()
            .map(Delivery::from)
            .collect())
    }

    /// Sends what is due; returns how many were sent. Called by the worker.
    pub async fn deliver_due(&self, retry_base: std::time::Duration) -> Result<usize, Error> {
        let smtp = self.smtp_settings().await?;
        if !smtp.configured() {
            return Ok(0);
        }
        let conn = self.store.conn();
        let due = store::due_messages(conn, Utc::now(), BATCH as u64).await?;
        if due.is_empty() {
            return Ok(0);
        }
        let mailer = transport(&smtp)?;
        // The lease: while a node sends a message, other nodes skip it. It
        // lasts one retry pause and is renewed every third of it for as
        // long as the send takes, so a node that dies mid-send (killed,
        // power cut) holds the message no longer than that pause; then it
        // is sent again, at most once more than the outbox records. (It
        // was a fixed five minutes from the batch's start: a crash kept
        // claimed messages back for five minutes, and a slow batch let a
        // lease run out while its message was still being sent.)
        let lease = retry_base.max(std::time::Duration::from_secs(1));
        let until = || Utc::now() + Duration::from_std(lease).unwrap_or(Duration::minutes(1));
        let mut sent = 0;
        // A mailing's files, read once per batch.
        let mut files: std::collections::HashMap<Uuid, Vec<msohub_store::files::StoredFile>> =
            std::collections::HashMap::new();
        for m in due {
            if let Some(mailing) = m.mailing_id
                && !files.contains_key(&mailing)
            {
                let mut list = Vec::new();
                for (a, _) in msohub_store::work::attachments_of(conn, "mailing", mailing).await? {
                    if let Some(f) = msohub_store::files::get(conn, a.file_id).await? {
                        list.push(f);
                    }
                }
                files.insert(mailing, list);
            }
            let attached = m
                .mailing_id
                .and_then(|id| files.get(&id))
                .map_or(&[][..], Vec::as_slice);
            if !store::claim_message(conn, m.id, m.attempts, until()).await? {
                continue;
            }
            let attempts = m.attempts + 1;
            let sending = send(&mailer, &smtp, &m, attached);
            tokio::pin!(sending);
            let mut renew = tokio::time::interval(lease / 3);
            renew.tick().await;
            let outcome = loop {
                tokio::select! {
                    outcome = &mut sending => break outcome,
                    _ = renew.tick() => {
                        store::extend_claim(conn, m.id, attempts, until()).await?;
                    }
                }
            };
            match outcome {
                Ok(()) => {
                    store::mark_message(conn, m.id, "sent", "", Utc::now()).await?;
                    tracing::info!(to = %m.to_address, subject = %m.subject, "mail sent");
                    sent += 1;
                }
                Err(e) => {
                    let give_up = attempts >= MAX_ATTEMPTS;
                    let pause = retry_base.saturating_mul(
                        2u32.saturating_pow(u32::try_from(attempts - 1).unwrap_or(0)),
                    );
                    let next =
                        Utc::now() + Duration::from_std(pause).unwrap_or(Duration::minutes(5));
                    store::mark_message(
                        conn,
                        m.id,
                        if give_up { "failed" } else { "pending" },
                        &e,
                        next,
                    )
                    .await?;
                    tracing::warn!(to = %m.to_address, attempts, error = %e, give_up, "mail not sent");
                }
            }
        }
        Ok(sent)
    }
}

fn transport(s: &SmtpSettings) -> Result<AsyncSmtpTransport<Tokio1Executor>, Error> {
    let builder = match s.security.as_str() {
        "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&s.host),
        "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&s.host),
        _ => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
            &s.host,
        )),
    }
    .map_err(|e| Error::Internal(Box::new(e)))?;
    let mut builder = builder
        .port(s.port)
        .timeout(Some(std::time::Duration::from_secs(15)));
    if !s.username.is_empty() {
        builder = builder.credentials(Credentials::new(s.username.clone(), s.password.clone()));
    }
    Ok(builder.build())
}

async fn send(
    mailer: &AsyncSmtpTransport<Tokio1Executor>,
    s: &SmtpSettings,
    m: &OutboxRow,
    files: &[msohub_store::files::StoredFile],
) -> Result<(), String> {
    let from = s
        .from
        .parse::<lettre::message::Mailbox>()
        .map_err(|e| e.to_string())?;
    let to = m
        .to_address
        .parse::<lettre::message::Mailbox>()
        .map_err(|e| e.to_string())?;
    let method = if m.ics.contains("METHOD:CANCEL") {
        "CANCEL"
    } else {
        "REQUEST"
    };
    let calendar = ContentType::parse(&format!("text/calendar; method={method}; charset=UTF-8"))
        .map_err(|e| e.to_string())?;
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(m.subject.clone());
    if !m.unsubscribe_url.is_empty() {
        // RFC 2369 and RFC 8058: mail clients offer "unsubscribe" and
        // POST `List-Unsubscribe=One-Click` to the link.
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{}>", m.unsubscribe_url),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
    }
    if m.mailing_id.is_some() {
        let text = MultiPart::alternative_plain_html(
            m.body_text.clone(),
            crate::mailings::html_of(&m.body_text, &m.language),
        );
        let body = if files.is_empty() {
            text
        } else {
            let mut mixed = MultiPart::mixed().multipart(text);
            for f in files {
                let kind = ContentType::parse(&f.content_type).map_err(|e| e.to_string())?;
                mixed = mixed
                    .singlepart(Attachment::new(f.file_name.clone()).body(f.data.clone(), kind));
            }
            mixed
        };
        let email = builder.multipart(body).map_err(|e| e.to_string())?;
        return mailer
            .send(email)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string());
    }
    if m.ics.is_empty() {
        let email = builder
            .singlepart(SinglePart::plain(m.body_text.clone()))
            .map_err(|e| e.to_string())?;
        return mailer
            .send(email)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string());
    }
    let email = builder
        .multipart(
            MultiPart::mixed()
                .singlepart(SinglePart::plain(m.body_text.clone()))
                .singlepart(
                    Attachment::new("einladung.ics".to_owned()).body(m.ics.clone(), calendar),
                ),
        )
        .map_err(|e| e.to_string())?;
    mailer
        .send(email)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}
