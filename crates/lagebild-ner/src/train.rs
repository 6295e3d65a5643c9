//! Averaged-perceptron training with greedy decoding (predicted label history), exact
//! integer arithmetic and a seeded shuffle, so a run is bit-for-bit reproducible.

use crate::corpus::{split_label, Sentence};
use crate::features::{history_feats, label_feats, observe, Contexts, History, Resources, Scratch};
use crate::{LabelSet, NerModel, START};

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    pub lang: String,
    pub epochs: usize,
    pub seed: u64,
    /// Feature hashes are masked to this many bits.
    pub bits: u32,
    /// Quantised weights with magnitude below this are dropped (in i16 units).
    pub prune: i16,
    /// Gazetteer entries (category, phrase) embedded in the model.
    pub gazetteer: Vec<(u8, String)>,
    /// Lexicon of lower-case words (hashes) embedded in the model.
    pub lower_seen: Vec<u32>,
    /// Entity lexicon (word hash, code) embedded in the model, see
    /// [`crate::gazetteer::entity_lexicon`].
    pub entity_lexicon: Vec<(u32, u8)>,
    /// Word clusters (word hash, class per granularity) embedded in the model, see
    /// [`crate::clusters`].
    pub clusters: Vec<(u32, [u16; crate::features::CLUSTER_LEVELS])>,
    /// Free text stored in the model header (corpora, settings).
    pub info: String,
    pub verbose: bool,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            lang: "de".into(),
            epochs: 10,
            seed: 20_14,
            bits: 21,
            prune: 2,
            gazetteer: Vec::new(),
            lower_seen: Vec::new(),
            entity_lexicon: Vec::new(),
            clusters: Vec::new(),
            info: String::new(),
            verbose: false,
        }
    }
}

/// Deterministic xorshift64* generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The label inventory of a corpus: `O`, then `B-`/`I-` for every type, sorted.
pub fn label_inventory(sents: &[Sentence]) -> Vec<String> {
    let mut types: Vec<String> = sents
        .iter()
        .flat_map(|s| s.labels.iter())
        .map(|l| split_label(l).1.to_string())
        .filter(|t| !t.is_empty())
        .collect();
    types.sort();
    types.dedup();
    let mut labels = vec!["O".to_string()];
    for t in types {
        labels.push(format!("B-{t}"));
        labels.push(format!("I-{t}"));
    }
    labels
}

struct Obs {
    /// Masked observation and context features of every token, which do not depend on
    /// the weights: computed once before the epochs.
    feats: Vec<u32>,
    /// per token: offset into feats
    starts: Vec<usize>,
    lower_h: Vec<u32>,
    shape_h: Vec<u32>,
    word_h: Vec<u32>,
    cap: Vec<bool>,
    gold: Vec<u8>,
    /// per token: its sentence is partly annotated (see [`Sentence::partial`])
    partial: Vec<bool>,
    /// per sentence: first token index (+ sentinel)
    sent: Vec<usize>,
    /// per document: first sentence index (+ sentinel)
    docs: Vec<usize>,
}

/// Trains a model; `on_epoch` is called after every epoch with the epoch number and the
/// averaged model so far (for progress reports on held-out data).
pub fn train_with(
    sents: &[Sentence],
    cfg: &TrainConfig,
    mut on_epoch: impl FnMut(usize, &NerModel),
) -> NerModel {
    let labels = label_inventory(sents);
    let ls = LabelSet::new(labels.clone());
    let nl = labels.len();
    let res = Resources::new(
        cfg.gazetteer.clone(),
        cfg.lower_seen.clone(),
        cfg.entity_lexicon.clone(),
        cfg.clusters.clone(),
    );
    let mask = (1u32 << cfg.bits) - 1;

    // Observation features are computed once.
    let mut obs = Obs {
        feats: Vec::new(),
        starts: Vec::new(),
        lower_h: Vec::new(),
        shape_h: Vec::new(),
        word_h: Vec::new(),
        cap: Vec::new(),
        gold: Vec::new(),
        partial: Vec::new(),
        sent: Vec::new(),
        docs: Vec::new(),
    };
    let mut sc = Scratch::default();
    let mut cf = Vec::new();
    let kept: Vec<&Sentence> = sents.iter().filter(|s| !s.words.is_empty()).collect();
    let mut k = 0;
    while k < kept.len() {
        // a document: this sentence and those that continue it
        let mut e = k + 1;
        while e < kept.len() && kept[e].continues {
            e += 1;
        }
        let doc = &kept[k..e];
        k = e;
        obs.docs.push(obs.sent.len());
        // The context features depend on the document's words only: computed once
        // here, with the observation features, not in every epoch.
        let words: Vec<&[String]> = doc.iter().map(|s| s.words.as_slice()).collect();
        let ctx = Contexts::of_document(&words);
        for s in doc {
            obs.sent.push(obs.starts.len());
            let words: Vec<&str> = s.words.iter().map(|w| w.as_str()).collect();
            observe(&res, &words, &mut sc);
            for i in 0..words.len() {
                obs.starts.push(obs.feats.len());
                ctx.feats(&sc, i, &mut cf);
                obs.feats.extend(
                    sc.feats[sc.starts[i]..sc.starts[i + 1]]
                        .iter()
                        .chain(&cf)
                        .map(|f| f & mask),
                );
                obs.lower_h.push(sc.lower_h[i]);
                obs.shape_h.push(sc.shape_h[i]);
                obs.word_h.push(sc.word_h[i]);
                obs.cap.push(sc.cap[i]);
                let g = labels.iter().position(|l| *l == s.labels[i]).unwrap_or(0);
                obs.gold.push(g as u8);
                obs.partial.push(s.partial);
            }
        }
    }
    obs.docs.push(obs.sent.len());
    obs.sent.push(obs.starts.len());
    obs.starts.push(obs.feats.len());

    // Labels a partly annotated sentence's `O` accepts: those of types that no partly
    // annotated sentence ever marks (GermEval's OTH, deriv and part classes where the
    // other corpora mark only PER, LOC and ORG).
    let mut marked = vec![false; nl];
    for (t, &g) in obs.gold.iter().enumerate() {
        if obs.partial[t] {
            marked[g as usize] = true;
        }
    }
    let open: Vec<bool> = (0..nl)
        .map(|y| y != 0 && !(0..nl).any(|z| marked[z] && z != 0 && ls.ty[z] == ls.ty[y]))
        .collect();
    let size = (1usize << cfg.bits) * nl;
    let mut w = vec![0i32; size];
    let mut u = vec![0i64; size];
    let mut c: i64 = 1;
    let mut rng = Rng(cfg.seed ^ 0x9E37_79B9_7F4A_7C15);
    let n_docs = obs.docs.len() - 1;
    let mut order: Vec<usize> = (0..n_docs).collect();
    let mut scores = vec![0i64; nl];
    let mut lf = [0u32; 4];
    let mut hf = [0u32; 2];
    let mut hist = History::default();
    let mut pred: Vec<u8> = Vec::new();
    let mut one = Scratch::default();
    let mut model = None;
    for epoch in 1..=cfg.epochs {
        for k in (1..order.len()).rev() {
            let j = rng.below(k + 1);
            order.swap(k, j);
        }
        let mut errors = 0usize;
        let mut tokens = 0usize;
        for &di in &order {
            hist.clear();
            for si in obs.docs[di]..obs.docs[di + 1] {
                let (a, b) = (obs.sent[si], obs.sent[si + 1]);
                one.lower_h.clear();
                one.lower_h.extend_from_slice(&obs.lower_h[a..b]);
                one.shape_h.clear();
                one.shape_h.extend_from_slice(&obs.shape_h[a..b]);
                one.word_h.clear();
                one.word_h.extend_from_slice(&obs.word_h[a..b]);
                one.cap.clear();
                one.cap.extend_from_slice(&obs.cap[a..b]);
                pred.clear();
                let (mut p1, mut p2) = (START, START);
                for t in a..b {
                    let i = t - a;
                    label_feats(&one, i, p1, p2, &mut lf);
                    for l in lf.iter_mut() {
                        *l &= mask;
                    }
                    let nh = history_feats(&hist, &one, i, &mut hf);
                    let hf = &mut hf[..nh];
                    for h in hf.iter_mut() {
                        *h &= mask;
                    }
                    let of = &obs.feats[obs.starts[t]..obs.starts[t + 1]];
                    scores.iter_mut().for_each(|s| *s = 0);
                    for &f in of.iter().chain(lf.iter()).chain(hf.iter()) {
                        let row = &w[f as usize * nl..(f as usize + 1) * nl];
                        for (s, &x) in scores.iter_mut().zip(row) {
                            *s += x as i64;
                        }
                    }
                    let mut best = 0usize;
                    let mut best_s = i64::MIN;
                    for (y, &s) in scores.iter().enumerate() {
                        if s > best_s && ls.allowed(p1, y) {
                            best = y;
                            best_s = s;
                        }
                    }
                    let gold = obs.gold[t] as usize;
                    tokens += 1;
                    let accepted = gold == 0 && obs.partial[t] && open[best];
                    if best != gold && !accepted {
                        errors += 1;
                        for &f in of.iter().chain(lf.iter()).chain(hf.iter()) {
                            let base = f as usize * nl;
                            w[base + gold] += 1;
                            u[base + gold] += c;
                            w[base + best] -= 1;
                            u[base + best] -= c;
                        }
                    }
                    c += 1;
                    p2 = p1;
                    p1 = best as u8;
                    pred.push(best as u8);
                }
                hist.record_sentence(&one, &pred, &ls.ty);
            }
        }
        let last = epoch == cfg.epochs;
        if cfg.verbose {
            eprintln!(
                "epoch {epoch}: {errors} errors / {tokens} tokens ({:.2}%)",
                100.0 * errors as f64 / tokens.max(1) as f64
            );
        }
        let m = export(cfg, &labels, &res, &w, &u, c);
        on_epoch(epoch, &m);
        if last {
            model = Some(m);
        }
    }
    model.unwrap_or_else(|| export(cfg, &labels, &res, &w, &u, c))
}

/// Trains a model with the given settings.
pub fn train(sents: &[Sentence], cfg: &TrainConfig) -> NerModel {
    train_with(sents, cfg, |_, _| {})
}

fn export(
    cfg: &TrainConfig,
    labels: &[String],
    res: &Resources,
    w: &[i32],
    u: &[i64],
    c: i64,
) -> NerModel {
    let nl = labels.len();
    let avg = |k: usize| -> f64 { w[k] as f64 - u[k] as f64 / c as f64 };
    let mut max = 0f64;
    for k in 0..w.len() {
        if w[k] != 0 || u[k] != 0 {
            max = max.max(avg(k).abs());
        }
    }
    let scale = if max > 0.0 { max / 32000.0 } else { 1.0 };
    let mut sparse = Vec::new();
    for b in 0..w.len() / nl {
        let mut entries = Vec::new();
        for y in 0..nl {
            let k = b * nl + y;
            if w[k] == 0 && u[k] == 0 {
                continue;
            }
            let q = (avg(k) / scale).round() as i16;
            if q.unsigned_abs() >= cfg.prune.max(1) as u16 {
                entries.push((y as u8, q));
            }
        }
        if !entries.is_empty() {
            sparse.push((b as u32, entries));
        }
    }
    NerModel::build(
        &cfg.lang,
        labels.to_vec(),
        cfg.bits,
        scale as f32,
        cfg.info.clone(),
        res.clone(),
        sparse,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(words: &str, labels: &str) -> Sentence {
        Sentence {
            words: words.split(' ').map(String::from).collect(),
            labels: labels.split(' ').map(String::from).collect(),
            ..Sentence::default()
        }
    }

    /// Ten epochs, small hash space, nothing pruned: what the tiny corpus needs.
    fn small_config() -> TrainConfig {
        TrainConfig {
            epochs: 10,
            bits: 16,
            prune: 1,
            ..TrainConfig::default()
        }
    }

    fn tiny() -> Vec<Sentence> {
        vec![
            s("Anna Berg wohnt in Lindau .", "B-PER I-PER O O B-LOC O"),
            s(
                "Die Firma Quarzwerk baut in Lindau .",
                "O O B-ORG O O B-LOC O",
            ),
            s(
                "Anna Berg arbeitet bei Quarzwerk .",
                "B-PER I-PER O O B-ORG O",
            ),
            s("Die lindauische Presse schreibt .", "O B-LOCderiv O O O"),
        ]
    }

    #[test]
    fn learns_tiny_corpus_and_round_trips() {
        let cfg = small_config();
        let m = train(&tiny(), &cfg);
        for sent in tiny() {
            let words: Vec<&str> = sent.words.iter().map(|w| w.as_str()).collect();
            assert_eq!(m.tag_words(&words), sent.labels);
        }
        let bytes = m.to_bytes();
        let m2 = NerModel::from_bytes(&bytes).unwrap();
        assert_eq!(m2.to_bytes(), bytes);
        let words = ["Anna", "Berg", "wohnt", "in", "Lindau", "."];
        assert_eq!(m.tag_words(&words), m2.tag_words(&words));
        // deterministic
        let m3 = train(&tiny(), &cfg);
        assert_eq!(m3.to_bytes(), bytes);
    }

    #[test]
    fn partly_annotated_sentences_do_not_teach_against_unmarked_types() {
        // The full corpus marks a title (MISC); a partly annotated corpus (PER/LOC
        // only) repeats the same sentence with the title left O. Read as fully
        // annotated, its O outvotes the MISC; read as partial, it does not.
        let full = s("Sie las Quarzbuch in Lindau .", "O O B-MISC O B-LOC O");
        let mut other = s("Sie las Quarzbuch in Lindau .", "O O O O B-LOC O");
        let mut corpus = vec![full.clone()];
        corpus.extend(std::iter::repeat_n(other.clone(), 3));
        let cfg = small_config();
        let words: Vec<&str> = full.words.iter().map(|w| w.as_str()).collect();
        let m = train(&corpus, &cfg);
        assert_eq!(m.tag_words(&words)[2], "O", "three O votes win");
        other.partial = true;
        let mut corpus = vec![full.clone()];
        corpus.extend(std::iter::repeat_n(other, 3));
        let m = train(&corpus, &cfg);
        assert_eq!(m.tag_words(&words), full.labels);
    }

    #[test]
    fn o_bias_trades_precision_for_recall_and_is_stored() {
        let cfg = small_config();
        let mut m = train(&tiny(), &cfg);
        let words = ["Die", "Firma", "Tannwerk", "baut", "in", "Kelheim", "."];
        let count = |m: &NerModel| m.tag_words(&words).iter().filter(|l| *l != "O").count();
        let before = count(&m);
        m.set_o_bias(1e5);
        assert_eq!(count(&m), words.len(), "a huge O penalty tags every word");
        assert!(count(&m) > before);
        let back = NerModel::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back.o_bias(), 1e5);
        assert_eq!(count(&back), words.len());
    }

    #[test]
    fn tag_document_tags_every_sentence() {
        let cfg = small_config();
        let m = train(&tiny(), &cfg);
        let doc = [
            vec!["Anna", "Berg", "wohnt", "in", "Lindau", "."],
            vec!["Die", "lindauische", "Presse", "schreibt", "."],
        ];
        let tagged = m.tag_document(&doc);
        assert_eq!(tagged[0], ["B-PER", "I-PER", "O", "O", "B-LOC", "O"]);
        assert_eq!(tagged[1], ["O", "B-LOCderiv", "O", "O", "O"]);
        assert!(m.tag_document::<Vec<&str>, &str>(&[]).is_empty());
    }

    #[test]
    fn no_panic_on_odd_input() {
        let cfg = TrainConfig {
            epochs: 2,
            bits: 12,
            ..TrainConfig::default()
        };
        let m = train(&tiny(), &cfg);
        assert!(m.tag_words(&[]).is_empty());
        let odd = ["", "\u{0}", "𝔘𝔫𝔦", "--", "ÄÖÜ", "x".repeat(500).leak()];
        assert_eq!(m.tag_words(&odd).len(), odd.len());
        assert!(NerModel::from_bytes(b"junk").is_err());
        let bytes = m.to_bytes();
        assert!(NerModel::from_bytes(&bytes[..bytes.len() / 2]).is_err());
        // document API with out-of-range indices
        use lagebild_model::{Sentence as S, Token, TokenKind};
        let text = "Anna Berg";
        let toks = [
            Token {
                start: 0,
                end: 4,
                kind: TokenKind::Word,
            },
            Token {
                start: 5,
                end: 9,
                kind: TokenKind::Word,
            },
        ];
        let sents = [
            S {
                start: 0,
                end: 9,
                first_token: 0,
                end_token: 2,
            },
            S {
                start: 0,
                end: 9,
                first_token: 1,
                end_token: 7,
            },
            S {
                start: 0,
                end: 0,
                first_token: 3,
                end_token: 1,
            },
        ];
        let _ = m.tag(text, &toks, &sents);
        assert!(m.tag("", &[], &[]).is_empty());
    }

    #[test]
    fn document_spans() {
        let cfg = small_config();
        let m = train(&tiny(), &cfg);
        use lagebild_model::{Sentence as S, Token, TokenKind};
        let text = "Anna Berg wohnt in Lindau .";
        let mut toks = Vec::new();
        let mut p = 0;
        for w in text.split(' ') {
            toks.push(Token {
                start: p,
                end: p + w.len(),
                kind: TokenKind::Word,
            });
            p += w.len() + 1;
        }
        let sents = [S {
            start: 0,
            end: text.len(),
            first_token: 0,
            end_token: toks.len(),
        }];
        let spans = m.tag(text, &toks, &sents);
        assert_eq!(
            spans,
            vec![(0, 9, "PER".to_string()), (19, 25, "LOC".to_string())]
        );
    }
}
