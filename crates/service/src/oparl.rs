//! Import from a council information system through OParl 1.1: given the
//! system's URL and the name of an organisation (e.g. the Integrationsrat),
//! walk system → bodies → organisations, then mirror that organisation's
//! meetings (name, start, end, location, cancelled, state, agenda items),
//! following `links.next` and, after the first run, asking only for what
//! changed (`modified_since`). Imported meetings are read-only mirrors; the
//! office adds its own attendance and minutes. A malformed object is
//! skipped with a warning, a deleted one is deleted here too.

use crate::outbound::{Limits, Outbound, OutboundError};
use crate::{Actor, Error, FieldError, Services, Via, audit};
use chrono::{DateTime, Utc};
use msohub_domain::Permission;
use msohub_store::bodies::{self as store, BodyRow, MeetingRow};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

const KEY: &str = "oparl";
/// Pages followed at most per list (a guard against endless `next` loops).
const MAX_PAGES: usize = 500;

/// What to import, and when it last ran.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OparlConfig {
    /// The URL of the OParl System object.
    pub system_url: String,
    /// The organisation's name or short name (e.g. "Integrationsrat").
    pub organisation: String,
    /// When the last successful run started (the next asks for changes since).
    pub last_sync: Option<DateTime<Utc>>,
}

/// What a run did.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct OparlReport {
    pub body_id: Option<Uuid>,
    pub created: usize,
    pub updated: usize,
    pub deleted: usize,
    /// Objects skipped, with the reason.
    pub warnings: Vec<String>,
    /// Whether only changes since the last run were asked for.
    pub incremental: bool,
}

struct Client {
    http: Outbound,
}

impl Client {
    async fn get(&self, url: &str) -> Result<Value, Error> {
        self.http.get_json(url, &[]).await.map_err(|e| {
            tracing::warn!(%url, error = %e, "OParl request failed");
            Error::field("system_url", oparl_rule(&e))
        })
    }

    /// Every object of an external list, page after page.
    async fn list(&self, url: &str, since: Option<DateTime<Utc>>) -> Result<Vec<Value>, Error> {
        let mut next = Some(match since {
            Some(s) => with_param(
                url,
                "modified_since",
                &s.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ),
            None => url.to_owned(),
        });
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        while let Some(u) = next.take() {
            // A `next` link that leads back to a page already read (or an
            // endless list) ends the walk instead of looping.
            if !seen.insert(u.clone()) || seen.len() > MAX_PAGES {
                tracing::warn!(url = %u, "OParl list loops or is endless; stopped");
                break;
            }
            let page = self.get(&u).await?;
            if let Some(items) = page["data"].as_array() {
                out.extend(items.iter().cloned());
            }
            next = page["links"]["next"].as_str().map(str::to_owned);
        }
        Ok(out)
    }
}

/// The message a failed request gives: an internal address that is not
/// allowed, an answer too large, an answer that is not OParl, or no answer
/// (connection refused and timeout alike, so ports cannot be probed).
fn oparl_rule(e: &OutboundError) -> &'static str {
    match e {
        OutboundError::Refused => "outbound-refused",
        OutboundError::InvalidUrl => "url-invalid",
        OutboundError::TooLarge(_) => "oparl-too-large",
        OutboundError::NotJson => "oparl-invalid",
        OutboundError::TooManyRedirects | OutboundError::Unreachable | OutboundError::Status(_) => {
            "oparl-unreachable"
        }
    }
}

fn with_param(url: &str, key: &str, value: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            u.query_pairs_mut().append_pair(key, value);
            u.to_string()
        }
        Err(_) => url.to_owned(),
    }
}

fn fold(s: &str) -> String {
    msohub_domain::organisation::fold(s.trim())
}

/// A meeting of the OParl document, checked.
struct Incoming {
    oparl_id: String,
    title: String,
    starts_at: DateTime<Utc>,
    ends_at: Option<DateTime<Utc>>,
    place: String,
    status: &'static str,
    cancelled: bool,
    deleted: bool,
    agenda: Vec<(String, String, Option<String>)>,
}

fn parse_meeting(v: &Value) -> Result<Incoming, String> {
    let oparl_id = v["id"]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or("a meeting without id")?
        .to_owned();
    let deleted = v["deleted"].as_bool().unwrap_or(false);
    let time = |k: &str| {
        v[k].as_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.with_timezone(&Utc))
    };
    if deleted {
        return Ok(Incoming {
            oparl_id,
            title: String::new(),
            starts_at: Utc::now(),
            ends_at: None,
            place: String::new(),
            status: "cancelled",
            cancelled: false,
            deleted: true,
            agenda: Vec::new(),
        });
    }
    let starts_at = time("start").ok_or_else(|| format!("meeting {oparl_id}: no valid start"))?;
    let title = v["name"]
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("Sitzung")
        .chars()
        .take(200)
        .collect();
    let place = match &v["location"] {
        Value::Object(l) => l
            .get("description")
            .or_else(|| l.get("streetAddress"))
            .or_else(|| l.get("locality"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        _ => String::new(),
    };
    let cancelled = v["cancelled"].as_bool().unwrap_or(false);
    let state = fold(v["meetingState"].as_str().unwrap_or_default());
    let status = if cancelled {
        "cancelled"
    } else if state.contains("durchgefuhrt") || (state.is_empty() && starts_at < Utc::now()) {
        "held"
    } else if state.contains("eingeladen") {
        "invited"
    } else {
        "planned"
    };
    let agenda = v["agendaItem"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| {
            let name = a["name"].as_str()?.trim();
            let number = a["number"].as_str().unwrap_or_default().trim();
            let title = if number.is_empty() {
                name.to_owned()
            } else {
                format!("{number} {name}")
            };
            Some((
                title.chars().take(500).collect(),
                a["result"].as_str().unwrap_or_default().to_owned(),
                a["id"].as_str().map(str::to_owned),
            ))
        })
        .collect();
    Ok(Incoming {
        oparl_id,
        title,
        starts_at,
        ends_at: time("end"),
        place: place.chars().take(300).collect(),
        status,
        cancelled,
        deleted,
        agenda,
    })
}

impl Services {
    pub async fn oparl_config(&self, actor: &Actor) -> Result<OparlConfig, Error> {
        actor.require(Permission::ReadStaffArea)?;
        self.stored_oparl().await
    }

    async fn stored_oparl(&self) -> Result<OparlConfig, Error> {
        Ok(self
            .store
            .get_setting(KEY)
            .await?
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default())
    }

    /// Imports (or updates) the chosen organisation and its meetings. With
    /// `system_url`/`organisation` given they become the configuration;
    /// otherwise the stored ones are used. Only admins may name another
    /// system URL than the configured one (staff sync what an admin set);
    /// the operator at the command line may name any URL and reach any
    /// address.
    pub async fn oparl_sync(
        &self,
        actor: &Actor,
        system_url: Option<&str>,
        organisation: Option<&str>,
    ) -> Result<OparlReport, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let result = self.oparl_run(actor, system_url, organisation).await;
        // Every run leaves an entry in the import log (the audit log).
        let entry = match &result {
            Ok(r) => {
                serde_json::json!({"created": r.created, "updated": r.updated, "deleted": r.deleted, "skipped": r.warnings})
            }
            Err(e) => serde_json::json!({"failed": e.to_string()}),
        };
        let action = if result.is_ok() {
            "oparl_run"
        } else {
            "oparl_failed"
        };
        audit::record(
            self.store.conn(),
            actor,
            "oparl",
            "import",
            action,
            None,
            Some(entry),
        )
        .await?;
        result
    }

    async fn oparl_run(
        &self,
        actor: &Actor,
        system_url: Option<&str>,
        organisation: Option<&str>,
    ) -> Result<OparlReport, Error> {
        let mut config = self.stored_oparl().await?;
        let mut changed_target = false;
        let system_url = system_url.map(str::trim).filter(|u| !u.is_empty());
        if let Some(u) = system_url
            && u != config.system_url
            && !actor.can(Permission::ManageUsers)
        {
            return Err(Error::field("system_url", "oparl-url-admin-only"));
        }
        if let Some(u) = system_url {
            changed_target |= u != config.system_url;
            config.system_url = u.to_owned();
        }
        if let Some(o) = organisation.map(str::trim).filter(|o| !o.is_empty()) {
            changed_target |= o != config.organisation;
            config.organisation = o.to_owned();
        }
        let mut errors = Vec::new();
        if config.system_url.trim().is_empty() {
            errors.push(FieldError::new("system_url", "required"));
        } else if url::Url::parse(&config.system_url)
            .map_or(true, |u| !matches!(u.scheme(), "http" | "https"))
        {
            errors.push(FieldError::new("system_url", "url-invalid"));
        }
        if config.organisation.is_empty() {
            errors.push(FieldError::new("organisation", "required"));
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        if changed_target {
            config.last_sync = None;
        }
        let started = Utc::now();
        // The operator naming a URL at the command line is trusted with any
        // address; everything the server does on its own or for a user is
        // guarded.
        let http = if actor.via == Via::Cli && system_url.is_some() {
            Outbound::unrestricted(Limits::OPARL, "OParl import")
                .map_err(|e| Error::Internal(e.into()))?
        } else {
            self.outbound(Limits::OPARL, "OParl import").await?
        };
        let client = Client { http };
        let system = client.get(&config.system_url).await?;
        let bodies_url = system["body"]
            .as_str()
            .ok_or_else(|| Error::field("system_url", "oparl-invalid"))?;
        let wanted = fold(&config.organisation);
        let mut found: Option<Value> = None;
        'bodies: for body in client.list(bodies_url, None).await? {
            let Some(orgs_url) = body["organization"].as_str() else {
                continue;
            };
            for org in client.list(orgs_url, None).await? {
                let names = [org["name"].as_str(), org["shortName"].as_str()];
                let by_id = org["id"].as_str() == Some(config.organisation.as_str());
                if by_id || names.iter().flatten().any(|n| fold(n) == wanted) {
                    found = Some(org);
                    break 'bodies;
                }
            }
        }
        let org =
            found.ok_or_else(|| Error::field("organisation", "oparl-organisation-not-found"))?;
        let org_id = org["id"]
            .as_str()
            .ok_or_else(|| Error::field("organisation", "oparl-invalid"))?
            .to_owned();
        let org_name: String = org["name"]
            .as_str()
            .unwrap_or(&config.organisation)
            .chars()
            .take(200)
            .collect();
        let mut report = OparlReport {
            incremental: config.last_sync.is_some(),
            ..Default::default()
        };
        let conn = self.store.conn();
        // The body, created on the first run.
        let body = match store::find_body_by_oparl_id(conn, &org_id).await? {
            Some(b) => b,
            None => {
                let now = Utc::now();
                let classification = fold(org["classification"].as_str().unwrap_or_default());
                let row = BodyRow {
                    id: Uuid::now_v7(),
                    kind: if classification.contains("integration")
                        || wanted.contains("integration")
                    {
                        "integration_council".into()
                    } else {
                        "external_body".into()
                    },
                    name: org_name.clone(),
                    purpose: String::new(),
                    founded_on: org["startDate"].as_str().and_then(crate::time::parse_date),
                    dissolved_on: org["endDate"].as_str().and_then(crate::time::parse_date),
                    organiser_id: None,
                    is_public: true,
                    feed_secret_hash: None,
                    oparl_id: Some(org_id.clone()),
                    version: 1,
                    deleted_at: None,
                    created_at: now,
                    updated_at: now,
                };
                let tx = self.store.begin().await?;
                let row = store::insert_body(&tx, row).await?;
                audit::record(
                    &tx,
                    actor,
                    "body",
                    row.id,
                    "oparl_import",
                    None,
                    Some(serde_json::json!({"oparl_id": org_id, "name": org_name})),
                )
                .await?;
                tx.commit().await.map_err(msohub_store::Error::from)?;
                row
            }
        };
        report.body_id = Some(body.id);
        let meetings_url = org["meeting"]
            .as_str()
            .ok_or_else(|| Error::field("organisation", "oparl-invalid"))?;
        for raw in client.list(meetings_url, config.last_sync).await? {
            let incoming = match parse_meeting(&raw) {
                Ok(m) => m,
                Err(w) => {
                    tracing::warn!(warning = %w, "OParl object skipped");
                    report.warnings.push(w);
                    continue;
                }
            };
            let existing = store::find_meeting_by_oparl_id(conn, &incoming.oparl_id).await?;
            let tx = self.store.begin().await?;
            match (existing, incoming.deleted) {
                (None, true) => {}
                (Some(m), true) => {
                    if m.deleted_at.is_none() {
                        let mut gone = m.clone();
                        gone.deleted_at = Some(Utc::now());
                        store::update_meeting(&tx, gone).await?;
                        audit::record(&tx, actor, "meeting", m.id, "oparl_delete", None, None)
                            .await?;
                        report.deleted += 1;
                    }
                }
                (existing, false) => {
                    let now = Utc::now();
                    let row = MeetingRow {
                        id: existing.as_ref().map_or_else(Uuid::now_v7, |e| e.id),
                        body_id: body.id,
                        title: incoming.title,
                        starts_at: incoming.starts_at,
                        ends_at: incoming.ends_at,
                        mode: "in_person".into(),
                        place: incoming.place,
                        video_link: String::new(),
                        status: incoming.status.into(),
                        cancel_reason: if incoming.cancelled {
                            "abgesagt (laut Ratsinformationssystem)".into()
                        } else {
                            String::new()
                        },
                        // The office's own minutes stay.
                        minutes: existing
                            .as_ref()
                            .map(|e| e.minutes.clone())
                            .unwrap_or_default(),
                        minutes_status: existing
                            .as_ref()
                            .map_or_else(|| "draft".into(), |e| e.minutes_status.clone()),
                        oparl_id: Some(incoming.oparl_id),
                        sequence: existing.as_ref().map_or(0, |e| e.sequence),
                        version: existing.as_ref().map_or(1, |e| e.version),
                        deleted_at: None,
                        created_at: existing.as_ref().map_or(now, |e| e.created_at),
                        updated_at: now,
                    };
                    let id = row.id;
                    match existing {
                        Some(_) => {
                            store::update_meeting(&tx, row).await?;
                            report.updated += 1;
                        }
                        None => {
                            store::insert_meeting(&tx, row).await?;
                            report.created += 1;
                        }
                    }
                    store::set_agenda(&tx, id, &incoming.agenda).await?;
                    audit::record(&tx, actor, "meeting", id, "oparl_import", None, None).await?;
                }
            }
            tx.commit().await.map_err(msohub_store::Error::from)?;
        }
        config.last_sync = Some(started);
        msohub_store::settings::put(conn, KEY, &serde_json::json!(config)).await?;
        tracing::info!(
            created = report.created,
            updated = report.updated,
            deleted = report.deleted,
            skipped = report.warnings.len(),
            "OParl import done"
        );
        Ok(report)
    }

    /// The scheduled run: when configured and the last run is older than
    /// `every`.
    pub async fn oparl_scheduled(
        &self,
        every: chrono::Duration,
    ) -> Result<Option<OparlReport>, Error> {
        let config = self.stored_oparl().await?;
        if config.system_url.is_empty() || config.last_sync.is_some_and(|l| Utc::now() - l < every)
        {
            return Ok(None);
        }
        self.oparl_sync(&Actor::cli(), None, None).await.map(Some)
    }
}
