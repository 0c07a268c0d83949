//! The DOCX writer: the body, its pictures (charts drawn by the caller as
//! PNG), the letterhead as the page header and the footer with the page
//! numbers as Word fields.

use super::{Block, Document, Page, Span, iso_now, package, page_words, svg_size, xml_escape};

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
<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:pPr><w:tabs><w:tab w:val="right" w:pos="9072"/></w:tabs><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:tabs><w:tab w:val="right" w:pos="9072"/></w:tabs><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:color w:val="505050"/><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Figure"><w:name w:val="Figure"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:jc w:val="center"/><w:spacing w:before="120" w:after="120"/></w:pPr></w:style>
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

/// Draws a chart's SVG as PNG of the given width in pixels (`None`: not
/// drawn; the chart's table stands for it).
pub type ChartPng<'a> = &'a dyn Fn(&str, u32) -> Option<Vec<u8>>;

/// The namespaces of the body, header and footer parts.
const NAMESPACES: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#;

/// EMU (the drawing unit) per centimetre.
const EMU_PER_CM: f32 = 360_000.0;

/// Charts are drawn at this resolution (dots per inch) for print.
const CHART_DPI: f32 = 200.0;

/// An inline picture: `rid` its relationship, `id` unique in the document,
/// `descr` its text alternative (read by screen readers, shown as "Alt
/// text" in Word).
fn picture(rid: &str, id: usize, name: &str, descr: &str, cx: u64, cy: u64) -> String {
    let (name, descr) = (xml_escape(name), xml_escape(descr));
    format!(
        r#"<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{id}" name="{name}" descr="{descr}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="{id}" name="{name}" descr="{descr}"/><pic:cNvPicPr><a:picLocks noChangeAspect="1" noChangeArrowheads="1"/></pic:cNvPicPr></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr bwMode="auto"><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#
    )
}

fn relationship(id: &str, kind: &str, target: &str) -> String {
    format!(
        r#"<Relationship Id="{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{target}"/>"#
    )
}

fn relationships(items: &[String]) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{}</Relationships>"#,
        items.concat()
    )
}

/// A Word field (PAGE, NUMPAGES) with its last known value.
fn field(out: &mut String, instruction: &str) {
    out.push_str(&format!(
        r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#
    ));
}

/// The letterhead: the office's name on the left, its logo (1.5 cm high)
/// on the right, a line below.
fn header(name: &str, logo: Option<(&str, (u32, u32))>) -> String {
    let mut p = String::from(
        r#"<w:p><w:pPr><w:pStyle w:val="Header"/><w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="8C8C8C"/></w:pBdr></w:pPr><w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space="preserve">"#,
    );
    p.push_str(&xml_escape(name));
    p.push_str("</w:t></w:r>");
    if let Some((rid, (w, h))) = logo {
        // 1.5 cm high, at most 6 cm wide.
        let scale = (1.5 / h as f32).min(6.0 / w as f32);
        let (cx, cy) = (
            (w as f32 * scale * EMU_PER_CM) as u64,
            (h as f32 * scale * EMU_PER_CM) as u64,
        );
        p.push_str("<w:r><w:tab/></w:r>");
        p.push_str(&picture(
            rid,
            1000,
            "Logo",
            &format!("Logo: {name}"),
            cx,
            cy,
        ));
    }
    p.push_str("</w:p>");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr {NAMESPACES}>{p}</w:hdr>"#
    )
}

/// The footer: the text on the left, "Seite 2 von 5" on the right.
fn footer(text: &str, lang: &str) -> String {
    let (page, of) = page_words(lang);
    let mut p = String::from(r#"<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>"#);
    docx_runs(&mut p, text, false);
    p.push_str(&format!(
        r#"<w:r><w:tab/></w:r><w:r><w:t xml:space="preserve">{page} </w:t></w:r>"#
    ));
    field(&mut p, "PAGE");
    p.push_str(&format!(
        r#"<w:r><w:t xml:space="preserve"> {of} </w:t></w:r>"#
    ));
    field(&mut p, "NUMPAGES");
    p.push_str("</w:p>");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr {NAMESPACES}>{p}</w:ftr>"#
    )
}

/// The document as a Word file (.docx), without letterhead or pictures.
pub fn docx(doc: &Document) -> zip::result::ZipResult<Vec<u8>> {
    docx_framed(doc, &Page::default(), &|_, _| None)
}

/// The document as a Word file (.docx) with its pages framed (letterhead,
/// footer with page numbers) and its charts drawn by `chart_png`.
pub fn docx_framed(
    doc: &Document,
    page: &Page,
    chart_png: ChartPng<'_>,
) -> zip::result::ZipResult<Vec<u8>> {
    let mut body = String::new();
    // Pictures: (part name, bytes).
    let mut media: Vec<(String, Vec<u8>)> = Vec::new();
    let mut rels = vec![
        relationship("rId1", "styles", "styles.xml"),
        relationship("rId2", "numbering", "numbering.xml"),
        relationship("rId3", "footer", "footer1.xml"),
    ];
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
            Block::Chart {
                svg, alt, width_cm, ..
            } => {
                // The text width is 16 cm; the height follows the drawing.
                let width_cm = width_cm.clamp(1.0, 16.0);
                let px = (width_cm / 2.54 * CHART_DPI).round() as u32;
                let Some(png) = chart_png(svg, px) else {
                    continue;
                };
                let Some((w, h)) = imagesize::blob_size(&png)
                    .ok()
                    .map(|s| (s.width as f32, s.height as f32))
                    .filter(|s| s.0 > 0.0 && s.1 > 0.0)
                    .or_else(|| svg_size(svg))
                else {
                    continue;
                };
                let n = media.len() + 1;
                let rid = format!("rIdMedia{n}");
                let name = format!("chart{n}.png");
                let cx = (width_cm * EMU_PER_CM) as u64;
                let cy = (width_cm * h / w * EMU_PER_CM) as u64;
                body.push_str(r#"<w:p><w:pPr><w:pStyle w:val="Figure"/></w:pPr>"#);
                body.push_str(&picture(&rid, n, &name, alt, cx, cy));
                body.push_str("</w:p>");
                rels.push(relationship(&rid, "image", &format!("media/{name}")));
                media.push((format!("word/media/{name}"), png));
            }
        }
    }
    let letterhead = page.letterhead.as_ref();
    let mut header_part = None;
    if let Some(l) = letterhead {
        let logo = l
            .logo
            .as_ref()
            .and_then(|i| Some((i, i.extension()?, i.size()?)));
        let mut header_rels = Vec::new();
        let logo_ref = logo.map(|(image, ext, size)| {
            let name = format!("logo.{ext}");
            header_rels.push(relationship("rIdLogo", "image", &format!("media/{name}")));
            media.push((format!("word/media/{name}"), image.bytes.clone()));
            ("rIdLogo", size)
        });
        header_part = Some((header(&l.name, logo_ref), relationships(&header_rels)));
        rels.push(relationship("rId4", "header", "header1.xml"));
    }
    let footer_part = footer(page.footer.as_deref().unwrap_or(""), &doc.lang);
    // With a letterhead the text starts lower (3.5 cm), the header 1 cm from
    // the top.
    let (top, header_at) = if letterhead.is_some() {
        (1984, 567)
    } else {
        (1417, 708)
    };
    let header_ref = if letterhead.is_some() {
        r#"<w:headerReference w:type="default" r:id="rId4"/>"#
    } else {
        ""
    };
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {NAMESPACES}><w:body>{body}<w:sectPr>{header_ref}<w:footerReference w:type="default" r:id="rId3"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="{top}" w:right="1417" w:bottom="1134" w:left="1417" w:header="{header_at}" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>"#
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
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Default Extension="jpeg" ContentType="image/jpeg"/><Default Extension="gif" ContentType="image/gif"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>"#,
    );
    if header_part.is_some() {
        types.push_str(r#"<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>"#);
    }
    types.push_str(r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#);
    let document_rels = relationships(&rels);
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#),
        ("word/_rels/document.xml.rels", document_rels.as_bytes()),
        ("word/document.xml", document.as_bytes()),
        ("word/styles.xml", styles.as_bytes()),
        ("word/numbering.xml", DOCX_NUMBERING.as_bytes()),
        ("word/footer1.xml", footer_part.as_bytes()),
        ("docProps/core.xml", core.as_bytes()),
    ];
    if let Some((header, rels)) = &header_part {
        parts.push(("word/header1.xml", header.as_bytes()));
        parts.push(("word/_rels/header1.xml.rels", rels.as_bytes()));
    }
    for (name, data) in &media {
        parts.push((name, data));
    }
    package(&parts, None)
}
