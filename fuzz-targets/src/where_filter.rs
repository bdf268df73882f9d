//! The `where_filter` target: bytes as the text of `qps ... --where`, against every catalog entity.

use qps_cli::catalog::catalog;
use qps_cli::filter::{Criterion, criteria_xml, parse};

/// The longest text the target tries (a command-line argument is short; the parser is linear).
const MAX_BYTES: usize = 4096;

/// Parses `data` (when it is UTF-8) as a `--where` criterion of each entity of the bundled catalog. An accepted
/// criterion must be written ([`criteria_xml`]) as well-formed XML whose `field` and `name` attributes and text
/// read back as the criterion's; `Err` says where it did not.
pub fn where_filter(data: &[u8]) -> Result<(), String> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Ok(());
    };
    if text.len() > MAX_BYTES {
        return Ok(());
    }
    for entity in &catalog().entities {
        if let Ok(criterion) = parse(entity, text) {
            check_written(&criterion)
                .map_err(|e| format!("{}/{}: --where {text:?}: {e}", entity.module, entity.name))?;
        }
    }
    Ok(())
}

/// The written criterion reads back as `criterion`.
fn check_written(criterion: &Criterion) -> Result<(), String> {
    let xml = criteria_xml(criterion);
    let doc = roxmltree::Document::parse(&xml)
        .map_err(|e| format!("the criterion is written as malformed XML {xml:?}: {e}"))?;
    let root = doc.root_element();
    let text = root.text().unwrap_or("");
    let read_back = (
        root.attribute("field"),
        root.attribute("name"),
        root.attribute("operator"),
        text,
    );
    let expected = (
        Some(criterion.field.as_str()),
        criterion.name.as_deref(),
        Some(criterion.operator.as_str()),
        criterion.value.as_str(),
    );
    if read_back != expected {
        return Err(format!(
            "{xml:?} reads back as {read_back:?}, not {expected:?}"
        ));
    }
    Ok(())
}
