//! Helpers for tests that need a PostgreSQL server (this crate's and the
//! CLI's): the server is named by `LAGEBILD_TEST_PG`
//! (`tools/pg-throwaway.sh start` prints one). Without it such tests are
//! skipped with a message, except under CI (`CI` set), where they fail.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The test server's URL, or `None` (skip) outside CI.
pub fn pg_url() -> Option<String> {
    match std::env::var("LAGEBILD_TEST_PG") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => {
            panic!("CI needs LAGEBILD_TEST_PG (see tools/pg-throwaway.sh)")
        }
        _ => {
            eprintln!("skipped: LAGEBILD_TEST_PG is not set (tools/pg-throwaway.sh start)");
            None
        }
    }
}

/// The URL of a new, empty database on the test server.
pub fn pg_database() -> Option<String> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let url = pg_url()?;
    let name = format!(
        "lbt_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    );
    Some(crate::create_database(&url, &name).unwrap_or_else(|e| panic!("{e}")))
}
