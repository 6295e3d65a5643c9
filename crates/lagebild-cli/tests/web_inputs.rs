//! Feeds and web archives through `lagebild analyze`, detected by content.

mod common;

use common::{bin, stderr, stdout, tempdir};

#[test]
fn analyze_reads_feeds_and_warc_archives() {
    let dir = tempdir("web-inputs");
    // An RSS feed under a name that says nothing: detected by content.
    let feed = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Kreisblatt</title>
<item><title>Neue Brücke eröffnet</title><link>https://kreisblatt.example/2024/05/02/bruecke</link>
<pubDate>Thu, 02 May 2024 09:00:00 +0200</pubDate>
<content:encoded><![CDATA[<p>Die neue Brücke über die Ilm ist am Donnerstag eröffnet worden.</p>]]></content:encoded></item>
<item><title>Markt fällt aus</title><description>Der Wochenmarkt fällt am Samstag aus.</description>
<pubDate>Fri, 03 May 2024 07:00:00 GMT</pubDate></item>
</channel></rss>"#;
    std::fs::write(dir.join("kreisblatt.dat"), feed).unwrap();
    let out = bin()
        .args(["analyze"])
        .arg(dir.join("kreisblatt.dat"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let docs: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["title"], "Neue Brücke eröffnet");
    assert_eq!(docs[0]["published"], "2024-05-02");
    assert!(docs[0]["text"].as_str().unwrap().contains("über die Ilm"));
    assert_eq!(docs[1]["published"], "2024-05-03");

    // A WARC with a good response, a corrupt record and another good one.
    let rec = |uri: &str, html: &str| {
        let body =
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
        format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-04T10:00:00Z\r\n\
             Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{body}\r\n\r\n",
            body.len()
        )
    };
    let mut warc = rec(
        "https://kreisblatt.example/a",
        "<html><body><article><h1>Erster Artikel</h1><p>Der Kreistag hat am Montag den neuen Haushalt beschlossen, \
         nach einer langen und kontroversen Debatte über die Schulen.</p></article></body></html>",
    );
    let bad_at = warc.len();
    warc.push_str("kaputt\r\n\r\n");
    warc.push_str(&rec(
        "https://kreisblatt.example/b",
        "<p>Die Feuerwehr rückte am Dienstag zu einem Brand in einer Scheune aus.</p>",
    ));
    std::fs::write(dir.join("crawl.warc"), warc).unwrap();
    let out = bin()
        .args(["analyze"])
        .arg(dir.join("crawl.warc"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("crawl.warc@{bad_at}")),
        "{}",
        stderr(&out)
    );
    let docs: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["source"]["url"], "https://kreisblatt.example/a");
    assert!(docs[1]["text"]
        .as_str()
        .unwrap()
        .contains("Brand in einer Scheune"));
    std::fs::remove_dir_all(&dir).unwrap();
}
