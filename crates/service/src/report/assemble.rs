//! The report assembled from the records: targets with their figures and
//! narratives, the verdict, what lies beyond the targets, contacts per month
//! and meeting attendance, and the editable texts.

use super::*;
use wording::draft;

impl Services {
    pub(super) async fn texts(&self, period: Uuid) -> Result<ReportTexts, Error> {
        Ok(match store::report_text(self.store.conn(), period).await? {
            Some(r) => ReportTexts {
                title: r.title,
                introduction: r.introduction,
                outlook: r.outlook,
                place: r.place,
                dated: r.dated,
                author: r.author,
                staff_names: r.staff_names,
                narratives: serde_json::from_str(&r.narratives).unwrap_or_default(),
                chapters: serde_json::from_str(&r.chapters).unwrap_or_default(),
                needs: serde_json::from_str(&r.needs).unwrap_or_default(),
                version: r.version,
            },
            None => ReportTexts {
                staff_names: "anonymous".to_owned(),
                ..Default::default()
            },
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
        let dated = texts.dated.trim();
        if !dated.is_empty()
            && chrono::NaiveDate::parse_from_str(&format!("{dated}-01"), "%Y-%m-%d").is_err()
        {
            errors.push(crate::FieldError::new("dated", "year-month-invalid"));
        }
        let staff_names = match texts.staff_names.trim() {
            "" | "anonymous" => "anonymous",
            "named" => "named",
            _ => {
                errors.push(crate::FieldError::new("staff_names", "choice-unknown"));
                "anonymous"
            }
        };
        let projects = self.all_projects().await?;
        for (id, chapter) in &texts.chapters {
            if !projects.iter().any(|p| p.id.to_string() == *id) {
                errors.push(crate::FieldError::new("chapters", "project-unknown"));
            }
            if chapter.introduction.chars().count() > 50_000
                || chapter.outlook.chars().count() > 50_000
            {
                errors.push(crate::FieldError::new("chapters", "too-long"));
            }
        }
        let needs = self.check_needs_choice(&texts.needs, &mut errors).await?;
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let before = self.texts(period).await?;
        let chapters: BTreeMap<String, ChapterTexts> = texts
            .chapters
            .iter()
            .map(|(k, c)| {
                (
                    k.clone(),
                    ChapterTexts {
                        introduction: c.introduction.trim().to_owned(),
                        outlook: c.outlook.trim().to_owned(),
                    },
                )
            })
            .filter(|(_, c)| !c.introduction.is_empty() || !c.outlook.is_empty())
            .collect();
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
            dated: dated.to_owned(),
            staff_names: staff_names.to_owned(),
            narratives: serde_json::to_string(&narratives).unwrap_or_else(|_| "{}".into()),
            chapters: serde_json::to_string(&chapters).unwrap_or_else(|_| "{}".into()),
            // Empty while never chosen (as rows made before the column).
            needs: if needs == NeedsChoice::default() {
                String::new()
            } else {
                serde_json::to_string(&needs).unwrap_or_default()
            },
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

    /// Saves the texts given in `patch` over the stored ones: fields left
    /// out stay as they are (the API's PUT).
    pub async fn put_report_texts(
        &self,
        actor: &Actor,
        period: Uuid,
        patch: &serde_json::Value,
    ) -> Result<ReportTexts, Error> {
        actor.require(Permission::WriteStaffArea)?;
        if patch
            .get("version")
            .and_then(serde_json::Value::as_i64)
            .is_none()
        {
            return Err(Error::field("version", "required"));
        }
        let current = self.texts(period).await?;
        let texts: ReportTexts = crate::patch::merge(&current, patch)?;
        self.save_report_texts(actor, period, &texts).await
    }

    /// The report of a period, generated now from the records: all
    /// projects as chapters, or (`project`) one project's chapter.
    pub async fn report(
        &self,
        actor: &Actor,
        period_id: Uuid,
        lang: Lang,
        project: Option<Uuid>,
    ) -> Result<Report, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let period = self.get_period(actor, period_id).await?;
        let office = self.office().await?;
        let texts = self.texts(period_id).await?;
        let all_targets = self.targets(actor, period_id).await?;
        let mut projects = self.all_projects().await?;
        if let Some(p) = project {
            projects.retain(|x| x.id == p);
            if projects.is_empty() {
                return Err(Error::field("project", "project-unknown"));
            }
        }
        let named = texts.staff_names == "named";
        let beyond = self
            .beyond_of(actor, &period, &all_targets, named, lang)
            .await?;
        let conn = self.store.conn();
        let from = time::start_of_day(period.starts_on);
        let to = time::start_of_day(period.ends_on.succ_opt().unwrap_or(period.ends_on));
        let month_of = |at: chrono::DateTime<Utc>| {
            at.with_timezone(&chrono_tz::Europe::Berlin)
                .format("%Y-%m")
                .to_string()
        };
        let mut months: BTreeMap<String, MonthFigure> = BTreeMap::new();
        let mut d = period.starts_on.with_day(1).unwrap_or(period.starts_on);
        while d <= period.ends_on {
            let key = d.format("%Y-%m").to_string();
            months.insert(
                key.clone(),
                MonthFigure {
                    month: key,
                    held: 0,
                    cancelled: 0,
                    meetings: 0,
                    events: 0,
                },
            );
            d = d
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(period.ends_on.succ_opt().unwrap_or(period.ends_on));
        }
        // Contacts per month: two counts per month (held, cancelled) in
        // the database, not every contact of the year read to be counted.
        for m in months.values_mut() {
            let Ok(first) =
                chrono::NaiveDate::parse_from_str(&format!("{}-01", m.month), "%Y-%m-%d")
            else {
                continue;
            };
            let next = first
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(first);
            let filter = |status: &str| msohub_store::work::InteractionFilter {
                from: Some(time::start_of_day(first).max(from)),
                to: Some(time::start_of_day(next).min(to)),
                statuses: vec![status.to_owned()],
                ..Default::default()
            };
            let count = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
            m.held = count(msohub_store::work::count_interactions(conn, &filter("held")).await?);
            m.cancelled =
                count(msohub_store::work::count_interactions(conn, &filter("cancelled")).await?);
        }
        // Events the office organised and held, per month.
        if let Some(office_org) = self.office_organisation().await? {
            let q = crate::events::EventQuery {
                status: Some("held".into()),
                organisation: Some(office_org),
                from: Some(period.starts_on),
                to: Some(period.ends_on),
                ascending: true,
                ..Default::default()
            };
            let (events, _) = self.list_events(actor, &q, 0, 10_000).await?;
            for e in &events {
                if let Some(m) = months.get_mut(&month_of(e.starts_at)) {
                    m.events += 1;
                }
            }
        }
        // Meetings per body, and per body and month.
        let mut body_months: BTreeMap<Uuid, BTreeMap<String, u32>> = BTreeMap::new();
        let mut body_figures: BTreeMap<Uuid, BodyFigure> = BTreeMap::new();
        for b in msohub_store::bodies::list_bodies(conn, false).await? {
            let f = msohub_store::bodies::MeetingFilter {
                body: Some(b.id),
                from: Some(from),
                to: Some(to),
                ..Default::default()
            };
            let (ms, _) = msohub_store::bodies::list_meetings(conn, &f, 0, 10_000).await?;
            if ms.is_empty() {
                continue;
            }
            let held: Vec<Uuid> = ms
                .iter()
                .filter(|m| m.status == "held")
                .map(|m| m.id)
                .collect();
            let per_month = body_months.entry(b.id).or_default();
            for m in ms.iter().filter(|m| m.status == "held") {
                *per_month.entry(month_of(m.starts_at)).or_default() += 1;
            }
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
            let figure = BodyFigure {
                body: b.name.clone(),
                held: held.len(),
                with_staff,
                cancelled: ms.iter().filter(|m| m.status == "cancelled").count(),
            };
            body_figures.insert(b.id, figure);
        }
        // The whole period's report has a chapter for each project with
        // something in this period (targets, items beyond them, texts); a
        // project begun later is not a chapter of an earlier year. With
        // nothing anywhere, the first project stands for the office.
        if project.is_none() {
            let has_content = |p: &crate::projects::Project| {
                all_targets.iter().any(|t| t.project_id == p.id)
                    || beyond.iter().any(|i| i.project_id == p.id && !i.hidden)
                    || texts
                        .chapters
                        .get(&p.id.to_string())
                        .is_some_and(|c| !c.introduction.is_empty() || !c.outlook.is_empty())
            };
            if projects.iter().any(has_content) {
                projects.retain(has_content);
            } else {
                projects.truncate(1);
            }
        }
        let mut chapters = Vec::new();
        let mut in_chapters: Vec<Uuid> = Vec::new();
        let mut statuses: Vec<String> = Vec::new();
        let mut missing = Vec::new();
        for p in projects {
            let targets: Vec<Target> = all_targets
                .iter()
                .filter(|t| t.project_id == p.id)
                .cloned()
                .collect();
            let chapter_statuses: Vec<&str> = targets.iter().map(|t| t.status.as_str()).collect();
            let verdict_key = verdict(&chapter_statuses);
            statuses.extend(chapter_statuses.iter().map(|s| (*s).to_owned()));
            // The bodies the chapter's targets are about; without any, the
            // chart counts all bodies' meetings.
            let bodies: Vec<Uuid> = Self::target_records(&targets)
                .into_iter()
                .filter(|id| body_figures.contains_key(id))
                .collect();
            let counted: Vec<&Uuid> = if bodies.is_empty() {
                body_months.keys().collect()
            } else {
                bodies.iter().collect()
            };
            let per_month = months
                .values()
                .map(|m| MonthFigure {
                    meetings: counted
                        .iter()
                        .filter_map(|b| body_months.get(*b)?.get(&m.month))
                        .sum(),
                    ..m.clone()
                })
                .collect();
            in_chapters.extend(bodies.iter().copied());
            let mut chapter_meetings: Vec<BodyFigure> = bodies
                .iter()
                .filter_map(|b| body_figures.get(b).cloned())
                .collect();
            chapter_meetings.sort_by(|a, b| a.body.cmp(&b.body));
            let chapter_texts = texts
                .chapters
                .get(&p.id.to_string())
                .cloned()
                .unwrap_or_default();
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
                .collect::<Vec<_>>();
            if report_targets.is_empty() {
                missing.push(match lang {
                    Lang::De => format!("Für das Projekt „{}“ sind keine Ziele erfasst.", p.name),
                    Lang::En => format!("No targets are recorded for the project “{}”.", p.name),
                });
            }
            chapters.push(Chapter {
                introduction: chapter_texts.introduction,
                targets: report_targets,
                verdict: verdict_key.to_owned(),
                verdict_text: verdict_text(verdict_key, lang).to_owned(),
                beyond: beyond
                    .iter()
                    .filter(|i| i.project_id == p.id && !i.hidden && !i.text.is_empty())
                    .map(|i| i.text.clone())
                    .collect(),
                outlook: chapter_texts.outlook,
                chart_counts: p.chart_counts.clone(),
                per_month,
                meetings: chapter_meetings,
                project: p,
            });
        }
        let one = project.is_some();
        let outlook_written =
            !texts.outlook.is_empty() && !one || chapters.iter().any(|c| !c.outlook.is_empty());
        if !outlook_written {
            missing.push(
                lang.t(
                    "Der Ausblick ist noch nicht geschrieben.",
                    "The outlook is not written yet.",
                )
                .to_owned(),
            );
        }
        // The bodies no chapter reports on.
        let mut meetings: Vec<BodyFigure> = body_figures
            .iter()
            .filter(|(id, _)| !in_chapters.contains(id))
            .map(|(_, f)| f.clone())
            .collect();
        meetings.sort_by(|a, b| a.body.cmp(&b.body));
        let statuses: Vec<&str> = statuses.iter().map(String::as_str).collect();
        let overall = verdict(&statuses);
        let dated = chrono::NaiveDate::parse_from_str(&format!("{}-01", texts.dated), "%Y-%m-%d")
            .unwrap_or_else(|_| time::today());
        let title = match (&chapters[..], one) {
            ([c], true) => c.project.name.clone(),
            _ if !texts.title.is_empty() => texts.title.clone(),
            _ => match lang {
                Lang::De => format!("Sachbericht {} – {}", period.name, office.name),
                Lang::En => format!("Annual report {} – {}", period.name, office.name),
            },
        };
        Ok(Report {
            title,
            project,
            introduction: if one {
                String::new()
            } else {
                texts.introduction.clone()
            },
            chapters,
            verdict: overall.to_owned(),
            verdict_text: verdict_text(overall, lang).to_owned(),
            lang,
            outlook: if one {
                String::new()
            } else {
                texts.outlook.clone()
            },
            place: if texts.place.is_empty() {
                office.city.clone()
            } else {
                texts.place.clone()
            },
            month: lang.month(dated),
            author: if !texts.author.is_empty() {
                texts.author.clone()
            } else if actor.user_id.is_some() && !actor.display_name.is_empty() {
                actor.display_name.clone()
            } else {
                office.name.clone()
            },
            staff_names: texts.staff_names.clone(),
            needs: if texts.needs.include {
                Some(self.needs_section(&period, &texts.needs, lang).await?)
            } else {
                None
            },
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
        store::find_period(self.store.conn(), period)
            .await?
            .ok_or(Error::NotFound)?;
        self.texts(period).await
    }
}
