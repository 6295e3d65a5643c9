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
    /// Training passes (default: 5 for de, 10 for en, as shipped).
    #[arg(long)]
    epochs: Option<usize>,
    /// Seed of the sentence shuffling.
    #[arg(long)]
    seed: Option<u64>,
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
        let cut = if a.tune {
            GERMEVAL_DEV_HOLDOUT_FROM.min(ge.len())
        } else {
            ge.len()
        };
        dev = ge[cut..].to_vec();
        for _ in 0..GERMEVAL_WEIGHT {
            train.extend_from_slice(&ge[..cut]);
        }
        notes.push(format!(
            "germeval2014 dev[0..{cut}] x{GERMEVAL_WEIGHT} (12 classes, outer)"
        ));
        let mut other = load(
            &ner.join("smartdata_de/smartdata_v1_train.bio.tsv"),
            corpus::bio_tsv,
        )?;
        notes.push("smartdata_de train (all)".into());
        // Corpora without GermEval's deriv class: country adjectives from the KB
        // that they leave as O become B-LOCderiv, so they do not teach the opposite.
        let adj: std::collections::HashSet<String> = cfg
            .gazetteer
            .iter()
            .filter(|(c, _)| *c == gazetteer::ADJ)
            .map(|(_, p)| p.to_lowercase())
            .collect();
        for s in &mut other {
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
        let gnad_path = a.data.join("corpus/tenkgnad/test.csv");
        let gnad = std::fs::read_to_string(&gnad_path)
            .with_context(|| format!("reading {}", gnad_path.display()))?;
        let words = gazetteer::rough_words(&gnad).chain(
            train
                .iter()
                .flat_map(|s| s.words.iter().map(String::as_str)),
        );
        cfg.lower_seen = gazetteer::lower_seen(words, 2);
        notes.push(
            "lexicon: lower-case words (>=2) in corpus/tenkgnad/test.csv + training words".into(),
        );
    } else {
        train = load(&ner.join("conll2003_en/train.txt"), corpus::conll)?;
        notes.push("conll2003_en train".into());
        let valid = load(&ner.join("conll2003_en/valid.txt"), corpus::conll)?;
        if a.tune {
            dev = valid;
        } else {
            notes.push("conll2003_en valid".into());
            train.extend(valid);
        }
        cfg.lower_seen = gazetteer::lower_seen(
            train
                .iter()
                .flat_map(|s| s.words.iter().map(String::as_str)),
            2,
        );
        notes.push("lexicon: lower-case words (>=2) in the training words".into());
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
    let four = |labels: &[String]| {
        let mut v = labels.to_vec();
        corpus::to_four_classes(&mut v);
        v
    };
    let model = train_with(&train, &cfg, |epoch, m| {
        if dev.is_empty() {
            return;
        }
        let mut r = lagebild_ner::eval::Report::new();
        for s in &dev {
            let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
            r.add(&four(&s.labels), &four(&m.tag_words(&words)));
        }
        eprintln!(
            "  epoch {epoch}: held-out F1 {:.2}%",
            100.0 * r.overall.f1()
        );
    });
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
