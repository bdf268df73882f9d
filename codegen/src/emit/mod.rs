//! Stage 3: Rust tokens for the IR, printed with prettyplease. Output is a pure function of the IR, so the same
//! schemas always give the same bytes. One file per construct: structs, choices, leaves (enumerations, newtypes,
//! unions), and each item's reader and writer.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::error::{Error, Result};
use crate::ir::{Builtin, Item, ItemKind, Lookup, Ty};

mod choices;
mod derived;
mod leaves;
mod namespaces;
mod reader;
mod structs;
mod writer;
/// How generated code refers to the runtime crate and the serde crate.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The runtime crate, e.g. `::qps_runtime`.
    pub runtime: TokenStream,
    /// Extra derives for structs.
    pub derives: Vec<TokenStream>,
    /// Whether structs and enums are `#[non_exhaustive]` ([`crate::Builder::non_exhaustive`]).
    pub non_exhaustive: bool,
}

impl Default for Paths {
    fn default() -> Self {
        Paths {
            runtime: quote!(::qps_runtime),
            derives: Vec::new(),
            non_exhaustive: false,
        }
    }
}

/// A document wrapper: a newtype over the element's type, with the element as its root.
pub fn document_tokens(document: &crate::ir::Document, lookup: &Lookup) -> TokenStream {
    let name = format_ident!("{}", document.name);
    let doc = doc_attrs(&document.doc);
    let root = &document.element;
    let inner = ty_tokens(&document.ty);
    let with = lookup.is_text_or_list(&document.ty).then(|| {
        let path = xml_path("serde_text::req");
        quote!(#[serde(with = #path)])
    });
    let root = root_element(
        &name,
        root,
        document.namespace.as_ref(),
        &lookup.attribute_namespaces(),
    );
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, rt::serde::Serialize, rt::serde::Deserialize)]
        #[serde(crate = "rt::serde", transparent)]
        pub struct #name(#with pub #inner);

        #root

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
    let mut doc = doc_attrs(&item.doc);
    let xml = &item.xml_name;
    if paths.non_exhaustive
        && matches!(
            item.kind,
            ItemKind::Struct(_)
                | ItemKind::Enum(_)
                | ItemKind::Choice(_)
                | ItemKind::Derived(_)
                | ItemKind::Union(_)
        )
    {
        doc.extend(quote!(#[non_exhaustive]));
    }
    let mut tokens = match &item.kind {
        ItemKind::Struct(s) => structs::struct_tokens(item, s, &name, &doc, lookup, paths),
        ItemKind::Enum(e) => leaves::enum_tokens(&name, &doc, xml, e),
        ItemKind::Choice(c) => choices::choice_tokens(&name, &doc, c, lookup),
        ItemKind::Derived(d) => derived::derived_tokens(&name, &doc, d, lookup),
        ItemKind::Newtype(n) => leaves::newtype_tokens(&name, &doc, xml, n, lookup),
        ItemKind::Union(u) => leaves::union_tokens(&name, &doc, xml, u, lookup),
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

pub(super) fn doc_attrs(doc: &str) -> TokenStream {
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

pub(super) fn builtin_tokens(b: Builtin) -> TokenStream {
    match b {
        Builtin::String | Builtin::NormalizedString | Builtin::Token | Builtin::Name => {
            quote!(String)
        }
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
        Builtin::NonNegativeInteger => quote!(rt::xs::NonNegativeInteger),
        Builtin::PositiveInteger => quote!(rt::xs::PositiveInteger),
        Builtin::NonPositiveInteger => quote!(rt::xs::NonPositiveInteger),
        Builtin::NegativeInteger => quote!(rt::xs::NegativeInteger),
        Builtin::Decimal => quote!(rt::xs::Decimal),
        Builtin::F32 => quote!(f32),
        Builtin::F64 => quote!(f64),
        Builtin::DateTime => quote!(rt::xs::XmlDateTime),
        Builtin::Date => quote!(rt::xs::XmlDate),
        Builtin::Time => quote!(rt::xs::XmlTime),
        Builtin::ChronoDateTime => quote!(rt::xs::DateTime),
        Builtin::ChronoDate => quote!(rt::xs::Date),
        Builtin::ChronoTime => quote!(rt::xs::Time),
        Builtin::Base64 => quote!(rt::xs::Base64Binary),
        Builtin::Hex => quote!(rt::xs::HexBinary),
        Builtin::QName => quote!(rt::xs::QName),
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

/// `#[allow(clippy::enum_variant_names)]` where the variants, named after the schema's element names or values,
/// share a first or last word, or repeat the enum's name: the names mirror the schema, which cannot be changed.
pub(super) fn variant_names_allow(enum_name: &str, variants: &[&str]) -> Option<TokenStream> {
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

/// The path of runtime item `item` as generated code names it, as a string for `#[serde(with = ...)]`.
pub(super) fn xml_path(item: &str) -> String {
    format!("rt::{item}")
}

/// `impl RootElement for name`: the document element `root`, in `namespace` (and whether local elements are
/// qualified) if any.
pub(crate) fn root_element(
    name: &syn::Ident,
    root: &str,
    namespace: Option<&(String, bool)>,
    prefixes: &[(String, String)],
) -> TokenStream {
    let prefixes = (!prefixes.is_empty()).then(|| {
        let pairs = prefixes.iter().map(|(prefix, uri)| quote!((#prefix, #uri)));
        quote!(const PREFIXES: &'static [(&'static str, &'static str)] = &[#(#pairs),*];)
    });
    let namespace = namespace.map(|(ns, qualified)| {
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
            #prefixes
        }
    }
}

/// The marker types of the namespaces the element fields and variants of `items` are written in through serde
/// (see `namespaces`): one declaration each, in the file that holds the items.
pub fn namespace_markers<'a, 'l: 'a>(
    items: impl IntoIterator<Item = (&'a Item, &'a Lookup<'l>)>,
) -> TokenStream {
    namespaces::markers(&namespaces::used(items))
}

/// Parses tokens into a file and prints it.
pub fn render(tokens: TokenStream, module: &str) -> Result<String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Emit {
        module: module.to_owned(),
        message: e.to_string(),
    })?;
    Ok(prettyplease::unparse(&file))
}

/// `text` (prettyplease's output) with a blank line between consecutive items at the same depth: between the
/// items of a file, of a module and of an impl, but not between fields, statements or `use` lines.
pub fn space_items(text: &str) -> String {
    fn indent(line: &str) -> usize {
        line.len() - line.trim_start().len()
    }
    fn starts_item(line: &str) -> bool {
        const STARTS: [&str; 14] = [
            "///", "#[", "pub ", "pub(", "impl ", "impl<", "fn ", "struct ", "enum ", "mod ",
            "const ", "static ", "type ", "trait ",
        ];
        let line = line.trim_start();
        STARTS.iter().any(|s| line.starts_with(s)) || is_macro_item(line)
    }
    // `rt::xml_enum!(...);` and the like, at item level.
    fn is_macro_item(line: &str) -> bool {
        line.split_once('!').is_some_and(|(path, rest)| {
            !path.is_empty()
                && path
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':')
                && rest.starts_with('(')
        })
    }
    fn ends_item(line: &str) -> bool {
        let line = line.trim();
        !line.starts_with("//")
            && !line.starts_with("#[")
            && (line.ends_with('}') || line.ends_with(';'))
    }
    fn is_use(line: &str) -> bool {
        let line = line.trim_start();
        line.starts_with("use ") || line.starts_with("pub use ")
    }
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous: Option<&str> = None;
    for line in text.lines() {
        if let Some(prev) = previous
            && !prev.trim().is_empty()
            && indent(prev) == indent(line)
            && ends_item(prev)
            && starts_item(line)
            && !(is_use(prev) && is_use(line))
        {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

/// The identifier `name` (a raw one for `r#type` and the like). Names reach here from `ir::names`, which makes
/// them identifiers; building the token directly spares a trip through the lexer.
pub fn rust_ident(name: &str) -> syn::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => syn::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => syn::Ident::new(name, proc_macro2::Span::call_site()),
    }
}
