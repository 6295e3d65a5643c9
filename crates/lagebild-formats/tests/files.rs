//! Reading real files and folders: every fixture is written to a fresh temporary
//! folder that is removed afterwards.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use lagebild_formats::{
    discover, parse_bytes, raw_hash, read_file, ErrorKind, InputError, RawDocument, ReadOptions,
};

/// A temporary folder, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "lagebild-formats-{tag}-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn one_doc(results: Vec<Result<RawDocument, InputError>>) -> RawDocument {
    assert_eq!(results.len(), 1, "{results:?}");
    results.into_iter().next().unwrap().unwrap()
}

fn one_err(results: Vec<Result<RawDocument, InputError>>) -> InputError {
    assert_eq!(results.len(), 1, "{results:?}");
    results.into_iter().next().unwrap().unwrap_err()
}

fn opts() -> ReadOptions {
    ReadOptions::default()
}

#[test]
fn reads_text_with_bom() {
    let t = TempDir::new("bom");
    let p = t.write("bom.txt", "\u{FEFF}Bericht aus Köln".as_bytes());
    let doc = one_doc(read_file(&p, &opts()));
    assert_eq!(doc.text.as_deref(), Some("Bericht aus Köln"));
    assert_eq!(doc.path.as_deref(), Some(p.display().to_string().as_str()));
    assert_eq!(doc.html, None);
}

#[test]
fn reads_utf16() {
    let t = TempDir::new("utf16");
    let mut bytes = vec![0xFF, 0xFE];
    for u in "Äpfel „und“ Birnen".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let p = t.write("le.txt", &bytes);
    let doc = one_doc(read_file(&p, &opts()));
    assert_eq!(doc.text.as_deref(), Some("Äpfel „und“ Birnen"));
}

#[test]
fn reads_cp1252() {
    let t = TempDir::new("cp1252");
    let p = t.write("alt.txt", b"\x84Das ist gut\x93, sagte die B\xE4ckerin.");
    let doc = one_doc(read_file(&p, &opts()));
    assert_eq!(
        doc.text.as_deref(),
        Some("„Das ist gut“, sagte die Bäckerin.")
    );
}

#[test]
fn reads_utf8_with_stray_bytes() {
    let t = TempDir::new("mixed");
    let mut bytes = "Grüße aus Düsseldorf, Köln und Göttingen"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(b" \x96 sch\xF6n");
    let p = t.write("mixed.txt", &bytes);
    let doc = one_doc(read_file(&p, &opts()));
    assert_eq!(
        doc.text.as_deref(),
        Some("Grüße aus Düsseldorf, Köln und Göttingen – schön")
    );
}

#[test]
fn refuses_binary() {
    let t = TempDir::new("binary");
    let p = t.write(
        "bild.png",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06",
    );
    let e = one_err(read_file(&p, &opts()));
    assert_eq!(e.kind, ErrorKind::Binary);
    assert_eq!(e.input, p.display().to_string());
}

#[test]
fn refuses_empty() {
    let t = TempDir::new("empty");
    let p = t.write("leer.txt", b"");
    assert_eq!(one_err(read_file(&p, &opts())).kind, ErrorKind::Empty);
    let p = t.write("blank.txt", b"  \n\n\t ");
    assert_eq!(one_err(read_file(&p, &opts())).kind, ErrorKind::Empty);
}

#[test]
fn refuses_too_large_without_reading() {
    let t = TempDir::new("large");
    let p = t.path().join("gross.txt");
    // A sparse file: 60 MiB of (unwritten) zeros. Were it read, it would be refused as
    // binary (NUL bytes), so TooLarge shows the size was checked first.
    File::create(&p).unwrap().set_len(60 * 1024 * 1024).unwrap();
    let e = one_err(read_file(&p, &opts()));
    assert_eq!(e.kind, ErrorKind::TooLarge);
    assert_eq!(e.input, p.display().to_string());
    assert!(e.message.contains("62914560 bytes"), "{}", e.message);
    assert!(e.message.contains("52428800 bytes"), "{}", e.message);

    // A small limit applies to small files too.
    let p = t.write("klein.txt", b"0123456789");
    let small = ReadOptions {
        max_bytes: 9,
        ..opts()
    };
    assert_eq!(one_err(read_file(&p, &small)).kind, ErrorKind::TooLarge);
    let exact = ReadOptions {
        max_bytes: 10,
        ..opts()
    };
    assert!(read_file(&p, &exact)[0].is_ok());
}

#[test]
fn missing_file_is_not_found() {
    let t = TempDir::new("missing");
    let p = t.path().join("gibt-es-nicht.txt");
    let e = one_err(read_file(&p, &opts()));
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert_eq!(e.input, p.display().to_string());

    let (files, errors) = discover(std::slice::from_ref(&p), &opts());
    assert!(files.is_empty());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].kind, ErrorKind::NotFound);
    assert_eq!(errors[0].input, p.display().to_string());
}

#[test]
fn folder_is_an_error_for_read_file() {
    let t = TempDir::new("dirread");
    let e = one_err(read_file(t.path(), &opts()));
    assert_eq!(e.kind, ErrorKind::Io);
}

#[test]
fn jsonl_with_a_malformed_line() {
    let t = TempDir::new("jsonl");
    let p = t.write(
        "artikel.jsonl",
        concat!(
            "{\"id\": 1, \"text\": \"Erster Artikel\", \"published\": \"2024-03-01T10:00:00+01:00\", \"source\": \"dpa\", \"language\": \"de\"}\n",
            "{\"id\": 2, \"text\": \"Zweiter\"\n",
            "\n",
            "{\"id\": \"drei\", \"html\": \"<p>Dritter</p>\", \"url\": \"https://example.org/3\", \"title\": \"Drei\"}\n",
        )
        .as_bytes(),
    );
    let name = p.display().to_string();
    let results = read_file(&p, &opts());
    assert_eq!(results.len(), 3);

    let a = results[0].as_ref().unwrap();
    assert_eq!(a.id.as_deref(), Some("1"));
    assert_eq!(a.published.as_deref(), Some("2024-03-01"));
    assert_eq!(a.source.as_deref(), Some("dpa"));
    assert_eq!(a.path, Some(format!("{name}:1")));

    let e = results[1].as_ref().unwrap_err();
    assert_eq!(e.kind, ErrorKind::Malformed);
    assert_eq!(e.input, format!("{name}:2"));
    assert!(e.to_string().starts_with(&format!("{name}:2: ")));

    let c = results[2].as_ref().unwrap();
    assert_eq!(c.id.as_deref(), Some("drei"));
    assert_eq!(c.html.as_deref(), Some("<p>Dritter</p>"));
    assert_eq!(c.title.as_deref(), Some("Drei"));
    assert_eq!(c.path, Some(format!("{name}:4")));
}

#[test]
fn html_file() {
    let t = TempDir::new("html");
    let page =
        "<!DOCTYPE html>\n<html><head><title>T</title></head><body><p>Text</p></body></html>";
    let p = t.write("seite.txt", page.as_bytes());
    let doc = one_doc(read_file(&p, &opts()));
    assert_eq!(doc.html.as_deref(), Some(page));
    assert_eq!(doc.text, None);
}

#[test]
fn discovers_recursively_sorted_skipping_hidden() {
    let t = TempDir::new("walk");
    for rel in [
        "b.txt",
        "a/z.txt",
        "a/c/d.html",
        "a.txt",
        "A.txt",
        ".versteckt.txt",
        ".git/config",
        "a/.cache/x.txt",
        "leer/.keep",
    ] {
        t.write(rel, b"x");
    }
    fs::create_dir_all(t.path().join("ganz/leer")).unwrap();
    let root = t.path().to_path_buf();
    let rel = |files: &[PathBuf]| -> Vec<String> {
        files
            .iter()
            .map(|f| f.strip_prefix(&root).unwrap().display().to_string())
            .collect()
    };

    let (files, errors) = discover(std::slice::from_ref(&root), &opts());
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        rel(&files),
        ["A.txt", "a/c/d.html", "a/z.txt", "a.txt", "b.txt"]
    );
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);

    let hidden = ReadOptions {
        follow_hidden: true,
        ..opts()
    };
    let (files, errors) = discover(std::slice::from_ref(&root), &hidden);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        rel(&files),
        [
            ".git/config",
            ".versteckt.txt",
            "A.txt",
            "a/.cache/x.txt",
            "a/c/d.html",
            "a/z.txt",
            "a.txt",
            "b.txt",
            "leer/.keep",
        ]
    );
}

#[test]
fn discover_keeps_argument_order_and_takes_named_hidden_files() {
    let t = TempDir::new("args");
    let b = t.write("b.txt", b"x");
    let a = t.write("ordner/a.txt", b"x");
    let hidden = t.write(".geheim.txt", b"x");
    let args = vec![
        b.clone(),
        t.path().join("ordner"),
        hidden.clone(),
        b.clone(),
    ];
    let (files, errors) = discover(&args, &opts());
    assert!(errors.is_empty(), "{errors:?}");
    // b.txt named twice comes out once.
    assert_eq!(files, vec![b, a, hidden]);
}

#[cfg(unix)]
#[test]
fn symlink_loops_do_not_hang() {
    use std::os::unix::fs::symlink;
    let t = TempDir::new("loop");
    t.write("a/text.txt", b"x");
    t.write("b/mehr.txt", b"x");
    // A link back to the root, a link between siblings, a self-referencing link and
    // a broken link.
    symlink(t.path(), t.path().join("a/zurueck")).unwrap();
    symlink(t.path().join("a"), t.path().join("b/zu-a")).unwrap();
    symlink(t.path().join("selbst"), t.path().join("selbst")).unwrap();
    symlink(t.path().join("fehlt.txt"), t.path().join("kaputt.txt")).unwrap();

    let (files, errors) = discover(&[t.path().to_path_buf()], &opts());
    let root = t.path();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(root).unwrap().display().to_string())
        .collect();
    assert_eq!(names, ["a/text.txt", "b/mehr.txt"]);

    let mut kinds: Vec<(String, ErrorKind)> = errors
        .iter()
        .map(|e| {
            let p = PathBuf::from(&e.input);
            (p.strip_prefix(root).unwrap().display().to_string(), e.kind)
        })
        .collect();
    kinds.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        kinds,
        [
            ("kaputt.txt".to_string(), ErrorKind::NotFound),
            ("selbst".to_string(), ErrorKind::Io),
        ]
    );
    let broken = errors
        .iter()
        .find(|e| e.kind == ErrorKind::NotFound)
        .unwrap();
    assert_eq!(broken.message, "broken symbolic link");
}

#[cfg(unix)]
#[test]
fn discover_goes_on_after_errors() {
    let t = TempDir::new("goon");
    let good = t.write("gut.txt", b"x");
    let missing = t.path().join("fehlt");
    let (files, errors) = discover(&[missing.clone(), good.clone()], &opts());
    assert_eq!(files, vec![good]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].input, missing.display().to_string());
}

#[test]
fn raw_hash_of_file_bytes() {
    let t = TempDir::new("hash");
    let p = t.write("a.txt", b"gleich");
    let q = t.write("b.txt", b"gleich");
    let h = raw_hash(&fs::read(&p).unwrap());
    assert_eq!(h, raw_hash(&fs::read(q).unwrap()));
    assert_eq!(h.len(), 32);
}

#[test]
fn parse_bytes_matches_read_file() {
    let t = TempDir::new("same");
    let bytes = b"{\"text\": \"a\"}\n{\"text\": \"b\"}";
    let p = t.write("x.jsonl", bytes);
    let name = p.display().to_string();
    assert_eq!(read_file(&p, &opts()), parse_bytes(bytes, &name, &opts()));
}
