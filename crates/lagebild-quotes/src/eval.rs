//! Evaluation on the German Wikinews quotation corpus (Petersen-Frey &
//! Biemann 2024, JSON Lines) and PolNeAR (brat standoff).
//!
//! # What is measured
//!
//! * **Token overlap P/R/F1** for the roles quote, speaker and cue. Tokens are
//!   the word and number tokens of this crate's fallback tokenizer over the
//!   document text (punctuation and quotation marks are not counted, so the
//!   convention on whether quote marks belong to a span does not matter). A
//!   token carries a role when it overlaps any span of that role in the
//!   document (gold: union over all annotations; system: union over all
//!   attributions). Counts are micro-averaged over all documents.
//! * **Speaker match rate**: over gold quotes that have a speaker, the share
//!   for which the system attribution whose quote shares most tokens with the
//!   gold quote has a speaker span sharing a token with the gold speaker
//!   span. (Gold quotes no system quote touches count as misses.) Also given
//!   relative to the gold quotes the system found at all.

use crate::{QuoteError, QuoteExtractor};
use lagebild_model::{Document, TokenKind};
use std::collections::HashSet;
use std::fmt;

/// One gold annotation: byte spans per role.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoldQuote {
    pub quote: Vec<(usize, usize)>,
    pub speaker: Vec<(usize, usize)>,
    pub cue: Vec<(usize, usize)>,
    pub kind: String,
}

/// A gold document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoldDoc {
    pub id: String,
    pub language: String,
    pub text: String,
    pub quotes: Vec<GoldQuote>,
}

impl GoldDoc {
    /// The document's text and language as a [`Document`] to run the extractor on.
    pub fn document(&self) -> Document {
        Document {
            text: self.text.clone(),
            language: self.language.clone(),
            ..Default::default()
        }
    }
}

/// Byte offset of every char index (plus the end).
fn char_to_byte(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    v.push(text.len());
    v
}

fn conv(map: &[usize], s: usize, e: usize) -> Option<(usize, usize)> {
    let (s, e) = (*map.get(s)?, *map.get(e)?);
    (s <= e).then_some((s, e))
}

/// Parse the Wikinews JSON Lines (one article per line; spans with
/// `charBegin`/`charEnd` as character offsets into `originalText`).
pub fn parse_wikinews_jsonl(content: &str) -> Result<Vec<GoldDoc>, QuoteError> {
    let mut docs = Vec::new();
    for (no, line) in content.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let err = |msg: String| QuoteError::Format {
            what: format!("line {}", no + 1),
            msg,
        };
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| err(e.to_string()))?;
        let text = v["originalText"]
            .as_str()
            .ok_or_else(|| err("no originalText".into()))?
            .to_string();
        let map = char_to_byte(&text);
        let spans = |x: &serde_json::Value| -> Vec<(usize, usize)> {
            x["spans"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| {
                            conv(
                                &map,
                                s["charBegin"].as_u64()? as usize,
                                s["charEnd"].as_u64()? as usize,
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut quotes = Vec::new();
        for a in v["annotations"].as_array().into_iter().flatten() {
            quotes.push(GoldQuote {
                quote: spans(&a["quote"]),
                speaker: spans(&a["speaker"]),
                cue: spans(&a["cue"]),
                kind: a["type"].as_str().unwrap_or("").to_string(),
            });
        }
        let id = v["_file"]
            .as_str()
            .or(v["documentName"].as_str())
            .unwrap_or("")
            .to_string();
        docs.push(GoldDoc {
            id,
            language: "de".into(),
            text,
            quotes,
        });
    }
    Ok(docs)
}

/// Parse one PolNeAR brat standoff file (`ann`) for its text. Character
/// offsets; discontinuous spans (`0 5;9 12`) are supported. Each `E`
/// attribution line links Source (speaker), Cue and Content (quote).
pub fn parse_brat(id: &str, text: &str, ann: &str) -> Result<GoldDoc, QuoteError> {
    let map = char_to_byte(text);
    let mut tspans: std::collections::HashMap<String, (String, Vec<(usize, usize)>)> =
        Default::default();
    let mut events: Vec<Vec<(String, String)>> = Vec::new();
    for (no, line) in ann.lines().enumerate() {
        let err = |msg: &str| QuoteError::Format {
            what: format!("{id}:{}", no + 1),
            msg: msg.to_string(),
        };
        let cols: Vec<&str> = line.split('\t').collect();
        if line.starts_with('T') {
            if cols.len() < 2 {
                return Err(err("bad T line"));
            }
            let mut it = cols[1].splitn(2, ' ');
            let label = it.next().unwrap_or("").to_string();
            let rest = it.next().ok_or_else(|| err("no offsets"))?;
            let mut spans = Vec::new();
            for part in rest.split(';') {
                let nums: Vec<usize> = part
                    .split_whitespace()
                    .filter_map(|x| x.parse().ok())
                    .collect();
                if nums.len() != 2 {
                    return Err(err("bad offsets"));
                }
                if let Some(s) = conv(&map, nums[0], nums[1]) {
                    spans.push(s);
                }
            }
            tspans.insert(cols[0].to_string(), (label, spans));
        } else if line.starts_with('E') && cols.len() >= 2 {
            let args = cols[1]
                .split_whitespace()
                .filter_map(|x| x.split_once(':'))
                .map(|(r, t)| (r.to_string(), t.to_string()))
                .collect();
            events.push(args);
        }
    }
    let mut quotes = Vec::new();
    for ev in events {
        let mut g = GoldQuote {
            kind: "Attribution".into(),
            ..Default::default()
        };
        for (role, t) in ev {
            let Some((_, spans)) = tspans.get(&t) else {
                continue;
            };
            let role = role.trim_end_matches(|c: char| c.is_ascii_digit());
            match role {
                "Content" => g.quote.extend(spans),
                "Source" => g.speaker.extend(spans),
                "Cue" => g.cue.extend(spans),
                _ => {}
            }
        }
        if !g.quote.is_empty() {
            quotes.push(g);
        }
    }
    Ok(GoldDoc {
        id: id.to_string(),
        language: "en".into(),
        text: text.to_string(),
        quotes,
    })
}

/// Precision/recall counts (shared with the other evaluations).
pub use lagebild_model::Prf;

/// The evaluation report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub docs: usize,
    pub gold_quotes: usize,
    pub system_quotes: usize,
    pub quote: Prf,
    pub speaker: Prf,
    pub cue: Prf,
    /// gold quotes with a speaker
    pub speaker_gold: usize,
    /// … that a system quote touches
    pub speaker_found: usize,
    /// … whose system speaker overlaps the gold speaker
    pub speaker_matched: usize,
}

impl Report {
    pub fn speaker_match_rate(&self) -> f64 {
        lagebild_model::ratio(self.speaker_matched, self.speaker_gold)
    }
    pub fn speaker_match_rate_found(&self) -> f64 {
        lagebild_model::ratio(self.speaker_matched, self.speaker_found)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "documents {}  gold quotes {}  system quotes {}",
            self.docs, self.gold_quotes, self.system_quotes
        )?;
        writeln!(
            f,
            "role      precision  recall     F1   (token overlap, micro)"
        )?;
        for (name, p) in [
            ("quote", &self.quote),
            ("speaker", &self.speaker),
            ("cue", &self.cue),
        ] {
            writeln!(
                f,
                "{name:<9} {:>9.3} {:>7.3} {:>6.3}",
                p.precision(),
                p.recall(),
                p.f1()
            )?;
        }
        writeln!(
            f,
            "speaker match: {}/{} = {:.3} of gold quotes with a speaker ({:.3} of those found)",
            self.speaker_matched,
            self.speaker_gold,
            self.speaker_match_rate(),
            self.speaker_match_rate_found()
        )
    }
}

/// Word/number token spans of `text` (the evaluation's token unit).
fn eval_tokens(text: &str) -> Vec<(usize, usize)> {
    crate::text::tokenize(text)
        .into_iter()
        .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
        .map(|t| (t.start, t.end))
        .collect()
}

fn toks_of(toks: &[(usize, usize)], spans: &[(usize, usize)]) -> HashSet<usize> {
    let mut out = HashSet::new();
    for &(s, e) in spans {
        let first = toks.partition_point(|t| t.1 <= s);
        for (k, t) in toks.iter().enumerate().skip(first) {
            if t.0 >= e {
                break;
            }
            out.insert(k);
        }
    }
    out
}

/// Run the extractor over gold documents and score it.
pub fn evaluate(ex: &QuoteExtractor, docs: &[GoldDoc]) -> Report {
    let mut r = Report::default();
    for g in docs {
        let doc = g.document();
        let atts = ex.extract(&doc);
        let toks = eval_tokens(&g.text);
        r.docs += 1;
        r.gold_quotes += g.quotes.len();
        r.system_quotes += atts.len();
        let gq: Vec<(usize, usize)> = g.quotes.iter().flat_map(|q| q.quote.clone()).collect();
        let gs: Vec<(usize, usize)> = g.quotes.iter().flat_map(|q| q.speaker.clone()).collect();
        let gc: Vec<(usize, usize)> = g.quotes.iter().flat_map(|q| q.cue.clone()).collect();
        let sq: Vec<(usize, usize)> = atts.iter().flat_map(|a| a.quote_parts.clone()).collect();
        let ss: Vec<(usize, usize)> = atts.iter().filter_map(|a| a.speaker).collect();
        let sc: Vec<(usize, usize)> = atts
            .iter()
            .flat_map(|a| {
                if a.cue_parts.is_empty() {
                    a.cue.into_iter().collect()
                } else {
                    a.cue_parts.clone()
                }
            })
            .collect();
        r.quote.add_sets(&toks_of(&toks, &gq), &toks_of(&toks, &sq));
        r.speaker
            .add_sets(&toks_of(&toks, &gs), &toks_of(&toks, &ss));
        r.cue.add_sets(&toks_of(&toks, &gc), &toks_of(&toks, &sc));
        let sys_q: Vec<HashSet<usize>> = atts
            .iter()
            .map(|a| toks_of(&toks, &a.quote_parts))
            .collect();
        for q in &g.quotes {
            if q.speaker.is_empty() {
                continue;
            }
            r.speaker_gold += 1;
            let gqt = toks_of(&toks, &q.quote);
            let best = sys_q
                .iter()
                .enumerate()
                .map(|(i, s)| (s.intersection(&gqt).count(), i))
                .filter(|x| x.0 > 0)
                .max();
            if let Some((_, i)) = best {
                r.speaker_found += 1;
                let gst = toks_of(&toks, &q.speaker);
                if let Some(sp) = atts[i].speaker {
                    if !toks_of(&toks, &[sp]).is_disjoint(&gst) {
                        r.speaker_matched += 1;
                    }
                }
            }
        }
    }
    r
}

/// A gold quote with a speaker whose speaker the system missed (for
/// `lagebild eval quotes --errors N`): the best-overlapping system quote has
/// no speaker, a speaker disjoint from the gold one, or there is none.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeakerError {
    pub doc: String,
    /// gold quote type (Direct, Indirect, Reported, …)
    pub kind: String,
    pub gold_speaker: String,
    pub gold_cue: String,
    /// `None` when no system quote touches the gold quote
    pub system: Option<SystemSide>,
    /// the gold quote, its first 120 characters
    pub quote: String,
}

/// The system attribution matched to a gold quote.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemSide {
    pub speaker: Option<String>,
    pub cue: Option<String>,
}

impl fmt::Display for SpeakerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (sys, cue) = match &self.system {
            None => ("<no quote>".to_string(), String::new()),
            Some(s) => (
                s.speaker.clone().unwrap_or_else(|| "<none>".into()),
                s.cue.clone().unwrap_or_default(),
            ),
        };
        write!(
            f,
            "[{}] {}\n  gold speaker {:?} (cue {:?})\n  system       {:?} (cue {:?})\n  quote: {}",
            self.kind, self.doc, self.gold_speaker, self.gold_cue, sys, cue, self.quote
        )
    }
}

/// The speaker mismatches behind [`Report::speaker_matched`], in document order.
pub fn speaker_errors(ex: &QuoteExtractor, docs: &[GoldDoc]) -> Vec<SpeakerError> {
    let mut out = Vec::new();
    for g in docs {
        let doc = g.document();
        let atts = ex.extract(&doc);
        let toks = eval_tokens(&g.text);
        let join = |v: &[(usize, usize)]| {
            v.iter()
                .map(|&(s, e)| g.text[s..e].replace('\n', " "))
                .collect::<Vec<_>>()
                .join(" | ")
        };
        let sys_q: Vec<HashSet<usize>> = atts
            .iter()
            .map(|a| toks_of(&toks, &a.quote_parts))
            .collect();
        for q in &g.quotes {
            if q.speaker.is_empty() {
                continue;
            }
            let gqt = toks_of(&toks, &q.quote);
            let gst = toks_of(&toks, &q.speaker);
            let best = sys_q
                .iter()
                .enumerate()
                .map(|(i, s)| (s.intersection(&gqt).count(), i))
                .filter(|x| x.0 > 0)
                .max()
                .map(|x| x.1);
            let ok = best.is_some_and(|i| {
                atts[i]
                    .speaker
                    .is_some_and(|sp| !toks_of(&toks, &[sp]).is_disjoint(&gst))
            });
            if ok {
                continue;
            }
            out.push(SpeakerError {
                doc: g.id.clone(),
                kind: q.kind.clone(),
                gold_speaker: join(&q.speaker),
                gold_cue: join(&q.cue),
                system: best.map(|i| SystemSide {
                    speaker: atts[i]
                        .speaker
                        .map(|(s, e)| g.text[s..e].replace('\n', " ")),
                    cue: atts[i].cue.map(|(s, e)| g.text[s..e].replace('\n', " ")),
                }),
                quote: join(&q.quote).chars().take(120).collect(),
            });
        }
    }
    out
}
