//! Fresh stores for the backend test suites: SQLite in memory, and a new
//! database on the PostgreSQL server named by `LAGEBILD_TEST_PG`
//! (`tools/pg-throwaway.sh start` prints one). Without it the PostgreSQL
//! half is skipped with a message, except under CI, where it fails.

#![allow(dead_code)]

use lagebild_store::{PgStore, SqliteStore, Store};

pub type DynStore = Box<dyn Store + Send>;

pub fn sqlite() -> DynStore {
    Box::new(SqliteStore::in_memory().unwrap())
}

pub use lagebild_store::testing::pg_database;

/// A database that several connections can open (as several workers do).
pub enum Db {
    Sqlite(tempfile_path::TempPath),
    Pg(String),
}

impl Db {
    pub fn open(&self) -> DynStore {
        match self {
            Db::Sqlite(p) => Box::new(SqliteStore::open(&p.0).unwrap()),
            Db::Pg(url) => Box::new(PgStore::connect(url).unwrap()),
        }
    }
}

pub fn sqlite_db() -> Db {
    Db::Sqlite(tempfile_path::TempPath::new())
}

pub fn pg_db() -> Option<Db> {
    pg_database().map(Db::Pg)
}

/// A database file removed (with its WAL files) when dropped.
pub mod tempfile_path {
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    pub struct TempPath(pub PathBuf);

    impl TempPath {
        pub fn new() -> Self {
            static N: AtomicUsize = AtomicUsize::new(0);
            let dir = std::env::temp_dir().join(format!(
                "lagebild-backends-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::SeqCst)
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            TempPath(dir.join("t.db"))
        }
    }

    impl Drop for TempPath {
        fn drop(&mut self) {
            if let Some(d) = self.0.parent() {
                let _ = std::fs::remove_dir_all(d);
            }
        }
    }
}

pub fn pg() -> Option<DynStore> {
    let url = pg_database()?;
    Some(Box::new(PgStore::connect(&url).unwrap()))
}

/// `backends!(test_a, test_b)`: each `fn test_a(store: DynStore)` runs as
/// `sqlite::test_a` and `postgres::test_a`.
#[macro_export]
macro_rules! backends_db {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(super::common::sqlite_db()) } )*
        }
        mod postgres {
            $( #[test] fn $name() { if let Some(d) = super::common::pg_db() { super::$name(d) } } )*
        }
    };
}

#[macro_export]
macro_rules! backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(super::common::sqlite()) } )*
        }
        mod postgres {
            $( #[test] fn $name() { if let Some(s) = super::common::pg() { super::$name(s) } } )*
        }
    };
}
