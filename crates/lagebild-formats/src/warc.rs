//! Web archives: WARC 1.0/1.1 files, plain or gzip-compressed (one gzip
//! member per record or the whole file in one; `.warc.gz`), read as a
//! stream of records. `response` records whose HTTP payload is HTML (or
//! XHTML) become [`RawDocument`]s with their target URI; everything else
//! (requests, metadata, images, redirects) is passed over.
//!
//! A record that does not parse is reported as an [`InputError`] naming
//! the file and the record's byte offset (in the uncompressed stream), and
//! reading goes on at the next `WARC/` header line. A stream cut short (a
//! truncated gzip, a record shorter than its `Content-Length`) ends with an
//! error after the records read so far.

use std::io::{self, BufRead, BufReader, Read};

use flate2::bufread::MultiGzDecoder;
use lagebild_model::RawDocument;

use crate::error::{ErrorKind, InputError};

/// The largest record payload turned into a document (larger ones are
/// reported and skipped; they are still read through, not held).
pub const MAX_RECORD_BYTES: u64 = 50 * 1024 * 1024;

/// Whether these leading bytes start a WARC file (plain or gzip).
pub fn is_warc_start(head: &[u8]) -> bool {
    if head.starts_with(b"WARC/") {
        return true;
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        let mut d = MultiGzDecoder::new(head);
        let mut buf = [0u8; 5];
        let mut got = 0;
        while got < 5 {
            match d.read(&mut buf[got..]) {
                Ok(0) | Err(_) => break,
                Ok(n) => got += n,
            }
        }
        return &buf[..got] == b"WARC/";
    }
    false
}

/// Counts bytes read through it.
struct Counting<R> {
    inner: R,
    pos: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// An iterator over the documents of a WARC stream.
pub struct WarcReader {
    src: BufReader<Counting<Box<dyn Read + Send>>>,
    name: String,
    done: bool,
    max_record: u64,
    line: Vec<u8>,
    /// `line` holds a `WARC/` header line found while resynchronising.
    pending_version: bool,
}

impl WarcReader {
    /// Read a WARC stream; gzip is recognised by its magic bytes. `name`
    /// names the input in errors (`name@OFFSET`) and documents
    /// (`path = name#URI`).
    pub fn new(reader: impl Read + Send + 'static, name: &str) -> WarcReader {
        let mut peek = BufReader::new(reader);
        let gz = peek
            .fill_buf()
            .map(|b| b.starts_with(&[0x1f, 0x8b]))
            .unwrap_or(false);
        let inner: Box<dyn Read + Send> = if gz {
            Box::new(MultiGzDecoder::new(peek))
        } else {
            Box::new(peek)
        };
        WarcReader {
            src: BufReader::with_capacity(64 * 1024, Counting { inner, pos: 0 }),
            name: name.to_string(),
            done: false,
            max_record: MAX_RECORD_BYTES,
            line: Vec::new(),
            pending_version: false,
        }
    }

    /// Documents larger than `bytes` are reported and skipped.
    pub fn with_max_record(mut self, bytes: u64) -> WarcReader {
        self.max_record = bytes;
        self
    }

    fn offset(&self) -> u64 {
        self.src.get_ref().pos - self.src.buffer().len() as u64
    }

    fn err(&self, at: u64, kind: ErrorKind, msg: impl Into<String>) -> InputError {
        InputError::new(format!("{}@{at}", self.name), kind, msg)
    }

    /// Read one line (at most 64 KiB); `Ok(false)` at the end of the stream.
    fn read_line(&mut self) -> io::Result<bool> {
        self.line.clear();
        let n = (&mut self.src)
            .take(64 * 1024)
            .read_until(b'\n', &mut self.line)?;
        Ok(n > 0)
    }

    /// Skip to the next line starting with `WARC/`; it is left in `self.line`.
    fn resync(&mut self) -> io::Result<bool> {
        loop {
            if !self.read_line()? {
                return Ok(false);
            }
            if self.line.starts_with(b"WARC/") {
                return Ok(true);
            }
        }
    }

    /// The next record: `Ok(None)` at the end, `Ok(Some(None))` for a record
    /// that is no document.
    fn record(&mut self) -> Result<Option<Option<RawDocument>>, InputError> {
        // Find the version line, skipping blank lines between records.
        let start;
        loop {
            let at = self.offset();
            let more = self
                .read_line()
                .map_err(|e| self.err(at, ErrorKind::Malformed, format!("stream broken: {e}")))?;
            if !more {
                return Ok(None);
            }
            if self.line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            start = at;
            break;
        }
        if !self.line.starts_with(b"WARC/") {
            let found = self.resync().map_err(|e| {
                self.err(start, ErrorKind::Malformed, format!("stream broken: {e}"))
            })?;
            let e = self.err(start, ErrorKind::Malformed, "not a WARC record header");
            if found {
                self.pending_version = true;
            }
            return Err(e);
        }
        self.parse_record(start).map(Some)
    }

    fn parse_record(&mut self, start: u64) -> Result<Option<RawDocument>, InputError> {
        let mut length: Option<u64> = None;
        let mut rtype = String::new();
        let mut uri = None;
        let mut date = None;
        let mut ctype = String::new();
        loop {
            let at = self.offset();
            let more = self
                .read_line()
                .map_err(|e| self.err(at, ErrorKind::Malformed, format!("stream broken: {e}")))?;
            if !more {
                return Err(self.err(start, ErrorKind::Malformed, "truncated record header"));
            }
            let l = String::from_utf8_lossy(&self.line);
            let l = l.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                let v = v.trim();
                match k.trim().to_ascii_lowercase().as_str() {
                    "content-length" => length = v.parse().ok(),
                    "warc-type" => rtype = v.to_ascii_lowercase(),
                    "warc-target-uri" => {
                        uri = Some(v.trim_matches(['<', '>']).to_string());
                    }
                    "warc-date" => date = lagebild_html::normalize_date(v),
                    "content-type" => ctype = v.to_ascii_lowercase(),
                    _ => {}
                }
            }
        }
        let Some(length) = length else {
            let found = self.resync().map_err(|e| {
                self.err(start, ErrorKind::Malformed, format!("stream broken: {e}"))
            })?;
            if found {
                self.pending_version = true;
            }
            return Err(self.err(
                start,
                ErrorKind::Malformed,
                "record without a valid Content-Length",
            ));
        };
        let wanted = rtype == "response" && ctype.starts_with("application/http");
        if !wanted || length > self.max_record {
            let copied =
                io::copy(&mut (&mut self.src).take(length), &mut io::sink()).map_err(|e| {
                    self.err(start, ErrorKind::Malformed, format!("stream broken: {e}"))
                })?;
            if copied < length {
                return Err(self.err(start, ErrorKind::Malformed, "truncated record"));
            }
            if wanted {
                return Err(self.err(
                    start,
                    ErrorKind::TooLarge,
                    format!(
                        "record of {length} bytes, over the limit of {}",
                        self.max_record
                    ),
                ));
            }
            return Ok(None);
        }
        let mut block = Vec::with_capacity(length.min(1 << 20) as usize);
        (&mut self.src)
            .take(length)
            .read_to_end(&mut block)
            .map_err(|e| self.err(start, ErrorKind::Malformed, format!("stream broken: {e}")))?;
        if (block.len() as u64) < length {
            return Err(self.err(start, ErrorKind::Malformed, "truncated record"));
        }
        Ok(http_document(&block, uri, date, &self.name))
    }
}

/// An HTTP response with an HTML payload as a document.
fn http_document(
    block: &[u8],
    uri: Option<String>,
    warc_date: Option<String>,
    name: &str,
) -> Option<RawDocument> {
    let split = block
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| {
            block
                .windows(2)
                .position(|w| w == b"\n\n")
                .map(|i| (i, i + 2))
        })?;
    let head = String::from_utf8_lossy(&block[..split.0]);
    let mut lines = head.lines();
    let status = lines.next()?;
    let code: u16 = status.split_whitespace().nth(1)?.parse().ok()?;
    if !(200..300).contains(&code) {
        return None;
    }
    let mut ctype = String::new();
    let mut chunked = false;
    let mut gzip = false;
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            match k.trim().to_ascii_lowercase().as_str() {
                "content-type" => ctype = v.trim().to_string(),
                "transfer-encoding" => chunked = v.to_ascii_lowercase().contains("chunked"),
                "content-encoding" => gzip = v.to_ascii_lowercase().contains("gzip"),
                _ => {}
            }
        }
    }
    let lower = ctype.to_ascii_lowercase();
    if !(lower.is_empty() || lower.contains("html")) {
        return None;
    }
    let charset = lower
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("charset="))
        .next()
        .map(|c| c.trim_matches(['"', '\'']).to_string());
    let mut payload = block[split.1..].to_vec();
    if chunked {
        payload = dechunk(&payload);
    }
    if gzip {
        let mut out = Vec::new();
        if MultiGzDecoder::new(&payload[..])
            .read_to_end(&mut out)
            .is_ok()
        {
            payload = out;
        }
    }
    let html = crate::charset::decode_web_page(&payload, charset.as_deref());
    if html.trim().is_empty() {
        return None;
    }
    let published = lagebild_html::extract_with_url(&html, uri.as_deref())
        .published
        .or(warc_date);
    Some(RawDocument {
        path: Some(match &uri {
            Some(u) => format!("{name}#{u}"),
            None => name.to_string(),
        }),
        url: uri,
        published,
        html: Some(html),
        ..RawDocument::default()
    })
}

/// Undo HTTP chunked transfer coding (best effort).
fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size_str = String::from_utf8_lossy(&b[..eol]);
        let Ok(size) = usize::from_str_radix(size_str.split(';').next().unwrap_or("").trim(), 16)
        else {
            break;
        };
        b = &b[eol + 2..];
        if size == 0 {
            break;
        }
        let take = size.min(b.len());
        out.extend_from_slice(&b[..take]);
        b = &b[take..];
        b = b.strip_prefix(b"\r\n").unwrap_or(b);
    }
    out
}

impl Iterator for WarcReader {
    type Item = Result<RawDocument, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let r = if std::mem::take(&mut self.pending_version) {
                // A header line found by resync is in `self.line`.
                let at = self.offset() - self.line.len() as u64;
                self.parse_record(at).map(Some)
            } else {
                self.record()
            };
            match r {
                Ok(None) => self.done = true,
                Ok(Some(None)) => {}
                Ok(Some(Some(doc))) => return Some(Ok(doc)),
                Err(e) => {
                    if e.message.starts_with("stream broken") || e.message.starts_with("truncated")
                    {
                        self.done = true;
                    }
                    return Some(Err(e));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-11-02T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn page(body: &str, ctype: &str) -> Vec<u8> {
        format!("HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\n\r\n{body}").into_bytes()
    }

    fn gz(b: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(b).unwrap();
        e.finish().unwrap()
    }

    fn sample() -> Vec<Vec<u8>> {
        vec![
            record("warcinfo", "", b"software: test"),
            record(
                "response",
                "https://a.example/2024/11/01/x",
                &page(
                    "<html><body><p>Erster Artikel.</p></body></html>",
                    "text/html; charset=utf-8",
                ),
            ),
            record("request", "https://a.example/", b"GET / HTTP/1.1\r\n\r\n"),
            record(
                "response",
                "https://b.example/y",
                &page("<p>Stra\u{00df}e</p>", "text/html; charset=utf-8"),
            ),
            record(
                "response",
                "https://b.example/i.png",
                &page("PNG", "image/png"),
            ),
        ]
    }

    #[test]
    fn plain_and_gzip_per_record() {
        let plain: Vec<u8> = sample().concat();
        let gzipped: Vec<u8> = sample().iter().flat_map(|r| gz(r)).collect();
        for bytes in [plain, gzipped] {
            assert!(is_warc_start(&bytes));
            let docs: Vec<_> = WarcReader::new(io::Cursor::new(bytes), "a.warc").collect();
            assert_eq!(docs.len(), 2, "{docs:?}");
            let a = docs[0].as_ref().unwrap();
            assert_eq!(a.url.as_deref(), Some("https://a.example/2024/11/01/x"));
            assert_eq!(a.published.as_deref(), Some("2024-11-01"));
            assert_eq!(
                a.path.as_deref(),
                Some("a.warc#https://a.example/2024/11/01/x")
            );
            assert!(a.html.as_deref().unwrap().contains("Erster Artikel."));
            let b = docs[1].as_ref().unwrap();
            assert_eq!(b.published.as_deref(), Some("2024-11-02"));
        }
    }

    #[test]
    fn charset_from_http_header() {
        let mut body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\n\r\n<p>Gr\xfc\xdfe</p>".to_vec();
        let r = record("response", "https://c.example/", &body);
        body.clear();
        let docs: Vec<_> = WarcReader::new(io::Cursor::new(r), "c.warc").collect();
        assert!(docs[0]
            .as_ref()
            .unwrap()
            .html
            .as_deref()
            .unwrap()
            .contains("Grüße"));
    }

    #[test]
    fn corrupt_record_is_reported_and_rest_goes_through() {
        let s = sample();
        let mut bytes = s[1].clone();
        let bad_at = bytes.len();
        bytes.extend_from_slice(b"GARBAGE LINE\r\nmore garbage\r\n");
        // A header without Content-Length.
        bytes.extend_from_slice(b"WARC/1.0\r\nWARC-Type: response\r\n\r\n");
        bytes.extend_from_slice(&s[3]);
        let docs: Vec<_> = WarcReader::new(io::Cursor::new(bytes), "bad.warc").collect();
        let errs: Vec<_> = docs.iter().filter_map(|d| d.as_ref().err()).collect();
        let oks: Vec<_> = docs.iter().filter_map(|d| d.as_ref().ok()).collect();
        assert_eq!(oks.len(), 2, "{docs:?}");
        assert_eq!(errs.len(), 2, "{docs:?}");
        assert_eq!(errs[0].input, format!("bad.warc@{bad_at}"));
        assert!(errs[1].message.contains("Content-Length"));
    }

    #[test]
    fn truncated_gzip_gives_what_it_can_and_an_error() {
        let gzipped: Vec<u8> = sample().iter().flat_map(|r| gz(r)).collect();
        let cut = &gzipped[..gzipped.len() - 30];
        let docs: Vec<_> = WarcReader::new(io::Cursor::new(cut.to_vec()), "t.warc.gz").collect();
        assert!(docs.iter().filter(|d| d.is_ok()).count() >= 1, "{docs:?}");
        assert!(docs.last().unwrap().is_err(), "{docs:?}");
        // Truncated plain record.
        let plain: Vec<u8> = sample().concat();
        let cut = &plain[..plain.len() - 60];
        let docs: Vec<_> = WarcReader::new(io::Cursor::new(cut.to_vec()), "t.warc").collect();
        let e = docs.last().unwrap().as_ref().unwrap_err();
        assert!(e.message.contains("truncated"), "{e}");
    }

    #[test]
    fn chunked_payload() {
        let body = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n5\r\n<p>Ha\r\n7\r\nllo</p>\r\n0\r\n\r\n";
        let docs: Vec<_> =
            WarcReader::new(io::Cursor::new(record("response", "u", body)), "c").collect();
        assert_eq!(
            docs[0].as_ref().unwrap().html.as_deref(),
            Some("<p>Hallo</p>")
        );
    }

    #[test]
    fn garbage_never_panics() {
        for g in [
            &b"WARC/"[..],
            b"WARC/1.0\r\nContent-Length: 99999999999\r\n\r\nx",
            b"\x1f\x8b\x08",
            b"WARC/1.0\r\nContent-Length: -1\r\n\r\n",
        ] {
            let _: Vec<_> = WarcReader::new(io::Cursor::new(g.to_vec()), "g").collect();
        }
    }
}
