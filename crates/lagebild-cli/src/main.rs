//! `lagebild`: the command-line shell around the analysis core and the store.

mod bench;
mod benchstories;
mod benchworkers;
mod commands;
mod demo;
mod eval;
mod evalevents;
mod evalextract;
mod evallink;
mod input;
mod serve;
mod stories;
mod train;
mod worker;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

const EXIT_CODES: &str = "\
Exit status:
  0  every input was read, analysed (and stored)
  1  some inputs failed; each is named on standard error, the rest went through
  2  the command line was wrong
  3  a fatal error (database or resources unusable); nothing further was done";

/// Lagebild turns a stream of news articles into a structured, searchable picture.
#[derive(Debug, Parser)]
#[command(
    name = "lagebild",
    version,
    about = "Lagebild turns a stream of news articles into a structured, searchable picture.",
    after_help = EXIT_CODES
)]
struct Cli {
    /// More log output (-v info, -vv debug); LAGEBILD_LOG / RUST_LOG override.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    /// Read lexicons and rules from this folder where it has a file of the same
    /// name as an embedded one (e.g. DIR/lexicons/boilerplate.tsv); KB files of
    /// your own in DIR/kb/*.tsv are added to the knowledge base.
    #[arg(long, global = true, value_name = "DIR", env = "LAGEBILD_RESOURCES")]
    resources: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Analyse files, folders or standard input; write one JSON document per line
    /// to standard output. No database is touched.
    #[command(after_help = EXIT_CODES)]
    Analyze(AnalyzeArgs),
    /// Analyse inputs and store them in the database; already stored articles are
    /// skipped. Safe to interrupt and run again: it resumes.
    #[command(after_help = EXIT_CODES)]
    Ingest(IngestArgs),
    /// Full-text search over the stored documents.
    #[command(after_help = EXIT_CODES)]
    Search(SearchArgs),
    /// Show one stored document.
    #[command(after_help = EXIT_CODES)]
    Show(ShowArgs),
    /// Counts over the database.
    #[command(after_help = EXIT_CODES)]
    Stats(StatsArgs),
    /// Stories in the database: one line each, or the contract's JSON.
    #[command(after_help = EXIT_CODES)]
    Stories(stories::StoriesArgs),
    /// One story: its documents, entities and timeline.
    #[command(after_help = EXIT_CODES)]
    Story(stories::StoryArgs),
    /// Cluster all stored documents into stories again (after a KB or model change).
    #[command(after_help = EXIT_CODES)]
    Recluster(stories::ReclusterArgs),
    /// Ingest the built-in example articles into a database and show what came out.
    #[command(after_help = EXIT_CODES)]
    Demo(DemoArgs),
    /// Serve the HTTP API (/api, described at /api/openapi.json) and the web
    /// interface over a database.
    #[command(after_help = EXIT_CODES)]
    Serve(serve::ServeArgs),
    /// Add inputs to the work queue for `lagebild worker` (one row per document;
    /// inputs queued before are skipped).
    #[command(after_help = EXIT_CODES)]
    Enqueue(worker::EnqueueArgs),
    /// Analyse queued documents: claim a few, analyse, store, cluster; repeat.
    /// Run as many as you like, on as many machines as share the database.
    #[command(after_help = EXIT_CODES)]
    Worker(worker::WorkerArgs),
    /// The work queue: counts per state, parked documents and their errors.
    #[command(after_help = EXIT_CODES)]
    Queue(worker::QueueArgs),
    /// Measure analysis throughput on a corpus (documents/s, MB/s, peak memory).
    #[command(after_help = EXIT_CODES)]
    Bench(bench::BenchArgs),
    /// Measure accuracy on annotated data (time, link, …) against published anchors.
    #[command(after_help = EXIT_CODES)]
    Eval(eval::EvalArgs),
    /// Train a model (ner) from the shared annotated data, deterministically.
    #[command(after_help = EXIT_CODES)]
    Train(train::TrainArgs),
}

#[derive(Debug, Args)]
pub(crate) struct DbArg {
    /// Database: a SQLite file, or postgres://USER@HOST:PORT/DB for a PostgreSQL
    /// database shared by several workers and machines.
    #[arg(
        long,
        env = "LAGEBILD_DB",
        default_value = "lagebild.db",
        value_name = "FILE|URL"
    )]
    pub(crate) db: String,
}

impl DbArg {
    /// The database as shown in messages (a URL's password hidden).
    pub(crate) fn shown(&self) -> String {
        lagebild_store::redact_url(&self.db)
    }
}

#[derive(Debug, Args)]
struct ReadArgs {
    /// Files or folders (searched recursively); `-` or nothing reads standard input.
    paths: Vec<PathBuf>,
    /// Publication date (YYYY-MM-DD) for inputs that carry none; relative dates
    /// are resolved against it.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = commands::parse_date_arg)]
    published: Option<String>,
    /// Largest input file read, in MiB; larger ones are reported and skipped.
    #[arg(long, default_value_t = 50, value_name = "MIB")]
    max_size: u64,
    /// Also read hidden files and folders (names starting with a dot).
    #[arg(long)]
    hidden: bool,
    /// Worker threads for analysis (default: all cores).
    #[arg(long, short = 'j')]
    threads: Option<usize>,
    /// How relative dates are resolved: against the publication date (news), the
    /// last date mentioned (narrative), or chosen per document (auto).
    #[arg(long, value_enum, default_value = "auto")]
    time_mode: TimeModeArg,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum TimeModeArg {
    Auto,
    News,
    Narrative,
}

impl TimeModeArg {
    fn mode(self) -> Option<lagebild_nlp::TimeMode> {
        match self {
            TimeModeArg::Auto => None,
            TimeModeArg::News => Some(lagebild_nlp::TimeMode::News),
            TimeModeArg::Narrative => Some(lagebild_nlp::TimeMode::Narrative),
        }
    }
}

#[derive(Debug, Args)]
struct AnalyzeArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// Keep the token layer in the output.
    #[arg(long)]
    tokens: bool,
    /// Indent the JSON (one document over several lines).
    #[arg(long)]
    pretty: bool,
}

#[derive(Debug, Args)]
struct IngestArgs {
    #[command(flatten)]
    db: DbArg,
    #[command(flatten)]
    read: ReadArgs,
    /// Documents committed per transaction.
    #[arg(long, default_value_t = 200)]
    batch: usize,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct SearchArgs {
    #[command(flatten)]
    db: DbArg,
    /// Words to find (all must occur; `word*` for a prefix, `OR` between words).
    #[arg(required = true)]
    query: Vec<String>,
    /// Most results to show.
    #[arg(long, short = 'n', default_value_t = 20)]
    limit: usize,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct ShowArgs {
    #[command(flatten)]
    db: DbArg,
    /// Document id (as printed by `search` or `ingest`).
    id: String,
    /// Print the stored JSON document (the analysis contract).
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct StatsArgs {
    #[command(flatten)]
    db: DbArg,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct DemoArgs {
    /// Database file for the demo.
    #[arg(long, default_value = "lagebild-demo.db")]
    db: PathBuf,
    #[command(flatten)]
    serve: serve::DemoServeArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let result = match &cli.command {
        Command::Analyze(a) => commands::analyze(&cli, a),
        Command::Ingest(a) => commands::ingest(&cli, a),
        Command::Search(a) => commands::search(a),
        Command::Show(a) => commands::show(a),
        Command::Stats(a) => commands::stats(a),
        Command::Stories(a) => stories::stories(a),
        Command::Story(a) => stories::story(a),
        Command::Recluster(a) => stories::recluster(a),
        Command::Demo(a) => {
            demo::run(&cli, a).and_then(|c| serve::after_demo(&a.db.to_string_lossy(), &a.serve, c))
        }
        Command::Serve(a) => serve::run(&cli, a),
        Command::Enqueue(a) => worker::enqueue(a),
        Command::Worker(a) => worker::run(&cli, a),
        Command::Queue(a) => worker::queue(a),
        Command::Bench(a) => bench::run(&cli, a),
        Command::Eval(a) => eval::run(&cli, a),
        Command::Train(a) => train::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(3)
        }
    }
}

fn init_logging(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = std::env::var("LAGEBILD_LOG")
        .ok()
        .and_then(|v| EnvFilter::try_new(v).ok())
        .or_else(|| EnvFilter::try_from_default_env().ok())
        .unwrap_or_else(|| EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}
