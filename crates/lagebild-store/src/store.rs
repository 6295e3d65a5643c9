//! The store over either backend: [`SqlStore`] implements [`Store`] once, over
//! a [`Conn`]; [`SqliteStore`] and [`PgStore`] are its two instances.

use std::path::Path;

use std::collections::HashMap;

use crate::db::{args, in_tx, Conn, Dialect, FromVal, PgConn, Val};
use crate::types::*;
use crate::work::{self, *};
use crate::{derived, query, schema};
use crate::{Incoming, PutOutcome, Result, SearchHit, Stats, Store, StoreError};
use lagebild_model::{content_hash, Document};

/// A database behind the [`Store`] trait.
pub struct SqlStore<C> {
    pub(crate) conn: C,
}

/// A SQLite database file (or an in-memory database for tests): the default.
pub type SqliteStore = SqlStore<rusqlite::Connection>;

/// A PostgreSQL database shared by several processes and machines.
pub type PgStore = SqlStore<PgConn>;

/// Opens a store by what the user typed: a `postgres://` or `postgresql://`
/// URL opens PostgreSQL, anything else is a SQLite file path.
pub fn open(spec: &str) -> Result<Box<dyn Store + Send>> {
    if is_postgres_url(spec) {
        Ok(Box::new(PgStore::connect(spec)?))
    } else {
        Ok(Box::new(SqliteStore::open(Path::new(spec))?))
    }
}

/// Whether `spec` names a PostgreSQL database.
pub fn is_postgres_url(spec: &str) -> bool {
    spec.starts_with("postgres://") || spec.starts_with("postgresql://")
}

/// Creates the database `name` on the server of `url` (for benchmarks and
/// tests); the URL of the new database. `name` must be a plain identifier.
pub fn create_database(url: &str, name: &str) -> Result<String> {
    assert!(
        name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "plain database name"
    );
    let shown = redact_url(url);
    let mut admin =
        postgres::Client::connect(url, postgres::NoTls).map_err(|source| StoreError::Connect {
            url: shown.clone(),
            source,
        })?;
    admin.batch_execute(&format!("CREATE DATABASE {name}"))?;
    let base = url.rsplit_once('/').map_or(url, |(b, _)| b);
    Ok(format!("{base}/{name}"))
}

/// Drops the database `name` on the server of `url` (see [`create_database`]).
pub fn drop_database(url: &str, name: &str) -> Result<()> {
    assert!(
        name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
        "plain database name"
    );
    let mut admin =
        postgres::Client::connect(url, postgres::NoTls).map_err(|source| StoreError::Connect {
            url: redact_url(url),
            source,
        })?;
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))?;
    Ok(())
}

/// The URL with its password replaced by `***`, for messages.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

impl SqliteStore {
    /// Open (creating if needed) and migrate the database at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        let shown = path.display().to_string();
        let conn = rusqlite::Connection::open(path).map_err(|source| StoreError::Open {
            path: shown.clone(),
            source,
        })?;
        Self::setup(conn, &shown)
    }

    /// A private in-memory database.
    pub fn in_memory() -> Result<Self> {
        Self::setup(rusqlite::Connection::open_in_memory()?, ":memory:")
    }

    fn setup(conn: rusqlite::Connection, shown: &str) -> Result<Self> {
        let open_err = |source| StoreError::Open {
            path: shown.to_string(),
            source,
        };
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(open_err)?;
        // WAL keeps readers going while a writer commits; NORMAL sync is durable
        // at every checkpoint and never corrupts on a crash.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        schema::migrate(&conn, shown)?;
        Ok(SqlStore { conn })
    }
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`) and migrates the schema.
    pub fn connect(url: &str) -> Result<Self> {
        let shown = redact_url(url);
        let client = postgres::Client::connect(url, postgres::NoTls).map_err(|source| {
            StoreError::Connect {
                url: shown.clone(),
                source,
            }
        })?;
        let conn = PgConn::new(client);
        schema::migrate(&conn, &shown)?;
        Ok(SqlStore { conn })
    }

    /// Runs raw SQL (tests and tools).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        self.conn.batch(sql)
    }
}

macro_rules! inherent {
    ($t:ty) => {
        impl $t {
            /// The schema version of the open database.
            pub fn schema_version(&self) -> Result<i64> {
                schema::current(&self.conn)
            }

            /// Which backend this is.
            pub fn dialect(&self) -> Dialect {
                self.conn.dialect()
            }
        }
    };
}
inherent!(SqliteStore);
inherent!(PgStore);

/// Stores documents (inside the caller's transaction).
pub(crate) fn put_docs<C: Conn>(c: &C, docs: &[Incoming]) -> Result<Vec<PutOutcome>> {
    // Copies of stored text first (read only); then the entities of the rest,
    // in id order (see `derived::upsert_entities`); then the documents.
    let hashes: Vec<String> = docs.iter().map(|i| content_hash(&i.doc.text)).collect();
    let stored_hashes: HashMap<String, String> = pairs_in(
        c,
        "SELECT content_hash, id FROM documents WHERE content_hash IN",
        hashes.iter().map(String::as_str),
    )?;
    let mut stored_ids: HashMap<String, i64> = pairs_in(
        c,
        "SELECT id, rowid FROM documents WHERE id IN",
        docs.iter().map(|i| i.doc.id.as_str()),
    )?;
    let mut outcomes: Vec<Option<PutOutcome>> = hashes
        .iter()
        .map(|h| {
            stored_hashes.get(h).map(|existing| PutOutcome::Duplicate {
                existing: existing.clone(),
            })
        })
        .collect();
    let fresh: Vec<&Document> = docs
        .iter()
        .zip(&outcomes)
        .filter(|(_, o)| o.is_none())
        .map(|(inc, _)| &inc.doc)
        .collect();
    derived::upsert_entities(c, &fresh)?;
    let mut counts = derived::Counts::new();
    for ((inc, outcome), hash) in docs.iter().zip(outcomes.iter_mut()).zip(&hashes) {
        if outcome.is_some() {
            continue;
        }
        let d = &inc.doc;
        let analysis = serde_json::to_string(d).expect("a document always serialises");
        let row = args![
            &d.id,
            hash,
            inc.raw_hash.as_deref(),
            d.source.path.as_deref(),
            d.source.url.as_deref(),
            d.source.site.as_deref(),
            &d.language,
            d.title.as_deref(),
            d.published.as_deref(),
            &d.text,
            analysis,
            inc.fingerprint.as_deref()
        ];
        if let Some(&rowid) = stored_ids.get(&d.id) {
            // new text: the document is clustered again
            c.exec(
                "UPDATE documents SET content_hash = ?2, raw_hash = ?3, path = ?4, url = ?5, site = ?6,
                 language = ?7, title = ?8, published = ?9, text = ?10, analysis = ?11,
                 fingerprint = ?12, cluster_seq = NULL WHERE id = ?1",
                row,
            )?;
            derived::clear(c, rowid, &mut counts)?;
            derived::write(c, rowid, d, &mut counts)?;
            *outcome = Some(PutOutcome::Updated);
            continue;
        }
        // A concurrent writer may store the same text first: then this is a duplicate.
        let inserted = c.opt(
            "INSERT INTO documents (id, content_hash, raw_hash, path, url, site, language, title,
                published, text, analysis, fingerprint)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (content_hash) DO NOTHING RETURNING rowid",
            row,
        )?;
        match inserted {
            Some(r) => {
                let rowid: i64 = r.get(0)?;
                derived::write(c, rowid, d, &mut counts)?;
                // a later document of this batch with the same id replaces it
                stored_ids.insert(d.id.clone(), rowid);
                *outcome = Some(PutOutcome::New);
            }
            None => {
                let existing = c
                    .one(
                        "SELECT id FROM documents WHERE content_hash = ?1",
                        args![hash],
                    )?
                    .get(0)?;
                *outcome = Some(PutOutcome::Duplicate { existing });
            }
        }
    }
    derived::apply_counts(c, &counts)?;
    Ok(outcomes
        .into_iter()
        .map(|o| o.expect("every document has an outcome"))
        .collect())
}

/// `{select} (?, ?, …)` over `keys` (in chunks): the rows' first two columns.
fn pairs_in<'a, C: Conn, V: FromVal>(
    c: &C,
    select: &str,
    keys: impl Iterator<Item = &'a str>,
) -> Result<HashMap<String, V>> {
    let keys: Vec<Val> = keys.map(Val::from).collect();
    let mut out = HashMap::new();
    for chunk in keys.chunks(100) {
        let sql = format!("{select} ({})", vec!["?"; chunk.len()].join(", "));
        for r in c.rows(&sql, chunk)? {
            out.insert(r.get(0)?, r.get(1)?);
        }
    }
    Ok(out)
}

/// Sets or clears `duplicate_of` in a stored analysis (inside the caller's transaction).
pub(crate) fn set_duplicate_of<C: Conn>(c: &C, doc: &str, original: Option<&str>) -> Result<()> {
    let Some(r) = c.opt("SELECT analysis FROM documents WHERE id = ?1", args![doc])? else {
        return Ok(());
    };
    let json: String = r.get(0)?;
    let mut v: serde_json::Value =
        serde_json::from_str(&json).map_err(|source| StoreError::Decode {
            id: doc.to_string(),
            source,
        })?;
    let Some(obj) = v.as_object_mut() else {
        return Ok(());
    };
    let changed = match original {
        Some(o) => obj.insert("duplicate_of".into(), o.into()).as_ref() != Some(&o.into()),
        None => obj.remove("duplicate_of").is_some(),
    };
    if changed {
        c.exec(
            "UPDATE documents SET analysis = ?2 WHERE id = ?1",
            args![doc, v.to_string()],
        )?;
    }
    Ok(())
}

impl<C: Conn> Store for SqlStore<C> {
    fn put_batch(&mut self, docs: &[Incoming]) -> Result<Vec<PutOutcome>> {
        in_tx(&self.conn, |c| put_docs(c, docs))
    }

    fn has_raw(&self, raw_hash: &str) -> Result<bool> {
        self.conn.exists(
            "SELECT 1 FROM documents WHERE raw_hash = ?1 LIMIT 1",
            args![raw_hash],
        )
    }

    fn get(&self, id: &str) -> Result<Option<Document>> {
        let Some(r) = self
            .conn
            .opt("SELECT analysis FROM documents WHERE id = ?1", args![id])?
        else {
            return Ok(None);
        };
        let json: String = r.get(0)?;
        serde_json::from_str(&json)
            .map(Some)
            .map_err(|source| StoreError::Decode {
                id: id.to_string(),
                source,
            })
    }

    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        Ok(query::search_page(&self.conn, query, Page::first(limit))?.items)
    }

    fn stats(&self) -> Result<Stats> {
        let bytes = match self.conn.dialect() {
            Dialect::Sqlite => "length(CAST(text AS BLOB))",
            Dialect::Postgres => "octet_length(text)",
        };
        let r = self.conn.one(
            &format!(
                "SELECT count(*), CAST(coalesce(sum({bytes}), 0) AS BIGINT), min(published), max(published)
                 FROM documents"
            ),
            &[],
        )?;
        let languages = self
            .conn
            .rows(
                "SELECT language, count(*) FROM documents GROUP BY language
                 ORDER BY count(*) DESC, language",
                &[],
            )?
            .iter()
            .map(|l| Ok((l.get::<String>(0)?, l.get::<i64>(1)?.max(0) as u64)))
            .collect::<Result<_>>()?;
        Ok(Stats {
            documents: r.get::<i64>(0)?.max(0) as u64,
            bytes_of_text: r.get::<i64>(1)?.max(0) as u64,
            languages,
            first_published: r.get(2)?,
            last_published: r.get(3)?,
            schema_version: schema::current(&self.conn)?,
        })
    }

    fn search_page(&self, query: &str, page: Page) -> Result<Paged<SearchHit>> {
        query::search_page(&self.conn, query, page)
    }

    fn documents(&self, page: Page) -> Result<Paged<DocSummary>> {
        query::documents(&self.conn, page)
    }

    fn documents_json(&self, after: Option<&str>, limit: usize) -> Result<Vec<(String, String)>> {
        query::documents_json(&self.conn, after, limit)
    }

    fn entities(&self, page: Page) -> Result<Paged<EntityRecord>> {
        query::entities(&self.conn, page)
    }

    fn entity(&self, id: &str) -> Result<Option<EntityProfile>> {
        query::entity(&self.conn, id)
    }

    fn mentions(
        &self,
        entity: &str,
        from: Option<&str>,
        to: Option<&str>,
        page: Page,
    ) -> Result<Paged<MentionRow>> {
        query::mentions(&self.conn, entity, from, to, page)
    }

    fn quotes(&self, filter: &QuoteFilter, page: Page) -> Result<Paged<QuoteRow>> {
        query::quotes(&self.conn, filter, page)
    }

    fn events(&self, filter: &EventFilter, page: Page) -> Result<Paged<EventRow>> {
        query::events(&self.conn, filter, page)
    }

    fn events_after(
        &self,
        filter: &EventFilter,
        after: i64,
        limit: usize,
    ) -> Result<Vec<EventRow>> {
        query::events_after(&self.conn, filter, after, limit)
    }

    fn timeline(&self, scope: &Scope, by: Granularity) -> Result<Vec<TimelinePoint>> {
        query::timeline(&self.conn, scope, by)
    }

    fn network(&self, scope: &Scope, max_edges: usize) -> Result<Network> {
        query::network(&self.conn, scope, max_edges)
    }

    fn upsert_story(&mut self, story: &StoryRecord) -> Result<()> {
        query::upsert_story(&self.conn, story)
    }

    fn assign_story(&mut self, doc_id: &str, story_id: &str) -> Result<()> {
        query::assign_story(&self.conn, doc_id, story_id)
    }

    fn replace_stories(&mut self, stories: &[(StoryRecord, Vec<String>)]) -> Result<()> {
        in_tx(&self.conn, |c| {
            c.batch("DELETE FROM story_documents; DELETE FROM stories;")?;
            for (story, docs) in stories {
                query::upsert_story(c, story)?;
                for d in docs {
                    query::assign_story(c, d, &story.id)?;
                }
            }
            Ok(())
        })
    }

    fn set_duplicates(&mut self, links: &[(String, Option<String>)]) -> Result<()> {
        in_tx(&self.conn, |c| {
            for (doc, original) in links {
                set_duplicate_of(c, doc, original.as_deref())?;
            }
            Ok(())
        })
    }

    fn story_of(&self, doc_id: &str) -> Result<Option<String>> {
        self.conn
            .opt(
                "SELECT story FROM story_documents WHERE doc = ?1",
                args![doc_id],
            )?
            .map(|r| r.get(0))
            .transpose()
    }

    fn stories(&self, page: Page) -> Result<Paged<Story>> {
        query::stories(&self.conn, page)
    }

    fn story(&self, id: &str) -> Result<Option<StoryDetail>> {
        query::story(&self.conn, id)
    }

    fn enqueue(&mut self, items: &[QueueItem]) -> Result<usize> {
        work::enqueue(&self.conn, items)
    }

    fn claim(&mut self, worker: &str, max: usize, lease: Lease) -> Result<Vec<Claimed>> {
        work::claim(&self.conn, worker, max, lease)
    }

    fn finish(
        &mut self,
        worker: &str,
        results: &[(i64, Finished)],
        lease: Lease,
    ) -> Result<FinishSummary> {
        work::finish(&self.conn, worker, results, lease)
    }

    fn queue_counts(&self) -> Result<QueueCounts> {
        work::counts(&self.conn)
    }

    fn parked(&self, limit: usize) -> Result<Vec<ParkedItem>> {
        work::parked(&self.conn, limit)
    }

    fn retry_parked(&mut self) -> Result<u64> {
        work::retry_parked(&self.conn)
    }

    fn cluster(&mut self, seen: ClusterCursor, step: &mut ClusterFn<'_>) -> Result<ClusterCursor> {
        work::cluster(&self.conn, seen, step)
    }

    fn reset_clusters(&mut self) -> Result<()> {
        work::reset_clusters(&self.conn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SCHEMA_VERSION;
    use rusqlite::{params, Connection};

    fn doc(id: &str, text: &str) -> Incoming {
        Incoming {
            doc: Document {
                id: id.into(),
                language: "de".into(),
                title: Some(format!("Titel {id}")),
                published: Some("2024-01-16".into()),
                text: text.into(),
                ..Default::default()
            },
            raw_hash: Some(format!("raw-{id}")),
            fingerprint: None,
        }
    }

    #[test]
    fn failed_batch_leaves_earlier_batches_intact() {
        let dir = std::env::temp_dir().join(format!("lagebild-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.db");
        let _ = std::fs::remove_file(&path);
        {
            let mut s = SqliteStore::open(&path).unwrap();
            s.put_batch(&[doc("a", "Erster Text.")]).unwrap();
            // Make the next batch fail inside its transaction.
            s.conn
                .execute_batch("CREATE TRIGGER boom BEFORE INSERT ON documents WHEN new.id = 'bad' BEGIN SELECT RAISE(ABORT, 'boom'); END;")
                .unwrap();
            assert!(s
                .put_batch(&[doc("b", "Zweiter Text."), doc("bad", "Dritter.")])
                .is_err());
        }
        let s = SqliteStore::open(&path).unwrap();
        let st = s.stats().unwrap();
        assert_eq!(
            st.documents, 1,
            "the failed batch rolled back whole, the first stays"
        );
        assert_eq!(st.schema_version, SCHEMA_VERSION);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn version_1_database_upgrades_and_fills_derived_tables() {
        let dir = std::env::temp_dir().join(format!("lagebild-store-v1-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.db");
        let _ = std::fs::remove_file(&path);
        {
            // A database as the first schema wrote it, with one analysed document.
            let c = Connection::open(&path).unwrap();
            c.execute_batch(schema::SQLITE_V1).unwrap();
            c.pragma_update(None, "user_version", 1).unwrap();
            let mut d = doc("old", "Lawrow sagte: Ja.").doc;
            d.entities.push(lagebild_model::Entity {
                id: "per:lawrow".into(),
                name: "Sergej Lawrow".into(),
                kind: "PER".into(),
                country: Some("RUS".into()),
                sector: None,
                mentions: vec![lagebild_model::Mention {
                    start: 0,
                    end: 6,
                    text: "Lawrow".into(),
                    kind: "name".into(),
                }],
            });
            c.execute(
                "INSERT INTO documents (id, content_hash, language, title, published, text, analysis)
                 VALUES ('old', 'h', 'de', 't', '2024-01-16', ?1, ?2)",
                params![d.text, serde_json::to_string(&d).unwrap()],
            )
            .unwrap();
        }
        let s = SqliteStore::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
        let e = s.entity("per:lawrow").unwrap().expect("backfilled");
        assert_eq!(e.entity.documents, 1);
        assert_eq!(e.variants[0].text, "Lawrow");
        assert_eq!(e.mentions_by_day[0].date, "2024-01-16");
        assert_eq!(s.search("Lawrow", 5).unwrap().len(), 1);
        drop(s);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = std::env::temp_dir().join(format!("lagebild-store-new-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.db");
        let _ = std::fs::remove_file(&path);
        {
            let c = Connection::open(&path).unwrap();
            c.pragma_update(None, "user_version", 99).unwrap();
        }
        assert!(matches!(
            SqliteStore::open(&path),
            Err(StoreError::TooNew { found: 99, .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
