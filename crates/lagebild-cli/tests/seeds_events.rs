//! Events on the seeds: the meetings and visits, accusations and denials, the
//! missile launch, the sentencing and the expulsion with their parties; the
//! reported deliveries as claims, not facts.

mod common;

use common::*;

/// One line per event: `file TYPE actors>recipients modality`.
fn events() -> Option<Vec<String>> {
    let shared = shared()?;
    let files = seeds(&shared);
    let out = bin().arg("analyze").args(&files).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let mut lines = Vec::new();
    for doc in json_lines(&out) {
        let path = doc["source"]["path"].as_str().unwrap_or("").to_string();
        let file = path.rsplit('/').next().unwrap_or("")[..3].to_string();
        for e in doc["events"].as_array().unwrap() {
            let ids = |k: &str| {
                e[k].as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
                    .join("+")
            };
            lines.push(format!(
                "{file} {} {}>{} {} {}",
                e["type"].as_str().unwrap(),
                ids("actors"),
                ids("recipients"),
                e["modality"].as_str().unwrap(),
                e["date"].as_str().unwrap_or("-"),
            ));
        }
    }
    Some(lines)
}

fn has(lines: &[String], prefix: &str) {
    assert!(
        lines.iter().any(|l| l.starts_with(prefix)),
        "no event starting {prefix:?} in\n{}",
        lines.join("\n")
    );
}

#[test]
fn seed_events_with_their_parties() {
    let Some(ev) = events() else { return };
    // the November 2024 meeting of Lavrov and Choe, dated
    has(&ev, "000 CONSULT per:sergei-lavrov+per:choe-son-hui>");
    assert!(
        ev.iter()
            .any(|l| l.starts_with("000 CONSULT") && l.ends_with("2024-11-01")),
        "{ev:#?}"
    );
    // the expulsion of two US diplomats and the sentencing, by Russia
    has(&ev, "000 SANCTION gpe:RUS>gpe:USA asserted 2023-09");
    assert!(
        ev.iter()
            .filter(|l| l.starts_with("000 SANCTION gpe:RUS>gpe:USA"))
            .count()
            >= 2,
        "{ev:#?}"
    );
    // Choe's January visit to Moscow; Kim's visit to Russia
    has(&ev, "004 CONSULT per:choe-son-hui>gpe:RUS asserted");
    has(&ev, "001 CONSULT per:kim-jong-un>gpe:RUS asserted");
    has(
        &ev,
        "003 CONSULT per:choe-son-hui>per:vladimir-putin asserted 2024-01-16",
    );
    // Shoigu and Kim meeting in Pyongyang
    has(&ev, "002 CONSULT per:kim-jong-un+per:sergei-shoigu>");
    // the accusation and its denial
    has(&ev, "001 ACCUSE gpe:USA+gpe:KOR>gpe:PRK asserted");
    has(&ev, "001 REJECT gpe:RUS");
    assert!(
        ev.iter()
            .any(|l| l.starts_with("001 REJECT") && l.contains(" denied")),
        "{ev:#?}"
    );
    // the missile launch
    has(&ev, "002 MOBILIZE gpe:PRK> asserted");
    // deliveries from North Korea reported by Ukrainian intelligence: a claim
    has(&ev, "004 AID gpe:PRK>gpe:RUS alleged");
    assert!(
        !ev.iter()
            .any(|l| l.starts_with("004 AID gpe:PRK>gpe:RUS asserted")),
        "a reported delivery came out as a fact: {ev:#?}"
    );
}
