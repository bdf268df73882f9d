//! The `schema` target: bytes as an XSD through the loader, the lowering and the emitter.

use std::cell::RefCell;
use std::path::PathBuf;

use qps_codegen::Builder;

/// The largest schema the target writes (the generator's own limit is larger; mutations rarely need more).
const MAX_BYTES: usize = 1 << 20;

thread_local! {
    /// A directory of this thread's own: the schema is written there, so `include`/`import` of other files
    /// resolve inside it (and nothing outside it is read: the builder confines loading to the schema's folder).
    static DIR: RefCell<Option<PathBuf>> = const { RefCell::new(None) };
}

fn work_dir() -> Result<PathBuf, String> {
    DIR.with(|dir| {
        let mut dir = dir.borrow_mut();
        if let Some(path) = dir.as_ref() {
            return Ok(path.clone());
        }
        let path = std::env::temp_dir().join(format!(
            "qps-fuzz-schema-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        *dir = Some(path.clone());
        Ok(path)
    })
}

/// Writes `data` as `fuzz.xsd` and generates from it, as a plain XSD and with the QPS profile. An error from
/// the generator is an expected outcome; only a panic (caught by the caller) is a finding.
pub fn schema(data: &[u8]) -> Result<(), String> {
    if data.len() > MAX_BYTES {
        return Ok(());
    }
    let path = work_dir()?.join("fuzz.xsd");
    std::fs::write(&path, data).map_err(|e| format!("{}: {e}", path.display()))?;
    let _ = Builder::new().schema(&path).plain_xsd().generate();
    let _ = Builder::new().schema(&path).generate();
    Ok(())
}
