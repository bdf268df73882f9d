//! Choices: an enum with a variant per element (a choice, or an item of a list of elements in document order).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, namespaces, ty_tokens, variant_names_allow, xml_path};
use crate::ir::{ANY_VARIANT, Choice, ChoiceVariant, Lookup, Ty, WhiteSpace};

pub(super) fn choice_tokens(
    name: &syn::Ident,
    doc: &TokenStream,
    c: &Choice,
    lookup: &Lookup,
) -> TokenStream {
    let variants = c.variants.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        let vdoc = doc_attrs(&v.doc);
        let xml = &v.xml;
        let inner = ty_tokens(&v.ty);
        let inner = if v.boxed { quote!(Box<#inner>) } else { inner };
        let adapter = text_adapter(v, lookup);
        let with = match adapter {
            // An element of `xs:anyType`: the variant names the element, the value is its content (written as
            // such; the derived impl would nest a second enum variant, which quick-xml refuses).
            _ if untyped(v) => {
                let write = xml_path("any_content::serialize");
                let read = content_fn(name, &v.name).to_string();
                Some(quote!(, serialize_with = #write, deserialize_with = #read))
            }
            // Elements are written in their namespace (through serde, a function per variant).
            _ if writes_through_marker(v, lookup) => {
                let marker = namespaces::marker(&v.namespace);
                let path = match &adapter {
                    Some(w) => format!("{w}::serialize_in::<{marker}, _, _>"),
                    None => format!("rt::serialize_in::<{marker}, _, _>"),
                };
                let deserialize = adapter.map(|w| {
                    let w = format!("{w}::deserialize");
                    quote!(, deserialize_with = #w)
                });
                Some(quote!(, serialize_with = #path #deserialize))
            }
            Some(path) => Some(quote!(, with = #path)),
            None => None,
        };
        if v.xml == ANY_VARIANT {
            // Read and written through `rt::open_list` (see `OpenChoice` below).
            return quote! {
                #vdoc
                #[serde(skip)]
                #vname(#inner),
            };
        }
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
    // Mixed content: which items are text, for writing the list through serde (`rt::mixed_list`).
    let text_variant = c
        .variants
        .iter()
        .find(|v| v.xml == "$text")
        .map(|v| format_ident!("{}", v.name));
    let is_text = text_variant.as_ref().map(|text| {
        quote! {
            fn is_text(&self) -> bool {
                matches!(self, Self::#text(_))
            }
        }
    });
    // serde's derive gives no variant the names the others do not take: a list with a wildcard variant is
    // read through `rt::open_list`, which asks the enum which names it knows.
    let open = c.variants.iter().find(|v| v.xml == ANY_VARIANT).map(|any| {
        let variant = format_ident!("{}", any.name);
        let known = c
            .variants
            .iter()
            .filter(|v| v.xml != ANY_VARIANT)
            .map(|v| v.xml.as_str());
        quote! {
            impl rt::OpenChoice for #name {
                const KNOWN: &'static [&'static str] = &[#(#known),*];
                fn any(element: rt::AnyElement) -> Self {
                    Self::#variant(element)
                }
                fn as_any(&self) -> Option<&rt::AnyElement> {
                    match self {
                        Self::#variant(element) => Some(element),
                        _ => None,
                    }
                }
                #is_text
            }
        }
    });
    // What serde does with mixed content, said where users meet it.
    let text_note = text_variant.as_ref().map(|_| {
        quote! {
            #[doc = ""]
            #[doc = " serde reads and writes a list of these, text included (text items are written after an empty \
                     string item, see `rt::mixed_list`); quick-xml's deserializer drops text that is only whitespace, \
                     which the event reader (`read_document`) keeps."]
        }
    });
    let mixed = match (
        &text_variant,
        c.variants.iter().any(|v| v.xml == ANY_VARIANT),
    ) {
        (Some(_), false) => Some(quote! {
            impl rt::MixedChoice for #name {
                #is_text
            }
        }),
        _ => None,
    };
    // Elements of `xs:anyType`: read as content, named after the variant's element.
    let content_fns = c.variants.iter().filter(|v| untyped(v)).map(|v| {
        let f = content_fn(name, &v.name);
        let xml = &v.xml;
        quote! {
            fn #f<'de, D: rt::serde::Deserializer<'de>>(deserializer: D) -> Result<rt::AnyElement, D::Error> {
                rt::any_content::deserialize_named(deserializer, #xml)
            }
        }
    });
    let names: Vec<&str> = c.variants.iter().map(|v| v.name.as_str()).collect();
    let allow = variant_names_allow(&name.to_string(), &names);
    quote! {
        #doc
        #text_note
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

        #open
        #mixed
        #(#content_fns)*
    }
}

/// The serde adapter of a variant holding text (or a list), by its `whiteSpace` facet.
fn text_adapter(v: &ChoiceVariant, lookup: &Lookup) -> Option<String> {
    lookup.is_text_or_list(&v.ty).then(|| {
        xml_path(match lookup.white_space(&v.ty) {
            Some(WhiteSpace::Preserve) => "serde_text::preserve::req",
            Some(WhiteSpace::Replace) => "serde_text::replace::req",
            Some(WhiteSpace::Collapse) => "serde_text::collapse::req",
            None => "serde_text::req",
        })
    })
}

/// Whether variant `v` is an element of `xs:anyType` (not the wildcard's variant).
/// Whether serde writes variant `v` through the marker type of its namespace (see `namespaces`): in a module
/// written in namespaces, every element variant but an `xs:anyType` one (written as its content).
pub(super) fn writes_through_marker(v: &ChoiceVariant, lookup: &Lookup) -> bool {
    lookup.namespaced() && v.xml != ANY_VARIANT && v.xml != "$text" && !untyped(v)
}

fn untyped(v: &ChoiceVariant) -> bool {
    v.ty == Ty::AnyElement && !v.boxed && v.xml != ANY_VARIANT
}

/// The serde `deserialize_with` function of variant `variant` of choice `choice`, an element of `xs:anyType`.
fn content_fn(choice: &syn::Ident, variant: &str) -> syn::Ident {
    use heck::ToSnakeCase;
    format_ident!(
        "{}_{}_content",
        choice.to_string().to_snake_case(),
        variant.to_snake_case()
    )
}
