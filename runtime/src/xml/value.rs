use serde::{Deserializer, Serializer};

use super::text::builtin_leaves;

/// How a value is read and written as the content of one XML element.
///
/// Collection items use it, since an item can be a leaf (`<ActivationModule>VM</ActivationModule>`,
/// `<long>79</long>`) or a complex element (`<Tag><id>1</id></Tag>`). Leaves go through [`super::XmlText`];
/// generated complex types delegate to their serde derives.
pub trait XmlValue: Sized {
    /// Reads the element's content.
    fn deserialize_xml<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
    /// Writes the element's content.
    fn serialize_xml<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

/// Implements [`XmlValue`] for types that are [`super::XmlText`] leaves.
#[doc(hidden)]
#[macro_export]
macro_rules! xml_value_via_text {
    ($($ty:ty),* $(,)?) => {$(
        impl $crate::__private::XmlValue for $ty {
            fn deserialize_xml<'de, D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::serde_text::req::deserialize(deserializer)
            }
            fn serialize_xml<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::__private::serde_text::req::serialize(self, serializer)
            }
        }
    )*};
}

/// For a generated complex type: its [`ElementName`](crate::ElementName), `$element`, and [`XmlValue`] through
/// its serde derives (see `xml_value_via_serde!`).
#[doc(hidden)]
#[macro_export]
macro_rules! xml_element_via_serde {
    ($ty:ty, $element:literal) => {
        impl $crate::__private::ElementName for $ty {
            const ELEMENT: &'static str = $element;
        }

        $crate::__private::xml_value_via_serde!($ty);
    };
}

/// Implements [`XmlValue`] for complex types through their `Serialize`/`Deserialize` derives.
#[doc(hidden)]
#[macro_export]
macro_rules! xml_value_via_serde {
    ($($ty:ty),* $(,)?) => {$(
        impl $crate::__private::XmlValue for $ty {
            fn deserialize_xml<'de, D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                <Self as $crate::__private::serde::Deserialize<'de>>::deserialize(deserializer)
            }
            fn serialize_xml<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                <Self as $crate::__private::serde::Serialize>::serialize(self, serializer)
            }
        }
    )*};
}

builtin_leaves!(xml_value_via_text);
