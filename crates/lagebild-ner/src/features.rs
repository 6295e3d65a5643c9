//! Feature extraction: every feature is a 32-bit FNV-1a hash of a template id and the
//! bytes it looks at, computed incrementally (no string per feature).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

const FNV_OFFSET: u32 = 0x811c_9dc5;
const FNV_PRIME: u32 = 0x0100_0193;

/// Incremental FNV-1a (32-bit). Stable across platforms and Rust versions.
#[derive(Clone, Copy)]
pub struct Fnv(pub u32);

impl Fnv {
    #[inline]
    pub fn new(template: u8) -> Fnv {
        Fnv(FNV_OFFSET).byte(template)
    }
    #[inline]
    pub fn byte(self, b: u8) -> Fnv {
        Fnv((self.0 ^ b as u32).wrapping_mul(FNV_PRIME))
    }
    #[inline]
    pub fn bytes(mut self, bs: &[u8]) -> Fnv {
        for &b in bs {
            self = self.byte(b);
        }
        self
    }
    #[inline]
    pub fn u32(self, v: u32) -> Fnv {
        self.bytes(&v.to_le_bytes())
    }
}

/// FNV-1a of a string (used for lexicon and gazetteer keys).
pub fn fnv_str(s: &str) -> u32 {
    Fnv(FNV_OFFSET).bytes(s.as_bytes()).0
}

/// Hasher for keys that are already FNV-1a hashes: one multiplication spreads them over
/// the table (the default SipHash costs more than the rest of a lookup).
#[derive(Default, Clone, Copy)]
pub struct PreHashed(u64);

impl Hasher for PreHashed {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    #[inline]
    fn write_u32(&mut self, v: u32) {
        self.0 = (v as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Map keyed by a 32-bit hash.
pub type HashMap32<V> = HashMap<u32, V, BuildHasherDefault<PreHashed>>;
type HashSet32 = HashSet<u32, BuildHasherDefault<PreHashed>>;

/// Number of cluster granularities per word (coarse, middle, fine).
pub const CLUSTER_LEVELS: usize = 3;
/// Class id for a word without a cluster.
pub const NO_CLUSTER: u16 = u16::MAX;

/// Gazetteer categories.
pub const GAZ_CATS: [&str; 5] = ["LOC", "PER", "ORG", "ADJ", "DEM"];

/// Lookup resources embedded in the model: gazetteer phrases and the lexicon of words
/// seen in lower case in unlabelled text.
#[derive(Debug, Clone, Default)]
pub struct Resources {
    /// (category index, phrase) as stored in the model file.
    pub gaz_entries: Vec<(u8, String)>,
    /// Hash of the space-joined phrase → category bit set.
    gaz: HashMap32<u8>,
    /// Longest gazetteer phrase in tokens.
    gaz_max: usize,
    /// Hashes of words seen written in lower case.
    pub lower_seen: Vec<u32>,
    lower_set: HashSet32,
    /// (hash of the exact word, code) from silver-annotated text: code = dominant type
    /// (1 PER, 2 LOC, 3 ORG, 4 MISC) | share bucket << 3 | mostly-inside << 5.
    pub ent_entries: Vec<(u32, u8)>,
    ent: HashMap32<u8>,
    /// (hash of the exact word, class at each granularity) from unlabelled text, see
    /// [`crate::clusters`].
    pub cluster_entries: Vec<(u32, [u16; CLUSTER_LEVELS])>,
    clusters: HashMap32<[u16; CLUSTER_LEVELS]>,
}

impl Resources {
    pub fn new(
        mut gaz_entries: Vec<(u8, String)>,
        mut lower_seen: Vec<u32>,
        mut ent_entries: Vec<(u32, u8)>,
        mut cluster_entries: Vec<(u32, [u16; CLUSTER_LEVELS])>,
    ) -> Resources {
        cluster_entries.sort_unstable();
        cluster_entries.dedup_by_key(|e| e.0);
        let clusters = cluster_entries.iter().copied().collect();
        ent_entries.sort_unstable();
        ent_entries.dedup_by_key(|e| e.0);
        let ent = ent_entries.iter().copied().collect();
        gaz_entries.sort();
        gaz_entries.dedup();
        lower_seen.sort_unstable();
        lower_seen.dedup();
        let mut gaz = HashMap32::default();
        let mut gaz_max = 0;
        for (c, p) in &gaz_entries {
            let n = p.split(' ').filter(|t| !t.is_empty()).count();
            if n == 0 {
                continue;
            }
            gaz_max = gaz_max.max(n);
            let mut h = Fnv(FNV_OFFSET);
            for (k, t) in p.split(' ').filter(|t| !t.is_empty()).enumerate() {
                if k > 0 {
                    h = h.byte(b' ');
                }
                h = h.bytes(t.as_bytes());
            }
            *gaz.entry(h.0).or_insert(0u8) |= 1 << c;
        }
        let lower_set = lower_seen.iter().copied().collect();
        Resources {
            gaz_entries,
            gaz,
            gaz_max: gaz_max.min(6),
            lower_seen,
            lower_set,
            ent_entries,
            ent,
            cluster_entries,
            clusters,
        }
    }
}

/// What the tagger said earlier in the same document about capitalised words: per word,
/// how often each entity type (label-set type index, `0` = outside) was given to it. A
/// name introduced in full (*Gerhard Berger*) is then recognised when it comes back
/// alone or in an upper-case headline.
#[derive(Default, Clone)]
pub struct History {
    seen: HashMap32<[u16; HISTORY_TYPES]>,
}

/// Type indices kept by [`History`] (larger ones are not recorded).
pub const HISTORY_TYPES: usize = 16;
/// "No earlier use" in history features.
const NO_HISTORY: u8 = 255;

/// The lower-case form every feature and lexicon key uses, char by char.
pub fn lower_chars(w: &str) -> impl Iterator<Item = char> + '_ {
    w.chars().flat_map(char::to_lowercase)
}

/// FNV-1a of a word's lower-case form (what [`observe`] stores in `lower_h`), without
/// building the string.
pub fn lower_hash(w: &str) -> u32 {
    let mut h = Fnv(FNV_OFFSET);
    let mut buf = [0u8; 4];
    for c in lower_chars(w) {
        h = h.bytes(c.encode_utf8(&mut buf).as_bytes());
    }
    h.0
}

/// Contexts kept per word in [`Contexts`].
const MAX_CONTEXTS: usize = 8;

/// Where a document's capitalised words stand, collected before tagging so every
/// occurrence of a name sees the contexts of the others (*Mr. Berg* in one sentence,
/// *Berg said* in another): (word, lower-case word before, after), sorted by word,
/// only words seen in two contexts or more.
#[derive(Default, Clone)]
pub struct Contexts {
    entries: Vec<(u32, u32, u32)>,
}

impl Contexts {
    /// The contexts of a whole document (its sentences' words), finished.
    pub fn of_document<S: AsRef<[W]>, W: AsRef<str>>(sentences: &[S]) -> Contexts {
        let mut c = Contexts::default();
        for words in sentences {
            c.add_sentence(words.as_ref());
        }
        c.finish();
        c
    }

    /// Records the words around each capitalised word of one of the document's
    /// sentences (see [`Contexts::of_document`]).
    fn add_sentence<W: AsRef<str>>(&mut self, words: &[W]) {
        let pad = fnv_str(PAD);
        let n = words.len();
        let lower = |k: usize| lower_hash(words[k].as_ref());
        for (i, w) in words.iter().enumerate() {
            let w = w.as_ref();
            if w.chars().next().is_some_and(char::is_uppercase) {
                let p = if i > 0 { lower(i - 1) } else { pad };
                let nx = if i + 1 < n { lower(i + 1) } else { pad };
                self.entries.push((fnv_str(w), p, nx));
            }
        }
    }

    /// Sorts the recorded contexts and keeps the words seen in two or more (at most
    /// [`MAX_CONTEXTS`] each, the first in document order): a word seen in one context
    /// has no other to learn from.
    fn finish(&mut self) {
        // stable: a word's contexts stay in document order
        self.entries.sort_by_key(|e| e.0);
        let mut keep = Vec::with_capacity(self.entries.len());
        let mut i = 0;
        while i < self.entries.len() {
            let w = self.entries[i].0;
            let j = i + self.entries[i..].partition_point(|e| e.0 == w);
            let start = keep.len();
            for &e in &self.entries[i..j] {
                if keep.len() - start == MAX_CONTEXTS {
                    break;
                }
                if !keep[start..].contains(&e) {
                    keep.push(e);
                }
            }
            if keep.len() - start < 2 {
                keep.truncate(start);
            }
            i = j;
        }
        self.entries = keep;
    }

    /// Context-aggregation features of token i of the sentence observed in `sc`: the
    /// words around the other occurrences of the same capitalised word.
    pub fn feats(&self, sc: &Scratch, i: usize, out: &mut Vec<u32>) {
        out.clear();
        if !sc.cap[i] {
            return;
        }
        let w = sc.word_h[i];
        let from = self.entries.partition_point(|e| e.0 < w);
        let to = from + self.entries[from..].partition_point(|e| e.0 == w);
        if from == to {
            return;
        }
        let pad = fnv_str(PAD);
        let own = (
            if i > 0 { sc.lower_h[i - 1] } else { pad },
            sc.lower_h.get(i + 1).copied().unwrap_or(pad),
        );
        for &(_, p, n) in &self.entries[from..to] {
            if (p, n) != own {
                out.push(Fnv::new(80).u32(p).0);
                out.push(Fnv::new(81).u32(n).0);
            }
        }
    }
}

impl History {
    /// Forgets everything (a new document).
    pub fn clear(&mut self) {
        self.seen.clear();
    }

    /// Records that the word with exact-form hash `word` was tagged with type `ty`.
    pub fn record(&mut self, word: u32, ty: u16) {
        if (ty as usize) < HISTORY_TYPES {
            let c = &mut self.seen.entry(word).or_insert([0; HISTORY_TYPES])[ty as usize];
            *c = c.saturating_add(1);
        }
    }

    /// Records the types of a tagged sentence's capitalised words (`tags` are label
    /// ids, `ty` maps them to types), as observed in `sc`.
    pub fn record_sentence(&mut self, sc: &Scratch, tags: &[u8], ty: &[u16]) {
        for (i, &y) in tags.iter().enumerate() {
            if sc.cap[i] {
                self.record(sc.word_h[i], ty[y as usize]);
            }
        }
    }

    /// The type given most often to `word` (ties: the lower index), or `NO_HISTORY`.
    fn dominant(&self, word: u32) -> u8 {
        match self.seen.get(&word) {
            None => NO_HISTORY,
            Some(c) => {
                let mut best = 0;
                for k in 1..HISTORY_TYPES {
                    if c[k] > c[best] {
                        best = k;
                    }
                }
                best as u8
            }
        }
    }
}

/// History features of token i (see [`History`]); only capitalised words look it up.
/// Writes them to the front of `out` and returns how many: none where neither the word
/// nor the next one has a history, so a model trained on sentences without documents
/// (all German training data) has no weight standing in for "no history" that would
/// go missing in a real document.
#[inline]
pub fn history_feats(h: &History, sc: &Scratch, i: usize, out: &mut [u32; 2]) -> usize {
    let look = |k: usize| -> u8 {
        match sc.word_h.get(k) {
            Some(&w) if sc.cap[k] => h.dominant(w),
            _ => NO_HISTORY,
        }
    };
    let (d, next) = (look(i), look(i + 1));
    let mut n = 0;
    if d != NO_HISTORY {
        out[n] = Fnv::new(70).byte(d).0;
        n += 1;
    }
    if d != NO_HISTORY || next != NO_HISTORY {
        out[n] = Fnv::new(71).byte(d).byte(next).0;
        n += 1;
    }
    n
}

/// Per-sentence scratch space, reused between sentences.
#[derive(Default)]
pub struct Scratch {
    pub lower: Vec<String>,
    /// FNV-1a of the exact word form.
    pub word_h: Vec<u32>,
    /// The word starts with an upper-case letter.
    pub cap: Vec<bool>,
    pub lower_h: Vec<u32>,
    pub shape_h: Vec<u32>,
    pub gaz_b: Vec<u8>,
    pub gaz_i: Vec<u8>,
    pub ent: Vec<u8>,
    pub cl: Vec<[u16; CLUSTER_LEVELS]>,
    /// Observation features, token i at `feats[starts[i]..starts[i+1]]`.
    pub feats: Vec<u32>,
    pub starts: Vec<usize>,
}

fn shape_hash(w: &str) -> (u32, u8) {
    let mut h = Fnv::new(12);
    let mut last = 0u8;
    let mut n = 0;
    let mut flags = 0u8;
    for c in w.chars() {
        let s = if c.is_uppercase() {
            flags |= 1;
            b'X'
        } else if c.is_lowercase() {
            flags |= 2;
            b'x'
        } else if c.is_ascii_digit() {
            flags |= 4;
            b'd'
        } else if c == '-' {
            flags |= 8;
            b'-'
        } else if c == '.' {
            b'.'
        } else if c.is_alphanumeric() {
            b'a'
        } else {
            b'#'
        };
        if s != last && n < 8 {
            h = h.byte(s);
            last = s;
            n += 1;
        }
    }
    (h.0, flags)
}

const PAD: &str = "<s>";

/// Computes observation features for a sentence into `sc`.
pub fn observe(res: &Resources, words: &[&str], sc: &mut Scratch) {
    let n = words.len();
    sc.lower.resize_with(n, String::new);
    sc.lower_h.clear();
    sc.shape_h.clear();
    sc.word_h.clear();
    sc.cap.clear();
    let mut flags_v = Vec::with_capacity(n);
    // upper-case sentences (headlines, sports tables): capitalisation says little there
    let (mut letters, mut upper) = (0usize, 0usize);
    for (i, w) in words.iter().enumerate() {
        let l = &mut sc.lower[i];
        l.clear();
        l.extend(lower_chars(w));
        sc.lower_h.push(fnv_str(l));
        let (sh, fl) = shape_hash(w);
        sc.shape_h.push(sh);
        flags_v.push(fl);
        sc.word_h.push(fnv_str(w));
        sc.cap
            .push(w.chars().next().is_some_and(|c| c.is_uppercase()));
        if w.chars().filter(|c| c.is_alphabetic()).nth(1).is_some() {
            letters += 1;
            if !w.chars().any(|c| c.is_lowercase()) {
                upper += 1;
            }
        }
    }
    let caps_sent = letters >= 2 && 2 * upper > letters;
    // Gazetteer matches over token n-grams.
    sc.gaz_b.clear();
    sc.gaz_b.resize(n, 0);
    sc.gaz_i.clear();
    sc.gaz_i.resize(n, 0);
    if res.gaz_max > 0 {
        for i in 0..n {
            let mut h = Fnv(FNV_OFFSET);
            for (j, w) in words
                .iter()
                .enumerate()
                .take(n.min(i + res.gaz_max))
                .skip(i)
            {
                if j > i {
                    h = h.byte(b' ');
                }
                h = h.bytes(w.as_bytes());
                let mut bits = res.gaz.get(&h.0).copied().unwrap_or(0);
                if j == i {
                    // adjectives and demonyms also match in lower case (sentence start)
                    let lb = res.gaz.get(&sc.lower_h[i]).copied().unwrap_or(0) & 0b11000;
                    bits |= lb;
                }
                if bits != 0 {
                    sc.gaz_b[i] |= bits;
                    for k in i + 1..=j {
                        sc.gaz_i[k] |= bits;
                    }
                }
            }
        }
    }
    sc.ent.clear();
    sc.cl.clear();
    for i in 0..n {
        let h = sc.word_h[i];
        sc.ent.push(res.ent.get(&h).copied().unwrap_or(0));
        let cl = res
            .clusters
            .get(&h)
            .or_else(|| res.clusters.get(&sc.lower_h[i]))
            .copied()
            .unwrap_or([NO_CLUSTER; CLUSTER_LEVELS]);
        sc.cl.push(cl);
    }
    let no_cl = [NO_CLUSTER; CLUSTER_LEVELS];
    sc.feats.clear();
    sc.starts.clear();
    let lh = |k: isize| -> u32 {
        if k < 0 || k as usize >= n {
            fnv_str(PAD)
        } else {
            sc.lower_h[k as usize]
        }
    };
    let shp = |k: isize| -> u32 {
        if k < 0 || k as usize >= n {
            1
        } else {
            sc.shape_h[k as usize]
        }
    };
    for i in 0..n {
        sc.starts.push(sc.feats.len());
        let f = &mut sc.feats;
        let w = words[i];
        let l = sc.lower[i].as_str();
        let ii = i as isize;
        f.push(Fnv::new(1).0);
        f.push(Fnv::new(2).bytes(w.as_bytes()).0);
        f.push(Fnv::new(3).u32(sc.lower_h[i]).0);
        // prefixes and suffixes (chars) of the lower-case form
        let nc = l.chars().count();
        let mut ends = l
            .char_indices()
            .skip(1)
            .map(|(p, _)| p)
            .chain(std::iter::once(l.len()));
        let mut starts = l.char_indices().rev().map(|(p, _)| p);
        for k in 1..=4.min(nc) {
            let end = ends.next().unwrap_or(l.len());
            f.push(Fnv::new(3 + k as u8).bytes(&l.as_bytes()[..end]).0);
            let st = starts.next().unwrap_or(0);
            f.push(Fnv::new(7 + k as u8).bytes(&l.as_bytes()[st..]).0);
        }
        f.push(sc.shape_h[i]);
        let fl = flags_v[i];
        let first = (i == 0) as u8;
        let cap = sc.cap[i] as u8;
        f.push(Fnv::new(13).byte(fl).byte(first).byte(cap).0);
        let seen = res.lower_set.contains(&sc.lower_h[i]) as u8;
        f.push(Fnv::new(14).byte(seen).byte(cap).byte(first).0);
        if cap == 1 {
            let noun = res.lower_set.contains(&crate::gazetteer::noun_key(w)) as u8;
            f.push(Fnv::new(65).byte(noun).byte(first).0);
            f.push(Fnv::new(66).byte(noun).u32(lh(ii - 1)).0);
        }
        f.push(Fnv::new(15).u32(lh(ii - 1)).0);
        f.push(Fnv::new(16).u32(lh(ii + 1)).0);
        f.push(Fnv::new(17).u32(lh(ii - 2)).0);
        f.push(Fnv::new(18).u32(lh(ii + 2)).0);
        f.push(Fnv::new(19).u32(shp(ii - 1)).0);
        f.push(Fnv::new(20).u32(shp(ii + 1)).0);
        f.push(Fnv::new(21).u32(lh(ii - 1)).u32(sc.lower_h[i]).0);
        f.push(Fnv::new(22).u32(sc.lower_h[i]).u32(lh(ii + 1)).0);
        f.push(
            Fnv::new(23)
                .u32(shp(ii - 1))
                .u32(sc.shape_h[i])
                .u32(shp(ii + 1))
                .0,
        );
        let (gb, gi) = (sc.gaz_b[i], sc.gaz_i[i]);
        for c in 0..GAZ_CATS.len() as u8 {
            if gb & (1 << c) != 0 {
                let single = i + 1 >= n || sc.gaz_i[i + 1] & (1 << c) == 0;
                f.push(Fnv::new(24).byte(c).byte(single as u8).0);
            }
            if gi & (1 << c) != 0 {
                f.push(Fnv::new(25).byte(c).0);
            }
        }
        let gprev = if i > 0 {
            sc.gaz_b[i - 1] | sc.gaz_i[i - 1]
        } else {
            0
        };
        let gnext = if i + 1 < n {
            sc.gaz_b[i + 1] | sc.gaz_i[i + 1]
        } else {
            0
        };
        if gprev != 0 {
            f.push(Fnv::new(26).byte(gprev).0);
        }
        if gnext != 0 {
            f.push(Fnv::new(27).byte(gnext).0);
        }
        let len_b = match nc {
            0..=3 => nc as u8,
            4..=6 => 4,
            7..=10 => 5,
            _ => 6,
        };
        f.push(Fnv::new(28).byte(len_b).byte(cap).0);
        let e = sc.ent[i];
        let ep = if i > 0 { sc.ent[i - 1] } else { 255 };
        let en = if i + 1 < n { sc.ent[i + 1] } else { 255 };
        f.push(Fnv::new(30).byte(e).0);
        f.push(Fnv::new(31).byte(e).byte(cap).byte(first).0);
        f.push(Fnv::new(32).byte(ep).0);
        f.push(Fnv::new(33).byte(en).0);
        f.push(Fnv::new(34).byte(ep).byte(e).0);
        if caps_sent {
            f.push(Fnv::new(62).u32(sc.lower_h[i]).0);
            f.push(Fnv::new(63).byte(seen).byte(first).0);
            f.push(Fnv::new(64).u32(lh(ii - 1)).u32(sc.lower_h[i]).0);
        }
        // word clusters of the token and its neighbours
        let (cp, c, cn) = (
            if i > 0 { sc.cl[i - 1] } else { no_cl },
            sc.cl[i],
            if i + 1 < n { sc.cl[i + 1] } else { no_cl },
        );
        if !res.cluster_entries.is_empty() {
            for (g, &cg) in c.iter().enumerate() {
                f.push(Fnv::new(50 + g as u8).u32(cg as u32).0);
            }
            f.push(Fnv::new(54).u32(cp[1] as u32).0);
            f.push(Fnv::new(57).u32(cn[1] as u32).0);
            f.push(Fnv::new(59).u32(cp[1] as u32).u32(c[1] as u32).0);
            f.push(Fnv::new(60).u32(c[1] as u32).u32(cn[1] as u32).0);
            // two words out (middle granularity), the neighbours' fine classes
            let cpp = if i > 1 { sc.cl[i - 2] } else { no_cl };
            let cnn = if i + 2 < n { sc.cl[i + 2] } else { no_cl };
            f.push(Fnv::new(72).u32(cpp[1] as u32).0);
            f.push(Fnv::new(73).u32(cnn[1] as u32).0);
            f.push(Fnv::new(74).u32(cp[2] as u32).0);
            f.push(Fnv::new(75).u32(cn[2] as u32).0);
        }
        // suffix of the next word (German: case endings of the noun after an adjective)
        if i + 1 < n {
            let nl = sc.lower[i + 1].as_bytes();
            let s = nl.len().saturating_sub(3);
            f.push(Fnv::new(29).bytes(&nl[s..]).0);
        }
    }
    sc.starts.push(sc.feats.len());
}

/// Label-history features of token i given the previous two labels.
#[inline]
pub fn label_feats(sc: &Scratch, i: usize, p1: u8, p2: u8, out: &mut [u32; 4]) {
    out[0] = Fnv::new(40).byte(p1).0;
    out[1] = Fnv::new(41).byte(p1).byte(p2).0;
    out[2] = Fnv::new(42).byte(p1).u32(sc.lower_h[i]).0;
    out[3] = Fnv::new(43).byte(p1).u32(sc.shape_h[i]).0;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_features_depend_on_earlier_tags_of_capitalised_words() {
        let res = Resources::new(vec![], vec![], vec![], vec![]);
        let mut sc = Scratch::default();
        observe(&res, &["Berg", "sagte", "Lindau"], &mut sc);
        let feats = |h: &History, i: usize| {
            let mut out = [0u32; 2];
            let n = history_feats(h, &sc, i, &mut out);
            out[..n].to_vec()
        };
        let mut h = History::default();
        assert!(feats(&h, 0).is_empty(), "no history, no feature");
        h.record(fnv_str("Berg"), 1);
        h.record(fnv_str("Berg"), 1);
        h.record(fnv_str("Berg"), 0);
        let per = feats(&h, 0);
        assert_eq!(per.len(), 2);
        assert_eq!(per[0], Fnv::new(70).byte(1).0, "the dominant type wins");
        assert_eq!(per[1], Fnv::new(71).byte(1).byte(NO_HISTORY).0);
        h.record(fnv_str("sagte"), 1);
        assert!(
            feats(&h, 1).is_empty(),
            "lower-case words are not looked up"
        );
        h.record(fnv_str("Lindau"), 2);
        assert_eq!(
            feats(&h, 1),
            vec![Fnv::new(71).byte(NO_HISTORY).byte(2).0],
            "the next word's history alone"
        );
        h.clear();
        assert!(feats(&h, 0).is_empty());
    }

    #[test]
    fn context_features_come_from_the_other_occurrences_of_a_capitalised_word() {
        let res = Resources::new(vec![], vec![], vec![], vec![]);
        let doc: [&[&str]; 3] = [
            &["Herr", "Berg", "kam"],
            &["Berg", "sagte", "nichts"],
            &["Lindau", "liegt", "am", "See"],
        ];
        let mut h = Contexts::of_document(&doc);
        let mut sc = Scratch::default();
        let mut out = Vec::new();
        observe(&res, doc[0], &mut sc);
        assert_eq!(lower_hash("Über"), fnv_str("über"));
        assert_eq!(sc.lower_h[0], lower_hash("Herr"));
        h.feats(&sc, 1, &mut out);
        // "Berg" in sentence 0 sees its context in sentence 1: <s> before, "sagte" after
        assert_eq!(
            out,
            vec![
                Fnv::new(80).u32(fnv_str(PAD)).0,
                Fnv::new(81).u32(fnv_str("sagte")).0
            ]
        );
        h.feats(&sc, 2, &mut out);
        assert!(out.is_empty(), "lower-case words have none");
        observe(&res, doc[2], &mut sc);
        h.feats(&sc, 0, &mut out);
        assert!(out.is_empty(), "a word seen once has no other context");
        h = Contexts::default();
        observe(&res, doc[0], &mut sc);
        h.feats(&sc, 1, &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn upper_case_sentences_get_their_own_features() {
        let res = Resources::new(vec![], vec![], vec![], vec![]);
        let mut sc = Scratch::default();
        let has = |sc: &Scratch, t: u32| sc.feats.contains(&t);
        let marker = Fnv::new(62).u32(fnv_str("berlin")).0;
        observe(&res, &["BERLIN", "WINS", "AGAIN"], &mut sc);
        assert!(has(&sc, marker));
        observe(&res, &["Berlin", "wins", "again"], &mut sc);
        assert!(!has(&sc, marker));
    }
}
