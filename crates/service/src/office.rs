//! The office this instance belongs to: its name and city, shown in the page
//! header and, later, in the yearly report. Stored as instance settings.

use crate::{Error, Services};
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
