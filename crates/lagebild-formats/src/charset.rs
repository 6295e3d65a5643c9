//! Web pages in a declared charset: the HTTP header's or the page's own
//! (`<meta charset>`, `http-equiv`, XML declaration), read with `encoding_rs`.

use crate::decode::decode_legacy;

/// How far into a page the charset declaration is looked for when the first
/// 2 KiB (the HTML prescan) hold none.
const DECLARATION_SCAN: usize = 16 * 1024;

/// The charset a page declares: a byte-order mark, `<meta charset>`,
/// `http-equiv` content type or XML declaration, lower-case.
pub fn declared_charset(bytes: &[u8]) -> Option<String> {
    if let Some(cs) = lagebild_html::sniff_charset(bytes) {
        return Some(cs);
    }
    // Pages with long scripts before the <meta>: look further, for a plain
    // `charset=` in a tag.
    let head = &bytes[..bytes.len().min(DECLARATION_SCAN)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let at = lower.windows(8).position(|w| w == b"charset=")? + 8;
    let rest = &lower[at..];
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))
        .unwrap_or(rest.len());
    let label = std::str::from_utf8(&rest[..end]).ok()?;
    (!label.is_empty() && label.len() <= 40).then(|| label.to_string())
}

/// Decode the bytes of a web page to text; never fails.
///
/// A byte-order mark wins. Otherwise valid UTF-8 is taken as UTF-8 whatever is
/// declared (pages declaring `iso-8859-1` while sending UTF-8 are common;
/// real Latin-1 text is almost never valid UTF-8). Else the charset declared by
/// `http_charset` (from a `Content-Type` header) or by the page itself is used
/// when `encoding_rs` knows it (WHATWG labels: `latin1` reads as windows-1252);
/// else Windows-1252, keeping valid UTF-8 runs when they dominate.
pub fn decode_web_page(bytes: &[u8], http_charset: Option<&str>) -> String {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return text.into_owned();
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    let declared = http_charset
        .map(str::to_string)
        .or_else(|| declared_charset(bytes));
    if let Some(enc) = declared
        .as_deref()
        .and_then(|l| encoding_rs::Encoding::for_label(l.trim().as_bytes()))
    {
        // UTF-16 declared inside an 8-bit page is a lie; UTF-8 declared but
        // invalid is best read by the mixed rule below.
        if enc != encoding_rs::UTF_8
            && enc != encoding_rs::UTF_16LE
            && enc != encoding_rs::UTF_16BE
            && enc != encoding_rs::REPLACEMENT
        {
            let (text, _) = enc.decode_without_bom_handling(bytes);
            return text.into_owned();
        }
    }
    decode_legacy(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_in_meta() {
        let page = b"<html><head><meta charset=\"windows-1251\"></head><body>\xcf\xf0\xe8\xe2\xe5\xf2</body>";
        assert_eq!(declared_charset(page).as_deref(), Some("windows-1251"));
        assert!(decode_web_page(page, None).contains("Привет"));
    }

    #[test]
    fn http_header_wins_and_utf8_stays() {
        let page = b"<p>Stra\xdfe</p>";
        assert_eq!(decode_web_page(page, Some("iso-8859-1")), "<p>Straße</p>");
        assert_eq!(decode_web_page(page, None), "<p>Straße</p>");
        let utf8 = "<meta charset=iso-8859-1><p>Straße</p>";
        assert_eq!(decode_web_page(utf8.as_bytes(), None), utf8);
        let l2 = b"<meta http-equiv=Content-Type content='text/html; charset=iso-8859-2'><p>\xb3\xf3d\xbc</p>";
        assert!(decode_web_page(l2, None).contains("łódź"));
    }

    #[test]
    fn late_declaration_and_bom() {
        let mut page = b"<html><head><script>".to_vec();
        page.extend(std::iter::repeat_n(b'x', 5000));
        page.extend(b"</script><meta content=\"text/html; charset=ISO-8859-15\" http-equiv=\"Content-Type\"><p>\xa4</p>");
        assert_eq!(declared_charset(&page).as_deref(), Some("iso-8859-15"));
        assert!(decode_web_page(&page, None).contains('€'));
        assert_eq!(decode_web_page(b"\xef\xbb\xbfhi", None), "hi");
        assert_eq!(decode_web_page(b"\xff\xfeh\0i\0", None), "hi");
    }
}
