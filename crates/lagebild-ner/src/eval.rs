//! Exact-span evaluation with conlleval semantics: a chunk starts at `B-X`, or at `I-X`
//! after `O` or a different type; a predicted chunk counts only if its start, end and type
//! all equal a gold chunk's.

use std::collections::BTreeMap;
use std::fmt;

use crate::corpus::split_label;

/// Chunks `(start, end_exclusive, type)` of a BIO label sequence (conlleval rules).
pub fn chunks<S: AsRef<str>>(labels: &[S]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, l) in labels.iter().enumerate() {
        let (p, t) = split_label(l.as_ref());
        let continues = p == "I" && open.as_ref().is_some_and(|(_, ot)| ot == t);
        if continues {
            continue;
        }
        if let Some((s, ot)) = open.take() {
            out.push((s, i, ot));
        }
        if p != "O" {
            open = Some((i, t.to_string()));
        }
    }
    if let Some((s, ot)) = open {
        out.push((s, labels.len(), ot));
    }
    out
}

/// Counts per type (the shared precision/recall counter).
pub type Counts = lagebild_model::Prf;

/// Evaluation report: per-type and overall counts plus token accuracy.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub per_type: BTreeMap<String, Counts>,
    pub overall: Counts,
    pub tokens: usize,
    pub tokens_correct: usize,
    pub sentences: usize,
}

impl Report {
    pub fn new() -> Self {
        Self::default()
    }

    /// Tags `sents` document by document with `model` (see [`crate::NerModel::tag_document`])
    /// and adds every sentence; with `four`, `deriv`/`part` chunks become `O` first.
    /// Returns the predicted labels per sentence (as tagged, before any mapping).
    pub fn add_tagged(
        &mut self,
        model: &crate::NerModel,
        sents: &[crate::corpus::Sentence],
        four: bool,
    ) -> Vec<Vec<String>> {
        let mut all = Vec::with_capacity(sents.len());
        for doc in crate::corpus::documents(sents) {
            let words: Vec<Vec<&str>> = doc
                .iter()
                .map(|s| s.words.iter().map(String::as_str).collect())
                .collect();
            for (s, pred) in doc.iter().zip(model.tag_document(&words)) {
                let (mut gold, mut mapped) = (s.labels.clone(), pred.clone());
                if four {
                    crate::corpus::to_four_classes(&mut mapped);
                    crate::corpus::to_four_classes(&mut gold);
                }
                self.add(&gold, &mapped);
                all.push(pred);
            }
        }
        all
    }

    /// Adds one sentence's gold and predicted labels.
    pub fn add<S: AsRef<str>, T: AsRef<str>>(&mut self, gold: &[S], pred: &[T]) {
        self.sentences += 1;
        self.tokens += gold.len();
        self.tokens_correct += gold
            .iter()
            .zip(pred)
            .filter(|(g, p)| g.as_ref() == p.as_ref())
            .count();
        let g = chunks(gold);
        let p = chunks(pred);
        for c in &g {
            let e = self.per_type.entry(c.2.clone()).or_default();
            if p.contains(c) {
                e.tp += 1;
                self.overall.tp += 1;
            } else {
                e.fn_ += 1;
                self.overall.fn_ += 1;
            }
        }
        for c in &p {
            if !g.contains(c) {
                self.per_type.entry(c.2.clone()).or_default().fp += 1;
                self.overall.fp += 1;
            }
        }
    }

    pub fn accuracy(&self) -> f64 {
        lagebild_model::ratio(self.tokens_correct, self.tokens)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} sentences, {} tokens, token accuracy {:.2}%",
            self.sentences,
            self.tokens,
            100.0 * self.accuracy()
        )?;
        writeln!(
            f,
            "{:<10} {:>6} {:>6} {:>6} {:>8} {:>8} {:>8}",
            "type", "gold", "pred", "tp", "P", "R", "F1"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, c: &Counts| {
            writeln!(
                f,
                "{:<10} {:>6} {:>6} {:>6} {:>7.2}% {:>7.2}% {:>7.2}%",
                name,
                c.tp + c.fn_,
                c.tp + c.fp,
                c.tp,
                100.0 * c.precision(),
                100.0 * c.recall(),
                100.0 * c.f1()
            )
        };
        for (t, c) in &self.per_type {
            row(f, t, c)?;
        }
        row(f, "overall", &self.overall)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_rules() {
        let l = ["B-PER", "I-PER", "I-LOC", "O", "I-ORG", "B-ORG", "I-ORG"];
        assert_eq!(
            chunks(&l),
            vec![
                (0, 2, "PER".to_string()),
                (2, 3, "LOC".to_string()),
                (4, 5, "ORG".to_string()),
                (5, 7, "ORG".to_string())
            ]
        );
    }

    #[test]
    fn hand_computed_counts() {
        let mut r = Report::new();
        // gold: PER(0..2) LOC(3..4); pred: PER(0..1) LOC(3..4) ORG(5..6)
        let gold = ["B-PER", "I-PER", "O", "B-LOC", "O", "O"];
        let pred = ["B-PER", "O", "O", "B-LOC", "O", "B-ORG"];
        r.add(&gold, &pred);
        assert_eq!(
            r.overall,
            Counts {
                tp: 1,
                fp: 2,
                fn_: 1
            }
        );
        assert_eq!(
            r.per_type["PER"],
            Counts {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!(
            r.per_type["LOC"],
            Counts {
                tp: 1,
                fp: 0,
                fn_: 0
            }
        );
        assert_eq!(
            r.per_type["ORG"],
            Counts {
                tp: 0,
                fp: 1,
                fn_: 0
            }
        );
        assert!((r.overall.precision() - 1.0 / 3.0).abs() < 1e-9);
        assert!((r.overall.recall() - 0.5).abs() < 1e-9);
        assert!((r.overall.f1() - 0.4).abs() < 1e-9);
        assert_eq!(r.tokens_correct, 4);
        let shown = r.to_string();
        assert!(shown.contains("overall"));
    }

    #[test]
    fn empty_is_fine() {
        let mut r = Report::new();
        r.add::<&str, &str>(&[], &[]);
        assert_eq!(r.overall.f1(), 0.0);
    }
}
