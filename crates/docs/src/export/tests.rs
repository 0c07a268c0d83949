use super::*;
use msohub_service::import::{ImportEntity, choice_code, choice_codes, guess_mapping};
use serde_json::json;

/// The import's field a column of an importable entity fills.
fn import_field(entity: ImportEntity, field: &str) -> Option<&'static str> {
    let key = match (entity, field) {
        (ImportEntity::Offers | ImportEntity::Needs, "organisation") => "organisation_id",
        (_, f) => f,
    };
    entity.field(key).map(|f| f.key)
}

const IMPORTABLE: [(ExportEntity, ImportEntity); 5] = [
    (ExportEntity::Organisations, ImportEntity::Organisations),
    (ExportEntity::Persons, ImportEntity::Persons),
    (ExportEntity::Offers, ImportEntity::Offers),
    (ExportEntity::Events, ImportEntity::Events),
    (ExportEntity::Needs, ImportEntity::Needs),
];

#[test]
fn the_import_maps_every_header_of_a_people_export_to_its_field() {
    for (export, import) in IMPORTABLE {
        for english in [false, true] {
            let cols = columns(export);
            let headers: Vec<String> = cols
                .iter()
                .map(|c| if english { c.en } else { c.de }.to_owned())
                .collect();
            let mapping = guess_mapping(import, &headers);
            for (col, header) in cols.iter().zip(&headers) {
                let mapped: Vec<&String> = mapping
                    .iter()
                    .filter(|(_, h)| *h == header)
                    .map(|(f, _)| f)
                    .collect();
                match import_field(import, col.field) {
                    Some(field) => assert_eq!(
                        mapped,
                        vec![field],
                        "{export:?} {header}: read as {mapped:?}, not {field}"
                    ),
                    None => assert!(
                        mapped.is_empty(),
                        "{export:?} {header} ({}) would be read as {mapped:?}",
                        col.field
                    ),
                }
            }
        }
    }
}

#[test]
fn every_label_of_a_fixed_choice_reads_back_as_its_code() {
    let mut unread = Vec::new();
    for (export, import) in IMPORTABLE {
        for col in columns(export) {
            let How::Label(prefix) = col.how else {
                continue;
            };
            let Some(field) = import_field(import, col.field) else {
                continue;
            };
            let codes = choice_codes(import, field);
            assert!(!codes.is_empty(), "{export:?} {field}");
            for lang in [Language::De, Language::En] {
                let tr = Tr::new(lang);
                for code in &codes {
                    let label = tr.own(&format!("{prefix}{code}")).unwrap_or((*code).into());
                    if choice_code(import, field, &label) != Some(*code) {
                        unread.push(format!("{export:?} {field}: {lang:?} „{label}“ ≠ {code}"));
                    }
                }
            }
        }
    }
    assert!(unread.is_empty(), "{unread:#?}");
}

fn organisation_data() -> ExportData {
    let term = |code: &str, de: &str, en: &str| Term {
        code: code.into(),
        label_de: de.into(),
        label_en: en.into(),
        ..Term::default()
    };
    ExportData {
        entity: ExportEntity::Organisations,
        records: vec![json!({
            "id": "0190", "name": "Verein", "kind": "mso", "legal_status": "ev",
            "languages": ["ar", "de"], "topics": ["education", "gone"],
            "is_public": true, "is_own_office": false, "founding_year": 1999,
            "latitude": 51.05, "postcode": "01067", "public_parts": ["address"],
            "assured_at": "2026-01-15T23:30:00Z", "origins": ["Syrien", "Irak"],
            "deleted": false, "version": 3,
        })],
        terms: HashMap::from([(
            "topic".to_owned(),
            vec![term("education", "Bildung", "Education")],
        )]),
        filtered: false,
    }
}

#[test]
fn a_people_export_has_words_labels_and_local_times() {
    let data = organisation_data();
    let (headers, rows) = people_table(&data, Language::De);
    assert_eq!(headers[0], "Name");
    assert_eq!(headers.last().unwrap(), "ID");
    assert!(!headers.iter().any(|h| h == "version" || h == "deleted"));
    let col = |h: &str| headers.iter().position(|x| x == h).unwrap();
    let row = &rows[0];
    assert_eq!(
        row[col("Art")],
        Cell::Text("Migrantenselbstorganisation".into())
    );
    assert_eq!(
        row[col("Rechtsform")],
        Cell::Text("eingetragener Verein (e.V.)".into())
    );
    assert_eq!(row[col("Sprachen")], Cell::Text("Arabisch, Deutsch".into()));
    // An unknown term shows its code rather than nothing.
    assert_eq!(row[col("Themen")], Cell::Text("Bildung, gone".into()));
    assert_eq!(row[col("Im Verzeichnis")], Cell::Text("ja".into()));
    assert_eq!(row[col("Eigenes Amt")], Cell::Text("nein".into()));
    assert_eq!(row[col("Herkunft")], Cell::Text("Syrien, Irak".into()));
    assert_eq!(row[col("PLZ")], Cell::Text("01067".into()));
    assert_eq!(row[col("Gründungsjahr")], Cell::Number(1999.0));
    // 23:30 UTC in January is half past midnight the next day in Berlin.
    assert_eq!(
        row[col("Zuletzt geprüft")],
        Cell::DateTime(
            NaiveDate::from_ymd_opt(2026, 1, 16)
                .unwrap()
                .and_hms_opt(0, 30, 0)
                .unwrap()
        )
    );
    let (en, rows) = people_table(&data, Language::En);
    assert_eq!(en[1], "Kind");
    assert_eq!(rows[0][1], Cell::Text("Migrant self-organisation".into()));
    assert_eq!(
        rows[0][en.iter().position(|h| h == "Languages").unwrap()],
        Cell::Text("Arabic, German".into())
    );
    // Turkish staff get German: the staff area speaks German and English.
    assert_eq!(people_table(&data, Language::Tr).0[1], "Art");

    let csv = people_file(
        &data,
        ExportFormat::parse("csv", None, None).unwrap(),
        Language::De,
    )
    .unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("\u{feff}Name;Art;"), "{csv}");
    assert!(csv.contains(";16.01.2026 00:30;"), "{csv}");
    assert!(
        csv.contains(";51,05;"),
        "decimal comma for German Excel: {csv}"
    );
    let xlsx = people_file(&data, ExportFormat::Xlsx, Language::De).unwrap();
    assert_eq!(&xlsx[..2], b"PK");
}
