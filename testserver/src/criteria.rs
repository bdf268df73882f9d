//! Search criteria: checked against the catalog's filters, then evaluated on the stored XML trees.
//!
//! A field is a dotted path (`name`, `webApp.id`, `tags.id`); collection wrappers on the way are looked
//! through, so `tags.id` holds when any tag's id does. Values compare by the filter's catalog type: numbers
//! numerically, dates as instants, booleans as booleans, keywords exactly, text with a case-insensitive
//! `CONTAINS`. Several criteria are ANDed.

use std::cmp::Ordering;
use std::ops::RangeInclusive;

use chrono::{DateTime, FixedOffset, NaiveDate};
use qps_codegen::qps::catalog::{Entity as CatalogEntity, FilterType, Operator};

use crate::entities::{FieldSource, Kind, field_source};
use crate::envelope::ApiError;
use crate::store::Store;
use crate::tree::Node;

/// A `<Criteria>` element as sent: its attributes and its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Criteria {
    pub field: Option<String>,
    pub name: Option<String>,
    pub operator: Option<String>,
    pub value: String,
}

impl Criteria {
    /// The `<Criteria>` children of `<filters>`.
    ///
    /// Read from the tree rather than through the generated `Criteria`, which requires text and so cannot
    /// carry the empty value of `operator="NONE"`.
    pub fn of(filters: Option<&Node>) -> Vec<Criteria> {
        let attr = |node: &Node, name: &str| {
            node.attrs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        filters
            .map(|f| {
                f.children
                    .iter()
                    .filter(|c| c.name == "Criteria")
                    .map(|c| Criteria {
                        field: attr(c, "field"),
                        name: attr(c, "name"),
                        operator: attr(c, "operator"),
                        value: c.text.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// One criterion, checked and ready to evaluate.
#[derive(Debug, Clone)]
pub(crate) struct Criterion {
    op: Op,
    kind: FilterType,
    source: Source,
    expected: Vec<Expected>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Equals,
    NotEquals,
    Contains,
    Greater,
    Lesser,
    In,
    None,
}

#[derive(Debug, Clone)]
enum Source {
    Field(FieldSource),
    /// `field="attributes" name="..."`: the values of the custom attributes with that name.
    Attribute(String),
}

#[derive(Debug, Clone)]
enum Expected {
    Number(i64),
    Date(DateTime<FixedOffset>),
    Bool(bool),
    Text(String),
}

/// Checks `criteria` against the catalog filters of `entity`.
pub(crate) fn compile(
    kind: &Kind,
    entity: &CatalogEntity,
    criteria: &[Criteria],
) -> Result<Vec<Criterion>, ApiError> {
    criteria
        .iter()
        .map(|c| compile_one(kind, entity, c))
        .collect()
}

fn compile_one(
    kind: &Kind,
    entity: &CatalogEntity,
    criteria: &Criteria,
) -> Result<Criterion, ApiError> {
    let field = criteria
        .field
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .ok_or_else(|| {
            ApiError::invalid_request(
                "A Criteria has no field attribute.",
                "Give every Criteria a field, such as <Criteria field=\"id\" operator=\"EQUALS\">1</Criteria>.",
            )
        })?;
    let op = match criteria.operator.as_deref().map(str::trim) {
        Some("EQUALS") => Op::Equals,
        Some("NOT EQUALS") => Op::NotEquals,
        Some("CONTAINS") => Op::Contains,
        Some("GREATER") => Op::Greater,
        Some("LESSER") => Op::Lesser,
        Some("IN") => Op::In,
        Some("NONE") => Op::None,
        Some(other) => {
            return Err(ApiError::invalid_request(
                format!("Unknown operator '{other}' for field '{field}'."),
                "Use EQUALS, NOT EQUALS, CONTAINS, GREATER, LESSER, IN or NONE.",
            ));
        }
        None => {
            return Err(ApiError::invalid_request(
                format!("The Criteria on field '{field}' has no operator."),
                "Add an operator attribute.",
            ));
        }
    };
    let value = criteria.value.trim();

    if field == "attributes" && kind.label() == "was/webapp" {
        let name = criteria
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| {
                ApiError::invalid_request(
                    "A custom attribute Criteria needs the attribute name.",
                    "Write <Criteria field=\"attributes\" name=\"...\" operator=\"EQUALS\">value</Criteria>.",
                )
            })?;
        let allowed = FilterType::Text.operators();
        if !allowed.iter().any(|o| Op::from(*o) == op) {
            return Err(operator_error(field, op, allowed));
        }
        return Ok(Criterion {
            op,
            kind: FilterType::Text,
            source: Source::Attribute(name.to_owned()),
            expected: vec![Expected::Text(value.to_owned())],
        });
    }

    let Some(filter) = entity.filter(field) else {
        // NONE applies to what a documented field is a part of: `tags` (of `tags.id`), `lastScan`, ...
        let prefix = format!("{field}.");
        if op == Op::None && entity.filters.iter().any(|f| f.field.starts_with(&prefix)) {
            return Ok(Criterion {
                op,
                kind: FilterType::Text,
                source: Source::Field(field_source(kind, field)),
                expected: Vec::new(),
            });
        }
        let known: Vec<&str> = entity.filters.iter().map(|f| f.field.as_str()).collect();
        return Err(ApiError::invalid_request(
            format!(
                "Invalid field '{field}' in Criteria for {}.",
                entity.element
            ),
            format!("Use one of: {}.", known.join(", ")),
        ));
    };
    if op == Op::None || !filter.operators.iter().any(|o| Op::from(*o) == op) {
        return Err(operator_error(field, op, &filter.operators));
    }
    let parts: Vec<&str> = if op == Op::In {
        value.split(',').map(str::trim).collect()
    } else {
        vec![value]
    };
    let expected = parts
        .into_iter()
        .map(|part| parse_expected(filter.kind, field, part))
        .collect::<Result<_, _>>()?;
    Ok(Criterion {
        op,
        kind: filter.kind,
        source: Source::Field(field_source(kind, field)),
        expected,
    })
}

impl From<Operator> for Op {
    fn from(op: Operator) -> Op {
        match op {
            Operator::Equals => Op::Equals,
            Operator::NotEquals => Op::NotEquals,
            Operator::Contains => Op::Contains,
            Operator::Greater => Op::Greater,
            Operator::Lesser => Op::Lesser,
            Operator::In => Op::In,
        }
    }
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::Equals => "EQUALS",
            Op::NotEquals => "NOT EQUALS",
            Op::Contains => "CONTAINS",
            Op::Greater => "GREATER",
            Op::Lesser => "LESSER",
            Op::In => "IN",
            Op::None => "NONE",
        }
    }
}

fn operator_error(field: &str, op: Op, allowed: &[Operator]) -> ApiError {
    let allowed: Vec<&str> = allowed.iter().map(|o| o.as_str()).collect();
    ApiError::invalid_request(
        format!(
            "Operator '{}' is not supported for field '{field}'.",
            op.as_str()
        ),
        format!("Use one of: {}.", allowed.join(", ")),
    )
}

fn parse_expected(kind: FilterType, field: &str, value: &str) -> Result<Expected, ApiError> {
    let invalid = |what: &str| {
        ApiError::invalid_request(
            format!("Invalid value '{value}' for field '{field}': expected {what}."),
            format!("Give {what}."),
        )
    };
    Ok(match kind {
        FilterType::Long | FilterType::Integer => {
            Expected::Number(value.parse().map_err(|_| invalid("a whole number"))?)
        }
        FilterType::Date => Expected::Date(
            parse_date(value).ok_or_else(|| invalid("a date such as 2019-02-01T05:47:50Z"))?,
        ),
        FilterType::Boolean => {
            Expected::Bool(parse_bool(value).ok_or_else(|| invalid("true or false"))?)
        }
        FilterType::Text | FilterType::Keyword => Expected::Text(value.to_owned()),
    })
}

fn parse_date(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text).ok().or_else(|| {
        let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
        Some(day.and_hms_opt(0, 0, 0)?.and_utc().fixed_offset())
    })
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.trim() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// Whether `node` (a record of `kind`) meets every criterion.
pub(crate) fn matches_all(store: &Store, criteria: &[Criterion], node: &Node) -> bool {
    criteria.iter().all(|c| c.matches(store, node))
}

/// The ids a record can have and still match `criteria`, as bounded by their criteria on the record's own `id`
/// (`EQUALS`, `IN`, `GREATER`, `LESSER`); `None` when no id can. The store keeps records by id, so a search
/// walks only this range (an id-paged walk reads each page, not the whole table, per request); every record in
/// it must still pass [`matches_all`].
pub(crate) fn id_range(criteria: &[Criterion]) -> Option<RangeInclusive<i64>> {
    let (mut low, mut high) = (i64::MIN, i64::MAX);
    for criterion in criteria {
        if !matches!(&criterion.source, Source::Field(FieldSource::Path(path)) if path == "id") {
            continue;
        }
        let numbers: Vec<i64> = criterion
            .expected
            .iter()
            .filter_map(|e| match e {
                Expected::Number(n) => Some(*n),
                _ => None,
            })
            .collect();
        let (Some(&min), Some(&max)) = (numbers.iter().min(), numbers.iter().max()) else {
            continue;
        };
        match criterion.op {
            Op::Equals | Op::In => {
                low = low.max(min);
                high = high.min(max);
            }
            Op::Greater => match min.checked_add(1) {
                Some(above) => low = low.max(above),
                None => return None,
            },
            Op::Lesser => match max.checked_sub(1) {
                Some(below) => high = high.min(below),
                None => return None,
            },
            Op::NotEquals | Op::Contains | Op::None => {}
        }
    }
    (low <= high).then_some(low..=high)
}

impl Criterion {
    /// Whether the criterion is only an option of the action (`removeFromSubscription`), not a condition.
    pub fn is_option(&self) -> bool {
        matches!(self.source, Source::Field(FieldSource::Option))
    }

    fn matches(&self, store: &Store, node: &Node) -> bool {
        let values: Vec<String> = match &self.source {
            Source::Field(FieldSource::Option) => return true,
            Source::Field(FieldSource::Path(path)) if self.op == Op::None => {
                return item_count(node, &split(path)) == 0;
            }
            Source::Field(FieldSource::Exists(path)) => {
                vec![(item_count(node, &split(path)) > 0).to_string()]
            }
            Source::Field(FieldSource::Path(path)) => texts(node, &split(path)),
            Source::Field(FieldSource::Join {
                key,
                module,
                entity,
                path,
            }) => {
                let table = store.table_by_name(module, entity);
                texts(node, &split(key))
                    .iter()
                    .filter_map(|id| id.parse::<i64>().ok())
                    .filter_map(|id| table?.records.get(&id))
                    .flat_map(|record| texts(&record.node, &split(path)))
                    .collect()
            }
            Source::Field(FieldSource::UsedBy {
                module,
                entity,
                path,
            }) => {
                let id = node.id().map(|id| id.to_string());
                let used = store.table_by_name(module, entity).is_some_and(|table| {
                    table.records.values().any(|record| {
                        texts(&record.node, &split(path))
                            .iter()
                            .any(|v| Some(v) == id.as_ref())
                    })
                });
                vec![used.to_string()]
            }
            Source::Attribute(name) => node
                .child("attributes")
                .map(|a| {
                    a.list_items()
                        .iter()
                        .filter(|item| item.text_at("name") == Some(name.as_str()))
                        .filter_map(|item| item.text_at("value").map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        };
        // An absent boolean reads as false (Qualys omits most false flags).
        let values = if values.is_empty() && self.kind == FilterType::Boolean {
            vec!["false".to_owned()]
        } else {
            values
        };
        let any = |test: &dyn Fn(&str, &Expected) -> bool| {
            values
                .iter()
                .any(|v| self.expected.iter().any(|e| test(v, e)))
        };
        match self.op {
            Op::Equals | Op::In => any(&|v, e| self.compare(v, e) == Some(Ordering::Equal)),
            Op::NotEquals => !any(&|v, e| self.compare(v, e) == Some(Ordering::Equal)),
            Op::Greater => any(&|v, e| self.compare(v, e) == Some(Ordering::Greater)),
            Op::Lesser => any(&|v, e| self.compare(v, e) == Some(Ordering::Less)),
            Op::Contains => any(&|v, e| match e {
                Expected::Text(t) => v.to_lowercase().contains(&t.to_lowercase()),
                _ => false,
            }),
            Op::None => values.is_empty(),
        }
    }

    /// How the stored `value` compares with `expected`, by the filter's type; `None` when it is not of that
    /// type.
    fn compare(&self, value: &str, expected: &Expected) -> Option<Ordering> {
        match expected {
            Expected::Number(n) => Some(value.trim().parse::<i64>().ok()?.cmp(n)),
            Expected::Date(d) => Some(parse_date(value)?.cmp(d)),
            Expected::Bool(b) => Some(parse_bool(value)?.cmp(b)),
            Expected::Text(t) if self.kind == FilterType::Keyword => {
                Some(if value.trim().eq_ignore_ascii_case(t) {
                    Ordering::Equal
                } else {
                    value.trim().cmp(t.as_str())
                })
            }
            Expected::Text(t) => Some(value.trim().cmp(t.as_str())),
        }
    }
}

fn split(path: &str) -> Vec<&str> {
    path.split('.').collect()
}

/// Whether `node` wraps a Qualys collection (`<count/>` and/or `<list/>`).
fn is_collection(node: &Node) -> bool {
    !node.children.is_empty()
        && node
            .children
            .iter()
            .all(|c| c.name == "count" || c.name == "list")
}

/// Item elements are capitalised (`Tag`, `ActivationModule`, `long` being the exception Qualys makes).
fn is_item_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase()) || name == "long"
}

/// The elements `path` leads to from `node`. When a step is not a child, collection items are looked
/// through: inside `<list>`, or directly under the element as SAQ nests `<tags><Tag>`.
pub(crate) fn reach<'a>(node: &'a Node, path: &[&str], out: &mut Vec<&'a Node>) {
    let Some((first, rest)) = path.split_first() else {
        out.push(node);
        return;
    };
    let mut found = false;
    for child in node.children.iter().filter(|c| c.name == *first) {
        found = true;
        reach(child, rest, out);
    }
    if !found {
        let items: &[Node] = node.child("list").map_or(&node.children, |l| &l.children);
        for item in items.iter().filter(|i| is_item_name(&i.name)) {
            reach(item, path, out);
        }
    }
}

/// The texts at `path`; a collection reached at the end gives the texts of its (leaf) items.
fn texts(node: &Node, path: &[&str]) -> Vec<String> {
    let mut reached = Vec::new();
    reach(node, path, &mut reached);
    let mut out = Vec::new();
    for n in reached {
        if n.children.is_empty() {
            if !n.text.is_empty() {
                out.push(n.text.clone());
            }
        } else {
            let items: &[Node] = n.child("list").map_or(&n.children, |l| &l.children);
            out.extend(
                items
                    .iter()
                    .filter(|i| {
                        is_item_name(&i.name) && i.children.is_empty() && !i.text.is_empty()
                    })
                    .map(|i| i.text.clone()),
            );
        }
    }
    out
}

/// How many things are at `path`: the items of a collection, else the non-empty elements.
fn item_count(node: &Node, path: &[&str]) -> usize {
    let mut reached = Vec::new();
    reach(node, path, &mut reached);
    reached
        .iter()
        .map(|n| {
            if is_collection(n) {
                n.list_items().len()
            } else if n.children.is_empty() && n.text.is_empty() {
                0
            } else {
                1
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> Node {
        Node::parse(
            "<WebApp><id>5</id><name>Shop Front</name><tags><count>2</count><list>\
             <Tag><id>7</id><name>Prod</name></Tag><Tag><id>9</id></Tag></list></tags>\
             <createdDate>2020-01-02T03:04:05Z</createdDate></WebApp>",
        )
        .unwrap()
    }

    #[test]
    fn reach_looks_through_collections() {
        let app = app();
        assert_eq!(texts(&app, &["tags", "id"]), vec!["7", "9"]);
        assert_eq!(item_count(&app, &["tags"]), 2);
        assert_eq!(item_count(&app, &["lastScan"]), 0);
        let saq = Node::parse("<User><tags><Tag><id>1</id></Tag></tags></User>").unwrap();
        assert_eq!(texts(&saq, &["tags", "id"]), vec!["1"]);
        let cwe = Node::parse("<Finding><cwe><count>2</count><list><long>79</long><long>80</long></list></cwe></Finding>").unwrap();
        assert_eq!(texts(&cwe, &["cwe"]), vec!["79", "80"]);
    }

    #[test]
    fn dates_parse_with_or_without_time() {
        assert!(parse_date("2020-01-02").unwrap() < parse_date("2020-01-02T03:04:05Z").unwrap());
        assert!(parse_date("yesterday").is_none());
    }
}
