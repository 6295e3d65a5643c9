//! The semicolon-separated corpus format of the 10kGNAD benchmark.

use lagebild_model::RawDocument;

use crate::error::{ErrorKind, InputError};

/// Read a corpus of `label;text` records (the 10kGNAD format).
///
/// Records end at a newline (`\n` or `\r\n`) outside quotes; empty lines are skipped.
/// A field may be quoted with single quotes `'`, in which case it may hold `;` and
/// newlines and a quote inside it is doubled (`''`). An unquoted label ends at the
/// first `;`; an unquoted text runs to the end of the line (it may hold `;`).
///
/// Each record becomes a [`RawDocument`] with `id` and `path` `name:RECORD_NUMBER`
/// (1-based, counting records, not lines), `source` = the label and `text` = the text.
/// A bad record (no `;`, an empty label or text, text after a closing quote, a quote
/// left open) is an [`ErrorKind::Malformed`] error naming `name:LINE` (the line the
/// record starts on, 1-based); reading goes on with the next line.
pub fn read_semicolon_csv(text: &str, name: &str) -> Vec<Result<RawDocument, InputError>> {
    let mut parser = Parser {
        s: text,
        pos: 0,
        line: 1,
    };
    let mut out = Vec::new();
    let mut record = 0usize;
    loop {
        parser.skip_blank_lines();
        if parser.at_end() {
            break;
        }
        record += 1;
        let start_line = parser.line;
        match parser.record() {
            Ok((label, body)) => {
                let id = format!("{name}:{record}");
                out.push(Ok(RawDocument {
                    id: Some(id.clone()),
                    text: Some(body),
                    source: Some(label),
                    path: Some(id),
                    ..RawDocument::default()
                }));
            }
            Err(message) => {
                out.push(Err(InputError::new(
                    format!("{name}:{start_line}"),
                    ErrorKind::Malformed,
                    format!("record {record}: {message}"),
                )));
                parser.skip_rest_of_line();
            }
        }
    }
    out
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
    /// The 1-based line `pos` is on.
    line: usize,
}

impl Parser<'_> {
    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }

    fn rest(&self) -> &str {
        &self.s[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    /// Consume a line end (`\n` or `\r\n`) if there is one.
    fn eat_line_end(&mut self) {
        if self.rest().starts_with("\r\n") {
            self.bump();
            self.bump();
        } else if self.rest().starts_with('\n') {
            self.bump();
        }
    }

    fn skip_blank_lines(&mut self) {
        loop {
            let line_end = self.rest().find('\n');
            let line = match line_end {
                Some(i) => &self.rest()[..i],
                None => self.rest(),
            };
            if !line.trim().is_empty() {
                return;
            }
            match line_end {
                Some(i) => {
                    self.pos += i + 1;
                    self.line += 1;
                }
                None => {
                    self.pos = self.s.len();
                    return;
                }
            }
        }
    }

    fn skip_rest_of_line(&mut self) {
        while let Some(c) = self.bump() {
            if c == '\n' {
                break;
            }
        }
    }

    /// A quoted field after its opening quote, up to and including the closing quote.
    fn quoted(&mut self) -> Result<String, String> {
        let open_line = self.line;
        let mut out = String::new();
        loop {
            match self.bump() {
                None => return Err(format!("quote opened on line {open_line} is never closed")),
                Some('\'') => {
                    if self.peek() == Some('\'') {
                        self.bump();
                        out.push('\'');
                    } else {
                        return Ok(out);
                    }
                }
                Some(c) => out.push(c),
            }
        }
    }

    /// One record: `(label, text)`, consuming its line end.
    fn record(&mut self) -> Result<(String, String), String> {
        // Label.
        let label = if self.peek() == Some('\'') {
            self.bump();
            let l = self.quoted()?;
            if self.peek() != Some(';') {
                return Err("expected ';' after the quoted label".to_string());
            }
            l
        } else {
            let rest = self.rest();
            let end = rest.find([';', '\n']).unwrap_or(rest.len());
            if !rest[end..].starts_with(';') {
                return Err("no ';' between label and text".to_string());
            }
            let l = rest[..end].to_string();
            self.pos += end;
            l
        };
        self.bump(); // the ';'
        let label = label.trim().to_string();
        if label.is_empty() {
            return Err("empty label".to_string());
        }

        // Text. The line end is consumed only once the record is known to be good,
        // so that error recovery (skip to the end of the line) skips no other record.
        let text = if self.peek() == Some('\'') {
            self.bump();
            let t = self.quoted()?;
            // Allow trailing spaces after the closing quote.
            while matches!(self.peek(), Some(' ' | '\t')) {
                self.bump();
            }
            if !(self.at_end() || self.rest().starts_with('\n') || self.rest().starts_with("\r\n"))
            {
                return Err("unexpected text after the closing quote".to_string());
            }
            t
        } else {
            let rest = self.rest();
            let end = rest.find('\n').unwrap_or(rest.len());
            let t = rest[..end]
                .strip_suffix('\r')
                .unwrap_or(&rest[..end])
                .to_string();
            self.pos += end;
            t
        };
        if text.trim().is_empty() {
            return Err("empty text".to_string());
        }
        self.eat_line_end();
        Ok((label, text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> &'static str {
        concat!(
            "Sport;'Der FC gewinnt 2:1; die Fans jubeln.'\n",
            "Kultur;'Sie sagte: ''Das ist großartig''.\nZweiter Absatz; mit Semikolon.'\r\n",
            "\n",
            "Wirtschaft;Unquoted Text; mit Semikolon\r\n",
            "'Inland';'Quoted label.'\n",
            "Web;''''\n",
        )
    }

    #[test]
    fn reads_records() {
        let docs: Vec<RawDocument> = read_semicolon_csv(fixture(), "train.csv")
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(docs.len(), 5);
        assert_eq!(docs[0].id.as_deref(), Some("train.csv:1"));
        assert_eq!(docs[0].path.as_deref(), Some("train.csv:1"));
        assert_eq!(docs[0].source.as_deref(), Some("Sport"));
        assert_eq!(
            docs[0].text.as_deref(),
            Some("Der FC gewinnt 2:1; die Fans jubeln.")
        );
        assert_eq!(docs[1].source.as_deref(), Some("Kultur"));
        assert_eq!(
            docs[1].text.as_deref(),
            Some("Sie sagte: 'Das ist großartig'.\nZweiter Absatz; mit Semikolon.")
        );
        assert_eq!(docs[2].id.as_deref(), Some("train.csv:3"));
        assert_eq!(docs[2].source.as_deref(), Some("Wirtschaft"));
        assert_eq!(
            docs[2].text.as_deref(),
            Some("Unquoted Text; mit Semikolon")
        );
        assert_eq!(docs[3].source.as_deref(), Some("Inland"));
        assert_eq!(docs[3].text.as_deref(), Some("Quoted label."));
        assert_eq!(docs[4].text.as_deref(), Some("'"));
        assert!(docs.iter().all(|d| d.html.is_none() && d.url.is_none()));
    }

    #[test]
    fn no_trailing_newline() {
        let docs = read_semicolon_csv("A;'x'", "c");
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].as_ref().unwrap().text.as_deref(), Some("x"));
        let docs = read_semicolon_csv("A;x", "c");
        assert_eq!(docs[0].as_ref().unwrap().text.as_deref(), Some("x"));
    }

    #[test]
    fn bad_records_are_errors_and_reading_goes_on() {
        let text = concat!(
            "Sport;'gut'\n",        // line 1, record 1
            "ohne Trenner\n",       // line 2, record 2
            ";'ohne Label'\n",      // line 3, record 3
            "Sport;'x' danach\n",   // line 4, record 4
            "Sport;\n",             // line 5, record 5
            "Kultur;'auch gut'\n",  // line 6, record 6
            "Inland;'offen\nbis\n", // line 7, record 7: never closed
        );
        let docs = read_semicolon_csv(text, "t.csv");
        assert_eq!(docs.len(), 7);
        let d0 = docs[0].as_ref().unwrap();
        assert_eq!(d0.id.as_deref(), Some("t.csv:1"));
        for (i, line) in [(1, 2), (2, 3), (3, 4), (4, 5), (6, 7)] {
            let e = docs[i].as_ref().unwrap_err();
            assert_eq!(e.kind, ErrorKind::Malformed);
            assert_eq!(e.input, format!("t.csv:{line}"));
            assert!(
                e.message.starts_with(&format!("record {}:", i + 1)),
                "{}",
                e.message
            );
        }
        let d5 = docs[5].as_ref().unwrap();
        assert_eq!(d5.id.as_deref(), Some("t.csv:6"));
        assert_eq!(d5.text.as_deref(), Some("auch gut"));
        assert!(docs[6]
            .as_ref()
            .unwrap_err()
            .message
            .contains("never closed"));
    }

    #[test]
    fn empty_input() {
        assert!(read_semicolon_csv("", "e").is_empty());
        assert!(read_semicolon_csv("\n \r\n", "e").is_empty());
    }
}
