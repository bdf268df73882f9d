//! Text decoding helpers: the content of text, CDATA and reference events as the serde path decodes it, and
//! the byte scans that find what needs no decoding or is whitespace.

use std::borrow::Cow;

use quick_xml::encoding::EncodingError;
use quick_xml::events::{BytesRef, BytesText, Event};

/// Appends the text an event stands for (text, CDATA, a character or predefined entity reference).
pub(super) fn push_text(out: &mut String, event: &Event<'_>) -> quick_xml::Result<()> {
    match event {
        Event::Text(text) => match plain(text) {
            Some(text) => out.push_str(text),
            None => out.push_str(&text.xml_content()?),
        },
        Event::CData(text) => match plain(text) {
            Some(text) => out.push_str(text),
            None => out.push_str(&text.xml_content()?),
        },
        Event::GeneralRef(reference) => push_reference(out, reference)?,
        _ => {}
    }
    Ok(())
}

/// Raw text or CDATA as a string when it needs no decoding work beyond the UTF-8 check: no `\r`, and none of
/// the lead bytes of U+0085 and U+2028, so quick-xml's `xml_content` (the serde path's decoding, used here
/// otherwise) would return it unchanged after the same check. Most text is, and most of it is ASCII, which is
/// checked in one pass.
fn plain(raw: &[u8]) -> Option<&str> {
    if ascii_without_cr(raw) {
        // SAFETY: ASCII is valid UTF-8.
        return Some(unsafe { std::str::from_utf8_unchecked(raw) });
    }
    if memchr::memchr3(b'\r', 0xC2, 0xE2, raw).is_some() {
        return None;
    }
    std::str::from_utf8(raw).ok()
}

/// Whether `raw` is ASCII without `\r`, eight bytes at a time.
#[inline]
fn ascii_without_cr(raw: &[u8]) -> bool {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const CR: u64 = 0x0D0D_0D0D_0D0D_0D0D;
    // A byte with its high bit set, or a zero byte in `word ^ CR` (a `\r`), sets a high bit.
    let flags = |word: u64| {
        let cr = word ^ CR;
        word | (cr.wrapping_sub(LOW) & !cr)
    };
    let mut chunks = raw.chunks_exact(8);
    let mut seen = 0u64;
    for chunk in &mut chunks {
        seen |= flags(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        if raw.len() >= 8 {
            // The last eight bytes, overlapping the chunks.
            let last = &raw[raw.len() - 8..];
            seen |= flags(u64::from_le_bytes(last.try_into().expect("eight bytes")));
        } else {
            return seen & HIGH == 0 && rest.iter().all(|&b| b < 0x80 && b != b'\r');
        }
    }
    seen & HIGH == 0
}

/// `str::trim`, with a shortcut for text that starts and ends with visible ASCII (most values).
pub(super) fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(&first), Some(&last)) if is_visible_ascii(first) && is_visible_ascii(last) => text,
        _ => text.trim(),
    }
}

fn is_visible_ascii(b: u8) -> bool {
    b > b' ' && b < 0x7F
}

/// Appends whitespace the tokenizer skipped, with line ends normalized as `xml_content` does.
pub(super) fn push_whitespace(out: &mut String, raw: &[u8]) {
    for (i, &b) in raw.iter().enumerate() {
        match b {
            b'\r' => out.push('\n'),
            b'\n' if i > 0 && raw[i - 1] == b'\r' => {}
            _ => out.push(char::from(b)),
        }
    }
}

/// The length of the XML whitespace `raw` starts with: line ends, and indentation eight bytes at a time.
#[inline]
pub(super) fn count_blank(raw: &[u8]) -> usize {
    const SPACES: u64 = u64::from_le_bytes(*b"        ");
    if raw.first().is_none_or(|&b| b > b' ') {
        return 0;
    }
    let mut n = 0;
    loop {
        match raw.get(n) {
            Some(b'\n' | b'\r' | b'\t') => n += 1,
            Some(b' ') => {
                // A run of spaces: whole words of them, then the spaces the next word starts with.
                while let Some(word) = raw.get(n..n + 8) {
                    let other = u64::from_le_bytes(word.try_into().expect("eight bytes")) ^ SPACES;
                    if other != 0 {
                        n += (other.trailing_zeros() / 8) as usize;
                        break;
                    }
                    n += 8;
                }
                while raw.get(n) == Some(&b' ') {
                    n += 1;
                }
            }
            _ => return n,
        }
    }
}

/// Whether raw text is XML whitespace only (what quick-xml's `trim_text_start` skips).
pub(super) fn is_blank(raw: &[u8]) -> bool {
    raw.iter()
        .all(|&b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// The content of a text or CDATA event as `xml_content` gives it, borrowed when there is nothing to decode.
pub(super) fn piece(raw: Cow<'_, [u8]>) -> Result<Cow<'_, str>, EncodingError> {
    match raw {
        Cow::Borrowed(raw) => match plain(raw) {
            Some(text) => Ok(Cow::Borrowed(text)),
            None => {
                let text = std::str::from_utf8(raw).map_err(EncodingError::Utf8)?;
                BytesText::from_escaped(text).xml_content()
            }
        },
        Cow::Owned(raw) => {
            let text = std::str::from_utf8(&raw).map_err(EncodingError::Utf8)?;
            Ok(Cow::Owned(
                BytesText::from_escaped(text).xml_content()?.into_owned(),
            ))
        }
    }
}

/// Resolves `&#..;` and the five predefined entities, like the serde path.
fn push_reference(out: &mut String, reference: &BytesRef<'_>) -> quick_xml::Result<()> {
    if let Some(c) = reference.resolve_char_ref()? {
        out.push(c);
        return Ok(());
    }
    let name = reference.decode()?;
    match quick_xml::escape::resolve_predefined_entity(&name) {
        Some(value) => {
            out.push_str(value);
            Ok(())
        }
        None => Err(quick_xml::Error::Escape(
            quick_xml::escape::EscapeError::UnrecognizedEntity(0..name.len(), name.into_owned()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_check_matches_a_byte_loop() {
        let samples: Vec<Vec<u8>> = (0..40)
            .flat_map(|len| {
                [b'a', b'\r', 0xC3, b' '].map(|odd| {
                    (0..len)
                        .map(|i| if i == len / 2 { odd } else { b'x' })
                        .collect()
                })
            })
            .collect();
        for raw in samples {
            let expected = raw.iter().all(|&b| b < 0x80 && b != b'\r');
            assert_eq!(ascii_without_cr(&raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn blank_runs() {
        for (raw, blank) in [
            (&b""[..], 0),
            (b"<a>", 0),
            (b"\n          <a>", 11),
            (b"\r\n\t \t  x", 7),
            (b"                ", 16),
            (b" \n \n  x", 6),
        ] {
            assert_eq!(count_blank(raw), blank, "{raw:?}");
        }
    }
}
