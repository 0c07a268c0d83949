//! Framed documents: the letterhead and the numbered footer in the PDF, and
//! the charts drawn as PNG for Word with the PDF's fonts.

use msohub_exchange::document::{Block, Document, Image, Letterhead, Page, docx_framed};
use msohub_typeset::{framed_pdf, image_size, pdf_text, svg_png};
use std::io::{Cursor, Read};

const CHART: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 100" width="400" height="100" font-family="DejaVu Sans, Arial, sans-serif" font-size="9"><rect x="10" y="40" width="200" height="20" fill="#004b87"/><text x="10" y="30">Arbeitskreis MSO</text></svg>"##;

fn page(logo: Option<Image>) -> Page {
    Page {
        letterhead: Some(Letterhead {
            name: "Kommunales Integrationszentrum Lindenau".into(),
            logo,
        }),
        footer: Some("Sachbericht 2020/21".into()),
    }
}

fn document(paragraphs: usize) -> Document {
    let mut blocks = vec![Block::heading(1, "Sachbericht 2020/21")];
    for i in 0..paragraphs {
        blocks.push(Block::text(format!(
            "Absatz {i}: Das KI begleitete die Organisationen im Berichtszeitraum."
        )));
    }
    blocks.push(Block::Chart {
        svg: CHART.into(),
        alt: "Sitzungen je Gremium".into(),
        width_cm: 16.0,
        height_cm: 4.0,
    });
    Document {
        title: "Sachbericht 2020/21".into(),
        lang: "de".into(),
        blocks,
    }
}

fn logo() -> Image {
    Image {
        bytes: svg_png(CHART, 200).unwrap_or_default(),
        mime: "image/png".into(),
    }
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_pdf_is_headed_by_the_office_and_numbers_its_pages() {
    let pdf = framed_pdf(&document(120), &page(Some(logo()))).expect("typeset");
    let text = flat(&pdf_text(&pdf).expect("text"));
    assert!(
        text.contains("Kommunales Integrationszentrum Lindenau"),
        "{text}"
    );
    assert!(text.contains("Seite 1 von"), "{text}");
    assert!(text.contains("Seite 2 von"), "several pages: {text}");
    assert!(text.contains("Sachbericht 2020/21"));
    // English words in an English document; no letterhead, yet numbers.
    let mut en = document(2);
    en.lang = "en".into();
    let pdf = framed_pdf(&en, &Page::default()).expect("typeset");
    let text = flat(&pdf_text(&pdf).expect("text"));
    assert!(text.contains("Page 1 of 1"), "{text}");
}

fn part(file: &[u8], name: &str) -> Option<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(file)).ok()?;
    let mut out = Vec::new();
    archive.by_name(name).ok()?.read_to_end(&mut out).ok()?;
    Some(out)
}

#[test]
fn the_docx_carries_the_chart_as_a_png_drawn_from_the_svg() {
    let file = docx_framed(&document(1), &page(Some(logo())), &|svg, px| {
        svg_png(svg, px).ok()
    })
    .expect("packaged");
    let png = part(&file, "word/media/chart1.png").expect("the chart's picture");
    // 16 cm at 200 dpi, as high as the SVG's proportions (4:1).
    assert_eq!(image_size(&png), Some((1260, 315)));
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png).expect("decodes");
    assert_eq!((pixmap.width(), pixmap.height()), (1260, 315));
    let document = String::from_utf8(part(&file, "word/document.xml").unwrap()).unwrap();
    assert!(document.contains(r#"descr="Sitzungen je Gremium""#));
    let header = String::from_utf8(part(&file, "word/header1.xml").unwrap()).unwrap();
    assert!(header.contains("Kommunales Integrationszentrum Lindenau"));
    assert!(header.contains("<a:blip r:embed=\"rIdLogo\"/>"));
    assert!(part(&file, "word/media/logo.png").is_some());
    let footer = String::from_utf8(part(&file, "word/footer1.xml").unwrap()).unwrap();
    assert!(footer.contains(" PAGE ") && footer.contains("Sachbericht 2020/21"));
}
