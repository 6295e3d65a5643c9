//! The work queue and incremental story clustering, shared by any number of
//! worker processes on any number of machines.
//!
//! **Queue.** `lagebild enqueue` adds one row per raw document (deduplicated
//! by the hash of its raw content). A worker claims a few pending rows in one
//! statement (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so concurrent claims
//! never block on or take each other's rows; SQLite's single writer gives the
//! same guarantee), analyses them outside any transaction and stores the
//! results and the rows' new state in one transaction ([`finish`]). A claim
//! carries a lease: a worker that dies leaves its rows claimed until the lease
//! runs out, then any worker claims them again. A row whose analysis failed,
//! or whose lease ran out, `max_attempts` times is parked with its error and
//! not retried until a user asks (`lagebild queue --retry-parked`). A worker
//! whose lease ran out before it finished no longer owns its rows: its results
//! are dropped, so a document is stored once even when analysed twice.
//!
//! **Clustering.** Story clustering is an online algorithm whose result
//! depends on the order documents arrive, so one order is kept in the
//! database: each clustered document gets the next `cluster_seq`. A step
//! ([`cluster`]) runs under a lock (an advisory transaction lock on
//! PostgreSQL, the write lock on SQLite): it hands the caller the documents
//! other workers clustered since the caller last looked (to replay into its
//! in-memory engine, which then equals theirs) and the documents not yet
//! clustered, and writes what the caller made of them in the same
//! transaction. Two workers can therefore never start two stories for one
//! event. `reset_clusters` starts a new epoch (a full recluster); engines of
//! an older epoch rebuild from the start.

use crate::db::{args, in_tx, insert_rows, multi_row, Conn, Dialect, Val};
use crate::store::{put_docs, set_duplicate_of};
use crate::{Incoming, PutOutcome, Result, StoreError, StoryRecord};

/// One raw document to analyse.
#[derive(Debug, Clone)]
pub struct QueueItem {
    /// Where it came from (a path, `path:line`, a WARC record), for messages.
    pub source: String,
    /// The hash of its raw content: enqueuing the same input twice adds it once.
    pub raw_hash: String,
    /// The raw document as JSON (`lagebild_model::RawDocument`).
    pub payload: String,
}

/// A queue row a worker now holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Claimed {
    pub id: i64,
    pub source: String,
    pub raw_hash: String,
    pub payload: String,
    /// This claim included (1 on the first).
    pub attempts: u32,
}

/// How long a claim holds and how often a row is tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lease {
    pub seconds: i64,
    pub max_attempts: u32,
}

impl Default for Lease {
    fn default() -> Self {
        Lease {
            seconds: 300,
            max_attempts: 3,
        }
    }
}

/// What became of one claimed row.
#[derive(Debug, Clone)]
pub enum Finished {
    /// Analysed: store it.
    Stored(Box<Incoming>),
    /// Analysis failed with this error.
    Failed(String),
}

/// What [`crate::Store::finish`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FinishSummary {
    pub new: usize,
    pub updated: usize,
    pub duplicates: usize,
    /// Failed, to be tried again.
    pub retry: usize,
    /// Failed for the last time: parked.
    pub parked: usize,
    /// No longer this worker's (its lease ran out and another worker took
    /// the row): nothing written.
    pub lost: usize,
}

impl FinishSummary {
    /// Adds another summary's counts (a worker's running totals).
    pub fn add(&mut self, o: &FinishSummary) {
        self.new += o.new;
        self.updated += o.updated;
        self.duplicates += o.duplicates;
        self.retry += o.retry;
        self.parked += o.parked;
        self.lost += o.lost;
    }
}

/// Rows per state.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct QueueCounts {
    pub pending: u64,
    pub claimed: u64,
    pub done: u64,
    pub parked: u64,
}

/// A row that failed too often.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ParkedItem {
    pub id: i64,
    pub source: String,
    pub attempts: u32,
    pub error: Option<String>,
}

/// How far a caller's clustering engine has read the clustering log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClusterCursor {
    /// The epoch (bumped by every full recluster); 0 before the first step.
    pub epoch: i64,
    /// The last `cluster_seq` replayed.
    pub seq: i64,
}

/// A stored document as the clustering step sees it: its stored fingerprint,
/// or (stored without one) its analysis JSON to compute it from.
#[derive(Debug, Clone)]
pub struct ClusterDoc {
    pub id: String,
    pub fingerprint: Option<String>,
    pub analysis: Option<String>,
}

/// What a clustering step gets.
#[derive(Debug, Clone)]
pub struct ClusterInput {
    /// The engine must start empty (first step, or a recluster happened).
    pub fresh: bool,
    /// Documents clustered since the cursor, in clustering order: replay them.
    pub log: Vec<ClusterDoc>,
    /// Documents not clustered yet, in storage order.
    pub pending: Vec<ClusterDoc>,
}

/// What a clustering step writes.
#[derive(Debug, Clone, Default)]
pub struct ClusterOutput {
    /// The pending documents in the order they were clustered, with the
    /// fingerprint (JSON) to store for those the store had none of.
    pub added: Vec<(String, Option<String>)>,
    /// Stories created or changed.
    pub stories: Vec<StoryRecord>,
    /// (document, story) for each added document.
    pub members: Vec<(String, String)>,
    /// (near-duplicate, original) for added documents that copy another.
    pub duplicates: Vec<(String, String)>,
}

/// The caller's side of a clustering step.
pub type ClusterFn<'a> = dyn FnMut(ClusterInput) -> std::result::Result<ClusterOutput, String> + 'a;

/// Key of the advisory lock that serialises clustering steps on PostgreSQL.
const CLUSTER_LOCK: i64 = 0x4c61_6765_0002;

fn now_sql(c: &impl Conn) -> &'static str {
    match c.dialect() {
        Dialect::Sqlite => "CAST(strftime('%s', 'now') AS INTEGER)",
        Dialect::Postgres => "CAST(extract(epoch FROM now()) AS BIGINT)",
    }
}

pub(crate) fn enqueue<C: Conn>(c: &C, items: &[QueueItem]) -> Result<usize> {
    let now = now_sql(c);
    in_tx(c, |c| {
        let mut added = 0;
        for it in items {
            added += c.exec(
                &format!(
                    "INSERT INTO queue (source, raw_hash, payload, enqueued_at) VALUES (?1, ?2, ?3, {now})
                     ON CONFLICT (raw_hash) DO NOTHING"
                ),
                args![&it.source, &it.raw_hash, &it.payload],
            )? as usize;
        }
        Ok(added)
    })
}

pub(crate) fn claim<C: Conn>(
    c: &C,
    worker: &str,
    max: usize,
    lease: Lease,
) -> Result<Vec<Claimed>> {
    let now = now_sql(c);
    let lock = match c.dialect() {
        Dialect::Sqlite => "",
        Dialect::Postgres => "FOR UPDATE SKIP LOCKED",
    };
    in_tx(c, |c| {
        // Rows whose last allowed attempt ran out of time are parked.
        c.exec(
            &format!(
                "UPDATE queue SET state = 'parked', worker = NULL, finished_at = {now},
                    error = coalesce(error || '; ', '') || 'lease ran out on attempt ' || attempts
                 WHERE state = 'claimed' AND lease_until < {now} AND attempts >= ?1"
            ),
            args![i64::from(lease.max_attempts)],
        )?;
        let rows = c.rows(
            &format!(
                "UPDATE queue SET state = 'claimed', worker = ?1, lease_until = {now} + ?2,
                    attempts = attempts + 1
                 WHERE id IN (SELECT id FROM queue
                              WHERE state = 'pending' OR (state = 'claimed' AND lease_until < {now})
                              ORDER BY id LIMIT ?3 {lock})
                 RETURNING id, source, raw_hash, payload, attempts"
            ),
            args![worker, lease.seconds, max],
        )?;
        let mut out = rows
            .iter()
            .map(|r| {
                Ok(Claimed {
                    id: r.get(0)?,
                    source: r.get(1)?,
                    raw_hash: r.get(2)?,
                    payload: r.get(3)?,
                    attempts: u32::try_from(r.get::<i64>(4)?).unwrap_or(u32::MAX),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        out.sort_by_key(|c| c.id);
        Ok(out)
    })
}

pub(crate) fn finish<C: Conn>(
    c: &C,
    worker: &str,
    results: &[(i64, Finished)],
    lease: Lease,
) -> Result<FinishSummary> {
    let now = now_sql(c);
    in_tx(c, |c| {
        let mut s = FinishSummary::default();
        let mut owned: Vec<(i64, i64, &Finished)> = Vec::new();
        // Lock each row and check it is still ours.
        let lock = if c.dialect() == Dialect::Postgres {
            " FOR UPDATE"
        } else {
            ""
        };
        for (id, fin) in results {
            match c.opt(
                &format!(
                    "SELECT attempts FROM queue WHERE id = ?1 AND state = 'claimed' AND worker = ?2{lock}"
                ),
                args![*id, worker],
            )? {
                Some(r) => owned.push((*id, r.get(0)?, fin)),
                None => s.lost += 1,
            }
        }
        let docs: Vec<Incoming> = owned
            .iter()
            .filter_map(|(_, _, f)| match f {
                Finished::Stored(inc) => Some(Incoming::clone(inc)),
                Finished::Failed(_) => None,
            })
            .collect();
        let mut outcomes = put_docs(c, &docs)?.into_iter().zip(&docs);
        for (id, attempts, fin) in owned {
            match fin {
                Finished::Stored(_) => {
                    let (outcome, inc) = outcomes.next().expect("one outcome per document");
                    let doc_id = match outcome {
                        PutOutcome::New => {
                            s.new += 1;
                            inc.doc.id.clone()
                        }
                        PutOutcome::Updated => {
                            s.updated += 1;
                            inc.doc.id.clone()
                        }
                        PutOutcome::Duplicate { existing } => {
                            s.duplicates += 1;
                            existing
                        }
                    };
                    c.exec(
                        &format!(
                            "UPDATE queue SET state = 'done', doc_id = ?2, worker = NULL, lease_until = NULL,
                                finished_at = {now} WHERE id = ?1"
                        ),
                        args![id, doc_id],
                    )?;
                }
                Finished::Failed(error) => {
                    let park = attempts >= i64::from(lease.max_attempts);
                    if park {
                        s.parked += 1;
                    } else {
                        s.retry += 1;
                    }
                    c.exec(
                        &format!(
                            "UPDATE queue SET state = ?2, error = ?3, worker = NULL, lease_until = NULL,
                                finished_at = CASE WHEN ?2 = 'parked' THEN {now} END WHERE id = ?1"
                        ),
                        args![id, if park { "parked" } else { "pending" }, error.as_str()],
                    )?;
                }
            }
        }
        Ok(s)
    })
}

pub(crate) fn counts<C: Conn>(c: &C) -> Result<QueueCounts> {
    let mut q = QueueCounts::default();
    for r in c.rows("SELECT state, count(*) FROM queue GROUP BY state", &[])? {
        let n = r.get::<i64>(1)?.max(0) as u64;
        match r.get::<String>(0)?.as_str() {
            "pending" => q.pending = n,
            "claimed" => q.claimed = n,
            "done" => q.done = n,
            _ => q.parked = n,
        }
    }
    Ok(q)
}

pub(crate) fn parked<C: Conn>(c: &C, limit: usize) -> Result<Vec<ParkedItem>> {
    c.rows(
        "SELECT id, source, attempts, error FROM queue WHERE state = 'parked' ORDER BY id LIMIT ?1",
        args![limit],
    )?
    .iter()
    .map(|r| {
        Ok(ParkedItem {
            id: r.get(0)?,
            source: r.get(1)?,
            attempts: u32::try_from(r.get::<i64>(2)?).unwrap_or(u32::MAX),
            error: r.get(3)?,
        })
    })
    .collect()
}

pub(crate) fn retry_parked<C: Conn>(c: &C) -> Result<u64> {
    c.exec(
        "UPDATE queue SET state = 'pending', attempts = 0, finished_at = NULL WHERE state = 'parked'",
        &[],
    )
}

fn cluster_docs<C: Conn>(c: &C, sql: &str, args: &[Val]) -> Result<Vec<ClusterDoc>> {
    c.rows(sql, args)?
        .iter()
        .map(|r| {
            Ok(ClusterDoc {
                id: r.get(0)?,
                fingerprint: r.get(1)?,
                analysis: r.get(2)?,
            })
        })
        .collect()
}

pub(crate) fn cluster<C: Conn>(
    c: &C,
    seen: ClusterCursor,
    step: &mut ClusterFn<'_>,
) -> Result<ClusterCursor> {
    in_tx(c, |c| {
        if c.dialect() == Dialect::Postgres {
            c.exec("SELECT pg_advisory_xact_lock(?1)", args![CLUSTER_LOCK])?;
        }
        let state = c.one(
            "SELECT epoch, next_seq FROM cluster_state WHERE id = 1",
            &[],
        )?;
        let (epoch, next_seq): (i64, i64) = (state.get(0)?, state.get(1)?);
        let fresh = seen.epoch != epoch;
        let from = if fresh { 0 } else { seen.seq };
        const COLUMNS: &str = "id, fingerprint, CASE WHEN fingerprint IS NULL THEN analysis END";
        let pending = cluster_docs(
            c,
            &format!("SELECT {COLUMNS} FROM documents WHERE cluster_seq IS NULL ORDER BY rowid"),
            &[],
        )?;
        if pending.is_empty() {
            // nothing to add; the caller catches up on its next step
            return Ok(seen);
        }
        let log = cluster_docs(
            c,
            &format!("SELECT {COLUMNS} FROM documents WHERE cluster_seq > ?1 ORDER BY cluster_seq"),
            args![from],
        )?;
        let out = step(ClusterInput {
            fresh,
            log,
            pending,
        })
        .map_err(StoreError::Cluster)?;
        // Each added document's place in the order (and its fingerprint where
        // the store had none), in a few statements.
        let mut seq = next_seq;
        let mut order = Vec::with_capacity(out.added.len() * 2);
        for (doc, fingerprint) in &out.added {
            order.extend([Val::from(doc), Val::from(seq)]);
            if let Some(fingerprint) = fingerprint {
                c.exec(
                    "UPDATE documents SET fingerprint = ?2 WHERE id = ?1",
                    args![doc, fingerprint],
                )?;
            }
            seq += 1;
        }
        multi_row(
            c,
            "UPDATE documents SET cluster_seq = v.column2 FROM (VALUES",
            "(?, CAST(? AS BIGINT))",
            2,
            &order,
            ") AS v WHERE documents.id = v.column1",
        )?;
        c.exec(
            "UPDATE cluster_state SET next_seq = ?1 WHERE id = 1",
            args![seq],
        )?;
        // one row per story and per document (the last given wins): a
        // multi-row upsert may not touch a row twice
        let stories: std::collections::BTreeMap<&str, &StoryRecord> =
            out.stories.iter().map(|s| (s.id.as_str(), s)).collect();
        let members: std::collections::BTreeMap<&str, &str> = out
            .members
            .iter()
            .map(|(d, s)| (d.as_str(), s.as_str()))
            .collect();
        let stories: Vec<Val> = stories
            .values()
            .flat_map(|s| {
                [
                    Val::from(&s.id),
                    Val::from(s.title.as_deref()),
                    Val::from(s.first.as_deref()),
                    Val::from(s.last.as_deref()),
                ]
            })
            .collect();
        insert_rows(
            c,
            "stories (id, title, first, last)",
            4,
            &stories,
            "ON CONFLICT(id) DO UPDATE SET title = excluded.title, first = excluded.first, last = excluded.last",
        )?;
        let members: Vec<Val> = members
            .into_iter()
            .flat_map(|(doc, story)| [Val::from(doc), Val::from(story)])
            .collect();
        insert_rows(
            c,
            "story_documents (doc, story)",
            2,
            &members,
            "ON CONFLICT(doc) DO UPDATE SET story = excluded.story",
        )?;
        for (doc, original) in &out.duplicates {
            set_duplicate_of(c, doc, Some(original))?;
        }
        Ok(ClusterCursor {
            epoch,
            seq: seq - 1,
        })
    })
}

pub(crate) fn reset_clusters<C: Conn>(c: &C) -> Result<()> {
    in_tx(c, |c| {
        if c.dialect() == Dialect::Postgres {
            c.exec("SELECT pg_advisory_xact_lock(?1)", args![CLUSTER_LOCK])?;
        }
        c.batch(
            "UPDATE documents SET cluster_seq = NULL;
             DELETE FROM story_documents;
             DELETE FROM stories;
             UPDATE cluster_state SET epoch = epoch + 1, next_seq = 1 WHERE id = 1;",
        )?;
        let copies: Vec<String> = c.column(
            "SELECT id FROM documents WHERE analysis LIKE '%\"duplicate_of\"%'",
            &[],
        )?;
        for id in copies {
            set_duplicate_of(c, &id, None)?;
        }
        Ok(())
    })
}
