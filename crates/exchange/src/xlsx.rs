//! XLSX tables as offices expect them: typed cells (numbers stay numbers,
//! postcodes and phone numbers stay text), a bold frozen header row and an
//! autofilter over the whole table; days and times as real date cells
//! (`dd.mm.yyyy`, `dd.mm.yyyy hh:mm`), which a spreadsheet sorts and
//! filters as dates.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    /// A day.
    Date(NaiveDate),
    /// A local day and time (the caller has chosen the time zone).
    DateTime(NaiveDateTime),
    Empty,
}

impl Cell {
    /// The cell as CSV text: numbers without a needless `.0`, days as
    /// `31.12.2026`, times as `31.12.2026 18:30` (what German Excel reads
    /// as a date); `decimal_comma` writes `51,05` for `51.05`.
    pub fn to_text(&self, decimal_comma: bool) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => {
                let s = n.to_string();
                if decimal_comma {
                    s.replace('.', ",")
                } else {
                    s
                }
            }
            Cell::Date(d) => d.format("%d.%m.%Y").to_string(),
            Cell::DateTime(t) => t.format("%d.%m.%Y %H:%M").to_string(),
            Cell::Empty => String::new(),
        }
    }
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(
        u16::try_from(d.year()).map_err(|_| XlsxError::DateTimeRangeError(d.to_string()))?,
        u8::try_from(d.month()).unwrap_or(1),
        u8::try_from(d.day()).unwrap_or(1),
    )
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }
}

impl From<Option<i32>> for Cell {
    fn from(n: Option<i32>) -> Self {
        n.map_or(Cell::Empty, |n| Cell::Number(f64::from(n)))
    }
}

/// Excel's limit for the characters in one cell.
const MAX_CELL_CHARS: usize = 32_767;

/// Writes one sheet with a header row and data rows.
pub fn xlsx_table(sheet: &str, headers: &[&str], rows: &[Vec<Cell>]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name(sheet)?;
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("dd.mm.yyyy");
    let day_time = Format::new().set_num_format("dd.mm.yyyy hh:mm");
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, col(c), *h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (c, cell) in row.iter().enumerate() {
            match cell {
                // Text cells are written as strings: Excel never evaluates
                // them as formulas, so no neutralising is needed here.
                Cell::Text(s) => {
                    // Excel holds at most 32,767 characters in a cell; a
                    // longer text (minutes, say) is cut with a visible mark
                    // rather than failing the whole file.
                    if s.chars().count() > MAX_CELL_CHARS {
                        let cut: String = s.chars().take(MAX_CELL_CHARS - 20).collect();
                        ws.write_string(r, col(c), format!("{cut} […gekürzt]"))?;
                    } else {
                        ws.write_string(r, col(c), s)?;
                    }
                }
                Cell::Number(n) => {
                    ws.write_number(r, col(c), *n)?;
                }
                Cell::Date(d) => {
                    ws.write_datetime_with_format(r, col(c), excel_date(*d)?, &day)?;
                }
                Cell::DateTime(t) => {
                    let at = excel_date(t.date())?.and_hms(
                        u16::try_from(t.hour()).unwrap_or(0),
                        u8::try_from(t.minute()).unwrap_or(0),
                        t.second(),
                    )?;
                    ws.write_datetime_with_format(r, col(c), at, &day_time)?;
                }
                Cell::Empty => {}
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    if !headers.is_empty() {
        ws.autofilter(0, 0, last_row, col(headers.len() - 1))?;
    }
    ws.autofit();
    workbook.save_to_buffer()
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_zip_workbook() {
        let bytes = xlsx_table(
            "Organisationen",
            &["Name", "PLZ", "Mitglieder"],
            &[vec![
                Cell::Text("Verein".into()),
                Cell::Text("01067".into()),
                Cell::Number(120.0),
            ]],
        )
        .unwrap();
        assert_eq!(&bytes[..2], b"PK");
        assert!(bytes.len() > 1000);
    }

    #[test]
    fn dates_are_date_cells_and_german_text() {
        let day = NaiveDate::from_ymd_opt(2026, 5, 3).unwrap();
        let at = day.and_hms_opt(18, 30, 0).unwrap();
        let bytes = xlsx_table(
            "t",
            &["Tag", "Zeit"],
            &[vec![Cell::Date(day), Cell::DateTime(at)]],
        )
        .unwrap();
        // Read back: the reader sees the serial dates as dates.
        let table =
            crate::read::read_table(&bytes, "t.xlsx", crate::read::Limits::default()).unwrap();
        let row = &table.rows[0];
        assert_eq!(row.cells[0].as_str(), "2026-05-03");
        assert!(
            row.cells[1].as_str().starts_with("2026-05-03"),
            "{:?}",
            row.cells[1]
        );
        assert_eq!(Cell::Date(day).to_text(false), "03.05.2026");
        assert_eq!(Cell::DateTime(at).to_text(false), "03.05.2026 18:30");
        assert_eq!(Cell::Number(51.05).to_text(true), "51,05");
        assert_eq!(Cell::Number(12.0).to_text(true), "12");
    }
}

#[cfg(test)]
mod long_text_tests {
    use super::*;

    #[test]
    fn a_text_longer_than_excel_allows_is_cut_not_refused() {
        let long = "x".repeat(40_000);
        let file = xlsx_table("t", &["a"], &[vec![Cell::Text(long)]]).unwrap();
        assert_eq!(&file[..2], b"PK");
    }
}
