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
use msohub_exchange::document::{Block, Document, Span};
use msohub_store::targets::{self as store, ReportTextRow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReportTarget {
    pub target: Target,
    /// The staff's text, or the generated draft.
    pub narrative: String,
    pub narrative_edited: bool,
}

/// One month's contacts.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MonthFigure {
    /// "2020-09"
    pub month: String,
    pub held: u32,
    pub cancelled: u32,
}

/// A body's meetings in the period.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BodyFigure {
    pub body: String,
    pub held: usize,
    pub with_staff: usize,
    pub cancelled: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Report {
    pub lang: Lang,
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
    /// Set on a finalised version: its number and when it was made.
    pub frozen_version: Option<i32>,
    pub frozen_at: Option<chrono::DateTime<Utc>>,
}

impl Report {
    /// The German or the English text, as the report's language is.
    pub fn t<'a>(&self, de: &'a str, en: &'a str) -> &'a str {
        self.lang.t(de, en)
    }
    /// A day as the report writes it.
    pub fn day(&self, d: &chrono::NaiveDate) -> String {
        self.lang.day(*d)
    }
    /// A number as the report writes it (decimal comma in German).
    pub fn num(&self, v: &f64) -> String {
        num(*v, self.lang)
    }
    pub fn status_text(&self, status: &str) -> &'static str {
        status_text(status, self.lang)
    }
    pub fn substitute_text(&self, s: &crate::targets::Substitute) -> String {
        substitute_text(s, self.lang)
    }
}

/// A finalised report, without its contents.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportVersion {
    pub number: i32,
    pub note: String,
    pub created_at: chrono::DateTime<Utc>,
    pub created_by: Option<String>,
}

/// One line of the differences between two versions of a report (its
/// Markdown text).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DiffLine {
    /// same, added, removed
    pub change: String,
    pub text: String,
}

/// What a finalised report keeps: the report in each language.
#[derive(Serialize, Deserialize)]
struct Snapshot {
    de: Report,
    en: Report,
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

/// The language a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    De,
    En,
}

impl Lang {
    /// "de" or "en"; anything else is German, the report's first language.
    pub fn parse(code: &str) -> Lang {
        if code.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::De
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }
    /// The German or the English text.
    fn t<'a>(self, de: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::De => de,
            Lang::En => en,
        }
    }
    fn day(self, d: chrono::NaiveDate) -> String {
        match self {
            Lang::De => d.format("%d.%m.%Y").to_string(),
            Lang::En => d.format("%-d %B %Y").to_string(),
        }
    }
    fn month(self, d: chrono::NaiveDate) -> String {
        const DE: [&str; 12] = [
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
        match self {
            Lang::De => format!("{} {}", DE[d.month0() as usize], d.year()),
            Lang::En => d.format("%B %Y").to_string(),
        }
    }
}

pub fn status_text(s: &str, lang: Lang) -> &'static str {
    match (s, lang) {
        ("met", Lang::De) => "erreicht",
        ("partly_met", Lang::De) => "teilweise erreicht",
        (_, Lang::De) => "nicht erreicht",
        ("met", Lang::En) => "met",
        ("partly_met", Lang::En) => "partly met",
        (_, Lang::En) => "not met",
    }
}

pub fn verdict_text(v: &str, lang: Lang) -> &'static str {
    match (v, lang) {
        ("met", Lang::De) => "Die angestrebten Ziele wurden erreicht.",
        ("partly_met", Lang::De) => "Die angestrebten Ziele wurden teilweise erreicht.",
        ("not_met", Lang::De) => "Die angestrebten Ziele wurden nicht erreicht.",
        (_, Lang::De) => "Für diesen Zeitraum sind keine Ziele erfasst.",
        ("met", Lang::En) => "The targets were met.",
        ("partly_met", Lang::En) => "The targets were partly met.",
        ("not_met", Lang::En) => "The targets were not met.",
        (_, Lang::En) => "No targets are recorded for this period.",
    }
}

fn num(v: f64, lang: Lang) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else if lang == Lang::De {
        format!("{v:.1}").replace('.', ",")
    } else {
        format!("{v:.1}")
    }
}

/// The generated draft of a target's narrative.
fn draft(t: &Target, lang: Lang) -> String {
    let (a, w) = (num(t.actual, lang), num(t.wanted, lang));
    let body = t.body.as_ref().map(|b| b.name.as_str());
    let figure = match (t.metric.as_str(), lang) {
        ("interactions", Lang::De) => {
            format!("Im Berichtszeitraum fanden {a} der angestrebten {w} Kontakte statt.")
        }
        ("interactions", Lang::En) => {
            format!("In the period, {a} of the {w} contacts aimed at took place.")
        }
        ("staff_attendance_rate", Lang::De) => format!(
            "Das KI war bei {a} % der stattgefundenen Sitzungen{} vertreten (angestrebt: {w} %).",
            body.map(|b| format!(" des Gremiums „{b}“"))
                .unwrap_or_default()
        ),
        ("staff_attendance_rate", Lang::En) => format!(
            "The office attended {a} % of the meetings held{} (aimed at: {w} %).",
            body.map(|b| format!(" by “{b}”")).unwrap_or_default()
        ),
        ("meetings_held", Lang::De) => format!(
            "{}{a} Sitzungen haben stattgefunden (angestrebt: {w}).",
            body.map(|b| format!("Im Gremium „{b}“ "))
                .unwrap_or_default()
        ),
        ("meetings_held", Lang::En) => format!(
            "{a} meetings were held{} (aimed at: {w}).",
            body.map(|b| format!(" by “{b}”")).unwrap_or_default()
        ),
        ("organisations_represented", Lang::De) => format!(
            "{a} verschiedene Organisationen waren{} vertreten (angestrebt: {w}).",
            body.map(|b| format!(" im Gremium „{b}“"))
                .unwrap_or_default()
        ),
        ("organisations_represented", Lang::En) => format!(
            "{a} different organisations were represented{} (aimed at: {w}).",
            body.map(|b| format!(" in “{b}”")).unwrap_or_default()
        ),
        ("needs_addressed", Lang::De) => format!("{a} Bedarfe wurden gedeckt (angestrebt: {w})."),
        ("needs_addressed", Lang::En) => format!("{a} needs were met (aimed at: {w})."),
        ("events_held", Lang::De) => {
            format!("{a} Veranstaltungen haben stattgefunden (angestrebt: {w}).")
        }
        ("events_held", Lang::En) => format!("{a} events were held (aimed at: {w})."),
        ("offers_published", Lang::De) => {
            format!("{a} Angebote waren veröffentlicht (angestrebt: {w}).")
        }
        ("offers_published", Lang::En) => format!("{a} offers were published (aimed at: {w})."),
        (_, Lang::De) => format!("Erreicht wurde ein Wert von {a} (angestrebt: {w})."),
        (_, Lang::En) => format!("The value reached is {a} (aimed at: {w})."),
    };
    let status = status_text(&t.status, lang);
    match lang {
        Lang::De => format!("{figure} Das Ziel wurde {status}."),
        Lang::En => format!("{figure} The target was {status}."),
    }
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

/// The report as Markdown.
pub fn markdown(r: &Report) -> String {
    msohub_exchange::document::markdown(&document(r))
}

const HELD_FILL: &str = "#004b87";
const CANCELLED_FILL: &str = "#b35900";
const MUTED_FILL: &str = "#767676";
const TEXT_FILL: &str = "#1a1a1a";

/// Contacts per month as a stacked bar chart (held below, cancelled
/// above), a standalone SVG that also works inline in HTML.
pub fn contacts_chart(r: &Report) -> String {
    use msohub_exchange::document::xml_escape;
    let lang = r.lang;
    let n = r.contacts_per_month.len();
    let max = r
        .contacts_per_month
        .iter()
        .map(|m| m.held + m.cancelled)
        .max()
        .unwrap_or(0)
        .max(1);
    let width = n * 30 + 20;
    let (held, cancelled) = (
        lang.t("stattgefunden", "held"),
        lang.t("abgesagt", "cancelled"),
    );
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 150" width="{width}" height="150" role="img" aria-label="{}" font-family="DejaVu Sans, Arial, sans-serif" font-size="9" fill="{TEXT_FILL}"><rect x="10" y="4" width="10" height="10" fill="{HELD_FILL}"/><text x="24" y="13">{held}</text><rect x="110" y="4" width="10" height="10" fill="{CANCELLED_FILL}"/><text x="124" y="13">{cancelled}</text>"#,
        xml_escape(lang.t(
            "Stattgefundene und abgesagte Kontakte je Monat",
            "Contacts held and cancelled per month"
        ))
    );
    for (i, m) in r.contacts_per_month.iter().enumerate() {
        let x = i * 30 + 10;
        let hh = m.held * 100 / max;
        let ch = m.cancelled * 100 / max;
        // Empty bars are left out (a zero height is not valid SVG).
        if ch > 0 {
            svg.push_str(&format!(
                r#"<rect x="{x}" y="{}" width="20" height="{ch}" fill="{CANCELLED_FILL}"><title>{}: {} {cancelled}</title></rect>"#,
                130 - hh - ch,
                m.month,
                m.cancelled,
            ));
        }
        if hh > 0 {
            svg.push_str(&format!(
                r#"<rect x="{x}" y="{}" width="20" height="{hh}" fill="{HELD_FILL}"><title>{}: {} {held}</title></rect>"#,
                130 - hh,
                m.month,
                m.held,
            ));
        }
        svg.push_str(&format!(
            r#"<text x="{}" y="143" text-anchor="middle">{}</text>"#,
            x + 10,
            m.month.get(5..).unwrap_or(&m.month),
        ));
        if m.held + m.cancelled > 0 {
            svg.push_str(&format!(
                r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
                x + 10,
                127 - hh - ch,
                m.held + m.cancelled
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Per body: meetings held and those the office attended, as horizontal
/// bars.
pub fn attendance_chart(r: &Report) -> String {
    use msohub_exchange::document::xml_escape;
    let lang = r.lang;
    let max = r.meetings.iter().map(|m| m.held).max().unwrap_or(0).max(1);
    let height = r.meetings.len() * 34 + 24;
    let (held, staff) = (
        lang.t("Sitzungen stattgefunden", "meetings held"),
        lang.t("davon mit dem KI", "attended by the office"),
    );
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 520 {height}" width="520" height="{height}" role="img" aria-label="{}" font-family="DejaVu Sans, Arial, sans-serif" font-size="9" fill="{TEXT_FILL}"><rect x="10" y="4" width="10" height="10" fill="{MUTED_FILL}"/><text x="24" y="13">{held}</text><rect x="170" y="4" width="10" height="10" fill="{HELD_FILL}"/><text x="184" y="13">{staff}</text>"#,
        xml_escape(lang.t(
            "Sitzungen der Gremien und Teilnahme des KI",
            "Meetings of the bodies and the office's attendance"
        ))
    );
    for (i, m) in r.meetings.iter().enumerate() {
        let y = 24 + i * 34;
        let name: String = m.body.chars().take(34).collect();
        let w_held = m.held * 280 / max;
        let w_staff = m.with_staff * 280 / max;
        svg.push_str(&format!(
            r#"<text x="10" y="{}">{}</text><text x="{}" y="{}">{}</text><text x="{}" y="{}">{}</text>"#,
            y + 16,
            xml_escape(&name),
            204 + w_held,
            y + 10,
            m.held,
            204 + w_staff,
            y + 24,
            m.with_staff,
        ));
        for (width, top, fill, count, label) in [
            (w_held, y, MUTED_FILL, m.held, held),
            (w_staff, y + 14, HELD_FILL, m.with_staff, staff),
        ] {
            if width > 0 {
                svg.push_str(&format!(
                    r#"<rect x="200" y="{top}" width="{width}" height="12" fill="{fill}"><title>{}: {count} {label}</title></rect>"#,
                    xml_escape(&m.body),
                ));
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Paragraphs of a text typed by staff (blank lines separate them).
fn paragraphs(text: &str) -> impl Iterator<Item = Block> + '_ {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(Block::text)
}

/// The report as a document, for Markdown, PDF, DOCX and ODT.
pub fn document(r: &Report) -> Document {
    let lang = r.lang;
    let mut b = vec![
        Block::heading(1, &r.title),
        Block::text(format!(
            "{}: {} ({} – {})",
            lang.t("Berichtszeitraum", "Reporting period"),
            r.period.name,
            lang.day(r.period.starts_on),
            lang.day(r.period.ends_on)
        )),
    ];
    b.extend(paragraphs(&r.introduction));
    b.push(Block::heading(2, lang.t("Ziele", "Targets")));
    for t in &r.targets {
        let target = &t.target;
        b.push(Block::heading(
            3,
            format!(
                "{} {}: {}",
                lang.t("Ziel", "Target"),
                target.number,
                target.title
            ),
        ));
        b.extend(paragraphs(&target.description));
        b.push(Block::Paragraph(vec![
            Span::Strong(lang.t("Stand:", "Figure:").to_owned()),
            Span::Text(format!(
                " {} {} {} – ",
                num(target.actual, lang),
                lang.t("von", "of"),
                num(target.wanted, lang)
            )),
            Span::Strong(status_text(&target.status, lang).to_owned()),
        ]));
        if target.overridden && !target.override_reason.is_empty() {
            b.push(Block::Paragraph(vec![
                Span::Strong(
                    lang.t("Begründung der Bewertung:", "Why this status:")
                        .to_owned(),
                ),
                Span::Text(format!(" {}", target.override_reason)),
            ]));
        }
        b.extend(paragraphs(&t.narrative));
        for (label, text) in [
            (
                lang.t("Gründe für die Abweichung:", "Why it deviates:"),
                &target.deviation_reason,
            ),
            (
                lang.t("Stattdessen:", "Instead:"),
                &target.substitute_measures,
            ),
        ] {
            if !text.is_empty() {
                b.push(Block::Paragraph(vec![
                    Span::Strong(label.to_owned()),
                    Span::Text(format!(" {text}")),
                ]));
            }
        }
        if !target.substitutes.is_empty() {
            if target.substitute_measures.is_empty() {
                b.push(Block::Paragraph(vec![Span::Strong(
                    lang.t("Stattdessen:", "Instead:").to_owned(),
                )]));
            }
            b.push(Block::List(
                target
                    .substitutes
                    .iter()
                    .map(|s| substitute_text(s, lang))
                    .collect(),
            ));
        }
    }
    b.push(Block::Paragraph(vec![Span::Strong(r.verdict_text.clone())]));
    if !r.beyond.is_empty() {
        b.push(Block::heading(
            2,
            lang.t("Über die Ziele hinaus", "Beyond the targets"),
        ));
        b.push(Block::List(r.beyond.clone()));
    }
    if !r.contacts_per_month.is_empty() {
        let caption = lang.t("Kontakte je Monat", "Contacts per month");
        b.push(Block::heading(2, caption));
        b.push(Block::Chart {
            svg: contacts_chart(r),
            alt: lang
                .t(
                    "Stattgefundene und abgesagte Kontakte je Monat (Zahlen in der Tabelle)",
                    "Contacts held and cancelled per month (figures in the table)",
                )
                .to_owned(),
            width_cm: 16.0,
            height_cm: 6.0,
        });
        b.push(Block::Table {
            caption: caption.to_owned(),
            headers: vec![
                lang.t("Monat", "Month").to_owned(),
                lang.t("stattgefunden", "held").to_owned(),
                lang.t("abgesagt", "cancelled").to_owned(),
            ],
            rows: r
                .contacts_per_month
                .iter()
                .map(|m| vec![m.month.clone(), m.held.to_string(), m.cancelled.to_string()])
                .collect(),
        });
    }
    if !r.meetings.is_empty() {
        let caption = lang.t("Sitzungen der Gremien", "Meetings of the bodies");
        b.push(Block::heading(2, caption));
        b.push(Block::Chart {
            svg: attendance_chart(r),
            alt: lang
                .t(
                    "Sitzungen je Gremium und Teilnahme des KI (Zahlen in der Tabelle)",
                    "Meetings per body and the office's attendance (figures in the table)",
                )
                .to_owned(),
            width_cm: 16.0,
            height_cm: (r.meetings.len() as f32 * 34.0 + 24.0) / 520.0 * 16.0,
        });
        b.push(Block::Table {
            caption: caption.to_owned(),
            headers: vec![
                lang.t("Gremium", "Body").to_owned(),
                lang.t("stattgefunden", "held").to_owned(),
                lang.t("davon mit dem KI", "attended by the office")
                    .to_owned(),
                lang.t("abgesagt", "cancelled").to_owned(),
            ],
            rows: r
                .meetings
                .iter()
                .map(|m| {
                    vec![
                        m.body.clone(),
                        m.held.to_string(),
                        m.with_staff.to_string(),
                        m.cancelled.to_string(),
                    ]
                })
                .collect(),
        });
    }
    if !r.outlook.is_empty() {
        b.push(Block::heading(2, lang.t("Ausblick", "Outlook")));
        b.extend(paragraphs(&r.outlook));
    }
    b.push(Block::text(format!(
        "{}, {}\n{}",
        r.place, r.month, r.author
    )));
    Document {
        title: r.title.clone(),
        lang: lang.code().to_owned(),
        blocks: b,
    }
}

fn mode_text(mode: &str, lang: Lang) -> &'static str {
    match (mode, lang) {
        ("in_person", Lang::De) => "in Präsenz",
        ("in_person", Lang::En) => "in person",
        ("hybrid", _) => "hybrid",
        (_, Lang::De) => "digital",
        (_, Lang::En) => "online",
    }
}

/// What the report says about a record a substitute measure points to:
/// "Arbeitskreis MSO (gegründet am 01.09.2020): 2 Sitzungen – 14.09.2020
/// in Präsenz, 24.11.2020 digital; 7 Organisationen vertreten".
pub fn substitute_text(s: &crate::targets::Substitute, lang: Lang) -> String {
    let mut out = s.name.clone();
    match s.record_type.as_str() {
        "body" => {
            if let Some(d) = s.date {
                out.push_str(&match lang {
                    Lang::De => format!(" (gegründet am {})", lang.day(d)),
                    Lang::En => format!(" (founded on {})", lang.day(d)),
                });
            }
            let meetings: Vec<String> = s
                .meetings
                .iter()
                .map(|m| format!("{} {}", lang.day(m.date), mode_text(&m.mode, lang)))
                .collect();
            out.push_str(&match (lang, meetings.len()) {
                (Lang::De, 1) => format!(": 1 Sitzung – {}", meetings.join(", ")),
                (Lang::De, n) if n > 1 => format!(": {n} Sitzungen – {}", meetings.join(", ")),
                (Lang::En, 1) => format!(": 1 meeting – {}", meetings.join(", ")),
                (Lang::En, n) if n > 1 => format!(": {n} meetings – {}", meetings.join(", ")),
                (Lang::De, _) => ": keine Sitzung im Berichtszeitraum".to_owned(),
                (Lang::En, _) => ": no meeting in the period".to_owned(),
            });
            if let Some(n) = s.organisations_represented.filter(|n| *n > 0) {
                out.push_str(&match lang {
                    Lang::De => format!("; {n} Organisationen vertreten"),
                    Lang::En => format!("; {n} organisations represented"),
                });
            }
        }
        _ => {
            if let Some(d) = s.date {
                out.push_str(&format!(" ({} {})", lang.day(d), mode_text(&s.mode, lang)));
            }
        }
    }
    out
}

impl Services {
    /// Freezes the report as it is now (figures and text, in German and
    /// English) as the period's next numbered version.
    pub async fn finalise_report(
        &self,
        actor: &Actor,
        period_id: Uuid,
        note: &str,
    ) -> Result<ReportVersion, Error> {
        actor.require(Permission::WriteStaffArea)?;
        let note = note.trim();
        if note.chars().count() > 500 {
            return Err(Error::field("note", "too-long"));
        }
        let mut de = self.report(actor, period_id, Lang::De).await?;
        let mut en = self.report(actor, period_id, Lang::En).await?;
        let conn = self.store.conn();
        let number = store::report_versions(conn, period_id)
            .await?
            .first()
            .map_or(1, |v| v.number + 1);
        let now = Utc::now();
        for r in [&mut de, &mut en] {
            r.frozen_version = Some(number);
            r.frozen_at = Some(now);
            r.missing.clear();
        }
        let snapshot = serde_json::to_string(&Snapshot { de, en })
            .map_err(|e| Error::Internal(Box::new(e)))?;
        let tx = self.store.begin().await?;
        let row = store::insert_report_version(
            &tx,
            store::ReportVersionRow {
                id: Uuid::now_v7(),
                period_id,
                number,
                note: note.to_owned(),
                snapshot,
                created_at: now,
                created_by: actor.user_id,
            },
        )
        .await
        .map_err(|e| match e {
            msohub_store::Error::Taken(_) => {
                Error::Conflict("someone else finalised the report at the same moment".to_owned())
            }
            e => e.into(),
        })?;
        audit::record(
            &tx,
            actor,
            "report",
            period_id,
            "finalise",
            None,
            Some(serde_json::json!({"number": number, "note": note})),
        )
        .await?;
        tx.commit().await.map_err(msohub_store::Error::from)?;
        Ok(ReportVersion {
            number: row.number,
            note: row.note,
            created_at: row.created_at,
            created_by: Some(actor.display_name.clone()),
        })
    }

    /// The period's finalised versions, newest first.
    pub async fn report_versions(
        &self,
        actor: &Actor,
        period_id: Uuid,
    ) -> Result<Vec<ReportVersion>, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let conn = self.store.conn();
        store::find_period(conn, period_id)
            .await?
            .ok_or(Error::NotFound)?;
        let mut out = Vec::new();
        for v in store::report_versions(conn, period_id).await? {
            let created_by = match v.created_by {
                Some(u) => msohub_store::users::find_user(conn, u)
                    .await?
                    .map(|u| u.display_name),
                None => None,
            };
            out.push(ReportVersion {
                number: v.number,
                note: v.note,
                created_at: v.created_at,
                created_by,
            });
        }
        Ok(out)
    }

    /// A finalised version exactly as it was frozen.
    pub async fn report_version(
        &self,
        actor: &Actor,
        period_id: Uuid,
        number: i32,
        lang: Lang,
    ) -> Result<Report, Error> {
        actor.require(Permission::ReadStaffArea)?;
        let row = store::report_version(self.store.conn(), period_id, number)
            .await?
            .ok_or(Error::NotFound)?;
        let snapshot: Snapshot =
            serde_json::from_str(&row.snapshot).map_err(|e| Error::Internal(Box::new(e)))?;
        Ok(match lang {
            Lang::De => snapshot.de,
            Lang::En => snapshot.en,
        })
    }

    /// The differences between two versions (`None`: the report as it
    /// would be generated now), line by line of their Markdown text.
    pub async fn report_diff(
        &self,
        actor: &Actor,
        period_id: Uuid,
        from: i32,
        to: Option<i32>,
        lang: Lang,
    ) -> Result<Vec<DiffLine>, Error> {
        let old = markdown(&self.report_version(actor, period_id, from, lang).await?);
        let new = markdown(&match to {
            Some(n) => self.report_version(actor, period_id, n, lang).await?,
            None => self.report(actor, period_id, lang).await?,
        });
        // Off the async workers: a large diff must not stall other requests.
        tokio::task::spawn_blocking(move || diff_lines(&old, &new))
            .await
            .map_err(|e| Error::Internal(Box::new(e)))?
            .ok_or_else(|| Error::field("versions", "diff-too-large"))
    }
}

/// The longest texts compared, in lines and bytes (each side); past this
/// the diff is refused with a message instead of tying up a worker.
pub const MAX_DIFF_LINES: usize = 20_000;
pub const MAX_DIFF_BYTES: usize = 4 * 1024 * 1024;

/// A line diff (Myers' algorithm in linear space, from the `similar`
/// crate, with a deadline); `None` when a side is larger than the limits.
pub fn diff_lines(old: &str, new: &str) -> Option<Vec<DiffLine>> {
    let too_large = |s: &str| s.len() > MAX_DIFF_BYTES || s.lines().count() > MAX_DIFF_LINES;
    if too_large(old) || too_large(new) {
        return None;
    }
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .timeout(std::time::Duration::from_secs(5))
        .diff_lines(old, new);
    Some(
        diff.iter_all_changes()
            .map(|c| DiffLine {
                change: match c.tag() {
                    similar::ChangeTag::Equal => "same",
                    similar::ChangeTag::Insert => "added",
                    similar::ChangeTag::Delete => "removed",
                }
                .to_owned(),
                text: c.value().trim_end_matches(['\n', '\r']).to_owned(),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_compared_and_oversized_texts_refused() {
        let lines = diff_lines("a\nb\nc\n", "a\nB\nc\n").unwrap();
        let shown: Vec<(&str, &str)> = lines
            .iter()
            .map(|l| (l.change.as_str(), l.text.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("same", "a"),
                ("removed", "b"),
                ("added", "B"),
                ("same", "c")
            ]
        );
        // Two texts of 20,001 different lines: refused before any work
        // (the old quadratic table would have been 3 GB).
        let big: String = (0..=MAX_DIFF_LINES).map(|i| format!("{i}\n")).collect();
        let other: String = (0..=MAX_DIFF_LINES).map(|i| format!("x{i}\n")).collect();
        assert!(diff_lines(&big, &other).is_none());
        // A long report with one changed line is compared in full.
        let long: String = (0..5_000).map(|i| format!("Zeile {i}\n")).collect();
        let edited = long.replace("Zeile 2500\n", "Zeile 2500 (geändert)\n");
        let lines = diff_lines(&long, &edited).unwrap();
        assert_eq!(lines.len(), 5_001);
        assert_eq!(lines.iter().filter(|l| l.change != "same").count(), 2);
    }
}
