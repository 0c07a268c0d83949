//! XLSX tables as offices expect them: typed cells (numbers stay numbers,
//! postcodes and phone numbers stay text), a bold frozen header row and an
//! autofilter over the whole table.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
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
