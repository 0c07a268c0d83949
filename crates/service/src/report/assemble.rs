//! The report assembled from the records: targets with their figures and
//! narratives, the verdict, what lies beyond the targets, contacts per month
//! and meeting attendance, and the editable texts.

use super::*;
use wording::draft;

impl Services {
    async fn texts(&self, period: Uuid) -> Result<ReportTexts, Error> {
        Ok(match store::report_text(self.store.conn(), period).await? {
            Some(r) => ReportTexts {
                title: r.title,
                introduction: r.introduction,
                outlook: r.outlook,
                place: r.place,
                author: r.author,
                narratives: serde_json::from_str(&r.narratives).unwrap_or_default(),
                version: r.version,
            },
            None => ReportTexts::default(),
        })
    }

    /// Saves the editable texts (`version` as read; 0 the first time).
    pub async fn save_report_texts(
        &self,
        actor: &Actor,
        period: Uuid,
        texts: &ReportTexts,
    ) -> Result<ReportTexts, Error> {
        actor.require(Permission::WriteStaffArea)?;
        store::find_period(self.store.conn(), period)
            .await?
            .ok_or(Error::NotFound)?;
        let mut errors = Vec::new();
        for (name, v, max) in [
            ("title", &texts.title, 300),
            ("place", &texts.place, 100),
            ("author", &texts.author, 200),
            ("introduction", &texts.introduction, 50_000),
            ("outlook", &texts.outlook, 50_000),
        ] {
            if v.chars().count() > max {
                errors.push(crate::FieldError::new(name, "too-long"));
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let before = self.texts(period).await?;
        let narratives: BTreeMap<String, String> = texts
            .narratives
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| (k.clone(), v.trim().to_owned()))
            .collect();
        let row = ReportTextRow {
            period_id: period,
            title: texts.title.trim().to_owned(),
            introduction: texts.introduction.trim().to_owned(),
            outlook: texts.outlook.trim().to_owned(),
            place: texts.place.trim().to_owned(),
            author: texts.author.trim().to_owned(),
            narratives: serde_json::to_string(&narratives).unwrap_or_else(|_| "{}".into()),
            version: 1,
            updated_at: Utc::now(),
        };
        let tx = self.store.begin().await?;
        store::save_report_text(&tx, row, texts.version).await?;
        audit::record(
            &tx,
            actor,
            "report",
            period,
            "texts",
            Some(serde_json::json!(before)),
            Some(serde_json::json!(texts)),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        self.texts(period).await
    }

    /// The report of a period, generated now from the records.
    pub async fn report(
        &self,
        actor: &Actor,
        period_id: Uuid,
        lang: Lang,
    ) -> Result<Report, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let period = self.get_period(actor, period_id).await?;
        let office = self.office().await?;
        let texts = self.texts(period_id).await?;
        let targets = self.targets(actor, period_id).await?;
        let statuses: Vec<&str> = targets.iter().map(|t| t.status.as_str()).collect();
        let overall = verdict(&statuses);
        let mut missing = Vec::new();
        if targets.is_empty() {
            missing.push(
                lang.t(
                    "Für den Zeitraum sind keine Ziele erfasst.",
                    "No targets are recorded for the period.",
                )
                .to_owned(),
            );
        }
        if texts.outlook.is_empty() {
            missing.push(
                lang.t(
                    "Der Ausblick ist noch nicht geschrieben.",
                    "The outlook is not written yet.",
                )
                .to_owned(),
            );
        }
        let conn = self.store.conn();
        let from = time::start_of_day(period.starts_on);
        let to = time::start_of_day(period.ends_on.succ_opt().unwrap_or(period.ends_on));
        // Contacts per month.
        let filter = msohub_store::work::InteractionFilter {
            from: Some(from),
            to: Some(to),
            ascending: true,
            ..Default::default()
        };
        let (rows, _) = msohub_store::work::list_interactions(conn, &filter, 0, 100_000).await?;
        let mut months: BTreeMap<String, (u32, u32)> = BTreeMap::new();
        let mut d = period.starts_on.with_day(1).unwrap_or(period.starts_on);
        while d <= period.ends_on {
            months.insert(d.format("%Y-%m").to_string(), (0, 0));
            d = d
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(period.ends_on.succ_opt().unwrap_or(period.ends_on));
        }
        for r in &rows {
            let key = r
                .starts_at
                .with_timezone(&chrono_tz::Europe::Berlin)
                .format("%Y-%m")
                .to_string();
            let e = months.entry(key).or_default();
            match r.status.as_str() {
                "held" => e.0 += 1,
                "cancelled" => e.1 += 1,
                _ => {}
            }
        }
        let contacts_per_month = months
            .into_iter()
            .map(|(month, (held, cancelled))| MonthFigure {
                month,
                held,
                cancelled,
            })
            .collect();
        // Meetings per body, and what the office did beyond the targets.
        let mut meetings = Vec::new();
        let mut beyond = Vec::new();
        // Bodies a target measures or names as a substitute are reported there.
        let target_bodies: Vec<Uuid> = targets
            .iter()
            .filter_map(|t| t.params.body_id)
            .chain(targets.iter().flat_map(|t| {
                t.substitutes
                    .iter()
                    .filter(|s| s.record_type == "body")
                    .map(|s| s.id)
            }))
            .collect();
        for b in msohub_store::bodies::list_bodies(conn, false).await? {
            let f = msohub_store::bodies::MeetingFilter {
                body: Some(b.id),
                from: Some(from),
                to: Some(to),
                ..Default::default()
            };
            let (ms, _) = msohub_store::bodies::list_meetings(conn, &f, 0, 1_000).await?;
            let held: Vec<Uuid> = ms
                .iter()
                .filter(|m| m.status == "held")
                .map(|m| m.id)
                .collect();
            let attendance = msohub_store::bodies::attendance_of(conn, &held).await?;
            let with_staff = held
                .iter()
                .filter(|m| {
                    attendance.iter().any(|a| {
                        a.meeting_id == **m
                            && a.user_id.is_some()
                            && matches!(a.status.as_str(), "present" | "guest")
                    })
                })
                .count();
            let cancelled = ms.iter().filter(|m| m.status == "cancelled").count();
            if !ms.is_empty() {
                meetings.push(BodyFigure {
                    body: b.name.clone(),
                    held: held.len(),
                    with_staff,
                    cancelled,
                });
            }
            if b.founded_on
                .is_some_and(|f| f >= period.starts_on && f <= period.ends_on)
                && !target_bodies.contains(&b.id)
            {
                let day = b.founded_on.map(|d| lang.day(d)).unwrap_or_default();
                beyond.push(match lang {
                    Lang::De => format!("Gründung des Gremiums „{}“ am {day}.", b.name),
                    Lang::En => format!("The body “{}” was founded on {day}.", b.name),
                });
            }
            for m in msohub_store::bodies::memberships_of_body(conn, b.id).await? {
                let Some(user) = m.user_id else { continue };
                let overlaps = m.from_date.is_none_or(|f| f <= period.ends_on)
                    && m.to_date.is_none_or(|t| t >= period.starts_on);
                if !overlaps || target_bodies.contains(&b.id) {
                    continue;
                }
                let name = msohub_store::users::find_user(conn, user)
                    .await?
                    .map(|u| u.display_name)
                    .unwrap_or_default();
                let until = m.to_date.filter(|t| *t <= period.ends_on);
                beyond.push(match (lang, until) {
                    (Lang::De, Some(t)) => format!(
                        "Mitarbeit von {name} im Gremium „{}“ bis zum {}.",
                        b.name,
                        lang.day(t)
                    ),
                    (Lang::De, None) => format!("Mitarbeit von {name} im Gremium „{}“.", b.name),
                    (Lang::En, Some(t)) => {
                        format!("{name} was a member of “{}” until {}.", b.name, lang.day(t))
                    }
                    (Lang::En, None) => format!("{name} is a member of “{}”.", b.name),
                });
            }
        }
        // Events the office organised and held in the period.
        if let Some(office_org) = self.office_organisation().await? {
            let q = crate::events::EventQuery {
                status: Some("held".into()),
                organisation: Some(office_org),
                from: Some(period.starts_on),
                to: Some(period.ends_on),
                ascending: true,
                ..Default::default()
            };
            let (events, _) = self.list_events(actor, &q, 0, 1_000).await?;
            let linked: Vec<Uuid> = targets
                .iter()
                .flat_map(|t| t.substitutes.iter().map(|s| s.id))
                .collect();
            for e in events.iter().filter(|e| !linked.contains(&e.id)) {
                let day = lang.day(
                    e.starts_at
                        .with_timezone(&chrono_tz::Europe::Berlin)
                        .date_naive(),
                );
                let others: Vec<&str> = e
                    .organisers
                    .iter()
                    .filter(|o| o.id != office_org)
                    .map(|o| o.name.as_str())
                    .collect();
                let with = match (lang, others.is_empty()) {
                    (_, true) => String::new(),
                    (Lang::De, false) => format!(" gemeinsam mit {}", others.join(", ")),
                    (Lang::En, false) => format!(" together with {}", others.join(", ")),
                };
                beyond.push(match lang {
                    Lang::De => format!("Veranstaltung „{}“ am {day}{with}.", e.title),
                    Lang::En => format!("The event “{}” on {day}{with}.", e.title),
                });
            }
        }
        let end = period.ends_on;
        let report_targets = targets
            .into_iter()
            .map(|t| {
                let edited = texts.narratives.get(&t.id.to_string()).cloned();
                ReportTarget {
                    narrative: edited.clone().unwrap_or_else(|| draft(&t, lang)),
                    narrative_edited: edited.is_some(),
                    target: t,
                }
            })
            .collect();
        Ok(Report {
            title: if texts.title.is_empty() {
                match lang {
                    Lang::De => format!("Sachbericht {} – {}", period.name, office.name),
                    Lang::En => format!("Annual report {} – {}", period.name, office.name),
                }
            } else {
                texts.title.clone()
            },
            introduction: texts.introduction.clone(),
            targets: report_targets,
            verdict: overall.to_owned(),
            verdict_text: verdict_text(overall, lang).to_owned(),
            lang,
            beyond,
            outlook: texts.outlook.clone(),
            place: if texts.place.is_empty() {
                office.city.clone()
            } else {
                texts.place.clone()
            },
            month: lang.month(end),
            author: if texts.author.is_empty() {
                office.name.clone()
            } else {
                texts.author.clone()
            },
            contacts_per_month,
            meetings,
            missing,
            texts_version: texts.version,
            frozen_version: None,
            frozen_at: None,
            office: office.name,
            period,
        })
    }

    /// The texts as stored (for the edit form).
    pub async fn report_texts(&self, actor: &Actor, period: Uuid) -> Result<ReportTexts, Error> {
        actor.require(Permission::ReadStaffArea)?;
        self.texts(period).await
    }
}
