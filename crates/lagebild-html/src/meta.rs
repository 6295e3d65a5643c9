//! Page metadata: `<meta>`/`<link>` collection, JSON-LD scanning, date,
//! language and charset normalisation, title clean-up.

use crate::entities::decode;
use crate::tokenizer::Attr;

/// First attribute called `name` (ASCII case-insensitive).
pub(crate) fn attr<'a>(attrs: &[Attr<'a>], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(name))
        .map(|a| a.value)
}

/// Whether a whitespace-separated attribute value contains `token`.
pub(crate) fn has_token(value: &str, token: &str) -> bool {
    value
        .split_ascii_whitespace()
        .any(|t| t.eq_ignore_ascii_case(token))
}

/// Collapse runs of whitespace to one space and trim; drop invisible
/// formatting characters.
pub(crate) fn collapse(s: &str) -> String {
    let mut c = Collapser::default();
    c.push_str(s);
    c.take()
}

/// Decode entities, then [`collapse`].
pub(crate) fn clean(s: &str) -> String {
    collapse(&decode(s))
}

fn non_empty(s: String) -> Option<String> {
    if s.is_empty() {
        None
    } else {
        Some(s)
    }
}

/// Characters that carry no visible text and are dropped from output.
#[inline]
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}') || c.is_control()
}

/// Accumulates text with whitespace collapsed: no leading or trailing space,
/// one space between words.
#[derive(Default)]
pub(crate) struct Collapser {
    buf: String,
    pending: bool,
}

impl Collapser {
    pub(crate) fn push_str(&mut self, s: &str) {
        for c in s.chars() {
            self.push_char(c);
        }
    }

    #[inline]
    pub(crate) fn push_char(&mut self, c: char) {
        if c.is_whitespace() {
            self.pending = !self.buf.is_empty();
        } else if !is_invisible(c) {
            if self.pending {
                self.buf.push(' ');
                self.pending = false;
            }
            self.buf.push(c);
        }
    }

    /// Treat the current position as a word boundary.
    pub(crate) fn soft_break(&mut self) {
        self.pending = !self.buf.is_empty();
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.buf.len()
    }

    pub(crate) fn take(&mut self) -> String {
        self.pending = false;
        std::mem::take(&mut self.buf)
    }
}

/// Metadata gathered while reading; slots are ordered by priority.
#[derive(Default)]
pub(crate) struct MetaState {
    pub(crate) title_tag: Option<String>,
    pub(crate) og_title: Option<String>,
    pub(crate) tw_title: Option<String>,
    pub(crate) h1: Option<String>,
    pub(crate) site: Option<String>,
    pub(crate) app_name: Option<String>,
    pub(crate) canonical: Option<String>,
    pub(crate) og_url: Option<String>,
    pub(crate) lang_html: Option<String>,
    pub(crate) lang_meta: Option<String>,
    pub(crate) locale: Option<String>,
    pub(crate) charset: Option<String>,
    /// description, og:description, twitter:description
    pub(crate) desc: [Option<String>; 3],
    /// meta author, JSON-LD, dc.creator, article:author, other, visible byline
    pub(crate) author: [Option<String>; 6],
    /// see [`DateSlot`]
    pub(crate) date: [Option<String>; 7],
}

/// Priority order of publication-date sources.
#[derive(Clone, Copy)]
pub(crate) enum DateSlot {
    ArticlePublished = 0,
    OgPublished = 1,
    JsonLd = 2,
    Microdata = 3,
    NamedMeta = 4,
    TimeInContent = 5,
    TimeAnywhere = 6,
}

fn set(slot: &mut Option<String>, v: Option<String>) {
    if slot.is_none() {
        *slot = v;
    }
}

impl MetaState {
    pub(crate) fn set_date(&mut self, slot: DateSlot, raw: &str) {
        let s = &mut self.date[slot as usize];
        if s.is_none() {
            *s = normalize_date(&decode(raw));
        }
    }

    /// A `<meta>` element. `in_chrome`: inside page chrome (microdata there
    /// describes something else, e.g. a related article).
    pub(crate) fn meta_tag(&mut self, attrs: &[Attr], in_chrome: bool) {
        if let Some(cs) = attr(attrs, "charset") {
            set(&mut self.charset, normalize_charset(cs));
        }
        let content = attr(attrs, "content");
        if let (Some(he), Some(content)) = (attr(attrs, "http-equiv"), content) {
            if he.trim().eq_ignore_ascii_case("content-type") {
                set(&mut self.charset, charset_from_content_type(content));
            } else if he.trim().eq_ignore_ascii_case("content-language") {
                set(
                    &mut self.lang_meta,
                    content.split(',').next().and_then(normalize_lang),
                );
            }
        }
        let Some(content) = content else { return };
        for key_attr in ["property", "name", "itemprop"] {
            if key_attr == "itemprop" && in_chrome {
                continue;
            }
            if let Some(keys) = attr(attrs, key_attr) {
                for key in keys.split_ascii_whitespace() {
                    let mut key = key.to_ascii_lowercase();
                    // Dublin Core is also written `DC:date`, `dcterms:issued`.
                    if key.starts_with("dc:") || key.starts_with("dcterms:") {
                        key = key.replacen(':', ".", 1);
                    }
                    self.meta_key(&key, content);
                }
            }
        }
    }

    fn meta_key(&mut self, key: &str, content: &str) {
        let text = || non_empty(clean(content));
        match key {
            "og:title" => set(&mut self.og_title, text()),
            "twitter:title" => set(&mut self.tw_title, text()),
            "og:site_name" => set(&mut self.site, text()),
            "application-name" => set(&mut self.app_name, text()),
            "og:url" => set(&mut self.og_url, text()),
            "description" => set(&mut self.desc[0], text()),
            "og:description" => set(&mut self.desc[1], text()),
            "twitter:description" => set(&mut self.desc[2], text()),
            "author" => set(&mut self.author[0], text().and_then(clean_author)),
            "dc.creator" | "dcterms.creator" => {
                set(&mut self.author[2], text().and_then(clean_author))
            }
            "article:author" | "og:article:author" => {
                set(&mut self.author[3], text().and_then(clean_author))
            }
            "parsely-author" | "sailthru.author" => {
                set(&mut self.author[4], text().and_then(clean_author))
            }
            "article:published_time" => self.set_date(DateSlot::ArticlePublished, content),
            "og:published_time" | "og:article:published_time" | "article:published" => {
                self.set_date(DateSlot::OgPublished, content)
            }
            "datepublished" => self.set_date(DateSlot::Microdata, content),
            "date"
            | "dc.date"
            | "dc.date.issued"
            | "dc.date.created"
            | "dcterms.date"
            | "dcterms.issued"
            | "dcterms.created"
            | "pubdate"
            | "publishdate"
            | "publish-date"
            | "publish_date"
            | "publication_date"
            | "publication-date"
            | "sailthru.date"
            | "parsely-pub-date"
            | "article.published"
            | "originalpublicationdate"
            | "sw-pubdate"
            | "citation_publication_date"
            | "citation_date"
            | "bepress_citation_date" => self.set_date(DateSlot::NamedMeta, content),
            "uploaddate" => self.set_date(DateSlot::TimeAnywhere, content),
            "og:locale" => set(&mut self.locale, normalize_lang(content)),
            "language" | "content-language" | "dc.language" => {
                set(&mut self.lang_meta, normalize_lang(content))
            }
            _ => {}
        }
    }

    /// A `<link>` element.
    pub(crate) fn link_tag(&mut self, attrs: &[Attr]) {
        if self.canonical.is_some() {
            return;
        }
        if attr(attrs, "rel").is_some_and(|r| has_token(r, "canonical")) {
            self.canonical = attr(attrs, "href").and_then(|h| non_empty(clean(h)));
        }
    }

    /// The content of a `<script type="application/ld+json">`.
    pub(crate) fn json_ld(&mut self, src: &str) {
        let mut found = LdFound::default();
        scan_json_ld(src, &mut found);
        if let Some(d) = found.date {
            self.set_date(DateSlot::JsonLd, &d);
        }
        if !found.authors.is_empty() && self.author[1].is_none() {
            self.author[1] = Some(found.authors.join(", "));
        }
    }
}

/// Strip a leading "Von"/"By" and reject URLs and empty values.
fn clean_author(s: String) -> Option<String> {
    let lower = s.to_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.") {
        return None;
    }
    let mut t = s.as_str();
    for prefix in ["von ", "by "] {
        if s.get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        {
            t = &s[prefix.len()..];
            break;
        }
    }
    non_empty(t.trim().to_string())
}

/// Whether an element marks the author's name: `rel=author`,
/// `itemprop=author`, or a class/id part `author`, `autor`, `byline`
/// (not an author's photo or biography).
pub(crate) fn is_byline(attrs: &[Attr]) -> bool {
    if attr(attrs, "rel").is_some_and(|r| has_token(r, "author"))
        || attr(attrs, "itemprop").is_some_and(|p| has_token(p, "author"))
    {
        return true;
    }
    let class = attr(attrs, "class").unwrap_or("");
    let id = attr(attrs, "id").unwrap_or("");
    class.split_ascii_whitespace().chain(Some(id)).any(|t| {
        let t = t.to_ascii_lowercase();
        let parts: Vec<&str> = t.split(['-', '_']).filter(|p| !p.is_empty()).collect();
        parts.iter().any(|p| {
            matches!(
                *p,
                "author" | "autor" | "byline" | "authorname" | "autorname"
            )
        }) && !parts.iter().any(|p| {
            matches!(
                *p,
                "bio"
                    | "box"
                    | "avatar"
                    | "img"
                    | "image"
                    | "photo"
                    | "description"
                    | "info"
                    | "about"
                    | "wrapper"
                    | "wrap"
                    | "container"
                    | "meta"
            )
        })
    })
}

/// The bare name in a visible byline: `Von Anna Muster | 3. März 2024` →
/// `Anna Muster`. `None` when what is left does not look like a name (too
/// long, digits, many words).
pub(crate) fn byline_author(s: &str) -> Option<String> {
    let mut t = collapse(s);
    loop {
        let lower = t.to_lowercase();
        let Some(p) = [
            "von ",
            "by ",
            "posted by ",
            "geschrieben von ",
            "verfasst von ",
            "autor: ",
            "autorin: ",
            "author: ",
            "autor ",
            "written by ",
            "text: ",
            "text von ",
        ]
        .iter()
        .find(|p| lower.starts_with(*p)) else {
            break;
        };
        t = t[p.len()..].trim().to_string();
    }
    let cut = [
        " | ", "|", "•", "·", " am ", " on ", ", ", " - ", " – ", "\n", " (", " /",
    ]
    .iter()
    .filter_map(|c| t.find(c))
    .min()
    .unwrap_or(t.len());
    let name = t[..cut].trim().trim_end_matches([',', ':', '.']);
    let words = name.split_whitespace().count();
    if name.chars().count() < 2
        || name.len() > 60
        || words > 5
        || name.chars().any(|c| c.is_ascii_digit())
        || name.contains('@')
    {
        return None;
    }
    Some(name.to_string())
}

// ---------------------------------------------------------------- charset

/// Lower-case a declared charset label; `None` if it is not a plausible label.
pub(crate) fn normalize_charset(s: &str) -> Option<String> {
    let t = s.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    if t.is_empty()
        || t.len() > 40
        || !t
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
    {
        return None;
    }
    Some(t.to_ascii_lowercase())
}

/// The `charset=` parameter of a content-type value.
pub(crate) fn charset_from_content_type(s: &str) -> Option<String> {
    let lower = s.to_ascii_lowercase();
    let i = lower.find("charset")?;
    let rest = lower[i + 7..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace())
        .unwrap_or(rest.len());
    normalize_charset(&rest[..end])
}

// ---------------------------------------------------------------- language

/// `"de-DE"` → `"de"`; `None` unless the primary subtag is 2–3 letters.
pub(crate) fn normalize_lang(s: &str) -> Option<String> {
    let primary = s.trim().split(['-', '_']).next()?;
    if (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic()) {
        Some(primary.to_ascii_lowercase())
    } else {
        None
    }
}

// ---------------------------------------------------------------- dates

fn is_leap(y: u32) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn valid_ymd(y: u32, m: u32, d: u32) -> Option<String> {
    if !(1800..=2200).contains(&y) || !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    let dim = match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if d > dim {
        return None;
    }
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// Proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn digits_at(b: &[u8], p: usize, min: usize, max: usize) -> Option<(u32, usize)> {
    let mut n = 0u32;
    let mut q = p;
    while q < b.len() && q - p < max && b[q].is_ascii_digit() {
        n = n * 10 + u32::from(b[q] - b'0');
        q += 1;
    }
    if q - p < min || b.get(q).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    Some((n, q))
}

fn month_number(word: &str) -> Option<u32> {
    const NAMES: &[(&str, u32)] = &[
        ("jan", 1),
        ("januar", 1),
        ("january", 1),
        ("jänner", 1),
        ("feb", 2),
        ("februar", 2),
        ("february", 2),
        ("mar", 3),
        ("mär", 3),
        ("märz", 3),
        ("maerz", 3),
        ("march", 3),
        ("apr", 4),
        ("april", 4),
        ("mai", 5),
        ("may", 5),
        ("jun", 6),
        ("juni", 6),
        ("june", 6),
        ("jul", 7),
        ("juli", 7),
        ("july", 7),
        ("aug", 8),
        ("august", 8),
        ("sep", 9),
        ("sept", 9),
        ("september", 9),
        ("okt", 10),
        ("oct", 10),
        ("oktober", 10),
        ("october", 10),
        ("nov", 11),
        ("november", 11),
        ("dez", 12),
        ("dec", 12),
        ("dezember", 12),
        ("december", 12),
    ];
    let w = word.to_lowercase();
    NAMES.iter().find(|(n, _)| *n == w).map(|&(_, m)| m)
}

/// The first full date written in a line of text: `23.06.2016`,
/// `2016-06-23`, `23. Juni 2016`, `June 23, 2016`.
pub(crate) fn find_date(text: &str) -> Option<String> {
    let mut prev_alnum = false;
    for (i, c) in text.char_indices() {
        let starts = !prev_alnum && c.is_alphanumeric();
        prev_alnum = c.is_alphanumeric();
        if !starts {
            continue;
        }
        if !c.is_ascii_digit() {
            let word: String = text[i..]
                .chars()
                .take_while(|c| c.is_alphabetic())
                .collect();
            if month_number(&word).is_none() {
                continue;
            }
        }
        let mut end = (i + 20).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let window = &text[i..end];
        // Cut at the year so that later numbers do not mix in.
        let cut = window
            .char_indices()
            .find(|&(j, _)| {
                window.as_bytes()[j..].len() >= 4
                    && window.as_bytes()[j..j + 4].iter().all(u8::is_ascii_digit)
                    && (j == 0 || !window.as_bytes()[j - 1].is_ascii_digit())
            })
            .map_or(window.len(), |(j, _)| j + 4);
        // An ISO date starts with its year.
        let cut = if cut == 4 { window.len() } else { cut };
        if let Some(d) = normalize_date(&window[..cut]) {
            return Some(d);
        }
    }
    None
}

/// A month or weekday name (English, German), full or abbreviated.
pub(crate) fn is_month_or_day_word(w: &str) -> bool {
    const DAYS: &[&str] = &[
        "mo",
        "di",
        "mi",
        "do",
        "fr",
        "sa",
        "so",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    month_number(w).is_some() || DAYS.contains(&w.to_lowercase().as_str())
}

/// Normalise a date or timestamp to `YYYY-MM-DD`.
///
/// Accepts ISO 8601 (`2024-11-01T10:00:00+01:00`, `2024/11/01`, `20241101`),
/// German `01.11.2024`, Unix seconds or milliseconds, and texts with an
/// English or German month name (`1. November 2024`, `Nov 1, 2024`,
/// `Fri, 01 Nov 2024 10:00:00 GMT`). The calendar date is taken as
/// written, without time-zone conversion.
pub(crate) fn normalize_date(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() || s.len() > 100 {
        return None;
    }
    let b = s.as_bytes();
    let lead = b.iter().take_while(|c| c.is_ascii_digit()).count();
    match lead {
        4 if matches!(b.get(4), Some(b'-' | b'/' | b'.')) => {
            let sep = b[4];
            let y: u32 = s[..4].parse().ok()?;
            let (m, q) = digits_at(b, 5, 1, 2)?;
            if b.get(q) != Some(&sep) {
                return None;
            }
            let (d, _) = digits_at(b, q + 1, 1, 2)?;
            return valid_ymd(y, m, d);
        }
        8 => {
            let y: u32 = s[..4].parse().ok()?;
            let m: u32 = s[4..6].parse().ok()?;
            let d: u32 = s[6..8].parse().ok()?;
            return valid_ymd(y, m, d);
        }
        10 | 13 if lead == b.len() => {
            let mut secs: i64 = s.parse().ok()?;
            if lead == 13 {
                secs /= 1000;
            }
            let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
            return valid_ymd(u32::try_from(y).ok()?, m, d);
        }
        1 | 2 if b.get(lead) == Some(&b'.') => {
            let (d, q) = digits_at(b, 0, 1, 2)?;
            let mut q = q + 1;
            while b.get(q) == Some(&b' ') {
                q += 1;
            }
            if let Some((m, q2)) = digits_at(b, q, 1, 2) {
                if b.get(q2) == Some(&b'.') {
                    let mut q3 = q2 + 1;
                    while b.get(q3) == Some(&b' ') {
                        q3 += 1;
                    }
                    let (y, _) = digits_at(b, q3, 4, 4)?;
                    return valid_ymd(y, m, d);
                }
                return None;
            }
        }
        _ => {}
    }
    // Words: a month name, a day (1-2 digits) and a year (4 digits).
    let (mut day, mut month, mut year) = (None, None, None);
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if w.bytes().all(|c| c.is_ascii_digit()) {
            match w.len() {
                1 | 2 if day.is_none() => day = w.parse::<u32>().ok(),
                4 if year.is_none() => year = w.parse::<u32>().ok(),
                _ => {}
            }
        } else if month.is_none() {
            month = month_number(w);
        }
    }
    valid_ymd(year?, month?, day?)
}

// ---------------------------------------------------------------- JSON-LD

#[derive(Default)]
pub(crate) struct LdFound {
    pub(crate) date: Option<String>,
    pub(crate) authors: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    None,
    Author,
    Name,
    Date,
    Other,
}

fn classify_key(k: &str) -> Key {
    match k {
        "author" | "creator" => Key::Author,
        "name" => Key::Name,
        "datePublished" => Key::Date,
        _ => Key::Other,
    }
}

struct JFrame {
    obj: bool,
    /// Current key (objects).
    key: Key,
    after_colon: bool,
    /// The key this container is the value of (arrays are transparent).
    ctx: Key,
    ctx_parent: Key,
}

/// Decode the JSON string starting after the opening quote at `start`.
/// Returns the string and the offset after the closing quote.
fn json_string(src: &str, start: usize) -> Option<(String, usize)> {
    let b = src.as_bytes();
    let mut out = String::new();
    let mut run = start;
    let mut i = start;
    while i < b.len() {
        match b[i] {
            b'"' => {
                out.push_str(&src[run..i]);
                return Some((out, i + 1));
            }
            b'\\' => {
                out.push_str(&src[run..i]);
                let simple = match b.get(i + 1) {
                    Some(b'n') => Some('\n'),
                    Some(b't') => Some('\t'),
                    Some(b'r') => Some('\r'),
                    Some(b'b') => Some('\u{8}'),
                    Some(b'f') => Some('\u{c}'),
                    Some(b'/') => Some('/'),
                    Some(b'\\') => Some('\\'),
                    Some(b'"') => Some('"'),
                    _ => None,
                };
                if let Some(c) = simple {
                    out.push(c);
                    i += 2;
                } else if let Some(u) = hex4(b, i + 2).filter(|_| b.get(i + 1) == Some(&b'u')) {
                    i += 6;
                    let c = if (0xD800..0xDC00).contains(&u) {
                        match (b.get(i), b.get(i + 1), hex4(b, i + 2)) {
                            (Some(b'\\'), Some(b'u'), Some(lo))
                                if (0xDC00..0xE000).contains(&lo) =>
                            {
                                i += 6;
                                char::from_u32(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00))
                            }
                            _ => None,
                        }
                    } else {
                        char::from_u32(u)
                    };
                    out.push(c.unwrap_or('\u{FFFD}'));
                } else {
                    // Unknown escape: drop the backslash, keep what follows.
                    i += 1;
                }
                run = i;
            }
            _ => i += 1,
        }
    }
    None
}

fn hex4(b: &[u8], p: usize) -> Option<u32> {
    let s = b.get(p..p + 4)?;
    let mut n = 0;
    for &c in s {
        n = n * 16 + (c as char).to_digit(16)?;
    }
    Some(n)
}

/// Scan JSON(-LD) for `datePublished` and author names, tolerating broken
/// JSON. Iterative (no recursion), linear in the input.
pub(crate) fn scan_json_ld(src: &str, found: &mut LdFound) {
    let b = src.as_bytes();
    let mut stack: Vec<JFrame> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            open @ (b'{' | b'[') => {
                let (ctx, ctx_parent) = match stack.last() {
                    Some(f) if f.obj => (f.key, f.ctx),
                    Some(f) => (f.ctx, f.ctx_parent),
                    None => (Key::None, Key::None),
                };
                stack.push(JFrame {
                    obj: open == b'{',
                    key: Key::None,
                    after_colon: false,
                    ctx,
                    ctx_parent,
                });
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
            }
            b',' => {
                if let Some(f) = stack.last_mut() {
                    if f.obj {
                        f.key = Key::None;
                        f.after_colon = false;
                    }
                }
                i += 1;
            }
            b':' => {
                if let Some(f) = stack.last_mut() {
                    f.after_colon = true;
                }
                i += 1;
            }
            b'"' => {
                let Some((s, end)) = json_string(src, i + 1) else {
                    return;
                };
                i = end;
                let Some(f) = stack.last_mut() else { continue };
                if f.obj && !f.after_colon {
                    f.key = classify_key(&s);
                    continue;
                }
                let (key, parent) = if f.obj {
                    (f.key, f.ctx)
                } else {
                    (f.ctx, f.ctx_parent)
                };
                match key {
                    Key::Date if found.date.is_none() => found.date = Some(s),
                    Key::Author => add_author(found, s),
                    Key::Name if parent == Key::Author => add_author(found, s),
                    _ => {}
                }
            }
            _ => i += 1,
        }
    }
}

fn add_author(found: &mut LdFound, s: String) {
    let Some(a) = clean_author(collapse(&s)) else {
        return;
    };
    if found.authors.len() < 10 && a.len() < 200 && !found.authors.contains(&a) {
        found.authors.push(a);
    }
}

// ---------------------------------------------------------------- title

fn norm_name(s: &str) -> String {
    collapse(s).to_lowercase()
}

/// A publication date written into a URL's path: `/2024/11/01/`,
/// `/2024-11-01-title`, `_20241101_`, `/20241101/`. Year and month alone
/// (`/2024/11/`) are no day and give nothing.
pub(crate) fn date_from_url(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.split_once('/').map_or("", |(_, p)| p);
    let path = path.split(['?', '#']).next().unwrap_or("");
    let b = path.as_bytes();
    let digits = |i: usize, n: usize| -> Option<u32> {
        let s = path.get(i..i + n)?;
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let boundary = |i: usize| i == 0 || !b[i - 1].is_ascii_alphanumeric();
    let mut i = 0;
    while i + 8 <= b.len() {
        if boundary(i) && (b[i] == b'1' || b[i] == b'2') {
            if let Some(y) = digits(i, 4).filter(|y| (1990..=2100).contains(y)) {
                let sep = b.get(i + 4).copied();
                if matches!(sep, Some(b'/' | b'-' | b'_' | b'.')) {
                    // y/m/d with 1- or 2-digit month and day.
                    let mut j = i + 5;
                    let mlen = b[j..].iter().take_while(|c| c.is_ascii_digit()).count();
                    if (1..=2).contains(&mlen) && b.get(j + mlen).copied() == sep {
                        let m = digits(j, mlen)?;
                        j += mlen + 1;
                        let dlen = b[j..].iter().take_while(|c| c.is_ascii_digit()).count();
                        if (1..=2).contains(&dlen) {
                            if let Some(d) = valid_ymd(y, m, digits(j, dlen)?) {
                                return Some(d);
                            }
                        }
                    }
                } else if let (Some(m), Some(d)) = (digits(i + 4, 2), digits(i + 6, 2)) {
                    let end_ok = b.get(i + 8).is_none_or(|c| !c.is_ascii_digit());
                    if end_ok {
                        if let Some(d) = valid_ymd(y, m, d) {
                            return Some(d);
                        }
                    }
                }
            }
        }
        i += 1;
    }
    None
}

/// Host of an absolute URL, without a `www.` prefix.
pub(crate) fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    non_empty(host)
}

/// Whether `s` names one of the sites (normalised names in `names`).
pub(crate) fn is_site_name(s: &str, sites: &[String]) -> bool {
    let n = norm_name(s);
    !n.is_empty() && sites.iter().any(|site| norm_name(site) == n)
}

/// Remove `" | Site"` (or `" - Site"`, `" – Site"`, …) from the end of a
/// title, or `"Site | "` from its start, when that part equals one of the
/// known site names (case-insensitive, whitespace-normalised).
pub(crate) fn strip_site_name(title: &str, sites: &[String]) -> String {
    const SEPS: [&str; 9] = [
        " | ", " - ", " – ", " — ", " · ", " :: ", " » ", " • ", " ‹ ",
    ];
    let names: Vec<String> = sites
        .iter()
        .map(|s| norm_name(s))
        .filter(|s| !s.is_empty())
        .collect();
    // A part longer than this cannot equal a site name (bounds the work on
    // titles with many separators).
    let Some(max_len) = names.iter().map(|n| 2 * n.len() + 16).max() else {
        return title.to_string();
    };
    let is_site = |part: &str| part.len() <= max_len && names.contains(&norm_name(part));
    for sep in SEPS {
        for (i, _) in title.match_indices(sep) {
            let (head, tail) = (title[..i].trim(), title[i + sep.len()..].trim());
            if head.is_empty() || tail.is_empty() {
                continue;
            }
            if is_site(tail) {
                return head.to_string();
            }
            if is_site(head) {
                return tail.to_string();
            }
        }
    }
    title.to_string()
}

/// Remove a short trailing part after a title separator (`" | Kurier"`,
/// `" - Blog"`, `" – SZ.de"`) that names no known site: at most three
/// words and 30 bytes, after a headline of at least three words.
pub(crate) fn strip_site_suffix(title: &str) -> String {
    const SEPS: [&str; 6] = [" | ", " - ", " – ", " — ", " :: ", " · "];
    let Some((i, sep)) = SEPS
        .iter()
        .filter_map(|s| title.rfind(s).map(|i| (i, *s)))
        .max_by_key(|&(i, _)| i)
    else {
        return title.to_string();
    };
    let (head, tail) = (title[..i].trim(), title[i + sep.len()..].trim());
    let words = |s: &str| {
        s.split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
    };
    if tail.starts_with(char::is_alphanumeric)
        && tail.len() <= 30
        && words(tail) <= 3
        && words(head) >= 3
    {
        head.to_string()
    } else {
        title.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_many_formats() {
        let d = |s| normalize_date(s);
        assert_eq!(
            d("2024-11-01T10:00:00+01:00").as_deref(),
            Some("2024-11-01")
        );
        assert_eq!(d(" 2024-11-01 ").as_deref(), Some("2024-11-01"));
        assert_eq!(d("2024/3/7").as_deref(), Some("2024-03-07"));
        assert_eq!(d("20241101").as_deref(), Some("2024-11-01"));
        assert_eq!(d("20241101T0930Z").as_deref(), Some("2024-11-01"));
        assert_eq!(d("01.11.2024").as_deref(), Some("2024-11-01"));
        assert_eq!(d("1. 11. 2024, 10:00 Uhr").as_deref(), Some("2024-11-01"));
        assert_eq!(d("1. November 2024").as_deref(), Some("2024-11-01"));
        assert_eq!(d("3. März 2023").as_deref(), Some("2023-03-03"));
        assert_eq!(d("Nov 1, 2024").as_deref(), Some("2024-11-01"));
        assert_eq!(
            d("Fri, 01 Nov 2024 10:00:00 GMT").as_deref(),
            Some("2024-11-01")
        );
        assert_eq!(d("1730455200").as_deref(), Some("2024-11-01"));
        assert_eq!(d("1730455200000").as_deref(), Some("2024-11-01"));
        assert_eq!(d("2024-02-29").as_deref(), Some("2024-02-29"));
        assert_eq!(d("2023-02-29"), None);
        assert_eq!(d("2024-13-01"), None);
        assert_eq!(d("0001-01-01"), None);
        assert_eq!(d("2024-11"), None);
        assert_eq!(d("Marketing 2024"), None);
        assert_eq!(d("gestern"), None);
        assert_eq!(d(""), None);
    }

    #[test]
    fn bylines() {
        assert_eq!(
            byline_author("Von Anna Muster | 3. März 2024").as_deref(),
            Some("Anna Muster")
        );
        assert_eq!(
            byline_author("  By  John Doe, Reuters").as_deref(),
            Some("John Doe")
        );
        assert_eq!(
            byline_author("Posted by gizzmo on 12.3.2019").as_deref(),
            Some("gizzmo")
        );
        assert_eq!(
            byline_author("Autor: Gàbor Muniér, Datum: 03.Mär.19").as_deref(),
            Some("Gàbor Muniér")
        );
        assert_eq!(byline_author("Redaktion 2024"), None);
        assert_eq!(
            byline_author("Ein sehr langer Satz der kein Name ist und viele Wörter hat"),
            None
        );
    }

    #[test]
    fn site_suffixes() {
        assert_eq!(
            strip_site_suffix("Neuer Radweg am Hafen beschlossen | Tagesblatt Nord"),
            "Neuer Radweg am Hafen beschlossen"
        );
        assert_eq!(strip_site_suffix("Köln - Bonn"), "Köln - Bonn");
        assert_eq!(
            strip_site_suffix(
                "Streit um den Haushalt - eine lange Geschichte mit vielen Wendungen"
            ),
            "Streit um den Haushalt - eine lange Geschichte mit vielen Wendungen"
        );
    }

    #[test]
    fn dates_in_text() {
        let f = |s| find_date(s);
        assert_eq!(
            f("Veröffentlicht von Anna am 23. Februar 2020").as_deref(),
            Some("2020-02-23")
        );
        assert_eq!(
            f("Stand: 23.06.2016, 10:15 Uhr").as_deref(),
            Some("2016-06-23")
        );
        assert_eq!(
            f("Posted on June 3, 2019 by x").as_deref(),
            Some("2019-06-03")
        );
        assert_eq!(f("am 2021-04-05 um 12:00").as_deref(), Some("2021-04-05"));
        assert_eq!(f("Seit 2019 gibt es 3 Märkte"), None);
        assert_eq!(f("Tel. 0711 12345"), None);
    }

    #[test]
    fn dates_in_urls() {
        let d = |s| date_from_url(s);
        assert_eq!(
            d("https://x.de/politik/2024/11/01/haushalt").as_deref(),
            Some("2024-11-01")
        );
        assert_eq!(
            d("https://x.de/a/2024-3-7-titel").as_deref(),
            Some("2024-03-07")
        );
        assert_eq!(
            d("https://x.de/news_20241101_abc.html").as_deref(),
            Some("2024-11-01")
        );
        assert_eq!(d("https://x.de/2024/11/"), None);
        assert_eq!(d("https://x.de/artikel-123456789012"), None);
        assert_eq!(d("https://x20241101.de/"), None);
        assert_eq!(d("https://x.de/?d=2024-11-01"), None);
        assert_eq!(d("/2019/02/30/x"), None);
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn lang_and_charset() {
        assert_eq!(normalize_lang("de-DE").as_deref(), Some("de"));
        assert_eq!(normalize_lang("EN_us").as_deref(), Some("en"));
        assert_eq!(normalize_lang("x"), None);
        assert_eq!(normalize_lang("12"), None);
        assert_eq!(
            charset_from_content_type("text/html; Charset=\"ISO-8859-1\"").as_deref(),
            Some("iso-8859-1")
        );
        assert_eq!(charset_from_content_type("text/html"), None);
        assert_eq!(normalize_charset(" 'UTF-8' ").as_deref(), Some("utf-8"));
        assert_eq!(normalize_charset("utf 8"), None);
    }

    #[test]
    fn json_ld_scan() {
        let mut f = LdFound::default();
        scan_json_ld(
            r#"{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle",
               "headline":"X","datePublished":"2024-05-03T08:00:00Z",
               "author":[{"@type":"Person","name":"Anna M\u00fcller","affiliation":{"name":"Uni"}},
                         {"@type":"Person","name":"Ben Kurz"}],
               "publisher":{"name":"Tagesblatt"}}]}"#,
            &mut f,
        );
        assert_eq!(f.date.as_deref(), Some("2024-05-03T08:00:00Z"));
        assert_eq!(f.authors, vec!["Anna Müller", "Ben Kurz"]);

        let mut g = LdFound::default();
        scan_json_ld(
            r#"{"author":"Von Carla Diaz", "x": "\ud83d\ude00\q"}"#,
            &mut g,
        );
        assert_eq!(g.authors, vec!["Carla Diaz"]);

        let mut h = LdFound::default();
        scan_json_ld(r#"{"author": {"name": "unterminated"#, &mut h);
        assert!(h.authors.is_empty());
    }

    #[test]
    fn site_name_stripping() {
        let sites = vec!["Tagesblatt".to_string()];
        assert_eq!(
            strip_site_name("Haushalt beschlossen | Tagesblatt", &sites),
            "Haushalt beschlossen"
        );
        assert_eq!(
            strip_site_name("Haushalt beschlossen - tagesblatt", &sites),
            "Haushalt beschlossen"
        );
        assert_eq!(
            strip_site_name("Tagesblatt – Haushalt beschlossen", &sites),
            "Haushalt beschlossen"
        );
        assert_eq!(
            strip_site_name("Haushalt - Streit | Politik", &sites),
            "Haushalt - Streit | Politik"
        );
        assert_eq!(strip_site_name("Tagesblatt", &sites), "Tagesblatt");
        assert_eq!(strip_site_name("A | B", &[]), "A | B");
        let dashed = vec!["Kurier - Nord".to_string()];
        assert_eq!(
            strip_site_name("Neue Brücke - Kurier - Nord", &dashed),
            "Neue Brücke"
        );
        assert!(is_site_name(" tagesblatt ", &sites));
        assert!(!is_site_name("", &sites));
        assert_eq!(
            url_host("https://www.Tagesblatt.de/a/b?c").as_deref(),
            Some("tagesblatt.de")
        );
    }
}
