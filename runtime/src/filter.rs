//! What the generated typed search criteria (each resource module's `filter`) are made of.
//!
//! A module's `filter` declares `Criterion` (one `<Criteria>` element), imports its operator enum as `Operator`,
//! and declares one type per documented field with [`criteria_field!`](crate::criteria_field): a unit struct with
//! one method per operator the field allows, taking values of the field's type. A misspelt field, an operator the
//! field does not allow or a value of the wrong type does not compile.

use crate::xml::XmlText;

/// A value a criterion compares a field with, as the text of its `<Criteria>` element.
pub trait CriterionValue {
    /// The text Qualys expects.
    fn criterion_text(self) -> String;
}

impl CriterionValue for String {
    fn criterion_text(self) -> String {
        self
    }
}

impl CriterionValue for i64 {
    fn criterion_text(self) -> String {
        self.to_string()
    }
}

impl CriterionValue for bool {
    fn criterion_text(self) -> String {
        self.to_string()
    }
}

impl CriterionValue for crate::xs::DateTime {
    fn criterion_text(self) -> String {
        self.to_xml_text().into_owned()
    }
}

/// The text of an `IN` criterion: the values, comma-separated.
pub fn list<V: CriterionValue>(values: impl IntoIterator<Item = V>) -> String {
    crate::xml::joined(values.into_iter().map(CriterionValue::criterion_text), ',')
}

/// Declares a criteria field of a generated `filter` module: `criteria_field!(#[doc = "..."] Name("name", String)
/// { equals contains in_list })`, or `named` before the type name for a field selected by a name too (custom
/// attributes: `Attributes.equals("Business Owner", "Jane")`). The operators are `equals`, `not_equals`,
/// `contains`, `greater`, `lesser` and `in_list`; values are anything that converts into the field's type.
#[macro_export]
macro_rules! criteria_field {
    ($(#[$doc:meta])* named $name:ident($field:literal, $value:ty) { $($op:ident)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name;
        impl $name {
            $($crate::criteria_field!(@named $field, $value, $op);)*
        }
    };
    ($(#[$doc:meta])* $name:ident($field:literal, $value:ty) { $($op:ident)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name;
        impl $name {
            $($crate::criteria_field!(@op $field, $value, $op);)*
        }
    };
    (@op $field:literal, $value:ty, in_list) => {
        #[doc = concat!("`", $field, " IN` (one criterion whose value lists them, comma-separated).")]
        pub fn in_list(self, values: impl IntoIterator<Item = impl Into<$value>>) -> Criterion {
            let text = $crate::filter::list(values.into_iter().map(Into::<$value>::into));
            Criterion::new($field, None, Operator::In, text)
        }
    };
    (@op $field:literal, $value:ty, $op:ident) => {
        #[doc = concat!("`", $field, " ", $crate::criteria_field!(@spelling $op), "`")]
        pub fn $op(self, value: impl Into<$value>) -> Criterion {
            let text = $crate::filter::CriterionValue::criterion_text(Into::<$value>::into(value));
            Criterion::new($field, None, $crate::criteria_field!(@operator $op), text)
        }
    };
    (@named $field:literal, $value:ty, in_list) => {
        #[doc = concat!("`", $field, " IN`, of the one named (one criterion whose value lists them, comma-separated).")]
        pub fn in_list(
            self,
            name: impl Into<String>,
            values: impl IntoIterator<Item = impl Into<$value>>,
        ) -> Criterion {
            let text = $crate::filter::list(values.into_iter().map(Into::<$value>::into));
            Criterion::new($field, Some(name.into()), Operator::In, text)
        }
    };
    (@named $field:literal, $value:ty, $op:ident) => {
        #[doc = concat!("`", $field, " ", $crate::criteria_field!(@spelling $op), "`, of the one named")]
        pub fn $op(self, name: impl Into<String>, value: impl Into<$value>) -> Criterion {
            let text = $crate::filter::CriterionValue::criterion_text(Into::<$value>::into(value));
            Criterion::new($field, Some(name.into()), $crate::criteria_field!(@operator $op), text)
        }
    };
    (@spelling equals) => { "EQUALS" };
    (@spelling not_equals) => { "NOT EQUALS" };
    (@spelling contains) => { "CONTAINS" };
    (@spelling greater) => { "GREATER" };
    (@spelling lesser) => { "LESSER" };
    (@operator equals) => { Operator::Equals };
    (@operator not_equals) => { Operator::NotEquals };
    (@operator contains) => { Operator::Contains };
    (@operator greater) => { Operator::Greater };
    (@operator lesser) => { Operator::Lesser };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_lists() {
        assert_eq!(list([1i64, 2, 3]), "1,2,3");
        assert_eq!(list(Vec::<String>::new()), "");
        assert_eq!(true.criterion_text(), "true");
        let when: crate::xs::DateTime = "2019-02-01T05:47:50Z".parse().unwrap();
        assert_eq!(when.criterion_text(), "2019-02-01T05:47:50Z");
    }
}
