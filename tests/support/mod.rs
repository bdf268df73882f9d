//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The seed samples: (file name, module, entity, action, is request, text).
pub fn seed_samples() -> Vec<(String, String, String, String, bool, String)> {
    let dir = root().join("tests/fixtures/seed");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("tests/fixtures/seed exists") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".xml") else {
            continue;
        };
        let (stem, request) = match (
            stem.strip_suffix(".request"),
            stem.strip_suffix(".response"),
        ) {
            (Some(s), _) => (s, true),
            (_, Some(s)) => (s, false),
            _ => continue,
        };
        let parts: Vec<&str> = stem.split('-').collect();
        let text = std::fs::read_to_string(&path).unwrap();
        out.push((
            name.clone(),
            parts[0].to_owned(),
            parts[1].to_owned(),
            parts[2].to_owned(),
            request,
            text,
        ));
    }
    out.sort();
    out
}

/// A canonical text form of an XML document: one line per element, attribute and text node, with namespace
/// declarations and `xsi:` attributes left out, attributes sorted, and text trimmed (whitespace-only text and the
/// CDATA-vs-escaped distinction vanish). Sibling elements are ordered by name, stably: Qualys objects are
/// `xs:all` groups, whose order is free, while repeated elements keep their order. (Sequence order is checked
/// separately, by validating what we write against the XSD.)
pub fn canonical(xml: &str) -> Result<Vec<String>, String> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    walk(doc.root_element(), 0, &mut out);
    Ok(out)
}

fn walk(node: roxmltree::Node, depth: usize, out: &mut Vec<String>) {
    let pad = "  ".repeat(depth);
    out.push(format!("{pad}<{}>", node.tag_name().name()));
    let mut attrs: Vec<String> = node
        .attributes()
        .filter(|a| a.namespace() != Some("http://www.w3.org/2001/XMLSchema-instance"))
        .map(|a| format!("{pad}  @{}={:?}", a.name(), a.value()))
        .collect();
    attrs.sort();
    out.extend(attrs);
    let text: String = node
        .children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect();
    let text = text.trim();
    if !text.is_empty() {
        out.push(format!("{pad}  {text:?}"));
    }
    let mut children: Vec<roxmltree::Node> = node.children().filter(|c| c.is_element()).collect();
    children.sort_by_key(|c| c.tag_name().name());
    for child in children {
        walk(child, depth + 1, out);
    }
}

/// Fails with a line diff when two documents are not canonically equal.
pub fn assert_canonical_eq(expected: &str, actual: &str, what: &str) -> Result<(), String> {
    let a = canonical(expected)?;
    let b = canonical(actual)?;
    if a == b {
        return Ok(());
    }
    let mut diff = String::new();
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(i), b.get(i));
        if x != y {
            diff.push_str(&format!(
                "  line {i}: expected {x:?}\n           actual   {y:?}\n"
            ));
            if diff.len() > 1500 {
                break;
            }
        }
    }
    Err(format!("{what}: not canonically equal\n{diff}"))
}

/// Validates `xml` against `xsd` with xmllint; Err carries xmllint's message. Panics when xmllint is missing.
pub fn xmllint_validate(xsd: &Path, xml: &str, label: &str) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("qps-xmllint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(label.replace(['/', ' '], "_"));
    std::fs::write(&file, xml).unwrap();
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(xsd)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("xmllint could not be run ({e}): install libxml2-utils (apt-get install -y libxml2-utils)"));
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{label}: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// The XSD of a module/entity.
pub fn schema_of(module: &str, entity: &str) -> PathBuf {
    let version = match module {
        "was" => "3.0",
        "am" => "2.0",
        "saq" => "1.0",
        other => panic!("unknown module {other}"),
    };
    root().join(format!("schemas/{module}/{version}/{entity}.xsd"))
}
