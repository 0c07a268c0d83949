//! Data protection: everything stored about one person (subject access,
//! GDPR Art. 15), making a person anonymous everywhere (erasure, Art. 17),
//! and the facts retention rules need.

use crate::Error;
use crate::entity::{
    affiliation, attendance, audit_log, body, consent, interaction, interaction_person, meeting,
    membership, offer, person, task,
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Value,
};
use std::collections::HashSet;
use uuid::Uuid;

pub use crate::entity::audit_log::Model as AuditRow;
pub use crate::entity::interaction::Model as InteractionRow;
pub use crate::entity::membership::Model as MembershipRow;

/// The person's contacts (interactions they took part in), newest first.
pub async fn interactions_of(
    c: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Vec<InteractionRow>, Error> {
    let ids: Vec<Uuid> = interaction_person::Entity::find()
        .filter(interaction_person::Column::PersonId.eq(person_id))
        .select_only()
        .column(interaction_person::Column::InteractionId)
        .into_tuple()
        .all(c)
        .await?;
    Ok(interaction::Entity::find()
        .filter(interaction::Column::Id.is_in(ids))
        .order_by_desc(interaction::Column::StartsAt)
        .all(c)
        .await?)
}

/// The person's memberships of bodies with the body's name.
pub async fn memberships_of(
    c: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Vec<(MembershipRow, String)>, Error> {
    let rows = membership::Entity::find()
        .filter(membership::Column::PersonId.eq(person_id))
        .order_by_asc(membership::Column::CreatedAt)
        .all(c)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        let name = body::Entity::find_by_id(m.body_id)
            .one(c)
            .await?
            .map(|b| b.name)
            .unwrap_or_default();
        out.push((m, name));
    }
    Ok(out)
}

/// The person's attendance: meeting title, start, status, mode.
pub async fn attendance_of(
    c: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Vec<(String, DateTime<Utc>, String, String)>, Error> {
    let rows = attendance::Entity::find()
        .filter(attendance::Column::PersonId.eq(person_id))
        .all(c)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for a in rows {
        if let Some(m) = meeting::Entity::find_by_id(a.meeting_id).one(c).await? {
            out.push((m.title, m.starts_at, a.status, a.mode));
        }
    }
    out.sort_by_key(|r| std::cmp::Reverse(r.1));
    Ok(out)
}

/// Offers naming the person as contact: id and title.
pub async fn offers_of(
    c: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Vec<(Uuid, String)>, Error> {
    Ok(offer::Entity::find()
        .select_only()
        .column(offer::Column::Id)
        .column(offer::Column::Title)
        .filter(offer::Column::ContactPersonId.eq(person_id))
        .into_tuple()
        .all(c)
        .await?)
}

/// Follow-ups linked to the person: id, title, due date, done.
pub async fn tasks_of(
    c: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Vec<(Uuid, String, NaiveDate, bool)>, Error> {
    Ok(task::Entity::find()
        .filter(task::Column::LinkType.eq("person"))
        .filter(task::Column::LinkId.eq(person_id))
        .filter(task::Column::DeletedAt.is_null())
        .all(c)
        .await?
        .into_iter()
        .map(|t| (t.id, t.title, t.due_on, t.done_at.is_some()))
        .collect())
}

/// The audit entries about the person, oldest first.
pub async fn audit_of(c: &impl ConnectionTrait, person_id: Uuid) -> Result<Vec<AuditRow>, Error> {
    Ok(audit_log::Entity::find()
        .filter(audit_log::Column::EntityType.eq("person"))
        .filter(audit_log::Column::EntityId.eq(person_id.to_string()))
        .order_by_asc(audit_log::Column::Position)
        .all(c)
        .await?)
}

/// Replaces every occurrence of each needle (case-insensitively) in the
/// given text columns of a table by `replacement`; rows are found with
/// `lower(column) LIKE %needle%` on either database, the replacing is done
/// here. Returns the keys of the rows that changed (once per column).
pub async fn scrub(
    c: &impl ConnectionTrait,
    table: &str,
    key: &str,
    columns: &[&str],
    needles: &[String],
    replacement: &str,
) -> Result<Vec<String>, Error> {
    let needles: Vec<String> = needles
        .iter()
        .map(|n| n.trim().to_lowercase())
        .filter(|n| n.chars().count() >= 3)
        .collect();
    if needles.is_empty() {
        return Ok(Vec::new());
    }
    let mut changed = Vec::new();
    for column in columns {
        let mut any = sea_orm::sea_query::Condition::any();
        for n in &needles {
            let pattern = format!(
                "%{}%",
                n.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            any = any.add(
                Expr::expr(Func::lower(Expr::col(Alias::new(*column))))
                    .like(sea_orm::sea_query::LikeExpr::new(pattern).escape('\\')),
            );
        }
        let select = Query::select()
            .column(Alias::new(key))
            .column(Alias::new(*column))
            .from(Alias::new(table))
            .cond_where(any)
            .to_owned();
        let rows = c.query_all(&select).await?;
        for row in rows {
            let (id, label): (Value, String) = match row.try_get::<Uuid>("", key) {
                Ok(u) => (u.into(), u.to_string()),
                Err(_) => {
                    let n = row.try_get::<i64>("", key)?;
                    (n.into(), n.to_string())
                }
            };
            let Some(text) = row.try_get::<Option<String>>("", column)? else {
                continue;
            };
            let cleaned = replace_all(&text, &needles, replacement);
            if cleaned != text {
                let update = Query::update()
                    .table(Alias::new(table))
                    .value(Alias::new(*column), cleaned)
                    .and_where(Expr::col(Alias::new(key)).eq(id))
                    .to_owned();
                c.execute(&update).await?;
                changed.push(label);
            }
        }
    }
    Ok(changed)
}

/// Deletes the staged import uploads whose file name or contents mention a
/// needle (any encoding the import reads: UTF-8 or Windows-1252, case
/// folded); returns how many. Uploads are transient, so a whole file is
/// dropped rather than edited.
pub async fn delete_uploads_mentioning(
    c: &impl ConnectionTrait,
    needles: &[String],
) -> Result<u64, Error> {
    use crate::entity::import_upload;
    let needles: Vec<String> = needles
        .iter()
        .map(|n| n.trim().to_lowercase())
        .filter(|n| n.chars().count() >= 3)
        .collect();
    if needles.is_empty() {
        return Ok(0);
    }
    let rows = import_upload::Entity::find()
        .select_only()
        .column(import_upload::Column::Id)
        .column(import_upload::Column::FileName)
        .column(import_upload::Column::Data)
        .into_tuple::<(Uuid, String, Vec<u8>)>()
        .all(c)
        .await?;
    let mut deleted = 0;
    for (id, name, data) in rows {
        let utf8 = String::from_utf8_lossy(&data).to_lowercase();
        let latin: String = data
            .iter()
            .map(|&b| char::from(b))
            .collect::<String>()
            .to_lowercase();
        let name = name.to_lowercase();
        // Windows-1252 keeps ä, ö, ü, ß where Latin-1 does; the names that
        // matter are found by either reading.
        if needles
            .iter()
            .any(|n| utf8.contains(n) || latin.contains(n) || name.contains(n))
        {
            deleted += import_upload::Entity::delete_by_id(id)
                .exec(c)
                .await?
                .rows_affected;
        }
    }
    Ok(deleted)
}

/// Gives up the messages still waiting in the outbox for an address (the
/// erased person's), so nothing is sent to them after the erasure.
pub async fn cancel_mail_to(c: &impl ConnectionTrait, address: &str) -> Result<u64, Error> {
    use crate::entity::outbox;
    Ok(outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value("failed"))
        .col_expr(
            outbox::Column::LastError,
            Expr::value("Empfänger gelöscht (DSGVO Art. 17)"),
        )
        .filter(outbox::Column::Status.eq("pending"))
        .filter(
            Expr::expr(Func::lower(Expr::col(outbox::Column::ToAddress)))
                .eq(address.trim().to_lowercase()),
        )
        .exec(c)
        .await?
        .rows_affected)
}

/// Case-insensitive replacement of every needle (already lower case).
pub fn replace_all(text: &str, needles: &[String], replacement: &str) -> String {
    let mut out = text.to_owned();
    for n in needles {
        loop {
            let lower = out.to_lowercase();
            // Lower-casing can change byte lengths (rare letters); then the
            // positions no longer fit and the text is kept as it is.
            if lower.len() != out.len() {
                break;
            }
            let Some(at) = lower.find(n.as_str()) else {
                break;
            };
            out.replace_range(at..at + n.len(), replacement);
        }
    }
    out
}

/// Makes the person anonymous: names and contact data replaced, notes
/// emptied, affiliations and the offer contact removed, body roles
/// blanked, the audit snapshots about them emptied. Links that only count
/// (contacts, attendance, memberships, consent dates) stay, so figures stay
/// as they were. Returns the number of changed rows.
pub async fn anonymise_person(
    c: &impl ConnectionTrait,
    person_id: Uuid,
    now: DateTime<Utc>,
) -> Result<u64, Error> {
    let mut changed = person::Entity::update_many()
        .col_expr(person::Column::GivenName, Expr::value("Gelöschte"))
        .col_expr(person::Column::FamilyName, Expr::value("Person"))
        .col_expr(person::Column::Email, Expr::value(Option::<String>::None))
        .col_expr(person::Column::Phone, Expr::value(Option::<String>::None))
        .col_expr(person::Column::Languages, Expr::value("[]"))
        .col_expr(person::Column::Notes, Expr::value(""))
        .col_expr(person::Column::SearchText, Expr::value(""))
        .col_expr(person::Column::NameSort, Expr::value("~"))
        .col_expr(
            person::Column::Version,
            Expr::col(person::Column::Version).add(1),
        )
        .col_expr(person::Column::DeletedAt, Expr::value(Some(now)))
        .col_expr(person::Column::UpdatedAt, Expr::value(now))
        .filter(person::Column::Id.eq(person_id))
        .exec(c)
        .await?
        .rows_affected;
    changed += affiliation::Entity::delete_many()
        .filter(affiliation::Column::PersonId.eq(person_id))
        .exec(c)
        .await?
        .rows_affected;
    changed += membership::Entity::update_many()
        .col_expr(membership::Column::Role, Expr::value(""))
        .filter(membership::Column::PersonId.eq(person_id))
        .exec(c)
        .await?
        .rows_affected;
    changed += consent::Entity::update_many()
        .col_expr(consent::Column::Source, Expr::value(""))
        .filter(consent::Column::PersonId.eq(person_id))
        .exec(c)
        .await?
        .rows_affected;
    changed += offer::Entity::update_many()
        .col_expr(
            offer::Column::ContactPersonId,
            Expr::value(Option::<Uuid>::None),
        )
        .filter(offer::Column::ContactPersonId.eq(person_id))
        .exec(c)
        .await?
        .rows_affected;
    changed += audit_log::Entity::update_many()
        .col_expr(
            audit_log::Column::Before,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            audit_log::Column::After,
            Expr::value(Option::<String>::None),
        )
        .filter(audit_log::Column::EntityType.eq("person"))
        .filter(audit_log::Column::EntityId.eq(person_id.to_string()))
        .exec(c)
        .await?
        .rows_affected;
    Ok(changed)
}

/// Consents that end between `from` and `until` (inclusive), not withdrawn,
/// of live persons: the consent and the person's name.
pub async fn expiring_consents(
    c: &impl ConnectionTrait,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<(crate::people::ConsentRow, String, String)>, Error> {
    let rows = consent::Entity::find()
        .filter(consent::Column::ExpiresOn.gte(from))
        .filter(consent::Column::ExpiresOn.lte(until))
        .filter(consent::Column::WithdrawnOn.is_null())
        .order_by_asc(consent::Column::ExpiresOn)
        .all(c)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        if let Some(p) = person::Entity::find_by_id(r.person_id).one(c).await?
            && p.deleted_at.is_none()
        {
            out.push((r, p.given_name, p.family_name));
        }
    }
    Ok(out)
}

/// Live persons with no current affiliation, no consent that covers
/// `today`, no current body membership, no contact or meeting since
/// `since`, and no change since `since`: id, given and family name, last
/// change.
pub async fn retention_candidates(
    c: &impl ConnectionTrait,
    today: NaiveDate,
    since: DateTime<Utc>,
) -> Result<Vec<(Uuid, String, String, DateTime<Utc>)>, Error> {
    let mut keep: HashSet<Uuid> = HashSet::new();
    for a in affiliation::Entity::find().all(c).await? {
        if a.to_date.is_none_or(|t| t >= today) {
            keep.insert(a.person_id);
        }
    }
    for k in consent::Entity::find().all(c).await? {
        if k.withdrawn_on.is_none()
            && k.given_on <= today
            && k.expires_on.is_none_or(|e| e >= today)
        {
            keep.insert(k.person_id);
        }
    }
    for m in membership::Entity::find().all(c).await? {
        if let Some(p) = m.person_id
            && m.to_date.is_none_or(|t| t >= today)
        {
            keep.insert(p);
        }
    }
    let recent: HashSet<Uuid> = interaction::Entity::find()
        .select_only()
        .column(interaction::Column::Id)
        .filter(interaction::Column::StartsAt.gte(since))
        .into_tuple::<Uuid>()
        .all(c)
        .await?
        .into_iter()
        .collect();
    for link in interaction_person::Entity::find().all(c).await? {
        if recent.contains(&link.interaction_id) {
            keep.insert(link.person_id);
        }
    }
    let recent_meetings: HashSet<Uuid> = meeting::Entity::find()
        .select_only()
        .column(meeting::Column::Id)
        .filter(meeting::Column::StartsAt.gte(since))
        .into_tuple::<Uuid>()
        .all(c)
        .await?
        .into_iter()
        .collect();
    for a in attendance::Entity::find().all(c).await? {
        if let Some(p) = a.person_id
            && recent_meetings.contains(&a.meeting_id)
        {
            keep.insert(p);
        }
    }
    Ok(person::Entity::find()
        .filter(person::Column::DeletedAt.is_null())
        .filter(person::Column::UpdatedAt.lt(since))
        .order_by_asc(person::Column::NameSort)
        .all(c)
        .await?
        .into_iter()
        .filter(|p| !keep.contains(&p.id))
        .map(|p| (p.id, p.given_name, p.family_name, p.updated_at))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whatever_the_case() {
        let needles = vec!["ayşe yılmaz".to_owned(), "ayse@example.org".to_owned()];
        assert_eq!(
            replace_all(
                "Gespräch mit AYŞE Yılmaz (ayse@example.org), dann Ayşe Yılmaz.",
                &needles,
                "[gelöscht]"
            ),
            "Gespräch mit [gelöscht] ([gelöscht]), dann [gelöscht]."
        );
    }
}
