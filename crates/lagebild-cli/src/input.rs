//! Shared plumbing of the commands: resources, the pipeline, and the stream of
//! raw documents from paths or standard input.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use lagebild_formats::{InputError, ReadOptions};
use lagebild_model::RawDocument;
use lagebild_nlp::{Options, Pipeline, Resources};

/// The resources: embedded, with files of the same name under `dir` replacing them.
pub fn resources(dir: Option<&Path>) -> Result<Resources> {
    let mut res = Resources::embedded();
    if let Some(dir) = dir {
        if !dir.is_dir() {
            anyhow::bail!("resources folder {} does not exist", dir.display());
        }
        let names: Vec<String> = res.names().map(str::to_string).collect();
        for name in &names {
            let path = dir.join(name);
            if path.is_file() {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading resource {}", path.display()))?;
                tracing::info!(resource = %name, path = %path.display(), "resource overridden");
                res = res.with_override(name, &text);
            }
        }
        // The user's own KB files (DIR/kb/*.tsv under new names) are added after
        // the built-in ones, so their rows replace built-in rows with the same id.
        let kb = dir.join("kb");
        if kb.is_dir() {
            let mut extra: Vec<PathBuf> = std::fs::read_dir(&kb)
                .with_context(|| format!("reading {}", kb.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
                .collect();
            extra.sort();
            for path in extra {
                let file = path
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .to_string();
                if names.contains(&format!("kb/{file}")) {
                    continue;
                }
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading KB file {}", path.display()))?;
                tracing::info!(path = %path.display(), "user KB file added");
                res = res.with_override(&format!("kb/~user/{file}"), &text);
            }
        }
    }
    Ok(res)
}

pub fn pipeline(dir: Option<&Path>, options: Options) -> Result<Pipeline> {
    let res = resources(dir)?;
    Pipeline::with_resources(&res, options).context("loading the analysis resources")
}

/// Where documents come from: files (after discovery) or standard input.
pub enum Inputs {
    Files(Vec<PathBuf>),
    Stdin,
}

/// Expands the command line's paths. Errors found while walking folders are
/// returned for reporting; the walk goes on.
pub fn inputs(paths: &[PathBuf], opts: &ReadOptions) -> (Inputs, Vec<InputError>) {
    if paths.is_empty() || (paths.len() == 1 && paths[0].as_os_str() == "-") {
        return (Inputs::Stdin, Vec::new());
    }
    let (files, errors) = lagebild_formats::discover(paths, opts);
    (Inputs::Files(files), errors)
}

/// Drops the database's own files (and its `-wal`, `-shm`, `-journal`
/// companions) from the inputs, so that `ingest .` beside the database works.
pub fn skip_database_files(inputs: &mut Inputs, db: &Path) {
    let Inputs::Files(files) = inputs else { return };
    let Ok(db) = db.canonicalize() else { return };
    let own: Vec<PathBuf> = ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|s| {
            let mut p = db.clone().into_os_string();
            p.push(s);
            PathBuf::from(p)
        })
        .collect();
    files.retain(|f| {
        let skip = f.canonicalize().is_ok_and(|c| own.contains(&c));
        if skip {
            tracing::info!(path = %f.display(), "skipping the database's own file");
        }
        !skip
    });
}

/// Reads one input unit (a file, or stdin) into raw documents and errors.
pub fn read_unit(
    inputs: &Inputs,
    i: usize,
    opts: &ReadOptions,
) -> Vec<Result<RawDocument, InputError>> {
    match inputs {
        Inputs::Files(files) => lagebild_formats::read_file(&files[i], opts),
        Inputs::Stdin => lagebild_formats::read_stdin(opts),
    }
}

impl Inputs {
    pub fn len(&self) -> usize {
        match self {
            Inputs::Files(f) => f.len(),
            Inputs::Stdin => 1,
        }
    }
}

/// A thread pool of the requested size (or rayon's default).
pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        b = b.num_threads(n.max(1));
    }
    b.build().context("starting worker threads")
}

/// The hash that recognises an input already stored: over the raw document's
/// content fields (not its path, so a copy elsewhere is recognised too).
pub fn raw_document_hash(raw: &RawDocument) -> String {
    let key = RawDocument {
        path: None,
        ..raw.clone()
    };
    let bytes = serde_json::to_vec(&key).expect("raw documents serialise");
    lagebild_formats::raw_hash(&bytes)
}
