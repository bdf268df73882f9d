//! The Qualys profile's errors: its endpoint catalog, and the schemas the catalog names.

use std::path::PathBuf;

pub use super::catalog::CatalogError;

/// What the Qualys profile refuses.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The endpoint catalog cannot be read, or is inconsistent in itself.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// A catalog entity or action does not fit the schema it names.
    #[error("{}: catalog entity {entity}{}: {message}", catalog.display(), action.as_deref().map(|a| format!(", action {a}")).unwrap_or_default())]
    Entity {
        /// The catalog file.
        catalog: PathBuf,
        /// The entity, as `module/name` (`was/webapp`).
        entity: String,
        /// The action, where one is at fault.
        action: Option<String>,
        /// What does not fit.
        message: String,
    },
}
