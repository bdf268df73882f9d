//! A direct, event-driven reader from XML to generated types: the fast alternative to the serde mapping.
//!
//! Generated structs and choice enums implement [`FromXml`]: they loop over their child elements, match each
//! local name as a byte slice, parse leaves straight from the text into their Rust types and skip what they do not
//! know. Leaves ([`XmlText`] types), [`Collection`] and [`AnyElement`] are implemented here.
//!
//! Text follows the serde path's rules exactly (see the serde adapters, `serde_text`): text, CDATA and entity references of
//! an element are joined into one string, then trimmed; an empty element of a type with no empty lexical form is
//! absent. A string of the plain mapping is read by the `*_ws` operations instead (`exact.rs`): its text exactly,
//! then normalized by its type's `whiteSpace` facet, away from the trimming fast paths. (quick-xml's own `trim_text` trims each piece between references, turning `a &amp; b` into `a&b`; it
//! is not used.)
//!
//! Entry points: [`read_document`] for a whole document in memory (events borrow the input: nothing is
//! copied), [`from_reader`] for any [`BufRead`], and [`XmlReader`] itself for a reader built on top (such as
//! the envelope's `ItemStream`, which takes the records of a `ServiceResponse` one at a time while only one of
//! them is in memory).
//!
//! Speed (see BENCHMARKS.md): the reader asks quick-xml's tokenizer for as few events as it can and copies only
//! the values it returns.
//! - Indentation between elements is never an event: where the tokenizer is between markup it is consumed
//!   ahead of it, eight bytes at a time (the reader's offsets count those bytes), elsewhere the tokenizer's
//!   `trim_text_start` skips it, and it is turned off where whitespace can be content.
//! - An element of the common form `<name>text</name>`, or with a CDATA section on its own line, is read ahead
//!   of the tokenizer in one pass over its bytes ([`SimpleLeaf`]); anything else is left to the tokenizer.
//! - Text that needs no decoding (ASCII without `\r`, checked eight bytes at a time) is parsed where it lies;
//!   only strings are copied, once. Element names are matched as byte slices, attributes are checked for
//!   duplicates without allocating, collections reserve room for their `count`.

mod children;
mod decode;
mod depth;
pub(crate) mod derived;
mod drift;
mod error;
mod exact;
mod headed;
mod kept;
mod source;
mod text;
mod transcode;
mod utf8;
mod wildcards;
mod xml_reader;

pub use children::{Attributes, Children};
pub use derived::ExpandedName;
pub use error::{ReadError, ReadErrorKind};
pub use headed::{HeadedReader, HeadedSource};
pub use source::{IoSource, XmlSource};
pub(crate) use transcode::Transcoder;
pub use xml_reader::{XmlReader, local_name};

use std::io::BufRead;

pub use quick_xml::events::BytesStart;

use super::{AnyElement, Collection, Drift, ElementName, Limit, Limits, RootElement, XmlText};

/// A value read from the XML element it is the content of.
pub trait FromXml: Sized {
    /// Reads the element whose start tag `start` was just read (its attributes are there), through its end tag.
    fn read<S: XmlSource>(
        reader: &mut XmlReader<S>,
        start: &BytesStart<'_>,
    ) -> Result<Self, ReadError>;
}

/// A choice between elements: which element names it accepts.
pub trait ChoiceElement: FromXml {
    /// Whether an element with this local name is one of the alternatives.
    fn is_alternative(local_name: &[u8]) -> bool;
}

/// A leaf element: its trimmed text, parsed. An empty element of a type with no empty form is an error here (the
/// generated code reads optional and repeated leaves through [`XmlReader::leaf_opt`] and friends instead).
impl<T: XmlText> FromXml for T {
    fn read<S: XmlSource>(
        reader: &mut XmlReader<S>,
        _: &BytesStart<'_>,
    ) -> Result<Self, ReadError> {
        reader.leaf_value::<T>()?.ok_or_else(|| reader.empty::<T>())
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Runtime types

impl FromXml for AnyElement {
    fn read<S: XmlSource>(
        reader: &mut XmlReader<S>,
        start: &BytesStart<'_>,
    ) -> Result<Self, ReadError> {
        reader.any_value(start, true)
    }
}

impl<T: FromXml, N: ElementName> FromXml for Collection<T, N> {
    fn read<S: XmlSource>(
        reader: &mut XmlReader<S>,
        _: &BytesStart<'_>,
    ) -> Result<Self, ReadError> {
        let mut out = Collection::new();
        let mut children = reader.children();
        while let Some(child) = children.next(reader)? {
            let part = match local_name(&child) {
                b"count" => {
                    reader.once(out.count.is_some(), &child)?;
                    if let Some(count) = reader.leaf_item(&child)? {
                        out.count = Some(count);
                    }
                    continue;
                }
                b"list" => &mut out.list,
                b"set" => &mut out.set,
                b"add" => &mut out.add,
                b"remove" => &mut out.remove,
                b"update" => &mut out.update,
                _ => {
                    reader.skip_unknown(&child)?;
                    continue;
                }
            };
            let items = part.get_or_insert_with(Vec::new);
            // `count` (sent first) is usually the number of items: room for them at the first one.
            let hint = out.count.map_or(1, |count| count.clamp(1, 256) as usize);
            reader.within(&child, |reader| {
                let mut children = reader.children();
                while let Some(item) = children.next(reader)? {
                    if local_name(&item) == N::ELEMENT.as_bytes() {
                        let value = reader.element(&item)?;
                        if items.capacity() == 0 {
                            items.reserve_exact(hint);
                        }
                        items.push(value);
                    } else {
                        reader.skip_unknown(&item)?;
                    }
                }
                Ok(())
            })?;
        }
        Ok(out)
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Entry points

/// Reads a whole document held in memory as `T`, checking the document element's name, under
/// [`Limits::default`]. Errors carry the line and column. A document declared in another encoding than UTF-8
/// (or UTF-16 with a byte order mark) is decoded first ([`decode_document`](crate::xml::decode_document)); its
/// errors then name places in the decoded text, but for a sequence the encoding cannot decode, named by its
/// offset in `bytes`.
pub fn read_document<T: FromXml + RootElement>(bytes: &[u8]) -> Result<T, ReadError> {
    read_document_with(bytes, &Limits::default())
}

/// [`read_document`] under `limits`: a document longer than [`Limits::max_body_bytes`] is refused before it
/// is read, and every other limit applies as it does from a `BufRead` ([`from_reader_with`]), with the same
/// errors.
pub fn read_document_with<T: FromXml + RootElement>(
    bytes: &[u8],
    limits: &Limits,
) -> Result<T, ReadError> {
    let bytes = utf8(bytes, limits)?;
    XmlReader::from_bytes(&bytes)
        .with_limits(*limits)
        .read_root()
        .map_err(|e| e.locate(&bytes))
}

/// The document as UTF-8: `bytes` themselves, or decoded from the encoding they declare; refused when longer
/// than [`Limits::max_body_bytes`].
fn utf8<'b>(bytes: &'b [u8], limits: &Limits) -> Result<std::borrow::Cow<'b, [u8]>, ReadError> {
    if bytes.len() > limits.max_body_bytes {
        let max = limits.max_body_bytes;
        return Err(ReadError::limit(Limit::BodyBytes, max, max as u64).locate(bytes));
    }
    let encoding = crate::xml::encoding::document_encoding(bytes)
        .map_err(|e| ReadError::new(e.into(), 0).locate(bytes))?;
    if encoding == encoding_rs::UTF_8 {
        return Ok(std::borrow::Cow::Borrowed(bytes));
    }
    let text = crate::xml::decode_document(bytes).map_err(|e| {
        let at = match &e {
            crate::xml::DecodeError::Malformed { at, .. } => *at as u64,
            crate::xml::DecodeError::UnknownEncoding { .. } => 0,
        };
        ReadError::new(e.into(), at).locate(bytes)
    })?;
    Ok(match text {
        std::borrow::Cow::Borrowed(text) => std::borrow::Cow::Borrowed(text.as_bytes()),
        std::borrow::Cow::Owned(text) => std::borrow::Cow::Owned(text.into_bytes()),
    })
}

/// [`read_document`], recording drift (see [`crate::xml::drift`]): the value, and what the document carries that
/// `T`'s generated readers do not know.
pub fn read_document_with_drift<T: FromXml + RootElement>(
    bytes: &[u8],
) -> Result<(T, Drift), ReadError> {
    let bytes = utf8(bytes, &Limits::default())?;
    let mut reader = XmlReader::from_bytes(&bytes);
    reader.record_drift();
    let value = reader.read_root().map_err(|e| e.locate(&bytes))?;
    Ok((value, reader.take_drift()))
}

/// Reads a document from any buffered reader as `T`, checking the document element's name, under
/// [`Limits::default`]. A document whose first bytes declare another encoding than UTF-8 (or start with a
/// UTF-16 byte order mark) is decoded as it is read, a buffer at a time, and reads as by [`read_document`]:
/// the first bytes are judged as [`read_document`] judges them, however the reader splits them.
pub fn from_reader<T: FromXml + RootElement, R: BufRead>(reader: R) -> Result<T, ReadError> {
    from_reader_with(reader, &Limits::default())
}

/// [`from_reader`] under `limits`: past [`Limits::max_body_bytes`] of input (bytes as they come, before any
/// decoding) the read fails, and a node past [`Limits::max_node_bytes`] (bytes of UTF-8 text, decoded) fails
/// before it is buffered whole.
pub fn from_reader_with<T: FromXml + RootElement, R: BufRead>(
    reader: R,
    limits: &Limits,
) -> Result<T, ReadError> {
    XmlReader::from_headed(reader, limits.max_body_bytes)?
        .with_limits(*limits)
        .read_root()
}
