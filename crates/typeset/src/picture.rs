//! Pictures outside the PDF: SVG (the report's charts) as PNG for Word,
//! drawn with resvg and the same embedded DejaVu Sans as the PDF; raster
//! images (a logo in WebP) as PNG; and the measures a chart's layout and
//! its tests need (a text's width, where each text of an SVG lies).

use std::sync::{Arc, LazyLock};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, Node, Tree, fontdb};

use crate::world::FONT_DATA;
use crate::{Error, FONT_FAMILY};

/// The embedded fonts for usvg, loaded once; every generic family is
/// DejaVu Sans, so no text falls back to nothing.
static FONT_DB: LazyLock<Arc<fontdb::Database>> = LazyLock::new(|| {
    let mut db = fontdb::Database::new();
    for data in FONT_DATA {
        db.load_font_data(data.to_vec());
    }
    db.set_sans_serif_family(FONT_FAMILY);
    db.set_serif_family(FONT_FAMILY);
    db.set_monospace_family(FONT_FAMILY);
    db.set_cursive_family(FONT_FAMILY);
    db.set_fantasy_family(FONT_FAMILY);
    Arc::new(db)
});

/// The regular face, for measuring text.
static REGULAR: LazyLock<Option<ttf_parser::Face<'static>>> =
    LazyLock::new(|| ttf_parser::Face::parse(FONT_DATA[0], 0).ok());

fn options() -> usvg::Options<'static> {
    usvg::Options {
        font_family: FONT_FAMILY.to_owned(),
        fontdb: Arc::clone(&FONT_DB),
        ..usvg::Options::default()
    }
}

fn parse(svg: &str) -> Result<Tree, Error> {
    Tree::from_str(svg, &options()).map_err(|e| Error::Picture(e.to_string()))
}

/// The largest picture drawn (pixels per side), so a wrong size cannot
/// take the memory.
const MAX_SIDE: u32 = 6_000;

/// An SVG drawn as PNG, `width_px` wide (the height follows the SVG's
/// proportions), on white: Word shows a transparent picture on its page
/// colour, which need not be white.
pub fn svg_png(svg: &str, width_px: u32) -> Result<Vec<u8>, Error> {
    let tree = parse(svg)?;
    let size = tree.size();
    let width = width_px.clamp(1, MAX_SIDE);
    let scale = width as f32 / size.width();
    let height = ((size.height() * scale).ceil() as u32).clamp(1, MAX_SIDE);
    let mut pixmap = Pixmap::new(width, height)
        .ok_or_else(|| Error::Picture(format!("no {width}×{height} picture")))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| Error::Picture(e.to_string()))
}

/// A picture's width and height in pixels (PNG, JPEG, GIF, WebP, …), read
/// from its header.
pub fn image_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let size = imagesize::blob_size(bytes).ok()?;
    Some((
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    ))
}

/// A raster picture (e.g. a logo in WebP, which Word may not show) as PNG
/// of its own size.
pub fn image_png(bytes: &[u8], mime: &str) -> Result<Vec<u8>, Error> {
    use std::fmt::Write as _;
    let (w, h) = image_size(bytes).ok_or_else(|| Error::Picture("not a picture".into()))?;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{w}" height="{h}" viewBox="0 0 {w} {h}"><image width="{w}" height="{h}" xlink:href="data:{mime};base64,"#
    );
    base64(bytes, &mut svg);
    let _ = write!(svg, r#""/></svg>"#);
    let tree = parse(&svg)?;
    let (w, h) = (w.clamp(1, MAX_SIDE), h.clamp(1, MAX_SIDE));
    let mut pixmap =
        Pixmap::new(w, h).ok_or_else(|| Error::Picture(format!("no {w}×{h} picture")))?;
    resvg::render(&tree, Transform::default(), &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|e| Error::Picture(e.to_string()))
}

fn base64(bytes: &[u8], out: &mut String) {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
}

/// How wide a text is in DejaVu Sans at `size` (pixels or points: the unit
/// of the size), from the glyphs' advances (without kerning, which only
/// narrows).
pub fn text_width(text: &str, size: f32) -> f32 {
    let Some(face) = REGULAR.as_ref() else {
        // The embedded font always parses; a wide guess otherwise.
        return text.chars().count() as f32 * size * 0.65;
    };
    let units = f32::from(face.units_per_em());
    let advance: f32 = text
        .chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(units * 0.6, f32::from)
        })
        .sum();
    advance * size / units
}

/// Where a text of an SVG lies once laid out with the embedded fonts.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    pub text: String,
    pub left: f32,
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
}

/// An SVG's size (its `width` and `height`) and the box of each of its
/// texts in the same units: a test finds labels that would be cut.
pub fn svg_text_boxes(svg: &str) -> Result<((f32, f32), Vec<TextBox>), Error> {
    fn walk(group: &usvg::Group, out: &mut Vec<TextBox>) {
        for node in group.children() {
            match node {
                Node::Group(g) => walk(g, out),
                Node::Text(t) => {
                    let b = t.abs_bounding_box();
                    out.push(TextBox {
                        text: t.chunks().iter().map(|c| c.text()).collect(),
                        left: b.left(),
                        top: b.top(),
                        right: b.right(),
                        bottom: b.bottom(),
                    });
                }
                _ => {}
            }
        }
    }
    let tree = parse(svg)?;
    let mut boxes = Vec::new();
    walk(tree.root(), &mut boxes);
    Ok(((tree.size().width(), tree.size().height()), boxes))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHART: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 50" width="200" height="50" font-family="DejaVu Sans, Arial, sans-serif" font-size="9"><rect x="10" y="20" width="80" height="20" fill="#004b87"/><text x="10" y="13">Begegnungsstätte Größe</text></svg>"##;

    #[test]
    fn a_chart_becomes_a_png_with_its_text_drawn() {
        let png = svg_png(CHART, 800).expect("drawn");
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(image_size(&png), Some((800, 200)));
        // The text is drawn: the picture holds dark pixels above the bar.
        let pixmap = Pixmap::decode_png(&png).expect("decodes");
        let dark_text = (0..200u32 * 4 / 5)
            .flat_map(|x| (8..52).map(move |y| (x, y)))
            .filter(|&(x, y)| {
                pixmap
                    .pixel(x + 40, y)
                    .is_some_and(|p| p.red() < 100 && p.blue() < 100)
            })
            .count();
        assert!(dark_text > 200, "no text drawn ({dark_text} dark pixels)");
    }

    #[test]
    fn text_is_measured_and_located() {
        let w = text_width("Begegnungsstätte Größe", 9.0);
        assert!((100.0..140.0).contains(&w), "{w}");
        let ((width, height), boxes) = svg_text_boxes(CHART).expect("parsed");
        assert_eq!((width, height), (200.0, 50.0));
        assert_eq!(boxes.len(), 1);
        assert_eq!(boxes[0].text, "Begegnungsstätte Größe");
        assert!((boxes[0].left - 10.0).abs() < 1.0, "{:?}", boxes[0]);
        assert!(
            (boxes[0].right - 10.0 - w).abs() < 3.0,
            "{:?} vs {w}",
            boxes[0]
        );
    }

    #[test]
    fn a_raster_logo_becomes_png() {
        let png = svg_png(CHART, 100).expect("drawn");
        let again = image_png(&png, "image/png").expect("converted");
        assert_eq!(image_size(&again), Some((100, 25)));
        assert!(image_png(b"junk", "image/png").is_err());
        let mut s = String::new();
        base64(b"Man", &mut s);
        base64(b"Ma", &mut s);
        assert_eq!(s, "TWFuTWE=");
    }
}
