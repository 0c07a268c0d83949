//! An import's problems in words: the rule's sentence in the reader's
//! language, with the detail the check found.

use msohub_i18n::Tr;
use msohub_service::import::Problem;

/// A problem as a sentence: `import-<rule>`, else the general field rule
/// `rule-<rule>`, then the detail; the bare detail or rule where no
/// sentence exists.
pub fn problem_text(tr: &Tr, p: &Problem) -> String {
    let text = tr
        .own(&format!("import-{}", p.rule))
        .or_else(|| tr.own(&format!("rule-{}", p.rule)));
    match (text, p.detail.is_empty()) {
        (Some(t), true) => t,
        (Some(t), false) => format!("{t} {}", p.detail),
        (None, _) if !p.detail.is_empty() => p.detail.clone(),
        (None, _) => p.rule.clone(),
    }
}
