//! Small text and date helpers shared by the fingerprints and the clusterer:
//! word splitting, a function-word list, stable 64-bit hashing and day numbers.

/// German and English function words, ignored by the shingles and the terms.
/// Rewording that swaps one of these for another (a different article, a
/// different conjunction) therefore leaves the fingerprint unchanged.
const STOPWORDS: &[&str] = &[
    // German
    "aber", "alle", "allen", "aller", "alles", "als", "also", "am", "an", "auch", "auf", "aus",
    "bei", "beim", "bereits", "bis", "bisher", "da", "dabei", "damit", "dann", "das", "dass",
    "dem", "den", "denen", "denn", "der", "deren", "des", "dessen", "die", "dies", "diese",
    "diesem", "diesen", "dieser", "dieses", "doch", "dort", "du", "durch", "ein", "eine", "einem",
    "einen", "einer", "eines", "er", "es", "etwa", "etwas", "für", "gegen", "hat", "hatte",
    "hatten", "haben", "hier", "ich", "ihm", "ihn", "ihr", "ihre", "ihrem", "ihren", "ihrer", "im",
    "in", "ins", "ist", "ja", "jedoch", "jetzt", "kann", "kein", "keine", "können", "man", "mehr",
    "mit", "nach", "nicht", "noch", "nun", "nur", "ob", "oder", "ohne", "schon", "sehr", "sei",
    "sein", "seine", "seinem", "seinen", "seiner", "seit", "sich", "sie", "sind", "so", "soll",
    "sollen", "sowie", "über", "um", "und", "uns", "unter", "vom", "von", "vor", "war", "waren",
    "was", "wegen", "weil", "wenn", "wer", "werde", "werden", "wie", "wieder", "wir", "wird", "wo",
    "worden", "wurde", "wurden", "zu", "zum", "zur", "zwar", "zwischen", // English
    "a", "about", "after", "all", "also", "an", "and", "are", "as", "at", "be", "been", "before",
    "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he",
    "her", "his", "how", "i", "if", "into", "is", "it", "its", "may", "more", "most", "not", "of",
    "on", "one", "or", "other", "our", "out", "over", "said", "says", "she", "should", "so",
    "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they",
    "this", "those", "through", "to", "under", "up", "very", "was", "we", "were", "what", "when",
    "where", "which", "while", "who", "will", "with", "would", "you",
];

/// Whether a lower-cased word is a function word.
pub fn is_stopword(w: &str) -> bool {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| STOPWORDS.iter().copied().collect())
        .contains(w)
}

/// The words of a text, lower-cased: maximal runs of letters and digits
/// (digit groups joined by `.`/`,` stay one word: `8.000`, `3,5`).
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        // Skip to the start of a word.
        let start = loop {
            let (i, c) = chars.next()?;
            if c.is_alphanumeric() {
                break (i, c);
            }
        };
        let mut w = String::new();
        w.extend(start.1.to_lowercase());
        let mut prev_digit = start.1.is_ascii_digit();
        while let Some(&(_, c)) = chars.peek() {
            if c.is_alphanumeric() {
                w.extend(c.to_lowercase());
                prev_digit = c.is_ascii_digit();
                chars.next();
            } else if (c == '.' || c == ',') && prev_digit {
                // A separator inside a number only when a digit follows.
                let mut look = chars.clone();
                look.next();
                match look.peek() {
                    Some(&(_, d)) if d.is_ascii_digit() => {
                        w.push(c);
                        chars.next();
                    }
                    _ => break,
                }
            } else {
                break;
            }
        }
        Some(w)
    })
}

/// The digits of a number word (`8.000` → `8000`), when it is one with at
/// least two digits; separators are dropped so that `3,5` and `3.5` agree.
pub fn number_key(w: &str) -> Option<String> {
    if !w.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if !w
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    let digits: String = w.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 2).then_some(digits)
}

/// A content term: a lower-cased word that is not a function word, at least
/// four characters, cut to its first seven characters (a crude stem that folds
/// most German and English inflection: `russischen`/`russische`).
pub fn term(w: &str) -> Option<String> {
    if w.chars().count() < 4 || is_stopword(w) || w.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(w.chars().take(7).collect())
}

/// The splitmix64 finaliser: a bijective 64-bit mixer.
pub fn mix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A stable 64-bit hash of bytes (FNV-1a, then mixed); the same on every
/// platform and run, unlike `std`'s randomly keyed hasher.
pub fn hash_bytes(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &x in b {
        h ^= u64::from(x);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix64(h)
}

/// A stable hash of a string.
pub fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (a TIMEX3 value may go on
/// after the day, as in `2024-11-01T10:00`); `None` for anything else.
pub fn day_number(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' || (b.len() > 10 && b[10] != b'T') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i32> {
        let t = s.get(r)?;
        if !t.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

fn days_in_month(y: i32, m: i32) -> i32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar.
fn days_from_civil(y: i32, m: i32, d: i32) -> i32 {
    // Count from 0000-03-01 so that the leap day ends the year.
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The `YYYY-MM-DD` form of a day number.
pub fn date_string(day: i32) -> String {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i32::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords() {
        assert!(is_stopword("und") && is_stopword("the") && !is_stopword("minister"));
    }

    #[test]
    fn words_keep_numbers_whole() {
        let w: Vec<String> = words("Über 8.000 Soldaten, am 1. November: 3,5 Mio.").collect();
        assert_eq!(
            w,
            ["über", "8.000", "soldaten", "am", "1", "november", "3,5", "mio"]
        );
        assert_eq!(number_key("8.000").as_deref(), Some("8000"));
        assert_eq!(number_key("8,000").as_deref(), Some("8000"));
        assert_eq!(number_key("7"), None);
        assert_eq!(number_key("b52"), None);
    }

    #[test]
    fn terms_are_cut_content_words() {
        assert_eq!(term("russischen").as_deref(), Some("russisc"));
        assert_eq!(term("und"), None);
        assert_eq!(term("zwischen"), None);
        assert_eq!(term("2024"), None);
    }

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(
            day_number("2024-03-01").unwrap() - day_number("2024-02-28").unwrap(),
            2
        );
        assert_eq!(day_number("2024-11-01T10:00"), day_number("2024-11-01"));
        for s in [
            "2024-02-30",
            "2024-11",
            "PRESENT_REF",
            "2024-1x-01",
            "XXXX-11-01",
            "",
        ] {
            assert_eq!(day_number(s), None, "{s}");
        }
        for d in [-1000, 0, 19_000, 20_000, 20_089] {
            assert_eq!(day_number(&date_string(d)), Some(d));
        }
    }

    #[test]
    fn hashing_is_stable() {
        assert_eq!(hash_str("gpe:RUS"), hash_str("gpe:RUS"));
        assert_ne!(hash_str("gpe:RUS"), hash_str("gpe:PRK"));
    }
}
