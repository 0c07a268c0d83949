//! Text extraction from PDFs, for tests (cargo feature `extract`).
//!
//! Built on `pdf-extract`, which reads Typst's PDFs well (CID TrueType fonts
//! with ToUnicode maps). Typst draws right-to-left text (Arabic) glyph by
//! glyph in visual order, so a plain extraction yields every Arabic line
//! reversed, and a lam-alef ligature glyph (whose text is "لا") then comes
//! out as "ال". [`pdf_text`] puts such runs back into logical order.

use pdf_extract::{MediaBox, OutputDev, OutputError, PlainTextOutput, Transform};
use unicode_normalization::UnicodeNormalization as _;

/// Extracts the text of a PDF, for assertions in tests.
///
/// - Words are separated by spaces and lines by newlines as `pdf-extract`
///   infers them from glyph positions: compare after squashing whitespace.
/// - Right-to-left runs (Arabic, Hebrew) are returned in logical order, as
///   they were written in the markup; numbers keep their digit order. The
///   space between an Arabic word and an adjacent number may be lost.
/// - The text is NFKC-normalised (so e.g. a non-breaking space `~` comes out
///   as a plain space and "…" as "...").
pub fn pdf_text(pdf: &[u8]) -> Result<String, String> {
    let document = pdf_extract::Document::load_mem(pdf).map_err(|err| err.to_string())?;
    let mut raw = String::new();
    {
        let mut output = ClusterAware(PlainTextOutput::new(&mut raw));
        pdf_extract::output_doc(&document, &mut output).map_err(|err| err.to_string())?;
    }
    let logical: Vec<String> = raw.lines().map(visual_to_logical).collect();
    Ok(logical.join("\n").nfkc().collect())
}

/// Passes glyphs on to the plain text output, but with the text of a
/// multi-character right-to-left glyph (a ligature such as lam-alef)
/// reversed, so that reversing the whole visual run afterwards restores the
/// glyph's own text in logical order.
struct ClusterAware<O>(O);

impl<O: OutputDev> OutputDev for ClusterAware<O> {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.0.begin_page(page_num, media_box, art_box)
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        self.0.end_page()
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        if char.chars().nth(1).is_some() && char.chars().any(is_strong_rtl) {
            let reversed: String = char.chars().rev().collect();
            self.0
                .output_character(trm, width, spacing, font_size, &reversed)
        } else {
            self.0
                .output_character(trm, width, spacing, font_size, char)
        }
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.0.begin_word()
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        self.0.end_word()
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        self.0.end_line()
    }
}

/// Whether a character is a strong right-to-left letter (Hebrew, Arabic,
/// Syriac, Thaana, NKo, ... and the Hebrew/Arabic presentation forms).
/// Digits, including Arabic-Indic ones, are not: they run left to right.
fn is_strong_rtl(c: char) -> bool {
    !c.is_numeric()
        && matches!(c,
            '\u{0590}'..='\u{08FF}'
            | '\u{FB1D}'..='\u{FDFF}'
            | '\u{FE70}'..='\u{FEFF}'
            | '\u{10800}'..='\u{10FFF}'
            | '\u{1E800}'..='\u{1EFFF}')
}

/// Whether a character may sit between two right-to-left letters without
/// ending the run: spaces, punctuation and marks, but no letters or digits
/// of a left-to-right script.
fn is_neutral(c: char) -> bool {
    !c.is_alphanumeric()
}

/// Reverses each visual right-to-left run of a line (strong right-to-left
/// letters with only neutral characters between them). Digits end a run,
/// so numbers keep their order.
fn visual_to_logical(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        if !is_strong_rtl(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // Find the end of the run: the last strong RTL letter reachable
        // through neutrals only.
        let mut end = i + 1;
        let mut j = i + 1;
        while j < chars.len() && (is_strong_rtl(chars[j]) || is_neutral(chars[j])) {
            if is_strong_rtl(chars[j]) {
                end = j + 1;
            }
            j += 1;
        }
        out.extend(chars[i..end].iter().rev());
        i = end;
    }
    out
}

/// How many images (XObjects of subtype Image) a PDF holds, for tests:
/// a logo is one, a chart drawn as vectors none.
pub fn pdf_images(pdf: &[u8]) -> Result<usize, String> {
    let document = pdf_extract::Document::load_mem(pdf).map_err(|err| err.to_string())?;
    Ok(document
        .objects
        .values()
        .filter(|o| match o {
            pdf_extract::Object::Stream(s) => s
                .dict
                .get(b"Subtype")
                .and_then(pdf_extract::Object::as_name)
                .is_ok_and(|n| n == b"Image"),
            _ => false,
        })
        .count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverses_rtl_runs_only() {
        assert_eq!(visual_to_logical("abc"), "abc");
        assert_eq!(visual_to_logical("x يقتلن ypz"), "x نلتقي ypz");
        assert_eq!(visual_to_logical("موي  يقتلن"), "نلتقي  يوم");
        assert_eq!(visual_to_logical("ةعمجلا 2025"), "الجمعة 2025");
    }
}
