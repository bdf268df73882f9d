//! The endpoint catalog: which actions each QPS resource has, how they are called, and which fields its
//! search criteria accept.
//!
//! The catalog lives in `schemas/endpoints.toml`, next to the XSDs it refers to. The XSDs describe the XML
//! bodies; the catalog describes everything the XSDs cannot: the HTTP method, whether the entity id goes in
//! the path, which body an action takes, what comes back, and the documented `Criteria` fields with their
//! types and operators. The generator turns each [`Action`] into an endpoint stub and each entity's
//! [`Filter`] list into a typed criteria builder.
//!
//! Loading is strict on purpose: an unknown key is an error (a misspelt `paginted = true` must not silently
//! mean `false`), and [`Catalog::validate`] rejects catalogs that would generate nonsense, such as a
//! duplicate action or a keyword filter without values.

mod validate;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The whole endpoint catalog: every QPS resource the crate binds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// The resources, in file order (`[[entity]]` tables).
    #[serde(rename = "entity", default)]
    pub entities: Vec<Entity>,
    /// The file the catalog was read from, used to name it in errors; empty for a catalog built in code.
    #[serde(skip)]
    pub path: PathBuf,
}

/// One QPS resource, such as `was/3.0/webapp`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    /// The module path segment: `was`, `am` or `saq`.
    pub module: String,
    /// The API version path segment, such as `3.0`.
    pub version: String,
    /// The entity path segment, such as `webapp`.
    pub name: String,
    /// The XSD describing the entity's bodies, relative to the `schemas/` directory.
    pub schema: String,
    /// The entity element inside `ServiceRequest/data` and `ServiceResponse/data`, such as `WebApp`.
    pub element: String,
    /// What the resource is, for rustdoc.
    pub doc: String,
    /// The actions the resource supports (`[[entity.action]]` tables).
    #[serde(rename = "action", default)]
    pub actions: Vec<Action>,
    /// The documented search criteria fields (`[[entity.filter]]` tables).
    #[serde(rename = "filter", default)]
    pub filters: Vec<Filter>,
}

/// One action on a resource, such as `search` or `deactivate`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// The action path segment, such as `search` or `editSeverity`.
    pub name: String,
    /// The HTTP methods the server accepts; the first is the one the client uses.
    pub methods: Vec<Method>,
    /// Whether the entity id goes in the path.
    pub id: IdRule,
    /// The request body the action takes.
    pub body: BodyKind,
    /// What the response body is.
    pub response: ResponseKind,
    /// Whether the response is paged with `hasMoreRecords`/`lastId` and the client should follow it.
    #[serde(default)]
    pub paginated: bool,
    /// What the action does, for rustdoc.
    pub doc: String,
}

/// One documented `Criteria` field of a resource's search.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// The `field` attribute of `Criteria`, such as `name` or `webApp.id`.
    pub field: String,
    /// The type of the value, which also bounds the operators.
    #[serde(rename = "type")]
    pub kind: FilterType,
    /// The operators the field accepts.
    pub operators: Vec<Operator>,
    /// The allowed values of a [`FilterType::Keyword`] field; optional for the other types.
    #[serde(default)]
    pub values: Vec<String>,
    /// Whether the criterion also names which one of several (`<Criteria field="attributes" name="Owner">`:
    /// custom attributes are selected by name).
    #[serde(default)]
    pub named: bool,
    /// What the field means, for rustdoc.
    pub doc: String,
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum Method {
    /// `GET`.
    #[serde(rename = "GET")]
    Get,
    /// `POST`.
    #[serde(rename = "POST")]
    Post,
    /// `PUT`.
    #[serde(rename = "PUT")]
    Put,
    /// `DELETE`.
    #[serde(rename = "DELETE")]
    Delete,
}

/// Whether an action takes the entity id as the last path segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdRule {
    /// Never: `/qps/rest/3.0/search/was/webapp`.
    None,
    /// Either form: by id, or without an id (by filters or by an id in the data).
    Optional,
    /// Always: `/qps/rest/3.0/get/was/webapp/{id}`.
    Required,
}

/// The request body an action takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum BodyKind {
    /// No body.
    #[serde(rename = "none")]
    None,
    /// An optional `<ServiceRequest><filters>`.
    #[serde(rename = "filters")]
    Filters,
    /// A required `<ServiceRequest><data><Entity>`.
    #[serde(rename = "data")]
    Data,
    /// `<ServiceRequest><data><Entity>`, allowed but optional.
    #[serde(rename = "data-optional")]
    DataOptional,
    /// A search: `<ServiceRequest>` with optional `<preferences>` and `<filters>`.
    #[serde(rename = "preferences+filters")]
    PreferencesFilters,
    /// The id in the path and no body, or no id and a `<filters>` body.
    #[serde(rename = "filters-or-id")]
    FiltersOrId,
    /// A required `<data>`, plus either the id in the path or a `<filters>` body.
    #[serde(rename = "data+filters-or-id")]
    DataFiltersOrId,
}

/// What an action's response body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResponseKind {
    /// A `ServiceResponse` envelope whose `data` holds entities.
    Data,
    /// A `ServiceResponse` envelope with only a `count`.
    Count,
    /// A bare entity document, not an envelope (the scan download returns `<WasScan>`).
    Bare,
    /// `text/calendar` (the schedule download).
    Icalendar,
}

/// The type of a `Criteria` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FilterType {
    /// A 64-bit integer (ids).
    Long,
    /// A whole number; Qualys's pages use the word for ids too, so generate a 64-bit type.
    Integer,
    /// Free text.
    Text,
    /// A UTC date-time, `YYYY-MM-DDThh:mm:ssZ`.
    Date,
    /// `true` or `false`.
    Boolean,
    /// One of a fixed set of values ([`Filter::values`]).
    Keyword,
}

/// A `Criteria` operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum Operator {
    /// `EQUALS`.
    #[serde(rename = "EQUALS")]
    Equals,
    /// `NOT EQUALS` (with a space, as Qualys spells it).
    #[serde(rename = "NOT EQUALS")]
    NotEquals,
    /// `CONTAINS`.
    #[serde(rename = "CONTAINS")]
    Contains,
    /// `GREATER`.
    #[serde(rename = "GREATER")]
    Greater,
    /// `LESSER`.
    #[serde(rename = "LESSER")]
    Lesser,
    /// `IN`, with one comma-separated value.
    #[serde(rename = "IN")]
    In,
}

/// Why the catalog could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The file could not be read.
    #[error("{}: cannot read the endpoint catalog: {source}", path.display())]
    Io {
        /// The catalog file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The text is not TOML, or not TOML of the catalog's shape (unknown key, wrong type, bad value).
    #[error("{}: {message}", at(path, *location))]
    Parse {
        /// The catalog file.
        path: PathBuf,
        /// The 1-based line and column (in characters) of the error, when the parser knows it.
        location: Option<(usize, usize)>,
        /// What is wrong.
        message: String,
    },
    /// The catalog parsed but is inconsistent; every problem found is listed.
    #[error("{}: invalid endpoint catalog:\n  - {}", path.display(), problems.join("\n  - "))]
    Invalid {
        /// The catalog file.
        path: PathBuf,
        /// One sentence per problem, each naming the entity, action or filter.
        problems: Vec<String>,
    },
}

/// Formats `path:line:column`, or just the path when the location is unknown.
fn at(path: &Path, location: Option<(usize, usize)>) -> String {
    match location {
        Some((line, column)) => format!("{}:{line}:{column}", path.display()),
        None => path.display().to_string(),
    }
}

/// Converts a byte offset into `text` to a 1-based line and a 1-based column counted in characters.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

impl Catalog {
    /// Reads, parses and validates the catalog at `path`.
    pub fn from_path(path: &Path) -> Result<Catalog, CatalogError> {
        let text = std::fs::read_to_string(path).map_err(|source| CatalogError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Catalog::from_str_at(&text, path)
    }

    /// Parses and validates catalog `text`; `path` names the text in errors.
    pub fn from_str_at(text: &str, path: impl AsRef<Path>) -> Result<Catalog, CatalogError> {
        let path = path.as_ref();
        let mut catalog: Catalog = toml::from_str(text).map_err(|error| CatalogError::Parse {
            path: path.to_path_buf(),
            location: error.span().map(|span| line_column(text, span.start)),
            message: error.message().trim_end().to_owned(),
        })?;
        catalog.path = path.to_path_buf();
        catalog.validate()?;
        Ok(catalog)
    }

    /// Finds an entity by module and name, such as `("was", "webapp")`.
    pub fn entity(&self, module: &str, name: &str) -> Option<&Entity> {
        self.entities
            .iter()
            .find(|entity| entity.module == module && entity.name == name)
    }
}

impl Entity {
    /// The absolute path of the entity's XSD, given the `schemas/` directory.
    pub fn schema_path(&self, schemas_dir: &Path) -> PathBuf {
        schemas_dir.join(&self.schema)
    }

    /// Finds an action by name.
    pub fn action(&self, name: &str) -> Option<&Action> {
        self.actions.iter().find(|action| action.name == name)
    }

    /// Finds a filter by its `Criteria` field name.
    pub fn filter(&self, field: &str) -> Option<&Filter> {
        self.filters.iter().find(|filter| filter.field == field)
    }

    /// Whether id paging can add `id GREATER <lastId>`: the catalog documents that operator on the `id` filter.
    pub fn pages_by_id_criterion(&self) -> bool {
        self.filter("id")
            .is_some_and(|f| f.operators.contains(&Operator::Greater))
    }
}

impl Action {
    /// The request path: `/qps/rest/{version}/{action}/{module}/{entity}[/{id}]`.
    ///
    /// The id is appended as given, without checking [`Action::id`]; see [`IdRule::allows`].
    pub fn path(&self, entity: &Entity, id: Option<&str>) -> String {
        let mut path = format!(
            "/qps/rest/{}/{}/{}/{}",
            entity.version, self.name, entity.module, entity.name
        );
        if let Some(id) = id {
            path.push('/');
            path.push_str(id);
        }
        path
    }

    /// The method the client uses: the first of [`Action::methods`].
    ///
    /// Panics if `methods` is empty, which [`Catalog::validate`] rejects.
    pub fn method(&self) -> Method {
        self.methods[0]
    }
}

impl IdRule {
    /// Whether a request with (`true`) or without (`false`) an id in the path fits this rule.
    pub fn allows(self, has_id: bool) -> bool {
        match self {
            IdRule::None => !has_id,
            IdRule::Optional => true,
            IdRule::Required => has_id,
        }
    }

    /// The spelling in the catalog.
    pub fn as_str(self) -> &'static str {
        match self {
            IdRule::None => "none",
            IdRule::Optional => "optional",
            IdRule::Required => "required",
        }
    }
}

impl BodyKind {
    /// Whether a request may carry a body, given whether the id is in the path.
    pub fn allows_body(self, has_id: bool) -> bool {
        match self {
            BodyKind::None => false,
            BodyKind::FiltersOrId => !has_id,
            BodyKind::Filters
            | BodyKind::Data
            | BodyKind::DataOptional
            | BodyKind::PreferencesFilters
            | BodyKind::DataFiltersOrId => true,
        }
    }

    /// Whether the body must contain `<data>`.
    pub fn requires_data(self) -> bool {
        matches!(self, BodyKind::Data | BodyKind::DataFiltersOrId)
    }

    /// Whether the body may contain `<filters>`.
    pub fn takes_filters(self) -> bool {
        matches!(
            self,
            BodyKind::Filters
                | BodyKind::PreferencesFilters
                | BodyKind::FiltersOrId
                | BodyKind::DataFiltersOrId
        )
    }

    /// The spelling in the catalog.
    pub fn as_str(self) -> &'static str {
        match self {
            BodyKind::None => "none",
            BodyKind::Filters => "filters",
            BodyKind::Data => "data",
            BodyKind::DataOptional => "data-optional",
            BodyKind::PreferencesFilters => "preferences+filters",
            BodyKind::FiltersOrId => "filters-or-id",
            BodyKind::DataFiltersOrId => "data+filters-or-id",
        }
    }
}

impl ResponseKind {
    /// The spelling in the catalog.
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseKind::Data => "data",
            ResponseKind::Count => "count",
            ResponseKind::Bare => "bare",
            ResponseKind::Icalendar => "icalendar",
        }
    }
}

impl Method {
    /// The method as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

impl FilterType {
    /// The operators Qualys documents for values of this type.
    pub fn operators(self) -> &'static [Operator] {
        use Operator::*;
        match self {
            FilterType::Long | FilterType::Integer => &[Equals, NotEquals, Greater, Lesser, In],
            FilterType::Text => &[Contains, Equals, NotEquals],
            FilterType::Date => &[Equals, NotEquals, Greater, Lesser],
            FilterType::Keyword => &[Equals, NotEquals, In],
            FilterType::Boolean => &[Equals, NotEquals],
        }
    }

    /// The spelling in the catalog.
    pub fn as_str(self) -> &'static str {
        match self {
            FilterType::Long => "long",
            FilterType::Integer => "integer",
            FilterType::Text => "text",
            FilterType::Date => "date",
            FilterType::Boolean => "boolean",
            FilterType::Keyword => "keyword",
        }
    }
}

impl Operator {
    /// The `operator` attribute as sent on the wire, such as `NOT EQUALS`.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Equals => "EQUALS",
            Operator::NotEquals => "NOT EQUALS",
            Operator::Contains => "CONTAINS",
            Operator::Greater => "GREATER",
            Operator::Lesser => "LESSER",
            Operator::In => "IN",
        }
    }
}

macro_rules! display_as_str {
    ($($ty:ty),*) => {$(
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}
display_as_str!(IdRule, BodyKind, ResponseKind, Method, FilterType, Operator);

#[cfg(test)]
mod tests {
    use super::*;

    /// A small valid catalog, which the tests alter one key at a time.
    pub(super) const MINIMAL: &str = r#"
[[entity]]
module = "was"
version = "3.0"
name = "webapp"
schema = "was/3.0/webapp.xsd"
element = "WebApp"
doc = "Web applications."

[[entity.action]]
name = "search"
methods = ["POST"]
id = "none"
body = "preferences+filters"
response = "data"
paginated = true
doc = "Search web applications."

[[entity.action]]
name = "deactivate"
methods = ["POST"]
id = "optional"
body = "filters-or-id"
response = "data"
doc = "Deactivate."

[[entity.filter]]
field = "name"
type = "text"
operators = ["CONTAINS", "EQUALS", "NOT EQUALS"]
doc = "Name."

[[entity.filter]]
field = "lastScan.status"
type = "keyword"
operators = ["EQUALS", "IN"]
values = ["RUNNING", "FINISHED"]
doc = "Status."
"#;

    pub(super) fn load(text: &str) -> Result<Catalog, CatalogError> {
        Catalog::from_str_at(text, "endpoints.toml")
    }

    #[test]
    fn loads_a_minimal_catalog() {
        let catalog = load(MINIMAL).unwrap();
        assert_eq!(catalog.path, Path::new("endpoints.toml"));
        let webapp = catalog.entity("was", "webapp").unwrap();
        let search = webapp.action("search").unwrap();
        assert_eq!(search.method(), Method::Post);
        assert_eq!(search.body, BodyKind::PreferencesFilters);
        assert!(search.paginated);
        assert!(!webapp.action("deactivate").unwrap().paginated);
        let name = webapp.filter("name").unwrap();
        assert_eq!(name.kind, FilterType::Text);
        assert_eq!(name.operators[2], Operator::NotEquals);
        assert_eq!(name.operators[2].to_string(), "NOT EQUALS");
    }

    #[test]
    fn builds_paths() {
        let catalog = load(MINIMAL).unwrap();
        let webapp = &catalog.entities[0];
        let deactivate = webapp.action("deactivate").unwrap();
        assert_eq!(
            deactivate.path(webapp, None),
            "/qps/rest/3.0/deactivate/was/webapp"
        );
        assert_eq!(
            deactivate.path(webapp, Some("1688")),
            "/qps/rest/3.0/deactivate/was/webapp/1688"
        );
    }

    #[test]
    fn bad_toml_reports_line_and_column() {
        let text = "[[entity]]\nmodule = \"was\"\nversion = 3.0.0\n";
        let error = load(text).unwrap_err();
        let CatalogError::Parse { location, .. } = &error else {
            panic!("expected a Parse error, got {error:?}");
        };
        let (line, column) = location.expect("a syntax error has a location");
        assert_eq!(line, 3, "{error}");
        assert!(column >= 11, "{error}");
        assert!(
            error.to_string().starts_with("endpoints.toml:3:"),
            "{error}"
        );
    }

    #[test]
    fn unknown_key_is_an_error() {
        let text = MINIMAL.replace("paginated = true", "paginted = true");
        let error = load(&text).unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, CatalogError::Parse { .. }), "{message}");
        assert!(message.contains("paginted"), "{message}");
        // The location points at the misspelt key's table (line 11 or later, not the top of the file).
        let CatalogError::Parse { location, .. } = error else {
            unreachable!()
        };
        assert!(location.is_some_and(|(line, _)| line >= 11), "{message}");
    }

    #[test]
    fn unknown_operator_is_an_error() {
        let text = MINIMAL.replace("\"NOT EQUALS\"]", "\"NOT_EQUALS\"]");
        let message = load(&text).unwrap_err().to_string();
        assert!(message.contains("NOT_EQUALS"), "{message}");
    }

    #[test]
    fn missing_file_names_the_file() {
        let error = Catalog::from_path(Path::new("/nonexistent/endpoints.toml")).unwrap_err();
        assert!(matches!(error, CatalogError::Io { .. }));
        assert!(
            error
                .to_string()
                .starts_with("/nonexistent/endpoints.toml: ")
        );
    }

    #[test]
    fn line_column_counts_characters() {
        let text = "a = 1\nbé = x\n";
        let offset = text.find('x').unwrap();
        assert_eq!(line_column(text, offset), (2, 6));
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, text.len() + 10), (3, 1));
    }
}
