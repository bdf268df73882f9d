//! The schemas, as Qualys serves them: `GET /qps/xsd/{version}/{module}/{entity}.xsd` answers the bundled XSD of
//! each catalog entity (`schemas/`), or the text a test put in its place ([`TestServer::serve_xsd`]).

use std::collections::HashMap;
use std::path::Path;

use crate::TestServer;
use crate::http::{Shared, lock};

/// Schema texts served instead of the bundled ones, by `module/entity`.
pub(crate) type Overrides = HashMap<String, String>;

/// The bundled schema folder (`schemas/` of the workspace).
const BUNDLED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas");

/// The schema at `rest` (the path after `/qps/xsd/`): `Ok(text)`, or `Err(status)` when there is none.
pub(crate) fn schema(shared: &Shared, method: &str, rest: &str) -> Result<String, u16> {
    if method != "GET" {
        return Err(405);
    }
    let [version, module, file] = rest.split('/').collect::<Vec<_>>()[..] else {
        return Err(404);
    };
    let name = file.strip_suffix(".xsd").ok_or(404u16)?;
    let entity = shared
        .catalog
        .entity(module, name)
        .filter(|entity| entity.version == version)
        .ok_or(404u16)?;
    if let Some(text) = lock(&shared.xsd).get(&format!("{module}/{name}")) {
        return Ok(text.clone());
    }
    std::fs::read_to_string(Path::new(BUNDLED).join(&entity.schema)).map_err(|_| 404)
}

impl TestServer {
    /// Serves `text` as the schema of catalog entity `module/entity` from now on (a changed schema, or a broken
    /// one), instead of the bundled file.
    pub fn serve_xsd(&self, module: &str, entity: &str, text: impl Into<String>) {
        lock(&self.shared.xsd).insert(format!("{module}/{entity}"), text.into());
    }

    /// Serves the bundled schema of `module/entity` again.
    pub fn serve_bundled_xsd(&self, module: &str, entity: &str) {
        lock(&self.shared.xsd).remove(&format!("{module}/{entity}"));
    }
}
