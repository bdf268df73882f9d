//! Drift: content a document carries that the generated code does not know (an element or attribute the schema
//! does not declare, an enumeration value it does not list), as met by the generated readers.
//!
//! Recording is off unless asked for ([`XmlReader::record_drift`](crate::xml::XmlReader::record_drift),
//! [`read_document_with_drift`](crate::xml::read_document_with_drift)); off, the readers keep no path and do no
//! work beyond one check of an empty slot. On, the reader keeps the names of the elements it is inside, and each
//! unknown thing is counted under its path (`ServiceResponse/data/WasScan/sslData`, `.../WasScan/@flavour` for an
//! attribute), with the first value seen for an enumeration. A report holds at most [`Drift::CAP`] distinct
//! paths; occurrences beyond that are only counted ([`Drift::dropped`]).

use std::collections::HashMap;
use std::fmt;

/// What kind of unknown content was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DriftKind {
    /// A child element no field declares (skipped).
    Element,
    /// An attribute no field declares (ignored).
    Attribute,
    /// An enumeration value the schema does not list (kept as the enumeration's `Other` variant).
    EnumValue,
}

impl DriftKind {
    /// `element`, `attribute` or `enum value`.
    pub fn as_str(self) -> &'static str {
        match self {
            DriftKind::Element => "element",
            DriftKind::Attribute => "attribute",
            DriftKind::EnumValue => "enum value",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for DriftKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One path where unknown content was met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriftEntry {
    /// The element names from the document element down, `/`-separated; an attribute's last step is `@name`.
    /// For an enumeration value, the path of the element (or attribute) holding it.
    pub path: String,
    /// What was met there.
    pub kind: DriftKind,
    /// How many times.
    pub count: u64,
    /// For an enumeration value, the first unlisted value seen.
    pub first_value: Option<String>,
}

impl fmt::Display for DriftEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} at {} ({}x", self.kind, self.path, self.count)?;
        if let Some(value) = &self.first_value {
            write!(f, ", first value {value:?}")?;
        }
        f.write_str(")")
    }
}

/// A report of the unknown content met in one or more documents, in the order first met.
#[derive(Debug, Clone, Default)]
pub struct Drift {
    entries: Vec<DriftEntry>,
    /// Per kind: path -> index in `entries`.
    index: [HashMap<String, usize>; 3],
    dropped: u64,
}

impl PartialEq for Drift {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries && self.dropped == other.dropped
    }
}

impl Drift {
    /// The most distinct paths a report holds.
    pub const CAP: usize = 256;

    /// An empty report.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether nothing unknown was met.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.dropped == 0
    }

    /// The paths, in the order first met.
    pub fn entries(&self) -> &[DriftEntry] {
        &self.entries
    }

    /// The entry for `kind` at `path`, if any.
    pub fn get(&self, kind: DriftKind, path: &str) -> Option<&DriftEntry> {
        self.index[kind.index()]
            .get(path)
            .map(|&i| &self.entries[i])
    }

    /// How many occurrences were not recorded because the report already held [`Self::CAP`] paths.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Counts `count` occurrences of `kind` at `path` (`value`: the enumeration value, kept if it is the first).
    /// Returns the index of the entry when it is new, `None` when it was known or dropped.
    pub fn record(
        &mut self,
        kind: DriftKind,
        path: &str,
        value: Option<&str>,
        count: u64,
    ) -> Option<usize> {
        if let Some(&i) = self.index[kind.index()].get(path) {
            let entry = &mut self.entries[i];
            entry.count = entry.count.saturating_add(count);
            if entry.first_value.is_none() {
                entry.first_value = value.map(str::to_owned);
            }
            return None;
        }
        if self.entries.len() >= Self::CAP {
            self.dropped = self.dropped.saturating_add(count);
            return None;
        }
        let i = self.entries.len();
        self.entries.push(DriftEntry {
            path: path.to_owned(),
            kind,
            count,
            first_value: value.map(str::to_owned),
        });
        self.index[kind.index()].insert(path.to_owned(), i);
        Some(i)
    }

    /// Adds `other` to this report; returns the entries that are new here (in `other`'s order).
    pub fn merge(&mut self, other: &Drift) -> Vec<DriftEntry> {
        let mut new = Vec::new();
        for entry in &other.entries {
            if let Some(i) = self.record(
                entry.kind,
                &entry.path,
                entry.first_value.as_deref(),
                entry.count,
            ) {
                new.push(self.entries[i].clone());
            }
        }
        self.dropped = self.dropped.saturating_add(other.dropped);
        new
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for entry in &self.entries {
            writeln!(f, "{entry}")?;
        }
        if self.dropped > 0 {
            writeln!(
                f,
                "{} more occurrences beyond {} paths",
                self.dropped,
                Self::CAP
            )?;
        }
        Ok(())
    }
}

/// What a reader keeps while it records: the path of the element it is in, and the report.
#[derive(Debug, Default)]
pub(crate) struct Recorder {
    /// The element names from the document element down, `/`-separated.
    path: String,
    /// The length of `path` before each name was pushed.
    marks: Vec<usize>,
    /// Reused to build the path of what is recorded.
    scratch: String,
    pub(crate) report: Drift,
}

impl Recorder {
    pub(crate) fn push(&mut self, name: &[u8]) {
        self.marks.push(self.path.len());
        if !self.path.is_empty() {
            self.path.push('/');
        }
        self.path.push_str(&String::from_utf8_lossy(name));
    }

    pub(crate) fn pop(&mut self) {
        if let Some(mark) = self.marks.pop() {
            self.path.truncate(mark);
        }
    }

    /// Records `kind` at the current path, below it at `name` when given (`@name` for an attribute's).
    pub(crate) fn note(
        &mut self,
        kind: DriftKind,
        name: Option<&[u8]>,
        attribute: bool,
        value: Option<&str>,
    ) {
        let mut path = std::mem::take(&mut self.scratch);
        path.clear();
        path.push_str(&self.path);
        if let Some(name) = name {
            if !path.is_empty() {
                path.push('/');
            }
            if attribute {
                path.push('@');
            }
            path.push_str(&String::from_utf8_lossy(name));
        }
        self.report.record(kind, &path, value, 1);
        self.scratch = path;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_elements_attributes_and_values() {
        let mut recorder = Recorder::default();
        recorder.push(b"A");
        recorder.push(b"b");
        recorder.note(DriftKind::Element, Some(b"x"), false, None);
        recorder.note(DriftKind::Attribute, Some(b"y"), true, None);
        recorder.note(DriftKind::EnumValue, None, false, Some("V1"));
        recorder.note(DriftKind::EnumValue, None, false, Some("V2"));
        recorder.pop();
        recorder.note(DriftKind::EnumValue, Some(b"z"), true, Some("W"));
        let paths: Vec<_> = recorder
            .report
            .entries()
            .iter()
            .map(|e| (e.path.as_str(), e.kind, e.count, e.first_value.as_deref()))
            .collect();
        assert_eq!(
            paths,
            [
                ("A/b/x", DriftKind::Element, 1, None),
                ("A/b/@y", DriftKind::Attribute, 1, None),
                ("A/b", DriftKind::EnumValue, 2, Some("V1")),
                ("A/@z", DriftKind::EnumValue, 1, Some("W")),
            ]
        );
    }

    #[test]
    fn merging_adds_counts_and_returns_what_is_new() {
        let mut total = Drift::new();
        let mut one = Drift::new();
        one.record(DriftKind::Element, "R/a", None, 2);
        assert_eq!(total.merge(&one).len(), 1);
        assert!(total.merge(&one).is_empty());
        assert_eq!(total.get(DriftKind::Element, "R/a").unwrap().count, 4);
        assert!(total.get(DriftKind::Attribute, "R/a").is_none());
    }
}
