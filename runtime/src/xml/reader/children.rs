//! [`Children`] and [`Attributes`]: iterating over an element's child elements and a start tag's attributes.

use quick_xml::events::BytesStart;
use quick_xml::events::attributes::Attribute;

use super::source::{Step, XmlSource};
use super::{ReadError, XmlReader};

/// The child elements of an element, in document order.
#[derive(Debug)]
pub struct Children {
    pub(super) buf: Vec<u8>,
}

// A `Children` cannot hand its buffer back to the reader when its element ends (the end is found while the
// buffer is borrowed for the lifetime of the start tags it returns), so dropping it puts the buffer in a small
// per-thread pool that `XmlReader::children` takes from. Only buffered sources use buffers; the pool holds at most
// 64 of at most 4 KiB each.
thread_local! {
    static SPARE: std::cell::RefCell<Vec<Vec<u8>>> = const { std::cell::RefCell::new(Vec::new()) };
}

pub(super) fn spare_buffer() -> Vec<u8> {
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
                if let Some((leaf, len)) = S::simple_leaf(
                    &mut reader.inner,
                    &mut self.buf,
                    &mut reader.leaf_buf,
                    reader.limits.max_node_bytes,
                ) {
                    reader.skipped += len;
                    reader.element_at = at;
                    reader.pending = Some(leaf);
                    return Ok(Some(S::leaf_start(&leaf, &self.buf)));
                }
            }
        }
        let skipped = reader.skipped;
        let max = reader.limits.max_node_bytes;
        match S::step(&mut reader.inner, &mut self.buf, text, max)
            .map_err(|e| e.shifted(skipped))?
        {
            Step::Start(start, at, self_closed) => {
                reader.element_at = at + skipped;
                reader.between_markup = !self_closed;
                crate::xml::wellformed::check_attributes(
                    &start,
                    reader.limits.max_attributes,
                    reader.element_at,
                )?;
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
    pub(super) inner: quick_xml::events::attributes::Attributes<'a>,
    /// The start tag's content, which keys are located in.
    pub(super) tag: &'a [u8],
    /// Where the keys read so far lie in `tag`: the first eight, then the others.
    pub(super) seen: [(usize, usize); 8],
    pub(super) seen_len: usize,
    pub(super) more: std::collections::HashMap<&'a [u8], usize>,
    pub(super) at: u64,
}

impl<'a> Attributes<'a> {
    /// The error quick-xml's own check gives for a repeated attribute name (positions in the tag), if it is one.
    fn check_duplicate(&mut self, key: &[u8]) -> Result<(), ReadError> {
        let start = key.as_ptr() as usize - self.tag.as_ptr() as usize;
        let range = (start, start + key.len());
        let tag = self.tag;
        let previous = self.seen[..self.seen_len]
            .iter()
            .find(|&&(from, to)| &tag[from..to] == key)
            .map(|&(from, _)| from)
            .or_else(|| self.more.get(key).copied());
        if let Some(previous) = previous {
            let error = quick_xml::events::attributes::AttrError::Duplicated(start, previous);
            return Err(ReadError::xml(error.into(), self.at));
        }
        if self.seen_len < self.seen.len() {
            self.seen[self.seen_len] = range;
            self.seen_len += 1;
        } else {
            // Past eight, looked up by hash: linear in the number of attributes.
            self.more.insert(&tag[range.0..range.1], start);
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
