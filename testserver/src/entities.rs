//! What the server knows per entity beyond the catalog: which generated types check its XML, how criteria
//! fields map onto its elements, what the server fills in on create, and a template for bulk records.
//!
//! Everything here is data (tables and one macro over the generated types); the behaviour lives in generic
//! code that reads it.

use qualys_qps::runtime::xml::Validate;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::tree::Node;

/// A generated entity type the server can store and hand back: `WebApp`, `WasScan`, `Finding`, ...
///
/// Implemented for the entity type of each of the eight catalog entities.
pub trait Entity: Serialize + DeserializeOwned {
    /// The catalog module: `was`, `am` or `saq`.
    const MODULE: &'static str;
    /// The catalog entity name: `webapp`, `wasscan`, ...
    const NAME: &'static str;
    /// The entity element inside `<data>`: `WebApp`, `WasScan`, ...
    const ELEMENT: &'static str;
}

/// The typed checks of one entity, as plain function pointers so generic code can call them.
pub(crate) struct Kind {
    pub module: &'static str,
    pub name: &'static str,
    pub element: &'static str,
    /// Parses a whole `ServiceRequest` into the generated type and checks its facets.
    pub check_request: fn(&str) -> Result<(), String>,
    /// Parses an entity element into the generated type and writes it back: checks it and puts its
    /// children in schema order (dropping what the schema does not know).
    pub normalize: fn(&Node) -> Result<Node, String>,
}

impl Kind {
    /// `module/name`, as used in messages.
    pub fn label(&self) -> String {
        format!("{}/{}", self.module, self.name)
    }
}

fn check_request<R: DeserializeOwned + Validate>(xml: &str) -> Result<(), String> {
    let request: R = qualys_qps::runtime::xml::from_str(xml).map_err(|e| e.to_string())?;
    request.validate().map_err(|e| e.to_string())
}

/// Round-trips `node` through the generated type `T`.
pub(crate) fn normalize<T: Serialize + DeserializeOwned>(node: &Node) -> Result<Node, String> {
    let value: T = qualys_qps::runtime::xml::from_str(&node.to_xml())
        .map_err(|e| format!("<{}> does not fit the schema: {e}", node.name))?;
    let xml = quick_xml::se::to_string_with_root(&node.name, &value)
        .map_err(|e| format!("<{}> cannot be written: {e}", node.name))?;
    Node::parse(&xml)
}

macro_rules! entities {
    ($($module:ident :: $name:ident :: $ty:ident),* $(,)?) => {
        $(
            impl Entity for qualys_qps::$module::$name::$ty {
                const MODULE: &'static str = stringify!($module);
                const NAME: &'static str = stringify!($name);
                const ELEMENT: &'static str = stringify!($ty);
            }
        )*

        /// Every entity the server serves, in catalog order.
        pub(crate) static KINDS: &[Kind] = &[$(
            Kind {
                module: stringify!($module),
                name: stringify!($name),
                element: stringify!($ty),
                check_request: check_request::<qualys_qps::$module::$name::ServiceRequest>,
                normalize: normalize::<qualys_qps::$module::$name::$ty>,
            },
        )*];
    };
}

entities! {
    was::webapp::WebApp,
    was::wasscan::WasScan,
    was::wasscanschedule::WasScanSchedule,
    was::optionprofile::OptionProfile,
    was::finding::Finding,
    am::awsassetdataconnector::AwsAssetDataConnector,
    saq::questionnairecampaign::QuestionnaireCampaign,
    saq::questionnaire::Questionnaire,
}

/// The kind of `module/name`.
pub(crate) fn kind(module: &str, name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.module == module && k.name == name)
}

/// Where a criteria field's values come from, when it is not simply the element path of the same name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FieldSource {
    /// The elements at this dotted path (collections are looked through: `tags.id` is any tag's id).
    Path(String),
    /// `true` when something is at this dotted path (`isScanned`: the web application has a `lastScan`).
    Exists(&'static str),
    /// The values at `path` of the `module/entity` record whose id is the value at `key` (`webApp.tags.id`
    /// of a scan: the tags of the scanned web application).
    Join {
        key: &'static str,
        module: &'static str,
        entity: &'static str,
        path: &'static str,
    },
    /// `true` when some `module/entity` record has this record's id at `path` (`usedByWebApps`).
    UsedBy {
        module: &'static str,
        entity: &'static str,
        path: &'static str,
    },
    /// Not a property of the record (`removeFromSubscription`, a delete option): matches every record.
    Option,
}

/// Criteria fields whose values are not at the element path of the same name (entity, field, source).
fn field_sources() -> Vec<(&'static str, &'static str, FieldSource)> {
    use FieldSource::*;
    let path = |p: &str| Path(p.to_owned());
    let scanned_app_tags = || Join {
        key: "target.webApp.id",
        module: "was",
        entity: "webapp",
        path: "tags.id",
    };
    vec![
        ("was/webapp", "lastScan.date", path("lastScan.launchedDate")),
        ("was/webapp", "isScanned", Exists("lastScan")),
        ("was/webapp", "removeFromSubscription", Option),
        ("was/wasscan", "webApp.id", path("target.webApp.id")),
        ("was/wasscan", "webApp.name", path("target.webApp.name")),
        ("was/wasscan", "webApp.tags.id", scanned_app_tags()),
        ("was/wasscan", "authStatus", path("summary.authStatus")),
        (
            "was/wasscan",
            "resultsStatus",
            path("summary.resultsStatus"),
        ),
        ("was/wasscanschedule", "webApp.id", path("target.webApp.id")),
        (
            "was/wasscanschedule",
            "webApp.name",
            path("target.webApp.name"),
        ),
        ("was/wasscanschedule", "webApp.tags.id", scanned_app_tags()),
        (
            "was/optionprofile",
            "usedByWebApps",
            UsedBy {
                module: "was",
                entity: "webapp",
                path: "defaultProfile.id",
            },
        ),
        (
            "was/optionprofile",
            "usedBySchedules",
            UsedBy {
                module: "was",
                entity: "wasscanschedule",
                path: "profile.id",
            },
        ),
        ("was/finding", "cwe.id", path("cwe")),
    ]
}

/// Where the values of criteria `field` of `kind` come from.
pub(crate) fn field_source(kind: &Kind, field: &str) -> FieldSource {
    let label = kind.label();
    field_sources()
        .into_iter()
        .find(|(entity, f, _)| *entity == label && *f == field)
        .map_or_else(
            || FieldSource::Path(field.to_owned()),
            |(_, _, source)| source,
        )
}

/// What the server fills in when it creates a record: (`/`-path, value) pairs, set only where the request left
/// them out. `{now}` is the current time and `{user}` the configured user id.
pub(crate) fn create_defaults(kind: &Kind) -> &'static [(&'static str, &'static str)] {
    match (kind.module, kind.name) {
        ("was", "webapp") => &[
            ("owner/id", "{user}"),
            ("tags/count", "0"),
            ("isScheduled", "false"),
            ("createdBy/id", "{user}"),
            ("createdDate", "{now}"),
            ("updatedBy/id", "{user}"),
            ("updatedDate", "{now}"),
        ],
        ("was", "wasscan") => &[
            ("mode", "API"),
            ("launchedDate", "{now}"),
            ("launchedBy/id", "{user}"),
            ("status", "SUBMITTED"),
        ],
        ("was", "wasscanschedule") => &[
            ("owner/id", "{user}"),
            ("active", "true"),
            ("invalid", "false"),
            ("createdBy/id", "{user}"),
            ("createdDate", "{now}"),
            ("updatedBy/id", "{user}"),
            ("updatedDate", "{now}"),
        ],
        ("was", "optionprofile") => &[
            ("owner/id", "{user}"),
            ("isDefault", "false"),
            ("tags/count", "0"),
            ("createdDate", "{now}"),
            ("updatedDate", "{now}"),
        ],
        ("am", "awsassetdataconnector") => &[
            ("connectorState", "PENDING"),
            ("type", "AWS"),
            ("defaultTags/count", "0"),
            ("disabled", "false"),
            ("isGovCloudConfigured", "false"),
            ("isChinaConfigured", "false"),
        ],
        ("saq", "questionnairecampaign") => &[
            ("status", "INACTIVE"),
            ("created", "{now}"),
            ("updated", "{now}"),
            ("user/id", "{user}"),
        ],
        _ => &[],
    }
}

/// The elements a create request must carry (`/`-paths).
pub(crate) fn required_on_create(kind: &Kind) -> &'static [&'static str] {
    match (kind.module, kind.name) {
        ("was", "webapp") => &["name", "url"],
        ("was", "wasscan") => &["name", "target"],
        ("was", "wasscanschedule") | ("was", "optionprofile") => &["name"],
        ("am", "awsassetdataconnector") => &["name"],
        ("saq", "questionnairecampaign") => &["name", "template/id", "dueDate", "workflowType"],
        _ => &[],
    }
}

/// The element that records the last change, refreshed by every update.
pub(crate) fn updated_field(kind: &Kind) -> Option<&'static str> {
    match (kind.module, kind.name) {
        ("was", "webapp" | "wasscanschedule" | "optionprofile" | "finding") => Some("updatedDate"),
        ("saq", "questionnairecampaign") => Some("updated"),
        _ => None,
    }
}

/// Elements a request may send but a response never shows (the XSD allows them in requests only): the
/// server keeps them aside, so updates still apply to them.
pub(crate) fn write_only(kind: &Kind) -> &'static [&'static str] {
    match (kind.module, kind.name) {
        ("saq", "questionnairecampaign") => &["recipients"],
        _ => &[],
    }
}

/// The collections a search lists in full only with `preferences/verbose` (else just their count).
pub(crate) fn verbose_collections(kind: &Kind) -> &'static [&'static str] {
    match (kind.module, kind.name) {
        ("was", "webapp") => &["tags"],
        _ => &[],
    }
}

/// A record template for bulk data, in schema order. Placeholders: `{i}` the record number (also its id),
/// `{mod:N}` `(i % N) + 1`, `{cycle:A|B|C}` one of the values by `i`, `{bool}` `i` is even, `{date}` a
/// deterministic time that grows with `i`, `{uuid}` a deterministic UUID.
pub(crate) fn bulk_template(kind: &Kind) -> &'static str {
    match (kind.module, kind.name) {
        ("was", "webapp") => concat!(
            "<WebApp><id>{i}</id><name>Web App {i}</name><url>https://app{i}.example.com</url>",
            "<owner><id>1000</id></owner>",
            "<tags><count>1</count><list><Tag><id>{mod:5}</id><name>Tag {mod:5}</name></Tag></list></tags>",
            "<isScheduled>{bool}</isScheduled><createdDate>{date}</createdDate>",
            "<updatedDate>{date}</updatedDate></WebApp>"
        ),
        ("was", "wasscan") => concat!(
            "<WasScan><id>{i}</id><name>Scan {i}</name><reference>was/{i}</reference>",
            "<type>{cycle:VULNERABILITY|DISCOVERY}</type><mode>{cycle:ONDEMAND|SCHEDULED|API}</mode>",
            "<target><webApp><id>{mod:10}</id><name>Web App {mod:10}</name></webApp></target>",
            "<launchedDate>{date}</launchedDate><status>{cycle:FINISHED|RUNNING|ERROR|CANCELED}</status>",
            "<summary><resultsStatus>SUCCESSFUL</resultsStatus><authStatus>NONE</authStatus></summary>",
            "</WasScan>"
        ),
        ("was", "wasscanschedule") => concat!(
            "<WasScanSchedule><id>{i}</id><name>Schedule {i}</name><owner><id>1000</id></owner>",
            "<type>{cycle:VULNERABILITY|DISCOVERY}</type><active>{bool}</active><invalid>false</invalid>",
            "<target><webApp><id>{mod:10}</id><name>Web App {mod:10}</name></webApp></target>",
            "<createdDate>{date}</createdDate><updatedDate>{date}</updatedDate></WasScanSchedule>"
        ),
        ("was", "optionprofile") => concat!(
            "<OptionProfile><id>{i}</id><name>Option Profile {i}</name><owner><id>1000</id></owner>",
            "<isDefault>false</isDefault><tags><count>0</count></tags>",
            "<createdDate>{date}</createdDate><updatedDate>{date}</updatedDate></OptionProfile>"
        ),
        ("was", "finding") => concat!(
            "<Finding><id>{i}</id><uniqueId>{uuid}</uniqueId><qid>{mod:100}</qid><name>Finding {i}</name>",
            "<type>{cycle:VULNERABILITY|SENSITIVE_CONTENT|INFORMATION_GATHERED}</type>",
            "<severity>{mod:5}</severity><url>https://app{mod:10}.example.com/page/{i}</url>",
            "<status>{cycle:NEW|ACTIVE|REOPENED|FIXED}</status><firstDetectedDate>{date}</firstDetectedDate>",
            "<lastDetectedDate>{date}</lastDetectedDate><timesDetected>{mod:3}</timesDetected>",
            "<webApp><id>{mod:10}</id><name>Web App {mod:10}</name></webApp>",
            "<isIgnored>false</isIgnored></Finding>"
        ),
        ("am", "awsassetdataconnector") => concat!(
            "<AwsAssetDataConnector><id>{i}</id><name>Connector {i}</name>",
            "<awsAccountId>{mod:1000}</awsAccountId><lastSync>{date}</lastSync>",
            "<connectorState>{cycle:PENDING|QUEUED|SUCCESS}</connectorState><type>AWS</type>",
            "<activation><count>1</count><list><ActivationModule>VM</ActivationModule></list></activation>",
            "<disabled>false</disabled></AwsAssetDataConnector>"
        ),
        ("saq", "questionnairecampaign") => concat!(
            "<QuestionnaireCampaign><id>{i}</id><name>Campaign {i}</name>",
            "<workflowType>{cycle:SIMPLE|REVIEWABLE|FULL}</workflowType><status>INACTIVE</status>",
            "<dueDate>{date}</dueDate><created>{date}</created><updated>{date}</updated>",
            "<template><id>{mod:10}</id></template></QuestionnaireCampaign>"
        ),
        ("saq", "questionnaire") => concat!(
            "<Questionnaire><id>{i}</id><title>Questionnaire {i}</title><dueDate>{date}</dueDate>",
            "<campaign><id>{mod:10}</id></campaign>",
            "<state>{cycle:INFORMATION_GATHERING|APPROVAL|REVIEW|CLOSED}</state>",
            "<risk>{cycle:LOW|MEDIUM|HIGH|VERY_HIGH}</risk></Questionnaire>"
        ),
        _ => "",
    }
}

/// Expands the placeholders of a [`bulk_template`] for record `i`.
pub(crate) fn expand_template(template: &str, i: i64) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = start + rest[start..].find('}').expect("placeholders are closed");
        let placeholder = &rest[start + 1..end];
        rest = &rest[end + 1..];
        match placeholder.split_once(':') {
            None if placeholder == "i" => out.push_str(&i.to_string()),
            None if placeholder == "bool" => {
                out.push_str(if i % 2 == 0 { "true" } else { "false" })
            }
            None if placeholder == "date" => {
                // 2024-01-01T00:00:00Z plus i minutes.
                let time =
                    chrono::DateTime::from_timestamp(1_704_067_200 + i * 60, 0).expect("in range");
                out.push_str(&time.format("%Y-%m-%dT%H:%M:%SZ").to_string());
            }
            None if placeholder == "uuid" => {
                out.push_str(&format!("00000000-0000-4000-8000-{i:012}"));
            }
            Some(("mod", n)) => {
                let n: i64 = n.parse().expect("numeric modulus");
                out.push_str(&(i % n + 1).to_string());
            }
            Some(("cycle", values)) => {
                let values: Vec<&str> = values.split('|').collect();
                out.push_str(values[(i as usize) % values.len()]);
            }
            _ => panic!("unknown placeholder {{{placeholder}}}"),
        }
    }
    out.push_str(rest);
    out
}

/// A parsed [`bulk_template`] with its placeholders expanded for record `i`.
pub(crate) fn instantiate(template: &Node, i: i64) -> Node {
    Node {
        name: template.name.clone(),
        attrs: template.attrs.clone(),
        text: if template.text.contains('{') {
            expand_template(&template.text, i)
        } else {
            template.text.clone()
        },
        children: template
            .children
            .iter()
            .map(|c| instantiate(c, i))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bulk_template_is_valid_and_in_schema_order() {
        for kind in KINDS {
            for i in [1, 2, 3, 10_000] {
                let node = Node::parse(&expand_template(bulk_template(kind), i)).unwrap();
                let template = Node::parse(bulk_template(kind)).unwrap();
                assert_eq!(instantiate(&template, i), node);
                assert_eq!(node.name, kind.element);
                assert_eq!(node.id(), Some(i));
                let normalized = (kind.normalize)(&node).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(normalized, node, "{}", kind.label());
            }
        }
    }

    #[test]
    fn kinds_match_the_catalog() {
        let catalog = crate::catalog();
        assert_eq!(catalog.entities.len(), KINDS.len());
        for entity in &catalog.entities {
            let kind = kind(&entity.module, &entity.name).expect("a kind per catalog entity");
            assert_eq!(kind.element, entity.element);
        }
    }
}
