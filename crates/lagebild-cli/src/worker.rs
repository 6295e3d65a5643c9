//! `lagebild enqueue`, `lagebild worker` and `lagebild queue`: many processes
//! on many machines analysing one stream into one database (PostgreSQL; SQLite
//! works too on one machine). The queue semantics are in `lagebild_store`'s
//! `work` module; here is the loop around them.
//!
//! A worker claims `--batch` documents, analyses them in parallel (rayon, pure
//! core), stores the results and marks the rows done in one transaction, then
//! runs a clustering step; the storing and clustering of one batch overlap the
//! analysis of the next (claimed before the previous one is stored: a worker
//! that dies holds at most two batches, both given back by their lease). A panic in the analysis of one document fails that
//! document only (it is retried, then parked with the panic's message).

use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use lagebild_formats::ReadOptions;
use lagebild_model::RawDocument;
use lagebild_nlp::{Options, Pipeline};
use lagebild_store::{Claimed, Finished, Incoming, Lease, QueueItem, StoreError};
use rayon::prelude::*;

use crate::commands::{open_store, DynStore};
use crate::stories::{with_fingerprint, Clustering};
use crate::{input, Cli, DbArg};

#[derive(Debug, Args)]
pub struct EnqueueArgs {
    #[command(flatten)]
    db: DbArg,
    /// Files or folders (searched recursively); `-` or nothing reads standard input.
    paths: Vec<std::path::PathBuf>,
    /// Largest input file read, in MiB; larger ones are reported and skipped.
    #[arg(long, default_value_t = 50, value_name = "MIB")]
    max_size: u64,
    /// Also read hidden files and folders (names starting with a dot).
    #[arg(long)]
    hidden: bool,
    /// Documents added per transaction.
    #[arg(long, default_value_t = 500)]
    batch: usize,
}

#[derive(Debug, Args)]
pub struct WorkerArgs {
    #[command(flatten)]
    db: DbArg,
    /// Documents claimed and stored together.
    #[arg(long, default_value_t = 32)]
    batch: usize,
    /// Analysis threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Seconds a claim holds; a worker that dies gives its documents back
    /// after this long.
    #[arg(long, default_value_t = 300, value_name = "SECONDS")]
    lease: i64,
    /// Tries per document before it is parked.
    #[arg(long, default_value_t = 3)]
    max_attempts: u32,
    /// Exit when the queue has nothing left to do: nothing pending and nothing
    /// claimed by other workers (else wait for more).
    #[arg(long)]
    exit_when_empty: bool,
    /// Seconds between looks at an empty queue.
    #[arg(long, default_value_t = 2.0, value_name = "SECONDS")]
    poll: f64,
    /// This worker's name in the queue (default: host and process id).
    #[arg(long)]
    name: Option<String>,
    /// Publication date for documents that carry none (YYYY-MM-DD).
    #[arg(long, value_parser = crate::commands::parse_date_arg)]
    published: Option<String>,
    /// Sleep this long per document (fault tests and demonstrations only).
    #[arg(long, hide = true, default_value_t = 0, value_name = "MS")]
    delay_ms: u64,
}

#[derive(Debug, Args)]
pub struct QueueArgs {
    #[command(flatten)]
    db: DbArg,
    /// List the parked documents with their errors.
    #[arg(long)]
    parked: bool,
    /// Put the parked documents back into the queue.
    #[arg(long)]
    retry_parked: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// The queue row of a raw document (named by its path, `-` for standard input).
pub fn queue_item(raw: &RawDocument) -> QueueItem {
    QueueItem {
        source: raw.path.clone().unwrap_or_else(|| "-".into()),
        raw_hash: input::raw_document_hash(raw),
        payload: serde_json::to_string(raw).expect("raw documents serialise"),
    }
}

pub fn enqueue(args: &EnqueueArgs) -> Result<ExitCode> {
    let mut store = open_store(&args.db.db)?;
    let opts = ReadOptions {
        max_bytes: args.max_size.saturating_mul(1024 * 1024),
        follow_hidden: args.hidden,
    };
    let (mut inputs, walk_errors) = input::inputs(&args.paths, &opts);
    let mut failed = walk_errors.len();
    for e in &walk_errors {
        eprintln!("error: {e}");
    }
    input::skip_database_files(&mut inputs, std::path::Path::new(&args.db.db));
    let progress = ProgressBar::new(inputs.len() as u64).with_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} inputs")
            .expect("valid template"),
    );
    let (mut read, mut added) = (0usize, 0usize);
    let mut items = Vec::new();
    for i in 0..inputs.len() {
        for r in input::read_unit(&inputs, i, &opts) {
            match r {
                Ok(raw) => {
                    read += 1;
                    items.push(queue_item(&raw));
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    failed += 1;
                }
            }
        }
        if items.len() >= args.batch.max(1) {
            added += store.enqueue(&items).context("adding to the queue")?;
            items.clear();
        }
        progress.inc(1);
    }
    added += store.enqueue(&items).context("adding to the queue")?;
    progress.finish_and_clear();
    let counts = store.queue_counts()?;
    println!(
        "read {read}, queued {added} (already queued {}), failed {failed}; queue: {} pending, {} claimed, {} done, {} parked  ({})",
        read - added,
        counts.pending,
        counts.claimed,
        counts.done,
        counts.parked,
        args.db.shown()
    );
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn analyse_one(pipeline: &Pipeline, c: &Claimed, delay: Duration) -> Finished {
    let raw: RawDocument = match serde_json::from_str(&c.payload) {
        Ok(r) => r,
        Err(e) => return Finished::Failed(format!("{}: queued input unreadable: {e}", c.source)),
    };
    if !delay.is_zero() {
        std::thread::sleep(delay);
    }
    let analysed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pipeline.analyze(raw)));
    match analysed {
        Ok(doc) => Finished::Stored(Box::new(with_fingerprint(Incoming::new(
            doc,
            Some(c.raw_hash.clone()),
        )))),
        Err(p) => {
            let msg = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Finished::Failed(format!("{}: analysis panicked: {msg}", c.source))
        }
    }
}

/// Runs `f` again (up to 5 times, with a short pause) when it lost a
/// conflict with another worker's transaction: nothing was written then.
fn retrying<T>(what: &str, mut f: impl FnMut() -> Result<T>) -> Result<T> {
    let mut tries = 0;
    loop {
        match f() {
            Err(e)
                if tries < 5
                    && e.downcast_ref::<StoreError>()
                        .is_some_and(StoreError::is_transient) =>
            {
                tries += 1;
                tracing::info!(error = %e, tries, "{what} conflicted with another worker; again");
                std::thread::sleep(Duration::from_millis(50 * tries));
            }
            r => return r,
        }
    }
}

/// What a worker did so far.
struct Progress {
    totals: lagebild_store::FinishSummary,
    /// Seconds spent analysing, storing and clustering.
    spent: [f64; 3],
    /// A clustering step is due when the worker is next idle.
    dirty: bool,
}

/// Stores analysed results (the rows and the documents in one transaction),
/// then clusters what is new.
fn save(
    store: &mut dyn lagebild_store::Store,
    clustering: &mut Clustering,
    name: &str,
    results: &[(i64, Finished)],
    lease: Lease,
    progress: &mut Progress,
) -> Result<()> {
    let t = Instant::now();
    let s = retrying("storing", || {
        store
            .finish(name, results, lease)
            .context("storing analysed documents")
    })?;
    progress.totals.add(&s);
    progress.spent[1] += t.elapsed().as_secs_f64();
    if s.new + s.updated > 0 {
        let t = Instant::now();
        let step = retrying("clustering", || clustering.step(store))?;
        progress.spent[2] += t.elapsed().as_secs_f64();
        tracing::info!(
            replayed = step.replayed,
            added = step.added,
            stories = step.stories,
            "stories updated"
        );
        progress.dirty = true;
    }
    tracing::info!(
        new = s.new,
        duplicates = s.duplicates,
        failed = s.retry + s.parked,
        lost = s.lost,
        "batch stored"
    );
    Ok(())
}

fn worker_name(args: &WorkerArgs) -> String {
    args.name.clone().unwrap_or_else(|| {
        let host = std::fs::read_to_string("/etc/hostname")
            .map(|h| h.trim().to_string())
            .ok()
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "host".into());
        format!("{host}:{}", std::process::id())
    })
}

pub fn run(cli: &Cli, args: &WorkerArgs) -> Result<ExitCode> {
    let pipeline = input::pipeline(
        cli.resources.as_deref(),
        Options {
            default_published: args.published.clone(),
            ..Default::default()
        },
    )?;
    let mut store: DynStore = open_store(&args.db.db)?;
    let pool = input::thread_pool(args.threads)?;
    let name = worker_name(args);
    let lease = Lease {
        seconds: args.lease.max(1),
        max_attempts: args.max_attempts.max(1),
    };
    let delay = Duration::from_millis(args.delay_ms);
    let mut clustering = Clustering::new();
    let started = Instant::now();
    let mut progress = Progress {
        totals: lagebild_store::FinishSummary::default(),
        spent: [0.0; 3],
        // a step when first idle, and after work: clusters what others left
        // unclustered (a worker that died between storing and clustering, or
        // documents that came over HTTP)
        dirty: true,
    };
    eprintln!("worker {name} on {}", args.db.shown());
    // Analysed and not yet stored: stored while the next batch is analysed.
    let mut ready: Option<Vec<(i64, Finished)>> = None;
    loop {
        let claimed = store
            .claim(&name, args.batch.max(1), lease)
            .context("claiming from the queue")?;
        if claimed.is_empty() {
            if let Some(results) = ready.take() {
                save(
                    store.as_mut(),
                    &mut clustering,
                    &name,
                    &results,
                    lease,
                    &mut progress,
                )?;
                // failures went back to the queue: look again
                continue;
            }
            if progress.dirty {
                retrying("clustering", || clustering.step(store.as_mut()))?;
                progress.dirty = false;
            }
            // Done when nothing is pending or held by others: a claim of a
            // worker that died comes back when its lease runs out.
            if args.exit_when_empty && store.queue_counts()?.claimed == 0 {
                break;
            }
            std::thread::sleep(Duration::from_secs_f64(args.poll.max(0.05)));
            continue;
        }
        // This batch is analysed while the previous one is stored and
        // clustered (the database round trips overlap the analysis).
        let previous = ready.take();
        // (a thread of its own, so that this holds with one analysis thread too)
        let ((results, analysing), saved) = std::thread::scope(|scope| {
            let saver = scope.spawn(|| match &previous {
                Some(results) => save(
                    store.as_mut(),
                    &mut clustering,
                    &name,
                    results,
                    lease,
                    &mut progress,
                ),
                None => Ok(()),
            });
            let analysed = pool.install(|| {
                let t = Instant::now();
                let results: Vec<(i64, Finished)> = claimed
                    .par_iter()
                    .map(|c| (c.id, analyse_one(&pipeline, c, delay)))
                    .collect();
                (results, t.elapsed().as_secs_f64())
            });
            let saved = saver
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            (analysed, saved)
        });
        saved?;
        progress.spent[0] += analysing;
        for (id, r) in &results {
            if let Finished::Failed(e) = r {
                tracing::warn!(id, error = %e, "analysis failed");
            }
        }
        ready = Some(results);
    }
    let totals = &progress.totals;
    let spent = progress.spent;
    let secs = started.elapsed().as_secs_f64();
    let done = totals.new + totals.updated + totals.duplicates;
    println!(
        "worker {name}: stored {} new, {} updated, {} duplicates; {} to retry, {} parked, {} lost; {:.1} documents/s (analysing {:.1} s, storing {:.1} s, clustering {:.1} s)",
        totals.new,
        totals.updated,
        totals.duplicates,
        totals.retry,
        totals.parked,
        totals.lost,
        done as f64 / secs.max(1e-9),
        spent[0],
        spent[1],
        spent[2]
    );
    let _ = std::io::stdout().flush();
    Ok(ExitCode::SUCCESS)
}

pub fn queue(args: &QueueArgs) -> Result<ExitCode> {
    let mut store = open_store(&args.db.db)?;
    if args.retry_parked {
        let n = store.retry_parked()?;
        println!("{n} parked documents back in the queue");
    }
    let counts = store.queue_counts()?;
    let parked = if args.parked {
        store.parked(1000)?
    } else {
        Vec::new()
    };
    if args.json {
        println!(
            "{}",
            serde_json::json!({"counts": counts, "parked": parked})
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} pending, {} claimed, {} done, {} parked  ({})",
        counts.pending,
        counts.claimed,
        counts.done,
        counts.parked,
        args.db.shown()
    );
    for p in &parked {
        println!(
            "  #{} {} (attempts {}): {}",
            p.id,
            p.source,
            p.attempts,
            p.error.as_deref().unwrap_or("")
        );
    }
    Ok(ExitCode::SUCCESS)
}
