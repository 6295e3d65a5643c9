//! Our own annotated German news pages (`tests/fixtures/`, written for this
//! project): every `with` snippet is extracted, no `without` snippet is, and
//! title, author and date are exact — scored by the same snippet rule as
//! `lagebild eval extract`.

use std::path::Path;

use lagebild_html::eval::{snippets, Counts};

/// The pages are UTF-8 or Windows-1252 (as their `<meta charset>` says).
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes
            .iter()
            .map(|&b| match b {
                0x80 => '€',
                0x84 => '„',
                0x93 => '“',
                0x94 => '”',
                0x96 => '–',
                0x97 => '—',
                _ if (0x80..=0x9f).contains(&b) => '\u{FFFD}',
                _ => char::from(b),
            })
            .collect(),
    }
}

fn strings(v: &serde_json::Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn string(v: &serde_json::Value, key: &str) -> Option<String> {
    v[key].as_str().map(str::to_string)
}

#[test]
fn german_news_chrome_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "json")
                .then(|| p.file_stem().unwrap().to_string_lossy().into_owned())
        })
        .collect();
    names.sort();
    assert!(names.len() >= 5, "fixtures missing: {names:?}");
    let mut total = Counts::default();
    for name in &names {
        let gold: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap(),
        )
        .unwrap();
        let html = decode(&std::fs::read(dir.join(format!("{name}.html"))).unwrap());
        let url = string(&gold, "url");
        let ex = lagebild_html::extract_with_url(&html, url.as_deref());
        let c = snippets(
            Some(&ex.text),
            &strings(&gold, "with"),
            &strings(&gold, "without"),
        );
        assert_eq!((c.fn_, c.fp), (0, 0), "{name}: {c:?}\n{}", ex.text);
        assert_eq!(ex.title, string(&gold, "title"), "{name}");
        assert_eq!(ex.author, string(&gold, "author"), "{name}");
        assert_eq!(ex.published, string(&gold, "date"), "{name}");
        assert!(ex.is_article, "{name}");
        total.add(c);
    }
    assert_eq!(total.f1(), 1.0);
}
