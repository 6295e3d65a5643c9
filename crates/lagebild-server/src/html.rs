//! HTML building blocks: escaping, links, the page frame and the SVG charts.
//!
//! Everything that comes from an article or a user (text, titles, names, ids,
//! URLs, queries) goes through [`esc`] in text and attributes alike; ids in
//! links go through [`enc`] first; only `http(s)` URLs become links.

use std::fmt::Write;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Escapes text for HTML text and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a path segment or query value (all but unreserved characters).
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The URL when it is an absolute `http` or `https` URL, else `None`.
pub fn safe_url(u: &str) -> Option<&str> {
    let t = u.trim();
    let lower = t.get(..8).unwrap_or(t).to_ascii_lowercase();
    let ok = (lower.starts_with("http://") || lower.starts_with("https://"))
        && !t.chars().any(|c| c.is_control() || c.is_whitespace());
    ok.then_some(t)
}

/// An external link for a safe URL, else the URL as plain text.
pub fn ext_link(u: &str) -> String {
    match safe_url(u) {
        Some(u) => format!(
            "<a href=\"{}\" rel=\"noopener noreferrer nofollow\">{}</a>",
            esc(u),
            esc(u)
        ),
        None => format!("<span class=\"unsafe-url\">{}</span>", esc(u)),
    }
}

pub fn entity_href(id: &str) -> String {
    format!("/entities/{}", enc(id))
}

pub fn story_href(id: &str) -> String {
    format!("/stories/{}", enc(id))
}

/// A document, scrolled to the sentence at byte `at` when given.
pub fn doc_href(id: &str, at: Option<usize>) -> String {
    match at {
        Some(a) => format!("/documents/{}?at={a}#focus", enc(id)),
        None => format!("/documents/{}", enc(id)),
    }
}

/// A query string from pairs, empty values left out.
pub fn query(pairs: &[(&str, Option<&str>)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| {
            v.filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", enc(v)))
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

const CSS: &str = r#"
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d232a;background:#f6f7f9}
header{background:#18324a;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.2rem;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none}
header .brand{font-weight:700;font-size:1.15rem;letter-spacing:.02em}
header form{margin-left:auto}
header input{padding:.3rem .5rem;border-radius:4px;border:0;min-width:14rem}
main{max-width:1100px;margin:1rem auto;padding:0 1.2rem}
h1{font-size:1.5rem;margin:.6rem 0}
h2{font-size:1.15rem;margin:1.4rem 0 .5rem;border-bottom:1px solid #d6dbe1;padding-bottom:.2rem}
a{color:#1a5fa8}
.meta{color:#5b6670;font-size:.9rem}
.card{background:#fff;border:1px solid #dde2e7;border-radius:6px;padding:.7rem 1rem;margin:.5rem 0}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:.6rem}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e4e8ec;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:.92rem}
th{background:#eef1f4}
td:first-child{white-space:nowrap}
.tag{display:inline-block;background:#e8eef5;border-radius:3px;padding:0 .35rem;margin:0 .15rem .15rem 0;font-size:.85rem}
.text{white-space:pre-wrap;background:#fff;border:1px solid #dde2e7;border-radius:6px;padding:1rem 1.2rem;font-size:1rem;line-height:1.65}
.ent{background:#fff1c7;border-radius:2px;text-decoration:none;color:inherit;border-bottom:2px solid #e0b12c}
.ent.PER{background:#e3f0ff;border-color:#4a8ad8}.ent.ORG{background:#efe6ff;border-color:#8a5bd8}
.ent.GPE,.ent.LOC{background:#e2f6e8;border-color:#3ea35d}
.q{background:#fde7e4}.t{outline:1px dashed #6d7a86;outline-offset:-1px}
.focus{background:#ffe98a}
.legend span{margin-right:.8rem}
blockquote{margin:.3rem 0;padding:.2rem .8rem;border-left:3px solid #c94a3d;background:#fff}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;background:#fff;border:1px solid #dde2e7;padding:.7rem;border-radius:6px}
form.filters label{display:flex;flex-direction:column;font-size:.85rem;color:#44505b}
form.filters input,form.filters select{padding:.25rem .4rem}
svg{background:#fff;border:1px solid #dde2e7;border-radius:6px;max-width:100%;height:auto}
svg text{font:11px system-ui,sans-serif;fill:#1d232a}
svg a:hover line,svg a:hover rect,svg a:hover circle{stroke:#f3a623;stroke-opacity:1}
.pager a{margin-right:1rem}
mark{background:#ffe27a}
.unsafe-url{color:#8a949c}
.err{background:#fde7e4;border:1px solid #e5a39b;padding:1rem;border-radius:6px}
"#;

/// A complete page.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"de\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>{t} · Lagebild</title><style>{CSS}</style></head><body>\
<header><a class=\"brand\" href=\"/\">Lagebild</a>\
<a href=\"/\">Stories</a><a href=\"/documents\">Documents</a><a href=\"/entities\">Entities</a>\
<a href=\"/events\">Events</a><a href=\"/api/openapi.json\">API</a>\
<form action=\"/search\" method=\"get\" role=\"search\"><input name=\"q\" type=\"search\" placeholder=\"Search articles\" aria-label=\"Search\"></form>\
</header><main>{body}</main></body></html>",
        t = esc(title)
    )
}

/// A page as a response, with headers that forbid scripts and framing.
pub fn respond(status: StatusCode, html: String) -> Response {
    let mut res = (status, html).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

/// Days since 1970-01-01 of `YYYY-MM-DD` (proleptic Gregorian).
pub fn day_number(s: &str) -> Option<i64> {
    if !crate::params::is_day(s) {
        return None;
    }
    let y: i64 = s[0..4].parse().ok()?;
    let m: i64 = s[5..7].parse().ok()?;
    let d: i64 = s[8..10].parse().ok()?;
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// One bar of a bar chart: label, value, link.
pub struct Bar {
    pub label: String,
    pub value: u64,
    pub href: String,
}

/// A bar chart in SVG; each bar links somewhere.
pub fn bar_chart(bars: &[Bar], what: &str) -> String {
    if bars.is_empty() {
        return "<p class=\"meta\">Nothing to draw.</p>".into();
    }
    let (w, h, left, bottom, top) = (720.0, 180.0, 36.0, 22.0, 12.0);
    let max = bars.iter().map(|b| b.value).max().unwrap_or(1).max(1) as f64;
    let slot = (w - left - 8.0) / bars.len() as f64;
    let bw = (slot * 0.8).clamp(1.0, 36.0);
    let mut s = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{}\">",
        esc(what)
    );
    let _ = write!(
        s,
        "<text x=\"4\" y=\"{}\">{}</text><text x=\"4\" y=\"{}\">0</text>",
        top + 4.0,
        max as u64,
        h - bottom
    );
    for (i, b) in bars.iter().enumerate() {
        let bh = (b.value as f64 / max) * (h - bottom - top);
        let x = left + i as f64 * slot;
        let y = h - bottom - bh;
        let _ = write!(
            s,
            "<a href=\"{href}\"><rect class=\"bar\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bw:.1}\" height=\"{bh:.1}\" fill=\"#4a8ad8\" stroke=\"#2d5f9a\" stroke-opacity=\"0\"><title>{label}: {v} {what}</title></rect></a>",
            href = esc(&b.href),
            label = esc(&b.label),
            v = b.value,
            what = esc(what)
        );
    }
    let last = bars.len() - 1;
    let _ = write!(
        s,
        "<text x=\"{left}\" y=\"{}\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text></svg>",
        h - 6.0,
        esc(&bars[0].label),
        w - 8.0,
        h - 6.0,
        esc(&bars[last].label)
    );
    s
}

/// A node of a drawn network.
pub struct NetNode {
    pub id: String,
    pub label: String,
    pub kind: String,
}

/// An edge of a drawn network.
pub struct NetEdge {
    pub from: usize,
    pub to: usize,
    pub directed: bool,
    pub count: u64,
    pub title: String,
    pub href: String,
}

fn node_color(kind: &str) -> &'static str {
    match kind {
        "PER" => "#4a8ad8",
        "ORG" => "#8a5bd8",
        "GPE" | "LOC" => "#3ea35d",
        _ => "#d09a1f",
    }
}

/// A network drawn on a circle (the first node in the middle when `centre`).
pub fn network_svg(nodes: &[NetNode], edges: &[NetEdge], centre: bool) -> String {
    if nodes.len() < 2 {
        return "<p class=\"meta\">No connections to draw.</p>".into();
    }
    let (w, h) = (720.0_f64, 520.0_f64);
    let (cx, cy, r) = (w / 2.0, h / 2.0, h / 2.0 - 60.0);
    let ring: Vec<usize> = if centre {
        (1..nodes.len()).collect()
    } else {
        (0..nodes.len()).collect()
    };
    let mut pos = vec![(cx, cy); nodes.len()];
    for (k, &i) in ring.iter().enumerate() {
        let a = std::f64::consts::TAU * k as f64 / ring.len() as f64 - std::f64::consts::FRAC_PI_2;
        pos[i] = (cx + r * 1.25 * a.cos(), cy + r * a.sin());
    }
    let max = edges.iter().map(|e| e.count).max().unwrap_or(1).max(1) as f64;
    let mut s = format!(
        "<svg class=\"network\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"actor network\">\
<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"20\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"#c94a3d\"/></marker></defs>"
    );
    for e in edges {
        let ((x1, y1), (x2, y2)) = (pos[e.from], pos[e.to]);
        let width = 1.0 + 4.0 * (e.count as f64 / max);
        let (color, dash, marker) = if e.directed {
            ("#c94a3d", "", " marker-end=\"url(#arrow)\"")
        } else {
            ("#7d8b98", " stroke-dasharray=\"5 4\"", "")
        };
        let _ = write!(
            s,
            "<a class=\"edge\" href=\"{href}\"><title>{title}</title>\
<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"transparent\" stroke-width=\"12\"/>\
<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"{color}\" stroke-opacity=\"0.8\" stroke-width=\"{width:.1}\"{dash}{marker}/></a>",
            href = esc(&e.href),
            title = esc(&e.title)
        );
    }
    for (i, n) in nodes.iter().enumerate() {
        let (x, y) = pos[i];
        let rad = if centre && i == 0 { 12.0 } else { 8.0 };
        let label: String = n.label.chars().take(28).collect();
        let anchor = if x < cx - 1.0 {
            "end"
        } else if x > cx + 1.0 {
            "start"
        } else {
            "middle"
        };
        let dx = match anchor {
            "end" => -12.0,
            "start" => 12.0,
            _ => 0.0,
        };
        let dy = if anchor == "middle" { -14.0 } else { 4.0 };
        let _ = write!(
            s,
            "<a class=\"node\" href=\"{href}\"><title>{full}</title><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{rad}\" fill=\"{c}\" stroke=\"#fff\" stroke-width=\"2\"/>\
<text x=\"{tx:.1}\" y=\"{ty:.1}\" text-anchor=\"{anchor}\">{label}</text></a>",
            href = esc(&entity_href(&n.id)),
            full = esc(&format!("{} ({})", n.label, n.id)),
            c = node_color(&n.kind),
            tx = x + dx,
            ty = y + dy,
            label = esc(&label)
        );
    }
    s.push_str("</svg>");
    s
}

/// A point on a timeline.
pub struct Mark {
    pub day: String,
    pub label: String,
    pub href: String,
    /// Positive: cooperation (green), negative: conflict (red), none: grey.
    pub tone: Option<f64>,
    /// Documents are drawn as squares on their own row.
    pub document: bool,
}

/// A timeline of events (circles, stacked per day) and documents (squares).
pub fn timeline_svg(marks: &[Mark]) -> String {
    let days: Vec<i64> = marks.iter().filter_map(|m| day_number(&m.day)).collect();
    let (Some(&lo), Some(&hi)) = (days.iter().min(), days.iter().max()) else {
        return "<p class=\"meta\">No dated events or documents.</p>".into();
    };
    let (w, left, right) = (720.0_f64, 30.0_f64, 30.0_f64);
    let span = (hi - lo).max(1) as f64;
    let x = |d: i64| left + (d - lo) as f64 / span * (w - left - right);
    let mut stack: std::collections::HashMap<(i64, bool), usize> = Default::default();
    let mut rows_needed = 1;
    for m in marks {
        if let Some(d) = day_number(&m.day) {
            if !m.document {
                let n = stack.entry((d, false)).or_insert(0);
                *n += 1;
                rows_needed = rows_needed.max(*n);
            }
        }
    }
    stack.clear();
    let rows_needed = rows_needed.min(12);
    let h = 70.0 + rows_needed as f64 * 16.0;
    let axis = h - 40.0;
    let mut s = format!(
        "<svg class=\"timeline\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"timeline\">\
<line x1=\"{left}\" y1=\"{axis}\" x2=\"{x2}\" y2=\"{axis}\" stroke=\"#9aa5af\"/>",
        x2 = w - right
    );
    for m in marks {
        let Some(d) = day_number(&m.day) else {
            continue;
        };
        let n = stack.entry((d, m.document)).or_insert(0);
        *n += 1;
        if *n > 12 {
            continue;
        }
        let px = x(d);
        if m.document {
            let py = axis + 8.0 + (*n as f64 - 1.0) * 3.0;
            let _ = write!(
                s,
                "<a class=\"doc-mark\" href=\"{}\"><rect x=\"{:.1}\" y=\"{py:.1}\" width=\"9\" height=\"9\" fill=\"#5b6670\" stroke=\"#000\" stroke-opacity=\"0\"><title>{}</title></rect></a>",
                esc(&m.href),
                px - 4.5,
                esc(&m.label)
            );
        } else {
            let py = axis - 10.0 - (*n as f64 - 1.0) * 16.0;
            let color = match m.tone {
                Some(t) if t > 0.0 => "#3ea35d",
                Some(t) if t < 0.0 => "#c94a3d",
                _ => "#7d8b98",
            };
            let _ = write!(
                s,
                "<a class=\"event-mark\" href=\"{}\"><circle cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"6\" fill=\"{color}\" stroke=\"#000\" stroke-opacity=\"0\"><title>{}</title></circle></a>",
                esc(&m.href),
                esc(&m.label)
            );
        }
    }
    let first = marks
        .iter()
        .filter(|m| day_number(&m.day) == Some(lo))
        .map(|m| &m.day)
        .next();
    let last = marks
        .iter()
        .filter(|m| day_number(&m.day) == Some(hi))
        .map(|m| &m.day)
        .next();
    let _ = write!(
        s,
        "<text x=\"{left}\" y=\"{}\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text></svg>",
        h - 8.0,
        esc(first.map_or("", |s| s)),
        w - right,
        h - 8.0,
        esc(last.map_or("", |s| s))
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_text_and_attributes() {
        assert_eq!(
            esc("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
        assert_eq!(enc("x:PER:a b/c?&"), "x:PER:a%20b%2Fc%3F%26");
        assert_eq!(enc("Müller"), "M%C3%BCller");
    }

    #[test]
    fn only_http_urls_are_links() {
        assert!(safe_url("https://example.org/a?b=1").is_some());
        assert!(safe_url("HTTP://EXAMPLE.ORG").is_some());
        assert!(safe_url("javascript:alert(1)").is_none());
        assert!(safe_url(" JaVaScRiPt:alert(1)").is_none());
        assert!(safe_url("data:text/html,x").is_none());
        assert!(safe_url("https://a\nb").is_none());
        assert!(!ext_link("javascript:alert(1)").contains("href"));
        assert!(ext_link("https://x.org/\"><img>").contains("&quot;&gt;&lt;img&gt;"));
    }

    #[test]
    fn day_numbers() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(
            day_number("2024-03-01").unwrap() - day_number("2024-02-28").unwrap(),
            2
        );
        assert_eq!(day_number("2024-11"), None);
    }
}
