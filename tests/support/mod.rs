//! Helpers shared by the integration tests: the seed samples, the catalog, canonical XML comparison, and the
//! xmllint oracle.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use qps_codegen::qps::catalog::Catalog;

/// Expands `$via!(path of the generated module)` for `module/entity`, or is an `Err` naming them. (Not every test
/// crate that includes this module uses it.)
#[allow(unused_macros)]
macro_rules! for_entity {
    ($module:expr, $entity:expr, $via:ident) => {
        match ($module, $entity) {
            ("was", "webapp") => $via!(qualys_qps::was::webapp),
            ("was", "wasscan") => $via!(qualys_qps::was::wasscan),
            ("was", "wasscanschedule") => $via!(qualys_qps::was::wasscanschedule),
            ("was", "optionprofile") => $via!(qualys_qps::was::optionprofile),
            ("was", "finding") => $via!(qualys_qps::was::finding),
            ("am", "awsassetdataconnector") => $via!(qualys_qps::am::awsassetdataconnector),
            ("saq", "questionnairecampaign") => $via!(qualys_qps::saq::questionnairecampaign),
            ("saq", "questionnaire") => $via!(qualys_qps::saq::questionnaire),
            (module, entity) => Err(format!("no bindings for {module}/{entity}")),
        }
    };
}
#[allow(unused_imports)]
pub(crate) use for_entity;

/// The number of request and response bodies in `tests/fixtures/seed` (INDEX.md: 15 requests, 24 responses).
pub const SEED_SAMPLES: usize = 39;

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled schemas.
pub fn schemas_dir() -> PathBuf {
    root().join("schemas")
}

/// The endpoint catalog, loaded and validated.
pub fn catalog() -> Catalog {
    Catalog::from_path(&schemas_dir().join("endpoints.toml")).unwrap_or_else(|e| panic!("{e}"))
}

/// The XSD of `module`/`entity`, by the catalog's API version.
pub fn schema_of(catalog: &Catalog, module: &str, entity: &str) -> PathBuf {
    let found = catalog
        .entity(module, entity)
        .unwrap_or_else(|| panic!("no catalog entity {module}/{entity}"));
    schemas_dir()
        .join(module)
        .join(&found.version)
        .join(format!("{entity}.xsd"))
}

/// A seed sample, named `<module>-<entity>-<action>-<n>.(request|response).xml`.
pub struct Sample {
    /// Its path.
    pub path: PathBuf,
    /// Its file name.
    pub file_name: String,
    /// `was`, `am` or `saq`.
    pub module: String,
    /// The entity (`webapp`, ...).
    pub entity: String,
    /// The action (`search`, ...).
    pub action: String,
    /// A request body (else a response).
    pub request: bool,
    /// The document.
    pub text: String,
}

/// Every seed sample, sorted by file name.
pub fn seed_samples() -> Vec<Sample> {
    let dir = root().join("tests/fixtures/seed");
    let mut samples: Vec<Sample> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("read the seed directory").path())
        .filter_map(|path| {
            let file_name = path.file_name()?.to_str()?.to_owned();
            let (stem, request) = match (
                file_name.strip_suffix(".request.xml"),
                file_name.strip_suffix(".response.xml"),
            ) {
                (Some(stem), _) => (stem.to_owned(), true),
                (_, Some(stem)) => (stem.to_owned(), false),
                _ => return None,
            };
            let parts: Vec<&str> = stem.split('-').collect();
            let [module, entity, action, n] = parts[..] else {
                panic!(
                    "{file_name}: expected <module>-<entity>-<action>-<n>.(request|response).xml"
                );
            };
            assert!(
                n.parse::<u32>().is_ok(),
                "{file_name}: the last name part must be the call number"
            );
            let text =
                std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file_name}: {e}"));
            Some(Sample {
                module: module.to_owned(),
                entity: entity.to_owned(),
                action: action.to_owned(),
                request,
                text,
                path,
                file_name,
            })
        })
        .collect();
    samples.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    samples
}

/// Compares two documents by their canonical forms ([`qps_xmllint::canonical`]); `Err` shows a unified diff of
/// the first differences.
pub fn assert_canonical_eq(expected: &str, actual: &str, what: &str) -> Result<(), String> {
    qps_xmllint::compare(expected, actual, what)
}
pub use qps_xmllint::{messages, run as xmllint};

/// Validates the document `xml` against `xsd`; Err carries xmllint's message.
pub fn xmllint_validate(xsd: &Path, xml: &str, label: &str) -> Result<(), String> {
    let args = [
        OsStr::new("--noout"),
        OsStr::new("--schema"),
        xsd.as_os_str(),
        OsStr::new("-"),
    ];
    let output = xmllint(&args, Some(xml.as_bytes()));
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("{label}: {}", messages(&output)))
    }
}
