//! The staff area's search box: one query across organisations, persons,
//! contacts and meetings, a few of each, for jumping to a record.

use crate::interactions::Interaction;
use crate::meetings::Meeting;
use crate::organisations::{OrgQuery, Organisation};
use crate::people::Person;
use crate::{Actor, Error, Services};
use msohub_domain::Permission;

/// How many of each kind the box shows (the lists have the rest).
pub const FOUND_PER_KIND: u64 = 8;

/// What the staff search box found.
#[derive(Debug, Default)]
pub struct Found {
    pub organisations: Vec<Organisation>,
    pub organisations_total: u64,
    pub persons: Vec<Person>,
    pub persons_total: u64,
    pub interactions: Vec<Interaction>,
    pub meetings: Vec<Meeting>,
}

impl Found {
    pub fn is_empty(&self) -> bool {
        self.organisations.is_empty()
            && self.persons.is_empty()
            && self.interactions.is_empty()
            && self.meetings.is_empty()
    }
}

impl Services {
    /// Organisations (names, other names, places: the staff index), persons
    /// (names, e-mail), contacts (subject) and meetings (title) matching
    /// `text`. At most 200 characters of it are used.
    pub async fn find_anything(&self, actor: &Actor, text: &str) -> Result<Found, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let text: String = text.chars().take(200).collect();
        let text = text.trim();
        // Only punctuation ("%", "_", "*") names nothing: the lists would
        // read it as "no filter" and answer with everything.
        if !text.chars().any(char::is_alphanumeric) {
            return Ok(Found::default());
        }
        let organisations = self
            .list_organisations(
                actor,
                &OrgQuery {
                    text: text.to_owned(),
                    limit: FOUND_PER_KIND,
                    ..Default::default()
                },
            )
            .await?;
        let persons = self.list_persons(actor, text, None, FOUND_PER_KIND).await?;
        let conn = self.store.conn();
        let interactions =
            msohub_store::work::search_interactions(conn, text, FOUND_PER_KIND).await?;
        let meetings = msohub_store::bodies::search_meetings(conn, text, FOUND_PER_KIND).await?;
        Ok(Found {
            organisations: organisations.items,
            organisations_total: organisations.total,
            persons: persons.items,
            persons_total: persons.total,
            interactions: self.assemble_interactions(&interactions).await?,
            meetings: self.assemble_meetings(meetings).await?,
        })
    }
}
