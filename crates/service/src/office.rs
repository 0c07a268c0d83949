//! The office this instance belongs to: its name and city, shown in the page
//! header and in the yearly report, whose letterhead also carries the logo
//! of the office's own organisation record. Stored as instance settings.

use crate::{Error, Services, StoredFile};
use serde::{Deserialize, Serialize};

const KEY: &str = "office";

/// Who runs this msohub instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Office {
    /// e.g. "Kommunales Integrationszentrum Lindenau"
    pub name: String,
    /// e.g. "Lindenau"
    pub city: String,
    /// The month school years begin with (1–12; August by default).
    #[serde(default = "august")]
    pub school_year_first_month: u32,
}

fn august() -> u32 {
    8
}

impl Default for Office {
    fn default() -> Self {
        Office {
            name: "Kommunales Integrationszentrum".to_owned(),
            city: String::new(),
            school_year_first_month: august(),
        }
    }
}

impl Services {
    /// The office's details, or the defaults when none were entered yet.
    pub async fn office(&self) -> Result<Office, Error> {
        Ok(self
            .store
            .get_setting(KEY)
            .await?
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default())
    }

    pub(crate) async fn put_office(&self, office: &Office) -> Result<(), Error> {
        let value = serde_json::to_value(office).map_err(|e| Error::Internal(Box::new(e)))?;
        self.store.put_setting(KEY, &value).await?;
        Ok(())
    }
}

/// What heads the office's documents: its name and the logo of the
/// organisation marked as "our office" (if it has one).
#[derive(Debug, Clone)]
pub struct Letterhead {
    pub name: String,
    pub logo: Option<StoredFile>,
}

impl Services {
    /// The office's letterhead for its reports: the office's name, and the
    /// logo of its own organisation record.
    pub async fn letterhead(&self, actor: &crate::Actor) -> Result<Letterhead, Error> {
        actor.require(msohub_domain::Permission::ReadStaffArea)?;
        let name = self.office().await?.name;
        let logo = match self.office_organisation().await? {
            Some(id) => match self.organisation_logo(actor, id).await {
                Ok(file) => Some(file),
                Err(Error::NotFound) => None,
                Err(e) => return Err(e),
            },
            None => None,
        };
        Ok(Letterhead { name, logo })
    }
}
