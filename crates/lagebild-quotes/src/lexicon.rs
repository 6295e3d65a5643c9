//! Cue lexicons: tab-separated data files, one per language.

use crate::QuoteError;
use std::collections::{HashMap, HashSet};

/// The word lists of one language.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lexicon {
    /// cue verb form → separable particles it needs (empty string: none).
    pub verbs: HashMap<String, Vec<String>>,
    /// reported-speech verbs (with a noun-phrase object).
    pub report: HashSet<String>,
    pub pre: Vec<Vec<String>>,
    pub post: HashSet<String>,
    pub nach: HashSet<String>,
    pub so: HashSet<String>,
    pub impersonal: Vec<Vec<String>>,
    pub konj: HashSet<String>,
    pub konj1: HashSet<String>,
    pub comp: HashSet<String>,
    pub pron: HashMap<String, char>,
    pub aux: HashSet<String>,
    pub adv: HashSet<String>,
    pub prep: HashSet<String>,
    pub det: HashSet<String>,
    pub stop: HashSet<String>,
    pub conj: HashSet<String>,
    pub wie: HashSet<String>,
    /// subordinating conjunctions (a clause before the verb, not its subject)
    pub sub: HashSet<String>,
    /// demonstratives that open a frame-only sentence about the previous one
    pub anaphor: HashSet<String>,
    /// words in -e that are no verbs (for the Konjunktiv-by-form test)
    pub nonverb: HashSet<String>,
    pub title: HashSet<String>,
}

impl Lexicon {
    /// Parse one lexicon file; errors name the file and the line.
    pub fn parse(name: &str, content: &str) -> Result<Self, QuoteError> {
        let mut lx = Lexicon::default();
        for (no, raw) in content.lines().enumerate() {
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let err = |msg: &str| QuoteError::Lexicon {
                file: name.to_string(),
                line: no + 1,
                msg: msg.to_string(),
            };
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 2 || cols[1].trim().is_empty() {
                return Err(err("expected kind<TAB>form"));
            }
            let form = cols[1].trim().to_lowercase();
            let extra = cols
                .get(2)
                .map(|s| s.trim().to_lowercase())
                .unwrap_or_default();
            let words = || form.split('_').map(str::to_string).collect::<Vec<_>>();
            match cols[0].trim() {
                "verb" => lx.verbs.entry(form).or_default().push(extra),
                "report" => {
                    lx.report.insert(form.clone());
                    lx.verbs.entry(form).or_default().push(extra);
                }
                "pre" => lx.pre.push(words()),
                "post" => {
                    lx.post.insert(form);
                }
                "nach" => {
                    lx.nach.insert(form);
                }
                "so" => {
                    lx.so.insert(form);
                }
                "impersonal" => lx.impersonal.push(words()),
                "konj1" => {
                    lx.konj1.insert(form.clone());
                    lx.konj.insert(form);
                }
                "konj" => {
                    lx.konj.insert(form);
                }
                "comp" => {
                    lx.comp.insert(form);
                }
                "pron" => {
                    let g = extra
                        .chars()
                        .next()
                        .ok_or_else(|| err("pron needs a gender"))?;
                    if !"mfnpx".contains(g) {
                        return Err(err("gender must be one of m f n p x"));
                    }
                    lx.pron.insert(form, g);
                }
                "aux" => {
                    lx.aux.insert(form);
                }
                "adv" => {
                    lx.adv.insert(form);
                }
                "prep" => {
                    lx.prep.insert(form);
                }
                "det" => {
                    lx.det.insert(form);
                }
                "stop" => {
                    lx.stop.insert(form);
                }
                "conj" => {
                    lx.conj.insert(form);
                }
                "wie" => {
                    lx.wie.insert(form);
                }
                "sub" => {
                    lx.sub.insert(form);
                }
                "anaphor" => {
                    lx.anaphor.insert(form);
                }
                "nonverb" => {
                    lx.nonverb.insert(form);
                }
                "title" => {
                    lx.title.insert(form);
                }
                other => return Err(err(&format!("unknown kind {other:?}"))),
            }
        }
        Ok(lx)
    }
}
