//! Stories over a database: `lagebild recluster`, `lagebild stories`,
//! `lagebild story ID`, and the clustering run that `ingest` and `demo` do
//! after storing new documents.
//!
//! A run reads every stored document's fingerprint (`lagebild_stories`), clusters
//! them in date order (`recluster_fingerprints`: deterministic, independent of
//! the order the files came in), replaces the stories in one transaction and
//! writes each near-duplicate's `duplicate_of` (the group's first document).
//! Cost is near-linear in the number of documents (blocking by entity and
//! time); the incremental `Engine::add` path is there for a long-running
//! ingester, while a one-shot CLI run re-derives the state from the store.

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use lagebild_model::Document;
use lagebild_store::{Page, SqliteStore, Store, StoryRecord};
use lagebild_stories::{recluster_fingerprints, Config, DocFingerprint};

use crate::commands::open_store;
use crate::DbArg;

#[derive(Debug, Args)]
pub struct ReclusterArgs {
    #[command(flatten)]
    db: DbArg,
}

#[derive(Debug, Args)]
pub struct StoriesArgs {
    #[command(flatten)]
    db: DbArg,
    /// Most stories to list.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// Print the contract's JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct StoryArgs {
    #[command(flatten)]
    db: DbArg,
    /// The story id (from `lagebild stories`).
    id: String,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// What a clustering run did.
pub struct RunSummary {
    pub documents: usize,
    pub stories: usize,
    pub duplicates: usize,
}

/// Cluster every stored document into stories and store them.
pub fn recluster_store(store: &mut SqliteStore) -> Result<RunSummary> {
    let mut fps = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store.documents_json(after.as_deref(), 500)?;
        let Some((last, _)) = page.last() else { break };
        after = Some(last.clone());
        for (id, json) in &page {
            let doc: Document = serde_json::from_str(json)
                .with_context(|| format!("reading stored document {id}"))?;
            fps.push(DocFingerprint::of(&doc));
        }
    }
    let documents = fps.len();
    let (engine, outcomes) = recluster_fingerprints(Config::default(), fps);
    let duplicates = outcomes.iter().filter(|o| o.duplicate_of.is_some()).count();
    let links: Vec<(String, Option<String>)> = outcomes
        .iter()
        .map(|o| {
            let original = o
                .duplicate_of
                .as_ref()
                .map(|d| d.original.clone())
                .filter(|orig| *orig != o.doc_id);
            (o.doc_id.clone(), original)
        })
        .collect();
    store
        .set_duplicates(&links)
        .context("writing the near-duplicate links")?;
    // a document belongs to the story its first unit joined (live-blog segments
    // may go to other stories; the store keeps one story per document)
    let mut taken = std::collections::HashSet::new();
    let mut rows = Vec::new();
    for s in engine.stories() {
        let docs: Vec<String> = s
            .documents
            .iter()
            .filter(|d| taken.insert((*d).clone()))
            .cloned()
            .collect();
        if docs.is_empty() {
            continue;
        }
        rows.push((
            StoryRecord {
                id: s.id.clone(),
                title: Some(s.title.clone()).filter(|t| !t.is_empty()),
                first: s.first.clone(),
                last: s.last.clone(),
            },
            docs,
        ));
    }
    store
        .replace_stories(&rows)
        .context("writing the stories")?;
    Ok(RunSummary {
        documents,
        stories: rows.len(),
        duplicates,
    })
}

pub fn recluster(args: &ReclusterArgs) -> Result<ExitCode> {
    let mut store = open_store(&args.db.db)?;
    let s = recluster_store(&mut store)?;
    println!(
        "{} documents → {} stories ({} near-duplicates)  ({})",
        s.documents,
        s.stories,
        s.duplicates,
        args.db.db.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn stories(args: &StoriesArgs) -> Result<ExitCode> {
    let store = open_store(&args.db.db)?;
    let page = store.stories(Page::first(args.limit))?;
    if args.json {
        println!("{}", serde_json::to_string(&page.items)?);
        return Ok(ExitCode::SUCCESS);
    }
    if page.items.is_empty() {
        println!("no stories yet (run `lagebild ingest` or `lagebild recluster`)");
    }
    for s in &page.items {
        println!(
            "{}  {} – {}  {:>3} docs  {}",
            s.id,
            s.first.as_deref().unwrap_or("?"),
            s.last.as_deref().unwrap_or("?"),
            s.documents.len(),
            s.title.as_deref().unwrap_or("(untitled)")
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn story(args: &StoryArgs) -> Result<ExitCode> {
    let store = open_store(&args.db.db)?;
    let Some(d) = store.story(&args.id)? else {
        eprintln!("error: no story {:?} in {}", args.id, args.db.db.display());
        return Ok(ExitCode::from(1));
    };
    if args.json {
        println!("{}", serde_json::to_string(&d)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{}  {}",
        d.story.id,
        d.story.title.as_deref().unwrap_or("(untitled)")
    );
    println!(
        "{} – {}, {} documents",
        d.story.first.as_deref().unwrap_or("?"),
        d.story.last.as_deref().unwrap_or("?"),
        d.story.documents.len()
    );
    println!("entities: {}", d.story.entities.join(", "));
    println!("documents:");
    for id in &d.story.documents {
        println!("  {id}");
    }
    println!("timeline: {} events", d.timeline.len());
    Ok(ExitCode::SUCCESS)
}
