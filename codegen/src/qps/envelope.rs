//! The envelope of a schema that the catalog names: `impl ResponseEnvelope for ServiceResponse`, so that the
//! runtime reads any resource's envelope the same way, whole or record by record; and, where an action returns the
//! entity as a bare document, its `RootElement` and `FromResponse`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::catalog::{Catalog, Entity, ResponseKind};
use super::shapes::{Shapes, field, named};
use crate::emit::{root_element, rust_ident, ty_tokens};
use crate::error::Result;
use crate::ir::Lookup;
use crate::ir::{Card, Field, ItemKind, Module, Ty};

/// Where an action returns the entity as a bare document (the scan download's `<WasScan>`), the entity type is
/// a document root even if the schema declares no global element for it: it gets its `RootElement`, so the
/// runtime reads the document with its root checked, and a user can write it back; and its `FromResponse`, which
/// reads such a document.
pub(super) fn bare_root(
    entity: &Entity,
    module: &Module,
    shapes: &Shapes,
    catalog: &Catalog,
) -> Result<TokenStream> {
    if !entity
        .actions
        .iter()
        .any(|a| a.response == ResponseKind::Bare)
    {
        return Ok(TokenStream::new());
    }
    let not_a_document = |why: &str| {
        catalog.entity_error(
            entity,
            None,
            format!(
                "a bare <{}> response needs {why} in {}",
                entity.element, module.source
            ),
        )
    };
    let name = named(&shapes.entity).ok_or_else(|| not_a_document("a named complex type"))?;
    let item = module
        .items
        .iter()
        .find(|i| i.name == name && matches!(i.kind, ItemKind::Struct(_)))
        .ok_or_else(|| not_a_document("a complex type"))?;
    let ident = format_ident!("{}", name);
    let from_response = quote! {
        impl rt::FromResponse for #ident {
            fn from_response(http_status: u16, body: &[u8]) -> Result<Self, rt::Error> {
                rt::parse_document(http_status, body)
            }
        }
    };
    match &item.root_element {
        // The schema's own global element already makes it a root.
        Some(root) if *root == entity.element => return Ok(from_response),
        Some(root) => {
            return Err(not_a_document(&format!(
                "type {name} as its document element, which is <{root}>"
            )));
        }
        None => {}
    }
    // The document is in the schema's namespace, like its ServiceResponse.
    let namespace = module
        .items
        .iter()
        .find(|i| i.root_element.as_deref() == Some("ServiceResponse"))
        .and_then(|i| i.root_namespace.as_ref());
    let root = root_element(&ident, &entity.element, namespace, &[]);
    Ok(quote! {
        #root
        #from_response
    })
}

/// An expression reading `field` on `self` as an `Option<i64>` or `Option<bool>` (numbers widen to `i64`).
fn optional_value(f: Option<&Field>) -> TokenStream {
    use crate::ir::Builtin;
    let Some(f) = f else { return quote!(None) };
    let name: syn::Ident = rust_ident(&f.name);
    let widen = !matches!(f.ty, Ty::Builtin(Builtin::I64 | Builtin::Bool));
    match (f.card, widen) {
        (Card::One, false) => quote!(Some(self.#name)),
        (Card::One, true) => quote!(Some(i64::from(self.#name))),
        (Card::Optional, false) => quote!(self.#name),
        (Card::Optional, true) => quote!(self.#name.map(i64::from)),
        (Card::Many, false) => quote!(self.#name.first().copied()),
        (Card::Many, true) => quote!(self.#name.first().copied().map(i64::from)),
    }
}

pub(super) fn envelope_impl(shapes: &Shapes, lookup: &Lookup) -> TokenStream {
    let item = ty_tokens(&shapes.entity);
    let response = shapes.response;
    // The code is an enum with `as_str` (or plain text); either way it is read without allocating.
    let code = match field(response, "responseCode") {
        Some(f) if lookup.is_enum_or_string(&f.ty) => {
            let name: syn::Ident = rust_ident(&f.name);
            match f.card {
                Card::One => quote!(self.#name.as_str()),
                Card::Optional => quote!(self.#name.as_ref().map_or("", |code| code.as_str())),
                Card::Many => quote!(self.#name.first().map_or("", |code| code.as_str())),
            }
        }
        _ => quote!(""),
    };
    let details = field(response, "responseErrorDetails").and_then(|f| {
        let fields = match &f.ty {
            Ty::Named(n) => lookup.struct_fields(n)?,
            _ => return None,
        };
        let name: syn::Ident = rust_ident(&f.name);
        let text = |xml: &str| {
            let value = field(fields, xml).map(|leaf| {
                let leaf_name: syn::Ident = rust_ident(&leaf.name);
                match leaf.card {
                    Card::One => quote!(Some(rt::XmlText::to_xml_text(&d.#leaf_name).into_owned())),
                    _ => quote!(d.#leaf_name.as_ref().map(|v| rt::XmlText::to_xml_text(v).into_owned())),
                }
            });
            value.unwrap_or_else(|| quote!(None))
        };
        let message = text("errorMessage");
        let resolution = text("errorResolution");
        let internal = field(fields, "internalErrorCodeId").map(|leaf| {
            let leaf_name: syn::Ident = rust_ident(&leaf.name);
            match leaf.card {
                Card::One => quote!(Some(i64::from(d.#leaf_name))),
                _ => quote!(d.#leaf_name.map(i64::from)),
            }
        });
        let internal = internal.unwrap_or_else(|| quote!(None));
        let access = match f.card {
            Card::One => quote!(Some(&self.#name)),
            Card::Optional => quote!(self.#name.as_ref()),
            Card::Many => quote!(self.#name.first()),
        };
        Some(quote! {
            #access.map(|d| rt::ErrorDetails { message: #message, resolution: #resolution, internal_code: #internal })
        })
    });
    let details = details.unwrap_or_else(|| quote!(None));
    let leaf = |xml: &str| field(response, xml).filter(|f| numeric_or_bool(&f.ty));
    let count = optional_value(leaf("count"));
    let more = optional_value(leaf("hasMoreRecords"));
    let last = optional_value(leaf("lastId"));
    let items = match shapes.response_data {
        Some((data, item)) => {
            let data_name: syn::Ident = rust_ident(&data.name);
            let item_name: syn::Ident = rust_ident(&item.name);
            let from_data = match item.card {
                Card::Many => quote!(d.#item_name),
                Card::Optional => quote!(d.#item_name.into_iter().collect()),
                Card::One => quote!(vec![d.#item_name]),
            };
            match data.card {
                Card::Optional => quote!(self.#data_name.map(|d| #from_data).unwrap_or_default()),
                Card::One => quote!({ let d = self.#data_name; #from_data }),
                Card::Many => {
                    quote!(self.#data_name.into_iter().flat_map(|d| -> Vec<_> { #from_data }).collect())
                }
            }
        }
        None => quote!(Vec::new()),
    };
    // The record elements the runtime picks out of `<data>` when it streams a response.
    let item_elements = shapes.response_data.map(|(_, item)| item.xml.as_str());
    let item_elements = item_elements.iter();
    quote! {
        impl rt::ResponseEnvelope for ServiceResponse {
            type Item = #item;
            const ITEM_ELEMENTS: &'static [&'static str] = &[#(#item_elements),*];
            fn response_code(&self) -> &str {
                #code
            }
            fn error_details(&self) -> Option<rt::ErrorDetails> {
                #details
            }
            fn count(&self) -> Option<i64> {
                #count
            }
            fn has_more_records(&self) -> Option<bool> {
                #more
            }
            fn last_id(&self) -> Option<i64> {
                #last
            }
            fn into_items(self) -> Vec<Self::Item> {
                #items
            }
        }
    }
}

fn numeric_or_bool(ty: &Ty) -> bool {
    use crate::ir::Builtin::*;
    matches!(
        ty,
        Ty::Builtin(Bool | I8 | I16 | I32 | I64 | U8 | U16 | U32)
    )
}
