//! Ingest, search, show and stats over a real database file; re-ingesting is a
//! no-op; an interrupted ingest loses nothing committed and resumes.

mod common;

use std::fs;
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

fn json(out: &std::process::Output) -> Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_str(stdout(out).trim()).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

#[test]
fn seeds_ingest_once_and_are_searchable() {
    let Some(shared) = shared() else { return };
    let dir = tempdir("seeds-db");
    let db = dir.join("lagebild.db");
    let first = json(
        &bin()
            .arg("ingest")
            .arg("--json")
            .arg("--db")
            .arg(&db)
            .arg(shared.join("seeds"))
            .output()
            .unwrap(),
    );
    assert_eq!(first["read"], 5);
    assert_eq!(first["new"], 5);
    let again = json(
        &bin()
            .arg("ingest")
            .arg("--json")
            .arg("--db")
            .arg(&db)
            .arg(shared.join("seeds"))
            .output()
            .unwrap(),
    );
    assert_eq!(again["new"], 0);
    assert_eq!(
        again["duplicates"], 5,
        "re-ingesting the same articles is a no-op"
    );

    // The database can also be chosen by LAGEBILD_DB.
    let hits = json(
        &bin()
            .args(["search", "--json", "Schoigu"])
            .env("LAGEBILD_DB", &db)
            .output()
            .unwrap(),
    );
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 2, "two seeds name Schoigu: {hits:?}");
    assert!(hits
        .iter()
        .all(|h| h["snippet"].as_str().unwrap().contains("[Schoigu]")));
    // Diacritics folded, prefix search.
    let hits = json(
        &bin()
            .args(["search", "--json", "Pjongjang"])
            .env("LAGEBILD_DB", &db)
            .output()
            .unwrap(),
    );
    assert!(hits.as_array().unwrap().len() >= 3);
    let hits = json(
        &bin()
            .args(["search", "--json", "Atomarsen*"])
            .env("LAGEBILD_DB", &db)
            .output()
            .unwrap(),
    );
    assert_eq!(hits.as_array().unwrap().len(), 1);
    let none = bin()
        .args(["search", "Quantenchromodynamik"])
        .env("LAGEBILD_DB", &db)
        .output()
        .unwrap();
    assert!(none.status.success());
    assert!(stdout(&none).contains("no documents match"));

    // show: the stored document is the analysed one.
    let id = hits.as_array().unwrap()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let shown = json(
        &bin()
            .args(["show", "--json", &id])
            .env("LAGEBILD_DB", &db)
            .output()
            .unwrap(),
    );
    assert_eq!(shown["id"], id.as_str());
    assert_eq!(shown["segments"].as_array().unwrap().len(), 3);
    let human = bin()
        .args(["show", &id])
        .env("LAGEBILD_DB", &db)
        .output()
        .unwrap();
    assert!(
        stdout(&human).contains("── "),
        "segments shown with their titles"
    );
    let missing = bin()
        .args(["show", "no-such-id"])
        .env("LAGEBILD_DB", &db)
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));

    let stats = json(
        &bin()
            .args(["stats", "--json"])
            .env("LAGEBILD_DB", &db)
            .output()
            .unwrap(),
    );
    assert_eq!(stats["documents"], 5);
    assert_eq!(stats["languages"][0], serde_json::json!(["de", 5]));
    fs::remove_dir_all(&dir).unwrap();
}

/// Kill an ingest (SIGKILL) after some batches have committed: what was committed
/// stays, the database opens fine, and a second run stores exactly the rest.
#[test]
fn interrupted_ingest_resumes_without_loss_or_double() {
    let dir = tempdir("resume");
    let input = dir.join("in");
    fs::create_dir(&input).unwrap();
    let total = 1500;
    let mut lines = String::new();
    for i in 0..total {
        lines.push_str(&format!(
            "{{\"id\": \"n{i}\", \"text\": \"Meldung Nummer {i}: Die Delegation reiste am Montag nach Genf. Dort begannen Gespräche über Handel, Zölle und die Lage in der Region {i}. Ein Sprecher nannte die Gespräche konstruktiv.\"}}\n"
        ));
    }
    fs::write(input.join("news.jsonl"), lines).unwrap();
    let db = dir.join("db.sqlite");
    let mut child = bin()
        .args(["ingest", "--batch", "5", "-j", "1", "--db"])
        .arg(&db)
        .arg(&input)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until some batches are committed, then kill it hard.
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut stored = 0;
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        let out = bin()
            .args(["stats", "--json", "--db"])
            .arg(&db)
            .output()
            .unwrap();
        if out.status.success() {
            stored = json(&out)["documents"].as_u64().unwrap();
            if stored >= 10 {
                break;
            }
        }
    }
    let finished_early = child.try_wait().unwrap().is_some();
    let _ = child.kill();
    child.wait().unwrap();
    let after_kill = json(
        &bin()
            .args(["stats", "--json", "--db"])
            .arg(&db)
            .output()
            .unwrap(),
    )["documents"]
        .as_u64()
        .unwrap();
    assert!(
        after_kill >= stored,
        "nothing committed was lost ({after_kill} < {stored})"
    );
    assert!(
        finished_early || after_kill < total as u64,
        "the ingest was interrupted"
    );
    assert_eq!(after_kill % 5, 0, "batches commit whole: {after_kill}");

    let resumed = json(
        &bin()
            .args(["ingest", "--json", "--db"])
            .arg(&db)
            .arg(&input)
            .output()
            .unwrap(),
    );
    assert_eq!(
        resumed["duplicates"].as_u64().unwrap(),
        after_kill,
        "stored inputs are skipped"
    );
    assert_eq!(resumed["new"].as_u64().unwrap(), total as u64 - after_kill);
    let final_count = json(
        &bin()
            .args(["stats", "--json", "--db"])
            .arg(&db)
            .output()
            .unwrap(),
    )["documents"]
        .as_u64()
        .unwrap();
    assert_eq!(final_count, total as u64, "every document exactly once");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn demo_ingests_the_examples() {
    let dir = tempdir("demo");
    let db = dir.join("demo.db");
    let out = bin()
        .args(["demo", "--no-serve", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("6 example documents analysed, 6 new"),
        "{text}"
    );
    let stats = json(
        &bin()
            .args(["stats", "--json", "--db"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    assert_eq!(stats["documents"], 6);
    let langs = stats["languages"].as_array().unwrap();
    assert!(langs.contains(&serde_json::json!(["de", 4])), "{langs:?}");
    assert!(langs.contains(&serde_json::json!(["en", 2])), "{langs:?}");
    // The HTML example: title without the site suffix, date from its metadata.
    let hits = json(
        &bin()
            .args(["search", "--json", "Hungersnot", "--db"])
            .arg(&db)
            .output()
            .unwrap(),
    );
    let hit = &hits.as_array().unwrap()[0];
    assert_eq!(
        hit["title"],
        "Vereinte Nationen warnen vor Hungersnot im Sudan"
    );
    assert_eq!(hit["published"], "2024-11-18");
    fs::remove_dir_all(&dir).unwrap();
}

/// Users add their own KB files: `--resources DIR` with DIR/kb/*.tsv.
#[test]
fn user_kb_files_are_added() {
    let dir = tempdir("userkb");
    std::fs::create_dir_all(dir.join("kb")).unwrap();
    std::fs::write(
        dir.join("kb/entities-newsroom.tsv"),
        "# our own people\nper:erika-beispiel\tPER\tErika Beispiel\tDEU\tGOV\tspokesperson@2020-\tErika Beispiel|Beispiel\n",
    )
    .unwrap();
    let text = "Erika Beispiel sagte am Montag, die Gespräche seien gut verlaufen. Beispiel reiste danach ab.";
    let run = |with: bool| {
        let mut cmd = bin();
        if with {
            cmd.arg("--resources").arg(&dir);
        }
        cmd.arg("analyze");
        let out = with_stdin(cmd, text);
        json_lines(&out).remove(0)
    };
    let with = run(true);
    let e = with["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "per:erika-beispiel")
        .expect("user entity linked");
    assert_eq!(e["mentions"].as_array().unwrap().len(), 2);
    assert_eq!(e["country"], "DEU");
    let without = run(false);
    assert!(!without["entities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["id"] == "per:erika-beispiel"));
    let q = &with["quotes"].as_array().unwrap()[0];
    assert_eq!(q["speaker"], "per:erika-beispiel");
    fs::remove_dir_all(&dir).unwrap();
}
