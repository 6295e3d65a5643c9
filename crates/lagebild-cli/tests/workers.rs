//! `lagebild enqueue` / `worker` / `queue` on SQLite and on PostgreSQL
//! (`LAGEBILD_TEST_PG`, see `tools/pg-throwaway.sh`): a worker killed with
//! SIGKILL in the middle of a batch, then another worker, and every document
//! stored exactly once; a document whose analysis cannot run is parked with
//! its error.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{bin, stdout, tempdir};
use lagebild_store::{open, testing, Page, QueueItem};

/// `n` short German articles of our own, each about another town and day.
fn write_articles(dir: &Path, n: usize) {
    for i in 0..n {
        let text = format!(
            "Treffen in Stadt{i}\n\nDer Bürgermeister von Stadt{i} traf am {} . November den Landrat. \
             Beide sprachen über die Straße Nummer {i} und den Haushalt des Jahres {}.\n",
            1 + i % 28,
            2000 + i
        );
        std::fs::write(dir.join(format!("a{i:03}.txt")), text).unwrap();
    }
}

fn counts(db: &str) -> lagebild_store::QueueCounts {
    open(db).unwrap().queue_counts().unwrap()
}

fn fault_test(db: &str, name: &str) {
    const N: usize = 30;
    let dir = tempdir(&format!("fault-{name}"));
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    write_articles(&input, N);
    let out = bin()
        .args(["enqueue", "--db", db])
        .arg(&input)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(stdout(&out).contains("queued 30"), "{}", stdout(&out));
    // enqueuing again adds nothing
    let out = bin()
        .args(["enqueue", "--db", db])
        .arg(&input)
        .output()
        .unwrap();
    assert!(stdout(&out).contains("queued 0"), "{}", stdout(&out));

    // A slow worker (300 ms per document, one thread, 3 per batch): killed
    // while it holds a claimed batch.
    let mut a = bin()
        .args([
            "worker",
            "--db",
            db,
            "--name",
            "A",
            "--batch",
            "3",
            "--threads",
            "1",
            "--lease",
            "2",
            "--delay-ms",
            "300",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let c = counts(db);
        if c.done >= 6 && c.claimed > 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "worker A made no progress: {c:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    a.kill().unwrap(); // SIGKILL
    a.wait().unwrap();
    let at_kill = counts(db);
    assert!(at_kill.claimed > 0, "killed mid-batch: {at_kill:?}");
    assert!(at_kill.done < N as u64);

    // B finishes the queue, taking over A's claims once their lease ran out.
    let out = bin()
        .args([
            "worker",
            "--db",
            db,
            "--name",
            "B",
            "--lease",
            "2",
            "--poll",
            "0.2",
            "--exit-when-empty",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    let report = stdout(&out);
    let stored_by_b = N as u64 - at_kill.done;
    assert!(
        report.contains(&format!(
            "stored {stored_by_b} new, 0 updated, 0 duplicates"
        )),
        "{report}"
    );
    assert!(report.contains("0 lost"), "{report}");

    let end = counts(db);
    assert_eq!(
        (end.pending, end.claimed, end.done, end.parked),
        (0, 0, N as u64, 0)
    );
    let store = open(db).unwrap();
    assert_eq!(
        store.stats().unwrap().documents,
        N as u64,
        "each stored once"
    );
    // every document is in exactly one story
    let mut in_stories = BTreeSet::new();
    let mut members = 0;
    for s in store.stories(Page::first(1000)).unwrap().items {
        members += s.documents.len();
        in_stories.extend(s.documents);
    }
    assert_eq!((in_stories.len(), members), (N, N));
    std::fs::remove_dir_all(&dir).unwrap();
}

fn parks_what_cannot_be_analysed(db: &str) {
    let mut store = open(db).unwrap();
    store
        .enqueue(&[QueueItem {
            source: "broken.json".into(),
            raw_hash: "broken".into(),
            payload: "{not json".into(),
        }])
        .unwrap();
    drop(store);
    let out = bin()
        .args([
            "worker",
            "--db",
            db,
            "--max-attempts",
            "2",
            "--poll",
            "0.1",
            "--exit-when-empty",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(stdout(&out).contains("1 parked"), "{}", stdout(&out));
    let out = bin()
        .args(["queue", "--db", db, "--parked"])
        .output()
        .unwrap();
    let listing = stdout(&out);
    assert!(
        listing.contains("0 pending, 0 claimed, 0 done, 1 parked"),
        "{listing}"
    );
    assert!(
        listing.contains("broken.json (attempts 2): broken.json: queued input unreadable"),
        "{listing}"
    );
    let out = bin()
        .args(["queue", "--db", db, "--retry-parked"])
        .output()
        .unwrap();
    assert!(stdout(&out).contains("1 pending"), "{}", stdout(&out));
}

/// GET `path` from the server at `addr`; the body.
fn http_get(addr: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut c = std::net::TcpStream::connect(addr).unwrap();
    write!(
        c,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    c.read_to_string(&mut out).unwrap();
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    out.split_once("\r\n\r\n").unwrap().1.to_string()
}

/// `serve` over what workers stored: the API and the pages read PostgreSQL.
fn serve_reads_what_workers_stored(db: &str) {
    let dir = tempdir("serve-pg");
    write_articles(&dir, 4);
    assert!(bin()
        .args(["enqueue", "--db", db])
        .arg(&dir)
        .output()
        .unwrap()
        .status
        .success());
    assert!(bin()
        .args(["worker", "--db", db, "--exit-when-empty"])
        .output()
        .unwrap()
        .status
        .success());
    let mut server = bin()
        .args(["serve", "--db", db, "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(server.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    let stats: serde_json::Value = serde_json::from_str(&http_get(&addr, "/api/stats")).unwrap();
    assert_eq!(stats["documents"], 4, "{stats}");
    let hits: serde_json::Value =
        serde_json::from_str(&http_get(&addr, "/api/search?q=B%C3%BCrgermeister+Stadt2")).unwrap();
    assert_eq!(hits["items"][0]["title"], "Treffen in Stadt2", "{hits}");
    let page = http_get(&addr, "/search?q=Landrat");
    assert!(page.contains("Treffen in Stadt3"), "{page}");
    server.kill().unwrap();
    server.wait().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn postgres_serve_reads_what_workers_stored() {
    if let Some(db) = testing::pg_database() {
        serve_reads_what_workers_stored(&db);
    }
}

/// Documents stored but never clustered (their worker died in between, or
/// they came over HTTP): a worker with nothing to claim clusters them.
fn idle_worker_clusters_what_others_left(db: &str) {
    let mut store = open(db).unwrap();
    let docs: Vec<lagebild_store::Incoming> = (0..3)
        .map(|i| {
            lagebild_store::Incoming::new(
                lagebild_model::Document {
                    id: format!("left{i}"),
                    language: "de".into(),
                    published: Some(format!("2024-03-0{}", i + 1)),
                    text: format!("Ein liegen gebliebener Bericht Nummer {i} über den Hafen."),
                    ..Default::default()
                },
                None,
            )
        })
        .collect();
    store.put_batch(&docs).unwrap();
    assert!(store.stories(Page::first(10)).unwrap().items.is_empty());
    drop(store);
    let out = bin()
        .args(["worker", "--db", db, "--exit-when-empty"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    let store = open(db).unwrap();
    let clustered: usize = store
        .stories(Page::first(10))
        .unwrap()
        .items
        .iter()
        .map(|s| s.documents.len())
        .sum();
    assert_eq!(clustered, 3);
}

#[test]
fn sqlite_idle_worker_clusters_what_others_left() {
    idle_worker_clusters_what_others_left(&sqlite_db("idle-sqlite-db"));
}

#[test]
fn postgres_idle_worker_clusters_what_others_left() {
    if let Some(db) = testing::pg_database() {
        idle_worker_clusters_what_others_left(&db);
    }
}

fn sqlite_db(name: &str) -> String {
    tempdir(name).join("q.db").to_string_lossy().into_owned()
}

#[test]
fn sqlite_worker_killed_mid_batch_loses_and_repeats_nothing() {
    fault_test(&sqlite_db("fault-sqlite-db"), "sqlite");
}

#[test]
fn postgres_worker_killed_mid_batch_loses_and_repeats_nothing() {
    if let Some(db) = testing::pg_database() {
        fault_test(&db, "postgres");
    }
}

#[test]
fn sqlite_unreadable_input_is_parked() {
    parks_what_cannot_be_analysed(&sqlite_db("park-sqlite-db"));
}

#[test]
fn postgres_unreadable_input_is_parked() {
    if let Some(db) = testing::pg_database() {
        parks_what_cannot_be_analysed(&db);
    }
}
