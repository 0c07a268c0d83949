//! Mailings (Rundschreiben): the office writes to a selection of persons
//! — invitations to the working group, the prize's call, a funding
//! programme — in place of Outlook lists that ignore consent.
//!
//! A mailing is a subject and a Markdown text in German with optional
//! versions in the portal's other languages, optional attachments, and a
//! selection: persons with a current role in an organisation of some
//! kinds, current members of some bodies, persons speaking some
//! languages (every given filter must match), plus persons picked by
//! hand. Only a selected person with a current `mailings` consent and an
//! e-mail address receives it, once per address; staff see who is left
//! out and why before sending.
//!
//! Sending puts one message per recipient into the outbox (retries, one
//! recipient per message: nobody sees the others), in the first of the
//! person's languages the mailing has, else German. Every message ends
//! with the person's unsubscribe link and carries it in `List-Unsubscribe`
//! with `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
//! The link is the person's id with a keyed hash of it (the instance's
//! link key, as the surveys' personal links); following it and
//! confirming, or a mail client's one-click POST, ends the person's
//! `mailings` consent at once (withdrawn through "unsubscribe link") and
//! gives up their messages still waiting. No open or click tracking: the
//! messages hold no pixel and no rewritten link. The outbox is the
//! archive: what went to whom, when, and what failed.

use crate::interactions::{AttachmentInfo, Ref};
use crate::mail::Delivery;
use crate::surveys::{LANGUAGES, Texts};
use crate::{Actor, Error, FieldError, Services, audit};
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use msohub_domain::Permission;
use msohub_store::bodies::{self as outbox, OutboxRow};
use msohub_store::mailings::{self as store, MailingRow};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// Bytes of the hash an unsubscribe link carries (128 bits).
const MAC_BYTES: usize = 16;
/// At most this much attached to one mailing (all files together).
pub const MAX_ATTACHMENTS_BYTES: i64 = 10 * 1024 * 1024;
/// The consent a mailing needs.
const PURPOSE: &str = "mailings";
/// How a consent ended through the link says so.
pub const UNSUBSCRIBE_SOURCE: &str = "unsubscribe link";

/// Who a mailing goes to: persons matching every filter given, plus the
/// ones picked by hand.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MailingSelection {
    /// Organisation kinds: persons with a current role in one.
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub kinds: Vec<String>,
    /// Bodies (ids): their current members.
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub bodies: Vec<String>,
    /// Language codes: persons who speak one.
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub languages: Vec<String>,
    /// Persons picked by hand (ids).
    #[serde(deserialize_with = "crate::organisations::lenient::list")]
    pub persons: Vec<String>,
}

fn given(list: &[String]) -> Vec<&str> {
    list.iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect()
}

impl MailingSelection {
    fn filters_given(&self) -> bool {
        [&self.kinds, &self.bodies, &self.languages]
            .iter()
            .any(|l| !given(l).is_empty())
    }
}

/// A mailing as staff write it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MailingInput {
    /// The subject per language; `de` required.
    pub subject: Texts,
    /// The text (Markdown) per language; `de` required.
    pub text: Texts,
    #[serde(deserialize_with = "object")]
    pub selection: MailingSelection,
    pub version: i32,
}

/// An object, nothing else (serde would also read an array as the
/// struct's fields in order; the document says object). Left out: the
/// default.
fn object<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let map = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
    serde_json::from_value(serde_json::Value::Object(map)).map_err(serde::de::Error::custom)
}

/// A mailing with the figures of its delivery.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Mailing {
    pub id: Uuid,
    pub subject: Texts,
    pub text: Texts,
    pub selection: MailingSelection,
    /// draft or sent
    pub status: String,
    pub sent_at: Option<DateTime<Utc>>,
    /// Who sent it.
    pub sent_by: Option<String>,
    pub attachments: Vec<AttachmentInfo>,
    /// Messages to recipients, and how many of them went out, wait, or
    /// failed for good.
    pub recipient_count: i64,
    pub delivered: i64,
    pub pending: i64,
    pub failed: i64,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One recipient of a sent mailing and what became of the message.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MailingRecipient {
    pub person: Ref,
    pub address: String,
    /// The version's language.
    pub language: String,
    /// pending, sent, failed
    pub status: String,
    pub attempts: i32,
    pub last_error: String,
    pub sent_at: Option<DateTime<Utc>>,
}

/// A mailing with its archive: every recipient with the delivery status,
/// and the test sends.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MailingDetail {
    #[serde(flatten)]
    pub mailing: Mailing,
    pub recipients: Vec<MailingRecipient>,
    pub tests: Vec<Delivery>,
}

/// A selected person who does not receive the mailing, and why:
/// `no-consent` (no current `mailings` consent), `no-email`, or
/// `same-address` (another recipient has the address).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Excluded {
    pub person: Ref,
    pub reason: String,
}

/// Who a mailing would reach now (staff only: names).
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct MailingAudience {
    /// Persons the selection names.
    pub selected: usize,
    /// Of them, who would receive it.
    pub recipients: Vec<Ref>,
    /// Of them, who would not, with the reason.
    pub excluded: Vec<Excluded>,
    /// How many are left out per reason.
    pub excluded_counts: BTreeMap<String, usize>,
    /// How many get which language version.
    pub languages: BTreeMap<String, usize>,
}

/// What the selection form offers: every person by name and the
/// languages the persons speak.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct MailingChoices {
    pub persons: Vec<Ref>,
    pub languages: Vec<String>,
}

/// One message to queue.
struct Addressee {
    person: Ref,
    address: String,
    language: String,
}

/// The unsubscribe page's view: whose address, and whether it still gets
/// the office's mailings.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Subscription {
    pub address: String,
    pub subscribed: bool,
    /// The sender (the office's name).
    pub office: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Content {
    subject: Texts,
    text: Texts,
}

fn content_of(row: &MailingRow) -> Content {
    serde_json::from_str(&row.content).unwrap_or_default()
}

fn selection_of(row: &MailingRow) -> MailingSelection {
    serde_json::from_str(&row.selection).unwrap_or_default()
}

fn audit_view(row: &MailingRow) -> serde_json::Value {
    let content = content_of(row);
    serde_json::json!({
        "subject": row.subject,
        "languages": content.subject.keys().collect::<Vec<_>>(),
        "selection": selection_of(row),
        "sent": row.sent_at.is_some(),
    })
}

/// A subject on one line: whitespace runs become one space, control
/// characters go.
fn one_line(text: &str) -> String {
    text.split_whitespace()
        .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn person_name(p: &msohub_store::people::PersonRow) -> String {
    format!("{} {}", p.given_name, p.family_name)
        .trim()
        .to_owned()
}

/// The version for a person: the first of their languages the mailing
/// has (subject and text), else German.
fn language_for(person_languages: &[String], content: &Content) -> String {
    person_languages
        .iter()
        .find(|l| content.subject.contains_key(*l) && content.text.contains_key(*l))
        .cloned()
        .unwrap_or_else(|| "de".to_owned())
}

/// A message's subject and text in `lang` with the footer (`link`: the
/// person's unsubscribe link; empty for a test).
fn compose(content: &Content, lang: &str, office: &str, link: &str) -> (String, String) {
    (
        version_in(&content.subject, lang).to_owned(),
        format!(
            "{}{}",
            version_in(&content.text, lang),
            crate::portal::mails::mailing_footer(lang, office, link)
        ),
    )
}

fn version_in<'a>(texts: &'a Texts, lang: &str) -> &'a str {
    texts
        .get(lang)
        .or_else(|| texts.get("de"))
        .map_or("", String::as_str)
}

#[allow(clippy::expect_used, reason = "HMAC takes keys of any length")]
fn mac_of(key: &[u8], person: Uuid) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(b"msohub unsubscribe v1\0");
    mac.update(person.as_bytes());
    mac
}

/// The unsubscribe token of a person under `key`.
fn token(key: &[u8], person: Uuid) -> String {
    let mac = mac_of(key, person).finalize().into_bytes();
    let mut bytes = Vec::with_capacity(16 + MAC_BYTES);
    bytes.extend_from_slice(person.as_bytes());
    bytes.extend_from_slice(&mac[..MAC_BYTES]);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn decode(token: &str) -> Option<(Uuid, Vec<u8>)> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.trim())
        .ok()?;
    if bytes.len() != 16 + MAC_BYTES {
        return None;
    }
    Some((Uuid::from_slice(&bytes[..16]).ok()?, bytes[16..].to_vec()))
}

impl Services {
    fn validate_mailing(
        &self,
        input: &MailingInput,
        current: Option<&MailingRow>,
    ) -> Result<MailingRow, Error> {
        let mut errors = Vec::new();
        if current.is_some_and(|c| c.sent_at.is_some()) {
            return Err(Error::field("mailing", "mailing-sent"));
        }
        let subject: Texts =
            crate::surveys::texts("subject", &input.subject, 200, true, &mut errors)
                .into_iter()
                .map(|(l, t)| (l, one_line(&t)))
                .collect();
        let text = crate::surveys::texts("text", &input.text, 50_000, true, &mut errors);
        // A language version is whole: a subject without a text (or the
        // other way round) would send half of it in German.
        for lang in LANGUAGES.iter().filter(|l| **l != "de") {
            match (subject.contains_key(*lang), text.contains_key(*lang)) {
                (true, false) => errors.push(FieldError::new(&format!("text.{lang}"), "required")),
                (false, true) => {
                    errors.push(FieldError::new(&format!("subject.{lang}"), "required"))
                }
                _ => {}
            }
        }
        self.check_selection(&input.selection, &mut errors);
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let now = Utc::now();
        let content = Content {
            subject: subject.clone(),
            text,
        };
        let clean = MailingSelection {
            kinds: given(&input.selection.kinds)
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            bodies: given(&input.selection.bodies)
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            languages: given(&input.selection.languages)
                .iter()
                .map(|s| s.to_lowercase())
                .collect(),
            persons: given(&input.selection.persons)
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        };
        Ok(MailingRow {
            id: current.map_or_else(Uuid::now_v7, |c| c.id),
            subject: subject.get("de").cloned().unwrap_or_default(),
            content: to_json(&content)?,
            selection: to_json(&clean)?,
            sent_at: None,
            sent_by: None,
            version: current.map_or(1, |c| c.version),
            deleted_at: None,
            created_at: current.map_or(now, |c| c.created_at),
            updated_at: now,
        })
    }

    /// The ids of a selection parse (the bodies and persons named exist
    /// only as far as [`Self::mailing_audience`] finds them).
    fn check_selection(&self, s: &MailingSelection, errors: &mut Vec<FieldError>) {
        let kinds = msohub_domain::organisation::OrganisationKind::codes();
        if given(&s.kinds).iter().any(|k| !kinds.contains(k)) {
            errors.push(FieldError::new("selection.kinds", "choice-unknown"));
        }
        if given(&s.bodies).iter().any(|b| b.parse::<Uuid>().is_err()) {
            errors.push(FieldError::new("selection.bodies", "body-unknown"));
        }
        if given(&s.persons).iter().any(|p| p.parse::<Uuid>().is_err()) {
            errors.push(FieldError::new("selection.persons", "person-unknown"));
        }
        if given(&s.languages)
            .iter()
            .any(|l| msohub_domain::organisation::parse_languages(l).is_err())
        {
            errors.push(FieldError::new(
                "selection.languages",
                "language-code-unknown",
            ));
        }
    }

    pub(crate) async fn live_mailing(&self, id: Uuid) -> Result<MailingRow, Error> {
        store::find_mailing(self.store.conn(), id)
            .await?
            .filter(|m| m.deleted_at.is_none())
            .ok_or(Error::NotFound)
    }

    async fn assemble_mailing(
        &self,
        row: &MailingRow,
        counts: &HashMap<(Uuid, String), i64>,
    ) -> Result<Mailing, Error> {
        let content = content_of(row);
        let count = |s: &str| counts.get(&(row.id, s.to_owned())).copied().unwrap_or(0);
        let sent_by = match row.sent_by {
            Some(u) => msohub_store::users::find_user(self.store.conn(), u)
                .await?
                .map(|u| u.display_name),
            None => None,
        };
        Ok(Mailing {
            id: row.id,
            subject: content.subject,
            text: content.text,
            selection: selection_of(row),
            status: if row.sent_at.is_some() {
                "sent"
            } else {
                "draft"
            }
            .to_owned(),
            sent_at: row.sent_at,
            sent_by,
            attachments: self.attachment_infos("mailing", row.id).await?,
            recipient_count: count("sent") + count("pending") + count("failed"),
            delivered: count("sent"),
            pending: count("pending"),
            failed: count("failed"),
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }

    async fn mailing_counts(&self) -> Result<HashMap<(Uuid, String), i64>, Error> {
        Ok(store::delivery_counts(self.store.conn())
            .await?
            .into_iter()
            .map(|(m, s, n)| ((m, s), n))
            .collect())
    }

    pub async fn list_mailings(&self, actor: &Actor) -> Result<Vec<Mailing>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let counts = self.mailing_counts().await?;
        let mut out = Vec::new();
        for row in store::list_mailings(self.store.conn()).await? {
            out.push(self.assemble_mailing(&row, &counts).await?);
        }
        Ok(out)
    }

    /// A mailing with its archive (recipients and their delivery status).
    pub async fn get_mailing(&self, actor: &Actor, id: Uuid) -> Result<MailingDetail, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let row = self.live_mailing(id).await?;
        let conn = self.store.conn();
        let messages = store::messages_of_mailing(conn, id).await?;
        let ids: Vec<Uuid> = messages.iter().filter_map(|m| m.person_id).collect();
        // (name, how people sort it: by family name, "Ö" among the O)
        let names: HashMap<Uuid, (String, String)> = msohub_store::people::find_persons(conn, &ids)
            .await?
            .iter()
            .map(|p| (p.id, (person_name(p), p.name_sort.clone())))
            .collect();
        let mut counts = HashMap::new();
        let mut recipients = Vec::new();
        let mut tests = Vec::new();
        for m in messages {
            match m.person_id {
                Some(p) => {
                    *counts.entry((id, m.status.clone())).or_insert(0) += 1;
                    recipients.push(MailingRecipient {
                        person: Ref {
                            id: p,
                            name: names.get(&p).map(|n| n.0.clone()).unwrap_or_default(),
                        },
                        address: m.to_address,
                        language: m.language,
                        status: m.status,
                        attempts: m.attempts,
                        last_error: m.last_error,
                        sent_at: m.sent_at,
                    });
                }
                None => tests.push(Delivery::from(m)),
            }
        }
        recipients.sort_by_cached_key(|r| names.get(&r.person.id).map(|n| n.1.clone()));
        Ok(MailingDetail {
            mailing: self.assemble_mailing(&row, &counts).await?,
            recipients,
            tests,
        })
    }

    pub async fn create_mailing(
        &self,
        actor: &Actor,
        input: &MailingInput,
    ) -> Result<MailingDetail, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let row = self.validate_mailing(input, None)?;
        let row = self
            .write_audited(
                actor,
                "mailing",
                "create",
                None,
                async |tx| Ok(store::insert_mailing(tx, row).await?),
                |r| (r.id, Some(audit_view(r))),
            )
            .await?;
        self.get_mailing(actor, row.id).await
    }

    /// Changes a draft (a sent mailing stays as it went out).
    pub async fn update_mailing(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &MailingInput,
    ) -> Result<MailingDetail, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = crate::write::current(Some(self.live_mailing(id).await?), input.version)?;
        let row = self.validate_mailing(input, Some(&current))?;
        self.write_audited(
            actor,
            "mailing",
            "update",
            Some(audit_view(&current)),
            async |tx| Ok(store::update_mailing(tx, row).await?),
            |r| (r.id, Some(audit_view(r))),
        )
        .await?;
        self.get_mailing(actor, id).await
    }

    /// Deletes a draft (a sent mailing is the archive of what went out).
    pub async fn delete_mailing(&self, actor: &Actor, id: Uuid, version: i32) -> Result<(), Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = crate::write::current(Some(self.live_mailing(id).await?), version)?;
        if current.sent_at.is_some() {
            return Err(Error::field("mailing", "mailing-sent"));
        }
        let mut row = current.clone();
        row.deleted_at = Some(Utc::now());
        self.write_audited(
            actor,
            "mailing",
            "delete",
            Some(audit_view(&current)),
            async |tx| Ok(store::update_mailing(tx, row).await?),
            |r| (r.id, None),
        )
        .await?;
        Ok(())
    }

    /// Attaches a file to a draft: the types of attachments anywhere, and
    /// at most [`MAX_ATTACHMENTS_BYTES`] for all files of the mailing.
    pub async fn add_mailing_attachment(
        &self,
        actor: &Actor,
        id: Uuid,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<AttachmentInfo, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let row = self.live_mailing(id).await?;
        if row.sent_at.is_some() {
            return Err(Error::field("file", "mailing-sent"));
        }
        let have: i64 = self
            .attachment_infos("mailing", id)
            .await?
            .iter()
            .map(|a| a.size)
            .sum();
        if have + i64::try_from(bytes.len()).unwrap_or(i64::MAX) > MAX_ATTACHMENTS_BYTES {
            return Err(Error::field("file", "file-too-large"));
        }
        self.add_attachment(actor, "mailing", id, file_name, bytes)
            .await
    }

    /// The persons and languages a selection can name.
    pub async fn mailing_choices(&self, actor: &Actor) -> Result<MailingChoices, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let mut languages = std::collections::BTreeSet::new();
        let mut persons = Vec::new();
        for p in store::live_persons(self.store.conn()).await? {
            let spoken: Vec<String> = serde_json::from_str(&p.languages).unwrap_or_default();
            languages.extend(spoken);
            persons.push(Ref {
                id: p.id,
                name: person_name(&p),
            });
        }
        Ok(MailingChoices {
            persons,
            languages: languages.into_iter().collect(),
        })
    }

    /// Who the mailing's selection reaches now, and who it leaves out.
    pub async fn mailing_audience(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<MailingAudience, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let row = self.live_mailing(id).await?;
        let (audience, _) = self.audience(&row).await?;
        Ok(audience)
    }

    /// The audience of a mailing and the messages it would make.
    async fn audience(&self, row: &MailingRow) -> Result<(MailingAudience, Vec<Addressee>), Error> {
        let conn = self.store.conn();
        let selection = selection_of(row);
        let content = content_of(row);
        let today = crate::time::today();
        let picked: HashSet<Uuid> = given(&selection.persons)
            .iter()
            .filter_map(|p| p.parse().ok())
            .collect();
        let filtered = selection.filters_given();
        if !filtered && picked.is_empty() {
            return Ok((MailingAudience::default(), Vec::new()));
        }
        // Persons in an organisation of a chosen kind, today.
        let kinds = given(&selection.kinds);
        let in_kind: Option<HashSet<Uuid>> = if kinds.is_empty() {
            None
        } else {
            let orgs: HashSet<Uuid> = msohub_store::organisations::all_live(conn)
                .await?
                .into_iter()
                .filter(|o| !o.is_own_office && kinds.contains(&o.kind.as_str()))
                .map(|o| o.id)
                .collect();
            Some(
                store::all_affiliations(conn)
                    .await?
                    .into_iter()
                    .filter(|a| {
                        orgs.contains(&a.organisation_id)
                            && crate::portal::current(a.from_date, a.to_date, today)
                    })
                    .map(|a| a.person_id)
                    .collect(),
            )
        };
        let bodies: Vec<Uuid> = given(&selection.bodies)
            .iter()
            .filter_map(|b| b.parse().ok())
            .collect();
        let members: Option<HashSet<Uuid>> = if bodies.is_empty() {
            None
        } else {
            let mut set = HashSet::new();
            for body in &bodies {
                for m in msohub_store::bodies::memberships_of_body(conn, *body).await? {
                    if crate::portal::current(m.from_date, m.to_date, today)
                        && let Some(p) = m.person_id
                    {
                        set.insert(p);
                    }
                }
            }
            Some(set)
        };
        let languages = given(&selection.languages);
        let consented: HashSet<Uuid> = store::consents_for(conn, PURPOSE)
            .await?
            .iter()
            .filter(|c| crate::people::consent_covers(c, today))
            .map(|c| c.person_id)
            .collect();
        let mut audience = MailingAudience::default();
        let mut addressees = Vec::new();
        let mut addresses = HashSet::new();
        for p in store::live_persons(conn).await? {
            let spoken: Vec<String> = serde_json::from_str(&p.languages).unwrap_or_default();
            let matches = filtered
                && in_kind.as_ref().is_none_or(|s| s.contains(&p.id))
                && members.as_ref().is_none_or(|s| s.contains(&p.id))
                && (languages.is_empty() || spoken.iter().any(|l| languages.contains(&l.as_str())));
            if !matches && !picked.contains(&p.id) {
                continue;
            }
            audience.selected += 1;
            let person = Ref {
                id: p.id,
                name: person_name(&p),
            };
            let address = p.email.as_deref().map(str::trim).unwrap_or_default();
            let reason = if !consented.contains(&p.id) {
                Some("no-consent")
            } else if address.is_empty() {
                Some("no-email")
            } else if !addresses.insert(address.to_lowercase()) {
                Some("same-address")
            } else {
                None
            };
            if let Some(reason) = reason {
                *audience
                    .excluded_counts
                    .entry(reason.to_owned())
                    .or_insert(0) += 1;
                audience.excluded.push(Excluded {
                    person,
                    reason: reason.to_owned(),
                });
                continue;
            }
            let language = language_for(&spoken, &content);
            *audience.languages.entry(language.clone()).or_insert(0) += 1;
            audience.recipients.push(person.clone());
            addressees.push(Addressee {
                person,
                address: address.to_owned(),
                language,
            });
        }
        Ok((audience, addressees))
    }

    fn unsubscribe_url(&self, lang: &str, token: &str) -> String {
        format!("{}/portal/{lang}/unsubscribe/{token}", self.public_url())
    }

    /// Sends a draft to its audience: one message per recipient in the
    /// outbox. Refused without a recipient or without a mail server.
    pub async fn send_mailing(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
    ) -> Result<MailingDetail, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = crate::write::current(Some(self.live_mailing(id).await?), version)?;
        if current.sent_at.is_some() {
            return Err(Error::field("mailing", "mailing-sent"));
        }
        if !self.smtp_settings().await?.configured() {
            return Err(Error::field("smtp", "smtp-off"));
        }
        self.dispatch(actor, current, None).await?;
        self.get_mailing(actor, id).await
    }

    /// Queues the mailing's messages and marks it sent, in one
    /// transaction. `delivered`: the demo's archive, whose messages went
    /// out at that time (no mail server involved).
    pub(crate) async fn dispatch(
        &self,
        actor: &Actor,
        current: MailingRow,
        delivered: Option<DateTime<Utc>>,
    ) -> Result<(), Error> {
        let id = current.id;
        let (audience, addressees) = self.audience(&current).await?;
        if addressees.is_empty() {
            return Err(Error::field("selection", "mailing-no-recipients"));
        }
        let content = content_of(&current);
        let key = self.link_key().await?;
        let office = self.office().await?.name;
        let mut rows = Vec::with_capacity(addressees.len());
        for a in &addressees {
            let url = self.unsubscribe_url(&a.language, &token(&key, a.person.id));
            let (subject, text) = compose(&content, &a.language, &office, &url);
            let mut message = OutboxRow {
                mailing_id: Some(id),
                person_id: Some(a.person.id),
                unsubscribe_url: url,
                language: a.language.clone(),
                ..outbox::message(&a.address, &subject, &text)
            };
            if let Some(at) = delivered {
                message.status = "sent".into();
                message.attempts = 1;
                message.created_at = at;
                message.sent_at = Some(at);
            }
            rows.push(message);
        }
        let mut row = current.clone();
        row.sent_at = Some(delivered.unwrap_or_else(Utc::now));
        row.sent_by = actor.user_id;
        let tx = self.store.begin().await?;
        store::update_mailing(&tx, row).await?;
        store::enqueue_many(&tx, rows).await?;
        audit::record(
            &tx,
            actor,
            "mailing",
            id,
            "send",
            Some(audit_view(&current)),
            Some(serde_json::json!({
                "sent": true,
                "recipients": addressees.len(),
                "excluded": audience.excluded.len(),
            })),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }

    /// Sends the mailing in `lang` (German when it has no such version)
    /// to the signed-in staff member's own address, marked as a test.
    pub async fn test_mailing(
        &self,
        actor: &Actor,
        id: Uuid,
        lang: &str,
    ) -> Result<Delivery, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let user = msohub_store::users::find_user(self.store.conn(), actor.user()?)
            .await?
            .ok_or(Error::Forbidden)?;
        let row = self.live_mailing(id).await?;
        if !LANGUAGES.contains(&lang) {
            return Err(Error::field("language", "language-unknown"));
        }
        if !self.smtp_settings().await?.configured() {
            return Err(Error::field("smtp", "smtp-off"));
        }
        let content = content_of(&row);
        let lang = if content.subject.contains_key(lang) {
            lang
        } else {
            "de"
        };
        let office = self.office().await?.name;
        let (subject, text) = compose(&content, lang, &office, "");
        let message = OutboxRow {
            mailing_id: Some(id),
            language: lang.to_owned(),
            ..outbox::message(&user.email, &format!("[Test] {subject}"), &text)
        };
        let tx = self.store.begin().await?;
        outbox::enqueue(&tx, message.clone()).await?;
        audit::record(
            &tx,
            actor,
            "mailing",
            id,
            "test",
            None,
            Some(serde_json::json!({ "language": lang })),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(Delivery::from(message))
    }

    /// The person an unsubscribe link names (`NotFound` for a forged,
    /// malformed or erased one).
    async fn unsubscriber(&self, token: &str) -> Result<msohub_store::people::PersonRow, Error> {
        let (person, given) = decode(token).ok_or(Error::NotFound)?;
        let key = self.link_key().await?;
        mac_of(&key, person)
            .verify_truncated_left(&given)
            .map_err(|_| Error::NotFound)?;
        msohub_store::people::find_person(self.store.conn(), person)
            .await?
            .filter(|p| p.deleted_at.is_none())
            .ok_or(Error::NotFound)
    }

    async fn subscription_of(
        &self,
        person: &msohub_store::people::PersonRow,
    ) -> Result<Subscription, Error> {
        let today = crate::time::today();
        let subscribed = msohub_store::people::consents_of(self.store.conn(), person.id)
            .await?
            .iter()
            .any(|c| c.purpose == PURPOSE && crate::people::consent_covers(c, today));
        Ok(Subscription {
            address: person.email.clone().unwrap_or_default(),
            subscribed,
            office: self.office().await?.name,
        })
    }

    /// Whether the link's person still gets mailings (no account needed:
    /// the link is the key).
    pub async fn subscription(&self, token: &str) -> Result<Subscription, Error> {
        let person = self.unsubscriber(token).await?;
        self.subscription_of(&person).await
    }

    /// Ends the link's person's `mailings` consent today (withdrawn
    /// through "unsubscribe link") and gives up their mailings' messages
    /// still waiting. Doing it twice changes nothing more.
    pub async fn unsubscribe(
        &self,
        token: &str,
        ip: Option<String>,
    ) -> Result<Subscription, Error> {
        let person = self.unsubscriber(token).await?;
        // Passed to the audit log only.
        let actor = Actor::by_link(
            "Abmeldelink".to_owned(),
            person_name(&person),
            None,
            Some(person.id),
            ip,
        );
        let today = crate::time::today();
        let tx = self.store.begin().await?;
        let ended =
            store::withdraw_consents(&tx, person.id, PURPOSE, today, UNSUBSCRIBE_SOURCE).await?;
        let given_up = store::give_up_mailings_to(&tx, person.id, "unsubscribed").await?;
        if ended > 0 || given_up > 0 {
            audit::record(
                &tx,
                &actor,
                "person",
                person.id,
                "unsubscribe",
                None,
                Some(serde_json::json!({
                    "purpose": PURPOSE, "withdrawn_on": today,
                    "source": UNSUBSCRIBE_SOURCE, "messages_given_up": given_up,
                })),
            )
            .await?;
        }
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.subscription_of(&person).await
    }

    /// The unsubscribe link of a person (tests and the demo).
    pub async fn unsubscribe_link(&self, person: Uuid, lang: &str) -> Result<String, Error> {
        Ok(self.unsubscribe_url(lang, &token(&self.link_key().await?, person)))
    }
}

/// The HTML part of a mailing's message: the Markdown text as HTML (raw
/// HTML in it shown as text, not run), the footer as lines with its link
/// clickable, in the version's language and direction. No image, no
/// tracking, no style from elsewhere.
pub(crate) fn html_of(body: &str, lang: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, html};
    let (text, footer) = body.rsplit_once("\n\n-- \n").unwrap_or((body, ""));
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let events = Parser::new_ext(text, options).map(|e| match e {
        Event::Html(t) | Event::InlineHtml(t) => Event::Text(t),
        e => e,
    });
    let mut out = String::with_capacity(body.len() * 2);
    let dir = if lang == "ar" { "rtl" } else { "ltr" };
    let lang = if LANGUAGES.contains(&lang) {
        lang
    } else {
        "de"
    };
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\"></head><body>\n"
    ));
    html::push_html(&mut out, events);
    if !footer.trim().is_empty() {
        out.push_str("<hr>\n<p style=\"font-size:small\">");
        let lines: Vec<String> = footer
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let shown = msohub_exchange::document::xml_escape(l.trim());
                if l.trim().starts_with("https://") || l.trim().starts_with("http://") {
                    format!("<a href=\"{shown}\">{shown}</a>")
                } else {
                    shown
                }
            })
            .collect();
        out.push_str(&lines.join("<br>\n"));
        out.push_str("</p>\n");
    }
    out.push_str("</body></html>\n");
    out
}

/// JSON text of a stored document.
fn to_json<T: Serialize>(value: &T) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|e| Error::Internal(Box::new(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_names_its_person_and_a_forged_one_nothing() {
        let key = [7u8; 32];
        let person = Uuid::now_v7();
        let t = token(&key, person);
        let (p, given) = decode(&t).unwrap();
        assert_eq!(p, person);
        assert!(mac_of(&key, p).verify_truncated_left(&given).is_ok());
        let other = token(&key, Uuid::now_v7());
        let (_, wrong) = decode(&other).unwrap();
        assert!(mac_of(&key, p).verify_truncated_left(&wrong).is_err());
        assert!(decode("abc").is_none());
    }

    #[test]
    fn the_html_part_runs_nothing_and_links_the_footer() {
        let body = format!(
            "**Einladung** zum AK\n\n<script>alert(1)</script>{}",
            crate::portal::mails::mailing_footer(
                "ar",
                "KI",
                "https://ki.example/portal/ar/unsubscribe/x"
            )
        );
        let html = html_of(&body, "ar");
        assert!(html.contains("<strong>Einladung</strong>"));
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("lang=\"ar\" dir=\"rtl\""));
        assert!(html.contains(
            "<a href=\"https://ki.example/portal/ar/unsubscribe/x\">https://ki.example/portal/ar/unsubscribe/x</a>"
        ));
    }

    #[test]
    fn a_version_is_the_first_spoken_language_the_mailing_has() {
        let mut content = Content::default();
        content.subject.insert("de".into(), "Einladung".into());
        content.text.insert("de".into(), "Text".into());
        content.subject.insert("tr".into(), "Davet".into());
        content.text.insert("tr".into(), "Metin".into());
        let langs = |l: &[&str]| l.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(language_for(&langs(&["ar", "tr", "de"]), &content), "tr");
        assert_eq!(language_for(&langs(&["ar"]), &content), "de");
        assert_eq!(language_for(&[], &content), "de");
        assert_eq!(one_line(" Einladung\r\n zum\tAK \u{7}"), "Einladung zum AK");
    }
}
