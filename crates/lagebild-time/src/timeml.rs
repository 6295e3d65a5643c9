//! Reading gold annotations: TimeML (TIMEX3) and inline TIMEX2 (WikiWars).
//! Tags inside `<TEXT>` are stripped (their text kept); offsets are byte offsets into
//! the stripped, entity-decoded text.

use crate::TimeError;

/// A gold temporal expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gold {
    pub start: usize,
    pub end: usize,
    pub kind: String,
    pub value: String,
}

/// A document with its plain text, creation time and gold expressions.
#[derive(Clone, Debug)]
pub struct TimemlDoc {
    pub id: String,
    pub text: String,
    pub dct: Option<String>,
    pub timexes: Vec<Gold>,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(i) = rest.find(name) {
        let before_ok = i == 0 || rest.as_bytes()[i - 1].is_ascii_whitespace();
        let after = rest[i + name.len()..].trim_start();
        if before_ok {
            if let Some(v) = after.strip_prefix('=') {
                let v = v.trim_start();
                let q = v.chars().next()?;
                if q == '"' || q == '\'' {
                    let body = &v[1..];
                    let end = body.find(q)?;
                    return Some(decode(&body[..end]));
                }
            }
        }
        rest = &rest[i + name.len()..];
    }
    None
}

fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn tag_name(tag: &str) -> &str {
    let t = tag.trim_start_matches('/');
    let end = t
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(t.len());
    &t[..end]
}

/// Strip markup from `body`; collect elements named `elem` (outermost only) with `value_attr`.
fn strip(
    body: &str,
    elem: &str,
    value_attr: &str,
    name: &str,
) -> Result<(String, Vec<Gold>), TimeError> {
    let mut text = String::with_capacity(body.len());
    let mut golds = Vec::new();
    let mut stack: Vec<(usize, String, String)> = Vec::new();
    let mut depth = 0usize;
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        text.push_str(&decode(&rest[..lt]));
        let after = &rest[lt + 1..];
        let gt = after.find('>').ok_or_else(|| TimeError::Format {
            name: name.into(),
            msg: "unterminated tag".into(),
        })?;
        let tag = &after[..gt];
        rest = &after[gt + 1..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        if tag_name(tag) != elem {
            continue;
        }
        if tag.starts_with('/') {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                if let Some((s, kind, value)) = stack.pop() {
                    if text.len() > s && !text[s..].trim().is_empty() {
                        golds.push(Gold {
                            start: s,
                            end: text.len(),
                            kind,
                            value,
                        });
                    }
                }
            }
        } else if tag.ends_with('/') {
            // empty, non-consuming: ignored
        } else {
            if depth == 0 {
                stack.push((
                    text.len(),
                    attr(tag, "type").unwrap_or_default(),
                    attr(tag, value_attr).unwrap_or_default().trim().to_string(),
                ));
            }
            depth += 1;
        }
    }
    text.push_str(&decode(rest));
    // trim white space inside extents
    for gd in &mut golds {
        let sub = &text[gd.start..gd.end];
        let lead = sub.len() - sub.trim_start().len();
        let trail = sub.len() - sub.trim_end().len();
        gd.start += lead;
        gd.end -= trail;
    }
    Ok((text, golds))
}

fn section<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let s = xml.find(&open)? + open.len();
    let e = xml[s..].find(&close)? + s;
    Some(&xml[s..e])
}

/// Parse a TimeML file: text of `<TEXT>`, DCT from the `CREATION_TIME` TIMEX3.
pub fn parse_timeml(xml: &str, name: &str) -> Result<TimemlDoc, TimeError> {
    let body = section(xml, "TEXT").ok_or_else(|| TimeError::Format {
        name: name.into(),
        msg: "no <TEXT> element".into(),
    })?;
    let (text, timexes) = strip(body, "TIMEX3", "value", name)?;
    let mut dct = None;
    let mut rest = xml;
    while let Some(i) = rest.find("<TIMEX3") {
        let after = &rest[i..];
        let end = after.find('>').unwrap_or(after.len());
        let tag = &after[..end];
        if attr(tag, "functionInDocument").as_deref() == Some("CREATION_TIME") {
            dct = attr(tag, "value").map(|v| v.chars().take(10).collect());
            break;
        }
        rest = &after[end.min(after.len())..];
        if end == 0 {
            break;
        }
    }
    let id = section(xml, "DOCID")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| name.to_string());
    Ok(TimemlDoc {
        id,
        text,
        dct,
        timexes,
    })
}

/// Parse an inline TIMEX2 file (WikiWars `keyinline`): `<TIMEX2 val=…>` inside `<TEXT>`;
/// the DCT from `<DATETIME>`. Nested TIMEX2 are folded into the outermost.
pub fn parse_timex2_inline(sgml: &str, name: &str) -> Result<TimemlDoc, TimeError> {
    let body = section(sgml, "TEXT").ok_or_else(|| TimeError::Format {
        name: name.into(),
        msg: "no <TEXT> element".into(),
    })?;
    let (text, timexes) = strip(body, "TIMEX2", "val", name)?;
    let dct = section(sgml, "DATETIME")
        .and_then(|d| {
            let i = d.find("val=")?;
            attr(&d[i..], "val")
        })
        .map(|v| v.chars().take(10).collect());
    let id = section(sgml, "DOCID")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| name.to_string());
    Ok(TimemlDoc {
        id,
        text,
        dct,
        timexes,
    })
}
