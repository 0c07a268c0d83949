//! The differences between two versions of a report, line by line of their
//! Markdown text.

use msohub_service::report::Report;
use serde::Serialize;

/// One line of the differences between two versions of a report (its
/// Markdown text).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DiffLine {
    /// same, added, removed
    pub change: String,
    pub text: String,
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

/// Two reports compared line by line of their Markdown; `None` when either
/// is larger than the limits. Takes CPU time: call it off the async threads.
pub fn diff(old: &Report, new: &Report) -> Option<Vec<DiffLine>> {
    diff_lines(&super::markdown(old), &super::markdown(new))
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
