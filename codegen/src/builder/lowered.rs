//! The pipeline up to the IR, without emitting: what `qps-codegen diff` compares (each module's items and the
//! schema set it was lowered from).

use std::path::PathBuf;

use super::{Builder, layout};
use crate::error::{Error, Result};
use crate::ir::{self, Module};
use crate::profile::Profile;
use crate::qps::Qualys;
use crate::qps::catalog::Catalog;
use crate::xsd::{self, SchemaSet};

/// Every module of a schema set, lowered as [`Builder::generate`] lowers it, with the schema files behind each.
pub(crate) struct Lowered {
    /// The modules, in the order of the schema files.
    pub(crate) modules: Vec<Module>,
    /// The schema set of each module (same order).
    pub(crate) sets: Vec<SchemaSet>,
    /// The endpoint catalog, when one was given (checked against the modules).
    pub(crate) catalog: Option<Catalog>,
}

impl Builder {
    /// Loads and lowers every schema and checks the catalog against the modules, as [`Builder::generate`] does
    /// before it emits anything.
    pub(crate) fn lower(&self) -> Result<Lowered> {
        super::parallel::on_big_stack(|| self.lower_here())
    }

    fn lower_here(&self) -> Result<Lowered> {
        let files = layout::schema_files(&self.schemas)?;
        let profile = match (&self.profile, &self.catalog) {
            (None, Some(catalog)) => {
                return Err(Error::Config(format!(
                    "{}: an endpoint catalog belongs to the Qualys profile, which plain_xsd() turned off",
                    catalog.display()
                )));
            }
            (Some(_), catalog) => Some(Qualys::load(catalog.as_deref())?),
            (None, None) => None,
        };
        let dyn_profile = profile.as_ref().map(|p| p as &dyn Profile);
        let cache = xsd::Cache::default();
        let mut modules = Vec::new();
        let mut sets = Vec::new();
        for (file, rel, root) in &files {
            let set = xsd::load_with(file, root, &cache, &self.limits)?;
            let path = layout::module_path_of(rel, self.layout);
            let source = rel.to_string_lossy().replace('\\', "/");
            modules.push(ir::build_module(
                &set,
                path,
                source,
                dyn_profile,
                &self.overrides,
            )?);
            sets.push(set);
        }
        layout::check_unique(&modules)?;
        if let Some(profile) = dyn_profile {
            profile.check(&modules)?;
        }
        let catalog = match &self.catalog {
            Some(path) => Some(Catalog::from_path(path).map_err(crate::qps::ProfileError::from)?),
            None => None,
        };
        Ok(Lowered {
            modules,
            sets,
            catalog,
        })
    }

    /// The directories given with [`Builder::schema_dir`] and the folders of the files given with
    /// [`Builder::schema`]: what locations are shown relative to.
    pub(crate) fn roots(&self) -> Vec<PathBuf> {
        self.schemas
            .iter()
            .map(|(path, dir)| match dir {
                Some(dir) => dir.clone(),
                None => path.parent().map(PathBuf::from).unwrap_or_default(),
            })
            .collect()
    }
}
