//! The one write path. A change to a stored record goes: find it at the
//! version the user saw ([`current`]: not there → 404, another version →
//! 409), validate, then [`Services::write_audited`]: open the transaction,
//! write, record the change in the audit log with before and after, commit.
//! A unique constraint or a concurrent writer surfaces as the store's
//! `Taken`/`Stale`, mapped once by `From<store::Error>`.

use crate::{Actor, Error, Services, audit};
use msohub_store::Tx;
use serde_json::Value;
use uuid::Uuid;

/// A stored row that carries a version for optimistic locking.
pub(crate) trait Versioned {
    fn version(&self) -> i32;
}

macro_rules! versioned {
    ($($row:ty),* $(,)?) => {$(
        impl Versioned for $row {
            fn version(&self) -> i32 {
                self.version
            }
        }
    )*};
}

versioned!(
    msohub_store::work::NeedRow,
    msohub_store::work::TaskRow,
    msohub_store::work::InteractionRow,
    msohub_store::events::EventRow,
    msohub_store::portal::IdeaRow,
    msohub_store::bodies::BodyRow,
    msohub_store::bodies::MeetingRow,
    msohub_store::offers::OfferRow,
    msohub_store::targets::TargetRow,
    msohub_store::targets::PeriodRow,
    msohub_store::projects::ProjectRow,
    msohub_store::projects::BeyondRow,
    msohub_store::surveys::SurveyRow,
    msohub_store::mailings::MailingRow,
    msohub_store::people::PersonRow,
    msohub_store::taxonomies::TermRow,
    msohub_store::organisations::OrganisationRow,
);

/// The record as found, if it is still at `version`: none → `NotFound`,
/// another version → `Conflict` (someone saved in between).
pub(crate) fn current<R: Versioned>(found: Option<R>, version: i32) -> Result<R, Error> {
    let row = found.ok_or(Error::NotFound)?;
    if row.version() != version {
        return Err(Error::stale());
    }
    Ok(row)
}

impl Services {
    /// Runs `write` in a transaction, records the change (`entity`,
    /// `action`, `before`, and what `after` says of the written row) in the
    /// audit log inside it, and commits; nothing is kept when any step fails.
    pub(crate) async fn write_audited<R>(
        &self,
        actor: &Actor,
        entity: &str,
        action: &str,
        before: Option<Value>,
        write: impl AsyncFnOnce(&Tx) -> Result<R, Error>,
        after: impl FnOnce(&R) -> (Uuid, Option<Value>),
    ) -> Result<R, Error> {
        let tx = self.store.begin().await?;
        let row = write(&tx).await?;
        let (id, after) = after(&row);
        audit::record(&tx, actor, entity, id, action, before, after).await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(row)
    }
}
