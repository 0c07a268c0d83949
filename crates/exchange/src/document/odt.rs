//! The ODT writer: the body with its charts as SVG, the letterhead as the
//! master page's header and the footer with page number and count.

use super::{Block, Document, Page, Span, iso_now, package, page_words, svg_size, xml_escape};

const ODT_STYLES: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.3">
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
<style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"><style:paragraph-properties fo:margin-bottom="0cm" fo:border-bottom="0.5pt solid #8c8c8c" fo:padding-bottom="0.1cm"><style:tab-stops><style:tab-stop style:position="16cm" style:type="right"/></style:tab-stops></style:paragraph-properties><style:text-properties fo:font-size="10pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"><style:paragraph-properties fo:margin-bottom="0cm"><style:tab-stops><style:tab-stop style:position="16cm" style:type="right"/></style:tab-stops></style:paragraph-properties><style:text-properties fo:font-size="8pt" fo:color="#505050"/></style:style>
<style:style style:name="Strong_20_Emphasis" style:display-name="Strong Emphasis" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
<text:list-style style:name="Bullets"><text:list-level-style-bullet text:level="1" text:bullet-char="•"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="0.635cm" fo:text-indent="-0.635cm" fo:margin-left="0.635cm"/></style:list-level-properties></text:list-level-style-bullet></text:list-style>
</office:styles>
<office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1cm" fo:margin-bottom="1cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/><style:header-style><style:header-footer-properties fo:min-height="1cm" fo:margin-bottom="0.6cm"/></style:header-style><style:footer-style><style:header-footer-properties fo:min-height="0.5cm" fo:margin-top="0.6cm"/></style:footer-style></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">MASTER</style:master-page></office:master-styles>
</office:document-styles>"##;

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

/// The master page's header (the letterhead: name, logo 1.5 cm high on the
/// right) and footer (text, "Seite 2 von 5" on the right); the logo's part.
/// A picture part: its name, bytes and media type.
type Part = (String, Vec<u8>, &'static str);

fn master(doc: &Document, page: &Page) -> (String, Option<Part>) {
    let mut out = String::new();
    let mut logo_part = None;
    if let Some(l) = &page.letterhead {
        out.push_str("<style:header><text:p text:style-name=\"Header\">");
        odt_text(&mut out, &l.name);
        let logo = l
            .logo
            .as_ref()
            .and_then(|i| Some((i, i.extension()?, i.size()?)));
        if let Some((image, ext, (w, h))) = logo {
            let scale = (1.5 / h as f32).min(6.0 / w as f32);
            let name = format!("Pictures/logo.{ext}");
            out.push_str(&format!(
                "<text:tab/><draw:frame draw:name=\"Logo\" text:anchor-type=\"as-char\" svg:width=\"{:.2}cm\" svg:height=\"{:.2}cm\"><draw:image xlink:href=\"{name}\" xlink:type=\"simple\" xlink:show=\"embed\" xlink:actuate=\"onLoad\"/><svg:title>{alt}</svg:title></draw:frame>",
                w as f32 * scale,
                h as f32 * scale,
                alt = xml_escape(&format!("Logo: {}", l.name)),
            ));
            let mime = match ext {
                "png" => "image/png",
                "gif" => "image/gif",
                _ => "image/jpeg",
            };
            logo_part = Some((name, image.bytes.clone(), mime));
        }
        out.push_str("</text:p></style:header>");
    }
    let (p, of) = page_words(&doc.lang);
    out.push_str("<style:footer><text:p text:style-name=\"Footer\">");
    odt_text(&mut out, page.footer.as_deref().unwrap_or(""));
    out.push_str(&format!(
        "<text:tab/>{p} <text:page-number text:select-page=\"current\">1</text:page-number> {of} <text:page-count>1</text:page-count></text:p></style:footer>"
    ));
    (out, logo_part)
}

/// The document as an OpenDocument text file (.odt), its pages numbered.
pub fn odt(doc: &Document) -> zip::result::ZipResult<Vec<u8>> {
    odt_framed(doc, &Page::default())
}

/// The document as an OpenDocument text file (.odt) with its pages framed
/// (letterhead, footer with page numbers).
pub fn odt_framed(doc: &Document, page: &Page) -> zip::result::ZipResult<Vec<u8>> {
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
                // The drawing's own proportions, whatever height was asked.
                let height_cm = svg_size(svg).map_or(*height_cm, |(w, h)| width_cm * h / w);
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
    let (master, logo) = master(doc, page);
    let styles = ODT_STYLES
        .replace("LANG", &xml_escape(language))
        .replace("COUNTRY", country)
        .replace("MASTER", &master);
    let mut manifest = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>"#,
    );
    for (name, _) in &pictures {
        manifest.push_str(&format!(
            "<manifest:file-entry manifest:full-path=\"{name}\" manifest:media-type=\"image/svg+xml\"/>"
        ));
    }
    if let Some((name, _, mime)) = &logo {
        manifest.push_str(&format!(
            "<manifest:file-entry manifest:full-path=\"{name}\" manifest:media-type=\"{mime}\"/>"
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
    if let Some((name, data, _)) = &logo {
        parts.push((name, data));
    }
    // The mimetype comes first and uncompressed, so tools can sniff it.
    package(
        &parts,
        Some(("mimetype", b"application/vnd.oasis.opendocument.text")),
    )
}
