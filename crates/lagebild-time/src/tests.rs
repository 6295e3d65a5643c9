use super::*;

fn tag(text: &str, lang: &str, dct: Option<&str>) -> Vec<(String, String, String)> {
    let t = TimeTagger::embedded();
    t.tag(text, &[], lang, dct, Mode::News)
        .into_iter()
        .map(|t| (t.text, t.kind, t.value))
        .collect()
}

fn has(r: &[(String, String, String)], text: &str, kind: &str, value: &str) -> bool {
    r.iter()
        .any(|(t, k, v)| t == text && k == kind && v == value)
}

#[track_caller]
fn expect(text: &str, lang: &str, dct: &str, want: &[(&str, &str, &str)]) {
    let r = tag(text, lang, Some(dct));
    for (t, k, v) in want {
        assert!(
            has(&r, t, k, v),
            "{text:?}: wanted ({t}, {k}, {v}), got {r:?}"
        );
    }
}

#[test]
fn explicit_dates() {
    expect(
        "Die Wahl fand am 1. November 2024 statt.",
        "de",
        "2024-11-05",
        &[("1. November 2024", "DATE", "2024-11-01")],
    );
    expect(
        "Der Bericht vom 03.05.2021 liegt vor.",
        "de",
        "2024-11-05",
        &[("03.05.2021", "DATE", "2021-05-03")],
    );
    expect(
        "The vote was held on Nov. 1, 2024, officials said.",
        "en",
        "2024-11-05",
        &[("Nov. 1, 2024", "DATE", "2024-11-01")],
    );
    expect(
        "Im Jahr 2013 wurde die Brücke gebaut.",
        "de",
        "2024-11-05",
        &[("Jahr 2013", "DATE", "2013")],
    );
    expect(
        "Sales rose in 1998.",
        "en",
        "2024-11-05",
        &[("1998", "DATE", "1998")],
    );
}

#[test]
fn relative_days_and_parts_of_day() {
    expect(
        "Gestern wurde der Tunnel eröffnet, heute Abend feiert das Dorf.",
        "de",
        "2024-11-05",
        &[
            ("Gestern", "DATE", "2024-11-04"),
            ("heute Abend", "TIME", "2024-11-05TEV"),
        ],
    );
    expect(
        "Am Morgen regnete es, morgen soll es schneien.",
        "de",
        "2024-11-05",
        &[("morgen", "DATE", "2024-11-06")],
    );
    let r = tag("Am Morgen regnete es.", "de", Some("2024-11-05"));
    assert!(!r.iter().any(|(_, _, v)| v == "2024-11-06"), "{r:?}");
    expect(
        "The mayor resigned yesterday and left last night.",
        "en",
        "2024-11-05",
        &[
            ("yesterday", "DATE", "2024-11-04"),
            ("last night", "TIME", "2024-11-04TNI"),
        ],
    );
}

#[test]
fn weekdays_follow_tense() {
    // 2024-11-05 is a Tuesday
    expect(
        "Der Minister war am Freitag in Bozen.",
        "de",
        "2024-11-05",
        &[("Freitag", "DATE", "2024-11-01")],
    );
    expect(
        "Der Minister wird am Freitag nach Bozen reisen.",
        "de",
        "2024-11-05",
        &[("Freitag", "DATE", "2024-11-08")],
    );
    expect(
        "The minister arrived on Friday.",
        "en",
        "2024-11-05",
        &[("Friday", "DATE", "2024-11-01")],
    );
    expect(
        "The minister will arrive on Friday.",
        "en",
        "2024-11-05",
        &[("Friday", "DATE", "2024-11-08")],
    );
    expect(
        "Am vergangenen Samstag wurde gewählt.",
        "de",
        "2024-11-05",
        &[("vergangenen Samstag", "DATE", "2024-11-02")],
    );
}

#[test]
fn months_and_modifiers() {
    expect(
        "Im Mai wurden 40 Arbeiter entlassen.",
        "de",
        "2024-11-05",
        &[("Mai", "DATE", "2024-05")],
    );
    expect(
        "Mitte September begann die Lese.",
        "de",
        "2024-11-05",
        &[("Mitte September", "DATE", "2024-09")],
    );
    expect(
        "Anfang dieses Monats stieg der Preis.",
        "de",
        "2024-11-05",
        &[("Anfang dieses Monats", "DATE", "2024-11")],
    );
    expect(
        "Letztes Jahr kamen mehr Gäste, diese Woche weniger.",
        "de",
        "2024-11-05",
        &[
            ("Letztes Jahr", "DATE", "2023"),
            ("diese Woche", "DATE", "2024-W45"),
        ],
    );
    expect(
        "Das Museum war von September bis November 2023 geschlossen.",
        "de",
        "2024-11-05",
        &[
            ("September", "DATE", "2023-09"),
            ("November 2023", "DATE", "2023-11"),
        ],
    );
    expect(
        "Prices fell early last year and in the third quarter.",
        "en",
        "2024-11-05",
        &[
            ("early last year", "DATE", "2023"),
            ("the third quarter", "DATE", "2024-Q3"),
        ],
    );
}

#[test]
fn durations_sets_refs() {
    expect(
        "Er lebt seit 20 Jahren in Meran und war zwei Wochen krank.",
        "de",
        "2024-11-05",
        &[
            ("20 Jahren", "DURATION", "P20Y"),
            ("zwei Wochen", "DURATION", "P2W"),
        ],
    );
    expect(
        "Die Bauern klagen seit Jahren, derzeit ist es ruhig.",
        "de",
        "2024-11-05",
        &[
            ("Jahren", "DURATION", "PXY"),
            ("derzeit", "DATE", "PRESENT_REF"),
        ],
    );
    expect(
        "Der Markt findet jeden Montag statt, das Fest jährlich.",
        "de",
        "2024-11-05",
        &[
            ("jeden Montag", "SET", "XXXX-WXX-1"),
            ("jährlich", "SET", "P1Y"),
        ],
    );
    expect(
        "The talks lasted three days; prices are reviewed every month.",
        "en",
        "2024-11-05",
        &[
            ("three days", "DURATION", "P3D"),
            ("every month", "SET", "P1M"),
        ],
    );
    expect(
        "The plant closed two years ago and is now empty.",
        "en",
        "2024-11-05",
        &[
            ("two years ago", "DATE", "2022"),
            ("now", "DATE", "PRESENT_REF"),
        ],
    );
    // ages are not durations
    let r = tag("Der Mann ist 31 Jahre alt.", "de", Some("2024-11-05"));
    assert!(r.is_empty(), "{r:?}");
}

#[test]
fn times_seasons_holidays_decades() {
    expect(
        "Der Unfall passierte am 3. Oktober um 19:47 Uhr.",
        "de",
        "2024-11-05",
        &[("19:47 Uhr", "TIME", "2024-10-03T19:47")],
    );
    expect(
        "Im Sommer 2015 und zu Ostern 2024 war viel los.",
        "de",
        "2024-11-05",
        &[
            ("Sommer 2015", "DATE", "2015-SU"),
            ("Ostern 2024", "DATE", "2024-03-31"),
        ],
    );
    expect(
        "In den 90er Jahren und im 19. Jahrhundert.",
        "de",
        "2024-11-05",
        &[
            ("den 90er Jahren", "DATE", "199"),
            ("19. Jahrhundert", "DATE", "18"),
        ],
    );
    expect(
        "The meeting will start at 5 p.m. Thursday.",
        "en",
        "2024-11-05",
        &[("5 p.m. Thursday", "TIME", "2024-11-07T17:00")],
    );
}

#[test]
fn no_dct_gives_underspecified_values() {
    let r = tag("Im Mai war es warm, 2019 auch.", "de", None);
    assert!(has(&r, "Mai", "DATE", "XXXX-05"), "{r:?}");
    assert!(has(&r, "2019", "DATE", "2019"), "{r:?}");
}

#[test]
fn narrative_mode_uses_last_date() {
    let t = TimeTagger::embedded();
    let text = "Im Jahr 1939 begann der Krieg. Im September fiel Warschau.";
    let r = t.tag(text, &[], "de", Some("2011-02-16"), Mode::Narrative);
    assert!(
        r.iter()
            .any(|x| x.text == "September" && x.value == "1939-09"),
        "{r:?}"
    );
    assert_eq!(t.choose_mode(text, "de", None), Mode::Narrative);
    assert_eq!(
        t.choose_mode("Gestern kam der Minister.", "de", Some("2024-11-05")),
        Mode::News
    );
}

#[test]
fn infer_dct_from_text() {
    let t = TimeTagger::embedded();
    let (d, how) = t
        .infer_dct("Bozen, 12. März 2015 - Der Landtag tagte.", "de")
        .unwrap();
    assert_eq!(d, "2015-03-12");
    assert_eq!(how, "dateline");
    // 1 November was a Friday in 2024 (and 2019, 2013): the latest such year not after
    // the latest year the text mentions (here 2024)
    let (d, how) = t
        .infer_dct(
            "Das Treffen ist am Freitag, dem 1. November. Seit 2024 gilt die Regel.",
            "de",
        )
        .unwrap();
    assert_eq!(d, "2024-11-01", "{how}");
    assert!(how.starts_with("weekday"));
    assert!(t.infer_dct("Kein Datum hier.", "de").is_none());
}

#[test]
fn offsets_are_char_boundaries_and_odd_input_is_safe() {
    let t = TimeTagger::embedded();
    let long = "x".repeat(5000);
    let inputs = [
        "",
        ".",
        "ü",
        "2024-13-45",
        "31.02.2020",
        "am 99. Dezember",
        "ÄÖÜ gestern ßß 2014€",
        "😀 am Freitag 😀 um 25:99 Uhr",
        "vor\u{a0}drei Jahren",
        "1. 2. 3.",
        "Jahr 9999",
        "the 10:99 p.m.",
        "nineteen",
        "\n\n\t",
        "seit seit seit",
        long.as_str(),
    ];
    for s in inputs {
        for lang in ["de", "en", "fr"] {
            for dct in [None, Some("2024-02-29"), Some("garbage")] {
                for mode in [Mode::News, Mode::Narrative] {
                    for x in t.tag(s, &[], lang, dct, mode) {
                        assert!(s.is_char_boundary(x.start) && s.is_char_boundary(x.end));
                        assert_eq!(&s[x.start..x.end], x.text);
                    }
                }
            }
            let _ = t.infer_dct(s, lang);
            let _ = t.choose_mode(s, lang, None);
        }
    }
    // sentence spans out of range are tolerated
    let _ = t.tag(
        "Gestern.",
        &[(3, 100), (50, 2)],
        "de",
        Some("2024-01-01"),
        Mode::News,
    );
}

#[test]
fn from_files_reports_file_and_line() {
    let mut files = TimeTagger::embedded_files();
    files[0].1 = "month\tJanuar\t1\nbroken line without tabs\n";
    let err = TimeTagger::from_files(&files).err().expect("error");
    let msg = err.to_string();
    assert!(msg.contains("time/de.tsv:2"), "{msg}");
    let files = vec![
        ("time/de.tsv", "month\tJanuar\t1\n"),
        ("time/rules.tsv", "de\tdate\t{nosuchcategory}\n"),
    ];
    let msg = TimeTagger::from_files(&files)
        .err()
        .expect("error")
        .to_string();
    assert!(
        msg.contains("time/rules.tsv:1") && msg.contains("nosuchcategory"),
        "{msg}"
    );
}

#[test]
fn tagger_is_send_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<TimeTagger>();
}

#[test]
fn timeml_and_scoring() {
    let xml = "<TimeML><DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"2014-02-18\" functionInDocument=\"CREATION_TIME\">2014-02-18</TIMEX3></DCT><TEXT>Die Diebe kamen <EVENT eid=\"e1\">gestern</EVENT> am <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"2014-02-15\">Samstag</TIMEX3> &amp; blieben <TIMEX3 tid=\"t2\" type=\"DURATION\" value=\"P2D\">zwei Tage</TIMEX3>.<TIMEX3 tid=\"t3\" type=\"DATE\" value=\"PAST_REF\" /></TEXT></TimeML>";
    let d = timeml::parse_timeml(xml, "x.tml").unwrap();
    assert_eq!(d.dct.as_deref(), Some("2014-02-18"));
    assert_eq!(d.timexes.len(), 2);
    assert_eq!(&d.text[d.timexes[0].start..d.timexes[0].end], "Samstag");
    assert!(d.text.contains("gestern am Samstag & blieben"));
    let t = TimeTagger::embedded();
    let mut s = eval::Scores::default();
    let sys = t.tag(&d.text, &[], "de", d.dct.as_deref(), Mode::News);
    eval::score_doc(&d.timexes, &sys, &mut s);
    s.finish();
    assert_eq!(s.gold, 2);
    assert!(s.relaxed == 2 && s.value_correct == 2, "{s:?} {sys:?}");
    let sg = "<DOC><DATETIME> <TIMEX2 val=\"2011-02-16\">x</TIMEX2> </DATETIME><TEXT>Am <TIMEX2 val=\"1939-09-01\">1. September <TIMEX2 val=\"1939\">1939</TIMEX2></TIMEX2> begann es.</TEXT></DOC>";
    let d = timeml::parse_timex2_inline(sg, "w").unwrap();
    assert_eq!(d.dct.as_deref(), Some("2011-02-16"));
    assert_eq!(d.timexes.len(), 1);
    assert_eq!(d.timexes[0].value, "1939-09-01");
}

#[test]
fn explicit_years_stand_alone() {
    assert_eq!(
        crate::explicit_years("Im Jahr 2022, 1.2023 Euro, 8.000 Mann, 19:47, 2024."),
        vec![2022, 2024]
    );
}

#[test]
fn quarters_named_in_the_text_anchor_later_references() {
    // 1989-10-26: the fourth quarter is under way, the third was just reported
    let dct = "1989-10-26";
    let r = tag(
        "Profit rose in the third quarter. A year earlier it had fallen. \
         Sales were flat a year ago. In the quarter, costs rose.",
        "en",
        Some(dct),
    );
    // a derived quarter ("a year earlier" = 1988-Q3) does not become the new anchor
    assert!(has(&r, "A year earlier", "DATE", "1988-Q3"), "{r:?}");
    assert!(has(&r, "a year ago", "DATE", "1988-Q3"), "{r:?}");
    assert!(has(&r, "the quarter", "DATE", "1989-Q3"), "{r:?}");
    // a forecast quarter is no anchor for "the year-ago period": that is the last
    // completed quarter (1989-Q3) a year back
    expect(
        "Losses may last through the third quarter of 1990. In the year-ago period, it earned $1.",
        "en",
        dct,
        &[("the year-ago period", "DATE", "1988-Q3")],
    );
    expect(
        "Earnings fell in the second quarter. Net rose in the 1988 quarter, and in last year's period.",
        "en",
        dct,
        &[
            ("the 1988 quarter", "DATE", "1988-Q2"),
            ("last year's period", "DATE", "1988-Q2"),
        ],
    );
    expect(
        "Net income rose in the third quarter, up from the year-ago third quarter.",
        "en",
        dct,
        &[("the year-ago third quarter", "DATE", "1988-Q3")],
    );
    expect(
        "Revenue rose in the second quarter. For the quarter a year ago, it was lower.",
        "en",
        dct,
        &[("the quarter a year ago", "DATE", "1988-Q2")],
    );
    // "latest" is the last reported quarter even in a sentence about the future,
    // "current" the quarter the DCT lies in
    expect(
        "He expects revenue in the latest quarter to reach $28 million.",
        "en",
        dct,
        &[("the latest quarter", "DATE", "1989-Q3")],
    );
    expect(
        "Profit fell in the current quarter.",
        "en",
        dct,
        &[("the current quarter", "DATE", "1989-Q4")],
    );
    // a fraction is no duration
    let r = tag(
        "Junk bonds made up more than a quarter of the fund.",
        "en",
        Some(dct),
    );
    assert!(r.is_empty(), "{r:?}");
}

#[test]
fn english_year_phrases_and_references() {
    let dct = "1989-10-26";
    expect(
        "The firm lost $5 million in the fiscal year ended Sept. 30.",
        "en",
        dct,
        &[("the fiscal year", "DURATION", "P1Y")],
    );
    expect(
        "Sales rose in the first nine months of the year, and it expects a gain for the full year.",
        "en",
        dct,
        &[
            ("the year", "DATE", "1989"),
            ("the full year", "DATE", "1989"),
        ],
    );
    expect(
        "Shipments were delayed earlier in the year and will resume by year-end.",
        "en",
        dct,
        &[
            ("earlier in the year", "DATE", "1989"),
            ("year-end", "DATE", "1989"),
        ],
    );
    expect(
        "The plant will reopen soon, and the deal may close at a later date; in the near term little changes.",
        "en",
        dct,
        &[
            ("soon", "DATE", "FUTURE_REF"),
            ("a later date", "DATE", "FUTURE_REF"),
            ("the near term", "DATE", "FUTURE_REF"),
        ],
    );
    expect(
        "Profits grew for the first time in years.",
        "en",
        dct,
        &[("years", "DURATION", "PXY")],
    );
    // "as soon as" is a conjunction; "previously" is no temporal expression
    let r = tag(
        "Trading stops as soon as the offer expires. He previously ran a bank.",
        "en",
        Some(dct),
    );
    assert!(r.is_empty(), "{r:?}");
}

#[test]
fn irregular_past_verbs_set_the_tense() {
    // present tense would pick the nearest January (1990); "brought" is past
    expect(
        "In January, the company brought in a new chief executive.",
        "en",
        "1989-10-26",
        &[("January", "DATE", "1989-01")],
    );
}

#[test]
fn anaphoric_relative_periods_and_spans_of_months() {
    // "the following month" counts from the month the text named, "next month" from the DCT
    expect(
        "The plant closed in March 1989. The following month, it reopened; next month it expands.",
        "en",
        "1989-10-27",
        &[
            ("The following month", "DATE", "1989-04"),
            ("next month", "DATE", "1989-11"),
        ],
    );
    // a sentence about the nine months compares years, not quarters
    expect(
        "Profit fell in the third quarter. For the nine months, net rose 5% from a year earlier.",
        "en",
        "1989-10-27",
        &[("a year earlier", "DATE", "1988")],
    );
}

#[test]
fn sentences_end_after_closing_quotes() {
    let text = "He said ``we lost.'' The team will play again.";
    let s = split_sentences(text);
    assert_eq!(s.len(), 2, "{s:?}");
    assert_eq!(&text[s[0].0..s[0].1], "He said ``we lost.''");
    // the future of the next sentence does not reach back over the quote
    expect(
        "On Friday, the minister said he had ``no doubts.'' The cabinet will meet again.",
        "en",
        "2024-11-10",
        &[("Friday", "DATE", "2024-11-08")],
    );
}

#[test]
fn mixed_tense_sentences_take_the_nearest_verb() {
    expect(
        "A spokesman said Thursday that the troops will stay.",
        "en",
        "2024-11-08",
        &[("Thursday", "DATE", "2024-11-07")],
    );
    expect(
        "The minister said the new cabinet will meet on Monday.",
        "en",
        "2024-11-08",
        &[("Monday", "DATE", "2024-11-11")],
    );
}

#[test]
fn spoken_years_with_months_and_seasons() {
    expect(
        "It snowed in January nineteen ninety-seven and in the winter of nineteen ninety-four.",
        "en",
        "1998-03-01",
        &[
            ("January nineteen ninety-seven", "DATE", "1997-01"),
            ("the winter of nineteen ninety-four", "DATE", "1994-WI"),
        ],
    );
    let r = tag(
        "Only twenty six came to the meeting.",
        "en",
        Some("1998-03-01"),
    );
    assert!(r.is_empty(), "a number is not a year: {r:?}");
}

#[test]
fn english_durations_with_couples_fractions_and_more() {
    expect(
        "The talks ran for a couple of years, and the base stays for 20 more years.",
        "en",
        "2024-11-05",
        &[
            ("a couple of years", "DURATION", "P2Y"),
            ("20 more years", "DURATION", "P20Y"),
        ],
    );
    expect(
        "The fire burned for a minute and a half; the family lived there for 2 1/2 years.",
        "en",
        "2024-11-05",
        &[
            ("a minute and a half", "DURATION", "PT1M30S"),
            ("2 1/2 years", "DURATION", "P2Y6M"),
        ],
    );
    expect(
        "The lease may be extended for an additional year.",
        "en",
        "2024-11-05",
        &[("an additional year", "DURATION", "P1Y")],
    );
    // German keeps decimal fractions
    expect(
        "Die Fahrt dauerte dreieinhalb Minuten.",
        "de",
        "2024-11-05",
        &[("dreieinhalb Minuten", "DURATION", "PT3.5M")],
    );
}

#[test]
fn english_vague_spans() {
    expect(
        "Within weeks the plan failed. Over the years the town grew.",
        "en",
        "2024-11-05",
        &[
            ("weeks", "DURATION", "PXW"),
            ("the years", "DURATION", "PXY"),
        ],
    );
    expect(
        "It was a several-year review. Prices will slow in coming months.",
        "en",
        "2024-11-05",
        &[
            ("several-year", "DURATION", "PXY"),
            ("coming months", "DATE", "FUTURE_REF"),
        ],
    );
    expect(
        "We will have to live without it for a while, the troops may stay for some time.",
        "en",
        "2024-11-05",
        &[
            ("a while", "DURATION", "PXX"),
            ("some time", "DURATION", "PXX"),
        ],
    );
}

#[test]
fn at_the_time_is_a_past_reference_only_on_its_own() {
    expect(
        "In May he resigned; at the time, he was ill.",
        "en",
        "2024-11-05",
        &[("the time", "DATE", "PAST_REF")],
    );
    expect(
        "He was ill at the time.",
        "en",
        "2024-11-05",
        &[("the time", "DATE", "PAST_REF")],
    );
    let r = tag(
        "He slept at the time of the attack.",
        "en",
        Some("2024-11-05"),
    );
    assert!(r.is_empty(), "{r:?}");
}

#[test]
fn that_year_and_the_following_day_refer_to_the_time_named_before() {
    expect(
        "Sales rose in 1988. That year the firm hired 300 people.",
        "en",
        "2024-11-05",
        &[("That year", "DATE", "1988")],
    );
    expect(
        "He was arrested on March 3, 2024 and charged the following day.",
        "en",
        "2024-11-05",
        &[("the following day", "DATE", "2024-03-04")],
    );
    // nothing named before: no value to give
    let r = tag("Traders lost money that day.", "en", Some("2024-11-05"));
    assert!(r.is_empty(), "{r:?}");
    let r = tag("It was the last day of trading.", "en", Some("2024-11-05"));
    assert!(r.is_empty(), "{r:?}");
}

#[test]
fn offsets_with_or_so_and_frequencies() {
    expect(
        "A week or so ago the general chose the date.",
        "en",
        "2024-11-06",
        &[("A week or so ago", "DATE", "2024-W44")],
    );
    expect(
        "She runs twice a week and travels three times a year.",
        "en",
        "2024-11-06",
        &[
            ("twice a week", "SET", "P1W"),
            ("three times a year", "SET", "P1Y"),
        ],
    );
}

#[test]
fn times_of_day_in_broadcast_news() {
    expect(
        "The plane landed at 7:30 this morning; the leaders meet at 8 tonight.",
        "en",
        "2024-11-06",
        &[
            ("7:30 this morning", "TIME", "2024-11-06T07:30"),
            ("8 tonight", "TIME", "2024-11-06T20:00"),
        ],
    );
    expect(
        "Shots were heard at 11:45 last night.",
        "en",
        "2024-11-06",
        &[("11:45 last night", "TIME", "2024-11-05T23:45")],
    );
    expect(
        "He arrived in Paris later in the day. By mid afternoon the rain had stopped.",
        "en",
        "2024-11-06",
        &[
            ("later in the day", "DATE", "2024-11-06"),
            ("mid afternoon", "TIME", "2024-11-06TAF"),
        ],
    );
}

#[test]
fn quoted_titles_and_opening_spans() {
    let r = tag(
        "The minister spoke on the programme \"This Week,\" on Sunday.",
        "en",
        Some("2024-11-06"),
    );
    assert!(!r.iter().any(|(t, _, _)| t.contains("This Week")), "{r:?}");
    // a quoted sentence opening with a weekday still counts
    expect(
        "\"Next Monday we vote,\" she said.",
        "en",
        "2024-11-06",
        &[("Next Monday", "DATE", "2024-11-11")],
    );
    expect(
        "Hundreds were taken prisoner in the first hours of the offensive.",
        "en",
        "2024-11-06",
        &[("the first hours", "DURATION", "PTXH")],
    );
    expect(
        "For the time being he stays.",
        "en",
        "2024-11-06",
        &[("the time being", "DATE", "PRESENT_REF")],
    );
}
