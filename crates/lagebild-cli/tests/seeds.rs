//! `lagebild analyze` on the five example seeds in `../shared/seeds`: one
//! contract-valid document each, boilerplate gone, bodies intact, the live blog
//! in three segments. The seeds are read from there, never copied here.

mod common;

use std::path::Path;

use common::*;
use lagebild_model::Document;
use serde_json::Value;

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/document.schema.json"),
    )
    .unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

fn analyze_seeds() -> Option<(Vec<String>, Vec<Value>)> {
    let shared = shared()?;
    let files = seeds(&shared);
    assert_eq!(files.len(), 5);
    let out = bin().arg("analyze").args(&files).output().unwrap();
    assert!(out.status.success(), "analyze failed: {}", stderr(&out));
    let inputs = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    Some((inputs, json_lines(&out)))
}

fn removed_reasons(doc: &Value) -> Vec<String> {
    doc["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].as_str().unwrap().to_string())
        .collect()
}

fn non_empty_lines(s: &str) -> Vec<String> {
    s.lines().map(fold).filter(|l| !l.is_empty()).collect()
}

#[test]
fn every_seed_gives_one_contract_valid_german_document() {
    let Some((_, docs)) = analyze_seeds() else {
        return;
    };
    assert_eq!(docs.len(), 5);
    let schema = schema();
    for v in &docs {
        let errors: Vec<String> = schema
            .iter_errors(v)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", v["id"]);
        let doc: Document = serde_json::from_value(v.clone()).unwrap();
        doc.validate().unwrap();
        assert_eq!(doc.language, "de", "{}", doc.id);
        assert!(!doc.sentences.is_empty());
        assert!(doc.source.path.as_deref().unwrap().ends_with(".txt"));
    }
    let ids: std::collections::HashSet<_> =
        docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 5, "ids are distinct");
}

#[test]
fn article_bodies_are_kept_whole() {
    let Some((inputs, docs)) = analyze_seeds() else {
        return;
    };
    for (input, doc) in inputs.iter().zip(&docs) {
        let text = fold(doc["text"].as_str().unwrap());
        let removed: Vec<String> = doc["removed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| fold(r["text"].as_str().unwrap()))
            .collect();
        // Every line of running text (a dozen words or more) is in the body,
        // unless cleaning removed it as a whole or it is the title.
        for line in non_empty_lines(input) {
            let words: Vec<&str> = line.split(' ').collect();
            if words.len() < 12 {
                continue;
            }
            let tail = words[words.len() - 8..].join(" ");
            let kept = text.contains(&tail);
            let dropped = removed.iter().any(|r| r.contains(&line));
            if doc["title"].as_str() == Some(line.as_str()) {
                assert!(
                    !kept,
                    "{}: the title is not repeated in the body",
                    doc["id"]
                );
                continue;
            }
            assert!(
                kept ^ dropped,
                "{}: line neither kept nor removed whole: {line:?}",
                doc["id"]
            );
        }
    }
}

#[test]
fn boilerplate_is_removed_with_reasons() {
    let Some((inputs, docs)) = analyze_seeds() else {
        return;
    };
    let all_reasons: Vec<Vec<String>> = docs.iter().map(removed_reasons).collect();
    for doc in &docs {
        let text = doc["text"].as_str().unwrap();
        for noise in [
            "Related News",
            "PREV ",
            "NEXT ",
            "SeaPRwire",
            "Drittanbieter",
            "Branchen:",
            "GettyImages",
            "►",
        ] {
            assert!(
                !text.contains(noise),
                "{}: {noise:?} left in the text",
                doc["id"]
            );
        }
        assert!(
            !text.lines().any(|l| l.trim() == "-" || l.trim() == "- -"),
            "separator lines left"
        );
    }
    // seed 000: a live blog of three stories, with a teaser tail
    assert!(all_reasons[0].contains(&"teaser".to_string()));
    // seed 001: wire marker, disclaimer, industry line, the wire's self-description
    for r in [
        "agency_header",
        "disclaimer",
        "metadata",
        "self_description",
    ] {
        assert!(
            all_reasons[1].contains(&r.to_string()),
            "001 lacks {r}: {:?}",
            all_reasons[1]
        );
    }
    // seed 002: headline repeated and split one word per line, PREV/NEXT teasers
    for r in ["repeated_title", "split_title", "teaser", "separator"] {
        assert!(
            all_reasons[2].contains(&r.to_string()),
            "002 lacks {r}: {:?}",
            all_reasons[2]
        );
    }
    let one_word_lines = docs[2]["text"]
        .as_str()
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim().contains(' '))
        .count();
    assert_eq!(
        one_word_lines, 0,
        "the headline split one word per line is gone"
    );
    // seed 003: agency header block, date line, numeric id, dateline
    for r in ["agency_header", "dateline", "id"] {
        assert!(
            all_reasons[3].contains(&r.to_string()),
            "003 lacks {r}: {:?}",
            all_reasons[3]
        );
    }
    // seed 004: the photo credit on the caption
    assert!(all_reasons[4].contains(&"photo_credit".to_string()));
    // The headline of 002 appears once in the input's first line and is not in the body.
    let first_line = fold(inputs[2].lines().next().unwrap());
    assert!(!fold(docs[2]["text"].as_str().unwrap()).contains(&first_line));
}

#[test]
fn titles_and_dates_are_picked_up() {
    let Some((inputs, docs)) = analyze_seeds() else {
        return;
    };
    let lines: Vec<Vec<String>> = inputs.iter().map(|i| non_empty_lines(i)).collect();
    // The live blog has no page title of its own.
    assert_eq!(docs[0]["title"], Value::Null);
    assert_eq!(docs[1]["title"].as_str().unwrap(), lines[1][0]);
    assert_eq!(docs[2]["title"].as_str().unwrap(), lines[2][0]);
    // 003: the title follows the agency header block (name, source, weekday,
    // date, time, id) and precedes the dateline paragraph.
    let title3 = docs[3]["title"].as_str().unwrap();
    let at = lines[3]
        .iter()
        .position(|l| l == title3)
        .expect("title is an input line");
    assert_eq!(at, 6);
    assert_eq!(docs[3]["published"], "2024-01-17");
    let how = docs[3]["provenance"].as_array().unwrap();
    assert!(how.iter().any(
        |p| p["field"] == "published" && p["how"].as_str().unwrap().contains("weekday agrees")
    ));
    // 004: the caption line without its photo credit.
    let title4 = docs[4]["title"].as_str().unwrap();
    assert!(lines[4][0].starts_with(title4) && lines[4][0].len() > title4.len());
    // 000 states "Freitag, dem 1. November" and names 2023 elsewhere: the first
    // year from 2023 on where 1 November is a Friday is 2024.
    assert_eq!(docs[0]["published"], "2024-11-01");
    let how = docs[0]["provenance"].as_array().unwrap();
    assert!(how.iter().any(|p| p["field"] == "published"
        && p["how"]
            .as_str()
            .unwrap()
            .starts_with("inferred from the text")));
    // No date is stated in the others.
    for i in [1, 2, 4] {
        assert_eq!(docs[i]["published"], Value::Null, "seed {i}");
    }
}

#[test]
fn live_blog_is_split_into_three_segments() {
    let Some((inputs, docs)) = analyze_seeds() else {
        return;
    };
    let doc: Document = serde_json::from_value(docs[0].clone()).unwrap();
    assert_eq!(doc.segments.len(), 3);
    let bullets: Vec<String> = inputs[0]
        .lines()
        .filter_map(|l| l.trim().strip_prefix('►'))
        .map(fold)
        .collect();
    assert_eq!(bullets.len(), 3);
    for (seg, heading) in doc.segments.iter().zip(&bullets) {
        assert_eq!(seg.title.as_deref(), Some(heading.as_str()));
        assert!(doc.text[seg.start..seg.end].starts_with(heading.as_str()));
    }
    assert_eq!(doc.segments[0].start, 0);
    assert_eq!(doc.segments[2].end, doc.text.len());
    for w in doc.segments.windows(2) {
        assert!(w[0].end < w[1].start, "segments are ordered and apart");
    }
    // Each other seed is one segment over the whole text.
    for d in &docs[1..] {
        assert_eq!(d["segments"].as_array().unwrap().len(), 1);
    }
}

#[test]
fn published_option_applies_to_documents_without_a_date() {
    let Some(shared) = shared() else { return };
    let files = seeds(&shared);
    let out = bin()
        .args(["analyze", "--published", "2024-11-01"])
        .args(&files)
        .output()
        .unwrap();
    let docs = json_lines(&out);
    assert_eq!(docs[0]["published"], "2024-11-01");
    assert_eq!(
        docs[3]["published"], "2024-01-17",
        "a date stated in the text wins"
    );
    let bad = bin()
        .args(["analyze", "--published", "1.11.2024"])
        .arg(&files[0])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("YYYY-MM-DD"));
}

#[test]
fn sentences_survive_ordinals_numbers_and_quotes() {
    let Some((_, docs)) = analyze_seeds() else {
        return;
    };
    for v in &docs {
        let doc: Document = serde_json::from_value(v.clone()).unwrap();
        for s in &doc.sentences {
            let t = &doc.text[s.start..s.end];
            // No sentence ends on an ordinal ("dem 1.") or starts in lower case.
            let before_dot = t.strip_suffix('.').unwrap_or("");
            let last_word = before_dot.rsplit([' ', '\n']).next().unwrap_or("");
            assert!(
                !(last_word.len() <= 2
                    && !last_word.is_empty()
                    && last_word.bytes().all(|b| b.is_ascii_digit())),
                "{}: sentence ends on an ordinal: {t:?}",
                doc.id
            );
            let first = t.chars().next().unwrap();
            assert!(
                !first.is_lowercase(),
                "{}: sentence starts in lower case: {t:?}",
                doc.id
            );
            assert!(!t.contains("\n\n"), "sentences do not cross paragraphs");
        }
        // Every paragraph is covered by sentences.
        let covered: usize = doc.sentences.iter().map(|s| s.end - s.start).sum();
        let letters = doc.text.split("\n\n").map(str::len).sum::<usize>();
        assert!(
            covered * 100 >= letters * 95,
            "{}: sentences cover the text",
            doc.id
        );
    }
}

/// The dates of the seeds, given their publication dates (000 and 003 state
/// theirs; for the others the day of the events they report is given).
#[test]
fn seed_dates_resolve_against_their_publication_dates() {
    let Some(shared) = shared() else { return };
    let files = seeds(&shared);
    let cases: [(usize, Option<&str>, &[&str]); 5] = [
        (0, None, &["2024-11-01", "2023-09-14", "P4Y", "P10M"]),
        (1, Some("2024-01-16"), &["2024-01-16", "2023-09", "2024-01"]),
        (
            2,
            Some("2024-09-14"),
            &[
                "2024-09-13",
                "2024-09-14",
                "2024-09-12",
                "2024-05",
                "2024-06",
                "2024-W37",
                "2022",
            ],
        ),
        (3, None, &["2024-01-16", "2023-09"]),
        (
            4,
            Some("2024-01-15"),
            &["2024-01-14", "2023-09", "2023", "2023-11"],
        ),
    ];
    for (i, published, want) in cases {
        let mut cmd = bin();
        cmd.arg("analyze");
        if let Some(p) = published {
            cmd.args(["--published", p]);
        }
        let out = cmd.arg(&files[i]).output().unwrap();
        let doc = &json_lines(&out)[0];
        let values: Vec<&str> = doc["times"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["value"].as_str().unwrap())
            .collect();
        for w in want {
            assert!(values.contains(w), "seed {i}: {w} missing from {values:?}");
        }
        assert!(
            !values.iter().any(|v| v.starts_with("XXXX")),
            "seed {i}: unresolved {values:?}"
        );
    }
}
