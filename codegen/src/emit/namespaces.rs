//! Namespaces as types: a module whose elements are in namespaces declares one marker type per namespace, and
//! serde writes each element field through `rt::serialize_in::<Marker, _, _>` (or its text adapter's
//! `serialize_in`), rather than a function per field.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{choices, structs};
use crate::ir::{Item, ItemKind, Lookup};

/// The marker type of `namespace`: `Ns` and six hex digits of a hash of the URI (stable across runs and
/// schema changes, and short); `NsNone` for no namespace.
pub(super) fn marker(namespace: &Option<String>) -> syn::Ident {
    match namespace {
        None => format_ident!("NsNone"),
        Some(uri) => {
            // FNV-1a, 24 bits: distinct URIs of one module colliding is reported by rustc as a duplicate type.
            let mut hash: u32 = 0x811c_9dc5;
            for b in uri.bytes() {
                hash ^= u32::from(b);
                hash = hash.wrapping_mul(0x0100_0193);
            }
            format_ident!("Ns{:06X}", hash & 0x00ff_ffff)
        }
    }
}

/// The namespaces whose marker types the fields and variants of `items` are written through
/// (`structs::writes_through_marker`, `choices::writes_through_marker`).
pub(super) fn used<'a, 'l: 'a>(
    items: impl IntoIterator<Item = (&'a Item, &'a Lookup<'l>)>,
) -> BTreeSet<Option<String>> {
    let mut out = BTreeSet::new();
    for (item, lookup) in items {
        match &item.kind {
            ItemKind::Struct(s) => out.extend(
                s.fields
                    .iter()
                    .filter(|f| structs::writes_through_marker(f, lookup))
                    .map(|f| f.namespace.clone()),
            ),
            ItemKind::Choice(c) => out.extend(
                c.variants
                    .iter()
                    .filter(|v| choices::writes_through_marker(v, lookup))
                    .map(|v| v.namespace.clone()),
            ),
            _ => {}
        }
    }
    out
}

/// The marker types of `namespaces`.
pub(super) fn markers(namespaces: &BTreeSet<Option<String>>) -> TokenStream {
    let markers = namespaces.iter().map(|namespace| {
        let name = marker(namespace);
        let (doc, uri) = match namespace {
            Some(uri) => (format!(" The namespace `{uri}`."), quote!(Some(#uri))),
            None => (" No namespace.".to_owned(), quote!(None)),
        };
        quote! {
            #[doc = #doc]
            #[allow(dead_code)]
            struct #name;

            impl rt::Namespace for #name {
                const URI: Option<&'static str> = #uri;
            }
        }
    });
    quote!(#(#markers)*)
}
