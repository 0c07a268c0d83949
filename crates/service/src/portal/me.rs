//! A representative's own data: what the office stores about them (the
//! Art. 15 content), their consents to be listed publicly and to receive
//! mailings (given or withdrawn by themselves, recorded with the source
//! "portal"), and corrections of their contact details (a proposal like
//! any other).

use crate::privacy::SubjectAccess;
use crate::{Actor, Error, Services};
use uuid::Uuid;

/// The consents a representative gives or withdraws in the portal.
pub const OWN_PURPOSES: [&str; 2] = ["public_listing", "mailings"];

impl Services {
    /// Everything the office stores about the representative's person.
    pub async fn portal_me(&self, actor: &Actor) -> Result<SubjectAccess, Error> {
        let user = self.portal_user(actor).await?;
        self.subject_access(&self.acting_for(actor), user.person.id)
            .await
    }

    /// The version of the representative's person record (what a change of
    /// their contact details is based on).
    pub async fn portal_person_version(&self, actor: &Actor) -> Result<i32, Error> {
        let user = self.portal_user(actor).await?;
        Ok(self
            .get_person(&self.acting_for(actor), user.person.id)
            .await?
            .version)
    }

    /// Gives (`true`) or withdraws (`false`) a consent of the
    /// representative's own; returns the person's id.
    pub async fn portal_consent(
        &self,
        actor: &Actor,
        purpose: &str,
        give: bool,
    ) -> Result<Uuid, Error> {
        let user = self.portal_user(actor).await?;
        if !OWN_PURPOSES.contains(&purpose) {
            return Err(Error::field("purpose", "choice-unknown"));
        }
        let staff = self.acting_for(actor);
        let person = self.get_person(&staff, user.person.id).await?;
        let active: Vec<Uuid> = person
            .consents
            .iter()
            .filter(|c| c.active && c.purpose == purpose)
            .map(|c| c.id)
            .collect();
        if give {
            if active.is_empty() {
                let today = crate::time::today().format("%Y-%m-%d").to_string();
                self.record_consent(&staff, person.id, purpose, &today, "portal", "")
                    .await?;
            }
        } else {
            for id in active {
                self.withdraw_consent(&staff, id).await?;
            }
        }
        Ok(person.id)
    }
}
