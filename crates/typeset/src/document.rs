//! The document model of `msohub-exchange` as Typst markup, and as PDF.

use msohub_exchange::document::{Block, Document, Page, Span};

/// A Typst string literal.
fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text with its line breaks kept (each becomes a Typst line break).
fn lines(s: &str) -> String {
    s.split('\n')
        .map(|l| crate::escape(l.trim_end_matches('\r')))
        .collect::<Vec<_>>()
        .join(" \\\n")
}

/// The page setup: A4, the letterhead (name left, logo right, a rule
/// below) at the top of every page, the footer text and "Seite 2 von 5" at
/// the bottom. Returns the markup and the logo's file.
fn page_setup(doc: &Document, page: &Page) -> (String, Option<(String, Vec<u8>)>) {
    let (page_word, of) = msohub_exchange::document::page_words(&doc.lang);
    let mut logo_file = None;
    let header = match &page.letterhead {
        Some(l) => {
            let logo = match &l.logo {
                // Typst reads PNG, JPEG, GIF and WebP (and tells by the bytes).
                Some(image) if image.mime.starts_with("image/") => {
                    let name = "letterhead-logo".to_owned();
                    let (w, h) = crate::image_size(&image.bytes).unwrap_or((4, 1));
                    // 1.5 cm high, at most 6 cm wide.
                    let size = if w as f32 / h as f32 > 4.0 {
                        "width: 6cm".to_owned()
                    } else {
                        "height: 1.5cm".to_owned()
                    };
                    let call = format!(
                        "image({}, {size}, alt: {})",
                        string(&name),
                        string(&format!("Logo: {}", l.name))
                    );
                    logo_file = Some((name, image.bytes.clone()));
                    call
                }
                _ => "[]".to_owned(),
            };
            format!(
                "block(width: 100%, stroke: (bottom: 0.5pt + luma(140)), inset: (bottom: 5pt), grid(columns: (1fr, auto), align: (left + horizon, right + horizon), column-gutter: 1em, text(size: 10pt, weight: \"bold\", {name}), {logo}))",
                name = string(&l.name),
            )
        }
        None => "none".to_owned(),
    };
    let footer = format!(
        "context {{ set text(size: 8pt, fill: luma(80)); grid(columns: (1fr, auto), column-gutter: 2em, align: (left, right), text({text}), [{page_word} #counter(page).display() {of} #counter(page).final().first()]) }}",
        text = string(page.footer.as_deref().unwrap_or("")),
    );
    let top = if page.letterhead.is_some() {
        "3.6cm"
    } else {
        "2cm"
    };
    (
        format!(
            "#set page(paper: \"a4\", margin: (x: 2.5cm, top: {top}, bottom: 2.5cm), header: {header}, header-ascent: 25%, footer: {footer}, footer-descent: 40%)\n"
        ),
        logo_file,
    )
}

/// The document as Typst markup, and the files it reads (charts), its
/// pages numbered.
pub fn markup(doc: &Document) -> (String, Vec<(String, Vec<u8>)>) {
    framed_markup(doc, &Page::default())
}

/// The document as Typst markup with its pages framed (letterhead, footer
/// with page numbers), and the files it reads (logo, charts).
pub fn framed_markup(doc: &Document, page: &Page) -> (String, Vec<(String, Vec<u8>)>) {
    let mut files = Vec::new();
    let (setup, logo) = page_setup(doc, page);
    files.extend(logo);
    let mut out = format!(
        r#"#set document(title: {title})
{setup}#set text(font: "{font}", size: 10pt, lang: {lang})
#set par(leading: 0.65em, spacing: 1.1em)
#set heading(numbering: none)
#show heading.where(level: 1): set text(size: 18pt)
#show heading.where(level: 2): set text(size: 13pt)
#show heading.where(level: 3): set text(size: 11pt)
#show heading: set block(above: 1.4em, below: 0.8em)
#set table(stroke: 0.5pt + luma(110), inset: (x: 5pt, y: 4pt))
#show table.cell.where(y: 0): strong
#show figure.where(kind: table): set figure.caption(position: top)

"#,
        title = string(&doc.title),
        font = crate::FONT_FAMILY,
        lang = string(&doc.lang),
    );
    for b in &doc.blocks {
        match b {
            Block::Heading { level, text } => {
                out.push_str(&"=".repeat(usize::from((*level).clamp(1, 6))));
                out.push(' ');
                out.push_str(&crate::escape(&text.replace('\n', " ")));
                out.push_str("\n\n");
            }
            Block::Paragraph(spans) => {
                for s in spans {
                    match s {
                        Span::Text(t) => out.push_str(&lines(t)),
                        Span::Strong(t) => {
                            out.push_str("#strong[");
                            out.push_str(&lines(t));
                            out.push(']');
                        }
                    }
                }
                out.push_str("\n\n");
            }
            Block::List(items) => {
                for i in items {
                    out.push_str("- ");
                    out.push_str(&crate::escape(&i.replace('\n', " ")));
                    out.push('\n');
                }
                out.push('\n');
            }
            Block::Table {
                caption,
                headers,
                rows,
            } => {
                out.push_str(&format!(
                    "#figure(kind: table, caption: [{}], table(columns: {}, align: (x, y) => if x == 0 {{ left }} else {{ right }},\n  table.header(",
                    crate::escape(caption),
                    headers.len().max(1)
                ));
                for h in headers {
                    out.push_str(&format!("[{}], ", crate::escape(h)));
                }
                out.push_str("),\n");
                for r in rows {
                    out.push_str("  ");
                    for c in r {
                        out.push_str(&format!("[{}], ", lines(c)));
                    }
                    out.push('\n');
                }
                out.push_str("))\n\n");
            }
            Block::Chart {
                svg, alt, width_cm, ..
            } => {
                let name = format!("chart{}.svg", files.len() + 1);
                out.push_str(&format!(
                    "#figure(image({}, width: {:.1}cm, alt: {}))\n\n",
                    string(&name),
                    width_cm.clamp(1.0, 16.0),
                    string(alt)
                ));
                files.push((name, svg.as_bytes().to_vec()));
            }
        }
    }
    (out, files)
}

/// The document as a PDF, its pages numbered.
pub fn document_pdf(doc: &Document) -> Result<Vec<u8>, crate::Error> {
    framed_pdf(doc, &Page::default())
}

/// The document as a PDF with its pages framed: the letterhead at the top,
/// the footer text and the page numbers at the bottom.
pub fn framed_pdf(doc: &Document, page: &Page) -> Result<Vec<u8>, crate::Error> {
    let (source, files) = framed_markup(doc, page);
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    crate::pdf(&source, &files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn a_report_document_with_hostile_and_arabic_text_prints_it_all() {
        let doc = Document {
            title: "Sachbericht \"2020/21\" #1".into(),
            lang: "de".into(),
            blocks: vec![
                Block::heading(1, "Sachbericht 2020/21 – #Ziele *fett* [x]"),
                Block::Paragraph(vec![
                    Span::Strong("Stand:".into()),
                    Span::Text(" 0 von 6 – ".into()),
                    Span::Strong("nicht erreicht".into()),
                ]),
                Block::text("Zeile eins\nZeile zwei = $5 @ref <label> // kein Kommentar"),
                Block::text("مرحبا بكم في المركز"),
                Block::List(vec!["- kein Aufzählungszeichen".into(), "Привіт, світ".into()]),
                Block::Table {
                    caption: "Kontakte je Monat".into(),
                    headers: vec!["Monat".into(), "stattgefunden".into()],
                    rows: vec![vec!["2020-09".into(), "3".into()]],
                },
                Block::Chart {
                    svg: r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10" height="10"><rect width="5" height="5" fill="#004b87"/></svg>"##.into(),
                    alt: "Ein \"Diagramm\"".into(),
                    width_cm: 16.0,
                    height_cm: 6.0,
                },
            ],
        };
        let pdf = document_pdf(&doc).expect("typeset");
        assert!(pdf.starts_with(b"%PDF-"));
        let text = flat(&crate::pdf_text(&pdf).expect("text"));
        for expected in [
            "Sachbericht 2020/21 – #Ziele *fett* [x]",
            "Stand: 0 von 6 – nicht erreicht",
            "Zeile eins",
            "Zeile zwei = $5 @ref <label> // kein Kommentar",
            "مرحبا بكم في المركز",
            "- kein Aufzählungszeichen",
            "Привіт, світ",
            "2020-09",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in {text}");
        }
    }
}
