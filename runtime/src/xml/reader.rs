//! A direct, event-driven reader from XML to generated types: the fast alternative to the serde mapping.
//!
//! Generated structs and choice enums implement [`FromXml`]: they loop over their child elements, match each
//! local name as a byte slice, parse leaves straight from the text into their Rust types and skip what they do not
//! know. Leaves ([`XmlText`] types), [`Collection`] and [`AnyElement`] are implemented here.
//!
//! Text follows the serde path's rules exactly (see [`super::serde_text`]): text, CDATA and entity references of
//! an element are joined into one string, then trimmed; an empty element of a type with no empty lexical form is
//! absent. (quick-xml's own `trim_text` trims each piece between references, turning `a &amp; b` into `a&b`; it
//! is not used.)
//!
//! Entry points: [`read_document`] for a whole document in memory (events borrow the input: nothing is
//! copied), [`from_reader`] for any [`BufRead`], and [`ItemStream`] to take the records of a `ServiceResponse`
//! one at a time while only one of them is in memory.
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

use std::borrow::Cow;
use std::fmt;
use std::io::BufRead;
use std::marker::PhantomData;

use quick_xml::encoding::EncodingError;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesRef, BytesText, Event};

pub use quick_xml::events::BytesStart;

use super::{AnyElement, Collection, ElementName, RootElement, TextError, XmlText};
use crate::envelope::ErrorDetails;

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
// Sources

mod sealed {
    pub trait Sealed {}
    impl Sealed for &[u8] {}
    impl<R> Sealed for super::IoSource<R> {}
}

/// Where the events come from: a byte slice (`&[u8]`, events borrow the input) or an [`IoSource`] over any
/// [`BufRead`] (events are copied into reused buffers). Sealed: the two are all there is.
pub trait XmlSource: sealed::Sealed + Sized {
    /// Whether events are copied into buffers (which are then worth reusing).
    #[doc(hidden)]
    const BUFFERED: bool;

    /// Whether [`Self::mark`] can find skipped input again (the input is in memory).
    #[doc(hidden)]
    const MARKS: bool;

    /// A place in the input.
    #[doc(hidden)]
    type Mark: Copy;

    /// The place the reader is at.
    #[doc(hidden)]
    fn mark(reader: &quick_xml::Reader<Self>) -> Self::Mark;

    /// The whitespace at `mark` (what `trim_text_start` skips from there).
    #[doc(hidden)]
    fn skipped(mark: &Self::Mark) -> &[u8];

    /// An element read ahead of the tokenizer (see [`SimpleLeaf`]).
    #[doc(hidden)]
    type Leaf: Copy;

    /// Reads the element at the reader's place ahead of the tokenizer if it is a [`SimpleLeaf`], consuming it;
    /// returns it with its length. Only where the tokenizer is between markup. Where events are copied, the
    /// name goes to `name_buf` and the element to `leaf_buf`.
    #[doc(hidden)]
    fn simple_leaf(
        reader: &mut quick_xml::Reader<Self>,
        name_buf: &mut Vec<u8>,
        leaf_buf: &mut Vec<u8>,
    ) -> Option<(Self::Leaf, u64)>;

    /// The start tag of a leaf read ahead (`name_buf` as [`Self::simple_leaf`] left it).
    #[doc(hidden)]
    fn leaf_start<'b>(leaf: &Self::Leaf, name_buf: &'b [u8]) -> BytesStart<'b>
    where
        Self: 'b;

    /// The parts of a leaf read ahead (`leaf_buf` as [`Self::simple_leaf`] left it).
    #[doc(hidden)]
    fn leaf_parts<'a>(leaf: &'a Self::Leaf, leaf_buf: &'a [u8]) -> SimpleLeaf<'a>;

    /// Consumes the whitespace at the reader's place behind the tokenizer's back (which then does not count it
    /// in its offsets), returning how many bytes that was. Only where the tokenizer is between markup.
    #[doc(hidden)]
    fn skip_blank(reader: &mut quick_xml::Reader<Self>) -> u64;

    /// Reads the next event.
    #[doc(hidden)]
    fn event<'b>(
        reader: &mut quick_xml::Reader<Self>,
        buf: &'b mut Vec<u8>,
    ) -> quick_xml::Result<Event<'b>>
    where
        Self: 'b;

    /// Reads up to the next start tag or end tag, appending text on the way to `text` when given.
    #[doc(hidden)]
    fn step<'b>(
        reader: &mut quick_xml::Reader<Self>,
        buf: &'b mut Vec<u8>,
        text: Option<&mut String>,
    ) -> Result<Step<'b>, ReadError>
    where
        Self: 'b;
}

/// What [`XmlSource::step`] found.
#[doc(hidden)]
#[derive(Debug)]
pub enum Step<'b> {
    /// A start tag, the byte offset of its `<` (in the tokenizer's count), and whether it closes itself (`<x/>`).
    Start(BytesStart<'b>, u64, bool),
    /// The end tag of the enclosing element.
    End,
    /// The end of the input.
    Eof,
}

impl<'i> XmlSource for &'i [u8] {
    const BUFFERED: bool = false;
    const MARKS: bool = true;
    type Mark = &'i [u8];

    fn mark(reader: &quick_xml::Reader<Self>) -> &'i [u8] {
        reader.get_ref()
    }

    type Leaf = SimpleLeaf<'i>;

    #[inline]
    fn simple_leaf(
        reader: &mut quick_xml::Reader<Self>,
        _: &mut Vec<u8>,
        _: &mut Vec<u8>,
    ) -> Option<(SimpleLeaf<'i>, u64)> {
        let rest: &mut &'i [u8] = reader.get_mut();
        let leaf = SimpleLeaf::find(rest)?;
        *rest = &rest[leaf.len..];
        Some((leaf, leaf.len as u64))
    }

    #[inline]
    fn leaf_start<'b>(leaf: &SimpleLeaf<'i>, _: &'b [u8]) -> BytesStart<'b>
    where
        Self: 'b,
    {
        leaf.start()
    }

    fn leaf_parts<'a>(leaf: &'a SimpleLeaf<'i>, _: &'a [u8]) -> SimpleLeaf<'a> {
        *leaf
    }

    #[inline]
    fn skip_blank(reader: &mut quick_xml::Reader<Self>) -> u64 {
        let rest: &mut &'i [u8] = reader.get_mut();
        let blank = count_blank(rest);
        *rest = &rest[blank..];
        blank as u64
    }

    fn skipped<'m>(mark: &'m &'i [u8]) -> &'m [u8] {
        let end = mark
            .iter()
            .position(|&b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .unwrap_or(mark.len());
        &mark[..end]
    }

    #[inline]
    fn event<'b>(
        reader: &mut quick_xml::Reader<Self>,
        _: &'b mut Vec<u8>,
    ) -> quick_xml::Result<Event<'b>>
    where
        Self: 'b,
    {
        reader.read_event()
    }

    #[inline]
    fn step<'b>(
        reader: &mut quick_xml::Reader<Self>,
        _: &'b mut Vec<u8>,
        mut text: Option<&mut String>,
    ) -> Result<Step<'b>, ReadError>
    where
        Self: 'b,
    {
        loop {
            let at = reader.buffer_position();
            let event = reader
                .read_event()
                .map_err(|e| ReadError::xml(e, reader.error_position()))?;
            match event {
                Event::Start(start) => {
                    // Whitespace before the tag may have been skipped: locate its `<` from the tag's content,
                    // which lies in the input just before the rest of it.
                    let rest = reader.get_ref().as_ptr() as usize;
                    let content = start.as_ptr() as usize;
                    let at = reader.buffer_position() - (rest - content) as u64 - 1;
                    // `/>` rather than `>` after the content.
                    let self_closed = rest - (content + start.len()) == 2;
                    return Ok(Step::Start(start, at, self_closed));
                }
                Event::End(_) => return Ok(Step::End),
                Event::Eof => return Ok(Step::Eof),
                other => {
                    if let Some(text) = text.as_deref_mut() {
                        push_text(text, &other).map_err(|e| ReadError::xml(e, at))?;
                    }
                }
            }
        }
    }
}

/// An element in its most common form, `<name>text</name>` or `<name>` CDATA section `</name>` (with whitespace
/// around the section): no attributes, references, comments or child elements. Such an element, in memory or
/// whole in a `BufRead`'s buffer, is read ahead of the tokenizer in one pass over its bytes, and its content
/// handed to whatever reads the element (a leaf's text, a struct that finds no children, [`XmlReader::skip`]);
/// the tokenizer would read three events for it. Anything else, or anything the tokenizer would see differently (`<name >`, `</name >`, `<![cdata[`,
/// an end tag with another name), is left to the tokenizer.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct SimpleLeaf<'i> {
    name: &'i [u8],
    /// Everything between the tags.
    content: &'i [u8],
    /// The text, or the CDATA section's content.
    text: &'i [u8],
    cdata: bool,
    /// The length of the whole element.
    len: usize,
}

impl<'i> SimpleLeaf<'i> {
    #[inline]
    fn find(input: &'i [u8]) -> Option<Self> {
        if input.first() != Some(&b'<') {
            return None;
        }
        // The name, up to `>`: ASCII (other names are left to the tokenizer).
        let mut gt = 1;
        loop {
            match *input.get(gt)? {
                b'>' => break,
                b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'!' | b'?' | b'<' | b'=' | b'"' | b'\''
                | b'&' => {
                    return None;
                }
                0x80.. => return None,
                _ => gt += 1,
            }
        }
        if gt == 1 {
            return None;
        }
        let name = &input[1..gt];
        let body = gt + 1;
        let next = body + memchr::memchr2(b'<', b'&', &input[body..])?;
        let (text, cdata, close) = match input.get(next..next + 2)? {
            b"</" => (&input[body..next], false, next),
            b"<!"
                if count_blank(&input[body..next]) == next - body
                    && input[next..].starts_with(b"<![CDATA[") =>
            {
                let start = next + b"<![CDATA[".len();
                let end = start + find_cdata_end(&input[start..])?;
                let close = end + 3 + count_blank(&input[end + 3..]);
                (&input[start..end], true, close)
            }
            _ => return None,
        };
        // `</name>`
        let end_name = close + 2;
        if input.get(close..end_name)? != b"</"
            || input.get(end_name..end_name + name.len())? != name
            || input.get(end_name + name.len()) != Some(&b'>')
        {
            return None;
        }
        Some(SimpleLeaf {
            name,
            content: &input[body..close],
            text,
            cdata,
            len: end_name + name.len() + 1,
        })
    }

    /// The start tag.
    fn start(&self) -> BytesStart<'i> {
        // SAFETY: `find` accepts ASCII names only, and ASCII is valid UTF-8.
        let name = unsafe { std::str::from_utf8_unchecked(self.name) };
        BytesStart::from_content(name, name.len())
    }

    /// Where `part` (of this element) lies, from the element's `<`.
    fn offset_of(&self, part: &[u8]) -> u64 {
        (part.as_ptr() as usize - self.name.as_ptr() as usize + 1) as u64
    }

    /// Appends the content as text events would: whitespace, the CDATA section, whitespace, line ends
    /// normalized.
    fn push_content(&self, out: &mut String) -> quick_xml::Result<()> {
        fn decode(raw: &[u8]) -> quick_xml::Result<&str> {
            std::str::from_utf8(raw).map_err(|e| quick_xml::Error::Encoding(EncodingError::Utf8(e)))
        }
        if !self.cdata {
            return push_text(
                out,
                &Event::Text(BytesText::from_escaped(decode(self.content)?)),
            );
        }
        let start = self.text.as_ptr() as usize - self.content.as_ptr() as usize;
        let end = start + self.text.len();
        push_whitespace(out, &self.content[..start - b"<![CDATA[".len()]);
        push_text(
            out,
            &Event::CData(quick_xml::events::BytesCData::new(decode(self.text)?)),
        )?;
        push_whitespace(out, &self.content[end + 3..]);
        Ok(())
    }
}

/// A [`SimpleLeaf`] copied out of a `BufRead`'s buffer: where its parts lie in the copy.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct LeafSpans {
    name: (usize, usize),
    content: (usize, usize),
    text: (usize, usize),
    cdata: bool,
    len: usize,
}

impl LeafSpans {
    fn of(leaf: &SimpleLeaf<'_>, base: &[u8]) -> Self {
        let span = |part: &[u8]| {
            let start = part.as_ptr() as usize - base.as_ptr() as usize;
            (start, start + part.len())
        };
        LeafSpans {
            name: span(leaf.name),
            content: span(leaf.content),
            text: span(leaf.text),
            cdata: leaf.cdata,
            len: leaf.len,
        }
    }

    fn resolve<'a>(&self, bytes: &'a [u8]) -> SimpleLeaf<'a> {
        SimpleLeaf {
            name: &bytes[self.name.0..self.name.1],
            content: &bytes[self.content.0..self.content.1],
            text: &bytes[self.text.0..self.text.1],
            cdata: self.cdata,
            len: self.len,
        }
    }
}

/// Where `]]>` starts in `input`.
#[inline]
fn find_cdata_end(input: &[u8]) -> Option<usize> {
    let mut from = 0;
    loop {
        let at = from + memchr::memchr(b']', &input[from..])?;
        if input[at..].starts_with(b"]]>") {
            return Some(at);
        }
        from = at + 1;
    }
}

/// A [`BufRead`] as an event source.
#[derive(Debug)]
pub struct IoSource<R>(R);

impl<R: BufRead> std::io::Read for IoSource<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}

impl<R: BufRead> BufRead for IoSource<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.0.fill_buf()
    }
    fn consume(&mut self, amount: usize) {
        self.0.consume(amount)
    }
}

impl<R: BufRead> XmlSource for IoSource<R> {
    const BUFFERED: bool = true;
    const MARKS: bool = false;
    type Mark = ();

    fn mark(_: &quick_xml::Reader<Self>) {}

    type Leaf = LeafSpans;

    fn simple_leaf(
        reader: &mut quick_xml::Reader<Self>,
        name_buf: &mut Vec<u8>,
        leaf_buf: &mut Vec<u8>,
    ) -> Option<(LeafSpans, u64)> {
        // Only an element the source holds in its buffer already.
        let source = reader.get_mut();
        let available = source.fill_buf().ok()?;
        let leaf = SimpleLeaf::find(available)?;
        leaf_buf.clear();
        leaf_buf.extend_from_slice(&available[..leaf.len]);
        name_buf.clear();
        name_buf.extend_from_slice(leaf.name);
        let (spans, len) = (LeafSpans::of(&leaf, available), leaf.len);
        source.consume(len);
        Some((spans, len as u64))
    }

    fn leaf_start<'b>(_: &LeafSpans, name_buf: &'b [u8]) -> BytesStart<'b>
    where
        Self: 'b,
    {
        // SAFETY: `SimpleLeaf::find` accepts ASCII names only, and ASCII is valid UTF-8.
        let name = unsafe { std::str::from_utf8_unchecked(name_buf) };
        BytesStart::from_content(name, name.len())
    }

    fn leaf_parts<'a>(leaf: &'a LeafSpans, leaf_buf: &'a [u8]) -> SimpleLeaf<'a> {
        leaf.resolve(leaf_buf)
    }

    fn skip_blank(reader: &mut quick_xml::Reader<Self>) -> u64 {
        let source = reader.get_mut();
        let mut total = 0;
        loop {
            // An I/O error is left for the tokenizer to meet on its next read.
            let Ok(available) = source.fill_buf() else {
                return total;
            };
            let blank = count_blank(available);
            let more = blank == available.len() && blank > 0;
            source.consume(blank);
            total += blank as u64;
            if !more {
                return total;
            }
        }
    }

    fn skipped(_: &()) -> &[u8] {
        &[]
    }

    fn event<'b>(
        reader: &mut quick_xml::Reader<Self>,
        buf: &'b mut Vec<u8>,
    ) -> quick_xml::Result<Event<'b>>
    where
        Self: 'b,
    {
        reader.read_event_into(buf)
    }

    fn step<'b>(
        reader: &mut quick_xml::Reader<Self>,
        buf: &'b mut Vec<u8>,
        mut text: Option<&mut String>,
    ) -> Result<Step<'b>, ReadError>
    where
        Self: 'b,
    {
        // The start tag is located inside `buf` and rebuilt after the loop: returning the event from inside the
        // loop would keep `buf` borrowed across iterations, which the borrow checker refuses.
        let (at, address, len, name_len) = loop {
            let at = reader.buffer_position();
            buf.clear();
            let event = reader
                .read_event_into(buf)
                .map_err(|e| ReadError::xml(e, reader.error_position()))?;
            match event {
                Event::Start(start) => {
                    break (
                        at,
                        start.as_ptr() as usize,
                        start.len(),
                        start.name().as_ref().len(),
                    );
                }
                Event::End(_) => return Ok(Step::End),
                Event::Eof => return Ok(Step::Eof),
                other => {
                    if let Some(text) = text.as_deref_mut() {
                        push_text(text, &other).map_err(|e| ReadError::xml(e, at))?;
                    }
                }
            }
        };
        // The event borrowed `buf`, so its content lies inside it, and `buf` holds what lies between `<` and `>`
        // (whitespace before the tag may have been skipped, so `at` is located from there).
        let offset = address - buf.as_ptr() as usize;
        let at = at.max(reader.buffer_position() - (buf.len() - offset) as u64 - 2);
        // `buf` holds `x/` for `<x/>`.
        let self_closed = buf.len() - offset - len == 1;
        let content = std::str::from_utf8(&buf[offset..offset + len])
            .map_err(|e| ReadError::xml(quick_xml::Error::Encoding(EncodingError::Utf8(e)), at))?;
        Ok(Step::Start(
            BytesStart::from_content(content, name_len),
            at,
            self_closed,
        ))
    }
}

/// Appends the text an event stands for (text, CDATA, a character or predefined entity reference).
fn push_text(out: &mut String, event: &Event<'_>) -> quick_xml::Result<()> {
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
fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(&first), Some(&last)) if is_visible_ascii(first) && is_visible_ascii(last) => text,
        _ => text.trim(),
    }
}

fn is_visible_ascii(b: u8) -> bool {
    b > b' ' && b < 0x7F
}

/// Appends whitespace the tokenizer skipped, with line ends normalized as `xml_content` does.
fn push_whitespace(out: &mut String, raw: &[u8]) {
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
fn count_blank(raw: &[u8]) -> usize {
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
fn is_blank(raw: &[u8]) -> bool {
    raw.iter()
        .all(|&b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// The content of a text or CDATA event as `xml_content` gives it, borrowed when there is nothing to decode.
fn piece(raw: Cow<'_, [u8]>) -> Result<Cow<'_, str>, EncodingError> {
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

// ---------------------------------------------------------------------------------------------------------------
// The reader

/// An XML event reader with the operations generated code needs: iterate child elements, read a leaf's text,
/// skip a subtree. Buffers are reused, so reading allocates only for the values it returns.
pub struct XmlReader<S: XmlSource> {
    inner: quick_xml::Reader<S>,
    /// Event buffers for leaf text: the first text event, the event after it, and the events after those.
    first: Vec<u8>,
    second: Vec<u8>,
    third: Vec<u8>,
    /// Text assembled from several events.
    text: String,
    /// Where the element last returned by [`Children::next`] starts.
    element_at: u64,
    /// Whitespace consumed by [`XmlSource::skip_blank`], which the tokenizer's offsets leave out.
    skipped: u64,
    /// The content of the element just started, when it was read ahead as a [`SimpleLeaf`] (copied into
    /// `leaf_buf` from a `BufRead`).
    pending: Option<S::Leaf>,
    leaf_buf: Vec<u8>,
    /// Whether the last event ended with a `>` that leaves the tokenizer between markup (not `<x/>`, whose end
    /// tag is still to come): the only place whitespace may be consumed behind its back.
    between_markup: bool,
}

impl<S: XmlSource> fmt::Debug for XmlReader<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("XmlReader")
            .field("position", &(self.inner.buffer_position() + self.skipped))
            .finish_non_exhaustive()
    }
}

impl<'i> XmlReader<&'i [u8]> {
    /// Reads from bytes in memory; events borrow them.
    pub fn from_bytes(bytes: &'i [u8]) -> Self {
        Self::new(bytes)
    }
}

impl<R: BufRead> XmlReader<IoSource<R>> {
    /// Reads from any buffered reader, holding only the current event in memory.
    pub fn from_reader(reader: R) -> Self {
        Self::new(IoSource(reader))
    }
}

impl<S: XmlSource> XmlReader<S> {
    fn new(source: S) -> Self {
        let mut inner = quick_xml::Reader::from_reader(source);
        let config = inner.config_mut();
        // `<x/>` reads as a start and an end tag, so every element is read the same way.
        config.expand_empty_elements = true;
        config.trim_text(false);
        XmlReader {
            inner,
            first: Vec::new(),
            second: Vec::new(),
            third: Vec::new(),
            text: String::new(),
            element_at: 0,
            skipped: 0,
            pending: None,
            leaf_buf: Vec::new(),
            between_markup: false,
        }
    }

    /// The byte offset of the reader in the input.
    pub fn position(&self) -> u64 {
        self.inner.buffer_position() + self.skipped
    }

    /// Skips whitespace quicker than the tokenizer's `trim_text_start` (byte by byte) does, where it is safe.
    /// Only where that whitespace is not looked at: between child elements, before the first piece of text.
    #[inline]
    fn skip_blank(&mut self) {
        if self.between_markup {
            self.skipped += S::skip_blank(&mut self.inner);
        }
    }

    /// Whether the tokenizer skips whitespace at the start of text (and so whitespace-only text) from the next
    /// event on. On where text is ignored or would be trimmed away (between child elements, before the first
    /// piece of a leaf's text), which saves decoding an event for every indentation; off where whitespace can be
    /// content (between pieces of text, text collected beside child elements).
    fn trim_start(&mut self, on: bool) {
        self.inner.config_mut().trim_text_start = on;
    }

    /// Reads the document element as `T`, checking its local name against [`RootElement::ROOT`].
    pub fn read_root<T: FromXml + RootElement>(&mut self) -> Result<T, ReadError> {
        let root = self.root(T::ROOT)?;
        self.element(&root)
    }

    /// Reads up to the document element and checks its local name.
    fn root(&mut self, expected: &'static str) -> Result<BytesStart<'static>, ReadError> {
        let mut buf = Vec::new();
        self.trim_start(true);
        let skipped = self.skipped;
        match S::step(&mut self.inner, &mut buf, None).map_err(|e| e.shifted(skipped))? {
            Step::Start(start, at, self_closed) => {
                let at = at + skipped;
                self.element_at = at;
                self.between_markup = !self_closed;
                if local_name(&start) != expected.as_bytes() {
                    return Err(ReadError::new(
                        ReadErrorKind::UnexpectedRoot {
                            expected,
                            found: local_name_string(&start),
                        },
                        at,
                    ));
                }
                Ok(start.into_owned())
            }
            Step::End | Step::Eof => Err(ReadError::new(
                ReadErrorKind::NoRoot { expected },
                self.position(),
            )),
        }
    }

    /// Starts iterating over the child elements of the element just started.
    pub fn children(&mut self) -> Children {
        Children {
            buf: if S::BUFFERED {
                spare_buffer()
            } else {
                Vec::new()
            },
        }
    }

    /// Runs `read` for the content of `child`, naming `child` in the path of any error.
    pub fn within<T>(
        &mut self,
        child: &BytesStart<'_>,
        read: impl FnOnce(&mut Self) -> Result<T, ReadError>,
    ) -> Result<T, ReadError> {
        read(self).map_err(|e| e.within(child))
    }

    /// Reads `child` as a `T`.
    pub fn element<T: FromXml>(&mut self, child: &BytesStart<'_>) -> Result<T, ReadError> {
        T::read(self, child).map_err(|e| e.within(child))
    }

    /// Reads an optional `child` as a `T`; an element with `xsi:nil="true"` is `None` (as in the serde path).
    pub fn optional<T: FromXml>(&mut self, child: &BytesStart<'_>) -> Result<Option<T>, ReadError> {
        if is_nil(child) {
            self.skip()?;
            return Ok(None);
        }
        self.element(child).map(Some)
    }

    /// Reads a required leaf: its trimmed text, parsed; empty is an error for a type with no empty form.
    pub fn leaf<T: XmlText>(&mut self, child: &BytesStart<'_>) -> Result<T, ReadError> {
        self.element(child)
    }

    /// Reads an optional leaf: `None` for `xsi:nil="true"`, and for an empty element of a type with no empty
    /// form (`<count/>`).
    pub fn leaf_opt<T: XmlText>(&mut self, child: &BytesStart<'_>) -> Result<Option<T>, ReadError> {
        if is_nil(child) {
            self.skip()?;
            return Ok(None);
        }
        self.leaf_item(child)
    }

    /// Reads one element of a repeated leaf: `None` for an empty element of a type with no empty form (the
    /// caller leaves it out).
    #[inline(always)]
    pub fn leaf_item<T: XmlText>(
        &mut self,
        child: &BytesStart<'_>,
    ) -> Result<Option<T>, ReadError> {
        self.leaf_value().map_err(|e| e.within(child))
    }

    /// Reads a required `xs:list` leaf.
    pub fn list<T: XmlText>(&mut self, child: &BytesStart<'_>) -> Result<Vec<T>, ReadError> {
        self.list_value().map_err(|e| e.within(child))
    }

    /// Reads an optional `xs:list` leaf (`None` for `xsi:nil="true"`).
    pub fn list_opt<T: XmlText>(
        &mut self,
        child: &BytesStart<'_>,
    ) -> Result<Option<Vec<T>>, ReadError> {
        if is_nil(child) {
            self.skip()?;
            return Ok(None);
        }
        self.list(child).map(Some)
    }

    /// Reads the content of an `xs:anyType` element (attributes, text, children; the name is left empty, since
    /// the field names the element).
    pub fn any_content(&mut self, child: &BytesStart<'_>) -> Result<AnyElement, ReadError> {
        self.within(child, |reader| reader.any_value(child))
    }

    /// Reads the content of an optional `xs:anyType` element.
    pub fn any_content_opt(
        &mut self,
        child: &BytesStart<'_>,
    ) -> Result<Option<AnyElement>, ReadError> {
        if is_nil(child) {
            self.skip()?;
            return Ok(None);
        }
        self.any_content(child).map(Some)
    }

    /// The trimmed text content of the element just started (text, CDATA and references, joined), through its end
    /// tag. Child elements are skipped.
    pub fn read_text(&mut self) -> Result<String, ReadError> {
        self.with_text(false, str::to_owned)
    }

    /// The text content of the element just started, parsed as `T`; `None` when it is empty and `T` has no empty
    /// form.
    #[inline(always)]
    pub fn leaf_value<T: XmlText>(&mut self) -> Result<Option<T>, ReadError> {
        let at = self.element_at;
        self.with_text(false, parse_text)?
            .map_err(|e| ReadError::text(e, at))
    }

    /// The text content of the element just started, as an `xs:list` of `T`.
    pub fn list_value<T: XmlText>(&mut self) -> Result<Vec<T>, ReadError> {
        let at = self.element_at;
        self.with_text(false, super::text_list)?
            .map_err(|e| ReadError::text(e, at))
    }

    /// Reads the simple content (`$text`) of the struct element just started, through its end tag (child elements
    /// are skipped): trimmed; empty is an error for a type with no empty form. Malformed XML fails at once; a
    /// value that does not parse is the inner error, for the caller to report where it builds the struct (after
    /// a missing required attribute, say).
    pub fn simple_text<T: XmlText>(&mut self) -> Result<Result<T, ReadError>, ReadError> {
        let parsed = self.with_text(true, parse_text)?;
        Ok(match parsed {
            Ok(Some(value)) => Ok(value),
            Ok(None) => Err(self.empty::<T>()),
            Err(e) => Err(ReadError::text(e, self.position())),
        })
    }

    /// Reads optional simple content (see [`Self::simple_text`]): `None` when blank (the serde path does not
    /// see whitespace-only text).
    pub fn simple_text_opt<T: XmlText>(
        &mut self,
    ) -> Result<Result<Option<T>, ReadError>, ReadError> {
        let parsed = self.with_text(true, |text| {
            (!text.is_empty())
                .then(|| T::from_xml_text(text))
                .transpose()
        })?;
        Ok(parsed.map_err(|e| ReadError::text(e, self.position())))
    }

    /// Reads simple content of an `xs:list` type (see [`Self::simple_text`]).
    pub fn simple_text_list<T: XmlText>(&mut self) -> Result<Result<Vec<T>, ReadError>, ReadError> {
        let parsed = self.with_text(true, super::text_list)?;
        Ok(parsed.map_err(|e| ReadError::text(e, self.position())))
    }

    /// Reads optional simple content of an `xs:list` type (see [`Self::simple_text`]): `None` when blank.
    pub fn simple_text_list_opt<T: XmlText>(
        &mut self,
    ) -> Result<Result<Option<Vec<T>>, ReadError>, ReadError> {
        let parsed = self.with_text(true, |text| {
            (!text.is_empty())
                .then(|| super::text_list(text))
                .transpose()
        })?;
        Ok(parsed.map_err(|e| ReadError::text(e, self.position())))
    }

    /// Parses the text collected for a struct's simple content (`$text`): trimmed; empty is an error for a type
    /// with no empty form.
    pub fn text<T: XmlText>(&self, text: &str) -> Result<T, ReadError> {
        parse_text(text.trim())
            .map_err(|e| ReadError::text(e, self.position()))?
            .ok_or_else(|| self.empty::<T>())
    }

    /// Takes the text collected between two children of mixed content: trimmed of XML whitespace (as the
    /// serde mapping trims a text node), `None` when nothing is left. Leaves `text` empty.
    pub fn take_text(&self, text: &mut String) -> Option<String> {
        let trimmed = text.trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n'));
        let taken = (!trimmed.is_empty()).then(|| trimmed.to_owned());
        text.clear();
        taken
    }

    /// Parses optional simple content: `None` when blank (the serde path does not see whitespace-only text).
    pub fn text_opt<T: XmlText>(&self, text: &str) -> Result<Option<T>, ReadError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        T::from_xml_text(text)
            .map(Some)
            .map_err(|e| ReadError::text(e, self.position()))
    }

    /// Parses simple content of an `xs:list` type.
    pub fn text_list<T: XmlText>(&self, text: &str) -> Result<Vec<T>, ReadError> {
        super::text_list(text).map_err(|e| ReadError::text(e, self.position()))
    }

    /// Parses optional simple content of an `xs:list` type: `None` when blank.
    pub fn text_list_opt<T: XmlText>(&self, text: &str) -> Result<Option<Vec<T>>, ReadError> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        self.text_list(text).map(Some)
    }

    /// Calls `read` with the trimmed text content of the element just started (text, CDATA and references,
    /// joined; child elements skipped), consuming its end tag. The text is borrowed from the input or the event
    /// buffer when it came as one piece; otherwise it is joined in a reused string. With `track`, each child
    /// element's start becomes the reader's current element, as when a struct iterates over its children.
    #[inline(always)]
    fn with_text<T>(&mut self, track: bool, read: impl FnOnce(&str) -> T) -> Result<T, ReadError> {
        if !S::BUFFERED {
            // Events borrow the input: no buffers to lend.
            return self.text_in(&mut Vec::new(), &mut Vec::new(), track, read);
        }
        let mut first = std::mem::take(&mut self.first);
        let mut second = std::mem::take(&mut self.second);
        let result = self.text_in(&mut first, &mut second, track, read);
        self.first = first;
        self.second = second;
        result
    }

    /// The fast path of [`Self::with_text`]: one piece of text or CDATA, with whitespace before and after it,
    /// is parsed where it lies. Anything else (references, several pieces, comments, child elements) is joined
    /// in `self.text` by [`Self::text_rest`].
    #[inline(always)]
    fn text_in<T>(
        &mut self,
        first: &mut Vec<u8>,
        second: &mut Vec<u8>,
        track: bool,
        read: impl FnOnce(&str) -> T,
    ) -> Result<T, ReadError> {
        if let Some(leaf) = self.pending.take() {
            // Read ahead: one piece of text, or of CDATA with whitespace around it.
            self.between_markup = true;
            let leaf = S::leaf_parts(&leaf, &self.leaf_buf);
            let piece = piece(Cow::Borrowed(leaf.text))
                .map_err(|e| ReadError::xml(e.into(), self.element_at))?;
            return Ok(read(trim(&piece)));
        }
        // Whitespace before the first piece is skipped by the tokenizer: trimming would drop it anyway. (Not
        // when child elements are tracked: their start is where the previous event ends.)
        self.trim_start(!track);
        if !track {
            self.skip_blank();
        }
        first.clear();
        let before = if track { self.position() } else { 0 };
        let event = S::event(&mut self.inner, first).map_err(|e| self.xml_error(e))?;
        let raw = match event {
            Event::End(_) => {
                self.between_markup = true;
                return Ok(read(""));
            }
            Event::Text(text) => {
                self.between_markup = false;
                text.into_inner()
            }
            Event::CData(text) => {
                self.between_markup = true;
                text.into_inner()
            }
            other => return self.text_joined("", None, other, before, track, read),
        };
        let piece = match piece(raw) {
            Ok(piece) => piece,
            Err(e) => return Err(ReadError::xml(e.into(), self.element_at)),
        };
        // After the piece, whitespace is content if more text follows. Where the input is in memory, it may be
        // skipped all the same: it is found again in the input in that (rare) case.
        let mark = if S::MARKS && !track {
            self.trim_start(true);
            let mark = S::mark(&self.inner);
            self.skip_blank();
            Some(mark)
        } else {
            self.trim_start(false);
            None
        };
        second.clear();
        let before = if track { self.position() } else { 0 };
        let event = S::event(&mut self.inner, second).map_err(|e| self.xml_error(e))?;
        match event {
            Event::End(_) => {
                self.between_markup = true;
                Ok(read(trim(&piece)))
            }
            // Whitespace after the piece (CDATA on its own line, read from a `BufRead`): trailing, unless more
            // text follows.
            Event::Text(text) if !S::MARKS && is_blank(&text) => {
                self.text.clear();
                push_text(&mut self.text, &Event::Text(text)).map_err(|e| self.xml_error(e))?;
                second.clear();
                let before = if track { self.position() } else { 0 };
                match S::event(&mut self.inner, second).map_err(|e| self.xml_error(e))? {
                    Event::End(_) => {
                        self.between_markup = true;
                        Ok(read(trim(&piece)))
                    }
                    other => {
                        let blank = std::mem::take(&mut self.text);
                        let result = self.text_joined(
                            &piece,
                            Some(blank.as_bytes()),
                            other,
                            before,
                            track,
                            read,
                        );
                        self.text = blank;
                        result
                    }
                }
            }
            other => {
                let skipped = mark.as_ref().map(|mark| S::skipped(mark));
                self.text_joined(&piece, skipped, other, before, track, read)
            }
        }
    }

    /// [`Self::text_rest`] after `piece` and whitespace `blank` (raw, or decoded when read as an event).
    #[cold]
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn text_joined<T>(
        &mut self,
        piece: &str,
        blank: Option<&[u8]>,
        event: Event<'_>,
        at: u64,
        track: bool,
        read: impl FnOnce(&str) -> T,
    ) -> Result<T, ReadError> {
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        text.push_str(piece);
        if let Some(blank) = blank {
            push_whitespace(&mut text, blank);
        }
        self.text = text;
        let mut buf = std::mem::take(&mut self.third);
        let result = self.text_rest(event, at, &mut buf, track, read);
        self.third = buf;
        result
    }

    /// The slow path of [`Self::with_text`]: joins the text of `event` (which starts at byte `at`) and of the
    /// events up to the end tag in `self.text`, skipping child elements.
    #[cold]
    #[inline(never)]
    fn text_rest<T>(
        &mut self,
        event: Event<'_>,
        at: u64,
        buf: &mut Vec<u8>,
        track: bool,
        read: impl FnOnce(&str) -> T,
    ) -> Result<T, ReadError> {
        self.trim_start(false);
        let mut depth = 0usize;
        let mut done = self.absorb(&event, at, &mut depth, track)?;
        while !done {
            buf.clear();
            let at = self.position();
            let event = S::event(&mut self.inner, buf).map_err(|e| self.xml_error(e))?;
            done = self.absorb(&event, at, &mut depth, track)?;
        }
        self.between_markup = true;
        Ok(read(trim(&self.text)))
    }

    /// Adds the text of `event` (outside child elements) to `self.text`; true at the end tag. With `track`, a
    /// child element starting at `at` becomes the current element.
    fn absorb(
        &mut self,
        event: &Event<'_>,
        at: u64,
        depth: &mut usize,
        track: bool,
    ) -> Result<bool, ReadError> {
        match event {
            Event::Start(_) => {
                if track && *depth == 0 {
                    self.element_at = at;
                }
                *depth += 1;
            }
            Event::End(_) if *depth == 0 => return Ok(true),
            Event::End(_) => *depth -= 1,
            Event::Eof => return Err(self.eof()),
            _ if *depth == 0 => {
                push_text(&mut self.text, event).map_err(|e| self.xml_error(e))?;
            }
            _ => {}
        }
        Ok(false)
    }

    /// Skips the rest of the element just started, through its end tag.
    pub fn skip(&mut self) -> Result<(), ReadError> {
        if self.pending.take().is_some() {
            self.between_markup = true;
            return Ok(());
        }
        // Text is not looked at: let the tokenizer skip whitespace-only text.
        self.trim_start(true);
        self.skip_blank();
        let mut buf = std::mem::take(&mut self.first);
        let mut depth = 0usize;
        let result = loop {
            buf.clear();
            match S::event(&mut self.inner, &mut buf) {
                Ok(Event::Start(_)) => depth += 1,
                Ok(Event::End(_)) if depth == 0 => {
                    self.between_markup = true;
                    break Ok(());
                }
                Ok(Event::End(_)) => depth -= 1,
                Ok(Event::Eof) => break Err(self.eof()),
                Ok(_) => {}
                Err(e) => break Err(self.xml_error(e)),
            }
        };
        self.first = buf;
        result
    }

    /// The content of the element `start` (just started) as an [`AnyElement`] without a name.
    fn any_value(&mut self, start: &BytesStart<'_>) -> Result<AnyElement, ReadError> {
        let mut element = AnyElement::default();
        for attribute in self.attributes(start) {
            let (key, attribute) = attribute?;
            let value = self.attribute_text(&attribute)?.into_owned();
            element
                .attributes
                .push((String::from_utf8_lossy(key).into_owned(), value));
        }
        // Like the serde path: each run of text between child elements is trimmed, and the runs are joined.
        let mut run = String::new();
        let mut children = self.children();
        while let Some(child) = children.next_collecting(self, &mut run)? {
            flush_run(&mut run, &mut element.text);
            element.children.push(self.element(&child)?);
        }
        flush_run(&mut run, &mut element.text);
        Ok(element)
    }

    // -- attributes ---------------------------------------------------------------------------------------------

    /// The attributes of `start`, each with the key a field matches: the local name, or the whole name for
    /// namespace declarations (`xmlns:x`) and `xml:` attributes (as in the serde path).
    pub fn attributes<'a>(&self, start: &'a BytesStart<'_>) -> Attributes<'a> {
        let mut inner = start.attributes();
        // Duplicates are checked here, without the vector quick-xml allocates for every tag with attributes.
        inner.with_checks(false);
        Attributes {
            inner,
            tag: start,
            seen: [(0, 0); 8],
            seen_len: 0,
            more: Vec::new(),
            at: self.element_at,
        }
    }

    /// A required attribute's value: trimmed and parsed; empty is an error for a type with no empty form.
    pub fn attribute<T: XmlText>(&self, attribute: &Attribute<'_>) -> Result<T, ReadError> {
        self.attribute_opt(attribute)?
            .ok_or_else(|| self.empty::<T>().within_attribute(attribute))
    }

    /// An optional attribute's value: trimmed and parsed; `None` when empty for a type with no empty form.
    pub fn attribute_opt<T: XmlText>(
        &self,
        attribute: &Attribute<'_>,
    ) -> Result<Option<T>, ReadError> {
        let text = self.attribute_text(attribute)?;
        parse_text(text.trim())
            .map_err(|e| ReadError::text(e, self.element_at).within_attribute(attribute))
    }

    /// An attribute of an `xs:list` type.
    pub fn attribute_list<T: XmlText>(
        &self,
        attribute: &Attribute<'_>,
    ) -> Result<Vec<T>, ReadError> {
        let text = self.attribute_text(attribute)?;
        super::text_list(&text)
            .map_err(|e| ReadError::text(e, self.element_at).within_attribute(attribute))
    }

    /// An attribute matched by `xs:anyAttribute`: its qualified name and value. Namespace declarations are not
    /// attributes and give `None`.
    pub fn any_attribute(
        &self,
        attribute: &Attribute<'_>,
    ) -> Result<Option<(String, String)>, ReadError> {
        if attribute.key.as_namespace_binding().is_some() {
            return Ok(None);
        }
        let value = self.attribute_text(attribute)?.into_owned();
        Ok(Some((
            String::from_utf8_lossy(attribute.key.as_ref()).into_owned(),
            value,
        )))
    }

    fn attribute_text<'a>(&self, attribute: &'a Attribute<'_>) -> Result<Cow<'a, str>, ReadError> {
        attribute
            .decode_and_unescape_value(self.inner.decoder())
            .map_err(|e| ReadError::xml(e, self.element_at).within_attribute(attribute))
    }

    // -- errors -------------------------------------------------------------------------------------------------

    /// `value`, or the error that the required element `name` is missing from `parent`.
    pub fn required<T>(
        &self,
        value: Option<T>,
        parent: &BytesStart<'_>,
        name: &'static str,
    ) -> Result<T, ReadError> {
        value.ok_or_else(|| {
            ReadError::new(
                ReadErrorKind::MissingElement {
                    name,
                    parent: local_name_string(parent),
                },
                self.position(),
            )
        })
    }

    /// `value`, or the error that the required attribute `name` is missing from `parent`.
    pub fn required_attribute<T>(
        &self,
        value: Option<T>,
        parent: &BytesStart<'_>,
        name: &'static str,
    ) -> Result<T, ReadError> {
        value.ok_or_else(|| {
            ReadError::new(
                ReadErrorKind::MissingAttribute {
                    name,
                    parent: local_name_string(parent),
                },
                self.element_at,
            )
        })
    }

    /// The error for an element that is none of a choice's alternatives.
    pub fn unexpected(&self, element: &BytesStart<'_>) -> ReadError {
        ReadError::new(
            ReadErrorKind::UnexpectedElement {
                found: local_name_string(element),
            },
            self.element_at,
        )
    }

    fn empty<T: XmlText>(&self) -> ReadError {
        ReadError::new(
            ReadErrorKind::Empty {
                expected: T::XSD_TYPE,
            },
            self.element_at,
        )
    }

    fn eof(&self) -> ReadError {
        ReadError::new(ReadErrorKind::UnexpectedEof, self.position())
    }

    fn xml_error(&self, error: quick_xml::Error) -> ReadError {
        ReadError::xml(error, self.inner.error_position() + self.skipped)
    }
}

fn parse_text<T: XmlText>(text: &str) -> Result<Option<T>, TextError> {
    if text.is_empty() && T::empty_is_absent() {
        return Ok(None);
    }
    T::from_xml_text(text).map(Some)
}

fn flush_run(run: &mut String, text: &mut Option<String>) {
    let trimmed = run.trim();
    if !trimmed.is_empty() {
        text.get_or_insert_with(String::new).push_str(trimmed);
    }
    run.clear();
}

/// Whether the element has `xsi:nil="true"` (any prefix; the namespace binding is not checked).
#[inline]
fn is_nil(start: &BytesStart<'_>) -> bool {
    !start.attributes_raw().iter().all(u8::is_ascii_whitespace) && has_nil_attribute(start)
}

#[cold]
#[inline(never)]
fn has_nil_attribute(start: &BytesStart<'_>) -> bool {
    start.attributes().any(|attribute| {
        attribute.is_ok_and(|a| {
            a.key.prefix().is_some()
                && a.key.local_name().as_ref() == b"nil"
                && matches!(a.value.as_ref(), b"true" | b"1")
        })
    })
}

fn local_name_string(start: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(local_name(start)).into_owned()
}

/// The local name of an element (its name without a namespace prefix), what generated readers match.
///
/// The same as quick-xml's `local_name`, without a call into `memchr` for a name of a few bytes.
#[inline]
pub fn local_name<'a>(start: &'a BytesStart<'_>) -> &'a [u8] {
    let name = start.name().into_inner();
    match name.iter().position(|&b| b == b':') {
        Some(colon) => &name[colon + 1..],
        None => name,
    }
}

/// The child elements of an element, in document order.
#[derive(Debug)]
pub struct Children {
    buf: Vec<u8>,
}

// A `Children` cannot hand its buffer back to the reader when its element ends (the end is found while the
// buffer is borrowed for the lifetime of the start tags it returns), so dropping it puts the buffer in a small
// per-thread pool that `XmlReader::children` takes from. Only buffered sources use buffers; the pool holds at most
// 64 of at most 4 KiB each.
thread_local! {
    static SPARE: std::cell::RefCell<Vec<Vec<u8>>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn spare_buffer() -> Vec<u8> {
    SPARE
        .try_with(|spare| spare.borrow_mut().pop())
        .ok()
        .flatten()
        .unwrap_or_default()
}

impl Drop for Children {
    fn drop(&mut self) {
        if self.buf.capacity() == 0 || self.buf.capacity() > 4096 {
            return;
        }
        let buf = std::mem::take(&mut self.buf);
        let _ = SPARE.try_with(|spare| {
            let mut spare = spare.borrow_mut();
            if spare.len() < 64 {
                spare.push(buf);
            }
        });
    }
}

impl Children {
    /// The next child element's start tag, or `None` after the parent's end tag. Text between children is
    /// ignored. Read the child (or [`XmlReader::skip`] it) before asking for the next one.
    pub fn next<'b, S: XmlSource + 'b>(
        &'b mut self,
        reader: &mut XmlReader<S>,
    ) -> Result<Option<BytesStart<'b>>, ReadError> {
        self.step(reader, None)
    }

    /// Like [`Self::next`], appending the text between children (text, CDATA, references; untrimmed) to `text`.
    pub fn next_collecting<'b, S: XmlSource + 'b>(
        &'b mut self,
        reader: &mut XmlReader<S>,
        text: &mut String,
    ) -> Result<Option<BytesStart<'b>>, ReadError> {
        self.step(reader, Some(text))
    }

    #[inline]
    fn step<'b, S: XmlSource + 'b>(
        &'b mut self,
        reader: &mut XmlReader<S>,
        text: Option<&mut String>,
    ) -> Result<Option<BytesStart<'b>>, ReadError> {
        reader.trim_start(text.is_none());
        if let Some(leaf) = reader.pending.take() {
            // The element was read ahead: it has text, and no children.
            reader.between_markup = true;
            if let Some(text) = text {
                let leaf = S::leaf_parts(&leaf, &reader.leaf_buf);
                let at = reader.element_at + leaf.offset_of(leaf.content);
                leaf.push_content(text).map_err(|e| ReadError::xml(e, at))?;
            }
            return Ok(None);
        }
        if text.is_none() {
            reader.skip_blank();
            if reader.between_markup {
                let at = reader.position();
                if let Some((leaf, len)) =
                    S::simple_leaf(&mut reader.inner, &mut self.buf, &mut reader.leaf_buf)
                {
                    reader.skipped += len;
                    reader.element_at = at;
                    reader.pending = Some(leaf);
                    return Ok(Some(S::leaf_start(&leaf, &self.buf)));
                }
            }
        }
        let skipped = reader.skipped;
        match S::step(&mut reader.inner, &mut self.buf, text).map_err(|e| e.shifted(skipped))? {
            Step::Start(start, at, self_closed) => {
                reader.element_at = at + skipped;
                reader.between_markup = !self_closed;
                Ok(Some(start))
            }
            Step::End => {
                reader.between_markup = true;
                Ok(None)
            }
            Step::Eof => Err(reader.eof()),
        }
    }
}

/// The attributes of a start tag, each with the key fields match (see [`XmlReader::attributes`]).
#[derive(Debug, Clone)]
pub struct Attributes<'a> {
    inner: quick_xml::events::attributes::Attributes<'a>,
    /// The start tag's content, which keys are located in.
    tag: &'a [u8],
    /// Where the keys read so far lie in `tag`: the first eight, then the others.
    seen: [(usize, usize); 8],
    seen_len: usize,
    more: Vec<(usize, usize)>,
    at: u64,
}

impl<'a> Attributes<'a> {
    /// The error quick-xml's own check gives for a repeated attribute name (positions in the tag), if it is one.
    fn check_duplicate(&mut self, key: &[u8]) -> Result<(), ReadError> {
        let start = key.as_ptr() as usize - self.tag.as_ptr() as usize;
        let range = (start, start + key.len());
        let tag = self.tag;
        let previous = self.seen[..self.seen_len]
            .iter()
            .chain(&self.more)
            .find(|&&(from, to)| &tag[from..to] == key);
        if let Some(&(previous, _)) = previous {
            let error = quick_xml::events::attributes::AttrError::Duplicated(start, previous);
            return Err(ReadError::xml(error.into(), self.at));
        }
        if self.seen_len < self.seen.len() {
            self.seen[self.seen_len] = range;
            self.seen_len += 1;
        } else {
            self.more.push(range);
        }
        Ok(())
    }
}

impl<'a> Iterator for Attributes<'a> {
    type Item = Result<(&'a [u8], Attribute<'a>), ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        let attribute = match self.inner.next()? {
            Ok(attribute) => attribute,
            Err(e) => return Some(Err(ReadError::xml(e.into(), self.at))),
        };
        if let Err(e) = self.check_duplicate(attribute.key.into_inner()) {
            return Some(Err(e));
        }
        let key: &'a [u8] = match attribute.key {
            // Borrowed from the start tag, which outlives the attribute.
            quick_xml::name::QName(name) => {
                let keep_whole = attribute.key.as_namespace_binding().is_some()
                    || attribute
                        .key
                        .prefix()
                        .is_some_and(|prefix| prefix.as_ref() == b"xml");
                if keep_whole {
                    name
                } else {
                    match name.iter().position(|&b| b == b':') {
                        Some(colon) => &name[colon + 1..],
                        None => name,
                    }
                }
            }
        };
        Some(Ok((key, attribute)))
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Runtime types

impl FromXml for AnyElement {
    fn read<S: XmlSource>(
        reader: &mut XmlReader<S>,
        start: &BytesStart<'_>,
    ) -> Result<Self, ReadError> {
        let mut element = reader.any_value(start)?;
        element.name = local_name_string(start);
        Ok(element)
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
                    reader.skip()?;
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
                        reader.skip()?;
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

/// Reads a whole document held in memory as `T`, checking the document element's name. Errors carry the line and
/// column.
pub fn read_document<T: FromXml + RootElement>(bytes: &[u8]) -> Result<T, ReadError> {
    XmlReader::from_bytes(bytes)
        .read_root()
        .map_err(|e| e.locate(bytes))
}

/// Reads a document from any buffered reader as `T`, checking the document element's name.
pub fn from_reader<T: FromXml + RootElement, R: BufRead>(reader: R) -> Result<T, ReadError> {
    XmlReader::from_reader(reader).read_root()
}

/// The fields of a `ServiceResponse` that precede `<data>`, read by [`ItemStream`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseHeader {
    /// `responseCode`, trimmed.
    pub response_code: String,
    /// `responseErrorDetails`, texts trimmed, empty ones dropped.
    pub error_details: Option<ErrorDetails>,
    /// `count`.
    pub count: Option<i64>,
    /// `hasMoreRecords`.
    pub has_more_records: Option<bool>,
    /// `lastId`.
    pub last_id: Option<i64>,
}

impl ResponseHeader {
    /// Whether `responseCode` is `SUCCESS`.
    pub fn is_success(&self) -> bool {
        self.response_code == crate::envelope::SUCCESS
    }

    /// The code and error details, e.g. to report a failed call with
    /// [`EnvelopeStatus::into_error`](crate::envelope::EnvelopeStatus::into_error).
    pub fn status(&self) -> crate::envelope::EnvelopeStatus {
        crate::envelope::EnvelopeStatus {
            code: self.response_code.clone(),
            details: self.error_details.clone().unwrap_or_default(),
        }
    }
}

/// The records inside `<data>` of a `ServiceResponse`, read one at a time.
///
/// Opening the stream reads the envelope up to `<data>` (Qualys sends `responseCode`, `responseErrorDetails`,
/// `count`, `hasMoreRecords` and `lastId` first): [`header`](Self::header) has them. Iterating reads each child
/// of `<data>` named one of the item names as a `T` and skips the others; only the current record is held in
/// memory. Fields after `</data>`, if any, update the header when the iteration ends.
///
/// ```
/// use qps_runtime::xml::{ItemStream, ReadError};
/// use qps_runtime::xml::AnyElement;
///
/// let body = b"<ServiceResponse><responseCode>SUCCESS</responseCode><count>2</count>
///   <hasMoreRecords>true</hasMoreRecords><lastId>12</lastId>
///   <data><WebApp><id>11</id></WebApp><WebApp><id>12</id></WebApp></data></ServiceResponse>";
/// let mut stream = ItemStream::<_, AnyElement>::from_reader(&body[..], &["WebApp"])?;
/// assert!(stream.header().is_success());
/// assert_eq!(stream.header().last_id, Some(12));
/// let ids: Vec<_> = stream
///     .map(|item| item.map(|app| app.children[0].text.clone().unwrap()))
///     .collect::<Result<_, _>>()?;
/// assert_eq!(ids, ["11", "12"]);
/// # Ok::<(), ReadError>(())
/// ```
pub struct ItemStream<S: XmlSource, T> {
    reader: XmlReader<S>,
    header: ResponseHeader,
    items: &'static [&'static str],
    root: Children,
    data: Option<Children>,
    done: bool,
    item: PhantomData<fn() -> T>,
}

impl<S: XmlSource, T> fmt::Debug for ItemStream<S, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream")
            .field("header", &self.header)
            .field("items", &self.items)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<'i, T: FromXml> ItemStream<&'i [u8], T> {
    /// Opens a stream over a response in memory.
    pub fn from_bytes(bytes: &'i [u8], items: &'static [&'static str]) -> Result<Self, ReadError> {
        Self::new(XmlReader::from_bytes(bytes), items)
    }
}

impl<R: BufRead, T: FromXml> ItemStream<IoSource<R>, T> {
    /// Opens a stream over a response arriving through `reader`.
    pub fn from_reader(reader: R, items: &'static [&'static str]) -> Result<Self, ReadError> {
        Self::new(XmlReader::from_reader(reader), items)
    }
}

impl<S: XmlSource, T: FromXml> ItemStream<S, T> {
    /// Reads the envelope up to the first record; `items` are the local names of the record elements.
    pub fn new(
        mut reader: XmlReader<S>,
        items: &'static [&'static str],
    ) -> Result<Self, ReadError> {
        let root = reader.root("ServiceResponse")?;
        let mut root_children = reader.children();
        let mut header = ResponseHeader::default();
        let mut seen_code = false;
        let data = read_header(&mut reader, &mut root_children, &mut header, &mut seen_code)
            .map_err(|e| e.within(&root))?;
        if !seen_code {
            return Err(ReadError::new(
                ReadErrorKind::MissingElement {
                    name: "responseCode",
                    parent: "ServiceResponse".to_owned(),
                },
                reader.position(),
            ));
        }
        let done = data.is_none();
        Ok(ItemStream {
            reader,
            header,
            items,
            root: root_children,
            data,
            done,
            item: PhantomData,
        })
    }

    /// The envelope fields read so far.
    pub fn header(&self) -> &ResponseHeader {
        &self.header
    }

    fn next_item(&mut self) -> Result<Option<T>, ReadError> {
        loop {
            if let Some(data) = self.data.as_mut() {
                while let Some(child) = data.next(&mut self.reader)? {
                    if self
                        .items
                        .iter()
                        .any(|name| name.as_bytes() == local_name(&child))
                    {
                        return self.reader.element(&child).map(Some);
                    }
                    self.reader.skip()?;
                }
            }
            // After `</data>`: the rest of the envelope (another `<data>`, unusual as it is, is read too).
            let mut seen_code = true;
            self.data = read_header(
                &mut self.reader,
                &mut self.root,
                &mut self.header,
                &mut seen_code,
            )?;
            if self.data.is_none() {
                return Ok(None);
            }
        }
    }
}

impl<S: XmlSource, T: FromXml> Iterator for ItemStream<S, T> {
    type Item = Result<T, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.next_item() {
            Ok(Some(item)) => Some(Ok(item)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e.within_name("data").within_name("ServiceResponse")))
            }
        }
    }
}

/// Reads envelope fields up to `<data>` (returning the iteration over its children) or the envelope's end.
fn read_header<S: XmlSource>(
    reader: &mut XmlReader<S>,
    root: &mut Children,
    header: &mut ResponseHeader,
    seen_code: &mut bool,
) -> Result<Option<Children>, ReadError> {
    while let Some(child) = root.next(reader)? {
        match local_name(&child) {
            b"responseCode" => {
                header.response_code = reader.leaf(&child)?;
                *seen_code = true;
            }
            b"responseErrorDetails" => {
                header.error_details = Some(reader.within(&child, read_error_details)?);
            }
            b"count" => header.count = reader.leaf_opt(&child)?,
            b"hasMoreRecords" => header.has_more_records = reader.leaf_opt(&child)?,
            b"lastId" => header.last_id = reader.leaf_opt(&child)?,
            b"data" => return Ok(Some(reader.children())),
            _ => reader.skip()?,
        }
    }
    Ok(None)
}

fn read_error_details<S: XmlSource>(reader: &mut XmlReader<S>) -> Result<ErrorDetails, ReadError> {
    let mut details = ErrorDetails::default();
    let mut children = reader.children();
    while let Some(child) = children.next(reader)? {
        match local_name(&child) {
            b"errorMessage" => {
                details.message = reader.leaf_opt::<String>(&child)?.filter(|s| !s.is_empty());
            }
            b"errorResolution" => {
                details.resolution = reader.leaf_opt::<String>(&child)?.filter(|s| !s.is_empty());
            }
            b"internalErrorCodeId" => details.internal_code = reader.leaf_opt(&child)?,
            _ => reader.skip()?,
        }
    }
    Ok(details)
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

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
    /// An element that none of a choice's alternatives accepts.
    #[error("unexpected element `{found}`")]
    UnexpectedElement {
        /// Its name.
        found: String,
    },
}

impl ReadError {
    fn new(kind: ReadErrorKind, offset: u64) -> Self {
        ReadError(Box::new(ErrorInner {
            kind,
            offset,
            line_column: None,
            path: Vec::new(),
        }))
    }

    fn xml(error: quick_xml::Error, offset: u64) -> Self {
        Self::new(ReadErrorKind::Xml(error), offset)
    }

    fn text(error: TextError, offset: u64) -> Self {
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
    fn within(self, start: &BytesStart<'_>) -> Self {
        self.within_name(&String::from_utf8_lossy(local_name(start)))
    }

    fn within_attribute(self, attribute: &Attribute<'_>) -> Self {
        self.within_name(&format!(
            "@{}",
            String::from_utf8_lossy(attribute.key.local_name().as_ref())
        ))
    }

    /// Moves the offset on by `bytes` (the whitespace the tokenizer did not count).
    fn shifted(mut self, bytes: u64) -> Self {
        self.0.offset += bytes;
        self
    }

    fn within_name(mut self, name: &str) -> Self {
        self.0.path.push(name.to_owned());
        self
    }

    /// Computes the line and column of the offset in `input`.
    fn locate(mut self, input: &[u8]) -> Self {
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

    #[test]
    fn simple_leaves_and_what_is_left_to_the_tokenizer() {
        let leaf = SimpleLeaf::find(b"<id>42</id>\n<next/>").unwrap();
        assert_eq!(
            (leaf.name, leaf.text, leaf.cdata, leaf.len),
            (&b"id"[..], &b"42"[..], false, 11)
        );
        let leaf = SimpleLeaf::find(b"<p:n>\n  <![CDATA[a]]b]]>\n</p:n>").unwrap();
        assert_eq!(
            (leaf.name, leaf.text, leaf.cdata),
            (&b"p:n"[..], &b"a]]b"[..], true)
        );
        assert_eq!(leaf.content, b"\n  <![CDATA[a]]b]]>\n");
        let leaf = SimpleLeaf::find(b"<e></e>").unwrap();
        assert_eq!((leaf.text, leaf.len), (&b""[..], 7));
        for other in [
            &b"<a x='1'>t</a>"[..],
            b"<a/>",
            b"<a >t</a>",
            b"<a>t</a >",
            b"<a>t</b>",
            b"<a>t &amp; u</a>",
            b"<a><b>t</b></a>",
            b"<a><!-- c --></a>",
            b"<a><![cdata[t]]></a>",
            b"<a><![CDATA[t]]><![CDATA[u]]></a>",
            b"<a>t<![CDATA[u]]></a>",
            b"<\xC3\xA9>t</\xC3\xA9>",
            b"</a>",
            b"<!-- c -->",
            b"<a>truncated</a",
            b"<a><![CDATA[truncated",
        ] {
            assert!(
                SimpleLeaf::find(other).is_none(),
                "{}",
                String::from_utf8_lossy(other)
            );
        }
    }
}
