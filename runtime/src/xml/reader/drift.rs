//! The reader's side of drift recording (see [`crate::xml::drift`]): the element path kept while recording, and
//! the calls generated readers make where they meet content they do not know.
//!
//! Every operation here starts with one check of `XmlReader::drift`; the work is in cold functions, so a reader
//! that does not record pays that check only.

use std::cell::RefCell;

use quick_xml::events::BytesStart;
use quick_xml::events::attributes::Attribute;

use super::source::XmlSource;
use super::xml_reader::local_name;
use super::{ReadError, XmlReader};
use crate::xml::XmlText;
use crate::xml::drift::{Drift, DriftKind, Recorder};

/// The local names of the `xsi:` attributes every element may carry.
const XSI_ATTRIBUTES: [&[u8]; 4] = [
    b"nil",
    b"type",
    b"schemaLocation",
    b"noNamespaceSchemaLocation",
];

impl<S: XmlSource> XmlReader<S> {
    /// Starts recording drift: from here on, the elements and attributes the generated readers skip and the
    /// enumeration values they keep as `Other` are counted under their path (see [`Self::take_drift`]). The path
    /// starts at the next element read, so turn this on before [`Self::read_root`].
    pub fn record_drift(&mut self) {
        if self.drift.is_none() {
            self.drift = Some(Box::default());
        }
    }

    /// Whether drift is being recorded.
    pub fn records_drift(&self) -> bool {
        self.drift.is_some()
    }

    /// The drift recorded so far (empty when not recording), leaving an empty report to record on.
    pub fn take_drift(&mut self) -> Drift {
        match &self.drift {
            Some(recorder) => std::mem::take(&mut recorder.borrow_mut().report),
            None => Drift::new(),
        }
    }

    /// Names `name` as the element the reader is in until [`Self::leave_drift_path`] (while recording).
    pub(crate) fn enter_drift_path(&mut self, name: &[u8]) {
        if let Some(recorder) = &self.drift {
            recorder.borrow_mut().push(name);
        }
    }

    /// Leaves the element last named by [`Self::enter_drift_path`].
    pub(crate) fn leave_drift_path(&mut self) {
        if let Some(recorder) = &self.drift {
            recorder.borrow_mut().pop();
        }
    }

    /// Runs `read` for the content of `child`, with `child` on the path while the reader records drift.
    #[inline(always)]
    pub(super) fn in_drift_path<T>(
        &mut self,
        child: &BytesStart<'_>,
        read: impl FnOnce(&mut Self) -> Result<T, ReadError>,
    ) -> Result<T, ReadError> {
        if self.drift.is_some() {
            return self.tracked(child, read);
        }
        read(self)
    }

    /// Runs `read` for the content of `child` with `child` on the path (the reader records drift).
    #[cold]
    #[inline(never)]
    pub(super) fn tracked<T>(
        &mut self,
        child: &BytesStart<'_>,
        read: impl FnOnce(&mut Self) -> Result<T, ReadError>,
    ) -> Result<T, ReadError> {
        self.enter_drift_path(local_name(child));
        let result = read(self);
        self.leave_drift_path();
        result
    }

    /// Skips `child`, an element the generated reader does not know, through its end tag (recording it).
    #[inline]
    pub fn skip_unknown(&mut self, child: &BytesStart<'_>) -> Result<(), ReadError> {
        if let Some(recorder) = &self.drift {
            note_element(recorder, child);
        }
        self.skip()
    }

    /// Ignores `attribute` (whose key is `key`) of the element being read, which the generated reader does not
    /// know (recording it, unless it is a namespace declaration, `xml:` or `xsi:` attribute).
    #[inline]
    pub fn unknown_attribute(&self, key: &[u8], attribute: &Attribute<'_>) {
        if let Some(recorder) = &self.drift {
            note_attribute(recorder, key, attribute);
        }
    }

    /// Records every attribute of `start` as unknown (for an element whose type declares none).
    #[inline]
    pub fn unknown_attributes(&self, start: &BytesStart<'_>) {
        if self.drift.is_some() && !start.attributes_raw().iter().all(u8::is_ascii_whitespace) {
            self.note_attributes(start);
        }
    }

    #[cold]
    #[inline(never)]
    fn note_attributes(&self, start: &BytesStart<'_>) {
        // A malformed attribute is left for whatever reads the attributes to report.
        for (key, attribute) in self.attributes(start).flatten() {
            self.unknown_attribute(key, &attribute);
        }
    }

    /// Records `value` if it is an enumeration value the schema does not list, at the current path (`attribute`:
    /// below it, as that attribute's value).
    #[inline(always)]
    pub(super) fn note_value<T: XmlText>(&self, value: &T, attribute: Option<&[u8]>) {
        if let Some(text) = value.unlisted() {
            if let Some(recorder) = &self.drift {
                note_unlisted(recorder, text, attribute);
            }
        }
    }
}

#[cold]
#[inline(never)]
pub(super) fn note_element(recorder: &RefCell<Recorder>, child: &BytesStart<'_>) {
    recorder
        .borrow_mut()
        .note(DriftKind::Element, Some(local_name(child)), false, None);
}

#[cold]
#[inline(never)]
fn note_attribute(recorder: &RefCell<Recorder>, key: &[u8], attribute: &Attribute<'_>) {
    if attribute.key.as_namespace_binding().is_some() || key.starts_with(b"xml:") {
        return;
    }
    if attribute.key.prefix().is_some() && XSI_ATTRIBUTES.contains(&key) {
        return;
    }
    recorder
        .borrow_mut()
        .note(DriftKind::Attribute, Some(key), true, None);
}

#[cold]
#[inline(never)]
fn note_unlisted(recorder: &RefCell<Recorder>, text: &str, attribute: Option<&[u8]>) {
    recorder.borrow_mut().note(
        DriftKind::EnumValue,
        attribute,
        attribute.is_some(),
        Some(text),
    );
}
