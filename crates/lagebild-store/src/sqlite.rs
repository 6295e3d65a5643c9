//! The SQLite backend.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

use std::collections::BTreeSet;

use crate::types::*;
use crate::{derived, query};
use crate::{fts_query, Incoming, PutOutcome, Result, SearchHit, Stats, Store, StoreError};
use lagebild_model::{content_hash, Document};

/// Ordered schema migrations; migration `i` brings the schema to version `i + 1`.
/// Never edit one that has shipped: add a new one.
const MIGRATIONS: &[&str] = &[
    // 1: documents and their full-text index
    r#"
    CREATE TABLE documents (
        rowid        INTEGER PRIMARY KEY,
        id           TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL UNIQUE,
        raw_hash     TEXT,
        path         TEXT,
        url          TEXT,
        site         TEXT,
        language     TEXT NOT NULL,
        title        TEXT,
        published    TEXT,
        text         TEXT NOT NULL,
        analysis     TEXT NOT NULL,
        ingested_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE INDEX documents_raw_hash ON documents(raw_hash);
    CREATE INDEX documents_published ON documents(published);
    CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, text, content='documents', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    END;
    CREATE TRIGGER documents_au AFTER UPDATE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    "#,
    // 2: derived tables (entities, mentions, quotes, events, parties) and stories;
    // filled for documents stored before by `derived::backfill`
    derived::MIGRATION_2,
];

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// A SQLite database file (or an in-memory database for tests).
pub struct SqliteStore {
    pub(crate) conn: Connection,
}

impl SqliteStore {
    /// Open (creating if needed) and migrate the database at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        let shown = path.display().to_string();
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: shown.clone(),
            source,
        })?;
        Self::setup(conn, &shown)
    }

    /// A private in-memory database.
    pub fn in_memory() -> Result<Self> {
        Self::setup(Connection::open_in_memory()?, ":memory:")
    }

    fn setup(conn: Connection, shown: &str) -> Result<Self> {
        let open_err = |source| StoreError::Open {
            path: shown.to_string(),
            source,
        };
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(open_err)?;
        // WAL keeps readers going while a writer commits; NORMAL sync is durable
        // at every checkpoint and never corrupts on a crash.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        let mut store = SqliteStore { conn };
        store.migrate(shown)?;
        Ok(store)
    }

    fn migrate(&mut self, shown: &str) -> Result<()> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: shown.to_string(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            if i + 1 == 2 {
                derived::backfill(&tx)?;
            }
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
            tx.commit()?;
            tracing::info!(version = i + 1, "database migrated");
        }
        Ok(())
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

impl Store for SqliteStore {
    fn put_batch(&mut self, docs: &[Incoming]) -> Result<Vec<PutOutcome>> {
        let tx = self.conn.transaction()?;
        let mut outcomes = Vec::with_capacity(docs.len());
        let mut touched = BTreeSet::new();
        {
            let mut by_hash =
                tx.prepare_cached("SELECT id FROM documents WHERE content_hash = ?1")?;
            let mut by_id = tx.prepare_cached("SELECT rowid FROM documents WHERE id = ?1")?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO documents (id, content_hash, raw_hash, path, url, site, language, title, published, text, analysis)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            let mut update = tx.prepare_cached(
                "UPDATE documents SET content_hash = ?2, raw_hash = ?3, path = ?4, url = ?5, site = ?6, language = ?7,
                 title = ?8, published = ?9, text = ?10, analysis = ?11 WHERE id = ?1",
            )?;
            for inc in docs {
                let d = &inc.doc;
                let hash = content_hash(&d.text);
                if let Some(existing) = by_hash
                    .query_row(params![hash], |r| r.get::<_, String>(0))
                    .optional()?
                {
                    outcomes.push(PutOutcome::Duplicate { existing });
                    continue;
                }
                let analysis = serde_json::to_string(d).expect("a document always serialises");
                let row = params![
                    d.id,
                    hash,
                    inc.raw_hash,
                    d.source.path,
                    d.source.url,
                    d.source.site,
                    d.language,
                    d.title,
                    d.published,
                    d.text,
                    analysis
                ];
                if let Some(rowid) = by_id
                    .query_row(params![d.id], |r| r.get::<_, i64>(0))
                    .optional()?
                {
                    update.execute(row)?;
                    derived::clear(&tx, rowid, &mut touched)?;
                    derived::write(&tx, rowid, d, &mut touched)?;
                    outcomes.push(PutOutcome::Updated);
                } else {
                    insert.execute(row)?;
                    derived::write(&tx, tx.last_insert_rowid(), d, &mut touched)?;
                    outcomes.push(PutOutcome::New);
                }
            }
        }
        derived::recount(&tx, &touched)?;
        tx.commit()?;
        Ok(outcomes)
    }

    fn has_raw(&self, raw_hash: &str) -> Result<bool> {
        let mut st = self
            .conn
            .prepare_cached("SELECT 1 FROM documents WHERE raw_hash = ?1 LIMIT 1")?;
        Ok(st.exists(params![raw_hash])?)
    }

    fn get(&self, id: &str) -> Result<Option<Document>> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT analysis FROM documents WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
            .optional()?;
        json.map(|j| {
            serde_json::from_str(&j).map_err(|source| StoreError::Decode {
                id: id.to_string(),
                source,
            })
        })
        .transpose()
    }

    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(q) = fts_query(query) else {
            return Err(StoreError::Query {
                query: query.to_string(),
                message: "no searchable words".into(),
            });
        };
        let mut st = self.conn.prepare_cached(
            "SELECT d.id, d.title, d.published, d.language,
                    snippet(documents_fts, 1, '[', ']', '…', 16), bm25(documents_fts, 5.0, 1.0)
             FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid
             WHERE documents_fts MATCH ?1
             ORDER BY bm25(documents_fts, 5.0, 1.0), d.id LIMIT ?2",
        )?;
        let rows = st.query_map(params![q, limit as i64], |r| {
            Ok(SearchHit {
                id: r.get(0)?,
                title: r.get(1)?,
                published: r.get(2)?,
                language: r.get(3)?,
                snippet: r.get(4)?,
                score: -r.get::<_, f64>(5)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn stats(&self) -> Result<Stats> {
        let (documents, bytes_of_text, first, last) = self.conn.query_row(
            "SELECT count(*), coalesce(sum(length(CAST(text AS BLOB))), 0), min(published), max(published) FROM documents",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let mut st = self
            .conn
            .prepare("SELECT language, count(*) FROM documents GROUP BY language ORDER BY count(*) DESC, language")?;
        let languages = st
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
            })?
            .collect::<std::result::Result<_, _>>()?;
        Ok(Stats {
            documents: documents as u64,
            bytes_of_text: bytes_of_text as u64,
            languages,
            first_published: first,
            last_published: last,
            schema_version: self.schema_version()?,
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
        let tx = self.conn.transaction()?;
        tx.execute_batch("DELETE FROM story_documents; DELETE FROM stories;")?;
        for (story, docs) in stories {
            query::upsert_story(&tx, story)?;
            for d in docs {
                query::assign_story(&tx, d, &story.id)?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn set_duplicates(&mut self, links: &[(String, Option<String>)]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut set = tx.prepare_cached(
                "UPDATE documents SET analysis = json_set(analysis, '$.duplicate_of', ?2) WHERE id = ?1",
            )?;
            let mut clear = tx.prepare_cached(
                "UPDATE documents SET analysis = json_remove(analysis, '$.duplicate_of') WHERE id = ?1",
            )?;
            for (doc, original) in links {
                match original {
                    Some(o) => set.execute(params![doc, o])?,
                    None => clear.execute(params![doc])?,
                };
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn story_of(&self, doc_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT story FROM story_documents WHERE doc = ?1")?
            .query_row(params![doc_id], |r| r.get(0))
            .optional()?)
    }

    fn stories(&self, page: Page) -> Result<Paged<Story>> {
        query::stories(&self.conn, page)
    }

    fn story(&self, id: &str) -> Result<Option<StoryDetail>> {
        query::story(&self.conn, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        }
    }

    #[test]
    fn put_is_idempotent_by_content_and_updates_by_id() {
        let mut s = SqliteStore::in_memory().unwrap();
        let out = s
            .put_batch(&[
                doc("a", "Lawrow traf Choe in Moskau."),
                doc("b", "Ganz anderer Text."),
            ])
            .unwrap();
        assert_eq!(out, vec![PutOutcome::New, PutOutcome::New]);
        let out = s
            .put_batch(&[doc("c", "Lawrow  traf Choe\nin Moskau.")])
            .unwrap();
        assert_eq!(
            out,
            vec![PutOutcome::Duplicate {
                existing: "a".into()
            }]
        );
        let out = s.put_batch(&[doc("b", "Neuer Text für b.")]).unwrap();
        assert_eq!(out, vec![PutOutcome::Updated]);
        assert_eq!(s.stats().unwrap().documents, 2);
        assert_eq!(s.get("b").unwrap().unwrap().text, "Neuer Text für b.");
        assert!(s.has_raw("raw-a").unwrap());
        assert!(!s.has_raw("raw-zzz").unwrap());
        assert!(s.get("nope").unwrap().is_none());
    }

    #[test]
    fn search_finds_updated_text_and_ranks_title_matches() {
        let mut s = SqliteStore::in_memory().unwrap();
        s.put_batch(&[
            doc("a", "Der Außenminister traf in Moskau ein."),
            doc("b", "Über Pjöngjang wird berichtet."),
        ])
        .unwrap();
        let hits = s.search("moskau", 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].id, "a");
        assert!(hits[0].snippet.contains("[Moskau]"), "{}", hits[0].snippet);
        // diacritics folded: Pjongjang finds Pjöngjang
        assert_eq!(s.search("Pjongjang", 10).unwrap()[0].id, "b");
        s.put_batch(&[doc("b", "Jetzt geht es um Moskau und Peking.")])
            .unwrap();
        assert!(
            s.search("Pjöngjang", 10).unwrap().is_empty(),
            "old text left the index"
        );
        assert_eq!(s.search("Moskau", 10).unwrap().len(), 2);
        assert!(matches!(s.search("()", 10), Err(StoreError::Query { .. })));
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
            c.execute_batch(MIGRATIONS[0]).unwrap();
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
