//! `lagebild bench workers`: end-to-end throughput of the work queue — the
//! corpus enqueued, then 1, 2, … `lagebild worker` processes (this binary)
//! claiming, analysing, storing and clustering until the queue is empty; the
//! wall time from the first worker's start to the last one's exit. Each run
//! gets a fresh database: a new SQLite file, or a new database on the
//! PostgreSQL server of `--db` (dropped afterwards).

use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use lagebild_store::{create_database, drop_database, is_postgres_url, QueueItem};

use crate::commands::open_store;

#[derive(Debug, serde::Serialize)]
struct Run {
    backend: &'static str,
    workers: usize,
    threads_per_worker: usize,
    documents: u64,
    seconds: f64,
    docs_per_second: f64,
    stories: usize,
}

/// A fresh database for one run, and how to remove it.
enum Fresh {
    Sqlite(std::path::PathBuf),
    Postgres { server: String, name: String },
}

impl Fresh {
    fn new(db: &str, run: usize) -> Result<(Fresh, String)> {
        if is_postgres_url(db) {
            let name = format!("lagebild_bench_{}_{run}", std::process::id());
            let url = create_database(db, &name)?;
            Ok((
                Fresh::Postgres {
                    server: db.to_string(),
                    name,
                },
                url,
            ))
        } else {
            let dir = std::env::temp_dir().join(format!(
                "lagebild-bench-workers-{}-{run}",
                std::process::id()
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir)?;
            let path = dir.join("bench.db");
            let spec = path.to_string_lossy().into_owned();
            Ok((Fresh::Sqlite(dir), spec))
        }
    }

    fn remove(self) {
        match self {
            Fresh::Sqlite(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Fresh::Postgres { server, name } => {
                if let Err(e) = drop_database(&server, &name) {
                    eprintln!("warning: dropping {name}: {e}");
                }
            }
        }
    }
}

pub fn workers(
    corpus: &Path,
    db: &str,
    counts: &[usize],
    threads: usize,
    batch: usize,
    json: bool,
) -> Result<ExitCode> {
    let docs = crate::bench::load_corpus(corpus)?;
    if docs.is_empty() {
        bail!("no documents in {}", corpus.display());
    }
    let items: Vec<QueueItem> = docs.iter().map(crate::worker::queue_item).collect();
    let exe = std::env::current_exe().context("finding the lagebild binary")?;
    let backend = if is_postgres_url(db) {
        "postgres"
    } else {
        "sqlite"
    };
    let mut runs = Vec::new();
    for (run, &w) in counts.iter().enumerate() {
        let (fresh, url) = Fresh::new(db, run)?;
        let result = (|| -> Result<Run> {
            let mut store = open_store(&url)?;
            store.enqueue(&items)?;
            drop(store);
            let start = Instant::now();
            let children = (0..w.max(1))
                .map(|i| {
                    Command::new(&exe)
                        .args(["worker", "--db", &url, "--exit-when-empty", "--poll", "0.2"])
                        .args(["--threads", &threads.to_string()])
                        .args(["--batch", &batch.to_string()])
                        .args(["--name", &format!("bench-{i}")])
                        .stdout(Stdio::piped())
                        .spawn()
                        .context("starting a worker")
                })
                .collect::<Result<Vec<_>>>()?;
            let mut reports = Vec::new();
            for c in children {
                let out = c.wait_with_output()?;
                if !out.status.success() {
                    bail!("a worker failed ({})", out.status);
                }
                reports.push(String::from_utf8_lossy(&out.stdout).trim().to_string());
            }
            let seconds = start.elapsed().as_secs_f64();
            let store = open_store(&url)?;
            let counts = store.queue_counts()?;
            if counts.done != items.len() as u64 {
                bail!("queue not done after the workers exited: {counts:?}");
            }
            let stories = store
                .stories(lagebild_store::Page::first(100_000))?
                .items
                .len();
            if !json {
                for r in &reports {
                    println!("  {r}");
                }
            }
            Ok(Run {
                backend,
                workers: w.max(1),
                threads_per_worker: threads,
                documents: counts.done,
                seconds,
                docs_per_second: counts.done as f64 / seconds.max(1e-9),
                stories,
            })
        })();
        fresh.remove();
        let r = result?;
        if !json {
            println!(
                "{:<8} {} worker(s) × {} thread(s): {} documents in {:.1} s = {:.1} documents/s ({} stories)",
                r.backend, r.workers, r.threads_per_worker, r.documents, r.seconds, r.docs_per_second, r.stories
            );
        }
        runs.push(r);
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&runs)?);
    }
    Ok(ExitCode::SUCCESS)
}
