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
        let with = lookup.is_text_or_list(&v.ty).then(|| {
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
