//! Compiling Typst markup to PDF, and reading the text back.

use msohub_typeset::{Error, escape, pdf, pdf_text};

const SVG: &[u8] =
    br##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60">
  <rect x="0" y="0" width="120" height="60" fill="#dde"/>
  <rect x="10" y="30" width="20" height="25" fill="#36c"/>
  <rect x="40" y="15" width="20" height="40" fill="#36c"/>
  <rect x="70" y="5" width="20" height="50" fill="#c63"/>
</svg>"##;

const DOCUMENT: &str = r#"
#set page(paper: "a4")
#set text(lang: "de")

= Übersicht der Vereine

Die Größe der Straße ist für Jürgen, Özlem und Äneas maßgeblich.

#table(
  columns: 3,
  [*Verein*], [*Mitglieder*], [*Ort*],
  [Brücke e.V.], [42], [Köln],
  [Müßiggang], [7], [Düsseldorf],
)

#text(lang: "ru")[Мы встречаемся в пятницу в общественном центре.]

#text(lang: "ar")[نلتقي يوم الجمعة في المركز الاجتماعي]

#image("chart.svg", width: 4cm)
"#;

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn multilingual_document_with_table_and_svg_compiles() {
    let bytes = pdf(DOCUMENT, &[("chart.svg", SVG)]).expect("compiles");
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    // The embedded font must be in the PDF (subset, with the family name).
    assert!(
        bytes
            .windows(b"DejaVuSans".len())
            .any(|w| w == b"DejaVuSans"),
        "DejaVu Sans not embedded"
    );
}

#[test]
fn text_comes_back_out_of_the_pdf() {
    let bytes = pdf(DOCUMENT, &[("chart.svg", SVG)]).expect("compiles");
    let text = pdf_text(&bytes).expect("extracts");
    let flat = squash(&text);
    for word in [
        "Übersicht",
        "Vereine",
        "Größe",
        "Straße",
        "maßgeblich",
        "Müßiggang",
        "Düsseldorf",
        "Brücke",
        "встречаемся",
        "пятницу",
        "общественном",
        "الجمعة",
        "المركز",
        "الاجتماعي",
    ] {
        assert!(
            flat.contains(word),
            "{word:?} missing in extracted text:\n{text}"
        );
    }
}

const HOSTILE: &str = "#set page(width: 1cm) *bold* _x_ $y$ [z] <l> @ref \\ `code` = heading\n- item\n+ num\n/ term: x";

#[test]
fn escaped_text_is_printed_literally() {
    let markup = format!("#par[{}]\n", escape(HOSTILE));
    let bytes = pdf(&markup, &[]).expect("escaped text compiles");
    let text = squash(&pdf_text(&bytes).expect("extracts"));
    assert!(
        text.contains(&squash(HOSTILE)),
        "expected {HOSTILE:?} in {text:?}"
    );
}

#[test]
fn escape_defuses_more_markup() {
    let nasty = "1. first // not a comment /* nor this */ https://example.org/a(b -- ... ~ 'q' \"dq\" -? \\u{41}";
    let markup = format!("Text: {}\n", escape(nasty));
    let bytes = pdf(&markup, &[]).expect("escaped text compiles");
    let text = squash(&pdf_text(&bytes).expect("extracts"));
    assert!(
        text.contains(&squash(nasty)),
        "expected {nasty:?} in {text:?}"
    );
}

#[test]
fn package_import_is_a_readable_compile_error() {
    let err = pdf("#import \"@preview/cetz:0.3.4\": canvas\nHallo", &[]).expect_err("must fail");
    let Error::Compile(message) = err else {
        panic!("expected Error::Compile, got {err:?}")
    };
    assert!(message.contains("@preview/cetz:0.3.4"), "{message}");
    assert!(message.contains("not available"), "{message}");
    assert!(message.contains("line 1"), "{message}");
}

#[test]
fn invalid_markup_is_a_compile_error() {
    for source in [
        "#let x = (",
        "#table(columns: 2, [a]",
        "#nonexistent_function()",
        "#image(\"missing.svg\")",
        "#image(\"broken.svg\")",
        "#panic(\"boom\")",
        "#set text(size: \"big\")",
    ] {
        let broken: &[u8] = b"<svg";
        match pdf(source, &[("broken.svg", broken)]) {
            Err(Error::Compile(message)) => assert!(!message.is_empty(), "{source}"),
            other => panic!("{source:?}: expected Error::Compile, got {other:?}"),
        }
    }
}

#[test]
fn error_message_names_line_and_column() {
    let err = pdf("Hallo\n\n#unknown_thing", &[]).expect_err("must fail");
    let message = err.to_string();
    assert!(
        message.contains("unknown variable: unknown_thing"),
        "{message}"
    );
    assert!(message.contains("line 3, column 2"), "{message}");
}

#[test]
fn math_is_a_compile_error_with_a_hint() {
    let err = pdf("Formel: $x^2$", &[]).expect_err("no math font");
    let Error::Compile(message) = err else {
        panic!("expected Error::Compile, got {err:?}")
    };
    assert!(message.contains("math formulas"), "{message}");
}

#[test]
fn raw_text_falls_back_to_dejavu_sans() {
    let bytes = pdf("Code: `let x = 1;`\n```rust\nfn main() {}\n```", &[]).expect("compiles");
    // Syntax-highlighted tokens are separate text runs: pdf-extract may put
    // spaces between them.
    let text = squash(&pdf_text(&bytes).expect("extracts"));
    assert!(
        text.contains("let x = 1;") && text.contains("fn main"),
        "{text}"
    );
}

#[test]
fn invalid_virtual_path_is_a_compile_error() {
    let result = pdf("x", &[("../outside.svg", b"<svg/>")]);
    assert!(matches!(result, Err(Error::Compile(_))), "{result:?}");
}

#[test]
fn included_virtual_typst_file() {
    let part: &[u8] = "== Teil aus Datei\nInhalt".as_bytes();
    let bytes = pdf("= Haupt\n#include \"part.typ\"", &[("part.typ", part)]).expect("compiles");
    let text = pdf_text(&bytes).expect("extracts");
    assert!(text.contains("Teil aus Datei"), "{text}");
}

#[test]
fn today_is_available() {
    let bytes = pdf("#datetime.today().display()", &[]).expect("compiles");
    assert!(bytes.starts_with(b"%PDF-"));
}
