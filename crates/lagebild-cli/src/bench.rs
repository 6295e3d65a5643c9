//! `lagebild bench`: analysis throughput on a corpus, measured as a user runs
//! it (release build, real documents), never as a timed test.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use lagebild_model::RawDocument;
use lagebild_nlp::Options;
use rayon::prelude::*;

use crate::{input, Cli};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum BenchWhat {
    /// The whole analysis (`lagebild analyze` without I/O).
    Analyze,
    /// Near-duplicate precision and recall on generated copies and same-topic
    /// articles (`--seed`).
    Neardup,
    /// Story clustering of generated documents: time and memory (`--docs`).
    Stories,
    /// The work queue end to end: the corpus enqueued, then `--workers`
    /// worker processes analysing, storing and clustering it (`--db`).
    Workers,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// What to measure.
    #[arg(value_enum, default_value = "analyze")]
    what: BenchWhat,
    /// The corpus: the 10kGNAD CSV (`label;text`), a folder holding it, or any
    /// input lagebild reads (text, HTML, JSONL files or folders).
    #[arg(long, default_value = "../shared/data/corpus/tenkgnad")]
    corpus: PathBuf,
    /// Passes over the corpus (the figures are of all passes together).
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// Worker threads; 1 gives the per-core figure.
    #[arg(long, short = 'j', default_value_t = 1)]
    threads: usize,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Seed of the document generator (neardup, stories).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Documents to generate and cluster (stories); figures are printed at
    /// 10,000, 20,000, 50,000 and 100,000 on the way.
    #[arg(long, default_value_t = 100_000)]
    pub docs: usize,
    /// The database server for `workers`: a PostgreSQL URL (a fresh database
    /// is created on it per run and dropped after) or `sqlite` (a fresh file).
    #[arg(long, default_value = "sqlite")]
    pub db: String,
    /// Worker process counts to measure (workers), e.g. `1,2`.
    #[arg(long, value_delimiter = ',', default_value = "1,2")]
    pub workers: Vec<usize>,
    /// Documents claimed per batch (workers).
    #[arg(long, default_value_t = 32)]
    pub batch: usize,
}

#[derive(Debug, serde::Serialize)]
struct Figures {
    what: &'static str,
    corpus: String,
    documents: usize,
    megabytes: f64,
    threads: usize,
    repeat: usize,
    seconds: f64,
    docs_per_second: f64,
    mb_per_second: f64,
    sentences: usize,
    peak_rss_mb: Option<f64>,
}

/// Loads a benchmark corpus into memory.
pub fn load_corpus(path: &Path) -> Result<Vec<RawDocument>> {
    let csv = if path.is_dir() {
        path.join("test.csv")
    } else {
        path.to_path_buf()
    };
    if csv.extension().is_some_and(|e| e == "csv") && csv.is_file() {
        let text =
            std::fs::read_to_string(&csv).with_context(|| format!("reading {}", csv.display()))?;
        let name = csv.display().to_string();
        let docs: Vec<RawDocument> = lagebild_formats::read_semicolon_csv(&text, &name)
            .into_iter()
            .filter_map(|r| r.map_err(|e| tracing::warn!("{e}")).ok())
            .collect();
        return Ok(docs);
    }
    let opts = lagebild_formats::ReadOptions::default();
    let (files, errors) = lagebild_formats::discover(&[path.to_path_buf()], &opts);
    for e in errors {
        tracing::warn!("{e}");
    }
    Ok(files
        .iter()
        .flat_map(|f| lagebild_formats::read_file(f, &opts))
        .filter_map(|r| r.map_err(|e| tracing::warn!("{e}")).ok())
        .collect())
}

/// Peak resident memory of this process (Linux), in MB.
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub fn run(cli: &Cli, args: &BenchArgs) -> Result<ExitCode> {
    match args.what {
        BenchWhat::Neardup => {
            return crate::benchstories::neardup(&args.corpus, args.seed, args.json)
        }
        BenchWhat::Stories => {
            return crate::benchstories::stories(
                cli,
                &args.corpus,
                args.docs,
                args.seed,
                args.threads,
                args.json,
            )
        }
        BenchWhat::Workers => {
            return crate::benchworkers::workers(
                &args.corpus,
                &args.db,
                &args.workers,
                args.threads,
                args.batch,
                args.json,
            )
        }
        BenchWhat::Analyze => {}
    }
    let docs = load_corpus(&args.corpus)?;
    if docs.is_empty() {
        bail!("no documents in {}", args.corpus.display());
    }
    let bytes: usize = docs
        .iter()
        .map(|d| d.text.as_ref().or(d.html.as_ref()).map_or(0, String::len))
        .sum();
    let pipeline = input::pipeline(
        cli.resources.as_deref(),
        Options {
            default_published: Some("2016-01-01".into()),
            ..Default::default()
        },
    )?;
    let pool = input::thread_pool(Some(args.threads))?;
    let repeat = args.repeat.max(1);
    // One untimed warm-up pass over a slice, so lazy start-up work is not counted.
    pool.install(|| {
        docs.iter()
            .take(50)
            .for_each(|d| drop(pipeline.analyze(d.clone())))
    });
    let t = Instant::now();
    let mut sentences = 0;
    for _ in 0..repeat {
        sentences += pool.install(|| {
            docs.par_iter()
                .map(|d| pipeline.analyze(d.clone()).sentences.len())
                .sum::<usize>()
        });
    }
    let secs = t.elapsed().as_secs_f64();
    let mb = bytes as f64 / 1e6;
    let f = Figures {
        what: "analyze",
        corpus: args.corpus.display().to_string(),
        documents: docs.len(),
        megabytes: mb,
        threads: args.threads,
        repeat,
        seconds: secs,
        docs_per_second: (docs.len() * repeat) as f64 / secs,
        mb_per_second: mb * repeat as f64 / secs,
        sentences: sentences / repeat,
        peak_rss_mb: peak_rss_mb(),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&f)?);
    } else {
        println!(
            "bench {} on {} ({} documents, {:.2} MB)",
            f.what, f.corpus, f.documents, f.megabytes
        );
        println!(
            "  threads {}, passes {}: {:.2} s  →  {:.0} documents/s, {:.2} MB/s, {} sentences per pass",
            f.threads, f.repeat, f.seconds, f.docs_per_second, f.mb_per_second, f.sentences
        );
        if let Some(m) = f.peak_rss_mb {
            println!("  peak memory (RSS) {m:.0} MB");
        }
    }
    Ok(ExitCode::SUCCESS)
}
