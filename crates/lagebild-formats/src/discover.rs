//! Expanding files and folders into the list of input files.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{ErrorKind, InputError};
use crate::ReadOptions;

/// Expand `paths` (files and folders) into input files.
///
/// * Paths are taken in the order given. A folder is walked recursively and its files
///   come out sorted by path (component-wise), so the result is deterministic.
/// * Inside folders, hidden entries (names starting with `.`) are skipped unless
///   [`ReadOptions::follow_hidden`]; a path named explicitly is always taken.
/// * Symbolic links are followed. Every folder is walked at most once (by its
///   canonical path), so link loops end, and a file reached twice (by two links, or
///   named twice) is listed once, under the first path it was found by.
/// * Inside folders only regular files (and links to them) are taken; sockets, FIFOs
///   and devices are skipped. A path named explicitly is taken whatever it is, so that
///   `/dev/stdin` or a shell process substitution works.
/// * A missing path, an unreadable folder or entry, a broken link or a link loop
///   becomes an [`InputError`] (kind `NotFound`, `PermissionDenied` or `Io`) naming
///   it, and the walk goes on.
pub fn discover(paths: &[PathBuf], opts: &ReadOptions) -> (Vec<PathBuf>, Vec<InputError>) {
    let mut walk = Walk {
        opts,
        files: Vec::new(),
        errors: Vec::new(),
        seen_dirs: HashSet::new(),
        seen_files: HashSet::new(),
    };
    for path in paths {
        walk.root(path);
    }
    (walk.files, walk.errors)
}

struct Walk<'a> {
    opts: &'a ReadOptions,
    files: Vec<PathBuf>,
    errors: Vec<InputError>,
    seen_dirs: HashSet<PathBuf>,
    seen_files: HashSet<PathBuf>,
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.as_encoded_bytes().first() == Some(&b'.'))
}

impl Walk<'_> {
    fn root(&mut self, path: &Path) {
        let meta = match fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                self.errors.push(link_aware_error(path, &e));
                return;
            }
        };
        if meta.is_dir() {
            let mut found = Vec::new();
            self.walk_dir(path, &mut found);
            found.sort();
            self.files.extend(found);
        } else {
            let mut found = Vec::new();
            self.add_file(path, &mut found);
            self.files.extend(found);
        }
    }

    fn add_file(&mut self, path: &Path, found: &mut Vec<PathBuf>) {
        let key = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if self.seen_files.insert(key) {
            found.push(path.to_path_buf());
        }
    }

    /// Walk the folder `root` (known to be a folder) without recursion.
    fn walk_dir(&mut self, root: &Path, found: &mut Vec<PathBuf>) {
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let key = fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
            if !self.seen_dirs.insert(key) {
                continue;
            }
            let entries = match fs::read_dir(&dir) {
                Ok(rd) => rd,
                Err(e) => {
                    self.errors.push(InputError::from_io(display(&dir), &e));
                    continue;
                }
            };
            let mut children = Vec::new();
            for entry in entries {
                match entry {
                    Ok(entry) => children.push(entry.path()),
                    Err(e) => self.errors.push(InputError::from_io(display(&dir), &e)),
                }
            }
            children.sort();
            let mut subdirs = Vec::new();
            for child in children {
                if !self.opts.follow_hidden && is_hidden(&child) {
                    continue;
                }
                // `fs::metadata` follows links; a broken link or a loop fails here.
                match fs::metadata(&child) {
                    Ok(m) if m.is_dir() => subdirs.push(child),
                    Ok(m) if m.is_file() => self.add_file(&child, found),
                    Ok(_) => {} // socket, FIFO, device
                    Err(e) => self.errors.push(link_aware_error(&child, &e)),
                }
            }
            // Reverse so that the stack pops them in sorted order.
            stack.extend(subdirs.into_iter().rev());
        }
    }
}

/// An error for `path` that says "broken symbolic link" when the path is a link whose
/// target is missing.
fn link_aware_error(path: &Path, err: &std::io::Error) -> InputError {
    let mut e = InputError::from_io(display(path), err);
    if e.kind == ErrorKind::NotFound
        && fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
    {
        e.message = "broken symbolic link".to_string();
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_names() {
        assert!(is_hidden(Path::new("a/.git")));
        assert!(is_hidden(Path::new(".hidden.txt")));
        assert!(!is_hidden(Path::new("a/b.txt")));
        assert!(!is_hidden(Path::new("a/.")));
    }
}
