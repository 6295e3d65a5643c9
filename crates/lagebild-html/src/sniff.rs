//! Cheap content sniffing: is it HTML, and which charset does it declare?

use crate::meta::{attr, charset_from_content_type, normalize_charset};
use crate::tags::raw_kind;
use crate::tokenizer::{Token, Tokenizer};

/// Tag names (lower-case, after `<`) that mark the start of an HTML
/// document or fragment; each must be followed by whitespace or `>`
/// (or `/` for the void ones).
const HTML_STARTS: &[&str] = &[
    "!doctype html",
    "html",
    "head",
    "body",
    "script",
    "iframe",
    "h1",
    "h2",
    "h3",
    "div",
    "font",
    "table",
    "a",
    "style",
    "title",
    "b",
    "br",
    "p",
    "meta",
    "link",
    "span",
    "section",
    "article",
    "main",
    "header",
    "nav",
    "ul",
    "img",
];

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

pub(crate) fn looks_like_html(s: &str) -> bool {
    let mut t = s.trim_start_matches(|c: char| c == '\u{FEFF}' || c.is_whitespace());
    if starts_with_ci(t, "<?xml") {
        // XHTML: an XML declaration followed by an html root or doctype.
        let head = &t.as_bytes()[..t.len().min(1024)];
        let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
        return lower.contains("<html") || lower.contains("<!doctype html");
    }
    if starts_with_ci(t, "<!--") {
        return true;
    }
    let Some(rest) = t.strip_prefix('<') else {
        return false;
    };
    t = rest;
    HTML_STARTS.iter().any(|tag| {
        starts_with_ci(t, tag)
            && matches!(
                t.as_bytes().get(tag.len()),
                Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>' | b'/')
            )
    })
}

/// `encoding="…"` of a leading XML declaration.
fn xml_encoding(s: &str) -> Option<String> {
    let t = s.trim_start_matches(|c: char| c == '\u{FEFF}' || c.is_whitespace());
    if !starts_with_ci(t, "<?xml") {
        return None;
    }
    let decl = &t[..t.find("?>")?];
    let i = decl.find("encoding")?;
    let rest = decl[i + 8..].trim_start().strip_prefix('=')?.trim_start();
    let q = rest.chars().next()?;
    if q != '"' && q != '\'' {
        return None;
    }
    let rest = &rest[1..];
    normalize_charset(&rest[..rest.find(q)?])
}

pub(crate) fn sniff_charset(bytes: &[u8]) -> Option<String> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Some("utf-8".into());
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Some("utf-16be".into());
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Some("utf-16le".into());
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]);
    if let Some(enc) = xml_encoding(&head) {
        return Some(enc);
    }
    let mut tok = Tokenizer::new(&head);
    while let Some(t) = tok.next_token() {
        let raw = match t {
            Token::Start { name, attrs, .. } => {
                if name.eq_ignore_ascii_case("meta") {
                    if let Some(cs) = attr(attrs, "charset").and_then(normalize_charset) {
                        return Some(cs);
                    }
                    let is_ct = attr(attrs, "http-equiv")
                        .is_some_and(|h| h.trim().eq_ignore_ascii_case("content-type"));
                    if let Some(cs) = attr(attrs, "content")
                        .filter(|_| is_ct)
                        .and_then(charset_from_content_type)
                    {
                        return Some(cs);
                    }
                }
                raw_kind(name)
            }
            _ => None,
        };
        if let Some(k) = raw {
            tok.set_raw(k);
        }
    }
    None
}
