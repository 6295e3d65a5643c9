//! Tokens and sentences for German and English news text.
//!
//! [`Segmenter::tokenize`] splits a text into [`Token`]s in one left-to-right
//! pass (linear time, no regular expressions); [`Segmenter::sentences`] groups
//! tokens into [`Sentence`]s. All offsets are UTF-8 byte offsets into the text.
//!
//! Token rules:
//! - **Words** are runs of letters, digits and combining marks. Inner hyphens
//!   and apostrophes stay inside (`Jong-un`, `Nordkorea-Besuch`, `don't`,
//!   `O'Brien`), except a final `'s`/`’s`, which becomes its own word token
//!   (`Putin` `’s`). The hyphen of a truncated compound stays with it when a
//!   comma or a conjunction follows (`Staats-` `und`, `Kinder-` `,`); a leading
//!   hyphen after a space stays with a lowercase word (`-chefinnen`).
//! - **Numbers** are ASCII digits with inner `.` `,` `:` `/` `-` separators
//!   (`8.000`, `3,5`, `19:47:09`, `2024-01-17`), with an optional sign after a
//!   space. A number glued to letters is a word (`20er`, `18-Jährige`). An
//!   ordinal keeps its dot (`1.`) when the next word is lowercase, a month or a
//!   typical ordinal noun (`Bundesliga`, `Platz`, …), when a comma follows, or
//!   after an article such as `der`/`am`/`im`.
//! - **Abbreviations** from the list keep their dot (`Dr.`, `z.B.`, `U.S.`), as
//!   do single lowercase letters (`z.` `B.` in `z. B.`) and initials (`J.` before
//!   a capitalised word or after another one-letter abbreviation).
//! - **Urls**: `http(s)://`, `ftp://`, `www.`, e-mail addresses and bare domains
//!   with a common top-level domain (`tagesschau.de`).
//! - **Quotes**: every quotation mark is its own token.
//! - **Punct**: runs of `.`, `!`, `?`, `…` form one token (`...`, `?!`); dashes
//!   standing alone (runs of one dash character); brackets, `,` `;` `:`.
//! - **Symbols**: everything else, one character with its combining marks,
//!   emoji modifiers and zero-width-joiner sequences.
//!
//! Zero-width spaces, byte-order marks and control characters count as space.
//!
//! The tokenizer does not know the language: it keeps the dot of abbreviations
//! of every language of the list. [`Segmenter::sentences`] then decides per
//! language, so `Art.` ends an English sentence but not a German one.

use std::collections::HashMap;
use std::sync::OnceLock;

use lagebild_model::{Sentence, Token, TokenKind};

/// The embedded default abbreviation list.
const EMBEDDED_TSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../resources/lexicons/abbreviations.tsv"
));

/// How an abbreviation behaves at a possible sentence end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AbbrKind {
    /// Never ends a sentence (`Dr.`, `z.B.`).
    Abbr,
    /// Ends a sentence when a capitalised word or a quote follows (`usw.`).
    Final,
}

/// The kinds of one abbreviation per language column.
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    de: Option<AbbrKind>,
    en: Option<AbbrKind>,
    any: Option<AbbrKind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    De,
    En,
    Other,
}

impl Lang {
    fn parse(lang: &str) -> Lang {
        let primary = lang.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("de") {
            Lang::De
        } else if primary.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Other
        }
    }
}

impl Entry {
    fn kind(&self, lang: Lang) -> Option<AbbrKind> {
        match lang {
            Lang::De => self.de.or(self.any),
            Lang::En => self.en.or(self.any),
            Lang::Other => self.any.or(self.de).or(self.en),
        }
    }
}

/// Tokenizer and sentence splitter with abbreviation sets loaded once.
#[derive(Debug, Clone)]
pub struct Segmenter {
    abbrs: HashMap<String, Entry>,
}

impl Segmenter {
    /// Parse an abbreviations TSV: columns abbreviation (without its final
    /// dot), language (`de`, `en` or `*`) and kind (`abbr`: not sentence-final;
    /// `final`: may end a sentence). Blank lines and `#` lines are skipped; a
    /// first record `abbreviation …` is taken as a header. Errors name the line.
    pub fn from_tsv(tsv: &str) -> Result<Segmenter, String> {
        let mut abbrs: HashMap<String, Entry> = HashMap::new();
        let mut first_record = true;
        for (idx, line) in tsv.lines().enumerate() {
            let n = idx + 1;
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            let header = first_record && cols[0].eq_ignore_ascii_case("abbreviation");
            first_record = false;
            if header {
                continue;
            }
            if cols.len() != 3 {
                return Err(format!(
                    "line {n}: expected 3 tab-separated columns (abbreviation, language, kind), found {}",
                    cols.len()
                ));
            }
            let abbr = cols[0];
            if abbr.is_empty() {
                return Err(format!("line {n}: empty abbreviation"));
            }
            if abbr.starts_with('.') || abbr.ends_with('.') {
                return Err(format!(
                    "line {n}: abbreviation {abbr:?} must be written without leading or final dot"
                ));
            }
            if !abbr
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
            {
                return Err(format!(
                    "line {n}: abbreviation {abbr:?} may hold only letters, digits, '.' and '-'"
                ));
            }
            let kind = match cols[2] {
                "abbr" => AbbrKind::Abbr,
                "final" => AbbrKind::Final,
                other => {
                    return Err(format!(
                        "line {n}: kind {other:?} is not one of abbr, final"
                    ))
                }
            };
            let entry = abbrs.entry(abbr.to_string()).or_default();
            let slot = match cols[1] {
                "de" => &mut entry.de,
                "en" => &mut entry.en,
                "*" => &mut entry.any,
                other => {
                    return Err(format!(
                        "line {n}: language {other:?} is not one of de, en, *"
                    ))
                }
            };
            if slot.is_some() {
                return Err(format!(
                    "line {n}: abbreviation {abbr:?} listed twice for language {}",
                    cols[1]
                ));
            }
            *slot = Some(kind);
        }
        Ok(Segmenter { abbrs })
    }

    /// The segmenter over the embedded default list
    /// (`resources/lexicons/abbreviations.tsv`), built once.
    pub fn embedded() -> &'static Segmenter {
        static EMBEDDED: OnceLock<Segmenter> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            Segmenter::from_tsv(EMBEDDED_TSV)
                .unwrap_or_else(|e| panic!("embedded abbreviations.tsv: {e}"))
        })
    }

    /// The list entry of `stem`, or of its part after the last hyphen
    /// (`D-Mass` → `Mass`, `Dipl.-Ing` → `Ing`).
    fn lookup(&self, stem: &str) -> Option<&Entry> {
        if let Some(e) = self.lookup_exact(stem) {
            return Some(e);
        }
        match stem.rsplit_once(['-', '‐', '‑']) {
            Some((_, last)) if !last.is_empty() => self.lookup_exact(last),
            _ => None,
        }
    }

    /// The list entry of `stem`; a capitalised stem also finds a lowercase
    /// entry (`Vgl` → `vgl`).
    fn lookup_exact(&self, stem: &str) -> Option<&Entry> {
        if let Some(e) = self.abbrs.get(stem) {
            return Some(e);
        }
        let mut chars = stem.chars();
        let first = chars.next()?;
        if !first.is_uppercase() {
            return None;
        }
        let mut lowered = String::with_capacity(stem.len());
        lowered.extend(first.to_lowercase());
        lowered.push_str(chars.as_str());
        self.abbrs.get(&lowered)
    }

    fn is_known(&self, stem: &str) -> bool {
        self.lookup(stem).is_some()
    }

    /// Split `text` into tokens, ordered and non-overlapping; every character
    /// that is not space belongs to exactly one token.
    pub fn tokenize(&self, text: &str) -> Vec<Token> {
        Lexer {
            seg: self,
            text,
            toks: Vec::with_capacity(text.len() / 5 + 1),
            no_url_before: 0,
        }
        .run()
    }

    /// Group `tokens` (as made by [`Segmenter::tokenize`] over `text`) into
    /// sentences for language `lang` (ISO 639-1; `de` and `en` use their own
    /// abbreviation sets, other codes all of them). Every token lies in exactly
    /// one sentence; a line break always ends a sentence.
    pub fn sentences(&self, text: &str, tokens: &[Token], lang: &str) -> Vec<Sentence> {
        let lang = Lang::parse(lang);
        let n = tokens.len();
        let mut out = Vec::new();
        let mut first = 0;
        let mut i = 0;
        while i < n {
            let mut last = None;
            if i + 1 == n || has_newline(text, tokens[i].end, tokens[i + 1].start) {
                last = Some(i);
            } else if let Some(kind) = self.terminal(text, tokens, i, lang) {
                // Closing quotes and brackets glued to the end belong to it.
                let mut j = i + 1;
                while j < n && tokens[j].start == tokens[j - 1].end && is_closer(text, &tokens[j]) {
                    j += 1;
                }
                if j == n
                    || has_newline(text, tokens[j - 1].end, tokens[j].start)
                    || splits_before(text, tokens, j, kind)
                {
                    last = Some(j - 1);
                }
            }
            match last {
                Some(l) => {
                    out.push(Sentence {
                        start: tokens[first].start,
                        end: tokens[l].end,
                        first_token: first,
                        end_token: l + 1,
                    });
                    first = l + 1;
                    i = l + 1;
                }
                None => i += 1,
            }
        }
        out
    }

    /// Whether token `i` may end a sentence, and how.
    fn terminal(&self, text: &str, tokens: &[Token], i: usize, lang: Lang) -> Option<Terminal> {
        let t = &tokens[i];
        let s = tok_text(text, t);
        match t.kind {
            TokenKind::Punct if !s.is_empty() && s.chars().all(is_terminal) => {
                // `(…)` and `[...]` mark an omission, not an end.
                let ellipsis = s.chars().all(|c| c == '.' || c == '…') && s != ".";
                if ellipsis && i > 0 && i + 1 < tokens.len() {
                    let prev = &tokens[i - 1];
                    let next = &tokens[i + 1];
                    if prev.end == t.start
                        && next.start == t.end
                        && matches!(tok_text(text, prev), "(" | "[")
                        && matches!(tok_text(text, next), ")" | "]")
                    {
                        return None;
                    }
                }
                Some(Terminal::Period)
            }
            TokenKind::Word if s.len() > 1 && s.ends_with('.') => {
                let stem = &s[..s.len() - 1];
                match self.lookup(stem).and_then(|e| e.kind(lang)) {
                    Some(AbbrKind::Abbr) => None,
                    Some(AbbrKind::Final) => Some(Terminal::Final),
                    None => {
                        let mut chars = stem.chars();
                        let single = chars.next().is_some() && chars.next().is_none();
                        if single || stem.contains('.') {
                            // An initial or a dotted abbreviation (`U.S.A.`).
                            None
                        } else {
                            // An abbreviation of another language only: here a
                            // word followed by a full stop.
                            Some(Terminal::Period)
                        }
                    }
                }
            }
            _ => None,
        }
    }
}

/// How a possible sentence end decides on the token after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Terminal {
    /// `.` `!` `?` `…`: splits unless a lowercase word or `,` `;` `:` follows.
    Period,
    /// A sentence-final-capable abbreviation: splits only before a capitalised
    /// word or a quotation mark.
    Final,
}

/// Whether a sentence ending in a terminal splits before token `j`.
fn splits_before(text: &str, tokens: &[Token], j: usize, kind: Terminal) -> bool {
    let t = &tokens[j];
    let s = tok_text(text, t);
    let Some(c) = s.chars().next() else {
        return kind == Terminal::Period;
    };
    match t.kind {
        TokenKind::Word => {
            if c.is_lowercase() {
                false
            } else if c.is_uppercase() {
                true
            } else {
                kind == Terminal::Period
            }
        }
        TokenKind::Quote => true,
        TokenKind::Punct => {
            if is_dash(c) {
                // `„Raus!“ – rief er` goes on; `… – Dann` does not.
                let lower_after = tokens
                    .get(j + 1)
                    .filter(|n| n.kind == TokenKind::Word)
                    .and_then(|n| tok_text(text, n).chars().next())
                    .is_some_and(char::is_lowercase);
                kind == Terminal::Period && !lower_after
            } else if matches!(c, '(' | '[' | '¡' | '¿' | '{') {
                kind == Terminal::Period
            } else {
                false
            }
        }
        TokenKind::Number | TokenKind::Symbol | TokenKind::Url => kind == Terminal::Period,
    }
}

/// A quotation mark that can close a quote, or a closing bracket.
fn is_closer(text: &str, t: &Token) -> bool {
    let Some(c) = tok_text(text, t).chars().next() else {
        return false;
    };
    match t.kind {
        TokenKind::Quote => !matches!(c, '„' | '‚' | '〝' | '「' | '『'),
        TokenKind::Punct => matches!(c, ')' | ']' | '}' | '）'),
        _ => false,
    }
}

fn tok_text<'a>(text: &'a str, t: &Token) -> &'a str {
    text.get(t.start..t.end).unwrap_or("")
}

/// Whether `text[a..b]` holds a line break.
fn has_newline(text: &str, a: usize, b: usize) -> bool {
    if a >= b {
        return false;
    }
    match text.get(a..b) {
        Some(gap) => gap.chars().any(is_newline),
        None => text
            .as_bytes()
            .get(a..b.min(text.len()))
            .is_some_and(|g| g.iter().any(|&b| b == b'\n' || b == b'\r')),
    }
}

// ---------------------------------------------------------------------------
// Character classes

fn is_newline(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Space for the tokenizer: white space, zero-width spaces, BOM, controls.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c.is_control() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// Space within a line.
fn is_hspace(c: char) -> bool {
    is_space(c) && !is_newline(c)
}

/// Combining marks, joiners, variation selectors, emoji modifiers and tags:
/// characters that extend the one before them.
fn is_extender(c: char) -> bool {
    matches!(c as u32,
        0x00AD
        | 0x0300..=0x036F
        | 0x0483..=0x0489
        | 0x0591..=0x05BD
        | 0x05BF
        | 0x05C1..=0x05C2
        | 0x05C4..=0x05C5
        | 0x05C7
        | 0x0610..=0x061A
        | 0x064B..=0x065F
        | 0x0670
        | 0x06D6..=0x06DC
        | 0x06DF..=0x06E4
        | 0x06E7..=0x06E8
        | 0x06EA..=0x06ED
        | 0x094D
        | 0x09CD
        | 0x0A4D
        | 0x0ACD
        | 0x0B4D
        | 0x0BCD
        | 0x0C4D
        | 0x0CCD
        | 0x0D4D
        | 0x0E31
        | 0x0E34..=0x0E3A
        | 0x0E47..=0x0E4E
        | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF
        | 0x200C..=0x200D
        | 0x20D0..=0x20FF
        | 0x302A..=0x302F
        | 0x3099..=0x309A
        | 0xFE00..=0xFE0F
        | 0xFE20..=0xFE2F
        | 0x1F3FB..=0x1F3FF
        | 0xE0020..=0xE007F
        | 0xE0100..=0xE01EF
    )
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_extender(c)
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '`'
            | '´'
            | '„'
            | '“'
            | '”'
            | '‟'
            | '‚'
            | '‘'
            | '’'
            | '‛'
            | '«'
            | '»'
            | '‹'
            | '›'
            | '″'
            | '〝'
            | '〞'
            | '＂'
            | '「'
            | '」'
            | '『'
            | '』'
    )
}

/// Apostrophes that may stand inside a word (`don't`, `O’Brien`).
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '`' | '´')
}

fn is_terminal(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '…' | '‼' | '⁇' | '⁈' | '⁉' | '。' | '！' | '？'
    )
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '⸺' | '⸻')
}

/// Hyphens that join the parts of a compound word.
fn is_inner_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑')
}

fn is_punct(c: char) -> bool {
    matches!(
        c,
        ',' | ';'
            | ':'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '¡'
            | '¿'
            | '、'
            | '，'
            | '：'
            | '；'
            | '（'
            | '）'
    )
}

fn is_regional_indicator(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

const MONTHS: &[&str] = &[
    "Januar",
    "Jänner",
    "Februar",
    "Feber",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
    "January",
    "February",
    "March",
    "May",
    "June",
    "July",
    "October",
    "December",
    "Jan",
    "Feb",
    "Mär",
    "Mrz",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Okt",
    "Oct",
    "Nov",
    "Dez",
    "Dec",
];

/// Nouns that an ordinal number typically precedes (`2. Bundesliga`).
const ORDINAL_NOUNS: &[&str] = &[
    "Bundesliga",
    "Liga",
    "FC",
    "Weltkrieg",
    "Jahrhundert",
    "Jahrtausend",
    "Klasse",
    "Runde",
    "Spieltag",
    "Advent",
    "Halbzeit",
    "Halbjahr",
    "Quartal",
    "Mal",
    "Platz",
    "Stock",
    "Etage",
    "Lesung",
    "Instanz",
    "Amtszeit",
    "Wahlgang",
    "Staffel",
    "Jahrestag",
    "Geburtstag",
    "Todestag",
    "Sitzung",
    "Armee",
    "Division",
    "Sinfonie",
    "Symphonie",
];

/// Words before which an ordinal number keeps its dot (`der 3. Platz`).
const ORDINAL_DETERMINERS: &[&str] = &[
    "der", "die", "das", "dem", "den", "des", "am", "im", "vom", "zum", "zur", "beim", "ins",
    "ans", "ihr", "ihre", "ihrem", "ihren", "ihrer", "sein", "seine", "seinem", "seinen", "seiner",
    "jeder", "jede", "jedes", "jedem", "jeden",
];

/// Words after which a hyphenated word part keeps its hyphen (`Staats- und`).
const TRUNCATION_CONJUNCTIONS: &[&str] = &[
    "und", "oder", "bzw", "sowie", "bis", "noch", "als", "wie", "u", "and", "or", "nor", "to",
];

/// Top-level domains that make `name.tld` a bare domain.
const TLDS: &[&str] = &[
    "com", "net", "org", "de", "at", "ch", "eu", "uk", "io", "info", "gov", "edu", "int", "mil",
    "ru", "ua", "fr", "nl", "pl", "us", "cn", "tv", "co", "biz", "news", "app", "online", "jp",
    "dk", "se", "fi", "cz", "hu", "lu", "li", "gr", "ro", "tr", "il", "ir", "kr", "by", "ca", "au",
    "nz", "pt", "sk", "si", "hr", "rs", "ba", "bg", "lt", "lv", "ee", "ge", "kz", "ly",
];

// ---------------------------------------------------------------------------
// The tokenizer

struct Lexer<'a> {
    seg: &'a Segmenter,
    text: &'a str,
    toks: Vec<Token>,
    /// No Url starts before this offset (a failed look-ahead, remembered to
    /// keep the scan linear).
    no_url_before: usize,
}

impl<'a> Lexer<'a> {
    #[inline]
    fn ch(&self, p: usize) -> Option<char> {
        self.text.get(p..)?.chars().next()
    }

    /// The character ending at `p`.
    fn ch_before(&self, p: usize) -> Option<char> {
        self.text.get(..p)?.chars().next_back()
    }

    fn run(mut self) -> Vec<Token> {
        let mut p = 0;
        while let Some(c) = self.ch(p) {
            if is_space(c) {
                p += c.len_utf8();
            } else {
                let next = self.token_at(p, c);
                debug_assert!(next > p);
                p = next;
            }
        }
        self.toks
    }

    /// Push a token, extended over following combining marks; returns its end.
    fn push(&mut self, start: usize, mut end: usize, kind: TokenKind) -> usize {
        while let Some(c) = self.ch(end) {
            if is_extender(c) {
                end += c.len_utf8();
            } else {
                break;
            }
        }
        self.toks.push(Token { start, end, kind });
        end
    }

    /// Make the token(s) starting at `s` (character `c`); returns where the
    /// next one may start.
    fn token_at(&mut self, s: usize, c: char) -> usize {
        let len = c.len_utf8();
        if c.is_ascii_digit() {
            return self.number(s, s);
        }
        if c.is_alphanumeric() {
            if let Some(e) = self.url_like(s) {
                return self.push(s, e, TokenKind::Url);
            }
            return self.word(s, s, TokenKind::Word);
        }
        if is_quote(c) {
            return self.push(s, s + len, TokenKind::Quote);
        }
        if is_terminal(c) {
            let mut e = s + len;
            while let Some(n) = self.ch(e).filter(|&n| is_terminal(n)) {
                e += n.len_utf8();
            }
            return self.push(s, e, TokenKind::Punct);
        }
        let next = self.ch(s + len);
        if matches!(c, '-' | '−' | '+')
            && next.is_some_and(|n| n.is_ascii_digit())
            && self.sign_context(s)
        {
            return self.number(s, s + len);
        }
        if is_dash(c) {
            if c == '-'
                && next.is_some_and(char::is_lowercase)
                && self.ch_before(s).is_none_or(is_space)
            {
                // `-chefinnen` in `Regierungschefs und -chefinnen`.
                return self.word(s, s + len, TokenKind::Word);
            }
            let mut e = s + len;
            while self.ch(e) == Some(c) {
                e += len;
            }
            return self.push(s, e, TokenKind::Punct);
        }
        if is_punct(c) {
            return self.push(s, s + len, TokenKind::Punct);
        }
        self.symbol(s, c)
    }

    /// A sign may start a number after space, an opening bracket or a quote.
    fn sign_context(&self, s: usize) -> bool {
        match self.ch_before(s) {
            None => true,
            Some(p) => is_space(p) || matches!(p, '(' | '[') || is_quote(p),
        }
    }

    /// One symbol with its modifiers, joiner sequences and flag pairs.
    fn symbol(&mut self, s: usize, c: char) -> usize {
        let mut e = s + c.len_utf8();
        if is_regional_indicator(c) {
            if let Some(n) = self.ch(e).filter(|&n| is_regional_indicator(n)) {
                e += n.len_utf8();
            }
        }
        while let Some(n) = self.ch(e) {
            if n == '\u{200D}' {
                e += n.len_utf8();
                if let Some(m) = self.ch(e).filter(|&m| !is_space(m)) {
                    e += m.len_utf8();
                }
            } else if is_extender(n) {
                e += n.len_utf8();
            } else {
                break;
            }
        }
        self.push(s, e, TokenKind::Symbol)
    }

    /// A number starting at `s` whose digits start at `d` (after a sign).
    fn number(&mut self, s: usize, d: usize) -> usize {
        let b = self.text.as_bytes();
        let digits = |mut p: usize| {
            while p < b.len() && b[p].is_ascii_digit() {
                p += 1;
            }
            p
        };
        let mut e = digits(d);
        while e + 1 < b.len()
            && matches!(b[e], b'.' | b',' | b':' | b'/' | b'-')
            && b[e + 1].is_ascii_digit()
        {
            e = digits(e + 1);
        }
        match self.ch(e) {
            Some(c) if c.is_alphabetic() || is_extender(c) => {
                return self.word(s, e, TokenKind::Word);
            }
            Some(c)
                if is_inner_hyphen(c)
                    && self.ch(e + c.len_utf8()).is_some_and(char::is_alphanumeric) =>
            {
                return self.word(s, e, TokenKind::Word);
            }
            Some('.') if s == d && self.is_ordinal(s, e) => e += 1,
            _ => {}
        }
        self.push(s, e, TokenKind::Number)
    }

    /// Whether the dot at `e` after the number `text[s..e]` is an ordinal dot.
    fn is_ordinal(&self, s: usize, e: usize) -> bool {
        let num = &self.text[s..e];
        let short = |p: &str, max: usize| !p.is_empty() && p.len() <= max;
        let shape_ok = match num.split_once('.') {
            // `1.`, `14.`, `100.`
            None => short(num, 3) && num.bytes().all(|b| b.is_ascii_digit()),
            // `17.01.` (day and month)
            Some((dd, mm)) => {
                short(dd, 2)
                    && short(mm, 2)
                    && dd.bytes().chain(mm.bytes()).all(|b| b.is_ascii_digit())
            }
        };
        if !shape_ok {
            return false;
        }
        let after = e + 1;
        let mut q = after;
        while let Some(c) = self.ch(q).filter(|&c| is_hspace(c)) {
            q += c.len_utf8();
        }
        match self.ch(q) {
            None => false,
            Some(c) if is_newline(c) || is_terminal(c) => false,
            Some(',' | ';') => q == after,
            Some(c) if c.is_alphabetic() => {
                let mut r = q;
                while let Some(l) = self.ch(r).filter(|l| l.is_alphabetic()) {
                    r += l.len_utf8();
                }
                let w = &self.text[q..r];
                c.is_lowercase()
                    || MONTHS.contains(&w)
                    || ORDINAL_NOUNS.contains(&w)
                    || self.after_determiner(s)
            }
            Some(_) => q > after && self.after_determiner(s),
        }
    }

    /// Whether the token before `s` (on the same line) is an article or a
    /// preposition with article.
    fn after_determiner(&self, s: usize) -> bool {
        let Some(prev) = self.toks.last() else {
            return false;
        };
        if prev.kind != TokenKind::Word || has_newline(self.text, prev.end, s) {
            return false;
        }
        let w = &self.text[prev.start..prev.end];
        ORDINAL_DETERMINERS
            .iter()
            .any(|d| d.eq_ignore_ascii_case(w))
    }

    /// A word from `s`, scanning on from `from`.
    fn word(&mut self, s: usize, from: usize, kind: TokenKind) -> usize {
        let mut p = from;
        loop {
            while let Some(c) = self.ch(p) {
                let len = c.len_utf8();
                if is_word_char(c) {
                    p += len;
                } else if is_inner_hyphen(c) {
                    match self.ch(p + len) {
                        Some(n) if n.is_alphanumeric() => p += len + n.len_utf8(),
                        _ => break,
                    }
                } else if is_apostrophe(c) && p > s {
                    match self.ch(p + len) {
                        Some(n) if n.is_alphabetic() => {
                            let after_s = p + len + n.len_utf8();
                            if matches!(n, 's' | 'S') && !self.ch(after_s).is_some_and(is_word_char)
                            {
                                // English possessive / clitic: `Putin` `'s`.
                                self.push(s, p, kind);
                                return self.push(p, after_s, TokenKind::Word);
                            }
                            p = after_s;
                        }
                        _ => break,
                    }
                } else {
                    break;
                }
            }
            match self.ch(p) {
                Some('.') if kind == TokenKind::Word => {
                    let e = self.dot_after_word(s, p);
                    if e > p {
                        // `U.S.-Präsident`: the compound goes on.
                        if let Some(h) = self.ch(e).filter(|&h| is_inner_hyphen(h)) {
                            if self.ch(e + h.len_utf8()).is_some_and(char::is_alphanumeric) {
                                p = e + h.len_utf8();
                                continue;
                            }
                        }
                    }
                    p = e;
                }
                Some(h) if is_inner_hyphen(h) && self.truncated_compound(p + h.len_utf8()) => {
                    p += h.len_utf8();
                }
                _ => {}
            }
            return self.push(s, p, kind);
        }
    }

    /// Whether the hyphen ending at `after` closes a truncated compound:
    /// followed by a comma, a slash, or a conjunction (`Staats- und`).
    fn truncated_compound(&self, after: usize) -> bool {
        match self.ch(after) {
            Some(',' | '/') => true,
            Some(c) if is_hspace(c) => {
                let mut q = after;
                while let Some(c) = self.ch(q).filter(|&c| is_hspace(c)) {
                    q += c.len_utf8();
                }
                let mut r = q;
                while let Some(l) = self.ch(r).filter(|l| l.is_alphabetic()) {
                    r += l.len_utf8();
                }
                let w = &self.text[q..r];
                TRUNCATION_CONJUNCTIONS.contains(&w)
            }
            _ => false,
        }
    }

    /// The word `text[s..e]` is followed by a dot at `e`: returns the token end,
    /// past the dot (or a dotted abbreviation) when it belongs to the word.
    fn dot_after_word(&self, s: usize, e: usize) -> usize {
        let after = e + 1;
        let next = self.ch(after);
        if next == Some('.') {
            // `usw...`: the dots are an ellipsis.
            return e;
        }
        if next.is_some_and(char::is_alphabetic) {
            if let Some(end) = self.dotted_chain(s, e) {
                return end;
            }
        }
        let stem = &self.text[s..e];
        if self.seg.is_known(stem) {
            return after;
        }
        let mut chars = stem.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if c.is_lowercase() {
                // `z.` `d.` `u.` in `z. B.`, `d. h.`, `u. a.`
                return after;
            }
            if c.is_uppercase() && (self.after_single_letter(s) || self.capital_follows(after)) {
                // Initials: `J. R. Smith`, and `B.` in `z. B.`
                return after;
            }
        }
        e
    }

    /// A dotted abbreviation `z.B.`, `U.S.A.`, `Ph.D.` from `s`, whose first
    /// part ends at the dot at `e`. Parts are short letter runs.
    fn dotted_chain(&self, s: usize, e: usize) -> Option<usize> {
        const MAX_PART: usize = 6;
        const MAX_PARTS: usize = 5;
        let first = &self.text[s..e];
        let first_len = first.chars().count();
        if first_len > MAX_PART || !first.chars().all(char::is_alphabetic) {
            return None;
        }
        let mut all_single = first_len == 1;
        // (end of part, dot after it, all parts so far one letter)
        let mut cands: [(usize, bool, bool); MAX_PARTS] = [(0, false, false); MAX_PARTS];
        let mut n_cands = 0;
        let mut q = e;
        while n_cands < MAX_PARTS {
            let mut r = q + 1;
            let mut letters = 0;
            while let Some(l) = self.ch(r).filter(|l| l.is_alphabetic()) {
                letters += 1;
                if letters > MAX_PART {
                    break;
                }
                r += l.len_utf8();
            }
            if letters == 0 || letters > MAX_PART {
                break;
            }
            all_single &= letters == 1;
            let dot = self.ch(r) == Some('.');
            cands[n_cands] = (r, dot, all_single);
            n_cands += 1;
            if !dot {
                break;
            }
            q = r;
        }
        for &(r, dot, single) in cands[..n_cands].iter().rev() {
            if self.seg.is_known(&self.text[s..r]) {
                return Some(if dot { r + 1 } else { r });
            }
            if dot && single {
                return Some(r + 1);
            }
        }
        None
    }

    /// Whether the token before `s` is a one-letter abbreviation on the same
    /// line (`z.` before `B.`).
    fn after_single_letter(&self, s: usize) -> bool {
        let Some(prev) = self.toks.last() else {
            return false;
        };
        let w = &self.text[prev.start..prev.end];
        let mut chars = w.chars();
        prev.kind == TokenKind::Word
            && matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_alphabetic())
            && !has_newline(self.text, prev.end, s)
    }

    /// Whether a capitalised word follows on the same line after `p`.
    fn capital_follows(&self, p: usize) -> bool {
        let mut q = p;
        while let Some(c) = self.ch(q).filter(|&c| is_hspace(c)) {
            q += c.len_utf8();
        }
        self.ch(q).is_some_and(char::is_uppercase)
    }

    /// A URL, e-mail address or bare domain starting at `s`; returns its end.
    fn url_like(&mut self, s: usize) -> Option<usize> {
        let b = self.text.as_bytes();
        let rest = &b[s..];
        let starts = |prefix: &[u8]| {
            rest.len() >= prefix.len() && rest[..prefix.len()].eq_ignore_ascii_case(prefix)
        };
        if starts(b"https://") || starts(b"http://") || starts(b"ftp://") {
            return Some(self.url_end(s));
        }
        if starts(b"www.") && self.ch(s + 4).is_some_and(char::is_alphanumeric) {
            return Some(self.url_end(s));
        }
        if s < self.no_url_before {
            return None;
        }
        // The run of characters an address or a domain name can hold.
        let mut e = s;
        let mut dot = false;
        while let Some(c) = self.ch(e) {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '+' | '%') || is_extender(c) {
                e += c.len_utf8();
            } else if c == '.' {
                dot = true;
                e += 1;
            } else {
                break;
            }
        }
        if self.ch(e) == Some('@') {
            if let Some(end) = self.host_end(e + 1, false) {
                return Some(end);
            }
        } else if dot {
            if let Some(h) = self.host_end(s, true) {
                let next = self.ch(h);
                let port = next == Some(':') && self.ch(h + 1).is_some_and(|c| c.is_ascii_digit());
                if next == Some('/') || port {
                    return Some(self.url_end(s));
                }
                return Some(h);
            }
        }
        self.no_url_before = e;
        None
    }

    /// A host name from `s` (labels of letters, digits and `-` joined by dots,
    /// at least two); with `known_tld` the last label must be a listed
    /// top-level domain, else any two or more ASCII letters. Returns its end.
    fn host_end(&self, s: usize, known_tld: bool) -> Option<usize> {
        let mut e = s;
        while let Some(c) = self.ch(e) {
            if c.is_alphanumeric() || c == '-' || c == '.' {
                e += c.len_utf8();
            } else {
                break;
            }
        }
        let host = self.text[s..e].trim_end_matches(['.', '-']);
        if host.is_empty() || !host.starts_with(|c: char| c.is_alphanumeric()) {
            return None;
        }
        let mut labels = host.split('.');
        let tld = labels.next_back()?;
        let mut count = 1;
        for l in labels {
            if l.is_empty() {
                return None;
            }
            count += 1;
        }
        if count < 2 {
            return None;
        }
        let tld_ok = if known_tld {
            TLDS.contains(&tld)
        } else {
            tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic())
        };
        tld_ok.then_some(s + host.len())
    }

    /// The end of a URL from `s`: up to space, a quotation mark or `<>`,
    /// without trailing punctuation and unbalanced closing brackets.
    fn url_end(&self, s: usize) -> usize {
        let mut e = s;
        let (mut open, mut close) = (0usize, 0usize);
        while let Some(c) = self.ch(e) {
            if is_space(c) || is_quote(c) || matches!(c, '<' | '>') {
                break;
            }
            match c {
                '(' | '[' | '{' => open += 1,
                ')' | ']' | '}' => close += 1,
                _ => {}
            }
            e += c.len_utf8();
        }
        while let Some(c) = self.ch_before(e) {
            if matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '…') {
                e -= c.len_utf8();
            } else if matches!(c, ')' | ']' | '}') && close > open {
                close -= 1;
                e -= 1;
            } else {
                break;
            }
        }
        if e > s {
            e
        } else {
            s + self.ch(s).map_or(1, char::len_utf8)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg() -> &'static Segmenter {
        Segmenter::embedded()
    }

    fn toks(text: &str) -> Vec<String> {
        seg()
            .tokenize(text)
            .iter()
            .map(|t| t.text(text).to_string())
            .collect()
    }

    fn kinds(text: &str) -> Vec<(String, TokenKind)> {
        seg()
            .tokenize(text)
            .iter()
            .map(|t| (t.text(text).to_string(), t.kind))
            .collect()
    }

    fn sents(text: &str, lang: &str) -> Vec<String> {
        let s = seg();
        let tokens = s.tokenize(text);
        let out = s.sentences(text, &tokens, lang);
        check_sentences(text, &tokens, &out);
        out.iter()
            .map(|x| text[x.start..x.end].to_string())
            .collect()
    }

    fn check_tokens(text: &str, tokens: &[Token]) {
        let mut covered = 0;
        for t in tokens {
            assert!(t.start < t.end, "empty token in {text:?}");
            assert!(t.start >= covered, "overlap in {text:?}: {tokens:?}");
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            let gap = &text[covered..t.start];
            assert!(gap.chars().all(is_space), "uncovered {gap:?} in {text:?}");
            covered = t.end;
        }
        assert!(
            text[covered..].chars().all(is_space),
            "uncovered tail in {text:?}"
        );
    }

    fn check_sentences(text: &str, tokens: &[Token], sentences: &[Sentence]) {
        let mut next = 0;
        for s in sentences {
            assert_eq!(
                s.first_token, next,
                "sentences cover all tokens in {text:?}"
            );
            assert!(s.end_token > s.first_token);
            assert_eq!(s.start, tokens[s.first_token].start);
            assert_eq!(s.end, tokens[s.end_token - 1].end);
            next = s.end_token;
        }
        assert_eq!(next, tokens.len());
    }

    #[test]
    fn embedded_list_loads() {
        let s = Segmenter::embedded();
        assert!(s.abbrs.len() > 200);
        assert_eq!(
            s.lookup("usw").unwrap().kind(Lang::De),
            Some(AbbrKind::Final)
        );
        assert_eq!(s.lookup("Dr").unwrap().kind(Lang::En), Some(AbbrKind::Abbr));
        assert_eq!(s.lookup("Art").unwrap().kind(Lang::En), None);
    }

    #[test]
    fn tsv_errors_name_the_line() {
        let ok = "# comment\nabbreviation\tlanguage\tkind\nDr\t*\tabbr\n\nusw\tde\tfinal\n";
        assert_eq!(Segmenter::from_tsv(ok).unwrap().abbrs.len(), 2);
        let bad_cols = "# c\nDr\t*\n";
        assert!(Segmenter::from_tsv(bad_cols)
            .unwrap_err()
            .contains("line 2"));
        let bad_lang = "Dr\t*\tabbr\nNr\tfr\tabbr\n";
        assert!(Segmenter::from_tsv(bad_lang)
            .unwrap_err()
            .contains("line 2"));
        let bad_kind = "Dr\t*\tabbr\n\nNr\tde\tmaybe\n";
        assert!(Segmenter::from_tsv(bad_kind)
            .unwrap_err()
            .contains("line 3"));
        let dot = "Dr.\t*\tabbr\n";
        assert!(Segmenter::from_tsv(dot).unwrap_err().contains("line 1"));
        let dup = "Dr\t*\tabbr\nDr\t*\tfinal\n";
        assert!(Segmenter::from_tsv(dup).unwrap_err().contains("line 2"));
    }

    #[test]
    fn hyphens_and_apostrophes() {
        assert_eq!(
            toks("Kim Jong-un traf den Top-Diplomat beim Nordkorea-Besuch."),
            [
                "Kim",
                "Jong-un",
                "traf",
                "den",
                "Top-Diplomat",
                "beim",
                "Nordkorea-Besuch",
                "."
            ]
        );
        assert_eq!(
            toks("Staats- und Regierungschefs, Kinder-, Jugend- und Familienministerium"),
            [
                "Staats-",
                "und",
                "Regierungschefs",
                ",",
                "Kinder-",
                ",",
                "Jugend-",
                "und",
                "Familienministerium"
            ]
        );
        assert_eq!(
            toks("Regierungschefs und -chefinnen"),
            ["Regierungschefs", "und", "-chefinnen"]
        );
        assert_eq!(toks("I don't know."), ["I", "don't", "know", "."]);
        assert_eq!(
            toks("Putin's war, Putin’s army"),
            ["Putin", "'s", "war", ",", "Putin", "’s", "army"]
        );
        assert_eq!(toks("O'Brien"), ["O'Brien"]);
        assert_eq!(
            toks("18-Jährige, 20er Jahre, COVID-19"),
            ["18-Jährige", ",", "20er", "Jahre", ",", "COVID-19"]
        );
        assert_eq!(toks("Berlin - Die"), ["Berlin", "-", "Die"]);
        assert_eq!(toks("Berlin-- Die"), ["Berlin", "--", "Die"]);
    }

    #[test]
    fn numbers() {
        assert_eq!(
            kinds("Bis zu 8.000 Soldaten."),
            [
                ("Bis".into(), TokenKind::Word),
                ("zu".into(), TokenKind::Word),
                ("8.000".into(), TokenKind::Number),
                ("Soldaten".into(), TokenKind::Word),
                (".".into(), TokenKind::Punct),
            ]
        );
        assert_eq!(
            toks("3,5 1.000.000 6.500 19:47:09 2024-01-17 12.5%"),
            [
                "3,5",
                "1.000.000",
                "6.500",
                "19:47:09",
                "2024-01-17",
                "12.5",
                "%"
            ]
        );
        assert_eq!(kinds("12.5%")[1].1, TokenKind::Symbol);
        assert_eq!(toks("bei -5 Grad"), ["bei", "-5", "Grad"]);
        assert_eq!(toks("Es waren 8.000."), ["Es", "waren", "8.000", "."]);
    }

    #[test]
    fn ordinals() {
        let t = kinds("am 1. November");
        assert_eq!(t[1], ("1.".into(), TokenKind::Number));
        assert_eq!(toks("14. September 2023"), ["14.", "September", "2023"]);
        assert_eq!(toks("der 3. Platz"), ["der", "3.", "Platz"]);
        assert_eq!(toks("zum 3. Mal"), ["zum", "3.", "Mal"]);
        assert_eq!(toks("die 2. Bundesliga"), ["die", "2.", "Bundesliga"]);
        assert_eq!(
            toks("am 1., 2. und 3. Mai"),
            ["am", "1.", ",", "2.", "und", "3.", "Mai"]
        );
        assert_eq!(toks("am 17.01. um"), ["am", "17.01.", "um"]);
        assert_eq!(toks("Er wurde 3. Dann"), ["Er", "wurde", "3", ".", "Dann"]);
        assert_eq!(
            toks("Im Jahr 2023. Das"),
            ["Im", "Jahr", "2023", ".", "Das"]
        );
        assert_eq!(toks("1..."), ["1", "..."]);
    }

    #[test]
    fn abbreviations_and_initials() {
        assert_eq!(
            toks("Dr. Meier, z.B. die u.a. bzw. Nr. 5 St. Pauli U.S. Mr. Smith e.g. this"),
            [
                "Dr.", "Meier", ",", "z.B.", "die", "u.a.", "bzw.", "Nr.", "5", "St.", "Pauli",
                "U.S.", "Mr.", "Smith", "e.g.", "this"
            ]
        );
        assert_eq!(
            toks("z. B. die d. h. das"),
            ["z.", "B.", "die", "d.", "h.", "das"]
        );
        assert_eq!(toks("J. R. Smith"), ["J.", "R.", "Smith"]);
        assert_eq!(toks("(D-Mass.) said"), ["(", "D-Mass.", ")", "said"]);
        assert_eq!(toks("Dipl.-Ing. Meier"), ["Dipl.-Ing.", "Meier"]);
        assert_eq!(
            toks("U.S.A. und U.S.-Präsident"),
            ["U.S.A.", "und", "U.S.-Präsident"]
        );
        assert_eq!(toks("Plan B. dann"), ["Plan", "B", ".", "dann"]);
        assert_eq!(
            toks("Ende.Der usw... Vgl. oben"),
            ["Ende", ".", "Der", "usw", "...", "Vgl.", "oben"]
        );
    }

    #[test]
    fn quotes_urls_symbols() {
        assert_eq!(toks("lösen.“erklärte"), ["lösen", ".", "“", "erklärte"]);
        let quoted = "„a“ “b” \"c\" ‚d‘ ‘e’ »f« ›g‹ 'h'";
        for t in seg().tokenize(quoted) {
            let s = t.text(quoted);
            let is_letter = s.chars().all(char::is_alphabetic);
            assert_eq!(t.kind == TokenKind::Quote, !is_letter, "{s:?}");
        }
        assert_eq!(seg().tokenize(quoted).len(), 24);
        let t = kinds("Siehe https://example.org/a_(b)?x=1. Oder www.tagesschau.de, mail@example.com (tagesschau.de/inland)");
        let urls: Vec<&str> = t
            .iter()
            .filter(|(_, k)| *k == TokenKind::Url)
            .map(|(s, _)| s.as_str())
            .collect();
        assert_eq!(
            urls,
            [
                "https://example.org/a_(b)?x=1",
                "www.tagesschau.de",
                "mail@example.com",
                "tagesschau.de/inland"
            ]
        );
        assert_eq!(
            kinds("€ § ► • /"),
            ["€", "§", "►", "•", "/"].map(|s| (s.to_string(), TokenKind::Symbol))
        );
        assert_eq!(
            toks("(…) [...] Er… und"),
            ["(", "…", ")", "[", "...", "]", "Er", "…", "und"]
        );
        assert_eq!(
            toks("Er kam – und ging — weg"),
            ["Er", "kam", "–", "und", "ging", "—", "weg"]
        );
        assert_eq!(kinds("–")[0].1, TokenKind::Punct);
    }

    #[test]
    fn sentence_basics() {
        assert_eq!(
            sents(
                "Das Treffen begann am Freitag, dem 1. November, in Moskau.",
                "de"
            )
            .len(),
            1
        );
        assert_eq!(
            sents("Dr. Meier kam. Er sprach.", "de"),
            ["Dr. Meier kam.", "Er sprach."]
        );
        assert_eq!(
            sents("J. R. Smith said so. Then he left.", "en"),
            ["J. R. Smith said so.", "Then he left."]
        );
        assert_eq!(
            sents("Der Wettkampf am 14. September 2023 endete.", "de").len(),
            1
        );
        assert_eq!(sents("Sie holte den 3. Platz in Rom.", "de").len(), 1);
        assert_eq!(
            sents("Bis zu 8.000 Soldaten. Dann 3,5 Prozent.", "de").len(),
            2
        );
        assert_eq!(sents("Was nun? Niemand weiß es! Wirklich.", "de").len(), 3);
        assert_eq!(sents("Wie bitte? fragte er.", "de").len(), 1);
        assert_eq!(sents("Er kam an: Die Lage ist ernst.", "de").len(), 1);
        assert_eq!(
            sents("Es gab Brot, Käse usw. Dann gingen alle.", "de").len(),
            2
        );
        assert_eq!(sents("Es gab Brot, Käse usw. und Wein.", "de").len(), 1);
        assert_eq!(
            sents("Apple Inc. said so. Apple Inc. It grew.", "en").len(),
            3
        );
        assert_eq!(
            sents("Sie traf z. B. Vertreter der U.N. in Genf.", "de").len(),
            1
        );
    }

    #[test]
    fn sentence_language_of_abbreviations() {
        // `Art.` is a German abbreviation (Artikel), an English word.
        assert_eq!(sents("Laut Art. 5 gilt das.", "de").len(), 1);
        assert_eq!(sents("He loves Modern Art. Then he left.", "en").len(), 2);
    }

    #[test]
    fn sentence_quotes() {
        assert_eq!(
            sents("„Das ist gut.“ sagte sie. Dann ging sie.", "de"),
            ["„Das ist gut.“ sagte sie.", "Dann ging sie."]
        );
        assert_eq!(sents("„Das ist gut.“sagte sie.", "de").len(), 1);
        assert_eq!(
            sents("Er sagte: „Wir kommen.“ Dann ging er.", "de"),
            ["Er sagte: „Wir kommen.“", "Dann ging er."]
        );
        assert_eq!(
            sents("„Wir kommen. Und wir bleiben“, sagte er.", "de"),
            ["„Wir kommen.", "Und wir bleiben“, sagte er."]
        );
        assert_eq!(sents("„Raus!“, rief er.", "de").len(), 1);
        assert_eq!(sents("„Raus!“ – rief er.", "de").len(), 1);
        assert_eq!(
            sents("\"We will win.\" Then she left. 'Yes.' He nodded.", "en"),
            ["\"We will win.\"", "Then she left.", "'Yes.'", "He nodded."]
        );
        assert_eq!(
            sents("»Ja.« Er nickte. (Das war klar.) Gut.", "de").len(),
            4
        );
    }

    #[test]
    fn sentence_lines_and_ellipsis() {
        assert_eq!(
            sents(
                "Überschrift ohne Punkt\n\nErster Absatz. Zweiter Satz.\nZeile",
                "de"
            ),
            [
                "Überschrift ohne Punkt",
                "Erster Absatz.",
                "Zweiter Satz.",
                "Zeile"
            ]
        );
        assert_eq!(sents("Der Dr.\nMeier", "de").len(), 2);
        assert_eq!(sents("Er zögerte... Dann ging er.", "de").len(), 2);
        assert_eq!(sents("Er zögerte … und ging.", "de").len(), 1);
        assert_eq!(sents("Er sagte (…) nichts. Gut.", "de").len(), 2);
        assert_eq!(sents("Siehe www.example.com. Dann mehr.", "de").len(), 2);
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        let odd = [
            "",
            " ",
            "\n\n\t ",
            ".",
            "...",
            "1.",
            "„",
            "“",
            "'",
            "-",
            "--",
            "‐x",
            "!!??",
            "?.",
            "(…)",
            "a.",
            "A.",
            "z.B",
            "U.S",
            "http://",
            "www.",
            "@",
            "a@",
            "@b.de",
            "x.de.",
            "Dr.",
            "1.000.",
            "-1",
            "+",
            "−",
            "\u{301}",
            "\u{200D}",
            "\u{FE0F}",
            "👍🏽",
            "🇩🇪",
            "a\u{0}b",
            "e\u{301}.",
            "'s",
            "a'",
            "a-",
            "-a",
            "usw..",
            "\r\n",
            "1,",
            "1-",
            "1:",
        ];
        for text in odd {
            let tokens = seg().tokenize(text);
            check_tokens(text, &tokens);
            for lang in ["de", "en", "fr", ""] {
                let sentences = seg().sentences(text, &tokens, lang);
                if !tokens.is_empty() {
                    check_sentences(text, &tokens, &sentences);
                }
            }
        }
        // Foreign or broken token layers do not panic either.
        let text = "Größe";
        let broken = [
            Token {
                start: 1,
                end: 9,
                kind: TokenKind::Word,
            },
            Token {
                start: 0,
                end: 2,
                kind: TokenKind::Punct,
            },
        ];
        let _ = seg().sentences(text, &broken, "de");
    }

    #[test]
    fn token_invariants_hold_on_generated_text() {
        let pieces = [
            "a",
            "Z",
            "ä",
            "1",
            "23",
            ".",
            ",",
            "-",
            "'",
            "’",
            "„",
            "“",
            "»",
            "\"",
            " ",
            " ",
            "\n",
            "…",
            "(",
            ")",
            "@",
            "www.",
            "http://",
            "x.de",
            "Dr",
            "z",
            "B",
            "%",
            "€",
            "e\u{301}",
            "\u{301}",
            "\u{200D}",
            "👍🏽",
            "👨\u{200D}👩\u{200D}👧",
            "🇩🇪",
            "\u{FEFF}",
            "\u{A0}",
            "日本",
            "ß",
            "İ",
            "ǅ",
            "!",
            "?",
            ":",
            "/",
            "–",
            "s",
            "und",
            "November",
            "der",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut rnd = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..3000 {
            let n = (rnd() % 24) as usize;
            let text: String = (0..n)
                .map(|_| pieces[(rnd() % pieces.len() as u64) as usize])
                .collect();
            let tokens = seg().tokenize(&text);
            check_tokens(&text, &tokens);
            let sentences = seg().sentences(&text, &tokens, "de");
            if !tokens.is_empty() {
                check_sentences(&text, &tokens, &sentences);
            }
        }
        for text in [
            "Grüße 👋🏽 aus Köln! Café, naïve, e\u{301}\u{302}x 👨‍👩‍👧 ok.",
            "Zero\u{200B}width\u{FEFF} and\u{A0}nbsp — 🇺🇦🇩🇪 flags.",
            "\u{301}leading mark, ﬁ ligature, 日本語のテキスト。次の文！",
        ] {
            check_tokens(text, &seg().tokenize(text));
        }
    }
}
