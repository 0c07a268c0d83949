//! The portal's records: invitations, sign-in links, proposals, ideas and
//! their links, and answers to meeting invitations. Tokens are stored only
//! as their hashes; every editable record carries a version.

use crate::Error;
use crate::entity::{idea, idea_link, invitation, meeting_response, proposal, sign_in_link};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

pub use crate::entity::idea::Model as IdeaRow;
pub use crate::entity::idea_link::Model as IdeaLinkRow;
pub use crate::entity::invitation::Model as InvitationRow;
pub use crate::entity::meeting_response::Model as ResponseRow;
pub use crate::entity::proposal::Model as ProposalRow;
pub use crate::entity::sign_in_link::Model as SignInLinkRow;

// --- invitations -------------------------------------------------------------

pub async fn insert_invitation(
    c: &impl ConnectionTrait,
    row: InvitationRow,
) -> Result<InvitationRow, Error> {
    Ok(row.into_active_model().reset_all().insert(c).await?)
}

pub async fn find_invitation(
    c: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<InvitationRow>, Error> {
    Ok(invitation::Entity::find_by_id(id).one(c).await?)
}

pub async fn invitation_by_token(
    c: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<InvitationRow>, Error> {
    Ok(invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(token_hash))
        .one(c)
        .await?)
}

/// Invitations, newest first; of one person or organisation when given.
pub async fn list_invitations(
    c: &impl ConnectionTrait,
    person: Option<Uuid>,
    organisation: Option<Uuid>,
    limit: u64,
) -> Result<Vec<InvitationRow>, Error> {
    let mut q = invitation::Entity::find().order_by_desc(invitation::Column::CreatedAt);
    if let Some(p) = person {
        q = q.filter(invitation::Column::PersonId.eq(p));
    }
    if let Some(o) = organisation {
        q = q.filter(invitation::Column::OrganisationId.eq(o));
    }
    Ok(q.limit(limit).all(c).await?)
}

/// Writes an invitation if its version is still `row.version`.
pub async fn update_invitation(
    c: &impl ConnectionTrait,
    row: InvitationRow,
) -> Result<InvitationRow, Error> {
    crate::versioned::update_versioned(c, row).await
}

// --- sign-in links -----------------------------------------------------------

pub async fn insert_sign_in_link(
    c: &impl ConnectionTrait,
    row: SignInLinkRow,
) -> Result<(), Error> {
    sign_in_link::Entity::insert(row.into_active_model().reset_all())
        .exec_without_returning(c)
        .await?;
    Ok(())
}

/// Uses a link once: its account when the link is known, unused and not
/// expired (and marks it used in the same statement, so it works once even
/// when two requests race).
pub async fn use_sign_in_link(
    c: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, Error> {
    let done = sign_in_link::Entity::update_many()
        .col_expr(sign_in_link::Column::UsedAt, Expr::value(Some(now)))
        .filter(sign_in_link::Column::TokenHash.eq(token_hash))
        .filter(sign_in_link::Column::UsedAt.is_null())
        .filter(sign_in_link::Column::ExpiresAt.gt(now))
        .exec(c)
        .await?;
    if done.rows_affected != 1 {
        return Ok(None);
    }
    Ok(sign_in_link::Entity::find_by_id(token_hash.to_owned())
        .one(c)
        .await?
        .map(|r| r.user_id))
}

/// Links made for an account since `since` (for the per-account limit).
pub async fn count_sign_in_links(
    c: &impl ConnectionTrait,
    user: Uuid,
    since: DateTime<Utc>,
) -> Result<u64, Error> {
    Ok(sign_in_link::Entity::find()
        .filter(sign_in_link::Column::UserId.eq(user))
        .filter(sign_in_link::Column::CreatedAt.gte(since))
        .count(c)
        .await?)
}

/// Removes links that ended a day ago.
pub async fn purge_sign_in_links(
    c: &impl ConnectionTrait,
    before: DateTime<Utc>,
) -> Result<u64, Error> {
    Ok(sign_in_link::Entity::delete_many()
        .filter(sign_in_link::Column::ExpiresAt.lt(before))
        .exec(c)
        .await?
        .rows_affected)
}

// --- proposals -----------------------------------------------------------------

pub async fn insert_proposal(
    c: &impl ConnectionTrait,
    row: ProposalRow,
) -> Result<ProposalRow, Error> {
    Ok(row.into_active_model().reset_all().insert(c).await?)
}

pub async fn find_proposal(
    c: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<ProposalRow>, Error> {
    Ok(proposal::Entity::find_by_id(id).one(c).await?)
}

/// What to list of the proposals.
#[derive(Debug, Clone, Default)]
pub struct ProposalFilter {
    pub statuses: Vec<String>,
    /// Proposals for these organisations only (a representative's).
    pub organisations: Option<Vec<Uuid>>,
    pub record: Option<Uuid>,
}

/// Proposals, oldest first (the queue's order).
pub async fn list_proposals(
    c: &impl ConnectionTrait,
    f: &ProposalFilter,
    limit: u64,
) -> Result<Vec<ProposalRow>, Error> {
    let mut q = proposal::Entity::find().order_by_asc(proposal::Column::CreatedAt);
    if !f.statuses.is_empty() {
        q = q.filter(proposal::Column::Status.is_in(f.statuses.clone()));
    }
    if let Some(orgs) = &f.organisations {
        q = q.filter(proposal::Column::OrganisationId.is_in(orgs.clone()));
    }
    if let Some(r) = f.record {
        q = q.filter(proposal::Column::RecordId.eq(r));
    }
    Ok(q.limit(limit).all(c).await?)
}

/// How many proposals wait for staff (pending, or published and not yet
/// seen).
pub async fn count_waiting(c: &impl ConnectionTrait) -> Result<u64, Error> {
    Ok(proposal::Entity::find()
        .filter(proposal::Column::Status.is_in(["pending", "published"]))
        .count(c)
        .await?)
}

/// Writes a proposal if its version is still `row.version`.
pub async fn update_proposal(
    c: &impl ConnectionTrait,
    row: ProposalRow,
) -> Result<ProposalRow, Error> {
    crate::versioned::update_versioned(c, row).await
}

// --- ideas -----------------------------------------------------------------------

pub async fn insert_idea(c: &impl ConnectionTrait, row: IdeaRow) -> Result<IdeaRow, Error> {
    Ok(row.into_active_model().reset_all().insert(c).await?)
}

pub async fn find_idea(c: &impl ConnectionTrait, id: Uuid) -> Result<Option<IdeaRow>, Error> {
    Ok(idea::Entity::find_by_id(id).one(c).await?)
}

/// What to list of the ideas.
#[derive(Debug, Clone, Default)]
pub struct IdeaFilter {
    pub statuses: Vec<String>,
    /// Ideas proposed by, or linked to, one of these organisations.
    pub organisations: Option<Vec<Uuid>>,
    pub deleted: bool,
}

/// Ideas, newest first.
pub async fn list_ideas(
    c: &impl ConnectionTrait,
    f: &IdeaFilter,
    limit: u64,
) -> Result<Vec<IdeaRow>, Error> {
    let mut q = idea::Entity::find().order_by_desc(idea::Column::CreatedAt);
    q = if f.deleted {
        q.filter(idea::Column::DeletedAt.is_not_null())
    } else {
        q.filter(idea::Column::DeletedAt.is_null())
    };
    if !f.statuses.is_empty() {
        q = q.filter(idea::Column::Status.is_in(f.statuses.clone()));
    }
    if let Some(orgs) = &f.organisations {
        let linked = sea_orm::sea_query::Query::select()
            .column(idea_link::Column::IdeaId)
            .from(idea_link::Entity)
            .and_where(idea_link::Column::RecordType.eq("organisation"))
            .and_where(idea_link::Column::RecordId.is_in(orgs.clone()))
            .to_owned();
        q = q.filter(
            sea_orm::Condition::any()
                .add(idea::Column::OrganisationId.is_in(orgs.clone()))
                .add(idea::Column::Id.in_subquery(linked)),
        );
    }
    Ok(q.limit(limit).all(c).await?)
}

pub async fn update_idea(c: &impl ConnectionTrait, row: IdeaRow) -> Result<IdeaRow, Error> {
    crate::versioned::update_versioned(c, row).await
}

/// The links of the given ideas.
pub async fn idea_links(
    c: &impl ConnectionTrait,
    ideas: &[Uuid],
) -> Result<Vec<IdeaLinkRow>, Error> {
    if ideas.is_empty() {
        return Ok(Vec::new());
    }
    Ok(idea_link::Entity::find()
        .filter(idea_link::Column::IdeaId.is_in(ideas.to_vec()))
        .all(c)
        .await?)
}

/// Replaces an idea's links.
pub async fn set_idea_links(
    c: &impl ConnectionTrait,
    idea: Uuid,
    links: &[(String, Uuid)],
) -> Result<(), Error> {
    idea_link::Entity::delete_many()
        .filter(idea_link::Column::IdeaId.eq(idea))
        .exec(c)
        .await?;
    for (record_type, record_id) in links {
        idea_link::Entity::insert(idea_link::ActiveModel {
            idea_id: sea_orm::Set(idea),
            record_type: sea_orm::Set(record_type.clone()),
            record_id: sea_orm::Set(*record_id),
        })
        .on_conflict(
            OnConflict::columns([
                idea_link::Column::IdeaId,
                idea_link::Column::RecordType,
                idea_link::Column::RecordId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .try_insert()
        .exec_without_returning(c)
        .await?;
    }
    Ok(())
}

/// Ideas linked to a record (an organisation's timeline, a meeting).
pub async fn ideas_linked_to(
    c: &impl ConnectionTrait,
    record_type: &str,
    record: Uuid,
) -> Result<Vec<Uuid>, Error> {
    Ok(idea_link::Entity::find()
        .filter(idea_link::Column::RecordType.eq(record_type))
        .filter(idea_link::Column::RecordId.eq(record))
        .all(c)
        .await?
        .into_iter()
        .map(|l| l.idea_id)
        .collect())
}

// --- answers to meeting invitations ---------------------------------------------

/// Stores a member's answer (replacing an earlier one).
pub async fn put_response(c: &impl ConnectionTrait, row: ResponseRow) -> Result<(), Error> {
    meeting_response::Entity::delete_many()
        .filter(meeting_response::Column::MeetingId.eq(row.meeting_id))
        .filter(meeting_response::Column::PersonId.eq(row.person_id))
        .exec(c)
        .await?;
    meeting_response::Entity::insert(row.into_active_model().reset_all())
        .exec_without_returning(c)
        .await?;
    Ok(())
}

/// The answers to the given meetings.
pub async fn responses(
    c: &impl ConnectionTrait,
    meetings: &[Uuid],
) -> Result<Vec<ResponseRow>, Error> {
    if meetings.is_empty() {
        return Ok(Vec::new());
    }
    Ok(meeting_response::Entity::find()
        .filter(meeting_response::Column::MeetingId.is_in(meetings.to_vec()))
        .all(c)
        .await?)
}
