//! Reading one schema file's text within bounds: at most a size cap (regular files only, on disk), decoded from the
//! encoding it declares, no DOCTYPE, and elements nested no deeper than a limit (checked by a cheap scan before
//! the tree parser, whose recursion would otherwise overflow the stack).

use std::path::Path;

use encoding_rs::{Encoding, UTF_8};

use super::source::Source;
use crate::error::{Error, Result};

/// The bounds on schema input; see the [`crate::Builder`] options of the same names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest schema file read, in bytes (default 64 MiB).
    pub max_schema_bytes: u64,
    /// Deepest nesting of element declarations (`xs:element` inside `xs:element`, default 128). Any element
    /// nesting of the XML itself is bounded at `4 * max_schema_depth + 16`.
    pub max_schema_depth: usize,
    /// Whether an include or import may name a file outside the folder of the entry schemas (default no).
    pub allow_outside_schema_root: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_schema_bytes: 64 << 20,
            max_schema_depth: 128,
            allow_outside_schema_root: false,
        }
    }
}

/// The text of the schema file `path` from `source`, read as `limits` allow and checked by [`scan`].
pub(super) fn read_schema(source: &dyn Source, path: &Path, limits: &Limits) -> Result<String> {
    let bytes = source.read(path, limits.max_schema_bytes)?;
    let text = decode(path, &bytes)?;
    scan(path, &text, limits.max_schema_depth)?;
    Ok(text)
}

fn refused(path: &Path, reason: impl Into<String>) -> Error {
    Error::Input {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// `bytes` decoded: by its byte order mark, else by the encoding its XML declaration names, else as UTF-8.
fn decode(path: &Path, bytes: &[u8]) -> Result<String> {
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((encoding, bom)) => (encoding, &bytes[bom..]),
        None => match declared_encoding(bytes) {
            None => (UTF_8, bytes),
            Some(label) => match Encoding::for_label(label.as_bytes()) {
                // A declaration read as ASCII names an ASCII-compatible encoding; UTF-16 needs its BOM.
                Some(encoding) if encoding.is_ascii_compatible() => (encoding, bytes),
                _ => return Err(refused(path, format!("unsupported encoding {label}"))),
            },
        },
    };
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(body.len())
            .unwrap_or(body.len()),
    );
    let (result, _) = decoder.decode_to_string_without_replacement(body, &mut text, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(text),
        encoding_rs::DecoderResult::Malformed(..) => {
            let (line, col) = line_col(&text, text.len());
            Err(Error::Xml {
                path: path.to_path_buf(),
                line,
                col,
                message: format!("bytes that are not {}", encoding.name()),
            })
        }
        encoding_rs::DecoderResult::OutputFull => Err(refused(
            path,
            "decoded text is larger than its bound (a decoder bug)",
        )),
    }
}

/// The `encoding` of the XML declaration at the start of `bytes`, if there is one.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = bytes.get(..bytes.len().min(256))?;
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&head[..end]).ok()?;
    let at = decl.find("encoding")? + "encoding".len();
    let rest = decl[at..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_owned())
}

/// 1-based line and column (in characters) of byte `offset` of `text`.
pub(super) fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |at| at + 1);
    (line as u32, before[start..].chars().count() as u32 + 1)
}

/// Refuses a DOCTYPE (an internal entity can inject elements into the schema) and element nesting deeper than
/// `max_depth` element declarations, before the tree parser sees the text. Malformed markup is left for the
/// parser to report.
pub(super) fn scan(path: &Path, text: &str, max_depth: usize) -> Result<()> {
    let max_xml_depth = max_depth.saturating_mul(4).saturating_add(16);
    let bytes = text.as_bytes();
    let at = |offset: usize, message: String| {
        let (line, col) = line_col(text, offset);
        Error::Invalid {
            message,
            loc: crate::loc::Loc {
                file: std::sync::Arc::new(path.to_path_buf()),
                line,
                col,
            },
        }
    };
    // One entry per open element: whether it is an element declaration.
    let mut open: Vec<bool> = Vec::new();
    let mut declarations = 0usize;
    let mut i = 0;
    while let Some(lt) = memchr(b'<', bytes, i) {
        let rest = &bytes[lt..];
        let skip_to = |end: &[u8]| find(bytes, end, lt).map(|e| e + end.len());
        let next = if rest.starts_with(b"<!--") {
            skip_to(b"-->")
        } else if rest.starts_with(b"<![CDATA[") {
            skip_to(b"]]>")
        } else if rest.starts_with(b"<?") {
            skip_to(b"?>")
        } else if rest.starts_with(b"<!") {
            return Err(at(
                lt,
                "a DOCTYPE is not allowed in a schema (its entities could change the schema's content)"
                    .to_owned(),
            ));
        } else if rest.starts_with(b"</") {
            if open.pop() == Some(true) {
                declarations -= 1;
            }
            skip_to(b">")
        } else {
            let end = tag_end(bytes, lt + 1);
            let Some(end) = end else { return Ok(()) };
            let name_end = bytes[lt + 1..end]
                .iter()
                .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
                .map_or(end, |p| lt + 1 + p);
            let name = &bytes[lt + 1..name_end];
            let is_declaration = name == b"element" || name.ends_with(b":element");
            if bytes[end - 1] != b'/' {
                open.push(is_declaration);
                declarations += usize::from(is_declaration);
                if declarations > max_depth {
                    return Err(at(
                        lt,
                        format!(
                            "element declarations nest deeper than {} (max_schema_depth)",
                            levels(max_depth)
                        ),
                    ));
                }
                if open.len() > max_xml_depth {
                    return Err(at(
                        lt,
                        format!(
                            "elements nest deeper than {} (4 * max_schema_depth + 16)",
                            levels(max_xml_depth)
                        ),
                    ));
                }
            }
            Some(end + 1)
        };
        match next {
            Some(next) => i = next,
            None => return Ok(()),
        }
    }
    Ok(())
}

/// `n` nesting levels in words: `1 level`, `2 levels`.
fn levels(n: usize) -> String {
    if n == 1 {
        "1 level".to_owned()
    } else {
        format!("{n} levels")
    }
}

/// The offset of the `>` closing the tag whose name starts at `from`, outside quoted attribute values.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    for (k, b) in bytes.iter().enumerate().skip(from) {
        match (quote, *b) {
            (None, b'"' | b'\'') => quote = Some(*b),
            (Some(q), b) if b == q => quote = None,
            (None, b'>') => return Some(k),
            _ => {}
        }
    }
    None
}

fn memchr(needle: u8, bytes: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|b| *b == needle)
        .map(|p| p + from)
}

fn find(bytes: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}
