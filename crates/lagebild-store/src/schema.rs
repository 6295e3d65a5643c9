//! The schema of both backends: ordered migrations with the same numbering and
//! the same meaning on SQLite and PostgreSQL. Migration `i` brings the schema to
//! version `i + 1`. Never edit one that has shipped: add a new one.
//!
//! The version lives in `PRAGMA user_version` on SQLite and in the one-row
//! table `lagebild_schema` on PostgreSQL. On PostgreSQL, migrations run under an
//! advisory lock, so several workers starting at once migrate once.

use crate::db::{args, in_tx, Conn, Dialect};
use crate::{derived, Result, StoreError};

const SQLITE: &[&str] = &[
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
    // 3: the work queue and incremental story clustering; the text index is
    // refreshed only when the title or the text change (not on every update of
    // the analysis or the clustering columns)
    r#"
    DROP TRIGGER documents_au;
    CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    ALTER TABLE documents ADD COLUMN fingerprint TEXT;
    ALTER TABLE documents ADD COLUMN cluster_seq INTEGER;
    CREATE UNIQUE INDEX documents_cluster_seq ON documents(cluster_seq);
    CREATE TABLE cluster_state (
        id       INTEGER PRIMARY KEY CHECK (id = 1),
        epoch    INTEGER NOT NULL,
        next_seq INTEGER NOT NULL
    );
    INSERT INTO cluster_state VALUES (1, 1, 1);
    CREATE TABLE queue (
        id          INTEGER PRIMARY KEY,
        source      TEXT NOT NULL,
        raw_hash    TEXT NOT NULL UNIQUE,
        payload     TEXT NOT NULL,
        state       TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'claimed', 'done', 'parked')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        worker      TEXT,
        lease_until INTEGER,
        error       TEXT,
        doc_id      TEXT,
        enqueued_at INTEGER NOT NULL,
        finished_at INTEGER
    );
    CREATE INDEX queue_state ON queue(state, id);
    "#,
];

const POSTGRES: &[&str] = &[
    // 1: documents; full-text search over a generated tsvector in the
    // document's language (German or English configuration, folded accents)
    r#"
    CREATE TABLE documents (
        rowid        BIGSERIAL PRIMARY KEY,
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
        ingested_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
        tsv          tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector(CASE WHEN language = 'de' THEN 'lagebild_de'::regconfig
                                       ELSE 'lagebild_en'::regconfig END, coalesce(title, '')), 'A')
            || setweight(to_tsvector(CASE WHEN language = 'de' THEN 'lagebild_de'::regconfig
                                          ELSE 'lagebild_en'::regconfig END, text), 'B')
        ) STORED
    );
    CREATE INDEX documents_raw_hash ON documents(raw_hash);
    CREATE INDEX documents_published ON documents(published);
    CREATE INDEX documents_tsv ON documents USING gin(tsv);
    "#,
    // 2: derived tables and stories
    r#"
    CREATE TABLE entities (
        id        TEXT PRIMARY KEY,
        name      TEXT NOT NULL,
        type      TEXT NOT NULL,
        country   TEXT,
        sector    TEXT,
        documents BIGINT NOT NULL DEFAULT 0,
        mentions  BIGINT NOT NULL DEFAULT 0
    );
    CREATE INDEX entities_rank ON entities(documents DESC, id);
    CREATE TABLE mentions (
        doc       BIGINT NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
        entity    TEXT NOT NULL,
        off_start BIGINT NOT NULL,
        off_end   BIGINT NOT NULL,
        surface   TEXT NOT NULL,
        kind      TEXT NOT NULL,
        sentence  BIGINT,
        date      TEXT
    );
    CREATE INDEX mentions_entity ON mentions(entity, date);
    CREATE INDEX mentions_doc ON mentions(doc, sentence);
    CREATE TABLE quotes (
        doc          BIGINT NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
        seq          BIGINT NOT NULL,
        speaker      TEXT,
        speaker_text TEXT,
        text         TEXT NOT NULL,
        cue          TEXT,
        type         TEXT NOT NULL,
        off_start    BIGINT NOT NULL,
        off_end      BIGINT NOT NULL,
        date         TEXT,
        PRIMARY KEY (doc, seq)
    );
    CREATE INDEX quotes_speaker ON quotes(speaker, date);
    CREATE TABLE events (
        id         BIGSERIAL PRIMARY KEY,
        doc        BIGINT NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
        seq        BIGINT NOT NULL,
        type       TEXT NOT NULL,
        mode       TEXT,
        context    TEXT NOT NULL,
        actors     TEXT NOT NULL,
        recipients TEXT NOT NULL,
        location   TEXT,
        date       TEXT,
        day        TEXT,
        modality   TEXT NOT NULL,
        claimed_by TEXT,
        cameo      TEXT,
        goldstein  DOUBLE PRECISION,
        off_start  BIGINT NOT NULL,
        off_end    BIGINT NOT NULL,
        sentence   TEXT NOT NULL
    );
    CREATE INDEX events_doc ON events(doc);
    CREATE INDEX events_day ON events(day, id);
    CREATE INDEX events_type ON events(type, day);
    CREATE TABLE event_parties (
        event    BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        role     TEXT NOT NULL CHECK (role IN ('actor', 'recipient')),
        position BIGINT NOT NULL,
        entity   TEXT NOT NULL,
        PRIMARY KEY (event, role, position)
    );
    CREATE INDEX event_parties_entity ON event_parties(entity, role);
    CREATE TABLE stories (
        id    TEXT PRIMARY KEY,
        title TEXT,
        first TEXT,
        last  TEXT
    );
    CREATE TABLE story_documents (
        doc   TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE ON UPDATE CASCADE,
        story TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE
    );
    CREATE INDEX story_documents_story ON story_documents(story);
    "#,
    // 3: the work queue and incremental story clustering
    r#"
    ALTER TABLE documents ADD COLUMN fingerprint TEXT;
    ALTER TABLE documents ADD COLUMN cluster_seq BIGINT;
    CREATE UNIQUE INDEX documents_cluster_seq ON documents(cluster_seq);
    CREATE INDEX documents_unclustered ON documents(rowid) WHERE cluster_seq IS NULL;
    CREATE TABLE cluster_state (
        id       BIGINT PRIMARY KEY CHECK (id = 1),
        epoch    BIGINT NOT NULL,
        next_seq BIGINT NOT NULL
    );
    INSERT INTO cluster_state VALUES (1, 1, 1);
    CREATE TABLE queue (
        id          BIGSERIAL PRIMARY KEY,
        source      TEXT NOT NULL,
        raw_hash    TEXT NOT NULL UNIQUE,
        payload     TEXT NOT NULL,
        state       TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'claimed', 'done', 'parked')),
        attempts    BIGINT NOT NULL DEFAULT 0,
        worker      TEXT,
        lease_until BIGINT,
        error       TEXT,
        doc_id      TEXT,
        enqueued_at BIGINT NOT NULL,
        finished_at BIGINT
    );
    CREATE INDEX queue_state ON queue(state, id);
    "#,
];

/// Text search configurations for migration 1 on PostgreSQL: German and
/// English stemming with accents folded (`unaccent`, a trusted contrib
/// extension) so that *Pjongjang* finds *Pjöngjang* as on SQLite; without the
/// extension, the plain configurations.
const PG_TEXT_SEARCH: &str = r#"
DO $$
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS unaccent;
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'unaccent not available: search keeps accents';
    END;
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'lagebild_de') THEN
        CREATE TEXT SEARCH CONFIGURATION lagebild_de (COPY = german);
        CREATE TEXT SEARCH CONFIGURATION lagebild_en (COPY = english);
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'unaccent') THEN
            ALTER TEXT SEARCH CONFIGURATION lagebild_de
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, german_stem;
            ALTER TEXT SEARCH CONFIGURATION lagebild_en
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
        END IF;
    END IF;
END
$$;
"#;

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = SQLITE.len() as i64;

const _: () = assert!(SQLITE.len() == POSTGRES.len());

/// Key of the advisory lock that serialises migrations on PostgreSQL.
const MIGRATION_LOCK: i64 = 0x4c61_6765_0001;

fn version<C: Conn>(c: &C) -> Result<i64> {
    match c.dialect() {
        Dialect::Sqlite => c.one("PRAGMA user_version", &[])?.get(0),
        Dialect::Postgres => {
            c.batch("CREATE TABLE IF NOT EXISTS lagebild_schema (version BIGINT NOT NULL)")?;
            Ok(c.opt("SELECT version FROM lagebild_schema", &[])?
                .map(|r| r.get(0))
                .transpose()?
                .unwrap_or(0))
        }
    }
}

fn set_version<C: Conn>(c: &C, v: i64) -> Result<()> {
    match c.dialect() {
        Dialect::Sqlite => c.batch(&format!("PRAGMA user_version = {v}")),
        Dialect::Postgres => {
            c.exec("DELETE FROM lagebild_schema", &[])?;
            c.exec(
                "INSERT INTO lagebild_schema (version) VALUES (?1)",
                args![v],
            )?;
            Ok(())
        }
    }
}

/// The schema version of an open database.
pub(crate) fn current<C: Conn>(c: &C) -> Result<i64> {
    version(c)
}

/// Brings the database to [`SCHEMA_VERSION`]; refuses a newer one.
pub(crate) fn migrate<C: Conn>(c: &C, shown: &str) -> Result<()> {
    if c.dialect() == Dialect::Postgres {
        c.exec("SELECT pg_advisory_lock(?1)", args![MIGRATION_LOCK])?;
    }
    let result = migrate_locked(c, shown);
    if c.dialect() == Dialect::Postgres {
        c.exec("SELECT pg_advisory_unlock(?1)", args![MIGRATION_LOCK])?;
    }
    result
}

fn migrate_locked<C: Conn>(c: &C, shown: &str) -> Result<()> {
    let found = version(c)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: shown.to_string(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    let steps = match c.dialect() {
        Dialect::Sqlite => SQLITE,
        Dialect::Postgres => POSTGRES,
    };
    for (i, sql) in steps.iter().enumerate().skip(found as usize) {
        let to = i as i64 + 1;
        in_tx(c, |c| {
            if to == 1 && c.dialect() == Dialect::Postgres {
                c.batch(PG_TEXT_SEARCH)?;
            }
            c.batch(sql)?;
            if to == 2 && c.dialect() == Dialect::Sqlite {
                derived::backfill(c)?;
            }
            set_version(c, to)
        })?;
        tracing::info!(version = to, database = shown, "database migrated");
    }
    Ok(())
}

/// Migration 1 of SQLite, for the upgrade test.
#[cfg(test)]
pub(crate) const SQLITE_V1: &str = SQLITE[0];
