//! The error type every reader returns: it always names the input it is about.

use std::io;

/// What went wrong with an input, coarsely, so that callers can decide how to report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Any other I/O failure (including symbolic-link loops and "is a directory").
    Io,
    /// The operating system refused access.
    PermissionDenied,
    /// The path does not exist (or is a broken symbolic link).
    NotFound,
    /// The input is larger than [`ReadOptions::max_bytes`](crate::ReadOptions::max_bytes).
    TooLarge,
    /// The input looks like binary data, not text.
    Binary,
    /// The input is empty or holds only whitespace.
    Empty,
    /// The bytes could not be decoded (e.g. UTF-16 with an odd length).
    Encoding,
    /// The content does not follow its format (a bad JSONL line, a bad CSV record).
    Malformed,
}

impl ErrorKind {
    /// The [`ErrorKind`] for an I/O error kind: `NotFound` and `PermissionDenied` keep
    /// their meaning, everything else is [`ErrorKind::Io`].
    pub fn from_io(kind: io::ErrorKind) -> ErrorKind {
        match kind {
            io::ErrorKind::NotFound => ErrorKind::NotFound,
            io::ErrorKind::PermissionDenied => ErrorKind::PermissionDenied,
            _ => ErrorKind::Io,
        }
    }
}

/// A problem with one input: a file, a folder, standard input (`-`), or one line or
/// record of a file (`path:line`). Displays as `input: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{input}: {message}")]
pub struct InputError {
    /// The input: `path`, `path:line`, or `-` for standard input.
    pub input: String,
    /// What went wrong, in words, without repeating the input.
    pub message: String,
    /// The class of the problem.
    pub kind: ErrorKind,
}

impl InputError {
    /// A new error about `input`.
    pub fn new(input: impl Into<String>, kind: ErrorKind, message: impl Into<String>) -> Self {
        InputError {
            input: input.into(),
            message: message.into(),
            kind,
        }
    }

    /// An error about `input` from an I/O error, with a short message and the kind
    /// mapped by [`ErrorKind::from_io`].
    pub fn from_io(input: impl Into<String>, err: &io::Error) -> Self {
        let kind = ErrorKind::from_io(err.kind());
        let message = match kind {
            ErrorKind::NotFound => "no such file or directory".to_string(),
            ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => err.to_string(),
        };
        InputError::new(input, kind, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_io_kinds() {
        assert_eq!(
            ErrorKind::from_io(io::ErrorKind::PermissionDenied),
            ErrorKind::PermissionDenied
        );
        assert_eq!(
            ErrorKind::from_io(io::ErrorKind::NotFound),
            ErrorKind::NotFound
        );
        assert_eq!(
            ErrorKind::from_io(io::ErrorKind::UnexpectedEof),
            ErrorKind::Io
        );
        assert_eq!(ErrorKind::from_io(io::ErrorKind::Other), ErrorKind::Io);
    }

    #[test]
    fn from_io_names_input_and_maps_kind() {
        let err = io::Error::from(io::ErrorKind::PermissionDenied);
        let e = InputError::from_io("news/secret.txt", &err);
        assert_eq!(e.kind, ErrorKind::PermissionDenied);
        assert_eq!(e.to_string(), "news/secret.txt: permission denied");

        let err = io::Error::from(io::ErrorKind::NotFound);
        let e = InputError::from_io("missing.txt", &err);
        assert_eq!(e.kind, ErrorKind::NotFound);
        assert_eq!(e.to_string(), "missing.txt: no such file or directory");

        let err = io::Error::other("disk on fire");
        let e = InputError::from_io("x", &err);
        assert_eq!(e.kind, ErrorKind::Io);
        assert_eq!(e.to_string(), "x: disk on fire");
    }
}
