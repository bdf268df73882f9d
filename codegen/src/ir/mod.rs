//! Stage 2: Rust-shaped types. Names, references and inheritance are resolved; what remains is structs,
//! enums and aliases with fields of known cardinality. Nothing here knows XML syntax beyond element and
//! attribute names. [`build_module`] lowers the schema model ([`lower`]); [`Lookup`] indexes a module's
//! items and answers the analyses emission needs.

mod depth;
pub(crate) mod graph;
mod lookup;
mod lower;
pub mod names;
mod unknown;

pub use depth::check_type_depth;
pub use lookup::{Lookup, counted_occurrences};
pub use lower::build_module;
pub use unknown::keep_unknown;

/// The XML Schema instance namespace (`xsi:`).
pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The prefix generated code writes a namespace-qualified attribute of namespace `uri` with: `xsi` for XML
/// Schema instance, otherwise `ns` and a hash of the URI, the same in every module (shared items write it too).
pub fn attribute_prefix(uri: &str) -> String {
    if uri == XSI {
        return "xsi".to_owned();
    }
    // FNV-1a: stable across runs and platforms.
    let hash = uri.bytes().fold(0x811c_9dc5u32, |hash, b| {
        (hash ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    format!("ns{hash:08x}")
}

impl Field {
    /// The name the field is written with: its XML name, prefixed for a namespace-qualified attribute.
    pub fn written_name(&self) -> String {
        match (&self.namespace, self.place) {
            (Some(uri), Place::Attribute) => format!("{}:{}", attribute_prefix(uri), self.xml),
            _ => self.xml.clone(),
        }
    }
}

impl Item {
    /// Names of generated items this item refers to.
    pub fn references(&self) -> Vec<String> {
        let mut out = Vec::new();
        match &self.kind {
            ItemKind::Struct(s) => s.fields.iter().for_each(|f| f.ty.references(&mut out)),
            ItemKind::Choice(c) => c.variants.iter().for_each(|v| v.ty.references(&mut out)),
            ItemKind::Derived(d) => d.variants.iter().for_each(|v| v.ty.references(&mut out)),
            ItemKind::Newtype(n) => n.inner.references(&mut out),
            ItemKind::Union(u) => u.members.iter().for_each(|(_, t)| t.references(&mut out)),
            ItemKind::Alias(t) => t.references(&mut out),
            ItemKind::Enum(_) | ItemKind::ElementMarker(_) => {}
        }
        out
    }
}

use crate::xsd::{Facets, Loc};

/// The Rust items of one schema (one generated module).
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// Module path segments, e.g. `["was", "webapp"]`.
    pub path: Vec<String>,
    /// The schema file, as displayed in generated docs.
    pub source: String,
    /// Schema-level documentation.
    pub doc: Option<String>,
    /// Items in declaration order.
    pub items: Vec<Item>,
    /// Global elements whose type has another name (or is built in): each becomes a document wrapper.
    pub documents: Vec<Document>,
}

/// A global element declared with a named type of a different name, e.g. `<xs:element name="car"
/// type="Vehicle"/>`: a newtype over the type, so the element can be a whole document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Rust name of the wrapper.
    pub name: String,
    /// The element's local name.
    pub element: String,
    /// The element's namespace and whether local elements are qualified.
    pub namespace: Option<(String, bool)>,
    /// The wrapped type.
    pub ty: Ty,
    /// Rustdoc.
    pub doc: String,
}

/// One generated item.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Rust name.
    pub name: String,
    /// Rustdoc.
    pub doc: String,
    /// The XSD name (type name, or element name for anonymous types); used for collection item names.
    pub xml_name: String,
    /// The global element that has this type, when the type is a document root.
    pub root_element: Option<String>,
    /// The root element's namespace, and whether its schema qualifies local elements (`elementFormDefault`).
    pub root_namespace: Option<(String, bool)>,
    /// What it is.
    pub kind: ItemKind,
    /// Where it was declared.
    pub loc: Loc,
}

/// The shape of an item.
// Items are built once per schema and never copied in bulk; boxing the struct variant buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// A struct with fields.
    Struct(Struct),
    /// An enumeration of text values with an extra variant for unknown ones.
    Enum(Enum),
    /// A choice between elements: an enum whose variants carry content.
    Choice(Choice),
    /// A complex type and the types derived from it, chosen by `xsi:type`: an enum with a variant per type.
    Derived(Derived),
    /// A simple type with checked facets, wrapping a text type.
    Newtype(Newtype),
    /// A union of simple types, tried in order.
    Union(Union),
    /// An alias of another type.
    Alias(Ty),
    /// A marker naming a collection item element.
    ElementMarker(String),
}

/// A struct.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Struct {
    /// Fields in schema order (attributes first).
    pub fields: Vec<Field>,
    /// The Rust name of the field that keeps the child elements and attributes the type does not declare
    /// (`rt::Unknown`), where they are kept ([`crate::Builder::keep_unknown`]).
    pub unknown: Option<String>,
}

/// A struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust name (snake case, raw identifier when a keyword).
    pub name: String,
    /// XML name (element or attribute local name).
    pub xml: String,
    /// Where the value lives in XML.
    pub place: Place,
    /// The value type.
    pub ty: Ty,
    /// How many.
    pub card: Card,
    /// Boxed to break a recursive type.
    pub boxed: bool,
    /// The schema's occurrence bounds (checked by `validate()` for repeated fields).
    pub occurs: crate::xsd::Occurs,
    /// `default=` value.
    pub default: Option<String>,
    /// `fixed=` value.
    pub fixed: Option<String>,
    /// `nillable="true"`: absence is written as `xsi:nil` where the element is required.
    pub nillable: bool,
    /// The namespace of a namespace-qualified attribute (declared globally in a schema with a target namespace,
    /// or with `form="qualified"`): written with a prefix, read by local name. For an element, its expanded
    /// namespace (see [`ChoiceVariant::namespace`]): the writer declares it where the one in scope differs.
    pub namespace: Option<String>,
    /// Rustdoc.
    pub doc: String,
}

/// Where a field's value lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A child element.
    Element,
    /// An attribute.
    Attribute,
    /// The element's own text (simple content, mixed content).
    Text,
    /// The alternatives of a choice, as one enum-typed value.
    Choice,
    /// Elements matched by `xs:any`.
    AnyElements,
    /// Attributes matched by `xs:anyAttribute`.
    AnyAttributes,
}

/// Cardinality.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Card {
    /// Exactly one.
    One,
    /// Zero or one.
    Optional,
    /// Any number.
    Many,
}

/// A value type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    /// A built-in XSD type.
    Builtin(Builtin),
    /// A generated item, by Rust name.
    Named(String),
    /// An `xs:list` of text values.
    List(Box<Ty>),
    /// A Qualys collection wrapper of items; `marker` names the item element when it differs from the item type.
    Collection {
        /// The item type.
        item: Box<Ty>,
        /// The marker item naming the element, if any.
        marker: Option<String>,
    },
    /// Raw XML kept as it came (`xs:any`, `xs:anyType`).
    AnyElement,
    /// A Rust type the user mapped an XSD type to; it must implement the runtime's `XmlText`.
    External(String),
}

impl Ty {
    /// Names of generated items this type refers to.
    pub fn references(&self, out: &mut Vec<String>) {
        match self {
            Ty::Named(name) => out.push(name.clone()),
            Ty::List(item) => item.references(out),
            Ty::Collection { item, marker } => {
                item.references(out);
                out.extend(marker.clone());
            }
            Ty::Builtin(_) | Ty::AnyElement | Ty::External(_) => {}
        }
    }
}

/// XSD built-in types, by their Rust mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Builtin {
    /// xs:string (and `xs:anySimpleType`): whitespace preserved.
    String,
    /// xs:normalizedString: tabs and line ends read as spaces.
    NormalizedString,
    /// xs:token and `xs:anyURI`: whitespace collapsed, the empty string a value.
    Token,
    /// A string type whose whitespace collapses and that has no empty value (`xs:NCName`, `xs:QName`, `xs:ID`,
    /// `xs:language`, `xs:duration`, `xs:gYear`, ...): a Rust `String` as well, but with no `Default`, since `""`
    /// is not one of its values.
    Name,
    /// xs:boolean.
    Bool,
    /// xs:byte.
    I8,
    /// xs:short.
    I16,
    /// xs:int.
    I32,
    /// xs:long.
    I64,
    /// xs:unsignedByte.
    U8,
    /// xs:unsignedShort.
    U16,
    /// xs:unsignedInt.
    U32,
    /// xs:unsignedLong.
    U64,
    /// xs:integer.
    Integer,
    /// xs:nonNegativeInteger.
    NonNegativeInteger,
    /// xs:positiveInteger.
    PositiveInteger,
    /// xs:nonPositiveInteger.
    NonPositiveInteger,
    /// xs:negativeInteger.
    NegativeInteger,
    /// xs:decimal.
    Decimal,
    /// xs:float.
    F32,
    /// xs:double.
    F64,
    /// xs:dateTime, its time zone (or its absence) kept: `rt::xs::XmlDateTime`.
    DateTime,
    /// xs:date, its time zone (or its absence) kept: `rt::xs::XmlDate`.
    Date,
    /// xs:time, its time zone (or its absence) kept: `rt::xs::XmlTime`.
    Time,
    /// xs:dateTime as chrono's `DateTime<FixedOffset>`, where a profile asks for it (a value without a zone
    /// reads as UTC).
    ChronoDateTime,
    /// xs:date as chrono's `NaiveDate` (a zone is dropped), where a profile asks for it.
    ChronoDate,
    /// xs:time as chrono's `NaiveTime` (a zone is dropped), where a profile asks for it.
    ChronoTime,
    /// xs:base64Binary.
    Base64,
    /// xs:hexBinary.
    Hex,
    /// xs:QName: `rt::xs::QName`, its namespace resolved where it is read.
    QName,
}

impl Builtin {
    /// Whether the Rust type is `String` (whatever the type's `whiteSpace` facet).
    pub fn is_string(self) -> bool {
        matches!(
            self,
            Builtin::String | Builtin::NormalizedString | Builtin::Token | Builtin::Name
        )
    }

    /// The string built-in whose values are normalized by `white_space`; other types are left as they are.
    pub fn with_white_space(self, white_space: Option<WhiteSpace>) -> Builtin {
        match white_space {
            Some(ws) if self.is_string() && self != Builtin::Name => match ws {
                WhiteSpace::Preserve => Builtin::String,
                WhiteSpace::Replace => Builtin::NormalizedString,
                WhiteSpace::Collapse => Builtin::Token,
            },
            _ => self,
        }
    }

    /// Whether `Default` exists for the Rust type, as a valid value of the XSD type: none for dates and times,
    /// nor for `xs:positiveInteger` and `xs:negativeInteger`, whose ranges hold no zero.
    pub fn has_default(self) -> bool {
        !matches!(
            self,
            Builtin::Name
                | Builtin::QName
                | Builtin::DateTime
                | Builtin::Date
                | Builtin::Time
                | Builtin::ChronoDateTime
                | Builtin::ChronoDate
                | Builtin::ChronoTime
                | Builtin::PositiveInteger
                | Builtin::NegativeInteger
        )
    }

    /// Whether values are integers or decimals (compared exactly; `totalDigits` applies).
    pub fn is_decimal(self) -> bool {
        use Builtin::*;
        matches!(
            self,
            I8 | I16
                | I32
                | I64
                | U8
                | U16
                | U32
                | U64
                | Integer
                | NonNegativeInteger
                | PositiveInteger
                | NonPositiveInteger
                | NegativeInteger
                | Decimal
        )
    }

    /// Whether the range facets (`minInclusive` and the like) apply and can be checked.
    pub fn is_ordered(self) -> bool {
        use Builtin::*;
        self.is_decimal()
            || matches!(
                self,
                F32 | F64 | DateTime | Date | Time | ChronoDateTime | ChronoDate | ChronoTime
            )
    }

    /// The type of the same values as the Qualys profile's chrono mapping has it: chrono's types for dates and
    /// times, every other built-in unchanged.
    pub fn as_chrono(self) -> Builtin {
        match self {
            Builtin::DateTime => Builtin::ChronoDateTime,
            Builtin::Date => Builtin::ChronoDate,
            Builtin::Time => Builtin::ChronoTime,
            other => other,
        }
    }
}

/// The XSD `whiteSpace` facet: how the text of a string value is normalized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WhiteSpace {
    /// Kept as it is.
    Preserve,
    /// Tabs and line ends become spaces.
    Replace,
    /// As `Replace`, then runs of spaces become one, and leading and trailing ones go.
    Collapse,
}

impl WhiteSpace {
    /// The facet's value (`preserve`, `replace`, `collapse`), if it is one.
    pub fn parse(value: &str) -> Option<WhiteSpace> {
        match value.trim() {
            "preserve" => Some(WhiteSpace::Preserve),
            "replace" => Some(WhiteSpace::Replace),
            "collapse" => Some(WhiteSpace::Collapse),
            _ => None,
        }
    }
}

/// An enumeration of text values.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// The restricted type (its `whiteSpace` facet applies to the values read).
    pub base: Ty,
    /// Variants: Rust name, XML value, doc.
    pub variants: Vec<(String, String, Option<String>)>,
    /// The variant that keeps unknown values.
    pub other: String,
    /// The values are lists (an enumeration of a list type): text is matched with its whitespace collapsed.
    pub list: bool,
}

/// An enum with a variant per element: a choice, or an item of a list of elements in document order (a repeated
/// sequence's elements, mixed content).
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// Variants: Rust name, element name (`$text` for the text of mixed content), content type, boxed, doc.
    pub variants: Vec<ChoiceVariant>,
    /// How a list of these counts the occurrences of its particle (for `minOccurs`/`maxOccurs`).
    pub occurrence: Occurrence,
}

/// How the occurrences of a list field's particle are counted from its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occurrence {
    /// One item per occurrence (a choice).
    Each,
    /// A repeated sequence whose every occurrence begins with this variant.
    StartsWith(usize),
    /// Not countable (a sequence that may begin with different elements; mixed content).
    Uncounted,
}

/// The element name of the variant of a list that holds the elements `xs:any` matches (any name no other
/// variant has); `$text` names the text of mixed content.
pub const ANY_VARIANT: &str = "$any";

/// One alternative of a choice.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceVariant {
    /// Rust variant name.
    pub name: String,
    /// Element name ([`ANY_VARIANT`] for a wildcard, `$text` for the text of mixed content).
    pub xml: String,
    /// The element's expanded namespace: a global element's is its schema's target namespace, a local one's
    /// that of the schema document declaring it when it is qualified, otherwise none.
    pub namespace: Option<String>,
    /// Content type.
    pub ty: Ty,
    /// Boxed to break recursion.
    pub boxed: bool,
    /// Rustdoc.
    pub doc: String,
}

/// The value of an element whose declared type has derived types: one of the concrete types among the declared
/// type and those derived from it (by extension or restriction, transitively), named by `xsi:type`.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    /// The declared type's XSD name (for errors).
    pub declared: String,
    /// Whether the declared type is concrete: then it is the first variant, read where `xsi:type` is absent.
    pub concrete: bool,
    /// One variant per concrete type.
    pub variants: Vec<DerivedVariant>,
}

/// One type of a [`Derived`].
#[derive(Debug, Clone, PartialEq)]
pub struct DerivedVariant {
    /// Rust variant name.
    pub name: String,
    /// The type's namespace.
    pub namespace: Option<String>,
    /// The type's local name (what `xsi:type` names).
    pub xml: String,
    /// The type's struct.
    pub ty: Ty,
    /// Boxed to break recursion.
    pub boxed: bool,
}

/// A checked simple type.
#[derive(Debug, Clone, PartialEq)]
pub struct Newtype {
    /// The wrapped type.
    pub inner: Ty,
    /// The facets checked on construction.
    pub facets: Facets,
    /// What the chain of restrictions ends in: the type whose order and length the facets are checked by.
    pub primitive: Primitive,
}

/// What a chain of simple-type restrictions ends in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Primitive {
    /// A built-in type.
    Builtin(Builtin),
    /// An `xs:list`: length facets count its items.
    List,
    /// A union, a type override or a type not known here: only patterns are checked.
    Other,
}

/// A union of simple types.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// Variants: Rust name and member type, tried in order.
    pub members: Vec<(String, Ty)>,
}
