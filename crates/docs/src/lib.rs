//! Documents out of msohub, below the web layer so that the command line
//! makes the same files without it: Markdown notes to safe HTML, the yearly
//! report in every format with its charts and version differences, the
//! wording of an import's problems, and exports for people (`export`). The
//! service hands data; this crate turns it into documents.

pub mod export;
pub mod import;
mod markup;
pub mod report;

pub use markup::markdown_to_html;
