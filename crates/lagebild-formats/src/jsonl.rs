//! JSON Lines: one document per non-empty line.

use lagebild_model::RawDocument;
use serde_json::{Map, Value};

use crate::error::{ErrorKind, InputError};

/// Parse JSON Lines `text`: one [`RawDocument`] (or one error) per non-empty line, in
/// order. Errors and document paths name the line as `name:LINE` (1-based).
pub(crate) fn parse_jsonl(text: &str, name: &str) -> Vec<Result<RawDocument, InputError>> {
    text.split('\n')
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            let input = format!("{name}:{}", i + 1);
            parse_line(line.trim(), &input)
                .map_err(|message| InputError::new(input.clone(), ErrorKind::Malformed, message))
        })
        .collect()
}

fn parse_line(line: &str, input: &str) -> Result<RawDocument, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not valid JSON: {e}"))?;
    let Value::Object(obj) = value else {
        return Err(format!(
            "expected a JSON object, found {}",
            type_name(&value)
        ));
    };
    let doc = RawDocument {
        id: id_field(&obj)?,
        text: string_field(&obj, "text")?,
        html: string_field(&obj, "html")?,
        url: string_field(&obj, "url")?,
        title: string_field(&obj, "title")?,
        published: match string_field(&obj, "published")? {
            Some(p) => Some(normalize_date(&p)?),
            None => None,
        },
        source: string_field(&obj, "source")?,
        language: string_field(&obj, "language")?,
        path: Some(input.to_string()),
    };
    if doc.text.is_none() && doc.html.is_none() {
        return Err("the object has neither a non-empty \"text\" nor \"html\"".to_string());
    }
    Ok(doc)
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A string field; absent, `null` and whitespace-only strings are `None`, other
/// types an error. `text` and `html` keep their exact content, the others are trimmed.
fn string_field(obj: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) if key == "text" || key == "html" => Ok(Some(s.clone())),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(other) => Err(format!(
            "field \"{key}\" must be a string, found {}",
            type_name(other)
        )),
    }
}

/// `id` may be a string or a number.
fn id_field(obj: &Map<String, Value>) -> Result<Option<String>, String> {
    match obj.get("id") {
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        _ => string_field(obj, "id"),
    }
}

/// `YYYY-MM-DD`, or a timestamp that starts with one (`T` or a space after the date):
/// the date part, checked for a real calendar date.
pub(crate) fn normalize_date(s: &str) -> Result<String, String> {
    let bad = || format!("invalid date in \"published\": {s:?} (expected YYYY-MM-DD)");
    let b = s.as_bytes();
    if b.len() < 10 || (b.len() > 10 && !matches!(b[10], b'T' | b't' | b' ')) {
        return Err(bad());
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    if b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return Err(bad());
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if year == 0 || day == 0 || day > days_in_month {
        return Err(bad());
    }
    Ok(s[..10].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(normalize_date("2024-03-05").unwrap(), "2024-03-05");
        assert_eq!(
            normalize_date("2024-03-05T14:30:00+01:00").unwrap(),
            "2024-03-05"
        );
        assert_eq!(normalize_date("2024-03-05 14:30").unwrap(), "2024-03-05");
        assert_eq!(normalize_date("2024-02-29").unwrap(), "2024-02-29");
        assert_eq!(normalize_date("2000-02-29").unwrap(), "2000-02-29");
        for bad in [
            "2023-02-29",
            "1900-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "2024-01-00",
            "2024-3-5",
            "05.03.2024",
            "2024-03-05x",
            "gestern",
            "0000-01-01",
            "２０２４-03-05",
        ] {
            assert!(normalize_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn fields_and_types() {
        let text = concat!(
            r#"{"id": 7, "text": "Hallo", "url": " https://example.org/a ", "title": "T", "published": "2024-05-01T08:00:00Z", "source": "Agentur", "language": "de", "extra": [1]}"#,
            "\n",
            r#"{"id": "x-1", "html": "<p>Hi</p>", "title": null, "published": ""}"#,
        );
        let docs = parse_jsonl(text, "f.jsonl");
        assert_eq!(docs.len(), 2);
        let a = docs[0].as_ref().unwrap();
        assert_eq!(a.id.as_deref(), Some("7"));
        assert_eq!(a.text.as_deref(), Some("Hallo"));
        assert_eq!(a.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(a.published.as_deref(), Some("2024-05-01"));
        assert_eq!(a.source.as_deref(), Some("Agentur"));
        assert_eq!(a.language.as_deref(), Some("de"));
        assert_eq!(a.path.as_deref(), Some("f.jsonl:1"));
        let b = docs[1].as_ref().unwrap();
        assert_eq!(b.id.as_deref(), Some("x-1"));
        assert_eq!(b.html.as_deref(), Some("<p>Hi</p>"));
        assert_eq!(b.text, None);
        assert_eq!(b.title, None);
        assert_eq!(b.published, None);
        assert_eq!(b.path.as_deref(), Some("f.jsonl:2"));
    }

    #[test]
    fn bad_lines_are_errors_and_others_come_through() {
        let text = "{\"text\": \"eins\"}\r\n\
                    \n\
                    [1, 2]\n\
                    {\"title\": \"ohne Text\"}\n\
                    {\"text\": \"   \"}\n\
                    {\"text\": 5}\n\
                    {\"text\": \"sechs\", \"published\": \"2024-02-30\"}\n\
                    {kaputt\n\
                    {\"text\": \"neun\", \"id\": true}\n\
                    {\"text\": \"zehn\"}";
        let docs = parse_jsonl(text, "in");
        let summary: Vec<Result<String, (String, ErrorKind)>> = docs
            .into_iter()
            .map(|r| match r {
                Ok(d) => Ok(d.path.unwrap()),
                Err(e) => Err((e.input, e.kind)),
            })
            .collect();
        let m = |line: &str| Err((line.to_string(), ErrorKind::Malformed));
        assert_eq!(
            summary,
            vec![
                Ok("in:1".to_string()),
                m("in:3"),
                m("in:4"),
                m("in:5"),
                m("in:6"),
                m("in:7"),
                m("in:8"),
                m("in:9"),
                Ok("in:10".to_string()),
            ]
        );
    }

    #[test]
    fn error_messages_are_helpful() {
        let docs = parse_jsonl(
            "\"nur ein String\"\n{\"text\":\"a\",\"published\":\"31.12.2024\"}",
            "n",
        );
        let e0 = docs[0].as_ref().unwrap_err();
        assert_eq!(
            e0.to_string(),
            "n:1: expected a JSON object, found a string"
        );
        let e1 = docs[1].as_ref().unwrap_err();
        assert!(e1.message.contains("31.12.2024"), "{}", e1.message);
    }
}
