//! [`ReadError`]: what went wrong while reading, where, and in which element.

use std::fmt;

use quick_xml::events::BytesStart;
use quick_xml::events::attributes::Attribute;

use super::local_name;
use crate::xml::TextError;

/// A document that could not be read into the expected type: what went wrong, where (byte offset, and line and
/// column for documents read from memory) and in which element.
pub struct ReadError(Box<ErrorInner>);

struct ErrorInner {
    kind: ReadErrorKind,
    offset: u64,
    line_column: Option<(usize, usize)>,
    /// Element names from the innermost out.
    path: Vec<String>,
}

/// What went wrong while reading.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadErrorKind {
    /// Malformed XML, an I/O failure of the source, or an unknown entity.
    #[error(transparent)]
    Xml(#[from] quick_xml::Error),
    /// Text that is not a valid value of its type.
    #[error(transparent)]
    Text(#[from] TextError),
    /// A document in an encoding that cannot be decoded to UTF-8.
    #[error(transparent)]
    Decode(#[from] crate::xml::DecodeError),
    /// An empty element or attribute where a value of a type with no empty form is required.
    #[error("empty {expected} value")]
    Empty {
        /// The expected type.
        expected: &'static str,
    },
    /// The input ended inside an element.
    #[error("unexpected end of input")]
    UnexpectedEof,
    /// The input has no document element.
    #[error("no document element (expected `{expected}`)")]
    NoRoot {
        /// The expected document element.
        expected: &'static str,
    },
    /// The document element is not the expected one.
    #[error("document element is `{found}`, expected `{expected}`")]
    UnexpectedRoot {
        /// The expected name.
        expected: &'static str,
        /// The name found.
        found: String,
    },
    /// A required element is absent.
    #[error("missing required element `{name}` in `{parent}`")]
    MissingElement {
        /// The element (alternatives of a choice are joined with `|`).
        name: &'static str,
        /// The element it belongs in.
        parent: String,
    },
    /// A required attribute is absent.
    #[error("missing required attribute `{name}` in `{parent}`")]
    MissingAttribute {
        /// The attribute.
        name: &'static str,
        /// The element it belongs on.
        parent: String,
    },
    /// An `xsi:type` that names no type the element's declared type allows (neither it nor a type derived from
    /// it), or an element of an abstract type without one.
    #[error("{}", match found {
        Some(found) => format!("xsi:type `{found}` is not `{declared}` or a type derived from it"),
        None => format!("element of abstract type `{declared}` needs an xsi:type naming a type derived from it"),
    })]
    UnknownType {
        /// The `xsi:type` value, as an expanded name (`{namespace}local`), if any.
        found: Option<String>,
        /// The element's declared type.
        declared: &'static str,
    },
    /// A QName (an `xsi:type` value) whose prefix no namespace declaration in scope binds.
    #[error("prefix `{prefix}` of `{qname}` is not bound to a namespace")]
    UnboundPrefix {
        /// The prefix.
        prefix: String,
        /// The whole QName.
        qname: String,
    },
    /// A node, element or body beyond one of the reader's [`Limits`](crate::xml::Limits).
    #[error("more {limit} than the limit of {max}")]
    LimitExceeded {
        /// Which limit.
        limit: crate::xml::Limit,
        /// Its value.
        max: usize,
    },
    /// A second occurrence of an element the schema allows once.
    #[error("element `{name}` occurs twice, the schema allows it once")]
    RepeatedElement {
        /// The element.
        name: String,
    },
    /// Markup after the document element's end (another element, text, CDATA): the document is not well-formed.
    #[error("content after the document element: {found}")]
    TrailingContent {
        /// What was found, e.g. `element `data`` or `text "abc"`.
        found: String,
    },
    /// A child element inside an element of simple type or with simple content (text only), such as the `b` of
    /// `<name>abc<b>x</b>def</name>`.
    #[error("element `{found}` inside an element of simple content (text only)")]
    ChildInSimpleContent {
        /// The child element.
        found: String,
    },
    /// An element that none of a choice's alternatives accepts.
    #[error("unexpected element `{found}`")]
    UnexpectedElement {
        /// Its name.
        found: String,
    },
}

impl ReadError {
    pub(crate) fn new(kind: ReadErrorKind, offset: u64) -> Self {
        ReadError(Box::new(ErrorInner {
            kind,
            offset,
            line_column: None,
            path: Vec::new(),
        }))
    }

    pub(crate) fn xml(error: quick_xml::Error, offset: u64) -> Self {
        if let quick_xml::Error::Io(io) = &error
            && let Some(exceeded) = io
                .get_ref()
                .and_then(|e| e.downcast_ref::<super::source::Exceeded>())
        {
            return Self::limit(exceeded.0, exceeded.1, offset);
        }
        // A sequence a transcoded source cannot decode: named where it is in the source.
        if let quick_xml::Error::Io(io) = &error
            && let Some(decode) = io
                .get_ref()
                .and_then(|e| e.downcast_ref::<crate::xml::DecodeError>())
        {
            let at = match decode {
                crate::xml::DecodeError::Malformed { at, .. } => *at as u64,
                crate::xml::DecodeError::UnknownEncoding { .. } => offset,
            };
            return Self::new(ReadErrorKind::Decode(decode.clone()), at);
        }
        Self::new(ReadErrorKind::Xml(error), offset)
    }

    pub(crate) fn limit(limit: crate::xml::Limit, max: usize, offset: u64) -> Self {
        Self::new(ReadErrorKind::LimitExceeded { limit, max }, offset)
    }

    pub(crate) fn text(error: TextError, offset: u64) -> Self {
        Self::new(ReadErrorKind::Text(error), offset)
    }

    /// What went wrong.
    pub fn kind(&self) -> &ReadErrorKind {
        &self.0.kind
    }

    /// The byte offset in the input near which it went wrong (for a bad value, where its element starts).
    pub fn offset(&self) -> u64 {
        self.0.offset
    }

    /// The 1-based line and column (in bytes) of [`offset`](Self::offset), for input read from memory.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        self.0.line_column
    }

    /// The element path from the document element down, e.g. `["ServiceResponse", "data", "WebApp", "id"]`
    /// (an attribute appears as `@name`).
    pub fn path(&self) -> Vec<&str> {
        self.0.path.iter().rev().map(String::as_str).collect()
    }

    /// Adds the element `start` as the next outer path step.
    pub(crate) fn within(self, start: &BytesStart<'_>) -> Self {
        self.within_name(&String::from_utf8_lossy(local_name(start)))
    }

    pub(crate) fn within_attribute(self, attribute: &Attribute<'_>) -> Self {
        self.within_name(&format!(
            "@{}",
            String::from_utf8_lossy(attribute.key.local_name().as_ref())
        ))
    }

    /// Places a [`Limit::NodeBytes`](crate::xml::Limit::NodeBytes) error at `at`, where the node starts (other
    /// errors stay where they are).
    pub(crate) fn node_at(mut self, at: u64) -> Self {
        if matches!(
            self.0.kind,
            ReadErrorKind::LimitExceeded {
                limit: crate::xml::Limit::NodeBytes,
                ..
            }
        ) {
            self.0.offset = at;
        }
        self
    }

    /// Moves the offset on by `bytes` (the whitespace the tokenizer did not count).
    pub(crate) fn shifted(mut self, bytes: u64) -> Self {
        self.0.offset += bytes;
        self
    }

    pub(crate) fn within_name(mut self, name: &str) -> Self {
        self.0.path.push(name.to_owned());
        self
    }

    /// Computes the line and column of the offset in `input`.
    pub(crate) fn locate(mut self, input: &[u8]) -> Self {
        let offset = usize::try_from(self.0.offset)
            .unwrap_or(usize::MAX)
            .min(input.len());
        let before = &input[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = offset
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1)
            + 1;
        self.0.line_column = Some((line, column));
        self
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.kind)?;
        if !self.0.path.is_empty() {
            write!(f, " at /{}", self.path().join("/"))?;
        }
        write!(f, " (byte {}", self.0.offset)?;
        if let Some((line, column)) = self.0.line_column {
            write!(f, ", line {line}, column {column}")?;
        }
        f.write_str(")")
    }
}

impl fmt::Debug for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadError")
            .field("kind", &self.0.kind)
            .field("offset", &self.0.offset)
            .field("line_column", &self.0.line_column)
            .field("path", &self.path())
            .finish()
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.kind {
            ReadErrorKind::Xml(e) => Some(e),
            ReadErrorKind::Text(e) => Some(e),
            _ => None,
        }
    }
}
