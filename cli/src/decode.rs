//! `qps decode <module>/<entity> FILE...`: saved responses (a `ServiceResponse` page or a bare entity document)
//! written in the output formats, as if they had just been received.

use std::io::Write;
use std::path::PathBuf;

use crate::catalog;
use crate::error::CliError;
use crate::output::{Format, Output};
use crate::record;

/// Decodes every file in turn into one output.
pub fn run<W: Write>(entity: &str, files: &[PathBuf], out: &mut Output<W>) -> Result<(), CliError> {
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
            let page = record::read_page(&text, &shown)?;
            if page.records.is_empty() && page.count.is_some() {
                // A count response, or a search that matched nothing: the count says which.
                if !text.contains("<data") {
                    out.count(page.count.unwrap_or(0) as i64)?;
                }
                continue;
            }
            out.records(&page.records)?;
        } else if root == entity.element {
            out.records(&[record::read_bare(&text, &shown)?])?;
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

/// The local name of the root element, read cheaply (past the prolog and comments).
fn root_name(text: &str) -> Option<String> {
    let doc = roxmltree::Document::parse(text).ok()?;
    Some(doc.root_element().tag_name().name().to_owned())
}
