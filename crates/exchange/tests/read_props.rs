//! Property tests of the table reader (the fuzzing of issue #9):
//! - any bytes under any name give a table or a clear error, never a panic;
//! - any table written by our own CSV writer (either separator, with or
//!   without BOM) reads back cell for cell;
//! - the same for XLSX.
//!
//! `PROPTEST_CASES=N cargo test -p msohub-exchange --release --test read_props`
//! runs longer sessions; CI runs the default number of cases.

#![allow(clippy::unwrap_used)]

use msohub_exchange::read::{Limits, ReadError, Value, read_table};
use msohub_exchange::{Cell, CsvOptions, csv_table, xlsx_table};
use proptest::prelude::*;

fn names() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["a.csv", "a.xlsx", "a.ods", "a.txt", "upload", "a.CSV"])
}

/// Cell texts as offices type them: letters with umlauts, digits,
/// separators, quotes, line breaks — but no leading formula character (the
/// writer neutralises those on purpose) and no surrounding spaces.
fn cell() -> impl Strategy<Value = String> {
    "[A-Za-zÄÖÜäöüßçşğı0-9 ;,\"'\n/()€.]{0,12}".prop_map(|s| {
        s.trim()
            .trim_start_matches(['=', '+', '-', '@'])
            .trim()
            .to_owned()
    })
}

fn grid() -> impl Strategy<Value = (Vec<String>, Vec<Vec<String>>)> {
    (1usize..6).prop_flat_map(|width| {
        (
            prop::collection::vec("[A-Za-zÄÖÜäöü][A-Za-zäöü0-9]{0,8}", width),
            prop::collection::vec(prop::collection::vec(cell(), width), 1..12),
        )
    })
}

/// Blank rows are skipped by the reader.
fn expected_rows(rows: &[Vec<String>]) -> Vec<Vec<String>> {
    rows.iter()
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .cloned()
        .collect()
}

proptest! {
    #[test]
    fn any_bytes_give_a_table_or_an_error(bytes in prop::collection::vec(any::<u8>(), 0..4096), name in names()) {
        let _ = read_table(&bytes, name, Limits::default());
    }

    #[test]
    fn text_like_bytes_give_a_table_or_an_error(text in "[a-z0-9;,\"\t\r\n äöü]{0,600}", name in names()) {
        match read_table(text.as_bytes(), name, Limits { max_rows: 50, ..Limits::default() }) {
            Ok(t) => {
                prop_assert!(!t.headers.is_empty());
                prop_assert!(t.rows.len() <= 50);
                for r in &t.rows {
                    prop_assert!(r.cells.len() >= t.headers.len());
                }
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn csv_written_by_us_reads_back((headers, rows) in grid(), semicolon in any::<bool>(), bom in any::<bool>()) {
        let options = CsvOptions { separator: if semicolon { b';' } else { b',' }, bom };
        let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
        let bytes = csv_table(&refs, rows.clone(), options);
        let expected = expected_rows(&rows);
        match read_table(&bytes, "t.csv", Limits::default()) {
            Ok(t) => {
                prop_assert_eq!(&t.headers, &headers);
                prop_assert_eq!(t.rows.len(), expected.len());
                for (got, want) in t.rows.iter().zip(&expected) {
                    for (g, w) in got.cells.iter().zip(want) {
                        prop_assert_eq!(g.as_str(), w.as_str());
                    }
                }
            }
            Err(ReadError::NoRows) => prop_assert!(expected.is_empty()),
            Err(e) => prop_assert!(false, "{e}"),
        }
    }

    #[test]
    fn xlsx_written_by_us_reads_back((headers, rows) in grid()) {
        let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
        let cells: Vec<Vec<Cell>> = rows.iter().map(|r| r.iter().cloned().map(Cell::from).collect()).collect();
        let bytes = xlsx_table("Tabelle", &refs, &cells).unwrap();
        let expected = expected_rows(&rows);
        match read_table(&bytes, "t.xlsx", Limits::default()) {
            Ok(t) => {
                prop_assert_eq!(&t.headers, &headers);
                prop_assert_eq!(t.rows.len(), expected.len());
                for (got, want) in t.rows.iter().zip(&expected) {
                    for (g, w) in got.cells.iter().zip(want) {
                        prop_assert_eq!(g.as_str(), w.as_str());
                        prop_assert!(!matches!(g, Value::Number(_)));
                    }
                }
            }
            Err(ReadError::NoRows) => prop_assert!(expected.is_empty()),
            Err(e) => prop_assert!(false, "{e}"),
        }
    }
}
