//! Documents in another encoding than UTF-8. The readers work on UTF-8; a document that starts with a UTF-16
//! byte order mark, or whose XML declaration names another encoding (`<?xml version="1.0"
//! encoding="windows-1252"?>`), is decoded to UTF-8 with `encoding_rs` (the WHATWG encodings and labels): whole
//! here ([`decode_document`]), or a buffer at a time as it is read (`reader::transcode`), with the same decoder
//! and the same errors.

use std::borrow::Cow;

use encoding_rs::{DecoderResult, Encoding, UTF_8};

/// A document whose encoding cannot be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The XML declaration names an encoding this crate does not know.
    #[error("the XML declaration names the encoding {label:?}, which is not known")]
    UnknownEncoding {
        /// The label, as declared.
        label: String,
    },
    /// The bytes are not a valid text in the encoding the document declares.
    #[error("the document is not valid {encoding} (first malformed sequence at byte {at})")]
    Malformed {
        /// The encoding's name.
        encoding: &'static str,
        /// Where the first malformed sequence starts, in the document's own bytes (for a document in another
        /// encoding, an offset into the bytes as they came, before decoding).
        at: usize,
    },
}

/// The encoding of the document `bytes` starts (its first [`DECLARATION_BYTES`] decide): told by a byte order
/// mark (UTF-8, UTF-16LE, UTF-16BE), else by the XML declaration's `encoding`, else UTF-8.
pub(crate) fn document_encoding(bytes: &[u8]) -> Result<&'static Encoding, DecodeError> {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return Ok(encoding);
    }
    match declared_encoding(bytes) {
        None => Ok(UTF_8),
        Some(label) => {
            Encoding::for_label(label.as_bytes()).ok_or_else(|| DecodeError::UnknownEncoding {
                label: label.to_owned(),
            })
        }
    }
}

/// The document as UTF-8 text: borrowed when it is UTF-8 already (declared so, or declaring nothing), decoded
/// otherwise. The decoded text keeps its XML declaration (the readers take it as it is). A sequence the
/// encoding cannot decode is [`DecodeError::Malformed`] at its offset in `bytes`, never a replacement
/// character; offsets in the other errors of a decoded document are offsets into the decoded text.
pub fn decode_document(bytes: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
    let encoding = document_encoding(bytes)?;
    if encoding == UTF_8 {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        return std::str::from_utf8(bytes)
            .map(Cow::Borrowed)
            .map_err(|e| DecodeError::Malformed {
                encoding: UTF_8.name(),
                at: e.valid_up_to(),
            });
    }
    // The same decoder as a record stream's (see `reader::transcode`), given the whole input at once.
    let mut decoder = encoding.new_decoder_with_bom_removal();
    let mut text = String::new();
    let mut read = 0;
    loop {
        let rest = &bytes[read..];
        text.reserve(
            decoder
                .max_utf8_buffer_length_without_replacement(rest.len())
                .unwrap_or(rest.len()),
        );
        let (result, taken) = decoder.decode_to_string_without_replacement(rest, &mut text, true);
        read += taken;
        match result {
            DecoderResult::InputEmpty => return Ok(Cow::Owned(text)),
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(bad, after) => {
                return Err(DecodeError::Malformed {
                    encoding: encoding.name(),
                    at: malformed_at(read as u64, bad, after) as usize,
                });
            }
        }
    }
}

/// Where a malformed sequence starts, from what a decoder reports: `read` bytes taken in all, the last `after`
/// of them after the sequence, which is `bad` bytes long.
pub(crate) fn malformed_at(read: u64, bad: u8, after: u8) -> u64 {
    read.saturating_sub(u64::from(bad) + u64::from(after))
}

/// How far into a document its XML declaration is looked for (a declaration is some 40 bytes): the readers
/// from memory and from a `BufRead` both judge a document's encoding by its first bytes up to this many.
pub(crate) const DECLARATION_BYTES: usize = 1024;

/// Whether `head`, the first bytes of a document (all of them, at its end), tells what its encoding is: it
/// holds [`DECLARATION_BYTES`], or the end of an XML declaration, or cannot start one.
pub(crate) fn head_decides(head: &[u8]) -> bool {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    if head.len() >= DECLARATION_BYTES {
        return true;
    }
    if head.len() < BOM.len() && BOM.starts_with(head) {
        return false;
    }
    if head == b"\xFF" || head == b"\xFE" {
        // The first byte of a UTF-16 byte order mark.
        return false;
    }
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return true;
    }
    let body = head.strip_prefix(BOM).unwrap_or(head);
    let known = body.len().min(5);
    if body[..known] != b"<?xml"[..known] {
        return true;
    }
    known == 5 && memchr::memmem::find(body, b"?>").is_some()
}

/// Reads the first bytes of `reader` until they tell the document's encoding ([`head_decides`]), and returns
/// them with the rest of `reader` behind them.
pub(crate) fn read_head<R: std::io::BufRead>(mut reader: R) -> std::io::Result<(Vec<u8>, R)> {
    let mut head = Vec::new();
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            break;
        }
        let take = available.len().min(DECLARATION_BYTES - head.len());
        head.extend_from_slice(&available[..take]);
        reader.consume(take);
        if head_decides(&head) {
            break;
        }
    }
    Ok((head, reader))
}

/// The `encoding` pseudo-attribute of the XML declaration at the start of `bytes` (ending within its first
/// [`DECLARATION_BYTES`]), if any (ASCII-compatible
/// encodings only: a UTF-16 document is told by its byte order mark).
fn declared_encoding(bytes: &[u8]) -> Option<&str> {
    let bytes = &bytes[..bytes.len().min(DECLARATION_BYTES)];
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let rest = bytes.strip_prefix(b"<?xml")?;
    let end = memchr::memmem::find(rest, b"?>")?;
    let declaration = std::str::from_utf8(&rest[..end]).ok()?;
    let at = declaration.find("encoding")?;
    let value = declaration[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &value[1..];
    value.find(quote).map(|close| &value[..close])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_borrowed_and_other_encodings_are_decoded() {
        let utf8 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><menù/>";
        assert!(matches!(
            decode_document(utf8.as_bytes()),
            Ok(Cow::Borrowed(_))
        ));
        assert_eq!(document_encoding(utf8.as_bytes()), Ok(UTF_8));
        assert_eq!(document_encoding(b"<a/>"), Ok(UTF_8));

        let cp1252 = b"<?xml version='1.0' encoding='CP1252'?>\n<men\xf9>\x80</men\xf9>";
        assert_eq!(document_encoding(cp1252), Ok(encoding_rs::WINDOWS_1252));
        let text = decode_document(cp1252).unwrap();
        assert!(text.ends_with("<menù>€</menù>"), "{text}");

        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "<a>é</a>".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(document_encoding(&utf16), Ok(encoding_rs::UTF_16LE));
        assert_eq!(decode_document(&utf16).unwrap(), "<a>é</a>");
    }

    #[test]
    fn unknown_and_malformed_documents_are_errors() {
        let unknown = b"<?xml version=\"1.0\" encoding=\"klingon\"?><a/>";
        assert_eq!(
            decode_document(unknown).unwrap_err().to_string(),
            "the XML declaration names the encoding \"klingon\", which is not known"
        );
        let bad = b"<a>\xff</a>";
        assert_eq!(
            decode_document(bad).unwrap_err(),
            DecodeError::Malformed {
                encoding: "UTF-8",
                at: 3
            }
        );
    }
}
