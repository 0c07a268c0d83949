//! The yearly report (Sachbericht) of a period, generated from the records:
//! per target what it was, the figure, the status and a narrative (a
//! generated draft staff may replace), deviation and substitute measures;
//! the overall verdict; what the office did beyond the targets; contacts
//! per month and meeting attendance; editable title, introduction, outlook,
//! place and author. Rendered as HTML (by the web room) and Markdown.

use crate::targets::{Period, Target, verdict};
use crate::{Actor, Error, Services, audit, time};
use chrono::{Datelike, Utc};
use msohub_domain::Permission;
use msohub_store::targets::{self as store, ReportTextRow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportTarget {
    pub target: Target,
    /// The staff's text, or the generated draft.
    pub narrative: String,
    pub narrative_edited: bool,
}

/// One month's contacts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonthFigure {
    /// "2020-09"
    pub month: String,
    pub held: u32,
    pub cancelled: u32,
}

/// A body's meetings in the period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BodyFigure {
    pub body: String,
    pub held: usize,
    pub with_staff: usize,
    pub cancelled: usize,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Report {
    pub period: Period,
    pub office: String,
    pub title: String,
    pub introduction: String,
    pub targets: Vec<ReportTarget>,
    /// met, partly_met, not_met, none
    pub verdict: String,
    /// The verdict as the report says it.
    pub verdict_text: String,
    /// What the office did beyond the targets, one sentence each.
    pub beyond: Vec<String>,
    pub outlook: String,
    pub place: String,
    /// "Juli 2021"
    pub month: String,
    pub author: String,
    pub contacts_per_month: Vec<MonthFigure>,
    pub meetings: Vec<BodyFigure>,
    /// Where something the report needs is missing.
    pub missing: Vec<String>,
    /// The texts' version (send it back when saving them).
    pub texts_version: i32,
}

/// The editable texts.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(default)]
pub struct ReportTexts {
    pub title: String,
    pub introduction: String,
    pub outlook: String,
    pub place: String,
    pub author: String,
    /// Target id → narrative (empty: the generated draft).
    pub narratives: BTreeMap<String, String>,
    pub version: i32,
}

const MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

fn status_de(s: &str) -> &'static str {
    match s {
        "met" => "erreicht",
        "partly_met" => "teilweise erreicht",
        _ => "nicht erreicht",
    }
}

pub fn verdict_de(v: &str) -> &'static str {
    match v {
        "met" => "Die angestrebten Ziele wurden erreicht.",
        "partly_met" => "Die angestrebten Ziele wurden teilweise erreicht.",
        "not_met" => "Die angestrebten Ziele wurden nicht erreicht.",
        _ => "Für diesen Zeitraum sind keine Ziele erfasst.",
    }
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}").replace('.', ",")
    }
}

/// The generated draft of a target's narrative.
fn draft(t: &Target) -> String {
    let figure = match t.metric.as_str() {
        "interactions" => format!(
            "Im Berichtszeitraum fanden {} der angestrebten {} Kontakte statt.",
            num(t.actual),
            num(t.wanted)
        ),
        "staff_attendance_rate" => format!(
            "Das KI war bei {} % der stattgefundenen Sitzungen{} vertreten (angestrebt: {} %).",
            num(t.actual),
            t.body
                .as_ref()
                .map(|b| format!(" des Gremiums „{}“", b.name))
                .unwrap_or_default(),
            num(t.wanted)
        ),
        "meetings_held" => format!(
            "{}{} Sitzungen haben stattgefunden (angestrebt: {}).",
            t.body
                .as_ref()
                .map(|b| format!("Im Gremium „{}“ ", b.name))
                .unwrap_or_default(),
            num(t.actual),
            num(t.wanted)
        ),
        "organisations_represented" => format!(
            "{} verschiedene Organisationen waren{} vertreten (angestrebt: {}).",
            num(t.actual),
            t.body
                .as_ref()
                .map(|b| format!(" im Gremium „{}“", b.name))
                .unwrap_or_default(),
            num(t.wanted)
        ),
        "needs_addressed" => format!(
            "{} Bedarfe wurden gedeckt (angestrebt: {}).",
            num(t.actual),
            num(t.wanted)
        ),
        _ => format!(
            "Erreicht wurde ein Wert von {} (angestrebt: {}).",
            num(t.actual),
            num(t.wanted)
        ),
    };
    format!("{figure} Das Ziel wurde {}.", status_de(&t.status))
}

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
        store::save_report_text(&tx, row, texts.version)
            .await
            .map_err(|e| match e {
                msohub_store::Error::Stale => {
                    Error::Conflict("the report's texts were changed by someone else".to_owned())
                }
                e => e.into(),
            })?;
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
    pub async fn report(&self, actor: &Actor, period_id: Uuid) -> Result<Report, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let period = self.get_period(actor, period_id).await?;
        let office = self.office().await?;
        let texts = self.texts(period_id).await?;
        let targets = self.targets(actor, period_id).await?;
        let statuses: Vec<&str> = targets.iter().map(|t| t.status.as_str()).collect();
        let overall = verdict(&statuses);
        let mut missing = Vec::new();
        if targets.is_empty() {
            missing.push("Für den Zeitraum sind keine Ziele erfasst.".to_owned());
        }
        if texts.outlook.is_empty() {
            missing.push("Der Ausblick ist noch nicht geschrieben.".to_owned());
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
        let target_bodies: Vec<Uuid> = targets.iter().filter_map(|t| t.params.body_id).collect();
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
                beyond.push(format!(
                    "Gründung des Gremiums „{}“ am {}.",
                    b.name,
                    b.founded_on
                        .map(|d| d.format("%d.%m.%Y").to_string())
                        .unwrap_or_default()
                ));
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
                let until = m
                    .to_date
                    .filter(|t| *t <= period.ends_on)
                    .map(|t| format!(" bis zum {}", t.format("%d.%m.%Y")))
                    .unwrap_or_default();
                beyond.push(format!(
                    "Mitarbeit von {name} im Gremium „{}“{until}.",
                    b.name
                ));
            }
        }
        let end = period.ends_on;
        let report_targets = targets
            .into_iter()
            .map(|t| {
                let edited = texts.narratives.get(&t.id.to_string()).cloned();
                ReportTarget {
                    narrative: edited.clone().unwrap_or_else(|| draft(&t)),
                    narrative_edited: edited.is_some(),
                    target: t,
                }
            })
            .collect();
        Ok(Report {
            title: if texts.title.is_empty() {
                format!("Sachbericht {} – {}", period.name, office.name)
            } else {
                texts.title.clone()
            },
            introduction: texts.introduction.clone(),
            targets: report_targets,
            verdict: overall.to_owned(),
            verdict_text: verdict_de(overall).to_owned(),
            beyond,
            outlook: texts.outlook.clone(),
            place: if texts.place.is_empty() {
                office.city.clone()
            } else {
                texts.place.clone()
            },
            month: format!("{} {}", MONTHS[end.month0() as usize], end.year()),
            author: if texts.author.is_empty() {
                office.name.clone()
            } else {
                texts.author.clone()
            },
            contacts_per_month,
            meetings,
            missing,
            texts_version: texts.version,
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

/// The report as Markdown.
pub fn markdown(r: &Report) -> String {
    let mut out = format!("# {}\n\n", r.title);
    out.push_str(&format!(
        "Berichtszeitraum: {} ({} bis {})\n\n",
        r.period.name,
        r.period.starts_on.format("%d.%m.%Y"),
        r.period.ends_on.format("%d.%m.%Y")
    ));
    if !r.introduction.is_empty() {
        out.push_str(&format!("{}\n\n", r.introduction));
    }
    out.push_str("## Ziele\n\n");
    for t in &r.targets {
        out.push_str(&format!(
            "### Ziel {}: {}\n\n",
            t.target.number, t.target.title
        ));
        if !t.target.description.is_empty() {
            out.push_str(&format!("{}\n\n", t.target.description));
        }
        out.push_str(&format!(
            "**Stand:** {} von {} – **{}**\n\n",
            num(t.target.actual),
            num(t.target.wanted),
            status_de(&t.target.status)
        ));
        out.push_str(&format!("{}\n\n", t.narrative));
        if !t.target.deviation_reason.is_empty() {
            out.push_str(&format!(
                "**Gründe für die Abweichung:** {}\n\n",
                t.target.deviation_reason
            ));
        }
        if !t.target.substitute_measures.is_empty() {
            out.push_str(&format!(
                "**Stattdessen:** {}\n\n",
                t.target.substitute_measures
            ));
        }
    }
    out.push_str(&format!("**{}**\n\n", r.verdict_text));
    if !r.beyond.is_empty() {
        out.push_str("## Über die Ziele hinaus\n\n");
        for b in &r.beyond {
            out.push_str(&format!("- {b}\n"));
        }
        out.push('\n');
    }
    if !r.contacts_per_month.is_empty() {
        out.push_str(
            "## Kontakte je Monat\n\n| Monat | stattgefunden | abgesagt |\n|---|---|---|\n",
        );
        for m in &r.contacts_per_month {
            out.push_str(&format!("| {} | {} | {} |\n", m.month, m.held, m.cancelled));
        }
        out.push('\n');
    }
    if !r.meetings.is_empty() {
        out.push_str("## Sitzungen der Gremien\n\n| Gremium | stattgefunden | davon mit dem KI | abgesagt |\n|---|---|---|---|\n");
        for m in &r.meetings {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                m.body, m.held, m.with_staff, m.cancelled
            ));
        }
        out.push('\n');
    }
    if !r.outlook.is_empty() {
        out.push_str(&format!("## Ausblick\n\n{}\n\n", r.outlook));
    }
    out.push_str(&format!("{}, {}\n\n{}\n", r.place, r.month, r.author));
    out
}
