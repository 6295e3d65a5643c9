//! Events through the whole pipeline: sentences written for these tests, and the
//! German/English smoke set of the shared data (when present).

use std::path::{Path, PathBuf};

use lagebild_model::{Document, RawDocument};
use lagebild_nlp::{Options, Pipeline};

fn analyze(p: &Pipeline, text: &str, lang: &str) -> Document {
    p.analyze(RawDocument {
        text: Some(text.into()),
        language: Some(lang.into()),
        published: Some("2024-01-20".into()),
        ..Default::default()
    })
}

fn pipeline() -> Pipeline {
    Pipeline::new(Options::default()).unwrap()
}

fn summary(d: &Document) -> Vec<String> {
    d.events
        .iter()
        .map(|e| {
            format!(
                "{} {}>{} {}",
                e.kind,
                e.actors.join("+"),
                e.recipients.join("+"),
                e.modality
            )
        })
        .collect()
}

#[test]
fn visit_with_passive_host_and_date() {
    let p = pipeline();
    let d = analyze(
        &p,
        "Der französische Außenminister ist am Montag in Berlin eingetroffen und wurde von Bundeskanzler Olaf Scholz empfangen.",
        "de",
    );
    let ev = d
        .events
        .iter()
        .find(|e| e.kind == "CONSULT")
        .unwrap_or_else(|| panic!("{:?}", summary(&d)));
    assert_eq!(ev.mode.as_deref(), Some("visit"));
    assert_eq!(ev.actors, vec!["gpe:FRA"], "{:?}", summary(&d));
    assert!(
        ev.recipients
            .iter()
            .any(|r| r == "gpe:DEU" || r.starts_with("per:")),
        "{:?}",
        summary(&d)
    );
    assert_eq!(ev.date.as_deref(), Some("2024-01-15"));
    assert_eq!(ev.modality, "asserted");
    assert!(ev.goldstein.is_some() && ev.cameo.is_some());
    assert_eq!(&d.text[ev.start..ev.end], "eingetroffen");
}

#[test]
fn accusation_embeds_the_alleged_act() {
    let p = pipeline();
    let d = analyze(
        &p,
        "Japan beschuldigt China, Drohnen an Russland geliefert zu haben.",
        "de",
    );
    let s = summary(&d);
    assert!(
        s.contains(&"ACCUSE gpe:JPN>gpe:CHN asserted".to_string()),
        "{s:?}"
    );
    let aid = d
        .events
        .iter()
        .find(|e| e.kind == "AID")
        .unwrap_or_else(|| panic!("{s:?}"));
    assert_eq!(aid.modality, "alleged", "{s:?}");
    assert_eq!(aid.claimed_by.as_deref(), Some("gpe:JPN"));
    assert_eq!(aid.actors, vec!["gpe:CHN"], "{s:?}");
    assert_eq!(aid.recipients, vec!["gpe:RUS"], "{s:?}");

    let d = analyze(
        &p,
        "Canada accused Iran of supplying drones to Russia.",
        "en",
    );
    let s = summary(&d);
    assert!(
        s.iter().any(|e| e.starts_with("ACCUSE gpe:CAN>gpe:IRN")),
        "{s:?}"
    );
    assert!(
        !s.iter()
            .any(|e| e.starts_with("AID") && e.ends_with("asserted")),
        "{s:?}"
    );
}

#[test]
fn negation_condition_and_denial_are_not_facts() {
    let p = pipeline();
    let d = analyze(&p, "Frankreich wird Polen nicht angreifen.", "de");
    assert!(
        d.events.iter().all(|e| e.modality != "asserted"),
        "{:?}",
        summary(&d)
    );
    let d = analyze(&p, "Brazil denied the accusations.", "en");
    let s = summary(&d);
    assert!(
        s.iter()
            .any(|e| e.starts_with("REJECT gpe:BRA") && e.ends_with("denied")),
        "{s:?}"
    );
    let d = analyze(&p, "Die Regierung in Wien schweigt.", "de");
    assert!(d.events.is_empty(), "{:?}", summary(&d));
}

#[test]
fn coordinated_actors_are_one_event() {
    let p = pipeline();
    let d = analyze(
        &p,
        "Italien und Spanien unterzeichneten ein Abkommen.",
        "de",
    );
    let s = summary(&d);
    assert_eq!(s, vec!["SUPPORT gpe:ITA+gpe:ESP> asserted"], "{s:?}");
}

fn shared() -> Option<PathBuf> {
    let p = std::env::var_os("LAGEBILD_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    if p.join("data/events").is_dir() {
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

/// The project's smoke set: every gold event type found with its actors, and no
/// must-not-emit event as a fact.
#[test]
fn smoke_set() {
    let Some(sh) = shared() else { return };
    let text =
        std::fs::read_to_string(sh.join("data/events/seed_de_en_synthetic/seed.jsonl")).unwrap();
    let records = lagebild_events::eval::read_seed_set(&text).unwrap();
    let p = pipeline();
    let docs: Vec<Document> = records
        .iter()
        .map(|r| analyze(&p, &r.text, &r.lang))
        .collect();
    let report = lagebild_events::eval::score(&records, &docs);
    let mut misses = Vec::new();
    for (r, d) in records.iter().zip(&docs) {
        for g in &r.events {
            if !d.events.iter().any(|e| e.kind == g.plover) {
                misses.push(format!(
                    "{}: {} not found; got {:?}",
                    r.id,
                    g.plover,
                    summary(d)
                ));
            }
        }
    }
    assert!(report.violations.is_empty(), "{:?}", report.violations);
    assert!(misses.is_empty(), "{misses:#?}");
    assert!(
        report.actor.f1() >= 0.9,
        "actor F1 {:.3}",
        report.actor.f1()
    );
}
