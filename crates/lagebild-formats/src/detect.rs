//! Content-based format detection.

use std::path::Path;

/// The format of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text: one document.
    Text,
    /// HTML: one document whose markup the analysis core extracts.
    Html,
    /// JSON Lines: one document per non-empty line.
    Jsonl,
    /// An RSS 2.0, RDF or Atom feed: one document per item.
    Feed,
    /// A web archive (WARC): one document per HTML response record.
    Warc,
}

/// How far into the text the HTML sniff looks (bytes).
const HTML_SNIFF_LEN: usize = 4096;

/// Tags that count as "several block tags near the start".
const BLOCK_TAGS: &[&str] = &[
    "html",
    "head",
    "body",
    "title",
    "meta",
    "link",
    "script",
    "style",
    "p",
    "div",
    "span",
    "a",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "table",
    "tr",
    "td",
    "th",
    "article",
    "section",
    "header",
    "footer",
    "nav",
    "main",
    "aside",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
];

/// How many tags from [`BLOCK_TAGS`] near the start make a text HTML.
const BLOCK_TAG_THRESHOLD: usize = 3;

/// Detect the format of decoded `text`; `name` (a path) is only a hint.
///
/// By content first: JSON Lines when the first non-empty line parses as a JSON object
/// with a `"text"` or `"html"` key (checked before HTML, because such lines often
/// carry markup); WARC when it starts with `WARC/1.`; a feed when its root (after an
/// XML declaration and comments) is `<rss>`, `<feed>` or `<rdf:RDF>`; HTML when the text starts (after whitespace, an XML declaration and
/// comments) with `<!doctype html`, `<html`, `<head` or `<body`, or when its first
/// 4 KiB hold at least three opening HTML tags. Otherwise the extension decides
/// (`.jsonl`/`.ndjson` → JSON Lines, `.html`/`.htm`/`.xhtml` → HTML), and else Text.
pub fn detect_format(text: &str, name: &str) -> Format {
    if first_line_is_jsonl_object(text) {
        return Format::Jsonl;
    }
    if text.starts_with("WARC/1.") {
        return Format::Warc;
    }
    if crate::feed::looks_like_feed(prefix(text, HTML_SNIFF_LEN)) {
        return Format::Feed;
    }
    if looks_like_html(text) {
        return Format::Html;
    }
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("jsonl" | "ndjson") => Format::Jsonl,
        Some("html" | "htm" | "xhtml") => Format::Html,
        _ => Format::Text,
    }
}

fn first_line_is_jsonl_object(text: &str) -> bool {
    let Some(line) = text.lines().map(str::trim).find(|l| !l.is_empty()) else {
        return false;
    };
    if !line.starts_with('{') {
        return false;
    }
    match serde_json::from_str::<serde_json::Value>(line) {
        Ok(serde_json::Value::Object(map)) => map.contains_key("text") || map.contains_key("html"),
        _ => false,
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Whether `s` starts with the opening tag `<name` (followed by `>`, `/`, whitespace or
/// the end). `s` is lowercase.
fn starts_with_tag(s: &str, name: &str) -> bool {
    let Some(rest) = s.strip_prefix('<').and_then(|r| r.strip_prefix(name)) else {
        return false;
    };
    match rest.bytes().next() {
        None => true,
        Some(b) => b == b'>' || b == b'/' || b.is_ascii_whitespace(),
    }
}

/// Skip whitespace, `<?xml …?>` declarations and `<!-- … -->` comments.
fn skip_prolog(mut s: &str) -> &str {
    loop {
        s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
        if let Some(rest) = s.strip_prefix("<?") {
            match rest.find("?>") {
                Some(i) => s = &rest[i + 2..],
                None => return "",
            }
        } else if let Some(rest) = s.strip_prefix("<!--") {
            match rest.find("-->") {
                Some(i) => s = &rest[i + 3..],
                None => return "",
            }
        } else {
            return s;
        }
    }
}

/// A small, conservative HTML sniff (see [`detect_format`]).
pub(crate) fn looks_like_html(text: &str) -> bool {
    let head = prefix(text, HTML_SNIFF_LEN).to_ascii_lowercase();
    let start = skip_prolog(&head);
    if start.starts_with("<!doctype html")
        || ["html", "head", "body"]
            .iter()
            .any(|t| starts_with_tag(start, t))
    {
        return true;
    }
    let mut tags = 0;
    for (i, _) in head.match_indices('<') {
        let at = &head[i..];
        if BLOCK_TAGS.iter().any(|t| starts_with_tag(at, t)) {
            tags += 1;
            if tags >= BLOCK_TAG_THRESHOLD {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_by_start() {
        for s in [
            "<!DOCTYPE html><title>x</title>",
            "  \n<!doctype HTML>",
            "<html lang=\"de\">",
            "<HTML>",
            "<head><meta charset=utf-8>",
            "<body>Text</body>",
            "<?xml version=\"1.0\"?>\n<!-- gespeichert -->\n<html xmlns=\"http://www.w3.org/1999/xhtml\">",
            "\u{FEFF}<html>",
        ] {
            assert_eq!(detect_format(s, "x.txt"), Format::Html, "{s:?}");
        }
    }

    #[test]
    fn html_fragment_by_block_tags() {
        let s = "Ein Artikel\n<h1>Titel</h1>\n<p>Erster Absatz.</p>\n<p>Zweiter.</p>";
        assert_eq!(detect_format(s, "frag"), Format::Html);
    }

    #[test]
    fn text_mentioning_tags_is_text() {
        let s = "Die Seite nutzt das Element <p> für Absätze; a < b und b > c.";
        assert_eq!(detect_format(s, "a.txt"), Format::Text);
        assert_eq!(detect_format("<htmlx> kein Tag", "a"), Format::Text);
        assert_eq!(detect_format("Die <html>-Seite", "a"), Format::Text);
    }

    #[test]
    fn jsonl_by_first_line() {
        let s = "\n{\"id\": 1, \"text\": \"Hallo\"}\n{\"id\": 2, \"text\": \"Welt\"}\n";
        assert_eq!(detect_format(s, "in.txt"), Format::Jsonl);
        let s = "{\"html\": \"<html><body><p>a</p><p>b</p></body></html>\"}";
        assert_eq!(detect_format(s, "x"), Format::Jsonl);
    }

    #[test]
    fn json_without_text_key_is_not_jsonl_by_content() {
        let s = "{\"title\": \"nur Titel\"}";
        assert_eq!(detect_format(s, "x.txt"), Format::Text);
        assert_eq!(detect_format(s, "x.jsonl"), Format::Jsonl);
        assert_eq!(detect_format("[1, 2]", "x"), Format::Text);
    }

    #[test]
    fn extension_hints() {
        assert_eq!(detect_format("kaputt", "dir/a.NDJSON"), Format::Jsonl);
        assert_eq!(detect_format("nur Text", "a.htm"), Format::Html);
        assert_eq!(detect_format("nur Text", "a.html"), Format::Html);
        assert_eq!(detect_format("nur Text", "a.txt"), Format::Text);
        assert_eq!(detect_format("nur Text", "-"), Format::Text);
    }

    #[test]
    fn content_beats_extension() {
        assert_eq!(detect_format("<!doctype html>", "a.txt"), Format::Html);
        assert_eq!(detect_format("{\"text\":\"x\"}", "a.html"), Format::Jsonl);
    }

    #[test]
    fn prefix_respects_char_boundaries() {
        let s = "ä".repeat(3000);
        let p = prefix(&s, HTML_SNIFF_LEN);
        assert!(p.len() <= HTML_SNIFF_LEN && p.len() > HTML_SNIFF_LEN - 4);
        assert!(s.is_char_boundary(p.len()));
        assert!(!looks_like_html(&s));
    }
}
