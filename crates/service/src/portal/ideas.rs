//! Ideas and joint projects from the organisations: "Idee oder Projekt
//! vorschlagen" in the portal makes an idea record (source `portal`) that
//! staff follow in `/app/ideas`; the representative sees its status and
//! the office's answer.

use crate::ideas::{Idea, IdeaInput};
use crate::{Actor, Error, Services};
use msohub_store::portal::{self as store, IdeaFilter};
use uuid::Uuid;

impl Services {
    /// A representative proposes an idea for one of their organisations.
    pub async fn propose_idea(&self, actor: &Actor, input: &IdeaInput) -> Result<Idea, Error> {
        let user = self.portal_user(actor).await?;
        let organisation = input
            .organisation_id
            .trim()
            .parse::<Uuid>()
            .map_err(|_| Error::field("organisation_id", "organisation-required"))?;
        if !user.organisations.iter().any(|o| o.id == organisation) {
            return Err(Error::NotFound);
        }
        // Only what a proposer may say; status and links are the office's.
        let clean = IdeaInput {
            title: input.title.clone(),
            description: input.description.clone(),
            participants: input.participants.clone(),
            support: input.support.clone(),
            organisation_id: organisation.to_string(),
            source: "portal".to_owned(),
            ..IdeaInput::default()
        };
        let staff = self.acting_for(actor);
        let (mut row, links) = self.validate_idea_for_portal(&clean).await?;
        row.person_id = Some(user.person.id);
        self.insert_idea(&staff, row, links).await
    }

    /// The ideas of the representative's organisations.
    pub async fn portal_ideas(&self, actor: &Actor) -> Result<Vec<Idea>, Error> {
        let user = self.portal_user(actor).await?;
        let rows = store::list_ideas(
            self.store.conn(),
            &IdeaFilter {
                organisations: Some(user.organisations.iter().map(|o| o.id).collect()),
                ..Default::default()
            },
            200,
        )
        .await?;
        self.assemble_ideas(rows).await
    }
}
