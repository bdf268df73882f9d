//! Stage 4: Rust tokens for the IR, printed with prettyplease. Output is a pure function of the IR, so the same
//! schemas always give the same bytes.

use std::collections::{HashMap, HashSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::error::{Error, Result};
use crate::ir::{
    Builtin, Card, Choice, Enum, Field, Item, ItemKind, Module, Newtype, Occurrence, Place, Ty,
    Union,
};

mod reader;
mod writer;

/// How generated code refers to the runtime crate and the serde crate.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The runtime crate, e.g. `::qps_runtime`.
    pub runtime: TokenStream,
    /// Extra derives for structs.
    pub derives: Vec<TokenStream>,
}

impl Default for Paths {
    fn default() -> Self {
        Paths {
            runtime: quote!(::qps_runtime),
            derives: Vec::new(),
        }
    }
}

/// Items of a module, by name, for looking up what a `Ty::Named` is.
pub struct Lookup<'a> {
    items: HashMap<&'a str, &'a Item>,
    /// Items whose `validate()` can fail: enumerations, facets, occurrence bounds, or such a value inside.
    checked: HashSet<&'a str>,
}

impl<'a> Lookup<'a> {
    /// Indexes a module's items.
    pub fn new(module: &'a Module) -> Self {
        let mut lookup = Lookup {
            items: module.items.iter().map(|i| (i.name.as_str(), i)).collect(),
            checked: HashSet::new(),
        };
        // The least fixpoint: an item is checked when it checks something itself or holds a checked value.
        // Types refer to each other in cycles, so repeat until nothing changes.
        loop {
            let before = lookup.checked.len();
            for item in &module.items {
                if !lookup.checked.contains(item.name.as_str()) && lookup.item_checks(item) {
                    lookup.checked.insert(item.name.as_str());
                }
            }
            if lookup.checked.len() == before {
                return lookup;
            }
        }
    }

    /// Whether `item`'s `validate()` can fail, given what is known to be checked so far.
    fn item_checks(&self, item: &Item) -> bool {
        match &item.kind {
            ItemKind::Enum(_) | ItemKind::Newtype(_) => true,
            ItemKind::Struct(s) => s.fields.iter().any(|f| {
                f.place != Place::AnyAttributes
                    && (self.checks(&f.ty) || counted_occurrences(f, self).is_some())
            }),
            ItemKind::Choice(c) => c.variants.iter().any(|v| self.checks(&v.ty)),
            ItemKind::Union(u) => u.members.iter().any(|(_, ty)| self.checks(ty)),
            ItemKind::Alias(ty) => self.checks(ty),
            ItemKind::ElementMarker(_) => false,
        }
    }

    /// Whether calling `validate()` on a value of `ty` can fail. Built-in types never do; a type override is
    /// someone else's, so it is asked.
    pub fn checks(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Builtin(_) | Ty::AnyElement => false,
            Ty::External(_) => true,
            Ty::List(item) | Ty::Collection { item, .. } => self.checks(item),
            Ty::Named(name) => {
                self.checked.contains(name.as_str()) || !self.items.contains_key(name.as_str())
            }
        }
    }

    /// Whether values of `ty` are XML text (attributes, leaf elements) rather than complex content.
    pub fn is_text(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Builtin(_) | Ty::External(_) => true,
            Ty::List(_) | Ty::Collection { .. } | Ty::AnyElement => false,
            Ty::Named(name) => match self.items.get(name.as_str()).map(|i| &i.kind) {
                Some(ItemKind::Enum(_) | ItemKind::Newtype(_) | ItemKind::Union(_)) => true,
                Some(ItemKind::Alias(inner)) => self.is_text(inner),
                _ => false,
            },
        }
    }

    /// Whether `ty` has a `Default` (used to decide whether a struct can derive it).
    fn has_default(&self, ty: &Ty, depth: usize) -> bool {
        if depth > 32 {
            return false;
        }
        match ty {
            Ty::Builtin(b) => b.has_default(),
            Ty::External(_) => false,
            Ty::List(_) | Ty::Collection { .. } | Ty::AnyElement => true,
            Ty::Named(name) => match self.items.get(name.as_str()).map(|i| &i.kind) {
                Some(ItemKind::Struct(s)) => s
                    .fields
                    .iter()
                    .all(|f| f.card != Card::One || self.has_default(&f.ty, depth + 1)),
                Some(ItemKind::Alias(inner)) => self.has_default(inner, depth + 1),
                _ => false,
            },
        }
    }

    /// The kind of the item `name`.
    pub fn kind(&self, name: &str) -> Option<&'a ItemKind> {
        self.items.get(name).map(|i| &i.kind)
    }

    /// The fields of the struct item `name`.
    pub fn struct_fields(&self, name: &str) -> Option<&'a [crate::ir::Field]> {
        match self.items.get(name).map(|i| &i.kind) {
            Some(ItemKind::Struct(s)) => Some(&s.fields),
            _ => None,
        }
    }

    /// Whether values of `ty` have an `as_str()` (generated enums and strings).
    pub fn is_enum_or_string(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Builtin(Builtin::String) => true,
            Ty::Named(name) => match self.items.get(name.as_str()).map(|i| &i.kind) {
                Some(ItemKind::Enum(_)) => true,
                Some(ItemKind::Alias(inner)) => self.is_enum_or_string(inner),
                _ => false,
            },
            _ => false,
        }
    }

    /// Whether `ty` is a (possibly aliased) `xs:list`.
    fn is_list(&self, ty: &Ty) -> bool {
        match ty {
            Ty::List(_) => true,
            Ty::Named(name) => {
                matches!(self.items.get(name.as_str()).map(|i| &i.kind), Some(ItemKind::Alias(inner)) if self.is_list(inner))
            }
            _ => false,
        }
    }
}

/// A document wrapper: a newtype over the element's type, with the element as its root.
pub fn document_tokens(document: &crate::ir::Document, lookup: &Lookup) -> TokenStream {
    let name = format_ident!("{}", document.name);
    let doc = doc_attrs(&document.doc);
    let root = &document.element;
    let inner = ty_tokens(&document.ty);
    let with = lookup.is_text(&document.ty).then(|| {
        let path = xml_path("serde_text::req");
        quote!(#[serde(with = #path)])
    });
    let namespace = document.namespace.as_ref().map(|(ns, qualified)| {
        let qualified = (!qualified).then(|| {
            quote!(
                const QUALIFIED: bool = false;
            )
        });
        quote!(const NAMESPACE: Option<&'static str> = Some(#ns); #qualified)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, rt::serde::Serialize, rt::serde::Deserialize)]
        #[serde(crate = "rt::serde", transparent)]
        pub struct #name(#with pub #inner);

        impl rt::RootElement for #name {
            const ROOT: &'static str = #root;
            #namespace
        }

        impl rt::Validate for #name {
            fn validate(&self) -> Result<(), rt::FacetError> {
                rt::Validate::validate(&self.0)
            }
        }

        impl rt::FromXml for #name {
            fn read<S: rt::XmlSource>(
                reader: &mut rt::XmlReader<S>,
                start: &rt::BytesStart<'_>,
            ) -> Result<Self, rt::ReadError> {
                <#inner as rt::FromXml>::read(reader, start).map(#name)
            }
        }

        impl rt::ToXml for #name {
            fn write_xml(&self, writer: &mut rt::XmlWriter, name: &str) {
                rt::ToXml::write_xml(&self.0, writer, name)
            }
        }
    }
}

/// Emits one item (used for shared items too).
pub fn item_tokens(item: &Item, lookup: &Lookup, paths: &Paths) -> TokenStream {
    let name = format_ident!("{}", item.name);
    let doc = doc_attrs(&item.doc);
    let xml = &item.xml_name;
    let mut tokens = match &item.kind {
        ItemKind::Struct(s) => {
            let default = s
                .fields
                .iter()
                .all(|f| f.card != Card::One || lookup.has_default(&f.ty, 0));
            let derive_default = default.then(|| quote!(Default,));
            let extra = &paths.derives;
            // quick-xml hands a flattened field every element the struct's fields do not claim, `$value` and
            // `$text` ones included: `xs:anyAttribute` is kept by serde only where the struct has neither.
            let flatten_attributes = !s
                .fields
                .iter()
                .any(|f| matches!(f.place, Place::Text | Place::Choice | Place::AnyElements));
            let fields = s
                .fields
                .iter()
                .map(|f| field_tokens(f, lookup, flatten_attributes));
            let validations: Vec<TokenStream> = s
                .fields
                .iter()
                .filter_map(|f| field_validation(f, lookup))
                .collect();
            // A struct with nothing to check keeps the trait's default, which checks nothing.
            let validate = (!validations.is_empty()).then(|| {
                quote! {
                    fn validate(&self) -> Result<(), rt::FacetError> {
                        #(#validations)*
                        Ok(())
                    }
                }
            });
            let accessors: Vec<TokenStream> = s
                .fields
                .iter()
                .filter_map(|f| default_accessor(f, lookup))
                .collect();
            let accessors = (!accessors.is_empty()).then(|| {
                quote! {
                    impl #name {
                        #(#accessors)*
                    }
                }
            });
            let root = item.root_element.as_ref().map(|root| {
                let namespace = item.root_namespace.as_ref().map(|(ns, qualified)| {
                    let qualified = (!qualified).then(|| {
                        quote!(
                            const QUALIFIED: bool = false;
                        )
                    });
                    quote!(const NAMESPACE: Option<&'static str> = Some(#ns); #qualified)
                });
                quote! {
                    impl rt::RootElement for #name {
                        const ROOT: &'static str = #root;
                        #namespace
                    }
                }
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, #derive_default rt::serde::Serialize, rt::serde::Deserialize #(, #extra)*)]
                #[serde(crate = "rt::serde", rename = #xml)]
                pub struct #name {
                    #(#fields)*
                }

                impl rt::Validate for #name {
                    #validate
                }

                rt::xml_element_via_serde!(#name, #xml);
                #root
                #accessors
            }
        }
        ItemKind::Enum(e) => enum_tokens(&name, &doc, xml, e),
        ItemKind::Choice(c) => choice_tokens(&name, &doc, c, lookup),
        ItemKind::Newtype(n) => newtype_tokens(&name, &doc, xml, n),
        ItemKind::Union(u) => union_tokens(&name, &doc, xml, u, lookup),
        ItemKind::Alias(ty) => {
            let ty = ty_tokens(ty);
            quote! {
                #doc
                pub type #name = #ty;
            }
        }
        ItemKind::ElementMarker(element) => quote! {
            #doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            pub struct #name;

            impl rt::ElementName for #name {
                const ELEMENT: &'static str = #element;
            }
        },
    };
    tokens.extend(reader::item_reader(item, lookup));
    tokens.extend(writer::item_writer(item, lookup));
    tokens
}

fn doc_attrs(doc: &str) -> TokenStream {
    let lines = doc.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

fn builtin_tokens(b: Builtin) -> TokenStream {
    match b {
        Builtin::String => quote!(String),
        Builtin::Bool => quote!(bool),
        Builtin::I8 => quote!(i8),
        Builtin::I16 => quote!(i16),
        Builtin::I32 => quote!(i32),
        Builtin::I64 => quote!(i64),
        Builtin::U8 => quote!(u8),
        Builtin::U16 => quote!(u16),
        Builtin::U32 => quote!(u32),
        Builtin::U64 => quote!(u64),
        Builtin::Integer => quote!(rt::xs::Integer),
        Builtin::Decimal => quote!(rt::xs::Decimal),
        Builtin::F32 => quote!(f32),
        Builtin::F64 => quote!(f64),
        Builtin::DateTime => quote!(rt::xs::DateTime),
        Builtin::Date => quote!(rt::xs::Date),
        Builtin::Time => quote!(rt::xs::Time),
        Builtin::Base64 => quote!(rt::xs::Base64Binary),
        Builtin::Hex => quote!(rt::xs::HexBinary),
    }
}

/// The Rust type of a value.
pub fn ty_tokens(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Builtin(b) => builtin_tokens(*b),
        Ty::Named(name) => {
            let name = format_ident!("{}", name);
            quote!(#name)
        }
        Ty::List(item) => {
            let item = ty_tokens(item);
            quote!(Vec<#item>)
        }
        Ty::Collection { item, marker } => {
            let item = ty_tokens(item);
            match marker {
                Some(marker) => {
                    let marker = format_ident!("{}", marker);
                    quote!(rt::Collection<#item, #marker>)
                }
                None => quote!(rt::Collection<#item>),
            }
        }
        Ty::AnyElement => quote!(rt::AnyElement),
        Ty::External(path) => path
            .parse()
            .unwrap_or_else(|_| quote!(::core::compile_error!("invalid type override path"))),
    }
}

fn field_tokens(f: &Field, lookup: &Lookup, flatten_attributes: bool) -> TokenStream {
    let name: syn::Ident = rust_ident(&f.name);
    let doc = doc_attrs(&f.doc);
    let inner = ty_tokens(&f.ty);
    let inner = if f.boxed { quote!(Box<#inner>) } else { inner };
    let ty = match f.card {
        Card::One => inner,
        Card::Optional => quote!(Option<#inner>),
        Card::Many => quote!(Vec<#inner>),
    };
    let rename = match f.place {
        Place::Element => f.xml.clone(),
        Place::Attribute => format!("@{}", f.xml),
        Place::Text => "$text".to_owned(),
        Place::Choice | Place::AnyElements => "$value".to_owned(),
        Place::AnyAttributes if !flatten_attributes => {
            // Kept by the event reader only (see the struct).
            return quote! {
                #doc
                #[serde(skip)]
                pub #name: Vec<(String, String)>,
            };
        }
        Place::AnyAttributes => {
            let path = xml_path("serde_text::any_attributes");
            return quote! {
                #doc
                #[serde(flatten, with = #path)]
                pub #name: Vec<(String, String)>,
            };
        }
    };
    let text = lookup.is_text(&f.ty);
    let list = lookup.is_list(&f.ty);
    let adapter = match (text, list, f.card) {
        (true, _, Card::One) => Some("req"),
        (true, _, Card::Optional) => Some("opt"),
        (true, _, Card::Many) => Some("vec"),
        (false, true, Card::One) => Some("list"),
        (false, true, Card::Optional) => Some("list_opt"),
        _ => None,
    };
    let mut with = adapter.map(|a| {
        let path = xml_path(&format!("serde_text::{a}"));
        quote!(with = #path,)
    });
    if f.place == Place::Element && f.ty == Ty::AnyElement && !f.boxed {
        // An `xs:anyType` element: the field names the element, the value is its content.
        let module = match f.card {
            Card::One => "",
            Card::Optional => "::opt",
            Card::Many => "::vec",
        };
        let path = xml_path(&format!("any_content{module}"));
        with = Some(quote!(with = #path,));
    }
    // A required nillable element: `None` is `xsi:nil`, and must be written as such.
    let nil = writes_nil(f, lookup);
    if nil {
        let module = if text { "nil" } else { "nil_element" };
        let path = xml_path(&format!("serde_text::{module}"));
        with = Some(quote!(with = #path,));
    }
    // Text content that is a string may be empty (`<Criteria field="tags" operator="NONE"/>`): quick-xml
    // reports no `$text` at all then, which is the empty string, not a missing value.
    let empty_text =
        f.place == Place::Text && lookup.is_enum_or_string(&f.ty) && !matches!(f.ty, Ty::Named(_));
    let presence = match f.card {
        _ if nil => quote!(default,),
        Card::One if empty_text => quote!(default,),
        Card::One => quote!(),
        Card::Optional => quote!(default, skip_serializing_if = "Option::is_none",),
        Card::Many => quote!(default, skip_serializing_if = "Vec::is_empty",),
    };
    quote! {
        #doc
        #[serde(rename = #rename, #presence #with)]
        pub #name: #ty,
    }
}

/// The path of runtime item `item` as generated code names it, as a string for `#[serde(with = ...)]`.
fn xml_path(item: &str) -> String {
    format!("rt::{item}")
}

/// Whether field `f` is a required nillable element whose `None` is written as `xsi:nil`.
fn writes_nil(f: &Field, lookup: &Lookup) -> bool {
    f.nillable
        && f.place == Place::Element
        && f.card == Card::Optional
        && f.occurs.min >= 1
        && !lookup.is_list(&f.ty)
        && !(lookup.is_text(&f.ty) && f.boxed)
        && f.ty != Ty::AnyElement
}

/// `fn <field>_or_default(&self) -> T` for an optional field with a schema `default=` (or `fixed=`) value the
/// generator can turn into a Rust value: absent reads as the schema says it means.
fn default_accessor(f: &Field, lookup: &Lookup) -> Option<TokenStream> {
    let value = f.default.as_ref().or(f.fixed.as_ref())?;
    if f.card != Card::Optional || f.boxed {
        return None;
    }
    let name: syn::Ident = rust_ident(&f.name);
    let method = format_ident!("{}_or_default", f.name.trim_start_matches("r#"));
    let text = value.trim();
    let copy = matches!(f.ty, Ty::Builtin(_)) && f.ty != Ty::Builtin(Builtin::String);
    let (ty, expr) = match &f.ty {
        Ty::Builtin(Builtin::String) => (quote!(String), quote!(#value.to_owned())),
        Ty::Builtin(Builtin::Bool) => {
            let b = match text {
                "true" | "1" => true,
                "false" | "0" => false,
                _ => return None,
            };
            (quote!(bool), quote!(#b))
        }
        Ty::Builtin(
            b @ (Builtin::I8
            | Builtin::I16
            | Builtin::I32
            | Builtin::I64
            | Builtin::U8
            | Builtin::U16
            | Builtin::U32
            | Builtin::U64),
        ) => {
            let literal: TokenStream = text.trim_start_matches('+').parse().ok()?;
            let lit: syn::LitInt = syn::parse2(literal).ok()?;
            let ty = builtin_tokens(*b);
            // The literal must fit the type: let rustc's own parse decide at generation time.
            let fits = match b {
                Builtin::I8 => lit.base10_parse::<i8>().is_ok(),
                Builtin::I16 => lit.base10_parse::<i16>().is_ok(),
                Builtin::I32 => lit.base10_parse::<i32>().is_ok(),
                Builtin::I64 => lit.base10_parse::<i64>().is_ok(),
                Builtin::U8 => lit.base10_parse::<u8>().is_ok(),
                Builtin::U16 => lit.base10_parse::<u16>().is_ok(),
                Builtin::U32 => lit.base10_parse::<u32>().is_ok(),
                _ => lit.base10_parse::<u64>().is_ok(),
            };
            if !fits {
                return None;
            }
            (ty, quote!(#lit))
        }
        Ty::Named(n) if matches!(lookup.kind(n), Some(ItemKind::Enum(_))) => {
            let ty = format_ident!("{}", n);
            (
                quote!(#ty),
                quote!({
                    let Ok(value) = #value.parse::<#ty>();
                    value
                }),
            )
        }
        _ => return None,
    };
    let doc = format!(
        " `{}`, or `{value}` (the schema's value) when absent.",
        f.xml
    );
    let body = if copy {
        quote!(self.#name.unwrap_or(#expr))
    } else {
        quote!(self.#name.clone().unwrap_or_else(|| #expr))
    };
    Some(quote! {
        #[doc = #doc]
        pub fn #method(&self) -> #ty {
            #body
        }
    })
}

/// How the occurrences of repeated field `f` are counted, where the schema bounds them: one per item, or (a
/// repeated sequence: its list's name and first variant) one per item of the variant each occurrence begins with. `None`: nothing to check, or
/// nothing to count by (mixed content, a sequence that may begin with different elements).
fn counted_occurrences<'l>(
    f: &Field,
    lookup: &Lookup<'l>,
) -> Option<Option<(&'l str, &'l crate::ir::ChoiceVariant)>> {
    if f.card != Card::Many || (f.occurs.min == 0 && f.occurs.max.is_none()) {
        return None;
    }
    let list = match (f.place, &f.ty) {
        (Place::Choice, Ty::Named(name)) => lookup.items.get(name.as_str()).copied(),
        _ => None,
    };
    match list.map(|item| (item, &item.kind)) {
        Some((item, ItemKind::Choice(c))) => match c.occurrence {
            Occurrence::Each => Some(None),
            Occurrence::StartsWith(i) => Some(Some((item.name.as_str(), &c.variants[i]))),
            Occurrence::Uncounted => None,
        },
        _ => Some(None),
    }
}

/// The checks of field `f` in its struct's `validate()`: its value's (when that can fail) and its number.
fn field_validation(f: &Field, lookup: &Lookup) -> Option<TokenStream> {
    if f.place == Place::AnyAttributes {
        return None;
    }
    let name: syn::Ident = rust_ident(&f.name);
    let xml = &f.xml;
    let mut out = TokenStream::new();
    if lookup.checks(&f.ty) {
        out.extend(quote! {
            rt::validate_at(&self.#name, #xml)?;
        });
    }
    if let Some(by) = counted_occurrences(f, lookup) {
        let min = f.occurs.min as usize;
        let max = match f.occurs.max {
            Some(max) => {
                let max = max as usize;
                quote!(Some(#max))
            }
            None => quote!(None),
        };
        let (what, count) = match by {
            None => (xml.clone(), quote!(self.#name.len())),
            Some((list, first)) => {
                let (ty, variant) = (format_ident!("{}", list), format_ident!("{}", first.name));
                (
                    first.xml.clone(),
                    quote!(self.#name.iter().filter(|item| matches!(item, #ty::#variant(..))).count()),
                )
            }
        };
        out.extend(quote! {
            rt::check_occurs(#what, #count, #min, #max)?;
        });
    }
    (!out.is_empty()).then_some(out)
}

fn enum_tokens(name: &syn::Ident, doc: &TokenStream, xml: &str, e: &Enum) -> TokenStream {
    let other = format_ident!("{}", e.other);
    let variants = e.variants.iter().map(|(v, value, vdoc)| {
        let v = format_ident!("{}", v);
        let text = match vdoc {
            Some(d) => format!("`{value}`: {d}"),
            None => format!("`{value}`"),
        };
        let d = doc_attrs(&text);
        quote!(#d #v,)
    });
    let as_str = e.variants.iter().map(|(v, value, _)| {
        let v = format_ident!("{}", v);
        quote!(Self::#v => #value,)
    });
    let from_str = e.variants.iter().map(|(v, value, _)| {
        let v = format_ident!("{}", v);
        quote!(#value => Self::#v,)
    });
    let values = e.variants.iter().map(|(_, value, _)| value);
    let mut names: Vec<&str> = e.variants.iter().map(|(v, _, _)| v.as_str()).collect();
    names.push(&e.other);
    let allow = variant_names_allow(&name.to_string(), &names);
    quote! {
        #doc
        #allow
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            /// A value the schema does not list, kept as the server sent it.
            #other(String),
        }

        impl #name {
            /// The values the schema lists, in schema order.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The XML text of the value.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#other(value) => value,
                }
            }
        }

        impl ::core::str::FromStr for #name {
            type Err = ::core::convert::Infallible;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Ok(match text {
                    #(#from_str)*
                    other => Self::#other(other.to_owned()),
                })
            }
        }

        rt::xml_enum!(#name, #other, #xml);
    }
}

fn choice_tokens(name: &syn::Ident, doc: &TokenStream, c: &Choice, lookup: &Lookup) -> TokenStream {
    let variants = c.variants.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        let vdoc = doc_attrs(&v.doc);
        let xml = &v.xml;
        let inner = ty_tokens(&v.ty);
        let inner = if v.boxed { quote!(Box<#inner>) } else { inner };
        let with = lookup.is_text(&v.ty).then(|| {
            let path = xml_path("serde_text::req");
            quote!(, with = #path)
        });
        quote! {
            #vdoc
            #[serde(rename = #xml #with)]
            #vname(#inner),
        }
    });
    let validations = c.variants.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        let xml = &v.xml;
        quote!(Self::#vname(value) => rt::validate_at(value, #xml),)
    });
    let names: Vec<&str> = c.variants.iter().map(|v| v.name.as_str()).collect();
    let allow = variant_names_allow(&name.to_string(), &names);
    quote! {
        #doc
        #allow
        #[derive(Debug, Clone, PartialEq, rt::serde::Serialize, rt::serde::Deserialize)]
        #[serde(crate = "rt::serde")]
        pub enum #name {
            #(#variants)*
        }

        impl rt::Validate for #name {
            fn validate(&self) -> Result<(), rt::FacetError> {
                match self {
                    #(#validations)*
                }
            }
        }
    }
}

/// `#[allow(clippy::enum_variant_names)]` where the variants, named after the schema's element names or values,
/// share a first or last word, or repeat the enum's name: the names mirror the schema, which cannot be changed.
fn variant_names_allow(enum_name: &str, variants: &[&str]) -> Option<TokenStream> {
    fn words(name: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, c) in name.char_indices().skip(1) {
            if c.is_uppercase() {
                out.push(&name[start..i]);
                start = i;
            }
        }
        out.push(&name[start..]);
        out
    }
    fn same(words: &[Option<&str>]) -> bool {
        matches!(words.first(), Some(Some(_))) && words.iter().all(|w| *w == words[0])
    }
    // The first and the last word of each variant (of two words or more).
    let split: Vec<Vec<&str>> = variants.iter().map(|v| words(v)).collect();
    let firsts: Vec<Option<&str>> = split.iter().map(|w| (w.len() > 1).then(|| w[0])).collect();
    let lasts: Vec<Option<&str>> = split
        .iter()
        .map(|w| (w.len() > 1).then(|| w[w.len() - 1]))
        .collect();
    let repeats = variants
        .iter()
        .any(|v| v.len() > enum_name.len() && (v.starts_with(enum_name) || v.ends_with(enum_name)));
    let lint = (variants.len() >= 3 && (same(&firsts) || same(&lasts))) || repeats;
    lint.then(|| quote!(#[allow(clippy::enum_variant_names)]))
}

fn newtype_tokens(name: &syn::Ident, doc: &TokenStream, xml: &str, n: &Newtype) -> TokenStream {
    let inner = ty_tokens(&n.inner);
    let f = &n.facets;
    let mut checks = Vec::new();
    let is_len = matches!(
        n.inner,
        Ty::Builtin(Builtin::String | Builtin::Base64 | Builtin::Hex)
    );
    if is_len {
        let len = match n.inner {
            Ty::Builtin(Builtin::String) => quote!(value.chars().count()),
            _ => quote!(value.0.len()),
        };
        for (facet, bound, cmp) in [
            ("length", f.length, quote!(!=)),
            ("minLength", f.min_length, quote!(<)),
            ("maxLength", f.max_length, quote!(>)),
        ] {
            if let Some(bound) = bound {
                let bound = bound as usize;
                checks.push(quote! {
                    if #len #cmp #bound {
                        return Err(rt::FacetError::new(#xml, #facet, &rt::XmlText::to_xml_text(value)));
                    }
                });
            }
        }
    }
    for (i, pattern) in f.patterns.iter().enumerate() {
        let stat = format_ident!("PATTERN_{}", i);
        checks.push(quote! {
            static #stat: rt::Pattern = rt::Pattern::new(#pattern);
            let text = rt::XmlText::to_xml_text(value);
            if !#stat.is_match(&text) {
                return Err(rt::FacetError::new(#xml, "pattern", &text));
            }
        });
    }
    for (facet, bound, cmp) in [
        ("minInclusive", &f.min_inclusive, quote!(<)),
        ("maxInclusive", &f.max_inclusive, quote!(>)),
        ("minExclusive", &f.min_exclusive, quote!(<=)),
        ("maxExclusive", &f.max_exclusive, quote!(>=)),
    ] {
        if let Some(bound) = bound {
            checks.push(quote! {
                let bound = <#inner as rt::XmlText>::from_xml_text(#bound).ok();
                if bound.is_some_and(|bound| *value #cmp bound) {
                    return Err(rt::FacetError::new(#xml, #facet, &rt::XmlText::to_xml_text(value)));
                }
            });
        }
    }
    if f.total_digits.is_some() || f.fraction_digits.is_some() {
        let total = match f.total_digits {
            Some(t) => quote!(Some(#t)),
            None => quote!(None),
        };
        let fraction = match f.fraction_digits {
            Some(t) => quote!(Some(#t)),
            None => quote!(None),
        };
        checks.push(quote! {
            rt::check_digits(#xml, &rt::XmlText::to_xml_text(value), #total, #fraction)?;
        });
    }
    let facet_doc = facet_summary(f);
    let facet_doc = doc_attrs(&format!("\nChecked facets: {facet_doc}."));
    quote! {
        #doc
        #facet_doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name(#inner);

        impl #name {
            /// Checks the schema's facets and wraps the value.
            pub fn new(value: #inner) -> Result<Self, rt::FacetError> {
                Self::check(&value)?;
                Ok(Self(value))
            }

            /// The wrapped value.
            pub fn get(&self) -> &#inner {
                &self.0
            }

            /// Unwraps the value.
            pub fn into_inner(self) -> #inner {
                self.0
            }

            fn check(value: &#inner) -> Result<(), rt::FacetError> {
                let _ = value;
                #(#checks)*
                Ok(())
            }
        }

        impl rt::XmlText for #name {
            const XSD_TYPE: &'static str = #xml;
            fn from_xml_text(text: &str) -> Result<Self, rt::TextError> {
                let value = <#inner as rt::XmlText>::from_xml_text(text)?;
                Self::new(value).map_err(|e| rt::TextError::new(#xml, text).because(e.to_string()))
            }
            fn to_xml_text(&self) -> ::std::borrow::Cow<'_, str> {
                rt::XmlText::to_xml_text(&self.0)
            }
            fn empty_is_absent() -> bool {
                <#inner as rt::XmlText>::empty_is_absent()
            }
        }

        impl rt::Validate for #name {
            fn validate(&self) -> Result<(), rt::FacetError> {
                Self::check(&self.0)
            }
        }

        rt::xml_text_serde!(#name);
    }
}

fn facet_summary(f: &crate::xsd::Facets) -> String {
    let mut parts = Vec::new();
    let mut add = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            parts.push(format!("{name} `{value}`"));
        }
    };
    add("length", f.length.map(|v| v.to_string()));
    add("minLength", f.min_length.map(|v| v.to_string()));
    add("maxLength", f.max_length.map(|v| v.to_string()));
    for p in &f.patterns {
        add("pattern", Some(p.clone()));
    }
    add("minInclusive", f.min_inclusive.clone());
    add("maxInclusive", f.max_inclusive.clone());
    add("minExclusive", f.min_exclusive.clone());
    add("maxExclusive", f.max_exclusive.clone());
    add("totalDigits", f.total_digits.map(|v| v.to_string()));
    add("fractionDigits", f.fraction_digits.map(|v| v.to_string()));
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

fn union_tokens(
    name: &syn::Ident,
    doc: &TokenStream,
    xml: &str,
    u: &Union,
    lookup: &Lookup,
) -> TokenStream {
    let variants = u.members.iter().map(|(v, ty)| {
        let v = format_ident!("{}", v);
        let ty = ty_tokens(ty);
        quote!(#[doc = " A value of this member type."] #v(#ty),)
    });
    // A member that is an `xs:list` is a `Vec` of its items, read and written as the items separated by spaces.
    let parses = u.members.iter().map(|(v, ty)| {
        let v = format_ident!("{}", v);
        if lookup.is_list(ty) {
            return quote! {
                if let Ok(value) = rt::text_list(text) {
                    return Ok(Self::#v(value));
                }
            };
        }
        let ty = ty_tokens(ty);
        quote! {
            if let Ok(value) = <#ty as rt::XmlText>::from_xml_text(text) {
                return Ok(Self::#v(value));
            }
        }
    });
    let writes = u.members.iter().map(|(v, ty)| {
        let v = format_ident!("{}", v);
        if lookup.is_list(ty) {
            quote!(Self::#v(value) => ::std::borrow::Cow::Owned(rt::list_text(value)),)
        } else {
            quote!(Self::#v(value) => rt::XmlText::to_xml_text(value),)
        }
    });
    let validates = u.members.iter().map(|(v, _)| {
        let v = format_ident!("{}", v);
        quote!(Self::#v(value) => rt::Validate::validate(value),)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        impl rt::XmlText for #name {
            const XSD_TYPE: &'static str = #xml;
            fn from_xml_text(text: &str) -> Result<Self, rt::TextError> {
                #(#parses)*
                Err(rt::TextError::new(#xml, text).because("no member type of the union accepts it"))
            }
            fn to_xml_text(&self) -> ::std::borrow::Cow<'_, str> {
                match self {
                    #(#writes)*
                }
            }
        }

        impl rt::Validate for #name {
            fn validate(&self) -> Result<(), rt::FacetError> {
                match self {
                    #(#validates)*
                }
            }
        }

        rt::xml_text_serde!(#name);
    }
}

/// Parses tokens into a file and prints it.
pub fn render(tokens: TokenStream, module: &str) -> Result<String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Emit {
        module: module.to_owned(),
        message: e.to_string(),
    })?;
    Ok(prettyplease::unparse(&file))
}

/// The identifier `name` (a raw one for `r#type` and the like). Names reach here from `ir::names`, which makes
/// them identifiers; building the token directly spares a trip through the lexer.
pub fn rust_ident(name: &str) -> syn::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => syn::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => syn::Ident::new(name, proc_macro2::Span::call_site()),
    }
}
