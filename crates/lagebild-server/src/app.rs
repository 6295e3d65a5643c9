//! The shared state of the server: a pool of read connections, one write
//! connection, the ingest token and analyser, the limits.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use lagebild_model::{Document, RawDocument};
use lagebild_store::{Store, StoreError};

use crate::error::ApiError;

/// A store behind the trait, movable to a blocking thread.
pub type DynStore = Box<dyn Store + Send>;

/// Opens one more connection to the database.
pub type StoreFactory = Arc<dyn Fn() -> Result<DynStore, StoreError> + Send + Sync>;

/// Turns a raw document into an analysed one (the analysis pipeline).
pub type Analyzer = Arc<dyn Fn(RawDocument) -> Document + Send + Sync>;

/// What the server is configured with.
#[derive(Clone)]
pub struct Options {
    /// Bearer token that enables `POST /api/documents`; `None` disables it.
    pub token: Option<String>,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// Requests per minute per client address; 0 turns the limit off.
    pub rate_per_minute: u32,
    /// Read connections (each used by one blocking thread at a time).
    pub readers: usize,
    /// Answer only requests whose `Host` names a loopback address (`localhost`,
    /// `127.x.x.x`, `[::1]`): what a loopback server wants, against DNS rebinding.
    pub loopback_hosts: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            token: None,
            max_body: 8 * 1024 * 1024,
            rate_per_minute: 1200,
            readers: 4,
            loopback_hosts: false,
        }
    }
}

/// A fixed set of connections, each used by one thread at a time.
pub struct Pool {
    conns: Vec<Mutex<DynStore>>,
    next: AtomicUsize,
}

impl Pool {
    pub fn new(factory: &StoreFactory, n: usize) -> Result<Self, StoreError> {
        let conns = (0..n.max(1))
            .map(|_| factory().map(Mutex::new))
            .collect::<Result<_, _>>()?;
        Ok(Pool {
            conns,
            next: AtomicUsize::new(0),
        })
    }

    /// Runs `f` on a free connection (waiting for one if all are busy). Blocking.
    pub fn with<T>(&self, f: impl FnOnce(&dyn Store) -> T) -> T {
        let n = self.conns.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        for i in 0..n {
            if let Ok(guard) = self.conns[(start + i) % n].try_lock() {
                return f(guard.as_ref());
            }
        }
        // All busy: wait for the one it would have taken first. A panic in an
        // earlier user leaves the connection usable (SQLite rolls back).
        let guard = self.conns[start % n]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(guard.as_ref())
    }
}

/// Token buckets per client address.
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        RateLimiter {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `ip`; `Err(seconds)` says how long until the next one.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let cap = f64::from(self.per_minute);
        let per_sec = cap / 60.0;
        let now = Instant::now();
        let mut map = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 10_000 {
            // Forget clients whose buckets have refilled: they lose nothing.
            map.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * per_sec < cap
            });
        }
        let (tokens, at) = map.entry(ip).or_insert((cap, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * per_sec).min(cap);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / per_sec).ceil().max(1.0) as u64)
        }
    }
}

/// The state every handler sees.
pub struct App {
    pub pool: Pool,
    pub writer: Option<Mutex<DynStore>>,
    pub analyzer: Option<Analyzer>,
    pub options: Options,
    pub limiter: RateLimiter,
}

pub type Shared = Arc<App>;

impl App {
    /// Opens the read pool (and a writer when ingestion is enabled).
    pub fn new(
        factory: StoreFactory,
        analyzer: Option<Analyzer>,
        options: Options,
    ) -> Result<Shared, StoreError> {
        let pool = Pool::new(&factory, options.readers)?;
        let writer = if options.token.is_some() {
            Some(Mutex::new(factory()?))
        } else {
            None
        };
        Ok(Arc::new(App {
            pool,
            writer,
            analyzer,
            limiter: RateLimiter::new(options.rate_per_minute),
            options,
        }))
    }
}

/// Runs a read on a blocking thread with a pooled connection.
pub async fn read<T, F>(app: &Shared, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
{
    let app = app.clone();
    tokio::task::spawn_blocking(move || app.pool.with(f))
        .await
        .map_err(|e| ApiError::internal(format!("worker failed: {e}")))?
        .map_err(ApiError::from)
}
