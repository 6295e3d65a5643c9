//! Entity linking on the seeds: the spelling variants of a person or state in
//! the five seeds resolve to one entity id, across documents.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;

/// surface text of a mention → entity ids it was linked to, over all seeds.
fn mentions() -> Option<BTreeMap<String, BTreeSet<String>>> {
    let shared = shared()?;
    let out = bin().arg("analyze").args(seeds(&shared)).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let mut m: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for doc in json_lines(&out) {
        for e in doc["entities"].as_array().unwrap() {
            for mention in e["mentions"].as_array().unwrap() {
                m.entry(mention["text"].as_str().unwrap().to_string())
                    .or_default()
                    .insert(e["id"].as_str().unwrap().to_string());
            }
        }
    }
    Some(m)
}

fn one_id(m: &BTreeMap<String, BTreeSet<String>>, variants: &[&str], prefix: &str) -> String {
    let mut ids = BTreeSet::new();
    for v in variants {
        let got = m.get(*v).unwrap_or_else(|| {
            panic!(
                "{v:?} not found as a mention; mentions: {:?}",
                m.keys().collect::<Vec<_>>()
            )
        });
        ids.extend(got.iter().cloned());
    }
    assert_eq!(ids.len(), 1, "{variants:?} link to {ids:?}");
    let id = ids.into_iter().next().unwrap();
    assert!(id.starts_with(prefix), "{variants:?} → {id}");
    id
}

#[test]
fn variants_of_people_and_states_share_one_id() {
    let Some(m) = mentions() else { return };
    let lavrov = one_id(
        &m,
        &["Sergej Lawrow", "Sergei Lawrow", "Lawrow", "Lawro"],
        "per:",
    );
    let shoigu = one_id(&m, &["Sergei Shoigu", "Sergej Schoigu", "Schoigu"], "per:");
    let kim = one_id(&m, &["Kim Jong-un", "Kim Jong Un", "Kim jong-un"], "per:");
    let choe = one_id(&m, &["Choe Son Hui", "Choe Son-hui", "Cho Son-hui"], "per:");
    let putin = one_id(&m, &["Wladimir Putin", "Putin"], "per:");
    let all = BTreeSet::from([lavrov, shoigu, kim, choe, putin]);
    assert_eq!(all.len(), 5, "five different people");
    assert_eq!(
        one_id(
            &m,
            &["Nordkorea", "DVRK", "nordkoreanische", "nordkoreanischen"],
            "gpe:"
        ),
        "gpe:PRK"
    );
    assert_eq!(
        one_id(&m, &["Russland", "russische", "russischen"], "gpe:"),
        "gpe:RUS"
    );
    // The capital standing for the government links to the state.
    assert!(m["Pjöngjang"].contains("gpe:PRK"), "{:?}", m["Pjöngjang"]);
    assert!(m["Moskau"].contains("gpe:RUS"), "{:?}", m["Moskau"]);
}
