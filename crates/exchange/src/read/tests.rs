//! Tests of the table reader: separators, encodings, quotes, limits,
//! XLSX and ODS.

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
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
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
