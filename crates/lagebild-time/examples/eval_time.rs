//! Score the tagger on TimeML corpora.
//!
//! `cargo run --release -p lagebild-time --example eval_time` runs the whole report over
//! the shared corpora (path from `LAGEBILD_SHARED`, else `../../../shared` relative to the
//! crate); it prints a message and exits 0 when they are absent.
//! `eval_time DIR LANG [--narrative|--news] [--timex2] [--errors] [--half 1|2]` scores one
//! directory; `--system DIR` scores another system's TimeML output instead of ours.

use lagebild_time::eval::{eval_docs, score_pairs, tag_doc, Scores};
use lagebild_time::timeml::{parse_timeml, parse_timex2_inline, TimemlDoc};
use lagebild_time::{Mode, TimeTagger};
use std::path::{Path, PathBuf};

fn load(dir: &Path, timex2: bool) -> Vec<(String, TimemlDoc)> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    names.retain(|p| {
        let n = p.to_string_lossy();
        n.ends_with(".tml") || n.ends_with(".xml")
    });
    names.sort();
    let mut out = Vec::new();
    for p in names {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let Ok(raw) = std::fs::read_to_string(&p) else {
            eprintln!("skip unreadable {name}");
            continue;
        };
        let doc = if timex2 {
            parse_timex2_inline(&raw, &name)
        } else {
            parse_timeml(&raw, &name)
        };
        match doc {
            Ok(d) => out.push((name, d)),
            Err(e) => eprintln!("skip {e}"),
        }
    }
    out
}

fn halves(docs: &[(String, TimemlDoc)]) -> (Vec<TimemlDoc>, Vec<TimemlDoc>) {
    let k = docs.len().div_ceil(2);
    let all: Vec<TimemlDoc> = docs.iter().map(|(_, d)| d.clone()).collect();
    (all[..k].to_vec(), all[k..].to_vec())
}

fn report(
    t: &TimeTagger,
    label: &str,
    docs: &[(String, TimemlDoc)],
    lang: &str,
    mode: Option<Mode>,
) {
    let all: Vec<TimemlDoc> = docs.iter().map(|(_, d)| d.clone()).collect();
    let (a, b) = halves(docs);
    println!("{label} all   {}", eval_docs(t, &all, lang, mode));
    println!("{label} half1 {}", eval_docs(t, &a, lang, mode));
    println!("{label} half2 {}", eval_docs(t, &b, lang, mode));
}

fn print_errors(t: &TimeTagger, docs: &[TimemlDoc], lang: &str, mode: Option<Mode>) {
    for d in docs {
        let sys = tag_doc(t, d, lang, mode);
        let pairs = lagebild_time::eval::align(&d.timexes, &sys);
        let mut gm = vec![false; d.timexes.len()];
        let mut sm = vec![false; sys.len()];
        for &(gi, si) in &pairs {
            gm[gi] = true;
            sm[si] = true;
            let (g, s) = (&d.timexes[gi], &sys[si]);
            let gt = &d.text[g.start..g.end];
            if g.value.trim() != s.value || g.start != s.start || g.end != s.end {
                println!(
                    "MISMATCH {} dct={:?} gold [{}] {} {} | sys [{}] {} {}",
                    d.id, d.dct, gt, g.kind, g.value, s.text, s.kind, s.value
                );
            }
        }
        for (gi, g) in d.timexes.iter().enumerate() {
            if !gm[gi] {
                let ctx_s = d.text[..g.start]
                    .char_indices()
                    .rev()
                    .nth(30)
                    .map(|x| x.0)
                    .unwrap_or(0);
                println!(
                    "MISSED {} [{}] {} {} ctx: {}",
                    d.id,
                    &d.text[g.start..g.end],
                    g.kind,
                    g.value,
                    d.text[ctx_s..g.end].replace('\n', " ")
                );
            }
        }
        for (si, s) in sys.iter().enumerate() {
            if !sm[si] {
                let ctx_s = d.text[..s.start]
                    .char_indices()
                    .rev()
                    .nth(30)
                    .map(|x| x.0)
                    .unwrap_or(0);
                println!(
                    "SPURIOUS {} [{}] {} {} ctx: {}",
                    d.id,
                    s.text,
                    s.kind,
                    s.value,
                    d.text[ctx_s..s.end].replace('\n', " ")
                );
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let t = TimeTagger::embedded();
    let flag = |f: &str| args.iter().any(|a| a == f);
    let opt = |f: &str| {
        args.iter()
            .position(|a| a == f)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let mode = if flag("--narrative") {
        Some(Mode::Narrative)
    } else if flag("--news") {
        Some(Mode::News)
    } else {
        None
    };
    let pos: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            let after_opt = *i > 0 && matches!(args[i - 1].as_str(), "--system" | "--half");
            !(a.starts_with("--") || after_opt)
        })
        .map(|(_, a)| a)
        .collect();
    if pos.len() >= 2 {
        let docs = load(Path::new(pos[0]), flag("--timex2"));
        let lang = pos[1].as_str();
        let sel: Vec<TimemlDoc> = match opt("--half").as_deref() {
            Some("1") => halves(&docs).0,
            Some("2") => halves(&docs).1,
            _ => docs.iter().map(|(_, d)| d.clone()).collect(),
        };
        if let Some(sys_dir) = opt("--system") {
            let sys = load(Path::new(&sys_dir), false);
            let pairs: Vec<(TimemlDoc, TimemlDoc)> = docs
                .iter()
                .filter_map(|(n, g)| {
                    sys.iter()
                        .find(|(m, _)| m == n)
                        .map(|(_, s)| (g.clone(), s.clone()))
                })
                .collect();
            println!("system {}", score_pairs(&pairs));
            return;
        }
        if flag("--errors") {
            print_errors(&t, &sel, lang, mode);
        }
        println!("{}", eval_docs(&t, &sel, lang, mode));
        return;
    }
    let root = std::env::var("LAGEBILD_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let time = root.join("data/time");
    if !time.is_dir() {
        println!(
            "shared corpora not found at {} (set LAGEBILD_SHARED); skipping",
            time.display()
        );
        return;
    }
    let k = time.join("krauts/KRAUTS_Dolomiten-100");
    let kd = load(&k, false);
    report(&t, "KRAUTS-Dolomiten-100 (de)", &kd, "de", mode);
    let hd = load(&time.join("krauts/KRAUTS_Dolomiten-100_Heideltime"), false);
    let pairs: Vec<(TimemlDoc, TimemlDoc)> = kd
        .iter()
        .filter_map(|(n, g)| {
            hd.iter()
                .find(|(m, _)| m == n)
                .map(|(_, s)| (g.clone(), s.clone()))
        })
        .collect();
    let mut hs: Scores = score_pairs(&pairs);
    hs.finish();
    println!("KRAUTS-Dolomiten-100 HeidelTime output {hs}");
    let tb = load(&time.join("timebank/TimeBank"), false);
    report(&t, "TimeBank (en)", &tb, "en", mode);
    let ww = load(&time.join("wikiwarsde/WikiWarsDE_20110412/keyinline"), true);
    report(&t, "WikiWarsDE (de, auto mode)", &ww, "de", mode);
}
