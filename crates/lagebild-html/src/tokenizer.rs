//! A forgiving, single-pass HTML tokenizer.
//!
//! It splits the input into text runs, start tags (with attributes), end tags
//! and raw element content. Comments, doctypes, CDATA sections and
//! processing instructions are consumed silently. Every step moves forward
//! and every search is a forward substring search that either succeeds or
//! ends the input, so the whole pass is linear in the input length.

use crate::tags::RawKind;

/// One attribute exactly as written: raw name, raw (undecoded) value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Attr<'a> {
    pub(crate) name: &'a str,
    pub(crate) value: &'a str,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Token<'a, 't> {
    /// Character data between tags (entities still encoded).
    Text(&'a str),
    /// The content of a raw-text element, after [`Tokenizer::set_raw`].
    Raw(&'a str),
    Start {
        name: &'a str,
        attrs: &'t [Attr<'a>],
        self_closing: bool,
    },
    End {
        name: &'a str,
    },
}

enum Parsed<'a> {
    Skip,
    Text(usize, usize),
    Start { name: &'a str, self_closing: bool },
    End { name: &'a str },
}

pub(crate) struct Tokenizer<'a> {
    src: &'a str,
    pos: usize,
    attrs: Vec<Attr<'a>>,
    raw: Option<RawKind>,
    /// No `]]>` starts at or after this offset (memo against rescans).
    cdata_absent_from: usize,
}

#[inline]
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

impl<'a> Tokenizer<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Tokenizer {
            src,
            pos: 0,
            attrs: Vec::new(),
            raw: None,
            cdata_absent_from: usize::MAX,
        }
    }

    /// Read the content of the element just started as raw character data.
    /// The next token is then a [`Token::Raw`] (possibly empty).
    pub(crate) fn set_raw(&mut self, kind: RawKind) {
        self.raw = Some(kind);
    }

    pub(crate) fn next_token(&mut self) -> Option<Token<'a, '_>> {
        let len = self.src.len();
        if let Some(kind) = self.raw.take() {
            let start = self.pos.min(len);
            let end = match kind {
                RawKind::Eof => len,
                RawKind::Until(name) => self.find_raw_end(start, name),
            };
            self.pos = end;
            return Some(Token::Raw(&self.src[start..end]));
        }
        let parsed = loop {
            if self.pos >= len {
                return None;
            }
            if self.is_markup(self.pos) {
                match self.markup() {
                    Parsed::Skip => continue,
                    other => break other,
                }
            } else {
                let start = self.pos;
                let first = self.src[start..].chars().next().map_or(1, char::len_utf8);
                let end = self.text_end(start + first);
                self.pos = end;
                break Parsed::Text(start, end);
            }
        };
        Some(match parsed {
            Parsed::Text(s, e) => Token::Text(&self.src[s..e]),
            Parsed::Start { name, self_closing } => Token::Start {
                name,
                attrs: &self.attrs,
                self_closing,
            },
            Parsed::End { name } => Token::End { name },
            Parsed::Skip => unreachable!("skips are consumed in the loop"),
        })
    }

    /// Whether a `<` at `i` opens markup (tag, end tag, comment, …) rather
    /// than being literal text.
    fn is_markup(&self, i: usize) -> bool {
        let b = self.src.as_bytes();
        if b.get(i) != Some(&b'<') {
            return false;
        }
        match b.get(i + 1) {
            Some(c) if c.is_ascii_alphabetic() => true,
            Some(b'!') | Some(b'?') => true,
            Some(b'/') => i + 2 < b.len(),
            _ => false,
        }
    }

    /// End of the text run that contains `from - 1`.
    fn text_end(&self, mut from: usize) -> usize {
        let len = self.src.len();
        while from < len {
            match self.src[from..].find('<') {
                None => return len,
                Some(r) => {
                    let j = from + r;
                    if self.is_markup(j) {
                        return j;
                    }
                    from = j + 1;
                }
            }
        }
        len
    }

    fn find_from(&self, from: usize, pat: &str) -> Option<usize> {
        if from > self.src.len() {
            return None;
        }
        self.src[from..].find(pat).map(|r| from + r)
    }

    /// Skip to just after the next `>` (or to the end).
    fn bogus_comment(&mut self, from: usize) -> Parsed<'a> {
        self.pos = match self.find_from(from, ">") {
            Some(e) => e + 1,
            None => self.src.len(),
        };
        Parsed::Skip
    }

    fn markup(&mut self) -> Parsed<'a> {
        let i = self.pos;
        let src = self.src;
        let b = src.as_bytes();
        let len = b.len();
        match b[i + 1] {
            b'!' => {
                if b[i..].starts_with(b"<!--") {
                    let body = i + 4;
                    self.pos = if b.get(body) == Some(&b'>') {
                        body + 1
                    } else if b[body..].starts_with(b"->") {
                        body + 2
                    } else {
                        match self.find_from(body, "-->") {
                            Some(e) => e + 3,
                            None => len,
                        }
                    };
                    return Parsed::Skip;
                }
                if b[i..].starts_with(b"<![CDATA[") {
                    let from = i + 9;
                    if from < self.cdata_absent_from {
                        match self.find_from(from, "]]>") {
                            Some(e) => {
                                self.pos = e + 3;
                                return Parsed::Skip;
                            }
                            None => self.cdata_absent_from = from,
                        }
                    }
                }
                self.bogus_comment(i + 2)
            }
            b'?' => self.bogus_comment(i + 2),
            b'/' => match b.get(i + 2) {
                Some(b'>') => {
                    self.pos = i + 3;
                    Parsed::Skip
                }
                Some(c) if c.is_ascii_alphabetic() => {
                    let (name, after) = self.tag_name(i + 2);
                    match self.attributes(after) {
                        Some((end, _)) => {
                            self.pos = end;
                            Parsed::End { name }
                        }
                        None => {
                            self.pos = len;
                            Parsed::Skip
                        }
                    }
                }
                _ => self.bogus_comment(i + 2),
            },
            _ => {
                let (name, after) = self.tag_name(i + 1);
                match self.attributes(after) {
                    Some((end, self_closing)) => {
                        self.pos = end;
                        Parsed::Start { name, self_closing }
                    }
                    None => {
                        // End of input inside a tag: the tag is dropped.
                        self.pos = len;
                        Parsed::Skip
                    }
                }
            }
        }
    }

    fn tag_name(&self, start: usize) -> (&'a str, usize) {
        let src = self.src;
        let b = src.as_bytes();
        let mut p = start;
        while p < b.len() && !is_ws(b[p]) && b[p] != b'/' && b[p] != b'>' {
            p += 1;
        }
        (&src[start..p], p)
    }

    /// Parse attributes from `p` up to and including the closing `>`.
    /// Returns the offset after `>` and the self-closing flag, or `None` when
    /// the input ends inside the tag.
    fn attributes(&mut self, mut p: usize) -> Option<(usize, bool)> {
        let src = self.src;
        let b = src.as_bytes();
        let len = b.len();
        self.attrs.clear();
        loop {
            while p < len && is_ws(b[p]) {
                p += 1;
            }
            if p >= len {
                return None;
            }
            match b[p] {
                b'>' => return Some((p + 1, false)),
                b'/' => {
                    if b.get(p + 1) == Some(&b'>') {
                        return Some((p + 2, true));
                    }
                    p += 1;
                    continue;
                }
                _ => {}
            }
            let ns = p;
            p += 1; // the first character may be anything, even '='
            while p < len && !is_ws(b[p]) && !matches!(b[p], b'/' | b'>' | b'=') {
                p += 1;
            }
            // `p` stops at ASCII bytes only, so these are char boundaries.
            let name = &src[ns..p];
            while p < len && is_ws(b[p]) {
                p += 1;
            }
            let mut value = "";
            if p < len && b[p] == b'=' {
                p += 1;
                while p < len && is_ws(b[p]) {
                    p += 1;
                }
                if p >= len {
                    return None;
                }
                match b[p] {
                    q @ (b'"' | b'\'') => {
                        let close = src[p + 1..].find(q as char)? + p + 1;
                        value = &src[p + 1..close];
                        p = close + 1;
                    }
                    b'>' => {}
                    _ => {
                        let vs = p;
                        while p < len && !is_ws(b[p]) && b[p] != b'>' {
                            p += 1;
                        }
                        value = &src[vs..p];
                    }
                }
            }
            self.attrs.push(Attr { name, value });
        }
    }

    /// Offset of the `</name` that ends a raw-text element, or the end.
    fn find_raw_end(&self, from: usize, name: &str) -> usize {
        let b = self.src.as_bytes();
        let len = b.len();
        let mut p = from;
        while let Some(j) = self.find_from(p, "</") {
            let ns = j + 2;
            let ne = ns + name.len();
            if ne <= len
                && b[ns..ne].eq_ignore_ascii_case(name.as_bytes())
                && (ne == len || is_ws(b[ne]) || b[ne] == b'/' || b[ne] == b'>')
            {
                return j;
            }
            p = ns;
        }
        len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum T {
        Text(String),
        Raw(String),
        Start(String, Vec<(String, String)>, bool),
        End(String),
    }

    fn toks(s: &str) -> Vec<T> {
        let mut t = Tokenizer::new(s);
        let mut out = Vec::new();
        while let Some(tok) = t.next_token() {
            let raw = match &tok {
                Token::Start { name, .. } => crate::tags::raw_kind(name),
                _ => None,
            };
            out.push(match tok {
                Token::Text(x) => T::Text(x.into()),
                Token::Raw(x) => T::Raw(x.into()),
                Token::Start {
                    name,
                    attrs,
                    self_closing,
                } => T::Start(
                    name.into(),
                    attrs
                        .iter()
                        .map(|a| (a.name.into(), a.value.into()))
                        .collect(),
                    self_closing,
                ),
                Token::End { name } => T::End(name.into()),
            });
            if let Some(k) = raw {
                t.set_raw(k);
            }
        }
        out
    }

    fn st(n: &str, a: &[(&str, &str)], sc: bool) -> T {
        T::Start(
            n.into(),
            a.iter()
                .map(|(x, y)| (x.to_string(), y.to_string()))
                .collect(),
            sc,
        )
    }

    #[test]
    fn attribute_quoting_styles() {
        assert_eq!(
            toks(r#"<a href="x y" title='it"s' data-n=5 checked id = z>"#),
            vec![st(
                "a",
                &[
                    ("href", "x y"),
                    ("title", "it\"s"),
                    ("data-n", "5"),
                    ("checked", ""),
                    ("id", "z")
                ],
                false
            )]
        );
        assert_eq!(toks("<br/>"), vec![st("br", &[], true)]);
        assert_eq!(
            toks("<img src=a.png/>"),
            vec![st("img", &[("src", "a.png/")], false)]
        );
    }

    #[test]
    fn lone_angle_brackets_are_text() {
        assert_eq!(toks("a < b"), vec![T::Text("a < b".into())]);
        assert_eq!(
            toks("x<3 <p>y"),
            vec![
                T::Text("x<3 ".into()),
                st("p", &[], false),
                T::Text("y".into())
            ]
        );
        assert_eq!(toks("end <"), vec![T::Text("end <".into())]);
        assert_eq!(toks("end </"), vec![T::Text("end </".into())]);
    }

    #[test]
    fn comments_doctype_cdata_pi_are_skipped() {
        assert_eq!(
            toks(
                "<!DOCTYPE html><!-- <p>no</p> -->a<![CDATA[ x ]]>b<?php echo 1 ?>c<!---->d<!-->e"
            ),
            vec![
                T::Text("a".into()),
                T::Text("b".into()),
                T::Text("c".into()),
                T::Text("d".into()),
                T::Text("e".into())
            ]
        );
        assert_eq!(toks("a<!-- never closed <p>x"), vec![T::Text("a".into())]);
        assert_eq!(
            toks("a</ 3>b</>c"),
            vec![
                T::Text("a".into()),
                T::Text("b".into()),
                T::Text("c".into())
            ]
        );
    }

    #[test]
    fn raw_text_elements() {
        assert_eq!(
            toks("<script>var s = '</div><p>';</script >after"),
            vec![
                st("script", &[], false),
                T::Raw("var s = '</div><p>';".into()),
                T::End("script".into()),
                T::Text("after".into())
            ]
        );
        assert_eq!(
            toks("<title>A &amp; <b>B</b></TITLE>"),
            vec![
                st("title", &[], false),
                T::Raw("A &amp; <b>B</b>".into()),
                T::End("TITLE".into())
            ]
        );
        assert_eq!(
            toks("<style>p{}"),
            vec![st("style", &[], false), T::Raw("p{}".into())]
        );
        assert_eq!(
            toks("<script></scripts></script>"),
            vec![
                st("script", &[], false),
                T::Raw("</scripts>".into()),
                T::End("script".into())
            ]
        );
    }

    #[test]
    fn eof_inside_tag_drops_it() {
        assert_eq!(toks("ok<div class=\"x"), vec![T::Text("ok".into())]);
        assert_eq!(toks("ok<div"), vec![T::Text("ok".into())]);
        assert_eq!(toks("ok</div"), vec![T::Text("ok".into())]);
    }

    #[test]
    fn unterminated_cdata_is_linear() {
        // Many unterminated CDATA openers: each is a bogus comment ending at '>'.
        let s = "<![CDATA[ a >x".repeat(50_000);
        let t = toks(&s);
        assert_eq!(t.len(), 50_000);
        assert_eq!(t[0], T::Text("x".into()));
    }

    #[test]
    fn non_ascii_names_and_values() {
        assert_eq!(
            toks("<p title=\"Grüße\" data-ä=ö>Straße</p>"),
            vec![
                st("p", &[("title", "Grüße"), ("data-ä", "ö")], false),
                T::Text("Straße".into()),
                T::End("p".into())
            ]
        );
    }
}
