//! Errors of every generator stage; each names the file, line and column it is about.

use std::path::PathBuf;

use crate::loc::Loc;

/// Anything that stops generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A schema file refused before it is parsed: not a regular file, over the size cap, or in an encoding the
    /// generator does not decode.
    #[error("{}: {reason}", path.display())]
    Input {
        /// The file.
        path: PathBuf,
        /// Why it is refused.
        reason: String,
    },
    /// A schema file is not well-formed XML.
    #[error("{}:{line}:{col}: not well-formed XML: {message}", path.display())]
    Xml {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u32,
        /// 1-based column.
        col: u32,
        /// The parser's message.
        message: String,
    },
    /// A schema construct the generator does not map.
    #[error("{loc}: unsupported XSD construct {construct}: {reason}")]
    Unsupported {
        /// The construct, e.g. `xs:redefine`.
        construct: String,
        /// Why it is refused.
        reason: String,
        /// Where it stands.
        loc: Loc,
    },
    /// The schema breaks an XSD rule the generator relies on.
    #[error("{loc}: {message}")]
    Invalid {
        /// What is wrong.
        message: String,
        /// Where it stands.
        loc: Loc,
    },
    /// A reference to a type, element, group or attribute that no schema declares.
    #[error("{loc}: unknown {kind} {name}")]
    Unresolved {
        /// `type`, `element`, `group`, `attributeGroup` or `attribute`.
        kind: &'static str,
        /// The name as resolved.
        name: String,
        /// Where the reference stands.
        loc: Loc,
    },
    /// The profile (the Qualys conventions) refuses its input: its endpoint catalog, or how a catalog entity or
    /// action fits the schema it names.
    #[error(transparent)]
    Profile(#[from] crate::qps::ProfileError),
    /// A configuration mistake in the [`crate::Builder`].
    #[error("{0}")]
    Config(String),
    /// Generated tokens did not form valid Rust (a generator bug; please report it with the schema).
    #[error("internal error: generated code for {module} does not parse: {message}")]
    Emit {
        /// The module being emitted.
        module: String,
        /// syn's message.
        message: String,
    },
}

/// Result with the generator's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn invalid(loc: &Loc, message: impl Into<String>) -> Self {
        Error::Invalid {
            message: message.into(),
            loc: loc.clone(),
        }
    }

    pub(crate) fn unsupported(
        loc: &Loc,
        construct: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Error::Unsupported {
            construct: construct.into(),
            reason: reason.into(),
            loc: loc.clone(),
        }
    }
}
