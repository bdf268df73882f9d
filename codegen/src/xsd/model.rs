//! A faithful, Rust-agnostic model of the XSD constructs the generator reads.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

pub use crate::loc::Loc;

/// A namespace-qualified name. `ns` is `None` for no namespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QName {
    /// Namespace URI.
    pub ns: Option<String>,
    /// Local name.
    pub local: String,
}

impl QName {
    /// A name in the XML Schema namespace (`xs:string`).
    pub fn is_xsd(&self) -> bool {
        self.ns.as_deref() == Some(XSD_NS)
    }
}

impl fmt::Display for QName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.ns {
            Some(ns) if ns == XSD_NS => write!(f, "xs:{}", self.local),
            Some(ns) => write!(f, "{{{ns}}}{}", self.local),
            None => f.write_str(&self.local),
        }
    }
}

/// The XML Schema namespace.
pub const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";

/// The XML namespace, bound to the `xml` prefix in every document.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Occurrence bounds. `max == None` is `unbounded`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Occurs {
    /// minOccurs.
    pub min: u32,
    /// maxOccurs; `None` means unbounded.
    pub max: Option<u32>,
}

impl Occurs {
    /// Exactly once.
    pub const ONCE: Occurs = Occurs {
        min: 1,
        max: Some(1),
    };

    /// More than one occurrence is allowed.
    pub fn is_many(&self) -> bool {
        self.max != Some(1) && self.max != Some(0)
    }
}

/// All files of one schema set, in the order they were read.
#[derive(Debug, Clone, Default)]
pub struct SchemaSet {
    /// The schema documents.
    pub files: Vec<Arc<SchemaDoc>>,
}

/// One schema document.
#[derive(Debug, Clone)]
pub struct SchemaDoc {
    /// Its path.
    pub path: Arc<PathBuf>,
    /// targetNamespace.
    pub target_ns: Option<String>,
    /// Whether local elements are namespace-qualified.
    pub element_form_qualified: bool,
    /// Documentation of the schema element.
    pub doc: Option<String>,
    /// Top-level declarations, in document order.
    pub items: Vec<TopItem>,
}

/// A top-level declaration.
#[derive(Debug, Clone)]
pub enum TopItem {
    /// `xs:element`.
    Element(Element),
    /// `xs:complexType`.
    ComplexType(ComplexType),
    /// `xs:simpleType`.
    SimpleType(SimpleType),
    /// `xs:group`.
    Group(Group),
    /// `xs:attributeGroup`.
    AttributeGroup(AttributeGroup),
    /// `xs:attribute`.
    Attribute(Attribute),
}

/// An element declaration, local or global.
#[derive(Debug, Clone)]
pub struct Element {
    /// The element's name.
    pub name: QName,
    /// Its type.
    pub ty: TypeRef,
    /// Occurrence (always once for global elements).
    pub occurs: Occurs,
    /// `default=`.
    pub default: Option<String>,
    /// `fixed=`.
    pub fixed: Option<String>,
    /// `nillable="true"`.
    pub nillable: bool,
    /// `abstract="true"`.
    pub is_abstract: bool,
    /// `substitutionGroup=`.
    pub substitution_group: Option<QName>,
    /// `xs:documentation`.
    pub doc: Option<String>,
    /// Where it is declared.
    pub loc: Loc,
}

/// The type of an element or attribute.
#[derive(Debug, Clone)]
pub enum TypeRef {
    /// `type="..."`.
    Named(QName),
    /// An anonymous complex type.
    Complex(Box<ComplexType>),
    /// An anonymous simple type.
    Simple(Box<SimpleType>),
    /// No type given: `xs:anyType` for elements, `xs:anySimpleType` for attributes.
    Unspecified,
}

/// A complex type, named or anonymous.
#[derive(Debug, Clone)]
pub struct ComplexType {
    /// Name, for named types.
    pub name: Option<QName>,
    /// `mixed="true"`.
    pub mixed: bool,
    /// `abstract="true"`.
    pub is_abstract: bool,
    /// Content model.
    pub content: Content,
    /// Attributes, attribute group refs and wildcards.
    pub attributes: Vec<AttributeItem>,
    /// `xs:documentation`.
    pub doc: Option<String>,
    /// Where it is declared.
    pub loc: Loc,
}

/// The content model of a complex type.
#[derive(Debug, Clone)]
pub enum Content {
    /// No element content.
    Empty,
    /// A model group (sequence, all, choice, group ref).
    Particle(Particle),
    /// `xs:simpleContent`: text of a simple type, with attributes.
    Simple {
        /// Extension or restriction.
        derivation: Derivation,
        /// The base type.
        base: QName,
        /// Facets of a restriction.
        facets: Facets,
        /// The `xs:simpleType` inside a restriction: the content's type, restricted further by `facets`.
        simple_type: Option<Box<SimpleType>>,
        /// Where it is declared.
        loc: Loc,
    },
    /// `xs:complexContent`.
    Complex {
        /// Extension or restriction.
        derivation: Derivation,
        /// The base type.
        base: QName,
        /// The particle the derivation adds (extension) or keeps (restriction).
        particle: Option<Particle>,
        /// Where it is declared.
        loc: Loc,
    },
}

/// How a type derives from its base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derivation {
    /// `xs:extension`.
    Extension,
    /// `xs:restriction`.
    Restriction,
}

/// A particle: a term with occurrence bounds.
#[derive(Debug, Clone)]
pub struct Particle {
    /// The term.
    pub term: Term,
    /// minOccurs/maxOccurs.
    pub occurs: Occurs,
    /// Where it is declared.
    pub loc: Loc,
}

/// What a particle holds.
#[derive(Debug, Clone)]
pub enum Term {
    /// A local element declaration.
    Element(Box<Element>),
    /// `xs:element ref=`.
    ElementRef(QName),
    /// `xs:group ref=`.
    GroupRef(QName),
    /// `xs:sequence`.
    Sequence(Vec<Particle>),
    /// `xs:all`.
    All(Vec<Particle>),
    /// `xs:choice`.
    Choice(Vec<Particle>),
    /// `xs:any`.
    Any {
        /// The namespace constraint, as written.
        // The model is faithful to the schema: kept though no stage maps it yet.
        #[allow(dead_code)]
        namespace: Option<String>,
    },
}

/// A named model group (`xs:group name=`).
#[derive(Debug, Clone)]
pub struct Group {
    /// Its name.
    pub name: QName,
    /// Its model group.
    pub particle: Particle,
    /// Where it is declared.
    pub loc: Loc,
}

/// A named attribute group.
#[derive(Debug, Clone)]
pub struct AttributeGroup {
    /// Its name.
    pub name: QName,
    /// Its attributes.
    pub attributes: Vec<AttributeItem>,
    /// Where it is declared.
    pub loc: Loc,
}

/// An item in an attribute list.
#[derive(Debug, Clone)]
pub enum AttributeItem {
    /// A local attribute declaration.
    Attribute(Attribute),
    /// `xs:attribute ref=`.
    Ref {
        /// The referenced global attribute.
        name: QName,
        /// `use=`.
        usage: AttributeUse,
        /// `default=` at the reference.
        default: Option<String>,
        /// `fixed=` at the reference.
        fixed: Option<String>,
        /// Where it is declared.
        loc: Loc,
    },
    /// `xs:attributeGroup ref=`.
    GroupRef(QName, Loc),
    /// `xs:anyAttribute`.
    Any(#[allow(dead_code)] Loc),
}

/// An attribute declaration.
#[derive(Debug, Clone)]
pub struct Attribute {
    /// Its name.
    pub name: QName,
    /// Its type.
    pub ty: TypeRef,
    /// `use=`.
    pub usage: AttributeUse,
    /// `default=`.
    pub default: Option<String>,
    /// `fixed=`.
    pub fixed: Option<String>,
    /// `xs:documentation`.
    pub doc: Option<String>,
    /// Where it is declared.
    pub loc: Loc,
}

/// `use=` of an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeUse {
    /// `optional` (the default).
    Optional,
    /// `required`.
    Required,
    /// `prohibited`.
    Prohibited,
}

/// A simple type, named or anonymous.
#[derive(Debug, Clone)]
pub struct SimpleType {
    /// Name, for named types.
    pub name: Option<QName>,
    /// How it is built.
    pub kind: SimpleKind,
    /// `xs:documentation`.
    pub doc: Option<String>,
    /// Where it is declared.
    pub loc: Loc,
}

/// How a simple type is built.
// Built once per declaration while reading a schema; the size difference costs nothing measurable.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum SimpleKind {
    /// `xs:restriction`.
    Restriction {
        /// The base type (named, or an anonymous simple type).
        base: TypeRef,
        /// Facets.
        facets: Facets,
    },
    /// `xs:list`.
    List {
        /// The item type.
        item: TypeRef,
    },
    /// `xs:union`.
    Union {
        /// Member types (named ones from `memberTypes`, then anonymous ones).
        members: Vec<TypeRef>,
    },
}

/// Constraining facets of a restriction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facets {
    /// `xs:enumeration` values with their documentation.
    pub enumerations: Vec<(String, Option<String>)>,
    /// `xs:length`.
    pub length: Option<u64>,
    /// `xs:minLength`.
    pub min_length: Option<u64>,
    /// `xs:maxLength`.
    pub max_length: Option<u64>,
    /// `xs:pattern` (all must match, as XSD says for patterns from different derivation steps).
    pub patterns: Vec<String>,
    /// `xs:minInclusive`.
    pub min_inclusive: Option<String>,
    /// `xs:maxInclusive`.
    pub max_inclusive: Option<String>,
    /// `xs:minExclusive`.
    pub min_exclusive: Option<String>,
    /// `xs:maxExclusive`.
    pub max_exclusive: Option<String>,
    /// `xs:totalDigits`.
    pub total_digits: Option<u32>,
    /// `xs:fractionDigits`.
    pub fraction_digits: Option<u32>,
    /// `xs:whiteSpace`.
    pub white_space: Option<String>,
}

impl Facets {
    /// Whether any facet other than enumeration is present.
    pub fn has_checks(&self) -> bool {
        self.length.is_some()
            || self.min_length.is_some()
            || self.max_length.is_some()
            || !self.patterns.is_empty()
            || self.min_inclusive.is_some()
            || self.max_inclusive.is_some()
            || self.min_exclusive.is_some()
            || self.max_exclusive.is_some()
            || self.total_digits.is_some()
            || self.fraction_digits.is_some()
    }
}
