//! Readers for the annotated corpus formats the tagger is trained and evaluated on.
//!
//! Every reader returns [`Sentence`]s with IOB2 labels (`B-X`, `I-X`, `O`); IOB1 input and
//! stray `I-` labels are normalised so that every chunk starts with `B-`. Type names are
//! mapped onto the tagger's inventory: `PER`, `ORG`, `LOC`, `MISC` (GermEval's `OTH`), and
//! for GermEval's 12 classes the `deriv`/`part` variants (`LOCderiv`, `MISCpart`, ...).

/// One annotated sentence: words and their BIO labels (same length).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sentence {
    pub words: Vec<String>,
    pub labels: Vec<String>,
    /// The sentence continues the previous sentence's document (CoNLL files mark
    /// documents); `false` for a sentence that starts one or stands alone.
    pub continues: bool,
    /// Partly annotated (a corpus that marks only some types, e.g. PER/LOC/ORG): an
    /// `O` here may be a type this corpus never marks, so the trainer accepts such a
    /// type where the label says `O` (see [`crate::train`]).
    pub partial: bool,
}

/// Which GermEval annotation level to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chunks {
    /// Column 3: outer (top-level) chunks.
    Outer,
    /// Column 4: embedded chunks.
    Inner,
}

/// Which GermEval label inventory to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Classes {
    /// PER, ORG, LOC, MISC; `deriv` and `part` chunks become `O`.
    Four,
    /// The twelve GermEval classes (`OTH` renamed `MISC`).
    Twelve,
}

/// Repairs the pre-2022 GermEval encoding: characters U+0080–U+009F are cp1252 bytes
/// decoded as Latin-1; soft hyphens (U+00AD) are dropped.
pub fn fix_cp1252(s: &str) -> String {
    const CP1252: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let u = c as u32;
        if (0x80..=0x9F).contains(&u) {
            out.push(CP1252[(u - 0x80) as usize]);
        } else if u != 0xAD {
            out.push(c);
        }
    }
    out
}

/// Groups consecutive sentences into documents (see [`Sentence::continues`]).
pub fn documents(sents: &[Sentence]) -> Vec<&[Sentence]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=sents.len() {
        if i == sents.len() || !sents[i].continues {
            if i > start {
                out.push(&sents[start..i]);
            }
            start = i;
        }
    }
    out
}

/// Splits a label into (prefix, type): `B-PER` → (`B`, `PER`); `O` → (`O`, ``).
pub fn split_label(label: &str) -> (&str, &str) {
    match label.split_once('-') {
        Some((p, t)) if p == "B" || p == "I" || p == "E" || p == "S" => (p, t),
        _ => ("O", ""),
    }
}

/// Rewrites labels into IOB2 in place (an `I-X` not preceded by `B-X`/`I-X` becomes `B-X`).
pub fn to_iob2(labels: &mut [String]) {
    let mut prev = String::new();
    for l in labels.iter_mut() {
        let (p, t) = split_label(l);
        let t = t.to_string();
        let p = p.to_string();
        if p == "O" || t.is_empty() {
            *l = "O".to_string();
            prev.clear();
            continue;
        }
        if p == "I" && prev != t {
            *l = format!("B-{t}");
        } else if p == "E" {
            *l = format!("I-{t}");
        } else if p == "S" {
            *l = format!("B-{t}");
        }
        prev = t;
    }
}

/// Maps a type name through `f` (None → O) and rebuilds the label.
fn map_label(label: &str, f: &dyn Fn(&str) -> Option<String>) -> String {
    let (p, t) = split_label(label);
    if p == "O" {
        return "O".into();
    }
    match f(t) {
        Some(t) => format!("{p}-{t}"),
        None => "O".into(),
    }
}

fn finish(mut s: Sentence, out: &mut Vec<Sentence>) {
    if s.words.is_empty() {
        return;
    }
    to_iob2(&mut s.labels);
    out.push(s);
}

fn std_type(t: &str) -> Option<String> {
    match t.to_ascii_uppercase().as_str() {
        "PER" | "PERS" | "PERSON" => Some("PER".into()),
        "ORG" | "ORGANIZATION" | "ORGANISATION" => Some("ORG".into()),
        "LOC" | "LOCATION" | "GPE" => Some("LOC".into()),
        "MISC" | "OTH" => Some("MISC".into()),
        _ => None,
    }
}

/// GermEval 2014 TSV: `idx token outer inner`, `#` source lines start sentences, blank
/// lines end them.
pub fn germeval_tsv(text: &str, chunks: Chunks, classes: Classes) -> Vec<Sentence> {
    let col = match chunks {
        Chunks::Outer => 2,
        Chunks::Inner => 3,
    };
    let mapper = move |t: &str| -> Option<String> {
        let (base, suffix) = if let Some(b) = t.strip_suffix("deriv") {
            (b, "deriv")
        } else if let Some(b) = t.strip_suffix("part") {
            (b, "part")
        } else {
            (t, "")
        };
        let base = std_type(base)?;
        match (classes, suffix) {
            (Classes::Four, "") => Some(base),
            (Classes::Four, _) => None,
            (Classes::Twelve, s) => Some(format!("{base}{s}")),
        }
    };
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            finish(std::mem::take(&mut cur), &mut out);
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() <= col || cols[0] == "#" {
            continue;
        }
        let word = fix_cp1252(cols[1]);
        if word.is_empty() {
            continue;
        }
        cur.words.push(word);
        cur.labels.push(map_label(cols[col], &mapper));
    }
    finish(cur, &mut out);
    out
}

/// CoNLL-2003 style: `token ... label` separated by spaces or tabs, `-DOCSTART-` lines
/// skipped, blank lines end sentences. The last column is the NER label.
pub fn conll(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    for line in text.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.is_empty() {
            if !cur.words.is_empty() {
                finish(std::mem::take(&mut cur), &mut out);
                cur.continues = true;
            }
            continue;
        }
        if cols[0] == "-DOCSTART-" {
            cur.continues = false;
            continue;
        }
        if cols.len() < 2 {
            continue;
        }
        cur.words.push(cols[0].to_string());
        cur.labels
            .push(map_label(cols[cols.len() - 1], &|t: &str| std_type(t)));
    }
    finish(cur, &mut out);
    out
}

/// WikiANN: `de:token\tTAG`; the language prefix (`xx:`) is stripped.
pub fn wikiann(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    for line in text.lines() {
        if line.trim().is_empty() {
            finish(std::mem::take(&mut cur), &mut out);
            continue;
        }
        let Some((tok, tag)) = line.rsplit_once(['\t', ' ']) else {
            continue;
        };
        let tok = match tok.split_once(':') {
            Some((lang, rest))
                if lang.len() <= 3
                    && !rest.is_empty()
                    && lang.bytes().all(|b| b.is_ascii_lowercase()) =>
            {
                rest
            }
            _ => tok,
        };
        cur.words.push(tok.to_string());
        cur.labels
            .push(map_label(tag.trim(), &|t: &str| std_type(t)));
    }
    finish(cur, &mut out);
    out
}

/// HIPE-2022 TSV: `TOKEN NE-COARSE-LIT ... MISC`; sentences end at `EndOfSentence` in the
/// last column (or at blank lines / document comments). Types: pers→PER, org→ORG,
/// loc→LOC, prod/humanprod→MISC, time and others→O.
pub fn hipe_tsv(text: &str) -> Vec<Sentence> {
    let map = |t: &str| -> Option<String> {
        match t.to_ascii_lowercase().as_str() {
            "pers" | "per" => Some("PER".into()),
            "org" => Some("ORG".into()),
            "loc" => Some("LOC".into()),
            "prod" | "humanprod" => Some("MISC".into()),
            _ => None,
        }
    };
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            finish(std::mem::take(&mut cur), &mut out);
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 2 || cols[0] == "TOKEN" {
            continue;
        }
        cur.words.push(cols[0].to_string());
        cur.labels.push(map_label(cols[1], &map));
        if cols[cols.len() - 1].contains("EndOfSentence") {
            finish(std::mem::take(&mut cur), &mut out);
        }
    }
    finish(cur, &mut out);
    split_long(out, 120)
}

/// Generic BIO TSV (`token\tlabel` or `token label`): blank lines end sentences, `# ...`
/// comment lines are skipped, malformed rows are ignored. Files without sentence breaks
/// are split after sentence-final punctuation once a sentence grows past 60 tokens.
pub fn bio_tsv(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    for line in text.lines() {
        if line.trim().is_empty() {
            finish(std::mem::take(&mut cur), &mut out);
            continue;
        }
        let cols: Vec<&str> = line.split(['\t', ' ']).filter(|c| !c.is_empty()).collect();
        if cols.len() != 2 {
            continue;
        }
        let (p, _) = split_label(cols[1]);
        if p == "O" && cols[1] != "O" {
            continue;
        }
        cur.words.push(cols[0].to_string());
        cur.labels.push(map_label(cols[1], &|t: &str| std_type(t)));
    }
    finish(cur, &mut out);
    split_long(out, 60)
}

/// Splits sentences longer than `max` tokens after `.`/`!`/`?` outside chunks.
fn split_long(sents: Vec<Sentence>, max: usize) -> Vec<Sentence> {
    let mut out = Vec::with_capacity(sents.len());
    for s in sents {
        if s.words.len() <= max {
            out.push(s);
            continue;
        }
        let mut cur = Sentence::default();
        let n = s.words.len();
        for i in 0..n {
            cur.words.push(s.words[i].clone());
            cur.labels.push(s.labels[i].clone());
            let w = s.words[i].as_str();
            let next_inside = i + 1 < n && s.labels[i + 1].starts_with("I-");
            if cur.words.len() >= 8 && matches!(w, "." | "!" | "?") && !next_inside {
                finish(std::mem::take(&mut cur), &mut out);
            }
        }
        finish(cur, &mut out);
    }
    out
}

/// Replaces every label by its 4-class equivalent (`LOCderiv` etc. → `O`).
pub fn to_four_classes(labels: &mut [String]) {
    for l in labels.iter_mut() {
        let (_, t) = split_label(l);
        if t.ends_with("deriv") || t.ends_with("part") {
            *l = "O".into();
        }
    }
    to_iob2(labels);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn germeval_outer_inner_classes() {
        let t = "#\tsource\n1\tDie\tO\tO\n2\tbayerische\tB-LOCderiv\tO\n3\tFirma\tO\tO\n4\tMaier\tB-ORG\tB-PER\n5\tGmbH\tI-ORG\tO\n6\tin\tO\tO\n7\tUlm\tB-LOC\tO\n\n#\tx\n1\tMusik\u{AD}preis\tB-OTH\tO\n";
        let s = germeval_tsv(t, Chunks::Outer, Classes::Four);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].labels, ["O", "O", "O", "B-ORG", "I-ORG", "O", "B-LOC"]);
        assert_eq!(s[1].words, ["Musikpreis"]);
        assert_eq!(s[1].labels, ["B-MISC"]);
        let s = germeval_tsv(t, Chunks::Outer, Classes::Twelve);
        assert_eq!(s[0].labels[1], "B-LOCderiv");
        let s = germeval_tsv(t, Chunks::Inner, Classes::Four);
        assert_eq!(s[0].labels[3], "B-PER");
    }

    #[test]
    fn cp1252_fix() {
        assert_eq!(fix_cp1252("\u{84}Hallo\u{93} \u{96} x"), "„Hallo“ – x");
    }

    #[test]
    fn conll_iob1_and_docstart() {
        let t = "-DOCSTART- -X- -X- O\n\nJohn NNP B-NP I-PER\nSmith NNP I-NP I-PER\nvisits VBZ B-VP O\nParis NNP B-NP I-LOC\n\nX NN O B-MISC\n";
        let s = conll(t);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].labels, ["B-PER", "I-PER", "O", "B-LOC"]);
        assert_eq!(s[1].labels, ["B-MISC"]);
        assert!(!s[0].continues && s[1].continues);
        let two = conll("-DOCSTART- O\n\nA O\n\nB O\n\n-DOCSTART- O\n\nC O\n\nD O\n");
        let cont: Vec<bool> = two.iter().map(|s| s.continues).collect();
        assert_eq!(cont, [false, true, false, true]);
        let docs = documents(&two);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1][1].words, ["D"]);
    }

    #[test]
    fn wikiann_prefix() {
        let s = wikiann("de:Savoyer\tB-LOC\nde:Voralpen\tI-LOC\nde:http://x\tO\n\n");
        assert_eq!(s[0].words, ["Savoyer", "Voralpen", "http://x"]);
        assert_eq!(s[0].labels, ["B-LOC", "I-LOC", "O"]);
    }

    #[test]
    fn hipe_reader() {
        let t = "TOKEN\tNE-COARSE-LIT\tX\tMISC\n# doc\nHerr\tO\tO\t_\nMüller\tB-pers\tO\t_\nin\tO\tO\t_\nBern\tB-loc\tO\tNoSpaceAfter\n.\tO\tO\tEndOfSentence\nam\tO\tO\t_\nMontag\tB-time\tO\t_\n";
        let s = hipe_tsv(t);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].labels, ["O", "B-PER", "O", "B-LOC", "O"]);
        assert_eq!(s[1].labels, ["O", "O"]);
    }

    #[test]
    fn bio_reader_skips_comments_and_bad_rows() {
        let t = "# doc http://x source=news\nEuronews\tB-ORG\n-\tI-ORG\nbad row here\nsagt\tO\n\n#\tO\n";
        let s = bio_tsv(t);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].words, ["Euronews", "-", "sagt"]);
        assert_eq!(s[0].labels, ["B-ORG", "I-ORG", "O"]);
        assert_eq!(s[1].words, ["#"]);
    }
}
