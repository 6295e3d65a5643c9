//! `lagebild serve`: the HTTP API and web interface over a database; and the
//! server that `lagebild demo` opens onto.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;
use lagebild_nlp::Options as NlpOptions;
use lagebild_server::{Analyzer, DynStore, Options, StoreFactory};

use crate::{input, Cli, DbArg};

/// Where `serve` and `demo` listen unless told otherwise.
const DEFAULT_ADDR: &str = "127.0.0.1:8080";

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArg,
    #[command(flatten)]
    pub server: ServerArgs,
    /// Enables `POST /api/documents` for clients that send
    /// `Authorization: Bearer TOKEN`; without it ingestion over HTTP is off.
    #[arg(long, env = "LAGEBILD_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
}

/// Listening address and limits, shared by `serve` and `demo`.
#[derive(Debug, Args)]
pub struct ServerArgs {
    /// Address to listen on (loopback by default; port 0 picks a free port).
    #[arg(long, default_value = DEFAULT_ADDR)]
    pub addr: SocketAddr,
    /// Largest request body accepted, in KiB.
    #[arg(long, default_value_t = 8192, value_name = "KIB")]
    pub max_body: usize,
    /// Requests per minute per client address (0: no limit).
    #[arg(long, default_value_t = 1200, value_name = "N")]
    pub rate_limit: u32,
    /// Database connections for reading (concurrent queries).
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub readers: usize,
}

/// `demo`'s own switches.
#[derive(Debug, Args)]
pub struct DemoServeArgs {
    /// Only ingest and print; do not start the web interface.
    #[arg(long)]
    pub no_serve: bool,
    /// Address the web interface listens on.
    #[arg(long, default_value = DEFAULT_ADDR)]
    pub addr: SocketAddr,
}

pub fn run(cli: &Cli, args: &ServeArgs) -> Result<ExitCode> {
    let analyzer = match &args.token {
        Some(t) if t.trim().is_empty() => anyhow::bail!("--token must not be empty"),
        Some(_) => {
            let pipeline = input::pipeline(cli.resources.as_deref(), NlpOptions::default())?;
            let pipeline = Arc::new(pipeline);
            Some(Arc::new(move |raw| pipeline.analyze(raw)) as Analyzer)
        }
        None => None,
    };
    serve_db(&args.db.db, &args.server, args.token.clone(), analyzer)
}

/// After `demo` ingested: serve its database unless `--no-serve`.
pub fn after_demo(db: &str, args: &DemoServeArgs, code: ExitCode) -> Result<ExitCode> {
    if args.no_serve || code != ExitCode::SUCCESS {
        return Ok(code);
    }
    let server = ServerArgs {
        addr: args.addr,
        max_body: 8192,
        rate_limit: 1200,
        readers: 4,
    };
    println!();
    serve_db(db, &server, None, None)
}

fn serve_db(
    db: &str,
    server: &ServerArgs,
    token: Option<String>,
    analyzer: Option<Analyzer>,
) -> Result<ExitCode> {
    // Open (and migrate) once up front so that a bad file fails here, clearly.
    drop(crate::commands::open_store(db)?);
    if !server.addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}, reachable from other machines",
            server.addr
        );
    }
    let spec = db.to_string();
    // Opened on a thread of its own: the blocking PostgreSQL client runs its
    // own small runtime, which must not start inside the server's (queries
    // then run on the server's blocking pool, where that is allowed).
    let factory: StoreFactory = Arc::new(move || {
        let spec = spec.clone();
        std::thread::spawn(move || lagebild_store::open(&spec))
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p)) as Result<DynStore, _>
    });
    let options = Options {
        token,
        max_body: server.max_body.saturating_mul(1024),
        rate_per_minute: server.rate_limit,
        readers: server.readers.max(1),
        loopback_hosts: false,
    };
    let shown = lagebild_store::redact_url(db);
    lagebild_server::serve(server.addr, factory, analyzer, options, |bound| {
        println!("Lagebild is serving {shown} at http://{bound}/  (Ctrl-C stops)");
        let _ = std::io::stdout().flush();
    })
    .with_context(|| format!("serving {shown}"))?;
    Ok(ExitCode::SUCCESS)
}
