//! Stories on the seeds, through `ingest` and `stories --json`: Choe's January
//! 2024 visit (001, 003, 004), Shoigu in Pyongyang (002), the November 2024
//! meeting (000).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;

#[test]
fn the_five_seeds_form_three_stories() {
    let Some(shared) = shared() else { return };
    let files = seeds(&shared);
    // document id → seed number
    let out = bin().arg("analyze").args(&files).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let seed_of: BTreeMap<String, String> = json_lines(&out)
        .iter()
        .map(|d| {
            let path = d["source"]["path"].as_str().unwrap();
            let name = path.rsplit('/').next().unwrap();
            (d["id"].as_str().unwrap().to_string(), name[..3].to_string())
        })
        .collect();
    let db = tempdir("seeds-stories").join("s.db");
    let out = bin()
        .arg("ingest")
        .arg("--db")
        .arg(&db)
        .args(&files)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = bin()
        .args(["stories", "--json", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let stories: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let mut groups: BTreeSet<Vec<String>> = BTreeSet::new();
    for s in stories.as_array().unwrap() {
        let mut g: Vec<String> = s["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| seed_of[d.as_str().unwrap()].clone())
            .collect();
        g.sort();
        groups.insert(g);
        assert!(
            s["id"].as_str().is_some() && s["title"].as_str().is_some(),
            "{s}"
        );
    }
    let want: BTreeSet<Vec<String>> = [vec!["000"], vec!["001", "003", "004"], vec!["002"]]
        .into_iter()
        .map(|g| g.into_iter().map(String::from).collect())
        .collect();
    assert_eq!(groups, want);

    // `recluster` gives the same grouping, and `story ID` shows one
    let out = bin().args(["recluster", "--db"]).arg(&db).output().unwrap();
    assert!(stdout(&out).contains("3 stories"), "{}", stdout(&out));
    let id = stories[0]["id"].as_str().unwrap();
    let out = bin().args(["story", id, "--db"]).arg(&db).output().unwrap();
    assert!(
        out.status.success() && stdout(&out).contains(id),
        "{}",
        stdout(&out)
    );
    let out = bin()
        .args(["story", "nope", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}
