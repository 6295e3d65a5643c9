//! # lagebild-time — temporal expressions for German and English news
//!
//! Finds dates, times, durations and sets in text and normalises them to TIMEX3 values
//! (`2024-11-01`, `2024-09`, `2024-W37`, `2023-SU`, `PRESENT_REF`, `P3D`, `XXXX-WXX-1` …).
//!
//! ## Design
//! * **Data, not code, carries the language.** `resources/time/<lang>.tsv` are lexicons
//!   (`category<TAB>entry<TAB>value`: month names, weekdays, number words, units, relative
//!   words, modifiers, seasons, holidays, parts of day, tense markers, stop words, settings).
//!   `resources/time/rules.tsv` holds the recognition rules: regular expressions with
//!   `{category}` placeholders (expanded to the lexicon's alternation) and named groups
//!   that say what each part means (`y m d mon wd rel unit num mod pod season hol …`).
//!   A group `x`, when present, is the extent; the rest of the match is context (so
//!   "seit" in "seit 20 Jahren" guides the rule without being part of the TIMEX3).
//! * **Cascade.** (1) every rule scans the text; matches failing context checks
//!   (word boundaries, capitalised month/weekday names, "Jahre alt", "2000 Euro" …) are
//!   dropped; (2) overlapping candidates are resolved longest-extent-first (earlier rule
//!   on ties); (3) the survivors are normalised left to right by the rule's handler.
//! * **Anchoring.** In [`Mode::News`] relative and underspecified expressions resolve
//!   against the document creation time (DCT), with the sentence's tense (simple marker
//!   words: *war, wurde, hatte*, participles / *was, had, -ed*; *wird, soll* / *will*)
//!   choosing past or future for weekdays, months and day-month dates ("am Freitag" in a
//!   past-tense report is the Friday before the DCT). Where a lexicon sets
//!   `tense_scope nearest` (English), a sentence with both past and future marker words
//!   gives each expression the tense of the nearest one ("said Thursday that the troops
//!   will stay"). In [`Mode::Narrative`] the anchor
//!   is the last date mentioned (initially the DCT if given).
//! * **No DCT.** With `dct = None` and nothing to anchor on, expressions whose value
//!   needs an anchor get TIMEX3 underspecified values (`XXXX-05`, `XXXX-XX-XX`,
//!   `XXXX-WXX-5`); explicit dates, durations, sets and `*_REF` values are unaffected.
//!   [`TimeTagger::infer_dct`] can supply a date (dateline; weekday + day + month fixes
//!   the year).
//! * Offsets are byte offsets into the input, always on char boundaries.

pub mod cal;
pub mod eval;
mod rules;
pub mod timeml;

pub use lagebild_model::Time;

use cal::{add_months, parse_ymd, Ymd};
use regex::Captures;
use rules::{Handler, LangRules};
use std::collections::HashMap;

/// Errors from loading lexicons/rules or reading TimeML.
#[derive(Debug, thiserror::Error)]
pub enum TimeError {
    #[error("{file}:{line}: {msg}")]
    Parse {
        file: String,
        line: usize,
        msg: String,
    },
    #[error("{name}: {msg}")]
    Format { name: String, msg: String },
}

/// How relative expressions are anchored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Against the document creation time, tense deciding past/future.
    News,
    /// Against the last date mentioned.
    Narrative,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tense {
    Past,
    Present,
    Future,
}

/// The reference point: a year, possibly with month and day.
#[derive(Clone, Copy, Debug)]
struct Anchor {
    y: i64,
    m: Option<u32>,
    d: Option<u32>,
}

impl Anchor {
    fn day(&self) -> Option<Ymd> {
        Ymd::new(self.y, self.m?, self.d?)
    }
    fn from_value(v: &str) -> Option<Anchor> {
        let b = v.as_bytes();
        if b.len() < 4 || !b[..4].iter().all(|c| c.is_ascii_digit()) {
            return None;
        }
        if b.len() > 4 && b[4] != b'-' {
            return None;
        }
        let y: i64 = v[..4].parse().ok()?;
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let s = v.get(r)?;
            if s.bytes().all(|c| c.is_ascii_digit()) {
                s.parse().ok()
            } else {
                None
            }
        };
        let m = num(5..7).filter(|m| (1..=12).contains(m));
        let d = m.and_then(|_| num(8..10)).filter(|d| *d >= 1 && *d <= 31);
        Some(Anchor { y, m, d })
    }
}

struct Norm {
    kind: &'static str,
    value: String,
    year_explicit: bool,
}

impl Norm {
    fn new(kind: &'static str, value: String) -> Option<Norm> {
        Some(Norm {
            kind,
            value,
            year_explicit: false,
        })
    }
}

/// Per-document resolution state.
struct Ctx {
    mode: Mode,
    dct: Option<Ymd>,
    anchor: Option<Anchor>,
    /// Last day-level date mentioned, with its sentence index.
    last_day: Option<(Ymd, usize)>,
    /// Last calendar date of any precision the text has named (not the DCT).
    last_date: Option<Anchor>,
    /// Last quarter value (`YYYY-Qn`) mentioned, with its sentence index.
    last_quarter: Option<(String, usize)>,
    /// Sentence of the last span of months ("the nine months").
    months_sent: Option<usize>,
    sent: usize,
    tense: Tense,
}

/// Lexicons plus compiled rules, built once; `Send + Sync`.
pub struct TimeTagger {
    langs: HashMap<String, LangRules>,
}

const EMBEDDED: &[(&str, &str)] = &[
    (
        "time/de.tsv",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../resources/time/de.tsv"
        )),
    ),
    (
        "time/en.tsv",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../resources/time/en.tsv"
        )),
    ),
    (
        "time/rules.tsv",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../resources/time/rules.tsv"
        )),
    ),
];

fn g<'t>(c: &Captures<'t>, name: &str) -> Option<&'t str> {
    c.name(name).map(|m| m.as_str())
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A fractional duration in whole smaller units (P2Y6M, PT1H30M, PT1M30S, P1DT12H);
/// None where the value has no fraction or it does not come out whole.
fn split_fraction(n: f64, code: &str) -> Option<String> {
    let f = n.fract();
    if f == 0.0 {
        return None;
    }
    let whole = n.trunc() as i64;
    let small = |k: f64| {
        let x = f * k;
        (x.fract().abs() < 1e-9).then_some(x as i64)
    };
    let v = match code {
        "Y" => format!("P{whole}Y{}M", small(12.0)?),
        "D" => format!("P{whole}DT{}H", small(24.0)?),
        "H" => format!("PT{whole}H{}M", small(60.0)?),
        "MIN" => format!("PT{whole}M{}S", small(60.0)?),
        _ => return None,
    };
    // "half a year" is P6M, not P0Y6M
    Some(
        v.replace("P0Y", "P")
            .replace("P0DT", "PT")
            .replace("PT0H", "PT")
            .replace("PT0M", "PT"),
    )
}

/// TIMEX3 duration value for `n` (None = unspecified "X") units of `code`.
fn duration_value(n: Option<f64>, code: &str) -> Option<String> {
    let x = |k: f64| n.map(|v| fmt_num(v * k)).unwrap_or_else(|| "X".into());
    Some(match code {
        "Y" => format!("P{}Y", x(1.0)),
        "M" => format!("P{}M", x(1.0)),
        "W" => format!("P{}W", x(1.0)),
        "D" => format!("P{}D", x(1.0)),
        "H" => format!("PT{}H", x(1.0)),
        "MIN" => format!("PT{}M", x(1.0)),
        "S" => format!("PT{}S", x(1.0)),
        "DE" => match n {
            Some(_) => format!("P{}Y", x(10.0)),
            None => "PXDE".into(),
        },
        "CE" => match n {
            Some(_) => format!("P{}Y", x(100.0)),
            None => "PXCE".into(),
        },
        "Q" => format!("P{}Q", x(1.0)),
        "WE" => format!("P{}WE", x(1.0)),
        _ => return None,
    })
}

fn is_sentence_start(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches([' ', '\t']);
    match before.chars().last() {
        None => true,
        Some(c) => matches!(
            c,
            '.' | '!' | '?' | ':' | '"' | '„' | '“' | '»' | '«' | '\n' | '(' | '-' | '–'
        ),
    }
}

fn next_word(text: &str, end: usize) -> &str {
    let rest = text[end..].trim_start();
    let stop = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '.' || c == '%'))
        .unwrap_or(rest.len());
    rest[..stop].trim_end_matches('.')
}

fn prev_word(text: &str, start: usize) -> &str {
    let before = text[..start].trim_end();
    let from = before
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphanumeric())
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    &before[from..]
}

/// Simple sentence split: at `.!?` followed by white space and an upper-case letter
/// (not after a digit, so "1. November" stays whole), and at line breaks.
pub fn split_sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let cut = if c == '\n' {
            Some(i + 1)
        } else if matches!(c, '.' | '!' | '?') {
            let prev_digit = k > 0 && chars[k - 1].1.is_ascii_digit();
            let mut j = k + 1;
            // closing quotes and brackets stay with the sentence they end (`.''`, `."`)
            while j < chars.len() && is_closing(chars[j].1) {
                j += 1;
            }
            let end = chars.get(j).map_or(text.len(), |&(b, _)| b);
            let mut saw_space = false;
            while j < chars.len() && chars[j].1.is_whitespace() && chars[j].1 != '\n' {
                saw_space = true;
                j += 1;
            }
            // an opening quote may precede the next sentence's first letter
            while j < chars.len() && is_opening(chars[j].1) {
                j += 1;
            }
            let next_upper = j < chars.len() && chars[j].1.is_uppercase();
            (saw_space && next_upper && !(c == '.' && prev_digit)).then_some(end)
        } else {
            None
        };
        if let Some(e) = cut {
            if e > start {
                out.push((start, e));
            }
            start = e;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

fn is_closing(c: char) -> bool {
    matches!(c, '\'' | '"' | '”' | '’' | '“' | '»' | '«' | ')')
}

fn is_opening(c: char) -> bool {
    matches!(c, '`' | '"' | '“' | '„' | '‘' | '\'' | '«' | '»' | '(')
}

struct Cand<'t> {
    start: usize,
    end: usize,
    rule: usize,
    caps: Captures<'t>,
}

impl Default for TimeTagger {
    fn default() -> Self {
        TimeTagger::embedded()
    }
}

impl TimeTagger {
    /// Build from lexicon texts (`time/<lang>.tsv`) and rules (`time/rules.tsv`).
    pub fn from_files(files: &[(&str, &str)]) -> Result<TimeTagger, TimeError> {
        Ok(TimeTagger {
            langs: rules::build(files)?,
        })
    }

    /// The tagger over the lexicons and rules compiled into the crate.
    pub fn embedded() -> TimeTagger {
        TimeTagger::from_files(EMBEDDED).expect("embedded time resources are valid")
    }

    pub fn embedded_files() -> Vec<(&'static str, &'static str)> {
        EMBEDDED.to_vec()
    }

    /// Languages with a lexicon.
    pub fn languages(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.langs.keys().map(|s| s.as_str()).collect();
        v.sort();
        v
    }

    fn lang(&self, lang: &str) -> Option<&LangRules> {
        let l = lang.to_ascii_lowercase();
        let short = l.get(..2).unwrap_or(&l);
        self.langs
            .get(short)
            .or_else(|| self.langs.get("en"))
            .or_else(|| self.langs.values().next())
    }

    fn candidates<'t>(&self, lr: &LangRules, text: &'t str) -> Vec<Cand<'t>> {
        let mut out = Vec::new();
        for (ri, rule) in lr.rules.iter().enumerate() {
            // Patterns carry no `\b` (Unicode word boundaries are slow in the regex
            // engines); `accept` checks boundaries, and a rejected match restarts the
            // search one character later so that no later match is hidden by it.
            let mut pos = 0;
            while pos <= text.len() {
                let Some(caps) = rule.re.captures_at(text, pos) else {
                    break;
                };
                let m0 = caps.get(0).expect("group 0");
                let step = text[m0.start()..]
                    .chars()
                    .next()
                    .map(|c| c.len_utf8())
                    .unwrap_or(1);
                let ext = if rule.has_x { caps.name("x") } else { None }.unwrap_or(m0);
                let (start, end) = trim_extent(text, ext.start(), ext.end());
                if start >= end || !self.accept(lr, rule.handler, &caps, text, m0.start(), m0.end())
                {
                    pos = m0.start() + step;
                    continue;
                }
                pos = if rule.has_x && ext.end() > m0.start() {
                    ext.end()
                } else if m0.end() > m0.start() {
                    m0.end()
                } else {
                    m0.start() + step
                };
                out.push(Cand {
                    start,
                    end,
                    rule: ri,
                    caps,
                });
            }
        }
        out
    }

    /// Context checks that do not depend on the anchor.
    fn accept(
        &self,
        lr: &LangRules,
        h: Handler,
        c: &Captures,
        text: &str,
        s: usize,
        e: usize,
    ) -> bool {
        let lex = &lr.lex;
        let before: Vec<char> = text[..s].chars().rev().take(2).collect();
        let mut after = text[e..].chars();
        let a1 = after.next();
        let a2 = after.next();
        let first = text[s..e].chars().next();
        let last = text[s..e].chars().last();
        // word boundaries (Unicode aware)
        if let (Some(p), Some(f)) = (before.first(), first) {
            if p.is_alphanumeric() && f.is_alphanumeric() {
                return false;
            }
        }
        if let (Some(n), Some(l)) = (a1, last) {
            if n.is_alphanumeric() && l.is_alphanumeric() {
                return false;
            }
        }
        // part of a larger number or an amount
        if let Some(p) = before.first() {
            if matches!(p, '$' | '€' | '£' | '#' | '/') {
                return false;
            }
            if matches!(p, '.' | ',') && before.get(1).is_some_and(|c| c.is_ascii_digit()) {
                return false;
            }
        }
        if last.is_some_and(|l| l.is_ascii_digit()) {
            if matches!(a1, Some('%')) {
                return false;
            }
            if matches!(a1, Some('.' | ',' | ':')) && a2.is_some_and(|c| c.is_ascii_digit()) {
                return false;
            }
        }
        // a title in quotes: ABC's "This Week," (where common nouns are lower case)
        if lex.config("quoted_titles") == Some("reject")
            && before.first().is_some_and(|&ch| is_opening(ch))
            && c.name("mon").is_none()
            && c.name("wd").is_none()
        {
            let words: Vec<&str> = text[s..e].split_whitespace().collect();
            if words.len() >= 2 && words.iter().all(|w| w.starts_with(char::is_uppercase)) {
                return false;
            }
        }
        // month and weekday names are capitalised
        for name in ["mon", "wd"] {
            if let Some(m) = c.name(name) {
                if !m.as_str().starts_with(char::is_uppercase) {
                    return false;
                }
            }
        }
        // "Morgen" (morning) mid-sentence is not "morgen" (tomorrow)
        if let Some(m) = c.name("dx") {
            let w = m.as_str();
            let entry_lower = lex.words("dayword").any(|x| x == rules::norm(w));
            if entry_lower
                && w.starts_with(char::is_uppercase)
                && !is_sentence_start(text, m.start())
            {
                return false;
            }
        }
        let nw = next_word(text, e);
        if matches!(h, Handler::Year | Handler::Duration | Handler::Vague)
            && (lex.has("yearstop", nw) || lex.has("agestop", nw))
        {
            return false;
        }
        if h == Handler::Ref && lex.has("refprevstop", prev_word(text, s)) {
            return false;
        }
        // "a quarter of the shares" is a fraction
        if h == Handler::Duration
            && lex.has("fracstop", nw)
            && c.name("unit")
                .is_some_and(|u| lex.has("quarterunit", u.as_str()))
        {
            return false;
        }
        if h == Handler::Year && c.name("kw").is_none() && c.name("mod").is_none() {
            // a bare year must not be followed by a digit group ("2014 15")
            if nw.chars().next().is_some_and(|ch| ch.is_ascii_digit()) && nw.len() >= 3 {
                return false;
            }
        }
        if c.name("season").is_some()
            && c.name("det").is_none()
            && c.name("rel").is_none()
            && c.name("y").is_none()
            && c.name("mod").is_none()
        {
            let pw = prev_word(text, s);
            if !lex.has("seasonpre", pw) {
                return false;
            }
        }
        true
    }

    /// Find and normalise temporal expressions (see the crate docs for the anchoring).
    pub fn tag(
        &self,
        text: &str,
        sentences: &[(usize, usize)],
        lang: &str,
        dct: Option<&str>,
        mode: Mode,
    ) -> Vec<Time> {
        let Some(lr) = self.lang(lang) else {
            return Vec::new();
        };
        let sents: Vec<(usize, usize)> = if sentences.is_empty() {
            split_sentences(text)
        } else {
            sentences.to_vec()
        };
        let mut cands = self.candidates(lr, text);
        cands.sort_by(|a, b| {
            (b.end - b.start)
                .cmp(&(a.end - a.start))
                .then(a.rule.cmp(&b.rule))
                .then(a.start.cmp(&b.start))
        });
        let mut taken: Vec<(usize, usize)> = Vec::new();
        let mut chosen: Vec<Cand> = Vec::new();
        for c in cands {
            if taken.iter().any(|&(s, e)| c.start < e && s < c.end) {
                continue;
            }
            taken.push((c.start, c.end));
            chosen.push(c);
        }
        chosen.sort_by_key(|c| c.start);

        let dct = dct.and_then(parse_ymd);
        let mut ctx = Ctx {
            mode,
            dct,
            anchor: dct.map(|d| Anchor {
                y: d.y,
                m: Some(d.m),
                d: Some(d.d),
            }),
            last_day: None,
            last_date: None,
            last_quarter: None,
            months_sent: None,
            sent: 0,
            tense: Tense::Present,
        };
        let mut tense_cache: HashMap<usize, Tense> = HashMap::new();
        let mut marks_cache: HashMap<usize, Vec<(usize, usize, Tense)>> = HashMap::new();
        let nearest_scope = lr.lex.config("tense_scope") == Some("nearest");
        let mut out: Vec<(Time, bool)> = Vec::new();
        for c in &chosen {
            // sentences are in text order and do not overlap: binary search
            let k = sents.partition_point(|&(_, e)| e <= c.start);
            let si = match sents.get(k) {
                Some(&(s, e)) if c.start >= s && c.start < e => k,
                _ => 0,
            };
            ctx.sent = si;
            let (ss, se) = sents.get(si).copied().unwrap_or((0, text.len()));
            let ss = ss.min(text.len());
            let se = se.clamp(ss, text.len());
            ctx.tense = *tense_cache
                .entry(si)
                .or_insert_with(|| match text.get(ss..se) {
                    Some(t) => tense_of(lr, t),
                    None => Tense::Present,
                });
            // a sentence of past and future verbs: the expression takes the tense of the
            // nearest marker ("said Thursday that the troops will stay")
            if nearest_scope {
                if let Some(t) = text.get(ss..se) {
                    let (s, e) = (c.start.saturating_sub(ss), c.end.saturating_sub(ss));
                    let marks = marks_cache
                        .entry(si)
                        .or_insert_with(|| tense_markers(lr, t));
                    if let Some(near) = nearest_tense(marks, s, e) {
                        ctx.tense = near;
                    }
                }
            }
            let handler = lr.rules[c.rule].handler;
            let Some(n) = self.normalise(lr, handler, &c.caps, text, &mut ctx) else {
                continue;
            };
            // a completed quarter named in the text (a reported one: not a forecast, and
            // not one derived from another as "a year earlier" is) is what later "the
            // quarter" and "a year ago" refer to
            if n.value.len() == 7
                && n.value.as_bytes()[5] == b'Q'
                && !matches!(handler, Handler::Offset | Handler::CurQ)
                && c.caps.name("qa").is_none()
                && ctx
                    .dct
                    .is_none_or(|d| n.value < format!("{:04}-Q{}", d.y, d.m.div_ceil(3)))
            {
                ctx.last_quarter = Some((n.value.clone(), si));
            }
            // "the nine months": the sentence compares longer spans than quarters
            if n.kind == "DURATION" && !n.value.starts_with("PT") && n.value.ends_with('M') {
                ctx.months_sent = Some(si);
            }
            if let Some(a) = Anchor::from_value(&n.value) {
                if let Some(day) = a.day() {
                    ctx.last_day = Some((day, si));
                }
                if n.kind == "DATE" || n.kind == "TIME" {
                    ctx.last_date = Some(a);
                }
                if ctx.mode == Mode::Narrative && (n.kind == "DATE" || n.kind == "TIME") {
                    ctx.anchor = Some(a);
                }
            }
            out.push((
                Time {
                    text: text[c.start..c.end].to_string(),
                    start: c.start,
                    end: c.end,
                    kind: n.kind.to_string(),
                    value: n.value,
                },
                n.year_explicit,
            ));
        }
        propagate_range_years(text, lr, &mut out);
        out.into_iter().map(|(t, _)| t).collect()
    }

    fn num(&self, lr: &LangRules, s: &str) -> Option<f64> {
        let t = rules::norm(s);
        if t == "a" || t == "an" {
            return Some(1.0);
        }
        if t.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
            // "2 1/2", "2½", "1/2"
            if let Some(w) = t.strip_suffix('½') {
                let w = w.trim();
                return Some(if w.is_empty() { 0.0 } else { self.num(lr, w)? } + 0.5);
            }
            if let Some((a, b)) = t.split_once('/') {
                let (whole, num) = match a.rsplit_once(' ') {
                    Some((w, n)) => (self.num(lr, w)?, n),
                    None => (0.0, a),
                };
                let (n, d): (f64, f64) = (num.trim().parse().ok()?, b.trim().parse().ok()?);
                return (d > 0.0).then(|| whole + n / d);
            }
            return t.replace(',', ".").parse().ok();
        }
        if let Some(v) = lr.lex.get("numword", &t) {
            return v.parse().ok();
        }
        for sep in ["und", "-", " "] {
            if let Some((a, b)) = t.split_once(sep) {
                if let (Some(x), Some(y)) = (self.num(lr, a), self.num(lr, b)) {
                    return Some(if y >= 100.0 { x * y } else { x + y });
                }
            }
        }
        None
    }

    fn unit_code<'a>(&self, lr: &'a LangRules, s: &str) -> Option<&'a str> {
        lr.lex.get("unit", s).or_else(|| lr.lex.get("units", s))
    }

    fn rel(&self, lr: &LangRules, s: Option<&str>) -> Option<i64> {
        s.and_then(|w| lr.lex.get("rel", w))
            .and_then(|v| v.parse().ok())
    }

    #[allow(clippy::too_many_lines)]
    fn normalise(
        &self,
        lr: &LangRules,
        h: Handler,
        c: &Captures,
        text: &str,
        ctx: &mut Ctx,
    ) -> Option<Norm> {
        let lex = &lr.lex;
        match h {
            Handler::Date | Handler::Year => self.date(lr, c, text, ctx),
            Handler::CurQ => {
                let a = ctx.anchor?;
                let m = a.m?;
                let q = (m as i64 - 1) / 3;
                let det = g(c, "det").map(rules::norm);
                let latest = g(c, "latest").map(rules::norm);
                // "the latest quarter" is the last one reported, whatever the tense;
                // "the current quarter" the one the DCT lies in
                let back = match latest.as_deref() {
                    Some("current") => 0,
                    Some(_) => 1,
                    None if det.as_deref() == Some("this") || ctx.tense == Tense::Future => 0,
                    None => {
                        // "the quarter": the quarter the text has named
                        if let Some((q, _)) = &ctx.last_quarter {
                            return Norm::new("DATE", q.clone());
                        }
                        if ctx.tense == Tense::Past {
                            1
                        } else {
                            0
                        }
                    }
                };
                let idx = a.y * 4 + q - back;
                Norm::new(
                    "DATE",
                    format!("{:04}-Q{}", idx.div_euclid(4), idx.rem_euclid(4) + 1),
                )
            }
            Handler::Deictic => {
                // "R-1": relative to the last day mentioned (Vortag), else to the DCT
                let mut from_last = false;
                let (off, mut pod) = if let Some(dx) = g(c, "dx") {
                    let v = lex.get("dayword", dx)?;
                    let (o, p) = v.split_once(':').unwrap_or((v, ""));
                    let o = match o.strip_prefix('R') {
                        Some(r) => {
                            from_last = true;
                            r
                        }
                        None => o,
                    };
                    (
                        o.parse::<i64>().ok()?,
                        (!p.is_empty()).then(|| p.to_string()),
                    )
                } else {
                    (self.rel(lr, g(c, "rel")).unwrap_or(0).min(0), None)
                };
                if from_last {
                    if let Some((d, _)) = ctx.last_day {
                        let day = d.add_days(off).fmt();
                        return match pod {
                            Some(p) => Norm::new("TIME", format!("{day}T{p}")),
                            None => Norm::new("DATE", day),
                        };
                    }
                }
                if let Some(p) = g(c, "pod").or_else(|| g(c, "pod2")) {
                    pod = Some(lex.get("pod", p)?.to_string());
                }
                let base = if off == 0 {
                    ctx.dct.or_else(|| ctx.anchor.and_then(|a| a.day()))
                } else {
                    match ctx.mode {
                        Mode::News => ctx.dct.or_else(|| ctx.anchor.and_then(|a| a.day())),
                        Mode::Narrative => ctx.anchor.and_then(|a| a.day()).or(ctx.dct),
                    }
                };
                let day = match base {
                    Some(b) => b.add_days(off).fmt(),
                    None => "XXXX-XX-XX".into(),
                };
                match pod {
                    Some(p) => Norm::new("TIME", format!("{day}T{p}")),
                    None => Norm::new("DATE", day),
                }
            }
            Handler::Pod => {
                let p = lex.get("pod", g(c, "pod")?)?;
                let day = ctx
                    .last_day
                    .map(|(d, _)| d)
                    .or(ctx.dct)
                    .map(|d| d.fmt())
                    .unwrap_or_else(|| "XXXX-XX-XX".into());
                Norm::new("TIME", format!("{day}T{p}"))
            }
            Handler::Time => self.time(lr, c, text, ctx),
            Handler::Duration => {
                let code = if let Some(u) = g(c, "adjunit") {
                    lex.get("adjunit", u)?
                } else {
                    self.unit_code(lr, g(c, "unit")?)?
                };
                if code == "WE" {
                    return None;
                }
                // no number: one unit ("the fiscal year ended …")
                let mut n = match g(c, "num") {
                    Some(s) => self.num(lr, s)?,
                    None => 1.0,
                };
                // "a minute and a half"
                if g(c, "half").is_some() {
                    n += 0.5;
                }
                if !(0.0..100_000.0).contains(&n) {
                    return None;
                }
                if lex.config("fraction_values") == Some("split") {
                    if let Some(v) = split_fraction(n, code) {
                        return Norm::new("DURATION", v);
                    }
                }
                Norm::new("DURATION", duration_value(Some(n), code)?)
            }
            Handler::Vague => {
                // "for a while", "for some time": a span of unknown length and unit
                if let Some(w) = g(c, "vdur") {
                    return Norm::new("DURATION", lex.get("vaguedur", w)?.to_string());
                }
                let code = self.unit_code(lr, g(c, "unit")?)?;
                if let Some(v) = g(c, "vague") {
                    let val = lex.get("vague", v)?;
                    if g(c, "ago").is_some() {
                        return Norm::new("DATE", "PAST_REF".into());
                    }
                    if val.ends_with("_REF") {
                        return Norm::new("DATE", val.to_string());
                    }
                }
                Norm::new("DURATION", duration_value(None, code)?)
            }
            Handler::Lang => {
                let code = lex.get("lang", g(c, "lang")?)?;
                Norm::new("DURATION", duration_value(None, code)?)
            }
            Handler::Offset => self.offset(lr, c, text, ctx),
            Handler::Ref => {
                // words that are references only in the context a rule gives them
                // ("at the time," but not "at the time of the attack")
                let r = g(c, "ref")?;
                let v = lex.get("ref", r).or_else(|| lex.get("refctx", r))?;
                Norm::new("DATE", v.to_string())
            }
            Handler::Set => {
                if let Some(s) = g(c, "set") {
                    return Norm::new("SET", lex.get("setword", s)?.to_string());
                }
                let wd = g(c, "wd")
                    .and_then(|w| lex.get("weekday", w))
                    .or_else(|| g(c, "wds").and_then(|w| lex.get("weekdays", w)));
                if let Some(wd) = wd {
                    let pod = g(c, "pod")
                        .and_then(|p| lex.get("pod", p))
                        .map(|p| format!("T{p}"))
                        .unwrap_or_default();
                    return Norm::new("SET", format!("XXXX-WXX-{wd}{pod}"));
                }
                if let Some(m) = g(c, "mon").and_then(|m| lex.get("month", m)) {
                    return Norm::new("SET", format!("XXXX-{:02}", m.parse::<u32>().ok()?));
                }
                let code = self.unit_code(lr, g(c, "unit")?)?;
                let n = match g(c, "num") {
                    Some(s) => self.num(lr, s)?,
                    None => 1.0,
                };
                Norm::new("SET", duration_value(Some(n), code)?)
            }
            Handler::Decade => {
                if let Some(w) = g(c, "decw") {
                    let k: i64 = lex.get("decadeword", w)?.parse().ok()?;
                    return Norm::new("DATE", format!("19{k}"));
                }
                let d = g(c, "dec")?;
                let v: i64 = d.parse().ok()?;
                let full = if d.len() >= 4 {
                    v
                } else {
                    let ay = ctx.anchor.map(|a| a.y).unwrap_or(1999);
                    let mut f = ay.div_euclid(100) * 100 + v;
                    if f > ay {
                        f -= 100;
                    }
                    f
                };
                Norm::new("DATE", format!("{:03}", full / 10))
            }
            Handler::Century => {
                let n: i64 = g(c, "cent")?.parse().ok()?;
                if !(1..=21).contains(&n) {
                    return None;
                }
                Norm::new("DATE", format!("{:02}", n - 1))
            }
        }
    }

    /// Year for a month (and day) without one, from anchor and tense.
    fn infer_year(
        &self,
        lr: &LangRules,
        m: u32,
        d: Option<u32>,
        wd: Option<u32>,
        ctx: &Ctx,
    ) -> Option<i64> {
        let a = ctx.anchor?;
        if let (Some(d), Some(wd)) = (d, wd) {
            for y in [a.y, a.y - 1, a.y + 1] {
                if Ymd::new(y, m, d).is_some_and(|x| x.weekday() == wd) {
                    return Some(y);
                }
            }
        }
        if ctx.mode == Mode::Narrative {
            return Some(a.y);
        }
        let Some(am) = a.m else { return Some(a.y) };
        let key = |mm: u32, dd: u32| mm * 100 + dd;
        let here = key(am, a.d.unwrap_or(15));
        let there = key(m, d.unwrap_or(15));
        if lr.lex.config("day_month_year") == Some("nearest") {
            // the occurrence nearest to the anchor, unless the tense points the other
            // way and the nearest lies more than two months in the wrong direction
            let anchor_day = a.day()?;
            let mut c: Vec<(i64, i64)> = [a.y - 1, a.y, a.y + 1]
                .into_iter()
                .filter_map(|y| Ymd::new(y, m, d.unwrap_or(15)))
                .map(|x| (x.days() - anchor_day.days(), x.y))
                .collect();
            c.sort_by_key(|&(diff, _)| diff.abs());
            let &(diff, y) = c.first()?;
            let wrong = match ctx.tense {
                Tense::Past => diff > 60,
                Tense::Future => diff < -60,
                Tense::Present => false,
            };
            if wrong {
                if let Some(&(_, y2)) = c.iter().skip(1).find(|&&(d2, _)| (d2 < 0) == (diff > 0)) {
                    return Some(y2);
                }
            }
            return Some(y);
        }
        let tense = match ctx.tense {
            Tense::Present => match lr.lex.config("present_month") {
                Some("past") => Tense::Past,
                Some("future") => Tense::Future,
                _ => Tense::Present,
            },
            t => t,
        };
        Some(match tense {
            Tense::Past if there > here && d.is_some() => a.y - 1,
            Tense::Past if d.is_none() && m > am => a.y - 1,
            Tense::Future if there < here && d.is_some() => a.y + 1,
            Tense::Future if d.is_none() && m < am => a.y + 1,
            Tense::Present => {
                // the nearest of last, this and next year
                let diff = m as i64 - am as i64;
                if diff > 6 {
                    a.y - 1
                } else if diff < -6 {
                    a.y + 1
                } else {
                    a.y
                }
            }
            _ => a.y,
        })
    }

    fn resolve_weekday(&self, lr: &LangRules, wd: u32, rel: Option<i64>, ctx: &Ctx) -> Option<Ymd> {
        let base = match ctx.mode {
            Mode::News => ctx.dct.or_else(|| ctx.anchor.and_then(|a| a.day())),
            Mode::Narrative => ctx.anchor.and_then(|a| a.day()).or(ctx.dct),
        }?;
        let bw = base.weekday() as i64;
        let back = {
            let k = (bw - wd as i64).rem_euclid(7);
            if k == 0 {
                7
            } else {
                k
            }
        };
        let fwd = {
            let k = (wd as i64 - bw).rem_euclid(7);
            if k == 0 {
                7
            } else {
                k
            }
        };
        let dir = match rel {
            Some(r) if r < 0 => -1,
            Some(r) if r > 0 => 1,
            _ => match ctx.tense {
                Tense::Past => -1,
                Tense::Future => 1,
                Tense::Present => match lr.lex.config("present_weekday") {
                    Some("past") => -1,
                    Some("future") => 1,
                    _ => {
                        if back <= fwd {
                            -1
                        } else {
                            1
                        }
                    }
                },
            },
        };
        if rel.is_none()
            && bw == wd as i64
            && ctx.mode == Mode::News
            && lr.lex.config("same_weekday") == Some("dct")
        {
            return Some(base);
        }
        if ctx.mode == Mode::Narrative && rel.is_none() {
            // the narrative reference day may itself be that weekday
            if bw == wd as i64 {
                return Some(base);
            }
        }
        Some(if dir < 0 {
            base.add_days(-back)
        } else {
            base.add_days(fwd)
        })
    }

    /// "nineteen ninety-six" → 1996, "two thousand and one" → 2001.
    fn spoken_year(&self, lr: &LangRules, s: &str) -> Option<i64> {
        let t = rules::norm(s);
        if let Some(rest) = t.strip_prefix("two thousand") {
            let rest = rest.trim().trim_start_matches("and").trim();
            let k = if rest.is_empty() {
                0.0
            } else {
                self.num(lr, rest)?
            };
            return Some(2000 + k as i64);
        }
        let (hi, lo) = t.split_once(' ')?;
        let hi = self.num(lr, hi)? as i64;
        let lo = if lo == "hundred" {
            0
        } else {
            self.num(lr, lo)? as i64
        };
        // "nineteen ninety-six", "nineteen hundred"; "twenty six" is a number
        (lo < 100 && (lo >= 10 || lo == 0)).then_some(hi * 100 + lo)
    }

    fn parse_year(&self, s: &str, ctx: &Ctx) -> Option<i64> {
        let v: i64 = s.parse().ok()?;
        if s.len() == 2 {
            let ay = ctx.anchor.map(|a| a.y).unwrap_or(2000);
            let mut f = ay.div_euclid(100) * 100 + v;
            if f > ay + 10 {
                f -= 100;
            }
            return Some(f);
        }
        Some(v)
    }

    #[allow(clippy::too_many_lines)]
    fn date(&self, lr: &LangRules, c: &Captures, _text: &str, ctx: &mut Ctx) -> Option<Norm> {
        let lex = &lr.lex;
        let a = ctx.anchor;
        let mut y = match g(c, "y").or_else(|| g(c, "y2")) {
            Some(s) => Some(self.parse_year(s, ctx)?),
            None => None,
        };
        if let Some(sy) = g(c, "sy") {
            y = Some(self.spoken_year(lr, sy)?);
        }
        let year_explicit = y.is_some();
        let rel = self.rel(lr, g(c, "rel"));
        if let Some(yr) = g(c, "yrel") {
            let r = self.rel(lr, Some(yr)).unwrap_or(0);
            y = Some(a?.y + r);
        }
        if let Some(yw) = g(c, "yw") {
            let off: i64 = lex.get("yearword", yw)?.parse().ok()?;
            y = Some(a.map(|a| a.y + off)?);
        }
        let month: Option<u32> = match (g(c, "mon"), g(c, "m")) {
            (Some(mw), _) => lex
                .get("month", mw)
                .or_else(|| lex.get("monthabbr", mw))?
                .parse()
                .ok(),
            (None, Some(m)) => m.parse().ok(),
            _ => None,
        };
        let day: Option<u32> = g(c, "d").and_then(|d| d.parse().ok());
        let wd: Option<u32> = g(c, "wd")
            .and_then(|w| lex.get("weekday", w).or_else(|| lex.get("weekdayabbr", w)))
            .and_then(|v| v.parse().ok());
        let pod = g(c, "pod")
            .and_then(|p| lex.get("pod", p).or_else(|| lex.get("podsuffix", p)))
            .map(|p| p.to_string());
        let with_pod = |v: String| -> Option<Norm> {
            match &pod {
                Some(p) if v.len() == 10 => Norm::new("TIME", format!("{v}T{p}")),
                _ => Norm::new("DATE", v),
            }
        };
        let explicit = |n: Option<Norm>| {
            n.map(|mut n| {
                n.year_explicit = year_explicit;
                n
            })
        };

        // "the 1988 quarter", "last year's period": the quarter the text has named, in
        // that year (the year alone when none was named)
        if g(c, "qa").is_some() {
            let y = y?;
            return explicit(match &ctx.last_quarter {
                Some((q, _)) => Norm::new("DATE", format!("{y:04}-{}", q.get(5..7)?)),
                None => Norm::new("DATE", format!("{y:04}")),
            });
        }

        // full day: "1. November 2024", "Freitag, 1. November", "Nov. 1"
        if let (Some(m), Some(d)) = (month, day) {
            if !cal::valid(y.unwrap_or(2000), m, d) {
                return None;
            }
            let y = match y {
                Some(y) => Some(y),
                None => self.infer_year(lr, m, Some(d), wd, ctx),
            };
            return explicit(match y {
                Some(y) => with_pod(Ymd::new(y, m, d)?.fmt()),
                None => Norm::new("DATE", format!("XXXX-{m:02}-{d:02}")),
            });
        }
        // month: "im Mai", "Mitte September", "last May", "August 1988"
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return None;
            }
            let y = match (y, rel, a) {
                (Some(y), _, _) => Some(y),
                (None, Some(r), Some(a)) if r != 0 && a.m.is_some() => {
                    let am = a.m.unwrap_or(1);
                    Some(if r < 0 {
                        if m < am {
                            a.y
                        } else {
                            a.y - 1
                        }
                    } else if m > am {
                        a.y
                    } else {
                        a.y + 1
                    })
                }
                (None, Some(_), Some(a)) => Some(a.y),
                _ => self.infer_year(lr, m, None, None, ctx),
            };
            return explicit(match y {
                Some(y) => Norm::new("DATE", format!("{y:04}-{m:02}")),
                None => Norm::new("DATE", format!("XXXX-{m:02}")),
            });
        }
        // quarter or half: "dritten Quartal", "the fourth quarter", "ersten Halbjahr"
        if let Some(qh) = g(c, "qh") {
            let n: i64 = lex.get("ord", g(c, "ord")?)?.parse().ok()?;
            let half = lex.has("halfunit", qh) && !lex.has("quarterunit", qh);
            if half && n > 2 {
                return None;
            }
            let y = match (y, a) {
                (Some(y), _) => y,
                (None, Some(a)) => {
                    let r = rel.filter(|_| g(c, "rel").is_none_or(|w| w != "latest"));
                    let mut yy = a.y + r.unwrap_or(0);
                    if r.is_none() && !half {
                        let aq = (a.m.unwrap_or(12) as i64 - 1) / 3 + 1;
                        if n > aq && ctx.tense != Tense::Future && ctx.mode == Mode::News {
                            yy -= 1;
                        }
                    }
                    yy
                }
                _ => return Norm::new("DATE", format!("XXXX-{}{n}", if half { 'H' } else { 'Q' })),
            };
            return explicit(Norm::new(
                "DATE",
                format!("{y:04}-{}{n}", if half { 'H' } else { 'Q' }),
            ));
        }
        // season: "im Sommer", "Frühjahr 2015", "last summer"
        if let Some(s) = g(c, "season") {
            let code = lex.get("season", s)?;
            let y = match (y, a) {
                (Some(y), _) => Some(y),
                (None, Some(a)) => Some(match rel {
                    Some(r) if r < 0 => {
                        let start = match code {
                            "SP" => 3,
                            "SU" => 6,
                            "FA" => 9,
                            _ => 12,
                        };
                        if a.m.is_some_and(|m| m >= start + 3) {
                            a.y
                        } else {
                            a.y - 1
                        }
                    }
                    Some(r) if r > 0 => a.y + 1,
                    _ => a.y,
                }),
                _ => None,
            };
            return explicit(match y {
                Some(y) => Norm::new("DATE", format!("{y:04}-{code}")),
                None => Norm::new("DATE", format!("XXXX-{code}")),
            });
        }
        // holiday: "Weihnachten", "Ostern 2015", "Thanksgiving"
        if let Some(hname) = g(c, "hol") {
            let spec = lex.get("holiday", hname)?;
            let y = y.or(a.map(|a| a.y));
            let Some(y) = y else {
                return Norm::new("DATE", "XXXX-XX-XX".into());
            };
            let day = if let Some(off) = spec.strip_prefix('E') {
                let off: i64 = off.trim_start_matches('+').parse().ok()?;
                cal::easter(y).add_days(off)
            } else if let Some(rest) = spec.strip_prefix('N') {
                let mut it = rest.split('-');
                let m: u32 = it.next()?.parse().ok()?;
                let w: u32 = it.next()?.parse().ok()?;
                let n: u32 = match it.next()? {
                    "L" => 0,
                    k => k.parse().ok()?,
                };
                cal::nth_weekday(y, m, w, n)?
            } else {
                let (m, d) = spec.split_once('-')?;
                Ymd::new(y, m.parse().ok()?, d.parse().ok()?)?
            };
            return explicit(Norm::new("DATE", day.fmt()));
        }
        // weekday alone: "am Freitag", "last Friday", "Mittwochabend"
        if let Some(w) = wd {
            return match self.resolve_weekday(lr, w, rel, ctx) {
                Some(d) => with_pod(d.fmt()),
                None => Norm::new("DATE", format!("XXXX-WXX-{w}")),
            };
        }
        // relative period: "letztes Jahr", "diese Woche", "Anfang dieses Monats"
        if let Some(u) = g(c, "unit") {
            let code = self.unit_code(lr, u)?;
            let r = rel.unwrap_or(0);
            // "that year", "that quarter" (relanaphoric value "only"): only with a time
            // named before; a quarter is the last quarter named
            let only = g(c, "rel").and_then(|w| lex.get("relanaphoric", w)) == Some("only");
            if only {
                if code == "Q" {
                    return Norm::new("DATE", ctx.last_quarter.as_ref()?.0.clone());
                }
                let l = ctx.last_date?;
                let fits = match code {
                    "Y" | "DE" | "CE" => true,
                    "M" => l.m.is_some(),
                    _ => l.d.is_some(),
                };
                if !fits {
                    return None;
                }
            }
            // "the following month", "the previous year": relative to the time the text
            // has named, not to the DCT
            let a = match ctx.last_date {
                Some(l)
                    if g(c, "rel").is_some_and(|w| lex.has("relanaphoric", w))
                        && match code {
                            "Y" | "DE" | "CE" => true,
                            "M" | "Q" => l.m.is_some(),
                            _ => l.d.is_some(),
                        } =>
                {
                    Some(l)
                }
                _ => a,
            };
            let Some(a) = a else {
                return Norm::new(
                    "DATE",
                    match code {
                        "Y" => "XXXX".into(),
                        "M" => "XXXX-XX".into(),
                        "W" => "XXXX-WXX".into(),
                        "WE" => "XXXX-WXX-WE".into(),
                        _ => return None,
                    },
                );
            };
            let day = a.day();
            return match code {
                "Y" => Norm::new("DATE", format!("{:04}", a.y + r)),
                "M" => {
                    let (yy, mm) = add_months(a.y, a.m?, r);
                    Norm::new("DATE", format!("{yy:04}-{mm:02}"))
                }
                "W" | "WE" => {
                    let mut r = r;
                    if code == "WE"
                        && rel.is_none()
                        && ctx.tense == Tense::Past
                        && day?.weekday() <= 5
                        && lex.config("past_weekend") == Some("previous")
                    {
                        r = -1;
                    }
                    let (iy, w) = day?.add_days(7 * r).iso_week();
                    let we = if code == "WE" { "-WE" } else { "" };
                    Norm::new("DATE", format!("{iy:04}-W{w:02}{we}"))
                }
                "Q" => {
                    let idx = a.y * 4 + (a.m? as i64 - 1) / 3 + r;
                    Norm::new(
                        "DATE",
                        format!("{:04}-Q{}", idx.div_euclid(4), idx.rem_euclid(4) + 1),
                    )
                }
                // "later in the day", "the following day", "that day"; "last day" or
                // "next day" alone are not relative to the DCT
                "D" => {
                    if g(c, "rel").is_some_and(|w| !lex.has("relanaphoric", w)) {
                        return None;
                    }
                    Norm::new("DATE", day?.add_days(r).fmt())
                }
                "DE" => Norm::new("DATE", format!("{:03}", (a.y / 10) + r)),
                "CE" => Norm::new("DATE", format!("{:02}", (a.y / 100) + r)),
                _ => None,
            };
        }
        if let Some(y) = y {
            if !(1000..=2199).contains(&y) {
                return None;
            }
            return explicit(Norm::new("DATE", format!("{y:04}")));
        }
        rel.and(None)
    }

    fn time(&self, lr: &LangRules, c: &Captures, _text: &str, ctx: &mut Ctx) -> Option<Norm> {
        let lex = &lr.lex;
        let (mut h, min): (u32, u32) = if let Some(hw) = g(c, "hw") {
            match rules::norm(hw).as_str() {
                "noon" => (12, 0),
                _ => (24, 0),
            }
        } else {
            (
                g(c, "h")?.parse().ok()?,
                g(c, "min").map(|m| m.parse().unwrap_or(0)).unwrap_or(0),
            )
        };
        if let Some(ap) = g(c, "ampm") {
            let pm = ap.to_ascii_lowercase().starts_with('p');
            if h == 0 || h > 12 {
                return None;
            }
            if pm && h < 12 {
                h += 12;
            }
            if !pm && h == 12 {
                h = 0;
            }
        }
        if let Some(p) = g(c, "pod") {
            let p = rules::norm(p);
            if (p.starts_with("abend") || p.starts_with("nachmittag") || p.starts_with("nacht"))
                && (1..12).contains(&h)
            {
                h += 12;
            }
        }
        // "7:30 this morning", "at 8 tonight", "11:45 last night": the day part names
        // the day and, for the afternoon and later, the half of the day
        let tpod = g(c, "tpod").map(rules::norm);
        if let Some(p) = &tpod {
            let late = ["afternoon", "evening", "night"]
                .iter()
                .any(|w| p.ends_with(w));
            if late && g(c, "ampm").is_none() && (1..12).contains(&h) {
                h += 12;
            }
        }
        if h > 24 || min > 59 {
            return None;
        }
        let wd: Option<u32> = g(c, "wd")
            .and_then(|w| lex.get("weekday", w))
            .and_then(|v| v.parse().ok());
        let dx: Option<i64> = g(c, "dx")
            .and_then(|w| lex.get("dayword", w))
            .and_then(|v| v.split(':').next()?.parse().ok())
            .or_else(|| {
                let p = tpod.as_deref()?;
                Some(if p.starts_with("last") { -1 } else { 0 })
            });
        let month: Option<u32> = g(c, "mon")
            .and_then(|m| lex.get("month", m).or_else(|| lex.get("monthabbr", m)))
            .and_then(|v| v.parse().ok());
        let day: Option<u32> = g(c, "d").and_then(|d| d.parse().ok());
        let date = if let Some(w) = wd {
            self.resolve_weekday(lr, w, None, ctx)
        } else if let Some(o) = dx {
            ctx.dct
                .or_else(|| ctx.anchor.and_then(|a| a.day()))
                .map(|d| d.add_days(o))
        } else if let (Some(m), Some(d)) = (month, day) {
            self.infer_year(lr, m, Some(d), None, ctx)
                .and_then(|y| Ymd::new(y, m, d))
        } else if let Some((d, _)) = ctx.last_day.filter(|&(_, si)| si == ctx.sent) {
            Some(d)
        } else if lex.config("time_default") == Some("dct") {
            ctx.dct
        } else {
            None
        };
        let t = format!("T{h:02}:{min:02}");
        Norm::new(
            "TIME",
            match date {
                Some(d) => format!("{}{t}", d.fmt()),
                None => t,
            },
        )
    }

    fn offset(&self, lr: &LangRules, c: &Captures, text: &str, ctx: &mut Ctx) -> Option<Norm> {
        let lex = &lr.lex;
        let code = self.unit_code(lr, g(c, "unit")?)?;
        let n = match g(c, "num") {
            Some(s) => self.num(lr, s)?,
            None => 1.0,
        };
        if n.fract() != 0.0 || n > 10_000.0 {
            return None;
        }
        let n = n as i64;
        let dir: i64 = lex.get("dir", g(c, "dir")?)?.parse().ok()?;
        let k = n * dir;
        let base = match ctx.mode {
            Mode::News => ctx.dct.map(|d| Anchor {
                y: d.y,
                m: Some(d.m),
                d: Some(d.d),
            }),
            Mode::Narrative => ctx.anchor,
        }
        .or(ctx.anchor);
        let Some(a) = base else {
            return Norm::new("DATE", "XXXX-XX-XX".into());
        };
        // the granularity of "a year ago" follows what the sentence talks about
        let sentence_has_quarter = || {
            let lower = text.to_lowercase();
            let _ = &lower;
            g(c, "qh").is_some()
        };
        match code {
            "Y" => {
                // "the year-ago third quarter"
                if let Some(o) = g(c, "ord").and_then(|o| lex.get("ord", o)) {
                    return Norm::new("DATE", format!("{:04}-Q{o}", a.y + k));
                }
                let in_months_sentence = ctx.months_sent == Some(ctx.sent);
                if let Some((q, _)) = ctx.last_quarter.as_ref().filter(|_| !in_months_sentence) {
                    {
                        let y: i64 = q.get(..4)?.parse().ok()?;
                        let n: i64 = q.get(6..7)?.parse().ok()?;
                        let idx = y * 4 + n - 1 + 4 * k;
                        return Norm::new(
                            "DATE",
                            format!("{:04}-Q{}", idx.div_euclid(4), idx.rem_euclid(4) + 1),
                        );
                    }
                }
                if sentence_has_quarter() || self.sentence_mentions(lr, text, c, "quarterunit") {
                    let m = a.m?;
                    let idx = a.y * 4 + (m as i64 - 1) / 3 + 4 * k;
                    let back = if ctx.tense == Tense::Past || ctx.mode == Mode::News {
                        1
                    } else {
                        0
                    };
                    let idx = idx - back;
                    Norm::new(
                        "DATE",
                        format!("{:04}-Q{}", idx.div_euclid(4), idx.rem_euclid(4) + 1),
                    )
                } else {
                    Norm::new("DATE", format!("{:04}", a.y + k))
                }
            }
            "M" => {
                let (y, m) = add_months(a.y, a.m?, k);
                Norm::new("DATE", format!("{y:04}-{m:02}"))
            }
            "W" => {
                let (iy, w) = a.day()?.add_days(7 * k).iso_week();
                Norm::new("DATE", format!("{iy:04}-W{w:02}"))
            }
            "D" => Norm::new("DATE", a.day()?.add_days(k).fmt()),
            "DE" => Norm::new("DATE", format!("{:04}", a.y + 10 * k)),
            "H" | "MIN" | "S" => Norm::new("TIME", "XXXX-XX-XXTXX:XX".into()),
            _ => None,
        }
    }

    /// Whether the sentence around the match mentions a word of lexicon category `cat`.
    fn sentence_mentions(&self, lr: &LangRules, text: &str, c: &Captures, cat: &str) -> bool {
        let m0 = c.get(0).expect("group 0");
        let s = text[..m0.start()]
            .rfind(['.', '!', '?', '\n'])
            .map(|i| i + 1)
            .unwrap_or(0);
        let e = text[m0.end()..]
            .find(['.', '!', '?', '\n'])
            .map(|i| m0.end() + i)
            .unwrap_or(text.len());
        text[s..e]
            .split(|ch: char| !ch.is_alphanumeric())
            .any(|w| !w.is_empty() && lr.lex.has(cat, w))
    }

    /// Infer a document date from its text: a full date in the opening lines (dateline),
    /// else a day-month date with its weekday (the year is chosen so the weekday fits:
    /// the first such year from the latest year the text mentions onwards; none when
    /// the text names no year, as the library reads no clock), else the latest full
    /// date in the text.
    pub fn infer_dct(&self, text: &str, lang: &str) -> Option<(String, String)> {
        let lr = self.lang(lang)?;
        let head_end = text
            .char_indices()
            .nth(300)
            .map(|(i, _)| i)
            .unwrap_or(text.len());
        let tags = self.tag(text, &[], lang, None, Mode::News);
        let full = |v: &str| v.len() == 10 && parse_ymd(v).is_some();
        if let Some(t) = tags
            .iter()
            .find(|t| t.start < head_end && t.kind == "DATE" && full(&t.value))
        {
            return Some((t.value.clone(), "dateline".into()));
        }
        // weekday + day + month without year. A report is written after the
        // dates it mentions: take the first fitting year from the latest year the
        // text names onwards; with no year named, the latest fitting year up to now.
        let max_year = tags
            .iter()
            .filter_map(|t| t.value.get(..4)?.parse::<i64>().ok())
            .filter(|y| (1000..=2199).contains(y))
            .max();
        // With no year named, the year is unknown: the library reads no clock.
        let years: Vec<i64> = match max_year {
            Some(y) => (y..=y + 12).collect(),
            None => Vec::new(),
        };
        for c in self.candidates(lr, text) {
            let (Some(w), Some(d), Some(mw)) =
                (g(&c.caps, "wd"), g(&c.caps, "d"), g(&c.caps, "mon"))
            else {
                continue;
            };
            if g(&c.caps, "y").is_some() {
                continue;
            }
            let wd: u32 = lr
                .lex
                .get("weekday", w)
                .or_else(|| lr.lex.get("weekdayabbr", w))?
                .parse()
                .ok()?;
            let m: u32 = lr
                .lex
                .get("month", mw)
                .or_else(|| lr.lex.get("monthabbr", mw))?
                .parse()
                .ok()?;
            let d: u32 = d.parse().ok()?;
            for &y in &years {
                if let Some(day) = Ymd::new(y, m, d) {
                    if day.weekday() == wd {
                        return Some((day.fmt(), format!("weekday+date ({w} {d}.{m})")));
                    }
                }
            }
        }
        tags.iter()
            .filter(|t| t.kind == "DATE" && full(&t.value))
            .map(|t| t.value.clone())
            .max()
            .map(|v| (v, "latest explicit date in text".into()))
    }

    /// News unless there is no DCT and the text has explicit years, or most explicit years
    /// lie more than ten years before the DCT.
    pub fn choose_mode(&self, text: &str, _lang: &str, dct: Option<&str>) -> Mode {
        // Explicit years, found by a cheap scan (four digits standing alone):
        // choosing the mode must not cost a second tagging pass.
        let years = explicit_years(text);
        match dct.and_then(parse_ymd) {
            None => {
                if years.is_empty() {
                    Mode::News
                } else {
                    Mode::Narrative
                }
            }
            Some(d) => {
                let far = years.iter().filter(|&&y| y < d.y - 10).count();
                if years.len() >= 3 && far * 2 > years.len() {
                    Mode::Narrative
                } else {
                    Mode::News
                }
            }
        }
    }
}

/// Four-digit numbers from 1000 to 2199 that stand alone (no digit, dot or comma
/// glued to them), in order.
fn explicit_years(text: &str) -> Vec<i64> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 4 <= b.len() {
        if b[i].is_ascii_digit() {
            let mut j = i;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            // Not part of a word, a number with separators (8.000, 3,5) or a decimal.
            let sep = |c: u8| c == b'.' || c == b',';
            let before_ok = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || sep(b[i - 1]));
            let after_ok = !(b.get(j).is_some_and(|&c| sep(c))
                && b.get(j + 1).is_some_and(u8::is_ascii_digit));
            if j - i == 4 && before_ok && after_ok {
                if let Ok(y) = text[i..j].parse::<i64>() {
                    if (1000..=2199).contains(&y) {
                        out.push(y);
                    }
                }
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// Strip white space and trailing commas from an extent.
fn trim_extent(text: &str, s: usize, e: usize) -> (usize, usize) {
    let sub = &text[s..e];
    let lead = sub.len() - sub.trim_start().len();
    let t = sub.trim_end_matches(|c: char| c.is_whitespace() || c == ',');
    (s + lead, s + t.len().max(lead))
}

/// Tense marker words of the lexicon in a sentence: (start, end, tense) of each. Words
/// past by their "-ed" ending alone are left out: many are participles ("will be named").
fn tense_markers(lr: &LangRules, sentence: &str) -> Vec<(usize, usize, Tense)> {
    let lex = &lr.lex;
    let future_words: Vec<&str> = lex.words("future").collect();
    let mut out = Vec::new();
    let mut start = None;
    for (i, ch) in sentence
        .char_indices()
        .chain(std::iter::once((sentence.len(), ' ')))
    {
        let word_char = ch.is_alphanumeric() || ch == '\'';
        match (start, word_char) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                start = None;
                let t = sentence[s..i].to_lowercase();
                let tense = if lex.has("future", &t)
                    || future_words
                        .iter()
                        .any(|w| w.starts_with('\'') && t.ends_with(w))
                {
                    Some(Tense::Future)
                } else if lex.has("past", &t) {
                    Some(Tense::Past)
                } else {
                    None
                };
                if let Some(tense) = tense {
                    out.push((s, i, tense));
                }
            }
            _ => {}
        }
    }
    out
}

/// The tense of the marker nearest to `s..e` when the sentence's markers (see
/// [`tense_markers`]) are both past and future; None otherwise (the sentence's tense
/// holds).
fn nearest_tense(marks: &[(usize, usize, Tense)], s: usize, e: usize) -> Option<Tense> {
    let has = |t: Tense| marks.iter().any(|m| m.2 == t);
    if !(has(Tense::Past) && has(Tense::Future)) {
        return None;
    }
    marks
        .iter()
        .filter(|m| m.1 <= s || m.0 >= e)
        .min_by_key(|m| if m.1 <= s { s - m.1 } else { m.0 - e })
        .map(|m| m.2)
}

/// Sentence tense from marker words of the lexicon.
fn tense_of(lr: &LangRules, sentence: &str) -> Tense {
    let lex = &lr.lex;
    let toks: Vec<String> = sentence
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|t| !t.is_empty())
        .map(|t| t.to_lowercase())
        .collect();
    let future_words: Vec<&str> = lex.words("future").collect();
    let fut = toks.iter().any(|t| {
        lex.has("future", t)
            || future_words
                .iter()
                .any(|w| w.starts_with('\'') && t.ends_with(w))
    });
    if fut {
        return Tense::Future;
    }
    let mut past = toks.iter().any(|t| lex.has("past", t));
    if !past {
        if let Some(pre) = lex.config("participle_prefix") {
            let aux = toks.iter().any(|t| lex.has("auxpast", t));
            past = aux
                && toks.iter().any(|t| {
                    t.len() > 5 && t.starts_with(pre) && (t.ends_with('t') || t.ends_with("en"))
                });
        }
    }
    if !past {
        if let Some(suf) = lex.config("ed_suffix") {
            past = toks.iter().any(|t| t.len() > 4 && t.ends_with(suf));
        }
    }
    if past {
        Tense::Past
    } else {
        Tense::Present
    }
}

/// "von September bis November 2023": the first part takes the year of the second.
fn propagate_range_years(text: &str, lr: &LangRules, out: &mut [(Time, bool)]) {
    let _ = lr;
    for i in 1..out.len() {
        let (l, r) = out.split_at_mut(i);
        let a = &mut l[i - 1];
        let b = &r[0];
        if a.1 || !b.1 || a.0.kind != "DATE" || b.0.kind != "DATE" {
            continue;
        }
        let gap = text.get(a.0.end..b.0.start).unwrap_or("").trim();
        let gl = gap.to_lowercase();
        if !matches!(
            gl.as_str(),
            "bis"
                | "-"
                | "–"
                | "und"
                | "to"
                | "through"
                | "until"
                | "and"
                | "/"
                | "bis zum"
                | "bis ende"
        ) {
            continue;
        }
        let (Some(av), Some(bv)) = (a.0.value.get(..4), b.0.value.get(..4)) else {
            continue;
        };
        if av == bv || !av.bytes().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let Ok(by) = bv.parse::<i64>() else { continue };
        let rest = a.0.value[4..].to_string();
        let later = a.0.value[4..] > b.0.value[4..];
        let y = if later { by - 1 } else { by };
        a.0.value = format!("{y:04}{rest}");
    }
}

#[cfg(test)]
mod tests;
