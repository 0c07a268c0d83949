//! The report's two charts as standalone SVG (also inline in HTML and in
//! the PDF): contacts per month, and meetings per body with the office's
//! attendance.

use msohub_service::report::Report;

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
