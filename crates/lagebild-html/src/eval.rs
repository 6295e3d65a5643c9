//! Scoring extracted text against the gold of the public extraction
//! benchmarks, each by its own metric. Pure functions; the reading of the
//! benchmark files lives in the command-line program (`lagebild eval extract`).
//!
//! * [`snippets`]: the trafilatura evaluation — each `with` snippet found in
//!   the extracted text (whitespace-normalised, case-sensitive substring) is a
//!   true positive, each one missing a false negative; each `without` snippet
//!   found is a false positive, missing a true negative. Micro-averaged over
//!   pages ([`Counts`]).
//! * [`shingles`]: the Zyte (ScrapingHub) article-extraction benchmark —
//!   `\w+` tokens, multisets of 4-token shingles, per-page tp/fp/fn normalised
//!   to sum 1; precision is the mean over pages with `tp + fp > 0`, recall the
//!   mean over pages with `tp + fn > 0`, F1 from the two means
//!   ([`ShingleMean`]).
//! * [`bag_of_words_f1`]: WCXB — lower-case `\w+` bag-of-words F1 per page,
//!   averaged over pages.
//! * [`Counts::add_date`]: htmldate — the same day is a true positive, another
//!   day a false positive, no date a false negative.

use std::collections::HashMap;

/// True/false positives and negatives, micro-averaged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: u64,
    pub fp: u64,
    pub fn_: u64,
    pub tn: u64,
}

/// `num / den`, 0 when `den` is 0.
fn ratio(num: f64, den: f64) -> f64 {
    if den > 0.0 {
        num / den
    } else {
        0.0
    }
}

/// Harmonic mean of precision and recall (0 when both are 0).
pub fn f1(p: f64, r: f64) -> f64 {
    ratio(2.0 * p * r, p + r)
}

impl Counts {
    /// Add another page's counts.
    pub fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
        self.tn += o.tn;
    }

    pub fn precision(&self) -> f64 {
        ratio(self.tp as f64, (self.tp + self.fp) as f64)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.tp as f64, (self.tp + self.fn_) as f64)
    }

    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }

    /// (tp + tn) / all.
    pub fn accuracy(&self) -> f64 {
        ratio(
            (self.tp + self.tn) as f64,
            (self.tp + self.tn + self.fp + self.fn_) as f64,
        )
    }

    /// Score one publication date, htmldate style: `gold` and `found` as
    /// `YYYY-MM-DD` (anything after the day is ignored). The same day is a true
    /// positive, another day a false positive, none found a false negative. A
    /// page without a gold date counts a found date as a false positive and no
    /// date as a true negative.
    pub fn add_date(&mut self, found: Option<&str>, gold: Option<&str>) {
        let day = |s: &str| s.trim().get(..10).map(str::to_string);
        match (found.and_then(day), gold.and_then(day)) {
            (Some(f), Some(g)) if f == g => self.tp += 1,
            (Some(_), _) => self.fp += 1,
            (None, Some(_)) => self.fn_ += 1,
            (None, None) => self.tn += 1,
        }
    }
}

/// Collapse whitespace runs to one space and trim.
pub fn normalize_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Score one page by the trafilatura evaluation's snippet rule (see the
/// module docs). `text` is the extracted text (`None`: nothing extracted).
pub fn snippets(text: Option<&str>, with: &[String], without: &[String]) -> Counts {
    let mut c = Counts::default();
    let norm = text.map(normalize_ws);
    for s in with {
        let s = normalize_ws(s);
        match &norm {
            Some(t) if t.contains(&s) => c.tp += 1,
            _ => c.fn_ += 1,
        }
    }
    for s in without {
        let s = normalize_ws(s);
        match &norm {
            Some(t) if t.contains(&s) => c.fp += 1,
            _ => c.tn += 1,
        }
    }
    c
}

/// `\w+` tokens (Unicode letters, digits and `_`).
pub fn word_tokens(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
}

fn shingle_counts(s: &str, n: usize) -> HashMap<String, u32> {
    let toks: Vec<&str> = word_tokens(s).collect();
    let mut m = HashMap::new();
    if toks.is_empty() {
        return m;
    }
    if toks.len() < n {
        *m.entry(toks.join(" ")).or_insert(0) += 1;
        return m;
    }
    for w in toks.windows(n) {
        *m.entry(w.join(" ")).or_insert(0) += 1;
    }
    m
}

/// One page by the Zyte metric: `(tp, fp, fn)` over 4-token shingle
/// multisets, normalised to sum 1 (all 0 when both texts have no token).
pub fn shingles(pred: &str, gold: &str) -> (f64, f64, f64) {
    let p = shingle_counts(pred, 4);
    let g = shingle_counts(gold, 4);
    let (mut tp, mut fp, mut fn_) = (0u64, 0u64, 0u64);
    for (k, &gc) in &g {
        let pc = p.get(k).copied().unwrap_or(0);
        tp += u64::from(gc.min(pc));
        fn_ += u64::from(gc.saturating_sub(pc));
    }
    for (k, &pc) in &p {
        let gc = g.get(k).copied().unwrap_or(0);
        fp += u64::from(pc.saturating_sub(gc));
    }
    let s = (tp + fp + fn_) as f64;
    if s == 0.0 {
        return (0.0, 0.0, 0.0);
    }
    (tp as f64 / s, fp as f64 / s, fn_ as f64 / s)
}

/// Page means of the Zyte metric.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ShingleMean {
    p_sum: f64,
    p_n: u64,
    r_sum: f64,
    r_n: u64,
    /// Pages added.
    pub pages: u64,
}

impl ShingleMean {
    /// Add one page's normalised `(tp, fp, fn)` from [`shingles`].
    pub fn add(&mut self, (tp, fp, fn_): (f64, f64, f64)) {
        self.pages += 1;
        if tp + fp > 0.0 {
            self.p_sum += tp / (tp + fp);
            self.p_n += 1;
        }
        if tp + fn_ > 0.0 {
            self.r_sum += tp / (tp + fn_);
            self.r_n += 1;
        }
    }

    pub fn precision(&self) -> f64 {
        ratio(self.p_sum, self.p_n as f64)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.r_sum, self.r_n as f64)
    }

    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }
}

/// WCXB: lower-case `\w+` bag-of-words `(precision, recall, F1)` of one page.
/// An empty reference scores 1 for an empty prediction, else 0; an empty
/// prediction for a non-empty reference scores 0.
pub fn bag_of_words(pred: &str, gold: &str) -> (f64, f64, f64) {
    let bag = |s: &str| {
        let mut m: HashMap<String, u32> = HashMap::new();
        for t in word_tokens(s) {
            *m.entry(t.to_lowercase()).or_insert(0) += 1;
        }
        m
    };
    let (p, g) = (bag(pred), bag(gold));
    let (np, ng): (u32, u32) = (p.values().sum(), g.values().sum());
    if ng == 0 {
        let v = if np == 0 { 1.0 } else { 0.0 };
        return (v, v, v);
    }
    if np == 0 {
        return (0.0, 0.0, 0.0);
    }
    let overlap: u32 = g
        .iter()
        .map(|(k, &c)| c.min(p.get(k).copied().unwrap_or(0)))
        .sum();
    let pr = f64::from(overlap) / f64::from(np);
    let rc = f64::from(overlap) / f64::from(ng);
    (pr, rc, f1(pr, rc))
}

/// WCXB's per-page F1 (see [`bag_of_words`]).
pub fn bag_of_words_f1(pred: &str, gold: &str) -> f64 {
    bag_of_words(pred, gold).2
}

/// Exact match of a metadata field after whitespace normalisation (titles,
/// authors). `None` matches nothing.
pub fn same_field(found: Option<&str>, gold: &str) -> bool {
    found.is_some_and(|f| normalize_ws(f) == normalize_ws(gold))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn snippet_rule() {
        let text = "Der  Bundestag hat\nbeschlossen.\n\nImpressum";
        let c = snippets(
            Some(text),
            &v(&["Der Bundestag hat beschlossen.", "fehlt"]),
            &v(&["Impressum", "Datenschutz"]),
        );
        assert_eq!(
            c,
            Counts {
                tp: 1,
                fp: 1,
                fn_: 1,
                tn: 1
            }
        );
        assert!((c.precision() - 0.5).abs() < 1e-9);
        assert!((c.f1() - 0.5).abs() < 1e-9);
        // Case-sensitive; nothing extracted: every with is missed.
        let c = snippets(Some("der bundestag"), &v(&["Der Bundestag"]), &[]);
        assert_eq!(c.fn_, 1);
        let c = snippets(None, &v(&["a", "b"]), &v(&["c"]));
        assert_eq!((c.tp, c.fn_, c.fp, c.tn), (0, 2, 0, 1));
    }

    #[test]
    fn shingle_metric() {
        let gold = "one two three four five";
        // Identical: all true positives.
        assert_eq!(shingles(gold, gold), (1.0, 0.0, 0.0));
        // Two gold shingles, prediction has one of them plus one extra.
        let (tp, fp, fn_) = shingles("zero one two three four", gold);
        assert!((tp - 1.0 / 3.0).abs() < 1e-9);
        assert!((fp - 1.0 / 3.0).abs() < 1e-9);
        assert!((fn_ - 1.0 / 3.0).abs() < 1e-9);
        // Short texts are one shingle; empty prediction is all false negative.
        assert_eq!(shingles("a b", "a b"), (1.0, 0.0, 0.0));
        assert_eq!(shingles("", gold), (0.0, 0.0, 1.0));
        let mut m = ShingleMean::default();
        m.add(shingles(gold, gold));
        m.add(shingles("", gold));
        // Precision only over pages with a prediction.
        assert!((m.precision() - 1.0).abs() < 1e-9);
        assert!((m.recall() - 0.5).abs() < 1e-9);
        assert!((m.f1() - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn tokens_are_unicode_words() {
        let t: Vec<&str> = word_tokens("Grüße, an_alle! 3,5 Mio.").collect();
        assert_eq!(t, ["Grüße", "an_alle", "3", "5", "Mio"]);
    }

    #[test]
    fn bag_of_words_metric() {
        assert!((bag_of_words_f1("The cat sat", "the CAT sat") - 1.0).abs() < 1e-9);
        let (p, r, f) = bag_of_words("a b c d", "a b");
        assert!((p - 0.5).abs() < 1e-9 && (r - 1.0).abs() < 1e-9);
        assert!((f - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(bag_of_words_f1("", ""), 1.0);
        assert_eq!(bag_of_words_f1("x", ""), 0.0);
        assert_eq!(bag_of_words_f1("", "x"), 0.0);
    }

    #[test]
    fn date_rule() {
        let mut c = Counts::default();
        c.add_date(Some("2024-11-01"), Some("2024-11-01"));
        c.add_date(Some("2024-11-02T10:00"), Some("2024-11-01"));
        c.add_date(None, Some("2024-11-01"));
        c.add_date(None, None);
        c.add_date(Some("2024-11-02"), None);
        assert_eq!((c.tp, c.fp, c.fn_, c.tn), (1, 2, 1, 1));
        assert!((c.precision() - 1.0 / 3.0).abs() < 1e-9);
        assert!((c.recall() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn fields() {
        assert!(same_field(Some(" Anna  Muster"), "Anna Muster"));
        assert!(!same_field(None, "Anna Muster"));
        assert!(!same_field(Some("anna muster"), "Anna Muster"));
    }
}
