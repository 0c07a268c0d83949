//! Demo data: a realistic, fictional data set for a mid-sized German city.
//!
//! The city is "Lindenau" (North Rhine-Westphalia, about 150,000 people); every
//! name in it is invented. Each feature extends the set. Loading refuses to
//! touch a database that already holds data, so it can never mix demo records
//! into a real office's registry.

mod bodies;
mod events;
mod mailings;
mod offers;
mod organisations;
mod portal;
mod registry;
mod targets;
mod work;

use crate::office::Office;
use crate::{Error, Services};

/// What [`Services::load_demo`] created.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DemoSummary {
    pub office: String,
    pub organisations: usize,
    /// (e-mail, role) of the demo accounts; all share [`DEMO_PASSWORD`].
    pub accounts: Vec<(String, String)>,
}

/// The password of every demo account. Demo data is for trying msohub out;
/// never load it into a database that real people use.
pub const DEMO_PASSWORD: &str = "Lindenau-Demo-2026";

/// The demo office's staff (fictional people).
/// E-mail, name, role and form of address (for the report's "eine
/// Mitarbeiterin des KI").
const DEMO_ACCOUNTS: &[(&str, &str, &str, &str)] = &[
    (
        "m.berger@ki-lindenau.example",
        "Monika Berger",
        "admin",
        "f",
    ),
    (
        "j.lehmann@ki-lindenau.example",
        "Johanna Lehmann",
        "staff",
        "f",
    ),
    ("a.yilmaz@ki-lindenau.example", "Aylin Yılmaz", "staff", ""),
    (
        "pruefung@ki-lindenau.example",
        "Rechnungsprüfung Lindenau",
        "auditor",
        "",
    ),
];

/// Organisations in the default demo set (besides the office itself).
pub const DEMO_ORGANISATIONS: usize = 60;

/// Marks a database that holds demo data.
const MARKER: &str = "demo_loaded_at";

impl Services {
    /// Whether the database already holds data (of any kind).
    pub async fn has_data(&self) -> Result<bool, Error> {
        Ok(self.store.get_setting("office").await?.is_some()
            || self.store.get_setting(MARKER).await?.is_some()
            || !msohub_store::users::list_users(self.store.conn())
                .await?
                .is_empty())
    }

    /// Loads the demo data set into an empty database.
    pub async fn load_demo(&self) -> Result<DemoSummary, Error> {
        self.load_demo_with(DEMO_ORGANISATIONS).await
    }

    /// Adds the demo registry alone: the office itself and `count`
    /// organisations (also for tests that need a filled registry).
    pub async fn load_demo_organisations(&self, count: usize) -> Result<usize, Error> {
        let mut orgs = vec![registry::own_office()];
        orgs.extend(registry::organisations(count));
        self.create_organisations(&crate::Actor::cli(), &orgs, true)
            .await
    }

    /// One contact person for each hand-written demo organisation, most
    /// with consent to contact and to a public listing.
    /// Returns the first two (person, organisation): the portal's demo
    /// representatives.
    async fn load_demo_people(&self) -> Result<Vec<portal::Representative>, Error> {
        let cli = crate::Actor::cli();
        let page = self
            .list_organisations(
                &cli,
                &crate::organisations::OrgQuery {
                    limit: DEMO_ORGANISATIONS as u64 + 1,
                    ..Default::default()
                },
            )
            .await?;
        let given = (chrono::Utc::now().date_naive() - chrono::Duration::days(200))
            .format("%Y-%m-%d")
            .to_string();
        let expires = (chrono::Utc::now().date_naive() + chrono::Duration::days(500))
            .format("%Y-%m-%d")
            .to_string();
        let mut representatives = Vec::new();
        let mut used = std::collections::HashSet::new();
        for (i, org) in page
            .items
            .iter()
            .filter(|o| o.kind != "public_body")
            .enumerate()
            .take(DEMO_ORGANISATIONS)
        {
            let (first, last, role, public) = registry::contact_for(i);
            let person = self
                .create_person(
                    &cli,
                    &crate::people::PersonInput {
                        email: unique_email(&mut used, &first, &last),
                        given_name: first,
                        family_name: last,
                        languages: org.languages.join(", "),
                        ..Default::default()
                    },
                )
                .await?;
            self.add_affiliation(&cli, person.id, org.id, &role, "2019-09-01", "")
                .await?;
            if representatives.len() < 2 {
                representatives.push((person.id, org.id));
            }
            self.record_consent(
                &cli,
                person.id,
                "contact",
                &given,
                "Formular beim Besuch",
                "",
            )
            .await?;
            if public {
                self.record_consent(
                    &cli,
                    person.id,
                    "public_listing",
                    &given,
                    "Formular beim Besuch",
                    &expires,
                )
                .await?;
            }
        }
        Ok(representatives)
    }

    /// Loads the demo data with `organisations` organisations (sixty written
    /// by hand, the rest generated), e.g. 20,000 for benchmarks.
    pub async fn load_demo_with(&self, organisations: usize) -> Result<DemoSummary, Error> {
        if self.has_data().await? {
            return Err(Error::Conflict(
                "the database is not empty; demo data is only loaded into an empty database"
                    .to_owned(),
            ));
        }
        let office = Office {
            name: "Kommunales Integrationszentrum Lindenau".to_owned(),
            city: "Lindenau".to_owned(),
            ..Office::default()
        };
        self.put_office(&office).await?;
        let cli = crate::Actor::cli();
        let mut accounts = Vec::new();
        for (email, name, role, address) in DEMO_ACCOUNTS {
            self.create_user(
                &cli,
                crate::accounts::NewUser {
                    email: (*email).to_owned(),
                    display_name: (*name).to_owned(),
                    role: (*role).to_owned(),
                    organisation_id: None,
                    password: Some(DEMO_PASSWORD.to_owned()),
                    form_of_address: (*address).to_owned(),
                },
            )
            .await?;
            accounts.push(((*email).to_owned(), (*role).to_owned()));
        }
        let organisations = self.load_demo_organisations(organisations).await?;
        let representatives = self.load_demo_people().await?;
        self.load_demo_offers().await?;
        self.load_demo_work().await?;
        self.load_demo_bodies().await?;
        self.load_demo_events().await?;
        self.load_demo_targets().await?;
        self.load_demo_mailings().await?;
        for email in self
            .load_demo_portal(&representatives, DEMO_PASSWORD)
            .await?
        {
            accounts.push((email, "representative".to_owned()));
        }
        self.store
            .put_setting(MARKER, &serde_json::json!(chrono::Utc::now().to_rfc3339()))
            .await?;
        Ok(DemoSummary {
            office: office.name,
            organisations,
            accounts,
        })
    }
}

/// `first.last@mail.example`, numbered when the name came round before
/// (the demo's names repeat; real addresses do not).
fn unique_email(used: &mut std::collections::HashSet<String>, first: &str, last: &str) -> String {
    let base = format!(
        "{}.{}",
        crate::organisations::slug(first),
        crate::organisations::slug(last)
    );
    let mut email = format!("{base}@mail.example");
    let mut n = 2;
    while !used.insert(email.clone()) {
        email = format!("{base}{n}@mail.example");
        n += 1;
    }
    email
}
