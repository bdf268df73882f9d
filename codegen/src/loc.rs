//! [`Loc`]: where a schema node stands. Every stage names it in its errors; it depends on nothing else here.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Where a schema node stands: file, line and column (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    /// The schema file.
    pub file: Arc<PathBuf>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.col)
    }
}
