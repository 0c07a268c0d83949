//! Typst markup to PDF, compiled in-process with the `typst` crates.
//!
//! - [`pdf`] compiles a Typst document (plus optional virtual files such as
//!   SVG images) to PDF bytes.
//! - [`escape`] makes arbitrary user text safe to splice into Typst markup.
//!
//! The renderer is fully offline: the only fonts are the embedded DejaVu Sans
//! regular, bold, oblique and bold-oblique (family name `"DejaVu Sans"`, see
//! [`FONT_FAMILY`]; it is the default text font, and covers Latin, Cyrillic
//! and Arabic), no system fonts are looked up, and `@preview/...` package
//! imports fail with [`Error::Compile`]. Math needs a math font, which is not
//! embedded, so `$...$` formulas are not supported.
//!
//! With the cargo feature `extract`, [`pdf_text`] extracts the text of a PDF
//! again, for tests.

mod document;
mod picture;
mod world;

#[cfg(feature = "extract")]
mod extract;

pub use document::{document_pdf, framed_markup, framed_pdf, markup};
#[cfg(feature = "extract")]
pub use extract::{pdf_images, pdf_text};
pub use picture::{TextBox, image_png, image_size, svg_png, svg_text_boxes, text_width};
pub use world::FONT_FAMILY;

use std::fmt::Write as _;

use typst::WorldExt as _;
use typst::diag::{Severity, SourceDiagnostic};
use typst::ecow::EcoVec;
use typst::syntax::Source;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::world::MemoryWorld;

/// Why a document could not be turned into a PDF.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The markup did not compile; the message holds Typst's error messages
    /// (with line and column in the markup where known), one per line.
    #[error("Typst compilation failed: {0}")]
    Compile(String),
    /// The compiled document could not be written as PDF.
    #[error("PDF export failed: {0}")]
    Export(String),
    /// A picture could not be read or drawn.
    #[error("the picture could not be drawn: {0}")]
    Picture(String),
}

/// How many compilations a memoised intermediate result survives unused in
/// Typst's global cache. Small, so a long-running server does not keep the
/// layouts of old documents around, yet a document rendered again right away
/// is faster.
const CACHE_MAX_AGE: usize = 3;

/// Compiles Typst markup to a PDF. `files` are extra virtual files the markup
/// may read by path (e.g. "chart.svg" used with `image("chart.svg")`).
///
/// The default text font is the embedded DejaVu Sans (`"DejaVu Sans"`).
/// Nothing is read from disk or the network: `@preview/...` imports and
/// references to files not in `files` fail with [`Error::Compile`].
///
/// This is CPU-bound and synchronous (tens to a few hundred milliseconds):
/// from async code, call it via `spawn_blocking`.
pub fn pdf(source: &str, files: &[(&str, &[u8])]) -> Result<Vec<u8>, Error> {
    let world = MemoryWorld::new(source, files).map_err(Error::Compile)?;
    // A panic inside Typst (a compiler bug) must not take the caller down.
    let bytes =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            match typst::compile::<PagedDocument>(&world).output {
                Ok(document) => typst_pdf::pdf(&document, &pdf_options())
                    .map_err(|diags| Error::Export(describe(&world, &diags))),
                Err(diags) => Err(Error::Compile(describe(&world, &diags))),
            }
        }))
        .unwrap_or_else(|panic| {
            let reason = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(Error::Compile(format!("internal Typst error: {reason}")))
        });
    typst::comemo::evict(CACHE_MAX_AGE);
    bytes
}

/// PDF options: Typst's defaults (tagged PDF), with the creation date set to
/// now unless the document sets `#set document(date: ..)` itself.
fn pdf_options() -> PdfOptions {
    use chrono::{Datelike as _, Timelike as _};
    let now = chrono::Utc::now();
    let timestamp = typst::foundations::Datetime::from_ymd_hms(
        now.year(),
        u8::try_from(now.month()).unwrap_or(1),
        u8::try_from(now.day()).unwrap_or(1),
        u8::try_from(now.hour()).unwrap_or(0),
        u8::try_from(now.minute()).unwrap_or(0),
        u8::try_from(now.second()).unwrap_or(0),
    )
    .map(Timestamp::new_utc);
    PdfOptions {
        timestamp,
        ..PdfOptions::default()
    }
}

/// Renders Typst's diagnostics as text, one per line: the message, where in
/// the markup it is (if it points into a file) and Typst's hints.
fn describe(world: &MemoryWorld, diags: &EcoVec<SourceDiagnostic>) -> String {
    let mut out = String::new();
    for diag in diags.iter().filter(|d| d.severity == Severity::Error) {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&diag.message);
        if let Some(place) = place(world, diag) {
            let _ = write!(out, " ({place})");
        }
        for hint in &diag.hints {
            let _ = write!(out, "; hint: {}", hint.v);
        }
        if diag.message.contains("no font could be found") {
            out.push_str(
                "; hint: the only font is the embedded DejaVu Sans, \
                 which has no math support: math formulas ($...$) cannot be typeset",
            );
        }
    }
    if out.is_empty() {
        out.push_str("unknown error");
    }
    out
}

/// "line L, column C" (1-based) in the main markup, or the virtual file's
/// name for diagnostics in another file.
fn place(world: &MemoryWorld, diag: &SourceDiagnostic) -> Option<String> {
    let id = diag.span.id()?;
    let range = world.range(diag.span)?;
    let main: &Source = world.main_source();
    if id == main.id() {
        let (line, column) = main.lines().byte_to_line_column(range.start)?;
        Some(format!("line {}, column {}", line + 1, column + 1))
    } else {
        Some(format!("in {}", id.vpath().get_without_slash()))
    }
}

/// Escapes text for use inside Typst markup (so user text like `#`, `*`, `_`,
/// `$`, `[`, `]`, `<`, `@`, `\`, backticks, `=` at line start, `-`/`+` list
/// markers, `/` term markers etc. is printed literally).
///
/// Every ASCII character that has a meaning in markup is prefixed with a
/// backslash, which makes Typst print it as is: this also defuses comments
/// (`//`, `/*`), smart quotes, shorthands (`--`, `...`, `~`, `-?`), numbered
/// list markers (`1.`), automatic links (`https://`) and labels. Whitespace
/// is kept, so a blank line still starts a new paragraph.
///
/// The result is markup, for a content block (`[...]`) or a document body;
/// it is not a Typst string literal.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '#'
                | '*'
                | '_'
                | '$'
                | '['
                | ']'
                | '{'
                | '}'
                | '<'
                | '>'
                | '@'
                | '`'
                | '='
                | '-'
                | '+'
                | '/'
                | '.'
                | ':'
                | '~'
                | '\''
                | '"'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
