//! HTML character references: named (the HTML 4 set plus common HTML 5
//! names), decimal and hexadecimal.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Names of U+00A0 ..= U+00FF in code-point order.
const LATIN1: [&str; 96] = [
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf",
    "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro",
    "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute",
    "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute",
    "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute",
    "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
    "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde",
    "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc",
    "uuml", "yacute", "thorn", "yuml",
];

/// Names that browsers also accept without the trailing `;`.
const LEGACY_EXTRA: [(&str, char); 10] = [
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("AMP", '&'),
    ("LT", '<'),
    ("GT", '>'),
    ("QUOT", '"'),
    ("COPY", '©'),
    ("REG", '®'),
];

const OTHER: &[(&str, char)] = &[
    ("apos", '\''),
    // Latin Extended, spacing modifiers
    ("OElig", '\u{152}'),
    ("oelig", '\u{153}'),
    ("Scaron", '\u{160}'),
    ("scaron", '\u{161}'),
    ("Yuml", '\u{178}'),
    ("Zcaron", '\u{17D}'),
    ("zcaron", '\u{17E}'),
    ("fnof", '\u{192}'),
    ("circ", '\u{2C6}'),
    ("tilde", '\u{2DC}'),
    // spaces, joiners, marks
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("emsp13", '\u{2004}'),
    ("emsp14", '\u{2005}'),
    ("numsp", '\u{2007}'),
    ("puncsp", '\u{2008}'),
    ("thinsp", '\u{2009}'),
    ("ThinSpace", '\u{2009}'),
    ("hairsp", '\u{200A}'),
    ("MediumSpace", '\u{205F}'),
    ("NonBreakingSpace", '\u{A0}'),
    ("ZeroWidthSpace", '\u{200B}'),
    ("zwnj", '\u{200C}'),
    ("zwj", '\u{200D}'),
    ("lrm", '\u{200E}'),
    ("rlm", '\u{200F}'),
    ("NewLine", '\n'),
    ("Tab", '\t'),
    // dashes, quotes, punctuation
    ("hyphen", '\u{2010}'),
    ("dash", '\u{2010}'),
    ("ndash", '\u{2013}'),
    ("mdash", '\u{2014}'),
    ("horbar", '\u{2015}'),
    ("lsquo", '\u{2018}'),
    ("OpenCurlyQuote", '\u{2018}'),
    ("rsquo", '\u{2019}'),
    ("rsquor", '\u{2019}'),
    ("CloseCurlyQuote", '\u{2019}'),
    ("sbquo", '\u{201A}'),
    ("lsquor", '\u{201A}'),
    ("ldquo", '\u{201C}'),
    ("OpenCurlyDoubleQuote", '\u{201C}'),
    ("rdquo", '\u{201D}'),
    ("rdquor", '\u{201D}'),
    ("CloseCurlyDoubleQuote", '\u{201D}'),
    ("bdquo", '\u{201E}'),
    ("ldquor", '\u{201E}'),
    ("dagger", '\u{2020}'),
    ("Dagger", '\u{2021}'),
    ("ddagger", '\u{2021}'),
    ("bull", '\u{2022}'),
    ("bullet", '\u{2022}'),
    ("hellip", '\u{2026}'),
    ("mldr", '\u{2026}'),
    ("permil", '\u{2030}'),
    ("prime", '\u{2032}'),
    ("Prime", '\u{2033}'),
    ("lsaquo", '\u{2039}'),
    ("rsaquo", '\u{203A}'),
    ("oline", '\u{203E}'),
    ("frasl", '\u{2044}'),
    ("euro", '\u{20AC}'),
    ("half", '\u{BD}'),
    ("centerdot", '\u{B7}'),
    ("div", '\u{F7}'),
    // ASCII punctuation names
    ("excl", '!'),
    ("num", '#'),
    ("dollar", '$'),
    ("percnt", '%'),
    ("lpar", '('),
    ("rpar", ')'),
    ("ast", '*'),
    ("plus", '+'),
    ("comma", ','),
    ("period", '.'),
    ("sol", '/'),
    ("colon", ':'),
    ("semi", ';'),
    ("equals", '='),
    ("quest", '?'),
    ("commat", '@'),
    ("lsqb", '['),
    ("lbrack", '['),
    ("bsol", '\\'),
    ("rsqb", ']'),
    ("rbrack", ']'),
    ("Hat", '^'),
    ("lowbar", '_'),
    ("grave", '`'),
    ("lcub", '{'),
    ("lbrace", '{'),
    ("verbar", '|'),
    ("vert", '|'),
    ("rcub", '}'),
    ("rbrace", '}'),
    // letter-like symbols, arrows
    ("weierp", '\u{2118}'),
    ("image", '\u{2111}'),
    ("real", '\u{211C}'),
    ("trade", '\u{2122}'),
    ("TRADE", '\u{2122}'),
    ("alefsym", '\u{2135}'),
    ("larr", '\u{2190}'),
    ("uarr", '\u{2191}'),
    ("rarr", '\u{2192}'),
    ("darr", '\u{2193}'),
    ("harr", '\u{2194}'),
    ("crarr", '\u{21B5}'),
    ("lArr", '\u{21D0}'),
    ("uArr", '\u{21D1}'),
    ("rArr", '\u{21D2}'),
    ("dArr", '\u{21D3}'),
    ("hArr", '\u{21D4}'),
    // mathematical operators
    ("forall", '\u{2200}'),
    ("part", '\u{2202}'),
    ("exist", '\u{2203}'),
    ("empty", '\u{2205}'),
    ("nabla", '\u{2207}'),
    ("isin", '\u{2208}'),
    ("notin", '\u{2209}'),
    ("ni", '\u{220B}'),
    ("prod", '\u{220F}'),
    ("sum", '\u{2211}'),
    ("minus", '\u{2212}'),
    ("lowast", '\u{2217}'),
    ("radic", '\u{221A}'),
    ("prop", '\u{221D}'),
    ("infin", '\u{221E}'),
    ("ang", '\u{2220}'),
    ("and", '\u{2227}'),
    ("or", '\u{2228}'),
    ("cap", '\u{2229}'),
    ("cup", '\u{222A}'),
    ("int", '\u{222B}'),
    ("there4", '\u{2234}'),
    ("sim", '\u{223C}'),
    ("cong", '\u{2245}'),
    ("asymp", '\u{2248}'),
    ("ne", '\u{2260}'),
    ("equiv", '\u{2261}'),
    ("le", '\u{2264}'),
    ("ge", '\u{2265}'),
    ("sub", '\u{2282}'),
    ("sup", '\u{2283}'),
    ("nsub", '\u{2284}'),
    ("sube", '\u{2286}'),
    ("supe", '\u{2287}'),
    ("oplus", '\u{2295}'),
    ("otimes", '\u{2297}'),
    ("perp", '\u{22A5}'),
    ("sdot", '\u{22C5}'),
    ("lceil", '\u{2308}'),
    ("rceil", '\u{2309}'),
    ("lfloor", '\u{230A}'),
    ("rfloor", '\u{230B}'),
    ("lang", '\u{27E8}'),
    ("rang", '\u{27E9}'),
    // shapes
    ("loz", '\u{25CA}'),
    ("spades", '\u{2660}'),
    ("clubs", '\u{2663}'),
    ("hearts", '\u{2665}'),
    ("diams", '\u{2666}'),
    ("starf", '\u{2605}'),
    ("bigstar", '\u{2605}'),
    ("star", '\u{2606}'),
    ("check", '\u{2713}'),
    ("cross", '\u{2717}'),
    // Greek
    ("Alpha", '\u{391}'),
    ("Beta", '\u{392}'),
    ("Gamma", '\u{393}'),
    ("Delta", '\u{394}'),
    ("Epsilon", '\u{395}'),
    ("Zeta", '\u{396}'),
    ("Eta", '\u{397}'),
    ("Theta", '\u{398}'),
    ("Iota", '\u{399}'),
    ("Kappa", '\u{39A}'),
    ("Lambda", '\u{39B}'),
    ("Mu", '\u{39C}'),
    ("Nu", '\u{39D}'),
    ("Xi", '\u{39E}'),
    ("Omicron", '\u{39F}'),
    ("Pi", '\u{3A0}'),
    ("Rho", '\u{3A1}'),
    ("Sigma", '\u{3A3}'),
    ("Tau", '\u{3A4}'),
    ("Upsilon", '\u{3A5}'),
    ("Phi", '\u{3A6}'),
    ("Chi", '\u{3A7}'),
    ("Psi", '\u{3A8}'),
    ("Omega", '\u{3A9}'),
    ("alpha", '\u{3B1}'),
    ("beta", '\u{3B2}'),
    ("gamma", '\u{3B3}'),
    ("delta", '\u{3B4}'),
    ("epsilon", '\u{3B5}'),
    ("zeta", '\u{3B6}'),
    ("eta", '\u{3B7}'),
    ("theta", '\u{3B8}'),
    ("iota", '\u{3B9}'),
    ("kappa", '\u{3BA}'),
    ("lambda", '\u{3BB}'),
    ("mu", '\u{3BC}'),
    ("nu", '\u{3BD}'),
    ("xi", '\u{3BE}'),
    ("omicron", '\u{3BF}'),
    ("pi", '\u{3C0}'),
    ("rho", '\u{3C1}'),
    ("sigmaf", '\u{3C2}'),
    ("sigma", '\u{3C3}'),
    ("tau", '\u{3C4}'),
    ("upsilon", '\u{3C5}'),
    ("phi", '\u{3C6}'),
    ("chi", '\u{3C7}'),
    ("psi", '\u{3C8}'),
    ("omega", '\u{3C9}'),
    ("thetasym", '\u{3D1}'),
    ("upsih", '\u{3D2}'),
    ("piv", '\u{3D6}'),
];

/// `name -> (char, accepted without ';')`.
fn table() -> &'static HashMap<&'static str, (char, bool)> {
    static TABLE: OnceLock<HashMap<&'static str, (char, bool)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut m = HashMap::with_capacity(LATIN1.len() + LEGACY_EXTRA.len() + OTHER.len());
        for (i, name) in LATIN1.iter().enumerate() {
            let c = char::from_u32(0xA0 + i as u32).unwrap_or('\u{FFFD}');
            m.insert(*name, (c, true));
        }
        for (name, c) in LEGACY_EXTRA {
            m.insert(name, (c, true));
        }
        for (name, c) in OTHER {
            m.entry(*name).or_insert((*c, false));
        }
        m
    })
}

/// Windows-1252 meanings of the C1 range, as browsers apply them to `&#128;` … `&#159;`.
fn c1_remap(n: u32) -> u32 {
    const MAP: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021, 0x2C6, 0x2030, 0x160, 0x2039,
        0x152, 0x8D, 0x17D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x2DC, 0x2122, 0x161, 0x203A, 0x153, 0x9D, 0x17E, 0x178,
    ];
    if (0x80..=0x9F).contains(&n) {
        MAP[(n - 0x80) as usize]
    } else {
        n
    }
}

/// Try to decode the reference starting at the `&` at `amp`.
/// Returns the character and the offset just after the reference.
fn decode_ref(s: &str, amp: usize) -> Option<(char, usize)> {
    let b = s.as_bytes();
    let mut p = amp + 1;
    if b.get(p) == Some(&b'#') {
        p += 1;
        let hex = matches!(b.get(p), Some(b'x') | Some(b'X'));
        if hex {
            p += 1;
        }
        let start = p;
        let mut n: u32 = 0;
        while let Some(&c) = b.get(p) {
            let d = if hex {
                (c as char).to_digit(16)
            } else {
                (c as char).to_digit(10)
            };
            let Some(d) = d else { break };
            n = n
                .saturating_mul(if hex { 16 } else { 10 })
                .saturating_add(d)
                .min(0x11_0000);
            p += 1;
        }
        if p == start {
            return None;
        }
        if b.get(p) == Some(&b';') {
            p += 1;
        }
        let c = match c1_remap(n) {
            0 => '\u{FFFD}',
            n => char::from_u32(n).unwrap_or('\u{FFFD}'),
        };
        return Some((c, p));
    }
    let start = p;
    while p < b.len() && b[p].is_ascii_alphanumeric() && p - start < 32 {
        p += 1;
    }
    if p == start {
        return None;
    }
    let name = &s[start..p];
    let &(c, legacy) = table().get(name)?;
    match b.get(p) {
        Some(b';') => Some((c, p + 1)),
        Some(c2) if c2.is_ascii_alphanumeric() || *c2 == b'=' => None,
        _ if legacy => Some((c, p)),
        _ => None,
    }
}

/// Append `s` to `out` with character references decoded.
pub(crate) fn decode_into(s: &str, out: &mut String) {
    let mut last = 0;
    let mut i = 0;
    while let Some(r) = s[i..].find('&') {
        let amp = i + r;
        match decode_ref(s, amp) {
            Some((c, end)) => {
                out.push_str(&s[last..amp]);
                out.push(c);
                last = end;
                i = end;
            }
            None => i = amp + 1,
        }
    }
    out.push_str(&s[last..]);
}

pub(crate) fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    decode_into(s, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_table_is_in_code_point_order() {
        let t = table();
        assert_eq!(t["nbsp"].0, '\u{A0}');
        assert_eq!(t["shy"].0, '\u{AD}');
        assert_eq!(t["Auml"].0, 'Ä');
        assert_eq!(t["times"].0, '×');
        assert_eq!(t["szlig"].0, 'ß');
        assert_eq!(t["eacute"].0, 'é');
        assert_eq!(t["divide"].0, '÷');
        assert_eq!(t["yuml"].0, 'ÿ');
        assert!(t.len() > 300);
    }

    #[test]
    fn named_numeric_and_invalid() {
        assert_eq!(decode("Fish &amp; Chips"), "Fish & Chips");
        assert_eq!(decode("&Auml;rger &uuml;ber &szlig;"), "Ärger über ß");
        assert_eq!(decode("&#39;&#x27;&#X27;"), "'''");
        assert_eq!(decode("&#8222;Hallo&#8220;"), "„Hallo“");
        assert_eq!(decode("a&#150;b &#128;"), "a–b €");
        assert_eq!(
            decode("&#0;&#xD800;&#99999999999;"),
            "\u{FFFD}\u{FFFD}\u{FFFD}"
        );
        assert_eq!(decode("&unknown; & &; &#; &#x;"), "&unknown; & &; &#; &#x;");
        assert_eq!(decode("&amp &copy 2024 &euro"), "& © 2024 &euro");
        assert_eq!(decode("?a=1&copy=2&ampx"), "?a=1&copy=2&ampx");
        assert_eq!(decode("&#65&#66;"), "AB");
    }
}
