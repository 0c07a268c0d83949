//! The portal's start page: what waits for the representative (meetings to
//! answer, changes awaiting review and their outcome, needs and ideas with
//! the office's answers) and, for an organisation whose entry was last
//! confirmed more than a year ago, the question "is your entry still
//! correct?". Confirming it sets `assured_at` and is logged.

use super::meetings::MemberMeeting;
use super::proposals::Proposal;
use super::{PortalUser, current};
use crate::ideas::Idea;
use crate::needs::Need;
use crate::{Actor, Error, Services};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use uuid::Uuid;

/// One of the representative's organisations, as the start page shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OwnOrganisation {
    pub id: Uuid,
    pub name: String,
    pub listed: bool,
    pub assured_at: Option<DateTime<Utc>>,
    /// Last confirmed more than twelve months ago (or never).
    pub confirm: bool,
    pub version: i32,
}

/// What the start page holds.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PortalHome {
    pub user: PortalUser,
    pub organisations: Vec<OwnOrganisation>,
    /// Upcoming meetings without an answer yet.
    pub meetings_to_answer: Vec<MemberMeeting>,
    /// Changes waiting for the office, and those decided in the last 60
    /// days.
    pub proposals: Vec<Proposal>,
    /// The organisations' needs that are open, or were answered in the last
    /// 60 days.
    pub needs: Vec<Need>,
    pub ideas: Vec<Idea>,
}

impl Services {
    pub async fn portal_home(&self, actor: &Actor) -> Result<PortalHome, Error> {
        let user = self.portal_user(actor).await?;
        let ids: Vec<Uuid> = user.organisations.iter().map(|o| o.id).collect();
        let year_ago = Utc::now() - Duration::days(365);
        let recent = Utc::now() - Duration::days(60);
        let organisations = msohub_store::organisations::find_many(self.store.conn(), &ids)
            .await?
            .into_iter()
            .map(|o| OwnOrganisation {
                id: o.id,
                name: o.name,
                listed: o.is_public,
                confirm: o.assured_at.is_none_or(|a| a < year_ago),
                assured_at: o.assured_at,
                version: o.version,
            })
            .collect();
        let meetings_to_answer = self
            .portal_meetings(actor)
            .await?
            .into_iter()
            .filter(|m| m.answer.is_none() && m.starts_at > Utc::now() && m.status != "cancelled")
            .collect();
        let proposals = self
            .list_proposals(actor, &[])
            .await?
            .into_iter()
            .filter(|p| p.status == "pending" || p.decided_at.is_some_and(|d| d > recent))
            .collect();
        let needs = self
            .portal_needs(actor)
            .await?
            .into_iter()
            .filter(|n| {
                matches!(n.status.as_str(), "open" | "in_progress") || n.updated_at > recent
            })
            .collect();
        let ideas = self.portal_ideas(actor).await?;
        Ok(PortalHome {
            user,
            organisations,
            meetings_to_answer,
            proposals,
            needs,
            ideas,
        })
    }

    /// "Our entry is still correct": sets the organisation's `assured_at`.
    pub async fn confirm_organisation(
        &self,
        actor: &Actor,
        id: Uuid,
        version: i32,
    ) -> Result<(), Error> {
        self.own_organisation(actor, id).await?;
        self.mark_organisation_checked(&self.acting_for(actor), id, version)
            .await?;
        Ok(())
    }

    /// The needs of the representative's organisations.
    pub async fn portal_needs(&self, actor: &Actor) -> Result<Vec<Need>, Error> {
        let user = self.portal_user(actor).await?;
        let mut out = Vec::new();
        for o in &user.organisations {
            let (rows, _) = msohub_store::work::list_needs(
                self.store.conn(),
                &msohub_store::work::NeedFilter {
                    organisation: Some(o.id),
                    ..Default::default()
                },
                0,
                200,
            )
            .await?;
            out.extend(self.assemble_needs(rows).await?);
        }
        out.sort_by_key(|b| std::cmp::Reverse(b.created_at));
        Ok(out)
    }

    /// A representative reports a need of one of their organisations: it
    /// lands in the needs register with source `portal` and the person who
    /// reported it.
    pub async fn report_need(
        &self,
        actor: &Actor,
        input: &crate::needs::NeedInput,
    ) -> Result<Need, Error> {
        let user = self.portal_user(actor).await?;
        let organisation = input
            .organisation_id
            .trim()
            .parse::<Uuid>()
            .map_err(|_| Error::field("organisation_id", "organisation-required"))?;
        if !user.organisations.iter().any(|o| o.id == organisation) {
            return Err(Error::NotFound);
        }
        let clean = crate::needs::NeedInput {
            organisation_id: organisation.to_string(),
            category: input.category.clone(),
            description: input.description.clone(),
            urgency: input.urgency.clone(),
            source: "portal".to_owned(),
            status: "open".to_owned(),
            ..Default::default()
        };
        self.create_need_reported(&self.acting_for(actor), &clean, user.person.id)
            .await
    }
}

/// Whether a membership or affiliation is current today (re-exported for
/// the pages).
pub fn is_current(from: Option<chrono::NaiveDate>, to: Option<chrono::NaiveDate>) -> bool {
    current(from, to, crate::time::today())
}

/// One of the representative's organisations as its entry page shows it:
/// the fields they may change (never internal notes), its offers and
/// upcoming events, and how many changes wait for review.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PortalOrganisation {
    pub id: Uuid,
    pub input: crate::organisations::OrganisationInput,
    pub trusted: bool,
    pub assured_at: Option<DateTime<Utc>>,
    pub offers: Vec<crate::offers::Offer>,
    pub events: Vec<crate::events::Event>,
    pub pending: usize,
}

impl Services {
    pub async fn portal_organisation(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<PortalOrganisation, Error> {
        let (_, row) = self.own_organisation(actor, id).await?;
        let staff = self.acting_for(actor);
        let organisation = crate::organisations::Organisation::from(&row);
        let mut input = organisation.to_input();
        input.internal_notes = String::new();
        let offers = self
            .organisation_offers(&staff, id)
            .await?
            .into_iter()
            .filter(|o| !o.deleted)
            .collect();
        let (events, _) = self
            .list_events(
                &staff,
                &crate::events::EventQuery {
                    organisation: Some(id),
                    from: Some(crate::time::today()),
                    ..Default::default()
                },
                0,
                100,
            )
            .await?;
        let pending = self
            .list_proposals(actor, &["pending".to_owned()])
            .await?
            .iter()
            .filter(|p| p.organisation.id == id)
            .count();
        Ok(PortalOrganisation {
            id,
            input,
            trusted: msohub_store::organisations::is_trusted(self.store.conn(), id).await?,
            assured_at: row.assured_at,
            offers,
            events,
            pending,
        })
    }

    /// An offer of one of the representative's organisations (`NotFound`
    /// for any other).
    pub async fn portal_offer(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<crate::offers::Offer, Error> {
        let user = self.portal_user(actor).await?;
        let offer = self.get_offer(&self.acting_for(actor), id).await?;
        if offer.deleted
            || !user
                .organisations
                .iter()
                .any(|o| o.id == offer.organisation.id)
        {
            return Err(Error::NotFound);
        }
        Ok(offer)
    }

    /// An event organised by one of the representative's organisations.
    pub async fn portal_event(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<crate::events::Event, Error> {
        let user = self.portal_user(actor).await?;
        let event = self.get_event(&self.acting_for(actor), id).await?;
        let ours = event
            .organisers
            .iter()
            .any(|o| user.organisations.iter().any(|u| u.id == o.id));
        if event.deleted || !ours {
            return Err(Error::NotFound);
        }
        Ok(event)
    }
}
