//! Turning raw bytes into text: BOMs, UTF-16, legacy Windows-1252, binary and empty
//! input.

use crate::error::{ErrorKind, InputError};

/// The encoding [`decode`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// Valid UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 after a byte-order mark (the mark is stripped).
    Utf8Bom,
    /// UTF-16 little-endian, recognised by its byte-order mark.
    Utf16Le,
    /// UTF-16 big-endian, recognised by its byte-order mark.
    Utf16Be,
    /// Not valid UTF-8: the invalid bytes were read as Windows-1252.
    Windows1252,
}

/// How many leading bytes (or characters, for UTF-16) the binary check looks at.
const SNIFF_LEN: usize = 8 * 1024;

/// Decode `bytes` to text.
///
/// * A UTF-8 byte-order mark is stripped; UTF-16 LE/BE is recognised by its mark.
/// * Valid UTF-8 is taken as is.
/// * Otherwise the input is legacy 8-bit text read as Windows-1252 (0x80–0x9F through
///   the cp1252 table, the rest as Latin-1, the five undefined bytes as U+FFFD). When
///   the input is mostly UTF-8 with a few stray bytes (more valid multi-byte UTF-8
///   characters than invalid bytes), the valid UTF-8 is kept and only the stray bytes
///   go through cp1252; the result is reported as [`Encoding::Windows1252`] either way.
///   After a UTF-8 mark, stray bytes are always handled this way.
///
/// Errors (all naming `name`): [`ErrorKind::Binary`] for a NUL byte anywhere (outside
/// UTF-16) or more than 10% control characters other than tab, newline, carriage
/// return and form feed in the first 8 KiB; [`ErrorKind::Encoding`] for broken UTF-16;
/// [`ErrorKind::Empty`] for empty or whitespace-only input.
pub fn decode(bytes: &[u8], name: &str) -> Result<(String, Encoding), InputError> {
    let empty = || InputError::new(name, ErrorKind::Empty, "empty input");
    if bytes.is_empty() {
        return Err(empty());
    }

    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let text = decode_utf16(rest, name, u16::from_le_bytes, "UTF-16LE")?;
        check_binary_chars(&text, name)?;
        (text, Encoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let text = decode_utf16(rest, name, u16::from_be_bytes, "UTF-16BE")?;
        check_binary_chars(&text, name)?;
        (text, Encoding::Utf16Be)
    } else {
        check_binary_bytes(bytes, name)?;
        if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
            match std::str::from_utf8(rest) {
                Ok(s) => (s.to_string(), Encoding::Utf8Bom),
                Err(_) => (decode_mixed(rest), Encoding::Utf8Bom),
            }
        } else {
            match std::str::from_utf8(bytes) {
                Ok(s) => (s.to_string(), Encoding::Utf8),
                Err(_) => (decode_legacy(bytes), Encoding::Windows1252),
            }
        }
    };

    if text.trim().is_empty() {
        return Err(InputError::new(
            name,
            ErrorKind::Empty,
            "input holds only whitespace",
        ));
    }
    Ok((text, encoding))
}

fn decode_utf16(
    bytes: &[u8],
    name: &str,
    unit: fn([u8; 2]) -> u16,
    label: &str,
) -> Result<String, InputError> {
    let pairs = bytes.chunks_exact(2);
    if !pairs.remainder().is_empty() {
        return Err(InputError::new(
            name,
            ErrorKind::Encoding,
            format!(
                "{label} input has an odd number of bytes ({})",
                bytes.len() + 2
            ),
        ));
    }
    let units = pairs.map(|c| unit([c[0], c[1]]));
    let mut text = String::with_capacity(bytes.len() / 2);
    for (i, ch) in char::decode_utf16(units).enumerate() {
        match ch {
            Ok(c) => text.push(c),
            Err(e) => {
                return Err(InputError::new(
                    name,
                    ErrorKind::Encoding,
                    format!(
                        "invalid {label}: unpaired surrogate 0x{:04X} at code unit {}",
                        e.unpaired_surrogate(),
                        i + 1
                    ),
                ))
            }
        }
    }
    Ok(text)
}

fn is_bad_control_byte(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F
}

fn too_many_controls(controls: usize, total: usize) -> bool {
    total > 0 && controls * 10 > total
}

fn check_binary_bytes(bytes: &[u8], name: &str) -> Result<(), InputError> {
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(InputError::new(
            name,
            ErrorKind::Binary,
            format!("binary data (NUL byte at offset {pos})"),
        ));
    }
    let sample = &bytes[..bytes.len().min(SNIFF_LEN)];
    let controls = sample.iter().filter(|&&b| is_bad_control_byte(b)).count();
    if too_many_controls(controls, sample.len()) {
        return Err(binary_share_error(name, controls, sample.len()));
    }
    Ok(())
}

fn check_binary_chars(text: &str, name: &str) -> Result<(), InputError> {
    if let Some(pos) = text.chars().position(|c| c == '\0') {
        return Err(InputError::new(
            name,
            ErrorKind::Binary,
            format!("binary data (NUL character at position {pos})"),
        ));
    }
    let mut total = 0;
    let mut controls = 0;
    for c in text.chars().take(SNIFF_LEN) {
        total += 1;
        if u8::try_from(c).is_ok_and(is_bad_control_byte) {
            controls += 1;
        }
    }
    if too_many_controls(controls, total) {
        return Err(binary_share_error(name, controls, total));
    }
    Ok(())
}

fn binary_share_error(name: &str, controls: usize, total: usize) -> InputError {
    InputError::new(
        name,
        ErrorKind::Binary,
        format!("binary data ({controls} of the first {total} characters are control characters)"),
    )
}

/// Windows-1252 for 0x80–0x9F; `None` for the five undefined bytes.
const CP1252_HIGH: [Option<char>; 32] = [
    Some('\u{20AC}'),
    None,
    Some('\u{201A}'),
    Some('\u{0192}'),
    Some('\u{201E}'),
    Some('\u{2026}'),
    Some('\u{2020}'),
    Some('\u{2021}'),
    Some('\u{02C6}'),
    Some('\u{2030}'),
    Some('\u{0160}'),
    Some('\u{2039}'),
    Some('\u{0152}'),
    None,
    Some('\u{017D}'),
    None,
    None,
    Some('\u{2018}'),
    Some('\u{2019}'),
    Some('\u{201C}'),
    Some('\u{201D}'),
    Some('\u{2022}'),
    Some('\u{2013}'),
    Some('\u{2014}'),
    Some('\u{02DC}'),
    Some('\u{2122}'),
    Some('\u{0161}'),
    Some('\u{203A}'),
    Some('\u{0153}'),
    None,
    Some('\u{017E}'),
    Some('\u{0178}'),
];

/// One byte as Windows-1252.
pub(crate) fn cp1252_char(b: u8) -> char {
    match b {
        0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)].unwrap_or('\u{FFFD}'),
        _ => char::from(b),
    }
}

fn decode_cp1252(bytes: &[u8], out: &mut String) {
    out.extend(bytes.iter().map(|&b| cp1252_char(b)));
}

/// Valid UTF-8 kept, every invalid byte read as Windows-1252.
fn decode_mixed(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 4);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        decode_cp1252(chunk.invalid(), &mut out);
    }
    out
}

/// Bytes that are not valid UTF-8: all Windows-1252, unless the valid multi-byte
/// UTF-8 characters outnumber the invalid bytes (UTF-8 with strays).
pub(crate) fn decode_legacy(bytes: &[u8]) -> String {
    let mut valid_multibyte = 0usize;
    let mut invalid = 0usize;
    for chunk in bytes.utf8_chunks() {
        valid_multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    if valid_multibyte > invalid {
        decode_mixed(bytes)
    } else {
        let mut out = String::with_capacity(bytes.len() + bytes.len() / 4);
        decode_cp1252(bytes, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(bytes: &[u8]) -> (String, Encoding) {
        decode(bytes, "t").expect("decodes")
    }

    fn err(bytes: &[u8]) -> InputError {
        decode(bytes, "t").expect_err("fails")
    }

    #[test]
    fn plain_utf8() {
        assert_eq!(
            ok("Grüße aus Köln".as_bytes()),
            ("Grüße aus Köln".into(), Encoding::Utf8)
        );
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice("Straße".as_bytes());
        assert_eq!(ok(&b), ("Straße".into(), Encoding::Utf8Bom));
    }

    #[test]
    fn utf16_le_and_be() {
        let s = "„Zitat“ – Ärger";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(ok(&le), (s.into(), Encoding::Utf16Le));
        assert_eq!(ok(&be), (s.into(), Encoding::Utf16Be));
    }

    #[test]
    fn utf16_with_astral_char() {
        let s = "Emoji 😀 ok";
        let mut le = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(ok(&le).0, s);
    }

    #[test]
    fn broken_utf16() {
        assert_eq!(err(b"\xFF\xFEa\x00b").kind, ErrorKind::Encoding);
        // Lone high surrogate followed by 'a'.
        let e = err(b"\xFF\xFE\x00\xD8a\x00");
        assert_eq!(e.kind, ErrorKind::Encoding);
        assert!(e.message.contains("surrogate"), "{}", e.message);
    }

    #[test]
    fn utf16_nul_is_binary() {
        assert_eq!(err(b"\xFF\xFEa\x00\x00\x00b\x00").kind, ErrorKind::Binary);
    }

    #[test]
    fn utf16_only_bom_is_empty() {
        assert_eq!(err(b"\xFF\xFE").kind, ErrorKind::Empty);
        assert_eq!(err(b"\xFE\xFF\x00 \x00\n").kind, ErrorKind::Empty);
    }

    #[test]
    fn cp1252_quotes_and_umlauts() {
        // „Mädchen“ sagte er – in Windows-1252.
        let b = b"\x84M\xE4dchen\x93 sagte er \x96 \x80 5";
        assert_eq!(
            ok(b),
            ("„Mädchen“ sagte er – € 5".into(), Encoding::Windows1252)
        );
    }

    #[test]
    fn cp1252_undefined_bytes_become_replacement() {
        let (s, enc) = ok(b"a\x81b\x8Dc\x8Fd\x90e\x9Df");
        assert_eq!(enc, Encoding::Windows1252);
        assert_eq!(s, "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\u{FFFD}f");
    }

    #[test]
    fn latin1_range_maps_directly() {
        let (s, _) = ok(b"\xA0\xDF\xFC\xFF");
        assert_eq!(s, "\u{A0}ßüÿ");
    }

    #[test]
    fn cp1252_char_table_is_complete() {
        let defined: Vec<char> = (0x80u8..=0x9F).map(cp1252_char).collect();
        assert_eq!(defined.iter().filter(|&&c| c == '\u{FFFD}').count(), 5);
        assert_eq!(cp1252_char(0x9F), 'Ÿ');
        assert_eq!(cp1252_char(0x8A), 'Š');
        assert_eq!(cp1252_char(0x41), 'A');
    }

    #[test]
    fn mostly_utf8_with_a_stray_byte_keeps_utf8() {
        // Valid UTF-8 umlauts plus one stray cp1252 'ä'.
        let mut b = "Grüße aus Köln, Düsseldorf und München. "
            .as_bytes()
            .to_vec();
        b.extend_from_slice(b"M\xE4rz");
        let (s, enc) = ok(&b);
        assert_eq!(enc, Encoding::Windows1252);
        assert_eq!(s, "Grüße aus Köln, Düsseldorf und München. März");
    }

    #[test]
    fn mostly_cp1252_with_accidental_utf8_sequence_is_all_cp1252() {
        // "Fuß“" in cp1252 is DF 93, which happens to be a valid UTF-8 sequence.
        let b = b"\x84Fu\xDF\x93 und \x84Gr\xFC\xDFe\x93 f\xFCr M\xFCnchen";
        let (s, enc) = ok(b);
        assert_eq!(enc, Encoding::Windows1252);
        assert_eq!(s, "„Fuß“ und „Grüße“ für München");
    }

    #[test]
    fn bom_with_stray_bytes_keeps_utf8() {
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice(b"Caf\xE9 ");
        b.extend_from_slice("Übel".as_bytes());
        assert_eq!(ok(&b), ("Café Übel".into(), Encoding::Utf8Bom));
    }

    #[test]
    fn nul_is_binary() {
        let e = err(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
        assert_eq!(e.kind, ErrorKind::Binary);
        assert!(e.message.contains("offset 8"), "{}", e.message);
        assert_eq!(e.input, "t");
    }

    #[test]
    fn nul_late_in_file_is_binary() {
        let mut b = vec![b'a'; 20_000];
        b[19_000] = 0;
        assert_eq!(err(&b).kind, ErrorKind::Binary);
    }

    #[test]
    fn many_controls_is_binary() {
        let b: Vec<u8> = (0..100u8)
            .map(|i| if i % 5 == 0 { 0x01 } else { b'x' })
            .collect();
        assert_eq!(err(&b).kind, ErrorKind::Binary);
    }

    #[test]
    fn few_controls_and_whitespace_controls_are_text() {
        // 5% control characters, plus tabs, form feeds and CRLF.
        let mut b: Vec<u8> = (0..100u8)
            .map(|i| if i % 20 == 0 { 0x1B } else { b'x' })
            .collect();
        b.extend_from_slice(b"\t\x0c\r\n\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\tEnde");
        assert!(decode(&b, "t").is_ok());
    }

    #[test]
    fn empty_and_whitespace() {
        assert_eq!(err(b"").kind, ErrorKind::Empty);
        assert_eq!(err(b" \n\t\r\n ").kind, ErrorKind::Empty);
        assert_eq!(err(b"\xEF\xBB\xBF\n").kind, ErrorKind::Empty);
        // No-break space (cp1252 0xA0) is whitespace too.
        assert_eq!(err(b"\xA0\xA0").kind, ErrorKind::Empty);
    }
}
