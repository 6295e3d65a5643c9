//! Trigger lexicons (`resources/events/{de,en}.tsv`) and the CAMEO → Goldstein
//! table (`resources/events/goldstein.tsv`).
//!
//! A trigger row:
//!
//! ```text
//! pos   lemma       particle  forms                          type     mode   cameo  frame                    flags
//! verb  zurückweisen zurück   weist|wies|wiesen|gewiesen|weisen REJECT -     125    subj=A,obj=R             deny
//! verb  meet        -         met                            CONSULT  -      040    subj=A,obj=R,with=R      recip
//! noun  Treffen     -         Treffen|Treffens               CONSULT  -      040    zwischen=A,mit=R,gen=A   -
//! ```
//!
//! * `forms`: the inflected forms, `|`-separated. For English verbs the regular
//!   forms (`-s`, `-ed`, `-ing`) are added to the lemma automatically; list only
//!   the irregular ones (or `-`). For German verbs list the forms (finite,
//!   infinitive, participle); a separable verb's joined forms (`zurückweisen`,
//!   `zurückgewiesen`, `zurückzuweisen`) are derived from the particle.
//! * `frame`: which syntactic slot fills which role: `subj`, `obj`, `gen`
//!   (genitive or possessive attachment of a noun trigger) or a preposition,
//!   mapped to `A` (actor), `R` (recipient) or `L` (location).
//! * `flags`: `recip` (documents a reciprocal verb; the coder treats any
//!   coordinated subject as several actors, so it changes no coding);
//!   `accuse`, `deny`, `claim` (events in the trigger's complement are
//!   claims: modality `alleged` or `denied`, claimed by the trigger's actor);
//!   `compound` (German nouns: also matches as the last part of a compound,
//!   `Raketentest`); `needs-obj` (only an event when a recipient was found);
//!   `speaker` (the actor is the speaker of the quotation holding the trigger);
//!   `particle-anywhere` (the particle may also come before the verb).

use std::collections::HashMap;

/// An error in a lexicon file, naming the file and line.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct LexiconError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pos {
    Verb,
    Noun,
}

/// A syntactic slot of a trigger.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Slot {
    Subj,
    Obj,
    Gen,
    Prep(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Actor,
    Recipient,
    Location,
}

/// How a trigger frames the events in its complement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Embed {
    /// accuse, vorwerfen: the complement is an allegation.
    Accuse,
    /// deny, bestreiten: the complement is denied.
    Deny,
    /// claim, behaupten: the complement is a claim.
    Claim,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    pub pos: Pos,
    pub lemma: String,
    pub particle: Option<String>,
    pub plover: String,
    pub mode: Option<String>,
    pub cameo: String,
    pub context: Vec<String>,
    pub frame: Vec<(Slot, Role)>,
    pub recip: bool,
    pub embed: Option<Embed>,
    pub compound: bool,
    pub needs_obj: bool,
    /// the actor is the speaker of the quotation holding the trigger
    /// (*Russia said that Sudan must return …*)
    pub speaker: bool,
    /// the particle is a preposition that may also stand before the verb
    /// (`zu … verurteilt`)
    pub particle_anywhere: bool,
}

impl Trigger {
    /// The role of a slot in this trigger's frame.
    pub fn role(&self, slot: &Slot) -> Option<Role> {
        self.frame.iter().find(|(s, _)| s == slot).map(|(_, r)| *r)
    }
}

/// One language's triggers, indexed by lower-case form.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    pub triggers: Vec<Trigger>,
    /// lower-case form → (trigger index, whether the form is joined with its
    /// particle or needs no particle)
    forms: HashMap<String, Vec<(usize, bool)>>,
    /// lower-case compound heads (`test` of `Raketentest`) → noun triggers
    heads: Vec<(String, usize)>,
    /// function words by kind (`cue<TAB>kind<TAB>form|form` rows): negation,
    /// future, hypothetical, allege, passive, light, prep, det, subord, coord,
    /// aux, adj, number; forms may be several words.
    cues: HashMap<String, Vec<Vec<String>>>,
}

impl Lexicon {
    /// Parse a trigger file (`name` is used in errors).
    pub fn parse(name: &str, text: &str, lang: &str) -> Result<Self, LexiconError> {
        let mut lx = Lexicon::default();
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            let err = |message: String| LexiconError {
                file: name.to_string(),
                line: line_no,
                message,
            };
            let line = line.trim_end();
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            if cols[0] == "cue" {
                if cols.len() < 3 || cols[1].is_empty() {
                    return Err(err("a cue row is `cue<TAB>kind<TAB>form|form`".into()));
                }
                let list = lx.cues.entry(cols[1].to_string()).or_default();
                for f in cols[2].split('|').map(str::trim).filter(|f| !f.is_empty()) {
                    list.push(f.to_lowercase().split(' ').map(str::to_string).collect());
                }
                continue;
            }
            if cols.len() < 9 {
                return Err(err(format!(
                    "expected 9 tab-separated columns (pos lemma particle forms type mode cameo frame flags), found {}",
                    cols.len()
                )));
            }
            let opt = |s: &str| (s != "-" && !s.is_empty()).then(|| s.to_string());
            let pos = match cols[0] {
                "verb" => Pos::Verb,
                "noun" => Pos::Noun,
                other => return Err(err(format!("unknown part of speech {other:?}"))),
            };
            let lemma = cols[1].to_string();
            let particle = opt(cols[2]);
            let plover = cols[4].to_string();
            if !crate::PLOVER_TYPES.contains(&plover.as_str()) {
                return Err(err(format!("unknown PLOVER type {plover:?}")));
            }
            let cameo = cols[6].to_string();
            if cameo.is_empty() || !cameo.chars().all(|c| c.is_ascii_digit()) {
                return Err(err(format!("CAMEO code must be digits, found {cameo:?}")));
            }
            let mut frame = Vec::new();
            for part in cols[7].split(',').filter(|p| !p.is_empty() && *p != "-") {
                let Some((slot, role)) = part.split_once('=') else {
                    return Err(err(format!("frame entry {part:?} is not slot=role")));
                };
                let slot = match slot {
                    "subj" => Slot::Subj,
                    "obj" => Slot::Obj,
                    "gen" => Slot::Gen,
                    p => Slot::Prep(p.to_lowercase()),
                };
                let role = match role {
                    "A" => Role::Actor,
                    "R" => Role::Recipient,
                    "L" => Role::Location,
                    r => return Err(err(format!("unknown role {r:?} (A, R or L)"))),
                };
                frame.push((slot, role));
            }
            let mut t = Trigger {
                pos,
                lemma: lemma.clone(),
                particle: particle.clone(),
                plover,
                mode: opt(cols[5]),
                cameo,
                context: Vec::new(),
                frame,
                recip: false,
                embed: None,
                compound: false,
                needs_obj: false,
                speaker: false,
                particle_anywhere: false,
            };
            for flag in cols[8].split(',').filter(|f| !f.is_empty() && *f != "-") {
                match flag {
                    "recip" => t.recip = true,
                    "accuse" => t.embed = Some(Embed::Accuse),
                    "deny" => t.embed = Some(Embed::Deny),
                    "claim" => t.embed = Some(Embed::Claim),
                    "compound" => t.compound = true,
                    "needs-obj" => t.needs_obj = true,
                    "speaker" => t.speaker = true,
                    "particle-anywhere" => t.particle_anywhere = true,
                    f if f.starts_with("ctx:") => {
                        t.context = f[4..].split('+').map(str::to_string).collect()
                    }
                    f => return Err(err(format!("unknown flag {f:?}"))),
                }
            }
            let idx = lx.triggers.len();
            let mut forms: Vec<String> = opt(cols[3])
                .map(|f| f.split('|').map(|s| s.trim().to_lowercase()).collect())
                .unwrap_or_default();
            let lem = lemma.to_lowercase();
            if pos == Pos::Verb && lang == "en" {
                forms.extend(english_forms(&lem));
            }
            if !forms.contains(&lem) && particle.is_none() {
                forms.push(lem.clone());
            }
            match (&particle, pos) {
                (Some(p), Pos::Verb) => {
                    let p = p.to_lowercase();
                    if lang == "de" {
                        // separated: the bare form with the particle later in the clause
                        for f in &forms {
                            lx.add(f, idx, false);
                            // joined: zurückweisen, zurückgewiesen, zurückwies
                            lx.add(&format!("{p}{f}"), idx, true);
                        }
                        if let Some(base) = lem.strip_prefix(p.as_str()) {
                            lx.add(&format!("{p}zu{base}"), idx, true);
                        }
                    } else {
                        // English phrasal verbs: `pull out`, `call off`
                        for f in &forms {
                            lx.add(f, idx, false);
                        }
                    }
                }
                _ => {
                    for f in &forms {
                        lx.add(f, idx, true);
                    }
                }
            }
            if t.compound {
                for f in &forms {
                    lx.heads.push((f.clone(), idx));
                }
            }
            lx.triggers.push(t);
        }
        // longest heads first, so `Raketentests` prefers `tests` over `s`
        lx.heads
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        Ok(lx)
    }

    fn add(&mut self, form: &str, idx: usize, complete: bool) {
        let e = self.forms.entry(form.to_string()).or_default();
        if !e.contains(&(idx, complete)) {
            e.push((idx, complete));
        }
    }

    /// Whether the lower-case word is a one-word cue of `kind`.
    pub fn is(&self, kind: &str, lower: &str) -> bool {
        self.cues
            .get(kind)
            .is_some_and(|l| l.iter().any(|f| f.len() == 1 && f[0] == lower))
    }

    /// The multi-word (or one-word) cues of `kind` starting at `words[i]`:
    /// the length of the longest match.
    pub fn match_at(&self, kind: &str, words: &[String], i: usize) -> Option<usize> {
        self.cues
            .get(kind)?
            .iter()
            .filter_map(|f| {
                (i + f.len() <= words.len() && f.iter().zip(&words[i..]).all(|(a, b)| a == b))
                    .then_some(f.len())
            })
            .max()
    }

    /// Triggers a lower-case token may be, with whether the token is complete
    /// (`false`: a separable verb's stem that needs its particle later).
    pub fn lookup(&self, lower: &str) -> Vec<(usize, bool)> {
        let mut out = self.forms.get(lower).cloned().unwrap_or_default();
        if out.is_empty() && lower.chars().count() > 6 {
            for (head, idx) in &self.heads {
                if lower.len() > head.len() + 2 && lower.ends_with(head.as_str()) {
                    out.push((*idx, true));
                    break;
                }
            }
        }
        out
    }
}

/// Regular English verb forms of a lemma: `-s`, `-ed`, `-ing`.
fn english_forms(lemma: &str) -> Vec<String> {
    if lemma.contains(' ') {
        return Vec::new();
    }
    let mut out = vec![lemma.to_string()];
    let b = lemma.as_bytes();
    let last = *b.last().unwrap_or(&b'x');
    let vowel = |c: u8| b"aeiou".contains(&c);
    if last == b'y' && b.len() > 1 && !vowel(b[b.len() - 2]) {
        let stem = &lemma[..lemma.len() - 1];
        out.push(format!("{stem}ies"));
        out.push(format!("{stem}ied"));
        out.push(format!("{lemma}ing"));
    } else if last == b'e' {
        out.push(format!("{lemma}s"));
        out.push(format!("{lemma}d"));
        let stem = &lemma[..lemma.len() - 1];
        out.push(if lemma.ends_with("ee") {
            format!("{lemma}ing")
        } else {
            format!("{stem}ing")
        });
    } else {
        if lemma.ends_with('s')
            || lemma.ends_with("sh")
            || lemma.ends_with("ch")
            || lemma.ends_with('x')
            || lemma.ends_with('z')
        {
            out.push(format!("{lemma}es"));
        } else {
            out.push(format!("{lemma}s"));
        }
        out.push(format!("{lemma}ed"));
        out.push(format!("{lemma}ing"));
    }
    out
}

/// CAMEO code → Goldstein score, longest listed prefix wins.
#[derive(Debug, Clone, Default)]
pub struct Goldstein {
    scores: HashMap<String, f64>,
}

impl Goldstein {
    pub fn parse(name: &str, text: &str) -> Result<Self, LexiconError> {
        let mut scores = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(code), Some(score)) = (cols.next(), cols.next()) else {
                return Err(LexiconError {
                    file: name.into(),
                    line: i + 1,
                    message: "expected `cameo<TAB>score`".into(),
                });
            };
            let score: f64 = score.trim().parse().map_err(|_| LexiconError {
                file: name.into(),
                line: i + 1,
                message: format!("score {score:?} is not a number"),
            })?;
            scores.insert(code.trim().to_string(), score);
        }
        Ok(Goldstein { scores })
    }

    pub fn score(&self, cameo: &str) -> Option<f64> {
        (1..=cameo.len())
            .rev()
            .find_map(|n| self.scores.get(&cameo[..n]).copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_regular_forms() {
        assert!(english_forms("accuse").contains(&"accused".to_string()));
        assert!(english_forms("accuse").contains(&"accusing".to_string()));
        assert!(english_forms("deny").contains(&"denied".to_string()));
        assert!(english_forms("deny").contains(&"denies".to_string()));
        assert!(english_forms("visit").contains(&"visiting".to_string()));
        assert!(english_forms("agree").contains(&"agreeing".to_string()));
    }

    #[test]
    fn separable_and_compound_forms() {
        let lx = Lexicon::parse(
            "t.tsv",
            "verb\tzurückweisen\tzurück\tweist|wies|wiesen|gewiesen|weisen\tREJECT\t-\t125\tsubj=A,obj=R\tdeny\n\
             noun\tTest\t-\tTest|Tests\tMOBILIZE\tweapons\t150\tgen=A\tcompound\n",
            "de",
        )
        .unwrap();
        assert_eq!(lx.lookup("wies"), vec![(0, false)]);
        assert_eq!(lx.lookup("zurückgewiesen"), vec![(0, true)]);
        assert_eq!(lx.lookup("zurückzuweisen"), vec![(0, true)]);
        assert_eq!(lx.lookup("raketentests"), vec![(1, true)]);
        assert!(lx.lookup("kontext").is_empty());
    }

    #[test]
    fn bad_rows_name_file_and_line() {
        let e =
            Lexicon::parse("x.tsv", "# c\nverb\tgo\t-\t-\tFLY\t-\t01\t-\t-\n", "en").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.to_string().contains("x.tsv:2"), "{e}");
        let e = Goldstein::parse("g.tsv", "01\tabc\n").unwrap_err();
        assert!(e.to_string().contains("g.tsv:1"));
    }

    #[test]
    fn goldstein_longest_prefix() {
        let g = Goldstein::parse("g", "04\t1.0\n043\t2.8\n").unwrap();
        assert_eq!(g.score("043"), Some(2.8));
        assert_eq!(g.score("042"), Some(1.0));
        assert_eq!(g.score("19"), None);
    }
}
