//! Storage for analysed documents.
//!
//! One trait, [`Store`], and two backends written once over a small SQL layer
//! (`db`): [`SqliteStore`], the default (a single file, full-text search with
//! SQLite's FTS5), and [`PgStore`] for many workers on many machines sharing
//! one PostgreSQL database (full-text search with PostgreSQL's German and
//! English configurations). Both have the same schema, numbered migrations
//! and semantics; `work` holds the work queue and the clustering log the
//! workers share.
//!
//! Why FTS5 and not tantivy: the index lives in the same file and the same
//! transaction as the documents, so a crash can never leave the two apart, there
//! is nothing to rebuild or lock separately, and it costs no extra dependency (the
//! bundled SQLite already compiles it in). Ranking is BM25 in both.
//!
//! Re-ingesting an article is a no-op: every document carries the hash of its
//! clean text ([`lagebild_model::content_hash`]) under a unique index, and the
//! hash of the raw input bytes, so a resumed ingest can skip inputs it has
//! already stored before analysing them again.

mod db;
mod derived;
mod query;
mod schema;
mod store;
#[doc(hidden)]
pub mod testing;
mod types;
mod work;

pub use db::{Dialect, PgConn};
pub use schema::SCHEMA_VERSION;
pub use store::{
    create_database, drop_database, is_postgres_url, open, redact_url, PgStore, SqlStore,
    SqliteStore,
};
pub use types::*;
pub use work::{
    Claimed, ClusterCursor, ClusterDoc, ClusterFn, ClusterInput, ClusterOutput, FinishSummary,
    Finished, Lease, ParkedItem, QueueCounts, QueueItem,
};

use lagebild_model::Document;

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Open {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("database {path} has schema version {found}, newer than this program knows ({known}); upgrade lagebild")]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("database {url}: {source}")]
    Connect {
        url: String,
        #[source]
        source: postgres::Error,
    },
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("database: {}", postgres_message(.0))]
    Postgres(#[from] postgres::Error),
    #[error("database column {index}: found {found}, wanted {wanted}")]
    Column {
        index: usize,
        found: String,
        wanted: &'static str,
    },
    #[error("story clustering: {0}")]
    Cluster(String),
    #[error("stored document {id} does not decode: {source}")]
    Decode {
        id: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("search query {query:?}: {message}")]
    Query { query: String, message: String },
    #[error("no {what} with id {id:?}")]
    UnknownId { what: &'static str, id: String },
}

pub type Result<T> = std::result::Result<T, StoreError>;

impl StoreError {
    /// A conflict with a concurrent transaction (a deadlock or serialization
    /// failure on PostgreSQL, a busy database on SQLite): nothing was written
    /// and the same call may simply be tried again.
    pub fn is_transient(&self) -> bool {
        match self {
            StoreError::Postgres(e) => matches!(
                e.code(),
                Some(c) if *c == postgres::error::SqlState::T_R_DEADLOCK_DETECTED
                    || *c == postgres::error::SqlState::T_R_SERIALIZATION_FAILURE
            ),
            StoreError::Sql(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ),
            _ => false,
        }
    }
}

/// PostgreSQL's own message (with its detail) where the server sent one.
fn postgres_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(d) => format!("{}: {d}", db.message()),
            None => db.message().to_string(),
        },
        None => e.to_string(),
    }
}

/// What storing one document did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PutOutcome {
    /// A new document was stored.
    New,
    /// The same text was stored before (under this id); nothing changed.
    Duplicate { existing: String },
    /// A document with the same id but other text was replaced.
    Updated,
}

/// A document to store, with the hash of the raw input it came from.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub doc: Document,
    pub raw_hash: Option<String>,
    /// The story-clustering fingerprint (JSON, `lagebild_stories::DocFingerprint`),
    /// when the writer computed it; else it is computed from the analysis when
    /// the document is clustered.
    pub fingerprint: Option<String>,
}

impl Incoming {
    pub fn new(doc: Document, raw_hash: Option<String>) -> Self {
        Incoming {
            doc,
            raw_hash,
            fingerprint: None,
        }
    }
}

/// One search result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchHit {
    pub id: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub language: String,
    /// A piece of the text around the matches, matches within `[` `]`.
    pub snippet: String,
    /// BM25 score (lower is better in SQLite's convention; here negated so higher is better).
    pub score: f64,
}

/// Counts over the store.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Stats {
    pub documents: u64,
    pub bytes_of_text: u64,
    pub languages: Vec<(String, u64)>,
    pub first_published: Option<String>,
    pub last_published: Option<String>,
    pub schema_version: i64,
}

/// The storage interface the shells program against.
pub trait Store {
    /// Store documents in one transaction: all or none.
    fn put_batch(&mut self, docs: &[Incoming]) -> Result<Vec<PutOutcome>>;
    /// Whether a raw input with this hash was stored before.
    fn has_raw(&self, raw_hash: &str) -> Result<bool>;
    /// A stored document by id.
    fn get(&self, id: &str) -> Result<Option<Document>>;
    /// Full-text search, best first.
    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>>;
    fn stats(&self) -> Result<Stats>;

    /// Full-text search, best first (ties by id), one page.
    fn search_page(&self, query: &str, page: Page) -> Result<Paged<SearchHit>>;
    /// Documents, newest first (by publication date, undated last, then id).
    fn documents(&self, page: Page) -> Result<Paged<DocSummary>>;
    /// Stored analysis JSON of documents in id order after `after`: for exports.
    fn documents_json(&self, after: Option<&str>, limit: usize) -> Result<Vec<(String, String)>>;
    /// Entities, most documents first (then id).
    fn entities(&self, page: Page) -> Result<Paged<EntityRecord>>;
    /// One entity with its variants, mentions over time and co-occurring entities.
    fn entity(&self, id: &str) -> Result<Option<EntityProfile>>;
    /// Mentions of an entity, newest first, optionally within dates (`YYYY-MM-DD`, inclusive).
    fn mentions(
        &self,
        entity: &str,
        from: Option<&str>,
        to: Option<&str>,
        page: Page,
    ) -> Result<Paged<MentionRow>>;
    /// Quotes, newest document first (then document, position).
    fn quotes(&self, filter: &QuoteFilter, page: Page) -> Result<Paged<QuoteRow>>;
    /// Events, by day (undated last), then id.
    fn events(&self, filter: &EventFilter, page: Page) -> Result<Paged<EventRow>>;
    /// Events with an id greater than `after`, in id order: for exports.
    fn events_after(&self, filter: &EventFilter, after: i64, limit: usize)
        -> Result<Vec<EventRow>>;
    /// Documents, mentions and events per period.
    fn timeline(&self, scope: &Scope, by: Granularity) -> Result<Vec<TimelinePoint>>;
    /// Actors and who acts on whom (events), or who is named with whom (sentences).
    fn network(&self, scope: &Scope, max_edges: usize) -> Result<Network>;

    /// Create or change a story (its documents are kept).
    fn upsert_story(&mut self, story: &StoryRecord) -> Result<()>;
    /// Put a document into a story (out of any other it was in).
    fn assign_story(&mut self, doc_id: &str, story_id: &str) -> Result<()>;
    /// Replace all stories at once (what a clustering run writes), in one transaction.
    fn replace_stories(&mut self, stories: &[(StoryRecord, Vec<String>)]) -> Result<()>;
    /// Record near-duplicate links (`duplicate_of` in each document's stored
    /// analysis; `None` clears it), in one transaction.
    fn set_duplicates(&mut self, links: &[(String, Option<String>)]) -> Result<()>;
    /// The story a document is in.
    fn story_of(&self, doc_id: &str) -> Result<Option<String>>;
    /// Stories, latest last date first (then id).
    fn stories(&self, page: Page) -> Result<Paged<Story>>;
    /// One story with its sources, entities, events and quotes.
    fn story(&self, id: &str) -> Result<Option<StoryDetail>>;

    /// Adds raw documents to the work queue (once per raw hash); how many were new.
    fn enqueue(&mut self, items: &[QueueItem]) -> Result<usize>;
    /// Claims up to `max` pending rows (or rows whose lease ran out) for `worker`.
    fn claim(&mut self, worker: &str, max: usize, lease: Lease) -> Result<Vec<Claimed>>;
    /// Stores the results of claimed rows and their new state, in one
    /// transaction; rows no longer held by `worker` are left alone.
    fn finish(
        &mut self,
        worker: &str,
        results: &[(i64, Finished)],
        lease: Lease,
    ) -> Result<FinishSummary>;
    fn queue_counts(&self) -> Result<QueueCounts>;
    /// Rows that failed too often, oldest first.
    fn parked(&self, limit: usize) -> Result<Vec<ParkedItem>>;
    /// Puts the parked rows back in the queue; how many.
    fn retry_parked(&mut self) -> Result<u64>;
    /// One clustering step under the clustering lock (see the `work` module):
    /// `step` gets the log since `seen` and the unclustered documents and
    /// says what to write. Returns the new cursor.
    fn cluster(&mut self, seen: ClusterCursor, step: &mut ClusterFn<'_>) -> Result<ClusterCursor>;
    /// Forgets all stories and the clustering order (a new epoch): the next
    /// step clusters every document afresh.
    fn reset_clusters(&mut self) -> Result<()>;
}

/// A search query as typed: words (all required), `word*` prefixes and `OR`.
enum Term {
    Word { text: String, prefix: bool },
    Or,
}

fn terms(input: &str) -> Vec<Term> {
    let mut parts = Vec::new();
    for raw in input.split_whitespace() {
        if raw == "OR" {
            if matches!(parts.last(), Some(Term::Word { .. })) {
                parts.push(Term::Or);
            }
            continue;
        }
        let prefix = raw.ends_with('*');
        let word: String = raw
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '\'')
            .collect();
        let word = word.trim_matches(['-', '\'']);
        if word.is_empty() {
            continue;
        }
        parts.push(Term::Word {
            text: word.to_string(),
            prefix,
        });
    }
    while matches!(parts.last(), Some(Term::Or)) {
        parts.pop();
    }
    parts
}

/// Joins the terms: words by `and`, `OR` as `or`.
fn join_terms(
    terms: &[Term],
    word: impl Fn(&str, bool) -> String,
    and: &str,
    or: &str,
) -> Option<String> {
    let mut out = String::new();
    let mut after_word = false;
    for t in terms {
        match t {
            Term::Or => {
                out.push_str(or);
                after_word = false;
            }
            Term::Word { text, prefix } => {
                if after_word {
                    out.push_str(and);
                }
                out.push_str(&word(text, *prefix));
                after_word = true;
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Turns what a user typed into an FTS5 query: each word quoted (so that
/// punctuation cannot break the syntax), all words required; a trailing `*`
/// keeps its prefix meaning, and `OR` between words is kept.
pub fn fts_query(input: &str) -> Option<String> {
    join_terms(
        &terms(input),
        |w, prefix| {
            let quoted = format!("\"{}\"", w.replace('"', "\"\""));
            if prefix {
                format!("{quoted}*")
            } else {
                quoted
            }
        },
        " ",
        " OR ",
    )
}

/// The same query for PostgreSQL's `to_tsquery`: quoted lexemes joined by
/// `&` and `|`, `:*` for a prefix.
pub fn pg_tsquery(input: &str) -> Option<String> {
    join_terms(
        &terms(input),
        |w, prefix| {
            let quoted = format!("'{}'", w.replace('\'', "''"));
            if prefix {
                format!("{quoted}:*")
            } else {
                quoted
            }
        },
        " & ",
        " | ",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_query_quotes_words_and_keeps_prefix_and_or() {
        assert_eq!(
            fts_query("Lawrow Moskau").as_deref(),
            Some("\"Lawrow\" \"Moskau\"")
        );
        assert_eq!(
            fts_query("Nordkor* OR DVRK").as_deref(),
            Some("\"Nordkor\"* OR \"DVRK\"")
        );
        assert_eq!(
            fts_query("\"; DROP TABLE x; --").as_deref(),
            Some("\"DROP\" \"TABLE\" \"x\"")
        );
        assert_eq!(fts_query("  ** () ").as_deref(), None);
        assert_eq!(
            fts_query("Kim Jong-un").as_deref(),
            Some("\"Kim\" \"Jong-un\"")
        );
        assert_eq!(fts_query("a OR OR b").as_deref(), Some("\"a\" OR \"b\""));
    }

    #[test]
    fn tsquery_quotes_lexemes_and_keeps_prefix_and_or() {
        assert_eq!(
            pg_tsquery("Nordkor* OR DVRK Lawrow").as_deref(),
            Some("'Nordkor':* | 'DVRK' & 'Lawrow'")
        );
        assert_eq!(pg_tsquery("O'Brien").as_deref(), Some("'O''Brien'"));
        assert_eq!(pg_tsquery("&|!()"), None);
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
    }
}
