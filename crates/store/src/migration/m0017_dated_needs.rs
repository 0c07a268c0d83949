//! Needs get dates of their own: `raised_on`, when the office learnt of the
//! need, and `resolved_on`, when it was met or found impossible to meet.
//! Targets count needs by these dates, not by when the record was last
//! touched.
//!
//! Existing needs are filled from the facts: `raised_on` from the date of
//! the contact the need was learnt in, else the day the record was made;
//! `resolved_on` from the audit log's change that last set the status to
//! addressed or cannot-be-met (never from `updated_at`, which any later
//! correction moves); a resolved need with no such entry takes its
//! `raised_on`, the earliest it can have been resolved. Days are Berlin days.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, TransactionTrait};
use std::collections::HashMap;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Need {
    Table,
    Id,
    SourceInteractionId,
    Status,
    CreatedAt,
    RaisedOn,
    ResolvedOn,
}

#[derive(DeriveIden)]
enum Interaction {
    Table,
    Id,
    StartsAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Position,
    EntityType,
    EntityId,
    At,
    After,
}

type Utc = chrono::DateTime<chrono::Utc>;

fn berlin_day(at: Utc) -> chrono::NaiveDate {
    at.with_timezone(&chrono_tz::Europe::Berlin).date_naive()
}

fn resolved(status: &str) -> bool {
    matches!(status, "addressed" | "cannot_be_met")
}

/// One audit entry of a need, in order: the status it left and when. The
/// state is (the status so far, when it last became resolved); a change
/// between two resolved statuses keeps the day, reopening forgets it.
fn step(state: &mut (String, Option<Utc>), status: String, at: Utc) {
    if resolved(&status) && !resolved(&state.0) {
        state.1 = Some(at);
    } else if !resolved(&status) {
        state.1 = None;
    }
    state.0 = status;
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [Need::RaisedOn, Need::ResolvedOn] {
            m.alter_table(
                Table::alter()
                    .table(Need::Table)
                    .add_column(ColumnDef::new(col).date().null())
                    .to_owned(),
            )
            .await?;
        }
        let c = m.get_connection();
        let interactions = Query::select()
            .columns([Interaction::Id, Interaction::StartsAt])
            .from(Interaction::Table)
            .to_owned();
        let starts: HashMap<uuid::Uuid, Utc> = c
            .query_all(&interactions)
            .await?
            .into_iter()
            .map(|r| Ok((r.try_get("", "id")?, r.try_get("", "starts_at")?)))
            .collect::<Result<_, DbErr>>()?;
        // When each need's status last became resolved, from its audit
        // entries in the order they were written.
        let entries = Query::select()
            .columns([AuditLog::EntityId, AuditLog::At, AuditLog::After])
            .from(AuditLog::Table)
            .and_where(Expr::col(AuditLog::EntityType).eq("need"))
            .order_by(AuditLog::Position, Order::Asc)
            .to_owned();
        let mut status_at: HashMap<String, (String, Option<Utc>)> = HashMap::new();
        for r in c.query_all(&entries).await? {
            let id: String = r.try_get("", "entity_id")?;
            let at: Utc = r.try_get("", "at")?;
            let after: Option<String> = r.try_get("", "after")?;
            let Some(status) = after
                .and_then(|a| serde_json::from_str::<serde_json::Value>(&a).ok())
                .and_then(|v| v.get("status").and_then(|s| s.as_str()).map(str::to_owned))
            else {
                continue;
            };
            step(status_at.entry(id).or_default(), status, at);
        }
        let needs = Query::select()
            .columns([
                Need::Id,
                Need::SourceInteractionId,
                Need::Status,
                Need::CreatedAt,
            ])
            .from(Need::Table)
            .to_owned();
        let needs = c.query_all(&needs).await?;
        let tx = c.begin().await?;
        for r in needs {
            let id: uuid::Uuid = r.try_get("", "id")?;
            let source: Option<uuid::Uuid> = r.try_get("", "source_interaction_id")?;
            let status: String = r.try_get("", "status")?;
            let created: Utc = r.try_get("", "created_at")?;
            let raised = berlin_day(
                source
                    .and_then(|s| starts.get(&s).copied())
                    .unwrap_or(created),
            );
            let resolved_on = resolved(&status).then(|| {
                let at = status_at
                    .get(&id.to_string())
                    .and_then(|(_, at)| *at)
                    .map(berlin_day)
                    .unwrap_or(raised);
                Ord::max(at, raised)
            });
            let update = Query::update()
                .table(Need::Table)
                .value(Need::RaisedOn, raised)
                .value(Need::ResolvedOn, resolved_on)
                .and_where(Expr::col(Need::Id).eq(id))
                .to_owned();
            tx.execute(&update).await?;
        }
        tx.commit().await?;
        m.create_index(
            Index::create()
                .name("need_raised_on")
                .table(Need::Table)
                .col(Need::RaisedOn)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("need_resolved_on")
                .table(Need::Table)
                .col(Need::ResolvedOn)
                .to_owned(),
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32) -> Utc {
        chrono::Utc
            .with_ymd_and_hms(2025, 3, day, 22, 30, 0)
            .unwrap()
    }

    #[test]
    fn the_day_a_need_was_resolved_comes_from_the_change_that_resolved_it() {
        let mut s = (String::new(), None);
        for (status, day) in [("open", 1), ("in_progress", 2), ("addressed", 3)] {
            step(&mut s, status.into(), at(day));
        }
        // A later correction (status unchanged) keeps the day.
        step(&mut s, "addressed".into(), at(20));
        assert_eq!(s.1, Some(at(3)));
        // 22:30 UTC on 3 March is still 3 March in Berlin (23:30).
        assert_eq!(berlin_day(at(3)).to_string(), "2025-03-03");
        // From addressed to cannot be met: still resolved since the 3rd.
        step(&mut s, "cannot_be_met".into(), at(21));
        assert_eq!(s.1, Some(at(3)));
        // Reopened and resolved again: the new day.
        step(&mut s, "open".into(), at(22));
        assert_eq!(s.1, None);
        step(&mut s, "addressed".into(), at(25));
        assert_eq!(s.1, Some(at(25)));
    }
}
