//! The report's section on needs as the documents show it: a sentence, a
//! chart and a table of the needs per category and status, then per chosen
//! survey its answer rate and, per question, a chart with its table. One
//! view for the HTML page and for Markdown, PDF, DOCX and ODT.

use super::charts::bars_chart;
use msohub_exchange::document::{Block, Span};
use msohub_service::report::{Lang, NeedsSection, num};

/// A chart with the table that says the same in text.
pub(super) struct Figure {
    pub caption: String,
    pub svg: Option<String>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// A line under the table ("Mittelwert 3,4").
    pub note: Option<String>,
}

pub(super) struct SurveyView {
    pub title: String,
    pub line: String,
    pub questions: Vec<Figure>,
}

pub(super) struct NeedsView {
    pub heading: String,
    pub summary: String,
    pub categories: Option<Figure>,
    pub surveys: Vec<SurveyView>,
}

pub(super) fn view(s: &NeedsSection, lang: Lang) -> NeedsView {
    let n = |v: usize| num(v as f64, lang);
    let categories = (!s.categories.is_empty()).then(|| {
        let caption = lang
            .t(
                "Bedarfe im Berichtszeitraum nach Kategorie und heutigem Stand",
                "Needs in the reporting period by category and their status now",
            )
            .to_owned();
        let mut headers = vec![lang.t("Kategorie", "Category").to_owned()];
        headers.extend(
            NeedsSection::status_headings(lang)
                .into_iter()
                .map(str::to_owned),
        );
        headers.push(lang.t("gesamt", "total").to_owned());
        let bars: Vec<(String, usize, Option<u32>)> = s
            .categories
            .iter()
            .map(|c| (c.category.clone(), c.total, None))
            .collect();
        let chart_label = lang.t(
            "Bedarfe im Berichtszeitraum je Kategorie (der Stand steht in der Tabelle)",
            "Needs in the reporting period per category (their status is in the table)",
        );
        Figure {
            svg: Some(bars_chart(chart_label, &bars, lang)),
            caption,
            headers,
            rows: s
                .categories
                .iter()
                .map(|c| {
                    let mut row = vec![c.category.clone()];
                    row.extend(c.by_status.iter().map(|v| n(*v)));
                    row.push(n(c.total));
                    row
                })
                .collect(),
            note: None,
        }
    });
    let surveys = s
        .surveys
        .iter()
        .map(|survey| SurveyView {
            title: format!("{}: {}", lang.t("Umfrage", "Survey"), survey.title),
            line: survey.answered_line(lang),
            questions: survey
                .questions
                .iter()
                .enumerate()
                .map(|(i, q)| {
                    let caption = format!("{}. {}", i + 1, q.text);
                    let bars: Vec<(String, usize, Option<u32>)> = q
                        .counts
                        .iter()
                        .map(|c| (c.label.clone(), c.count, Some(c.percent)))
                        .collect();
                    let mut note = match lang {
                        Lang::De => format!("{} Antworten.", n(q.answered)),
                        Lang::En => format!("{} answers.", n(q.answered)),
                    };
                    if let Some(m) = q.mean {
                        note.push(' ');
                        note.push_str(&format!(
                            "{} {}.",
                            lang.t("Mittelwert", "Mean"),
                            num((m * 10.0).round() / 10.0, lang)
                        ));
                    }
                    Figure {
                        svg: (!bars.is_empty()).then(|| bars_chart(&caption, &bars, lang)),
                        headers: vec![
                            lang.t("Antwort", "Answer").to_owned(),
                            lang.t("Anzahl", "Count").to_owned(),
                            "%".to_owned(),
                        ],
                        rows: q
                            .counts
                            .iter()
                            .map(|c| vec![c.label.clone(), n(c.count), c.percent.to_string()])
                            .collect(),
                        caption,
                        note: Some(note),
                    }
                })
                .collect(),
        })
        .collect();
    NeedsView {
        heading: lang
            .t("Bedarfe der Organisationen", "The organisations' needs")
            .to_owned(),
        summary: s.summary(lang),
        categories,
        surveys,
    }
}

/// The chart's width and height from its view box.
fn size_of(svg: &str) -> (f32, f32) {
    let view = svg
        .split("viewBox=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("0 0 520 100");
    let n: Vec<f32> = view
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    match n[..] {
        [_, _, w, h] if w > 0.0 => (w, h),
        _ => (520.0, 100.0),
    }
}

fn figure_blocks(b: &mut Vec<Block>, f: &Figure, lang: Lang) {
    if let Some(svg) = &f.svg {
        let (w, h) = size_of(svg);
        b.push(Block::Chart {
            svg: svg.clone(),
            alt: format!(
                "{} ({})",
                f.caption,
                lang.t("Zahlen in der Tabelle", "figures in the table")
            ),
            width_cm: 16.0,
            height_cm: h / w * 16.0,
        });
    }
    if !f.rows.is_empty() {
        b.push(Block::Table {
            caption: f.caption.clone(),
            headers: f.headers.clone(),
            rows: f.rows.clone(),
        });
    }
    if let Some(note) = &f.note {
        b.push(Block::text(note.clone()));
    }
}

/// The section as document blocks, its heading at `level`.
pub(super) fn blocks(b: &mut Vec<Block>, s: &NeedsSection, lang: Lang, level: u8) {
    let v = view(s, lang);
    b.push(Block::heading(level, &v.heading));
    b.push(Block::text(v.summary));
    if let Some(f) = &v.categories {
        figure_blocks(b, f, lang);
    }
    for survey in &v.surveys {
        b.push(Block::heading(level + 1, &survey.title));
        b.push(Block::Paragraph(vec![Span::Text(survey.line.clone())]));
        for q in &survey.questions {
            b.push(Block::Paragraph(vec![Span::Strong(q.caption.clone())]));
            figure_blocks(b, q, lang);
        }
    }
}
