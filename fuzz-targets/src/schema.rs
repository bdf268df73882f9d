//! The `schema` target: bytes as an XSD through the loader, the lowering and the emitter.

use qps_codegen::Builder;

/// The largest schema the target reads (the generator's own limit is larger; mutations rarely need more).
const MAX_BYTES: usize = 1 << 20;

/// Generates from `data`, given from memory as `fuzz.xsd` (so an `include`/`import` of another file is not
/// found, and nothing on disk is read), as a plain XSD and with the QPS profile. An error from the generator is
/// an expected outcome; only a panic (caught by the caller) is a finding.
pub fn schema(data: &[u8]) -> Result<(), String> {
    if data.len() > MAX_BYTES {
        return Ok(());
    }
    let builder = Builder::new().source("fuzz.xsd", data).schema("fuzz.xsd");
    let _ = builder.clone().plain_xsd().generate();
    let _ = builder.generate();
    Ok(())
}
