//! The render queue: every output file is cut into pieces of a few items, and the pieces are rendered (tokens,
//! syn's parse, prettyplease) on every core, then put together in order.

use std::collections::BTreeMap;
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::generated::{DocumentRoot, Generated};
use super::layout;
use super::parallel::on_every_core;
use super::share::{Shared, shared_items};
use crate::emit::{self, Paths};
use crate::error::Result;
use crate::ir::Lookup;
use crate::ir::{ItemKind, Module};
use crate::profile::Profile;

/// Emits every module, sharing identical items in `common`.
pub(super) fn emit_all(
    modules: &[Module],
    profile: Option<&dyn Profile>,
    paths: &Paths,
    share: bool,
    inputs: Vec<PathBuf>,
    workers: usize,
) -> Result<Generated> {
    let trims_text = profile.is_some_and(|p| p.trims_text());
    let lookups: Vec<Lookup> = modules
        .iter()
        .map(|module| Lookup::new(module, trims_text))
        .collect();
    let shared = if share {
        shared_items(modules)
    } else {
        BTreeMap::new()
    };

    let mut generated = Generated {
        inputs,
        roots: document_roots(modules),
        ..Generated::default()
    };
    let mut root = TokenStream::new();
    if !shared.is_empty() {
        root.extend(quote! {
            /// Types that several schemas declare identically, emitted once; each schema's module re-exports them.
            pub mod common {
                include!("common.rs");
            }
        });
    }

    // Cut every file into pieces of a few items and render the pieces on every core: syn's parse and
    // prettyplease are most of the generator's time. prettyplease prints a file's items one after another, so a
    // file's pieces, concatenated, are the text the whole file gives.
    let common: Vec<(&String, &(usize, Vec<usize>))> = shared.iter().collect();
    let kept: Vec<Vec<usize>> = modules
        .iter()
        .enumerate()
        .map(|(i, module)| {
            (0..module.items.len())
                .filter(|&k| {
                    shared
                        .get(&module.items[k].name)
                        .is_none_or(|(_, members)| !members.contains(&i))
                })
                .collect()
        })
        .collect();
    let mut pieces = vec![Piece::Uses(None)];
    for start in (0..common.len()).step_by(PIECE_ITEMS) {
        pieces.push(Piece::Common(
            start,
            (start + PIECE_ITEMS).min(common.len()),
        ));
    }
    for (i, items) in kept.iter().enumerate() {
        pieces.push(Piece::Uses(Some(i)));
        for start in (0..items.len()).step_by(PIECE_ITEMS) {
            pieces.push(Piece::Items(
                i,
                start,
                (start + PIECE_ITEMS).min(items.len()),
            ));
        }
        pieces.push(Piece::Documents(i));
        if profile.is_some_and(|p| p.extends(&modules[i])) {
            pieces.push(Piece::Profile(i));
        }
    }
    let context = Context {
        modules,
        profile,
        lookups: &lookups,
        shared: &shared,
        common: &common,
        kept: &kept,
    };
    let runtime = paths.runtime.to_string();
    let derives: Vec<String> = paths.derives.iter().map(ToString::to_string).collect();
    let non_exhaustive = paths.non_exhaustive;
    // Tokens are not `Send`: each piece is rendered from the shared (read-only) IR by the thread that takes it.
    // The profile's additions (the endpoints), the largest pieces, go first, so that no core is left with one at the end.
    let mut order: Vec<usize> = (0..pieces.len()).collect();
    order.sort_by_key(|&n| !matches!(pieces[n], Piece::Profile(_)));
    let rendered = on_every_core(order.len(), workers, |k| {
        let n = order[k];
        let paths = Paths {
            runtime: runtime.parse().expect("a path that parsed before"),
            derives: derives
                .iter()
                .map(|d| d.parse().expect("a path that parsed before"))
                .collect(),
            non_exhaustive,
        };
        context.render(pieces[n], &paths)
    });
    let mut texts: Vec<Option<Result<String>>> = (0..pieces.len()).map(|_| None).collect();
    for (&n, text) in order.iter().zip(rendered) {
        texts[n] = Some(text);
    }
    let mut files: Vec<String> = vec![String::new(); modules.len()];
    let mut common_text = String::new();
    for (piece, text) in pieces.iter().zip(texts) {
        let text = text.expect("every piece is rendered")?;
        match piece.module() {
            Some(i) => files[i].push_str(&text),
            None => common_text.push_str(&text),
        }
    }
    if !shared.is_empty() {
        generated.items += shared.len();
        generated.files.insert(
            PathBuf::from("common.rs"),
            header("every schema that shares them", &common_text),
        );
    }
    generated.items += kept.iter().map(Vec::len).sum::<usize>();

    // Group modules by their parent path so `was::webapp` and `was::wasscan` share one `pub mod was`.
    let mut nested: BTreeMap<Vec<String>, TokenStream> = BTreeMap::new();
    for (module, text) in modules.iter().zip(files) {
        let depth = module.path.len();
        let rel = PathBuf::from(module.path.join("/") + ".rs");
        generated
            .files
            .insert(rel.clone(), header(&module.source, &text));
        let leaf = format_ident!("{}", module.path[depth - 1]);
        let include = rel.to_string_lossy().replace('\\', "/");
        let mut doc = format!("Bindings generated from `{}`.", module.source);
        if let Some(schema_doc) = &module.doc {
            doc = format!("{schema_doc}\n\n{doc}");
        }
        let doc = doc.lines().map(|l| format!(" {l}")).collect::<Vec<_>>();
        nested
            .entry(module.path[..depth - 1].to_vec())
            .or_default()
            .extend(quote! {
                #(#[doc = #doc])*
                pub mod #leaf {
                    include!(#include);
                }
            });
    }
    // What the profile adds to the root and to the parent modules.
    if let Some(profile) = profile {
        for (path, tokens) in profile.root_tokens(modules, &paths.runtime)? {
            if path.is_empty() {
                root.extend(tokens);
            } else {
                nested.entry(path).or_default().extend(tokens);
            }
        }
    }
    root.extend(layout::module_tree(nested));
    let text = emit::render(root, "mod")?;
    generated.files.insert(
        PathBuf::from("mod.rs"),
        header("the schemas listed below", &text),
    );
    Ok(generated)
}

/// The types emitted with a `RootElement` impl: structs that are global elements, and document wrappers. (A
/// profile may add roots of its own, which are not listed.)
fn document_roots(modules: &[Module]) -> Vec<DocumentRoot> {
    let mut roots = Vec::new();
    for module in modules {
        let root =
            |rust_type: &str, element: &str, namespace: Option<&(String, bool)>| DocumentRoot {
                module: module.path.clone(),
                rust_type: rust_type.to_owned(),
                element: element.to_owned(),
                namespace: namespace.map(|(ns, _)| ns.clone()),
            };
        for item in &module.items {
            if let (Some(element), ItemKind::Struct(_)) = (&item.root_element, &item.kind) {
                roots.push(root(&item.name, element, item.root_namespace.as_ref()));
            }
        }
        for document in &module.documents {
            roots.push(root(
                &document.name,
                &document.element,
                document.namespace.as_ref(),
            ));
        }
    }
    roots
}

/// Items per piece of a file rendered on its own.
const PIECE_ITEMS: usize = 8;

/// A piece of an output file (`common.rs` or a module's), rendered on its own.
#[derive(Debug, Clone, Copy)]
enum Piece {
    /// Shared items `start..end` (of `Context::common`).
    Common(usize, usize),
    /// The imports of a module's file (`None`: of `common.rs`): the runtime's `xml` module, and the shared
    /// items the module declares.
    Uses(Option<usize>),
    /// A module's own items `start..end` (of `Context::kept`).
    Items(usize, usize, usize),
    /// A module's document wrappers.
    Documents(usize),
    /// What the profile adds to a module's file.
    Profile(usize),
}

impl Piece {
    /// The module whose file the piece belongs to; `None` for `common.rs`.
    fn module(self) -> Option<usize> {
        match self {
            Piece::Common(..) => None,
            Piece::Uses(module) => module,
            Piece::Items(i, ..) | Piece::Documents(i) | Piece::Profile(i) => Some(i),
        }
    }
}

/// What every piece is rendered from.
struct Context<'a> {
    modules: &'a [Module],
    profile: Option<&'a dyn Profile>,
    lookups: &'a [Lookup<'a>],
    shared: &'a Shared,
    common: &'a [(&'a String, &'a (usize, Vec<usize>))],
    kept: &'a [Vec<usize>],
}

impl Context<'_> {
    /// The text of one piece of module `module` (or of `common`).
    fn render(&self, piece: Piece, paths: &Paths) -> Result<String> {
        let mut tokens = TokenStream::new();
        match piece {
            Piece::Common(start, end) => {
                for &(name, (first, members)) in &self.common[start..end] {
                    let module = &self.modules[*first];
                    let item = module
                        .items
                        .iter()
                        .find(|i| &i.name == name)
                        .expect("shared items exist");
                    let mut item = item.clone();
                    let sources: Vec<String> = members
                        .iter()
                        .map(|&m| format!("`{}`", self.modules[m].source))
                        .collect();
                    item.doc = item.doc.replace(
                        &format!("in `{}`.", module.source),
                        &format!("in {}.", sources.join(", ")),
                    );
                    tokens.extend(emit::item_tokens(&item, &self.lookups[*first], paths));
                }
                return emit::render(tokens, "common");
            }
            Piece::Uses(module) => {
                // Generated code names the runtime through one alias, `rt` (see `qps_runtime::__private`). Not
                // every file needs it.
                tokens.extend(runtime_import(&paths.runtime));
                tokens.extend(match module {
                    Some(i) => emit::namespace_markers(
                        self.kept[i]
                            .iter()
                            .map(|&k| (&self.modules[i].items[k], &self.lookups[i])),
                    ),
                    None => {
                        emit::namespace_markers(self.common.iter().map(|&(name, (first, _))| {
                            let item = self.modules[*first]
                                .items
                                .iter()
                                .find(|i| &i.name == name)
                                .expect("shared items exist");
                            (item, &self.lookups[*first])
                        }))
                    }
                });
                if let Some(i) = module {
                    let up = "super::".repeat(self.modules[i].path.len());
                    let path: TokenStream = format!("{up}common")
                        .parse()
                        .expect("module paths are identifiers");
                    let names: Vec<syn::Ident> = self
                        .shared
                        .iter()
                        .filter(|(_, (_, members))| members.contains(&i))
                        .map(|(name, _)| format_ident!("{}", name))
                        .collect();
                    if !names.is_empty() {
                        tokens.extend(quote!(pub use #path::{#(#names),*};));
                    }
                }
            }
            Piece::Items(i, start, end) => {
                let module = &self.modules[i];
                for &k in &self.kept[i][start..end] {
                    tokens.extend(emit::item_tokens(&module.items[k], &self.lookups[i], paths));
                }
            }
            Piece::Documents(i) => {
                for document in &self.modules[i].documents {
                    tokens.extend(emit::document_tokens(document, &self.lookups[i]));
                }
            }
            Piece::Profile(i) => {
                if let Some(profile) = self.profile {
                    tokens = profile.module_tokens(&self.modules[i], &self.lookups[i])?;
                }
            }
        }
        let module = piece
            .module()
            .map_or_else(|| "common".to_owned(), |i| self.modules[i].path.join("::"));
        emit::render(tokens, &module)
    }
}

/// `use <runtime>::__private as rt;`: how generated code reaches the runtime.
fn runtime_import(runtime: &TokenStream) -> TokenStream {
    quote! {
        #[allow(unused_imports)]
        use #runtime::__private as rt;
    }
}

/// A whole output file: the header that says where it comes from, then the items, a blank line between each two.
fn header(source: &str, body: &str) -> String {
    format!(
        "// @generated by qps-codegen from {source}. Do not edit: change the schema and regenerate.\n\n{}",
        emit::space_items(body)
    )
}
