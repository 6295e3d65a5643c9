//! RSS 2.0 and Atom feeds: one [`RawDocument`] per item or entry, with its
//! title, link, date and summary, and the full content when the feed
//! carries it (`content:encoded`, Atom `<content>`).
//!
//! A small forgiving scanner, not an XML parser: elements are found by name
//! (namespace prefixes other than `content:`/`dc:` ignored), CDATA sections
//! and character references are decoded, and a broken item never stops the
//! others.

use lagebild_model::RawDocument;

use crate::error::{ErrorKind, InputError};

/// Whether `text` (after an XML declaration and comments) starts with an
/// `<rss>`, `<feed>` or RDF (`<rdf:RDF>`) root.
pub(crate) fn looks_like_feed(head: &str) -> bool {
    let s = head.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    let mut s = s;
    loop {
        if let Some(r) = s.strip_prefix("<?") {
            match r.find("?>") {
                Some(i) => s = r[i + 2..].trim_start(),
                None => return false,
            }
        } else if let Some(r) = s.strip_prefix("<!--") {
            match r.find("-->") {
                Some(i) => s = r[i + 3..].trim_start(),
                None => return false,
            }
        } else {
            break;
        }
    }
    let lower = s.get(..s.len().min(16)).unwrap_or("").to_ascii_lowercase();
    ["<rss", "<feed", "<rdf:rdf"].iter().any(|t| {
        lower.starts_with(t)
            && lower[t.len()..]
                .bytes()
                .next()
                .is_some_and(|b| b == b'>' || b.is_ascii_whitespace())
    })
}

/// The text between `<name …>` and `</name>` starting at `from` (case
/// sensitive on the local name; any prefix accepted when `prefixed`).
/// Returns (attributes, inner, end offset).
fn element<'a>(s: &'a str, from: usize, names: &[&str]) -> Option<(&'a str, &'a str, usize)> {
    let mut at = from;
    loop {
        let i = at + s.get(at..)?.find('<')?;
        let rest = &s[i + 1..];
        if let Some(name) = names.iter().find(|n| {
            rest.starts_with(**n)
                && rest[n.len()..]
                    .bytes()
                    .next()
                    .is_some_and(|b| b == b'>' || b == b'/' || b.is_ascii_whitespace())
        }) {
            let tag_end = i + 1 + rest.find('>')?;
            let attrs = &s[i + 1 + name.len()..tag_end];
            if attrs.ends_with('/') {
                return Some((attrs.trim_end_matches('/'), "", tag_end + 1));
            }
            let close = format!("</{name}>");
            let inner_start = tag_end + 1;
            // CDATA may contain `</x>`: skip over CDATA sections.
            let mut k = inner_start;
            loop {
                let next_close = s[k..].find(&close).map(|j| k + j);
                let next_cdata = s[k..].find("<![CDATA[").map(|j| k + j);
                match (next_close, next_cdata) {
                    (Some(c), Some(d)) if d < c => {
                        k = d + 9 + s[d + 9..].find("]]>")? + 3;
                    }
                    (Some(c), _) => return Some((attrs, &s[inner_start..c], c + close.len())),
                    (None, _) => return None,
                }
            }
        }
        at = i + 1;
    }
}

fn attr_value<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attrs;
    while let Some(i) = rest.find(name) {
        let before_ok = i == 0 || rest.as_bytes()[i - 1].is_ascii_whitespace();
        let after = rest[i + name.len()..].trim_start();
        if before_ok {
            if let Some(v) = after.strip_prefix('=') {
                let v = v.trim_start();
                let q = v.chars().next()?;
                if q == '"' || q == '\'' {
                    let v = &v[1..];
                    return v.find(q).map(|e| &v[..e]);
                }
            }
        }
        rest = &rest[i + name.len()..];
    }
    None
}

/// Inner XML text: CDATA unwrapped, character references decoded.
fn text_of(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner;
    while let Some(i) = rest.find("<![CDATA[") {
        out.push_str(&lagebild_html::decode_entities(&rest[..i]));
        let body = &rest[i + 9..];
        match body.find("]]>") {
            Some(j) => {
                out.push_str(&body[..j]);
                rest = &body[j + 3..];
            }
            None => {
                out.push_str(body);
                rest = "";
            }
        }
    }
    out.push_str(&lagebild_html::decode_entities(rest));
    out.trim().to_string()
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// Read an RSS 2.0 / RDF / Atom feed. Items with neither content, summary
/// nor title are reported as [`ErrorKind::Malformed`] naming `name#N`.
pub(crate) fn parse_feed(text: &str, name: &str) -> Vec<Result<RawDocument, InputError>> {
    let atom = {
        let head = text.get(..text.len().min(2048)).unwrap_or(text);
        head.contains("<feed")
    };
    let item_names: &[&str] = if atom { &["entry"] } else { &["item"] };
    let channel_title = if atom {
        element(text, 0, &["title"]).map(|(_, t, _)| text_of(t))
    } else {
        element(text, 0, &["channel"])
            .and_then(|(_, c, _)| element(c, 0, &["title"]).map(|(_, t, _)| text_of(t)))
    }
    .and_then(non_empty);
    let mut out = Vec::new();
    let mut at = 0;
    let mut n = 0;
    while let Some((_, item, end)) = element(text, at, item_names) {
        n += 1;
        at = end;
        let get = |names: &[&str]| {
            element(item, 0, names)
                .map(|(_, t, _)| text_of(t))
                .and_then(non_empty)
        };
        let title = get(&["title"]).map(|t| {
            // Titles may carry escaped markup.
            if t.contains('<') {
                lagebild_html::extract(&t).text
            } else {
                t
            }
        });
        let link = if atom {
            let mut best = None;
            let mut k = 0;
            while let Some((attrs, _, e)) = element(item, k, &["link"]) {
                k = e;
                let rel = attr_value(attrs, "rel").unwrap_or("alternate");
                if rel == "alternate" || best.is_none() {
                    best = attr_value(attrs, "href").map(lagebild_html::decode_entities);
                    if rel == "alternate" {
                        break;
                    }
                }
            }
            best
        } else {
            get(&["link"]).or_else(|| {
                get(&["guid"]).filter(|g| g.starts_with("http://") || g.starts_with("https://"))
            })
        };
        // By priority, not by position: <updated> often precedes <published>.
        let date = [
            "pubDate",
            "published",
            "dc:date",
            "issued",
            "dcterms:issued",
            "updated",
        ]
        .iter()
        .find_map(|n| get(&[n]));
        let content = get(&["content:encoded", "content"]);
        let summary = get(&["description", "summary"]);
        let id = get(&["guid", "id"]);
        let body = content.or(summary);
        if body.is_none() && title.is_none() {
            out.push(Err(InputError::new(
                format!("{name}#{n}"),
                ErrorKind::Malformed,
                "feed item without title, summary or content",
            )));
            continue;
        }
        let mut doc = RawDocument {
            id,
            url: link,
            title,
            published: date.as_deref().and_then(lagebild_html::normalize_date),
            source: channel_title.clone(),
            path: Some(format!("{name}#{n}")),
            ..RawDocument::default()
        };
        match body {
            Some(b) if b.contains('<') => doc.html = Some(b),
            Some(b) => doc.text = Some(b),
            None => doc.text = doc.title.clone(),
        }
        out.push(Ok(doc));
    }
    if out.is_empty() {
        out.push(Err(InputError::new(
            name,
            ErrorKind::Malformed,
            "feed without items",
        )));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Tagesblatt</title><link>https://tagesblatt.example/</link>
<item>
  <title>Stadtrat beschließt Haushalt</title>
  <link>https://tagesblatt.example/2024/11/01/haushalt</link>
  <guid isPermaLink="false">tb-1</guid>
  <pubDate>Fri, 01 Nov 2024 10:00:00 +0100</pubDate>
  <description>Kurz: der Haushalt steht &amp; gilt.</description>
  <content:encoded><![CDATA[<p>Der Stadtrat hat am Freitag den Haushalt beschlossen.</p><p>Zweiter Absatz </item> im CDATA.</p>]]></content:encoded>
</item>
<item><title>Nur ein Titel</title><description>Kurzmeldung ohne Markup.</description><pubDate>Sat, 02 Nov 2024 08:00:00 GMT</pubDate></item>
<item><link>https://x.example/leer</link></item>
</channel></rss>"#;

    #[test]
    fn rss_items() {
        assert!(looks_like_feed(RSS));
        let docs = parse_feed(RSS, "f.xml");
        assert_eq!(docs.len(), 3);
        let a = docs[0].as_ref().unwrap();
        assert_eq!(a.title.as_deref(), Some("Stadtrat beschließt Haushalt"));
        assert_eq!(
            a.url.as_deref(),
            Some("https://tagesblatt.example/2024/11/01/haushalt")
        );
        assert_eq!(a.published.as_deref(), Some("2024-11-01"));
        assert_eq!(a.id.as_deref(), Some("tb-1"));
        assert_eq!(a.source.as_deref(), Some("Tagesblatt"));
        assert_eq!(a.path.as_deref(), Some("f.xml#1"));
        let html = a.html.as_deref().unwrap();
        assert!(html.contains("Zweiter Absatz </item> im CDATA."), "{html}");
        let b = docs[1].as_ref().unwrap();
        assert_eq!(b.text.as_deref(), Some("Kurzmeldung ohne Markup."));
        assert_eq!(b.published.as_deref(), Some("2024-11-02"));
        let e = docs[2].as_ref().unwrap_err();
        assert_eq!(e.input, "f.xml#3");
        assert_eq!(e.kind, ErrorKind::Malformed);
    }

    #[test]
    fn atom_entries() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<!-- a comment -->
<feed xmlns="http://www.w3.org/2005/Atom"><title>Nordkurier</title>
<entry><title type="html">Br&#252;cke &lt;b&gt;gesperrt&lt;/b&gt;</title>
<link rel="self" href="https://n.example/api/1"/>
<link rel="alternate" type="text/html" href="https://n.example/a/1?x=1&amp;y=2"/>
<id>urn:n:1</id><updated>2024-03-05T09:00:00Z</updated><published>2024-03-04T18:00:00+01:00</published>
<summary>Die Brücke ist gesperrt.</summary>
<content type="html">&lt;p&gt;Die Brücke über die Peene ist seit Montag gesperrt.&lt;/p&gt;</content>
</entry></feed>"#;
        assert!(looks_like_feed(atom));
        let docs = parse_feed(atom, "a.atom");
        let d = docs[0].as_ref().unwrap();
        assert_eq!(d.title.as_deref(), Some("Brücke gesperrt"));
        assert_eq!(d.url.as_deref(), Some("https://n.example/a/1?x=1&y=2"));
        assert_eq!(d.published.as_deref(), Some("2024-03-04"));
        assert_eq!(
            d.html.as_deref(),
            Some("<p>Die Brücke über die Peene ist seit Montag gesperrt.</p>")
        );
        assert_eq!(d.source.as_deref(), Some("Nordkurier"));
    }

    #[test]
    fn broken_feeds_do_not_panic() {
        assert!(!looks_like_feed("<html><body>"));
        assert!(!looks_like_feed("<rssfoo>"));
        for s in [
            "<rss><channel><item><title>x",
            "<rss><item><title><![CDATA[x",
            "<feed><entry><link href=",
            "<rss>",
            "<rss><item></item></rss>",
        ] {
            let docs = parse_feed(s, "b");
            assert!(!docs.is_empty());
        }
    }
}
