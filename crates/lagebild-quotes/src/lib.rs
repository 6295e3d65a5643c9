//! Quotation and speaker attribution for German and English news.
//!
//! # Design
//!
//! The stage takes an analysed [`Document`] (text, tokens, sentences, linked
//! entities) and returns [`Attribution`]s: a quote span (plus its parts when an
//! attribution frame interrupts it), the cue, the speaker span and, where
//! possible, the speaker entity. [`to_quotes`] turns them into model
//! [`Quote`]s. When the document has no token layer, an internal fallback
//! tokenizer and sentence splitter ([`text`]) is used, so the evaluation can
//! run on bare texts.
//!
//! Everything is rules over tokens, driven by cue lexicons kept as data files
//! (`resources/quotes/de.tsv`, `resources/quotes/en.tsv`, embedded at build
//! time; [`QuoteExtractor::from_files`] loads others). The passes are:
//!
//! 1. **Direct quotes.** Quotation marks are classified as opening/closing by
//!    glyph and context (space before/after), then paired per style
//!    (`„…“ “…” ”…” »…« «…» "…" ‚…‘ '…'`); single marks only outside double
//!    ones. An unclosed quote continues into the next paragraph when that
//!    paragraph opens with a quotation mark. A quote is attributed by a frame
//!    right after it (`„…“, sagte X` / `"…," X said` / `„…“, so X` /
//!    `„…“ laut X`) or right before it (`X sagte: „…“`). A split quote
//!    (`„…“, sagte er, „…“`) gives both parts the same speaker. A long
//!    sentence-initial quote without a frame inherits the speaker of an
//!    attribution in the same or previous paragraph, else keeps a null speaker.
//!    Short quotes inside a sentence without a frame are taken as scare quotes.
//! 2. **Indirect and reported speech**, per sentence: `laut/gemäß/according
//!    to X`, `nach Angaben (der) X`, `X zufolge`, `…, so X.`, impersonal
//!    `heißt es` (with the document as speaker in `In X heißt es`), and cue
//!    verbs with their subject (before the verb, or after it when the verb is
//!    inverted after an adverbial, a dative phrase or a subordinate clause;
//!    `Wie X mitteilte, …`; a subject with appositions keeps them, a relative
//!    clause is cut). The quote is the sentence minus the frame. A cue verb with
//!    a noun-phrase object and no clause, or a sentence-final participle
//!    (`X hat … angekündigt`), gives a *reported* attribution. A frame-only
//!    sentence opened by a demonstrative (`Das teilte X mit.`) attributes the
//!    previous sentence.
//! 3. **Konjunktiv continuation** (German): a sentence without a cue that uses
//!    a Konjunktiv I form (`sei, habe, werde, …`, or a verb in `-e` before an
//!    inverted `er/es/man`) right after an attributed
//!    sentence continues the same speaker (no cue).
//! 4. **Entity resolution**: the speaker span → the entity whose mention
//!    overlaps it, else an entity mentioned adjacent to it (apposition), else
//!    for pronouns the nearest preceding person (matching gender where a
//!    mention reveals it). Unresolved speakers keep their text and a null id.
//!
//! Unknown speakers are kept as `None`; nothing is guessed beyond these rules.
//! The [`eval`] module reads the German Wikinews quotation corpus and PolNeAR
//! and computes token-overlap scores.

pub mod eval;
mod lexicon;
pub mod text;

use lagebild_model::{Document, Quote, Sentence, Token, TokenKind};
use lexicon::Lexicon;
use serde::Serialize;
use std::collections::HashMap;

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum QuoteError {
    #[error("{file}:{line}: {msg}")]
    Lexicon {
        file: String,
        line: usize,
        msg: String,
    },
    #[error("{what}: {msg}")]
    Format { what: String, msg: String },
}

/// The kind of an attribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    Direct,
    Indirect,
    Reported,
}

impl QuoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Indirect => "indirect",
            QuoteKind::Reported => "reported",
        }
    }
}

/// One attributed quote with byte spans into the document text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attribution {
    /// Hull of the quote (direct quotes include their quotation marks).
    pub quote: (usize, usize),
    /// The quote's parts when a frame interrupts it (else one part = `quote`).
    pub quote_parts: Vec<(usize, usize)>,
    /// Hull of the cue (`teilte … mit` spans both words).
    pub cue: Option<(usize, usize)>,
    /// The cue's parts (verb and separable particle).
    pub cue_parts: Vec<(usize, usize)>,
    pub speaker: Option<(usize, usize)>,
    pub speaker_entity: Option<String>,
    pub kind: QuoteKind,
}

impl Attribution {
    /// The model quote for this attribution in `doc`.
    pub fn to_quote(&self, doc: &Document) -> Quote {
        let t = &doc.text;
        let cue = if self.cue_parts.is_empty() {
            self.cue.map(|(s, e)| t[s..e].to_string())
        } else {
            Some(
                self.cue_parts
                    .iter()
                    .map(|&(s, e)| &t[s..e])
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        };
        Quote {
            text: t[self.quote.0..self.quote.1].to_string(),
            start: self.quote.0,
            end: self.quote.1,
            kind: self.kind.as_str().to_string(),
            speaker: self.speaker_entity.clone(),
            speaker_text: self.speaker.map(|(s, e)| t[s..e].to_string()),
            cue,
        }
    }
}

/// Turn attributions into model quotes.
pub fn to_quotes(doc: &Document, atts: &[Attribution]) -> Vec<Quote> {
    atts.iter().map(|a| a.to_quote(doc)).collect()
}

/// The extractor: cue lexicons per language, built once; `Send + Sync`.
#[derive(Debug, Clone)]
pub struct QuoteExtractor {
    langs: HashMap<String, Lexicon>,
}

const DE_TSV: &str = include_str!("../../../resources/quotes/de.tsv");
const EN_TSV: &str = include_str!("../../../resources/quotes/en.tsv");

impl QuoteExtractor {
    /// Build from lexicon files `(name, content)`; the language is the file
    /// stem (`quotes/de.tsv` → `de`). Errors name the file and the line.
    pub fn from_files(files: &[(&str, &str)]) -> Result<Self, QuoteError> {
        let mut langs = HashMap::new();
        for (name, content) in files {
            let base = name.rsplit('/').next().unwrap_or(name);
            let lang = base.split('.').next().unwrap_or(base).to_string();
            langs.insert(lang, Lexicon::parse(name, content)?);
        }
        Ok(QuoteExtractor { langs })
    }

    /// The lexicons shipped with the crate.
    pub fn embedded_files() -> Vec<(&'static str, &'static str)> {
        vec![("quotes/de.tsv", DE_TSV), ("quotes/en.tsv", EN_TSV)]
    }

    pub fn embedded() -> Self {
        Self::from_files(&Self::embedded_files()).expect("embedded quote lexicons are valid")
    }

    /// Extract attributions from `doc` (language from `doc.language`; unknown
    /// languages use the German rules if a German lexicon is loaded).
    pub fn extract(&self, doc: &Document) -> Vec<Attribution> {
        let lang = if doc.language.starts_with("en") {
            "en"
        } else {
            "de"
        };
        let Some(lx) = self.langs.get(lang).or_else(|| self.langs.values().next()) else {
            return Vec::new();
        };
        if doc.text.is_empty() {
            return Vec::new();
        }
        let tokens_ok = !doc.tokens.is_empty()
            && doc.tokens.iter().all(|t| {
                t.start < t.end
                    && t.end <= doc.text.len()
                    && doc.text.is_char_boundary(t.start)
                    && doc.text.is_char_boundary(t.end)
            });
        let toks = if tokens_ok {
            normalise_tokens(&doc.text, &doc.tokens)
        } else {
            text::tokenize(&doc.text)
        };
        let sents = if tokens_ok
            && !doc.sentences.is_empty()
            && doc.tokens.len() == toks.len()
            && doc
                .sentences
                .iter()
                .all(|s| s.end_token <= toks.len() && s.first_token <= s.end_token)
        {
            doc.sentences.clone()
        } else {
            text::split_sentences(&doc.text, &toks)
        };
        let mut cx = Ctx::new(&doc.text, toks, sents, lx, lang == "de");
        let mut atts = cx.run();
        resolve_entities(doc, lx, &mut atts);
        atts
    }
}

/// Mark single-character quotation tokens of a foreign tokenizer as Quote, so
/// both token sources look alike.
fn normalise_tokens(text: &str, toks: &[Token]) -> Vec<Token> {
    toks.iter()
        .map(|t| {
            let s = &text[t.start..t.end];
            let mut ch = s.chars();
            let one = ch.next().filter(|_| ch.next().is_none());
            let kind = match one {
                Some(c) if text::is_quote_char(c) => TokenKind::Quote,
                _ => t.kind,
            };
            Token { kind, ..*t }
        })
        .collect()
}

/// A half-open range of token indices.
type TokRange = (usize, usize);

struct Ctx<'a> {
    text: &'a str,
    toks: Vec<Token>,
    low: Vec<String>,
    sents: Vec<Sentence>,
    lx: &'a Lexicon,
    de: bool,
    used: Vec<bool>,
}

/// A found frame inside a sentence.
struct Frame {
    cue: Vec<usize>,
    speaker: Option<(usize, usize)>,
    /// token ranges of the quote content (before removing the frame)
    content: (usize, usize),
    kind: QuoteKind,
}

impl<'a> Ctx<'a> {
    fn new(
        text: &'a str,
        toks: Vec<Token>,
        sents: Vec<Sentence>,
        lx: &'a Lexicon,
        de: bool,
    ) -> Self {
        let low = toks
            .iter()
            .map(|t| text[t.start..t.end].to_lowercase())
            .collect();
        let n = toks.len();
        Ctx {
            text,
            toks,
            low,
            sents,
            lx,
            de,
            used: vec![false; n],
        }
    }

    fn n(&self) -> usize {
        self.toks.len()
    }
    fn w(&self, i: usize) -> &str {
        &self.text[self.toks[i].start..self.toks[i].end]
    }
    fn is_word(&self, i: usize) -> bool {
        i < self.n() && matches!(self.toks[i].kind, TokenKind::Word | TokenKind::Number)
    }
    fn is_cap(&self, i: usize) -> bool {
        i < self.n()
            && self.toks[i].kind == TokenKind::Word
            && self.w(i).chars().next().is_some_and(|c| c.is_uppercase())
    }
    fn is_p(&self, i: usize, p: &str) -> bool {
        i < self.n() && self.toks[i].kind != TokenKind::Word && self.w(i) == p
    }
    fn is_boundary_punct(&self, i: usize) -> bool {
        i < self.n()
            && matches!(self.toks[i].kind, TokenKind::Punct | TokenKind::Symbol)
            && matches!(self.w(i), "," | ":" | ";" | "–" | "—" | "(" | ")" | "-")
    }
    fn newline_between(&self, a: usize, b: usize) -> bool {
        a < b && b < self.n() && self.text[self.toks[a].end..self.toks[b].start].contains('\n')
    }
    fn qchar(&self, i: usize) -> char {
        self.w(i).chars().next().unwrap_or(' ')
    }
    fn is_pron(&self, i: usize) -> bool {
        i < self.n() && self.lx.pron.contains_key(&self.low[i])
    }
    fn is_det(&self, i: usize) -> bool {
        i < self.n() && self.lx.det.contains(&self.low[i])
    }

    /// Is token `i` a cue verb? Returns the index of its separable particle
    /// (searched up to `limit`) if it needs one.
    fn cue_verb(&self, i: usize, limit: usize) -> Option<Option<usize>> {
        if !self.is_word(i) || self.used[i] {
            return None;
        }
        let parts = self.lx.verbs.get(&self.low[i])?;
        // capitalised verb forms only at sentence start ("Sagte" is rare; nouns like "Sage")
        if self.is_cap(i) && self.de && !self.sent_start(i) {
            return None;
        }
        let mut plain = false;
        for p in parts {
            if p.is_empty() {
                plain = true;
                continue;
            }
            let mut j = i + 1;
            while j < limit.min(self.n()) && !self.is_p(j, ".") && !self.newline_between(j - 1, j) {
                if self.low[j] == *p && !self.used[j] {
                    // particle must end its clause: followed by punctuation/quote or end
                    let prep = matches!(p.as_str(), "von" | "vor" | "als" | "für" | "auf" | "to");
                    if prep
                        || j + 1 >= self.n()
                        || !self.is_word(j + 1)
                        || self.lx.comp.contains(&self.low[j + 1])
                    {
                        return Some(Some(j));
                    }
                }
                if self.is_p(j, ",") && !p.is_empty() && j > i + 12 {
                    break;
                }
                j += 1;
            }
        }
        if plain {
            Some(None)
        } else {
            None
        }
    }

    fn sent_start(&self, i: usize) -> bool {
        i == 0
            || self.newline_between(i - 1, i)
            || self.sents.iter().any(|s| s.first_token == i)
            || matches!(self.w(i - 1), "." | ":" | "!" | "?")
    }

    /// A noun phrase starting at `i`, ending before `limit`; returns its token range.
    fn np_after(&self, i: usize, limit: usize) -> Option<(usize, usize)> {
        let limit = limit.min(self.n());
        if i >= limit || !self.is_word(i) || self.used[i] {
            return None;
        }
        if self.is_pron(i) && !self.is_cap_name_like(i) {
            return Some((i, i + 1));
        }
        let lw = &self.low[i];
        let adj_start = self.de && !self.stopish(i) && (1..=2).any(|d| self.is_cap(i + d));
        if !(self.is_cap(i) || self.is_det(i) || adj_start || (!self.de && !self.stopish(i)))
            || self.lx.stop.contains(lw) && !self.is_cap(i)
            || self.lx.comp.contains(lw)
        {
            return None;
        }
        let mut j = i;
        let mut last_good = None;
        while j < limit && j - i < 14 {
            if self.used[j] {
                break;
            }
            let k = self.toks[j].kind;
            if j > i && self.newline_between(j - 1, j) {
                break;
            }
            if matches!(k, TokenKind::Word | TokenKind::Number) {
                let l = &self.low[j];
                if j > i && self.lx.verbs.contains_key(l) && !self.is_cap(j) {
                    break;
                }
                if j > i && (self.lx.aux.contains(l) || self.lx.comp.contains(l)) && !self.is_cap(j)
                {
                    break;
                }
                if self.is_cap(j) || k == TokenKind::Number {
                    last_good = Some(j);
                } else if self.de
                    && j > i
                    && matches!(l.as_str(), "in" | "aus" | "im")
                    && self.is_cap(j + 1)
                    && self.is_cap(j - 1)
                    && !self.lx.adv.contains(&self.low[j + 1])
                {
                    // a place or origin inside the NP: "die Botschaft in Riad
                } else if self.is_det(j)
                    || matches!(
                        l.as_str(),
                        "von"
                            | "vom"
                            | "für"
                            | "und"
                            | "of"
                            | "for"
                            | "at"
                            | "de"
                            | "van"
                            | "al"
                            | "bin"
                    )
                {
                    if j > i
                        && self.lx.stop.contains(l)
                        && !matches!(l.as_str(), "of" | "for" | "at")
                    {
                        break;
                    }
                    // function word: only if something nominal follows
                    if !(self.is_cap(j + 1)
                        || self.is_det(j + 1)
                        || (!self.de && self.is_word(j + 1))
                        || self.is_word(j + 1) && self.is_cap(j + 2))
                    {
                        break;
                    }
                    if (l == "and" || l == "und") && !(self.is_cap(j + 1) || self.is_det(j + 1)) {
                        break;
                    }
                } else {
                    // lowercase word: adjective before a noun (de) or English noun
                    if self.stopish(j) {
                        break;
                    }
                    if self.de {
                        let adj = (1..=2).any(|d| {
                            self.is_cap(j + d)
                                && (1..d).all(|e| {
                                    self.is_word(j + e)
                                        && !self.is_cap(j + e)
                                        && !self.is_det(j + e)
                                })
                        }) && !self.is_det(j + 1);
                        if !adj {
                            break;
                        }
                    } else {
                        last_good = Some(j);
                    }
                }
            } else if k == TokenKind::Punct && self.w(j) == "(" {
                // parenthetical inside the NP
                let mut m = j + 1;
                while m < limit && !self.is_p(m, ")") && m - j < 12 {
                    m += 1;
                }
                if m < limit && self.is_p(m, ")") {
                    last_good = Some(m);
                    j = m + 1;
                    continue;
                }
                break;
            } else if k == TokenKind::Punct
                && self.w(j) == "."
                && j > i
                && self.w(j - 1).chars().count() == 1
                && self.is_cap(j - 1)
                && self.is_cap(j + 1)
            {
                // initial: Donald J. Trump
            } else if k == TokenKind::Punct && self.w(j) == "-" && self.is_word(j + 1) {
            } else {
                break;
            }
            j += 1;
        }
        let e = last_good? + 1;
        Some((i, e))
    }

    /// A name in quotation marks (`laut „Tagesblatt“`): the marks and the words.
    fn quoted_name(&self, i: usize, limit: usize) -> Option<(usize, usize)> {
        if i >= limit || self.toks[i].kind != TokenKind::Quote || !self.is_cap(i + 1) {
            return None;
        }
        let close = (i + 1..limit.min(i + 8)).find(|&k| self.toks[k].kind == TokenKind::Quote)?;
        (close > i + 1 && (i + 1..close).all(|k| self.is_word(k) || self.is_p(k, "-")))
            .then_some((i, close + 1))
    }

    fn is_cap_name_like(&self, _i: usize) -> bool {
        false
    }

    fn stopish(&self, j: usize) -> bool {
        let l = &self.low[j];
        self.lx.stop.contains(l)
            || self.lx.aux.contains(l)
            || self.lx.comp.contains(l)
            || self.lx.verbs.contains_key(l)
            || self.lx.konj.contains(l)
            || self.lx.adv.contains(l)
            || self.lx.conj.contains(l)
    }

    /// Extend a speaker NP ending at `e` by an apposition (`X, Sprecher des Y,`).
    fn apposition(&self, sp: (usize, usize), limit: usize) -> (usize, usize) {
        let (s, e) = sp;
        if !(s..e).any(|k| self.is_cap(k)) || !self.is_p(e, ",") || self.is_pron(s) && e == s + 1 {
            return sp;
        }
        if let Some((_, ae)) = self.np_after(e + 1, limit) {
            let has_cap = (e + 1..ae).any(|k| self.is_cap(k));
            let ends = ae >= limit || !self.is_word(ae) || self.lx.comp.contains(&self.low[ae]);
            if has_cap && ends && ae - e <= 14 {
                return (s, ae);
            }
        }
        sp
    }

    fn run(&mut self) -> Vec<Attribution> {
        let mut atts: Vec<(usize, Attribution)> = Vec::new(); // (sentence index, att)
        let pairs = self.pair_quotes();
        self.direct(&pairs, &mut atts);
        self.sentence_pass(&mut atts);
        atts.sort_by_key(|(_, a)| a.quote);
        atts.into_iter().map(|(_, a)| a).collect()
    }

    fn open_close(&self, i: usize) -> (bool, bool) {
        let c = self.qchar(i);
        let t = self.text;
        let (s, e) = (self.toks[i].start, self.toks[i].end);
        let prev = t[..s].chars().next_back();
        let next = t[e..].chars().next();
        let prev_space = prev.is_none_or(|c| c.is_whitespace() || "([{–—/-:".contains(c));
        let next_space = next.is_none_or(|c| c.is_whitespace());
        let next_punct = next.is_some_and(|c| ".,;:!?)]}–—".contains(c));
        match c {
            '„' | '‚' => (true, false),
            _ => {
                let open = prev_space && !next_space;
                let close = !prev_space || next_space || next_punct;
                (open, close)
            }
        }
    }

    /// Pair quotation marks: returns (open token, close token).
    fn pair_quotes(&self) -> Vec<(usize, usize)> {
        let q: Vec<usize> = (0..self.n())
            .filter(|&i| self.toks[i].kind == TokenKind::Quote)
            .collect();
        let is_single = |c: char| matches!(c, '‚' | '‘' | '\'' | '‹' | '›' | '’');
        let closers = |c: char| -> &'static [char] {
            match c {
                '„' => &['“', '”'],
                '“' => &['”', '“'],
                '”' => &['”'],
                '»' => &['«'],
                '«' => &['»'],
                '"' => &['"'],
                '‚' => &['‘', '’'],
                '‘' => &['’'],
                '\'' => &['\''],
                '‹' => &['›'],
                '›' => &['‹'],
                _ => &[],
            }
        };
        let mut out = Vec::new();
        let mut k = 0;
        while k < q.len() {
            let i = q[k];
            let c = self.qchar(i);
            if !self.open_close(i).0 || closers(c).is_empty() {
                k += 1;
                continue;
            }
            let single = is_single(c);
            let mut m = k + 1;
            let mut found = None;
            let mut last = i;
            while m < q.len() {
                let j = q[m];
                let d = self.qchar(j);
                if self.newline_between(last, j) {
                    // a paragraph break: continue only when the new paragraph
                    // opens with the same mark right away
                    let para_first =
                        self.newline_between(j - 1, j) && !self.newline_between(last, j - 1);
                    if !single && para_first && d == c {
                        last = j;
                        m += 1;
                        continue;
                    }
                    break;
                }
                if closers(c).contains(&d) && self.open_close(j).1 {
                    found = Some((j, m));
                    break;
                }
                if single && !is_single(d) {
                    break;
                }
                last = j;
                m += 1;
            }
            if let Some((j, m)) = found {
                let words = (i + 1..j).filter(|&x| self.is_word(x)).count();
                if words > 0 && (!single || words >= 2) {
                    out.push((i, j));
                    k = m + 1;
                    continue;
                }
            }
            k += 1;
        }
        out
    }

    fn sent_of(&self, i: usize) -> usize {
        match self.sents.binary_search_by(|s| {
            if s.end_token <= i {
                std::cmp::Ordering::Less
            } else if s.first_token > i {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        }) {
            Ok(x) => x,
            Err(x) => x.min(self.sents.len().saturating_sub(1)),
        }
    }

    fn span(&self, a: usize, b: usize) -> (usize, usize) {
        (self.toks[a].start, self.toks[b - 1].end)
    }

    /// Frame after a closing quotation mark at `c`: returns (cue tokens,
    /// speaker token range, last frame token).
    fn frame_after(&self, c: usize) -> Option<(Vec<usize>, Option<TokRange>, usize)> {
        let mut j = c + 1;
        if j >= self.n() || self.newline_between(c, j) {
            return None;
        }
        if self.is_p(j, ",") || self.is_p(j, "–") || self.is_p(j, "-") {
            j += 1;
        }
        if j >= self.n() || self.newline_between(j - 1, j) {
            return None;
        }
        let limit = self.clause_end(j);
        // inverted: cue first
        if let Some(p) = self.cue_verb(j, limit) {
            let sp = self
                .np_after(j + 1, p.unwrap_or(limit))
                .map(|s| self.apposition(s, limit));
            let sp = sp.or_else(|| {
                // "sagte gestern der Minister"
                (j + 2..(j + 5).min(limit)).find_map(|k| {
                    if self.is_det(k) || self.is_pron(k) || self.is_cap(k) {
                        self.np_after(k, p.unwrap_or(limit))
                    } else {
                        None
                    }
                })
            });
            let mut cue = vec![j];
            cue.extend(p);
            let last = sp
                .map(|s| s.1)
                .unwrap_or(j + 1)
                .max(p.map(|x| x + 1).unwrap_or(0));
            return Some((cue, sp, last));
        }
        if self.lx.so.contains(&self.low[j])
            || self
                .lx
                .pre
                .iter()
                .any(|p| p.len() == 1 && p[0] == self.low[j])
        {
            let sp = self
                .np_after(j + 1, limit)
                .map(|s| self.apposition(s, limit));
            if let Some(sp) = sp {
                return Some((vec![j], Some(sp), sp.1));
            }
        }
        if let Some(len) = self.multi_at(&self.lx.pre, j) {
            let sp = self.np_after(j + len, limit);
            return Some((
                (j..j + len).collect(),
                sp,
                sp.map(|s| s.1).unwrap_or(j + len),
            ));
        }
        // "„…“, hatte X in einem Interview erklärt": aux, subject, participle at the clause end
        if self.de && self.lx.aux.contains(&self.low[j]) {
            if let Some(sp) = self.np_after(j + 1, limit) {
                let sp = self.apposition(sp, limit);
                let mut v = limit;
                while v > sp.1 && !self.is_word(v - 1) {
                    v -= 1;
                }
                if v > sp.1 {
                    if let Some(p) = self.cue_verb(v - 1, limit) {
                        let mut cue = vec![v - 1];
                        cue.extend(p);
                        return Some((cue, Some(sp), v));
                    }
                }
            }
        }
        // English / subject-first: "X said"
        if let Some(sp) = self.np_after(j, limit) {
            let mut v = sp.1;
            while v < limit && self.lx.aux.contains(&self.low[v]) {
                v += 1;
            }
            if let Some(p) = self.cue_verb(v, limit) {
                let mut cue = vec![v];
                cue.extend(p);
                return Some((cue, Some(sp), v + 1));
            }
        }
        None
    }

    fn multi_at(&self, list: &[Vec<String>], j: usize) -> Option<usize> {
        list.iter()
            .find(|p| {
                p.len() > 1
                    && j + p.len() <= self.n()
                    && p.iter()
                        .enumerate()
                        .all(|(k, w)| self.low[j + k] == *w && !self.used[j + k])
            })
            .map(|p| p.len())
    }

    /// End (exclusive) of the clause starting at `j`: next sentence-final
    /// punctuation, quotation mark or line break.
    fn clause_end(&self, j: usize) -> usize {
        let mut k = j;
        while k < self.n() {
            if k > j && self.newline_between(k - 1, k) {
                break;
            }
            if self.toks[k].kind == TokenKind::Quote
                || matches!(self.w(k), "." | "!" | "?" | ";")
                    && self.toks[k].kind != TokenKind::Word
            {
                break;
            }
            k += 1;
        }
        k
    }

    /// Frame before an opening quotation mark at `o`.
    fn frame_before(&self, o: usize) -> Option<(Vec<usize>, Option<TokRange>)> {
        if o == 0 || self.newline_between(o - 1, o) {
            return None;
        }
        let mut p = o;
        let colon = self.is_p(p - 1, ":") || self.is_p(p - 1, ",");
        if colon {
            p -= 1;
        }
        // clause start
        let mut cs = p;
        while cs > 0
            && !self.newline_between(cs - 1, cs)
            && self.toks[cs - 1].kind != TokenKind::Quote
            && !matches!(self.w(cs - 1), "." | "!" | "?" | ";")
            && p - cs < 25
        {
            cs -= 1;
        }
        let v = (cs..p).rev().find(|&k| self.cue_verb(k, p).is_some())?;
        if !colon
            && (p - v > 3
                || (o + 1..self.n())
                    .take_while(|&k| self.toks[k].kind != TokenKind::Quote)
                    .filter(|&k| self.is_word(k))
                    .count()
                    < 3)
        {
            return None;
        }
        let part = self.cue_verb(v, p).flatten();
        let mut cue = vec![v];
        cue.extend(part);
        let sp = self.subject(cs, v, part.unwrap_or(p).min(p));
        Some((cue, sp))
    }

    /// The subject of a cue verb at `v` in the clause starting at `cs`; `limit`
    /// bounds an inverted subject after the verb.
    fn subject(&self, cs: usize, v: usize, limit: usize) -> Option<(usize, usize)> {
        let mut s = cs;
        while s < v && (self.lx.conj.contains(&self.low[s]) || self.is_boundary_punct(s)) {
            s += 1;
        }
        // A clause before the verb's own chunk: a subordinate clause ("Nachdem
        // …, entgegnete X") leaves the subject after the verb; an apposition
        // ("X, Sprecher des Y, sagte") belongs to the subject.
        let mut rel_end = None;
        if self.de && s < v {
            if let Some((st, re)) = self.comma_chunks(s, v) {
                s = st;
                rel_end = re;
            }
        }
        if let Some(re) = rel_end {
            // "X, der …, sagte": the noun phrase before the relative clause
            return Some((s, re));
        }
        if s >= v {
            return self.subject_after(v, limit);
        }
        // German V2: a personal pronoun right after the verb, or a dative/prepositional
        // opener, means the subject follows the verb
        let pron_after = self.de && v + 1 < limit && self.is_pron(v + 1) && !self.is_cap(v + 1);
        let nominal_after = v + 1 < limit && (self.is_det(v + 1) || self.is_cap(v + 1));
        let dative_opener = self.de
            && s < v
            && nominal_after
            && (matches!(self.low[s].as_str(), "dem" | "den" | "einem" | "einen")
                || self.dative_np(s, v));
        let adverbial = s < v
            && (self.lx.adv.contains(&self.low[s])
                || self.lx.prep.contains(&self.low[s])
                || self.toks[s].kind == TokenKind::Number
                || pron_after
                || dative_opener
                || self.de && v == s + 1 && nominal_after && self.adverb_like(s));
        if s < v && self.lx.wie.contains(&self.low[s]) {
            let mut e = v;
            while e > s + 1 && self.lx.aux.contains(&self.low[e - 1]) {
                e -= 1;
            }
            return self
                .np_after(s + 1, e)
                .or(Some((s + 1, e)))
                .filter(|x| x.0 < x.1);
        }
        if adverbial {
            return self.subject_after(v, limit);
        }
        // subject before the verb: up to the first aux or stop word
        let mut e = s + 1;
        while e < v {
            let l = &self.low[e];
            if (self.lx.aux.contains(l)
                || self.lx.adv.contains(l)
                || self.lx.stop.contains(l) && !self.de)
                && !self.is_cap(e)
            {
                break;
            }
            e += 1;
        }
        if !(self.is_cap(s) || self.is_det(s) || self.is_pron(s) || !self.de && self.is_word(s)) {
            return None;
        }
        // "X verließ den Saal und sagte": the subject is the noun phrase that opens the clause
        if self.de && e > s + 1 {
            if let Some(np) = self.np_after(s, e) {
                let np = self.apposition(np, e);
                let rest = (np.1..e).filter(|&k| self.is_word(k)).count();
                let coord =
                    (np.1..e).any(|k| self.lx.conj.contains(&self.low[k]) && !self.is_cap(k));
                if rest > 0 && (coord || rest > 3) {
                    return Some(np);
                }
            }
        }
        while e > s + 1 && self.is_p(e - 1, ",") {
            e -= 1;
        }
        if e - s > 16 {
            return None;
        }
        Some((s, e))
    }

    /// The subject after an inverted verb at `v` ("sagte gestern der Minister").
    fn subject_after(&self, v: usize, limit: usize) -> Option<(usize, usize)> {
        let mut k = v + 1;
        while k < limit && k < v + 4 && !(self.is_det(k) || self.is_pron(k) || self.is_cap(k)) {
            k += 1;
        }
        let ce = self.clause_end(v).max(limit);
        self.np_after(k, limit).map(|x| self.apposition(x, ce))
    }

    /// `der/die` + adjective in `-en` + noun before the verb: a dative or
    /// genitive phrase ("Der örtlichen Zeitung sagte X"), not a subject.
    fn dative_np(&self, s: usize, v: usize) -> bool {
        v >= s + 3
            && matches!(self.low[s].as_str(), "der" | "einer")
            && !self.is_cap(s + 1)
            && self.low[s + 1].ends_with("en")
            && self.is_cap(s + 2)
            && v == s + 3
    }

    /// A sentence-initial word that is an adverb by its form (`Insgesamt`,
    /// `Schließlich`, `Bislang`, `Möglicherweise`).
    fn adverb_like(&self, s: usize) -> bool {
        let l = self.low[s].as_str();
        self.lx.adv.contains(l)
            || [
                "weise", "mals", "falls", "samt", "lich", "dings", "wärts", "lang", "her",
            ]
            .iter()
            .any(|suf| l.ends_with(suf) && l.len() > suf.len() + 2)
    }

    /// Split [s, v) at commas. Returns the start of the subject part: `v` when
    /// the material before the verb is a subordinate clause (the subject
    /// follows the verb), `s` when it is a noun phrase with appositions, the
    /// start of the last comma chunk otherwise; `None` when there is no comma.
    /// The second value ends the subject before a relative clause.
    fn comma_chunks(&self, s: usize, v: usize) -> Option<(usize, Option<usize>)> {
        let commas: Vec<usize> = (s..v).filter(|&k| self.is_p(k, ",")).collect();
        let last = *commas.last()?;
        let first_is_sub = self.lx.sub.contains(&self.low[s]) || self.lx.wie.contains(&self.low[s]);
        // every chunk is a noun phrase (name, title phrase) or a relative clause
        let mut st = s;
        let mut ok = true;
        let mut rel = None;
        for &c in commas.iter().chain(std::iter::once(&v)) {
            if st >= c {
                ok &= c == v;
                break;
            }
            let np = self
                .np_after(st, c)
                .is_some_and(|np| (np.1..c).all(|k| !self.is_word(k)));
            let relative = st > s
                && matches!(
                    self.low[st].as_str(),
                    "der" | "die" | "das" | "dessen" | "deren" | "welcher" | "welche"
                )
                && c > st + 2
                && !self.is_cap(c - 1)
                && self.is_word(c - 1);
            if relative {
                rel.get_or_insert(st - 1);
            } else if !np || rel.is_some() {
                ok = false;
                break;
            }
            st = c + 1;
        }
        if ok && !first_is_sub {
            return Some((s, rel));
        }
        if last + 1 >= v {
            // verb right after a comma: a subordinate clause before it
            return Some((v, None));
        }
        Some((last + 1, None))
    }

    fn direct(&mut self, pairs: &[(usize, usize)], atts: &mut Vec<(usize, Attribution)>) {
        let mut prev: Option<(usize, Vec<usize>, Option<TokRange>)> = None; // close tok, cue, speaker
        for (pi, &(o, c)) in pairs.iter().enumerate() {
            let words = (o + 1..c).filter(|&x| self.is_word(x)).count();
            let mut cue: Vec<usize> = Vec::new();
            let mut sp = None;
            let mut framed = false;
            let mut frame_toks: Vec<usize> = Vec::new();
            if let Some((cu, s, last)) = self.frame_after(c) {
                // split quote: the next quote continues after ", "
                if let Some(&(o2, _)) = pairs.get(pi + 1) {
                    if o2 > last && o2 <= last + 2 && !self.newline_between(last, o2) {
                        prev = Some((o2, cu.clone(), s));
                    }
                }
                frame_toks = (c + 1..last).collect();
                cue = cu;
                sp = s;
                framed = true;
            } else if let Some((cu, s)) = self.frame_before(o) {
                cue = cu;
                sp = s;
                framed = true;
            } else if let Some((_, cu, s)) = prev.clone().filter(|p| p.0 == o) {
                cue = cu;
                sp = s;
                framed = true;
            }
            let sentence_initial = o == 0 || self.sent_start(o) || self.is_p(o - 1, ":");
            if !framed {
                if words < 4 || !sentence_initial {
                    continue;
                }
                // continuation of the previous attribution (same/previous paragraph)
                if let Some((_, a)) = atts.last() {
                    let gap = &self.text[a.quote.1.min(self.toks[o].start)..self.toks[o].start];
                    if gap.matches('\n').count() <= 2 && gap.len() < 400 {
                        sp = a.speaker.and_then(|(s, e)| self.tok_range(s, e));
                    }
                }
            }
            for &k in cue.iter().chain(frame_toks.iter()) {
                self.used[k] = true;
            }
            for k in o..=c {
                self.used[k] = true;
            }
            let q = self.span(o, c + 1);
            let att = Attribution {
                quote: q,
                quote_parts: vec![q],
                cue: hull(&cue.iter().map(|&k| self.span(k, k + 1)).collect::<Vec<_>>()),
                cue_parts: cue.iter().map(|&k| self.span(k, k + 1)).collect(),
                speaker: sp.map(|(s, e)| self.span(s, e)),
                speaker_entity: None,
                kind: QuoteKind::Direct,
            };
            atts.push((self.sent_of(c), att));
            if let Some((s, e)) = sp {
                for k in s..e {
                    self.used[k] = true;
                }
            }
        }
    }

    fn tok_range(&self, s: usize, e: usize) -> Option<(usize, usize)> {
        let a = self.toks.iter().position(|t| t.start == s)?;
        let b = self.toks.iter().position(|t| t.end == e)?;
        (a <= b).then_some((a, b + 1))
    }

    fn sentence_pass(&mut self, atts: &mut Vec<(usize, Attribution)>) {
        let mut last_sent_att: HashMap<usize, Option<(usize, usize)>> = HashMap::new();
        for (si, a) in atts.iter() {
            last_sent_att.insert(*si, a.speaker);
        }
        for si in 0..self.sents.len() {
            let s = self.sents[si];
            let (a, mut b) = (s.first_token, s.end_token.min(self.n()));
            if a >= b {
                continue;
            }
            while b > a
                && matches!(self.toks[b - 1].kind, TokenKind::Punct)
                && matches!(self.w(b - 1), "." | "!" | "?" | ":" | ";")
            {
                b -= 1;
            }
            let free_words = (a..b).filter(|&k| self.is_word(k) && !self.used[k]).count();
            if free_words < 3 {
                continue;
            }
            if let Some(att) = self.anaphoric_frame(si, a, b) {
                last_sent_att.insert(si, att.speaker);
                atts.push((si, att));
                continue;
            }
            let frame = self.find_frame(a, b);
            match frame {
                Some(f) => {
                    let (ca, cb) = f.content;
                    let mut frame_set: Vec<usize> = f.cue.clone();
                    if let Some((x, y)) = f.speaker {
                        frame_set.extend(x..y);
                    }
                    let parts = self.content_parts(ca, cb, &frame_set);
                    if parts.is_empty() {
                        continue;
                    }
                    let cwords: usize = parts
                        .iter()
                        .map(|&(x, y)| (x..y).filter(|&k| self.is_word(k) && !self.used[k]).count())
                        .sum();
                    if cwords < 2 {
                        continue;
                    }
                    let qparts: Vec<(usize, usize)> =
                        parts.iter().map(|&(x, y)| self.span(x, y)).collect();
                    let cue_parts: Vec<(usize, usize)> =
                        f.cue.iter().map(|&k| self.span(k, k + 1)).collect();
                    for &k in &frame_set {
                        self.used[k] = true;
                    }
                    let speaker = f.speaker.map(|(x, y)| self.span(x, y));
                    last_sent_att.insert(si, speaker);
                    atts.push((
                        si,
                        Attribution {
                            quote: hull(&qparts).unwrap_or((0, 0)),
                            quote_parts: qparts,
                            cue: hull(&cue_parts),
                            cue_parts,
                            speaker,
                            speaker_entity: None,
                            kind: f.kind,
                        },
                    ));
                }
                None => {
                    // Konjunktiv continuation of the previous sentence's speaker
                    if !self.de || si == 0 {
                        continue;
                    }
                    let strong = (a..b).any(|k| {
                        !self.used[k] && !self.is_cap(k) && self.lx.konj1.contains(&self.low[k])
                    });
                    let prev_sp = match last_sent_att.get(&(si - 1)).cloned() {
                        Some(p) => p,
                        None if strong => (si.saturating_sub(3)..si)
                            .rev()
                            .find_map(|x| last_sent_att.get(&x).cloned())
                            .flatten(),
                        None => continue,
                    };
                    let konj = (a..b).any(|k| {
                        !self.used[k]
                            && !self.is_cap(k)
                            && (self.lx.konj.contains(&self.low[k])
                                || self.low[k].ends_with("iere")
                                || self.konj_by_form(k))
                    });
                    let used_words = (a..b).filter(|&k| self.used[k] && self.is_word(k)).count();
                    if !konj || used_words * 2 > (a..b).filter(|&k| self.is_word(k)).count() {
                        continue;
                    }
                    let q = self.span(a, b);
                    last_sent_att.insert(si, prev_sp);
                    atts.push((
                        si,
                        Attribution {
                            quote: q,
                            quote_parts: vec![q],
                            cue: None,
                            cue_parts: Vec::new(),
                            speaker: prev_sp,
                            speaker_entity: None,
                            kind: QuoteKind::Indirect,
                        },
                    ));
                }
            }
        }
    }

    /// "Das berichtete X." / "Dies teilte X mit.": a sentence that is only an
    /// attribution frame opened by a demonstrative attributes the previous
    /// sentence of the same paragraph to X.
    fn anaphoric_frame(&mut self, si: usize, a: usize, b: usize) -> Option<Attribution> {
        if si == 0 || b < a + 3 || !self.lx.anaphor.contains(&self.low[a]) || self.used[a] {
            return None;
        }
        let mut v = a + 1;
        while v < b && self.lx.aux.contains(&self.low[v]) {
            v += 1;
        }
        self.cue_verb(v, b)?;
        let mut sp = self.subject_after(v, b);
        if sp.is_none() && v > a + 1 {
            // "Das hat X gestern erklärt": the participle at the clause end
            let vv = (v..b).rev().find(|&k| self.cue_verb(k, b).is_some())?;
            sp = self
                .np_after(v, vv)
                .or_else(|| self.subject_after(a + 1, vv));
            v = vv;
        }
        let sp = sp?;
        // the frame sentence holds nothing else but adverbials
        if (sp.1..b).any(|k| self.is_word(k) && self.lx.comp.contains(&self.low[k])) {
            return None;
        }
        let prev = self.sents[si - 1];
        let (pa, mut pb) = (prev.first_token, prev.end_token.min(self.n()));
        if self.newline_between(pb.saturating_sub(1), a) && pb > 0 {
            return None;
        }
        while pb > pa && self.toks[pb - 1].kind == TokenKind::Punct {
            pb -= 1;
        }
        let free = (pa..pb)
            .filter(|&k| self.is_word(k) && !self.used[k])
            .count();
        let words = (pa..pb).filter(|&k| self.is_word(k)).count();
        if free < 3 || free * 2 < words {
            return None;
        }
        let parts = self.content_parts(pa, pb, &[]);
        let qparts: Vec<(usize, usize)> = parts.iter().map(|&(x, y)| self.span(x, y)).collect();
        let mut cue = vec![v];
        cue.extend(self.cue_verb(v, b).flatten());
        for k in cue.iter().copied().chain(sp.0..sp.1).chain(pa..pb) {
            self.used[k] = true;
        }
        let cue_parts: Vec<(usize, usize)> = cue.iter().map(|&k| self.span(k, k + 1)).collect();
        Some(Attribution {
            quote: hull(&qparts)?,
            quote_parts: qparts,
            cue: hull(&cue_parts),
            cue_parts,
            speaker: Some(self.span(sp.0, sp.1)),
            speaker_entity: None,
            kind: QuoteKind::Indirect,
        })
    }

    /// A Konjunktiv I form by its shape: a lowercase verb in `-e` right before
    /// an inverted third-person subject (`nehme er`, `gebe es`, `müsse man`).
    fn konj_by_form(&self, k: usize) -> bool {
        let l = self.low[k].as_str();
        k + 1 < self.n()
            && matches!(self.low[k + 1].as_str(), "er" | "es" | "man")
            && l.ends_with('e')
            && !l.ends_with("te")
            && l.chars().count() >= 4
            && !self.is_cap(k)
            && !self.stopish(k)
            && !self.is_det(k)
            && !self.lx.nonverb.contains(l)
    }

    /// Content token runs of [ca, cb) without frame tokens and edge punctuation.
    fn content_parts(&self, ca: usize, cb: usize, frame: &[usize]) -> Vec<(usize, usize)> {
        let mut parts = Vec::new();
        let mut k = ca;
        while k < cb {
            if frame.contains(&k) {
                k += 1;
                continue;
            }
            let st = k;
            while k < cb && !frame.contains(&k) {
                k += 1;
            }
            let (mut x, mut y) = (st, k);
            while x < y && self.is_edge_punct(x) {
                x += 1;
            }
            while y > x && self.is_edge_punct(y - 1) {
                y -= 1;
            }
            if (x..y).any(|z| self.is_word(z)) {
                parts.push((x, y));
            }
        }
        parts
    }

    fn is_edge_punct(&self, k: usize) -> bool {
        self.toks[k].kind == TokenKind::Punct && !matches!(self.w(k), "(" | ")")
    }

    /// Find an attribution frame in the sentence tokens [a, b).
    fn find_frame(&self, a: usize, b: usize) -> Option<Frame> {
        let mut cands: Vec<Frame> = Vec::new();
        for k in a..b {
            if self.used[k] || !self.is_word(k) {
                continue;
            }
            let l = self.low[k].as_str();
            // laut X / according to X
            let pre_len = if self.lx.pre.iter().any(|p| p.len() == 1 && p[0] == l) {
                Some(1)
            } else {
                self.multi_at(&self.lx.pre, k)
            };
            if let Some(len) = pre_len {
                let sp = self
                    .np_after(k + len, b)
                    .or_else(|| self.quoted_name(k + len, b));
                if let Some(sp) = sp {
                    let sp = self.apposition(sp, b);
                    cands.push(Frame {
                        cue: (k..k + len).collect(),
                        speaker: Some(sp),
                        content: (a, b),
                        kind: QuoteKind::Indirect,
                    });
                    break;
                }
            }
            // nach Angaben X / seiner Meinung nach
            if self.de && l == "nach" {
                if let Some((_, end)) = self.np_after(k + 1, b) {
                    let source_noun = |z: usize| {
                        self.is_cap(z)
                            && self
                                .lx
                                .nach
                                .iter()
                                .any(|w| self.low[z].ends_with(w.as_str()))
                    };
                    let head = (k + 1..end).any(source_noun);
                    // the source noun right after "nach" (or its article/adjective)
                    let near = (k + 1..end.min(k + 4)).any(source_noun);
                    if head && (k == a || self.is_p(k - 1, ",") || near) {
                        let end = self.apposition((k + 1, end), b).1;
                        cands.push(Frame {
                            cue: vec![k],
                            speaker: Some((k + 1, end)),
                            content: (a, b),
                            kind: QuoteKind::Indirect,
                        });
                        break;
                    }
                }
                if k > a && self.lx.nach.contains(&self.low[k - 1]) {
                    let st = if k >= a + 2 && self.is_det(k - 2) {
                        k - 2
                    } else {
                        k - 1
                    };
                    cands.push(Frame {
                        cue: vec![k],
                        speaker: Some((st, k)),
                        content: (a, b),
                        kind: QuoteKind::Indirect,
                    });
                    break;
                }
            }
            // X zufolge
            if self.lx.post.contains(l) && k > a {
                let st = self.np_before(k, a);
                if st < k {
                    cands.push(Frame {
                        cue: vec![k],
                        speaker: Some((st, k)),
                        content: (a, b),
                        kind: QuoteKind::Indirect,
                    });
                    break;
                }
            }
            if l == "demnach" && k == a {
                cands.push(Frame {
                    cue: vec![k],
                    speaker: Some((k, k + 1)),
                    content: (k + 1, b),
                    kind: QuoteKind::Indirect,
                });
                break;
            }
            // …, so X
            if self.lx.so.contains(l) && k > a + 2 && self.is_p(k - 1, ",") {
                if let Some(sp) = self.np_after(k + 1, b) {
                    let sp = self.apposition(sp, b);
                    cands.push(Frame {
                        cue: vec![k],
                        speaker: Some(sp),
                        content: (a, k - 1),
                        kind: QuoteKind::Indirect,
                    });
                    break;
                }
            }
            // heißt es (in dem Bericht)
            if let Some(len) = self.multi_at(&self.lx.impersonal, k) {
                let mut content = if k > a + 2 && self.is_p(k - 1, ",") {
                    (a, k - 1)
                } else {
                    (k + len, b)
                };
                // the document it is said in: "In X heißt es" / "heißt es in X"
                let mut speaker = None;
                if k > a + 1 && matches!(self.low[a].as_str(), "in" | "im") {
                    speaker = self.np_after(a + 1, k).filter(|np| np.1 == k);
                } else if k + len < b && matches!(self.low[k + len].as_str(), "in" | "im") {
                    speaker = self.np_after(k + len + 1, b);
                    if let Some(np) = speaker {
                        if content.0 == k + len {
                            content.0 = np.1;
                        }
                    }
                }
                cands.push(Frame {
                    cue: (k..k + len).collect(),
                    speaker,
                    content,
                    kind: QuoteKind::Indirect,
                });
                break;
            }
        }
        // cue verbs
        for v in a..b {
            let Some(part) = self.cue_verb(v, b) else {
                continue;
            };
            if let Some(f) = self.verb_frame(a, b, v, part) {
                cands.push(f);
                break;
            }
        }
        // the frame whose cue comes first
        cands
            .into_iter()
            .min_by_key(|f| f.cue.first().copied().unwrap_or(usize::MAX))
    }

    fn np_before(&self, k: usize, a: usize) -> usize {
        if k > a && self.is_pron(k - 1) {
            return k - 1;
        }
        let mut st = k;
        while st > a && k - st < 10 {
            let j = st - 1;
            if self.used[j] || !self.is_word(j) {
                break;
            }
            let l = &self.low[j];
            let adj = !self.is_cap(j)
                && (l.ends_with("en")
                    || l.ends_with('e')
                    || l.ends_with("er")
                    || l.ends_with("es")
                    || l.ends_with("em"))
                && (self.is_cap(j + 1) || !self.is_cap(j + 1) && j + 1 < k)
                && !self.stopish(j);
            if self.is_cap(j) || self.is_det(j) || adj {
                st = j;
            } else {
                break;
            }
        }
        // start with a determiner, adjective or capital
        while st < k && !(self.is_cap(st) || self.is_det(st) || self.is_word(st)) {
            st += 1;
        }
        st
    }

    fn verb_frame(&self, a: usize, b: usize, v: usize, part: Option<usize>) -> Option<Frame> {
        // chunk around v
        let mut cs = v;
        while cs > a
            && !self.is_boundary_punct(cs - 1)
            && self.toks[cs - 1].kind != TokenKind::Quote
        {
            cs -= 1;
        }
        let mut ce = v + 1;
        while ce < b && !self.is_boundary_punct(ce) {
            ce += 1;
        }
        let mut cue = vec![v];
        cue.extend(part);
        let after_v = part.map(|p| p + 1).unwrap_or(v + 1);
        let rest_words = (after_v..ce).filter(|&k| self.is_word(k)).count();
        let next_comp = after_v < b && self.lx.comp.contains(&self.low[after_v]);
        let wie = self.lx.wie.contains(&self.low[cs]);
        if wie && cs < v {
            let sp = self.subject(cs, v, b);
            // content: everything else in the sentence
            let content = if ce < b { (ce, b) } else { (a, cs) };
            let mut f = Frame {
                cue,
                speaker: sp,
                content,
                kind: QuoteKind::Indirect,
            };
            if content.0 == a {
                f.content = (a, cs);
            }
            return Some(f);
        }
        if cs == v {
            // verb opens its chunk
            if v == a {
                return None;
            }
            let sp = self
                .np_after(v + 1, part.unwrap_or(ce).min(ce))
                .map(|x| self.apposition(x, b));
            if let Some(sp) = sp {
                if sp.1 >= ce.min(b) || rest_words <= sp.1 - sp.0 + 3 {
                    // "…, sagte X." : content before
                    return Some(Frame {
                        cue,
                        speaker: Some(sp),
                        content: (a, cs),
                        kind: QuoteKind::Indirect,
                    });
                }
            }
            if rest_words == 0 || next_comp {
                // "X, Sprecher des Y, sagte, dass …"
                let sp = self.np_after(a, cs).map(|x| self.apposition(x, cs + 1));
                return Some(Frame {
                    cue,
                    speaker: sp,
                    content: (after_v, b),
                    kind: QuoteKind::Indirect,
                });
            }
            return None;
        }
        let sp = self.subject(cs, v, part.unwrap_or(ce).min(ce));
        sp?;
        let sp_after = sp.is_some_and(|x| x.0 > v);
        let kind;
        let content;
        if ce < b && rest_words < 4 && !sp_after {
            content = (ce, b);
            kind = QuoteKind::Indirect;
        } else if sp_after {
            let spe = sp.map(|x| x.1).unwrap_or(v + 1).max(after_v);
            if spe >= b {
                content = (a, cs);
            } else {
                content = (spe, b);
            }
            kind = QuoteKind::Indirect;
        } else if after_v >= b && cs == a && self.de && sp.is_some_and(|x| x.1 + 1 < v) {
            // "X hat am Abend seinen Rücktritt angekündigt.": the verb closes the
            // sentence, the material between subject and verb is what was said
            let mut st = sp.map(|x| x.1).unwrap_or(a);
            while st < v && self.lx.aux.contains(&self.low[st]) {
                st += 1;
            }
            content = (st, v);
            let clause = (st..v).any(|k| self.lx.comp.contains(&self.low[k]) || self.is_p(k, ","));
            kind = if clause {
                QuoteKind::Indirect
            } else {
                QuoteKind::Reported
            };
        } else if after_v >= b {
            content = (a, cs);
            kind = QuoteKind::Indirect;
        } else {
            content = (after_v, b);
            let clause = next_comp
                || self.is_boundary_punct(after_v)
                || (after_v..b).any(|k| self.lx.konj.contains(&self.low[k]));
            kind = if clause || !self.de && !self.lx.report.contains(&self.low[v]) {
                QuoteKind::Indirect
            } else {
                QuoteKind::Reported
            };
        }
        if content.0 >= content.1 {
            return None;
        }
        Some(Frame {
            cue,
            speaker: sp,
            content,
            kind,
        })
    }
}

fn hull(parts: &[(usize, usize)]) -> Option<(usize, usize)> {
    let s = parts.iter().map(|p| p.0).min()?;
    let e = parts.iter().map(|p| p.1).max()?;
    Some((s, e))
}

/// Resolve speaker spans to entity ids (see the crate docs).
fn resolve_entities(doc: &Document, lx: &Lexicon, atts: &mut [Attribution]) {
    if doc.entities.is_empty() {
        return;
    }
    // (start, end, entity index, mention kind)
    let mut ments: Vec<(usize, usize, usize)> = Vec::new();
    for (ei, e) in doc.entities.iter().enumerate() {
        for m in &e.mentions {
            ments.push((m.start, m.end, ei));
        }
    }
    ments.sort();
    // The gender of each entity, once: from its pronoun mentions or a feminine title.
    let genders: Vec<Option<char>> = doc
        .entities
        .iter()
        .map(|e| {
            for m in &e.mentions {
                let l = m.text.to_lowercase();
                match m.kind.as_str() {
                    "pronoun" => {
                        if let Some(&g) = lx.pron.get(&l) {
                            if g == 'm' || g == 'f' {
                                return Some(g);
                            }
                        }
                    }
                    "title" if l.ends_with("in") && !l.ends_with("ein") => return Some('f'),
                    _ => {}
                }
            }
            None
        })
        .collect();
    // Mentions are sorted by start: look only at a window around each speaker,
    // so that long documents stay linear.
    const LOOKBACK: usize = 40;
    for a in atts.iter_mut() {
        let Some((s, e)) = a.speaker else { continue };
        let txt = doc.text[s..e].trim().to_lowercase();
        let upto = ments.partition_point(|m| m.0 < s);
        if let Some(&g) = lx.pron.get(&txt) {
            let before: Vec<&(usize, usize, usize)> = ments[upto.saturating_sub(LOOKBACK)..upto]
                .iter()
                .filter(|m| m.1 <= s && doc.entities[m.2].kind == "PER")
                .collect();
            let pick = before
                .iter()
                .rev()
                .find(|m| matches!(g, 'm' | 'f') && genders[m.2] == Some(g))
                .or_else(|| before.last());
            a.speaker_entity = pick.map(|m| doc.entities[m.2].id.clone());
            continue;
        }
        // overlapping mention, persons first (mentions start before the span ends)
        let from = ments.partition_point(|m| m.0 + 400 < s);
        let to = ments.partition_point(|m| m.0 < e + 4);
        let window = &ments[from..to];
        let over: Vec<&(usize, usize, usize)> =
            window.iter().filter(|m| m.0 < e && s < m.1).collect();
        let pick = over
            .iter()
            .find(|m| doc.entities[m.2].kind == "PER")
            .or_else(|| over.first())
            .copied();
        let pick = pick.or_else(|| {
            // apposition: a mention right after or right before the speaker span
            window.iter().find(|m| {
                (m.0 >= e
                    && m.0 <= e + 3
                    && doc.text[e..m.0].trim().trim_matches(',').trim().is_empty())
                    || (m.1 <= s
                        && m.1 + 3 >= s
                        && doc.text[m.1..s].trim().trim_matches(',').trim().is_empty())
            })
        });
        a.speaker_entity = pick.map(|m| doc.entities[m.2].id.clone());
    }
}
