//! Data in and out of msohub: CSV and XLSX tables as Excel expects them
//! (and CSV, XLSX and ODS read back in, see [`read`]).
//!
//! Invariants: every cell is quoted when it must be (RFC 4180); a cell that
//! a spreadsheet would run as a formula (`= + - @`, tab, carriage return at
//! the start) is neutralised with a leading apostrophe, so an exported
//! registry can never carry a formula-injection attack to whoever opens it.

pub mod document;
pub mod ical;
pub mod read;
mod xlsx;

pub use xlsx::{Cell, xlsx_table};

/// How a CSV file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    /// `;` is what German Excel expects; `,` for everything else.
    pub separator: u8,
    /// A UTF-8 byte order mark, so Excel detects the encoding.
    pub bom: bool,
}

impl CsvOptions {
    /// German Excel: semicolon and BOM.
    pub const EXCEL_DE: CsvOptions = CsvOptions {
        separator: b';',
        bom: true,
    };
    /// Plain RFC 4180.
    pub const STANDARD: CsvOptions = CsvOptions {
        separator: b',',
        bom: false,
    };
}

/// Neutralises cells a spreadsheet would evaluate.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// Writes a header row and data rows as CSV.
pub fn csv_table<R, C>(headers: &[&str], rows: R, options: CsvOptions) -> Vec<u8>
where
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = String>,
{
    let mut out = Vec::new();
    if options.bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let sep = options.separator as char;
    let line = |cells: &mut dyn Iterator<Item = String>, out: &mut Vec<u8>| {
        let mut first = true;
        for cell in cells {
            if !first {
                out.push(sep as u8);
            }
            first = false;
            let cell = neutralise(&cell).into_owned();
            if cell.contains([sep, '"', '\n', '\r']) || cell.starts_with(' ') || cell.ends_with(' ')
            {
                out.push(b'"');
                out.extend_from_slice(cell.replace('"', "\"\"").as_bytes());
                out.push(b'"');
            } else {
                out.extend_from_slice(cell.as_bytes());
            }
        }
        out.extend_from_slice(b"\r\n");
    };
    line(&mut headers.iter().map(|h| (*h).to_owned()), &mut out);
    for row in rows {
        line(&mut row.into_iter(), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_neutralises() {
        let rows = vec![vec![
            "Verein; e.V.".to_owned(),
            "=HYPERLINK(\"x\")".to_owned(),
            "01067".to_owned(),
        ]];
        let out = String::from_utf8(csv_table(
            &["Name", "Notiz", "PLZ"],
            rows,
            CsvOptions::EXCEL_DE,
        ))
        .unwrap();
        assert!(out.starts_with('\u{feff}'));
        assert_eq!(
            out.trim_start_matches('\u{feff}'),
            "Name;Notiz;PLZ\r\n\"Verein; e.V.\";\"'=HYPERLINK(\"\"x\"\")\";01067\r\n"
        );
        let plain = String::from_utf8(csv_table(
            &["a"],
            vec![vec!["-1".to_owned()]],
            CsvOptions::STANDARD,
        ))
        .unwrap();
        assert_eq!(plain, "a\r\n'-1\r\n");
    }
}
