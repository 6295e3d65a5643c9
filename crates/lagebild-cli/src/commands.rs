//! The commands over inputs and the database.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use lagebild_formats::{InputError, ReadOptions};
use lagebild_model::{Document, RawDocument};
use lagebild_nlp::{Options, Pipeline};
use lagebild_store::{Incoming, PutOutcome, Store};
use rayon::prelude::*;

use crate::input::{self, Inputs};
use crate::{AnalyzeArgs, Cli, IngestArgs, ReadArgs, SearchArgs, ShowArgs, StatsArgs};

/// Input units (files) read and analysed together.
const UNITS_PER_CHUNK: usize = 64;

pub fn parse_date_arg(s: &str) -> Result<String, String> {
    lagebild_nlp::dates::parse_iso(s)
        .map(|d| d.to_string())
        .ok_or_else(|| format!("{s:?} is not a date of the form YYYY-MM-DD"))
}

fn read_options(r: &ReadArgs) -> ReadOptions {
    ReadOptions {
        max_bytes: r.max_size.saturating_mul(1024 * 1024),
        follow_hidden: r.hidden,
    }
}

fn report(err: &InputError) {
    eprintln!("error: {err}");
}

/// Reads a chunk of input units in parallel; returns the raw documents in input
/// order, each paired with its unit, and reports read errors.
fn read_chunk(
    inputs: &Inputs,
    range: std::ops::Range<usize>,
    opts: &ReadOptions,
    failed: &mut usize,
) -> Vec<RawDocument> {
    let units: Vec<_> = range
        .into_par_iter()
        .map(|i| input::read_unit(inputs, i, opts))
        .collect();
    let mut raws = Vec::new();
    for unit in units {
        for r in unit {
            match r {
                Ok(raw) => raws.push(raw),
                Err(e) => {
                    report(&e);
                    *failed += 1;
                }
            }
        }
    }
    raws
}

pub fn analyze(cli: &Cli, args: &AnalyzeArgs) -> Result<ExitCode> {
    let pipeline = input::pipeline(
        cli.resources.as_deref(),
        Options {
            default_published: args.read.published.clone(),
            keep_tokens: args.tokens,
            time_mode: args.read.time_mode.mode(),
        },
    )?;
    let opts = read_options(&args.read);
    let (inputs, walk_errors) = input::inputs(&args.read.paths, &opts);
    let mut failed = walk_errors.len();
    walk_errors.iter().for_each(report);
    let pool = input::thread_pool(args.read.threads)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut written = 0usize;
    let mut start = 0;
    while start < inputs.len() {
        let end = (start + UNITS_PER_CHUNK).min(inputs.len());
        let docs: Vec<Document> = pool.install(|| {
            let raws = read_chunk(&inputs, start..end, &opts, &mut failed);
            raws.into_par_iter().map(|r| pipeline.analyze(r)).collect()
        });
        for doc in docs {
            let line = if args.pretty {
                serde_json::to_string_pretty(&doc)
            } else {
                serde_json::to_string(&doc)
            }
            .expect("documents serialise");
            if let Err(e) = writeln!(out, "{line}") {
                if e.kind() == std::io::ErrorKind::BrokenPipe {
                    return Ok(ExitCode::SUCCESS);
                }
                return Err(e).context("writing to standard output");
            }
            written += 1;
        }
        start = end;
    }
    out.flush().context("writing to standard output")?;
    tracing::info!(written, failed, "analyse finished");
    Ok(exit_for(failed))
}

fn exit_for(failed: usize) -> ExitCode {
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// What an ingest did.
#[derive(Debug, Default, serde::Serialize)]
pub struct Summary {
    pub read: usize,
    pub new: usize,
    pub updated: usize,
    pub duplicates: usize,
    pub failed: usize,
}

/// The boxed store `open_store` gives.
pub type DynStore = Box<dyn Store + Send>;

/// Opens the database the user named: a SQLite file or a PostgreSQL URL.
pub fn open_store(db: &str) -> Result<DynStore> {
    lagebild_store::open(db)
        .with_context(|| format!("opening database {}", lagebild_store::redact_url(db)))
}

/// Reads, analyses and stores the inputs, committing every `batch` documents.
pub fn ingest_into(
    store: &mut dyn Store,
    pipeline: &Pipeline,
    inputs: &Inputs,
    opts: &ReadOptions,
    pool: &rayon::ThreadPool,
    batch: usize,
    progress: &ProgressBar,
) -> Result<Summary> {
    let mut s = Summary::default();
    let mut start = 0;
    while start < inputs.len() {
        let end = (start + UNITS_PER_CHUNK).min(inputs.len());
        let raws = pool.install(|| read_chunk(inputs, start..end, opts, &mut s.failed));
        s.read += raws.len();
        // Skip inputs stored before (a resumed ingest) without analysing them again.
        let mut todo = Vec::with_capacity(raws.len());
        for raw in raws {
            let hash = input::raw_document_hash(&raw);
            if store.has_raw(&hash)? {
                s.duplicates += 1;
            } else {
                todo.push((raw, hash));
            }
        }
        for part in todo.chunks(batch.max(1)) {
            let incoming: Vec<Incoming> = pool.install(|| {
                part.par_iter()
                    .map(|(raw, hash)| {
                        crate::stories::with_fingerprint(Incoming::new(
                            pipeline.analyze(raw.clone()),
                            Some(hash.clone()),
                        ))
                    })
                    .collect()
            });
            let outcomes = store
                .put_batch(&incoming)
                .context("storing a batch of documents")?;
            for (inc, o) in incoming.iter().zip(&outcomes) {
                match o {
                    PutOutcome::New => s.new += 1,
                    PutOutcome::Updated => s.updated += 1,
                    PutOutcome::Duplicate { existing } => {
                        tracing::info!(id = %inc.doc.id, %existing, "duplicate of a stored document");
                        s.duplicates += 1;
                    }
                }
            }
        }
        progress.inc((end - start) as u64);
        start = end;
    }
    Ok(s)
}

pub fn ingest(cli: &Cli, args: &IngestArgs) -> Result<ExitCode> {
    let pipeline = input::pipeline(
        cli.resources.as_deref(),
        Options {
            default_published: args.read.published.clone(),
            keep_tokens: false,
            time_mode: args.read.time_mode.mode(),
        },
    )?;
    let mut store = open_store(&args.db.db)?;
    let opts = read_options(&args.read);
    let (mut inputs, walk_errors) = input::inputs(&args.read.paths, &opts);
    walk_errors.iter().for_each(report);
    input::skip_database_files(&mut inputs, std::path::Path::new(&args.db.db));
    let pool = input::thread_pool(args.read.threads)?;
    let progress = ProgressBar::new(inputs.len() as u64).with_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} inputs ({per_sec}, {eta} left)",
        )
        .expect("valid template"),
    );
    let mut summary = ingest_into(
        store.as_mut(),
        &pipeline,
        &inputs,
        &opts,
        &pool,
        args.batch,
        &progress,
    )?;
    progress.finish_and_clear();
    summary.failed += walk_errors.len();
    if summary.new + summary.updated > 0 {
        let run = crate::stories::Clustering::new().step(store.as_mut())?;
        tracing::info!(
            replayed = run.replayed,
            added = run.added,
            stories = run.stories,
            near_duplicates = run.duplicates,
            "stories updated"
        );
    }
    if args.json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        println!(
            "read {}, new {}, updated {}, duplicates {}, failed {}  ({})",
            summary.read,
            summary.new,
            summary.updated,
            summary.duplicates,
            summary.failed,
            args.db.shown()
        );
    }
    Ok(exit_for(summary.failed))
}

pub fn search(args: &SearchArgs) -> Result<ExitCode> {
    let store = open_store(&args.db.db)?;
    let query = args.query.join(" ");
    let hits = match store.search(&query, args.limit) {
        Ok(h) => h,
        Err(lagebild_store::StoreError::Query { message, .. }) => {
            eprintln!("error: search {query:?}: {message}");
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&hits)?);
        return Ok(ExitCode::SUCCESS);
    }
    if hits.is_empty() {
        println!("no documents match {query:?}");
    }
    for h in &hits {
        println!(
            "{}  {}  {}  {}",
            h.id,
            h.published.as_deref().unwrap_or("----------"),
            h.language,
            h.title.as_deref().unwrap_or("(untitled)")
        );
        println!("    {}", h.snippet.replace('\n', " "));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn show(args: &ShowArgs) -> Result<ExitCode> {
    let store = open_store(&args.db.db)?;
    let Some(doc) = store.get(&args.id)? else {
        eprintln!(
            "error: no document with id {:?} in {}",
            args.id,
            args.db.shown()
        );
        return Ok(ExitCode::from(1));
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("id:        {}", doc.id);
    println!(
        "title:     {}",
        doc.title.as_deref().unwrap_or("(untitled)")
    );
    println!(
        "published: {}",
        doc.published.as_deref().unwrap_or("unknown")
    );
    println!("language:  {}", doc.language);
    if let Some(p) = doc.source.path.as_deref().or(doc.source.url.as_deref()) {
        println!("source:    {p}");
    }
    println!(
        "layers:    {} segments, {} sentences, {} entities, {} quotes, {} times, {} events",
        doc.segments.len(),
        doc.sentences.len(),
        doc.entities.len(),
        doc.quotes.len(),
        doc.times.len(),
        doc.events.len()
    );
    if !doc.entities.is_empty() {
        println!("entities:");
        for e in &doc.entities {
            let forms: std::collections::BTreeSet<&str> =
                e.mentions.iter().map(|m| m.text.as_str()).collect();
            let forms: Vec<&str> = forms.into_iter().collect();
            println!(
                "  {:<4} {:<32} {:<5} ×{}  {}",
                e.kind,
                e.name,
                e.country.as_deref().unwrap_or("-"),
                e.mentions.len(),
                forms.join(" | ")
            );
        }
    }
    if !doc.times.is_empty() {
        println!("times:");
        for t in &doc.times {
            println!("  {:<30} {:<8} {}", t.text, t.kind, t.value);
        }
    }
    if !doc.removed.is_empty() {
        println!("removed:");
        for r in &doc.removed {
            let t: String = r.text.chars().take(70).collect();
            println!("  [{}] {}", r.reason, t.replace('\n', " ⏎ "));
        }
    }
    println!();
    if doc.segments.len() > 1 {
        for seg in &doc.segments {
            println!(
                "── {}",
                seg.title.as_deref().unwrap_or("(untitled segment)")
            );
            println!("{}\n", &doc.text[seg.start..seg.end]);
        }
    } else {
        println!("{}", doc.text);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn stats(args: &StatsArgs) -> Result<ExitCode> {
    let store = open_store(&args.db.db)?;
    let st = store.stats()?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&st)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "database:   {} (schema version {})",
        args.db.shown(),
        st.schema_version
    );
    println!("documents:  {}", st.documents);
    println!("text:       {:.1} MB", st.bytes_of_text as f64 / 1e6);
    let langs: Vec<String> = st
        .languages
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    println!("languages:  {}", langs.join(", "));
    println!(
        "published:  {} … {}",
        st.first_published.as_deref().unwrap_or("?"),
        st.last_published.as_deref().unwrap_or("?")
    );
    Ok(ExitCode::SUCCESS)
}
