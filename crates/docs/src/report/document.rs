//! The report as a document (headings, paragraphs, lists, charts and tables)
//! for Markdown, PDF, DOCX and ODT.

use super::charts::{attendance_chart, chart_caption, contacts_chart};
use msohub_exchange::document::{Block, Document, Span};
use msohub_service::report::{
    BodyFigure, Chapter, Lang, Report, figure_text, labelled, num, status_text, substitute_text,
};

/// The report as Markdown.
pub fn markdown(r: &Report) -> String {
    msohub_exchange::document::markdown(&document(r))
}

/// Paragraphs of a text typed by staff (blank lines separate them).
fn paragraphs(text: &str) -> impl Iterator<Item = Block> + '_ {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(Block::text)
}

/// The report as a document, for Markdown, PDF, DOCX and ODT: the whole
/// period with one chapter per project (with a table of contents), or one
/// project's chapter.
pub fn document(r: &Report) -> Document {
    let lang = r.lang;
    let one = r.project.is_some();
    let mut b = vec![Block::heading(1, &r.title)];
    b.push(Block::text(period_line(r)));
    b.extend(paragraphs(&r.introduction));
    if one {
        if let Some(c) = r.chapters.first() {
            chapter(&mut b, r, c, 2);
        }
        if let Some(needs) = &r.needs {
            super::needs::blocks(&mut b, needs, lang, 2);
        }
    } else {
        if r.chapters.len() > 1 {
            b.push(Block::heading(2, lang.t("Inhalt", "Contents")));
            b.push(Block::text(
                r.chapters
                    .iter()
                    .enumerate()
                    .map(|(i, c)| format!("{}. {}", i + 1, c.project.name))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ));
        }
        for (i, c) in r.chapters.iter().enumerate() {
            b.push(Block::heading(2, format!("{}. {}", i + 1, c.project.name)));
            chapter(&mut b, r, c, 3);
        }
        if r.chapters.len() > 1 {
            b.push(Block::heading(
                2,
                lang.t("Gesamtbewertung", "Overall verdict"),
            ));
            b.push(Block::Paragraph(vec![Span::Strong(r.verdict_text.clone())]));
        }
        if !r.meetings.is_empty() {
            let caption = lang.t("Sitzungen der Gremien", "Meetings of the bodies");
            b.push(Block::heading(2, caption));
            meetings(&mut b, &r.meetings, lang);
        }
        if let Some(needs) = &r.needs {
            super::needs::blocks(&mut b, needs, lang, 2);
        }
        if !r.outlook.is_empty() {
            b.push(Block::heading(2, lang.t("Ausblick", "Outlook")));
            b.extend(paragraphs(&r.outlook));
        }
    }
    b.push(Block::text(format!("{}\n{}", signature_line(r), r.author)));
    Document {
        title: r.title.clone(),
        lang: lang.code().to_owned(),
        blocks: b,
    }
}

/// "Berichtszeitraum: 2020/21 (01.08.2020 – 31.07.2021)"
pub(super) fn period_line(r: &Report) -> String {
    let lang = r.lang;
    format!(
        "{}: {} ({} – {})",
        lang.t("Berichtszeitraum", "Reporting period"),
        r.period.name,
        lang.day(r.period.starts_on),
        lang.day(r.period.ends_on)
    )
}

/// "Paderborn, im Juni 2021"
pub(super) fn signature_line(r: &Report) -> String {
    match (r.lang, r.place.is_empty()) {
        (Lang::De, false) => format!("{}, im {}", r.place, r.month),
        (Lang::De, true) => format!("Im {}", r.month),
        (Lang::En, false) => format!("{}, {}", r.place, r.month),
        (Lang::En, true) => r.month.clone(),
    }
}

/// One project's chapter, its headings at `level`.
fn chapter(b: &mut Vec<Block>, r: &Report, c: &Chapter, level: u8) {
    let lang = r.lang;
    b.extend(paragraphs(&c.project.description));
    b.extend(paragraphs(&c.introduction));
    if !c.targets.is_empty() {
        b.push(Block::text(lang.t(
            "Im Rahmen des Projektes haben wir folgende Ziele verfolgt:",
            "Within the project, we pursued the following targets:",
        )));
    }
    for t in &c.targets {
        let target = &t.target;
        b.push(Block::heading(
            level,
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
            Span::Text(format!(" {} – ", figure_text(target, lang))),
            Span::Strong(status_text(&target.status, lang).to_owned()),
        ]));
        if target.overridden {
            push_labelled(
                b,
                lang.t("Begründung der Bewertung:", "Why this status:"),
                &target.override_reason,
            );
        }
        b.extend(paragraphs(&t.narrative));
        push_labelled(
            b,
            lang.t("Gründe für die Abweichung:", "Why it deviates:"),
            &target.deviation_reason,
        );
        push_labelled(
            b,
            lang.t("Stattdessen:", "Instead:"),
            &target.substitute_measures,
        );
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
    b.push(Block::Paragraph(vec![Span::Strong(c.verdict_text.clone())]));
    if !c.beyond.is_empty() {
        b.push(Block::heading(
            level,
            lang.t(
                "Über die vereinbarten Ziele hinaus",
                "Beyond the agreed targets",
            ),
        ));
        b.push(Block::List(c.beyond.clone()));
    }
    if !c.per_month.is_empty() && !c.chart_counts.is_empty() {
        let caption = chart_caption(c, lang);
        b.push(Block::heading(level, &caption));
        b.push(Block::Chart {
            svg: contacts_chart(c, lang),
            alt: format!(
                "{caption} ({})",
                lang.t("Zahlen in der Tabelle", "figures in the table")
            ),
            width_cm: 16.0,
            height_cm: 6.0,
        });
        let (columns, rows) = chart_table(c, lang);
        let mut headers = vec![lang.t("Monat", "Month").to_owned()];
        headers.extend(columns);
        b.push(Block::Table {
            caption,
            headers,
            rows,
        });
    }
    if !c.meetings.is_empty() {
        b.push(Block::heading(
            level,
            lang.t("Sitzungen der Gremien", "Meetings of the bodies"),
        ));
        meetings(b, &c.meetings, lang);
    }
    if !c.outlook.is_empty() {
        b.push(Block::heading(level, lang.t("Ausblick", "Outlook")));
        b.extend(paragraphs(&c.outlook));
    }
}

/// A staff text with its label, the label printed once at most.
fn push_labelled(b: &mut Vec<Block>, label: &str, text: &str) {
    if let Some(l) = labelled(label, text) {
        let mut spans = Vec::new();
        if let Some(label) = l.label {
            spans.push(Span::Strong(label));
            spans.push(Span::Text(" ".to_owned()));
        }
        spans.push(Span::Text(l.text));
        b.push(Block::Paragraph(spans));
    }
}

/// Meetings per body: the chart and its table.
fn meetings(b: &mut Vec<Block>, meetings: &[BodyFigure], lang: Lang) {
    let caption = lang.t("Sitzungen der Gremien", "Meetings of the bodies");
    b.push(Block::Chart {
        svg: attendance_chart(meetings, lang),
        alt: lang
            .t(
                "Sitzungen je Gremium und Teilnahme des KI (Zahlen in der Tabelle)",
                "Meetings per body and the office's attendance (figures in the table)",
            )
            .to_owned(),
        width_cm: 16.0,
        height_cm: (meetings.len() as f32 * 34.0 + 24.0) / 520.0 * 16.0,
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
        rows: meetings
            .iter()
            .map(|m| {
                vec![
                    m.body.clone(),
                    num(m.held as f64, lang),
                    num(m.with_staff as f64, lang),
                    num(m.cancelled as f64, lang),
                ]
            })
            .collect(),
    });
}

/// The figures behind a chapter's chart: the columns after the month, and
/// one row per month (the month first).
pub(super) fn chart_table(c: &Chapter, lang: Lang) -> (Vec<String>, Vec<Vec<String>>) {
    let mut columns = Vec::new();
    for count in &c.chart_counts {
        match count.as_str() {
            "contacts" => {
                columns.push(lang.t("Kontakte", "contacts").to_owned());
                columns.push(lang.t("abgesagt", "cancelled").to_owned());
            }
            "meetings" => columns.push(lang.t("Sitzungen", "meetings").to_owned()),
            "events" => columns.push(lang.t("Veranstaltungen", "events").to_owned()),
            _ => {}
        }
    }
    let rows = c
        .per_month
        .iter()
        .map(|m| {
            let mut row = vec![m.month.clone()];
            for count in &c.chart_counts {
                match count.as_str() {
                    "contacts" => {
                        row.push(num(f64::from(m.held), lang));
                        row.push(num(f64::from(m.cancelled), lang));
                    }
                    "meetings" => row.push(num(f64::from(m.meetings), lang)),
                    "events" => row.push(num(f64::from(m.events), lang)),
                    _ => {}
                }
            }
            row
        })
        .collect();
    (columns, rows)
}
