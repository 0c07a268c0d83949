//! Proposals: a representative's change to their organisation's profile,
//! offers and events, or to their own contact details. It waits for staff
//! (accept, accept with edits, reject with a message) unless the
//! organisation is trusted, when it is published at once and waits only to
//! be seen.
//!
//! Invariants:
//! - the live record and the public directory change only when a proposal
//!   is accepted (or published for a trusted organisation), through the
//!   same use cases and validation staff use, and the audit log names who
//!   proposed and who decided;
//! - a proposal stores the fields it changes and their values as they were
//!   (`before`); when a field changed on the live record since, accepting
//!   refuses (409) unless staff confirm — nothing is overwritten silently;
//! - representatives propose only the fields listed here: never internal
//!   notes, never another organisation's record.

mod review;

use super::mails;
use crate::events::EventInput;
use crate::interactions::Ref;
use crate::offers::OfferInput;
use crate::organisations::OrganisationInput;
use crate::people::PersonInput;
use crate::{Actor, Error, FieldError, Services, audit};
use chrono::{DateTime, Utc};
use msohub_domain::Permission;
use msohub_store::portal::{self as store, ProposalFilter, ProposalRow};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

/// What a proposal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Entity {
    Organisation,
    Offer,
    Event,
    Person,
}

impl Entity {
    pub fn code(self) -> &'static str {
        match self {
            Entity::Organisation => "organisation",
            Entity::Offer => "offer",
            Entity::Event => "event",
            Entity::Person => "person",
        }
    }

    fn parse(code: &str) -> Option<Entity> {
        [
            Entity::Organisation,
            Entity::Offer,
            Entity::Event,
            Entity::Person,
        ]
        .into_iter()
        .find(|e| e.code() == code)
    }

    /// The fields a representative may change.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Entity::Organisation => &[
                "name",
                "alternate_names",
                "kind",
                "legal_status",
                "register_court",
                "register_number",
                "founding_year",
                "member_count",
                "origins",
                "languages",
                "topics",
                "target_groups",
                "street",
                "postcode",
                "city",
                "district",
                "latitude",
                "longitude",
                "website",
                "email",
                "phone",
                "description",
                "is_public",
                "public_parts",
            ],
            Entity::Offer => &[
                "title",
                "description",
                "category",
                "target_groups",
                "age_min",
                "age_max",
                "languages",
                "cost_kind",
                "cost_text",
                "registration_required",
                "registration_how",
                "accessibility",
                "location_kind",
                "street",
                "postcode",
                "city",
                "online_link",
                "schedule_rrule",
                "schedule_text",
                "starts_time",
                "ends_time",
                "valid_from",
                "valid_to",
                "status",
                "is_public",
                "translations",
            ],
            Entity::Event => &[
                "title",
                "description",
                "category",
                "starts_at",
                "ends_at",
                "mode",
                "place",
                "online_link",
                "registration_link",
                "languages",
                "status",
                "cancel_reason",
                "is_public",
                "organisers",
                "translations",
            ],
            Entity::Person => &["given_name", "family_name", "email", "phone", "languages"],
        }
    }
}

/// A proposal as staff and its representative see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Proposal {
    pub id: Uuid,
    pub entity: Entity,
    /// create, update, end (an offer), cancel (an event)
    pub action: String,
    /// The record changed (for a created one: once accepted).
    pub record_id: Option<Uuid>,
    pub organisation: Ref,
    /// What it is about, in words ("Sprachcafé", the organisation's name).
    pub label: String,
    /// pending, accepted, rejected, published (a trusted organisation's,
    /// live already, to be seen by staff)
    pub status: String,
    /// The proposed values of the fields it changes.
    #[schema(value_type = Object)]
    pub changes: Value,
    /// The same fields' values when it was proposed.
    #[schema(value_type = Object)]
    pub before: Value,
    /// The same fields' values now (staff only; `null` for a new record).
    #[schema(value_type = Option<Object>)]
    pub current: Option<Value>,
    /// Fields changed on the live record since it was proposed.
    pub conflicts: Vec<String>,
    /// The office's message with its decision.
    pub message: String,
    pub proposed_by: Option<Ref>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

/// The live state of a record, as an input: its fields, version, owner and
/// name.
struct Live {
    input: Map<String, Value>,
    version: i32,
    organisation: Uuid,
    label: String,
}

fn to_map<T: Serialize>(v: &T) -> Result<Map<String, Value>, Error> {
    match serde_json::to_value(v).map_err(|e| Error::Internal(Box::new(e)))? {
        Value::Object(m) => Ok(m),
        _ => Err(Error::Internal("an input is not an object".into())),
    }
}

fn from_map<T: for<'de> Deserialize<'de>>(m: Map<String, Value>) -> Result<T, Error> {
    serde_json::from_value(Value::Object(m))
        .map_err(|e| Error::field("body", &format!("invalid: {e}")))
}

/// The fields of `proposed` (only those a representative may change) that
/// differ from `live`: (changes, before).
fn diff(
    entity: Entity,
    live: &Map<String, Value>,
    proposed: &Map<String, Value>,
) -> (Map<String, Value>, Map<String, Value>) {
    let mut changes = Map::new();
    let mut before = Map::new();
    for field in entity.fields() {
        let new = proposed.get(*field).cloned().unwrap_or(Value::Null);
        let old = live.get(*field).cloned().unwrap_or(Value::Null);
        if new != old {
            changes.insert((*field).to_owned(), new);
            before.insert((*field).to_owned(), old);
        }
    }
    (changes, before)
}

impl Services {
    /// The live record of a kind, read for the portal or the review.
    async fn live(&self, entity: Entity, id: Uuid) -> Result<Live, Error> {
        let cli = Actor::cli();
        match entity {
            Entity::Organisation => {
                let o = self.get_organisation(&cli, id).await?;
                if o.deleted {
                    return Err(Error::NotFound);
                }
                Ok(Live {
                    input: to_map(&o.to_input())?,
                    version: o.version,
                    organisation: o.id,
                    label: o.name,
                })
            }
            Entity::Offer => {
                let o = self.get_offer(&cli, id).await?;
                if o.deleted {
                    return Err(Error::NotFound);
                }
                Ok(Live {
                    input: to_map(&o.to_input())?,
                    version: o.version,
                    organisation: o.organisation.id,
                    label: o.title,
                })
            }
            Entity::Event => {
                let e = self.get_event(&cli, id).await?;
                if e.deleted {
                    return Err(Error::NotFound);
                }
                let organisation = e.organisers.first().map(|o| o.id).ok_or(Error::NotFound)?;
                Ok(Live {
                    input: to_map(&e.to_input())?,
                    version: e.version,
                    organisation,
                    label: e.title,
                })
            }
            Entity::Person => {
                let p = self.get_person(&cli, id).await?;
                if p.deleted {
                    return Err(Error::NotFound);
                }
                let organisation = p
                    .affiliations
                    .first()
                    .map(|a| a.organisation_id)
                    .unwrap_or_default();
                Ok(Live {
                    input: to_map(&PersonInput::of(&p))?,
                    version: p.version,
                    organisation,
                    label: p.name(),
                })
            }
        }
    }

    /// Checks an input with the entity's own validation (the messages
    /// staff get), without writing.
    async fn check(
        &self,
        entity: Entity,
        input: &Map<String, Value>,
        id: Option<Uuid>,
    ) -> Result<(), Error> {
        match entity {
            Entity::Organisation => {
                let input: OrganisationInput = from_map(input.clone())?;
                let (topics, groups) = self.term_codes().await?;
                crate::organisations::validate(&input, &topics, &groups).map(|_| ())
            }
            Entity::Offer => {
                let input: OfferInput = from_map(input.clone())?;
                let current = match id {
                    Some(id) => msohub_store::offers::find_offer(self.store.conn(), id).await?,
                    None => None,
                };
                self.validate_offer(&input, current.as_ref())
                    .await
                    .map(|_| ())
            }
            Entity::Event => {
                let input: EventInput = from_map(input.clone())?;
                let current = match id {
                    Some(id) => msohub_store::events::find_event(self.store.conn(), id).await?,
                    None => None,
                };
                self.validate_event(&input, current.as_ref())
                    .await
                    .map(|_| ())
            }
            Entity::Person => {
                let input: PersonInput = from_map(input.clone())?;
                crate::people::validate(&input).map(|_| ())
            }
        }
    }

    /// Writes a change through the entity's own use case; returns the
    /// record's id.
    async fn apply(
        &self,
        actor: &Actor,
        entity: Entity,
        record: Option<Uuid>,
        input: Map<String, Value>,
    ) -> Result<Uuid, Error> {
        Ok(match (entity, record) {
            (Entity::Organisation, Some(id)) => {
                self.update_organisation(actor, id, &from_map(input)?)
                    .await?
                    .id
            }
            (Entity::Offer, Some(id)) => self.update_offer(actor, id, &from_map(input)?).await?.id,
            (Entity::Offer, None) => self.create_offer(actor, &from_map(input)?).await?.id,
            (Entity::Event, Some(id)) => self.update_event(actor, id, &from_map(input)?).await?.id,
            (Entity::Event, None) => self.create_event(actor, &from_map(input)?).await?.id,
            (Entity::Person, Some(id)) => {
                self.update_person(actor, id, &from_map(input)?).await?.id
            }
            _ => return Err(Error::Internal("a proposal without its record".into())),
        })
    }

    /// Makes a proposal (after the representative's rights and the input
    /// were checked) and, for a trusted organisation, publishes it.
    #[allow(clippy::too_many_arguments)]
    async fn file_proposal(
        &self,
        actor: &Actor,
        entity: Entity,
        action: &str,
        record: Option<Uuid>,
        organisation: Uuid,
        base_version: Option<i32>,
        changes: Map<String, Value>,
        before: Map<String, Value>,
    ) -> Result<Proposal, Error> {
        if changes.is_empty() {
            return Err(Error::field("body", "nothing-changed"));
        }
        let trusted =
            msohub_store::organisations::is_trusted(self.store.conn(), organisation).await?;
        let now = Utc::now();
        let mut row = ProposalRow {
            id: Uuid::now_v7(),
            entity: entity.code().to_owned(),
            action: action.to_owned(),
            record_id: record,
            organisation_id: organisation,
            base_version,
            changes: Value::Object(changes.clone()).to_string(),
            before: Value::Object(before).to_string(),
            status: "pending".to_owned(),
            message: String::new(),
            proposed_by: actor.user_id,
            person_id: actor.person_id,
            decided_by: None,
            decided_at: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        if trusted {
            let input = match record {
                Some(id) => {
                    let mut live = self.live(entity, id).await?;
                    live.input.extend(changes);
                    live.input
                        .insert("version".into(), Value::from(live.version));
                    live.input
                }
                None => changes,
            };
            let id = self
                .apply(&self.acting_for(actor), entity, record, input)
                .await?;
            row.record_id = Some(id);
            row.status = "published".to_owned();
        }
        let tx = self.store.begin().await?;
        let row = store::insert_proposal(&tx, row).await?;
        audit::record(
            &tx,
            actor,
            "proposal",
            row.id,
            "propose",
            None,
            Some(serde_json::json!({
                "entity": row.entity, "action": row.action, "record_id": row.record_id,
                "organisation_id": row.organisation_id, "status": row.status,
            })),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.assemble_proposal(row, false).await
    }

    /// A representative's change to a record of theirs: the fields a JSON
    /// object names (with the `version` it is based on) on top of the live
    /// record.
    pub async fn propose_change(
        &self,
        actor: &Actor,
        entity: Entity,
        id: Uuid,
        patch: &Value,
    ) -> Result<Proposal, Error> {
        let user = self.portal_user(actor).await?;
        let live = self.live(entity, id).await.map_err(|_| Error::NotFound)?;
        let mine = match entity {
            Entity::Person => user.person.id == id,
            Entity::Event => self
                .event_organisers(id)
                .await?
                .iter()
                .any(|o| user.organisations.iter().any(|u| u.id == *o)),
            _ => user.organisations.iter().any(|o| o.id == live.organisation),
        };
        if !mine {
            return Err(Error::NotFound);
        }
        let Some(fields) = patch.as_object() else {
            return Err(Error::field("body", "object-required"));
        };
        let version = fields
            .get("version")
            .and_then(Value::as_i64)
            .ok_or_else(|| Error::field("version", "required"))?;
        if version != i64::from(live.version) {
            return Err(Error::stale());
        }
        let mut proposed = live.input.clone();
        for (k, v) in fields {
            if k == "version" {
                continue;
            }
            if !entity.fields().contains(&k.as_str()) {
                return Err(Error::field(k, "field-not-allowed"));
            }
            proposed.insert(k.clone(), v.clone());
        }
        // The organisation the proposal is filed under (and reviewed for).
        let organisation = match entity {
            Entity::Event => self.keep_own_organiser(&user, &proposed)?,
            Entity::Person => user.organisations[0].id,
            _ => live.organisation,
        };
        self.check(entity, &proposed, Some(id)).await?;
        let action = match (entity, proposed.get("status").and_then(Value::as_str)) {
            (Entity::Offer, Some("ended"))
                if live.input.get("status") != proposed.get("status") =>
            {
                "end"
            }
            (Entity::Event, Some("cancelled"))
                if live.input.get("status") != proposed.get("status") =>
            {
                "cancel"
            }
            _ => "update",
        };
        let (changes, before) = diff(entity, &live.input, &proposed);
        self.file_proposal(
            actor,
            entity,
            action,
            Some(id),
            organisation,
            Some(live.version),
            changes,
            before,
        )
        .await
    }

    /// A representative's new offer or event for one of their
    /// organisations.
    pub async fn propose_new(
        &self,
        actor: &Actor,
        entity: Entity,
        input: &Value,
    ) -> Result<Proposal, Error> {
        let user = self.portal_user(actor).await?;
        let Some(fields) = input.as_object() else {
            return Err(Error::field("body", "object-required"));
        };
        let mut proposed = match entity {
            Entity::Offer => to_map(&OfferInput::default())?,
            Entity::Event => to_map(&EventInput::default())?,
            _ => return Err(Error::field("entity", "choice-unknown")),
        };
        for (k, v) in fields {
            if k == "version" {
                continue;
            }
            let allowed = entity.fields().contains(&k.as_str())
                || (entity == Entity::Offer && k == "organisation_id");
            if !allowed {
                // A field left at its empty default says nothing (a typed
                // body carries every field); only a value is refused.
                if proposed.get(k) == Some(v) {
                    continue;
                }
                return Err(Error::field(k, "field-not-allowed"));
            }
            proposed.insert(k.clone(), v.clone());
        }
        let organisation = match entity {
            Entity::Offer => {
                let id = proposed
                    .get("organisation_id")
                    .and_then(Value::as_str)
                    .and_then(|s| s.parse::<Uuid>().ok())
                    .ok_or_else(|| Error::field("organisation_id", "organisation-required"))?;
                if !user.organisations.iter().any(|o| o.id == id) {
                    return Err(Error::NotFound);
                }
                id
            }
            _ => self.keep_own_organiser(&user, &proposed)?,
        };
        self.check(entity, &proposed, None).await?;
        let mut changes = proposed;
        changes.remove("version");
        self.file_proposal(
            actor,
            entity,
            "create",
            None,
            organisation,
            None,
            changes,
            Map::new(),
        )
        .await
    }

    /// An event must stay organised by one of the representative's
    /// organisations; returns that one.
    fn keep_own_organiser(
        &self,
        user: &super::PortalUser,
        proposed: &Map<String, Value>,
    ) -> Result<Uuid, Error> {
        proposed
            .get("organisers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str()?.parse::<Uuid>().ok())
            .find(|id| user.organisations.iter().any(|o| o.id == *id))
            .ok_or_else(|| Error::field("organisers", "own-organisation-required"))
    }

    async fn event_organisers(&self, event: Uuid) -> Result<Vec<Uuid>, Error> {
        Ok(
            msohub_store::events::organisers_of(self.store.conn(), &[event])
                .await?
                .into_iter()
                .map(|(_, o)| o)
                .collect(),
        )
    }

    async fn assemble_proposal(
        &self,
        row: ProposalRow,
        with_current: bool,
    ) -> Result<Proposal, Error> {
        let conn = self.store.conn();
        let organisation = msohub_store::organisations::names(conn, &[row.organisation_id]).await?;
        let person = match row.person_id {
            Some(p) => msohub_store::people::names(conn, &[p])
                .await?
                .remove(&p)
                .map(|name| Ref { id: p, name }),
            None => None,
        };
        let changes: Value = serde_json::from_str(&row.changes).unwrap_or(Value::Null);
        let before: Value = serde_json::from_str(&row.before).unwrap_or(Value::Null);
        let entity = Entity::parse(&row.entity).unwrap_or(Entity::Organisation);
        let live = match row.record_id {
            Some(id) if with_current || row.action != "create" => self.live(entity, id).await.ok(),
            _ => None,
        };
        let label = live
            .as_ref()
            .map(|l| l.label.clone())
            .or_else(|| {
                changes
                    .get("title")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .unwrap_or_default();
        let (current, conflicts) = match (&live, changes.as_object()) {
            (Some(l), Some(c)) if with_current && row.action != "create" => {
                let mut now = Map::new();
                let mut conflicts = Vec::new();
                for field in c.keys() {
                    let value = l.input.get(field).cloned().unwrap_or(Value::Null);
                    if row.status == "pending" && Some(&value) != before.get(field) {
                        conflicts.push(field.clone());
                    }
                    now.insert(field.clone(), value);
                }
                (Some(Value::Object(now)), conflicts)
            }
            _ => (None, Vec::new()),
        };
        Ok(Proposal {
            id: row.id,
            entity,
            action: row.action,
            record_id: row.record_id,
            organisation: Ref {
                id: row.organisation_id,
                name: organisation
                    .get(&row.organisation_id)
                    .cloned()
                    .unwrap_or_default(),
            },
            label,
            status: row.status,
            changes,
            before,
            current,
            conflicts,
            message: row.message,
            proposed_by: person,
            decided_at: row.decided_at,
            created_at: row.created_at,
            version: row.version,
        })
    }
}

/// The field errors of a proposal's input, for the portal's forms.
pub fn field_errors(err: &Error) -> Vec<FieldError> {
    match err {
        Error::Validation(f) => f.clone(),
        _ => Vec::new(),
    }
}
