//! Trains the shipped NER models from ../shared/data (deterministic).
//!
//! cargo run --release -p lagebild-ner --example train -- --lang de --data /work/shared/data --out resources/ner/de.model
//! Options: --kb resources/kb  --epochs N  --seed N  --bits N  --prune N  --tune (hold out, report per epoch)

mod common;

use std::path::Path;
use std::time::Instant;

use common::{arg, load, read};
use lagebild_ner::corpus::{Classes, Sentence};
use lagebild_ner::eval::Report;
use lagebild_ner::gazetteer;
use lagebild_ner::train::{train_with, TrainConfig};

/// GermEval dev sentences from this index on are held out for tuning (with --tune).
const GERMEVAL_DEV_HOLDOUT_FROM: usize = 1800;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let lang = arg(&args, "--lang").unwrap_or_else(|| "de".into());
    let data = arg(&args, "--data").unwrap_or_else(|| "../shared/data".into());
    let kb = arg(&args, "--kb").unwrap_or_else(|| "resources/kb".into());
    let out = arg(&args, "--out").unwrap_or_else(|| format!("resources/ner/{lang}.model"));
    let tune = args.iter().any(|a| a == "--tune");
    let mut cfg = TrainConfig {
        lang: lang.clone(),
        verbose: true,
        ..TrainConfig::default()
    };
    // Settings of the shipped models (chosen on the held-out data, see resources/ner/README.md).
    cfg.epochs = if lang == "de" { 5 } else { 10 };
    if let Some(v) = arg(&args, "--epochs") {
        cfg.epochs = v.parse().expect("--epochs N");
    }
    if let Some(v) = arg(&args, "--seed") {
        cfg.seed = v.parse().expect("--seed N");
    }
    if let Some(v) = arg(&args, "--bits") {
        cfg.bits = v.parse().expect("--bits N");
    }
    if let Some(v) = arg(&args, "--prune") {
        cfg.prune = v.parse().expect("--prune N");
    }
    let t0 = Instant::now();
    cfg.gazetteer = gazetteer::from_kb(Path::new(&kb));
    let ner = format!("{data}/ner");
    let mut train: Vec<Sentence> = Vec::new();
    let dev: Vec<Sentence>;
    let mut notes = Vec::new();
    if lang == "de" {
        let ge = load(
            "germeval",
            &format!("{ner}/germeval2014/NER-de-dev.tsv"),
            Classes::Twelve,
        );
        let cut = if tune {
            GERMEVAL_DEV_HOLDOUT_FROM
        } else {
            ge.len()
        };
        let ge_train = &ge[..cut.min(ge.len())];
        dev = ge[cut.min(ge.len())..].to_vec();
        let ge_weight: usize = arg(&args, "--ge-weight").map_or(3, |v| v.parse().unwrap());
        for _ in 0..ge_weight {
            train.extend_from_slice(ge_train);
        }
        notes.push(format!(
            "germeval2014 dev[0..{cut}] x{ge_weight} (12 classes, outer)"
        ));
        let mut other: Vec<Sentence> = Vec::new();
        if !args.iter().any(|a| a == "--no-smartdata") {
            other.extend(load(
                "bio",
                &format!("{ner}/smartdata_de/smartdata_v1_train.bio.tsv"),
                Classes::Four,
            ));
            notes.push("smartdata_de train (all)".into());
        }
        let wiki_cap: usize = arg(&args, "--wiki").map_or(0, |v| v.parse().unwrap());
        let wiki = load("wikiann", &format!("{ner}/wikiann_de/train"), Classes::Four);
        other.extend(wiki.into_iter().take(wiki_cap));
        if wiki_cap > 0 {
            notes.push(format!("wikiann_de train (first {wiki_cap} sentences)"));
        }
        if args.iter().any(|a| a == "--hipe") {
            for f in [
                "hipe2020-train-de",
                "hipe2020-dev-de",
                "newseye-dev-de",
                "newseye-dev2-de",
                "sonar-dev-de",
            ] {
                other.extend(load(
                    "hipe",
                    &format!("{ner}/hipe2022_de/HIPE-2022-v2.1-{f}.tsv"),
                    Classes::Four,
                ));
            }
            notes.push("hipe2022_de (all five files; pers/org/loc, prod→MISC, time→O)".into());
        }
        if args.iter().any(|a| a == "--europeana") {
            for f in ["lft", "onb", "sbb"] {
                other.extend(load(
                    "bio",
                    &format!("{ner}/europeana_de/enp_DE.{f}.bio"),
                    Classes::Four,
                ));
            }
            notes.push("europeana_de (lft, onb, sbb)".into());
        }
        // Corpora without GermEval's deriv class: country adjectives from the KB that they
        // leave as O become B-LOCderiv (silver), so they do not teach the opposite.
        let adj: std::collections::HashSet<String> = cfg
            .gazetteer
            .iter()
            .filter(|(c, _)| *c == gazetteer::ADJ)
            .map(|(_, p)| p.to_lowercase())
            .collect();
        for s in &mut other {
            for i in 0..s.words.len() {
                if s.labels[i] == "O"
                    && s.words[i].chars().next().is_some_and(|c| c.is_lowercase())
                    && adj.contains(&s.words[i])
                {
                    s.labels[i] = "B-LOCderiv".into();
                }
            }
        }
        train.extend(other);
        // Lexicon: unlabelled 10kGNAD text plus the training words.
        let gnad = read(&format!("{data}/corpus/tenkgnad/test.csv"));
        let words = gazetteer::rough_words(&gnad).chain(
            train
                .iter()
                .flat_map(|s| s.words.iter().map(|w| w.as_str())),
        );
        cfg.lower_seen = gazetteer::lower_seen(words, 2);
        notes.push(
            "lexicon: lower-case words (>=2) in corpus/tenkgnad/test.csv + training words".into(),
        );
    } else {
        train = load(
            "conll",
            &format!("{ner}/conll2003_en/train.txt"),
            Classes::Four,
        );
        notes.push("conll2003_en train".into());
        let valid = load(
            "conll",
            &format!("{ner}/conll2003_en/valid.txt"),
            Classes::Four,
        );
        if tune {
            dev = valid;
        } else {
            notes.push("conll2003_en valid".into());
            train.extend(valid);
            dev = Vec::new();
        }
        let words = train
            .iter()
            .flat_map(|s| s.words.iter().map(|w| w.as_str()));
        cfg.lower_seen = gazetteer::lower_seen(words, 2);
        notes.push("lexicon: lower-case words (>=2) in the training words".into());
    }
    // Entity lexicon from WikiANN (de + en, all splits; silver, not used as training sentences).
    let mut silver = Vec::new();
    for l in ["de", "en"] {
        for split in ["train", "dev", "test"] {
            silver.extend(load(
                "wikiann",
                &format!("{ner}/wikiann_{l}/{split}"),
                Classes::Four,
            ));
        }
    }
    cfg.entity_lexicon = gazetteer::entity_lexicon(&silver);
    notes.push(format!(
        "entity lexicon: wikiann_de + wikiann_en (train, dev, test), {} words",
        cfg.entity_lexicon.len()
    ));
    let n_tok: usize = train.iter().map(|s| s.words.len()).sum();
    cfg.info = format!(
        "lang={lang}; corpora: {}; gazetteer: {} entries from {kb}; epochs={} seed={} bits={} prune={}; {} sentences, {} tokens",
        notes.join("; "),
        cfg.gazetteer.len(),
        cfg.epochs,
        cfg.seed,
        cfg.bits,
        cfg.prune,
        train.len(),
        n_tok
    );
    eprintln!("{}", cfg.info);
    eprintln!("loaded in {:.1}s", t0.elapsed().as_secs_f64());
    let four = |labels: &[String]| -> Vec<String> {
        let mut v = labels.to_vec();
        lagebild_ner::corpus::to_four_classes(&mut v);
        v
    };
    let model = train_with(&train, &cfg, |epoch, m| {
        if dev.is_empty() {
            return;
        }
        let mut r = Report::new();
        let mut r12 = Report::new();
        for s in &dev {
            let words: Vec<&str> = s.words.iter().map(|w| w.as_str()).collect();
            let pred = m.tag_words(&words);
            r.add(&four(&s.labels), &four(&pred));
            r12.add(&s.labels, &pred);
        }
        let deriv = r12.per_type.get("LOCderiv").map_or(0.0, |c| c.f1());
        eprintln!(
            "  epoch {epoch}: held-out F1 {:.2}% (P {:.2} R {:.2}) 12-class {:.2}% LOCderiv {:.2}%  rows {}",
            100.0 * r.overall.f1(),
            100.0 * r.overall.precision(),
            100.0 * r.overall.recall(),
            100.0 * r12.overall.f1(),
            100.0 * deriv,
            m.n_rows()
        );
        if epoch == cfg.epochs {
            eprintln!("{r}");
        }
    });
    let bytes = model.to_bytes();
    std::fs::write(&out, &bytes).expect("write model");
    eprintln!(
        "wrote {out}: {} bytes, {} rows, total {:.1}s",
        bytes.len(),
        model.n_rows(),
        t0.elapsed().as_secs_f64()
    );
}
