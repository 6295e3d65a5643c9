//! TempEval-3 style scoring of temporal expressions.
//!
//! Strict = identical extent; relaxed = any overlap (one-to-one: exact matches first,
//! then the largest overlap). Value and type are attributes scored over the relaxed
//! matches: P = correct / system count, R = correct / gold count (value F1 as in TE3).
//! Type accuracy is correct types among relaxed matches whose gold has a type.

use crate::timeml::Gold;
use crate::Time;

#[derive(Default, Debug, Clone, serde::Serialize)]
pub struct Scores {
    pub docs: usize,
    pub gold: usize,
    pub system: usize,
    pub strict: usize,
    pub relaxed: usize,
    pub value_correct: usize,
    pub type_correct: usize,
    pub typed_matches: usize,
    pub strict_p: f64,
    pub strict_r: f64,
    pub strict_f1: f64,
    pub relaxed_p: f64,
    pub relaxed_r: f64,
    pub relaxed_f1: f64,
    pub value_p: f64,
    pub value_r: f64,
    pub value_f1: f64,
    pub type_accuracy: f64,
}

fn prf(c: usize, sys: usize, gold: usize) -> (f64, f64, f64) {
    let p = if sys > 0 { c as f64 / sys as f64 } else { 0.0 };
    let r = if gold > 0 {
        c as f64 / gold as f64
    } else {
        0.0
    };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// One matched pair (gold index, system index), exact or overlapping.
pub fn align(gold: &[Gold], system: &[Time]) -> Vec<(usize, usize)> {
    let mut used = vec![false; system.len()];
    let mut gmatched = vec![false; gold.len()];
    let mut pairs = Vec::new();
    for (gi, gd) in gold.iter().enumerate() {
        if let Some(si) = (0..system.len())
            .find(|&si| !used[si] && system[si].start == gd.start && system[si].end == gd.end)
        {
            used[si] = true;
            gmatched[gi] = true;
            pairs.push((gi, si));
        }
    }
    for (gi, gd) in gold.iter().enumerate() {
        if gmatched[gi] {
            continue;
        }
        let best = (0..system.len())
            .filter(|&si| !used[si])
            .map(|si| {
                let s = &system[si];
                let ov = s.end.min(gd.end) as i64 - s.start.max(gd.start) as i64;
                (si, ov)
            })
            .filter(|&(_, ov)| ov > 0)
            .max_by_key(|&(si, ov)| (ov, std::cmp::Reverse(si)));
        if let Some((si, _)) = best {
            used[si] = true;
            pairs.push((gi, si));
        }
    }
    pairs
}

/// Add one document's counts to `acc`.
pub fn score_doc(gold: &[Gold], system: &[Time], acc: &mut Scores) {
    acc.docs += 1;
    acc.gold += gold.len();
    acc.system += system.len();
    for (gi, si) in align(gold, system) {
        let (g, s) = (&gold[gi], &system[si]);
        acc.relaxed += 1;
        if g.start == s.start && g.end == s.end {
            acc.strict += 1;
        }
        if g.value.trim() == s.value.trim() {
            acc.value_correct += 1;
        }
        if !g.kind.is_empty() {
            acc.typed_matches += 1;
            if g.kind == s.kind {
                acc.type_correct += 1;
            }
        }
    }
}

impl Scores {
    /// Compute the ratios from the counts.
    pub fn finish(&mut self) {
        (self.strict_p, self.strict_r, self.strict_f1) = prf(self.strict, self.system, self.gold);
        (self.relaxed_p, self.relaxed_r, self.relaxed_f1) =
            prf(self.relaxed, self.system, self.gold);
        (self.value_p, self.value_r, self.value_f1) =
            prf(self.value_correct, self.system, self.gold);
        self.type_accuracy = if self.typed_matches > 0 {
            self.type_correct as f64 / self.typed_matches as f64
        } else {
            0.0
        };
    }

    /// Add another accumulator's counts.
    pub fn add(&mut self, o: &Scores) {
        self.docs += o.docs;
        self.gold += o.gold;
        self.system += o.system;
        self.strict += o.strict;
        self.relaxed += o.relaxed;
        self.value_correct += o.value_correct;
        self.type_correct += o.type_correct;
        self.typed_matches += o.typed_matches;
    }
}

impl std::fmt::Display for Scores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "docs {} gold {} sys {} | strict P {:.3} R {:.3} F1 {:.3} | relaxed P {:.3} R {:.3} F1 {:.3} | value P {:.3} R {:.3} F1 {:.3} | type acc {:.3}",
            self.docs, self.gold, self.system, self.strict_p, self.strict_r, self.strict_f1,
            self.relaxed_p, self.relaxed_r, self.relaxed_f1, self.value_p, self.value_r,
            self.value_f1, self.type_accuracy
        )
    }
}

/// Tag and score documents. `mode`: fixed mode, or `None` to let the tagger choose per
/// document. Documents without a DCT get one from [`crate::TimeTagger::infer_dct`].
pub fn eval_docs(
    tagger: &crate::TimeTagger,
    docs: &[crate::timeml::TimemlDoc],
    lang: &str,
    mode: Option<crate::Mode>,
) -> Scores {
    let mut acc = Scores::default();
    for d in docs {
        let sys = tag_doc(tagger, d, lang, mode);
        score_doc(&d.timexes, &sys, &mut acc);
    }
    acc.finish();
    acc
}

/// Tag one gold document's text the way [`eval_docs`] does.
pub fn tag_doc(
    tagger: &crate::TimeTagger,
    d: &crate::timeml::TimemlDoc,
    lang: &str,
    mode: Option<crate::Mode>,
) -> Vec<Time> {
    let dct = d
        .dct
        .clone()
        .or_else(|| tagger.infer_dct(&d.text, lang).map(|(v, _)| v));
    let mode = mode.unwrap_or_else(|| tagger.choose_mode(&d.text, lang, dct.as_deref()));
    tagger.tag(&d.text, &[], lang, dct.as_deref(), mode)
}

/// Score system annotations that come as TimeML files themselves (e.g. HeidelTime's
/// output): pairs of (gold, system) documents with the same text.
pub fn score_pairs(pairs: &[(crate::timeml::TimemlDoc, crate::timeml::TimemlDoc)]) -> Scores {
    let mut acc = Scores::default();
    for (g, s) in pairs {
        let sys: Vec<Time> = s
            .timexes
            .iter()
            .map(|t| Time {
                text: s.text.get(t.start..t.end).unwrap_or("").to_string(),
                start: t.start,
                end: t.end,
                kind: t.kind.clone(),
                value: t.value.clone(),
            })
            .collect();
        score_doc(&g.timexes, &sys, &mut acc);
    }
    acc.finish();
    acc
}
