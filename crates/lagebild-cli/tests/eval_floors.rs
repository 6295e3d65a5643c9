//! Accuracy floors on small slices of the shared annotated data: a regression
//! in a layer fails CI. The full figures come from `lagebild eval …` (see the
//! notes in BENCHMARKS.md); these slices are only a tripwire.

mod common;

use common::*;

fn eval(args: &[&str]) -> std::process::Output {
    bin().arg("eval").args(args).output().unwrap()
}

fn json_of(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}{}", stdout(out), stderr(out));
    serde_json::from_str(&stdout(out)).unwrap()
}

#[test]
fn time_value_f1_floor_german_and_english() {
    let Some(shared) = shared() else { return };
    let t = shared.join("data/time");
    let de = json_of(&eval(&[
        "time",
        "--json",
        "--lang",
        "de",
        "--limit",
        "30",
        "--data",
        t.join("krauts/KRAUTS_Dolomiten-100").to_str().unwrap(),
    ]));
    assert!(
        de["value_f1"].as_f64().unwrap() >= 0.75,
        "KRAUTS slice: {de}"
    );
    assert!(
        de["relaxed_f1"].as_f64().unwrap() >= 0.88,
        "KRAUTS slice: {de}"
    );
    let en = json_of(&eval(&[
        "time",
        "--json",
        "--lang",
        "en",
        "--limit",
        "40",
        "--data",
        t.join("timebank/TimeBank").to_str().unwrap(),
    ]));
    assert!(
        en["value_f1"].as_f64().unwrap() >= 0.80,
        "TimeBank slice: {en}"
    );
}

#[test]
fn time_floor_flag_fails_below_it() {
    let Some(shared) = shared() else { return };
    let dir = shared.join("data/time/krauts/KRAUTS_Dolomiten-100");
    let out = eval(&[
        "time",
        "--lang",
        "de",
        "--limit",
        "5",
        "--min-value-f1",
        "0.999",
        "--data",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("below the floor"));
}

#[test]
fn link_country_accuracy_floor() {
    let Some(shared) = shared() else { return };
    let data = shared.join("data/events/ngec2025/actor_resolution_gold.jsonl");
    let f = json_of(&eval(&["link", "--json", "--data", data.to_str().unwrap()]));
    assert!(f["country_cases"].as_u64().unwrap() > 200, "{f}");
    // measured 0.906 (see BENCHMARKS.md)
    assert!(f["country_accuracy"].as_f64().unwrap() >= 0.90, "{f}");
}

#[test]
fn ner_f1_floor_german_and_english() {
    let Some(shared) = shared() else { return };
    let ner = shared.join("data/ner");
    let de = eval(&[
        "ner",
        "--lang",
        "de",
        "--limit",
        "500",
        "--min-f1",
        "0.56",
        "--data",
        ner.join("germeval2014/NER-de-test.tsv").to_str().unwrap(),
    ]);
    assert!(de.status.success(), "{}{}", stdout(&de), stderr(&de));
    let en = eval(&[
        "ner",
        "--lang",
        "en",
        "--format",
        "conll",
        "--limit",
        "500",
        "--min-f1",
        "0.86",
        "--data",
        ner.join("conll2003_en/test.txt").to_str().unwrap(),
    ]);
    assert!(en.status.success(), "{}{}", stdout(&en), stderr(&en));
}

#[test]
fn quote_f1_floor_german() {
    let Some(shared) = shared() else { return };
    let data = shared.join("data/quotes/de_wikinews2024/dev.jsonl");
    let out = eval(&[
        "quotes",
        "--lang",
        "de",
        "--limit",
        "40",
        "--min-quote-f1",
        "0.62",
        "--data",
        data.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn events_floors_on_plover_gsr_and_the_smoke_set() {
    let Some(shared) = shared() else { return };
    let e = shared.join("data/events");
    // measured 0.714 / 0.798 (see BENCHMARKS.md); a tripwire, not the target
    let out = eval(&[
        "events",
        "--data",
        e.join("plover_gsr/plover_gsr.normalized.jsonl")
            .to_str()
            .unwrap(),
        "--min-type",
        "0.68",
        "--min-actor-f1",
        "0.77",
    ]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let out = eval(&[
        "events",
        "--data",
        e.join("seed_de_en_synthetic/seed.jsonl").to_str().unwrap(),
        "--strict",
        "--min-type",
        "1.0",
    ]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("must-not-emit violations     0"),
        "{}",
        stdout(&out)
    );
}
