//! Near-duplicate fingerprints and their incremental index.
//!
//! Two fingerprints per document:
//!
//! * **text**: a MinHash signature ([`TEXT_HASHES`] values) of the set of word
//!   3-shingles over the document's content words (lower-cased, function words
//!   dropped), with the size of that set. Candidates come from LSH banding
//!   ([`TEXT_BANDS`] bands of 2 values); a candidate is accepted when the
//!   estimated *containment* of the smaller shingle set in the larger is at
//!   least [`Config::dup_containment`] (0.5). Containment rather than Jaccard,
//!   because a truncated or shortened copy (a teaser, a syndicated copy without
//!   the last paragraphs) has a low Jaccard similarity to its original but
//!   still lies inside it.
//! * **translation**: the set of language-independent facts of the document:
//!   canonical entity ids, numbers of two digits or more (separators dropped),
//!   absolute time values, quote speakers and event types. A German article and
//!   its English translation share most of them, while their words share
//!   nothing. Used only between documents of different languages: MinHash
//!   ([`FEATURE_HASHES`] values, bands of 2) for candidates, then the exact
//!   Jaccard similarity of the two sets must reach
//!   [`Config::translation_jaccard`] (0.6), both sets must hold at least
//!   [`Config::translation_min_features`] (10) facts, and the publication
//!   dates (when both are known) must lie within
//!   [`Config::translation_days`] (3) days.

use std::collections::{BTreeSet, HashMap};

use lagebild_model::Document;
use serde::{Deserialize, Serialize};

use crate::text::{self, hash_str, mix64};
use crate::Config;

/// MinHash values of the text signature.
pub const TEXT_HASHES: usize = 128;
/// LSH bands over the text signature (`TEXT_HASHES / TEXT_BANDS` rows each).
pub const TEXT_BANDS: usize = 64;
/// MinHash values of the translation signature.
pub const FEATURE_HASHES: usize = 64;
/// LSH bands over the translation signature.
pub const FEATURE_BANDS: usize = 32;
/// Words per shingle.
pub const SHINGLE: usize = 3;
/// Most documents looked at per LSH bucket (bounds the cost of a bucket that
/// very many documents share, e.g. through a boilerplate phrase the cleaner
/// missed).
const BUCKET_SCAN: usize = 64;

/// The near-duplicate fingerprint of one document. Small (about 800 bytes) and
/// serialisable, so it can be stored beside the document and the index rebuilt
/// from it without re-analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub doc_id: String,
    pub language: String,
    /// Publication day (days since 1970-01-01), if known.
    pub day: Option<i32>,
    /// Size of the shingle set.
    pub shingles: u32,
    /// MinHash of the shingle set (empty when the text has no words).
    pub text: Vec<u32>,
    /// Sorted hashes of the language-independent facts.
    pub features: Vec<u64>,
}

/// How a duplicate was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DupKind {
    /// The same text (same language), possibly cut, extended or reworded.
    Copy,
    /// The same facts in another language.
    Translation,
}

/// A near-duplicate found for a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DupMatch {
    /// The original: the earliest indexed document of the group.
    pub original: String,
    /// The indexed document that matched (the original or one of its copies).
    pub matched: String,
    pub kind: DupKind,
    /// Estimated containment (copies) or Jaccard similarity of the facts
    /// (translations).
    pub score: f32,
}

/// Multiplier/offset pairs of the MinHash permutations, fixed (generated from
/// a constant seed) so that signatures are comparable across runs and builds.
fn permutations(n: usize, seed: u64) -> Vec<(u64, u64)> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = mix64(s);
            let a = s | 1;
            s = mix64(s);
            (a, s)
        })
        .collect()
}

fn minhash(items: &[u64], perms: &[(u64, u64)]) -> Vec<u32> {
    if items.is_empty() {
        return Vec::new();
    }
    let mut sig = vec![u32::MAX; perms.len()];
    for &x in items {
        for (slot, &(a, b)) in sig.iter_mut().zip(perms) {
            let v = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
            if v < *slot {
                *slot = v;
            }
        }
    }
    sig
}

fn text_perms() -> &'static [(u64, u64)] {
    static P: std::sync::OnceLock<Vec<(u64, u64)>> = std::sync::OnceLock::new();
    P.get_or_init(|| permutations(TEXT_HASHES, 0x6c61_6765_6269_6c64))
}

fn feature_perms() -> &'static [(u64, u64)] {
    static P: std::sync::OnceLock<Vec<(u64, u64)>> = std::sync::OnceLock::new();
    P.get_or_init(|| permutations(FEATURE_HASHES, 0x7472_616e_736c_6174))
}

/// The shingle hashes of a text: sorted, deduplicated.
pub fn shingles(text: &str) -> Vec<u64> {
    let words: Vec<u64> = text::words(text)
        .filter(|w| !text::is_stopword(w))
        .map(|w| hash_str(&w))
        .collect();
    let mut out: Vec<u64> = if words.len() < SHINGLE {
        if words.is_empty() {
            Vec::new()
        } else {
            vec![words.iter().fold(0, |h, &w| mix64(h ^ w))]
        }
    } else {
        words
            .windows(SHINGLE)
            .map(|w| w.iter().fold(0u64, |h, &x| mix64(h.rotate_left(17) ^ x)))
            .collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// The language-independent facts of a document (as strings, sorted), the
/// input of the translation fingerprint.
pub fn facts(doc: &Document) -> BTreeSet<String> {
    let mut f = BTreeSet::new();
    for e in &doc.entities {
        f.insert(format!("e:{}", e.id));
    }
    for w in text::words(&doc.text) {
        if let Some(n) = text::number_key(&w) {
            f.insert(format!("n:{n}"));
        }
    }
    for t in &doc.times {
        if t.value.starts_with(|c: char| c.is_ascii_digit()) {
            f.insert(format!("t:{}", t.value));
        }
    }
    for q in &doc.quotes {
        if let Some(s) = &q.speaker {
            f.insert(format!("q:{s}"));
        }
    }
    for ev in &doc.events {
        f.insert(format!("v:{}", ev.kind));
    }
    f
}

impl Fingerprint {
    /// The fingerprint of an analysed document.
    pub fn of(doc: &Document) -> Fingerprint {
        let sh = shingles(&doc.text);
        let mut features: Vec<u64> = facts(doc).iter().map(|s| hash_str(s)).collect();
        features.sort_unstable();
        features.dedup();
        Fingerprint {
            doc_id: doc.id.clone(),
            language: doc.language.clone(),
            day: doc.published.as_deref().and_then(text::day_number),
            shingles: u32::try_from(sh.len()).unwrap_or(u32::MAX),
            text: minhash(&sh, text_perms()),
            features,
        }
    }

    /// The estimated Jaccard similarity of two text signatures.
    pub fn text_jaccard(&self, other: &Fingerprint) -> f32 {
        if self.text.len() != TEXT_HASHES || other.text.len() != TEXT_HASHES {
            return 0.0;
        }
        let same = self
            .text
            .iter()
            .zip(&other.text)
            .filter(|(a, b)| a == b)
            .count();
        same as f32 / TEXT_HASHES as f32
    }

    /// The estimated containment of the smaller shingle set in the larger:
    /// `|A ∩ B| = J (|A| + |B|) / (1 + J)`, divided by `min(|A|, |B|)`.
    pub fn containment(&self, other: &Fingerprint) -> f32 {
        let j = self.text_jaccard(other);
        let (a, b) = (self.shingles as f32, other.shingles as f32);
        let small = a.min(b);
        if small <= 0.0 {
            return 0.0;
        }
        (j * (a + b) / (1.0 + j) / small).min(1.0)
    }

    /// The exact Jaccard similarity of the two fact sets.
    pub fn feature_jaccard(&self, other: &Fingerprint) -> f32 {
        let (a, b) = (&self.features, &other.features);
        if a.is_empty() || b.is_empty() {
            return 0.0;
        }
        let (mut i, mut j, mut inter) = (0, 0, 0usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    inter += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        inter as f32 / (a.len() + b.len() - inter) as f32
    }

    fn text_bands(&self) -> impl Iterator<Item = u32> + '_ {
        band_keys(&self.text, TEXT_BANDS, 0)
    }

    fn feature_bands(&self) -> Vec<u32> {
        let sig = minhash(&self.features, feature_perms());
        band_keys(&sig, FEATURE_BANDS, 1).collect()
    }
}

/// One 32-bit key per band (band number and rows hashed together). Keys of
/// different bands may collide; a collision only adds a candidate, which the
/// check then rejects.
fn band_keys(sig: &[u32], bands: usize, kind: u64) -> impl Iterator<Item = u32> + '_ {
    let rows = if sig.is_empty() { 1 } else { sig.len() / bands };
    sig.chunks_exact(rows)
        .take(bands)
        .enumerate()
        .map(move |(b, chunk)| {
            let mut h = mix64((kind << 32) ^ b as u64);
            for &v in chunk {
                h = mix64(h ^ u64::from(v));
            }
            h as u32
        })
}

/// Bucket heads and a next-pointer chain per (document, band): compact for
/// many documents (about 8 bytes per band and document).
#[derive(Debug, Default, Clone)]
struct Lsh {
    head: HashMap<u32, u32>,
    next: Vec<u32>,
    bands: usize,
}

const NIL: u32 = u32::MAX;

impl Lsh {
    fn new(bands: usize) -> Lsh {
        Lsh {
            bands,
            ..Lsh::default()
        }
    }

    fn insert(&mut self, doc: u32, keys: impl Iterator<Item = u32>) {
        let base = doc as usize * self.bands;
        if self.next.len() < base + self.bands {
            self.next.resize(base + self.bands, NIL);
        }
        for (b, key) in keys.enumerate().take(self.bands) {
            let prev = self.head.insert(key, (base + b) as u32).unwrap_or(NIL);
            self.next[base + b] = prev;
        }
    }

    /// Documents sharing a band key, most recent first per bucket, deduplicated
    /// and sorted.
    fn candidates(&self, keys: impl Iterator<Item = u32>) -> Vec<u32> {
        let mut out = Vec::new();
        for key in keys {
            let mut at = self.head.get(&key).copied().unwrap_or(NIL);
            let mut seen = 0;
            while at != NIL && seen < BUCKET_SCAN {
                out.push(at / self.bands as u32);
                at = self.next[at as usize];
                seen += 1;
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[derive(Debug, Clone)]
struct Entry {
    fp: Fingerprint,
    /// Index of the group's original (itself for an original).
    root: u32,
}

/// The incremental near-duplicate index.
///
/// Feed documents in arrival order with [`DupIndex::add`]; each is compared
/// with the earlier ones through the LSH buckets only (no all-pairs) and then
/// indexed itself, duplicates included (a later copy may be closer to an
/// earlier copy than to the original), pointing to their group's original.
#[derive(Debug, Clone)]
pub struct DupIndex {
    cfg: Config,
    entries: Vec<Entry>,
    text: Lsh,
    features: Lsh,
    by_id: HashMap<String, u32>,
}

impl DupIndex {
    pub fn new(cfg: Config) -> DupIndex {
        DupIndex {
            cfg,
            entries: Vec::new(),
            text: Lsh::new(TEXT_BANDS),
            features: Lsh::new(FEATURE_BANDS),
            by_id: HashMap::new(),
        }
    }

    /// Number of indexed documents.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The fingerprints in the order they were added (what to persist; feeding
    /// them to a new index with [`DupIndex::add`] rebuilds this one).
    pub fn fingerprints(&self) -> impl Iterator<Item = &Fingerprint> {
        self.entries.iter().map(|e| &e.fp)
    }

    /// The best earlier near-duplicate of `fp`, if any, without indexing it.
    pub fn find(&self, fp: &Fingerprint) -> Option<DupMatch> {
        self.find_with_bands(fp, &fp.feature_bands())
    }

    fn find_with_bands(&self, fp: &Fingerprint, fbands: &[u32]) -> Option<DupMatch> {
        let cfg = &self.cfg;
        let mut best: Option<(f32, u32, DupKind)> = None;
        let mut consider = |score: f32, i: u32, kind: DupKind| {
            // Higher score wins; on a tie the earlier document.
            if best.is_none_or(|(s, j, _)| score > s || (score == s && i < j)) {
                best = Some((score, i, kind));
            }
        };
        if fp.text.len() == TEXT_HASHES {
            for i in self.text.candidates(fp.text_bands()) {
                let other = &self.entries[i as usize].fp;
                if other.doc_id == fp.doc_id || other.text.len() != TEXT_HASHES {
                    continue;
                }
                let small = fp.shingles.min(other.shingles);
                let c = fp.containment(other);
                let j = fp.text_jaccard(other);
                // Very short texts: the estimate is too coarse for containment;
                // ask for near equality.
                let ok = if small < cfg.dup_min_shingles {
                    j >= cfg.dup_short_jaccard
                } else {
                    c >= cfg.dup_containment
                };
                if ok {
                    consider(c, i, DupKind::Copy);
                }
            }
        }
        if fp.features.len() >= cfg.translation_min_features {
            for i in self.features.candidates(fbands.iter().copied()) {
                let other = &self.entries[i as usize].fp;
                if other.doc_id == fp.doc_id
                    || other.language == fp.language
                    || other.features.len() < cfg.translation_min_features
                {
                    continue;
                }
                if let (Some(a), Some(b)) = (fp.day, other.day) {
                    if (a - b).abs() > cfg.translation_days {
                        continue;
                    }
                }
                let j = fp.feature_jaccard(other);
                if j >= cfg.translation_jaccard {
                    // Ranked below any copy: a copy is the stronger evidence.
                    consider(j - 1.0, i, DupKind::Translation);
                }
            }
        }
        best.map(|(score, i, kind)| {
            let e = &self.entries[i as usize];
            DupMatch {
                original: self.entries[e.root as usize].fp.doc_id.clone(),
                matched: e.fp.doc_id.clone(),
                kind,
                score: if kind == DupKind::Translation {
                    score + 1.0
                } else {
                    score
                },
            }
        })
    }

    /// Looks `fp` up among the earlier documents, then indexes it. Returns the
    /// duplicate match, if any. A document id already indexed is not indexed
    /// twice: its earlier answer is returned again.
    pub fn add(&mut self, fp: Fingerprint) -> Option<DupMatch> {
        if let Some(&i) = self.by_id.get(&fp.doc_id) {
            let e = &self.entries[i as usize];
            if e.root == i {
                return None;
            }
            let orig = self.entries[e.root as usize].fp.doc_id.clone();
            return Some(DupMatch {
                original: orig.clone(),
                matched: orig,
                kind: DupKind::Copy,
                score: 1.0,
            });
        }
        let fbands = fp.feature_bands();
        let found = self.find_with_bands(&fp, &fbands);
        let idx = self.entries.len() as u32;
        let root = found
            .as_ref()
            .and_then(|m| self.by_id.get(&m.original).copied())
            .unwrap_or(idx);
        if fp.text.len() == TEXT_HASHES {
            self.text.insert(idx, fp.text_bands());
        }
        if fp.features.len() >= self.cfg.translation_min_features {
            self.features.insert(idx, fbands.into_iter());
        }
        self.by_id.insert(fp.doc_id.clone(), idx);
        self.entries.push(Entry { fp, root });
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, lang: &str, text: &str) -> Document {
        Document {
            id: id.into(),
            language: lang.into(),
            text: text.into(),
            published: Some("2024-05-02".into()),
            ..Document::default()
        }
    }

    const A: &str = "Die Landesregierung von Kärnten hat am Dienstag ein neues Programm zur \
        Förderung der Wärmedämmung alter Bauernhäuser beschlossen. Gefördert werden \
        Fenster, Dachböden und Heizungen, sofern die Gebäude vor 1960 errichtet wurden. \
        Der zuständige Landesrat rechnet mit rund 4.000 Anträgen im ersten Jahr. Kritik \
        kam von der Opposition, die eine Ausweitung auf Mietwohnungen in den Städten \
        fordert. Die Wirtschaftskammer begrüßte den Beschluss, weil regionale \
        Handwerksbetriebe von den Aufträgen profitieren dürften. Anträge können ab Juli \
        bei den Bezirkshauptmannschaften eingebracht werden.";

    const B: &str = "Die Stadt Graz baut ihr Radwegnetz weiter aus. Bis zum Herbst sollen \
        zwölf Kilometer neuer Radwege entstehen, vor allem entlang der Mur und in den \
        Bezirken im Süden. Die Verkehrsstadträtin sprach von einem wichtigen Schritt für \
        den Klimaschutz. Autofahrerclubs warnen dagegen vor dem Wegfall von Parkplätzen \
        in der Innenstadt. Die Kosten von 9 Millionen Euro tragen Stadt und Land \
        gemeinsam.";

    #[test]
    fn a_copy_with_other_boilerplate_and_a_cut_end_is_found() {
        let mut idx = DupIndex::new(Config::default());
        assert_eq!(idx.add(Fingerprint::of(&doc("a", "de", A))), None);
        assert_eq!(idx.add(Fingerprint::of(&doc("b", "de", B))), None);
        // Boilerplate before, the last two sentences cut, one word changed.
        let cut = A.split(". ").take(4).collect::<Vec<_>>().join(". ");
        let copy = format!(
            "Teilen auf Facebook | Drucken. {}",
            cut.replace("beschlossen", "verabschiedet")
        );
        let m = idx
            .add(Fingerprint::of(&doc("c", "de", &copy)))
            .expect("a copy");
        assert_eq!((m.original.as_str(), m.kind), ("a", DupKind::Copy));
        // A copy of the copy points to the original.
        let m = idx
            .add(Fingerprint::of(&doc("d", "de", &copy)))
            .expect("a copy of the copy");
        assert_eq!(m.original, "a");
        assert_eq!(idx.len(), 4);
    }

    #[test]
    fn a_different_article_is_not_a_duplicate() {
        let mut idx = DupIndex::new(Config::default());
        idx.add(Fingerprint::of(&doc("a", "de", A)));
        assert_eq!(idx.find(&Fingerprint::of(&doc("b", "de", B))), None);
        // Nothing, and an empty text, are never duplicates.
        idx.add(Fingerprint::of(&doc("e", "de", "")));
        assert_eq!(idx.find(&Fingerprint::of(&doc("f", "de", ""))), None);
    }

    #[test]
    fn containment_estimate_tracks_truth() {
        let a = Fingerprint::of(&doc("a", "de", A));
        let half: String = A.chars().take(A.len() / 2).collect();
        let h = Fingerprint::of(&doc("h", "de", &half));
        assert!(h.shingles < a.shingles);
        assert!(a.containment(&h) > 0.7, "{}", a.containment(&h));
        assert!(a.text_jaccard(&h) < 0.8);
    }

    #[test]
    fn translations_match_on_facts_only_across_languages() {
        use crate::testutil::{entity, time};
        let mut de = doc("de1", "de", "Am 3. Mai trafen sich 12 Minister, 4.500 Polizisten, 2.000 Gäste; 17 Länder, 250 Journalisten, 38 Delegationen.");
        for id in ["gpe:AUT", "gpe:DEU", "per:a", "per:b", "org:eu"] {
            entity(&mut de, id, "Minister");
        }
        time(&mut de, "3. Mai", "2024-05-03");
        let mut en = de.clone();
        en.id = "en1".into();
        en.language = "en".into();
        en.text = "On 3 May 12 ministers, 4,500 police officers, 2,000 guests; 17 countries, 250 journalists and 38 delegations met.".into();
        let mut idx = DupIndex::new(Config::default());
        idx.add(Fingerprint::of(&de));
        let m = idx.add(Fingerprint::of(&en)).expect("translation");
        assert_eq!((m.original.as_str(), m.kind), ("de1", DupKind::Translation));
        // The same facts in the same language are not a translation.
        let mut de2 = de.clone();
        de2.id = "de2".into();
        de2.text = "Ganz andere Worte: 12 4.500 2.000 17 250 38".into();
        let mut only_de = DupIndex::new(Config::default());
        only_de.add(Fingerprint::of(&de));
        assert_eq!(only_de.find(&Fingerprint::of(&de2)), None);
        // Too few facts: never a translation.
        let mut en2 = en.clone();
        en2.id = "en2".into();
        en2.text = "Ministers met.".into();
        en2.times.clear();
        assert_eq!(idx.find(&Fingerprint::of(&en2)), None);
    }
}
