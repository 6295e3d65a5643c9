//! Stories over a database: `lagebild recluster`, `lagebild stories`,
//! `lagebild story ID`, and the clustering step that `ingest`, `demo` and
//! `worker` run after storing new documents.
//!
//! A step ([`Clustering::step`]) runs under the store's clustering lock: it
//! replays into the in-memory engine what other processes clustered since this
//! one last looked (their fingerprints, from the store: no re-analysis), adds
//! the documents nobody has clustered yet in date order, and writes their
//! stories, story memberships and `duplicate_of` links in the same
//! transaction. A long-running worker keeps its engine between steps and only
//! replays what is new; a one-shot `ingest` replays the whole log once.
//! `recluster` starts a new epoch and clusters every document afresh in date
//! order (deterministic, independent of the order the files came in).

use std::collections::{BTreeSet, HashSet};
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use lagebild_model::Document;
use lagebild_store::{
    ClusterCursor, ClusterDoc, ClusterInput, ClusterOutput, Incoming, Page, Store, StoryRecord,
};
use lagebild_stories::{chronological, Config, DocFingerprint, Engine};

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

/// What a clustering step did.
#[derive(Debug, Default, Clone, Copy)]
pub struct StepSummary {
    /// Documents clustered before by others and replayed into this engine.
    pub replayed: usize,
    /// Documents clustered now.
    pub added: usize,
    /// Stories created or grown now.
    pub stories: usize,
    /// Near-duplicates among the added documents.
    pub duplicates: usize,
}

/// Computes the clustering fingerprint of a document about to be stored, so
/// that the clustering step (and every worker's replay) need not decode the
/// whole analysis.
pub fn with_fingerprint(mut inc: Incoming) -> Incoming {
    let fp = DocFingerprint::of(&inc.doc);
    inc.fingerprint = Some(serde_json::to_string(&fp).expect("fingerprints serialise"));
    inc
}

fn fingerprint(d: &ClusterDoc) -> std::result::Result<DocFingerprint, String> {
    if let Some(f) = &d.fingerprint {
        if let Ok(fp) = serde_json::from_str::<DocFingerprint>(f) {
            return Ok(fp);
        }
    }
    let json = d
        .analysis
        .as_deref()
        .ok_or_else(|| format!("document {}: stored fingerprint unreadable", d.id))?;
    let doc: Document =
        serde_json::from_str(json).map_err(|e| format!("reading stored document {}: {e}", d.id))?;
    Ok(DocFingerprint::of(&doc))
}

/// A story-clustering engine kept in step with the store's clustering log.
pub struct Clustering {
    cfg: Config,
    engine: Engine,
    cursor: ClusterCursor,
    /// Stories some document belongs to (by its first unit): the ones stored.
    /// A story only live-blog segments joined is kept in the engine but not
    /// listed, since the store keeps one story per document.
    stored: HashSet<String>,
}

impl Default for Clustering {
    fn default() -> Self {
        Self::new()
    }
}

impl Clustering {
    pub fn new() -> Self {
        let cfg = Config::default();
        Clustering {
            engine: Engine::new(cfg.clone()),
            cfg,
            cursor: ClusterCursor::default(),
            stored: HashSet::new(),
        }
    }

    /// Clusters the documents not yet clustered (see the module comment).
    pub fn step(&mut self, store: &mut dyn Store) -> Result<StepSummary> {
        let mut summary = StepSummary::default();
        let result = store.cluster(self.cursor, &mut |input| self.apply(input, &mut summary));
        match result {
            Ok(cursor) => {
                self.cursor = cursor;
                Ok(summary)
            }
            Err(e) => {
                // The engine may be ahead of what was committed: start over next time.
                *self = Clustering::new();
                Err(anyhow::Error::new(e).context("clustering stories"))
            }
        }
    }

    fn apply(
        &mut self,
        input: ClusterInput,
        summary: &mut StepSummary,
    ) -> std::result::Result<ClusterOutput, String> {
        if input.fresh {
            self.engine = Engine::new(self.cfg.clone());
            self.stored.clear();
        }
        for d in &input.log {
            let outcome = self.engine.add_fingerprint(&fingerprint(d)?);
            if let Some(first) = outcome.assignments.first() {
                self.stored.insert(first.story.clone());
            }
        }
        summary.replayed = input.log.len();
        // (fingerprint, whether the store lacks it)
        let mut fps = input
            .pending
            .iter()
            .map(|d| Ok((fingerprint(d)?, d.fingerprint.is_none())))
            .collect::<std::result::Result<Vec<_>, String>>()?;
        // as a full recluster does
        fps.sort_by(|a, b| chronological(&a.0, &b.0));
        let mut out = ClusterOutput::default();
        let mut touched = BTreeSet::new();
        for (fp, unstored) in &fps {
            let outcome = self.engine.add_fingerprint(fp);
            if let Some(m) = outcome
                .duplicate_of
                .as_ref()
                .filter(|m| m.original != fp.doc_id)
            {
                out.duplicates.push((fp.doc_id.clone(), m.original.clone()));
            }
            // a document belongs to the story its first unit joined (live-blog
            // segments may go to other stories; the store keeps one per document)
            if let Some(first) = outcome.assignments.first() {
                out.members.push((fp.doc_id.clone(), first.story.clone()));
                self.stored.insert(first.story.clone());
            }
            touched.extend(outcome.assignments.iter().map(|a| a.story.clone()));
            out.added.push((
                fp.doc_id.clone(),
                unstored.then(|| serde_json::to_string(fp).expect("fingerprints serialise")),
            ));
        }
        for id in touched.iter().filter(|id| self.stored.contains(*id)) {
            if let Some(s) = self.engine.story(id) {
                out.stories.push(StoryRecord {
                    id: s.id.clone(),
                    title: Some(s.title.clone()).filter(|t| !t.is_empty()),
                    first: s.first.clone(),
                    last: s.last.clone(),
                });
            }
        }
        summary.added = out.added.len();
        summary.stories = out.stories.len();
        summary.duplicates = out.duplicates.len();
        Ok(out)
    }
}

/// Clusters every stored document afresh.
pub fn recluster_store(store: &mut dyn Store) -> Result<StepSummary> {
    store.reset_clusters()?;
    Clustering::new().step(store)
}

pub fn recluster(args: &ReclusterArgs) -> Result<ExitCode> {
    let mut store = open_store(&args.db.db)?;
    let s = recluster_store(store.as_mut())?;
    println!(
        "{} documents → {} stories ({} near-duplicates)  ({})",
        s.added,
        s.stories,
        s.duplicates,
        args.db.shown()
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
        eprintln!("error: no story {:?} in {}", args.id, args.db.shown());
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
