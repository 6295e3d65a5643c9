//! End to end in a real browser: `lagebild demo --no-serve` builds the demo
//! database (plus a story and a hostile article written here), `lagebild serve`
//! serves it on a free loopback port, and headless Chromium, driven over the
//! WebDriver protocol by chromedriver, walks the story list, a story, an
//! entity, the event filter and a search, and checks that the hostile
//! article's markup never runs. Screenshots go to `target/e2e-screenshots/`.
//!
//! Needs Debian's `chromium` and `chromium-driver`; skipped with a message when
//! they are missing, except under `CI=true`, where that is a failure.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::*;
use lagebild_store::{SqliteStore, Store, StoryRecord};
use serde_json::{json, Value};

/// Kills a child process when dropped (the server and the driver it started).
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn find(candidates: &[&str]) -> Option<PathBuf> {
    candidates.iter().map(PathBuf::from).find(|p| p.is_file())
}

/// One HTTP/1.1 exchange (the body read by its length, or chunked).
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(300))).unwrap();
    let payload = body.map(|b| b.to_string()).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{payload}",
        payload.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut r = BufReader::new(s);
    let mut status_line = String::new();
    r.read_line(&mut status_line).unwrap();
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("status line {status_line:?}"));
    let (mut length, mut chunked) = (None, false);
    loop {
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse::<usize>().ok();
        }
        if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            r.read_line(&mut size).unwrap();
            let n = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16)
                .unwrap_or(0);
            if n == 0 {
                break;
            }
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk).unwrap();
            body.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = length {
        body.resize(n, 0);
        r.read_exact(&mut body).unwrap();
    } else {
        r.read_to_end(&mut body).unwrap();
    }
    (status, body)
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// A WebDriver session.
struct Browser {
    port: u16,
    session: String,
    shots: PathBuf,
}

impl Browser {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let full = format!("/session/{}{path}", self.session);
        let (status, bytes) = http(self.port, method, &full, body.as_ref());
        let v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        assert!(status < 300, "{method} {path}: {status} {v}");
        v["value"].clone()
    }
    fn go(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }
    fn url(&self) -> String {
        self.call("GET", "/url", None).as_str().unwrap().to_string()
    }
    /// The URL once it contains `needle`: a click or an Enter key starts a
    /// navigation that the browser may finish after the WebDriver call returns.
    fn wait_url(&self, needle: &str) -> String {
        for _ in 0..100 {
            let u = self.url();
            if u.contains(needle) {
                return u;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        self.url()
    }
    fn all(&self, css: &str) -> Vec<String> {
        let v = self.call(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        );
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| {
                e.as_object()
                    .unwrap()
                    .values()
                    .next()
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }
    fn one(&self, css: &str) -> String {
        self.all(css)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no {css} on {}", self.url()))
    }
    fn text(&self, el: &str) -> String {
        self.call("GET", &format!("/element/{el}/text"), None)
            .as_str()
            .unwrap()
            .to_string()
    }
    fn attr(&self, el: &str, name: &str) -> Option<String> {
        self.call("GET", &format!("/element/{el}/attribute/{name}"), None)
            .as_str()
            .map(str::to_string)
    }
    fn click(&self, el: &str) {
        self.call("POST", &format!("/element/{el}/click"), Some(json!({})));
    }
    fn type_in(&self, el: &str, text: &str) {
        self.call("POST", &format!("/element/{el}/clear"), Some(json!({})));
        self.call(
            "POST",
            &format!("/element/{el}/value"),
            Some(json!({ "text": text })),
        );
    }
    fn script(&self, js: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": js, "args": []})),
        )
    }
    fn shot(&self, name: &str) {
        let b64 = self.call("GET", "/screenshot", None);
        let png = base64_decode(b64.as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
    }
    fn not_pwned(&self) {
        let v =
            self.script("return [typeof window.__pwned, document.querySelectorAll('img').length];");
        assert_eq!(
            v,
            json!(["undefined", 0]),
            "hostile markup ran on {}",
            self.url()
        );
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn screenshots_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("e2e-screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

const HOSTILE: &str = r#"{"id": "hostile-1", "title": "<script>window.__pwned=1</script>Krisengipfel \"><img src=x onerror=window.__pwned=2>", "url": "javascript:window.__pwned=3", "source": "<b>Evil & Co</b>", "published": "2024-11-21", "text": "Der Sprecher <script>window.__pwned=4</script> von Evil & Co sagte in Moskau: \"><img src=x onerror=window.__pwned=5> sei harmlos. Russland widersprach am Donnerstag."}"#;

#[test]
fn pages_work_in_headless_chromium() {
    let (Some(chromium), Some(driver)) = (
        find(&["/usr/bin/chromium", "/usr/bin/chromium-browser"]),
        find(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]),
    ) else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("chromium and chromedriver are required under CI (apt-get install chromium chromium-driver)");
        }
        eprintln!("skipping the browser test: chromium or chromedriver not installed (apt-get install chromium chromium-driver)");
        return;
    };
    let dir = tempdir("e2e");
    let db = dir.join("demo.db");
    let out = bin()
        .args(["demo", "--no-serve", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let hostile = dir.join("hostile.jsonl");
    std::fs::write(&hostile, HOSTILE).unwrap();
    let out = bin()
        .args(["ingest", "--db"])
        .arg(&db)
        .arg(&hostile)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // A story over every document (clustering is not what is tested here).
    {
        let mut store = SqliteStore::open(&db).unwrap();
        let ids: Vec<String> = store
            .documents(lagebild_store::Page::first(100))
            .unwrap()
            .items
            .into_iter()
            .map(|d| d.id)
            .collect();
        assert!(ids.len() >= 7, "{ids:?}");
        store
            .replace_stories(&[(
                StoryRecord {
                    id: "demo-week".into(),
                    title: Some("Diplomatie-Woche <im> Überblick".into()),
                    first: None,
                    last: None,
                },
                ids,
            )])
            .unwrap();
    }

    let mut server = Killed(
        bin()
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--rate-limit",
                "0",
                "--db",
            ])
            .arg(&db)
            .env_remove("LAGEBILD_TOKEN")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(server.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .trim_end_matches('/')
        .to_string();

    let dport = free_port();
    let _driver = Killed(
        Command::new(&driver)
            .arg(format!("--port={dport}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    // Wait until the driver answers (bounded; not a timing assertion).
    let mut up = false;
    for _ in 0..300 {
        if TcpStream::connect(("127.0.0.1", dport)).is_ok() {
            up = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(up, "chromedriver did not start");
    let profile = dir.join("profile");
    let caps = json!({"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium.to_str().unwrap(),
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1280,1600",
                     format!("--user-data-dir={}", profile.display())]
        }
    }}});
    let (status, body) = http(dport, "POST", "/session", Some(&caps));
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(status, 200, "new session: {v}");
    let b = Browser {
        port: dport,
        session: v["value"]["sessionId"].as_str().unwrap().to_string(),
        shots: screenshots_dir(),
    };

    // Story list → story page.
    b.go(&format!("{base}/"));
    let story_link = b.one(".story a");
    assert_eq!(b.text(&story_link), "Diplomatie-Woche <im> Überblick");
    b.shot("01-stories");
    b.not_pwned();
    b.click(&story_link);
    assert!(
        b.wait_url("/stories/demo-week")
            .ends_with("/stories/demo-week"),
        "{}",
        b.url()
    );
    assert!(
        !b.all("svg.timeline a.event-mark").is_empty(),
        "events on the timeline"
    );
    assert!(
        !b.all("svg.timeline a.doc-mark").is_empty(),
        "articles on the timeline"
    );
    let sources = b.all("table tr td a[href^='/documents/']");
    assert!(sources.len() >= 7);
    b.shot("02-story");
    b.not_pwned();

    // The timeline links to the sentence its event is read from.
    let mark = b.one("svg.timeline a.event-mark");
    let href = b.attr(&mark, "href").unwrap();
    b.go(&format!("{base}{href}"));
    let focus = b.one("#focus");
    assert!(!b.text(&focus).is_empty(), "the sentence is marked");

    // An entity page: Russia is in the demo articles.
    b.go(&format!("{base}/stories/demo-week"));
    let russia = b
        .all("a.tag")
        .into_iter()
        .find(|e| b.attr(e, "href").as_deref() == Some("/entities/gpe:RUS"))
        .expect("Russia among the story's entities");
    b.click(&russia);
    assert!(
        b.wait_url("/entities/gpe:RUS")
            .ends_with("/entities/gpe:RUS"),
        "{}",
        b.url()
    );
    assert_eq!(b.text(&b.one("h1")), "Russia");
    assert!(!b.all("svg.chart a rect.bar").is_empty(), "mentions chart");
    assert!(!b.all("svg.network a.node").is_empty(), "network");
    assert!(!b.all(".variant").is_empty(), "variants");
    b.shot("03-entity");
    // A bar lists its mentions; each mention opens its sentence.
    let bar = b.one("svg.chart a");
    let href = b.attr(&bar, "href").unwrap();
    b.go(&format!("{base}{href}"));
    assert!(b.text(&b.one("#mentions")).starts_with("Mentions"));
    let first = b.one("#mentions + table a");
    b.click(&first);
    assert!(b.wait_url("?at=").contains("?at="), "{}", b.url());
    assert!(!b.text(&b.one("#focus")).is_empty());

    // The event explorer: filter by type with the form.
    b.go(&format!("{base}/events"));
    let all_rows = b.all("table.events tr").len();
    let field = b.one("input[name=type]");
    b.type_in(&field, "CONSULT");
    b.click(&b.one("form.filters button"));
    assert!(
        b.wait_url("type=CONSULT").contains("type=CONSULT"),
        "{}",
        b.url()
    );
    let types: Vec<String> = b
        .all("table.events td span.tag")
        .iter()
        .map(|e| b.text(e))
        .collect();
    assert!(!types.is_empty(), "the demo has a CONSULT event");
    assert!(types.iter().all(|t| t == "CONSULT"), "{types:?}");
    assert!(types.len() + 1 < all_rows, "the filter narrowed the list");
    b.shot("04-events");

    // Search from the header.
    b.go(&format!("{base}/"));
    let q = b.one("header input[name=q]");
    b.type_in(&q, "Ukraine\u{E007}");
    assert!(
        b.wait_url("/search?q=Ukraine")
            .contains("/search?q=Ukraine"),
        "{}",
        b.url()
    );
    assert!(!b.all(".hit").is_empty());
    assert_eq!(b.text(&b.one(".hit mark")), "Ukraine");
    b.shot("05-search");

    // The hostile article: shown as text, nothing runs, no javascript: link.
    b.go(&format!("{base}/documents/hostile-1"));
    let h1 = b.text(&b.one("h1"));
    assert!(
        h1.starts_with("<script>window.__pwned=1</script>Krisengipfel"),
        "{h1}"
    );
    assert!(b
        .text(&b.one("#text"))
        .contains("<img src=x onerror=window.__pwned=5>"));
    assert!(b.all("a[href^='javascript']").is_empty());
    b.not_pwned();
    b.shot("06-hostile-document");
    b.go(&format!(
        "{base}/search?q=%22%3E%3Cimg+src%3Dx+onerror%3Dwindow.__pwned%3D6%3E+harmlos"
    ));
    b.not_pwned();
    b.go(&format!("{base}/stories/demo-week"));
    b.not_pwned();

    http(dport, "DELETE", &format!("/session/{}", b.session), None);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
