//! The rules a parsed catalog must meet beyond its TOML shape: [`Catalog::validate`].

use std::collections::HashSet;
use std::path::Path;

use super::{
    Action, BodyKind, Catalog, CatalogError, Entity, Filter, FilterType, IdRule, Method,
    ResponseKind,
};

impl Catalog {
    /// Checks the rules the TOML shape cannot express; reports every problem at once.
    ///
    /// Rules: identifiers are non-empty path segments; no duplicate entity, action or filter; every entity
    /// has actions; `schema` is a relative `.xsd` path; methods are non-empty and distinct; a client method
    /// `GET` carries no required body; id-or-filters bodies go with an optional id; only `data` responses
    /// are paginated; filters have operators allowed for their type, keyword filters list their values, and
    /// an entity with filters has an action that takes them; every `doc` is non-empty.
    pub fn validate(&self) -> Result<(), CatalogError> {
        let mut problems = Vec::new();
        let mut seen_entities = HashSet::new();
        for entity in &self.entities {
            let label = entity.label();
            if !seen_entities.insert((&entity.module, &entity.version, &entity.name)) {
                problems.push(format!("{label}: duplicate entity"));
            }
            entity.check(&label, &mut problems);
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(CatalogError::Invalid {
                path: self.path.clone(),
                problems,
            })
        }
    }
}

impl Entity {
    /// `module/version/name`, the way errors name the entity.
    fn label(&self) -> String {
        format!("{}/{}/{}", self.module, self.version, self.name)
    }

    fn check(&self, label: &str, problems: &mut Vec<String>) {
        for (key, value) in [("module", &self.module), ("name", &self.name)] {
            if !is_segment(value) {
                problems.push(format!(
                    "{label}: `{key}` must be a non-empty path segment of ASCII letters and digits, not {value:?}"
                ));
            }
        }
        if !is_version(&self.version) {
            problems.push(format!(
                "{label}: `version` must look like `3.0`, not {:?}",
                self.version
            ));
        }
        let schema = Path::new(&self.schema);
        let escapes = schema
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)));
        if self.schema.is_empty() || escapes || !self.schema.ends_with(".xsd") {
            problems.push(format!(
                "{label}: `schema` must be a relative path to an .xsd inside schemas/, not {:?}",
                self.schema
            ));
        }
        if !is_segment(&self.element) {
            problems.push(format!(
                "{label}: `element` must be an XML element name, not {:?}",
                self.element
            ));
        }
        check_doc(label, &self.doc, problems);

        if self.actions.is_empty() {
            problems.push(format!("{label}: no actions"));
        }
        let mut seen_actions = HashSet::new();
        for action in &self.actions {
            let action_label = format!("{label}: action `{}`", action.name);
            if !seen_actions.insert(&action.name) {
                problems.push(format!("{action_label}: duplicate action"));
            }
            action.check(&action_label, problems);
        }

        let mut seen_fields = HashSet::new();
        for filter in &self.filters {
            let filter_label = format!("{label}: filter `{}`", filter.field);
            if !seen_fields.insert(&filter.field) {
                problems.push(format!("{filter_label}: duplicate filter"));
            }
            filter.check(&filter_label, problems);
        }
        if !self.filters.is_empty() && !self.actions.iter().any(|a| a.body.takes_filters()) {
            problems.push(format!(
                "{label}: has filters but no action takes a <filters> body"
            ));
        }
    }
}

impl Action {
    fn check(&self, label: &str, problems: &mut Vec<String>) {
        if !is_segment(&self.name) {
            problems.push(format!(
                "{label}: `name` must be a non-empty path segment of ASCII letters and digits"
            ));
        }
        if self.methods.is_empty() {
            problems.push(format!("{label}: `methods` is empty"));
        }
        let mut seen_methods = HashSet::new();
        for method in &self.methods {
            if !seen_methods.insert(method) {
                problems.push(format!("{label}: method {method} is listed twice"));
            }
        }
        if self.methods.first() == Some(&Method::Get) && self.body.requires_data() {
            problems.push(format!(
                "{label}: the client method is GET but the body kind {} requires a body",
                self.body
            ));
        }
        if matches!(self.body, BodyKind::FiltersOrId | BodyKind::DataFiltersOrId)
            && self.id != IdRule::Optional
        {
            problems.push(format!(
                "{label}: body kind {} needs `id = \"optional\"`, not {}",
                self.body, self.id
            ));
        }
        if self.paginated && self.response != ResponseKind::Data {
            problems.push(format!(
                "{label}: only a `data` response can be paginated, not {}",
                self.response
            ));
        }
        check_doc(label, &self.doc, problems);
    }
}

impl Filter {
    fn check(&self, label: &str, problems: &mut Vec<String>) {
        let well_formed = !self.field.is_empty()
            && self.field.split('.').all(|part| {
                !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            });
        if !well_formed {
            problems.push(format!(
                "{label}: `field` must be dot-separated names such as `webApp.id`"
            ));
        }
        if self.operators.is_empty() {
            problems.push(format!("{label}: `operators` is empty"));
        }
        let allowed = self.kind.operators();
        let mut seen = HashSet::new();
        for operator in &self.operators {
            if !seen.insert(operator) {
                problems.push(format!("{label}: operator {operator} is listed twice"));
            }
            if !allowed.contains(operator) {
                problems.push(format!(
                    "{label}: operator {operator} does not apply to a {} field",
                    self.kind
                ));
            }
        }
        if self.kind == FilterType::Keyword && self.values.is_empty() {
            problems.push(format!("{label}: a keyword filter needs `values`"));
        }
        let mut seen_values = HashSet::new();
        for value in &self.values {
            if value.trim().is_empty() || value.trim() != value {
                problems.push(format!("{label}: value {value:?} is empty or padded"));
            }
            if !seen_values.insert(value) {
                problems.push(format!("{label}: value {value:?} is listed twice"));
            }
        }
        check_doc(label, &self.doc, problems);
    }
}

/// A path segment or element name: ASCII letters and digits, starting with a letter.
fn is_segment(value: &str) -> bool {
    value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && value.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `major.minor`, both decimal.
fn is_version(value: &str) -> bool {
    let mut parts = value.split('.');
    let is_number = |part: Option<&str>| {
        part.is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    };
    is_number(parts.next()) && is_number(parts.next()) && parts.next().is_none()
}

fn check_doc(label: &str, doc: &str, problems: &mut Vec<String>) {
    if doc.trim().is_empty() {
        problems.push(format!("{label}: `doc` is empty"));
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{MINIMAL, load};
    use super::CatalogError;

    fn invalid_problems(text: &str) -> Vec<String> {
        match load(text) {
            Err(CatalogError::Invalid { problems, .. }) => problems,
            other => panic!("expected an Invalid error, got {other:?}"),
        }
    }

    #[test]
    fn duplicate_action_is_an_error() {
        let text = MINIMAL.replace("name = \"deactivate\"", "name = \"search\"");
        let problems = invalid_problems(&text);
        assert!(
            problems
                .iter()
                .any(|p| p == "was/3.0/webapp: action `search`: duplicate action"),
            "{problems:?}"
        );
    }

    #[test]
    fn duplicate_entity_is_an_error() {
        let problems = invalid_problems(&format!("{MINIMAL}\n{MINIMAL}"));
        assert!(
            problems.iter().any(|p| p.ends_with("duplicate entity")),
            "{problems:?}"
        );
    }

    #[test]
    fn keyword_filter_needs_values() {
        let text = MINIMAL.replace("values = [\"RUNNING\", \"FINISHED\"]\n", "");
        let problems = invalid_problems(&text);
        assert!(
            problems.iter().any(|p| p.contains("needs `values`")),
            "{problems:?}"
        );
    }

    #[test]
    fn operator_must_fit_the_type_and_methods_must_not_be_empty() {
        let text = MINIMAL
            .replace("[\"EQUALS\", \"IN\"]", "[\"EQUALS\", \"CONTAINS\"]")
            .replace(
                "methods = [\"POST\"]\nid = \"optional\"",
                "methods = []\nid = \"optional\"",
            );
        let problems = invalid_problems(&text);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("CONTAINS does not apply to a keyword field")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("`methods` is empty")),
            "{problems:?}"
        );
    }

    #[test]
    fn filters_or_id_needs_an_optional_id() {
        let text = MINIMAL.replace("id = \"optional\"", "id = \"required\"");
        let problems = invalid_problems(&text);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("needs `id = \"optional\"`")),
            "{problems:?}"
        );
    }
}
