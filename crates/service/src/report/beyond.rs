//! What the office did beyond its targets, as records of their own.
//!
//! The report finds candidates in the records (events the office organised
//! and held in the period, bodies founded in it, staff memberships in
//! bodies during it — those a target measures or names as a substitute are
//! reported there); staff link further records explicitly (an event or a
//! membership just outside the period, with its real date) and type free
//! items. Every item can be reworded, moved to another project, reordered
//! or hidden. A found candidate is stored only once staff change it: its id
//! is derived from the period and the record, so the stored row and the
//! candidate are the same item.
//!
//! The generated sentences read as a person writes them: a subject (the
//! office, or the staff member by name or anonymously by role), a verb,
//! the record, the external organisation and the real date — "Eine
//! Mitarbeiterin des KI organisierte die Veranstaltung „…“ (Oktober 2021)."

use super::wording::quote;
use super::*;
use crate::FieldError;
use chrono::NaiveDate;
use msohub_store::projects::{self as pstore, BeyondRow};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// The kinds of item: typed by staff, or a record.
pub const BEYOND_KINDS: &[&str] = &["free", "event", "membership", "body"];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct BeyondItem {
    pub id: Uuid,
    pub period_id: Uuid,
    pub project_id: Uuid,
    /// free, event, membership, body
    pub kind: String,
    /// The event, membership or body (none for free items).
    pub record_id: Option<Uuid>,
    /// The record's name (event title, body name), for the staff's list.
    pub record_name: String,
    /// The record's page.
    pub href: String,
    /// The staff member the sentence is about.
    pub user: Option<crate::interactions::Ref>,
    /// What the report says: the staff's wording, else the generated one.
    pub text: String,
    /// The generated sentence (empty for free items).
    pub generated: String,
    /// The staff reworded it.
    pub edited: bool,
    pub hidden: bool,
    /// The record's date, or the date staff gave a free item.
    pub date: Option<NaiveDate>,
    pub position: i32,
    /// Linked or typed by staff (not found by the report).
    pub added: bool,
    /// 0 while the item is a found candidate nobody changed yet.
    pub version: i32,
}

/// A new item (`text` for a free one, or `record_type` and `record_id`),
/// or a change of one: absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct BeyondInput {
    /// The wording; for a linked or found record empty means the
    /// generated sentence.
    pub text: Option<String>,
    /// event, membership or body (to link a record).
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    /// The project (chapter); empty: the first project.
    pub project_id: Option<String>,
    /// The staff member the sentence names; empty: the office.
    pub user_id: Option<String>,
    /// YYYY-MM-DD, for free items (ordering and the list).
    pub date: Option<String>,
    pub hidden: Option<bool>,
    pub position: Option<i32>,
    /// As read (0 for a found candidate not stored yet).
    pub version: i32,
}

/// A record the report found or staff linked, before wording.
#[derive(Debug, Clone)]
struct Fact {
    kind: &'static str,
    record_id: Uuid,
    name: String,
    href: String,
    date: Option<NaiveDate>,
    /// The staff member the record is about (a membership's member).
    user: Option<Uuid>,
    what: What,
}

#[derive(Debug, Clone)]
enum What {
    Event {
        title: String,
        on: NaiveDate,
        with: Vec<String>,
    },
    Membership {
        body: String,
        host: Option<String>,
        role: String,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
    Body {
        name: String,
        founded: NaiveDate,
    },
}

/// The stable id of a record's item in a period.
pub(super) fn item_id(period: Uuid, kind: &str, record: Uuid) -> Uuid {
    let hash = Sha256::digest(format!("beyond|{period}|{kind}|{record}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&hash[..16]);
    Uuid::new_v8(bytes)
}

/// Who a sentence is about, as the report's setting says: by name, or by
/// role ("eine Mitarbeiterin des KI"; "diese Mitarbeiterin des KI" when
/// the chapter named her before).
pub(super) struct Namer {
    pub lang: Lang,
    pub named: bool,
    pub users: HashMap<Uuid, (String, String)>,
    pub seen: HashSet<Uuid>,
}

impl Namer {
    fn subject(&mut self, user: Option<Uuid>) -> String {
        let lang = self.lang;
        let Some(u) = user else {
            return lang.t("Das KI", "The office").to_owned();
        };
        let (name, form) = self.users.get(&u).cloned().unwrap_or_default();
        if self.named && !name.is_empty() {
            return name;
        }
        let again = !self.seen.insert(u);
        match (lang, form.as_str(), again) {
            (Lang::De, "f", false) => "Eine Mitarbeiterin des KI",
            (Lang::De, "f", true) => "Diese Mitarbeiterin des KI",
            (Lang::De, "m", false) => "Ein Mitarbeiter des KI",
            (Lang::De, "m", true) => "Dieser Mitarbeiter des KI",
            (Lang::De, _, false) => "Eine Person aus dem KI-Team",
            (Lang::De, _, true) => "Diese Person aus dem KI-Team",
            (Lang::En, _, false) => "A member of the office's staff",
            (Lang::En, _, true) => "The same member of staff",
        }
        .to_owned()
    }

    fn role(&self, role: &str, user: Option<Uuid>) -> &'static str {
        let form = user
            .and_then(|u| self.users.get(&u))
            .map(|(_, f)| f.as_str())
            .unwrap_or("");
        match (self.lang, role, form) {
            (Lang::De, "chair", "f") => "Vorsitzende",
            (Lang::De, "chair", "m") => "Vorsitzender",
            (Lang::De, "chair", _) => "im Vorsitz",
            (Lang::De, "deputy", _) => "stellvertretendes Mitglied",
            (Lang::De, "guest", _) => "Gast",
            (Lang::De, _, _) => "Mitglied",
            (Lang::En, "chair", _) => "chair",
            (Lang::En, "deputy", _) => "a deputy member",
            (Lang::En, "guest", _) => "a guest",
            (Lang::En, _, _) => "a member",
        }
    }

    /// The sentence for a record, as a person would write it.
    fn sentence(&mut self, fact: &Fact, user: Option<Uuid>, period: &Period) -> String {
        let lang = self.lang;
        let subject = self.subject(user);
        match &fact.what {
            What::Event { title, on, with } => {
                let with = match (lang, with.is_empty()) {
                    (_, true) => String::new(),
                    (Lang::De, false) => format!(" gemeinsam mit {}", with.join(", ")),
                    (Lang::En, false) => format!(" together with {}", with.join(", ")),
                };
                match lang {
                    Lang::De => format!(
                        "{subject} organisierte die Veranstaltung {}{with} ({}).",
                        quote(title, lang),
                        lang.month(*on)
                    ),
                    Lang::En => format!(
                        "{subject} organised the event {}{with} ({}).",
                        quote(title, lang),
                        lang.month(*on)
                    ),
                }
            }
            What::Membership {
                body,
                host,
                role,
                from,
                to,
            } => {
                let role = self.role(role, user);
                let host = host.as_ref().map(|h| format!(" ({h})")).unwrap_or_default();
                let year_end = |d: &NaiveDate| d.month() == 12 && d.day() == 31;
                let when = match (to, from) {
                    (Some(t), _) if *t <= period.ends_on && year_end(t) => match lang {
                        Lang::De => format!(" bis Ende {}", t.year()),
                        Lang::En => format!(" until the end of {}", t.year()),
                    },
                    (Some(t), _) if *t <= period.ends_on => match lang {
                        Lang::De => format!(" bis zum {}", lang.day(*t)),
                        Lang::En => format!(" until {}", lang.day(*t)),
                    },
                    (_, Some(f)) if *f >= period.starts_on => match lang {
                        Lang::De => format!(" seit dem {}", lang.day(*f)),
                        Lang::En => format!(" from {}", lang.day(*f)),
                    },
                    _ => String::new(),
                };
                match (lang, role) {
                    (Lang::De, "im Vorsitz") => format!(
                        "{subject} führte{when} den Vorsitz des Gremiums {}{host}.",
                        quote(body, lang)
                    ),
                    (Lang::De, _) => format!(
                        "{subject} war{when} {role} des Gremiums {}{host}.",
                        quote(body, lang)
                    ),
                    (Lang::En, _) => {
                        format!("{subject} was {role} of {}{host}{when}.", quote(body, lang))
                    }
                }
            }
            What::Body { name, founded } => match lang {
                Lang::De => format!(
                    "Am {} wurde das Gremium {} gegründet.",
                    lang.day(*founded),
                    quote(name, lang)
                ),
                Lang::En => format!(
                    "The body {} was founded on {}.",
                    quote(name, lang),
                    lang.day(*founded)
                ),
            },
        }
    }
}

impl Services {
    /// The records a target measures or names as a substitute: reported
    /// with the target, not beyond it.
    pub(super) fn target_records(targets: &[Target]) -> HashSet<Uuid> {
        targets
            .iter()
            .filter_map(|t| t.params.body_id)
            .chain(
                targets
                    .iter()
                    .flat_map(|t| t.substitutes.iter().map(|s| s.id)),
            )
            .collect()
    }

    /// What the report finds beyond the targets in the period.
    async fn found_facts(
        &self,
        actor: &Actor,
        period: &Period,
        targets: &[Target],
    ) -> Result<Vec<Fact>, Error> {
        let conn = self.store.conn();
        let linked = Self::target_records(targets);
        let mut facts = Vec::new();
        for b in msohub_store::bodies::list_bodies(conn, false).await? {
            if linked.contains(&b.id) {
                continue;
            }
            if b.founded_on
                .is_some_and(|f| f >= period.starts_on && f <= period.ends_on)
                && let Some(f) = self.fact(actor, "body", b.id).await?
            {
                facts.push(f);
            }
            for m in msohub_store::bodies::memberships_of_body(conn, b.id).await? {
                let overlaps = m.from_date.is_none_or(|f| f <= period.ends_on)
                    && m.to_date.is_none_or(|t| t >= period.starts_on);
                if m.user_id.is_some()
                    && overlaps
                    && let Some(f) = self.fact(actor, "membership", m.id).await?
                {
                    facts.push(f);
                }
            }
        }
        if let Some(office_org) = self.office_organisation().await? {
            let q = crate::events::EventQuery {
                status: Some("held".into()),
                organisation: Some(office_org),
                from: Some(period.starts_on),
                to: Some(period.ends_on),
                ascending: true,
                ..Default::default()
            };
            let (events, _) = self.list_events(actor, &q, 0, 1_000).await?;
            for e in events.iter().filter(|e| !linked.contains(&e.id)) {
                if let Some(f) = self.fact(actor, "event", e.id).await? {
                    facts.push(f);
                }
            }
        }
        Ok(facts)
    }

    /// A record as an item's fact; `None` when it is gone.
    async fn fact(&self, actor: &Actor, kind: &str, id: Uuid) -> Result<Option<Fact>, Error> {
        let conn = self.store.conn();
        Ok(match kind {
            "event" => {
                let e = match self.get_event(actor, id).await {
                    Ok(e) if !e.deleted => e,
                    Ok(_) | Err(Error::NotFound) => return Ok(None),
                    Err(e) => return Err(e),
                };
                let office = self.office_organisation().await?;
                let on = e
                    .starts_at
                    .with_timezone(&chrono_tz::Europe::Berlin)
                    .date_naive();
                Some(Fact {
                    kind: "event",
                    record_id: id,
                    name: e.title.clone(),
                    href: format!("/app/events/{id}"),
                    date: Some(on),
                    user: None,
                    what: What::Event {
                        title: e.title,
                        on,
                        with: e
                            .organisers
                            .into_iter()
                            .filter(|o| Some(o.id) != office)
                            .map(|o| o.name)
                            .collect(),
                    },
                })
            }
            "membership" => {
                let Some(m) = msohub_store::bodies::find_membership(conn, id).await? else {
                    return Ok(None);
                };
                let Some(b) = msohub_store::bodies::find_body(conn, m.body_id).await? else {
                    return Ok(None);
                };
                let host = match b.organiser_id {
                    Some(o) => msohub_store::organisations::names(conn, &[o])
                        .await?
                        .remove(&o),
                    None => None,
                };
                Some(Fact {
                    kind: "membership",
                    record_id: id,
                    name: b.name.clone(),
                    href: format!("/app/bodies/{}", b.id),
                    date: m.to_date.or(m.from_date),
                    user: m.user_id,
                    what: What::Membership {
                        body: b.name,
                        host,
                        role: m.role,
                        from: m.from_date,
                        to: m.to_date,
                    },
                })
            }
            "body" => {
                let Some(b) = msohub_store::bodies::find_body(conn, id).await? else {
                    return Ok(None);
                };
                let Some(founded) = b.founded_on else {
                    return Ok(None);
                };
                Some(Fact {
                    kind: "body",
                    record_id: id,
                    name: b.name.clone(),
                    href: format!("/app/bodies/{id}"),
                    date: Some(founded),
                    user: None,
                    what: What::Body {
                        name: b.name,
                        founded,
                    },
                })
            }
            _ => None,
        })
    }

    /// Staff names and forms of address, for the sentences.
    async fn staff_names(&self) -> Result<HashMap<Uuid, (String, String)>, Error> {
        Ok(msohub_store::users::list_users(self.store.conn())
            .await?
            .into_iter()
            .map(|u| (u.id, (u.display_name, u.form_of_address)))
            .collect())
    }

    /// The period's items beyond the targets, in the report's order (by
    /// project, then position and date), worded in `lang`.
    pub(super) async fn beyond_of(
        &self,
        actor: &Actor,
        period: &Period,
        targets: &[Target],
        named: bool,
        lang: Lang,
    ) -> Result<Vec<BeyondItem>, Error> {
        let conn = self.store.conn();
        let projects = self.all_projects().await?;
        let default_project = projects.first().map(|p| p.id).unwrap_or_default();
        let rows = pstore::beyond_items(conn, period.id).await?;
        let mut by_id: HashMap<Uuid, BeyondRow> = rows.iter().map(|r| (r.id, r.clone())).collect();
        // (fact, stored row, found by the report)
        let mut pairs: Vec<(Option<Fact>, Option<BeyondRow>, bool)> = Vec::new();
        for f in self.found_facts(actor, period, targets).await? {
            let id = item_id(period.id, f.kind, f.record_id);
            let row = by_id.remove(&id);
            pairs.push((Some(f), row, true));
        }
        for r in rows {
            if by_id.remove(&r.id).is_none() {
                continue;
            }
            let fact = match r.record_id {
                Some(rec) => self.fact(actor, &r.kind, rec).await?,
                None => None,
            };
            if r.kind != "free" && fact.is_none() && r.text.is_empty() {
                // The record is gone and nothing was typed: nothing to say.
                continue;
            }
            pairs.push((fact, Some(r), false));
        }
        let mut items: Vec<(BeyondItem, Option<Fact>)> = Vec::with_capacity(pairs.len());
        for (i, (fact, row, found)) in pairs.into_iter().enumerate() {
            let id = match (&row, &fact) {
                (Some(r), _) => r.id,
                (None, Some(f)) => item_id(period.id, f.kind, f.record_id),
                (None, None) => continue,
            };
            let kind = match (&row, &fact) {
                (Some(r), _) => r.kind.clone(),
                (None, Some(f)) => f.kind.to_owned(),
                (None, None) => continue,
            };
            let user = match &row {
                Some(r) => r.user_id,
                None => fact.as_ref().and_then(|f| f.user),
            };
            let item = BeyondItem {
                id,
                period_id: period.id,
                project_id: row.as_ref().map_or(default_project, |r| r.project_id),
                kind,
                record_id: fact.as_ref().map(|f| f.record_id),
                record_name: fact.as_ref().map(|f| f.name.clone()).unwrap_or_default(),
                href: fact.as_ref().map(|f| f.href.clone()).unwrap_or_default(),
                user: user.map(|id| crate::interactions::Ref {
                    id,
                    name: String::new(),
                }),
                text: row.as_ref().map(|r| r.text.clone()).unwrap_or_default(),
                generated: String::new(),
                edited: row.as_ref().is_some_and(|r| !r.text.is_empty()),
                hidden: row.as_ref().is_some_and(|r| r.hidden),
                date: row
                    .as_ref()
                    .and_then(|r| r.happened_on)
                    .or_else(|| fact.as_ref().and_then(|f| f.date)),
                position: row
                    .as_ref()
                    .map_or(1_000_000 + i32::try_from(i).unwrap_or(0), |r| r.position),
                added: !found,
                version: row.as_ref().map_or(0, |r| r.version),
            };
            items.push((item, fact));
        }
        let order: HashMap<Uuid, usize> = projects
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id, i))
            .collect();
        items.sort_by(|(a, _), (b, _)| {
            (order.get(&a.project_id), a.position, a.date).cmp(&(
                order.get(&b.project_id),
                b.position,
                b.date,
            ))
        });
        let users = self.staff_names().await?;
        let mut namer = Namer {
            lang,
            named,
            users,
            seen: HashSet::new(),
        };
        let mut project = None;
        let mut out = Vec::with_capacity(items.len());
        for (mut item, fact) in items {
            if project != Some(item.project_id) {
                project = Some(item.project_id);
                namer.seen.clear();
            }
            if let Some(u) = item.user.as_mut() {
                u.name = namer
                    .users
                    .get(&u.id)
                    .map(|(n, _)| n.clone())
                    .unwrap_or_default();
            }
            if let Some(f) = &fact {
                if item.hidden {
                    // Hidden items do not count as a first mention.
                    let seen = namer.seen.clone();
                    item.generated = namer.sentence(f, item.user.as_ref().map(|u| u.id), period);
                    namer.seen = seen;
                } else {
                    item.generated = namer.sentence(f, item.user.as_ref().map(|u| u.id), period);
                }
            }
            if item.text.is_empty() {
                item.text = item.generated.clone();
            }
            out.push(item);
        }
        Ok(out)
    }

    /// The period's items beyond the targets (for the staff's list).
    pub async fn beyond_items(
        &self,
        actor: &Actor,
        period_id: Uuid,
        lang: Lang,
    ) -> Result<Vec<BeyondItem>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let period = self.get_period(actor, period_id).await?;
        let targets = self.targets(actor, period_id).await?;
        let texts = self.texts(period_id).await?;
        self.beyond_of(actor, &period, &targets, texts.staff_names == "named", lang)
            .await
    }

    async fn beyond_item(
        &self,
        actor: &Actor,
        period_id: Uuid,
        id: Uuid,
    ) -> Result<BeyondItem, Error> {
        self.beyond_items(actor, period_id, Lang::De)
            .await?
            .into_iter()
            .find(|i| i.id == id)
            .ok_or(Error::NotFound)
    }

    /// Checks an input's fields and applies them to `row`.
    async fn apply_beyond(&self, row: &mut BeyondRow, input: &BeyondInput) -> Result<(), Error> {
        let conn = self.store.conn();
        let mut errors = Vec::new();
        if let Some(text) = &input.text {
            let text = text.trim();
            if text.chars().count() > 2_000 {
                errors.push(FieldError::new("text", "too-long"));
            } else if msohub_domain::organisation::is_blank(text) && row.kind == "free" {
                errors.push(FieldError::new("text", "required"));
            }
            row.text = text.to_owned();
        }
        if let Some(p) = &input.project_id {
            match p.trim() {
                "" => row.project_id = self.default_project().await?,
                raw => match raw.parse::<Uuid>() {
                    Ok(id) if pstore::find_project(conn, id).await?.is_some() => {
                        row.project_id = id
                    }
                    _ => errors.push(FieldError::new("project_id", "project-unknown")),
                },
            }
        }
        if let Some(u) = &input.user_id {
            match u.trim() {
                "" => row.user_id = None,
                raw => match raw.parse::<Uuid>() {
                    Ok(id)
                        if msohub_store::users::find_user(conn, id)
                            .await?
                            .is_some_and(|u| u.role != "representative") =>
                    {
                        row.user_id = Some(id)
                    }
                    _ => errors.push(FieldError::new("user_id", "user-unknown")),
                },
            }
        }
        if let Some(d) = &input.date {
            match d.trim() {
                "" => row.happened_on = None,
                raw => match time::parse_date(raw) {
                    Some(d) => row.happened_on = Some(d),
                    None => errors.push(FieldError::new("date", "date-invalid")),
                },
            }
        }
        if let Some(h) = input.hidden {
            row.hidden = h;
        }
        if let Some(p) = input.position {
            if !(0..=1_000_000).contains(&p) {
                errors.push(FieldError::new("position", "number-invalid"));
            }
            row.position = p;
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(errors))
        }
    }

    /// Adds a free item (`text`) or links a record (`record_type`,
    /// `record_id`), e.g. an event just after the period.
    pub async fn create_beyond(
        &self,
        actor: &Actor,
        period_id: Uuid,
        input: &BeyondInput,
    ) -> Result<BeyondItem, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let conn = self.store.conn();
        store::find_period(conn, period_id)
            .await?
            .ok_or(Error::NotFound)?;
        let kind = match input.record_type.as_deref().map(str::trim) {
            None | Some("") | Some("free") => "free",
            Some(k @ ("event" | "membership" | "body")) => k,
            Some(_) => return Err(Error::field("record_type", "choice-unknown")),
        };
        let record = if kind == "free" {
            None
        } else {
            let id = input
                .record_id
                .as_deref()
                .and_then(|r| r.trim().parse::<Uuid>().ok())
                .ok_or_else(|| Error::field("record_id", "required"))?;
            let Some(fact) = self.fact(actor, kind, id).await? else {
                return Err(Error::field("record_id", "record-unknown"));
            };
            Some(fact)
        };
        if kind == "free"
            && input
                .text
                .as_deref()
                .is_none_or(msohub_domain::organisation::is_blank)
        {
            return Err(Error::field("text", "required"));
        }
        let id = match &record {
            Some(f) => item_id(period_id, f.kind, f.record_id),
            None => Uuid::now_v7(),
        };
        if pstore::find_beyond(conn, id).await?.is_some()
            || self
                .beyond_items(actor, period_id, Lang::De)
                .await?
                .iter()
                .any(|i| i.id == id)
        {
            return Err(Error::field("record_id", "already-linked"));
        }
        let position = pstore::beyond_items(conn, period_id)
            .await?
            .iter()
            .map(|r| r.position + 1)
            .filter(|p| *p < 1_000_000)
            .max()
            .unwrap_or(0);
        let now = Utc::now();
        let mut row = BeyondRow {
            id,
            period_id,
            project_id: self.default_project().await?,
            kind: kind.to_owned(),
            record_id: record.as_ref().map(|f| f.record_id),
            user_id: record.as_ref().and_then(|f| f.user),
            text: String::new(),
            hidden: false,
            position,
            happened_on: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        self.apply_beyond(&mut row, input).await?;
        self.write_audited(
            actor,
            "beyond_item",
            "create",
            None,
            async |tx| Ok(pstore::insert_beyond(tx, row).await?),
            |r| (r.id, Some(serde_json::json!(r))),
        )
        .await?;
        self.beyond_item(actor, period_id, id).await
    }

    /// Changes an item: its wording, project, staff member, date, hidden,
    /// position. A found candidate is stored with the change.
    pub async fn update_beyond(
        &self,
        actor: &Actor,
        period_id: Uuid,
        id: Uuid,
        input: &BeyondInput,
    ) -> Result<BeyondItem, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let conn = self.store.conn();
        let current = self.beyond_item(actor, period_id, id).await?;
        if current.version != input.version {
            return Err(Error::stale());
        }
        let stored = pstore::find_beyond(conn, id).await?;
        // The row written back is the one read now: it must still be the
        // version checked above (0: not stored yet), or a change saved in
        // between would be overwritten.
        if stored.as_ref().map_or(0, |r| r.version) != input.version {
            return Err(Error::stale());
        }
        let mut row = match &stored {
            Some(r) => r.clone(),
            None => {
                let now = Utc::now();
                BeyondRow {
                    id,
                    period_id,
                    project_id: current.project_id,
                    kind: current.kind.clone(),
                    record_id: current.record_id,
                    user_id: current.user.as_ref().map(|u| u.id),
                    text: String::new(),
                    hidden: false,
                    position: current.position,
                    happened_on: None,
                    version: 1,
                    created_at: now,
                    updated_at: now,
                }
            }
        };
        self.apply_beyond(&mut row, input).await?;
        let before = stored.as_ref().map(|r| serde_json::json!(r));
        self.write_audited(
            actor,
            "beyond_item",
            "update",
            before,
            async |tx| match stored {
                Some(_) => Ok(pstore::update_beyond(tx, row).await?),
                None => Ok(pstore::insert_beyond(tx, row).await?),
            },
            |r| (r.id, Some(serde_json::json!(r))),
        )
        .await?;
        self.beyond_item(actor, period_id, id).await
    }

    /// Deletes a free or linked item; an item the report found returns to
    /// what the report generates once staff changed it (its stored changes
    /// go), and is refused (`beyond-found`) while nobody did: hide it to
    /// leave it out.
    pub async fn delete_beyond(
        &self,
        actor: &Actor,
        period_id: Uuid,
        id: Uuid,
        version: i32,
    ) -> Result<(), Error> {
        actor.require(Permission::WriteStaffArea)?;
        let current = self.beyond_item(actor, period_id, id).await?;
        if current.version == 0 {
            return Err(Error::field("id", "beyond-found"));
        }
        if current.version != version {
            return Err(Error::stale());
        }
        let row = pstore::find_beyond(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        self.write_audited(
            actor,
            "beyond_item",
            "delete",
            Some(serde_json::json!(row)),
            async |tx| Ok(pstore::delete_beyond(tx, id).await?),
            |_| (id, None),
        )
        .await
    }

    /// Moves an item one place up or down within its project's list.
    pub async fn move_beyond(
        &self,
        actor: &Actor,
        period_id: Uuid,
        id: Uuid,
        up: bool,
    ) -> Result<(), Error> {
        actor.require(Permission::WriteStaffArea)?;
        let items = self.beyond_items(actor, period_id, Lang::De).await?;
        let item = items.iter().find(|i| i.id == id).ok_or(Error::NotFound)?;
        let mut list: Vec<&BeyondItem> = items
            .iter()
            .filter(|i| i.project_id == item.project_id)
            .collect();
        let Some(at) = list.iter().position(|i| i.id == id) else {
            return Err(Error::NotFound);
        };
        let other = if up { at.checked_sub(1) } else { Some(at + 1) };
        let Some(other) = other.filter(|o| *o < list.len()) else {
            return Ok(());
        };
        list.swap(at, other);
        let conn = self.store.conn();
        let tx = self.store.begin().await?;
        for (pos, i) in list.iter().enumerate() {
            let position = i32::try_from(pos).unwrap_or(0);
            match pstore::find_beyond(conn, i.id).await? {
                Some(mut r) if r.position != position => {
                    r.position = position;
                    pstore::update_beyond(&tx, r).await?;
                }
                Some(_) => {}
                None => {
                    let now = Utc::now();
                    pstore::insert_beyond(
                        &tx,
                        BeyondRow {
                            id: i.id,
                            period_id,
                            project_id: i.project_id,
                            kind: i.kind.clone(),
                            record_id: i.record_id,
                            user_id: i.user.as_ref().map(|u| u.id),
                            text: String::new(),
                            hidden: i.hidden,
                            position,
                            happened_on: None,
                            version: 1,
                            created_at: now,
                            updated_at: now,
                        },
                    )
                    .await?;
                }
            }
        }
        audit::record(
            &tx,
            actor,
            "beyond_item",
            id,
            if up { "move_up" } else { "move_down" },
            None,
            None,
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }
}
