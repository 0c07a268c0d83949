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
