//! Choices: an enum with a variant per element (a choice, or an item of a list of elements in document order).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, ty_tokens, variant_names_allow, xml_path};
use crate::ir::{Choice, Lookup};

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
        let with = if lookup.is_text(&v.ty) {
            let path = xml_path("serde_text::req");
            Some(quote!(, with = #path))
        } else {
            v.namespace.as_ref().map(|_| {
                let path = namespace_fn(name, &v.name).to_string();
                quote!(, serialize_with = #path)
            })
        };
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
    // Elements of another namespace declare it (through serde, a function per such variant).
    let namespace_fns = c.variants.iter().filter(|v| !lookup.is_text(&v.ty)).filter_map(|v| {
        let ns = v.namespace.as_ref()?;
        let f = namespace_fn(name, &v.name);
        let inner = ty_tokens(&v.ty);
        let inner = if v.boxed { quote!(Box<#inner>) } else { inner };
        Some(quote! {
            fn #f<S: rt::serde::Serializer>(value: &#inner, serializer: S) -> Result<S::Ok, S::Error> {
                rt::serialize_in_namespace(value, #ns, serializer)
            }
        })
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

        #(#namespace_fns)*
    }
}

/// The serde `serialize_with` function of variant `variant` of choice `choice`, an element of another namespace.
fn namespace_fn(choice: &syn::Ident, variant: &str) -> syn::Ident {
    use heck::ToSnakeCase;
    format_ident!(
        "{}_{}_in_namespace",
        choice.to_string().to_snake_case(),
        variant.to_snake_case()
    )
}
