//! Spreadsheets: XLSX (calamine) and ODS, with their packed size and declared
//! extent checked before anything is built, and cells read as text the way
//! people typed them (numbers without float noise, Excel serial dates).

use super::*;

/// Refuses a ZIP part that unpacks to more than the limit (a zip bomb, or a
/// sheet far beyond what an import takes). The declared size is checked
/// first, then each part is really unpacked into nothing and counted, since
/// a declaration can lie.
pub(super) fn check_unpacked(bytes: &[u8], limits: Limits) -> Result<(), ReadError> {
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
pub(super) fn check_extent(rows: u64, columns: u64, limits: Limits) -> Result<(), ReadError> {
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
pub(super) fn ods_extents(bytes: &[u8]) -> Result<Vec<(u64, u64)>, ReadError> {
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

pub(super) fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

pub(super) fn excel_date(serial: f64, is_datetime: bool) -> String {
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

pub(super) fn value_of_data(d: &calamine::Data) -> Value {
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

pub(super) fn read_xlsx(bytes: &[u8], limits: Limits) -> Result<(String, Grid), ReadError> {
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

pub(super) fn read_ods(bytes: &[u8], limits: Limits) -> Result<(String, Grid), ReadError> {
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
