//! Reading text by its type's `whiteSpace` facet ([`WhiteSpace`]): the operations generated code of the plain
//! XSD mapping calls for string values, which must not be trimmed.
//!
//! These never take the reader's trimming shortcuts (the tokenizer's `trim_text_start`, the whitespace skipped
//! ahead of it): the text of the element is collected exactly, then normalized as the facet says. Every other
//! value (numbers, dates, and every value under the Qualys profile) is read by the trimming operations of
//! [`XmlReader`], whose fast paths this leaves untouched.

use std::borrow::Cow;

use quick_xml::events::BytesStart;
use quick_xml::events::attributes::Attribute;

use super::source::XmlSource;
use super::xml_reader::{is_nil, parse_text};
use super::{ReadError, XmlReader};
use crate::xml::{WhiteSpace, XmlText};

impl<S: XmlSource> XmlReader<S> {
    /// Reads a required string leaf, its text normalized by `ws`; empty is an error for a type with no empty
    /// form.
    pub fn leaf_ws<T: XmlText>(
        &mut self,
        child: &BytesStart<'_>,
        ws: WhiteSpace,
    ) -> Result<T, ReadError> {
        if self.drift.is_some() {
            return self
                .tracked(child, |reader| reader.value_ws(ws))
                .map_err(|e| e.within(child));
        }
        self.value_ws(ws).map_err(|e| e.within(child))
    }

    /// The text content of the element just started, normalized by `ws` and parsed (a string alternative of a
    /// choice); empty is an error for a type with no empty form.
    pub fn value_ws<T: XmlText>(&mut self, ws: WhiteSpace) -> Result<T, ReadError> {
        let at = self.element_at;
        let value = self
            .exact_text(ws, false, parse_text)?
            .map_err(|e| ReadError::text(e, at))?
            .ok_or_else(|| self.empty::<T>())?;
        self.note_value(&value, None);
        Ok(value)
    }

    /// Reads an optional string leaf (see [`Self::leaf_ws`]): `None` for `xsi:nil="true"`, and for an empty
    /// element of a type with no empty form.
    pub fn leaf_opt_ws<T: XmlText>(
        &mut self,
        child: &BytesStart<'_>,
        ws: WhiteSpace,
    ) -> Result<Option<T>, ReadError> {
        if is_nil(child) {
            self.skip()?;
            return Ok(None);
        }
        self.leaf_item_ws(child, ws)
    }

    /// Reads one element of a repeated string leaf (see [`Self::leaf_ws`]).
    pub fn leaf_item_ws<T: XmlText>(
        &mut self,
        child: &BytesStart<'_>,
        ws: WhiteSpace,
    ) -> Result<Option<T>, ReadError> {
        if self.drift.is_some() {
            return self
                .tracked(child, |reader| reader.item_ws(ws))
                .map_err(|e| e.within(child));
        }
        self.item_ws(ws).map_err(|e| e.within(child))
    }

    fn item_ws<T: XmlText>(&mut self, ws: WhiteSpace) -> Result<Option<T>, ReadError> {
        let at = self.element_at;
        let value = self
            .exact_text(ws, false, parse_text)?
            .map_err(|e| ReadError::text(e, at))?;
        if let Some(value) = &value {
            self.note_value(value, None);
        }
        Ok(value)
    }

    /// Reads simple content (see [`XmlReader::simple_text`]) normalized by `ws`.
    pub fn simple_text_ws<T: XmlText>(
        &mut self,
        ws: WhiteSpace,
    ) -> Result<Result<T, ReadError>, ReadError> {
        let parsed = self.exact_text(ws, true, parse_text)?;
        Ok(match parsed {
            Ok(Some(value)) => Ok(value),
            Ok(None) => Err(self.empty::<T>()),
            Err(e) => Err(ReadError::text(e, self.position())),
        })
    }

    /// Reads optional simple content normalized by `ws`: `None` when there is none.
    pub fn simple_text_opt_ws<T: XmlText>(
        &mut self,
        ws: WhiteSpace,
    ) -> Result<Result<Option<T>, ReadError>, ReadError> {
        let parsed = self.exact_text(ws, true, |text| {
            (!text.is_empty())
                .then(|| T::from_xml_text(text))
                .transpose()
        })?;
        Ok(parsed.map_err(|e| ReadError::text(e, self.position())))
    }

    /// Parses the text collected beside a struct's children, normalized by `ws`.
    pub fn text_ws<T: XmlText>(&self, text: &str, ws: WhiteSpace) -> Result<T, ReadError> {
        parse_text(&ws.apply(text))
            .map_err(|e| ReadError::text(e, self.position()))?
            .ok_or_else(|| self.empty::<T>())
    }

    /// Parses optional text collected beside a struct's children, normalized by `ws`: `None` when empty.
    pub fn text_opt_ws<T: XmlText>(
        &self,
        text: &str,
        ws: WhiteSpace,
    ) -> Result<Option<T>, ReadError> {
        let text = ws.apply(text);
        if text.is_empty() {
            return Ok(None);
        }
        T::from_xml_text(&text)
            .map(Some)
            .map_err(|e| ReadError::text(e, self.position()))
    }

    /// Takes the text collected between two children of mixed content exactly as it stands, whitespace
    /// included; `None` when there is none. Leaves `text` empty.
    pub fn take_text_exact(&self, text: &mut String) -> Option<String> {
        (!text.is_empty()).then(|| std::mem::take(text))
    }

    /// A required string attribute, normalized by `ws` (after XML's own attribute-value normalization).
    pub fn attribute_ws<T: XmlText>(
        &self,
        attribute: &Attribute<'_>,
        ws: WhiteSpace,
    ) -> Result<T, ReadError> {
        self.attribute_opt_ws(attribute, ws)?
            .ok_or_else(|| self.empty::<T>().within_attribute(attribute))
    }

    /// An optional string attribute, normalized by `ws`; `None` when empty for a type with no empty form.
    pub fn attribute_opt_ws<T: XmlText>(
        &self,
        attribute: &Attribute<'_>,
        ws: WhiteSpace,
    ) -> Result<Option<T>, ReadError> {
        let text = self.normalized_attribute(attribute)?;
        let value = parse_text(&ws.apply(&text))
            .map_err(|e| ReadError::text(e, self.element_at).within_attribute(attribute))?;
        if let Some(value) = &value {
            self.note_value(value, Some(attribute.key.local_name().into_inner()));
        }
        Ok(value)
    }

    /// An attribute's value as XML defines it: each literal tab, line end and line feed is a space (a character
    /// reference such as `&#10;` is not), then references are resolved.
    pub(super) fn normalized_attribute<'a>(
        &self,
        attribute: &'a Attribute<'_>,
    ) -> Result<Cow<'a, str>, ReadError> {
        let raw: &[u8] = &attribute.value;
        if !raw.iter().any(|&b| matches!(b, b'\t' | b'\n' | b'\r')) {
            return self.attribute_text(attribute);
        }
        let mut spaced = Vec::with_capacity(raw.len());
        for (i, &b) in raw.iter().enumerate() {
            match b {
                // `\r\n` is one line end.
                b'\n' if i > 0 && raw[i - 1] == b'\r' => {}
                b'\t' | b'\n' | b'\r' => spaced.push(b' '),
                _ => spaced.push(b),
            }
        }
        let spaced = Attribute {
            key: attribute.key,
            value: Cow::Owned(spaced),
        };
        Ok(Cow::Owned(self.attribute_text(&spaced)?.into_owned()))
    }

    /// Calls `read` with the whole text content of the element just started (text, CDATA and references,
    /// joined; child elements skipped) normalized by `ws`, consuming its end tag. With `track`, each child
    /// element's start becomes the reader's current element.
    fn exact_text<T>(
        &mut self,
        ws: WhiteSpace,
        track: bool,
        read: impl FnOnce(&str) -> T,
    ) -> Result<T, ReadError> {
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        let result = self.collect_exact(&mut text, track);
        let result = result.map(|()| read(&ws.apply(&text)));
        self.text = text;
        result
    }

    fn collect_exact(&mut self, text: &mut String, track: bool) -> Result<(), ReadError> {
        if let Some(leaf) = self.pending.take() {
            // Read ahead: its content is all there is, whitespace around a CDATA section included.
            self.between_markup = true;
            let leaf = S::leaf_parts(&leaf, &self.leaf_buf);
            let at = self.element_at + leaf.offset_of(leaf.content);
            return leaf.push_content(text).map_err(|e| ReadError::xml(e, at));
        }
        // Whitespace is content from the first byte on: nothing is skipped.
        self.trim_start(false);
        std::mem::swap(text, &mut self.text);
        let mut buf = std::mem::take(&mut self.third);
        let mut depth = 0usize;
        let result = loop {
            buf.clear();
            let at = self.position();
            let event = match S::event(&mut self.inner, &mut buf, self.limits.max_node_bytes) {
                Ok(event) => event,
                Err(e) => break Err(self.event_error(e, at)),
            };
            match self.absorb(&event, at, &mut depth, track) {
                Ok(true) => break Ok(()),
                Ok(false) => {}
                Err(e) => break Err(e),
            }
        };
        self.third = buf;
        std::mem::swap(text, &mut self.text);
        self.between_markup = true;
        result
    }
}
