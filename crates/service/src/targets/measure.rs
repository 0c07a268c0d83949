//! A target's figure measured from the records (contacts, meetings, attendance,
//! needs, events, organisations), and the records a substitute measure points to.

use super::*;

impl Services {
    /// Computes a target's figure from the records of its period.
    pub(super) async fn evaluate(&self, p: &PeriodRow, r: &TargetRow) -> Result<Target, Error> {
        let params: MetricParams = serde_json::from_str(&r.params).unwrap_or_default();
        let from = time::start_of_day(p.starts_on);
        let to = time::start_of_day(p.ends_on.succ_opt().unwrap_or(p.ends_on));
        let (actual, href) = self
            .measure(&r.metric, &params, r.manual_value, from, to, p)
            .await?;
        let computed = status_of(actual, r.wanted, r.met_at, r.partly_at);
        let body = match params.body_id {
            Some(b) => msohub_store::bodies::find_body(self.store.conn(), b)
                .await?
                .map(|x| Ref {
                    id: b,
                    name: x.name,
                }),
            None => None,
        };
        Ok(Target {
            id: r.id,
            period_id: r.period_id,
            number: r.number,
            title: r.title.clone(),
            description: r.description.clone(),
            metric: r.metric.clone(),
            params,
            wanted: r.wanted,
            actual,
            progress: if r.wanted > 0.0 {
                (actual / r.wanted).min(1.0)
            } else {
                1.0
            },
            computed_status: computed.to_owned(),
            status: r
                .override_status
                .clone()
                .unwrap_or_else(|| computed.to_owned()),
            overridden: r.override_status.is_some(),
            override_reason: r.override_reason.clone(),
            met_at: r.met_at,
            partly_at: r.partly_at,
            manual_value: r.manual_value,
            deviation_reason: r.deviation_reason.clone(),
            substitute_measures: r.substitute_measures.clone(),
            records_href: href,
            body,
            substitutes: self.substitutes_of(p, r.id).await?,
            version: r.version,
        })
    }

    pub(super) async fn measure(
        &self,
        metric: &str,
        params: &MetricParams,
        manual: Option<f64>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        p: &PeriodRow,
    ) -> Result<(f64, String), Error> {
        let conn = self.store.conn();
        let range = format!("from={}&to={}", p.starts_on, p.ends_on);
        Ok(match metric {
            "interactions" => {
                let statuses = if params.statuses.is_empty() {
                    vec!["held".to_owned()]
                } else {
                    params.statuses.clone()
                };
                let filter = msohub_store::work::InteractionFilter {
                    statuses: statuses.clone(),
                    kinds: params.kinds.clone(),
                    from: Some(from),
                    to: Some(to),
                    ..Default::default()
                };
                let (rows, total) =
                    msohub_store::work::list_interactions(conn, &filter, 0, 10_000).await?;
                let count = if params.organisation_kinds.is_empty() {
                    total as f64
                } else {
                    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
                    let parts = msohub_store::work::participants_of(conn, &ids).await?;
                    let mut n = 0;
                    for r in &rows {
                        let orgs = parts
                            .get(&r.id)
                            .map(|p| p.organisations.clone())
                            .unwrap_or_default();
                        let mut hit = false;
                        for o in orgs {
                            if msohub_store::organisations::find(conn, o)
                                .await?
                                .is_some_and(|x| params.organisation_kinds.contains(&x.kind))
                            {
                                hit = true;
                                break;
                            }
                        }
                        n += usize::from(hit);
                    }
                    n as f64
                };
                let mut q = range.clone();
                for s in &statuses {
                    q.push_str(&format!("&status={s}"));
                }
                for k in &params.kinds {
                    q.push_str(&format!("&kind={k}"));
                }
                (count, format!("/app/interactions?{q}"))
            }
            "staff_attendance_rate" | "meetings_held" | "organisations_represented" => {
                let Some(body) = params.body_id else {
                    return Ok((0.0, "/app/bodies".into()));
                };
                let filter = msohub_store::bodies::MeetingFilter {
                    body: Some(body),
                    statuses: vec!["held".into()],
                    from: Some(from),
                    to: Some(to),
                    ..Default::default()
                };
                let (meetings, total) =
                    msohub_store::bodies::list_meetings(conn, &filter, 0, 1_000).await?;
                let ids: Vec<Uuid> = meetings.iter().map(|m| m.id).collect();
                let attendance = msohub_store::bodies::attendance_of(conn, &ids).await?;
                let attended = |a: &msohub_store::bodies::AttendanceRow| {
                    matches!(a.status.as_str(), "present" | "guest")
                };
                let value = match metric {
                    "meetings_held" => total as f64,
                    "organisations_represented" => attendance
                        .iter()
                        .filter(|a| attended(a))
                        .filter_map(|a| a.on_behalf_of)
                        .collect::<BTreeSet<_>>()
                        .len() as f64,
                    _ => {
                        if total == 0 {
                            0.0
                        } else {
                            let with_staff = ids
                                .iter()
                                .filter(|m| {
                                    attendance.iter().any(|a| {
                                        a.meeting_id == **m && a.user_id.is_some() && attended(a)
                                    })
                                })
                                .count();
                            (with_staff as f64 * 1000.0 / total as f64).round() / 10.0
                        }
                    }
                };
                (value, format!("/app/bodies/{body}#attendance"))
            }
            "needs_addressed" => {
                let filter = msohub_store::work::NeedFilter {
                    statuses: vec!["addressed".into()],
                    ..Default::default()
                };
                let (rows, _) = msohub_store::work::list_needs(conn, &filter, 0, 10_000).await?;
                let n = rows
                    .iter()
                    .filter(|r| r.updated_at >= from && r.updated_at < to)
                    .count();
                (n as f64, "/app/needs?status=addressed".into())
            }
            "offers_published" => {
                let (n, href) = self
                    .offers_published(p.starts_on, p.ends_on, &params.organisation_kinds)
                    .await?;
                (n as f64, href)
            }
            "events_held" => {
                let filter = msohub_store::events::EventFilter {
                    statuses: vec!["held".into()],
                    from: Some(from),
                    to: Some(to),
                    ..Default::default()
                };
                let (rows, total) =
                    msohub_store::events::list_events(conn, &filter, 0, 10_000).await?;
                let count = if params.organisation_kinds.is_empty() {
                    total
                } else {
                    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
                    let pairs = msohub_store::events::organisers_of(conn, &ids).await?;
                    let org_ids: Vec<Uuid> = pairs.iter().map(|(_, o)| *o).collect();
                    let kinds: std::collections::HashMap<Uuid, String> =
                        msohub_store::organisations::find_many(conn, &org_ids)
                            .await?
                            .into_iter()
                            .map(|o| (o.id, o.kind))
                            .collect();
                    ids.iter()
                        .filter(|e| {
                            pairs.iter().any(|(event, o)| {
                                event == *e
                                    && kinds
                                        .get(o)
                                        .is_some_and(|k| params.organisation_kinds.contains(k))
                            })
                        })
                        .count() as u64
                };
                (count as f64, format!("/app/events?status=held&{range}"))
            }
            _ => (manual.unwrap_or(0.0), String::new()),
        })
    }
}

impl Services {
    /// The records a target's substitute measures point to, with what
    /// happened to them within the period.
    pub(super) async fn substitutes_of(
        &self,
        p: &PeriodRow,
        target: Uuid,
    ) -> Result<Vec<Substitute>, Error> {
        let conn = self.store.conn();
        let berlin = |t: DateTime<Utc>| t.with_timezone(&chrono_tz::Europe::Berlin).date_naive();
        let mut out = Vec::new();
        for l in store::target_links(conn, &[target]).await? {
            let s = match l.record_type.as_str() {
                "body" => {
                    let Some(b) = msohub_store::bodies::find_body(conn, l.record_id).await? else {
                        continue;
                    };
                    let from = time::start_of_day(p.starts_on);
                    let to = time::start_of_day(p.ends_on.succ_opt().unwrap_or(p.ends_on));
                    let f = msohub_store::bodies::MeetingFilter {
                        body: Some(b.id),
                        statuses: vec!["held".to_owned()],
                        from: Some(from),
                        to: Some(to),
                        ascending: true,
                        ..Default::default()
                    };
                    let (ms, _) = msohub_store::bodies::list_meetings(conn, &f, 0, 1_000).await?;
                    let params = MetricParams {
                        body_id: Some(b.id),
                        ..Default::default()
                    };
                    let (represented, _) = self
                        .measure("organisations_represented", &params, None, from, to, p)
                        .await?;
                    Substitute {
                        record_type: l.record_type,
                        id: b.id,
                        name: b.name,
                        href: format!("/app/bodies/{}", b.id),
                        date: b.founded_on,
                        mode: String::new(),
                        meetings: ms
                            .iter()
                            .map(|m| SubstituteMeeting {
                                date: berlin(m.starts_at),
                                mode: m.mode.clone(),
                            })
                            .collect(),
                        organisations_represented: Some(represented as u32),
                    }
                }
                "meeting" => {
                    let Some(m) = msohub_store::bodies::find_meeting(conn, l.record_id).await?
                    else {
                        continue;
                    };
                    Substitute {
                        record_type: l.record_type,
                        id: m.id,
                        name: m.title,
                        href: format!("/app/meetings/{}", m.id),
                        date: Some(berlin(m.starts_at)),
                        mode: m.mode,
                        meetings: Vec::new(),
                        organisations_represented: None,
                    }
                }
                "event" => {
                    let Some(e) = msohub_store::events::find_event(conn, l.record_id).await? else {
                        continue;
                    };
                    Substitute {
                        record_type: l.record_type,
                        id: e.id,
                        name: e.title,
                        href: format!("/app/events/{}", e.id),
                        date: Some(berlin(e.starts_at)),
                        mode: e.mode,
                        meetings: Vec::new(),
                        organisations_represented: None,
                    }
                }
                _ => {
                    let Some(i) = msohub_store::work::find_interaction(conn, l.record_id).await?
                    else {
                        continue;
                    };
                    Substitute {
                        record_type: l.record_type,
                        id: i.id,
                        name: i.subject,
                        href: format!("/app/interactions/{}", i.id),
                        date: Some(berlin(i.starts_at)),
                        mode: i.mode,
                        meetings: Vec::new(),
                        organisations_represented: None,
                    }
                }
            };
            out.push(s);
        }
        Ok(out)
    }
}
