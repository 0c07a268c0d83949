//! The report as a document (headings, paragraphs, lists, charts and tables)
//! for Markdown, PDF, DOCX and ODT.

use super::charts::{attendance_chart, contacts_chart};
use msohub_exchange::document::{Block, Document, Span};
use msohub_service::report::{Report, figure_text, status_text, substitute_text};

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
            Span::Text(format!(" {} – ", figure_text(target, lang))),
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
