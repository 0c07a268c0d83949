//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30 s), the
//! second factor any authenticator app speaks, and the QR code to enrol it.

use hmac::{Hmac, Mac};
use sha1::Sha1;

const STEP: i64 = 30;
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding (what authenticator apps expect).
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            out.push(BASE32[((buffer >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for c in s.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let v = BASE32
            .iter()
            .position(|&b| b as char == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            out.push(((buffer >> (bits - 8)) & 0xff) as u8);
            bits -= 8;
        }
    }
    Some(out)
}

/// The code for one time step.
pub fn code_at(secret: &[u8], step: i64) -> u32 {
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret) else {
        return u32::MAX;
    };
    mac.update(&step.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = (hash[19] & 0x0f) as usize;
    let bin = (u32::from(hash[offset]) & 0x7f) << 24
        | u32::from(hash[offset + 1]) << 16
        | u32::from(hash[offset + 2]) << 8
        | u32::from(hash[offset + 3]);
    bin % 1_000_000
}

/// Whether `code` is valid at `unix_time`, allowing one step of clock drift.
pub fn verify(secret_b32: &str, code: &str, unix_time: i64) -> bool {
    matched_step(secret_b32, code, unix_time).is_some()
}

/// The time step whose code `code` is (within one step of clock drift), so
/// the caller can accept each step only once.
pub fn matched_step(secret_b32: &str, code: &str, unix_time: i64) -> Option<i64> {
    let code = code.trim().replace(' ', "");
    let (Some(secret), Ok(n)) = (base32_decode(secret_b32), code.parse::<u32>()) else {
        return None;
    };
    if code.len() != 6 {
        return None;
    }
    let step = unix_time.div_euclid(STEP);
    (-1..=1)
        .map(|d| step + d)
        .find(|s| code_at(&secret, *s) == n)
}

/// The `otpauth://` URI an authenticator app reads from the QR code.
pub fn otpauth_uri(issuer: &str, account: &str, secret_b32: &str) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    format!(
        "otpauth://totp/{}:{}?secret={secret_b32}&issuer={}&algorithm=SHA1&digits=6&period=30",
        enc(issuer),
        enc(account),
        enc(issuer)
    )
}

/// The QR code of `data` as an SVG document made of one path (no styles, so
/// it passes the Content-Security-Policy when inlined).
pub fn qr_svg(data: &str) -> Option<String> {
    let code = qrcode::QrCode::new(data.as_bytes()).ok()?;
    let width = code.width();
    let quiet = 4;
    let size = width + 2 * quiet;
    let mut path = String::new();
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (x, y) = (i % width + quiet, i / width + quiet);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"240\" height=\"240\" aria-hidden=\"true\" focusable=\"false\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_test_vectors() {
        // RFC 6238 appendix B, SHA1 secret "12345678901234567890", 8 digits
        // there; the last 6 digits are the 6-digit codes.
        let secret = b"12345678901234567890";
        for (time, expected) in [
            (59, 287_082),
            (1_111_111_109, 81_804),
            (1_111_111_111, 50_471),
            (1_234_567_890, 5_924),
            (2_000_000_000, 279_037),
        ] {
            assert_eq!(code_at(secret, time / 30), expected, "t={time}");
        }
    }

    #[test]
    fn base32_round_trips_and_verification_allows_drift() {
        let secret = b"12345678901234567890";
        let b32 = base32_encode(secret);
        assert_eq!(b32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(base32_decode(&b32).unwrap(), secret);
        let now = 1_700_000_000;
        let code = format!("{:06}", code_at(secret, now / 30 - 1));
        assert!(verify(&b32, &code, now));
        let old = format!("{:06}", code_at(secret, now / 30 - 3));
        assert!(!verify(&b32, &old, now));
        assert!(!verify(&b32, "abc", now));
        assert!(!verify(&b32, "1234567", now));
    }

    #[test]
    fn qr_code_is_plain_svg() {
        let svg = qr_svg(&otpauth_uri("msohub", "anna@lindenau.de", "GEZDGNBV")).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(!svg.contains("style"));
    }
}
