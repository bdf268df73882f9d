//! Documents in another encoding than UTF-8. The readers work on UTF-8; a document that starts with a UTF-16
//! byte order mark, or whose XML declaration names another encoding (`<?xml version="1.0"
//! encoding="windows-1252"?>`), is decoded to UTF-8 first, with `encoding_rs` (the WHATWG encodings and labels).

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8};

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
    #[error("the document is not valid {encoding} (first malformed sequence near byte {at})")]
    Malformed {
        /// The encoding's name.
        encoding: &'static str,
        /// An offset into the document at or before the first malformed sequence.
        at: usize,
    },
    /// A record stream was opened over a document in another encoding than UTF-8: streams read UTF-8 only.
    #[error(
        "the document is in {encoding}, and record streams read UTF-8 only: read it whole (read_document decodes it)"
    )]
    NotUtf8Stream {
        /// The encoding, as declared (or told by the byte order mark).
        encoding: String,
    },
}

/// The document as UTF-8 text: borrowed when it is UTF-8 already (declared so, or declaring nothing), decoded
/// otherwise. The decoded text keeps its XML declaration (the readers take it as it is); offsets in errors of a
/// decoded document are offsets into the decoded text.
pub fn decode_document(bytes: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
    let encoding = match Encoding::for_bom(bytes) {
        Some((encoding, _)) => encoding,
        None => match declared_encoding(bytes) {
            None => UTF_8,
            Some(label) => Encoding::for_label(label.as_bytes()).ok_or_else(|| {
                DecodeError::UnknownEncoding {
                    label: label.to_owned(),
                }
            })?,
        },
    };
    if encoding == UTF_8 {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        return std::str::from_utf8(bytes)
            .map(Cow::Borrowed)
            .map_err(|e| DecodeError::Malformed {
                encoding: UTF_8.name(),
                at: e.valid_up_to(),
            });
    }
    let (text, _, had_errors) = encoding.decode(bytes);
    if had_errors {
        let at = text.find('\u{FFFD}').unwrap_or(0);
        return Err(DecodeError::Malformed {
            encoding: encoding.name(),
            at,
        });
    }
    Ok(Cow::Owned(text.into_owned()))
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

/// Whether `bytes` needs decoding before it can be read as UTF-8: a UTF-16 byte order mark, or an XML
/// declaration that names another encoding than UTF-8.
pub(crate) fn needs_decoding(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return true;
    }
    declared_encoding(bytes).is_some_and(|label| {
        Encoding::for_label(label.as_bytes()).is_none_or(|encoding| encoding != UTF_8)
    })
}

/// Refuses `head`, the first bytes of a document that is to be streamed, when it is in another encoding than
/// UTF-8 (see [`DecodeError::NotUtf8Stream`]); an encoding it does not know is [`DecodeError::UnknownEncoding`],
/// as for a whole document.
pub(crate) fn check_stream_head(head: &[u8]) -> Result<(), DecodeError> {
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        let encoding = if head[0] == 0xFF {
            "UTF-16LE"
        } else {
            "UTF-16BE"
        };
        return Err(DecodeError::NotUtf8Stream {
            encoding: encoding.to_owned(),
        });
    }
    match declared_encoding(head) {
        None => Ok(()),
        Some(label) => match Encoding::for_label(label.as_bytes()) {
            None => Err(DecodeError::UnknownEncoding {
                label: label.to_owned(),
            }),
            Some(encoding) if encoding == UTF_8 => Ok(()),
            Some(_) => Err(DecodeError::NotUtf8Stream {
                encoding: label.to_owned(),
            }),
        },
    }
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
    fn streams_take_utf8_only() {
        assert_eq!(check_stream_head(b"<a/>"), Ok(()));
        assert_eq!(
            check_stream_head(b"<?xml version='1.0' encoding='utf-8'?><a/>"),
            Ok(())
        );
        assert_eq!(
            check_stream_head(b"<?xml version='1.0' encoding='ISO-8859-1'?><a/>"),
            Err(DecodeError::NotUtf8Stream {
                encoding: "ISO-8859-1".to_owned()
            })
        );
        assert_eq!(
            check_stream_head(b"\xFF\xFE<\0a\0"),
            Err(DecodeError::NotUtf8Stream {
                encoding: "UTF-16LE".to_owned()
            })
        );
        assert_eq!(
            check_stream_head(b"<?xml version='1.0' encoding='nope'?><a/>"),
            Err(DecodeError::UnknownEncoding {
                label: "nope".to_owned()
            })
        );
    }

    #[test]
    fn utf8_is_borrowed_and_other_encodings_are_decoded() {
        let utf8 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><menù/>";
        assert!(matches!(
            decode_document(utf8.as_bytes()),
            Ok(Cow::Borrowed(_))
        ));
        assert!(!needs_decoding(utf8.as_bytes()));
        assert!(!needs_decoding(b"<a/>"));

        let cp1252 = b"<?xml version='1.0' encoding='CP1252'?>\n<men\xf9>\x80</men\xf9>";
        assert!(needs_decoding(cp1252));
        let text = decode_document(cp1252).unwrap();
        assert!(text.ends_with("<menù>€</menù>"), "{text}");

        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "<a>é</a>".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert!(needs_decoding(&utf16));
        assert_eq!(decode_document(&utf16).unwrap(), "<a>é</a>");
    }

    #[test]
    fn unknown_and_malformed_documents_are_errors() {
        let unknown = b"<?xml version=\"1.0\" encoding=\"klingon\"?><a/>";
        assert!(needs_decoding(unknown));
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
