//! The staff start page's figures: my tasks this week, overdue tasks,
//! planned interactions ahead, organisations not contacted and profiles not
//! checked for twelve months.

use crate::interactions::{Interaction, InteractionQuery, Ref};
use crate::tasks::{Task, TaskQuery};
use crate::{Actor, Error, Services, time};
use chrono::{Datelike, Duration, Utc};
use msohub_domain::Permission;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    /// Open tasks of the caller due by the end of this week (overdue ones
    /// included).
    pub my_tasks: Vec<Task>,
    /// Everyone's open tasks past their due date.
    pub overdue: Vec<Task>,
    pub overdue_total: u64,
    /// Planned interactions from now on, soonest first.
    pub upcoming: Vec<Interaction>,
    /// Organisations without a held interaction for twelve months (the
    /// office itself aside), longest first; with the total.
    pub not_contacted: Vec<(Ref, Option<chrono::DateTime<Utc>>)>,
    pub not_contacted_total: usize,
    /// Profiles not checked for twelve months.
    pub unchecked_total: usize,
    /// The current period and its targets at a glance.
    pub period: Option<crate::targets::Period>,
    pub targets: Vec<crate::targets::Target>,
}

const SHOWN: usize = 10;

impl Services {
    pub async fn dashboard(&self, actor: &Actor) -> Result<Dashboard, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let today = time::today();
        let end_of_week =
            today + Duration::days(i64::from(6 - today.weekday().num_days_from_monday()));
        let my_tasks = match actor.user_id {
            Some(me) => {
                self.list_tasks(
                    actor,
                    &TaskQuery {
                        assignee: Some(me),
                        open: true,
                        due_until: Some(end_of_week),
                        limit: 50,
                        ..TaskQuery::default()
                    },
                )
                .await?
                .items
            }
            None => Vec::new(),
        };
        let overdue = self
            .list_tasks(
                actor,
                &TaskQuery {
                    overdue: true,
                    limit: SHOWN as u64,
                    ..TaskQuery::default()
                },
            )
            .await?;
        let upcoming = self
            .list_interactions(
                actor,
                &InteractionQuery {
                    statuses: vec!["planned".into()],
                    from: Some(Utc::now() - Duration::hours(2)),
                    ascending: true,
                    limit: SHOWN as u64,
                    ..InteractionQuery::default()
                },
            )
            .await?
            .items;
        let conn = self.store.conn();
        let last = msohub_store::work::last_held_contact(conn).await?;
        let year_ago = Utc::now() - Duration::days(365);
        let orgs = msohub_store::organisations::all_live(conn).await?;
        let unchecked_total = orgs
            .iter()
            .filter(|o| o.assured_at.is_none_or(|a| a < year_ago))
            .count();
        let mut not_contacted: Vec<(Ref, Option<chrono::DateTime<Utc>>)> = orgs
            .into_iter()
            .filter(|o| !o.is_own_office)
            .filter_map(|o| {
                let at = last.get(&o.id).copied();
                at.is_none_or(|a| a < year_ago).then_some((
                    Ref {
                        id: o.id,
                        name: o.name,
                    },
                    at,
                ))
            })
            .collect();
        // Never contacted first, then the longest ago.
        not_contacted.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.name.cmp(&b.0.name)));
        let not_contacted_total = not_contacted.len();
        not_contacted.truncate(SHOWN);
        let period = self.current_period(actor).await?;
        let targets = match &period {
            Some(p) => self.targets(actor, p.id).await?,
            None => Vec::new(),
        };
        Ok(Dashboard {
            period,
            targets,
            my_tasks,
            overdue_total: overdue.total,
            overdue: overdue.items,
            upcoming,
            not_contacted,
            not_contacted_total,
            unchecked_total,
        })
    }
}

/// One line of an organisation's timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    pub at: chrono::DateTime<Utc>,
    /// interaction, need, task, idea
    pub kind: &'static str,
    pub id: uuid::Uuid,
    pub title: String,
    /// The record's status code (planned/held/…, open/…, done/open).
    pub status: String,
    /// The record's version, for one-click changes (a contact held).
    pub version: i32,
}

impl Services {
    /// Interactions, needs, tasks and ideas of an organisation (tasks linked
    /// to it, to its interactions or to its needs), newest first.
    pub async fn organisation_timeline(
        &self,
        actor: &Actor,
        organisation: uuid::Uuid,
    ) -> Result<Vec<TimelineEntry>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let conn = self.store.conn();
        let filter = msohub_store::work::InteractionFilter {
            organisation: Some(organisation),
            ..Default::default()
        };
        let (interactions, _) =
            msohub_store::work::list_interactions(conn, &filter, 0, 500).await?;
        let (needs, _) = msohub_store::work::list_needs(
            conn,
            &msohub_store::work::NeedFilter {
                organisation: Some(organisation),
                ..Default::default()
            },
            0,
            500,
        )
        .await?;
        let task_filter = msohub_store::work::TaskFilter {
            links: vec![
                ("organisation".into(), vec![organisation]),
                (
                    "interaction".into(),
                    interactions.iter().map(|i| i.id).collect(),
                ),
                ("need".into(), needs.iter().map(|n| n.id).collect()),
            ],
            ..Default::default()
        };
        let (tasks, _) = msohub_store::work::list_tasks(conn, &task_filter, 0, 500).await?;
        let mut out: Vec<TimelineEntry> = Vec::new();
        out.extend(interactions.into_iter().map(|i| TimelineEntry {
            at: i.starts_at,
            kind: "interaction",
            id: i.id,
            title: i.subject,
            status: i.status,
            version: i.version,
        }));
        out.extend(needs.into_iter().map(|n| TimelineEntry {
            at: n.created_at,
            kind: "need",
            id: n.id,
            title: n.description.chars().take(120).collect(),
            status: n.status,
            version: n.version,
        }));
        out.extend(tasks.into_iter().map(|t| TimelineEntry {
            at: time::start_of_day(t.due_on),
            kind: "task",
            id: t.id,
            title: t.title,
            status: if t.done_at.is_some() {
                "done".into()
            } else {
                "open".into()
            },
            version: t.version,
        }));
        // Ideas it proposed or takes part in.
        out.extend(
            self.organisation_ideas(actor, organisation)
                .await?
                .into_iter()
                .map(|i| TimelineEntry {
                    at: i.created_at,
                    kind: "idea",
                    id: i.id,
                    title: i.title,
                    status: i.status,
                    version: i.version,
                }),
        );
        out.sort_by_key(|e| std::cmp::Reverse(e.at));
        Ok(out)
    }
}
