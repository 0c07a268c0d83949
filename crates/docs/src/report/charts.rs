//! The report's two charts as standalone SVG (also inline in HTML and in
//! the PDF): contacts per month, and meetings per body with the office's
//! attendance.

use msohub_service::report::{BodyFigure, Chapter, Lang, MonthFigure, num, percent};

const HELD_FILL: &str = "#004b87";
const CANCELLED_FILL: &str = "#b35900";
const MUTED_FILL: &str = "#767676";
const TEXT_FILL: &str = "#1a1a1a";
const MEETINGS_FILL: &str = "#2e6b30";
const EVENTS_FILL: &str = "#6a3d8f";

/// A chapter's month figures as a stacked bar chart of what its project
/// counts (contacts held and cancelled, meetings, events), a standalone
/// SVG that also works inline in HTML.
pub fn contacts_chart(c: &Chapter, lang: Lang) -> String {
    use msohub_exchange::document::xml_escape;
    let series = chart_series(c, lang);
    let value = |m: &MonthFigure, key: &str| match key {
        "held" => m.held,
        "cancelled" => m.cancelled,
        "meetings" => m.meetings,
        _ => m.events,
    };
    let n = c.per_month.len();
    let total = |m: &MonthFigure| series.iter().map(|(k, _, _)| value(m, k)).sum::<u32>();
    let max = c.per_month.iter().map(total).max().unwrap_or(0).max(1);
    // The legend needs room for its labels even with few months.
    let legend: usize = series
        .iter()
        .map(|(_, label, _)| label.chars().count() * 6 + 30)
        .sum();
    let width = (n * 30 + 20).max(legend + 20);
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 150" width="{width}" height="150" role="img" aria-label="{}" font-family="DejaVu Sans, Arial, sans-serif" font-size="9" fill="{TEXT_FILL}">"#,
        xml_escape(&chart_caption(c, lang))
    );
    let mut x = 10;
    for (_, label, fill) in &series {
        svg.push_str(&format!(
            r#"<rect x="{x}" y="4" width="10" height="10" fill="{fill}"/><text x="{}" y="13">{}</text>"#,
            x + 14,
            xml_escape(label)
        ));
        x += label.chars().count() * 6 + 30;
    }
    for (i, m) in c.per_month.iter().enumerate() {
        let x = i * 30 + 10;
        let mut top = 130;
        for (key, label, fill) in &series {
            let v = value(m, key);
            let h = (v * 100 / max) as usize;
            // Empty bars are left out (a zero height is not valid SVG).
            if h > 0 {
                top -= h;
                svg.push_str(&format!(
                    r#"<rect x="{x}" y="{top}" width="20" height="{h}" fill="{fill}"><title>{}: {} {}</title></rect>"#,
                    m.month,
                    num(f64::from(v), lang),
                    xml_escape(label),
                ));
            }
        }
        svg.push_str(&format!(
            r#"<text x="{}" y="143" text-anchor="middle">{}</text>"#,
            x + 10,
            m.month.get(5..).unwrap_or(&m.month),
        ));
        let sum = total(m);
        if sum > 0 {
            svg.push_str(&format!(
                r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
                x + 10,
                top - 3,
                num(f64::from(sum), lang),
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The series a chapter's chart shows: key, label, colour.
pub fn chart_series(c: &Chapter, lang: Lang) -> Vec<(&'static str, &'static str, &'static str)> {
    let mut out = Vec::new();
    for count in &c.chart_counts {
        match count.as_str() {
            "contacts" => {
                out.push(("held", lang.t("Kontakte", "contacts"), HELD_FILL));
                out.push((
                    "cancelled",
                    lang.t("abgesagte Kontakte", "cancelled contacts"),
                    CANCELLED_FILL,
                ));
            }
            "meetings" => out.push(("meetings", lang.t("Sitzungen", "meetings"), MEETINGS_FILL)),
            "events" => out.push(("events", lang.t("Veranstaltungen", "events"), EVENTS_FILL)),
            _ => {}
        }
    }
    out
}

/// What the chart shows, as its heading and text alternative say.
pub fn chart_caption(c: &Chapter, lang: Lang) -> String {
    let labels: Vec<&str> = chart_series(c, lang)
        .into_iter()
        .filter(|(k, _, _)| *k != "cancelled")
        .map(|(k, label, _)| {
            if k == "held" {
                lang.t("Kontakte", "contacts")
            } else {
                label
            }
        })
        .collect();
    let joined = match labels.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} {} {last}", rest.join(", "), lang.t("und", "and")),
    };
    let mut caption = match lang {
        Lang::De => format!("{joined} je Monat"),
        Lang::En => format!("{joined} per month"),
    };
    if let Some(first) = caption.get(..1) {
        caption = first.to_uppercase() + &caption[1..];
    }
    caption
}

/// The charts' text size (SVG units).
const FONT_SIZE: f32 = 9.0;
/// The attendance chart's width, unless its legend needs more.
const ATTENDANCE_WIDTH: f32 = 520.0;
/// The widest the bodies' names may be before they wrap.
const MAX_LABEL: f32 = 200.0;
const LINE: f32 = 11.0;

/// A label's lines, each at most `max` wide (words longer than a line are
/// broken).
fn wrap(text: &str, max: f32) -> Vec<String> {
    let width = |s: &str| msohub_typeset::text_width(s, FONT_SIZE);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A word wider than a line: as many characters as fit.
        for c in word.chars() {
            if !line.is_empty() && width(&format!("{line}{c}")) > max {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Per body: meetings held and those the office attended, as horizontal
/// bars. The names column is as wide as the longest name (names wider than
/// 200 units wrap), so no label is cut.
pub fn attendance_chart(meetings: &[BodyFigure], lang: Lang) -> String {
    attendance_svg(meetings, lang)
}

fn attendance_svg(meetings: &[BodyFigure], lang: Lang) -> String {
    use msohub_exchange::document::xml_escape;
    let width_of = |s: &str| msohub_typeset::text_width(s, FONT_SIZE);
    let max = meetings.iter().map(|m| m.held).max().unwrap_or(0).max(1);
    let (held, staff) = (
        lang.t("Sitzungen stattgefunden", "meetings held"),
        lang.t("davon mit dem KI", "attended by the office"),
    );
    let labels: Vec<Vec<String>> = meetings.iter().map(|m| wrap(&m.body, MAX_LABEL)).collect();
    let label_width = labels
        .iter()
        .flatten()
        .map(|l| width_of(l))
        .fold(0.0, f32::max)
        .ceil();
    let count_width = width_of(&num(max as f64, lang)).ceil();
    let bars_at = 10.0 + label_width + 12.0;
    let second_legend = 10.0 + 14.0 + width_of(held).ceil() + 20.0;
    let legend_end = second_legend + 14.0 + width_of(staff).ceil() + 10.0;
    let width = ATTENDANCE_WIDTH
        .max(legend_end)
        .max(bars_at + 120.0 + count_width + 14.0);
    let bar_room = width - bars_at - count_width - 14.0;
    // A row: two bars (26 high) beside the name's lines.
    let rows: Vec<f32> = labels
        .iter()
        .map(|l| (l.len() as f32 * LINE + 8.0).max(34.0))
        .collect();
    let height = 24.0 + rows.iter().sum::<f32>();
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{}" font-family="DejaVu Sans, Arial, sans-serif" font-size="9" fill="{TEXT_FILL}"><rect x="10" y="4" width="10" height="10" fill="{MUTED_FILL}"/><text x="24" y="13">{held}</text><rect x="{second_legend}" y="4" width="10" height="10" fill="{HELD_FILL}"/><text x="{}" y="13">{staff}</text>"#,
        xml_escape(lang.t(
            "Sitzungen der Gremien und Teilnahme des KI",
            "Meetings of the bodies and the office's attendance"
        )),
        second_legend + 14.0,
    );
    let mut y = 24.0;
    for ((m, lines), row) in meetings.iter().zip(&labels).zip(&rows) {
        let scale = |n: usize| (n as f32 * bar_room / max as f32).round();
        let (w_held, w_staff) = (scale(m.held), scale(m.with_staff));
        // The bars in the row's middle, the name's lines centred beside them.
        let bars = y + (row - 26.0) / 2.0;
        let first_line = y + (row - lines.len() as f32 * LINE) / 2.0 + 8.0;
        for (i, line) in lines.iter().enumerate() {
            svg.push_str(&format!(
                r#"<text x="10" y="{}">{}</text>"#,
                first_line + i as f32 * LINE,
                xml_escape(line)
            ));
        }
        for (bar, top, fill, count, label) in [
            (w_held, bars, MUTED_FILL, m.held, held),
            (w_staff, bars + 14.0, HELD_FILL, m.with_staff, staff),
        ] {
            // Empty bars are left out (a zero width is not valid SVG).
            let count = num(count as f64, lang);
            if bar > 0.0 {
                svg.push_str(&format!(
                    r#"<rect x="{bars_at}" y="{top}" width="{bar}" height="12" fill="{fill}"><title>{}: {count} {label}</title></rect>"#,
                    xml_escape(&m.body),
                ));
            }
            svg.push_str(&format!(
                r#"<text x="{}" y="{}">{count}</text>"#,
                bars_at + bar + 4.0,
                top + 10.0
            ));
        }
        y += row;
    }
    svg.push_str("</svg>");
    svg
}

/// One bar per row: a label (wrapped like the bodies' names) and its
/// count with a share ("12 (40 %)"), for the needs per category and a
/// survey question's answers. `label` names the chart for screen readers.
pub fn bars_chart(label: &str, bars: &[(String, usize, Option<u32>)], lang: Lang) -> String {
    use msohub_exchange::document::xml_escape;
    let width_of = |s: &str| msohub_typeset::text_width(s, FONT_SIZE);
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let value = |(_, count, share): &(String, usize, Option<u32>)| {
        let count = num(*count as f64, lang);
        match share {
            Some(p) => format!("{count} ({})", percent(f64::from(*p), lang)),
            None => count,
        }
    };
    let labels: Vec<Vec<String>> = bars.iter().map(|b| wrap(&b.0, MAX_LABEL)).collect();
    let label_width = labels
        .iter()
        .flatten()
        .map(|l| width_of(l))
        .fold(0.0, f32::max)
        .ceil();
    let value_width = bars
        .iter()
        .map(|b| width_of(&value(b)))
        .fold(0.0, f32::max)
        .ceil();
    let bars_at = 10.0 + label_width + 12.0;
    let width = ATTENDANCE_WIDTH.max(bars_at + 120.0 + value_width + 14.0);
    let bar_room = width - bars_at - value_width - 14.0;
    let rows: Vec<f32> = labels
        .iter()
        .map(|l| (l.len() as f32 * LINE + 8.0).max(22.0))
        .collect();
    let height = 8.0 + rows.iter().sum::<f32>();
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{}" font-family="DejaVu Sans, Arial, sans-serif" font-size="9" fill="{TEXT_FILL}">"#,
        xml_escape(label)
    );
    let mut y = 4.0;
    for ((bar, lines), row) in bars.iter().zip(&labels).zip(&rows) {
        let length = (bar.1 as f32 * bar_room / max as f32).round();
        let top = y + (row - 12.0) / 2.0;
        let first_line = y + (row - lines.len() as f32 * LINE) / 2.0 + 8.0;
        for (i, line) in lines.iter().enumerate() {
            svg.push_str(&format!(
                r#"<text x="10" y="{}">{}</text>"#,
                first_line + i as f32 * LINE,
                xml_escape(line)
            ));
        }
        // Empty bars are left out (a zero width is not valid SVG).
        if length > 0.0 {
            svg.push_str(&format!(
                r#"<rect x="{bars_at}" y="{top}" width="{length}" height="12" fill="{HELD_FILL}"><title>{}: {}</title></rect>"#,
                xml_escape(&bar.0),
                value(bar)
            ));
        }
        svg.push_str(&format!(
            r#"<text x="{}" y="{}">{}</text>"#,
            bars_at + length + 4.0,
            top + 10.0,
            value(bar)
        ));
        y += row;
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_keep_their_labels_and_values_inside() {
        let bars = vec![
            (
                "Räume für Treffen, Hausaufgabenhilfe und Feste des Vereins in der Innenstadt"
                    .to_owned(),
                12_345,
                Some(100),
            ),
            ("Förderanträge".to_owned(), 0, Some(0)),
            ("Sonstiges".to_owned(), 5_000, None),
        ];
        let svg = bars_chart("Bedarfe", &bars, Lang::De);
        assert_nothing_cut(&svg);
        assert!(svg.contains("12.345 (100 %)"), "{svg}");
        let english = bars_chart("Needs", &bars, Lang::En);
        assert!(english.contains("12,345 (100%)"), "{english}");
        assert_eq!(svg.matches("<rect").count(), 2, "no empty bar");
    }

    /// Every text of the SVG, laid out with the PDF's font, lies inside
    /// its view box.
    fn assert_nothing_cut(svg: &str) {
        let ((width, height), boxes) = msohub_typeset::svg_text_boxes(svg).unwrap_or_default();
        assert!(!boxes.is_empty(), "no text in {svg}");
        for b in boxes {
            assert!(
                b.left >= -0.5
                    && b.top >= -0.5
                    && b.right <= width + 0.5
                    && b.bottom <= height + 0.5,
                "{b:?} leaves the view box {width}×{height}"
            );
        }
    }

    fn body(name: &str, held: usize, with_staff: usize) -> BodyFigure {
        BodyFigure {
            body: name.into(),
            held,
            with_staff,
            cancelled: 0,
        }
    }

    #[test]
    fn no_label_is_cut() {
        let bodies = [
            body(
                "Begleitgruppe des Forschungsprojekts ReMiGas NRW (Religiöse Migrantengemeinden als Kooperationspartner)",
                4,
                4,
            ),
            body("Integrationsrat", 3, 1),
            body("Arbeitskreis Migrantenorganisationen", 12_345, 0),
            body(
                "Donaudampfschifffahrtsgesellschaftskapitänsmützenhalterverein Lindenau",
                0,
                0,
            ),
        ];
        for lang in [Lang::De, Lang::En] {
            let svg = attendance_svg(&bodies, lang);
            assert_nothing_cut(&svg);
            // The long name is all there, over several lines.
            let ((_, _), boxes) = msohub_typeset::svg_text_boxes(&svg).unwrap_or_default();
            let text: String = boxes
                .iter()
                .map(|b| b.text.clone())
                .collect::<Vec<_>>()
                .join(" ");
            assert!(text.contains("Kooperationspartner)"), "{text}");
            assert!(text.contains("Begleitgruppe des"), "{text}");
            assert_nothing_cut(&attendance_svg(&bodies[1..2], lang));
            assert_nothing_cut(&attendance_svg(&[], lang));
        }
    }

    /// A month's figures: month, contacts held, cancelled, meetings, events.
    type Month<'a> = (&'a str, u32, u32, u32, u32);

    fn chapter(counts: &[&str], months: &[Month]) -> Chapter {
        Chapter {
            // (Built from JSON: this crate does not depend on uuid.)
            project: serde_json::from_value(serde_json::json!({
                "id": "00000000-0000-0000-0000-000000000000",
                "name": "Koordination mit MSO",
                "description": "",
                "chart_counts": counts,
                "position": 0,
                "version": 1,
            }))
            .expect("a project"),
            introduction: String::new(),
            targets: Vec::new(),
            verdict: "none".into(),
            verdict_text: String::new(),
            beyond: Vec::new(),
            outlook: String::new(),
            chart_counts: counts.iter().map(|c| (*c).to_owned()).collect(),
            per_month: months
                .iter()
                .map(|(month, held, cancelled, meetings, events)| MonthFigure {
                    month: (*month).to_owned(),
                    held: *held,
                    cancelled: *cancelled,
                    meetings: *meetings,
                    events: *events,
                })
                .collect(),
            meetings: Vec::new(),
        }
    }

    #[test]
    fn the_charts_figures_are_written_as_the_report_s_language_writes_numbers() {
        let c = chapter(&["contacts"], &[("2021-01", 12_345, 0, 0, 0)]);
        assert!(contacts_chart(&c, Lang::De).contains(">12.345<"));
        assert!(contacts_chart(&c, Lang::En).contains(">12,345<"));
        let bodies = [body("Integrationsrat", 1_200, 1_100)];
        assert!(attendance_chart(&bodies, Lang::De).contains(">1.200<"));
        assert!(attendance_chart(&bodies, Lang::En).contains(">1,100<"));
    }

    #[test]
    fn no_label_of_the_contacts_chart_is_cut() {
        let all = ["contacts", "meetings", "events"];
        let one = [("2021-07", 3, 1, 2, 1)];
        let two = [("2020-12", 0, 0, 0, 0), ("2021-01", 12_345, 678, 9, 1)];
        let year: Vec<(String, u32, u32, u32, u32)> = (1..=12)
            .map(|m| (format!("2021-{m:02}"), m * 3, m % 3, m % 4, m % 2))
            .collect();
        let year: Vec<Month> = year
            .iter()
            .map(|(m, a, b, c, d)| (m.as_str(), *a, *b, *c, *d))
            .collect();
        let cases: Vec<(&[&str], &[Month])> = vec![
            (&all, &one),
            (&all, &two),
            (&all, &year),
            (&["events", "meetings", "contacts"], &one),
            (&["contacts"], &one),
            (&["contacts"], &two),
            // A wide figure over the first bar.
            (&["contacts"], &[("2021-01", 123_456, 7_890, 0, 0)]),
            (&["meetings"], &one),
            (&["events"], &[("2021-03", 0, 0, 0, 0)]),
            (&["meetings", "events"], &two),
        ];
        for lang in [Lang::De, Lang::En] {
            for (counts, months) in &cases {
                let c = chapter(counts, months);
                let svg = contacts_chart(&c, lang);
                assert_nothing_cut(&svg);
                // Every series of the legend is there, whole.
                let ((_, _), boxes) = msohub_typeset::svg_text_boxes(&svg).unwrap_or_default();
                let texts: Vec<String> = boxes.iter().map(|b| b.text.clone()).collect();
                for (_, label, _) in chart_series(&c, lang) {
                    assert!(texts.iter().any(|t| t == label), "{label}: {texts:?}");
                }
            }
        }
    }

    #[test]
    #[should_panic(expected = "leaves the view box")]
    fn a_cut_label_is_found() {
        assert_nothing_cut(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 20" width="100" height="20" font-size="9"><text x="10" y="13">Begleitgruppe des Forschungsprojekts</text></svg>"#,
        );
    }

    #[test]
    fn long_words_are_broken_and_short_names_stay_whole() {
        assert_eq!(wrap("Integrationsrat", MAX_LABEL), ["Integrationsrat"]);
        let lines = wrap(&"x".repeat(100), 50.0);
        assert!(lines.len() > 1);
        assert!(
            lines
                .iter()
                .all(|l| msohub_typeset::text_width(l, FONT_SIZE) <= 50.0)
        );
        assert_eq!(lines.concat(), "x".repeat(100));
    }
}
