//! A stable hash of raw input bytes.

const FNV128_OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
const FNV128_PRIME: u128 = 0x0000000001000000000000000000013b;

/// The 128-bit FNV-1a hash of `bytes` as 32 lowercase hex digits.
///
/// Stable across platforms and versions: use it to recognise an input seen before
/// (byte for byte). Not a cryptographic hash.
pub fn raw_hash(bytes: &[u8]) -> String {
    let mut h = FNV128_OFFSET;
    for &b in bytes {
        h ^= u128::from(b);
        h = h.wrapping_mul(FNV128_PRIME);
    }
    format!("{h:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        assert_eq!(raw_hash(b""), "6c62272e07bb014262b821756295c58d");
        assert_eq!(raw_hash(b"a"), "d228cb696f1a8caf78912b704e4a8964");
    }

    #[test]
    fn stable_and_distinct() {
        let a = raw_hash(b"Die Bundesregierung hat am Montag ...");
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(a, raw_hash(b"Die Bundesregierung hat am Montag ..."));
        assert_ne!(a, raw_hash(b"Die Bundesregierung hat am Montag ...."));
        assert_ne!(raw_hash(b"ab"), raw_hash(b"ba"));
    }
}
