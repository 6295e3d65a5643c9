//! `lagebild eval <layer>`: accuracy on the shared annotated data, printed as
//! precision / recall / F1 beside the published anchors.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};

use crate::{input, Cli};

#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(subcommand)]
    what: EvalWhat,
}

#[derive(Debug, Subcommand)]
enum EvalWhat {
    /// Temporal expressions over TimeML (TIMEX3) or WikiWarsDE (TIMEX2) files:
    /// strict and relaxed extent F1 and value F1, scored as TempEval-3 does.
    Time(TimeArgs),
    /// Entity linking on the NGEC actor-resolution cases: country and sector accuracy.
    Link(LinkArgs),
    /// Named-entity recognition: exact-span precision, recall and F1 per type
    /// (conlleval semantics) on an annotated corpus file.
    Ner(NerArgs),
    /// Quotations: token-overlap precision, recall and F1 for quote, speaker and
    /// cue, and the speaker-match rate, on the German Wikinews corpus (a JSON
    /// Lines file) or PolNeAR (a folder with text/ and attributions/).
    Quotes(QuoteArgs),
    /// Main-content extraction from web pages on ../shared/data/extract: each
    /// benchmark's own text metric (German pages separately), dates, titles,
    /// authors, page kinds and ms/page; `--compare DIR` scores another
    /// extractor's outputs beside ours (tools/extract/run_trafilatura.sh).
    Extract(crate::evalextract::ExtractArgs),
    /// Political events on the PLOVER gold-standard records or the German/English
    /// smoke set: event-type accuracy, actor/recipient country P/R/F1, mode
    /// accuracy, must-not-emit violations.
    Events(crate::evalevents::EventArgs),
}

#[derive(Debug, Args)]
struct QuoteArgs {
    /// The Wikinews dev.jsonl, or a PolNeAR split folder.
    #[arg(long)]
    data: PathBuf,
    /// Language of the corpus.
    #[arg(long)]
    lang: String,
    /// Most documents to read (a slice for quick checks and CI).
    #[arg(long)]
    limit: Option<usize>,
    /// Fail (exit 1) when quote F1 is below this floor.
    #[arg(long)]
    min_quote_f1: Option<f64>,
    /// Print the first N gold quotes whose speaker the system missed (gold
    /// and system speaker, cue, quote).
    #[arg(long, value_name = "N")]
    errors: Option<usize>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum NerFormat {
    /// GermEval 2014 TSV, outer chunks
    Germeval,
    /// GermEval 2014 TSV, inner chunks
    GermevalInner,
    /// CoNLL-2003 (token … tag)
    Conll,
    /// WikiANN (`de:token\tTAG`)
    Wikiann,
    /// HIPE-2022 TSV
    Hipe,
    /// token<TAB>BIO
    Bio,
}

#[derive(Debug, Args)]
struct NerArgs {
    /// Language of the shipped model to evaluate (de, en).
    #[arg(long)]
    lang: String,
    /// The annotated file.
    #[arg(long)]
    data: PathBuf,
    #[arg(long, value_enum, default_value = "germeval")]
    format: NerFormat,
    /// 4 classes (PER, LOC, ORG, MISC; deriv/part as O) or GermEval's 12.
    #[arg(long, default_value_t = 4)]
    classes: u8,
    /// A model file instead of the shipped one.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Most sentences to read (a slice for quick checks and CI).
    #[arg(long)]
    limit: Option<usize>,
    /// Fail (exit 1) when overall F1 is below this floor.
    #[arg(long)]
    min_f1: Option<f64>,
    /// Skip this many sentences first (with --limit: a slice, e.g. a held-out part).
    #[arg(long, default_value_t = 0)]
    skip: usize,
    /// Write `word<TAB>gold<TAB>predicted` lines (a blank line between sentences) here,
    /// for error analysis.
    #[arg(long)]
    dump: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum TimeFormat {
    /// TimeML with inline TIMEX3 (KRAUTS, TimeBank)
    Timeml,
    /// Inline TIMEX2 (WikiWarsDE keyinline)
    Timex2,
}

#[derive(Debug, Args)]
struct TimeArgs {
    /// Folder of annotated files (or one file).
    #[arg(long)]
    data: PathBuf,
    /// Language of the files.
    #[arg(long)]
    lang: String,
    #[arg(long, value_enum, default_value = "timeml")]
    format: TimeFormat,
    /// Score another system's TimeML output (same texts) instead of ours,
    /// e.g. the HeidelTime files that come with KRAUTS.
    #[arg(long)]
    system: Option<PathBuf>,
    /// Most files to read (a slice for quick checks and CI).
    #[arg(long)]
    limit: Option<usize>,
    /// Score only one half of the files sorted by name: `first` (the first ⌊n/2⌋)
    /// or `second` (the rest), to check that a change generalises.
    #[arg(long, value_parser = ["first", "second"])]
    half: Option<String>,
    /// Fail (exit 1) when value F1 is below this floor.
    #[arg(long)]
    min_value_f1: Option<f64>,
    /// Print every expression whose value is wrong, missed or spurious (to stderr).
    #[arg(long)]
    errors: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct LinkArgs {
    /// The NGEC actor-resolution gold file (JSON Lines).
    #[arg(
        long,
        default_value = "../shared/data/events/ngec2025/actor_resolution_gold.jsonl"
    )]
    data: PathBuf,
    /// Print every case that is wrong.
    #[arg(long)]
    errors: bool,
    /// Fail (exit 1) when country accuracy is below this floor.
    #[arg(long)]
    min_country: Option<f64>,
    /// Score only the odd- or even-numbered cases (1-based, in file order), to
    /// diagnose errors on one half and check on the other that a change generalises.
    #[arg(long, value_parser = ["odd", "even"])]
    half: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(cli: &Cli, args: &EvalArgs) -> Result<ExitCode> {
    match &args.what {
        EvalWhat::Time(a) => time(cli, a),
        EvalWhat::Ner(a) => ner(a),
        EvalWhat::Quotes(a) => quotes(cli, a),
        EvalWhat::Extract(a) => crate::evalextract::run(a),
        EvalWhat::Events(a) => crate::evalevents::run(cli, a),
        EvalWhat::Link(a) => {
            let half = a.half.as_deref().map(|h| h == "odd");
            crate::evallink::run(cli, a.data.as_path(), a.errors, a.min_country, half, a.json)
        }
    }
}

fn annotated_files(path: &Path, limit: Option<usize>) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = if path.is_dir() {
        std::fs::read_dir(path)
            .with_context(|| format!("reading folder {}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect()
    } else {
        vec![path.to_path_buf()]
    };
    files.sort();
    if let Some(n) = limit {
        files.truncate(n);
    }
    if files.is_empty() {
        bail!("no files in {}", path.display());
    }
    Ok(files)
}

fn time(cli: &Cli, a: &TimeArgs) -> Result<ExitCode> {
    use lagebild_time::timeml::{parse_timeml, parse_timex2_inline, TimemlDoc};
    let res = input::resources(cli.resources.as_deref())?;
    let tagger = lagebild_time::TimeTagger::from_files(&res.with_prefix("time/"))
        .context("loading the time rules")?;
    let parse = |p: &Path| -> Result<TimemlDoc> {
        let raw = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
        let name = p.display().to_string();
        Ok(match a.format {
            TimeFormat::Timeml => parse_timeml(&raw, &name),
            TimeFormat::Timex2 => parse_timex2_inline(&raw, &name),
        }?)
    };
    let mut files = annotated_files(&a.data, None)?;
    if let Some(h) = a.half.as_deref() {
        let mid = files.len() / 2;
        files = if h == "first" {
            files[..mid].to_vec()
        } else {
            files[mid..].to_vec()
        };
    }
    if let Some(n) = a.limit {
        files.truncate(n);
    }
    if files.is_empty() {
        bail!("no files in {}", a.data.display());
    }
    let mut docs = Vec::new();
    for f in files {
        match parse(&f) {
            Ok(d) => docs.push((f, d)),
            Err(e) => eprintln!("error: {e:#}"),
        }
    }
    if a.errors && a.system.is_none() {
        for (f, d) in &docs {
            time_errors(&tagger, f, d, &a.lang);
        }
    }
    let (label, scores) = match &a.system {
        None => (
            "lagebild",
            lagebild_time::eval::eval_docs(
                &tagger,
                &docs.iter().map(|(_, d)| d.clone()).collect::<Vec<_>>(),
                &a.lang,
                None,
            ),
        ),
        Some(dir) => {
            let mut pairs = Vec::new();
            for (f, gold) in &docs {
                let sys = dir.join(f.file_name().unwrap());
                match parse(&sys) {
                    Ok(s) => pairs.push((gold.clone(), s)),
                    Err(e) => eprintln!("error: {e:#}"),
                }
            }
            ("system", lagebild_time::eval::score_pairs(&pairs))
        }
    };
    if a.json {
        println!("{}", serde_json::to_string_pretty(&scores)?);
    } else {
        println!(
            "eval time: {} ({} files, {}), {label}",
            a.data.display(),
            docs.len(),
            a.lang
        );
        println!("{scores}");
        println!("anchors: HeidelTime value F1 ≈ 0.66 on KRAUTS Dolomiten-100, ≈ 0.79 on TimeBank; targets 0.80 / 0.82");
    }
    if let Some(min) = a.min_value_f1 {
        if scores.value_f1 < min {
            eprintln!(
                "error: value F1 {:.3} is below the floor {min:.3}",
                scores.value_f1
            );
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line per wrong value (`VALUE`), missed gold (`MISSED`) and spurious (`SPURIOUS`)
/// expression of one document, on stderr.
fn time_errors(
    tagger: &lagebild_time::TimeTagger,
    f: &Path,
    d: &lagebild_time::timeml::TimemlDoc,
    lang: &str,
) {
    let sys = lagebild_time::eval::tag_doc(tagger, d, lang, None);
    let pairs = lagebild_time::eval::align(&d.timexes, &sys);
    let name = f
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let span = |s: usize, e: usize| d.text.get(s..e).unwrap_or("").replace('\n', " ");
    for &(gi, si) in &pairs {
        let (g, s) = (&d.timexes[gi], &sys[si]);
        if g.value.trim() != s.value.trim() {
            eprintln!(
                "VALUE\t{name}\tdct={}\tgold [{}] {} {}\tsys [{}] {} {}",
                d.dct.as_deref().unwrap_or("-"),
                span(g.start, g.end),
                g.kind,
                g.value,
                s.text,
                s.kind,
                s.value
            );
        }
    }
    // where a printed excerpt starts: up to 40 characters before `at`
    let context_start = |at: usize| d.text[..at].char_indices().rev().nth(40).map_or(0, |x| x.0);
    for (gi, g) in d.timexes.iter().enumerate() {
        if !pairs.iter().any(|&(x, _)| x == gi) {
            let text = span(context_start(g.start), g.end);
            eprintln!("MISSED\t{name}\t{} {}\t…{text}", g.kind, g.value);
        }
    }
    for (si, s) in sys.iter().enumerate() {
        if !pairs.iter().any(|&(_, x)| x == si) {
            let text = span(context_start(s.start), s.end);
            eprintln!("SPURIOUS\t{name}\t{} {}\t…{text}", s.kind, s.value);
        }
    }
}

fn ner(a: &NerArgs) -> Result<ExitCode> {
    use lagebild_ner::corpus::{self, Chunks, Classes};
    let model = match &a.model {
        Some(p) => {
            let bytes = std::fs::read(p).with_context(|| format!("reading {}", p.display()))?;
            lagebild_ner::NerModel::from_bytes(&bytes)
                .with_context(|| format!("loading {}", p.display()))?
        }
        None => lagebild_ner::builtin(&a.lang)
            .with_context(|| format!("no shipped NER model for {:?}", a.lang))?,
    };
    let classes = if a.classes == 12 {
        Classes::Twelve
    } else {
        Classes::Four
    };
    let text = std::fs::read_to_string(&a.data)
        .with_context(|| format!("reading {}", a.data.display()))?;
    let mut sents = match a.format {
        NerFormat::Germeval => corpus::germeval_tsv(&text, Chunks::Outer, classes),
        NerFormat::GermevalInner => corpus::germeval_tsv(&text, Chunks::Inner, classes),
        NerFormat::Conll => corpus::conll(&text),
        NerFormat::Wikiann => corpus::wikiann(&text),
        NerFormat::Hipe => corpus::hipe_tsv(&text),
        NerFormat::Bio => corpus::bio_tsv(&text),
    };
    sents.drain(..a.skip.min(sents.len()));
    if let Some(n) = a.limit {
        sents.truncate(n);
    }
    if sents.is_empty() {
        bail!("no sentences in {}", a.data.display());
    }
    let mut report = lagebild_ner::eval::Report::new();
    let predicted = report.add_tagged(&model, &sents, a.classes != 12);
    if let Some(path) = &a.dump {
        let mut out = String::new();
        for (s, pred) in sents.iter().zip(&predicted) {
            for ((w, g), p) in s.words.iter().zip(&s.labels).zip(pred) {
                out.push_str(&format!("{w}\t{g}\t{p}\n"));
            }
            out.push('\n');
        }
        std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))?;
    }
    println!(
        "eval ner: {} ({} sentences, {} classes, model {})",
        a.data.display(),
        sents.len(),
        a.classes,
        model.lang()
    );
    print!("{report}");
    println!("anchors: GermEval 2014 test (4 classes) best 2014 system ≈ 0.79, target 0.80; CoNLL-2003 test target 0.88");
    if let Some(min) = a.min_f1 {
        if report.overall.f1() < min {
            eprintln!(
                "error: F1 {:.3} is below the floor {min:.3}",
                report.overall.f1()
            );
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn quotes(cli: &Cli, a: &QuoteArgs) -> Result<ExitCode> {
    use lagebild_quotes::eval::{evaluate, parse_brat, parse_wikinews_jsonl};
    let res = input::resources(cli.resources.as_deref())?;
    let ex = lagebild_quotes::QuoteExtractor::from_files(&res.with_prefix("quotes/"))
        .context("loading the cue lexicons")?;
    let mut docs = if a.data.is_dir() {
        let texts = a.data.join("text");
        let anns_dir = a.data.join("attributions");
        let mut anns: Vec<String> = std::fs::read_dir(&anns_dir)
            .with_context(|| format!("reading {}", anns_dir.display()))?
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
        anns.sort();
        let mut docs = Vec::new();
        for f in annotated_files(&texts, None)? {
            let Some(stem) = f
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".txt"))
            else {
                continue;
            };
            // The first annotator's file per article, by name.
            let Some(ann) = anns
                .iter()
                .find(|n| n.starts_with(&format!("{stem}_")) && n.ends_with(".ann"))
            else {
                continue;
            };
            let text =
                std::fs::read_to_string(&f).with_context(|| format!("reading {}", f.display()))?;
            let ann_text = std::fs::read_to_string(anns_dir.join(ann))
                .with_context(|| format!("reading {ann}"))?;
            match parse_brat(stem, &text, &ann_text) {
                Ok(d) => docs.push(d),
                Err(e) => eprintln!("error: {}: {e}", f.display()),
            }
        }
        docs
    } else {
        let text = std::fs::read_to_string(&a.data)
            .with_context(|| format!("reading {}", a.data.display()))?;
        parse_wikinews_jsonl(&text).with_context(|| format!("parsing {}", a.data.display()))?
    };
    for d in &mut docs {
        d.language = a.lang.clone();
    }
    if let Some(n) = a.limit {
        docs.truncate(n);
    }
    if docs.is_empty() {
        bail!("no documents in {}", a.data.display());
    }
    let report = evaluate(&ex, &docs);
    println!(
        "eval quotes: {} ({} documents, {})",
        a.data.display(),
        docs.len(),
        a.lang
    );
    print!("{report}");
    if let Some(n) = a.errors {
        let errs = lagebild_quotes::eval::speaker_errors(&ex, &docs);
        println!(
            "speaker errors: {} (showing {})",
            errs.len(),
            n.min(errs.len())
        );
        for e in errs.iter().take(n) {
            println!("{e}");
        }
    }
    println!("anchors: German Wikinews dev, published rule-based baseline quote F1 ≈ 0.48, speaker F1 ≈ 0.32; targets 0.70 / 0.60");
    if let Some(min) = a.min_quote_f1 {
        if report.quote.f1() < min {
            eprintln!(
                "error: quote F1 {:.3} is below the floor {min:.3}",
                report.quote.f1()
            );
            return Ok(ExitCode::from(1));
        }
    }
    Ok(ExitCode::SUCCESS)
}
