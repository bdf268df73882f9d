//! The pipeline up to the IR, without emitting: the stage [`Builder::generate`] runs before it emits, and what
//! `qps-codegen diff` compares (each module's items and the schema set it was lowered from).

use std::path::PathBuf;

use super::{Builder, layout, parallel};
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
        parallel::on_big_stack(|| {
            let profile = self.profile()?;
            let (sets, modules) = self.lower_with(profile.as_ref().map(|p| p as &dyn Profile))?;
            let catalog = match &self.catalog {
                Some(path) => {
                    Some(Catalog::from_path(path).map_err(crate::qps::ProfileError::from)?)
                }
                None => None,
            };
            Ok(Lowered {
                modules,
                sets,
                catalog,
            })
        })
    }

    /// The Qualys profile with its catalog, unless [`Builder::plain_xsd`] turned it off (a catalog given then is
    /// an error).
    pub(super) fn profile(&self) -> Result<Option<Qualys>> {
        match (&self.profile, &self.catalog) {
            (None, Some(catalog)) => Err(Error::Config(format!(
                "{}: an endpoint catalog belongs to the Qualys profile, which plain_xsd() turned off",
                catalog.display()
            ))),
            (Some(_), catalog) => Ok(Some(Qualys::load(catalog.as_deref())?)),
            (None, None) => Ok(None),
        }
    }

    /// Every schema loaded (on every core: each is loaded and resolved on its own) and lowered under `profile`,
    /// checked (module paths unique, type nesting, the profile's checks across modules): the schema sets and
    /// their modules, in the order of the schema files.
    pub(super) fn lower_with(
        &self,
        profile: Option<&dyn Profile>,
    ) -> Result<(Vec<SchemaSet>, Vec<Module>)> {
        let source = self.sources();
        let files = layout::schema_files(source, &self.schemas)?;
        let cache = xsd::Cache::default();
        let lowered = parallel::on_every_core(
            files.len(),
            self.workers(),
            |i| -> Result<(SchemaSet, Module)> {
                let (file, rel, root) = &files[i];
                let set = xsd::load_with(source, file, root, &cache, &self.limits)?;
                let path = layout::module_path_of(rel, self.layout);
                let name = rel.to_string_lossy().replace('\\', "/");
                let mut module = ir::build_module(&set, path, name, profile, &self.overrides)?;
                if self.keep_unknown {
                    ir::keep_unknown(&mut module);
                }
                ir::check_type_depth(&module)?;
                Ok((set, module))
            },
        );
        let (sets, modules): (Vec<_>, Vec<_>) = lowered.into_iter().collect::<Result<_>>()?;
        layout::check_unique(&modules)?;
        if let Some(profile) = profile {
            profile.check(&modules)?;
        }
        Ok((sets, modules))
    }

    /// The most threads a stage runs on ([`Builder::threads`], or one per core).
    pub(super) fn workers(&self) -> usize {
        self.threads.unwrap_or_else(parallel::cores)
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
