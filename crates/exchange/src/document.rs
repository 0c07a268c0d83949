//! A small document model (headings, paragraphs with bold runs, bullet
//! lists, tables, SVG charts) and its writers: Markdown, DOCX (Office Open
//! XML) and ODT (OpenDocument). The PDF writer lives in `msohub-typeset`,
//! which reads the same model. One model, so every format says the same.
//!
//! The DOCX and ODT packages are written by hand: a few XML parts in a zip.
//! Both open in Word and LibreOffice; headings carry the office's outline
//! styles so a table of contents or the navigator works. Charts are embedded
//! as SVG in ODT; Word only reads SVG with a PNG fallback, which we do not
//! draw, so the DOCX carries the chart's figures in the table beside it
//! (the model always has one) and leaves the picture out.

use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

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

// -------------------------------------------------------------------- zip

/// A ZIP package of the parts (the first one stored uncompressed where the
/// format wants it, like ODF's `mimetype`). Writing into memory fails only
/// for a bug in the zip crate; the caller reports that as an error.
fn package(
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

// -------------------------------------------------------------------- DOCX

const DOCX_STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial" w:eastAsia="Arial"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="LANG" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:after="240"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="40"/><w:szCs w:val="40"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="200" w:after="60"/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr><w:spacing w:after="60"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:qFormat/><w:rPr><w:i/><w:sz w:val="18"/></w:rPr></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders></w:tblPr></w:style>
</w:styles>"#;

const DOCX_NUMBERING: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>"#;

fn docx_runs(out: &mut String, text: &str, bold: bool) {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:r><w:br/></w:r>");
        }
        if line.is_empty() {
            continue;
        }
        out.push_str("<w:r>");
        if bold {
            out.push_str("<w:rPr><w:b/><w:bCs/></w:rPr>");
        }
        out.push_str("<w:t xml:space=\"preserve\">");
        out.push_str(&xml_escape(line));
        out.push_str("</w:t></w:r>");
    }
}

fn docx_paragraph(out: &mut String, style: Option<&str>, spans: &[Span]) {
    out.push_str("<w:p>");
    if let Some(s) = style {
        out.push_str(&format!("<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>"));
    }
    for s in spans {
        match s {
            Span::Text(t) => docx_runs(out, t, false),
            Span::Strong(t) => docx_runs(out, t, true),
        }
    }
    out.push_str("</w:p>");
}

fn iso_now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The document as a Word file (.docx).
pub fn docx(doc: &Document) -> zip::result::ZipResult<Vec<u8>> {
    let mut body = String::new();
    for b in &doc.blocks {
        match b {
            Block::Heading { level, text } => {
                let style = match level {
                    0 | 1 => "Title",
                    2 => "Heading1",
                    3 => "Heading2",
                    _ => "Heading3",
                };
                docx_paragraph(&mut body, Some(style), &[Span::Text(text.clone())]);
            }
            Block::Paragraph(spans) => docx_paragraph(&mut body, None, spans),
            Block::List(items) => {
                for i in items {
                    docx_paragraph(&mut body, Some("ListBullet"), &[Span::Text(i.clone())]);
                }
            }
            Block::Table {
                caption,
                headers,
                rows,
            } => {
                if !caption.is_empty() {
                    docx_paragraph(&mut body, Some("Caption"), &[Span::Text(caption.clone())]);
                }
                body.push_str("<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblLook w:val=\"04A0\" w:firstRow=\"1\"/></w:tblPr><w:tblGrid>");
                for _ in headers {
                    body.push_str("<w:gridCol/>");
                }
                body.push_str("</w:tblGrid>");
                let row = |body: &mut String, cells: &[String], header: bool| {
                    body.push_str("<w:tr>");
                    if header {
                        body.push_str("<w:trPr><w:tblHeader/></w:trPr>");
                    }
                    for c in cells {
                        body.push_str("<w:tc><w:p>");
                        docx_runs(body, c, header);
                        body.push_str("</w:p></w:tc>");
                    }
                    body.push_str("</w:tr>");
                };
                row(&mut body, headers, true);
                for r in rows {
                    row(&mut body, r, false);
                }
                body.push_str("</w:tbl><w:p/>");
            }
            Block::Chart { .. } => {}
        }
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" w:right="1417" w:bottom="1134" w:left="1417" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    );
    let core = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:language>{}</dc:language><dc:creator>msohub</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{}</dcterms:created></cp:coreProperties>"#,
        xml_escape(&doc.title),
        xml_escape(&doc.lang),
        iso_now()
    );
    let lang = match doc.lang.as_str() {
        "de" => "de-DE",
        "en" => "en-GB",
        other => other,
    };
    let styles = DOCX_STYLES.replace("LANG", &xml_escape(lang));
    package(
        &[
            ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#),
            ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#),
            ("word/_rels/document.xml.rels", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>"#),
            ("word/document.xml", document.as_bytes()),
            ("word/styles.xml", styles.as_bytes()),
            ("word/numbering.xml", DOCX_NUMBERING.as_bytes()),
            ("docProps/core.xml", core.as_bytes()),
        ],
        None,
    )
}

// --------------------------------------------------------------------- ODT

const ODT_STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3">
<office:styles>
<style:default-style style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.25cm"/><style:text-properties fo:font-family="'Liberation Sans', Arial, sans-serif" fo:font-size="11pt" fo:language="LANG" fo:country="COUNTRY"/></style:default-style>
<style:style style:name="Standard" style:family="paragraph" style:class="text"/>
<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard" style:class="text"><style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.25cm" fo:line-height="115%"/></style:style>
<style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Text_20_body" style:class="text"><style:paragraph-properties fo:margin-top="0.42cm" fo:margin-bottom="0.21cm" fo:keep-with-next="always"/><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Heading" style:class="chapter"><style:text-properties fo:font-size="20pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="1" style:class="text"><style:text-properties fo:font-size="16pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="2" style:class="text"><style:text-properties fo:font-size="13pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Heading_20_3" style:display-name="Heading 3" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="3" style:class="text"><style:text-properties fo:font-size="11pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Caption" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"><style:text-properties fo:font-size="9pt" fo:font-style="italic"/></style:style>
<style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"><style:paragraph-properties fo:margin-bottom="0cm"/></style:style>
<style:style style:name="Strong_20_Emphasis" style:display-name="Strong Emphasis" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
<text:list-style style:name="Bullets"><text:list-level-style-bullet text:level="1" text:bullet-char="•"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="0.635cm" fo:text-indent="-0.635cm" fo:margin-left="0.635cm"/></style:list-level-properties></text:list-level-style-bullet></text:list-style>
</office:styles>
<office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>
</office:document-styles>"#;

fn odt_text(out: &mut String, text: &str) {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<text:line-break/>");
        }
        out.push_str(&xml_escape(line));
    }
}

fn odt_spans(out: &mut String, spans: &[Span]) {
    for s in spans {
        match s {
            Span::Text(t) => odt_text(out, t),
            Span::Strong(t) => {
                out.push_str("<text:span text:style-name=\"Strong_20_Emphasis\">");
                odt_text(out, t);
                out.push_str("</text:span>");
            }
        }
    }
}

/// The document as an OpenDocument text file (.odt).
pub fn odt(doc: &Document) -> zip::result::ZipResult<Vec<u8>> {
    let mut body = String::new();
    let mut pictures: Vec<(String, Vec<u8>)> = Vec::new();
    let mut tables = 0;
    for b in &doc.blocks {
        match b {
            Block::Heading { level, text } => {
                if *level <= 1 {
                    body.push_str("<text:p text:style-name=\"Title\">");
                    odt_text(&mut body, text);
                    body.push_str("</text:p>");
                } else {
                    let l = (level - 1).min(3);
                    body.push_str(&format!(
                        "<text:h text:style-name=\"Heading_20_{l}\" text:outline-level=\"{l}\">"
                    ));
                    odt_text(&mut body, text);
                    body.push_str("</text:h>");
                }
            }
            Block::Paragraph(spans) => {
                body.push_str("<text:p text:style-name=\"Text_20_body\">");
                odt_spans(&mut body, spans);
                body.push_str("</text:p>");
            }
            Block::List(items) => {
                body.push_str("<text:list text:style-name=\"Bullets\">");
                for i in items {
                    body.push_str("<text:list-item><text:p text:style-name=\"Text_20_body\">");
                    odt_text(&mut body, i);
                    body.push_str("</text:p></text:list-item>");
                }
                body.push_str("</text:list>");
            }
            Block::Table {
                caption,
                headers,
                rows,
            } => {
                tables += 1;
                if !caption.is_empty() {
                    body.push_str("<text:p text:style-name=\"Caption\">");
                    odt_text(&mut body, caption);
                    body.push_str("</text:p>");
                }
                body.push_str(&format!(
                    "<table:table table:name=\"Tabelle{tables}\" table:style-name=\"Tbl\"><table:table-column table:number-columns-repeated=\"{}\"/>",
                    headers.len().max(1)
                ));
                let row = |body: &mut String, cells: &[String], header: bool| {
                    body.push_str("<table:table-row>");
                    for c in cells {
                        body.push_str("<table:table-cell table:style-name=\"Cell\" office:value-type=\"string\"><text:p text:style-name=\"Table_20_Contents\">");
                        if header {
                            body.push_str("<text:span text:style-name=\"Strong_20_Emphasis\">");
                        }
                        odt_text(body, c);
                        if header {
                            body.push_str("</text:span>");
                        }
                        body.push_str("</text:p></table:table-cell>");
                    }
                    body.push_str("</table:table-row>");
                };
                body.push_str("<table:table-header-rows>");
                row(&mut body, headers, true);
                body.push_str("</table:table-header-rows>");
                for r in rows {
                    row(&mut body, r, false);
                }
                body.push_str("</table:table>");
            }
            Block::Chart {
                svg,
                alt,
                width_cm,
                height_cm,
            } => {
                let name = format!("Pictures/chart{}.svg", pictures.len() + 1);
                body.push_str(&format!(
                    "<text:p text:style-name=\"Text_20_body\"><draw:frame draw:name=\"chart{n}\" text:anchor-type=\"as-char\" svg:width=\"{width_cm}cm\" svg:height=\"{height_cm}cm\"><draw:image xlink:href=\"{name}\" xlink:type=\"simple\" xlink:show=\"embed\" xlink:actuate=\"onLoad\" draw:mime-type=\"image/svg+xml\"/><svg:title>{alt}</svg:title><svg:desc>{alt}</svg:desc></draw:frame></text:p>",
                    n = pictures.len() + 1,
                    alt = xml_escape(alt),
                ));
                pictures.push((name, svg.as_bytes().to_vec()));
            }
        }
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.3"><office:automatic-styles><style:style style:name="Tbl" style:family="table"><style:table-properties style:width="16cm" table:align="margins" fo:margin-bottom="0.3cm"/></style:style><style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #000000"/></style:style></office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
    );
    let meta = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:meta><dc:title>{}</dc:title><dc:language>{}</dc:language><meta:generator>msohub</meta:generator><meta:creation-date>{}</meta:creation-date></office:meta></office:document-meta>"#,
        xml_escape(&doc.title),
        xml_escape(&doc.lang),
        iso_now()
    );
    let (language, country) = match doc.lang.as_str() {
        "de" => ("de", "DE"),
        "en" => ("en", "GB"),
        other => (other, "none"),
    };
    let styles = ODT_STYLES
        .replace("LANG", &xml_escape(language))
        .replace("COUNTRY", country);
    let mut manifest = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>"#,
    );
    for (name, _) in &pictures {
        manifest.push_str(&format!(
            "<manifest:file-entry manifest:full-path=\"{name}\" manifest:media-type=\"image/svg+xml\"/>"
        ));
    }
    manifest.push_str("</manifest:manifest>");
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("META-INF/manifest.xml", manifest.as_bytes()),
        ("content.xml", content.as_bytes()),
        ("styles.xml", styles.as_bytes()),
        ("meta.xml", meta.as_bytes()),
    ];
    for (name, data) in &pictures {
        parts.push((name, data));
    }
    // The mimetype comes first and uncompressed, so tools can sniff it.
    package(
        &parts,
        Some(("mimetype", b"application/vnd.oasis.opendocument.text")),
    )
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
}
