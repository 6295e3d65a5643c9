#![no_main]
//! Any bytes as a WARC stream (plain; gzip when they start with its magic):
//! the reader ends, never panics, and names the input in every error.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = b"WARC/1.0\r\n".to_vec();
    bytes.extend_from_slice(data);
    for input in [bytes, data.to_vec()] {
        for r in lagebild_formats::WarcReader::new(std::io::Cursor::new(input), "f.warc") {
            if let Err(e) = r {
                assert!(e.input.starts_with("f.warc"));
            }
        }
    }
});
