//! Bad input gets a clear error naming the input, the rest still goes through,
//! nothing stored earlier is lost, and nothing panics.

mod common;

use std::fs;
use std::io::Write;
use std::path::Path;

use common::*;

const GOOD: &str = "Der Außenminister reiste am Dienstag nach Wien. Dort traf er seinen Amtskollegen zu Gesprächen.";

fn write(path: &Path, bytes: &[u8]) {
    fs::File::create(path).unwrap().write_all(bytes).unwrap();
}

/// A folder with one good file and each kind of bad input.
fn fixture(name: &str) -> std::path::PathBuf {
    let dir = tempdir(name);
    write(&dir.join("good.txt"), GOOD.as_bytes());
    // a binary file: a PNG header and zero bytes
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(std::iter::repeat_n(0u8, 512));
    write(&dir.join("picture.txt"), &png);
    // an empty file
    write(&dir.join("empty.txt"), b"");
    // a 200 MB file (sparse: it takes no disk and must not be read)
    let big = fs::File::create(dir.join("huge.txt")).unwrap();
    big.set_len(200 * 1024 * 1024).unwrap();
    // JSON Lines with a malformed line between two good ones
    write(
        &dir.join("feed.jsonl"),
        format!(
            "{{\"id\": \"j1\", \"text\": \"{GOOD}\"}}\n{{\"id\": \"j2\", \"text\": \n{{\"id\": \"j3\", \"text\": \"Die Regierung in Prag kündigte neue Gespräche an.\"}}\n"
        )
        .as_bytes(),
    );
    dir
}

#[test]
fn analyze_reports_each_bad_input_and_keeps_going() {
    let dir = fixture("analyze");
    let out = bin().arg("analyze").arg(&dir).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    assert!(!err.contains("panicked"), "{err}");
    let docs = json_lines(&out);
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"j1") && ids.contains(&"j3"), "{ids:?}");
    assert_eq!(docs.len(), 3, "good.txt, j1, j3");
    let line_of = |needle: &str| {
        err.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no error naming {needle}: {err}"))
            .to_string()
    };
    assert!(line_of("picture.txt").to_lowercase().contains("binary"));
    assert!(line_of("empty.txt").to_lowercase().contains("empty"));
    let huge = line_of("huge.txt");
    assert!(
        huge.contains("200") || huge.to_lowercase().contains("large"),
        "{huge}"
    );
    assert!(line_of("feed.jsonl:2").starts_with("error:"));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn legacy_8bit_and_invalid_utf8_are_decoded() {
    let dir = tempdir("cp1252");
    // „Grüße“ in Windows-1252, and a stray invalid UTF-8 sequence
    let mut bytes =
        b"Die Ministerin sagte: \x84Gr\xfc\xdfe aus M\xfcnchen\x93. Das war alles.".to_vec();
    bytes.extend_from_slice(b" \xff\xfe ende.");
    write(&dir.join("alt.txt"), &bytes);
    write(
        &dir.join("bom.txt"),
        "\u{feff}Mit BOM: Der Text beginnt hier und endet hier.".as_bytes(),
    );
    let out = bin().arg("analyze").arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let docs = json_lines(&out);
    let alt = docs
        .iter()
        .find(|d| d["source"]["path"].as_str().unwrap().ends_with("alt.txt"))
        .unwrap();
    assert!(
        alt["text"]
            .as_str()
            .unwrap()
            .contains("„Grüße aus München“"),
        "{}",
        alt["text"]
    );
    let bom = docs
        .iter()
        .find(|d| d["source"]["path"].as_str().unwrap().ends_with("bom.txt"))
        .unwrap();
    assert!(bom["text"].as_str().unwrap().starts_with("Mit BOM"));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn stdin_is_read_and_named() {
    let mut cmd = bin();
    cmd.args(["analyze", "-"]);
    let out = with_stdin(cmd, GOOD);
    assert!(out.status.success());
    let docs = json_lines(&out);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["source"]["path"], "-");
}

#[test]
fn missing_path_is_named() {
    let out = bin()
        .args(["analyze", "/nonexistent/lagebild/input.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("/nonexistent/lagebild/input.txt"));
}

/// An unreadable folder. Tests run as root in CI, and root reads any folder, so
/// the binary is run as an unprivileged user there (`setpriv`, util-linux).
#[test]
fn unreadable_folder_is_reported_and_the_rest_goes_through() {
    let dir = tempdir("perm");
    let locked = dir.join("locked");
    fs::create_dir(&locked).unwrap();
    write(&locked.join("secret.txt"), GOOD.as_bytes());
    write(&dir.join("open.txt"), GOOD.as_bytes());
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(dir.join("open.txt"), fs::Permissions::from_mode(0o644)).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| stdout(&o).trim() == "0")
        .unwrap_or(false);
    let out = if is_root {
        std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(env!("CARGO_BIN_EXE_lagebild"))
            .arg("analyze")
            .arg(&dir)
            .output()
            .expect("setpriv (util-linux) runs the test as an unprivileged user")
    } else {
        bin().arg("analyze").arg(&dir).output().unwrap()
    };
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("locked"), "{err}");
    assert!(err.to_lowercase().contains("permission"), "{err}");
    assert_eq!(json_lines(&out).len(), 1, "open.txt still analysed");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ingest_of_bad_inputs_keeps_what_was_stored() {
    let dir = fixture("ingest");
    let db = dir.join("store.db");
    let first = bin()
        .arg("ingest")
        .arg("--db")
        .arg(&db)
        .arg(dir.join("good.txt"))
        .output()
        .unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    let out = bin()
        .arg("ingest")
        .arg("--db")
        .arg(&db)
        .arg("--json")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(
        summary["failed"], 4,
        "binary, empty, huge, one JSONL line: {summary}"
    );
    assert_eq!(
        summary["new"], 1,
        "j3 is new; good.txt and j1 carry the same text: {summary}"
    );
    let stats = bin()
        .args(["stats", "--json", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let stats: serde_json::Value = serde_json::from_str(&stdout(&stats)).unwrap();
    assert_eq!(stats["documents"], 2);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_database_that_is_not_one_is_a_clear_fatal_error() {
    let dir = tempdir("notdb");
    let db = dir.join("x.db");
    write(&db, b"this is not a database file at all, just some text that goes on and on......................................");
    let out = bin().args(["stats", "--db"]).arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("x.db"), "{}", stderr(&out));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn train_ner_refuses_bad_settings_before_reading_any_data() {
    let out_dir = tempdir("train-bad");
    let model = out_dir.join("x.model");
    let run = |args: &[&str]| {
        let mut cmd = bin();
        cmd.args(["train", "ner", "--data", "/nonexistent/data", "--out"])
            .arg(&model)
            .args(args);
        cmd.output().unwrap()
    };
    for (args, says) in [
        (
            &["--lang", "fr"][..],
            "no training recipe for language \"fr\"",
        ),
        (&["--lang", "en", "--fold", "2"][..], "--fold is for German"),
        (&["--lang", "de", "--bits", "40"][..], "--bits 40"),
        (&["--lang", "de", "--fold", "6"][..], "--fold"),
        (
            &["--lang", "de", "--fold", "1", "--tune"][..],
            "cannot be used with",
        ),
    ] {
        let o = run(args);
        assert!(!o.status.success(), "{args:?} should fail");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    }
    assert!(!model.exists(), "nothing written");
}
