//! Writing the `$value` list of mixed content through serde.
//!
//! quick-xml's serializer (0.38) lets an item of a sequence be text only when the item before it was text too
//! (`Seq::serialize_element` hands the next item `allow_primitive = last.is_text()`): a text item first in the
//! list or after an element is refused with "consequent primitives would be serialized without delimiter and
//! cannot be deserialized back". An empty string is an item that writes nothing and counts as text, so the list
//! is written with one before each text item: the document is the same, and reads back the same.
//!
//! This is the quick-xml mapping (`to_string`); another serde format sees the empty items.

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

/// A list item enum of mixed content (a variant renamed `$text` holds the text between the elements).
pub trait MixedChoice {
    /// Whether this item is text.
    fn is_text(&self) -> bool;
}

/// Writes the items in order, each with whether it is text; text items are preceded by an empty string.
pub(crate) fn serialize_items<S, I>(
    items: impl Iterator<Item = (bool, I)>,
    serializer: S,
) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    I: Serialize,
{
    let mut seq = serializer.serialize_seq(None)?;
    for (text, item) in items {
        if text {
            seq.serialize_element("")?;
        }
        seq.serialize_element(&item)?;
    }
    seq.end()
}

/// `#[serde(serialize_with = ...)]` of a `$value` list of a [`MixedChoice`] enum: the items in order, text
/// included.
pub mod mixed_list {
    use super::*;

    /// Writes the items in order.
    pub fn serialize<S, T>(values: &[T], serializer: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        T: MixedChoice + Serialize,
    {
        serialize_items(values.iter().map(|v| (v.is_text(), v)), serializer)
    }
}
