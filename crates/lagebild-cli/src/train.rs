//! `lagebild train ner`: reproduces the shipped NER models from the shared data,
//! deterministically (fixed seed). The corpora and settings are the ones
//! recorded in `resources/ner/README.md`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use lagebild_ner::corpus::{self, Chunks, Classes, Sentence};
use lagebild_ner::gazetteer;
use lagebild_ner::train::{train_with, TrainConfig};

use crate::bench::peak_rss_mb;

/// GermEval dev sentences from this index on are held out with `--tune`.
const GERMEVAL_DEV_HOLDOUT_FROM: usize = 1800;
/// Copies of the GermEval dev sentences in the German training set.
const GERMEVAL_WEIGHT: usize = 3;

#[derive(Debug, Args)]
pub struct TrainArgs {
    #[command(subcommand)]
    what: TrainWhat,
}

#[derive(Debug, Subcommand)]
enum TrainWhat {
    /// The named-entity tagger for one language.
    Ner(NerTrainArgs),
}

#[derive(Debug, Args)]
struct NerTrainArgs {
    /// de or en.
    #[arg(long)]
    lang: String,
    /// The shared data folder.
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// The KB folder whose names become gazetteer features.
    #[arg(long, default_value = "resources/kb")]
    kb: PathBuf,
    /// Where to write the model (default resources/ner/LANG.model).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Hold out part of the development data and report F1 after each epoch.
    #[arg(long)]
    tune: bool,
    /// German: hold out fold K of 5 of GermEval dev instead (cross-validation of a
    /// recipe change: run K = 1..5 and average).
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=5), conflicts_with = "tune")]
    fold: Option<u8>,
    /// Training passes (default: 5 for de, 10 for en, as shipped).
    #[arg(long)]
    epochs: Option<usize>,
    /// Seed of the sentence shuffling.
    #[arg(long)]
    seed: Option<u64>,
    /// Penalty on the `O` label when tagging (default: as shipped; `--tune` prints
    /// held-out F1 for a range of values).
    #[arg(long)]
    o_bias: Option<f32>,
    /// Learning curves: train on only the first N sentences of the main labelled
    /// corpus (GermEval dev for de, CoNLL train for en; other corpora unchanged).
    #[arg(long)]
    limit: Option<usize>,
    /// Feature hash bits (default as shipped).
    #[arg(long)]
    bits: Option<u32>,
    /// Train without word clusters (for comparison).
    #[arg(long)]
    no_clusters: bool,
}

/// `O` penalties tried with `--tune`.
const O_BIAS_GRID: [f32; 9] = [0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0];
/// Shipped `O` penalties, chosen on the held-out part with `--tune`.
const DE_O_BIAS: f32 = 0.0;
const EN_O_BIAS: f32 = 0.0;

/// German articles and determiners after which a capitalised word is a common noun
/// (for the common-noun lexicon).
const GERMAN_ARTICLES: &[&str] = &[
    "der", "die", "das", "dem", "den", "des", "ein", "eine", "einen", "einem", "einer", "eines",
    "kein", "keine", "keinen", "keinem", "keiner", "dieser", "diese", "dieses", "diesem", "diesen",
    "jeder", "jede", "jedes", "jedem", "jeden", "im", "am", "zum", "zur", "vom", "beim",
];

/// Class counts of the three cluster granularities (coarse, middle, fine).
const CLUSTER_CLASSES: [usize; 3] = [64, 256, 640];
/// Words seen fewer times in the unlabelled text get no cluster.
const CLUSTER_MIN_COUNT: u32 = 3;
/// At most this many words are clustered (the most frequent).
const CLUSTER_MAX_WORDS: usize = 60_000;
/// Exchange passes per granularity.
const CLUSTER_PASSES: usize = 6;

/// Tokenises raw text into sentences of words with the pipeline's own segmenter, so the
/// clusters see words split exactly as the tagger will at run time.
fn raw_sentences(text: &str, lang: &str, out: &mut Vec<Vec<String>>) {
    let seg = lagebild_nlp::segment::Segmenter::embedded();
    let tokens = seg.tokenize(text);
    for s in seg.sentences(text, &tokens, lang) {
        let end = s.end_token.min(tokens.len());
        if s.first_token >= end {
            continue;
        }
        out.push(
            tokens[s.first_token..end]
                .iter()
                .filter_map(|t| text.get(t.start..t.end))
                .map(str::to_string)
                .collect(),
        );
    }
}

/// Removes markup tags (`<...>`) from TimeML files.
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut inside = false;
    for c in s.chars() {
        match c {
            '<' => inside = true,
            '>' if inside => {
                inside = false;
                out.push(' ');
            }
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

fn files_in(dir: &Path, suffix: &str) -> Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    v.sort();
    Ok(v)
}

/// The unlabelled text the word clusters are computed from (never the NER evaluation
/// sets): raw news text tokenised by the pipeline, plus the words of the annotated
/// training corpora. Returns the sentences and a description of the sources.
fn unlabelled(
    lang: &str,
    data: &Path,
    train: &[Sentence],
) -> Result<(Vec<Vec<String>>, Vec<String>)> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut sources = Vec::new();
    let read =
        |p: &Path| std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()));
    let ner = data.join("ner");
    if lang == "de" {
        let gnad = read(&data.join("corpus/tenkgnad/test.csv"))?;
        for line in gnad.lines() {
            let text = line.split_once(';').map_or(line, |(_, t)| t);
            raw_sentences(text.trim_matches('\''), "de", &mut out);
        }
        sources.push("corpus/tenkgnad/test.csv".to_string());
        for split in ["train", "dev"] {
            let p = data.join(format!("quotes/de_wikinews2024/{split}.jsonl"));
            for line in read(&p)?.lines() {
                let v: serde_json::Value = serde_json::from_str(line)
                    .with_context(|| format!("parsing {}", p.display()))?;
                if let Some(t) = v.get("originalText").and_then(|t| t.as_str()) {
                    raw_sentences(t, "de", &mut out);
                }
            }
        }
        sources.push("quotes/de_wikinews2024 (train, dev; text only)".to_string());
        for p in files_in(&data.join("time/krauts/KRAUTS_Dolomiten-100_raw-text"), "")? {
            raw_sentences(&strip_tags(&read(&p)?), "de", &mut out);
        }
        sources.push("time/krauts raw text".to_string());
        for p in files_in(&data.join("time/wikiwarsde/WikiWarsDE_20110412/in"), "")? {
            raw_sentences(&strip_tags(&read(&p)?), "de", &mut out);
        }
        sources.push("time/wikiwarsde (text)".to_string());
        for split in ["train", "dev"] {
            let s = load(&ner.join(format!("wikiann_de/{split}")), corpus::wikiann)?;
            out.extend(s.into_iter().map(|s| s.words));
        }
        sources.push("ner/wikiann_de train+dev (words)".to_string());
        // Historical newspapers (OCR): as training sentences they cost 7 points, as
        // unlabelled text for the lexicons and clusters they help (with the web pages
        // below, 5-fold cross-validation on GermEval dev +0.8 and +1.4 at two seeds).
        for p in files_in(&ner.join("hipe2022_de"), ".tsv")? {
            out.extend(load(&p, corpus::hipe_tsv)?.into_iter().map(|s| s.words));
        }
        for p in files_in(&ner.join("europeana_de"), ".bio")? {
            out.extend(load(&p, corpus::bio_tsv)?.into_iter().map(|s| s.words));
        }
        sources.push("ner/hipe2022_de, ner/europeana_de (words)".to_string());
        let texts = crate::evalextract::german_page_texts(&data.join("extract"))?;
        for t in &texts {
            raw_sentences(t, "de", &mut out);
        }
        sources.push(format!(
            "extract/trafilatura + htmldate: main text of {} German pages (our extractor)",
            texts.len()
        ));
    } else {
        for split in ["train"] {
            for p in files_in(
                &data.join(format!("quotes/en_polnear/{split}/text")),
                ".txt",
            )? {
                raw_sentences(&read(&p)?, "en", &mut out);
            }
        }
        sources.push("quotes/en_polnear train (text)".to_string());
        for p in files_in(&data.join("time/timebank/TimeBank"), ".tml")? {
            raw_sentences(&strip_tags(&read(&p)?), "en", &mut out);
        }
        sources.push("time/timebank (text)".to_string());
        let zp = data.join("extract/zyte/ground-truth.json");
        let z: serde_json::Value = serde_json::from_str(&read(&zp)?)
            .with_context(|| format!("parsing {}", zp.display()))?;
        if let Some(m) = z.as_object() {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            for k in keys {
                if let Some(t) = m[k].get("articleBody").and_then(|t| t.as_str()) {
                    raw_sentences(t, "en", &mut out);
                }
            }
        }
        sources.push("extract/zyte ground truth (article text)".to_string());
        for split in ["train", "dev"] {
            let s = load(&ner.join(format!("wikiann_en/{split}")), corpus::wikiann)?;
            out.extend(s.into_iter().map(|s| s.words));
        }
        sources.push("ner/wikiann_en train+dev (words)".to_string());
    }
    // Each training sentence once (German: GermEval dev is repeated in the training
    // set), so its rare words do not look frequent to the lexicon and the clusters.
    let mut seen = std::collections::HashSet::new();
    out.extend(
        train
            .iter()
            .filter(|s| seen.insert(&s.words))
            .map(|s| s.words.clone()),
    );
    sources.push("the training sentences (words, each once)".to_string());
    Ok((out, sources))
}

/// Exchange clustering at the three granularities; returns the model's cluster table
/// and a one-line summary.
fn word_clusters(
    sents: &[Vec<String>],
) -> (
    Vec<(u32, [u16; lagebild_ner::features::CLUSTER_LEVELS])>,
    String,
) {
    use lagebild_ner::clusters::Cooccurrence;
    use lagebild_ner::features::{fnv_str, NO_CLUSTER};
    let co = Cooccurrence::new(
        sents.iter().map(|s| s.iter().map(String::as_str)),
        CLUSTER_MIN_COUNT,
        CLUSTER_MAX_WORDS,
    );
    let mut table = vec![[NO_CLUSTER; 3]; co.words.len()];
    for (g, &k) in CLUSTER_CLASSES.iter().enumerate() {
        for (row, c) in table.iter_mut().zip(co.cluster(k, CLUSTER_PASSES)) {
            row[g] = c;
        }
    }
    let summary = format!(
        "{} words (count >= {CLUSTER_MIN_COUNT}, {} tokens), classes {:?}, {CLUSTER_PASSES} exchange passes",
        co.words.len(),
        co.tokens(),
        CLUSTER_CLASSES
    );
    let entries = co
        .words
        .iter()
        .zip(table)
        .map(|(w, cl)| (fnv_str(w), cl))
        .collect();
    (entries, summary)
}

fn load(path: &Path, f: impl Fn(&str) -> Vec<Sentence>) -> Result<Vec<Sentence>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let s = f(&text);
    if s.is_empty() {
        bail!("no sentences in {}", path.display());
    }
    Ok(s)
}

pub fn run(args: &TrainArgs) -> Result<ExitCode> {
    let TrainWhat::Ner(a) = &args.what;
    if a.fold.is_some() && a.lang != "de" {
        bail!("--fold is for German (GermEval dev); English tunes on CoNLL valid with --tune");
    }
    if a.lang != "de" && a.lang != "en" {
        bail!("no training recipe for language {:?} (de, en)", a.lang);
    }
    let t0 = std::time::Instant::now();
    let mut cfg = TrainConfig {
        lang: a.lang.clone(),
        verbose: true,
        epochs: a.epochs.unwrap_or(if a.lang == "de" { 5 } else { 10 }),
        ..TrainConfig::default()
    };
    if let Some(s) = a.seed {
        cfg.seed = s;
    }
    if let Some(b) = a.bits {
        if !(12..=26).contains(&b) {
            bail!("--bits {b}: choose 12 to 26");
        }
        cfg.bits = b;
    }
    if !a.kb.is_dir() {
        bail!(
            "KB folder {} not found (run from the repository root or pass --kb)",
            a.kb.display()
        );
    }
    cfg.gazetteer = gazetteer::from_kb(&a.kb);
    let ner = a.data.join("ner");
    let mut train: Vec<Sentence> = Vec::new();
    let mut dev: Vec<Sentence> = Vec::new();
    let mut notes = Vec::new();
    if a.lang == "de" {
        let ge = load(&ner.join("germeval2014/NER-de-dev.tsv"), |t| {
            corpus::germeval_tsv(t, Chunks::Outer, Classes::Twelve)
        })?;
        let (from, to) = if let Some(k) = a.fold {
            let k = k as usize;
            ((k - 1) * ge.len() / 5, k * ge.len() / 5)
        } else if a.tune {
            (GERMEVAL_DEV_HOLDOUT_FROM.min(ge.len()), ge.len())
        } else {
            (ge.len(), ge.len())
        };
        dev = ge[from..to].to_vec();
        let mut main: Vec<Sentence> = ge[..from].iter().chain(&ge[to..]).cloned().collect();
        if let Some(n) = a.limit {
            main.truncate(n);
            notes.push(format!("limited to {n} GermEval sentences"));
        }
        for _ in 0..GERMEVAL_WEIGHT {
            train.extend_from_slice(&main);
        }
        notes.push(if from == to {
            format!("germeval2014 dev x{GERMEVAL_WEIGHT} (12 classes, outer)")
        } else {
            format!(
                "germeval2014 dev without [{from}..{to}] x{GERMEVAL_WEIGHT} (12 classes, outer)"
            )
        });
        let mut other = load(
            &ner.join("smartdata_de/smartdata_v1_train.bio.tsv"),
            corpus::bio_tsv,
        )?;
        notes.push("smartdata_de train (all; partly annotated: O accepts OTH/deriv/part)".into());
        // Corpora without GermEval's deriv class: country adjectives from the KB
        // that they leave as O become B-LOCderiv, so they do not teach the opposite.
        let adj: std::collections::HashSet<String> = cfg
            .gazetteer
            .iter()
            .filter(|(c, _)| *c == gazetteer::ADJ)
            .map(|(_, p)| p.to_lowercase())
            .collect();
        for s in &mut other {
            // PER/LOC/ORG only: its O may be one of GermEval's other classes
            s.partial = true;
            for i in 0..s.words.len() {
                if s.labels[i] == "O"
                    && s.words[i].chars().next().is_some_and(char::is_lowercase)
                    && adj.contains(&s.words[i])
                {
                    s.labels[i] = "B-LOCderiv".into();
                }
            }
        }
        train.extend(other);
    } else {
        train = load(&ner.join("conll2003_en/train.txt"), corpus::conll)?;
        notes.push("conll2003_en train".into());
        if let Some(n) = a.limit {
            train.truncate(n);
            notes.push(format!("limited to {n} sentences"));
        }
        let valid = load(&ner.join("conll2003_en/valid.txt"), corpus::conll)?;
        if a.tune {
            dev = valid;
        } else {
            notes.push("conll2003_en valid".into());
            train.extend(valid);
        }
    }
    let (sents, sources) = unlabelled(&a.lang, &a.data, &train)?;
    notes.push(format!("unlabelled text: {}", sources.join(", ")));
    cfg.lower_seen = gazetteer::lower_seen(sents.iter().flatten().map(String::as_str), 2);
    if a.lang == "de" {
        cfg.lower_seen
            .extend(gazetteer::common_nouns(&sents, GERMAN_ARTICLES, 2));
        notes.push("lexicon: lower-case words (>=2) and capitalised words after an article (>=2) in the unlabelled text".into());
    } else {
        notes.push("lexicon: lower-case words (>=2) in the unlabelled text".into());
    }
    if !a.no_clusters {
        let tc = std::time::Instant::now();
        let (clusters, summary) = word_clusters(&sents);
        eprintln!(
            "clusters: {summary} from {} sentences in {:.1} s",
            sents.len(),
            tc.elapsed().as_secs_f64()
        );
        cfg.clusters = clusters;
        notes.push(format!("word clusters: {summary}"));
    }
    // Entity lexicon from WikiANN (de + en, all splits; silver, used as features only).
    let mut silver = Vec::new();
    for l in ["de", "en"] {
        for split in ["train", "dev", "test"] {
            silver.extend(load(
                &ner.join(format!("wikiann_{l}/{split}")),
                corpus::wikiann,
            )?);
        }
    }
    cfg.entity_lexicon = gazetteer::entity_lexicon(&silver);
    notes.push(format!(
        "entity lexicon: wikiann_de + wikiann_en (train, dev, test), {} words",
        cfg.entity_lexicon.len()
    ));
    let tokens: usize = train.iter().map(|s| s.words.len()).sum();
    cfg.info = format!(
        "lang={}; corpora: {}; gazetteer: {} entries from {}; epochs={} seed={} bits={} prune={}; {} sentences, {} tokens",
        a.lang,
        notes.join("; "),
        cfg.gazetteer.len(),
        a.kb.display(),
        cfg.epochs,
        cfg.seed,
        cfg.bits,
        cfg.prune,
        train.len(),
        tokens
    );
    eprintln!("{}", cfg.info);
    let mut model = train_with(&train, &cfg, |epoch, m| {
        if dev.is_empty() {
            return;
        }
        let mut r = lagebild_ner::eval::Report::new();
        let _ = r.add_tagged(m, &dev, true);
        eprintln!(
            "  epoch {epoch}: held-out F1 {:.2}%",
            100.0 * r.overall.f1()
        );
    });
    if !dev.is_empty() {
        for b in O_BIAS_GRID {
            model.set_o_bias(b);
            let mut r = lagebild_ner::eval::Report::new();
            let _ = r.add_tagged(&model, &dev, true);
            eprintln!(
                "  O penalty {b}: held-out P {:.2}% R {:.2}% F1 {:.2}%",
                100.0 * r.overall.precision(),
                100.0 * r.overall.recall(),
                100.0 * r.overall.f1()
            );
        }
    }
    let o_bias = a
        .o_bias
        .unwrap_or(if a.lang == "de" { DE_O_BIAS } else { EN_O_BIAS });
    model.set_o_bias(o_bias);
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("resources/ner/{}.model", a.lang)));
    let bytes = model.to_bytes();
    std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "wrote {}: {} bytes in {:.1} s (peak memory {:.0} MB)",
        out.display(),
        bytes.len(),
        t0.elapsed().as_secs_f64(),
        peak_rss_mb().unwrap_or(0.0)
    );
    Ok(ExitCode::SUCCESS)
}
