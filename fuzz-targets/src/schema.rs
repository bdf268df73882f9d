//! The `schema` target: bytes as an XSD through the loader, the lowering and the emitter.

use qps_codegen::{Builder, Error};

/// The largest schema the target reads (the generator's own limit is larger; mutations rarely need more).
const MAX_BYTES: usize = 1 << 20;

/// Generates from `data`, given from memory as `fuzz.xsd` (so an `include`/`import` of another file is not
/// found, and nothing on disk is read), as a plain XSD and with the QPS profile, each on one thread (the driver
/// runs inputs on every core). An error about the input is an expected outcome; a panic (caught by the caller)
/// is a finding, and so is [`Error::Emit`]: the generator wrote tokens that are not Rust, whatever the schema.
pub fn schema(data: &[u8]) -> Result<(), String> {
    if data.len() > MAX_BYTES {
        return Ok(());
    }
    let builder = Builder::new()
        .source("fuzz.xsd", data)
        .schema("fuzz.xsd")
        .threads(1);
    for (mapping, builder) in [("plain XSD", builder.clone().plain_xsd()), ("QPS", builder)] {
        if let Err(e @ Error::Emit { .. }) = builder.generate() {
            return Err(format!(
                "{mapping}: the generator emitted code syn cannot parse: {e}"
            ));
        }
    }
    Ok(())
}
