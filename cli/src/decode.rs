//! `qps decode <module>/<entity> FILE...`: saved responses (a `ServiceResponse` page or a bare entity document)
//! read with the entity's generated types and written in the output formats, as if they had just been received.

use std::io::Write;
use std::path::PathBuf;

use qualys_qps::runtime::xml::Drift;

use crate::catalog;
use crate::error::CliError;
use crate::output::{Format, Output};
use crate::record;

/// Decodes every file in turn into one output; what the files carry that the schemas do not know is added to
/// `drift`.
pub fn run<W: Write>(
    entity: &str,
    files: &[PathBuf],
    out: &mut Output<W>,
    drift: &mut Drift,
) -> Result<(), CliError> {
    let (module, name) = entity.split_once('/').ok_or_else(|| {
        CliError::usage(format!(
            "decode: expected MODULE/ENTITY (e.g. was/webapp), not {entity:?}"
        ))
    })?;
    let entity = catalog::find_entity(catalog::catalog(), module, name)?;
    for file in files {
        let shown = file.display().to_string();
        let text = std::fs::read_to_string(file)
            .map_err(|e| CliError::usage(format!("decode: cannot read {shown}: {e}")))?;
        if out.format() == Format::Xml {
            out.raw(&text)?;
            continue;
        }
        let root = root_name(&text)
            .ok_or_else(|| CliError::usage(format!("decode: {shown} is not an XML document")))?;
        if root == "ServiceResponse" {
            let mut records = 0;
            let page = record::read_page(entity, &text, &shown, &mut |r| {
                records += 1;
                out.typed_record(r)
            })?;
            drift.merge(&page.drift);
            // A count response (no `<data>`) prints its count; a search that matched nothing prints nothing.
            if records == 0 && !text.contains("<data") {
                if let Some(count) = page.count {
                    out.count(count as i64)?;
                }
            }
            out.end_page()?;
        } else if root == entity.element {
            let (record, found) = record::read_bare(entity, &text, &shown)?;
            drift.merge(&found);
            out.record(record)?;
            out.end_page()?;
        } else {
            return Err(CliError::usage(format!(
                "decode: {shown}: expected <ServiceResponse> or <{}>, found <{root}>",
                entity.element
            )));
        }
    }
    if out.format() != Format::Xml {
        out.finish()?;
    }
    Ok(())
}

/// The local name of the document element: the first start tag past the prolog, comments and doctype.
fn root_name(text: &str) -> Option<String> {
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        let at = rest.find('<')?;
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix("<?") {
            rest = &after[after.find("?>")? + 2..];
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = &after[after.find("-->")? + 3..];
        } else if let Some(after) = rest.strip_prefix("<!") {
            rest = &after[after.find('>')? + 1..];
        } else {
            let name: String = rest[1..]
                .chars()
                .take_while(|c| !c.is_whitespace() && !"/>".contains(*c))
                .collect();
            let local = name.rsplit(':').next().unwrap_or(&name).to_owned();
            return (!local.is_empty()).then_some(local);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_past_the_prolog() {
        let text =
            "\u{feff}<?xml version=\"1.0\"?>\n<!-- saved -->\n<ns:ServiceResponse xmlns:ns=\"x\">";
        assert_eq!(root_name(text).as_deref(), Some("ServiceResponse"));
        assert_eq!(root_name("<WebApp/>").as_deref(), Some("WebApp"));
        assert_eq!(root_name("no markup"), None);
    }
}
