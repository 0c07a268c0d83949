//! The office's side of proposals: listing and reading them, accepting (with
//! edits, after confirming fields changed since) and rejecting with a message;
//! the representative is told by e-mail.

use super::*;

impl Services {
    /// Proposals: staff see all (by status), a representative those of
    /// their organisations.
    pub async fn list_proposals(
        &self,
        actor: &Actor,
        statuses: &[String],
    ) -> Result<Vec<Proposal>, Error> {
        let organisations = if actor.can(Permission::ReadStaffArea) {
            actor.require(Permission::ReadStaffArea)?;
            None
        } else {
            Some(
                self.portal_user(actor)
                    .await?
                    .organisations
                    .iter()
                    .map(|o| o.id)
                    .collect(),
            )
        };
        let rows = store::list_proposals(
            self.store.conn(),
            &ProposalFilter {
                statuses: statuses.to_vec(),
                organisations,
                record: None,
            },
            500,
        )
        .await?;
        let staff = actor.can(Permission::ReadStaffArea);
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(self.assemble_proposal(row, staff).await?);
        }
        Ok(out)
    }

    /// How many proposals wait for staff (the count in the navigation).
    pub async fn proposals_waiting(&self, actor: &Actor) -> Result<u64, Error> {
        actor.require(Permission::ReadStaffArea)?;
        Ok(store::count_waiting(self.store.conn()).await?)
    }

    /// One proposal (a representative only their organisations').
    pub async fn get_proposal(&self, actor: &Actor, id: Uuid) -> Result<Proposal, Error> {
        let row = store::find_proposal(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        if actor.can(Permission::ReadStaffArea) {
            actor.require(Permission::ReadStaffArea)?;
            return self.assemble_proposal(row, true).await;
        }
        let user = self.portal_user(actor).await?;
        if !user
            .organisations
            .iter()
            .any(|o| o.id == row.organisation_id)
        {
            return Err(Error::NotFound);
        }
        self.assemble_proposal(row, false).await
    }

    /// Accepts a proposal, as it is or with the reviewer's `edits` (the
    /// fields' values to write instead). When a changed field was changed
    /// on the live record since, `overwrite` must say so. A published one
    /// (trusted organisation) is marked seen.
    pub async fn accept_proposal(
        &self,
        actor: &Actor,
        id: Uuid,
        version: Option<i32>,
        edits: Option<&Value>,
        overwrite: bool,
    ) -> Result<Proposal, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let mut row = store::find_proposal(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        if version.is_some_and(|v| v != row.version) {
            return Err(Error::stale());
        }
        if row.status == "published" {
            return self.decide(actor, row, "accepted", "", "seen").await;
        }
        if row.status != "pending" {
            return Err(Error::field("status", "proposal-decided"));
        }
        let entity = Entity::parse(&row.entity).ok_or(Error::NotFound)?;
        let mut changes: Map<String, Value> =
            serde_json::from_str(&row.changes).unwrap_or_default();
        if let Some(edits) = edits {
            let Some(edits) = edits.as_object() else {
                return Err(Error::field("changes", "object-required"));
            };
            for (k, v) in edits {
                let allowed = entity.fields().contains(&k.as_str())
                    || (row.action == "create" && k == "organisation_id");
                if !allowed {
                    return Err(Error::field(k, "field-not-allowed"));
                }
                changes.insert(k.clone(), v.clone());
            }
        }
        let before: Map<String, Value> = serde_json::from_str(&row.before).unwrap_or_default();
        let input = match row.record_id {
            Some(record) => {
                let mut live = self
                    .live(entity, record)
                    .await
                    .map_err(|_| Error::field("record_id", "record-deleted"))?;
                let conflicts: Vec<&String> = before
                    .iter()
                    .filter(|(k, v)| live.input.get(*k) != Some(*v))
                    .map(|(k, _)| k)
                    .collect();
                if !conflicts.is_empty() && !overwrite && edits.is_none() {
                    return Err(Error::Conflict(format!(
                        "the record changed since the proposal (fields: {}); look at both and accept with `overwrite` or with edits",
                        conflicts
                            .iter()
                            .map(|c| c.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
                live.input.extend(changes.clone());
                live.input
                    .insert("version".into(), Value::from(live.version));
                live.input
            }
            None => changes.clone(),
        };
        let record = self.apply(actor, entity, row.record_id, input).await?;
        row.record_id = Some(record);
        row.changes = Value::Object(changes).to_string();
        self.decide(actor, row, "accepted", "", "accept").await
    }

    /// Rejects a pending proposal with a message to the representative.
    pub async fn reject_proposal(
        &self,
        actor: &Actor,
        id: Uuid,
        version: Option<i32>,
        message: &str,
    ) -> Result<Proposal, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let row = store::find_proposal(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        if version.is_some_and(|v| v != row.version) {
            return Err(Error::stale());
        }
        if row.status != "pending" {
            return Err(Error::field("status", "proposal-decided"));
        }
        let message = message.trim();
        if message.chars().count() > 2_000 {
            return Err(Error::field("message", "too-long"));
        }
        self.decide(actor, row, "rejected", message, "reject").await
    }

    /// Records a decision and tells the representative by e-mail.
    pub(super) async fn decide(
        &self,
        actor: &Actor,
        mut row: ProposalRow,
        status: &str,
        message: &str,
        action: &str,
    ) -> Result<Proposal, Error> {
        let notify = action != "seen";
        row.status = status.to_owned();
        row.message = message.to_owned();
        row.decided_by = actor.user_id;
        row.decided_at = Some(Utc::now());
        let proposer = match row.proposed_by {
            Some(u) => msohub_store::users::find_user(self.store.conn(), u).await?,
            None => None,
        };
        let label = self.assemble_proposal(row.clone(), false).await?.label;
        let tx = self.store.begin().await?;
        let row = store::update_proposal(&tx, row).await?;
        audit::record(
            &tx,
            actor,
            "proposal",
            row.id,
            action,
            None,
            Some(serde_json::json!({ "status": row.status, "message": row.message, "record_id": row.record_id })),
        )
        .await?;
        if notify && let Some(user) = proposer.filter(|u| u.disabled_at.is_none()) {
            let office = self.office().await?.name;
            let link = format!("{}/portal/{}/", self.public_url(), user.language);
            let (subject, text) = mails::decided(
                &user.language,
                &office,
                &label,
                status == "accepted",
                message,
                &link,
            );
            self.enqueue_mail(&tx, &user.email, &subject, &text).await?;
        }
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.assemble_proposal(row, true).await
    }
}
