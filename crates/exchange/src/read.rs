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

/// Refuses a ZIP part that unpacks to more than the limit (a zip bomb, or a
/// sheet far beyond what an import takes). The declared size is checked
/// first, then each part is really unpacked into nothing and counted, since
/// a declaration can lie.
fn check_unpacked(bytes: &[u8], limits: Limits) -> Result<(), ReadError> {
    let too_large = || ReadError::TooLarge {
        max_mb: limits.max_unpacked >> 20,
    };
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Damaged(e.to_string()))?;
    for i in 0..archive.len() {
        let file = archive
            .by_index(i)
            .map_err(|e| ReadError::Damaged(e.to_string()))?;
        if file.size() > limits.max_unpacked {
            return Err(too_large());
        }
        let unpacked = std::io::copy(
            &mut file.take(limits.max_unpacked + 1),
            &mut std::io::sink(),
        )
        .map_err(|e| ReadError::Damaged(e.to_string()))?;
        if unpacked > limits.max_unpacked {
            return Err(too_large());
        }
    }
    Ok(())
}

/// Refuses a sheet of more rows (with the header), columns or cells than
/// the limits allow.
fn check_extent(rows: u64, columns: u64, limits: Limits) -> Result<(), ReadError> {
    if columns > limits.max_columns as u64 {
        return Err(ReadError::TooManyColumns {
            max: limits.max_columns,
        });
    }
    if rows > limits.max_rows as u64 + 1 {
        return Err(ReadError::TooManyRows {
            max: limits.max_rows,
        });
    }
    if rows.saturating_mul(columns) > limits.max_cells as u64 {
        return Err(ReadError::TooManyCells {
            max: limits.max_cells,
        });
    }
    Ok(())
}

/// The extent of every table of an ODS file as its reader would build it
/// (the reader builds them all): per table, rows up to the last one with a
/// value (repeats counted) and columns up to the last cell with a value.
/// A cell has a value as the reader sees it: a value attribute of any type,
/// a value type, a formula, or text. Streams `content.xml`; nothing is
/// built.
fn ods_extents(bytes: &[u8]) -> Result<Vec<(u64, u64)>, ReadError> {
    use quick_xml::events::{BytesStart, Event};
    let damaged = |e: &dyn std::fmt::Display| ReadError::Damaged(e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    let content = archive.by_name("content.xml").map_err(|e| damaged(&e))?;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let repeats = |e: &BytesStart, name: &str| -> u64 {
        e.try_get_attribute(name)
            .ok()
            .flatten()
            .and_then(|a| a.value.trim().parse().ok())
            .unwrap_or(1u64)
            .max(1)
    };
    let valued = |e: &BytesStart| {
        e.attributes().flatten().any(|a| {
            let key = a.key.as_ref();
            key == "table:formula"
                || key == "office:value-type"
                || (key.starts_with("office:") && key.ends_with("value"))
        })
    };
    let is_cell = |n: &str| n == "table:table-cell" || n == "table:covered-table-cell";
    let mut tables = Vec::new();
    // Depth in nested tables: only the outermost ones' rows count here
    // (a nested table's cells are inside a counted cell).
    let mut depth = 0usize;
    let (mut rows, mut columns, mut empty_rows) = (0u64, 0u64, 0u64);
    // The row being read: its repeats, the next column, the last filled
    // column; the cell being read: its repeats and whether it has a value.
    let (mut row_repeats, mut col, mut row_extent) = (1u64, 0u64, 0u64);
    let mut cell: Option<(u64, bool)> = None;
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| damaged(&e))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.name();
                let name = name.as_ref();
                if name == "table:table" {
                    depth += 1;
                    if depth == 1 {
                        (rows, columns, empty_rows) = (0, 0, 0);
                    }
                    if empty && depth == 1 {
                        tables.push((0, 0));
                        depth -= 1;
                    }
                } else if depth == 1 && name == "table:table-row" {
                    (row_repeats, col, row_extent) =
                        (repeats(e, "table:number-rows-repeated"), 0, 0);
                    if empty {
                        empty_rows = empty_rows.saturating_add(row_repeats);
                    }
                } else if depth == 1 && is_cell(name) {
                    let n = repeats(e, "table:number-columns-repeated");
                    let has_value = valued(e);
                    if empty {
                        col = col.saturating_add(n);
                        if has_value {
                            row_extent = col;
                        }
                    } else {
                        cell = Some((n, has_value));
                    }
                }
            }
            Event::GeneralRef(_) | Event::CData(_) => {
                if let Some((_, v)) = cell.as_mut() {
                    *v = true;
                }
            }
            Event::Text(ref t) if !t.as_ref().trim().is_empty() => {
                if let Some((_, v)) = cell.as_mut() {
                    *v = true;
                }
            }
            Event::End(ref e) => {
                let name = e.name();
                let name = name.as_ref();
                if name == "table:table" {
                    if depth == 1 {
                        tables.push((rows, columns));
                    }
                    depth = depth.saturating_sub(1);
                } else if depth == 1 && is_cell(name) {
                    if let Some((n, v)) = cell.take() {
                        col = col.saturating_add(n);
                        if v {
                            row_extent = col;
                        }
                    }
                } else if depth == 1 && name == "table:table-row" {
                    if row_extent > 0 {
                        rows = rows.saturating_add(empty_rows).saturating_add(row_repeats);
                        empty_rows = 0;
                        columns = columns.max(row_extent);
                    } else {
                        empty_rows = empty_rows.saturating_add(row_repeats);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(tables)
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn excel_date(serial: f64, is_datetime: bool) -> String {
    // Excel's day 0 is 1899-12-30 (with the 1900 leap-year quirk folded in).
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    let days = serial.floor() as i64;
    let date = base + chrono::Duration::days(days);
    let secs = ((serial - serial.floor()) * 86_400.0).round() as i64;
    if is_datetime && secs > 0 {
        let t = date.and_hms_opt(0, 0, 0).unwrap_or_default() + chrono::Duration::seconds(secs);
        t.format("%Y-%m-%dT%H:%M").to_string()
    } else {
        date.format("%Y-%m-%d").to_string()
    }
}

fn value_of_data(d: &calamine::Data) -> Value {
    use calamine::Data;
    match d {
        Data::Empty => Value::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
            if s.is_empty() {
                Value::Empty
            } else {
                Value::Text(s.clone())
            }
        }
        Data::Int(i) => Value::Number(i.to_string()),
        Data::Float(f) => Value::Number(number_text(*f)),
        Data::Bool(b) => Value::Text(if *b { "ja" } else { "nein" }.to_owned()),
        Data::DateTime(dt) => Value::Text(excel_date(dt.as_f64(), dt.is_datetime())),
        Data::Error(e) => Value::Text(format!("#{e:?}")),
    }
}

fn read_xlsx(bytes: &[u8], limits: Limits) -> Result<(String, Grid), ReadError> {
    use calamine::Reader;
    check_unpacked(bytes, limits)?;
    let mut book =
        calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| ReadError::Damaged(e.to_string()))?;
    let sheet = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or(ReadError::NoRows)?;
    let mut cells = book
        .worksheet_cells_reader(&sheet)
        .map_err(|e| ReadError::Damaged(e.to_string()))?;
    // The sheet's own declaration of its extent refuses a sheet of too many
    // rows or columns before any cell is read; the counts below hold when it
    // lies. Cells are counted as they come, filled ones only: the reader
    // streams, so empty cells cost nothing (unlike ODS, whose reader builds
    // the whole rectangle).
    let declared = cells.dimensions();
    if declared.end != (0, 0) {
        check_extent(
            declared.end.0 as u64 + 1,
            declared.end.1 as u64 + 1,
            Limits {
                max_cells: usize::MAX,
                ..limits
            },
        )?;
    }
    let mut filled = 0usize;
    let mut grid: Grid = Vec::new();
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| ReadError::Damaged(e.to_string()))?
    {
        let (r, c) = cell.get_position();
        let (r, c) = (r as usize, c as usize);
        if c >= limits.max_columns {
            return Err(ReadError::TooManyColumns {
                max: limits.max_columns,
            });
        }
        let value = value_of_data(&calamine::Data::from(cell.get_value().clone()));
        if value == Value::Empty {
            continue;
        }
        filled += 1;
        if filled > limits.max_cells {
            return Err(ReadError::TooManyCells {
                max: limits.max_cells,
            });
        }
        let number = r + 1;
        if grid.last().is_none_or(|(n, _)| *n != number) {
            if grid.len() > limits.max_rows {
                return Err(ReadError::TooManyRows {
                    max: limits.max_rows,
                });
            }
            grid.push((number, Vec::new()));
        }
        if let Some((_, row)) = grid.last_mut() {
            if row.len() <= c {
                row.resize(c + 1, Value::Empty);
            }
            row[c] = value;
        }
    }
    Ok((sheet, grid))
}

fn read_ods(bytes: &[u8], limits: Limits) -> Result<(String, Grid), ReadError> {
    use calamine::Reader;
    check_unpacked(bytes, limits)?;
    // ODS repeats rows and cells by attribute: a few bytes can declare a
    // million rows, which the reader would build in memory, for every
    // table. Count first.
    let mut cells = 0u64;
    for (rows, columns) in ods_extents(bytes)? {
        check_extent(rows, columns, limits)?;
        cells = cells.saturating_add(rows.saturating_mul(columns));
    }
    if cells > limits.max_cells as u64 {
        return Err(ReadError::TooManyCells {
            max: limits.max_cells,
        });
    }
    let mut book =
        calamine::Ods::new(Cursor::new(bytes)).map_err(|e| ReadError::Damaged(e.to_string()))?;
    let sheet = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or(ReadError::NoRows)?;
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| ReadError::Damaged(e.to_string()))?;
    let (start_row, start_col) = range.start().unwrap_or((0, 0));
    if range.width() + start_col as usize > limits.max_columns {
        return Err(ReadError::TooManyColumns {
            max: limits.max_columns,
        });
    }
    let mut grid: Grid = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let mut cells = vec![Value::Empty; start_col as usize];
        cells.extend(row.iter().map(value_of_data));
        if cells.iter().all(|v| *v == Value::Empty) {
            continue;
        }
        if grid.len() > limits.max_rows {
            return Err(ReadError::TooManyRows {
                max: limits.max_rows,
            });
        }
        grid.push((start_row as usize + i + 1, cells));
    }
    Ok((sheet, grid))
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
mod tests {
    use super::*;

    fn table(bytes: &[u8], name: &str) -> Result<Table, ReadError> {
        read_table(bytes, name, Limits::default())
    }

    #[test]
    fn semicolon_csv_with_bom_keeps_leading_zeros() {
        let t = table(
            "\u{feff}Name;PLZ;Telefon\r\nVerein A;01067;0351 123\r\n".as_bytes(),
            "liste.csv",
        )
        .unwrap();
        assert_eq!(t.encoding, "UTF-8 (BOM)");
        assert_eq!(t.separator, Some(';'));
        assert_eq!(t.headers, ["Name", "PLZ", "Telefon"]);
        assert_eq!(t.rows[0].number, 2);
        assert_eq!(t.rows[0].cells[1], Value::Text("01067".into()));
        assert_eq!(t.rows[0].cells[2].as_str(), "0351 123");
    }

    #[test]
    fn windows_1252_is_decoded() {
        let bytes = b"Name,Stadt\r\nT\xfcrkischer Verein,K\xf6ln\r\n";
        let t = table(bytes, "x.csv").unwrap();
        assert_eq!(t.encoding, "Windows-1252");
        assert_eq!(t.separator, Some(','));
        assert_eq!(t.rows[0].cells[0].as_str(), "Türkischer Verein");
        assert_eq!(t.rows[0].cells[1].as_str(), "Köln");
    }

    #[test]
    fn quoted_separators_and_line_breaks() {
        let t = table(
            b"Name;Notiz\n\"Verein; e.V.\";\"zwei\nZeilen\"\nB;c\n",
            "x.csv",
        )
        .unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells[0].as_str(), "Verein; e.V.");
        assert_eq!(t.rows[0].cells[1].as_str(), "zwei\nZeilen");
        assert_eq!(t.rows[1].number, 4);
    }

    #[test]
    fn files_that_are_not_tables_are_refused() {
        assert_eq!(table(b"", "x.csv"), Err(ReadError::Empty));
        assert_eq!(table(b"  \n", "x.csv"), Err(ReadError::Empty));
        assert_eq!(table(b"Name;PLZ\n", "x.csv"), Err(ReadError::NoRows));
        assert!(matches!(
            table(b"Name;PLZ\nA;1\n", "x.xlsx"),
            Err(ReadError::NameMismatch { .. })
        ));
        assert_eq!(
            table(b"%PDF-1.7\n\x00\x01\x02binary", "x.csv"),
            Err(ReadError::NotATable)
        );
        let junk: Vec<u8> = (0..100_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert_eq!(table(&junk, "junk.csv"), Err(ReadError::NotATable));
    }

    #[test]
    fn unclosed_quote_is_named_with_its_row() {
        let err = table(b"Name;PLZ\nA;1\n\"B;2\nC;3\nD;4\n", "x.csv").unwrap_err();
        assert_eq!(err, ReadError::UnclosedQuote { row: 3 });
    }

    #[test]
    fn extra_cells_empty_and_duplicate_headers_are_problems() {
        let t = table(b"Name;;Name;PLZ\nA;x;B;1;zu viel\n", "x.csv").unwrap();
        let codes: Vec<_> = t.problems.iter().map(|p| (p.row, p.code)).collect();
        assert!(codes.contains(&(2, "cells-extra")));
        assert!(codes.contains(&(1, "header-empty")));
        assert!(codes.contains(&(1, "header-duplicate")));
    }

    #[test]
    fn too_many_rows_stops_early() {
        let mut csv = String::from("Name\n");
        for i in 0..1_000 {
            csv.push_str(&format!("Verein {i}\n"));
        }
        let limits = Limits {
            max_rows: 100,
            ..Limits::default()
        };
        assert_eq!(
            read_table(csv.as_bytes(), "x.csv", limits),
            Err(ReadError::TooManyRows { max: 100 })
        );
    }

    #[test]
    fn xlsx_round_trip_with_number_cells() {
        use crate::xlsx::{Cell, xlsx_table};
        let bytes = xlsx_table(
            "Organisationen",
            &["Name", "PLZ", "Mitglieder"],
            &[
                vec![
                    Cell::Text("Verein".into()),
                    Cell::Text("01067".into()),
                    Cell::Number(120.0),
                ],
                vec![Cell::Text("Zwei".into()), Cell::Number(1067.0), Cell::Empty],
            ],
        )
        .unwrap();
        let t = table(&bytes, "liste.xlsx").unwrap();
        assert_eq!(t.format, Format::Xlsx);
        assert_eq!(t.sheet.as_deref(), Some("Organisationen"));
        assert_eq!(t.headers, ["Name", "PLZ", "Mitglieder"]);
        assert_eq!(t.rows[0].cells[1], Value::Text("01067".into()));
        assert_eq!(t.rows[0].cells[2], Value::Number("120".into()));
        assert_eq!(t.rows[1].cells[1], Value::Number("1067".into()));
        assert_eq!(t.rows[1].number, 3);
        assert!(matches!(
            table(&bytes, "liste.csv"),
            Err(ReadError::NameMismatch { .. })
        ));
    }

    /// A minimal OpenDocument spreadsheet, as LibreOffice writes one: a
    /// number cell for the postcode, a merged-looking empty header cell.
    fn ods(rows: &[&[(&str, &str)]]) -> Vec<u8> {
        let mut body = String::new();
        for row in rows {
            body.push_str("<table:table-row>");
            for (kind, v) in *row {
                match *kind {
                    "n" => body.push_str(&format!(
                        r#"<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>"#
                    )),
                    "e" => body.push_str("<table:table-cell/>"),
                    _ => body.push_str(&format!(
                        r#"<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>"#
                    )),
                }
            }
            body.push_str("</table:table-row>");
        }
        ods_of(&body)
    }

    /// An ODS file whose table is `body` (raw rows).
    fn ods_of(body: &str) -> Vec<u8> {
        use std::io::Write;
        let content = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Vereine">{body}</table:table></office:spreadsheet></office:body></office:document-content>"#
        );
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        zip.start_file("META-INF/manifest.xml", stored).unwrap();
        zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
        zip.start_file("content.xml", stored).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn a_tiny_ods_declaring_a_huge_table_is_refused_before_it_is_built() {
        let row = |n: u64, cols: u64| {
            format!(
                r#"<table:table-row table:number-rows-repeated="{n}"><table:table-cell table:number-columns-repeated="{cols}" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#
            )
        };
        let header = row(1, 3);
        // A million rows of three cells: about 600 bytes of XML.
        let bytes = ods_of(&format!("{header}{}", row(1_000_000, 3)));
        assert!(bytes.len() < 4096);
        assert_eq!(
            table(&bytes, "x.ods"),
            Err(ReadError::TooManyRows { max: 200_000 })
        );
        // 16,384 filled columns in one row.
        let bytes = ods_of(&format!("{header}{}", row(1, 16_384)));
        assert_eq!(
            table(&bytes, "x.ods"),
            Err(ReadError::TooManyColumns { max: 200 })
        );
        // A million rows of cells with a value attribute only, no type.
        let untyped = r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="3" office:value="1"/></table:table-row>"#;
        let bytes = ods_of(&format!("{header}{untyped}"));
        assert_eq!(
            table(&bytes, "x.ods"),
            Err(ReadError::TooManyRows { max: 200_000 })
        );
        // The bomb in a second table.
        let second = format!(
            r#"</table:table><table:table table:name="B">{}"#,
            row(1_000_000, 3)
        );
        let bytes = ods_of(&format!("{header}{}{second}", row(2, 3)));
        assert_eq!(
            table(&bytes, "x.ods"),
            Err(ReadError::TooManyRows { max: 200_000 })
        );
        // 150,000 rows of 100 cells each: within rows and columns, not cells.
        let bytes = ods_of(&format!("{}{}", row(1, 100), row(150_000, 100)));
        assert_eq!(
            table(&bytes, "x.ods"),
            Err(ReadError::TooManyCells { max: 4_000_000 })
        );
        // LibreOffice's trailing empty rows (a million, repeated) are fine.
        let trailing = r#"<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#;
        let bytes = ods_of(&format!("{header}{}{trailing}", row(2, 3)));
        let t = table(&bytes, "x.ods").unwrap();
        assert_eq!(t.rows.len(), 2);
    }

    #[test]
    fn ods_is_read() {
        let bytes = ods(&[
            &[("s", "Name"), ("s", "PLZ"), ("e", "")],
            &[("s", "Verein Ost"), ("n", "1067"), ("s", "x")],
            &[("s", "Verein West"), ("s", "04109")],
        ]);
        let t = table(&bytes, "vereine.ods").unwrap();
        assert_eq!(t.format, Format::Ods);
        assert_eq!(t.sheet.as_deref(), Some("Vereine"));
        assert_eq!(t.headers, ["Name", "PLZ"]);
        assert_eq!(t.rows[0].cells[1], Value::Number("1067".into()));
        assert_eq!(t.rows[1].cells[1], Value::Text("04109".into()));
        assert_eq!(t.rows[1].number, 3);
        assert!(
            t.problems
                .iter()
                .any(|p| p.code == "cells-extra" && p.row == 2)
        );
        assert!(matches!(
            table(&bytes, "vereine.xlsx"),
            Err(ReadError::NameMismatch { .. })
        ));
    }

    #[test]
    fn a_single_column_is_never_split() {
        let t = table(
            b"Name
Verein; e.V.
A, B
",
            "x.csv",
        )
        .unwrap();
        assert_eq!(t.separator, None);
        assert_eq!(t.rows[0].cells[0].as_str(), "Verein; e.V.");
        assert_eq!(t.rows[1].cells[0].as_str(), "A, B");
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
