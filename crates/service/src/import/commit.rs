//! The write: every checked row in one transaction, audited as one import,
//! then the search indexes.

use super::check::{Planned, Ready};
use super::{ImportEntity, ImportReport, Progress};
use crate::{Actor, Error, Services};
use uuid::Uuid;

impl Services {
    /// Writes the checked rows in one transaction, then updates the search
    /// indexes.
    pub(super) async fn write_import(
        &self,
        actor: &Actor,
        entity: ImportEntity,
        report: &ImportReport,
        planned: Vec<Planned>,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<(), Error> {
        let total = planned.len();
        let tx = self.store.begin().await?;
        let mut organisations = Vec::new();
        let mut offers = Vec::new();
        for (i, p) in planned.into_iter().enumerate() {
            if i % 500 == 0 {
                progress(Progress::Writing { done: i, total });
            }
            let conflict = |row: usize| {
                move |e: Error| match e {
                    Error::Conflict(_) => Error::Conflict(format!(
                        "Zeile {row}: der Datensatz wurde während des Imports geändert; bitte erneut prüfen."
                    )),
                    e => e,
                }
            };
            match p.ready {
                Ready::Organisation(row) => {
                    let org = match p.existing {
                        None => crate::organisations::insert_in(&tx, actor, row).await?,
                        Some(id) => {
                            let current = msohub_store::organisations::find(&tx, id)
                                .await?
                                .ok_or(Error::NotFound)?;
                            if current.version != row.version {
                                return Err(conflict(p.row)(Error::Conflict(String::new())));
                            }
                            crate::organisations::update_in(&tx, actor, current, row)
                                .await
                                .map_err(conflict(p.row))?
                        }
                    };
                    organisations.push(org);
                }
                Ready::Person(row, affiliation) => {
                    let id = match p.existing {
                        None => self.insert_person_in(&tx, actor, row).await?.id,
                        Some(id) => {
                            let current = msohub_store::people::find_person(&tx, id)
                                .await?
                                .ok_or(Error::NotFound)?;
                            self.update_person_in(&tx, actor, current, row)
                                .await
                                .map_err(conflict(p.row))?;
                            id
                        }
                    };
                    if let Some((org, role, from)) = affiliation {
                        let already = msohub_store::people::affiliations_of_person(&tx, id)
                            .await?
                            .iter()
                            .any(|a| {
                                a.organisation_id == org && a.role == role && a.to_date.is_none()
                            });
                        if !already {
                            crate::people::add_affiliation_in(
                                &tx, actor, id, org, role, from, None,
                            )
                            .await?;
                        }
                    }
                }
                Ready::Offer(row) => {
                    let row = match p.existing {
                        None => crate::offers::insert_offer_in(&tx, actor, row).await?,
                        Some(id) => {
                            let current = msohub_store::offers::find_offer(&tx, id)
                                .await?
                                .ok_or(Error::NotFound)?;
                            crate::offers::update_offer_in(&tx, actor, &current, row, "update")
                                .await
                                .map_err(conflict(p.row))?
                        }
                    };
                    offers.push(row);
                }
                Ready::Need(row) => match p.existing {
                    None => {
                        let row = msohub_store::work::insert_need(&tx, row).await?;
                        crate::needs::record(&tx, actor, None, &row, "create").await?;
                    }
                    Some(id) => {
                        let current = msohub_store::work::find_need(&tx, id)
                            .await?
                            .ok_or(Error::NotFound)?;
                        let row = msohub_store::work::update_need(&tx, row)
                            .await
                            .map_err(Error::from)
                            .map_err(conflict(p.row))?;
                        crate::needs::record(&tx, actor, Some(&current), &row, "update").await?;
                    }
                },
                Ready::Event(row, organisers) => {
                    match p.existing {
                        None => {
                            crate::events::insert_event_in(&tx, actor, row, &organisers).await?
                        }
                        Some(id) => {
                            let current = msohub_store::events::find_event(&tx, id)
                                .await?
                                .ok_or(Error::NotFound)?;
                            let before: Vec<Uuid> = msohub_store::events::organisers_of(&tx, &[id])
                                .await?
                                .into_iter()
                                .map(|(_, o)| o)
                                .collect();
                            crate::events::update_event_in(
                                &tx,
                                actor,
                                &current,
                                &before,
                                row,
                                &organisers,
                            )
                            .await
                            .map_err(conflict(p.row))?
                        }
                    };
                }
            }
        }
        crate::audit::record(
            &tx,
            actor,
            "import",
            Uuid::now_v7(),
            "import",
            None,
            Some(serde_json::json!({
                "entity": entity.as_str(),
                "file_name": report.file_name,
                "format": report.format,
                "rows": report.rows,
                "created": report.create,
                "updated": report.update,
                "skipped": report.skip,
            })),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        progress(Progress::Writing { done: total, total });
        if !organisations.is_empty() {
            crate::search::after_write(self.index_organisations(organisations).await);
        }
        if !offers.is_empty() {
            for chunk in offers.chunks(10_000) {
                let assembled = self.assemble_offers(chunk.to_vec()).await?;
                crate::search::after_write(self.index_offers(&assembled).await);
            }
        }
        Ok(())
    }
}
