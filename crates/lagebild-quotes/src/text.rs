//! Fallback tokenizer and sentence splitter, used when a document arrives
//! without token or sentence layers (evaluation, tests).

use lagebild_model::{Sentence, Token, TokenKind};

/// Characters that can act as quotation marks.
pub(crate) fn is_quote_char(c: char) -> bool {
    matches!(
        c,
        '„' | '“' | '”' | '»' | '«' | '"' | '‚' | '‘' | '’' | '\'' | '‹' | '›'
    )
}

/// Split `text` into tokens: words (with inner hyphens, apostrophes and dots in
/// numbers), numbers, quotation marks, punctuation and symbols.
pub fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let end_of = |i: usize| {
        if i + 1 < n {
            chars[i + 1].0
        } else {
            text.len()
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let (s, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let mut j = i + 1;
            while j < n {
                let d = chars[j].1;
                if d.is_alphanumeric() {
                    j += 1;
                    continue;
                }
                // inner joiners: Kreml-Sprecher, don't, Clinton’s, 8.000, 3,5
                let next_alnum = j + 1 < n && chars[j + 1].1.is_alphanumeric();
                let joins = match d {
                    '-' | '\'' | '’' => next_alnum && chars[j - 1].1.is_alphabetic(),
                    '.' | ',' => {
                        next_alnum
                            && chars[j - 1].1.is_ascii_digit()
                            && chars[j + 1].1.is_ascii_digit()
                    }
                    _ => false,
                };
                if joins {
                    j += 1;
                } else {
                    break;
                }
            }
            let e = if j < n { chars[j].0 } else { text.len() };
            let kind = if text[s..e].chars().all(|c| !c.is_alphabetic()) {
                TokenKind::Number
            } else {
                TokenKind::Word
            };
            out.push(Token {
                start: s,
                end: e,
                kind,
            });
            i = j;
            continue;
        }
        let kind = if is_quote_char(c) {
            TokenKind::Quote
        } else if c.is_ascii_punctuation() || matches!(c, '–' | '—' | '…' | '·') {
            TokenKind::Punct
        } else {
            TokenKind::Symbol
        };
        out.push(Token {
            start: s,
            end: end_of(i),
            kind,
        });
        i += 1;
    }
    out
}

const ABBREV: &[&str] = &[
    "dr", "prof", "nr", "bzw", "ca", "usw", "vgl", "z", "b", "st", "mr", "mrs", "ms", "gen", "sen",
    "rep", "gov", "jan", "feb", "aug", "sept", "oct", "nov", "dec", "u", "s", "a", "d", "inc",
    "co", "jr", "vs", "etc", "bzw", "mio", "mrd", "abs", "ggf", "evtl", "v", "chr",
];

/// Split into sentences: after `.`, `!`, `?` (optionally followed by closing
/// quotation marks) when the next token starts upper-case or is an opening mark,
/// and always at line breaks.
pub fn split_sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut first = 0usize;
    let n = tokens.len();
    let mut i = 0;
    while i < n {
        let mut boundary_after: Option<usize> = None;
        // line break between token i and i+1
        if i + 1 < n && text[tokens[i].end..tokens[i + 1].start].contains('\n') {
            boundary_after = Some(i);
        } else {
            let t = &text[tokens[i].start..tokens[i].end];
            if matches!(t, "." | "!" | "?") && i + 1 < n {
                let mut j = i + 1;
                while j < n
                    && tokens[j].kind == TokenKind::Quote
                    && matches!(
                        &text[tokens[j].start..tokens[j].end],
                        "“" | "”" | "\"" | "«" | "’"
                    )
                    && (j + 1 >= n || tokens[j + 1].start > tokens[j].end)
                {
                    j += 1;
                }
                if j < n {
                    let nt = &text[tokens[j].start..tokens[j].end];
                    let spaced = tokens[j].start > tokens[j - 1].end;
                    let upper = nt.chars().next().is_some_and(|c| c.is_uppercase())
                        || tokens[j].kind == TokenKind::Quote;
                    let prev_word = if i > 0 {
                        text[tokens[i - 1].start..tokens[i - 1].end].to_lowercase()
                    } else {
                        String::new()
                    };
                    let abbrev = t == "."
                        && i > 0
                        && tokens[i - 1].end == tokens[i].start
                        && (ABBREV.contains(&prev_word.as_str())
                            || tokens[i - 1].kind == TokenKind::Number);
                    if spaced && upper && !abbrev {
                        boundary_after = Some(j - 1);
                    }
                }
            }
        }
        if let Some(b) = boundary_after {
            out.push(Sentence {
                start: tokens[first].start,
                end: tokens[b].end,
                first_token: first,
                end_token: b + 1,
            });
            first = b + 1;
            i = b + 1;
        } else {
            i += 1;
        }
    }
    if first < n {
        out.push(Sentence {
            start: tokens[first].start,
            end: tokens[n - 1].end,
            first_token: first,
            end_token: n,
        });
    }
    out
}
