//! Files attached to records (interactions now; meetings later): type and
//! size checked from the bytes, stored in the database, listed with the
//! record, recorded in the owner's history.

use crate::interactions::AttachmentInfo;
use crate::{Actor, Error, Services, audit};
use msohub_domain::Permission;
use msohub_store::work as store;
use sha2::Digest;
use uuid::Uuid;

/// A clean file name: no path, no control characters, at most 200 chars.
pub(crate) fn clean_name(name: &str, fallback: &str) -> String {
    let base: String = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    if base.trim().is_empty() {
        fallback.to_owned()
    } else {
        base.trim().to_owned()
    }
}

impl Services {
    pub(crate) async fn attachment_infos(
        &self,
        owner_type: &str,
        owner_id: Uuid,
    ) -> Result<Vec<AttachmentInfo>, Error> {
        Ok(
            store::attachments_of(self.store.conn(), owner_type, owner_id)
                .await?
                .into_iter()
                .map(|(a, f)| AttachmentInfo {
                    id: a.id,
                    file_name: f.file_name,
                    content_type: f.content_type,
                    size: f.size,
                    sha256: f.sha256,
                    added_at: a.created_at,
                })
                .collect(),
        )
    }

    /// Whether the owner record exists (and is not deleted).
    async fn owner_exists(&self, owner_type: &str, owner_id: Uuid) -> Result<bool, Error> {
        Ok(match owner_type {
            "interaction" => store::find_interaction(self.store.conn(), owner_id)
                .await?
                .is_some_and(|r| r.deleted_at.is_none()),
            "mailing" => msohub_store::mailings::find_mailing(self.store.conn(), owner_id)
                .await?
                .is_some_and(|r| r.deleted_at.is_none()),
            _ => false,
        })
    }

    /// Attaches a file to a record.
    pub async fn add_attachment(
        &self,
        actor: &Actor,
        owner_type: &str,
        owner_id: Uuid,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<AttachmentInfo, Error> {
        actor.require(Permission::WriteStaffArea)?;
        if !self.owner_exists(owner_type, owner_id).await? {
            return Err(Error::NotFound);
        }
        let name = clean_name(file_name, "datei");
        let mime = msohub_domain::files::check_attachment(&name, &bytes)?;
        let sha = hex::encode(sha2::Sha256::digest(&bytes));
        let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        let tx = self.store.begin().await?;
        let file = msohub_store::files::insert(&tx, mime, &name, &sha, bytes).await?;
        let id = store::insert_attachment(&tx, owner_type, owner_id, file, actor.user_id).await?;
        audit::record(
            &tx,
            actor,
            owner_type,
            owner_id,
            "attachment_added",
            None,
            Some(serde_json::json!({ "attachment": id, "file_name": name, "sha256": sha, "size": size })),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(AttachmentInfo {
            id,
            file_name: name,
            content_type: mime.to_owned(),
            size,
            sha256: sha,
            added_at: chrono::Utc::now(),
        })
    }

    /// The attachment's file (staff-area readers).
    pub async fn attachment_file(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<msohub_store::files::StoredFile, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let a = store::find_attachment(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        msohub_store::files::get(self.store.conn(), a.file_id)
            .await?
            .ok_or(Error::NotFound)
    }

    /// Removes an attachment from its record; returns the owner.
    pub async fn remove_attachment(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<(String, Uuid), Error> {
        actor.require(Permission::WriteStaffArea)?;
        let a = store::find_attachment(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        // What a mailing sent stays as it went out.
        if a.owner_type == "mailing"
            && msohub_store::mailings::find_mailing(self.store.conn(), a.owner_id)
                .await?
                .is_some_and(|m| m.sent_at.is_some())
        {
            return Err(Error::field("file", "mailing-sent"));
        }
        let info = msohub_store::files::info(self.store.conn(), a.file_id).await?;
        let tx = self.store.begin().await?;
        store::delete_attachment(&tx, id).await?;
        audit::record(
            &tx,
            actor,
            &a.owner_type,
            a.owner_id,
            "attachment_removed",
            Some(serde_json::json!({ "attachment": id, "file_name": info.map(|i| i.file_name) })),
            None,
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok((a.owner_type, a.owner_id))
    }
}
