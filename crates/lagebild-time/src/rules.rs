//! Loading of the lexicon and rule files (`time/<lang>.tsv`, `time/rules.tsv`).

use crate::TimeError;
use regex::Regex;
use std::collections::HashMap;

/// Lower-case and collapse white space: the key form of every lexicon entry.
pub(crate) fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, w) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&w.to_lowercase());
    }
    out
}

/// One language's word lists: `category -> [(entry, value)]`.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    entries: HashMap<String, Vec<(String, String)>>,
    index: HashMap<(String, String), String>,
}

impl Lexicon {
    pub(crate) fn parse(name: &str, content: &str) -> Result<Lexicon, TimeError> {
        let mut lex = Lexicon::default();
        for (i, raw) in content.lines().enumerate() {
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split('\t');
            let cat = parts.next().unwrap_or("").trim();
            let entry = parts.next().unwrap_or("").trim();
            let value = parts.next().unwrap_or("").trim();
            if cat.is_empty() || entry.is_empty() || parts.next().is_some() {
                return Err(TimeError::Parse {
                    file: name.to_string(),
                    line: i + 1,
                    msg: "expected category<TAB>entry<TAB>value".into(),
                });
            }
            lex.entries
                .entry(cat.to_string())
                .or_default()
                .push((entry.to_string(), value.to_string()));
            lex.index
                .entry((cat.to_string(), norm(entry)))
                .or_insert_with(|| value.to_string());
        }
        Ok(lex)
    }

    pub(crate) fn get(&self, cat: &str, word: &str) -> Option<&str> {
        self.index
            .get(&(cat.to_string(), norm(word)))
            .map(|s| s.as_str())
    }

    pub(crate) fn has(&self, cat: &str, word: &str) -> bool {
        self.get(cat, word).is_some()
    }

    pub(crate) fn config(&self, key: &str) -> Option<&str> {
        self.get("config", key)
    }

    pub(crate) fn words(&self, cat: &str) -> impl Iterator<Item = &str> {
        self.entries
            .get(cat)
            .into_iter()
            .flat_map(|v| v.iter().map(|(e, _)| e.as_str()))
    }

    /// Regex alternation of all entries of `cat`, longest first; spaces match any white space.
    /// Several categories (`{unit+units}`) merge into one alternation.
    fn alternation(&self, cats: &[&str]) -> Option<String> {
        let mut words: Vec<&str> = Vec::new();
        for cat in cats {
            let list = self.entries.get(*cat)?;
            words.extend(list.iter().map(|(e, _)| e.as_str()));
        }
        words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        words.dedup();
        let alts: Vec<String> = words
            .iter()
            .map(|w| {
                w.split(' ')
                    .map(regex::escape)
                    .collect::<Vec<_>>()
                    .join(r"\s+")
            })
            .collect();
        Some(format!("(?:{})", alts.join("|")))
    }
}

/// What a rule's match means; the named groups supply the details.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Handler {
    Date,
    Year,
    Deictic,
    Pod,
    Time,
    Duration,
    Vague,
    Lang,
    Offset,
    Ref,
    Set,
    Decade,
    Century,
    CurQ,
}

impl Handler {
    fn parse(s: &str) -> Option<Handler> {
        Some(match s {
            "date" => Handler::Date,
            "year" => Handler::Year,
            "deictic" => Handler::Deictic,
            "pod" => Handler::Pod,
            "time" => Handler::Time,
            "duration" => Handler::Duration,
            "vague" => Handler::Vague,
            "lang" => Handler::Lang,
            "offset" => Handler::Offset,
            "ref" => Handler::Ref,
            "set" => Handler::Set,
            "decade" => Handler::Decade,
            "century" => Handler::Century,
            "curq" => Handler::CurQ,
            _ => return None,
        })
    }
}

#[derive(Debug)]
pub(crate) struct Rule {
    pub(crate) handler: Handler,
    pub(crate) re: Regex,
    pub(crate) has_x: bool,
}

/// A language: lexicon plus compiled rules.
#[derive(Debug)]
pub(crate) struct LangRules {
    pub(crate) lex: Lexicon,
    pub(crate) rules: Vec<Rule>,
}

fn expand(
    pat: &str,
    lex: &Lexicon,
    macros: &HashMap<String, String>,
    file: &str,
    line: usize,
) -> Result<String, TimeError> {
    let mut out = String::with_capacity(pat.len() * 2);
    let mut rest = pat;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}');
        let name = close.map(|c| &after[..c]).unwrap_or("");
        let is_name = !name.is_empty()
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c == '+');
        if !is_name {
            out.push('{');
            rest = after;
            continue;
        }
        let rep = if let Some(m) = macros.get(name) {
            m.clone()
        } else if let Some(a) = lex.alternation(&name.split('+').collect::<Vec<_>>()) {
            a
        } else {
            return Err(TimeError::Parse {
                file: file.into(),
                line,
                msg: format!("unknown placeholder {{{name}}}"),
            });
        };
        out.push_str(&rep);
        rest = &after[name.len() + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

pub(crate) fn build(files: &[(&str, &str)]) -> Result<HashMap<String, LangRules>, TimeError> {
    let mut lexicons: Vec<(String, Lexicon)> = Vec::new();
    let mut rule_files = Vec::new();
    for (name, content) in files {
        let base = name.rsplit('/').next().unwrap_or(name);
        let stem = base.strip_suffix(".tsv").unwrap_or(base);
        if stem == "rules" {
            rule_files.push((*name, *content));
        } else {
            lexicons.push((stem.to_string(), Lexicon::parse(name, content)?));
        }
    }
    if rule_files.is_empty() {
        return Err(TimeError::Parse {
            file: "time/rules.tsv".into(),
            line: 0,
            msg: "no rules file given".into(),
        });
    }
    let mut langs: HashMap<String, LangRules> = lexicons
        .into_iter()
        .map(|(l, lex)| {
            (
                l,
                LangRules {
                    lex,
                    rules: Vec::new(),
                },
            )
        })
        .collect();
    let mut macros: HashMap<String, HashMap<String, String>> = HashMap::new();
    for (name, content) in rule_files {
        for (i, raw) in content.lines().enumerate() {
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |msg: String| TimeError::Parse {
                file: name.to_string(),
                line: i + 1,
                msg,
            };
            let mut parts = line.splitn(3, '\t');
            let lang = parts.next().unwrap_or("").trim();
            let kind = parts.next().unwrap_or("").trim();
            let pat = parts
                .next()
                .ok_or_else(|| err("expected lang<TAB>handler<TAB>pattern".into()))?;
            let targets: Vec<String> = if lang == "*" {
                let mut v: Vec<String> = langs.keys().cloned().collect();
                v.sort();
                v
            } else if langs.contains_key(lang) {
                vec![lang.to_string()]
            } else {
                return Err(err(format!("no lexicon for language {lang:?}")));
            };
            for l in targets {
                let lr = langs.get_mut(&l).expect("language present");
                let lm = macros.entry(l.clone()).or_default();
                let expanded = expand(pat, &lr.lex, lm, name, i + 1)?;
                if let Some(mname) = kind.strip_prefix("define:") {
                    lm.insert(mname.to_string(), expanded);
                    continue;
                }
                let handler =
                    Handler::parse(kind).ok_or_else(|| err(format!("unknown handler {kind:?}")))?;
                let re = Regex::new(&format!("(?i){}", expanded.replace(r"\b", "")))
                    .map_err(|e| err(format!("bad pattern: {e}")))?;
                let has_x = re.capture_names().any(|n| n == Some("x"));
                lr.rules.push(Rule { handler, re, has_x });
            }
        }
    }
    Ok(langs)
}
