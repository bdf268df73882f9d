//! Assembling the text content of the element just started from its events: one piece parsed where it lies
//! (the fast path), or text, CDATA and references joined in a reused string; child elements skipped, or refused
//! where the content is simple.

use std::borrow::Cow;

use quick_xml::events::Event;

use super::decode::{is_blank, piece, push_text, push_whitespace, trim};
use super::source::XmlSource;
use super::xml_reader::local_name_string;
use super::{ReadError, ReadErrorKind, XmlReader};

impl<S: XmlSource> XmlReader<S> {
    /// Calls `read` with the trimmed text content of the element just started (text, CDATA and references,
    /// joined; child elements skipped), consuming its end tag. The text is borrowed from the input or the event
    /// buffer when it came as one piece; otherwise it is joined in a reused string. With `track`, each child
    /// element's start becomes the reader's current element, as when a struct iterates over its children.
    #[inline(always)]
    pub(super) fn with_text<T>(
        &mut self,
        track: bool,
        read: impl FnOnce(&str) -> T,
    ) -> Result<T, ReadError> {
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
        let at = self.position();
        let event = S::event(&mut self.inner, first, self.limits.max_node_bytes)
            .map_err(|e| self.event_error(e, at))?;
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
        let at = self.position();
        let event = S::event(&mut self.inner, second, self.limits.max_node_bytes)
            .map_err(|e| self.event_error(e, at))?;
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
                let at = self.position();
                match S::event(&mut self.inner, second, self.limits.max_node_bytes)
                    .map_err(|e| self.event_error(e, at))?
                {
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
            let event = S::event(&mut self.inner, buf, self.limits.max_node_bytes)
                .map_err(|e| self.event_error(e, at))?;
            done = self.absorb(&event, at, &mut depth, track)?;
        }
        self.between_markup = true;
        Ok(read(trim(&self.text)))
    }

    /// Adds the text of `event` (outside child elements) to `self.text`; true at the end tag. With `track`, a
    /// child element starting at `at` becomes the current element.
    pub(super) fn absorb(
        &mut self,
        event: &Event<'_>,
        at: u64,
        depth: &mut usize,
        track: bool,
    ) -> Result<bool, ReadError> {
        match event {
            Event::Start(start) if *depth == 0 => {
                if track {
                    self.element_at = at;
                }
                return Err(ReadError::new(
                    ReadErrorKind::ChildInSimpleContent {
                        found: local_name_string(start),
                    },
                    at,
                ));
            }
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
}
