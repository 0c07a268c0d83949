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

/// What identifies a person in free text (their name both ways round, the
/// e-mail address, the phone number), matched case-insensitively with
/// Unicode case folding ("ÖZLEM" is "özlem"), with any run of white space
/// between words, and in iCalendar text also where a line was folded or a
/// comma escaped.
pub struct Needles {
    patterns: Vec<regex::Regex>,
    /// For each needle, its longest ASCII run of three or more characters
    /// (lower case): databases fold ASCII case in `lower()` and `LIKE`
    /// everywhere, other letters not always, so only these may narrow the
    /// rows read; `None` when a needle has none (every row is read).
    prefilter: Option<Vec<String>>,
}

impl Needles {
    pub fn new(needles: &[String]) -> Needles {
        let words: Vec<Vec<String>> = needles
            .iter()
            .map(|n| n.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
            .filter(|w: &Vec<String>| w.iter().map(|x| x.chars().count()).sum::<usize>() >= 3)
            .collect();
        let patterns = words
            .iter()
            .filter_map(|w| {
                let body = w
                    .iter()
                    .map(|x| word_pattern(x))
                    .collect::<Vec<_>>()
                    .join(r"\s+");
                regex::RegexBuilder::new(&body)
                    .case_insensitive(true)
                    .build()
                    .ok()
            })
            .collect();
        let prefilter = words
            .iter()
            .map(|w| {
                w.iter()
                    .flat_map(|x| {
                        x.split(|c: char| !c.is_ascii() || c == '%' || c == '_' || c == '\\')
                            .map(str::to_ascii_lowercase)
                            .collect::<Vec<_>>()
                    })
                    .filter(|run| run.len() >= 3)
                    .max_by_key(String::len)
            })
            .collect();
        Needles {
            patterns,
            prefilter,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The text with every mention replaced, or `None` when it mentions
    /// nobody.
    pub fn clean(&self, text: &str, replacement: &str) -> Option<String> {
        let replace = |t: &str| {
            let mut out = t.to_owned();
            for p in &self.patterns {
                out = p
                    .replace_all(&out, regex::NoExpand(replacement))
                    .into_owned();
            }
            (out != t).then_some(out)
        };
        replace(text).or_else(|| {
            // iCalendar: lines folded at 75 octets, commas and semicolons
            // escaped. The cleaned text is kept unfolded (still valid).
            let unfolded = text
                .replace("\r\n ", "")
                .replace("\n ", "")
                .replace("\\,", ",")
                .replace("\\;", ";");
            (unfolded != text).then(|| replace(&unfolded)).flatten()
        })
    }
}

/// A word as a pattern: escaped, and the Turkish and Latin i's taken as
/// one letter (Unicode's simple case folding keeps İ and ı apart from i, so
/// "DEMİR" would not match "Demir").
fn word_pattern(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'i' | 'I' | 'İ' | 'ı' => "[iIİı]".to_owned(),
            c => regex::escape(&c.to_string()),
        })
        .collect()
}

/// Replaces every mention of the needles in the given text columns of a
/// table by `replacement`; the database narrows the rows where it can fold
/// case correctly (see [`Needles`]), the matching is done here. Returns the
/// keys of the rows that changed (once per column).
pub async fn scrub(
    c: &impl ConnectionTrait,
    table: &str,
    key: &str,
    columns: &[&str],
    needles: &Needles,
    replacement: &str,
) -> Result<Vec<String>, Error> {
    if needles.is_empty() {
        return Ok(Vec::new());
    }
    let mut changed = Vec::new();
    for column in columns {
        let cond = match &needles.prefilter {
            Some(runs) => {
                let mut any = sea_orm::sea_query::Condition::any();
                for run in runs {
                    any = any.add(
                        Expr::expr(Func::lower(Expr::col(Alias::new(*column))))
                            .like(format!("%{run}%")),
                    );
                }
                any
            }
            None => sea_orm::sea_query::Condition::all()
                .add(Expr::col(Alias::new(*column)).is_not_null()),
        };
        let select = Query::select()
            .column(Alias::new(key))
            .column(Alias::new(*column))
            .from(Alias::new(table))
            .cond_where(cond)
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
            if let Some(cleaned) = needles.clean(&text, replacement) {
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

/// Deletes every staged import upload; returns how many. Uploads are
/// transient (an hour's work at most, a day at the latest), and a
/// spreadsheet's contents are compressed, so they cannot be searched for a
/// name cheaply: an erasure discards them all, and the wizard asks for the
/// file again.
pub async fn delete_uploads(c: &impl ConnectionTrait) -> Result<u64, Error> {
    use crate::entity::import_upload;
    Ok(import_upload::Entity::delete_many()
        .exec(c)
        .await?
        .rows_affected)
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
    fn replaces_whatever_the_case_and_the_spacing() {
        let needles = Needles::new(&["Ayşe Yılmaz".to_owned(), "ayse@example.org".to_owned()]);
        assert_eq!(
            needles
                .clean(
                    "Gespräch mit AYŞE YILMAZ (Ayse@Example.org), dann Ayşe\n Yılmaz.",
                    "[gelöscht]"
                )
                .unwrap(),
            "Gespräch mit [gelöscht] ([gelöscht]), dann [gelöscht]."
        );
        assert_eq!(needles.clean("Nichts davon.", "x"), None);
        // Names without three ASCII letters in a row are found by reading
        // every row, not by the database's (ASCII-only) case folding.
        assert!(Needles::new(&["Ирина Ли".to_owned()]).prefilter.is_none());
        assert_eq!(
            Needles::new(&["Özlem Şahin".to_owned()]).prefilter,
            Some(vec!["ahin".to_owned()])
        );
        // A Turkish dotted capital I changes length when lower-cased: the
        // text around it is still cleaned.
        let n = Needles::new(&["İlker Demir".to_owned()]);
        assert_eq!(n.clean("İLKER DEMİR war da", "[x]").unwrap(), "[x] war da");
    }

    #[test]
    fn folded_calendar_lines_are_found() {
        let n = Needles::new(&[
            "Kowalczyk, Mira".to_owned(),
            "mira.kowalczyk@example.org".to_owned(),
        ]);
        let ics = "ATTENDEE;CN=Kowalczyk\\, Mira:mailto:mira.kowa\r\n lczyk@example.org\r\n";
        let cleaned = n.clean(ics, "[gelöscht]").unwrap();
        assert!(!cleaned.to_lowercase().contains("kowalczyk"), "{cleaned}");
    }
}
