//! The calls on a client: `client.was().webapp().search(..)`. Each entity's `endpoints::Api` holds its calls; a
//! group `Api` per parent module (`was::Api`) reaches them, and the trait `ClientExt` at the crate root adds the
//! groups (and the entities of top-level modules) to the runtime's `Client`.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::catalog::Entity;
use crate::ir::Module;

/// A struct `Api<'a>` holding a client, documented with `doc`, with `methods` as its calls.
pub(super) fn api_struct(doc: &str, methods: TokenStream) -> TokenStream {
    let doc = format!(" {doc}");
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        pub struct Api<'a> {
            client: &'a rt::Client,
        }

        impl<'a> Api<'a> {
            /// The calls, made through `client`.
            pub fn new(client: &'a rt::Client) -> Self {
                Api { client }
            }

            #methods
        }
    }
}

/// The root's `ClientExt` (key: the empty path) and the group `Api` of each parent module (key: its path), for
/// the modules that have a catalog entity.
pub(super) fn client_tokens(
    modules: &[Module],
    entities: &[Option<&Entity>],
    runtime: &TokenStream,
) -> BTreeMap<Vec<String>, TokenStream> {
    let mut out = BTreeMap::new();
    let mut groups: BTreeMap<String, Vec<(syn::Ident, String)>> = BTreeMap::new();
    let mut trait_methods = Vec::new();
    let mut trait_impls = Vec::new();
    for (module, entity) in modules.iter().zip(entities) {
        let Some(entity) = entity else { continue };
        let leaf = format_ident!("{}", module.path[module.path.len() - 1]);
        let doc = format!(" `{}/{}`: {}", entity.module, entity.name, entity.doc);
        match module.path.len() {
            1 => {
                trait_methods
                    .push(quote!(#[doc = #doc] fn #leaf(&self) -> #leaf::endpoints::Api<'_>;));
                trait_impls.push(quote!(fn #leaf(&self) -> #leaf::endpoints::Api<'_> { #leaf::endpoints::Api::new(self) }));
            }
            2 => groups
                .entry(module.path[0].clone())
                .or_default()
                .push((leaf, doc)),
            // Deeper modules are reached through their own `endpoints::Api::new(&client)`.
            _ => {}
        }
    }
    for (group, members) in &groups {
        let group_ident = format_ident!("{}", group);
        let methods = members.iter().map(|(leaf, doc)| {
            quote! {
                #[doc = #doc]
                pub fn #leaf(&self) -> #leaf::endpoints::Api<'a> {
                    #leaf::endpoints::Api::new(self.client)
                }
            }
        });
        let api = api_struct(
            &format!("The `{group}` resources, through a client."),
            quote!(#(#methods)*),
        );
        out.insert(
            vec![group.clone()],
            quote! {
                use #runtime::__private as rt;

                #api
            },
        );
        let tdoc = format!(" The `{group}` resources.");
        trait_methods.push(quote!(#[doc = #tdoc] fn #group_ident(&self) -> #group_ident::Api<'_>;));
        trait_impls.push(quote!(fn #group_ident(&self) -> #group_ident::Api<'_> { #group_ident::Api::new(self) }));
    }
    if !trait_methods.is_empty() {
        out.insert(
            Vec::new(),
            quote! {
                /// The generated calls on a client: `client.was().webapp().search(..)`. Bring it into scope with
                /// `use ...::ClientExt;`.
                pub trait ClientExt {
                    #(#trait_methods)*
                }

                // In a block of its own, so that the runtime's alias does not enter the module that includes this
                // file.
                const _: () = {
                    use #runtime::__private as rt;

                    impl ClientExt for rt::Client {
                        #(#trait_impls)*
                    }
                };
            },
        );
    }
    out
}
