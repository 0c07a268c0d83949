//! How the report words things: statuses, verdicts, numbers and
//! percentages in the report's language, quotation marks, labels, the
//! figure of a target ("1 von 3 Sitzungen (33 %)", "0 von 6 Besuchen"),
//! substitute measures and the generated draft of a narrative.

use super::{Lang, Report};
use crate::targets::{Substitute, Target};

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

/// A number as the report writes it: whole numbers without decimals, others
/// with one; German with a decimal comma and dots between thousands
/// ("10.000", "33,3"), English the other way round ("10,000", "33.3").
pub fn num(v: f64, lang: Lang) -> String {
    let text = if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    };
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = rest.split_once('.').unwrap_or((rest, ""));
    let (group, decimal) = match lang {
        Lang::De => ('.', ','),
        Lang::En => (',', '.'),
    };
    let mut out = String::from(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push(decimal);
        out.push_str(fraction);
    }
    out
}

/// A percentage, whole: "33 %" in German (with a space), "33%" in English.
pub fn percent(v: f64, lang: Lang) -> String {
    let n = num(v.round(), lang);
    match lang {
        Lang::De => format!("{n} %"),
        Lang::En => format!("{n}%"),
    }
}

/// Quotation marks around a name or a quote: German „…“, English “…”.
/// Marks already inside become the inner ones (German ‚…‘, English ‘…’),
/// and marks the text is already wrapped in are not doubled.
pub fn quote(text: &str, lang: Lang) -> String {
    let (open, close, inner_open, inner_close) = match lang {
        Lang::De => ('„', '“', '‚', '‘'),
        Lang::En => ('“', '”', '‘', '’'),
    };
    let text = text.trim();
    let inner = strip_outer(text).unwrap_or(text);
    let mut out = String::with_capacity(inner.len() + 8);
    out.push(open);
    // Inside: the first mark of a pair opens, the next closes („…“,
    // “…”, "…", »…«, «…»).
    let mut within = false;
    for c in inner.chars() {
        match c {
            '„' | '“' | '”' | '"' | '»' | '«' => {
                out.push(if within { inner_close } else { inner_open });
                within = !within;
            }
            c => out.push(c),
        }
    }
    out.push(close);
    out
}

/// The text inside marks that wrap all of it (and hold no other marks).
fn strip_outer(text: &str) -> Option<&str> {
    const PAIRS: [(char, char); 5] = [('„', '“'), ('“', '”'), ('"', '"'), ('»', '«'), ('«', '»')];
    PAIRS.iter().find_map(|(open, close)| {
        let inner = text.strip_prefix(*open)?.strip_suffix(*close)?;
        (!inner.contains(['„', '“', '”', '"', '»', '«'])).then_some(inner)
    })
}

/// A labelled text as the report prints it: the label in bold, the text
/// after it. `label` is `None` where the text already begins with the
/// label's words ("Stattdessen: " + "Stattdessen wurde …").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    pub label: Option<String>,
    pub text: String,
}

/// A label and a text staff typed, ready to print: nothing when the text is
/// empty; the label left out when it is empty or the text already begins
/// with it, so no label is printed twice.
pub fn labelled(label: &str, text: &str) -> Option<Labelled> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let words = label.trim().trim_end_matches([':', ' ']).trim();
    let repeats = !words.is_empty()
        && text
            .get(..words.len())
            .is_some_and(|start| start.to_lowercase() == words.to_lowercase())
        && !text[words.len()..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
    Some(Labelled {
        label: (!words.is_empty() && !repeats).then(|| label.trim().to_owned()),
        text: text.to_owned(),
    })
}

pub fn mode_text(mode: &str, lang: Lang) -> &'static str {
    match (mode, lang) {
        ("in_person", Lang::De) => "in Präsenz",
        ("in_person", Lang::En) => "in person",
        ("hybrid", _) => "hybrid",
        (_, Lang::De) => "digital",
        (_, Lang::En) => "online",
    }
}

/// Where a body's purpose goes after its name.
enum Purpose {
    None,
    /// One phrase beginning with an article, after a comma: ", ein
    /// niederschwelliges Gremium, in dem …".
    Apposition(String),
    /// One phrase without an article, in the brackets: "(…; Zweck: …)".
    Bracketed(String),
    /// Several sentences, after the rest.
    Sentences(String),
}

fn purpose_of(purpose: &str) -> Purpose {
    let p = purpose.split_whitespace().collect::<Vec<_>>().join(" ");
    let p = p.trim().trim_end_matches('.').trim();
    if p.is_empty() {
        return Purpose::None;
    }
    if p.contains(". ") || p.contains("! ") || p.contains("? ") || p.contains(": ") {
        return Purpose::Sentences(p.to_owned());
    }
    let first = p.split(' ').next().unwrap_or_default();
    let article = [
        "Ein", "Eine", "Der", "Die", "Das", "Dieser", "Diese", "A", "An", "The",
    ]
    .contains(&first);
    if !article {
        return Purpose::Bracketed(p.to_owned());
    }
    let mut c = p.chars();
    Purpose::Apposition(
        c.next()
            .map(|f| f.to_lowercase().collect::<String>() + c.as_str())
            .unwrap_or_default(),
    )
}

/// What the report says about a record a substitute measure points to:
/// "Arbeitskreis MSO (gegründet am 01.09.2020), ein niederschwelliges
/// Gremium, in dem …: 2 Sitzungen – 14.09.2020 in Präsenz, 24.11.2020
/// digital; 7 Organisationen vertreten".
pub fn substitute_text(s: &Substitute, lang: Lang) -> String {
    let mut out = s.name.clone();
    match s.record_type.as_str() {
        "body" => {
            let purpose = purpose_of(&s.purpose);
            let mut bracket = Vec::new();
            if let Some(d) = s.date {
                bracket.push(match lang {
                    Lang::De => format!("gegründet am {}", lang.day(d)),
                    Lang::En => format!("founded on {}", lang.day(d)),
                });
            }
            if let Purpose::Bracketed(p) = &purpose {
                bracket.push(format!("{}: {p}", lang.t("Zweck", "purpose")));
            }
            if !bracket.is_empty() {
                out.push_str(&format!(" ({})", bracket.join("; ")));
            }
            if let Purpose::Apposition(p) = &purpose {
                out.push_str(&format!(", {p}"));
            }
            let meetings: Vec<String> = s
                .meetings
                .iter()
                .map(|m| format!("{} {}", lang.day(m.date), mode_text(&m.mode, lang)))
                .collect();
            let n = u32::try_from(meetings.len()).unwrap_or(u32::MAX);
            out.push_str(&match (lang, n) {
                (Lang::De, 1) => format!(": 1 Sitzung – {}", meetings.join(", ")),
                (Lang::De, n) if n > 1 => {
                    format!(": {} Sitzungen – {}", count(n, lang), meetings.join(", "))
                }
                (Lang::En, 1) => format!(": 1 meeting – {}", meetings.join(", ")),
                (Lang::En, n) if n > 1 => {
                    format!(": {} meetings – {}", count(n, lang), meetings.join(", "))
                }
                (Lang::De, _) => ": keine Sitzung im Berichtszeitraum".to_owned(),
                (Lang::En, _) => ": no meeting in the period".to_owned(),
            });
            match (s.organisations_represented.filter(|n| *n > 0), lang) {
                (Some(1), Lang::De) => out.push_str("; 1 Organisation vertreten"),
                (Some(1), Lang::En) => out.push_str("; 1 organisation represented"),
                (Some(n), Lang::De) => {
                    out.push_str(&format!("; {} Organisationen vertreten", count(n, lang)));
                }
                (Some(n), Lang::En) => {
                    out.push_str(&format!("; {} organisations represented", count(n, lang)));
                }
                (None, _) => {}
            }
            if let Purpose::Sentences(p) = &purpose {
                out.push_str(&format!(". {p}."));
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

fn count(n: impl Into<f64>, lang: Lang) -> String {
    num(n.into(), lang)
}

/// A noun in its forms: German singular, plural, dative plural; English
/// singular, plural.
struct Noun(
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

impl Noun {
    /// After a number ("6 Besuche", "1 visit").
    fn after(&self, n: f64, lang: Lang) -> &'static str {
        match (lang, n == 1.0) {
            (Lang::De, true) => self.0,
            (Lang::De, false) => self.1,
            (Lang::En, true) => self.3,
            (Lang::En, false) => self.4,
        }
    }
    /// After "von" and a number ("von 6 Besuchen", "von 1 Besuch").
    fn dative(&self, n: f64, lang: Lang) -> &'static str {
        match (lang, n == 1.0) {
            (Lang::De, false) => self.2,
            _ => self.after(n, lang),
        }
    }
}

const CONTACT: Noun = Noun("Kontakt", "Kontakte", "Kontakten", "contact", "contacts");
const MEETING: Noun = Noun("Sitzung", "Sitzungen", "Sitzungen", "meeting", "meetings");

/// What a target counts, by its metric (and for contacts the kind counted).
fn noun(t: &Target) -> Option<Noun> {
    Some(match t.metric.as_str() {
        "interactions" => match t.params.kinds.as_slice() {
            [k] if k == "visit" => Noun("Besuch", "Besuche", "Besuchen", "visit", "visits"),
            [k] if k == "phone" => Noun(
                "Telefonat",
                "Telefonate",
                "Telefonaten",
                "phone call",
                "phone calls",
            ),
            [k] if k == "email" => Noun("E-Mail", "E-Mails", "E-Mails", "e-mail", "e-mails"),
            [k] if k == "video" => Noun(
                "Videogespräch",
                "Videogespräche",
                "Videogesprächen",
                "video call",
                "video calls",
            ),
            [k] if k == "meeting_at_office" => Noun(
                "Termin im KI",
                "Termine im KI",
                "Terminen im KI",
                "meeting at the office",
                "meetings at the office",
            ),
            _ => CONTACT,
        },
        "meetings_held" | "staff_attendance_rate" => MEETING,
        "organisations_represented" => Noun(
            "Organisation",
            "Organisationen",
            "Organisationen",
            "organisation",
            "organisations",
        ),
        "needs_addressed" | "needs_raised" => {
            Noun("Bedarf", "Bedarfe", "Bedarfen", "need", "needs")
        }
        "events_held" => Noun(
            "Veranstaltung",
            "Veranstaltungen",
            "Veranstaltungen",
            "event",
            "events",
        ),
        "offers_published" => Noun("Angebot", "Angebote", "Angeboten", "offer", "offers"),
        _ => return None,
    })
}

/// A target's figure as the report prints it after "Stand:": "1 von 3
/// Sitzungen (33 %)" for an attendance rate, "0 von 6 Besuchen" for a
/// count, "4 von 5" for a figure staff entered.
pub fn figure_text(t: &Target, lang: Lang) -> String {
    let von = lang.t("von", "of");
    if t.metric == "staff_attendance_rate" {
        return match (t.count, t.of) {
            (_, Some(0)) => lang
                .t(
                    "keine Sitzung im Berichtszeitraum",
                    "no meeting in the period",
                )
                .to_owned(),
            (Some(c), Some(n)) => format!(
                "{} {von} {} {} ({})",
                count(c, lang),
                count(n, lang),
                MEETING.dative(f64::from(n), lang),
                percent(t.actual, lang)
            ),
            // A report finalised before the counts were kept.
            _ => format!(
                "{} ({}: {})",
                percent(t.actual, lang),
                lang.t("angestrebt", "aimed at"),
                percent(t.wanted, lang)
            ),
        };
    }
    let (a, w) = (num(t.actual, lang), num(t.wanted, lang));
    match noun(t) {
        Some(n) => format!("{a} {von} {w} {}", n.dative(t.wanted, lang)),
        None => format!("{a} {von} {w}"),
    }
}

/// The generated draft of a target's narrative, with the same figures.
pub(super) fn draft(t: &Target, lang: Lang) -> String {
    let (a, w) = (num(t.actual, lang), num(t.wanted, lang));
    let one = t.actual == 1.0;
    let body = t.body.as_ref().map(|b| quote(&b.name, lang));
    let unit = noun(t).unwrap_or(CONTACT);
    let dative = unit.dative(t.wanted, lang);
    let noun_en = unit.after(t.wanted, lang);
    let (de_verb, en_verb) = if one { ("", "was") } else { ("en", "were") };
    let figure = match (t.metric.as_str(), lang) {
        ("staff_attendance_rate", _) => attendance_draft(t, body.as_deref(), lang),
        ("interactions", Lang::De) => {
            format!("Im Berichtszeitraum fand{de_verb} {a} von {w} angestrebten {dative} statt.")
        }
        ("interactions" | "events_held", Lang::En) => {
            format!("In the period, {a} of the {w} {noun_en} aimed at took place.")
        }
        ("events_held", Lang::De) => {
            format!("Im Berichtszeitraum fand{de_verb} {a} von {w} angestrebten {dative} statt.")
        }
        ("meetings_held", Lang::De) => match &body {
            Some(b) => {
                format!("Im Gremium {b} fand{de_verb} {a} von {w} angestrebten {dative} statt.")
            }
            None => format!(
                "Im Berichtszeitraum fand{de_verb} {a} von {w} angestrebten {dative} statt."
            ),
        },
        ("meetings_held", Lang::En) => format!(
            "{a} of the {w} {noun_en} aimed at {en_verb} held{}.",
            body.as_ref()
                .map(|b| format!(" by {b}"))
                .unwrap_or_default()
        ),
        ("organisations_represented", Lang::De) => format!(
            "{a} von {w} angestrebten {dative} war{} {}vertreten.",
            if one { "" } else { "en" },
            body.as_ref()
                .map(|b| format!("im Gremium {b} "))
                .unwrap_or_default()
        ),
        ("organisations_represented", Lang::En) => format!(
            "{a} of the {w} {noun_en} aimed at {en_verb} represented{}.",
            body.as_ref()
                .map(|b| format!(" in {b}"))
                .unwrap_or_default()
        ),
        ("needs_addressed", Lang::De) => format!(
            "{a} von {w} angestrebten {dative} wurde{} gedeckt.",
            if one { "" } else { "n" }
        ),
        ("needs_addressed", Lang::En) => {
            format!("{a} of the {w} {noun_en} aimed at {en_verb} met.")
        }
        ("needs_raised", Lang::De) => format!(
            "{a} von {w} angestrebten {dative} wurde{} erfasst.",
            if one { "" } else { "n" }
        ),
        ("needs_raised", Lang::En) => {
            format!("{a} of the {w} {noun_en} aimed at {en_verb} raised.")
        }
        ("offers_published", Lang::De) => format!(
            "{a} von {w} angestrebten {dative} war{} veröffentlicht.",
            if one { "" } else { "en" }
        ),
        ("offers_published", Lang::En) => {
            format!("{a} of the {w} {noun_en} aimed at {en_verb} published.")
        }
        (_, Lang::De) => format!("Erreicht wurde ein Wert von {a} (angestrebt: {w})."),
        (_, Lang::En) => format!("The value reached is {a} (aimed at: {w})."),
    };
    let status = status_text(&t.status, lang);
    match lang {
        Lang::De => format!("{figure} Das Ziel wurde {status}."),
        Lang::En => format!("{figure} The target was {status}."),
    }
}

/// "Das KI war bei 1 von 3 Sitzungen des Gremiums „Integrationsrat“
/// vertreten (33 %; angestrebt: 100 %)."
fn attendance_draft(t: &Target, body: Option<&str>, lang: Lang) -> String {
    let (p, w) = (percent(t.actual, lang), percent(t.wanted, lang));
    match (t.count, t.of, lang) {
        (_, Some(0), Lang::De) => format!(
            "Im Berichtszeitraum fand{} keine Sitzung statt.",
            body.map(|b| format!(" im Gremium {b}")).unwrap_or_default()
        ),
        (_, Some(0), Lang::En) => format!(
            "No meeting was held{} in the period.",
            body.map(|b| format!(" by {b}")).unwrap_or_default()
        ),
        (Some(c), Some(n), Lang::De) => format!(
            "Das KI war bei {} von {} {}{} vertreten ({p}; angestrebt: {w}).",
            count(c, lang),
            count(n, lang),
            MEETING.dative(f64::from(n), lang),
            body.map(|b| format!(" des Gremiums {b}"))
                .unwrap_or_default()
        ),
        (Some(c), Some(n), Lang::En) => format!(
            "The office attended {} of the {} {} held{} ({p}; aimed at: {w}).",
            count(c, lang),
            count(n, lang),
            MEETING.after(f64::from(n), lang),
            body.map(|b| format!(" by {b}")).unwrap_or_default()
        ),
        (_, _, Lang::De) => format!(
            "Das KI war bei {p} der stattgefundenen Sitzungen{} vertreten (angestrebt: {w}).",
            body.map(|b| format!(" des Gremiums {b}"))
                .unwrap_or_default()
        ),
        (_, _, Lang::En) => format!(
            "The office attended {p} of the meetings held{} (aimed at: {w}).",
            body.map(|b| format!(" by {b}")).unwrap_or_default()
        ),
    }
}

/// The wording for templates, in the report's language.
impl Report {
    /// A percentage as the report writes it ("33 %", "33%").
    pub fn percent(&self, v: &f64) -> String {
        percent(*v, self.lang)
    }
    /// A name in the report's quotation marks.
    pub fn quote(&self, text: &str) -> String {
        quote(text, self.lang)
    }
    /// A label and a text, the label printed once at most (see
    /// [`labelled`]).
    pub fn labelled(&self, label: &str, text: &str) -> Option<Labelled> {
        labelled(label, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::{MetricParams, SubstituteMeeting};
    use chrono::NaiveDate;
    use uuid::Uuid;

    fn target(metric: &str, kinds: &[&str], actual: f64, wanted: f64) -> Target {
        let json = serde_json::json!({
            "id": Uuid::nil(), "period_id": Uuid::nil(), "project_id": Uuid::nil(),
            "number": 1, "title": "t", "description": "", "metric": metric,
            "params": MetricParams { kinds: kinds.iter().map(|k| (*k).to_owned()).collect(), ..Default::default() },
            "wanted": wanted, "actual": actual, "count": actual as u32, "progress": 0.0,
            "computed_status": "not_met", "status": "not_met", "overridden": false,
            "override_reason": "", "met_at": 1.0, "partly_at": 0.5, "manual_value": null,
            "deviation_reason": "", "substitute_measures": "", "records_href": "",
            "body": null, "substitutes": [], "version": 1,
        });
        serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(num(10_000.0, Lang::De), "10.000");
        assert_eq!(num(10_000.0, Lang::En), "10,000");
        assert_eq!(num(1_234_567.5, Lang::De), "1.234.567,5");
        assert_eq!(num(33.3, Lang::De), "33,3");
        assert_eq!(num(33.3, Lang::En), "33.3");
        assert_eq!(num(999.0, Lang::De), "999");
        assert_eq!(num(-1200.0, Lang::De), "-1.200");
        assert_eq!(percent(33.3, Lang::De), "33 %");
        assert_eq!(percent(66.7, Lang::En), "67%");
    }

    #[test]
    fn figures_read_with_their_unit() {
        let mut council = target("staff_attendance_rate", &[], 33.3, 100.0);
        council.count = Some(1);
        council.of = Some(3);
        assert_eq!(figure_text(&council, Lang::De), "1 von 3 Sitzungen (33 %)");
        assert_eq!(figure_text(&council, Lang::En), "1 of 3 meetings (33%)");
        council.of = Some(0);
        assert_eq!(
            figure_text(&council, Lang::De),
            "keine Sitzung im Berichtszeitraum"
        );
        council.count = None;
        council.of = None;
        assert_eq!(figure_text(&council, Lang::De), "33 % (angestrebt: 100 %)");
        let visits = target("interactions", &["visit"], 0.0, 6.0);
        assert_eq!(figure_text(&visits, Lang::De), "0 von 6 Besuchen");
        assert_eq!(figure_text(&visits, Lang::En), "0 of 6 visits");
        for (metric, actual, wanted, de, en) in [
            (
                "meetings_held",
                2.0,
                3.0,
                "2 von 3 Sitzungen",
                "2 of 3 meetings",
            ),
            (
                "interactions",
                5.0,
                10.0,
                "5 von 10 Kontakten",
                "5 of 10 contacts",
            ),
            (
                "events_held",
                3.0,
                4.0,
                "3 von 4 Veranstaltungen",
                "3 of 4 events",
            ),
            (
                "organisations_represented",
                7.0,
                5.0,
                "7 von 5 Organisationen",
                "7 of 5 organisations",
            ),
            (
                "needs_addressed",
                2.0,
                4.0,
                "2 von 4 Bedarfen",
                "2 of 4 needs",
            ),
            (
                "offers_published",
                12.0,
                1.0,
                "12 von 1 Angebot",
                "12 of 1 offer",
            ),
            (
                "interactions",
                10_000.0,
                12_000.0,
                "10.000 von 12.000 Kontakten",
                "10,000 of 12,000 contacts",
            ),
            ("manual", 4.5, 5.0, "4,5 von 5", "4.5 of 5"),
        ] {
            let t = target(metric, &[], actual, wanted);
            assert_eq!(figure_text(&t, Lang::De), de);
            assert_eq!(figure_text(&t, Lang::En), en);
        }
    }

    #[test]
    fn drafts_use_the_same_figures() {
        let visits = target("interactions", &["visit"], 0.0, 6.0);
        assert_eq!(
            draft(&visits, Lang::De),
            "Im Berichtszeitraum fanden 0 von 6 angestrebten Besuchen statt. Das Ziel wurde nicht erreicht."
        );
        assert_eq!(
            draft(&visits, Lang::En),
            "In the period, 0 of the 6 visits aimed at took place. The target was not met."
        );
        let mut council = target("staff_attendance_rate", &[], 33.3, 100.0);
        council.count = Some(1);
        council.of = Some(3);
        council.body = Some(crate::interactions::Ref {
            id: Uuid::nil(),
            name: "Integrationsrat „Lindenau“".into(),
        });
        assert_eq!(
            draft(&council, Lang::De),
            "Das KI war bei 1 von 3 Sitzungen des Gremiums „Integrationsrat ‚Lindenau‘“ vertreten (33 %; angestrebt: 100 %). Das Ziel wurde nicht erreicht."
        );
        assert_eq!(
            draft(&council, Lang::En),
            "The office attended 1 of the 3 meetings held by “Integrationsrat ‘Lindenau’” (33%; aimed at: 100%). The target was not met."
        );
        let one = target("needs_addressed", &[], 1.0, 4.0);
        assert_eq!(
            draft(&one, Lang::De),
            "1 von 4 angestrebten Bedarfen wurde gedeckt. Das Ziel wurde nicht erreicht."
        );
    }

    #[test]
    fn quotes_nest() {
        assert_eq!(quote("Integrationsrat", Lang::De), "„Integrationsrat“");
        assert_eq!(quote("Integrationsrat", Lang::En), "“Integrationsrat”");
        assert_eq!(
            quote("Preis „Vielfalt“ 2021", Lang::De),
            "„Preis ‚Vielfalt‘ 2021“"
        );
        assert_eq!(
            quote("Prize \"Diversity\" 2021", Lang::En),
            "“Prize ‘Diversity’ 2021”"
        );
        assert_eq!(quote("„Schon zitiert“", Lang::De), "„Schon zitiert“");
        assert_eq!(quote("Café «Treff»", Lang::De), "„Café ‚Treff‘“");
    }

    #[test]
    fn labels_are_printed_once_and_never_empty() {
        assert_eq!(
            labelled(
                "Stattdessen:",
                "Stattdessen wurde ein Arbeitskreis gegründet."
            ),
            Some(Labelled {
                label: None,
                text: "Stattdessen wurde ein Arbeitskreis gegründet.".into()
            })
        );
        assert_eq!(
            labelled("Instead:", "instead, we met online."),
            Some(Labelled {
                label: None,
                text: "instead, we met online.".into()
            })
        );
        assert_eq!(
            labelled("Stattdessen:", "Ein Arbeitskreis wurde gegründet."),
            Some(Labelled {
                label: Some("Stattdessen:".into()),
                text: "Ein Arbeitskreis wurde gegründet.".into()
            })
        );
        // "Stattdessenweise" is another word.
        assert!(labelled("Stattdessen:", "Stattdessenweise x").is_some_and(|l| l.label.is_some()));
        assert_eq!(labelled("Stattdessen:", "  "), None);
        assert_eq!(
            labelled("", "Text"),
            Some(Labelled {
                label: None,
                text: "Text".into()
            })
        );
    }

    #[test]
    fn a_substitute_body_says_what_it_is_for() {
        let day = |d| NaiveDate::from_ymd_opt(2020, 9, d).unwrap_or_default();
        let mut s = Substitute {
            record_type: "body".into(),
            id: Uuid::nil(),
            name: "Arbeitskreis MSO".into(),
            href: String::new(),
            purpose: "Ein niederschwelliges Gremium, in dem sich die MSO austauschen.".into(),
            date: Some(day(1)),
            mode: String::new(),
            meetings: vec![
                SubstituteMeeting {
                    date: day(14),
                    mode: "in_person".into(),
                },
                SubstituteMeeting {
                    date: day(24),
                    mode: "digital".into(),
                },
            ],
            organisations_represented: Some(7),
        };
        assert_eq!(
            substitute_text(&s, Lang::De),
            "Arbeitskreis MSO (gegründet am 01.09.2020), ein niederschwelliges Gremium, in dem sich die MSO austauschen: 2 Sitzungen – 14.09.2020 in Präsenz, 24.09.2020 digital; 7 Organisationen vertreten"
        );
        s.purpose = "Austausch der MSO. Trifft sich zweimal im Jahr.".into();
        s.organisations_represented = Some(1);
        s.meetings.truncate(1);
        assert_eq!(
            substitute_text(&s, Lang::De),
            "Arbeitskreis MSO (gegründet am 01.09.2020): 1 Sitzung – 14.09.2020 in Präsenz; 1 Organisation vertreten. Austausch der MSO. Trifft sich zweimal im Jahr."
        );
        s.purpose = "Austausch der MSO untereinander; Bedarfe bündeln.".into();
        assert_eq!(
            substitute_text(&s, Lang::De),
            "Arbeitskreis MSO (gegründet am 01.09.2020; Zweck: Austausch der MSO untereinander; Bedarfe bündeln): 1 Sitzung – 14.09.2020 in Präsenz; 1 Organisation vertreten"
        );
        s.date = None;
        assert_eq!(
            substitute_text(&s, Lang::En),
            "Arbeitskreis MSO (purpose: Austausch der MSO untereinander; Bedarfe bündeln): 1 meeting – 14 September 2020 in person; 1 organisation represented"
        );
        s.date = Some(day(1));
        s.purpose = String::new();
        assert_eq!(
            substitute_text(&s, Lang::En),
            "Arbeitskreis MSO (founded on 1 September 2020): 1 meeting – 14 September 2020 in person; 1 organisation represented"
        );
    }
}
