//! Translations through the real pipeline: a German article and its English
//! translation (both written for this test) share their facts, so the second
//! is recognised as a translation of the first; an independent report of the
//! same meeting is not.

use lagebild_model::{Document, RawDocument};
use lagebild_stories::{Config, DupKind, Engine};

const DE: &str = "Lawrow empfängt Choe Son Hui in Moskau

Der russische Außenminister Sergej Lawrow hat am Montag, dem 4. März 2024, die \
nordkoreanische Außenministerin Choe Son Hui in Moskau empfangen. Nach Angaben des \
Außenministeriums dauerte das Gespräch 145 Minuten. Beide Seiten unterzeichneten 12 \
Abkommen, darunter eines über 3.500 Studienplätze. „Unsere Zusammenarbeit wächst“, \
sagte Lawrow. Choe Son Hui sagte, Pjöngjang werde 2025 eine Delegation von 240 \
Fachleuten schicken. Wladimir Putin soll die Ministerin am 6. März treffen. Bereits im \
Jahr 2023 hatten beide Länder 18 Verträge geschlossen.";

const EN: &str = "Lavrov receives Choe Son Hui in Moscow

Russian Foreign Minister Sergei Lavrov on Monday, March 4, 2024, received North Korean \
Foreign Minister Choe Son Hui in Moscow. According to the foreign ministry, the talks \
lasted 145 minutes. The two sides signed 12 agreements, including one on 3,500 university \
places. \"Our cooperation is growing,\" Lavrov said. Choe Son Hui said Pyongyang would \
send a delegation of 240 experts in 2025. Vladimir Putin is expected to meet the minister \
on March 6. Back in 2023 the two countries had concluded 18 treaties.";

const OTHER_EN: &str = "Lavrov and Choe discuss ties

Sergei Lavrov met Choe Son Hui in Moscow on Monday, March 4, 2024. Observers in Seoul \
said the visit showed how close the two governments have become since the war began. \
Lavrov praised what he called a strategic partnership, and Choe Son Hui thanked Russia \
for its support at the United Nations.";

fn analyse(id: &str, lang: &str, text: &str) -> Document {
    let p = lagebild_nlp::Pipeline::new(lagebild_nlp::Options::default()).unwrap();
    p.analyze(RawDocument {
        id: Some(id.into()),
        text: Some(text.into()),
        language: Some(lang.into()),
        published: Some("2024-03-04".into()),
        ..RawDocument::default()
    })
}

#[test]
fn an_english_translation_points_to_the_german_original() {
    let de = analyse("de", "de", DE);
    let en = analyse("en", "en", EN);
    let other = analyse("other", "en", OTHER_EN);
    let mut e = Engine::new(Config::default());
    assert!(e.add(&de).duplicate_of.is_none());
    let fde = lagebild_stories::Fingerprint::of(&de);
    let fen = lagebild_stories::Fingerprint::of(&en);
    let fo = lagebild_stories::Fingerprint::of(&other);
    eprintln!(
        "facts: de {} en {} other {}; jaccard de-en {:.2}, de-other {:.2}",
        fde.features.len(),
        fen.features.len(),
        fo.features.len(),
        fde.feature_jaccard(&fen),
        fde.feature_jaccard(&fo)
    );
    let o = e.add(&en);
    let m = o.duplicate_of.expect("the translation is found");
    assert_eq!((m.original.as_str(), m.kind), ("de", DupKind::Translation));
    let o2 = e.add(&other);
    assert!(o2.duplicate_of.is_none(), "{:?}", o2.duplicate_of);
    // All three are about one meeting: one story, two sources plus the
    // translation.
    assert_eq!(o.assignments[0].story, e.story_of("de").unwrap());
    assert_eq!(o2.assignments[0].story, e.story_of("de").unwrap());
    let s = e.story(e.story_of("de").unwrap()).unwrap();
    assert_eq!(s.sources, 2);
    assert_eq!(s.documents.len(), 3);
}
