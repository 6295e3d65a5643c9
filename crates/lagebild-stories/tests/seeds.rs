//! The five example seeds in `../shared/seeds`, analysed by the real pipeline,
//! form three stories: Choe's January 2024 visit to Moscow (001, 003, 004),
//! Shoigu in Pyongyang (002), and the November 2024 meeting (000's first
//! segment, its other live-blog segments apart). The seeds are read from
//! there, never copied here; without them the test is skipped, except under CI.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use lagebild_model::Document;
use lagebild_stories::{recluster, Config, Engine};

fn shared() -> Option<PathBuf> {
    let p = std::env::var_os("LAGEBILD_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    if p.join("seeds").is_dir() {
        return Some(p);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "shared data not found at {} (set LAGEBILD_SHARED)",
            p.display()
        );
    }
    eprintln!("skipping: shared data not found at {}", p.display());
    None
}

/// The analysed seeds, keyed by their three-digit prefix, in file order.
fn analysed_seeds() -> Option<Vec<(String, Document)>> {
    let dir = shared()?.join("seeds");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "five seeds expected in {}", dir.display());
    let pipeline = lagebild_nlp::Pipeline::new(lagebild_nlp::Options::default()).unwrap();
    let opts = lagebild_formats::ReadOptions::default();
    Some(
        files
            .iter()
            .map(|f| {
                let name = f.file_name().unwrap().to_string_lossy()[..3].to_string();
                let raw = lagebild_formats::read_file(f, &opts)
                    .into_iter()
                    .next()
                    .unwrap()
                    .unwrap();
                (name, pipeline.analyze(raw))
            })
            .collect(),
    )
}

/// Stories as sets of seed names (`000#2` for a segment).
fn partition(seeds: &[(String, Document)], engine: &Engine) -> BTreeSet<BTreeSet<String>> {
    let name = |doc_id: &str| {
        seeds
            .iter()
            .find(|(_, d)| d.id == doc_id)
            .map(|(n, _)| n.clone())
            .unwrap()
    };
    engine
        .stories()
        .iter()
        .map(|s| {
            s.units
                .iter()
                .map(|u| match u.split_once('#') {
                    Some((d, seg)) => format!("{}#{seg}", name(d)),
                    None => name(u),
                })
                .collect()
        })
        .collect()
}

fn expected(seeds: &[(String, Document)]) -> BTreeSet<BTreeSet<String>> {
    let live = &seeds[0].1;
    assert!(live.segments.len() >= 2, "000 is a live blog");
    let mut want: BTreeSet<BTreeSet<String>> = [
        ["001", "003", "004"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        ["002".to_string()].into_iter().collect(),
        ["000#1".to_string()].into_iter().collect(),
    ]
    .into_iter()
    .collect();
    for i in 2..=live.segments.len() {
        want.insert([format!("000#{i}")].into_iter().collect());
    }
    want
}

#[test]
fn seeds_form_three_stories() {
    let Some(seeds) = analysed_seeds() else {
        return;
    };
    let docs: Vec<Document> = seeds.iter().map(|(_, d)| d.clone()).collect();
    let (engine, outcomes) = recluster(Config::default(), &docs);
    // Different articles: no near-duplicates among them.
    assert!(outcomes.iter().all(|o| o.duplicate_of.is_none()));
    assert_eq!(partition(&seeds, &engine), expected(&seeds));
    // The January story: dated by 003's header, its title from a member.
    let jan = engine
        .story(engine.story_of(&seeds[3].1.id).unwrap())
        .unwrap();
    assert_eq!(jan.first.as_deref(), Some("2024-01-14"));
    assert_eq!(jan.last.as_deref(), Some("2024-01-17"));
    assert_eq!(jan.sources, 3);
    assert!(jan.entities.iter().any(|e| e == "per:choe-son-hui"));
    // The November meeting is the live blog's first segment.
    let nov_id = engine.story_of(&format!("{}#1", seeds[0].1.id)).unwrap();
    let nov = engine.story(nov_id).unwrap();
    assert_eq!(nov.first.as_deref(), Some("2024-11-01"));
    assert_ne!(nov.id, jan.id);
    // The order the documents come in does not matter to recluster.
    let mut rev = docs.clone();
    rev.reverse();
    assert_eq!(
        recluster(Config::default(), &rev).0.stories(),
        engine.stories()
    );
}

#[test]
fn seeds_arriving_in_publication_order_cluster_online() {
    let Some(seeds) = analysed_seeds() else {
        return;
    };
    // A feed delivers by publication date; the undated articles come last.
    let mut order: Vec<&(String, Document)> = seeds.iter().collect();
    order.sort_by_key(|(_, d)| {
        lagebild_stories::DocFingerprint::of(d)
            .day()
            .unwrap_or(i32::MAX)
    });
    let mut engine = Engine::new(Config::default());
    for (_, d) in order {
        engine.add(d);
    }
    assert_eq!(partition(&seeds, &engine), expected(&seeds));
}
