//! [`XmlReader`]: the operations generated readers call on their way through a document.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::io::BufRead;

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesStart, Event};

use super::children::{Attributes, Children, spare_buffer};
use super::decode::is_blank;
use super::source::{IoSource, Step, XmlSource};
use super::{FromXml, ReadError, ReadErrorKind};
use crate::xml::drift::Recorder;
use crate::xml::{Limits, RootElement, TextError, XmlText};

/// An XML event reader with the operations generated code needs: iterate child elements, read a leaf's text,
/// skip a subtree. Buffers are reused, so reading allocates only for the values it returns.
pub struct XmlReader<S: XmlSource> {
    pub(super) inner: quick_xml::Reader<S>,
    /// Event buffers for leaf text: the first text event, the event after it, and the events after those.
    pub(super) first: Vec<u8>,
    pub(super) second: Vec<u8>,
    pub(super) third: Vec<u8>,
    /// Text assembled from several events.
    pub(super) text: String,
    /// Where the element last returned by [`Children::next`] starts.
    pub(super) element_at: u64,
    /// Whitespace consumed by [`XmlSource::skip_blank`], which the tokenizer's offsets leave out.
    pub(super) skipped: u64,
    /// The content of the element just started, when it was read ahead as a [`SimpleLeaf`] (copied into
    /// `leaf_buf` from a `BufRead`).
    pub(super) pending: Option<S::Leaf>,
    pub(super) leaf_buf: Vec<u8>,
    /// Whether the last event ended with a `>` that leaves the tokenizer between markup (not `<x/>`, whose end
    /// tag is still to come): the only place whitespace may be consumed behind its back.
    pub(super) between_markup: bool,
    /// The namespace declarations in scope (prefix, empty for the default namespace; URI, empty to undeclare),
    /// innermost last: those of the document element, of every element read through [`element`](Self::element)
    /// that declares any, and of wildcard content being read. `xsi:type` values and the names in wildcard content
    /// are resolved through them.
    pub(super) namespaces: Vec<(Vec<u8>, String)>,
    /// The drift recorder, while drift is recorded (see [`XmlReader::record_drift`]).
    pub(super) drift: Option<Box<RefCell<Recorder>>>,
    /// What the document may not exceed.
    pub(super) limits: Limits,
    /// How many elements read through [`element`](Self::element) are open.
    pub(super) depth: usize,
    /// Where the last UTF-8 check of the consumed input stopped (see [`XmlSource::check_utf8`]).
    checked: S::Mark,
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
    /// Reads from any buffered reader, holding only the current event in memory. The input is taken as UTF-8
    /// as it is; [`XmlReader::from_headed`] reads a document in whatever encoding it declares.
    pub fn from_reader(reader: R) -> Self {
        Self::new(IoSource::new(reader, Limits::default().max_node_bytes))
    }
}

impl<S: XmlSource> XmlReader<S> {
    pub(super) fn new(source: S) -> Self {
        let mut inner = quick_xml::Reader::from_reader(source);
        let config = inner.config_mut();
        // `<x/>` reads as a start and an end tag, so every element is read the same way.
        config.expand_empty_elements = true;
        config.trim_text(false);
        let checked = S::mark(&inner);
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
            namespaces: Vec::new(),
            drift: None,
            limits: Limits::default(),
            depth: 0,
            checked,
        }
    }

    /// Reads under `limits` instead of [`Limits::default`]. A node larger than [`Limits::max_node_bytes`] fails
    /// from memory as from a `BufRead`; where events are copied from a `BufRead`, as soon as the limit is passed,
    /// before it is buffered whole.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        S::limit_node_bytes(&mut self.inner, limits.max_node_bytes);
        self.limits = limits;
        self
    }

    /// The limits the document is read under.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The byte offset of the reader in the input.
    pub fn position(&self) -> u64 {
        self.inner.buffer_position() + self.skipped
    }

    /// Skips whitespace quicker than the tokenizer's `trim_text_start` (byte by byte) does, where it is safe.
    /// Only where that whitespace is not looked at: between child elements, before the first piece of text.
    #[inline]
    pub(super) fn skip_blank(&mut self) {
        if self.between_markup {
            self.skipped += S::skip_blank(&mut self.inner);
        }
    }

    /// Whether the tokenizer skips whitespace at the start of text (and so whitespace-only text) from the next
    /// event on. On where text is ignored or would be trimmed away (between child elements, before the first
    /// piece of a leaf's text), which saves decoding an event for every indentation; off where whitespace can be
    /// content (between pieces of text, text collected beside child elements).
    pub(super) fn trim_start(&mut self, on: bool) {
        self.inner.config_mut().trim_text_start = on;
    }

    /// Reads the document element as `T`, checking its local name against [`RootElement::ROOT`].
    pub fn read_root<T: FromXml + RootElement>(&mut self) -> Result<T, ReadError> {
        let root = self.root(T::ROOT)?;
        let value = self.element(&root)?;
        self.end_of_document()?;
        Ok(value)
    }

    /// Reads the document element as `T`, checking its local name against `name`: for a type that is a document
    /// root only in some contexts (a record element, read on its own).
    pub fn read_root_named<T: FromXml>(&mut self, name: &'static str) -> Result<T, ReadError> {
        let root = self.root(name)?;
        let value = self.element(&root)?;
        self.end_of_document()?;
        Ok(value)
    }

    /// Reads what follows the document element: only whitespace, comments and processing instructions may.
    pub(crate) fn end_of_document(&mut self) -> Result<(), ReadError> {
        self.trim_start(true);
        self.skip_blank();
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let at = self.position();
            let found = match S::event(&mut self.inner, &mut buf, self.limits.max_node_bytes)
                .map_err(|e| self.event_error(e, at))?
            {
                Event::Eof => return self.check_utf8(true),
                Event::Comment(_) | Event::PI(_) => continue,
                Event::Text(text) if is_blank(&text) => continue,
                Event::Start(start) | Event::Empty(start) => {
                    format!("element `{}`", local_name_string(&start))
                }
                Event::End(end) => format!(
                    "end tag `{}`",
                    String::from_utf8_lossy(end.name().into_inner())
                ),
                Event::Text(text) => format!(
                    "text {:?}",
                    String::from_utf8_lossy(&text[..text.len().min(40)])
                ),
                Event::CData(_) => "a CDATA section".to_owned(),
                Event::GeneralRef(_) => "an entity reference".to_owned(),
                Event::Decl(_) | Event::DocType(_) => "a declaration".to_owned(),
            };
            return Err(ReadError::new(ReadErrorKind::TrailingContent { found }, at));
        }
    }

    /// Checks that the input consumed since the last check is UTF-8 (at the `end` of the input, that it does
    /// not end inside a sequence): the in-memory and the `BufRead` reader check every byte they consume this
    /// way, where the tokenizer looked at it or not, so both refuse the same documents and records.
    pub(crate) fn check_utf8(&mut self, end: bool) -> Result<(), ReadError> {
        match S::check_utf8(&mut self.inner, &mut self.checked, end) {
            Ok(()) => Ok(()),
            Err(back) => Err(self.not_utf8(back)),
        }
    }

    #[cold]
    #[inline(never)]
    fn not_utf8(&self, back: u64) -> ReadError {
        let at = self.position().saturating_sub(back);
        let malformed = crate::xml::DecodeError::Malformed {
            encoding: "UTF-8",
            at: usize::try_from(at).unwrap_or(usize::MAX),
        };
        ReadError::new(malformed.into(), at)
    }

    /// Reads up to the document element and checks its local name.
    pub(crate) fn root(
        &mut self,
        expected: &'static str,
    ) -> Result<BytesStart<'static>, ReadError> {
        let mut buf = Vec::new();
        self.trim_start(true);
        let skipped = self.skipped;
        match S::step(&mut self.inner, &mut buf, None, self.limits.max_node_bytes)
            .map_err(|e| e.shifted(skipped))?
        {
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
                crate::xml::wellformed::check_attributes(&start, self.limits.max_attributes, at)?;
                self.namespaces.clear();
                self.declare(&start)?;
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
        self.in_drift_path(child, read).map_err(|e| e.within(child))
    }

    /// Reads `child` as a `T`.
    #[inline]
    pub fn element<T: FromXml>(&mut self, child: &BytesStart<'_>) -> Result<T, ReadError> {
        self.in_drift_path(child, |reader| reader.element_here(child))
    }

    /// Reads an optional `child` as a `T`; an element with `xsi:nil="true"` is `None` (as in the serde path).
    pub fn optional<T: FromXml>(&mut self, child: &BytesStart<'_>) -> Result<Option<T>, ReadError> {
        if is_nil(child) {
            self.skip()?;
            return Ok(None);
        }
        self.element(child).map(Some)
    }

    /// Reads an optional `child` that may occur once as [`Self::optional`] does; `seen` says it was read
    /// already, which makes this occurrence a [`ReadErrorKind::RepeatedElement`] error.
    #[inline]
    pub fn optional_once<T: FromXml>(
        &mut self,
        seen: bool,
        child: &BytesStart<'_>,
    ) -> Result<Option<T>, ReadError> {
        self.once(seen, child)?;
        self.optional(child)
    }

    /// Refuses `child`, an element the schema allows once, when `seen` says its field holds a value already:
    /// a [`ReadErrorKind::RepeatedElement`] naming it, where it starts and (from the caller up) its path.
    #[inline(always)]
    pub fn once(&self, seen: bool, child: &BytesStart<'_>) -> Result<(), ReadError> {
        if seen {
            return Err(self.repeated(child));
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn repeated(&self, child: &BytesStart<'_>) -> ReadError {
        ReadError::new(
            ReadErrorKind::RepeatedElement {
                name: local_name_string(child),
            },
            self.element_at,
        )
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
        if super::derived::declares_namespaces(child) {
            return self.leaf_item_in_scope(child);
        }
        self.in_drift_path(child, |reader| reader.leaf_value())
            .map_err(|e| e.within(child))
    }

    /// [`Self::leaf_item`] with the declarations of `child` in scope while it is read (for a value that names
    /// something, `xs:QName`, whose prefix it may declare).
    #[inline(never)]
    fn leaf_item_in_scope<T: XmlText>(
        &mut self,
        child: &BytesStart<'_>,
    ) -> Result<Option<T>, ReadError> {
        let scope = self.declare(child).map_err(|e| e.within(child))?;
        let result = self.in_drift_path(child, |reader| reader.leaf_value());
        self.namespaces.truncate(scope);
        result.map_err(|e| e.within(child))
    }

    /// `value` with the prefixes it holds resolved through the declarations in scope (see
    /// [`XmlText::resolve_prefixes`]).
    #[inline(always)]
    fn resolved<T: XmlText>(&self, mut value: T) -> Result<T, TextError> {
        value.resolve_prefixes(&crate::xml::NamespaceScope::new(&self.namespaces))?;
        Ok(value)
    }

    /// [`Self::resolved`] for a value that may be absent.
    #[inline(always)]
    fn resolved_opt<T: XmlText>(&self, value: Option<T>) -> Result<Option<T>, TextError> {
        value.map(|value| self.resolved(value)).transpose()
    }

    /// Reads a required `xs:list` leaf.
    pub fn list<T: XmlText>(&mut self, child: &BytesStart<'_>) -> Result<Vec<T>, ReadError> {
        if super::derived::declares_namespaces(child) {
            let scope = self.declare(child).map_err(|e| e.within(child))?;
            let result = self.in_drift_path(child, |reader| reader.list_value());
            self.namespaces.truncate(scope);
            return result.map_err(|e| e.within(child));
        }
        self.in_drift_path(child, |reader| reader.list_value())
            .map_err(|e| e.within(child))
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
        let value = self
            .with_text(false, parse_text)?
            .and_then(|value| self.resolved_opt(value))
            .map_err(|e| ReadError::text(e, at))?;
        if let Some(value) = &value {
            self.note_value(value, None);
        }
        Ok(value)
    }

    /// The text content of the element just started, as an `xs:list` of `T`.
    pub fn list_value<T: XmlText>(&mut self) -> Result<Vec<T>, ReadError> {
        let at = self.element_at;
        let items: Vec<T> = self
            .with_text(false, crate::xml::text::text_list)?
            .and_then(|items| self.resolved(items))
            .map_err(|e| ReadError::text(e, at))?;
        for item in &items {
            self.note_value(item, None);
        }
        Ok(items)
    }

    /// Reads the simple content (`$text`) of the struct element just started, through its end tag (child elements
    /// are skipped): trimmed; empty is an error for a type with no empty form. Malformed XML fails at once; a
    /// value that does not parse is the inner error, for the caller to report where it builds the struct (after
    /// a missing required attribute, say).
    pub fn simple_text<T: XmlText>(&mut self) -> Result<Result<T, ReadError>, ReadError> {
        let parsed = self
            .with_text(true, parse_text)?
            .and_then(|value| self.resolved_opt(value));
        Ok(match parsed {
            Ok(Some(value)) => {
                self.note_value(&value, None);
                Ok(value)
            }
            Ok(None) => Err(self.empty::<T>()),
            Err(e) => Err(ReadError::text(e, self.position())),
        })
    }

    /// Reads optional simple content (see [`Self::simple_text`]): `None` when blank (the serde path does not
    /// see whitespace-only text).
    pub fn simple_text_opt<T: XmlText>(
        &mut self,
    ) -> Result<Result<Option<T>, ReadError>, ReadError> {
        let parsed = self
            .with_text(true, |text| {
                (!text.is_empty())
                    .then(|| T::from_xml_text(text))
                    .transpose()
            })?
            .and_then(|value| self.resolved_opt(value));
        if let Ok(Some(value)) = &parsed {
            self.note_value(value, None);
        }
        Ok(parsed.map_err(|e| ReadError::text(e, self.position())))
    }

    /// Reads simple content of an `xs:list` type (see [`Self::simple_text`]).
    pub fn simple_text_list<T: XmlText>(&mut self) -> Result<Result<Vec<T>, ReadError>, ReadError> {
        let parsed = self
            .with_text(true, crate::xml::text::text_list)?
            .and_then(|items| self.resolved(items));
        Ok(parsed.map_err(|e| ReadError::text(e, self.position())))
    }

    /// Reads optional simple content of an `xs:list` type (see [`Self::simple_text`]): `None` when blank.
    pub fn simple_text_list_opt<T: XmlText>(
        &mut self,
    ) -> Result<Result<Option<Vec<T>>, ReadError>, ReadError> {
        let parsed = self
            .with_text(true, |text| {
                (!text.is_empty())
                    .then(|| crate::xml::text::text_list(text))
                    .transpose()
            })?
            .and_then(|items| self.resolved_opt(items));
        Ok(parsed.map_err(|e| ReadError::text(e, self.position())))
    }

    /// Parses the text collected for a struct's simple content (`$text`): trimmed; empty is an error for a type
    /// with no empty form.
    pub fn text<T: XmlText>(&self, text: &str) -> Result<T, ReadError> {
        let value = parse_text(text.trim())
            .and_then(|value| self.resolved_opt(value))
            .map_err(|e| ReadError::text(e, self.position()))?
            .ok_or_else(|| self.empty::<T>())?;
        self.note_value(&value, None);
        Ok(value)
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
        let value = T::from_xml_text(text)
            .and_then(|value| self.resolved(value))
            .map_err(|e| ReadError::text(e, self.position()))?;
        self.note_value(&value, None);
        Ok(Some(value))
    }

    /// Parses simple content of an `xs:list` type.
    pub fn text_list<T: XmlText>(&self, text: &str) -> Result<Vec<T>, ReadError> {
        crate::xml::text::text_list(text)
            .and_then(|items| self.resolved(items))
            .map_err(|e| ReadError::text(e, self.position()))
    }

    /// Parses optional simple content of an `xs:list` type: `None` when blank.
    pub fn text_list_opt<T: XmlText>(&self, text: &str) -> Result<Option<Vec<T>>, ReadError> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        self.text_list(text).map(Some)
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
            // Text is dropped unread, never buffered.
            self.skipped += S::discard_text(&mut self.inner);
            let at = self.position();
            match S::event(&mut self.inner, &mut buf, self.limits.max_node_bytes) {
                Ok(Event::Start(_)) if self.too_deep_to_skip(depth) => {
                    break Err(self.depth_exceeded());
                }
                Ok(Event::Start(_)) => depth += 1,
                Ok(Event::End(_)) if depth == 0 => {
                    self.between_markup = true;
                    break Ok(());
                }
                Ok(Event::End(_)) => depth -= 1,
                Ok(Event::Eof) => break Err(self.eof()),
                Ok(_) => {}
                Err(e) => break Err(self.event_error(e, at)),
            }
        };
        self.first = buf;
        result
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
            more: std::collections::HashMap::new(),
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
        let value = parse_text(text.trim())
            .and_then(|value| self.resolved_opt(value))
            .map_err(|e| ReadError::text(e, self.element_at).within_attribute(attribute))?;
        if let Some(value) = &value {
            self.note_value(value, Some(attribute.key.local_name().into_inner()));
        }
        Ok(value)
    }

    /// An attribute of an `xs:list` type.
    pub fn attribute_list<T: XmlText>(
        &self,
        attribute: &Attribute<'_>,
    ) -> Result<Vec<T>, ReadError> {
        let text = self.attribute_text(attribute)?;
        let items: Vec<T> = crate::xml::text::text_list(&text)
            .and_then(|items| self.resolved(items))
            .map_err(|e| ReadError::text(e, self.element_at).within_attribute(attribute))?;
        for item in &items {
            self.note_value(item, Some(attribute.key.local_name().into_inner()));
        }
        Ok(items)
    }

    pub(super) fn attribute_text<'a>(
        &self,
        attribute: &'a Attribute<'_>,
    ) -> Result<Cow<'a, str>, ReadError> {
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

    pub(super) fn empty<T: XmlText>(&self) -> ReadError {
        ReadError::new(
            ReadErrorKind::Empty {
                expected: T::XSD_TYPE,
            },
            self.element_at,
        )
    }

    pub(super) fn eof(&self) -> ReadError {
        ReadError::new(ReadErrorKind::UnexpectedEof, self.position())
    }

    pub(super) fn xml_error(&self, error: quick_xml::Error) -> ReadError {
        // A node over the limit may be refused after the tokenizer read it whole, which it does not count as an
        // error: where the reader stopped.
        let at = match &error {
            quick_xml::Error::Io(_) => self.position(),
            _ => self.inner.error_position() + self.skipped,
        };
        ReadError::xml(error, at)
    }

    /// [`Self::xml_error`] for the event whose read started at `at`: a node over
    /// [`Limits::max_node_bytes`] is reported where it starts, not where the read stopped.
    pub(super) fn event_error(&self, error: quick_xml::Error, at: u64) -> ReadError {
        self.xml_error(error).node_at(at)
    }
}

pub(super) fn parse_text<T: XmlText>(text: &str) -> Result<Option<T>, TextError> {
    if text.is_empty() && T::empty_is_absent() {
        return Ok(None);
    }
    T::from_xml_text(text).map(Some)
}

/// Whether the element has `xsi:nil="true"` (any prefix; the namespace binding is not checked).
#[inline]
pub(super) fn is_nil(start: &BytesStart<'_>) -> bool {
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

pub(super) fn local_name_string(start: &BytesStart<'_>) -> String {
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
