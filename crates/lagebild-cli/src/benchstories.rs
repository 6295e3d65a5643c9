//! `lagebild bench neardup` and `lagebild bench stories`: the near-duplicate
//! detector's precision and recall on generated copies, and the cost of story
//! clustering as the number of documents grows. Documents are generated from
//! the corpus by a seeded generator, so every run with the same seed sees the
//! same documents.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Result};
use lagebild_model::{Document, RawDocument};
use lagebild_nlp::Options;
use lagebild_stories::{Config, DocFingerprint, DupIndex, Engine, Fingerprint};
use rayon::prelude::*;

use crate::bench::{load_corpus, peak_rss_mb};
use crate::{input, Cli};

/// xorshift64*: small, fast, and the same sequence everywhere for a seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // Never zero; spread small seeds.
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// Page furniture that syndicating sites put around a wire text (written for
/// this benchmark).
const BOILERPLATE: &[&str] = &[
    "Teilen auf Facebook | Twitter | WhatsApp | E-Mail",
    "Foto: Agentur / Archiv",
    "Lesen Sie auch: Die wichtigsten Meldungen des Tages im Überblick",
    "Alle Rechte vorbehalten. Nachdruck nur mit Genehmigung.",
    "Mehr zum Thema finden Sie in unserem Dossier.",
    "Dieser Artikel wurde automatisch aus dem Agenturdienst übernommen.",
    "Anzeige",
    "Kommentare (0) – jetzt mitdiskutieren",
    "Newsletter abonnieren und keine Nachricht verpassen",
    "Zuletzt aktualisiert vor wenigen Minuten",
];

/// Light rewording: word → replacement (function words and common verbs).
const SWAPS: &[(&str, &str)] = &[
    ("sagte", "erklärte"),
    ("erklärte", "sagte"),
    ("meinte", "betonte"),
    ("betonte", "unterstrich"),
    ("sowie", "und"),
    ("und", "sowie"),
    ("aber", "doch"),
    ("jedoch", "allerdings"),
    ("derzeit", "aktuell"),
    ("bereits", "schon"),
    ("rund", "etwa"),
    ("etwa", "ungefähr"),
    ("nun", "jetzt"),
    ("nach", "laut"),
    ("Prozent", "Prozentpunkte"),
    ("großen", "bedeutenden"),
    ("neue", "neuartige"),
    ("wurde", "war"),
    ("einen", "den"),
    ("die", "diese"),
];

/// Sentences of a text (split after `.`, `!`, `?` followed by a space).
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = text.as_bytes();
    for i in 0..b.len() {
        if matches!(b[i], b'.' | b'!' | b'?') && b.get(i + 1) == Some(&b' ') {
            let s = text[start..=i].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = i + 1;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// A syndicated copy: other boilerplate, sentences dropped and reordered,
/// light rewording, often a cut end. What each copy gets is drawn at random.
fn copy_of(text: &str, rng: &mut Rng) -> String {
    let mut sents: Vec<String> = sentences(text).into_iter().map(str::to_string).collect();
    let n = sents.len();
    // Drop sentences (each with 10 %), but keep at least three.
    if n > 4 {
        let mut i = 0;
        sents.retain(|_| {
            i += 1;
            i == 1 || !rng.chance(0.10)
        });
    }
    // Swap neighbouring sentences.
    for _ in 0..rng.below(3) {
        if sents.len() > 2 {
            let i = 1 + rng.below(sents.len() - 2);
            sents.swap(i, i + 1);
        }
    }
    // Cut the end: keep 50–90 % of the sentences, half of the time.
    if rng.chance(0.5) && sents.len() > 3 {
        let keep = (sents.len() * (50 + rng.below(41)) / 100).max(3);
        sents.truncate(keep);
    }
    // Reword: each swappable word with 30 %.
    let body: Vec<String> = sents
        .iter()
        .map(|s| {
            s.split(' ')
                .map(|w| match SWAPS.iter().find(|(a, _)| *a == w) {
                    Some((_, b)) if rng.chance(0.3) => (*b).to_string(),
                    _ => w.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let mut out = String::new();
    for _ in 0..rng.below(3) {
        out.push_str(BOILERPLATE[rng.below(BOILERPLATE.len())]);
        out.push('\n');
    }
    out.push_str(&body.join(" "));
    for _ in 0..rng.below(4) {
        out.push('\n');
        out.push_str(BOILERPLATE[rng.below(BOILERPLATE.len())]);
    }
    out
}

fn plain_doc(id: String, text: String, published: Option<String>) -> Document {
    Document {
        id,
        language: "de".into(),
        published,
        text,
        ..Document::default()
    }
}

#[derive(Debug, serde::Serialize)]
struct NeardupFigures {
    corpus: String,
    seed: u64,
    indexed: usize,
    positives: usize,
    negatives: usize,
    true_positives: usize,
    false_positives: usize,
    false_negatives: usize,
    precision: f64,
    recall: f64,
    f1: f64,
    seconds: f64,
    peak_rss_mb: Option<f64>,
}

/// Shortest corpus article used by `bench neardup`, in words.
const MIN_WORDS: usize = 40;

/// `lagebild bench neardup`: the corpus is split in two halves by position.
/// The first half is indexed. Queries: two generated copies of every indexed
/// article (positives: each must be found, pointing to its article), and every
/// article of the second half, as it is and as a generated copy (negatives:
/// other articles, of the same topic labels, and must match nothing).
/// Articles under [`MIN_WORDS`] words are left out.
pub fn neardup(corpus: &Path, seed: u64, json: bool) -> Result<ExitCode> {
    let raw = load_corpus(corpus)?;
    let texts: Vec<(String, String)> = raw
        .into_iter()
        .filter_map(|r: RawDocument| Some((r.source.unwrap_or_default(), r.text?)))
        // Stubs are left out: the corpus holds a dozen placeholders for
        // withdrawn agency texts (under 35 words) that share their whole body
        // and are near-duplicates of each other in fact.
        .filter(|(_, t)| t.split_whitespace().count() >= MIN_WORDS)
        .collect();
    if texts.len() < 10 {
        bail!("too few documents in {}", corpus.display());
    }
    let mut rng = Rng::new(seed);
    let t = Instant::now();
    let mut index = DupIndex::new(Config::default());
    let half = texts.len() / 2;
    for (i, (_, text)) in texts[..half].iter().enumerate() {
        index.add(Fingerprint::of(&plain_doc(
            format!("a{i}"),
            text.clone(),
            None,
        )));
    }
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    let mut positives = 0;
    let mut negatives = 0;
    let mut shown = 0;
    for (i, (_, text)) in texts[..half].iter().enumerate() {
        for k in 0..2 {
            let copy = copy_of(text, &mut rng);
            positives += 1;
            let m = index.find(&Fingerprint::of(&plain_doc(
                format!("p{i}.{k}"),
                copy,
                None,
            )));
            match m {
                Some(m) if m.original == format!("a{i}") => tp += 1,
                Some(m) => {
                    fp += 1;
                    fneg += 1;
                    tracing::info!("copy of a{i} matched {}", m.original);
                }
                None => {
                    fneg += 1;
                    if shown < 3 {
                        shown += 1;
                        tracing::info!("copy of a{i} not found");
                    }
                }
            }
        }
    }
    for (i, (label, text)) in texts[half..].iter().enumerate() {
        for (k, q) in [text.clone(), copy_of(text, &mut rng)]
            .into_iter()
            .enumerate()
        {
            negatives += 1;
            let qfp = Fingerprint::of(&plain_doc(format!("n{i}.{k}"), q, None));
            if let Some(m) = index.find(&qfp) {
                fp += 1;
                tracing::info!(
                    "negative b{i}.{k} ({label}) matched {} (score {:.2})",
                    m.original,
                    m.score
                );
            }
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / positives.max(1) as f64;
    let f = NeardupFigures {
        corpus: corpus.display().to_string(),
        seed,
        indexed: half,
        positives,
        negatives,
        true_positives: tp,
        false_positives: fp,
        false_negatives: fneg,
        precision,
        recall,
        f1: if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        },
        seconds: secs,
        peak_rss_mb: peak_rss_mb(),
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&f)?);
    } else {
        println!(
            "bench neardup on {} (seed {}): {} articles indexed; {} copies (positives), {} other articles and their copies (negatives)",
            f.corpus, f.seed, f.indexed, f.positives, f.negatives
        );
        println!(
            "  precision {:.4}  recall {:.4}  F1 {:.4}  (TP {}, FP {}, FN {})  {:.2} s",
            f.precision,
            f.recall,
            f.f1,
            f.true_positives,
            f.false_positives,
            f.false_negatives,
            f.seconds
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A variant of an analysed article for the scale benchmark: published on
/// another day (time values moved along), half of its entity ids and event
/// actors replaced by one of 40 look-alikes (`id~k`), and half of its words
/// (chosen per variant) letter-shifted, length kept so the offsets stay valid:
/// variants of one article are different documents, not copies.
fn variant(base: &Document, n: usize, rng: &mut Rng, base_day: i32) -> Document {
    let shift_days = rng.below(3 * 365) as i32;
    let day = base_day + shift_days;
    let key = 1 + rng.below(25) as u8;
    let mut d = base.clone();
    d.id = format!("g{n}");
    d.published = Some(lagebild_stories::text::date_string(day));
    d.text = base
        .text
        .split_inclusive(|c: char| !c.is_alphanumeric())
        .map(|w| {
            if rng.chance(0.5) {
                w.chars()
                    .map(|c| match c {
                        'a'..='z' => (b'a' + (c as u8 - b'a' + key) % 26) as char,
                        'A'..='Z' => (b'A' + (c as u8 - b'A' + key) % 26) as char,
                        _ => c,
                    })
                    .collect()
            } else {
                w.to_string()
            }
        })
        .collect();
    let rename = |id: &mut String, rng: &mut Rng| {
        if rng.chance(0.5) {
            *id = format!("{id}~{}", rng.below(40));
        }
    };
    for e in &mut d.entities {
        rename(&mut e.id, rng);
        for m in &mut e.mentions {
            m.text = d.text.get(m.start..m.end).unwrap_or("").to_string();
        }
    }
    for ev in &mut d.events {
        for a in ev.actors.iter_mut().chain(ev.recipients.iter_mut()) {
            rename(a, rng);
        }
        ev.date = d.published.clone();
    }
    for t in &mut d.times {
        if let Some(v) = lagebild_stories::text::day_number(&t.value) {
            t.value = lagebild_stories::text::date_string(v + shift_days);
        }
        t.text = d.text.get(t.start..t.end).unwrap_or("").to_string();
    }
    for q in &mut d.quotes {
        q.text = d.text.get(q.start..q.end).unwrap_or("").to_string();
    }
    d
}

#[derive(Debug, serde::Serialize)]
struct Checkpoint {
    documents: usize,
    seconds: f64,
    fingerprint_seconds: f64,
    engine_seconds: f64,
    docs_per_second_since_last: f64,
    stories: usize,
    duplicates: usize,
    peak_rss_mb: Option<f64>,
}

/// `lagebild bench stories`: the corpus is analysed once by the real pipeline
/// (so entities, times and events are real), then `docs` documents are
/// generated from it (see [`variant`]), 5 % of them near-copies of an earlier
/// generated one, and fed one by one to the engine (fingerprint, duplicate
/// check, clustering) on one thread. Time and peak memory are printed at
/// 10k, 20k, 50k, 100k documents.
pub fn stories(
    cli: &Cli,
    corpus: &Path,
    docs: usize,
    seed: u64,
    threads: usize,
    json: bool,
) -> Result<ExitCode> {
    let raw = load_corpus(corpus)?;
    if raw.is_empty() {
        bail!("no documents in {}", corpus.display());
    }
    let pipeline = input::pipeline(
        cli.resources.as_deref(),
        Options {
            default_published: Some("2016-01-01".into()),
            ..Default::default()
        },
    )?;
    let pool = input::thread_pool(Some(threads.max(2)))?;
    let t0 = Instant::now();
    let bases: Vec<Document> =
        pool.install(|| raw.into_par_iter().map(|r| pipeline.analyze(r)).collect());
    drop(pipeline);
    eprintln!(
        "analysed {} corpus articles in {:.1} s; generating and clustering {docs} documents",
        bases.len(),
        t0.elapsed().as_secs_f64()
    );
    let base_day = lagebild_stories::text::day_number("2016-01-01").unwrap_or(0);
    let mut rng = Rng::new(seed);
    let mut engine = Engine::new(Config::default());
    let checkpoints: Vec<usize> = [10_000, 20_000, 50_000, 100_000]
        .into_iter()
        .filter(|&c| c < docs)
        .chain(std::iter::once(docs))
        .collect();
    let mut figures = Vec::new();
    let (mut fp_secs, mut engine_secs) = (0.0, 0.0);
    let mut duplicates = 0;
    let mut last = (0usize, 0.0f64);
    let mut recent: Vec<Document> = Vec::new();
    let t = Instant::now();
    for n in 0..docs {
        let doc = if n > 0 && rng.chance(0.05) && !recent.is_empty() {
            // A syndicated copy of a recent document.
            let orig = &recent[rng.below(recent.len())];
            let mut c = orig.clone();
            c.id = format!("g{n}");
            c.text = copy_of(&orig.text, &mut rng);
            c
        } else {
            variant(&bases[rng.below(bases.len())], n, &mut rng, base_day)
        };
        let a = Instant::now();
        let fp = DocFingerprint::of(&doc);
        let b = Instant::now();
        let out = engine.add_fingerprint(&fp);
        let c = Instant::now();
        fp_secs += (b - a).as_secs_f64();
        engine_secs += (c - b).as_secs_f64();
        duplicates += usize::from(out.duplicate_of.is_some());
        if recent.len() < 64 {
            recent.push(doc);
        } else {
            let i = rng.below(64);
            recent[i] = doc;
        }
        if checkpoints.contains(&(n + 1)) {
            let secs = t.elapsed().as_secs_f64();
            let cp = Checkpoint {
                documents: n + 1,
                seconds: secs,
                fingerprint_seconds: fp_secs,
                engine_seconds: engine_secs,
                docs_per_second_since_last: (n + 1 - last.0) as f64 / (secs - last.1).max(1e-9),
                stories: engine.story_count(),
                duplicates,
                peak_rss_mb: peak_rss_mb(),
            };
            last = (n + 1, secs);
            if !json {
                println!(
                    "{:>7} documents: {:7.2} s (fingerprints {:6.2} s, engine {:6.2} s), {:6.0} documents/s since the last line, {:>6} stories, {:>5} duplicates, peak RSS {:.0} MB",
                    cp.documents,
                    cp.seconds,
                    cp.fingerprint_seconds,
                    cp.engine_seconds,
                    cp.docs_per_second_since_last,
                    cp.stories,
                    cp.duplicates,
                    cp.peak_rss_mb.unwrap_or(0.0)
                );
            }
            figures.push(cp);
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    }
    Ok(ExitCode::SUCCESS)
}
