//! Tables in: CSV (comma, semicolon or tab; UTF-8 with or without BOM, or
//! Windows-1252 as German Excel writes it), XLSX and ODS, into one shape.
//!
//! Invariants:
//! - The bytes decide the format, not the file name; a name that promises
//!   another format is an error, never a guess.
//! - Memory is bounded: at most [`Limits::max_rows`] data rows are kept, and
//!   reading stops at the first row past it; spreadsheet parts whose
//!   unpacked size exceeds [`Limits::max_unpacked`] are refused before they
//!   are unpacked.
//! - Every cell is text as the user sees it: 01067 stays "01067", a number
//!   cell 1067 in a postcode column is padded later by the importer, which
//!   knows the column's meaning ([`Value::Number`] keeps that fact).
//! - Problems of the file itself (rows with more cells than the header,
//!   headers that are empty or repeated) are reported with row numbers as
//!   the spreadsheet program shows them (the header is row 1).

mod sheets;
use sheets::*;

use std::io::{Cursor, Read};

/// How much a file may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Data rows (without the header).
    pub max_rows: usize,
    /// Columns.
    pub max_columns: usize,
    /// Cells with a value, all rows together.
    pub max_cells: usize,
    /// Bytes of one unpacked spreadsheet part (the sheet's XML, the shared
    /// strings): sized to the cell limit at about 64 bytes a cell.
    pub max_unpacked: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_rows: 200_000,
            max_columns: 200,
            max_cells: 4_000_000,
            max_unpacked: 256 << 20,
        }
    }
}

/// The file types this reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Ods,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
        }
    }
}

/// One cell as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    /// A number cell of a spreadsheet, written as a person would (no ".0").
    Number(String),
    Empty,
}

impl Value {
    pub fn as_str(&self) -> &str {
        match self {
            Value::Text(s) | Value::Number(s) => s,
            Value::Empty => "",
        }
    }
    pub fn is_empty(&self) -> bool {
        self.as_str().trim().is_empty()
    }
}

/// A row of the file and its number as a spreadsheet shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<Value>,
}

/// A problem of the file (not of a value's meaning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    /// 1 is the header row; 0 for the file as a whole.
    pub row: usize,
    /// Column letter (A, B, …, AA) where one is meant.
    pub column: Option<String>,
    /// A stable code: `header-empty`, `header-duplicate`, `cells-extra`.
    pub code: &'static str,
    /// Readable detail (German), for example the repeated header's text.
    pub detail: String,
}

/// A whole table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub format: Format,
    /// For CSV: "UTF-8", "UTF-8 (BOM)" or "Windows-1252".
    pub encoding: &'static str,
    /// For CSV: the separator found.
    pub separator: Option<char>,
    /// For spreadsheets: the sheet that was read (the first).
    pub sheet: Option<String>,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
    pub problems: Vec<FileProblem>,
}

/// Why a file cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("Die Datei ist leer.")]
    Empty,
    #[error("Die Datei enthält keine Tabelle: nur eine Kopfzeile oder gar keine Zeile.")]
    NoRows,
    #[error("Die Datei heißt „{name}“, ist aber keine {expected}-Datei.")]
    NameMismatch {
        name: String,
        expected: &'static str,
    },
    #[error(
        "Die Datei ist keine Tabelle (CSV, XLSX oder ODS): sie enthält Binärdaten. Bitte als CSV, XLSX oder ODS speichern."
    )]
    NotATable,
    #[error("Die Datei ist ein ZIP-Archiv, aber weder XLSX noch ODS.")]
    UnknownArchive,
    #[error("Die Tabellendatei ist beschädigt: {0}")]
    Damaged(String),
    #[error("Die Datei hat mehr als {max} Datenzeilen; bitte in kleinere Dateien teilen.")]
    TooManyRows { max: usize },
    #[error("Die Datei hat mehr als {max} Spalten.")]
    TooManyColumns { max: usize },
    #[error("Die Tabelle ist entpackt größer als {max_mb} MB.")]
    TooLarge { max_mb: u64 },
    #[error("Die Datei hat mehr als {max} gefüllte Zellen; bitte in kleinere Dateien teilen.")]
    TooManyCells { max: usize },
    #[error(
        "Zeile {row}: ein Anführungszeichen wird nicht geschlossen; die Zeile geht bis ans Dateiende."
    )]
    UnclosedQuote { row: usize },
    #[error("Die Tabelle hat keine Kopfzeile.")]
    NoHeader,
}

/// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + u8::try_from(rem).unwrap_or(0));
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Reads a table; `name` is the uploaded file's name (its extension must
/// not contradict the content).
pub fn read_table(bytes: &[u8], name: &str, limits: Limits) -> Result<Table, ReadError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Empty);
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let detected = detect(bytes)?;
    let expected = match ext.as_str() {
        "xlsx" | "xlsm" => Some(Format::Xlsx),
        "ods" => Some(Format::Ods),
        "csv" | "txt" | "tsv" => Some(Format::Csv),
        _ => None,
    };
    if let Some(expected) = expected
        && expected != detected
    {
        return Err(ReadError::NameMismatch {
            name: name.to_owned(),
            expected: match expected {
                Format::Csv => "CSV",
                Format::Xlsx => "XLSX",
                Format::Ods => "ODS",
            },
        });
    }
    let (format, encoding, separator, sheet, grid) = match detected {
        Format::Csv => {
            let (text, encoding) = decode(bytes);
            // One line ending, so row numbers count as a spreadsheet shows
            // them (the reader miscounts CRLF lines) and cells hold \n.
            let text = if text.contains('\r') {
                text.replace("\r\n", "\n")
            } else {
                text
            };
            let separator = sniff_separator(&text);
            // A header without any separator: one column, never split.
            let grid = read_csv(&text, separator.unwrap_or(0x1f), limits)?;
            (Format::Csv, encoding, separator.map(char::from), None, grid)
        }
        Format::Xlsx => {
            let (sheet, grid) = read_xlsx(bytes, limits)?;
            (Format::Xlsx, "", None, Some(sheet), grid)
        }
        Format::Ods => {
            let (sheet, grid) = read_ods(bytes, limits)?;
            (Format::Ods, "", None, Some(sheet), grid)
        }
    };
    shape(grid, limits).map(|(headers, rows, problems)| Table {
        format,
        encoding,
        separator,
        sheet,
        headers,
        rows,
        problems,
    })
}

/// The format by content: a ZIP archive with a workbook is XLSX, one with
/// the ODS mimetype is ODS, text is CSV, anything else is refused.
fn detect(bytes: &[u8]) -> Result<Format, ReadError> {
    if bytes.starts_with(b"PK\x03\x04") {
        let archive = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| ReadError::Damaged(e.to_string()))?;
        if archive.index_for_name("xl/workbook.xml").is_some() {
            return Ok(Format::Xlsx);
        }
        if archive.index_for_name("content.xml").is_some() {
            return Ok(Format::Ods);
        }
        return Err(ReadError::UnknownArchive);
    }
    // Text: no NUL bytes and few control characters in the first 64 KiB
    // (old .xls files, PDFs, images and random bytes all fail this).
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let controls = head
        .iter()
        .filter(|b| **b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    if head.contains(&0) || controls * 100 > head.len() {
        return Err(ReadError::NotATable);
    }
    Ok(Format::Csv)
}

/// UTF-8 (a BOM is dropped) or, when the bytes are not UTF-8, Windows-1252.
fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), "UTF-8 (BOM)");
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), "UTF-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), "Windows-1252")
        }
    }
}

/// The separator of the header line: whichever of `;`, `,` and tab occurs
/// most outside quotes (semicolon wins a tie: German Excel); `None` when
/// the header has none (a table of one column).
fn sniff_separator(text: &str) -> Option<u8> {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars().take(64 * 1024) {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ';' if !quoted => counts[0] += 1,
            ',' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|i| (counts[*i], 3 - i)).unwrap_or(0);
    (counts[best] > 0).then_some([b';', b',', b'\t'][best])
}

type Grid = Vec<(usize, Vec<Value>)>;

/// Headers, data rows and the file's problems.
type Shaped = (Vec<String>, Vec<Row>, Vec<FileProblem>);

fn read_csv(text: &str, separator: u8, limits: Limits) -> Result<Grid, ReadError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut grid = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut filled = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(ReadError::Damaged(e.to_string())),
        }
        let line = record.position().map_or(0, csv::Position::line);
        let number = usize::try_from(line).unwrap_or(usize::MAX);
        if record.len() > limits.max_columns {
            return Err(ReadError::TooManyColumns {
                max: limits.max_columns,
            });
        }
        let cells: Vec<Value> = record
            .iter()
            .map(|c| {
                if c.is_empty() {
                    Value::Empty
                } else {
                    Value::Text(c.to_owned())
                }
            })
            .collect();
        filled += cells.iter().filter(|c| **c != Value::Empty).count();
        if filled > limits.max_cells {
            return Err(ReadError::TooManyCells {
                max: limits.max_cells,
            });
        }
        grid.push((number, cells));
        if grid.len() > limits.max_rows + 1 {
            return Err(ReadError::TooManyRows {
                max: limits.max_rows,
            });
        }
    }
    // A quote that never closes swallows the rest of the file into the last
    // record's cell; the reader then ends that record at the file's end.
    if let Some((number, cells)) = grid.last()
        && cells.iter().any(|c| c.as_str().contains('\n'))
        && text.matches('"').count() % 2 == 1
    {
        return Err(ReadError::UnclosedQuote { row: *number });
    }
    Ok(grid)
}

/// Header and data rows from a grid: the header is the first row that is
/// not empty; blank rows are skipped; trailing empty cells are dropped.
fn shape(grid: Grid, limits: Limits) -> Result<Shaped, ReadError> {
    let mut rows = grid
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    let (header_row, header_cells) = rows.next().ok_or(ReadError::NoHeader)?;
    let mut problems = Vec::new();
    let mut headers: Vec<String> = header_cells
        .iter()
        .map(|c| crate::read::collapse(c.as_str()))
        .collect();
    while headers.last().is_some_and(String::is_empty) {
        headers.pop();
    }
    if headers.is_empty() {
        return Err(ReadError::NoHeader);
    }
    let width = headers.len();
    let mut data: Vec<Row> = Vec::new();
    for (number, mut cells) in rows {
        while cells.last().is_some_and(Value::is_empty) {
            cells.pop();
        }
        if cells.len() > width {
            problems.push(FileProblem {
                row: number,
                column: Some(column_letter(width)),
                code: "cells-extra",
                detail: format!(
                    "{} Zellen, die Kopfzeile hat {width} Spalten (Anführungszeichen oder Trennzeichen prüfen)",
                    cells.len()
                ),
            });
        }
        cells.resize(width.max(cells.len()), Value::Empty);
        data.push(Row { number, cells });
        if data.len() > limits.max_rows {
            return Err(ReadError::TooManyRows {
                max: limits.max_rows,
            });
        }
    }
    if data.is_empty() {
        return Err(ReadError::NoRows);
    }
    // Empty headers (often merged cells: only the first cell of a merged
    // range holds the text) and repeated ones.
    for (i, h) in headers.iter_mut().enumerate() {
        if h.is_empty() {
            let used = data
                .iter()
                .any(|r| r.cells.get(i).is_some_and(|c| !c.is_empty()));
            if used {
                problems.push(FileProblem {
                    row: header_row,
                    column: Some(column_letter(i)),
                    code: "header-empty",
                    detail:
                        "Spalte ohne Überschrift (verbundene Zellen?); sie wird nicht übernommen"
                            .to_owned(),
                });
            }
        }
    }
    for i in 0..headers.len() {
        if headers[i].is_empty() {
            continue;
        }
        if let Some(first) = headers[..i]
            .iter()
            .position(|h| h.eq_ignore_ascii_case(&headers[i]))
        {
            problems.push(FileProblem {
                row: header_row,
                column: Some(column_letter(i)),
                code: "header-duplicate",
                detail: format!(
                    "„{}“ steht schon in Spalte {}; Spalte {} wird nicht übernommen (bitte die Überschrift ändern)",
                    headers[i],
                    column_letter(first),
                    column_letter(i)
                ),
            });
        }
    }
    Ok((headers, data, problems))
}

/// Collapses whitespace (line breaks in header cells included).
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads everything from a reader, refusing more than `max` bytes.
pub fn read_bounded(mut r: impl Read, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut out = Vec::new();
    r.by_ref().take(max + 1).read_to_end(&mut out)?;
    Ok((out.len() as u64 <= max).then_some(out))
}

#[cfg(test)]
mod tests;
