//! Near-duplicates at ingest: a syndicated copy with other boilerplate points to
//! its original (`duplicate_of`), and stays in the original's story.

mod common;

use common::*;

const BODY: &str = "Die Regierung in Wien hat am Dienstag ein neues Gesetz zur Förderung von Solaranlagen auf öffentlichen Gebäuden beschlossen. Nach Angaben des Umweltministeriums sollen bis zum Jahr 2030 mehr als zweitausend Schulen, Krankenhäuser und Amtsgebäude mit Photovoltaik ausgestattet werden. Die Kosten von rund vierhundert Millionen Euro teilen sich Bund und Länder. Kritiker aus der Opposition bemängelten, dass kleine Gemeinden bei der Vergabe der Mittel benachteiligt würden. Der Bürgermeister von Graz begrüßte dagegen den Beschluss und kündigte an, noch in diesem Jahr die ersten Dächer zu belegen.";

#[test]
fn a_copy_with_other_boilerplate_points_to_its_original() {
    let dir = tempdir("duplicates");
    std::fs::write(
        dir.join("a.txt"),
        format!("Solarpflicht für Amtsgebäude\n\n{BODY}\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("b.txt"),
        format!("Solarpflicht für Amtsgebäude\n\n{BODY}\n\nMehr zum Thema: Energiepreise steigen weiter\n© Beispielagentur 2024. Alle Rechte vorbehalten.\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("c.txt"),
        "Fußball: Der Tabellenführer gewann am Samstag auswärts mit drei zu eins und baut seinen Vorsprung auf sechs Punkte aus. Der Trainer lobte die Abwehr, die Fans feierten bis in die Nacht.\n",
    )
    .unwrap();
    let db = dir.join("d.db");
    let out = bin()
        .args(["ingest", "--json", "--db"])
        .arg(&db)
        .arg(dir.join("a.txt"))
        .arg(dir.join("b.txt"))
        .arg(dir.join("c.txt"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let ids: Vec<String> = ["a.txt", "b.txt", "c.txt"]
        .iter()
        .map(|f| {
            let out = bin().arg("analyze").arg(dir.join(f)).output().unwrap();
            json_lines(&out)[0]["id"].as_str().unwrap().to_string()
        })
        .collect();
    let show = |id: &str| {
        let out = bin()
            .args(["show", "--json", "--db"])
            .arg(&db)
            .arg(id)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_str::<serde_json::Value>(&stdout(&out)).unwrap()
    };
    let (a, b, c) = (show(&ids[0]), show(&ids[1]), show(&ids[2]));
    let originals: Vec<Option<&str>> = [&a, &b, &c]
        .iter()
        .map(|d| d["duplicate_of"].as_str())
        .collect();
    // one of a/b is the original, the other points to it; c stands alone
    assert!(
        originals[0] == Some(ids[1].as_str()) && originals[1].is_none()
            || originals[1] == Some(ids[0].as_str()) && originals[0].is_none(),
        "{originals:?} for {ids:?}"
    );
    assert!(originals[2].is_none());
    let out = bin()
        .args(["stories", "--json", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let stories: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let with_a = stories
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["documents"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d == ids[0].as_str())
        })
        .unwrap();
    assert!(
        with_a["documents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d == ids[1].as_str()),
        "the copy is in its original's story: {stories}"
    );
}
