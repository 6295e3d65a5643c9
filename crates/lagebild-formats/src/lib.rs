//! Input readers for Lagebild: the I/O shell that turns paths and standard input into
//! [`RawDocument`]s.
//!
//! * [`discover`] expands files and folders into a sorted list of input files.
//! * [`read_file`] and [`read_stdin`] read one input, bounded by
//!   [`ReadOptions::max_bytes`], and hand the bytes to [`parse_bytes`].
//! * [`parse_bytes`] decodes ([`decode`]: UTF-8, BOMs, UTF-16, Windows-1252; binary and
//!   empty input are refused), detects the format by content ([`detect_format`]: plain
//!   text, HTML, JSON Lines) and parses it.
//! * Feeds (RSS 2.0, RDF, Atom) give one document per item ([`Format::Feed`]).
//! * Web archives (WARC, `.warc.gz`) are streamed record by record
//!   ([`WarcReader`]; [`read_file`] never loads them whole): each HTML
//!   `response` becomes a document; a corrupt record is an error naming
//!   `path@OFFSET` and the rest still comes through.
//! * [`decode_web_page`] decodes a page in its declared charset.
//! * [`read_semicolon_csv`] reads the `label;text` corpus format of the 10kGNAD
//!   benchmark.
//! * [`raw_hash`] is a stable 128-bit hash of raw input bytes.
//!
//! Every problem is an [`InputError`] that names its input (`path`, `path:line` or `-`
//! for standard input). Readers return one `Result` per document, so one bad line or
//! file never hides the good ones.

mod charset;
mod csv;
mod decode;
mod detect;
mod discover;
mod error;
mod feed;
mod hash;
mod jsonl;
mod warc;

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

pub use lagebild_model::RawDocument;

pub use crate::charset::{declared_charset, decode_web_page};
pub use crate::csv::read_semicolon_csv;
pub use crate::decode::{decode, Encoding};
pub use crate::detect::{detect_format, Format};
pub use crate::discover::discover;
pub use crate::error::{ErrorKind, InputError};
pub use crate::hash::raw_hash;
pub use crate::warc::{is_warc_start, WarcReader, MAX_RECORD_BYTES};

/// The default for [`ReadOptions::max_bytes`]: 50 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 50 * 1024 * 1024;

/// How inputs are found and read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// The largest input accepted, in bytes (default 50 MiB). Larger inputs are
    /// refused with [`ErrorKind::TooLarge`] without being read.
    pub max_bytes: u64,
    /// Whether [`discover`] walks into hidden entries (names starting with `.`)
    /// inside folders (default `false`).
    pub follow_hidden: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_bytes: DEFAULT_MAX_BYTES,
            follow_hidden: false,
        }
    }
}

/// A size in bytes with a readable unit, for messages.
fn human_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * KIB;
    const GIB: u64 = 1024 * MIB;
    // Precision loss in the conversion is fine: one decimal is shown.
    #[allow(clippy::cast_precision_loss)]
    let f = bytes as f64;
    if bytes >= GIB {
        format!("{bytes} bytes ({:.1} GiB)", f / GIB as f64)
    } else if bytes >= MIB {
        format!("{bytes} bytes ({:.1} MiB)", f / MIB as f64)
    } else if bytes >= KIB {
        format!("{bytes} bytes ({:.1} KiB)", f / KIB as f64)
    } else {
        format!("{bytes} bytes")
    }
}

fn too_large(name: &str, size: Option<u64>, limit: u64) -> InputError {
    let what = match size {
        Some(size) => format!("input is {}", human_size(size)),
        None => "input is larger".to_string(),
    };
    InputError::new(
        name,
        ErrorKind::TooLarge,
        format!("{what}, over the limit of {}", human_size(limit)),
    )
}

/// Read at most `max_bytes` from `reader`; more is a [`ErrorKind::TooLarge`] error.
fn read_bounded(reader: impl Read, name: &str, max_bytes: u64) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::from_io(name, &e))?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(name, None, max_bytes));
    }
    Ok(bytes)
}

/// Read one file and parse it (see [`parse_bytes`]); the path, as displayed, names
/// the input.
///
/// The size is checked before reading: a file whose metadata says it is larger than
/// [`ReadOptions::max_bytes`] is refused ([`ErrorKind::TooLarge`], naming the size and
/// the limit) without being read. Reading is bounded too, for files that grow or report
/// no size (FIFOs). A folder is an [`ErrorKind::Io`] error; use [`discover`] first.
pub fn read_file(path: &Path, opts: &ReadOptions) -> Vec<Result<RawDocument, InputError>> {
    let name = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return vec![Err(InputError::from_io(&name, &e))],
    };
    if meta.is_dir() {
        return vec![Err(InputError::new(&name, ErrorKind::Io, "is a directory"))];
    }
    // Web archives are streamed whatever their size; the limit applies to
    // each record.
    let mut head = [0u8; 512];
    let head_len = File::open(path)
        .and_then(|mut f| {
            let mut n = 0;
            while n < head.len() {
                match f.read(&mut head[n..])? {
                    0 => break,
                    k => n += k,
                }
            }
            Ok(n)
        })
        .unwrap_or(0);
    if is_warc_start(&head[..head_len]) {
        return match File::open(path) {
            Ok(f) => WarcReader::new(f, &name)
                .with_max_record(opts.max_bytes)
                .collect(),
            Err(e) => vec![Err(InputError::from_io(&name, &e))],
        };
    }
    if meta.len() > opts.max_bytes {
        return vec![Err(too_large(&name, Some(meta.len()), opts.max_bytes))];
    }
    let bytes = match File::open(path)
        .map_err(|e| InputError::from_io(&name, &e))
        .and_then(|f| read_bounded(f, &name, opts.max_bytes))
    {
        Ok(b) => b,
        Err(e) => return vec![Err(e)],
    };
    parse_bytes(&bytes, &name, opts)
}

/// Read all of standard input (at most [`ReadOptions::max_bytes`]) and parse it;
/// the input is named `-`.
pub fn read_stdin(opts: &ReadOptions) -> Vec<Result<RawDocument, InputError>> {
    read_from(io::stdin().lock(), "-", opts)
}

/// Read all of `reader` (at most [`ReadOptions::max_bytes`]) and parse it as `name`.
pub fn read_from(
    reader: impl Read,
    name: &str,
    opts: &ReadOptions,
) -> Vec<Result<RawDocument, InputError>> {
    match read_bounded(reader, name, opts.max_bytes) {
        Ok(bytes) => parse_bytes(&bytes, name, opts),
        Err(e) => vec![Err(e)],
    }
}

/// Decode `bytes`, detect their format by content and parse them.
///
/// `name` names the input in errors and becomes [`RawDocument::path`]: plain text and
/// HTML give one document (`text` or `html` set), JSON Lines one per non-empty line
/// (path `name:LINE`; a bad line is an [`ErrorKind::Malformed`] error and the other
/// lines still come through). Inputs over [`ReadOptions::max_bytes`] are refused.
pub fn parse_bytes(
    bytes: &[u8],
    name: &str,
    opts: &ReadOptions,
) -> Vec<Result<RawDocument, InputError>> {
    if bytes.len() as u64 > opts.max_bytes {
        return vec![Err(too_large(
            name,
            Some(bytes.len() as u64),
            opts.max_bytes,
        ))];
    }
    if is_warc_start(bytes) {
        return WarcReader::new(io::Cursor::new(bytes.to_vec()), name)
            .with_max_record(opts.max_bytes)
            .collect();
    }
    let (text, encoding) = match decode(bytes, name) {
        Ok(t) => t,
        Err(e) => return vec![Err(e)],
    };
    match detect_format(&text, name) {
        Format::Jsonl => jsonl::parse_jsonl(&text, name),
        Format::Feed => feed::parse_feed(&text, name),
        // Recognised from bytes above; text that merely starts like one.
        Format::Warc => WarcReader::new(io::Cursor::new(text.into_bytes()), name)
            .with_max_record(opts.max_bytes)
            .collect(),
        Format::Html => vec![Ok(RawDocument {
            // Not UTF-8: read in the charset the page declares.
            html: Some(if encoding == Encoding::Windows1252 {
                decode_web_page(bytes, None)
            } else {
                text
            }),
            path: Some(name.to_string()),
            ..RawDocument::default()
        })],
        Format::Text => vec![Ok(RawDocument {
            text: Some(text),
            path: Some(name.to_string()),
            ..RawDocument::default()
        })],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let o = ReadOptions::default();
        assert_eq!(o.max_bytes, 50 * 1024 * 1024);
        assert!(!o.follow_hidden);
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(10), "10 bytes");
        assert_eq!(human_size(62_914_560), "62914560 bytes (60.0 MiB)");
        assert_eq!(human_size(2048), "2048 bytes (2.0 KiB)");
    }

    #[test]
    fn read_from_is_bounded() {
        let opts = ReadOptions {
            max_bytes: 10,
            ..ReadOptions::default()
        };
        let docs = read_from(&b"0123456789"[..], "-", &opts);
        assert_eq!(
            docs[0].as_ref().unwrap().text.as_deref(),
            Some("0123456789")
        );
        let docs = read_from(&b"0123456789A"[..], "-", &opts);
        let e = docs[0].as_ref().unwrap_err();
        assert_eq!(e.kind, ErrorKind::TooLarge);
        assert_eq!(e.input, "-");
        assert!(e.message.contains("limit of 10 bytes"), "{}", e.message);
    }

    #[test]
    fn parse_bytes_formats() {
        let o = ReadOptions::default();
        let d = parse_bytes(b"Hallo Welt", "a.txt", &o);
        assert_eq!(
            d,
            vec![Ok(RawDocument {
                text: Some("Hallo Welt".into()),
                path: Some("a.txt".into()),
                ..RawDocument::default()
            })]
        );
        let d = parse_bytes(b"<!doctype html><p>Hi", "-", &o);
        let doc = d[0].as_ref().unwrap();
        assert_eq!(doc.html.as_deref(), Some("<!doctype html><p>Hi"));
        assert_eq!(doc.text, None);
        assert_eq!(doc.path.as_deref(), Some("-"));
        let d = parse_bytes(b"{\"text\":\"a\"}\n{\"text\":\"b\"}\n", "x", &o);
        assert_eq!(d.len(), 2);
        assert_eq!(d[1].as_ref().unwrap().path.as_deref(), Some("x:2"));
    }

    #[test]
    fn parse_bytes_decodes_cp1252_jsonl() {
        let o = ReadOptions::default();
        let d = parse_bytes(b"{\"text\": \"\x84Gr\xFC\xDFe\x93\"}", "x.jsonl", &o);
        assert_eq!(d[0].as_ref().unwrap().text.as_deref(), Some("„Grüße“"));
    }

    #[test]
    fn parse_bytes_errors_name_input() {
        let o = ReadOptions::default();
        let d = parse_bytes(b"", "leer.txt", &o);
        assert_eq!(d.len(), 1);
        let e = d[0].as_ref().unwrap_err();
        assert_eq!((e.input.as_str(), e.kind), ("leer.txt", ErrorKind::Empty));
    }
}

#[cfg(test)]
mod random_tests {
    use super::*;

    /// Deterministic randomised inputs through every reader (the stable
    /// counterpart of the cargo-fuzz targets in `fuzz/`).
    #[test]
    fn random_bytes_never_panic() {
        const PIECES: &[&[u8]] = &[
            b"WARC/1.0\r\n",
            b"WARC-Type: response\r\n",
            b"Content-Length: 12\r\n",
            b"Content-Length: 99999999\r\n",
            b"Content-Type: application/http\r\n",
            b"\r\n",
            b"HTTP/1.1 200 OK\r\n",
            b"Content-Type: text/html; charset=utf-16\r\n",
            b"Transfer-Encoding: chunked\r\n",
            b"ffffffff\r\n",
            b"<p>x</p>",
            b"<rss>",
            b"<item>",
            b"</item>",
            b"<title>",
            b"<![CDATA[",
            b"]]>",
            b"<feed>",
            b"<entry>",
            b"<link href='",
            b"\x1f\x8b\x08\x00",
            b"\xff\xfe",
            b"\xc3",
            b"{\"text\":",
            b"\n",
            b"&#x",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let opts = ReadOptions::default();
        for _ in 0..3000 {
            let n = (next() % 40) as usize;
            let mut input = Vec::new();
            for _ in 0..n {
                input.extend_from_slice(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            let _ = parse_bytes(&input, "r", &opts);
            let mut warc = b"WARC/1.0\r\n".to_vec();
            warc.extend_from_slice(&input);
            let docs: Vec<_> = WarcReader::new(io::Cursor::new(warc), "r.warc").collect();
            for d in docs.iter().filter_map(|d| d.as_ref().err()) {
                assert!(d.input.starts_with("r.warc"), "{d}");
            }
        }
    }

    #[test]
    fn feeds_and_warcs_are_detected_by_content() {
        let o = ReadOptions::default();
        let rss = b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>\
            <item><title>A</title><link>https://t.example/a</link><description>Eins.</description></item>\
            <item><title>B</title><description>&lt;p&gt;Zwei.&lt;/p&gt;</description></item></channel></rss>";
        assert_eq!(
            detect_format(std::str::from_utf8(rss).unwrap(), "x.txt"),
            Format::Feed
        );
        let docs = parse_bytes(rss, "feed", &o);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].as_ref().unwrap().text.as_deref(), Some("Eins."));
        assert_eq!(
            docs[1].as_ref().unwrap().html.as_deref(),
            Some("<p>Zwei.</p>")
        );

        let body = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>Archiviert.</p>";
        let warc = format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://w.example/\r\n\
             Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{body}\r\n\r\n",
            body.len()
        );
        let docs = parse_bytes(warc.as_bytes(), "a.warc", &o);
        assert_eq!(docs.len(), 1);
        let d = docs[0].as_ref().unwrap();
        assert_eq!(d.url.as_deref(), Some("https://w.example/"));
        assert_eq!(d.html.as_deref(), Some("<p>Archiviert.</p>"));
    }

    #[test]
    fn warc_files_are_streamed_past_the_size_limit() {
        let dir = std::env::temp_dir().join(format!("lagebild-warc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("big.warc.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let mut n = 0;
        for i in 0..50 {
            let body = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>Seite {i} {}</p>",
                "x".repeat(2000)
            );
            let rec = format!(
                "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://w.example/{i}\r\n\
                 Content-Type: application/http\r\nContent-Length: {}\r\n\r\n{body}\r\n\r\n",
                body.len()
            );
            std::io::Write::write_all(&mut enc, rec.as_bytes()).unwrap();
            n += 1;
        }
        std::fs::write(&path, enc.finish().unwrap()).unwrap();
        // A limit far below the file size: records are read one at a time.
        let opts = ReadOptions {
            max_bytes: 4096,
            ..ReadOptions::default()
        };
        let docs = read_file(&path, &opts);
        assert_eq!(docs.iter().filter(|d| d.is_ok()).count(), n);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
