//! Structs: fields with their serde attributes, the checks of `validate()`, and the accessors of schema
//! defaults.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{
    Paths, builtin_tokens, doc_attrs, namespaces, root_element, rust_ident, ty_tokens, xml_path,
};
use crate::ir::{
    Builtin, Card, Field, Item, ItemKind, Lookup, Place, Struct, Ty, WhiteSpace,
    counted_occurrences,
};

/// A struct: the type with its serde attributes, its `Validate`, its `ElementName` and `XmlValue`, its
/// `RootElement` where it is a document root, and the accessors of schema defaults.
pub(super) fn struct_tokens(
    item: &Item,
    s: &Struct,
    name: &syn::Ident,
    doc: &TokenStream,
    lookup: &Lookup,
    paths: &Paths,
) -> TokenStream {
    let xml = &item.xml_name;
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
    let (mut fields, namespace_fns): (Vec<TokenStream>, Vec<TokenStream>) = s
        .fields
        .iter()
        .map(|f| field_tokens(name, f, lookup, flatten_attributes))
        .unzip();
    if let Some(unknown) = &s.unknown {
        let any_attributes = s.fields.iter().any(|f| f.place == Place::AnyAttributes);
        fields.push(unknown_field(unknown, flatten_attributes, any_attributes));
    }
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
        root_element(
            name,
            root,
            item.root_namespace.as_ref(),
            &lookup.attribute_namespaces(),
        )
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
        #(#namespace_fns)*
    }
}

/// The field keeping the content the schema does not declare ([`crate::Builder::keep_unknown`]). serde writes
/// and reads it as the struct's own attributes and elements where it can flatten it (`flatten`, as for
/// `xs:anyAttribute`); beside text, a choice or a wildcard, quick-xml would hand it those too, so it is kept by the
/// event reader only there.
fn unknown_field(name: &str, flatten: bool, any_attributes: bool) -> TokenStream {
    let field = rust_ident(name);
    let serde = if flatten {
        let path = if any_attributes {
            xml_path("unknown_elements")
        } else {
            xml_path("unknown_entries")
        };
        quote!(#[serde(flatten, with = #path)])
    } else {
        quote! {
            ///
            /// serde skips them here (beside text, a choice or `xs:any`, quick-xml would hand them the declared
            /// content too): read with `read_document`, write with `write_document`.
            #[serde(skip)]
        }
    };
    quote! {
        /// Child elements and attributes the schema does not declare, kept as they came, in document order.
        #serde
        pub #field: rt::Unknown,
    }
}

/// A field with its serde attributes, and the function serde writes it through where it is an element written in
/// its namespace.
fn field_tokens(
    item: &syn::Ident,
    f: &Field,
    lookup: &Lookup,
    flatten_attributes: bool,
) -> (TokenStream, TokenStream) {
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
            let note = doc_attrs(
                "\nserde skips these attributes here (beside text, a choice or `xs:any`, quick-xml would hand \
                 them the elements too): read with `read_document`, write with `write_document`.",
            );
            let field = quote! {
                #doc
                #note
                #[serde(skip)]
                pub #name: Vec<(String, String)>,
            };
            return (field, TokenStream::new());
        }
        Place::AnyAttributes => {
            let path = xml_path("serde_text::any_attributes");
            let note = doc_attrs(
                "\nserde keys a namespace-qualified attribute by its local name (`read_document` keys it \
                 `{uri}local`): quick-xml's deserializer leaves out attribute prefixes.",
            );
            let field = quote! {
                #doc
                #note
                #[serde(flatten, with = #path)]
                pub #name: Vec<(String, String)>,
            };
            return (field, TokenStream::new());
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
        // A repeated list-typed element: one element per list, each its items' text.
        (false, true, Card::Many) => Some("vec"),
        _ => None,
    };
    // A string whose text follows its `whiteSpace` facet has adapters of its own.
    let white_space = match lookup.white_space(&f.ty).filter(|_| text) {
        Some(WhiteSpace::Preserve) => "preserve::",
        Some(WhiteSpace::Replace) => "replace::",
        Some(WhiteSpace::Collapse) => "collapse::",
        None => "",
    };
    let mut with = adapter.map(|a| {
        // Attributes of such a type write tabs and line ends as references.
        let a = match (a, f.place) {
            ("req", Place::Attribute) if !white_space.is_empty() => "attribute",
            ("opt", Place::Attribute) if !white_space.is_empty() => "attribute_opt",
            _ => a,
        };
        let a = if text {
            format!("{white_space}{a}")
        } else {
            a.to_owned()
        };
        xml_path(&format!("serde_text::{a}"))
    });
    if f.place == Place::Element && f.ty == Ty::AnyElement && !f.boxed {
        // An `xs:anyType` element: the field names the element, the value is its content.
        let module = match f.card {
            Card::One => "",
            Card::Optional => "::opt",
            Card::Many => "::vec",
        };
        with = Some(xml_path(&format!("any_content{module}")));
    }
    if f.place == Place::Choice && lookup.is_open_choice(&f.ty) {
        // A list with an `xs:any` variant (see `OpenChoice` in the choice).
        with = Some(xml_path("open_list"));
    }
    // Mixed content: text items written through the path quick-xml's serializer takes (see `rt::mixed_list`).
    let mixed = f.place == Place::Choice
        && f.card == Card::Many
        && !lookup.is_open_choice(&f.ty)
        && lookup.is_mixed_choice(&f.ty);
    if mixed {
        with = None;
    }
    // A required nillable element: `None` is `xsi:nil`, and must be written as such.
    let nil = writes_nil(f, lookup);
    if nil {
        let module = if text {
            format!("{white_space}nil")
        } else {
            "nil_element".to_owned()
        };
        with = Some(xml_path(&format!("serde_text::{module}")));
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
    // quick-xml's deserializer names attributes by local name; the serializer writes the name as given.
    let rename_attr = match (&f.namespace, f.place) {
        (Some(_), Place::Attribute) => {
            let written = format!("@{}", f.written_name());
            quote!(rename(serialize = #written, deserialize = #rename))
        }
        _ => quote!(rename = #rename),
    };
    let (with, namespace_fn) = match with {
        _ if mixed => {
            let path = xml_path("mixed_list::serialize");
            (quote!(serialize_with = #path,), TokenStream::new())
        }
        _ if f.place == Place::Element && lookup.namespaced() => {
            let deserialize = with.as_ref().map(|w| {
                let w = format!("{w}::deserialize");
                quote!(deserialize_with = #w,)
            });
            if writes_through_marker(f, lookup) {
                // The runtime's adapters and plain values have a `serialize_in` generic over the namespace.
                let marker = namespaces::marker(&f.namespace);
                let path = match with.as_deref() {
                    None => format!("rt::serialize_in::<{marker}, _, _>"),
                    Some(w) => format!("{w}::serialize_in::<{marker}, _, _>"),
                };
                (
                    quote!(serialize_with = #path, #deserialize),
                    TokenStream::new(),
                )
            } else {
                let f_name = in_namespace_fn(item, &f.name);
                let path = f_name.to_string();
                let function = in_namespace_function(&f_name, &f.namespace, &ty, with.as_deref());
                (quote!(serialize_with = #path, #deserialize), function)
            }
        }
        Some(path) => (quote!(with = #path,), TokenStream::new()),
        None => (TokenStream::new(), TokenStream::new()),
    };
    let field = quote! {
        #doc
        #[serde(#rename_attr, #presence #with)]
        pub #name: #ty,
    };
    (field, namespace_fn)
}

/// The name of the function serde writes element `field` of `item` (a struct or a choice) through.
pub(super) fn in_namespace_fn(item: &syn::Ident, field: &str) -> syn::Ident {
    use heck::ToSnakeCase;
    format_ident!(
        "{}_{}_in_namespace",
        item.to_string().to_snake_case(),
        field.trim_start_matches("r#").to_snake_case()
    )
}

/// `fn name(value: &ty, serializer)`: writes an element in `namespace` through the adapter `with` (a module
/// path) or the value's own `Serialize`.
pub(super) fn in_namespace_function(
    name: &syn::Ident,
    namespace: &Option<String>,
    ty: &TokenStream,
    with: Option<&str>,
) -> TokenStream {
    let namespace = match namespace {
        Some(ns) => quote!(Some(#ns)),
        None => quote!(None),
    };
    let write = match with {
        Some(path) => {
            let path: TokenStream = path.parse().expect("a module path");
            quote!(#path::serialize(value, serializer))
        }
        None => quote!(rt::serde::Serialize::serialize(value, serializer)),
    };
    // serde hands the field as it is declared (`&Vec<T>`, `&Option<T>`, `&Box<T>`).
    quote! {
        #[allow(clippy::ptr_arg, clippy::ref_option, clippy::borrowed_box)]
        fn #name<S: rt::serde::Serializer>(value: &#ty, serializer: S) -> Result<S::Ok, S::Error> {
            rt::serialize_element_in(#namespace, serializer, |serializer| #write)
        }
    }
}

/// Whether serde writes field `f` through the marker type of its namespace (see `namespaces`): in a module
/// written in namespaces, every element but an `xs:anyType` one (`any_content`) and a required nillable one that
/// is not text (`nil_element`), whose adapters have no `serialize_in`: those get a function of their own.
pub(super) fn writes_through_marker(f: &Field, lookup: &Lookup) -> bool {
    let any_content = f.ty == Ty::AnyElement && !f.boxed;
    let nil_element = writes_nil(f, lookup) && !lookup.is_text(&f.ty);
    f.place == Place::Element && lookup.namespaced() && !any_content && !nil_element
}

/// Whether field `f` is a required nillable element whose `None` is written as `xsi:nil`.
pub(super) fn writes_nil(f: &Field, lookup: &Lookup) -> bool {
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
    let copy = matches!(f.ty, Ty::Builtin(b) if !b.is_string());
    let (ty, expr) = match &f.ty {
        Ty::Builtin(b) if b.is_string() => (quote!(String), quote!(#value.to_owned())),
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
