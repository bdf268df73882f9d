//! The Qualys QPS profile, and the only place that knows Qualys. It plugs into the generic stages through the
//! crate's `Profile` trait:
//! - while lowering, collection wrappers (`<tags><count/><list><Tag/>..</list><set/><add/><remove/></tags>`)
//!   become the runtime's generic `Collection<T>` (`collection.rs`);
//! - for each schema that the endpoint [`catalog`] names, the module gains the envelope impls (`envelope.rs`),
//!   the typed search criteria `filter` (`filters.rs`) and the endpoint stubs `endpoints` (`endpoints.rs`),
//!   built on the envelope's parts (`shapes.rs`);
//! - at the crate root, `ClientExt` and a group `Api` per parent module give the calls on a client
//!   (`client.rs`);
//! - each entity's module gains `EntityTypes`, its types behind the runtime's `CatalogEntity`, and the crate root
//!   `ENTITIES` and `visit_entity`, which reach them from the entity's name at run time (`entity.rs`).

pub mod catalog;
mod client;
mod collection;
mod endpoints;
mod entity;
mod envelope;
mod error;
mod filters;
mod shapes;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::Result;
use crate::ir::Lookup;
use crate::ir::Module;
use crate::profile::Profile;
use crate::xsd::{ComplexType, Element};
use catalog::{Action, Catalog, Entity};
pub use error::{CatalogError, ProfileError};

/// The Qualys profile, with the endpoint catalog when one is given (without one, only the collection wrappers
/// apply).
#[derive(Debug, Default, Clone)]
pub(crate) struct Qualys {
    catalog: Option<Catalog>,
}

impl Qualys {
    /// The profile, with the catalog at `catalog` read and checked.
    pub(crate) fn load(catalog: Option<&Path>) -> Result<Self> {
        let catalog = match catalog {
            Some(path) => Some(Catalog::from_path(path).map_err(ProfileError::from)?),
            None => None,
        };
        Ok(Qualys { catalog })
    }

    /// The catalog entity of each module, matched by schema path.
    fn entities<'c>(&'c self, modules: &[Module]) -> Vec<Option<&'c Entity>> {
        modules.iter().map(|m| self.entity(m)).collect()
    }

    fn entity(&self, module: &Module) -> Option<&Entity> {
        self.catalog
            .as_ref()?
            .entities
            .iter()
            .find(|e| e.schema == module.source)
    }
}

impl Catalog {
    /// The error for `entity` (and `action`) not fitting its schema.
    fn entity_error(
        &self,
        entity: &Entity,
        action: Option<&Action>,
        message: impl Into<String>,
    ) -> crate::error::Error {
        ProfileError::Entity {
            catalog: self.path.clone(),
            entity: format!("{}/{}", entity.module, entity.name),
            action: action.map(|a| a.name.clone()),
            message: message.into(),
        }
        .into()
    }
}

impl Profile for Qualys {
    /// Qualys pretty-prints its responses, CDATA sections on lines of their own: surrounding whitespace is
    /// never data.
    fn trims_text(&self) -> bool {
        true
    }

    /// Qualys sends zoned UTC timestamps (`2019-02-01T05:47:50Z`), which users compute with as chrono's
    /// `DateTime<FixedOffset>`.
    fn chrono_dates(&self) -> bool {
        true
    }

    fn inputs(&self) -> Vec<PathBuf> {
        self.catalog.iter().map(|c| c.path.clone()).collect()
    }

    fn collection_item<'a>(&self, ct: &'a ComplexType) -> Option<&'a Element> {
        collection::collection_item(ct)
    }

    /// Every catalog entity names one of the schemas given, and no two name the same one.
    fn check(&self, modules: &[Module]) -> Result<()> {
        let Some(catalog) = &self.catalog else {
            return Ok(());
        };
        let mut claimed: Vec<&str> = Vec::new();
        for entity in &catalog.entities {
            if !modules.iter().any(|m| m.source == entity.schema) {
                return Err(catalog.entity_error(
                    entity,
                    None,
                    format!(
                        "it names schema {}, which is not among the schemas given",
                        entity.schema
                    ),
                ));
            }
            if claimed.contains(&entity.schema.as_str()) {
                return Err(catalog.entity_error(
                    entity,
                    None,
                    format!("another entity names schema {} too", entity.schema),
                ));
            }
            claimed.push(&entity.schema);
        }
        Ok(())
    }

    fn extends(&self, module: &Module) -> bool {
        self.entity(module).is_some()
    }

    fn module_tokens(&self, module: &Module, lookup: &Lookup) -> Result<TokenStream> {
        let (Some(catalog), Some(entity)) = (&self.catalog, self.entity(module)) else {
            return Ok(TokenStream::new());
        };
        let shapes = shapes::Shapes::find(module, entity, catalog)?;
        let envelope = envelope::envelope_impl(&shapes, lookup);
        let bare = envelope::bare_root(entity, module, &shapes, catalog)?;
        let filters = filters::filter_module(entity, &shapes, lookup, catalog)?;
        let endpoints = endpoints::endpoints_module(entity, &shapes, lookup, catalog)?;
        let types = entity::entity_types(entity, module, &shapes, catalog)?;
        Ok(quote! {
            #envelope
            #bare
            #types
            #filters
            #endpoints
        })
    }

    fn root_tokens(
        &self,
        modules: &[Module],
        runtime: &TokenStream,
    ) -> Result<BTreeMap<Vec<String>, TokenStream>> {
        let entities = self.entities(modules);
        let mut out = client::client_tokens(modules, &entities, runtime);
        let dispatch = entity::dispatch(modules, &entities, runtime);
        if !dispatch.is_empty() {
            out.entry(Vec::new()).or_default().extend(dispatch);
        }
        Ok(out)
    }
}
