//! Uploaded files: what a file really is is read from its first bytes, never
//! from its name or the type the browser claims.

use crate::Error;

/// Image formats accepted for logos. No SVG: it can carry scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageType {
    Png,
    Jpeg,
    Webp,
    Gif,
}

impl ImageType {
    pub fn mime(self) -> &'static str {
        match self {
            ImageType::Png => "image/png",
            ImageType::Jpeg => "image/jpeg",
            ImageType::Webp => "image/webp",
            ImageType::Gif => "image/gif",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ImageType::Png => "png",
            ImageType::Jpeg => "jpg",
            ImageType::Webp => "webp",
            ImageType::Gif => "gif",
        }
    }
}

/// The image type the bytes begin with, if any.
pub fn sniff_image(bytes: &[u8]) -> Option<ImageType> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageType::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageType::Jpeg)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(ImageType::Webp)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(ImageType::Gif)
    } else {
        None
    }
}

/// The largest logo accepted: 1 MiB is plenty for a logo on a web page.
pub const MAX_LOGO_BYTES: usize = 1024 * 1024;

/// Checks an uploaded logo: not empty, not too large, an image we accept.
pub fn check_logo(bytes: &[u8]) -> Result<ImageType, Error> {
    if bytes.is_empty() {
        return Err(Error::new("logo", "file-empty"));
    }
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(Error::new("logo", "file-too-large"));
    }
    sniff_image(bytes).ok_or(Error::new("logo", "file-type"))
}

/// The largest attachment accepted (minutes, photos, scanned letters).
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// Checks an attachment and returns its media type: PDF, an image, an
/// office document (OOXML or OpenDocument, which are ZIP files: the name's
/// extension must say which), or plain text (UTF-8 without NUL bytes, named
/// .txt, .csv or .md). Executables, HTML, SVG and anything unknown are
/// refused.
pub fn check_attachment(name: &str, bytes: &[u8]) -> Result<&'static str, Error> {
    if bytes.is_empty() {
        return Err(Error::new("file", "file-empty"));
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(Error::new("file", "file-too-large"));
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if bytes.starts_with(b"%PDF-") {
        return Ok("application/pdf");
    }
    if let Some(image) = sniff_image(bytes) {
        return Ok(image.mime());
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let mime = match ext.as_str() {
            "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "odt" => "application/vnd.oasis.opendocument.text",
            "ods" => "application/vnd.oasis.opendocument.spreadsheet",
            "odp" => "application/vnd.oasis.opendocument.presentation",
            _ => return Err(Error::new("file", "file-type")),
        };
        return Ok(mime);
    }
    if matches!(ext.as_str(), "txt" | "csv" | "md")
        && !bytes.contains(&0)
        && std::str::from_utf8(bytes).is_ok()
    {
        return Ok(match ext.as_str() {
            "csv" => "text/csv; charset=utf-8",
            "md" => "text/markdown; charset=utf-8",
            _ => "text/plain; charset=utf-8",
        });
    }
    Err(Error::new("file", "file-type"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bytes_decide_not_the_name() {
        assert_eq!(sniff_image(b"\x89PNG\r\n\x1a\nrest"), Some(ImageType::Png));
        assert_eq!(
            sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(ImageType::Jpeg)
        );
        assert_eq!(sniff_image(b"RIFF\0\0\0\0WEBPVP8 "), Some(ImageType::Webp));
        assert_eq!(sniff_image(b"GIF89a..."), Some(ImageType::Gif));
        assert_eq!(
            sniff_image(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            None
        );
        assert_eq!(sniff_image(b"%PDF-1.7"), None);
        assert_eq!(sniff_image(b""), None);
    }

    #[test]
    fn attachments_are_documents_images_or_text() {
        assert_eq!(
            check_attachment("p.pdf", b"%PDF-1.7"),
            Ok("application/pdf")
        );
        assert!(
            check_attachment("x.docx", b"PK\x03\x04rest")
                .unwrap()
                .contains("wordprocessing")
        );
        assert_eq!(
            check_attachment("x.zip", b"PK\x03\x04rest")
                .unwrap_err()
                .rule,
            "file-type"
        );
        assert_eq!(
            check_attachment("n.txt", "Grüße".as_bytes()),
            Ok("text/plain; charset=utf-8")
        );
        assert_eq!(
            check_attachment("n.txt", b"\x00\x01").unwrap_err().rule,
            "file-type"
        );
        assert_eq!(
            check_attachment("a.html", b"<script>").unwrap_err().rule,
            "file-type"
        );
        assert_eq!(
            check_attachment("a.exe", b"MZ\x90\x00").unwrap_err().rule,
            "file-type"
        );
        assert_eq!(
            check_attachment("e.pdf", b"").unwrap_err().rule,
            "file-empty"
        );
    }

    #[test]
    fn logos_are_checked_for_emptiness_size_and_type() {
        assert_eq!(check_logo(b"").unwrap_err().rule, "file-empty");
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(MAX_LOGO_BYTES + 1, 0);
        assert_eq!(check_logo(&big).unwrap_err().rule, "file-too-large");
        big.truncate(MAX_LOGO_BYTES);
        assert_eq!(check_logo(&big), Ok(ImageType::Png));
        assert_eq!(check_logo(b"hello").unwrap_err().rule, "file-type");
    }
}
