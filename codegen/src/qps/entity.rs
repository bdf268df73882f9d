//! The dispatch from a catalog entity's name to its generated types: in each entity's module a unit struct
//! `EntityTypes` implementing the runtime's `CatalogEntity` (its `ServiceResponse`, `ServiceRequest` and record
//! type), and at the crate root `ENTITIES` (every `(module, entity)` of the catalog) and `visit_entity`, which
//! calls an `EntityVisitor` with the types of the entity named at run time.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::catalog::{Catalog, Entity};
use super::shapes::{Shapes, field};
use crate::emit::{rust_ident, ty_tokens};
use crate::error::Result;
use crate::ir::{Card, Module};

/// The name of the struct that stands for an entity's types.
pub(super) const TYPES: &str = "EntityTypes";

/// `pub struct EntityTypes;` and its `CatalogEntity` impl, in the entity's module.
pub(super) fn entity_types(
    entity: &Entity,
    module: &Module,
    shapes: &Shapes,
    catalog: &Catalog,
) -> Result<TokenStream> {
    if module.items.iter().any(|i| i.name == TYPES) {
        return Err(catalog.entity_error(
            entity,
            None,
            format!(
                "{} declares a type named {TYPES}, the name the generated entity types take",
                module.source
            ),
        ));
    }
    let item = ty_tokens(&shapes.entity);
    let request_item = match (&shapes.data, field(shapes.request, "data")) {
        (Some((_, item_field)), Some(data_field)) => {
            let data: syn::Ident = rust_ident(&data_field.name);
            let item_name: syn::Ident = rust_ident(&item_field.name);
            let data = match data_field.card {
                Card::One => quote!(Some(request.#data)),
                Card::Optional => quote!(request.#data),
                Card::Many => quote!(request.#data.into_iter().next()),
            };
            match item_field.card {
                Card::One => quote!(#data.map(|data| data.#item_name)),
                Card::Optional => quote!(#data.and_then(|data| data.#item_name)),
                Card::Many => quote!(#data.and_then(|data| data.#item_name.into_iter().next())),
            }
        }
        _ => quote!({
            let _ = request;
            None
        }),
    };
    let (module_name, name, element) = (&entity.module, &entity.name, &entity.element);
    let doc = format!(
        " The generated types of the catalog entity `{module_name}/{name}`, for code that picks the entity at run \
         time (`visit_entity`)."
    );
    let ident = format_ident!("{}", TYPES);
    Ok(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct #ident;

        impl rt::CatalogEntity for #ident {
            const MODULE: &'static str = #module_name;
            const NAME: &'static str = #name;
            const ELEMENT: &'static str = #element;
            type Item = #item;
            type Response = ServiceResponse;
            type Request = ServiceRequest;

            fn request_item(request: ServiceRequest) -> Option<#item> {
                #request_item
            }
        }
    })
}

/// `ENTITIES` and `visit_entity` at the crate root, over the modules that have a catalog entity.
pub(super) fn dispatch(
    modules: &[Module],
    entities: &[Option<&Entity>],
    runtime: &TokenStream,
) -> TokenStream {
    let mut names = Vec::new();
    let mut arms = Vec::new();
    for (module, entity) in modules.iter().zip(entities) {
        let Some(entity) = entity else { continue };
        let path: Vec<syn::Ident> = module.path.iter().map(|p| rust_ident(p)).collect();
        let ident = format_ident!("{}", TYPES);
        let (m, e) = (&entity.module, &entity.name);
        names.push(quote!((#m, #e)));
        arms.push(quote!((#m, #e) => Some(visitor.visit::<#(#path::)*#ident>()),));
    }
    if names.is_empty() {
        return TokenStream::new();
    }
    quote! {
        /// Every `(module, entity)` of the endpoint catalog: the names [`visit_entity`] knows.
        pub const ENTITIES: &[(&str, &str)] = &[#(#names),*];

        /// Calls `visitor` with the generated types of the catalog entity `module/entity` (e.g. `"was"`,
        /// `"webapp"`); `None` when the catalog has no such entity.
        pub fn visit_entity<V: #runtime::EntityVisitor>(module: &str, entity: &str, visitor: V) -> Option<V::Output> {
            match (module, entity) {
                #(#arms)*
                _ => None,
            }
        }
    }
}
