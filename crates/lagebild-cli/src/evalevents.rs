//! `lagebild eval events`: the PLOVER gold-standard records (English, PLOVER 2.0
//! labels) or the project's German/English smoke set, run through the whole
//! pipeline, scored on event type, actor and recipient countries, mode, and
//! must-not-emit cases.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Args;
use lagebild_events::eval::{read_plover_gsr, read_seed_set, score, EventReport, GoldRecord};
use lagebild_model::RawDocument;
use rayon::prelude::*;

use crate::{input, Cli};

#[derive(Debug, Args)]
pub struct EventArgs {
    /// `plover_gsr.normalized.jsonl` or the smoke set `seed.jsonl` (told apart
    /// by their fields).
    #[arg(
        long,
        default_value = "../shared/data/events/plover_gsr/plover_gsr.normalized.jsonl"
    )]
    data: PathBuf,
    /// Score only the first N records.
    #[arg(long)]
    limit: Option<usize>,
    /// List each record whose type was wrong.
    #[arg(long)]
    errors: bool,
    /// List each record whose actor countries differ from the gold ones: gold
    /// codes, system countries, and the document's entities with the country the
    /// knowledge base gives them.
    #[arg(long)]
    actor_errors: bool,
    /// Score only every other record (in file order): `odd` (1st, 3rd, …) or
    /// `even` (2nd, 4th, …), to check that a change generalises.
    #[arg(long, value_parser = ["odd", "even"])]
    half: Option<String>,
    /// Fail (exit 1) when type accuracy is below this floor.
    #[arg(long)]
    min_type: Option<f64>,
    /// Fail (exit 1) when actor-country F1 is below this floor.
    #[arg(long)]
    min_actor_f1: Option<f64>,
    /// Fail (exit 1) when any must-not-emit event comes out as a fact.
    #[arg(long)]
    strict: bool,
}

pub fn run(cli: &Cli, a: &EventArgs) -> Result<ExitCode> {
    let text = std::fs::read_to_string(&a.data)
        .with_context(|| format!("reading {}", a.data.display()))?;
    let seed_set = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.contains("\"events\""));
    let mut records: Vec<GoldRecord> = if seed_set {
        read_seed_set(&text)
    } else {
        read_plover_gsr(&text)
    }
    .map_err(anyhow::Error::msg)
    .with_context(|| format!("parsing {}", a.data.display()))?;
    if let Some(h) = a.half.as_deref() {
        let keep = usize::from(h == "even");
        records = records
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == keep)
            .map(|(_, r)| r)
            .collect();
    }
    if let Some(n) = a.limit {
        records.truncate(n);
    }
    if records.is_empty() {
        bail!("no records in {}", a.data.display());
    }
    let res = input::resources(cli.resources.as_deref())?;
    let pipeline = lagebild_nlp::Pipeline::with_resources(&res, lagebild_nlp::Options::default())
        .context("building the pipeline")?;
    let started = std::time::Instant::now();
    let docs: Vec<_> = records
        .par_iter()
        .map(|r| {
            pipeline.analyze(RawDocument {
                id: Some(r.id.clone()),
                text: Some(r.text.clone()),
                language: Some(r.lang.clone()),
                ..Default::default()
            })
        })
        .collect();
    let secs = started.elapsed().as_secs_f64();
    let report = score(&records, &docs);
    println!(
        "eval events: {} ({} gold events in {} sentences, {:.0} sentences/s through the whole pipeline)",
        a.data.display(),
        report.records,
        records.len(),
        records.len() as f64 / secs.max(1e-9)
    );
    print_report(&report);
    if seed_set {
        println!("anchors: the smoke set is the project's own, not an authoritative gold; must-not-emit violations must be 0");
    } else {
        println!(
            "anchors: targets type accuracy ≥ 0.70, actor-country F1 ≥ 0.75 (PLOVER 2.0 labels)"
        );
    }
    if a.errors {
        for (rec, doc) in records.iter().zip(&docs) {
            let gold: Vec<&str> = rec.events.iter().map(|e| e.plover.as_str()).collect();
            let sys: Vec<String> = doc
                .events
                .iter()
                .map(|e| {
                    format!(
                        "{}[{}→{}|{}]",
                        e.kind,
                        e.actors.join("+"),
                        e.recipients.join("+"),
                        e.modality
                    )
                })
                .collect();
            if gold
                .iter()
                .any(|g| !doc.events.iter().any(|e| e.kind == *g))
            {
                println!(
                    "  {} gold {:?} sys {:?}\n      {}",
                    rec.id, gold, sys, rec.text
                );
            }
        }
    }
    if a.actor_errors {
        print_actor_errors(&records, &docs);
    }
    let mut fail = false;
    if let Some(min) = a.min_type {
        if report.type_accuracy() < min {
            eprintln!(
                "error: type accuracy {:.3} is below the floor {min:.3}",
                report.type_accuracy()
            );
            fail = true;
        }
    }
    if let Some(min) = a.min_actor_f1 {
        if report.actor.f1() < min {
            eprintln!(
                "error: actor-country F1 {:.3} is below the floor {min:.3}",
                report.actor.f1()
            );
            fail = true;
        }
    }
    if a.strict && !report.violations.is_empty() {
        eprintln!(
            "error: {} must-not-emit events came out as facts",
            report.violations.len()
        );
        fail = true;
    }
    Ok(if fail {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_report(r: &EventReport) {
    println!(
        "  sentences with an event  {:>5} / {} ({:.3})",
        r.emitted,
        r.records,
        r.emitted as f64 / r.records.max(1) as f64
    );
    println!(
        "  event type accuracy      {:.3}  ({} / {})",
        r.type_accuracy(),
        r.type_correct,
        r.records
    );
    println!(
        "  mode accuracy            {:.3}  ({} / {}, where the type was right)",
        r.mode_accuracy(),
        r.mode_correct,
        r.mode_total
    );
    for (name, c) in [
        ("actor country", &r.actor),
        ("recipient country", &r.recipient),
    ] {
        println!(
            "  {name:<24} P {:.3}  R {:.3}  F1 {:.3}",
            c.precision(),
            c.recall(),
            c.f1()
        );
    }
    println!("  must-not-emit violations {:>5}", r.violations.len());
    for (id, ty) in &r.violations {
        println!("    {id}: {ty} came out as an asserted fact");
    }
}

/// Per record whose actor countries are off: gold codes vs the system's
/// countries (of the event the scorer compares), then the entities found.
fn print_actor_errors(records: &[GoldRecord], docs: &[lagebild_model::Document]) {
    use lagebild_events::eval::country_of;
    use std::collections::BTreeSet;
    for (rec, doc) in records.iter().zip(docs) {
        for gold in &rec.events {
            let sys = doc
                .events
                .iter()
                .find(|e| e.kind == gold.plover)
                .or_else(|| doc.events.first());
            let ga: BTreeSet<&str> = gold.actors.iter().map(String::as_str).collect();
            let sa: BTreeSet<String> = sys
                .map(|e| e.actors.iter().filter_map(|a| country_of(doc, a)).collect())
                .unwrap_or_default();
            if ga.iter().all(|g| sa.contains(*g)) && sa.iter().all(|s| ga.contains(s.as_str())) {
                continue;
            }
            let class = match (ga.is_empty(), sa.is_empty()) {
                (false, true) => "missed",
                (true, false) => "spurious",
                _ => "wrong",
            };
            let sys_desc = sys.map_or("-".to_string(), |e| {
                format!("{}[{}]", e.kind, e.actors.join("+"))
            });
            let ents: Vec<String> = doc
                .entities
                .iter()
                .map(|e| {
                    format!(
                        "{}={}",
                        e.name,
                        e.country
                            .clone()
                            .or_else(|| e.sector.clone())
                            .unwrap_or_else(|| "?".into())
                    )
                })
                .collect();
            println!(
                "  {} {class}: gold {:?} sys {:?} via {} (gold {})\n      entities: {}\n      {}",
                rec.id,
                ga,
                sa,
                sys_desc,
                gold.plover,
                ents.join(", "),
                rec.text
            );
        }
    }
}
