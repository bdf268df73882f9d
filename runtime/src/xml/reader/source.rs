//! Where the reader's bytes come from ([`XmlSource`]: a byte slice or an [`IoSource`] over a `BufRead`), and
//! the fast path that reads an element of the common form `<name>text</name>` ahead of the tokenizer
//! ([`SimpleLeaf`]).

use std::io::BufRead;

use quick_xml::encoding::EncodingError;
use quick_xml::events::{BytesStart, BytesText, Event};

use super::ReadError;
use super::decode::{count_blank, push_text, push_whitespace};
use super::utf8::{Utf8Check, check_slice};
use crate::xml::Limit;

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

    /// The source a document over this one is read from when it is in another encoding than UTF-8: a
    /// slice's is a [`HeadedSource`](super::HeadedSource) over it, which decodes it a buffer at a time; a
    /// `BufRead` source decodes in its own reader (a [`HeadedReader`](super::HeadedReader)).
    #[doc(hidden)]
    type Decoded: XmlSource;

    /// The place the reader is at.
    #[doc(hidden)]
    fn mark(reader: &quick_xml::Reader<Self>) -> Self::Mark;

    /// The whitespace at `mark` (what `trim_text_start` skips from there).
    #[doc(hidden)]
    fn skipped(mark: &Self::Mark) -> &[u8];

    /// An element read ahead of the tokenizer (see [`SimpleLeaf`]).
    #[doc(hidden)]
    type Leaf: Copy;

    /// Reads the element at the reader's place ahead of the tokenizer if it is a [`SimpleLeaf`] of at most
    /// `max` bytes (a longer one is left to the tokenizer, which checks each of its nodes against the limit),
    /// consuming it; returns it with its length. Only where the tokenizer is between markup. Where events are
    /// copied, the name goes to `name_buf` and the element to `leaf_buf`.
    #[doc(hidden)]
    fn simple_leaf(
        reader: &mut quick_xml::Reader<Self>,
        name_buf: &mut Vec<u8>,
        leaf_buf: &mut Vec<u8>,
        max: usize,
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

    /// Consumes the input up to the next `<` behind the tokenizer's back, without keeping it (text being
    /// skipped), returning how many bytes that was. Only where the tokenizer is between markup, or has only a
    /// synthetic end tag (`<x/>` expanded) to emit.
    #[doc(hidden)]
    fn discard_text(reader: &mut quick_xml::Reader<Self>) -> u64;

    /// Sets the most bytes one event may take in the input, where the source buffers events.
    #[doc(hidden)]
    fn limit_node_bytes(reader: &mut quick_xml::Reader<Self>, max: usize);

    /// Reads the next event, failing it when it takes more than `max` bytes of the input.
    #[doc(hidden)]
    fn event<'b>(
        reader: &mut quick_xml::Reader<Self>,
        buf: &'b mut Vec<u8>,
        max: usize,
    ) -> quick_xml::Result<Event<'b>>
    where
        Self: 'b;

    /// Checks that the bytes consumed since `checked` (where the last check stopped, moved on here) are UTF-8;
    /// at the `end` of the input an unfinished sequence is malformed too. `Err` says how many bytes before the
    /// reader's place the first malformed sequence starts.
    #[doc(hidden)]
    fn check_utf8(
        reader: &mut quick_xml::Reader<Self>,
        checked: &mut Self::Mark,
        end: bool,
    ) -> Result<(), u64>;

    /// Reads up to the next start tag or end tag, appending text on the way to `text` when given; an event of
    /// more than `max` bytes fails.
    #[doc(hidden)]
    fn step<'b>(
        reader: &mut quick_xml::Reader<Self>,
        buf: &'b mut Vec<u8>,
        text: Option<&mut String>,
        max: usize,
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
    type Decoded = super::HeadedSource<&'i [u8]>;

    fn mark(reader: &quick_xml::Reader<Self>) -> &'i [u8] {
        reader.get_ref()
    }

    type Leaf = SimpleLeaf<'i>;

    #[inline]
    fn simple_leaf(
        reader: &mut quick_xml::Reader<Self>,
        _: &mut Vec<u8>,
        _: &mut Vec<u8>,
        max: usize,
    ) -> Option<(SimpleLeaf<'i>, u64)> {
        let rest: &mut &'i [u8] = reader.get_mut();
        let leaf = SimpleLeaf::find(rest).filter(|leaf| leaf.len <= max)?;
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

    fn limit_node_bytes(_: &mut quick_xml::Reader<Self>, _: usize) {
        // Events borrow the input, which is in memory already: nothing is buffered.
    }

    fn discard_text(reader: &mut quick_xml::Reader<Self>) -> u64 {
        let rest: &mut &'i [u8] = reader.get_mut();
        let len = memchr::memchr(b'<', rest).unwrap_or(rest.len());
        *rest = &rest[len..];
        len as u64
    }

    fn skipped<'m>(mark: &'m &'i [u8]) -> &'m [u8] {
        let end = mark
            .iter()
            .position(|&b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .unwrap_or(mark.len());
        &mark[..end]
    }

    fn check_utf8(
        reader: &mut quick_xml::Reader<Self>,
        checked: &mut &'i [u8],
        end: bool,
    ) -> Result<(), u64> {
        let rest: &'i [u8] = reader.get_ref();
        let consumed = &checked[..checked.len() - rest.len()];
        let unfinished = check_slice(consumed, end)?;
        *checked = &checked[consumed.len() - unfinished..];
        Ok(())
    }

    #[inline]
    fn event<'b>(
        reader: &mut quick_xml::Reader<Self>,
        _: &'b mut Vec<u8>,
        max: usize,
    ) -> quick_xml::Result<Event<'b>>
    where
        Self: 'b,
    {
        let before = reader.buffer_position();
        let event = reader.read_event()?;
        check_node(reader.buffer_position() - before, max)?;
        Ok(event)
    }

    #[inline]
    fn step<'b>(
        reader: &mut quick_xml::Reader<Self>,
        _: &'b mut Vec<u8>,
        mut text: Option<&mut String>,
        max: usize,
    ) -> Result<Step<'b>, ReadError>
    where
        Self: 'b,
    {
        loop {
            let at = reader.buffer_position();
            let event = reader
                .read_event()
                .map_err(|e| ReadError::xml(e, reader.error_position()))?;
            check_node(reader.buffer_position() - at, max).map_err(|e| ReadError::xml(e, at))?;
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
    pub(super) name: &'i [u8],
    /// Everything between the tags.
    pub(super) content: &'i [u8],
    /// The text, or the CDATA section's content.
    pub(super) text: &'i [u8],
    pub(super) cdata: bool,
    /// The length of the whole element.
    pub(super) len: usize,
}

impl<'i> SimpleLeaf<'i> {
    #[inline]
    pub(super) fn find(input: &'i [u8]) -> Option<Self> {
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
    pub(super) fn start(&self) -> BytesStart<'i> {
        // SAFETY: `find` accepts ASCII names only, and ASCII is valid UTF-8.
        let name = unsafe { std::str::from_utf8_unchecked(self.name) };
        BytesStart::from_content(name, name.len())
    }

    /// Where `part` (of this element) lies, from the element's `<`.
    pub(super) fn offset_of(&self, part: &[u8]) -> u64 {
        (part.as_ptr() as usize - self.name.as_ptr() as usize + 1) as u64
    }

    /// Appends the content as text events would: whitespace, the CDATA section, whitespace, line ends
    /// normalized.
    pub(super) fn push_content(&self, out: &mut String) -> quick_xml::Result<()> {
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
    pub(super) name: (usize, usize),
    pub(super) content: (usize, usize),
    pub(super) text: (usize, usize),
    pub(super) cdata: bool,
    pub(super) len: usize,
}

impl LeafSpans {
    pub(super) fn of(leaf: &SimpleLeaf<'_>, base: &[u8]) -> Self {
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

    pub(super) fn resolve<'a>(&self, bytes: &'a [u8]) -> SimpleLeaf<'a> {
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

/// A [`BufRead`] as an event source. It counts the bytes the tokenizer takes for the event being read and fails
/// the read past [`Limits::max_node_bytes`](crate::xml::Limits::max_node_bytes) of them, so no single node is
/// buffered beyond that limit (and one read of the inner buffer).
#[derive(Debug)]
pub struct IoSource<R> {
    pub(super) inner: R,
    /// Bytes consumed since the current event started.
    pub(super) used: usize,
    /// The most bytes one event may take.
    pub(super) max: usize,
    /// The most bytes the whole input may have (a document read whole: [`Limits::max_body_bytes`]).
    ///
    /// [`Limits::max_body_bytes`]: crate::xml::Limits::max_body_bytes
    pub(super) max_body: usize,
    /// The UTF-8 check of every byte consumed (which counts them).
    utf8: Utf8Check,
}

impl<R> IoSource<R> {
    pub(super) fn new(inner: R, max: usize) -> Self {
        IoSource {
            inner,
            used: 0,
            max,
            max_body: usize::MAX,
            utf8: Utf8Check::default(),
        }
    }

    /// This source, failing a read once more than `max` bytes of the input were consumed.
    pub(super) fn with_max_body(mut self, max: usize) -> Self {
        self.max_body = max;
        self
    }
}

/// The error a read fails with once an event takes more than [`Limits::max_node_bytes`] bytes, or a document
/// read whole from a `BufRead` more than [`Limits::max_body_bytes`] (as an I/O error, which is what a
/// `BufRead` may fail with); the reader turns it into
/// [`ReadErrorKind::LimitExceeded`](super::ReadErrorKind::LimitExceeded).
///
/// [`Limits::max_node_bytes`]: crate::xml::Limits::max_node_bytes
/// [`Limits::max_body_bytes`]: crate::xml::Limits::max_body_bytes
#[derive(Debug)]
pub(super) struct Exceeded(pub(super) Limit, pub(super) usize);

impl std::fmt::Display for Exceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "more {} than the limit of {}", self.0, self.1)
    }
}

impl std::error::Error for Exceeded {}

/// Fails an event of `len` bytes when that is more than `max`.
#[inline(always)]
fn check_node(len: u64, max: usize) -> quick_xml::Result<()> {
    if len > max as u64 {
        return Err(std::io::Error::other(Exceeded(Limit::NodeBytes, max)).into());
    }
    Ok(())
}

impl<R: BufRead> std::io::Read for IoSource<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = std::io::Read::read(&mut self.inner, buf)?;
        self.utf8.feed(&buf[..n]);
        self.consume_counted(n);
        Ok(n)
    }
}

impl<R: BufRead> IoSource<R> {
    fn consume_counted(&mut self, amount: usize) {
        self.used = self.used.saturating_add(amount);
    }

    /// Starts counting the bytes of a new event.
    #[inline]
    pub(super) fn start_event(&mut self) {
        self.used = 0;
    }

    /// Consumes the input up to the next `<` (or its end) without keeping it: text that is not looked at.
    /// Returns how many bytes that was; an I/O error is left for the tokenizer to meet on its next read.
    pub(super) fn discard_text(&mut self) -> u64 {
        let mut total = 0u64;
        loop {
            let Ok(available) = self.inner.fill_buf() else {
                return total;
            };
            if available.is_empty() {
                return total;
            }
            let (len, found) = match memchr::memchr(b'<', available) {
                Some(at) => (at, true),
                None => (available.len(), false),
            };
            self.utf8.feed(&available[..len]);
            self.inner.consume(len);
            total += len as u64;
            if found {
                return total;
            }
        }
    }
}

impl<R: BufRead> BufRead for IoSource<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.used > self.max {
            return Err(std::io::Error::other(Exceeded(Limit::NodeBytes, self.max)));
        }
        if self.utf8.consumed() > self.max_body as u64 {
            return Err(std::io::Error::other(Exceeded(
                Limit::BodyBytes,
                self.max_body,
            )));
        }
        self.inner.fill_buf()
    }
    fn consume(&mut self, amount: usize) {
        // What is consumed is what the last `fill_buf` returned, which asking again returns without reading.
        if let Ok(available) = self.inner.fill_buf() {
            self.utf8.feed(&available[..amount.min(available.len())]);
        }
        self.inner.consume(amount);
        self.consume_counted(amount);
    }
}

impl<R: BufRead> XmlSource for IoSource<R> {
    const BUFFERED: bool = true;
    const MARKS: bool = false;
    type Mark = ();
    type Decoded = Self;

    fn mark(_: &quick_xml::Reader<Self>) {}

    type Leaf = LeafSpans;

    fn simple_leaf(
        reader: &mut quick_xml::Reader<Self>,
        name_buf: &mut Vec<u8>,
        leaf_buf: &mut Vec<u8>,
        max: usize,
    ) -> Option<(LeafSpans, u64)> {
        // Only an element the source holds in its buffer already.
        let source = reader.get_mut();
        source.start_event();
        let available = source.fill_buf().ok()?;
        let leaf = SimpleLeaf::find(available).filter(|leaf| leaf.len <= max)?;
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
        source.start_event();
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

    fn discard_text(reader: &mut quick_xml::Reader<Self>) -> u64 {
        reader.get_mut().discard_text()
    }

    fn limit_node_bytes(reader: &mut quick_xml::Reader<Self>, max: usize) {
        reader.get_mut().max = max;
    }

    fn skipped(_: &()) -> &[u8] {
        &[]
    }

    fn check_utf8(reader: &mut quick_xml::Reader<Self>, _: &mut (), end: bool) -> Result<(), u64> {
        let utf8 = &mut reader.get_mut().utf8;
        if end {
            utf8.finish();
        }
        utf8.malformed_back().map_or(Ok(()), Err)
    }

    fn event<'b>(
        reader: &mut quick_xml::Reader<Self>,
        buf: &'b mut Vec<u8>,
        max: usize,
    ) -> quick_xml::Result<Event<'b>>
    where
        Self: 'b,
    {
        reader.get_mut().start_event();
        let before = reader.buffer_position();
        let event = reader.read_event_into(buf)?;
        check_node(reader.buffer_position() - before, max)?;
        Ok(event)
    }

    fn step<'b>(
        reader: &mut quick_xml::Reader<Self>,
        buf: &'b mut Vec<u8>,
        mut text: Option<&mut String>,
        max: usize,
    ) -> Result<Step<'b>, ReadError>
    where
        Self: 'b,
    {
        // The start tag is located inside `buf` and rebuilt after the loop: returning the event from inside the
        // loop would keep `buf` borrowed across iterations, which the borrow checker refuses.
        let (at, address, len, name_len) = loop {
            let at = reader.buffer_position();
            buf.clear();
            reader.get_mut().start_event();
            // A node over the limit fails the read once it passes it: reported where the node starts.
            let event = reader
                .read_event_into(buf)
                .map_err(|e| ReadError::xml(e, reader.error_position()).node_at(at))?;
            // `buf` was cleared: what the event took of the input is what it holds, with `<` and `>`.
            check_node(reader.buffer_position() - at, max).map_err(|e| ReadError::xml(e, at))?;
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
        // The error the UTF-8 check of the consumed input gives (see `XmlSource::check_utf8`), met here first.
        let content = std::str::from_utf8(&buf[offset..offset + len]).map_err(|e| {
            let bad = at + 1 + e.valid_up_to() as u64;
            let malformed = crate::xml::DecodeError::Malformed {
                encoding: "UTF-8",
                at: usize::try_from(bad).unwrap_or(usize::MAX),
            };
            ReadError::new(malformed.into(), bad)
        })?;
        Ok(Step::Start(
            BytesStart::from_content(content, name_len),
            at,
            self_closed,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
