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
        let (count, of) = self.counts(&r.metric, &params, actual, from, to).await?;
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
            project_id: r.project_id.unwrap_or_default(),
            number: r.number,
            title: r.title.clone(),
            description: r.description.clone(),
            metric: r.metric.clone(),
            params,
            wanted: r.wanted,
            actual,
            count,
            of,
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
                    organisation_kinds: params.organisation_kinds.clone(),
                    from: Some(from),
                    to: Some(to),
                    ..Default::default()
                };
                // One COUNT at any size (the organisation kinds as a
                // subquery), no rows loaded.
                let count = msohub_store::work::count_interactions(conn, &filter).await? as f64;
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
                let (total, with_staff, represented) =
                    msohub_store::bodies::meeting_figures(conn, &filter).await?;
                let value = match metric {
                    "meetings_held" => total as f64,
                    "organisations_represented" => represented as f64,
                    _ if total == 0 => 0.0,
                    _ => (with_staff as f64 * 1000.0 / total as f64).round() / 10.0,
                };
                (value, format!("/app/bodies/{body}#attendance"))
            }
            // Needs count by their own dates: resolved (addressed) or
            // raised within the period, one COUNT at any size.
            "needs_addressed" | "needs_raised" => {
                let addressed = metric == "needs_addressed";
                let filter = msohub_store::work::NeedFilter {
                    statuses: if addressed {
                        vec!["addressed".into()]
                    } else {
                        Vec::new()
                    },
                    categories: params.categories.clone(),
                    sources: params.sources.clone(),
                    raised_from: (!addressed).then_some(p.starts_on),
                    raised_to: (!addressed).then_some(p.ends_on),
                    resolved_from: addressed.then_some(p.starts_on),
                    resolved_to: addressed.then_some(p.ends_on),
                    ..Default::default()
                };
                let n = msohub_store::work::count_needs(conn, &filter).await?;
                let mut q = if addressed {
                    format!(
                        "status=addressed&resolved_from={}&resolved_to={}",
                        p.starts_on, p.ends_on
                    )
                } else {
                    format!("raised_from={}&raised_to={}", p.starts_on, p.ends_on)
                };
                for c in &params.categories {
                    q.push_str(&format!("&category={c}"));
                }
                for s in &params.sources {
                    q.push_str(&format!("&source={s}"));
                }
                (n as f64, format!("/app/needs?{q}"))
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
                    organisation_kinds: params.organisation_kinds.clone(),
                    ..Default::default()
                };
                let (_, count) = msohub_store::events::list_events(conn, &filter, 0, 1).await?;
                (count as f64, format!("/app/events?status=held&{range}"))
            }
            _ => (manual.unwrap_or(0.0), String::new()),
        })
    }
}

impl Services {
    /// The counts behind a figure, for the report's words ("1 von 3
    /// Sitzungen"): a rate's meetings attended and held; a count itself.
    async fn counts(
        &self,
        metric: &str,
        params: &MetricParams,
        actual: f64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<(Option<u32>, Option<u32>), Error> {
        Ok(match metric {
            "manual" => (None, None),
            "staff_attendance_rate" => {
                let Some(body) = params.body_id else {
                    return Ok((None, None));
                };
                let filter = msohub_store::bodies::MeetingFilter {
                    body: Some(body),
                    statuses: vec!["held".into()],
                    from: Some(from),
                    to: Some(to),
                    ..Default::default()
                };
                let (total, with_staff, _) =
                    msohub_store::bodies::meeting_figures(self.store.conn(), &filter).await?;
                (u32::try_from(with_staff).ok(), u32::try_from(total).ok())
            }
            _ => (Some(actual.max(0.0).round() as u32), None),
        })
    }

    /// The records a target's substitute measures point to, with what
    /// happened to them within the period.
    pub(super) async fn substitutes_of(
        &self,
        p: &PeriodRow,
        target: Uuid,
    ) -> Result<Vec<Substitute>, Error> {
        let conn = self.store.conn();
        let berlin = crate::time::day_of;
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
                        purpose: b.purpose,
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
                        purpose: String::new(),
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
                        purpose: String::new(),
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
                        purpose: String::new(),
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
