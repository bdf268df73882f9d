//! The plug-in point for the conventions of a schema family, layered on the plain XSD mapping (the Qualys one is
//! [`crate::qps`]). The generic stages know only this trait: lowering asks it about complex types, the builder
//! asks it to check the modules, and emission asks it for what it adds to each module and to the crate root.
//! Without a profile ([`crate::Builder::plain_xsd`]) none of these hooks runs.

use std::collections::BTreeMap;
use std::path::PathBuf;

use proc_macro2::TokenStream;

use crate::error::Result;
use crate::ir::Lookup;
use crate::ir::Module;
use crate::xsd::{ComplexType, Element};

/// The conventions of a schema family.
pub(crate) trait Profile: Sync {
    /// Files the profile read besides the schemas (an endpoint catalog), for `cargo:rerun-if-changed`.
    fn inputs(&self) -> Vec<PathBuf> {
        Vec::new()
    }

    /// Whether every text is trimmed, whatever its type's `whiteSpace` facet (the plain mapping follows the
    /// facet: an `xs:string` keeps its whitespace).
    fn trims_text(&self) -> bool {
        false
    }

    /// Whether `xs:dateTime`, `xs:date` and `xs:time` map to chrono's types (`DateTime<FixedOffset>`, a value
    /// without a zone read as UTC; `NaiveDate` and `NaiveTime`, a zone dropped) rather than the runtime's XSD
    /// values (`XmlDateTime`, `XmlDate`, `XmlTime`), which keep the time zone or its absence and the lexical
    /// form.
    fn chrono_dates(&self) -> bool {
        false
    }

    /// While lowering: if `ct` is a wrapper the profile maps to the runtime's generic `Collection`, the element
    /// declaring its items.
    fn collection_item<'a>(&self, ct: &'a ComplexType) -> Option<&'a Element> {
        let _ = ct;
        None
    }

    /// After lowering: checks the modules against what the profile expects of them.
    fn check(&self, modules: &[Module]) -> Result<()> {
        let _ = modules;
        Ok(())
    }

    /// Whether [`Profile::module_tokens`] adds anything to `module`.
    fn extends(&self, module: &Module) -> bool {
        let _ = module;
        false
    }

    /// While emitting `module`: the items appended to its file.
    fn module_tokens(&self, module: &Module, lookup: &Lookup) -> Result<TokenStream> {
        let _ = (module, lookup);
        Ok(TokenStream::new())
    }

    /// While emitting the crate root (`mod.rs`): items added to the root (key: the empty path) and to the parent
    /// modules that group the schemas' modules (key: their path). `runtime` is the runtime crate's path.
    fn root_tokens(
        &self,
        modules: &[Module],
        runtime: &TokenStream,
    ) -> Result<BTreeMap<Vec<String>, TokenStream>> {
        let _ = (modules, runtime);
        Ok(BTreeMap::new())
    }
}
