//! Lagebild's named-entity tagger: an averaged perceptron over hashed sparse features with
//! greedy left-to-right decoding (previous two labels as features, BIO constraints).
//!
//! Types: `PER`, `ORG`, `LOC`, `MISC` and, for German models trained on GermEval's
//! 12 classes, the `deriv`/`part` variants — above all `LOCderiv` (adjectives derived
//! from places: *russischen*, *nordkoreanische*), which the linker maps to countries.
//!
//! # Model file format (version 5)
//!
//! All integers little-endian.
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `LBNER\0\0\0` |
//! | 4 | format version (`5`) |
//! | 4 + n | header length, then header as JSON: `lang`, `labels` (index = label id, `O` first), `bits` (features are FNV-1a hashes masked to `bits` bits), `scale` (weight = `i16 × scale`, finite and > 0), `info` (free text: corpora, settings), `o_bias` (optional, default 0: penalty on `O` in weight units) |
//! | 4 + n | gazetteer length, then UTF-8 lines `category\tphrase` (categories `0`=LOC `1`=PER `2`=ORG `3`=ADJ `4`=DEM; phrase tokens joined by spaces) |
//! | 4 + 4·n | lexicon count, then sorted FNV-1a hashes of words seen in lower case in unlabelled text |
//! | 4 + 5·n | entity-lexicon count, then per word: FNV-1a hash of the exact word + `u8` code (dominant type `1` PER `2` LOC `3` ORG `4` MISC in bits 0–2, share of entity uses in 4 buckets in bits 3–4, mostly chunk-internal in bit 5) |
//! | 4 + 10·n | word-cluster count, then per word: FNV-1a hash of the exact word + three `u16` class ids (coarse, middle, fine; see [`clusters`]) — new in version 2 |
//! | 4 + … | row count, then per row: bucket as LEB128 delta from the previous row's bucket (buckets strictly increasing, below `2^bits`), `u8` number of entries (≥ 1), and per entry `u8` label id (< number of labels) + `i16` weight |
//!
//! Feature templates and hashing are fixed in the code for a given format version: a
//! change to either needs a new version number. Version 3 (same layout as 2) changed
//! the document-history features: a token whose word and next word have no history
//! gets no history feature at all (version 2 gave it a constant one). Version 4 added
//! cluster features two words out and the neighbours' fine classes; version 5 the
//! context-aggregation features (the words around a capitalised word's other
//! occurrences in the document, [`features::Contexts`]).

pub mod clusters;
pub mod corpus;
pub mod eval;
pub mod features;
pub mod gazetteer;
pub mod train;

use features::{history_feats, label_feats, observe, Contexts, History, Resources, Scratch};
use lagebild_model::{Sentence, Token};
use serde::{Deserialize, Serialize};

/// Model file magic bytes.
pub const MAGIC: &[u8; 8] = b"LBNER\0\0\0";
/// Model file format version.
pub const FORMAT_VERSION: u32 = 5;

/// The shipped German model (`resources/ner/de.model`), embedded in the program.
pub static DE_MODEL: &[u8] = include_bytes!("../../../resources/ner/de.model");
/// The shipped English model (`resources/ner/en.model`), embedded in the program.
pub static EN_MODEL: &[u8] = include_bytes!("../../../resources/ner/en.model");

/// Loads the shipped model for `lang` (`de` or `en`).
pub fn builtin(lang: &str) -> Option<NerModel> {
    let bytes = match lang {
        "de" => DE_MODEL,
        "en" => EN_MODEL,
        _ => return None,
    };
    NerModel::from_bytes(bytes).ok()
}

/// Errors reading a model file.
#[derive(Debug, thiserror::Error)]
pub enum NerError {
    #[error("not a Lagebild NER model (bad magic)")]
    BadMagic,
    #[error("unsupported model format version {0} (expected {FORMAT_VERSION})")]
    Version(u32),
    #[error("model file truncated")]
    Truncated,
    #[error("bad model header: {0}")]
    Header(String),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Header {
    lang: String,
    labels: Vec<String>,
    bits: u32,
    scale: f32,
    #[serde(default)]
    info: String,
    /// Subtracted from the score of `O` (in averaged-perceptron units) when tagging:
    /// trades precision for recall where a model finds too few names.
    #[serde(default)]
    o_bias: f32,
}

/// Label-set helper: type ids and BIO constraints.
#[derive(Debug, Clone)]
pub(crate) struct LabelSet {
    pub labels: Vec<String>,
    /// type index per label (0 for `O`), inside flag.
    pub ty: Vec<u16>,
    pub inside: Vec<bool>,
}

/// Label id used for "before the sentence" in history features.
pub(crate) const START: u8 = 255;

impl LabelSet {
    pub fn new(labels: Vec<String>) -> LabelSet {
        let mut types: Vec<String> = Vec::new();
        let mut ty = Vec::new();
        let mut inside = Vec::new();
        for l in &labels {
            let (p, t) = corpus::split_label(l);
            if p == "O" {
                ty.push(0);
                inside.push(false);
                continue;
            }
            let k = match types.iter().position(|x| x == t) {
                Some(k) => k,
                None => {
                    types.push(t.to_string());
                    types.len() - 1
                }
            };
            ty.push(k as u16 + 1);
            inside.push(p == "I");
        }
        LabelSet { labels, ty, inside }
    }

    #[inline]
    pub fn allowed(&self, prev: u8, cur: usize) -> bool {
        if !self.inside[cur] {
            return true;
        }
        prev != START && self.ty[prev as usize] == self.ty[cur]
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }
}

/// A trained tagger: quantised weights, label set, embedded gazetteer and lexicon.
#[derive(Debug, Clone)]
pub struct NerModel {
    header: Header,
    pub(crate) ls: LabelSet,
    pub(crate) res: Resources,
    /// Open-addressing table: bucket + 1 (0 = empty) → row index (same slot).
    /// (bucket + 1, row index) per slot, side by side so a probe touches one cache line.
    slots: Vec<(u32, u32)>,
    /// Dense rows, `labels.len()` weights each.
    rows: Vec<i16>,
    /// Sparse rows as stored (bucket, entries), kept for `to_bytes`.
    sparse: Vec<(u32, Vec<(u8, i16)>)>,
    slot_shift: u32,
    /// `o_bias` in quantised units.
    o_pen: i32,
    /// Label ids of `B-LOC`, `I-LOC`, `B-LOCderiv` when the model has all three.
    deriv: Option<(u8, u8, u8)>,
}

impl NerModel {
    pub(crate) fn build(
        lang: &str,
        labels: Vec<String>,
        bits: u32,
        scale: f32,
        info: String,
        res: Resources,
        mut sparse: Vec<(u32, Vec<(u8, i16)>)>,
    ) -> NerModel {
        sparse.sort_by_key(|r| r.0);
        let nl = labels.len();
        let id = |l: &str| labels.iter().position(|x| x == l).map(|p| p as u8);
        let deriv = match (id("B-LOC"), id("I-LOC"), id("B-LOCderiv")) {
            (Some(a), Some(b), Some(c)) => Some((a, b, c)),
            _ => None,
        };
        let cap = (sparse.len() * 2).next_power_of_two().max(16);
        let slot_bits = cap.trailing_zeros();
        let mut slots = vec![(0u32, 0u32); cap];
        let mut rows = vec![0i16; sparse.len() * nl];
        let shift = 32 - slot_bits;
        for (r, (b, entries)) in sparse.iter().enumerate() {
            let mut s = (b.wrapping_mul(0x9E37_79B1) >> shift) as usize;
            while slots[s].0 != 0 {
                s = (s + 1) & (cap - 1);
            }
            slots[s] = (b + 1, r as u32);
            for &(l, w) in entries {
                if (l as usize) < nl {
                    rows[r * nl + l as usize] = w;
                }
            }
        }
        NerModel {
            header: Header {
                lang: lang.to_string(),
                labels: labels.clone(),
                bits,
                scale,
                info,
                o_bias: 0.0,
            },
            ls: LabelSet::new(labels),
            res,
            slots,
            rows,
            sparse,
            slot_shift: shift,
            o_pen: 0,
            deriv,
        }
    }

    /// Sets the `O` penalty (see the model header's `o_bias`).
    /// Non-finite values count as 0; the penalty is capped at `±2^24` weight units of
    /// the quantised scale, so scores cannot overflow.
    pub fn set_o_bias(&mut self, bias: f32) {
        let bias = if bias.is_finite() { bias } else { 0.0 };
        self.header.o_bias = bias;
        const CAP: f64 = (1 << 24) as f64;
        self.o_pen = if self.header.scale > 0.0 {
            (bias as f64 / self.header.scale as f64)
                .round()
                .clamp(-CAP, CAP) as i32
        } else {
            0
        };
    }

    /// The `O` penalty in averaged-perceptron units.
    pub fn o_bias(&self) -> f32 {
        self.header.o_bias
    }

    /// Language code the model was trained for.
    pub fn lang(&self) -> &str {
        &self.header.lang
    }

    /// The label inventory (`O` first).
    pub fn labels(&self) -> &[String] {
        &self.ls.labels
    }

    /// Free-text training record stored in the model.
    pub fn info(&self) -> &str {
        &self.header.info
    }

    /// Number of stored weight rows (hashed features with a non-zero weight).
    pub fn n_rows(&self) -> usize {
        self.sparse.len()
    }

    #[inline]
    fn row(&self, bucket: u32) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut s = (bucket.wrapping_mul(0x9E37_79B1) >> self.slot_shift) as usize;
        loop {
            let (k, row) = self.slots[s];
            if k == 0 {
                return None;
            }
            if k == bucket + 1 {
                return Some(row as usize);
            }
            s = (s + 1) & mask;
        }
    }

    #[inline]
    fn add_scores(&self, feats: &[u32], scores: &mut [i32]) {
        let nl = scores.len();
        let mask = (1u32 << self.header.bits) - 1;
        // Probe every feature first (independent lookups the CPU can overlap), then add
        // the rows found.
        let mut found = [0u32; 64];
        for chunk in feats.chunks(found.len()) {
            let mut n = 0;
            for &f in chunk {
                if let Some(r) = self.row(f & mask) {
                    found[n] = r as u32;
                    n += 1;
                }
            }
            for &r in &found[..n] {
                let r = r as usize;
                for (s, &w) in scores.iter_mut().zip(&self.rows[r * nl..(r + 1) * nl]) {
                    *s += w as i32;
                }
            }
        }
    }

    /// Tags one sentence into label ids, using caller-provided scratch space; `hist`
    /// holds what was said earlier in the same document and is updated.
    pub(crate) fn tag_ids(
        &self,
        words: &[&str],
        sc: &mut Scratch,
        hist: &mut History,
        ctx: &Contexts,
        out: &mut Vec<u8>,
    ) {
        out.clear();
        if words.is_empty() {
            return;
        }
        observe(&self.res, words, sc);
        let nl = self.ls.len();
        let mut scores = vec![0i32; nl];
        let mut lf = [0u32; 4];
        let mut hf = [0u32; 2];
        let mut cf = Vec::new();
        let (mut p1, mut p2) = (START, START);
        for i in 0..words.len() {
            scores.iter_mut().for_each(|s| *s = 0);
            self.add_scores(&sc.feats[sc.starts[i]..sc.starts[i + 1]], &mut scores);
            label_feats(sc, i, p1, p2, &mut lf);
            self.add_scores(&lf, &mut scores);
            let nh = history_feats(hist, sc, i, &mut hf);
            self.add_scores(&hf[..nh], &mut scores);
            ctx.feats(sc, i, &mut cf);
            self.add_scores(&cf, &mut scores);
            scores[0] -= self.o_pen;
            let mut best = 0usize;
            let mut best_s = i32::MIN;
            for (y, &s) in scores.iter().enumerate() {
                if s > best_s && self.ls.allowed(p1, y) {
                    best = y;
                    best_s = s;
                }
            }
            out.push(best as u8);
            p2 = p1;
            p1 = best as u8;
        }
        self.adjectives_are_deriv(sc, out);
        hist.record_sentence(sc, out, &self.ls.ty);
    }

    /// In a model with GermEval's `LOCderiv`, a one-word `LOC` that the gazetteer knows
    /// only as a country adjective (*russischen*, *Nordkoreanische* at a sentence
    /// start) is a `LOCderiv`: place names are not adjectives.
    fn adjectives_are_deriv(&self, sc: &Scratch, out: &mut [u8]) {
        let Some((b_loc, i_loc, b_deriv)) = self.deriv else {
            return;
        };
        let adj = 1u8 << gazetteer::ADJ;
        let loc = 1u8 << gazetteer::LOC;
        for i in 0..out.len() {
            let single = out.get(i + 1) != Some(&i_loc);
            let g = sc.gaz_b[i];
            if out[i] == b_loc && single && g & adj != 0 && g & loc == 0 {
                out[i] = b_deriv;
            }
        }
    }

    /// Tags one sentence given its word strings; returns BIO labels (`B-PER`, `I-LOC`,
    /// `O`, …).
    pub fn tag_words(&self, words: &[&str]) -> Vec<String> {
        self.tag_document(&[words]).pop().unwrap_or_default()
    }

    /// Tags the sentences of one document in order, so that what the tagger found in
    /// earlier sentences informs later ones; returns BIO labels per sentence.
    pub fn tag_document<S: AsRef<[W]>, W: AsRef<str>>(&self, sentences: &[S]) -> Vec<Vec<String>> {
        let words: Vec<Vec<&str>> = sentences
            .iter()
            .map(|s| s.as_ref().iter().map(|w| w.as_ref()).collect())
            .collect();
        self.tag_ids_document(&words)
            .into_iter()
            .map(|ids| {
                ids.iter()
                    .map(|&y| self.ls.labels[y as usize].clone())
                    .collect()
            })
            .collect()
    }

    /// Tags a document's sentences; returns `(byte start, byte end, type)` spans over
    /// `text`. Sentences or tokens out of range are skipped rather than panicking.
    pub fn tag(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Sentence],
    ) -> Vec<(usize, usize, String)> {
        let toks: Vec<&[Token]> = sentences
            .iter()
            .map(|s| {
                let end = s.end_token.min(tokens.len());
                &tokens[s.first_token.min(end)..end]
            })
            .collect();
        let words: Vec<Vec<&str>> = toks
            .iter()
            .map(|ts| {
                ts.iter()
                    .map(|t| text.get(t.start..t.end).unwrap_or(""))
                    .collect()
            })
            .collect();
        let mut out = Vec::new();
        for (ts, ids) in toks.iter().zip(self.tag_ids_document(&words)) {
            let labels: Vec<&str> = ids
                .iter()
                .map(|&y| self.ls.labels[y as usize].as_str())
                .collect();
            for (a, b, ty) in eval::chunks(&labels) {
                out.push((ts[a].start, ts[b - 1].end, ty));
            }
        }
        out
    }

    /// Tags a document's sentences into label ids: first the contexts of its
    /// capitalised words, then the sentences in order with the history of the earlier
    /// ones.
    fn tag_ids_document(&self, sentences: &[Vec<&str>]) -> Vec<Vec<u8>> {
        let ctx = Contexts::of_document(sentences);
        let mut sc = Scratch::default();
        let mut hist = History::default();
        sentences
            .iter()
            .map(|words| {
                let mut ids = Vec::with_capacity(words.len());
                self.tag_ids(words, &mut sc, &mut hist, &ctx, &mut ids);
                ids
            })
            .collect()
    }

    /// Serialises the model (format documented in the crate docs).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        let h = serde_json::to_vec(&self.header).expect("header serialises");
        out.extend_from_slice(&(h.len() as u32).to_le_bytes());
        out.extend_from_slice(&h);
        let mut g = String::new();
        for (c, p) in &self.res.gaz_entries {
            g.push_str(&format!("{c}\t{p}\n"));
        }
        out.extend_from_slice(&(g.len() as u32).to_le_bytes());
        out.extend_from_slice(g.as_bytes());
        out.extend_from_slice(&(self.res.lower_seen.len() as u32).to_le_bytes());
        for h in &self.res.lower_seen {
            out.extend_from_slice(&h.to_le_bytes());
        }
        out.extend_from_slice(&(self.res.ent_entries.len() as u32).to_le_bytes());
        for (h, c) in &self.res.ent_entries {
            out.extend_from_slice(&h.to_le_bytes());
            out.push(*c);
        }
        out.extend_from_slice(&(self.res.cluster_entries.len() as u32).to_le_bytes());
        for (h, cl) in &self.res.cluster_entries {
            out.extend_from_slice(&h.to_le_bytes());
            for c in cl {
                out.extend_from_slice(&c.to_le_bytes());
            }
        }
        out.extend_from_slice(&(self.sparse.len() as u32).to_le_bytes());
        let mut prev = 0u32;
        for (b, entries) in &self.sparse {
            let mut d = b - prev;
            prev = *b;
            loop {
                let byte = (d & 0x7f) as u8;
                d >>= 7;
                if d == 0 {
                    out.push(byte);
                    break;
                }
                out.push(byte | 0x80);
            }
            out.push(entries.len() as u8);
            for &(l, w) in entries {
                out.push(l);
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    /// Reads a model written by [`NerModel::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<NerModel, NerError> {
        let mut r = Reader { b: bytes, p: 0 };
        if r.take(8)? != MAGIC {
            return Err(NerError::BadMagic);
        }
        let v = r.u32()?;
        if v != FORMAT_VERSION {
            return Err(NerError::Version(v));
        }
        let n = r.u32()? as usize;
        let header: Header =
            serde_json::from_slice(r.take(n)?).map_err(|e| NerError::Header(e.to_string()))?;
        if header.labels.is_empty() || header.labels.len() > 250 || header.bits > 31 {
            return Err(NerError::Header("bad label set or bits".into()));
        }
        if !(header.scale.is_finite() && header.scale > 0.0) {
            return Err(NerError::Header("bad scale".into()));
        }
        if !header.o_bias.is_finite() || header.o_bias.abs() > 1e6 {
            return Err(NerError::Header("bad o_bias".into()));
        }
        let nl = header.labels.len();
        let n = r.u32()? as usize;
        let g = std::str::from_utf8(r.take(n)?)
            .map_err(|_| NerError::Header("gazetteer not UTF-8".into()))?;
        let mut gaz = Vec::new();
        for line in g.lines() {
            if let Some((c, p)) = line.split_once('\t') {
                if let Ok(c) = c.parse::<u8>() {
                    if (c as usize) < features::GAZ_CATS.len() {
                        gaz.push((c, p.to_string()));
                    }
                }
            }
        }
        let n = r.u32()? as usize;
        let mut lex = Vec::with_capacity(n.min(bytes.len() / 4));
        for _ in 0..n {
            lex.push(r.u32()?);
        }
        let n = r.u32()? as usize;
        let mut ent = Vec::with_capacity(n.min(bytes.len() / 5));
        for _ in 0..n {
            let h = r.u32()?;
            ent.push((h, r.take(1)?[0]));
        }
        let n = r.u32()? as usize;
        let mut clusters = Vec::with_capacity(n.min(bytes.len() / 10));
        for _ in 0..n {
            let h = r.u32()?;
            let mut cl = [features::NO_CLUSTER; features::CLUSTER_LEVELS];
            for c in cl.iter_mut() {
                let b = r.take(2)?;
                *c = u16::from_le_bytes([b[0], b[1]]);
            }
            clusters.push((h, cl));
        }
        let n = r.u32()? as usize;
        // A row costs at least 5 bytes in the file and `nl` weights in memory: refuse
        // more rows than the file can hold or than the hash space has buckets.
        if n > bytes.len() / 5 || n as u64 > 1u64 << header.bits {
            return Err(NerError::Header("more weight rows than possible".into()));
        }
        let mut sparse = Vec::with_capacity(n);
        let mut prev = 0u32;
        for i in 0..n {
            let mut d = 0u32;
            let mut shift = 0;
            loop {
                let byte = r.take(1)?[0];
                d |= ((byte & 0x7f) as u32) << shift;
                if byte & 0x80 == 0 {
                    break;
                }
                shift += 7;
                if shift > 28 {
                    return Err(NerError::Truncated);
                }
            }
            if i > 0 && d == 0 {
                return Err(NerError::Header("weight rows out of order".into()));
            }
            prev = prev
                .checked_add(d)
                .filter(|b| (*b as u64) < 1u64 << header.bits)
                .ok_or_else(|| NerError::Header("weight row bucket out of range".into()))?;
            let k = r.take(1)?[0] as usize;
            if k == 0 {
                return Err(NerError::Header("empty weight row".into()));
            }
            let mut entries = Vec::with_capacity(k);
            for _ in 0..k {
                let e = r.take(3)?;
                if e[0] as usize >= nl {
                    return Err(NerError::Header("label id out of range".into()));
                }
                entries.push((e[0], i16::from_le_bytes([e[1], e[2]])));
            }
            sparse.push((prev, entries));
        }
        let mut m = NerModel::build(
            &header.lang,
            header.labels,
            header.bits,
            header.scale,
            header.info,
            Resources::new(gaz, lex, ent, clusters),
            sparse,
        );
        m.set_o_bias(header.o_bias);
        Ok(m)
    }
}

struct Reader<'a> {
    b: &'a [u8],
    p: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], NerError> {
        if self.p + n > self.b.len() {
            return Err(NerError::Truncated);
        }
        let s = &self.b[self.p..self.p + n];
        self.p += n;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32, NerError> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal valid model file with the given weight-row section.
    fn file_with_rows(header: &str, rows: &[u8]) -> Vec<u8> {
        let mut b = MAGIC.to_vec();
        b.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        b.extend_from_slice(&(header.len() as u32).to_le_bytes());
        b.extend_from_slice(header.as_bytes());
        for _ in 0..4 {
            b.extend_from_slice(&0u32.to_le_bytes()); // gazetteer, lexicon, entities, clusters
        }
        b.extend_from_slice(rows);
        b
    }

    #[test]
    fn corrupt_model_files_are_refused_not_panicked_on() {
        let h = r#"{"lang":"de","labels":["O","B-PER","I-PER"],"bits":16,"scale":0.5}"#;
        let row = |delta: u8, label: u8| vec![delta, 1, label, 7, 0];
        let ok: Vec<u8> = [2u32.to_le_bytes().to_vec(), row(3, 1), row(2, 0)].concat();
        let m = NerModel::from_bytes(&file_with_rows(h, &ok)).expect("valid file");
        assert_eq!(m.n_rows(), 2);
        let cases: Vec<(&str, Vec<u8>)> = vec![
            (
                "label out of range",
                [1u32.to_le_bytes().to_vec(), row(3, 9)].concat(),
            ),
            (
                "rows out of order",
                [2u32.to_le_bytes().to_vec(), row(3, 1), row(0, 1)].concat(),
            ),
            (
                "empty row",
                [1u32.to_le_bytes().to_vec(), vec![3, 0]].concat(),
            ),
            ("huge row count", u32::MAX.to_le_bytes().to_vec()),
            // a bucket beyond 2^bits (LEB128 of 2^20)
            (
                "bucket out of range",
                [
                    1u32.to_le_bytes().to_vec(),
                    vec![0x80, 0x80, 0x40, 1, 1, 7, 0],
                ]
                .concat(),
            ),
        ];
        for (what, rows) in cases {
            assert!(
                NerModel::from_bytes(&file_with_rows(h, &rows)).is_err(),
                "{what}"
            );
        }
        for bad in [
            r#"{"lang":"de","labels":["O"],"bits":16,"scale":0.0}"#,
            r#"{"lang":"de","labels":["O"],"bits":16,"scale":1.0,"o_bias":1e9}"#,
        ] {
            assert!(NerModel::from_bytes(&file_with_rows(bad, &0u32.to_le_bytes())).is_err());
        }
        // an absurd penalty is capped, so tagging cannot overflow
        let mut m = NerModel::from_bytes(&file_with_rows(h, &ok)).unwrap();
        m.set_o_bias(f32::MAX);
        assert_eq!(m.tag_words(&["Anna", "Berg"]).len(), 2);
        m.set_o_bias(f32::NAN);
        assert_eq!(m.o_bias(), 0.0);
    }

    #[test]
    fn a_one_word_loc_known_only_as_an_adjective_is_deriv() {
        let labels = |l: &[&str]| l.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let res = Resources::new(
            vec![
                (gazetteer::ADJ, "russischen".into()),
                (gazetteer::LOC, "Kiew".into()),
            ],
            vec![],
            vec![],
            vec![],
        );
        let with = NerModel::build(
            "de",
            labels(&["O", "B-LOC", "I-LOC", "B-LOCderiv", "I-LOCderiv"]),
            16,
            1.0,
            String::new(),
            res.clone(),
            vec![],
        );
        let words = ["russischen", "Truppen", "in", "Kiew", "russischen", "Stadt"];
        let mut sc = Scratch::default();
        observe(&res, &words, &mut sc);
        // B-LOC on the adjective alone, on the place, and a two-word LOC chunk
        let mut out = vec![1u8, 0, 0, 1, 1, 2];
        with.adjectives_are_deriv(&sc, &mut out);
        assert_eq!(out, [3, 0, 0, 1, 1, 2]);
        let without = NerModel::build(
            "en",
            labels(&["O", "B-LOC", "I-LOC"]),
            16,
            1.0,
            String::new(),
            res,
            vec![],
        );
        let mut out = vec![1u8, 0, 0, 1, 0, 0];
        without.adjectives_are_deriv(&sc, &mut out);
        assert_eq!(out, [1, 0, 0, 1, 0, 0]);
    }

    #[test]
    fn shipped_models_load_and_tag() {
        let t = std::time::Instant::now();
        let de = builtin("de").expect("de model");
        assert!(t.elapsed().as_secs_f64() < 1.0);
        assert_eq!(de.lang(), "de");
        let words = [
            "Die",
            "russischen",
            "Truppen",
            "rücken",
            "auf",
            "Kiew",
            "vor",
            ".",
        ];
        let labels = de.tag_words(&words);
        assert_eq!(labels.len(), words.len());
        assert_eq!(labels[1], "B-LOCderiv");
        let words = [
            "Russische",
            "und",
            "nordkoreanische",
            "Soldaten",
            "üben",
            ".",
        ];
        let labels = de.tag_words(&words);
        assert_eq!(labels[0], "B-LOCderiv");
        assert_eq!(labels[2], "B-LOCderiv");
        let en = builtin("en").expect("en model");
        let labels = en.tag_words(&["Angela", "Merkel", "visited", "Paris", "."]);
        assert_eq!(labels, ["B-PER", "I-PER", "O", "B-LOC", "O"]);
        assert!(builtin("fr").is_none());
    }
}
