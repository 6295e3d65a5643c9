//! `lagebild eval extract`: main-text extraction, dates, titles and authors on
//! the web-page benchmarks of `../shared/data/extract` (each scored by its own
//! metric, see `lagebild_html::eval`), optionally beside another extractor's
//! outputs (`--compare DIR`, written by `tools/extract/run_trafilatura.sh`).

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;
use lagebild_html::eval::{self, Counts, ShingleMean};
use serde_json::Value;

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The folder with the benchmarks (trafilatura/, htmldate/, zyte/, wcxb-dev/).
    #[arg(long, default_value = "../shared/data/extract")]
    data: PathBuf,
    /// One benchmark only: trafilatura, htmldate, zyte, wcxb or fixtures.
    #[arg(long)]
    only: Option<String>,
    /// Most pages per benchmark (a slice for quick checks).
    #[arg(long)]
    limit: Option<usize>,
    /// Another extractor's outputs (`BENCH.jsonl` with id, text, title, author,
    /// date, ms per line), scored beside ours.
    #[arg(long, value_name = "DIR")]
    compare: Option<PathBuf>,
    /// Our own annotated pages (NAME.html + NAME.json with with/without/title/
    /// author/date), scored by the snippet rule.
    #[arg(long, default_value = "crates/lagebild-html/tests/fixtures")]
    fixtures: PathBuf,
    /// Print the N worst pages of each benchmark (ours).
    #[arg(long, value_name = "N")]
    worst: Option<usize>,
    /// Write our outputs as BENCH.jsonl into this folder (the --compare format).
    #[arg(long, value_name = "DIR")]
    dump: Option<PathBuf>,
    /// Score one half of each benchmark only: `odd` or `even` pages by their
    /// 0-based index in the evaluation order (sorted URL / id / file name),
    /// so that errors can be studied on one half and checked on the other.
    #[arg(long, value_name = "odd|even")]
    half: Option<String>,
}

/// Keeps the pages of one half (`odd` or `even` 0-based index), or all.
fn keep_half(pages: Vec<Page>, half: Option<&str>) -> Vec<Page> {
    let Some(h) = half else {
        return pages;
    };
    let odd = h == "odd";
    pages
        .into_iter()
        .enumerate()
        .filter(|(i, _)| (i % 2 == 1) == odd)
        .map(|(_, p)| p)
        .collect()
}

/// One page of a benchmark with its gold.
struct Page {
    id: String,
    url: Option<String>,
    bytes: Vec<u8>,
    german: bool,
    gold: Gold,
}

#[derive(Default)]
struct Gold {
    with: Vec<String>,
    without: Vec<String>,
    body: Option<String>,
    title: Option<String>,
    author: Option<String>,
    date: Option<String>,
    has_date: bool,
    page_type: Option<String>,
}

/// What an extractor produced for one page.
#[derive(Default, Clone)]
struct Output {
    text: Option<String>,
    title: Option<String>,
    author: Option<String>,
    date: Option<String>,
    is_article: Option<bool>,
    ms: f64,
}

/// Scores of one extractor on one slice of a benchmark.
#[derive(Default)]
struct Score {
    pages: usize,
    snippets: Counts,
    shingles: ShingleMean,
    bow: (f64, f64, f64),
    date: Counts,
    title: (usize, usize),
    author: (usize, usize),
    kind: (usize, usize),
    ms: f64,
}

#[derive(Clone, Copy, PartialEq)]
enum Metric {
    Snippets,
    Dates,
    Shingles,
    BagOfWords,
}

impl Score {
    fn add(&mut self, metric: Metric, g: &Gold, o: &Output) -> f64 {
        self.pages += 1;
        self.ms += o.ms;
        let text = o.text.as_deref();
        let page = match metric {
            Metric::Snippets => {
                let c = eval::snippets(text, &g.with, &g.without);
                self.snippets.add(c);
                c.f1()
            }
            Metric::Shingles => {
                let s = eval::shingles(text.unwrap_or(""), g.body.as_deref().unwrap_or(""));
                self.shingles.add(s);
                eval::f1(s.0 / (s.0 + s.1).max(1e-9), s.0 / (s.0 + s.2).max(1e-9))
            }
            Metric::BagOfWords => {
                let (p, r, f) =
                    eval::bag_of_words(text.unwrap_or(""), g.body.as_deref().unwrap_or(""));
                self.bow.0 += p;
                self.bow.1 += r;
                self.bow.2 += f;
                f
            }
            Metric::Dates => 0.0,
        };
        if metric == Metric::Dates || g.has_date {
            self.date.add_date(o.date.as_deref(), g.date.as_deref());
        }
        let field = |slot: &mut (usize, usize), gold: &Option<String>, found: &Option<String>| {
            if let Some(gv) = gold.as_deref().filter(|s| !s.trim().is_empty()) {
                slot.1 += 1;
                slot.0 += usize::from(eval::same_field(found.as_deref(), gv));
            }
        };
        field(&mut self.title, &g.title, &o.title);
        field(&mut self.author, &g.author, &o.author);
        if let (Some(t), Some(a)) = (&g.page_type, o.is_article) {
            self.kind.1 += 1;
            self.kind.0 += usize::from((t == "article") == a);
        }
        page
    }

    fn line(&self, metric: Metric, label: &str) -> String {
        let n = self.pages.max(1) as f64;
        let (p, r, f) = match metric {
            Metric::Snippets => (
                self.snippets.precision(),
                self.snippets.recall(),
                self.snippets.f1(),
            ),
            Metric::Shingles => (
                self.shingles.precision(),
                self.shingles.recall(),
                self.shingles.f1(),
            ),
            Metric::BagOfWords => (self.bow.0 / n, self.bow.1 / n, self.bow.2 / n),
            Metric::Dates => (self.date.precision(), self.date.recall(), self.date.f1()),
        };
        let pct = |(a, b): (usize, usize)| {
            if b == 0 {
                "    -".to_string()
            } else {
                format!("{:.3}", a as f64 / b as f64)
            }
        };
        let scored = self.date.tp + self.date.fp + self.date.fn_;
        let date = if metric == Metric::Dates || scored == 0 {
            "    -".to_string()
        } else {
            // Exact day among pages with a gold date (or a found date).
            format!("{:.3}", self.date.tp as f64 / scored as f64)
        };
        format!(
            "  {label:<12} {:>5}  {p:.3}  {r:.3}  {f:.3}  {date:>5}  {:>5}  {:>5}  {:>5}  {:>7.2}",
            self.pages,
            pct(self.title),
            pct(self.author),
            pct(self.kind),
            self.ms / n
        )
    }
}

pub fn run(a: &ExtractArgs) -> Result<ExitCode> {
    let want = |name: &str| a.only.as_deref().is_none_or(|o| o == name);
    if let Some(o) = a.only.as_deref() {
        if !["trafilatura", "htmldate", "zyte", "wcxb", "fixtures"].contains(&o) {
            bail!("--only: unknown benchmark {o} (trafilatura, htmldate, zyte, wcxb, fixtures)");
        }
    }
    if let Some(h) = a.half.as_deref() {
        if h != "odd" && h != "even" {
            bail!("--half: odd or even, not {h}");
        }
    }
    if !a.data.is_dir() && a.only.as_deref() != Some("fixtures") {
        bail!("benchmark folder {} not found (--data)", a.data.display());
    }
    if let Some(d) = &a.dump {
        std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
    }
    let other_name = a
        .compare
        .as_deref()
        .and_then(|d| std::fs::read_to_string(d.join("version.json")).ok())
        .and_then(|s| serde_json::from_str::<Value>(&s).ok())
        .map(|v| {
            format!(
                "{} {}{}",
                v["extractor"].as_str().unwrap_or("other"),
                v["version"].as_str().unwrap_or(""),
                if v["fast"].as_bool() == Some(true) {
                    " (fast)"
                } else {
                    ""
                }
            )
        })
        .unwrap_or_else(|| "other".into());
    println!(
        "  {:<12} {:>5}  {:<5}  {:<5}  {:<5}  {:>5}  {:>5}  {:>5}  {:>5}  {:>7}",
        "", "pages", "P", "R", "F1", "date", "title", "auth", "kind", "ms/page"
    );
    type Loader = fn(&Path, Option<usize>) -> Result<Vec<Page>>;
    let benches: [(&str, Metric, Loader); 4] = [
        ("trafilatura", Metric::Snippets, load_trafilatura),
        ("htmldate", Metric::Dates, load_htmldate),
        ("zyte", Metric::Shingles, load_zyte),
        ("wcxb", Metric::BagOfWords, load_wcxb),
    ];
    for (name, metric, load) in benches {
        if !want(name) {
            continue;
        }
        let pages = load(&a.data, a.limit).with_context(|| format!("reading benchmark {name}"))?;
        let pages = keep_half(pages, a.half.as_deref());
        let other = match &a.compare {
            Some(d) => Some(read_outputs(&d.join(format!("{name}.jsonl")))?),
            None => None,
        };
        report(name, metric, &pages, other.as_ref(), &other_name, a)?;
    }
    if want("fixtures") && a.fixtures.is_dir() {
        let pages = keep_half(load_fixtures(&a.fixtures, a.limit)?, a.half.as_deref());
        let other = match &a.compare {
            Some(d) if d.join("fixtures.jsonl").is_file() => {
                Some(read_outputs(&d.join("fixtures.jsonl"))?)
            }
            _ => None,
        };
        report(
            "fixtures",
            Metric::Snippets,
            &pages,
            other.as_ref(),
            &other_name,
            a,
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The main text our extractor finds in the German pages of the trafilatura and
/// htmldate benchmarks (unlabelled German text for `train ner`), in file order, each
/// text once.
pub(crate) fn german_page_texts(data: &Path) -> Result<Vec<String>> {
    let mut pages = load_trafilatura(data, None)?;
    pages.extend(load_htmldate(data, None)?);
    pages.retain(|p| p.german);
    pages.sort_by(|a, b| a.id.cmp(&b.id));
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for p in &pages {
        let html = lagebild_formats::decode_web_page(&p.bytes, None);
        let ex = lagebild_html::extract_with_url(&html, p.url.as_deref());
        if ex.language.as_deref() == Some("de") && seen.insert(ex.text.clone()) {
            out.push(ex.text);
        }
    }
    Ok(out)
}

fn ours(p: &Page) -> Output {
    let t0 = Instant::now();
    let html = lagebild_formats::decode_web_page(&p.bytes, None);
    let ex = lagebild_html::extract_with_url(&html, p.url.as_deref());
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    Output {
        text: Some(ex.text),
        title: ex.title,
        author: ex.author,
        date: ex.published,
        is_article: Some(ex.is_article),
        ms,
    }
}

fn report(
    name: &str,
    metric: Metric,
    pages: &[Page],
    other: Option<&HashMap<String, Output>>,
    other_name: &str,
    a: &ExtractArgs,
) -> Result<()> {
    let mut mine = [Score::default(), Score::default()];
    let mut theirs = [Score::default(), Score::default()];
    let mut missing = 0usize;
    let mut per_page: Vec<(f64, &str)> = Vec::new();
    let mut types: HashMap<String, [Score; 2]> = HashMap::new();
    let mut dump = Vec::new();
    for p in pages {
        let o = ours(p);
        let s = mine[0].add(metric, &p.gold, &o);
        if p.german {
            mine[1].add(metric, &p.gold, &o);
        }
        per_page.push((s, &p.id));
        let th = other.map(|m| {
            m.get(&p.id).cloned().unwrap_or_else(|| {
                missing += 1;
                Output::default()
            })
        });
        if let Some(t) = &th {
            theirs[0].add(metric, &p.gold, t);
            if p.german {
                theirs[1].add(metric, &p.gold, t);
            }
        }
        if let Some(pt) = &p.gold.page_type {
            let e = types.entry(pt.clone()).or_default();
            e[0].add(metric, &p.gold, &o);
            if let Some(t) = &th {
                e[1].add(metric, &p.gold, t);
            }
        }
        if a.dump.is_some() {
            dump.push(serde_json::json!({
                "id": p.id, "text": o.text, "title": o.title, "author": o.author,
                "date": o.date, "is_article": o.is_article, "ms": o.ms,
            }));
        }
    }
    let what = match metric {
        Metric::Snippets => "snippet P/R/F1 (micro)",
        Metric::Dates => "date P/R/F1 (htmldate rule)",
        Metric::Shingles => "4-shingle P/R/F1 (page means)",
        Metric::BagOfWords => "bag-of-words P/R/F1 (page means)",
    };
    println!("{name}: {} pages; {what}", pages.len());
    println!("{}", mine[0].line(metric, "lagebild"));
    if other.is_some() {
        println!("{}", theirs[0].line(metric, short(other_name)));
    }
    if mine[1].pages > 0 {
        println!("{}", mine[1].line(metric, "  German"));
        if other.is_some() {
            println!(
                "{}",
                theirs[1].line(metric, &format!("  {}", short(other_name)))
            );
        }
    }
    let mut tv: Vec<_> = types.into_iter().collect();
    tv.sort_by(|x, y| x.0.cmp(&y.0));
    for (t, s) in &tv {
        println!("{}", s[0].line(metric, &format!("  {t}")));
        if other.is_some() {
            println!("{}", s[1].line(metric, &format!("  {}", short(other_name))));
        }
    }
    if missing > 0 {
        println!("  ({missing} pages missing from the compared outputs: counted as empty)");
    }
    if let Some(n) = a.worst {
        per_page.sort_by(|x, y| x.0.total_cmp(&y.0));
        for (s, id) in per_page.iter().take(n) {
            println!("    worst {s:.3} {id}");
        }
    }
    if let Some(d) = &a.dump {
        let mut out = String::new();
        for v in dump {
            out.push_str(&v.to_string());
            out.push('\n');
        }
        let f = d.join(format!("{name}.jsonl"));
        std::fs::write(&f, out).with_context(|| format!("writing {}", f.display()))?;
    }
    Ok(())
}

fn short(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

// ------------------------------------------------------------------ loading

fn read_json(p: &Path) -> Result<Value> {
    let s = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
    serde_json::from_str(&s).with_context(|| format!("parsing {}", p.display()))
}

fn gunzip(p: &Path) -> Result<Vec<u8>> {
    let f = std::fs::File::open(p).with_context(|| format!("opening {}", p.display()))?;
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(f)
        .read_to_end(&mut out)
        .with_context(|| format!("decompressing {}", p.display()))?;
    Ok(out)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn opt_str(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

/// `file → text_lang` (or `id → text_lang`) from a languages.tsv.
fn languages(p: &Path) -> HashMap<String, String> {
    let mut m = HashMap::new();
    let Ok(s) = std::fs::read_to_string(p) else {
        return m;
    };
    let mut lines = s.lines();
    let head: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = head.iter().position(|h| *h == "text_lang").unwrap_or(3);
    for l in lines {
        let f: Vec<&str> = l.split('\t').collect();
        if let (Some(k), Some(v)) = (f.first(), f.get(col)) {
            m.insert((*k).to_string(), (*v).to_string());
        }
    }
    m
}

fn load_trafilatura(data: &Path, limit: Option<usize>) -> Result<Vec<Page>> {
    let d = data.join("trafilatura");
    let gold = read_json(&d.join("evaldata.dev.json"))?;
    let langs = languages(&d.join("languages.tsv"));
    let mut pages = Vec::new();
    for (url, g) in gold.as_object().context("evaldata is not an object")? {
        if limit.is_some_and(|n| pages.len() >= n) {
            break;
        }
        let file = g["file"].as_str().context("page without file")?;
        pages.push(Page {
            id: url.clone(),
            url: Some(url.clone()),
            bytes: gunzip(&d.join("html").join(format!("{file}.gz")))?,
            german: langs.get(file).is_some_and(|l| l == "de"),
            gold: Gold {
                with: strings(&g["with"]),
                without: strings(&g["without"]),
                title: opt_str(&g["title"]),
                author: opt_str(&g["author"]),
                date: opt_str(&g["date"]).filter(|s| !s.is_empty()),
                has_date: g
                    .get("date")
                    .is_some_and(|v| v.as_str().is_some_and(|s| !s.is_empty())),
                ..Gold::default()
            },
        });
    }
    Ok(pages)
}

/// German for the htmldate set (which has no language table): `<html lang="de…">`
/// or a German-language country domain.
fn htmldate_german(url: &str, bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let lang_de = head
        .find("<html")
        .and_then(|i| {
            let tag = &head[i..];
            let end = tag.find('>').unwrap_or(tag.len());
            let tag = &tag[..end];
            tag.find("lang=").map(|j| {
                let v = tag[j + 5..].trim_start_matches(['"', '\'']);
                v.starts_with("de")
            })
        })
        .unwrap_or(false);
    let host = url
        .split("//")
        .nth(1)
        .unwrap_or("")
        .split('/')
        .next()
        .unwrap_or("");
    lang_de || host.ends_with(".de") || host.ends_with(".at") || host.ends_with(".ch")
}

fn load_htmldate(data: &Path, limit: Option<usize>) -> Result<Vec<Page>> {
    let d = data.join("htmldate");
    let mut pages = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for name in ["eval_default.dev.json", "eval_mediacloud_2020.dev.json"] {
        let gold = read_json(&d.join(name))?;
        for (url, g) in gold.as_object().context("not an object")? {
            if limit.is_some_and(|n| pages.len() >= n) {
                break;
            }
            let file = g["file"].as_str().context("page without file")?;
            if !seen.insert(file.to_string()) {
                continue;
            }
            let bytes = gunzip(&d.join("html").join(format!("{file}.gz")))?;
            pages.push(Page {
                id: file.to_string(),
                url: Some(url.clone()),
                german: htmldate_german(url, &bytes),
                bytes,
                gold: Gold {
                    date: opt_str(&g["date"]),
                    has_date: true,
                    ..Gold::default()
                },
            });
        }
    }
    Ok(pages)
}

fn load_zyte(data: &Path, limit: Option<usize>) -> Result<Vec<Page>> {
    let d = data.join("zyte");
    let gold = read_json(&d.join("ground-truth.json"))?;
    let langs = languages(&d.join("languages.tsv"));
    let mut pages = Vec::new();
    for (id, g) in gold.as_object().context("not an object")? {
        if limit.is_some_and(|n| pages.len() >= n) {
            break;
        }
        pages.push(Page {
            id: id.clone(),
            url: opt_str(&g["url"]),
            bytes: gunzip(&d.join("html").join(format!("{id}.html.gz")))?,
            german: langs.get(id).is_some_and(|l| l == "de"),
            gold: Gold {
                body: opt_str(&g["articleBody"]),
                ..Gold::default()
            },
        });
    }
    Ok(pages)
}

/// The WCXB archives unpacked once into a cache folder (with the system `tar`,
/// which reads xz).
fn wcxb_dir(data: &Path) -> Result<PathBuf> {
    let src = data.join("wcxb-dev");
    let meta = std::fs::metadata(src.join("html.tar.xz"))
        .with_context(|| format!("{}/html.tar.xz", src.display()))?;
    let stamp = meta.len();
    let cache = std::env::temp_dir().join(format!("lagebild-wcxb-dev-{stamp}"));
    if cache.join("done").is_file() {
        return Ok(cache);
    }
    std::fs::create_dir_all(&cache)?;
    for ar in ["html.tar.xz", "ground-truth.tar.xz"] {
        let st = std::process::Command::new("tar")
            .arg("-xJf")
            .arg(src.join(ar))
            .arg("-C")
            .arg(&cache)
            .status()
            .context("running tar (needed to unpack the WCXB archives)")?;
        if !st.success() {
            bail!("tar could not unpack {}", src.join(ar).display());
        }
    }
    std::fs::write(cache.join("done"), b"")?;
    Ok(cache)
}

fn load_wcxb(data: &Path, limit: Option<usize>) -> Result<Vec<Page>> {
    let dir = wcxb_dir(data)?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("dev/ground-truth"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut pages = Vec::new();
    for f in files {
        if limit.is_some_and(|n| pages.len() >= n) {
            break;
        }
        let id = f
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        let html = dir.join("dev").join(format!("{id}.html"));
        let Ok(bytes) = std::fs::read(&html) else {
            continue;
        };
        let v = read_json(&f)?;
        let g = &v["ground_truth"];
        pages.push(Page {
            id,
            url: opt_str(&v["url"]),
            bytes,
            german: false,
            gold: Gold {
                body: opt_str(&g["main_content"]),
                title: opt_str(&g["title"]),
                author: opt_str(&g["author"]),
                has_date: g["publish_date"].as_str().is_some_and(|s| s.len() >= 10),
                date: opt_str(&g["publish_date"]),
                page_type: v["_internal"]["page_type"]["primary"]
                    .as_str()
                    .map(str::to_string),
                ..Gold::default()
            },
        });
    }
    Ok(pages)
}

/// Our annotated pages: `NAME.html` with `NAME.json`
/// (`{"url", "with", "without", "title", "author", "date"}`).
fn load_fixtures(dir: &Path, limit: Option<usize>) -> Result<Vec<Page>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut pages = Vec::new();
    for f in files {
        if limit.is_some_and(|n| pages.len() >= n) {
            break;
        }
        let g = read_json(&f)?;
        let html = f.with_extension("html");
        let bytes = std::fs::read(&html).with_context(|| format!("reading {}", html.display()))?;
        pages.push(Page {
            id: f
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("")
                .to_string(),
            url: opt_str(&g["url"]),
            bytes,
            german: true,
            gold: Gold {
                with: strings(&g["with"]),
                without: strings(&g["without"]),
                title: opt_str(&g["title"]),
                author: opt_str(&g["author"]),
                has_date: g["date"].is_string(),
                date: opt_str(&g["date"]),
                ..Gold::default()
            },
        });
    }
    Ok(pages)
}

/// Another extractor's outputs: `{"id", "text", "title", "author", "date", "ms"}` per line.
fn read_outputs(p: &Path) -> Result<HashMap<String, Output>> {
    let s = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
    let mut m = HashMap::new();
    for (i, line) in s.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not JSON", p.display(), i + 1))?;
        let Some(id) = v["id"].as_str() else {
            continue;
        };
        m.insert(
            id.to_string(),
            Output {
                text: opt_str(&v["text"]),
                title: opt_str(&v["title"]),
                author: opt_str(&v["author"]),
                date: opt_str(&v["date"]),
                is_article: v["is_article"].as_bool(),
                ms: v["ms"].as_f64().unwrap_or(0.0),
            },
        );
    }
    Ok(m)
}
