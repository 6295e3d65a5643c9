//! Building the embedded lookup resources at training time: a gazetteer derived from the
//! project KB (`resources/kb/*.tsv`) and a lexicon of words seen in lower case.
//! The results are stored inside the model file, so the shipped program needs neither the
//! KB files nor any training data to compute the same features.

use std::collections::HashMap;
use std::path::Path;

use crate::features::{fnv_str, lower_hash};

/// Category indices (see [`crate::features::GAZ_CATS`]).
pub const LOC: u8 = 0;
pub const PER: u8 = 1;
pub const ORG: u8 = 2;
pub const ADJ: u8 = 3;
pub const DEM: u8 = 4;

/// Tokenises a gazetteer phrase the way corpora are tokenised (punctuation split off).
pub fn tokenize_phrase(p: &str) -> String {
    let mut out = String::new();
    for w in p.split_whitespace() {
        let mut cur = String::new();
        for c in w.chars() {
            if matches!(c, ',' | '(' | ')' | '"' | ';' | ':') {
                if !cur.is_empty() {
                    out.push_str(&cur);
                    out.push(' ');
                    cur.clear();
                }
                out.push(c);
                out.push(' ');
            } else {
                cur.push(c);
            }
        }
        if !cur.is_empty() {
            out.push_str(&cur);
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

fn push(out: &mut Vec<(u8, String)>, cat: u8, phrase: &str) {
    let p = tokenize_phrase(phrase.trim());
    if p.chars().count() >= 2 && p.split(' ').count() <= 6 {
        out.push((cat, p));
    }
}

fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

fn list(field: Option<&&str>) -> Vec<String> {
    field
        .map(|f| {
            f.split('|')
                .map(|s| s.trim().trim_start_matches('!').to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// German adjective forms of a stem (`russisch` → `russisch`, `russische`, ...), lower case.
fn german_adjective_forms(stem: &str) -> Vec<String> {
    let s = stem.to_lowercase();
    let base = s
        .strip_suffix('e')
        .filter(|_| s.ends_with("ische"))
        .unwrap_or(&s);
    ["", "e", "en", "er", "es", "em"]
        .iter()
        .map(|e| format!("{base}{e}"))
        .collect()
}

/// Gazetteer entries from the KB directory (`countries.tsv`, `places.tsv`, and
/// `entities.tsv` when present). Missing files are skipped.
pub fn from_kb(dir: &Path) -> Vec<(u8, String)> {
    let mut out = Vec::new();
    if let Ok(t) = std::fs::read_to_string(dir.join("countries.tsv")) {
        // iso3 iso2 name_en name_de capital_en capital_de adj_en adj_de people_en people_de aliases
        for r in rows(&t) {
            for k in [2, 3, 4, 5] {
                if let Some(v) = r.get(k) {
                    push(&mut out, LOC, v);
                }
            }
            for a in list(r.get(10)) {
                push(&mut out, LOC, &a);
            }
            for a in list(r.get(6)) {
                push(&mut out, ADJ, &a);
            }
            for a in list(r.get(7)) {
                for f in german_adjective_forms(&a) {
                    push(&mut out, ADJ, &f);
                }
            }
            for k in [8, 9] {
                for a in list(r.get(k)) {
                    push(&mut out, DEM, &a);
                }
            }
        }
    }
    if let Ok(t) = std::fs::read_to_string(dir.join("places.tsv")) {
        // id name_en name_de country kind variants
        for r in rows(&t) {
            for k in [1, 2] {
                if let Some(v) = r.get(k) {
                    push(&mut out, LOC, v);
                }
            }
            for a in list(r.get(5)) {
                push(&mut out, LOC, &a);
            }
        }
    }
    if let Ok(t) = std::fs::read_to_string(dir.join("entities.tsv")) {
        // id type name country sector roles variants
        for r in rows(&t) {
            let cat = match r.get(1).copied() {
                Some("PER") => PER,
                Some("ORG") => ORG,
                Some("LOC") => LOC,
                _ => continue,
            };
            if let Some(v) = r.get(2) {
                push(&mut out, cat, v);
            }
            for a in list(r.get(6)) {
                push(&mut out, cat, &a);
            }
        }
    }
    // English adjectives are capitalised; add a lower-case copy only for German ones.
    out.sort();
    out.dedup();
    out
}

/// Lexicon of words written in lower case at least `min_count` times (not at the start
/// of a sentence is not required: lower case is never the effect of position), as hashes
/// of the lower-case form.
pub fn lower_seen<'a>(words: impl Iterator<Item = &'a str>, min_count: u32) -> Vec<u32> {
    let mut counts: HashMap<u32, u32> = HashMap::new();
    for w in words {
        if w.chars().next().is_some_and(|c| c.is_lowercase()) {
            *counts.entry(lower_hash(w)).or_insert(0) += 1;
        }
    }
    frequent(counts, min_count)
}

/// The keys counted at least `min_count` times, sorted.
fn frequent(counts: HashMap<u32, u32>, min_count: u32) -> Vec<u32> {
    let mut v: Vec<u32> = counts
        .into_iter()
        .filter(|&(_, c)| c >= min_count)
        .map(|(h, _)| h)
        .collect();
    v.sort_unstable();
    v
}

/// Lexicon key of a capitalised word seen as a common noun (see [`common_nouns`]).
pub fn noun_key(word: &str) -> u32 {
    crate::features::Fnv::new(1).bytes(word.as_bytes()).0
}

/// German common nouns: capitalised words seen at least `min_count` times right after
/// one of `articles` (*der*, *ein* …), where names rarely stand. Returned as
/// [`noun_key`] hashes, stored in the lower-case lexicon.
pub fn common_nouns(sents: &[Vec<String>], articles: &[&str], min_count: u32) -> Vec<u32> {
    let mut counts: HashMap<u32, u32> = HashMap::new();
    for s in sents {
        for pair in s.windows(2) {
            if articles.contains(&pair[0].to_lowercase().as_str())
                && pair[1].chars().next().is_some_and(char::is_uppercase)
            {
                *counts.entry(noun_key(&pair[1])).or_insert(0) += 1;
            }
        }
    }
    frequent(counts, min_count)
}

/// Entity lexicon from silver-annotated sentences: for every word (exact form) seen inside
/// an entity chunk, its dominant type, the share of its occurrences that are entity uses
/// (4 buckets) and whether it is mostly chunk-internal. Encoded as in the model file.
pub fn entity_lexicon(sents: &[crate::corpus::Sentence]) -> Vec<(u32, u8)> {
    // counts: total, PER, LOC, ORG, MISC, inside
    let mut counts: HashMap<u32, [u32; 6]> = HashMap::new();
    for s in sents {
        for (w, l) in s.words.iter().zip(&s.labels) {
            let c = counts.entry(fnv_str(w)).or_insert([0; 6]);
            c[0] += 1;
            let (p, t) = crate::corpus::split_label(l);
            let k = match t {
                "PER" => 1,
                "LOC" => 2,
                "ORG" => 3,
                "MISC" => 4,
                _ => 0,
            };
            if k > 0 {
                c[k] += 1;
                if p == "I" {
                    c[5] += 1;
                }
            }
        }
    }
    let mut out: Vec<(u32, u8)> = counts
        .into_iter()
        .filter_map(|(h, c)| {
            let ent: u32 = c[1..5].iter().sum();
            if ent == 0 {
                return None;
            }
            let mut best = 1;
            for k in 2..5 {
                if c[k] > c[best] {
                    best = k;
                }
            }
            let share = (4 * ent / c[0]).min(3) as u8;
            let inside = (2 * c[5] > ent) as u8;
            Some((h, best as u8 | share << 3 | inside << 5))
        })
        .collect();
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjective_forms() {
        let f = german_adjective_forms("russisch");
        assert!(f.contains(&"russischen".to_string()));
        assert!(f.contains(&"russisch".to_string()));
    }

    #[test]
    fn phrase_tokenisation() {
        assert_eq!(tokenize_phrase("Korea, Republik"), "Korea , Republik");
    }

    #[test]
    fn nouns_after_articles() {
        let s = |t: &str| t.split(' ').map(String::from).collect::<Vec<_>>();
        let sents = [
            s("Der Hund sah die Katze"),
            s("ein Hund und Emma"),
            s("die Katze"),
        ];
        let v = common_nouns(&sents, &["der", "die", "ein"], 2);
        assert_eq!(v.len(), 2);
        assert!(v.contains(&noun_key("Hund")) && v.contains(&noun_key("Katze")));
        assert!(!v.contains(&noun_key("Emma")));
    }

    #[test]
    fn lexicon() {
        let v = lower_seen(["laufen", "laufen", "Berlin", "gehen"].into_iter(), 2);
        assert_eq!(v, vec![fnv_str("laufen")]);
    }
}
