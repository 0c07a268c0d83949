//! How the report words things: statuses, verdicts, numbers, the figure of
//! a target, substitute measures and the generated draft of a narrative.

use super::Lang;
use crate::targets::Target;

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

/// A number as the report writes it (decimal comma in German).
pub fn num(v: f64, lang: Lang) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else if lang == Lang::De {
        format!("{v:.1}").replace('.', ",")
    } else {
        format!("{v:.1}")
    }
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

/// A target's figure as the report prints it after "Stand:".
pub fn figure_text(t: &Target, lang: Lang) -> String {
    format!(
        "{} {} {}",
        num(t.actual, lang),
        lang.t("von", "of"),
        num(t.wanted, lang)
    )
}

/// The generated draft of a target's narrative.
pub(super) fn draft(t: &Target, lang: Lang) -> String {
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
        ("needs_raised", Lang::De) => {
            format!("{a} Bedarfe wurden erfasst (angestrebt: {w}).")
        }
        ("needs_raised", Lang::En) => format!("{a} needs were raised (aimed at: {w})."),
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
