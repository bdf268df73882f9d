//! [`Limits`]: how large a document, and each of its nodes, may be before reading it is refused.
//!
//! A hostile or broken server can send one text node of hundreds of megabytes, an element with tens of thousands
//! of attributes or elements nested a million deep. The readers refuse those with
//! [`ReadErrorKind::LimitExceeded`](crate::xml::ReadErrorKind::LimitExceeded) (naming the limit and where it was
//! reached) instead of buffering them whole or spending quadratic time on them.

use std::fmt;

/// The limits a document is read under. [`Limits::default`] suits every Qualys response seen so far with a wide
/// margin; raise a field (or set it to `usize::MAX`) to lift one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The most bytes one node may take in the input: a text node, a CDATA section, a comment or a tag with its
    /// attributes. Default 64 MiB.
    pub max_node_bytes: usize,
    /// The most attributes (namespace declarations included) one element may have. Default 512.
    pub max_attributes: usize,
    /// The deepest elements may nest (the document element is depth 1). Default 256.
    pub max_depth: usize,
    /// The largest body a collecting call (one that reads the whole response into memory before parsing it)
    /// accepts; streamed records are not bound by it. Default 512 MiB.
    pub max_body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_node_bytes: 64 << 20,
            max_attributes: 512,
            max_depth: 256,
            max_body_bytes: 512 << 20,
        }
    }
}

impl Limits {
    /// No limit at all (every field `usize::MAX`): for trusted input only.
    pub fn unlimited() -> Self {
        Limits {
            max_node_bytes: usize::MAX,
            max_attributes: usize::MAX,
            max_depth: usize::MAX,
            max_body_bytes: usize::MAX,
        }
    }

    /// These limits with `max_node_bytes` set.
    pub fn with_max_node_bytes(mut self, bytes: usize) -> Self {
        self.max_node_bytes = bytes;
        self
    }

    /// These limits with `max_attributes` set.
    pub fn with_max_attributes(mut self, attributes: usize) -> Self {
        self.max_attributes = attributes;
        self
    }

    /// These limits with `max_depth` set.
    pub fn with_max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// These limits with `max_body_bytes` set.
    pub fn with_max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }
}

/// Which limit of [`Limits`] a document broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// [`Limits::max_node_bytes`].
    NodeBytes,
    /// [`Limits::max_attributes`].
    Attributes,
    /// [`Limits::max_depth`].
    Depth,
    /// [`Limits::max_body_bytes`].
    BodyBytes,
}

impl Limit {
    /// The value of this limit in `limits`.
    pub fn of(self, limits: &Limits) -> usize {
        match self {
            Limit::NodeBytes => limits.max_node_bytes,
            Limit::Attributes => limits.max_attributes,
            Limit::Depth => limits.max_depth,
            Limit::BodyBytes => limits.max_body_bytes,
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Limit::NodeBytes => "bytes in one node (max_node_bytes)",
            Limit::Attributes => "attributes on one element (max_attributes)",
            Limit::Depth => "element depth (max_depth)",
            Limit::BodyBytes => "body bytes (max_body_bytes)",
        })
    }
}
