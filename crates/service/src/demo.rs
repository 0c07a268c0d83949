//! Demo data: a realistic, fictional data set for a mid-sized German city.
//!
//! The city is "Lindenau" (North Rhine-Westphalia, about 150,000 people); every
//! name in it is invented. Each feature extends the set. Loading refuses to
//! touch a database that already holds data, so it can never mix demo records
//! into a real office's registry.

use crate::office::Office;
use crate::{Error, Services};

/// What [`Services::load_demo`] created.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DemoSummary {
    pub office: String,
}

/// Marks a database that holds demo data.
const MARKER: &str = "demo_loaded_at";

impl Services {
    /// Whether the database already holds data (of any kind).
    pub async fn has_data(&self) -> Result<bool, Error> {
        Ok(self.store.get_setting("office").await?.is_some()
            || self.store.get_setting(MARKER).await?.is_some())
    }

    /// Loads the demo data set into an empty database.
    pub async fn load_demo(&self) -> Result<DemoSummary, Error> {
        if self.has_data().await? {
            return Err(Error::Conflict(
                "the database is not empty; demo data is only loaded into an empty database"
                    .to_owned(),
            ));
        }
        let office = Office {
            name: "Kommunales Integrationszentrum Lindenau".to_owned(),
            city: "Lindenau".to_owned(),
        };
        self.put_office(&office).await?;
        self.store
            .put_setting(MARKER, &serde_json::json!(chrono::Utc::now().to_rfc3339()))
            .await?;
        Ok(DemoSummary {
            office: office.name,
        })
    }
}
