//! Saved mappings: a name, the mapping and what to do with matches, per
//! kind of import, so a file exported the same way each month maps itself.

use super::{ImportEntity, Mapping, OnMatch};
use crate::{Actor, Error, Services};
use chrono::Utc;
use msohub_domain::Permission;
use msohub_store::imports as store;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A saved mapping.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportProfile {
    pub name: String,
    pub entity: ImportEntity,
    pub mapping: Mapping,
    pub on_match: OnMatch,
    pub version: i32,
    pub updated_at: chrono::DateTime<Utc>,
}

pub(super) fn profile_of(r: store::ProfileRow) -> Option<ImportProfile> {
    Some(ImportProfile {
        entity: r.entity.parse().ok()?,
        mapping: serde_json::from_str(&r.mapping).unwrap_or_default(),
        on_match: OnMatch::parse(&r.on_match).unwrap_or_default(),
        name: r.name,
        version: r.version,
        updated_at: r.updated_at,
    })
}

impl Services {
    /// The saved profiles of one kind of import.
    pub async fn import_profiles(
        &self,
        actor: &Actor,
        entity: ImportEntity,
    ) -> Result<Vec<ImportProfile>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        Ok(store::profiles(self.store.conn(), entity.as_str())
            .await?
            .into_iter()
            .filter_map(profile_of)
            .collect())
    }

    pub async fn import_profile(
        &self,
        actor: &Actor,
        entity: ImportEntity,
        name: &str,
    ) -> Result<ImportProfile, Error> {
        actor.require(Permission::ReadStaffArea)?;
        store::find_profile(self.store.conn(), entity.as_str(), name.trim())
            .await?
            .and_then(profile_of)
            .ok_or(Error::NotFound)
    }

    /// Saves a mapping under a name. `version` 0 creates it (an existing
    /// name is then a conflict); otherwise it must be the stored version.
    pub async fn save_import_profile(
        &self,
        actor: &Actor,
        entity: ImportEntity,
        name: &str,
        mapping: &Mapping,
        on_match: OnMatch,
        version: i32,
    ) -> Result<ImportProfile, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let name = msohub_domain::organisation::parse_name("name", name, 100)
            .map_err(|e| Error::field(e.field, e.rule))?;
        for field in mapping.keys() {
            if entity.field(field).is_none() {
                return Err(Error::field("mapping", "field-unknown"));
            }
        }
        let json = serde_json::to_string(mapping).map_err(|e| Error::Internal(Box::new(e)))?;
        let tx = self.store.begin().await?;
        let existing = store::find_profile(&tx, entity.as_str(), &name).await?;
        let now = Utc::now();
        let row = match existing {
            None if version == 0 => {
                store::insert_profile(
                    &tx,
                    store::ProfileRow {
                        id: Uuid::now_v7(),
                        entity: entity.as_str().to_owned(),
                        name: name.clone(),
                        mapping: json,
                        on_match: on_match.as_str().to_owned(),
                        version: 1,
                        created_at: now,
                        updated_at: now,
                    },
                )
                .await?
            }
            Some(row) if row.version == version => {
                store::update_profile(
                    &tx,
                    store::ProfileRow {
                        mapping: json,
                        on_match: on_match.as_str().to_owned(),
                        updated_at: now,
                        ..row
                    },
                )
                .await?
            }
            None => return Err(Error::NotFound),
            Some(_) => return Err(Error::stale()),
        };
        crate::audit::record(
            &tx,
            actor,
            "import_profile",
            row.id,
            if row.version == 1 { "create" } else { "update" },
            None,
            Some(serde_json::json!({ "entity": row.entity, "name": row.name, "mapping": mapping, "on_match": row.on_match })),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        profile_of(row).ok_or(Error::NotFound)
    }

    pub async fn delete_import_profile(
        &self,
        actor: &Actor,
        entity: ImportEntity,
        name: &str,
    ) -> Result<(), Error> {
        actor.require(Permission::WriteStaffArea)?;
        let tx = self.store.begin().await?;
        let row = store::find_profile(&tx, entity.as_str(), name.trim())
            .await?
            .ok_or(Error::NotFound)?;
        store::delete_profile(&tx, row.id).await?;
        crate::audit::record(&tx, actor, "import_profile", row.id, "delete", None, None).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(())
    }
}
