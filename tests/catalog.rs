//! The endpoint catalog (`schemas/endpoints.toml`) agrees with the schemas and with the seed documents.
//!
//! * it loads and validates;
//! * each entity's XSD exists and declares the entity element inside its `data` containers;
//! * every seed sample is a call the catalog allows: INDEX.md table 1 gives each sample's method and URL,
//!   which must match an action's path shape, methods, id rule and body kind.

mod support;

use std::collections::BTreeSet;
use std::path::PathBuf;

use qps_codegen::qps::catalog::{Catalog, Method};
use support::{SEED_SAMPLES, catalog, root};

const XS: &str = "http://www.w3.org/2001/XMLSchema";

fn seed_dir() -> PathBuf {
    root().join("tests/fixtures/seed")
}

#[test]
fn catalog_loads_and_validates() {
    let catalog = catalog();
    let names: BTreeSet<String> = catalog
        .entities
        .iter()
        .map(|e| format!("{}/{}/{}", e.module, e.version, e.name))
        .collect();
    let expected: BTreeSet<String> = [
        "was/3.0/webapp",
        "was/3.0/wasscan",
        "was/3.0/wasscanschedule",
        "was/3.0/optionprofile",
        "was/3.0/finding",
        "am/2.0/awsassetdataconnector",
        "saq/1.0/questionnairecampaign",
        "saq/1.0/questionnaire",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(names, expected);
    let actions: usize = catalog.entities.iter().map(|e| e.actions.len()).sum();
    let filters: usize = catalog.entities.iter().map(|e| e.filters.len()).sum();
    println!(
        "{} entities, {actions} actions, {filters} filters",
        catalog.entities.len()
    );
}

/// Whether `node` is an `xs:element` named `element` that is global, or an item of a `data` container
/// (`ServiceRequestData` / `ServiceResponseData`, or the anonymous type of an element named `data`).
fn declares_entity(node: roxmltree::Node, element: &str) -> bool {
    if !node.has_tag_name((XS, "element")) || node.attribute("name") != Some(element) {
        return false;
    }
    let parent_is_schema = node
        .parent_element()
        .is_some_and(|p| p.has_tag_name((XS, "schema")));
    parent_is_schema
        || node.ancestors().skip(1).any(|a| {
            (a.has_tag_name((XS, "complexType"))
                && matches!(
                    a.attribute("name"),
                    Some("ServiceRequestData" | "ServiceResponseData")
                ))
                || (a.has_tag_name((XS, "element")) && a.attribute("name") == Some("data"))
        })
}

#[test]
fn every_entity_schema_exists_and_declares_its_element() {
    let catalog = catalog();
    let schemas = root().join("schemas");
    let mut failures = Vec::new();
    for entity in &catalog.entities {
        let path = entity.schema_path(&schemas);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                failures.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        let document = match roxmltree::Document::parse(&text) {
            Ok(document) => document,
            Err(e) => {
                failures.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        if !document
            .descendants()
            .any(|node| declares_entity(node, &entity.element))
        {
            failures.push(format!(
                "{}: no <xs:element name=\"{}\"> in ServiceRequestData/ServiceResponseData or at the top level",
                path.display(),
                entity.element
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One row of INDEX.md table 1: a seed sample and the call it belongs to.
#[derive(Debug)]
struct Row {
    file: String,
    method: String,
    path: String,
}

/// The rows of INDEX.md table 1 that name a sample: `| n | `file` | METHOD | `/qps/rest/...` ... |`.
fn index_rows() -> Vec<Row> {
    let index = std::fs::read_to_string(seed_dir().join("INDEX.md")).expect("read INDEX.md");
    let backticked = |cell: &str| {
        let cell = cell.trim();
        let start = cell.find('`')? + 1;
        let end = start + cell[start..].find('`')?;
        Some(cell[start..end].to_owned())
    };
    index
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').collect();
            // ["", " n ", " `file` ", " METHOD ", " `path` ", ...]
            if cells.len() < 5 || cells[1].trim().parse::<u32>().is_err() {
                return None;
            }
            let file = backticked(cells[2])?;
            if !(file.ends_with(".request.xml") || file.ends_with(".response.xml")) {
                return None;
            }
            Some(Row {
                file,
                method: cells[3].trim().to_owned(),
                path: backticked(cells[4])?,
            })
        })
        .collect()
}

fn parse_method(text: &str) -> Option<Method> {
    match text {
        "GET" => Some(Method::Get),
        "POST" => Some(Method::Post),
        "PUT" => Some(Method::Put),
        "DELETE" => Some(Method::Delete),
        _ => None,
    }
}

/// Checks one sample's call against the catalog; returns what is wrong.
fn check_row(catalog: &Catalog, row: &Row) -> Result<(), String> {
    let stem = row
        .file
        .strip_suffix(".request.xml")
        .or_else(|| row.file.strip_suffix(".response.xml"))
        .expect("rows are filtered on these suffixes");
    let is_request = row.file.ends_with(".request.xml");
    let name: Vec<&str> = stem.split('-').collect();
    let [module, entity_name, action_name, _n] = name[..] else {
        return Err("file name is not <module>-<entity>-<action>-<n>".into());
    };

    // Paths are accepted with or without a trailing slash.
    let rest = row
        .path
        .strip_prefix("/qps/rest/")
        .ok_or_else(|| format!("URL {} does not start with /qps/rest/", row.path))?;
    let segments: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let (version, action_segment, module_segment, entity_segment, id) = match segments[..] {
        [v, a, m, e] => (v, a, m, e, None),
        [v, a, m, e, id] => (v, a, m, e, Some(id)),
        _ => {
            return Err(format!(
                "URL {} is not /qps/rest/{{version}}/{{action}}/{{module}}/{{entity}}[/{{id}}]",
                row.path
            ));
        }
    };
    if (module_segment, entity_segment, action_segment) != (module, entity_name, action_name) {
        return Err(format!(
            "URL {} does not name the file's module, entity and action",
            row.path
        ));
    }

    let entity = catalog
        .entity(module, entity_name)
        .ok_or_else(|| format!("no catalog entity {module}/{entity_name}"))?;
    if entity.version != version {
        return Err(format!(
            "URL version {version}, catalog version {}",
            entity.version
        ));
    }
    let action = entity
        .action(action_name)
        .ok_or_else(|| format!("no catalog action {action_name} on {module}/{entity_name}"))?;
    let method = parse_method(&row.method)
        .ok_or_else(|| format!("unknown method {:?} in INDEX.md", row.method))?;
    if !action.methods.contains(&method) {
        return Err(format!(
            "method {method} is not among the action's methods {:?}",
            action.methods
        ));
    }
    if !action.id.allows(id.is_some()) {
        return Err(format!(
            "URL {} {} an id, but the action's id rule is {}",
            row.path,
            if id.is_some() { "has" } else { "lacks" },
            action.id
        ));
    }
    if is_request && !action.body.allows_body(id.is_some()) {
        return Err(format!(
            "a request body exists, but body kind {} allows none here",
            action.body
        ));
    }
    if let Some(id) = id {
        if action.path(entity, Some(id)) != row.path.trim_end_matches('/') {
            return Err(format!("catalog path {}", action.path(entity, Some(id))));
        }
    } else if action.path(entity, None) != row.path.trim_end_matches('/') {
        return Err(format!("catalog path {}", action.path(entity, None)));
    }
    Ok(())
}

#[test]
fn every_seed_sample_maps_to_a_catalog_action() {
    let catalog = catalog();
    let rows = index_rows();

    let on_disk: BTreeSet<String> = std::fs::read_dir(seed_dir())
        .expect("read the seed directory")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".request.xml") || name.ends_with(".response.xml"))
        .collect();
    let in_index: BTreeSet<String> = rows.iter().map(|row| row.file.clone()).collect();

    let mut failures = Vec::new();
    for file in on_disk.difference(&in_index) {
        failures.push(format!("{file}: on disk but not in INDEX.md table 1"));
    }
    for file in in_index.difference(&on_disk) {
        failures.push(format!("{file}: in INDEX.md table 1 but not on disk"));
    }
    let mut mapped = 0;
    for row in &rows {
        match check_row(&catalog, row) {
            Ok(()) => mapped += 1,
            Err(problem) => failures.push(format!(
                "{} ({} {}): {problem}",
                row.file, row.method, row.path
            )),
        }
    }
    println!(
        "{mapped}/{} seed samples map to catalog actions",
        rows.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        rows.len(),
        SEED_SAMPLES,
        "INDEX.md table 1 rows with a sample"
    );
    assert_eq!(on_disk.len(), SEED_SAMPLES, "seed samples on disk");
}
