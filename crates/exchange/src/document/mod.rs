//! A small document model (headings, paragraphs with bold runs, bullet
//! lists, tables, SVG charts), what frames its pages (a letterhead, a footer
//! with page numbers) and its writers: Markdown, DOCX (Office Open XML,
//! `docx.rs`) and ODT (OpenDocument, `odt.rs`). The PDF writer lives in
//! `msohub-typeset`, which reads the same model. One model, so every format
//! says the same.
//!
//! The DOCX and ODT packages are written by hand: a few XML parts in a zip.
//! Both open in Word and LibreOffice; headings carry the office's outline
//! styles so a table of contents or the navigator works. Charts are embedded
//! as SVG in ODT; in DOCX as PNG drawn by the caller (Word reads SVG only
//! with a PNG beside it, and this crate draws nothing), with the chart's
//! text alternative as the picture's description. Without a drawing, the
//! DOCX carries the chart's figures in the table beside it only.

use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

mod docx;
mod odt;

pub use docx::{ChartPng, docx, docx_framed};
pub use odt::{odt, odt_framed};

/// A document: its title (metadata), language and blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    /// BCP 47, e.g. "de".
    pub lang: String,
    pub blocks: Vec<Block>,
}

/// A run of text inside a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub enum Span {
    Text(String),
    Strong(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 1 is the document's title.
    Heading {
        level: u8,
        text: String,
    },
    /// Line breaks inside the spans are kept.
    Paragraph(Vec<Span>),
    List(Vec<String>),
    Table {
        caption: String,
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// An SVG picture with its text alternative; `width`/`height` in
    /// centimetres as it should be printed.
    Chart {
        svg: String,
        alt: String,
        width_cm: f32,
        height_cm: f32,
    },
}

impl Block {
    pub fn text(s: impl Into<String>) -> Block {
        Block::Paragraph(vec![Span::Text(s.into())])
    }
    pub fn heading(level: u8, s: impl Into<String>) -> Block {
        Block::Heading {
            level,
            text: s.into(),
        }
    }
}

/// What frames every page of a document: the letterhead at the top, a
/// footer line beside the page numbers ("Seite 2 von 5") at the bottom.
/// Pages always carry their numbers; the rest is optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub letterhead: Option<Letterhead>,
    /// e.g. the report's title.
    pub footer: Option<String>,
}

/// Who writes: the office's name and logo.
#[derive(Debug, Clone, PartialEq)]
pub struct Letterhead {
    pub name: String,
    pub logo: Option<Image>,
}

/// A raster picture (PNG, JPEG or GIF; what else the writers cannot embed
/// is left out).
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub bytes: Vec<u8>,
    /// e.g. "image/png"
    pub mime: String,
}

impl Image {
    /// Width and height in pixels, from the picture's header.
    pub fn size(&self) -> Option<(u32, u32)> {
        let s = imagesize::blob_size(&self.bytes).ok()?;
        Some((u32::try_from(s.width).ok()?, u32::try_from(s.height).ok()?))
    }
    /// The file extension, for the formats the writers embed.
    pub fn extension(&self) -> Option<&'static str> {
        match self.mime.as_str() {
            "image/png" => Some("png"),
            "image/jpeg" => Some("jpeg"),
            "image/gif" => Some("gif"),
            _ => None,
        }
    }
}

/// "Seite" and "von" in the document's language (German or English).
pub fn page_words(lang: &str) -> (&'static str, &'static str) {
    if lang.starts_with("de") {
        ("Seite", "von")
    } else {
        ("Page", "of")
    }
}

/// The width and height of an SVG from its `viewBox` (else `width` and
/// `height`), for the proportions of a picture.
pub fn svg_size(svg: &str) -> Option<(f32, f32)> {
    let open = &svg[svg.find("<svg")?..];
    let open = &open[..open.find('>')?];
    let attr = |name: &str| {
        let at = open.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = open[at..].find('"')?;
        Some(&open[at..at + end])
    };
    if let Some(vb) = attr("viewBox") {
        let n: Vec<f32> = vb
            .split([' ', ','])
            .filter_map(|x| x.parse().ok())
            .collect();
        if let [_, _, w, h] = n[..] {
            return (w > 0.0 && h > 0.0).then_some((w, h));
        }
    }
    let w: f32 = attr("width")?.trim_end_matches("px").parse().ok()?;
    let h: f32 = attr("height")?.trim_end_matches("px").parse().ok()?;
    (w > 0.0 && h > 0.0).then_some((w, h))
}

/// Escapes text for XML content and attributes.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters other than tab and newline are not XML.
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------- Markdown

fn md_inline(s: &str) -> String {
    // Text typed by staff is shown as typed; only what would turn a line
    // into a heading, list or table is escaped.
    s.replace('|', "\\|")
}

/// The document as CommonMark (with GFM tables).
pub fn markdown(doc: &Document) -> String {
    let mut out = String::new();
    for b in &doc.blocks {
        match b {
            Block::Heading { level, text } => {
                out.push_str(&"#".repeat(usize::from((*level).clamp(1, 6))));
                out.push(' ');
                out.push_str(&text.replace('\n', " "));
                out.push_str("\n\n");
            }
            Block::Paragraph(spans) => {
                for s in spans {
                    match s {
                        Span::Text(t) => out.push_str(&t.replace('\n', "  \n")),
                        Span::Strong(t) => {
                            out.push_str("**");
                            out.push_str(t.trim());
                            out.push_str("**");
                            if t.ends_with(' ') {
                                out.push(' ');
                            }
                        }
                    }
                }
                out.push_str("\n\n");
            }
            Block::List(items) => {
                for i in items {
                    out.push_str("- ");
                    out.push_str(&i.replace('\n', " "));
                    out.push('\n');
                }
                out.push('\n');
            }
            Block::Table { headers, rows, .. } => {
                let line = |cells: &[String]| {
                    let cells: Vec<String> = cells
                        .iter()
                        .map(|c| md_inline(&c.replace('\n', " ")))
                        .collect();
                    format!("| {} |\n", cells.join(" | "))
                };
                out.push_str(&line(headers));
                out.push_str(&format!("|{}\n", "---|".repeat(headers.len())));
                for r in rows {
                    out.push_str(&line(r));
                }
                out.push('\n');
            }
            // The figures are in the table beside it.
            Block::Chart { .. } => {}
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

pub(crate) fn iso_now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

// -------------------------------------------------------------------- zip

/// A ZIP package of the parts (the first one stored uncompressed where the
/// format wants it, like ODF's `mimetype`). Writing into memory fails only
/// for a bug in the zip crate; the caller reports that as an error.
pub(crate) fn package(
    parts: &[(&str, &[u8])],
    first_stored: Option<(&str, &[u8])>,
) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let mut write = |name: &str, data: &[u8], method: CompressionMethod| {
        let options = SimpleFileOptions::default().compression_method(method);
        zip.start_file(name, options)?;
        zip.write_all(data)?;
        Ok::<(), zip::result::ZipError>(())
    };
    if let Some((name, data)) = first_stored {
        write(name, data, CompressionMethod::Stored)?;
    }
    for (name, data) in parts {
        write(name, data, CompressionMethod::Deflated)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The visible text of a DOCX or ODT file (paragraphs on their own lines),
/// for tests and for the search index. Reads `word/document.xml` or
/// `content.xml`.
pub fn office_text(file: &[u8]) -> Result<String, String> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(file)).map_err(|e| format!("not a zip file: {e}"))?;
    let name = if archive.index_for_name("word/document.xml").is_some() {
        "word/document.xml"
    } else {
        "content.xml"
    };
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive
            .by_name(name)
            .map_err(|e| format!("{name} is missing: {e}"))?,
        &mut xml,
    )
    .map_err(|e| e.to_string())?;
    let mut out = String::new();
    let mut rest = xml.as_str();
    while let Some(open) = rest.find('<') {
        out.push_str(&unescape(&rest[..open]));
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        let name = tag.split([' ', '/']).next().unwrap_or("");
        if matches!(tag, "/w:p" | "/text:p" | "/text:h")
            || matches!(name, "w:br" | "text:line-break")
        {
            out.push('\n');
        } else if matches!(name, "w:tab" | "text:tab") {
            out.push('\t');
        }
        rest = &rest[open + close + 1..];
    }
    Ok(out)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Document {
        Document {
            title: "Sachbericht 2020/21".into(),
            lang: "de".into(),
            blocks: vec![
                Block::heading(1, "Sachbericht 2020/21 <KI>"),
                Block::heading(2, "Ziele"),
                Block::Paragraph(vec![
                    Span::Strong("Stand: ".into()),
                    Span::Text("0 von 6 – Straße & Grüße\nzweite Zeile".into()),
                ]),
                Block::List(vec!["Gründung des Arbeitskreises".into()]),
                Block::Table {
                    caption: "Kontakte je Monat".into(),
                    headers: vec!["Monat".into(), "stattgefunden".into()],
                    rows: vec![vec!["2020-09".into(), "3 | 4".into()]],
                },
                Block::Chart {
                    svg: "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"5\" height=\"5\"/></svg>".into(),
                    alt: "Kontakte".into(),
                    width_cm: 16.0,
                    height_cm: 5.0,
                },
            ],
        }
    }

    #[test]
    fn markdown_keeps_structure() {
        let md = markdown(&sample());
        assert!(md.starts_with("# Sachbericht 2020/21 <KI>\n\n## Ziele\n\n"));
        assert!(md.contains("**Stand:** 0 von 6 – Straße & Grüße  \nzweite Zeile\n\n"));
        assert!(md.contains("- Gründung des Arbeitskreises\n"));
        assert!(md.contains("| Monat | stattgefunden |\n|---|---|\n| 2020-09 | 3 \\| 4 |\n"));
    }

    #[test]
    fn docx_and_odt_carry_the_text() {
        for file in [docx(&sample()).unwrap(), odt(&sample()).unwrap()] {
            assert_eq!(&file[..2], b"PK");
            let text = office_text(&file).unwrap();
            assert!(text.contains("Sachbericht 2020/21 <KI>\n"), "{text}");
            assert!(text.contains("Stand: 0 von 6 – Straße & Grüße\nzweite Zeile\n"));
            assert!(text.contains("Gründung des Arbeitskreises\n"));
            assert!(text.contains("3 | 4"));
        }
        let odt = odt(&sample()).unwrap();
        // mimetype first and stored, as ODF requires.
        assert_eq!(&odt[30..38], b"mimetype");
        assert!(
            std::str::from_utf8(&odt[38..77])
                .unwrap()
                .starts_with("application/vnd.oasis.opendocument.text")
        );
        let mut archive = zip::ZipArchive::new(Cursor::new(&odt[..])).unwrap();
        assert!(archive.by_name("Pictures/chart1.svg").is_ok());
        assert!(
            office_text(b"junk")
                .unwrap_err()
                .starts_with("not a zip file")
        );
    }

    /// A 4×2 PNG.
    const PNG: [u8; 72] = [
        137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 4, 0, 0, 0, 2, 8, 2,
        0, 0, 0, 240, 202, 234, 52, 0, 0, 0, 15, 73, 68, 65, 84, 120, 156, 99, 96, 240, 110, 71,
        32, 100, 14, 0, 81, 50, 6, 145, 102, 243, 176, 100, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66,
        96, 130,
    ];

    fn part(file: &[u8], name: &str) -> Option<Vec<u8>> {
        let mut archive = zip::ZipArchive::new(Cursor::new(file)).ok()?;
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut archive.by_name(name).ok()?, &mut out).ok()?;
        Some(out)
    }

    fn framed() -> Page {
        Page {
            letterhead: Some(Letterhead {
                name: "KI Lindenau & Co".into(),
                logo: Some(Image {
                    bytes: PNG.to_vec(),
                    mime: "image/png".into(),
                }),
            }),
            footer: Some("Sachbericht 2020/21".into()),
        }
    }

    #[test]
    fn docx_carries_letterhead_footer_and_charts_as_pictures() {
        let file = docx_framed(&sample(), &framed(), &|svg, px| {
            assert!(svg.starts_with("<svg"));
            assert_eq!(px, 1260, "16 cm at 200 dpi");
            Some(PNG.to_vec())
        })
        .unwrap();
        let text = |name: &str| String::from_utf8(part(&file, name).expect(name)).unwrap();
        let header = text("word/header1.xml");
        assert!(header.contains("KI Lindenau &amp; Co"), "{header}");
        assert!(header.contains(r#"r:embed="rIdLogo""#));
        assert!(header.contains(r#"descr="Logo: KI Lindenau &amp; Co""#));
        assert!(text("word/_rels/header1.xml.rels").contains(r#"Target="media/logo.png""#));
        assert_eq!(part(&file, "word/media/logo.png").unwrap(), PNG);
        let footer = text("word/footer1.xml");
        assert!(footer.contains("Sachbericht 2020/21"));
        assert!(footer.contains("Seite "));
        assert!(footer.contains("> PAGE <") && footer.contains("> NUMPAGES <"));
        let document = text("word/document.xml");
        assert!(document.contains(r#"<w:headerReference w:type="default" r:id="rId4"/>"#));
        assert!(document.contains(r#"<w:footerReference w:type="default" r:id="rId3"/>"#));
        // The chart: 16 cm wide, as high as the picture's proportions say.
        assert!(document.contains(r#"descr="Kontakte""#));
        assert!(
            document.contains(r#"<wp:extent cx="5760000" cy="2880000"/>"#),
            "{document}"
        );
        assert!(text("word/_rels/document.xml.rels").contains("media/chart1.png"));
        assert_eq!(part(&file, "word/media/chart1.png").unwrap(), PNG);
        let types = text("[Content_Types].xml");
        assert!(types.contains("/word/header1.xml") && types.contains(r#"Extension="png""#));
        // Without a drawing: no picture, the table stands for the chart;
        // without a letterhead: no header, yet numbered pages.
        let plain = docx(&sample()).unwrap();
        assert!(part(&plain, "word/header1.xml").is_none());
        assert!(part(&plain, "word/media/chart1.png").is_none());
        assert!(
            String::from_utf8(part(&plain, "word/footer1.xml").unwrap())
                .unwrap()
                .contains("PAGE")
        );
    }

    #[test]
    fn odt_carries_letterhead_and_numbered_footer() {
        let file = odt_framed(&sample(), &framed()).unwrap();
        let styles = String::from_utf8(part(&file, "styles.xml").unwrap()).unwrap();
        assert!(
            styles
                .contains("<style:header><text:p text:style-name=\"Header\">KI Lindenau &amp; Co")
        );
        assert!(styles.contains("xlink:href=\"Pictures/logo.png\""));
        assert!(styles.contains("Sachbericht 2020/21<text:tab/>Seite <text:page-number"));
        assert!(styles.contains("<text:page-count>"));
        assert_eq!(part(&file, "Pictures/logo.png").unwrap(), PNG);
        let manifest = String::from_utf8(part(&file, "META-INF/manifest.xml").unwrap()).unwrap();
        assert!(manifest.contains("Pictures/logo.png\" manifest:media-type=\"image/png\""));
        // The chart keeps its drawing's proportions (10×10 at 16 cm).
        let content = String::from_utf8(part(&file, "content.xml").unwrap()).unwrap();
        assert!(
            content.contains("svg:width=\"16cm\" svg:height=\"16cm\""),
            "{content}"
        );
    }

    #[test]
    fn svg_sizes_come_from_the_view_box() {
        assert_eq!(
            svg_size(r#"<svg viewBox="0 0 520 92" width="520">"#),
            Some((520.0, 92.0))
        );
        assert_eq!(
            svg_size(r#"<svg width="40px" height="20">"#),
            Some((40.0, 20.0))
        );
        assert_eq!(svg_size("<p>"), None);
        assert_eq!(page_words("en"), ("Page", "of"));
    }
}
