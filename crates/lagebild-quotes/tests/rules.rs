use lagebild_model::{Document, Entity, Mention};
use lagebild_quotes::{to_quotes, Attribution, QuoteExtractor, QuoteKind};

fn run(text: &str, lang: &str) -> (Document, Vec<Attribution>) {
    let doc = Document {
        text: text.to_string(),
        language: lang.to_string(),
        ..Default::default()
    };
    let atts = QuoteExtractor::embedded().extract(&doc);
    (doc, atts)
}

fn speaker<'a>(doc: &'a Document, a: &Attribution) -> Option<&'a str> {
    a.speaker.map(|(s, e)| &doc.text[s..e])
}

fn find<'a>(doc: &Document, atts: &'a [Attribution], needle: &str) -> &'a Attribution {
    atts.iter()
        .find(|a| doc.text[a.quote.0..a.quote.1].contains(needle))
        .unwrap_or_else(|| panic!("no quote with {needle:?} in {atts:?}"))
}

#[test]
fn direct_after_with_apposition() {
    let (d, a) = run(
        "„Die Brücke wird im Mai fertig sein“, sagte Jana Holm, Sprecherin des Bauamts.",
        "de",
    );
    let q = find(&d, &a, "Brücke");
    assert_eq!(q.kind, QuoteKind::Direct);
    assert_eq!(speaker(&d, q), Some("Jana Holm, Sprecherin des Bauamts"));
    assert!(d.text[q.quote.0..q.quote.1].starts_with('„'));
}

#[test]
fn split_quote_and_pronoun() {
    let (d, a) = run(
        "„Wir sind bereit“, sagte er, „aber nicht um jeden Preis.“",
        "de",
    );
    assert_eq!(a.len(), 2, "{a:?}");
    assert!(a.iter().all(|x| speaker(&d, x) == Some("er")));
}

#[test]
fn colon_frame_and_guillemets() {
    let (d, a) = run(
        "Der Bürgermeister erklärte: »Das Freibad bleibt im Sommer geöffnet.«",
        "de",
    );
    let q = find(&d, &a, "Freibad");
    assert_eq!(speaker(&d, q), Some("Der Bürgermeister"));
}

#[test]
fn quote_across_paragraphs() {
    let text = "Die Trainerin sagte: „Wir haben hart gearbeitet und viel gelernt.\n\n„Jetzt wollen wir den Titel holen.“\n\nDanach ging sie.";
    let (d, a) = run(text, "de");
    let q = find(&d, &a, "hart gearbeitet");
    assert!(d.text[q.quote.0..q.quote.1].contains("Titel"));
    assert_eq!(speaker(&d, q), Some("Die Trainerin"));
}

#[test]
fn laut_and_zufolge() {
    let (d, a) = run("Laut dem Wetterdienst wird es am Wochenende stürmisch. Den Behörden zufolge bleiben die Schulen geschlossen.", "de");
    assert_eq!(
        speaker(&d, find(&d, &a, "stürmisch")),
        Some("dem Wetterdienst")
    );
    assert_eq!(speaker(&d, find(&d, &a, "Schulen")), Some("Den Behörden"));
}

#[test]
fn dass_and_konjunktiv_continuation() {
    let text =
        "Die Ministerin sagte, dass die Reform notwendig sei. Die Kosten seien überschaubar.";
    let (d, a) = run(text, "de");
    let first = find(&d, &a, "Reform");
    assert_eq!(first.kind, QuoteKind::Indirect);
    assert_eq!(speaker(&d, first), Some("Die Ministerin"));
    let second = find(&d, &a, "Kosten");
    assert_eq!(speaker(&d, second), Some("Die Ministerin"));
    assert_eq!(second.cue, None);
}

#[test]
fn so_and_nach_angaben() {
    let (d, a) = run("Der Zug fiel wegen eines Defekts aus, so die Bahn. Nach Angaben der Feuerwehr wurde niemand verletzt.", "de");
    assert_eq!(speaker(&d, find(&d, &a, "Defekts")), Some("die Bahn"));
    assert_eq!(
        speaker(&d, find(&d, &a, "niemand")),
        Some("Angaben der Feuerwehr")
    );
}

#[test]
fn organisation_inverted() {
    let (d, a) = run(
        "Am Montag teilte das Gesundheitsministerium mit, dass die Impfaktion verlängert werde.",
        "de",
    );
    let q = find(&d, &a, "Impfaktion");
    assert_eq!(speaker(&d, q), Some("das Gesundheitsministerium"));
    assert_eq!(to_quotes(&d, &a)[0].cue.as_deref(), Some("teilte mit"));
}

#[test]
fn unknown_speaker_kept_null() {
    let (d, a) = run(
        "Ein Plakat am Rathaus:\n\n„Wir bleiben hier, egal was kommt, und wir geben nicht auf.“",
        "de",
    );
    let q = find(&d, &a, "bleiben hier");
    assert_eq!(q.speaker, None);
    assert_eq!(q.kind, QuoteKind::Direct);
}

#[test]
fn scare_quotes_are_not_quotes() {
    let (_, a) = run("Das Magazin „Blick“ erscheint wöchentlich.", "de");
    assert!(a.is_empty(), "{a:?}");
}

#[test]
fn english_rules() {
    let (d, a) = run(
        "\"We will not raise taxes,\" the governor said. According to the agency, exports fell sharply. Smith said that the vote was fair.",
        "en",
    );
    assert_eq!(
        speaker(&d, find(&d, &a, "raise taxes")),
        Some("the governor")
    );
    assert_eq!(speaker(&d, find(&d, &a, "exports")), Some("the agency"));
    assert_eq!(speaker(&d, find(&d, &a, "vote was fair")), Some("Smith"));
}

#[test]
fn entity_resolution_pronoun_and_overlap() {
    let text = "Anna Berg kam nach Bonn. „Das Ergebnis ist gut“, sagte sie. „Wir feiern“, sagte Paul Kern.";
    let m = |s: &str, kind: &str| {
        let st = text.find(s).unwrap();
        Mention {
            start: st,
            end: st + s.len(),
            text: s.to_string(),
            kind: kind.to_string(),
        }
    };
    let ent = |id: &str, ms: Vec<Mention>| Entity {
        id: id.into(),
        name: id.into(),
        kind: "PER".into(),
        country: None,
        sector: None,
        mentions: ms,
    };
    let doc = Document {
        text: text.into(),
        language: "de".into(),
        entities: vec![
            ent("Q1", vec![m("Anna Berg", "name")]),
            ent("Q2", vec![m("Paul Kern", "name")]),
        ],
        ..Default::default()
    };
    let atts = QuoteExtractor::embedded().extract(&doc);
    let quotes = to_quotes(&doc, &atts);
    assert_eq!(quotes.len(), 2, "{quotes:?}");
    assert_eq!(quotes[0].speaker.as_deref(), Some("Q1"));
    assert_eq!(quotes[1].speaker.as_deref(), Some("Q2"));
    for q in &quotes {
        assert_eq!(&text[q.start..q.end], q.text);
    }
}

#[test]
fn odd_input_does_not_panic() {
    for t in [
        "",
        "„",
        "“”„",
        "\"",
        "sagte er",
        "„a“, sagte",
        "laut",
        "zufolge",
        ", so",
        "'''",
        "\n\n„x\n\n„",
        "a „b\" c » d « e ‚f‘",
    ] {
        run(t, "de");
        run(t, "en");
        run(t, "xx");
    }
}

#[test]
fn lexicon_errors_name_file_and_line() {
    let err =
        QuoteExtractor::from_files(&[("quotes/de.tsv", "verb\tsagte\nbogus\tx\n")]).unwrap_err();
    assert!(err.to_string().contains("quotes/de.tsv:2"), "{err}");
}

#[test]
fn works_with_foreign_tokens() {
    let text = "„Alles ist gut“, sagte Lea.";
    let toks = lagebild_quotes::text::tokenize(text);
    let sents = lagebild_quotes::text::split_sentences(text, &toks);
    let doc = Document {
        text: text.into(),
        language: "de".into(),
        tokens: toks,
        sentences: sents,
        ..Default::default()
    };
    let atts = QuoteExtractor::embedded().extract(&doc);
    assert_eq!(atts.len(), 1);
    assert_eq!(speaker(&doc, &atts[0]), Some("Lea"));
}

// ---- speaker rules (issue #6) ----

fn only_speaker(text: &str, needle: &str) -> Option<String> {
    let (d, a) = run(text, "de");
    let q = find(&d, &a, needle);
    speaker(&d, q).map(str::to_string)
}

#[test]
fn subordinate_clause_before_inverted_verb() {
    assert_eq!(
        only_speaker(
            "Nachdem die Frage gestellt worden war, entgegnete Jonas Berg: „Das ist falsch und bleibt falsch.“",
            "bleibt falsch"
        )
        .as_deref(),
        Some("Jonas Berg")
    );
}

#[test]
fn apposition_before_verb_belongs_to_speaker() {
    assert_eq!(
        only_speaker(
            "Lena Vogt, die Leiterin des Stadtmuseums, sagte: „Wir öffnen im Herbst wieder mit neuen Räumen.“",
            "im Herbst"
        )
        .as_deref(),
        Some("Lena Vogt, die Leiterin des Stadtmuseums")
    );
}

#[test]
fn relative_clause_is_cut_from_speaker() {
    assert_eq!(
        only_speaker(
            "Der Verband, der die Pläne seit Jahren ablehnt, sagte, die Kosten seien viel zu hoch.",
            "Kosten"
        )
        .as_deref(),
        Some("Der Verband")
    );
}

#[test]
fn adverb_opener_puts_subject_after_verb() {
    assert_eq!(
        only_speaker(
            "Insgesamt spricht die Feuerwehr von einem ruhigen Wochenende ohne größere Brände.",
            "ruhigen"
        )
        .as_deref(),
        Some("die Feuerwehr")
    );
}

#[test]
fn dative_opener_is_not_the_speaker() {
    assert_eq!(
        only_speaker(
            "Der regionalen Zeitung sagte Tom Krause: „Wir bauen die Halle noch einmal auf.“",
            "Halle"
        )
        .as_deref(),
        Some("Tom Krause")
    );
}

#[test]
fn demonstrative_frame_attributes_previous_sentence() {
    let text = "Die Brücke bleibt bis zum Sommer für den gesamten Verkehr gesperrt. Das teilte die Stadtverwaltung mit.";
    let (d, a) = run(text, "de");
    let q = find(&d, &a, "Brücke bleibt");
    assert_eq!(speaker(&d, q), Some("die Stadtverwaltung"));
    assert!(!d.text[q.quote.0..q.quote.1].contains("teilte"));
}

#[test]
fn aux_frame_after_direct_quote() {
    assert_eq!(
        only_speaker(
            "„Wir bleiben in dieser Stadt“, hatte Bürgermeisterin Anna Roth in einem Interview erklärt.",
            "Stadt"
        )
        .as_deref(),
        Some("Bürgermeisterin Anna Roth")
    );
}

#[test]
fn sentence_final_participle_gives_reported_speech() {
    let text = "Die Ministerin Eva Lang hat am Montag ihren Rücktritt angekündigt.";
    let (d, a) = run(text, "de");
    let q = find(&d, &a, "Rücktritt");
    assert_eq!(speaker(&d, q), Some("Die Ministerin Eva Lang"));
    assert_eq!(q.kind, QuoteKind::Reported);
}

#[test]
fn konjunktiv_by_form_continues_speaker() {
    let text =
        "Der Trainer sagte, das Team sei gut vorbereitet. Die Niederlage nehme er nicht so schwer.";
    let (d, a) = run(text, "de");
    let q = find(&d, &a, "Niederlage");
    assert_eq!(speaker(&d, q), Some("Der Trainer"));
    // an indicative preterite does not continue the speaker
    let text = "Der Trainer sagte, das Team sei gut vorbereitet. Danach machte er einen langen Spaziergang.";
    let (d, a) = run(text, "de");
    assert!(
        a.iter()
            .all(|x| !d.text[x.quote.0..x.quote.1].contains("Spaziergang")),
        "{a:?}"
    );
}

#[test]
fn nach_angaben_inside_the_sentence() {
    assert_eq!(
        only_speaker(
            "Der Schaden ist nach Angaben der Versicherung deutlich höher als erwartet.",
            "Schaden"
        )
        .as_deref(),
        Some("Angaben der Versicherung")
    );
}

#[test]
fn heisst_es_in_a_document() {
    assert_eq!(
        only_speaker(
            "In einem Bericht des Rechnungshofs heißt es, die Ausgaben seien stark gestiegen.",
            "Ausgaben"
        )
        .as_deref(),
        Some("einem Bericht des Rechnungshofs")
    );
}

#[test]
fn laut_with_a_quoted_name() {
    assert_eq!(
        only_speaker(
            "Laut „Nordkurier“ wurden drei Boote beschädigt und zwei Stege zerstört.",
            "Boote"
        )
        .as_deref(),
        Some("„Nordkurier“")
    );
}

#[test]
fn coordinated_cue_verb_keeps_clause_subject() {
    assert_eq!(
        only_speaker(
            "Der Kapitän verließ das Schiff als Letzter und sagte, alle seien in Sicherheit.",
            "Sicherheit"
        )
        .as_deref(),
        Some("Der Kapitän")
    );
}
