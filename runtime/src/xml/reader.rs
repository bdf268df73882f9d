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

use std::borrow::Cow;
use std::fmt;
use std::io::BufRead;
use std::marker::PhantomData;

use quick_xml::encoding::EncodingError;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesRef, Event};

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
    /// A start tag, and the byte offset of its `<`.
    Start(BytesStart<'b>, u64),
    /// The end tag of the enclosing element.
    End,
    /// The end of the input.
    Eof,
}

impl XmlSource for &[u8] {
    const BUFFERED: bool = false;

    fn event<'b>(
        reader: &mut quick_xml::Reader<Self>,
        _: &'b mut Vec<u8>,
    ) -> quick_xml::Result<Event<'b>>
    where
        Self: 'b,
    {
        reader.read_event()
    }

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
                Event::Start(start) => return Ok(Step::Start(start, at)),
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
        // The event borrowed `buf`, so its content lies inside it.
        let offset = address - buf.as_ptr() as usize;
        let content = std::str::from_utf8(&buf[offset..offset + len])
            .map_err(|e| ReadError::xml(quick_xml::Error::Encoding(EncodingError::Utf8(e)), at))?;
        Ok(Step::Start(BytesStart::from_content(content, name_len), at))
    }
}

/// Appends the text an event stands for (text, CDATA, a character or predefined entity reference).
fn push_text(out: &mut String, event: &Event<'_>) -> quick_xml::Result<()> {
    match event {
        Event::Text(text) if is_plain(text) => out.push_str(utf8(text)?),
        Event::Text(text) => out.push_str(&text.xml_content()?),
        Event::CData(text) if is_plain(text) => out.push_str(utf8(text)?),
        Event::CData(text) => out.push_str(&text.xml_content()?),
        Event::GeneralRef(reference) => push_reference(out, reference)?,
        _ => {}
    }
    Ok(())
}

/// Whether raw text needs no decoding work beyond a UTF-8 check: ASCII without `\r`, so quick-xml's
/// `xml_content` (used by the serde path, and here otherwise) would return it unchanged. Most leaf text is.
fn is_plain(raw: &[u8]) -> bool {
    raw.iter().all(|&b| b.is_ascii() && b != b'\r')
}

fn utf8(raw: &[u8]) -> Result<&str, EncodingError> {
    std::str::from_utf8(raw).map_err(EncodingError::Utf8)
}

/// Plain text (see [`is_plain`]) as a string, borrowed when the event was.
fn plain(raw: Cow<'_, [u8]>) -> Result<Cow<'_, str>, EncodingError> {
    match raw {
        Cow::Borrowed(raw) => utf8(raw).map(Cow::Borrowed),
        Cow::Owned(raw) => String::from_utf8(raw)
            .map(Cow::Owned)
            .map_err(|e| EncodingError::Utf8(e.utf8_error())),
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
pub struct XmlReader<S> {
    inner: quick_xml::Reader<S>,
    /// Event buffers for leaf text: the first text event, and the event after it.
    first: Vec<u8>,
    second: Vec<u8>,
    /// Text assembled from several events.
    text: String,
    /// Where the element last returned by [`Children::next`] starts.
    element_at: u64,
}

impl<S> fmt::Debug for XmlReader<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("XmlReader")
            .field("position", &self.inner.buffer_position())
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
            text: String::new(),
            element_at: 0,
        }
    }

    /// The byte offset of the reader in the input.
    pub fn position(&self) -> u64 {
        self.inner.buffer_position()
    }

    /// Reads the document element as `T`, checking its local name against [`RootElement::ROOT`].
    pub fn read_root<T: FromXml + RootElement>(&mut self) -> Result<T, ReadError> {
        let root = self.root(T::ROOT)?;
        self.element(&root)
    }

    /// Reads up to the document element and checks its local name.
    fn root(&mut self, expected: &'static str) -> Result<BytesStart<'static>, ReadError> {
        let mut buf = Vec::new();
        match S::step(&mut self.inner, &mut buf, None)? {
            Step::Start(start, at) => {
                self.element_at = at;
                if start.local_name().as_ref() != expected.as_bytes() {
                    return Err(ReadError::new(
                        ReadErrorKind::UnexpectedRoot {
                            expected,
                            found: local_name(&start),
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
        self.with_text(|text| Ok(text.to_owned()))
    }

    /// The text content of the element just started, parsed as `T`; `None` when it is empty and `T` has no empty
    /// form.
    pub fn leaf_value<T: XmlText>(&mut self) -> Result<Option<T>, ReadError> {
        self.with_text(parse_text)
    }

    /// The text content of the element just started, as an `xs:list` of `T`.
    pub fn list_value<T: XmlText>(&mut self) -> Result<Vec<T>, ReadError> {
        self.with_text(super::text_list)
    }

    /// Parses the text collected for a struct's simple content (`$text`): trimmed; empty is an error for a type
    /// with no empty form.
    pub fn text<T: XmlText>(&self, text: &str) -> Result<T, ReadError> {
        parse_text(text.trim())
            .map_err(|e| ReadError::text(e, self.position()))?
            .ok_or_else(|| self.empty::<T>())
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

    /// Calls `read` with the trimmed text content of the element just started, consuming its end tag. The text
    /// is borrowed from the input or the event buffer when it came as one piece; otherwise it is joined in a
    /// reused string.
    fn with_text<T>(
        &mut self,
        read: impl FnOnce(&str) -> Result<T, TextError>,
    ) -> Result<T, ReadError> {
        let at = self.element_at;
        let mut first = std::mem::take(&mut self.first);
        let mut second = std::mem::take(&mut self.second);
        let result = self.text_in(&mut first, &mut second, at, read);
        self.first = first;
        self.second = second;
        result
    }

    fn text_in<T>(
        &mut self,
        first: &mut Vec<u8>,
        second: &mut Vec<u8>,
        at: u64,
        read: impl FnOnce(&str) -> Result<T, TextError>,
    ) -> Result<T, ReadError> {
        first.clear();
        let event = S::event(&mut self.inner, first).map_err(|e| self.xml_error(e))?;
        let piece = match event {
            Event::End(_) => return read("").map_err(|e| ReadError::text(e, at)),
            Event::Text(text) if is_plain(&text) => plain(text.into_inner()),
            Event::Text(text) => text.xml_content(),
            Event::CData(text) if is_plain(&text) => plain(text.into_inner()),
            Event::CData(text) => text.xml_content(),
            other => {
                self.text.clear();
                return self.text_rest(other, second, at, read);
            }
        };
        let piece = piece.map_err(|e| ReadError::xml(e.into(), at))?;
        second.clear();
        match S::event(&mut self.inner, second).map_err(|e| self.xml_error(e))? {
            // One piece of text: parse it where it lies.
            Event::End(_) => read(piece.trim()).map_err(|e| ReadError::text(e, at)),
            other => {
                self.text.clear();
                self.text.push_str(&piece);
                self.text_rest(other, first, at, read)
            }
        }
    }

    /// The slow path of [`Self::with_text`]: joins the text of `event` and of the events up to the end tag in
    /// `self.text`, skipping child elements.
    fn text_rest<T>(
        &mut self,
        event: Event<'_>,
        buf: &mut Vec<u8>,
        at: u64,
        read: impl FnOnce(&str) -> Result<T, TextError>,
    ) -> Result<T, ReadError> {
        let mut depth = 0usize;
        let mut done = self.absorb(&event, &mut depth)?;
        while !done {
            buf.clear();
            let event = S::event(&mut self.inner, buf).map_err(|e| self.xml_error(e))?;
            done = self.absorb(&event, &mut depth)?;
        }
        read(self.text.trim()).map_err(|e| ReadError::text(e, at))
    }

    /// Adds the text of `event` (outside child elements) to `self.text`; true at the end tag.
    fn absorb(&mut self, event: &Event<'_>, depth: &mut usize) -> Result<bool, ReadError> {
        match event {
            Event::Start(_) => *depth += 1,
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
        let mut buf = std::mem::take(&mut self.first);
        let mut depth = 0usize;
        let result = loop {
            buf.clear();
            match S::event(&mut self.inner, &mut buf) {
                Ok(Event::Start(_)) => depth += 1,
                Ok(Event::End(_)) if depth == 0 => break Ok(()),
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
        Attributes {
            inner: start.attributes(),
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
                    parent: local_name(parent),
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
                    parent: local_name(parent),
                },
                self.element_at,
            )
        })
    }

    /// The error for an element that is none of a choice's alternatives.
    pub fn unexpected(&self, element: &BytesStart<'_>) -> ReadError {
        ReadError::new(
            ReadErrorKind::UnexpectedElement {
                found: local_name(element),
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
        ReadError::xml(error, self.inner.error_position())
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
fn is_nil(start: &BytesStart<'_>) -> bool {
    if start.attributes_raw().iter().all(u8::is_ascii_whitespace) {
        return false;
    }
    start.attributes().any(|attribute| {
        attribute.is_ok_and(|a| {
            a.key.prefix().is_some()
                && a.key.local_name().as_ref() == b"nil"
                && matches!(a.value.as_ref(), b"true" | b"1")
        })
    })
}

fn local_name(start: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(start.local_name().as_ref()).into_owned()
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

    fn step<'b, S: XmlSource + 'b>(
        &'b mut self,
        reader: &mut XmlReader<S>,
        text: Option<&mut String>,
    ) -> Result<Option<BytesStart<'b>>, ReadError> {
        match S::step(&mut reader.inner, &mut self.buf, text)? {
            Step::Start(start, at) => {
                reader.element_at = at;
                Ok(Some(start))
            }
            Step::End => Ok(None),
            Step::Eof => Err(reader.eof()),
        }
    }
}

/// The attributes of a start tag, each with the key fields match (see [`XmlReader::attributes`]).
#[derive(Debug, Clone)]
pub struct Attributes<'a> {
    inner: quick_xml::events::attributes::Attributes<'a>,
    at: u64,
}

impl<'a> Iterator for Attributes<'a> {
    type Item = Result<(&'a [u8], Attribute<'a>), ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        let attribute = match self.inner.next()? {
            Ok(attribute) => attribute,
            Err(e) => return Some(Err(ReadError::xml(e.into(), self.at))),
        };
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
        element.name = local_name(start);
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
            let part = match child.local_name().as_ref() {
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
            reader.within(&child, |reader| {
                let mut children = reader.children();
                while let Some(item) = children.next(reader)? {
                    if item.local_name().as_ref() == N::ELEMENT.as_bytes() {
                        items.push(reader.element(&item)?);
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
pub struct ItemStream<S, T> {
    reader: XmlReader<S>,
    header: ResponseHeader,
    items: &'static [&'static str],
    root: Children,
    data: Option<Children>,
    done: bool,
    item: PhantomData<fn() -> T>,
}

impl<S, T> fmt::Debug for ItemStream<S, T> {
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
                        .any(|name| name.as_bytes() == child.local_name().as_ref())
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
        match child.local_name().as_ref() {
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
        match child.local_name().as_ref() {
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
        self.within_name(&String::from_utf8_lossy(start.local_name().as_ref()))
    }

    fn within_attribute(self, attribute: &Attribute<'_>) -> Self {
        self.within_name(&format!(
            "@{}",
            String::from_utf8_lossy(attribute.key.local_name().as_ref())
        ))
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
