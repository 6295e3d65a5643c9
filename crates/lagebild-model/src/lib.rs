//! The document type every part of Lagebild exchanges.
//!
//! A [`Document`] holds one immutable `text` and typed stand-off layers over it
//! (segments, sentences, tokens, entities, quotes, times, events). Every span is a
//! half-open range of UTF-8 byte offsets into `text`. Stages of the analysis
//! pipeline add layers; none of them edits the text. The JSON form of this type is
//! the analysis contract (`schema/document.schema.json` in the repository).

use serde::{Deserialize, Serialize};

/// A raw document as it comes from a reader, before analysis.
///
/// Exactly one of `text` and `html` is normally set; `html` wins when both are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawDocument {
    /// The input's own id, if it has one (JSONL `id`).
    pub id: Option<String>,
    pub text: Option<String>,
    pub html: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    /// Publication date `YYYY-MM-DD` as given by the input.
    pub published: Option<String>,
    /// The source (site or agency name) as given by the input.
    pub source: Option<String>,
    /// Language as given by the input (ISO 639-1); analysis trusts it.
    pub language: Option<String>,
    /// Where the input came from (file path, `-` for stdin, `path:line` for JSONL).
    pub path: Option<String>,
}

/// Where a document came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub path: Option<String>,
    pub url: Option<String>,
    pub site: Option<String>,
}

/// A half-open byte range `[start, end)` into a document's text.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
    /// The covered slice of `text`.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// A part of a document that reads on its own (a live-blog entry).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    pub title: Option<String>,
}

/// A piece of the input that cleaning removed, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Removed {
    pub text: String,
    pub reason: String,
}

/// How a value of the document was obtained (e.g. the publication date).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub field: String,
    pub how: String,
}

/// The coarse class of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    Word,
    Number,
    Punct,
    Quote,
    Symbol,
    Url,
}

/// One token: a span and its class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

impl Token {
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

/// A sentence: its span and the range of its tokens in the token layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    /// Index of the first token in `Document::tokens`.
    pub first_token: usize,
    /// One past the index of the last token.
    pub end_token: usize,
}

/// A span a named-entity tagger found, before linking (`PER`, `ORG`, `LOC`,
/// `MISC`, `LOCderiv`). An internal layer: not serialised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NerSpan {
    pub start: usize,
    pub end: usize,
    pub label: String,
}

/// One mention of an entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// `name | demonym | title | pronoun`
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub id: String,
    pub name: String,
    /// `PER | ORG | LOC | GPE | MISC`
    #[serde(rename = "type")]
    pub kind: String,
    pub country: Option<String>,
    pub sector: Option<String>,
    pub mentions: Vec<Mention>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// `direct | indirect | reported`
    #[serde(rename = "type")]
    pub kind: String,
    pub speaker: Option<String>,
    pub speaker_text: Option<String>,
    pub cue: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Time {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// `DATE | TIME | DURATION | SET`
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    #[serde(rename = "type")]
    pub kind: String,
    pub mode: Option<String>,
    pub context: Vec<String>,
    pub actors: Vec<String>,
    pub recipients: Vec<String>,
    pub location: Option<String>,
    pub date: Option<String>,
    pub modality: String,
    pub claimed_by: Option<String>,
    pub cameo: Option<String>,
    pub goldstein: Option<f64>,
    pub start: usize,
    pub end: usize,
    pub sentence: String,
}

/// An analysed document: the contract's JSON object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    pub source: Source,
    /// ISO 639-1 code, or `und` when it could not be determined.
    pub language: String,
    pub title: Option<String>,
    /// `YYYY-MM-DD`
    pub published: Option<String>,
    pub text: String,
    pub segments: Vec<Segment>,
    pub removed: Vec<Removed>,
    #[serde(default)]
    pub sentences: Vec<Sentence>,
    /// Token layer; serialised only when the pipeline was asked to keep it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tokens: Vec<Token>,
    /// Named-entity spans before linking (internal; see [`NerSpan`]).
    #[serde(skip)]
    pub ner: Vec<NerSpan>,
    pub entities: Vec<Entity>,
    pub quotes: Vec<Quote>,
    pub times: Vec<Time>,
    pub events: Vec<Event>,
    /// How derived values were obtained (`published` from a dateline, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provenance: Vec<Provenance>,
    /// Near-duplicate link, set by the store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
}

impl Document {
    /// The text of a span of this document.
    pub fn slice(&self, span: Span) -> &str {
        span.slice(&self.text)
    }

    /// Check the stand-off invariants: every span lies inside `text`, on
    /// character boundaries, and mention/quote/time texts equal their slices.
    /// Returns a description of the first violation.
    pub fn validate(&self) -> Result<(), String> {
        let t = &self.text;
        let check = |what: &str, s: usize, e: usize| -> Result<(), String> {
            if s > e || e > t.len() || !t.is_char_boundary(s) || !t.is_char_boundary(e) {
                return Err(format!(
                    "{what}: bad span {s}..{e} (text has {} bytes)",
                    t.len()
                ));
            }
            Ok(())
        };
        for seg in &self.segments {
            check("segment", seg.start, seg.end)?;
        }
        for s in &self.sentences {
            check("sentence", s.start, s.end)?;
            if s.first_token > s.end_token || s.end_token > self.tokens.len().max(s.end_token) {
                return Err(format!("sentence {}..{}: bad token range", s.start, s.end));
            }
        }
        for tok in &self.tokens {
            check("token", tok.start, tok.end)?;
        }
        for ent in &self.entities {
            for m in &ent.mentions {
                check("mention", m.start, m.end)?;
                if t[m.start..m.end] != m.text {
                    return Err(format!("mention text {:?} differs from its span", m.text));
                }
            }
        }
        for q in &self.quotes {
            check("quote", q.start, q.end)?;
            if t[q.start..q.end] != q.text {
                return Err(format!("quote text {:?} differs from its span", q.text));
            }
        }
        for tm in &self.times {
            check("time", tm.start, tm.end)?;
            if t[tm.start..tm.end] != tm.text {
                return Err(format!("time text {:?} differs from its span", tm.text));
            }
        }
        for ev in &self.events {
            check("event", ev.start, ev.end)?;
        }
        Ok(())
    }
}

/// The content hash of a text: SHA-256 over its words with white space folded,
/// first 8 bytes in hex. Documents without an id of their own take it as id, and
/// the store uses it to recognise an article it already holds.
pub fn content_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (i, w) in text.split_whitespace().enumerate() {
        if i > 0 {
            h.update(b" ");
        }
        h.update(w.as_bytes());
    }
    let digest = h.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_ignores_whitespace_layout() {
        assert_eq!(content_hash("a  b\n\nc"), content_hash("a b c"));
        assert_ne!(content_hash("a b c"), content_hash("a b d"));
        assert_eq!(content_hash("x").len(), 16);
    }

    #[test]
    fn validate_rejects_span_off_char_boundary() {
        let doc = Document {
            text: "Größe".into(),
            times: vec![Time {
                text: "G".into(),
                start: 0,
                end: 3,
                kind: "DATE".into(),
                value: "x".into(),
            }],
            ..Default::default()
        };
        assert!(doc.validate().is_err());
    }

    #[test]
    fn validate_accepts_matching_mention() {
        let doc = Document {
            text: "Sergej Lawrow sagte".into(),
            entities: vec![Entity {
                id: "Q1".into(),
                name: "Sergei Lavrov".into(),
                kind: "PER".into(),
                country: Some("RUS".into()),
                sector: Some("GOV".into()),
                mentions: vec![Mention {
                    start: 0,
                    end: 13,
                    text: "Sergej Lawrow".into(),
                    kind: "name".into(),
                }],
            }],
            ..Default::default()
        };
        assert_eq!(doc.validate(), Ok(()));
        let json = serde_json::to_value(&doc).unwrap();
        assert_eq!(json["entities"][0]["type"], "PER");
        assert!(
            json.get("tokens").is_none(),
            "empty token layer is not serialised"
        );
    }
}

/// Precision/recall counts shared by the evaluations (NER, quotes, events).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    /// Count one item's gold and system sets.
    pub fn add_sets<T: Eq + std::hash::Hash>(
        &mut self,
        gold: &std::collections::HashSet<T>,
        sys: &std::collections::HashSet<T>,
    ) {
        let tp = gold.intersection(sys).count();
        self.tp += tp;
        self.fp += sys.len() - tp;
        self.fn_ += gold.len() - tp;
    }
}

/// `a / b`, or 0 when `b` is 0 (an empty count scores 0).
pub fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}
