//! An organisation's logo: stored checked (type from the bytes, size,
//! dimensions), replaced, removed, and read back.

use super::*;

impl Services {
    /// Sets an organisation's logo (PNG, JPEG, WebP or GIF, at most 1 MiB;
    /// the bytes decide, not the name). `version` `None` means the current
    /// one. The file and the change are one transaction.
    pub async fn set_organisation_logo(
        &self,
        actor: &Actor,
        id: Uuid,
        version: Option<i32>,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<Organisation, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let kind = msohub_domain::files::check_logo(&bytes)?;
        let tx = self.store.begin().await?;
        let version = match version {
            Some(v) => v,
            None => store::find(&tx, id).await?.ok_or(Error::NotFound)?.version,
        };
        let sha = hex::encode(sha2::Sha256::digest(&bytes));
        let name: String = file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        let name = if name.trim().is_empty() {
            format!("logo.{}", kind.extension())
        } else {
            name
        };
        let file = msohub_store::files::insert(&tx, kind.mime(), &name, &sha, bytes).await?;
        let after = touch_in(&tx, actor, id, version, "logo", |r| {
            r.logo_file_id = Some(file)
        })
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        crate::search::after_write(self.index_organisation(&after).await);
        Ok(after)
    }

    /// Sets the coordinates (from the geocoder).
    pub(crate) async fn set_organisation_coordinates(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
        latitude: f64,
        longitude: f64,
    ) -> Result<Organisation, Error> {
        self.touch_organisation(actor, id, version, "geocoded", |r| {
            r.latitude = Some((latitude * 1e6).round() / 1e6);
            r.longitude = Some((longitude * 1e6).round() / 1e6);
        })
        .await
    }

    /// Removes the logo (the file stays for the history).
    pub async fn remove_organisation_logo(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
    ) -> Result<Organisation, Error> {
        self.touch_organisation(actor, id, version, "logo", |r| r.logo_file_id = None)
            .await
    }

    /// The logo's type and bytes, for anyone who may see the organisation.
    pub async fn organisation_logo(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<msohub_store::files::StoredFile, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let row = store::find(self.store.conn(), id)
            .await?
            .ok_or(Error::NotFound)?;
        let file = row.logo_file_id.ok_or(Error::NotFound)?;
        msohub_store::files::get(self.store.conn(), file)
            .await?
            .ok_or(Error::NotFound)
    }
}
