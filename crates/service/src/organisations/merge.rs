//! Merging a duplicate organisation into the one kept.

use super::*;

impl Services {
    /// Merges a duplicate into the organisation kept: every link (people
    /// now; offers, contacts and meetings as they arrive) moves to the one
    /// kept, the duplicate is deleted with a pointer to it, and both records'
    /// histories say so. Both versions must be current.
    pub async fn merge_organisations(
        &self,
        actor: &Actor,
        keep: Uuid,
        keep_version: i32,
        duplicate: Uuid,
        duplicate_version: i32,
    ) -> Result<Organisation, Error> {
        actor.require(Permission::WriteStaffArea)?;
        if keep == duplicate {
            return Err(Error::Validation(vec![FieldError {
                field: "duplicate".into(),
                rule: "merge-same".into(),
            }]));
        }
        let tx = self.store.begin().await?;
        let kept = store::find(&tx, keep).await?.ok_or(Error::NotFound)?;
        let dup = store::find(&tx, duplicate).await?.ok_or_else(|| {
            Error::Validation(vec![FieldError {
                field: "duplicate".into(),
                rule: "not-found".into(),
            }])
        })?;
        if kept.version != keep_version || dup.version != duplicate_version {
            return Err(Error::stale());
        }
        if kept.deleted_at.is_some() || dup.deleted_at.is_some() {
            return Err(Error::Validation(vec![FieldError {
                field: "duplicate".into(),
                rule: "merge-deleted".into(),
            }]));
        }
        let moved = msohub_store::people::move_affiliations(&tx, duplicate, keep).await?;
        msohub_store::work::move_organisation(&tx, duplicate, keep).await?;
        msohub_store::offers::move_organisation(&tx, duplicate, keep).await?;
        let before = Organisation::from(&dup);
        let mut gone = dup;
        gone.deleted_at = Some(Utc::now());
        gone.merged_into = Some(keep);
        let gone = store::update(&tx, gone).await?;
        // The kept record changes too (its links did), so its version moves.
        let kept = store::update(&tx, kept).await?;
        let note =
            serde_json::json!({ "kept": keep, "merged": duplicate, "affiliations_moved": moved });
        audit::record(
            &tx,
            actor,
            "organisation",
            duplicate,
            "merged_away",
            Some(before.audit_view()),
            Some(note.clone()),
        )
        .await?;
        audit::record(&tx, actor, "organisation", keep, "merged", None, Some(note)).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        let kept = Organisation::from(&kept);
        crate::search::after_write(
            self.index_organisations(vec![Organisation::from(&gone), kept.clone()])
                .await,
        );
        Ok(kept)
    }
}
