//! `lagebild demo`: the built-in example articles (written for this project),
//! ingested into a database, and a first look at what came out.

use std::process::ExitCode;

use anyhow::{Context, Result};
use lagebild_formats::ReadOptions;
use lagebild_nlp::Options;
use lagebild_store::Incoming;

use crate::commands::open_store;
use crate::{input, Cli, DemoArgs};

/// The example inputs: one of each kind the readers handle.
const EXAMPLES: &[(&str, &str)] = &[
    (
        "01-paris-ukraine.txt",
        include_str!("../../../examples/demo/01-paris-ukraine.txt"),
    ),
    (
        "02-seoul-tokyo.txt",
        include_str!("../../../examples/demo/02-seoul-tokyo.txt"),
    ),
    (
        "03-liveblog.txt",
        include_str!("../../../examples/demo/03-liveblog.txt"),
    ),
    (
        "04-wire.jsonl",
        include_str!("../../../examples/demo/04-wire.jsonl"),
    ),
    (
        "05-page.html",
        include_str!("../../../examples/demo/05-page.html"),
    ),
];

/// The publication date given to examples that carry none.
const DEMO_DATE: &str = "2024-11-22";

pub fn run(cli: &Cli, args: &DemoArgs) -> Result<ExitCode> {
    let pipeline = input::pipeline(
        cli.resources.as_deref(),
        Options {
            default_published: Some(DEMO_DATE.into()),
            ..Default::default()
        },
    )?;
    let mut store = open_store(&args.db.to_string_lossy())?;
    let opts = ReadOptions::default();
    let mut incoming = Vec::new();
    for (name, text) in EXAMPLES {
        for raw in
            lagebild_formats::parse_bytes(text.as_bytes(), &format!("examples/demo/{name}"), &opts)
        {
            let raw = raw.context("reading a built-in example")?;
            let raw_hash = Some(input::raw_document_hash(&raw));
            incoming.push(crate::stories::with_fingerprint(Incoming::new(
                pipeline.analyze(raw),
                raw_hash,
            )));
        }
    }
    let outcomes = store.put_batch(&incoming)?;
    let run = crate::stories::recluster_store(store.as_mut())?;
    let new = outcomes
        .iter()
        .filter(|o| matches!(o, lagebild_store::PutOutcome::New))
        .count();
    println!(
        "Lagebild demo: {} example documents analysed, {} new in {}; {} stories",
        incoming.len(),
        new,
        args.db.display(),
        run.stories
    );
    println!();
    for inc in &incoming {
        let d = &inc.doc;
        println!(
            "  {}  {}  {}  {} segment(s), {} sentences, {} removed",
            d.id,
            d.language,
            d.title.as_deref().unwrap_or("(untitled)"),
            d.segments.len(),
            d.sentences.len(),
            d.removed.len()
        );
    }
    println!();
    let db = args.db.display();
    println!("Try:");
    println!("  lagebild search --db {db} Ukraine");
    println!("  lagebild show --db {db} {}", incoming[0].doc.id);
    println!("  lagebild stats --db {db}");
    let hits = store.search("Ukraine", 5)?;
    println!();
    println!("search \"Ukraine\": {} hit(s)", hits.len());
    for h in hits {
        println!("  {}  {}", h.id, h.snippet.replace('\n', " "));
    }
    Ok(ExitCode::SUCCESS)
}
