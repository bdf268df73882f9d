//! [`HeadedReader`]: the one way a document from a `BufRead` is opened (`from_reader`, record streams, the
//! client's streamed calls): its first bytes are read until they tell its encoding, however the `BufRead` splits
//! them, then the document is read as UTF-8, through a [`Transcoder`] when it is in another encoding.

use std::io::{BufRead, Chain, Cursor, Read};

use encoding_rs::UTF_8;

use super::source::IoSource;
use super::transcode::Transcoder;
use super::{ReadError, XmlReader};
use crate::xml::Limits;
use crate::xml::encoding::{document_encoding, read_head};

/// The first bytes of a document, then the rest of its `BufRead`.
type Rest<R> = Chain<Cursor<Vec<u8>>, R>;

/// A document from a `BufRead` as UTF-8: its bytes as they come when it is UTF-8, decoded a buffer at a time
/// when it declares another encoding (or starts with a UTF-16 byte order mark). Built by
/// [`XmlReader::from_headed`] (through `from_reader`, `ItemStream::from_reader` or `ItemStream::from_bytes`).
#[derive(Debug)]
pub struct HeadedReader<R>(Headed<R>);

#[derive(Debug)]
enum Headed<R> {
    Utf8(Rest<R>),
    Decoded(Transcoder<Rest<R>>),
}

/// The source of a reader over a `BufRead` opened by [`XmlReader::from_headed`].
pub type HeadedSource<R> = IoSource<HeadedReader<R>>;

impl<R: BufRead> XmlReader<HeadedSource<R>> {
    /// Reads the document arriving through `reader`, in whatever encoding it declares (see
    /// [`decode_document`](crate::xml::decode_document)), under [`Limits::default`] for its nodes; past
    /// `max_body` bytes of `reader` (as they come, before any decoding) the read fails with
    /// [`Limit::BodyBytes`](crate::xml::Limit::BodyBytes) (`usize::MAX` for none, as for a record stream). An
    /// encoding it does not know is [`DecodeError::UnknownEncoding`](crate::xml::DecodeError::UnknownEncoding)
    /// before anything is read. Unlike [`XmlReader::from_reader`], which takes its input as UTF-8, this is
    /// what `from_reader` and `ItemStream::from_reader` read through; build an `ItemStream` on it
    /// (`ItemStream::new`) to stream records under other [`Limits`] (`with_limits`).
    pub fn from_headed(reader: R, max_body: usize) -> Result<Self, ReadError> {
        let (head, rest) = read_head(reader).map_err(|e| ReadError::xml(e.into(), 0))?;
        let encoding = document_encoding(&head).map_err(|e| ReadError::new(e.into(), 0))?;
        let rest = Cursor::new(head).chain(rest);
        let max_node = Limits::default().max_node_bytes;
        let source = if encoding == UTF_8 {
            IoSource::new(HeadedReader(Headed::Utf8(rest)), max_node).with_max_body(max_body)
        } else {
            // The body limit counts the bytes as they come, so the transcoder applies it; nodes are counted
            // in the decoded text, as when the document is decoded whole.
            let decoded = Transcoder::new(rest, encoding, max_body);
            IoSource::new(HeadedReader(Headed::Decoded(decoded)), max_node)
        };
        Ok(XmlReader::new(source))
    }
}

impl<R: BufRead> Read for HeadedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match &mut self.0 {
            Headed::Utf8(rest) => rest.read(buf),
            Headed::Decoded(decoded) => decoded.read(buf),
        }
    }
}

impl<R: BufRead> BufRead for HeadedReader<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        match &mut self.0 {
            Headed::Utf8(rest) => rest.fill_buf(),
            Headed::Decoded(decoded) => decoded.fill_buf(),
        }
    }

    fn consume(&mut self, amount: usize) {
        match &mut self.0 {
            Headed::Utf8(rest) => rest.consume(amount),
            Headed::Decoded(decoded) => decoded.consume(amount),
        }
    }
}
