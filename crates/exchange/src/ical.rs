//! iCalendar (RFC 5545) output: events with stable UIDs, times in UTC (which
//! every calendar program shows in its own zone, Europe/Berlin included),
//! text escaped and lines folded at 75 octets.

use chrono::{DateTime, NaiveDate, Utc};
use std::fmt::Write;

/// When an event takes place.
#[derive(Debug, Clone, PartialEq)]
pub enum When {
    /// From, to (UTC).
    Timed(DateTime<Utc>, DateTime<Utc>),
    /// A whole day.
    Day(NaiveDate),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Stable across exports, e.g. `interaction-{id}@msohub`.
    pub uid: String,
    pub when: When,
    pub summary: String,
    pub description: String,
    pub location: String,
    /// CONFIRMED, TENTATIVE or CANCELLED.
    pub status: &'static str,
    /// Grows with every change (the record's version).
    pub sequence: i32,
    /// When the record last changed.
    pub stamp: DateTime<Utc>,
}

/// Escapes TEXT values (RFC 5545 3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded so no line exceeds 75 octets (never
/// inside a UTF-8 sequence).
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A calendar with these events.
pub fn calendar(name: &str, events: &[Event]) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//msohub//msohub//DE");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    line(&mut out, "X-WR-TIMEZONE:Europe/Berlin");
    for e in events {
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", escape(&e.uid)));
        line(&mut out, &format!("DTSTAMP:{}", utc(e.stamp)));
        match &e.when {
            When::Timed(from, to) => {
                line(&mut out, &format!("DTSTART:{}", utc(*from)));
                line(&mut out, &format!("DTEND:{}", utc(*to)));
            }
            When::Day(d) => {
                line(
                    &mut out,
                    &format!("DTSTART;VALUE=DATE:{}", d.format("%Y%m%d")),
                );
                let next = d.succ_opt().unwrap_or(*d);
                line(
                    &mut out,
                    &format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")),
                );
            }
        }
        line(&mut out, &format!("SUMMARY:{}", escape(&e.summary)));
        if !e.description.is_empty() {
            line(&mut out, &format!("DESCRIPTION:{}", escape(&e.description)));
        }
        if !e.location.is_empty() {
            line(&mut out, &format!("LOCATION:{}", escape(&e.location)));
        }
        line(&mut out, &format!("STATUS:{}", e.status));
        let mut seq = String::new();
        let _ = write!(seq, "SEQUENCE:{}", e.sequence.max(0));
        line(&mut out, &seq);
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

/// An invitation (iTIP, RFC 5546) for one attendee: `REQUEST` for a new
/// or changed meeting, `CANCEL` for a cancelled one. The UID stays the
/// same; `event.sequence` must grow with every update.
pub fn invitation(method: &str, event: &Event, organizer: (&str, &str), attendee: &str) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//msohub//msohub//DE");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, &format!("METHOD:{method}"));
    line(&mut out, "BEGIN:VEVENT");
    line(&mut out, &format!("UID:{}", escape(&event.uid)));
    line(&mut out, &format!("DTSTAMP:{}", utc(event.stamp)));
    match &event.when {
        When::Timed(from, to) => {
            line(&mut out, &format!("DTSTART:{}", utc(*from)));
            line(&mut out, &format!("DTEND:{}", utc(*to)));
        }
        When::Day(d) => {
            line(
                &mut out,
                &format!("DTSTART;VALUE=DATE:{}", d.format("%Y%m%d")),
            );
        }
    }
    line(&mut out, &format!("SEQUENCE:{}", event.sequence.max(0)));
    line(&mut out, &format!("SUMMARY:{}", escape(&event.summary)));
    if !event.description.is_empty() {
        line(
            &mut out,
            &format!("DESCRIPTION:{}", escape(&event.description)),
        );
    }
    if !event.location.is_empty() {
        line(&mut out, &format!("LOCATION:{}", escape(&event.location)));
    }
    let (name, address) = organizer;
    line(
        &mut out,
        &format!(
            "ORGANIZER;CN=\"{}\":mailto:{address}",
            name.replace('"', "'")
        ),
    );
    line(
        &mut out,
        &format!("ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{attendee}"),
    );
    line(
        &mut out,
        &format!(
            "STATUS:{}",
            if method == "CANCEL" {
                "CANCELLED"
            } else {
                event.status
            }
        ),
    );
    line(&mut out, "END:VEVENT");
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_long_lines_folded() {
        let at = DateTime::parse_from_rfc3339("2026-03-05T13:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let e = Event {
            uid: "interaction-1@msohub".into(),
            when: When::Timed(at, at + chrono::Duration::minutes(90)),
            summary: "Besuch; Vorstand, Ümit\nzweite Zeile".into(),
            description: "ä".repeat(100),
            location: String::new(),
            status: "CONFIRMED",
            sequence: 3,
            stamp: at,
        };
        let ics = calendar("Mein Kalender", &[e]);
        assert!(ics.contains("SUMMARY:Besuch\\; Vorstand\\, Ümit\\nzweite Zeile\r\n"));
        assert!(ics.contains("DTSTART:20260305T133000Z\r\nDTEND:20260305T150000Z\r\n"));
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        // Unfolding gives the description back whole.
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("DESCRIPTION:{}", "ä".repeat(100))));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn whole_days_end_the_next_day() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let ics = calendar(
            "x",
            &[Event {
                uid: "task-1@msohub".into(),
                when: When::Day(d),
                summary: "Frist".into(),
                description: String::new(),
                location: String::new(),
                status: "CONFIRMED",
                sequence: 1,
                stamp: Utc::now(),
            }],
        );
        assert!(ics.contains("DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n"));
    }
}
