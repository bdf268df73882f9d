//! `qps-codegen pull`: downloads the schema of every endpoint catalog entity from a Qualys platform
//! (`<base>/qps/xsd/<version>/<module>/<entity>.xsd`) and replaces the file the catalog names, atomically and
//! only when the download is a schema the loader accepts; then compares the old set with the new one.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use qps_runtime::client::{BaseUrl, Credentials};

use crate::diff::{self, DiffInput, Report};
use crate::error::{Error, Result};
use crate::qps::catalog::Catalog;
use crate::xsd::{self, Limits};

/// How long one download may take.
const TIMEOUT: Duration = Duration::from_secs(60);

/// What to pull, from where, with which account.
#[derive(Debug, Clone)]
pub struct Pull {
    /// The API server.
    pub base: BaseUrl,
    /// The account; `None` sends no authentication.
    pub credentials: Option<Credentials>,
    /// The endpoint catalog naming the entities and their schema files.
    pub catalog: PathBuf,
    /// The schema folder the catalog's `schema` paths are relative to.
    pub out: PathBuf,
    /// The bounds a downloaded schema is read within, and the old and new sets for the diff.
    pub limits: Limits,
}

/// What a pull did.
#[derive(Debug)]
pub struct Pulled {
    /// Schema files replaced by a different download, relative to the schema folder.
    pub replaced: Vec<String>,
    /// Schema files the download left as they were.
    pub unchanged: Vec<String>,
    /// Schema files kept because their download failed, with the reason.
    pub failed: Vec<(String, String)>,
    /// The old set against the new one; an error when either side does not generate.
    pub diff: Result<Report>,
}

impl Pull {
    /// Downloads every entity's schema and replaces the files whose download is a new, acceptable schema.
    /// Only setup mistakes (a catalog that does not load, no HTTP client) are errors; a failed download is
    /// listed in [`Pulled::failed`] and its file kept.
    pub fn run(&self) -> Result<Pulled> {
        let catalog =
            Catalog::from_path(&self.catalog).map_err(|e| Error::Config(e.to_string()))?;
        let mut files: Vec<(String, String)> = Vec::new();
        for entity in &catalog.entities {
            if files.iter().any(|(schema, _)| *schema == entity.schema) {
                continue;
            }
            let path = format!(
                "qps/xsd/{}/{}/{}.xsd",
                entity.version, entity.module, entity.name
            );
            files.push((entity.schema.clone(), path));
        }
        let snapshot = Snapshot::new()?;
        let old = snapshot.copy("old", &self.out, &files)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Config(format!("cannot start an HTTP runtime: {e}")))?;
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .build()
            .map_err(|e| Error::Config(format!("cannot build an HTTP client: {e}")))?;
        let mut pulled = Pulled {
            replaced: Vec::new(),
            unchanged: Vec::new(),
            failed: Vec::new(),
            diff: Ok(Report::default()),
        };
        for (schema, path) in &files {
            let url = self
                .base
                .join(path)
                .map_err(|e| Error::Config(e.to_string()))?;
            let fetched = runtime.block_on(self.fetch(&client, url.clone()));
            let outcome = fetched
                .map_err(|reason| format!("{url}: {reason}"))
                .and_then(|body| self.install(schema, &body));
            match outcome {
                Ok(true) => pulled.replaced.push(schema.clone()),
                Ok(false) => pulled.unchanged.push(schema.clone()),
                Err(reason) => pulled.failed.push((schema.clone(), reason)),
            }
        }
        let new = snapshot.copy("new", &self.out, &files)?;
        pulled.diff = if old.exists() {
            let side = |dir: &Path| {
                DiffInput::new([dir])
                    .catalog(&self.catalog)
                    .limits(self.limits)
            };
            diff::diff(&side(&old), &side(&new))
        } else {
            // A first pull: nothing was there, so every module is new. The catalog is the same on both sides and
            // names schemas OLD does not have, so it is left out of this comparison.
            let nothing: [&Path; 0] = [];
            diff::diff(
                &DiffInput::new(nothing),
                &DiffInput::new([&new]).limits(self.limits),
            )
        };
        Ok(pulled)
    }

    /// The body of `url`, at most `max_schema_bytes` long.
    async fn fetch(&self, client: &reqwest::Client, url: reqwest::Url) -> Result<Vec<u8>, String> {
        let mut request = client.get(url);
        if let Some(credentials) = &self.credentials {
            request = request.basic_auth(credentials.username(), Some(credentials.password()));
        }
        let mut response = request.send().await.map_err(|e| e.to_string())?;
        let status = response.status();
        if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
            return Err(format!(
                "HTTP {status}: authentication failed (QUALYS_USERNAME/QUALYS_PASSWORD or ~/.netrc)"
            ));
        }
        if !status.is_success() {
            return Err(format!("HTTP {status}"));
        }
        let cap = self.limits.max_schema_bytes;
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
            if (body.len() + chunk.len()) as u64 > cap {
                return Err(format!(
                    "larger than the cap of {cap} bytes (max_schema_bytes)"
                ));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// Puts `body` in place of `schema` when it is a schema the loader accepts: written to a temporary file in
    /// the same folder, synced, loaded, then renamed over the old file. `Ok(false)` when it is the same.
    fn install(&self, schema: &str, body: &[u8]) -> Result<bool, String> {
        if let Some(refusal) = service_response(body) {
            return Err(refusal);
        }
        let target = self.out.join(schema);
        if std::fs::read(&target).is_ok_and(|old| old == body) {
            return Ok(false);
        }
        let folder = target.parent().unwrap_or(Path::new(".")).to_path_buf();
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        let temp = folder.join(format!(".{name}.pull-{}.tmp", std::process::id()));
        let result = write_synced(&temp, body)
            .map_err(|e| format!("{}: {e}", temp.display()))
            .and_then(|()| {
                xsd::load_with(
                    &xsd::FileSystem,
                    &temp,
                    &folder,
                    &xsd::Cache::default(),
                    &self.limits,
                )
                .map(drop)
                .map_err(|e| {
                    let text = e.to_string();
                    let shown = format!("{} (downloaded)", target.display());
                    text.replace(&temp.display().to_string(), &shown)
                })
            })
            .and_then(|()| {
                std::fs::rename(&temp, &target).map_err(|e| format!("{}: {e}", target.display()))
            });
        if result.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        result?;
        // The rename is durable once the folder is synced.
        if let Ok(dir) = std::fs::File::open(&folder) {
            let _ = dir.sync_all();
        }
        Ok(true)
    }
}

/// Qualys answers a bad login with HTTP 200 and a `ServiceResponse`: its code and message, when `body` is one.
fn service_response(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let doc = roxmltree::Document::parse(text).ok()?;
    let root = doc.root_element();
    if root.tag_name().name() != "ServiceResponse" {
        return None;
    }
    let field = |name: &str| {
        root.descendants()
            .find(|n| n.has_tag_name(name))
            .and_then(|n| n.text())
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    Some(format!(
        "the server answered a ServiceResponse, not a schema: {} {}",
        field("responseCode"),
        field("errorMessage")
    ))
}

fn write_synced(path: &Path, body: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::File::create(path)?;
    file.write_all(body)?;
    file.sync_all()
}

/// A temporary folder holding copies of the schema set, removed when dropped.
struct Snapshot(PathBuf);

impl Snapshot {
    fn new() -> Result<Snapshot> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("qps-codegen-pull-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
            path: dir.clone(),
            source,
        })?;
        Ok(Snapshot(dir))
    }

    /// Copies the catalog's schema files that exist under `out` into the folder `name`.
    fn copy(&self, name: &str, out: &Path, files: &[(String, String)]) -> Result<PathBuf> {
        let dir = self.0.join(name);
        for (schema, _) in files {
            let from = out.join(schema);
            if !from.is_file() {
                continue;
            }
            let to = dir.join(schema);
            let io = |source| Error::Io {
                path: to.clone(),
                source,
            };
            std::fs::create_dir_all(to.parent().unwrap_or(&dir)).map_err(io)?;
            std::fs::copy(&from, &to).map_err(io)?;
        }
        Ok(dir)
    }
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
