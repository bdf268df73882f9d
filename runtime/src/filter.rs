//! Typed search criteria: what each generated resource module's `filter` is made of.
//!
//! A module's `filter` names its resource with a marker type implementing [`CriteriaSchema`] (which `<Criteria>`
//! and `<filters>` types its schema declares), calls [`Criterion<Schema>`](Criterion) its `Criterion`, and
//! declares one type per documented field: a unit struct with one method per operator the field allows, taking
//! values of the field's type. A misspelt field, an operator the field does not allow, a value of the wrong type
//! or a criterion of another resource does not compile.

use std::fmt;

use crate::xml::XmlText;

/// The operators of QPS search criteria, as the catalog documents them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `EQUALS`
    Equals,
    /// `NOT EQUALS` (with a space)
    NotEquals,
    /// `CONTAINS`
    Contains,
    /// `GREATER`
    Greater,
    /// `LESSER`
    Lesser,
    /// `IN`: one criterion whose value lists the values, comma-separated.
    In,
}

impl Operator {
    /// The operator as Qualys spells it in `<Criteria operator="...">`.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Equals => "EQUALS",
            Operator::NotEquals => "NOT EQUALS",
            Operator::Contains => "CONTAINS",
            Operator::Greater => "GREATER",
            Operator::Lesser => "LESSER",
            Operator::In => "IN",
        }
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The search criteria of one resource: the `<Criteria>` and `<filters>` types its schema declares. Implemented
/// by a marker type in each generated `filter` module, so that the criteria of one resource cannot be given to
/// another's search.
pub trait CriteriaSchema {
    /// The schema's `<Criteria>` element.
    type Criteria: Clone + fmt::Debug + PartialEq;
    /// The schema's `<filters>` element (`()` where requests send none).
    type Filters;
    /// `<Criteria field=".." name=".." operator="..">value</Criteria>`.
    fn criteria(
        field: &str,
        name: Option<String>,
        operator: Operator,
        value: String,
    ) -> Self::Criteria;
    /// The `<filters>` element holding `criteria`.
    fn filters(criteria: Vec<Self::Criteria>) -> Self::Filters;
}

/// One `<Criteria>` of a search of the resource `S`; several are combined with AND. Built by the typed fields of
/// the resource's `filter` module (`filter::Name.contains("shop")`).
pub struct Criterion<S: CriteriaSchema> {
    criteria: S::Criteria,
    /// Added by the paginator (`id GREATER lastId`), and replaced on each page.
    paging: bool,
}

impl<S: CriteriaSchema> Criterion<S> {
    /// The criterion `field operator value` (of the one named `name`, for named fields such as custom
    /// attributes). The typed fields of a `filter` module call it; prefer them.
    pub fn new(field: &str, name: Option<String>, operator: Operator, value: String) -> Self {
        Criterion {
            criteria: S::criteria(field, name, operator, value),
            paging: false,
        }
    }

    /// The `<Criteria>` element it becomes.
    pub fn criteria(&self) -> &S::Criteria {
        &self.criteria
    }

    /// The `<filters>` element of a request with `criteria`; `None` when there are none.
    pub fn filters(criteria: &[Self]) -> Option<S::Filters> {
        (!criteria.is_empty())
            .then(|| S::filters(criteria.iter().map(|c| c.criteria.clone()).collect()))
    }

    /// Id paging: replaces the paging criterion in `criteria` by `id GREATER after` (none for the first page).
    pub fn page_after(criteria: &mut Vec<Self>, after: Option<i64>) {
        criteria.retain(|c| !c.paging);
        if let Some(after) = after {
            criteria.push(Criterion {
                paging: true,
                ..Criterion::new("id", None, Operator::Greater, after.to_string())
            });
        }
    }
}

impl<S: CriteriaSchema> Clone for Criterion<S> {
    fn clone(&self) -> Self {
        Criterion {
            criteria: self.criteria.clone(),
            paging: self.paging,
        }
    }
}

impl<S: CriteriaSchema> PartialEq for Criterion<S> {
    fn eq(&self, other: &Self) -> bool {
        self.criteria == other.criteria && self.paging == other.paging
    }
}

impl<S: CriteriaSchema> fmt::Debug for Criterion<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Criterion")
            .field("criteria", &self.criteria)
            .field("paging", &self.paging)
            .finish()
    }
}

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
#[doc(hidden)]
pub fn list<V: CriterionValue>(values: impl IntoIterator<Item = V>) -> String {
    crate::xml::joined(values.into_iter().map(CriterionValue::criterion_text), ',')
}

/// Declares the values of a keyword criteria field of a generated `filter` module: an enum with `as_str` (the
/// value as Qualys spells it) whose values are criterion values:
/// `criteria_values!(#[doc = "..."] StatusValue { Running = "RUNNING", Finished = "FINISHED" })`.
#[doc(hidden)]
#[macro_export]
macro_rules! criteria_values {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $(#[doc = concat!("`", $text, "`")] $variant,)*
        }

        impl $name {
            /// The value as Qualys spells it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)*
                }
            }
        }

        impl $crate::__private::CriterionValue for $name {
            fn criterion_text(self) -> ::std::string::String {
                ::std::borrow::ToOwned::to_owned(self.as_str())
            }
        }
    };
}

/// Declares a criteria field of a generated `filter` module, whose `Criterion` it builds:
/// `criteria_field!(#[doc = "..."] Name("name", String) { equals contains in_list })`, or `named` before the type
/// name for a field selected by a name too (custom attributes: `Attributes.equals("Business Owner", "Jane")`).
/// The operators are `equals`, `not_equals`, `contains`, `greater`, `lesser` and `in_list`; values are anything
/// that converts into the field's type.
#[doc(hidden)]
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
            let text = $crate::__private::criteria_list(values.into_iter().map(Into::<$value>::into));
            Criterion::new($field, None, $crate::__private::Operator::In, text)
        }
    };
    (@op $field:literal, $value:ty, $op:ident) => {
        #[doc = concat!("`", $field, " ", $crate::criteria_field!(@spelling $op), "`")]
        pub fn $op(self, value: impl Into<$value>) -> Criterion {
            let text = $crate::__private::CriterionValue::criterion_text(Into::<$value>::into(value));
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
            let text = $crate::__private::criteria_list(values.into_iter().map(Into::<$value>::into));
            Criterion::new($field, Some(name.into()), $crate::__private::Operator::In, text)
        }
    };
    (@named $field:literal, $value:ty, $op:ident) => {
        #[doc = concat!("`", $field, " ", $crate::criteria_field!(@spelling $op), "`, of the one named")]
        pub fn $op(self, name: impl Into<String>, value: impl Into<$value>) -> Criterion {
            let text = $crate::__private::CriterionValue::criterion_text(Into::<$value>::into(value));
            Criterion::new($field, Some(name.into()), $crate::criteria_field!(@operator $op), text)
        }
    };
    (@spelling equals) => { "EQUALS" };
    (@spelling not_equals) => { "NOT EQUALS" };
    (@spelling contains) => { "CONTAINS" };
    (@spelling greater) => { "GREATER" };
    (@spelling lesser) => { "LESSER" };
    (@operator equals) => { $crate::__private::Operator::Equals };
    (@operator not_equals) => { $crate::__private::Operator::NotEquals };
    (@operator contains) => { $crate::__private::Operator::Contains };
    (@operator greater) => { $crate::__private::Operator::Greater };
    (@operator lesser) => { $crate::__private::Operator::Lesser };
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
