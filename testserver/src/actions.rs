//! What each catalog action does to the store, and what it answers.
//!
//! The generic actions (search, count, get, create, update, delete) work for every entity through the XML
//! trees; the others are the state changes Qualys documents (scan launch and cancel, schedule activation,
//! campaign workflow, finding ignore and severity, connector run, web application purge).

use std::collections::BTreeMap;

use qps_codegen::qps::catalog::{Action, Entity as CatalogEntity};

use crate::calendar;
use crate::criteria::{self, Criteria, Criterion};
use crate::entities::{self, Kind};
use crate::envelope::{ApiError, Envelope, id_only};
use crate::merge::{materialize, merge};
use crate::store::{Record, Store};
use crate::tree::Node;

/// A parsed request body.
#[derive(Debug, Clone)]
pub(crate) struct Body {
    /// The `ServiceRequest` element.
    pub root: Node,
    /// Its criteria.
    pub criteria: Vec<Criteria>,
}

/// One call, routed and authenticated.
pub(crate) struct Call<'a> {
    pub kind: &'static Kind,
    pub entity: &'a CatalogEntity,
    pub action: &'a Action,
    pub id: Option<i64>,
    pub body: Option<Body>,
    /// The current time, `YYYY-MM-DDThh:mm:ssZ`.
    pub now: String,
    pub user_id: i64,
    pub default_limit: usize,
    pub max_limit: usize,
}

/// What an action answers.
#[derive(Debug)]
pub(crate) enum Reply {
    /// A `ServiceResponse`.
    Envelope(Envelope),
    /// A bare entity document (the scan download).
    Bare(Node),
    /// iCalendar text (the schedule download).
    Calendar(String),
}

type Outcome = Result<Reply, ApiError>;

impl Call<'_> {
    fn element(&self) -> &str {
        &self.entity.element
    }

    /// `<data><Element>` of the body.
    fn data(&self) -> Option<&Node> {
        self.body.as_ref()?.root.at("data")?.child(self.element())
    }

    fn required_data(&self) -> Result<&Node, ApiError> {
        self.data().ok_or_else(|| {
            ApiError::invalid_request(
                format!("The request has no <data><{}>.", self.element()),
                format!(
                    "Send <ServiceRequest><data><{0}>...</{0}></data></ServiceRequest>.",
                    self.element()
                ),
            )
        })
    }

    fn preference(&self, name: &str) -> Option<&str> {
        self.body
            .as_ref()?
            .root
            .at("preferences")?
            .child(name)
            .map(|n| n.text.as_str())
    }

    fn criteria(&self) -> Result<Vec<Criterion>, ApiError> {
        let criteria = self.body.as_ref().map_or(&[][..], |b| &b.criteria[..]);
        criteria::compile(self.kind, self.entity, criteria)
    }

    /// The `{now}` and `{user}` placeholders of the create defaults.
    fn fill(&self, value: &str) -> String {
        value
            .replace("{now}", &self.now)
            .replace("{user}", &self.user_id.to_string())
    }
}

/// Carries out `call` on `store`.
pub(crate) fn execute(store: &mut Store, call: &Call<'_>) -> Outcome {
    let label = call.kind.label();
    match (label.as_str(), call.action.name.as_str()) {
        (_, "search") => search(store, call),
        (_, "count") => count(store, call),
        (_, "get") => get(store, call),
        ("was/wasscan", "launch") => launch_scan(store, call),
        ("was/wasscan", "status") => scan_status(store, call),
        ("was/wasscan", "cancel") => cancel_scan(store, call),
        ("was/wasscan", "scanagain") => scan_again(store, call),
        ("was/wasscan", "download") => download_scan(store, call),
        ("was/wasscanschedule", "activate") => set_schedule_active(store, call, true),
        ("was/wasscanschedule", "deactivate") => set_schedule_active(store, call, false),
        ("was/wasscanschedule", "download") => download_schedules(store, call),
        ("was/webapp", "purge") => purge_webapps(store, call),
        ("was/finding", "ignore") => ignore_findings(store, call),
        ("was/finding", "activate") => activate_findings(store, call),
        ("was/finding", "editSeverity") => edit_severity(store, call),
        ("was/finding", "restoreSeverity") => restore_severity(store, call),
        ("am/awsassetdataconnector", "run") => run_connectors(store, call),
        ("saq/questionnairecampaign", "launch") => {
            campaign_transition(store, call, Transition::Launch)
        }
        ("saq/questionnairecampaign", "complete") => {
            campaign_transition(store, call, Transition::Complete)
        }
        ("saq/questionnairecampaign", "cancel") => {
            campaign_transition(store, call, Transition::Cancel)
        }
        ("saq/questionnairecampaign", "status") => campaign_status(store, call),
        ("saq/questionnairecampaign", "summary") => campaign_summary(store, call),
        (_, "create") => create(store, call),
        (_, "update") => update(store, call),
        (_, "delete") => delete(store, call),
        (_, action) => Err(ApiError::new(
            "OPERATION_NOT_SUPPORTED",
            format!(
                "The action {action} is not supported for {}.",
                call.element()
            ),
            "Use an action the API documents for this resource.",
        )),
    }
}

fn envelope(envelope: Envelope) -> Outcome {
    Ok(Reply::Envelope(envelope))
}

fn record<'s>(store: &'s Store, call: &Call<'_>, id: i64) -> Result<&'s Record, ApiError> {
    store
        .get(call.kind, id)
        .ok_or_else(|| ApiError::not_found(call.element(), id))
}

fn path_id(call: &Call<'_>) -> Result<i64, ApiError> {
    call.id.ok_or_else(|| {
        ApiError::invalid_request(
            format!("The {} action needs the id in the URL.", call.action.name),
            "Append /<id> to the URL.",
        )
    })
}

/// The records an id-or-filters action applies to: the id in the path (which must exist), else the records
/// matching the filters, else the id inside `<data>` (as some documented samples send it).
fn select(store: &Store, call: &Call<'_>) -> Result<Vec<i64>, ApiError> {
    if let Some(id) = call.id {
        record(store, call, id)?;
        return Ok(vec![id]);
    }
    let criteria = call.criteria()?;
    if criteria.iter().any(|c| !c.is_option()) {
        let Some(table) = store.table(call.kind) else {
            return Ok(Vec::new());
        };
        return Ok(table
            .records
            .iter()
            .filter(|(_, r)| criteria::matches_all(store, &criteria, &r.node))
            .map(|(id, _)| *id)
            .collect());
    }
    if let Some(id) = call.data().and_then(Node::id) {
        record(store, call, id)?;
        return Ok(vec![id]);
    }
    Err(ApiError::invalid_request(
        format!(
            "The {} action needs an id in the URL or filters in the request.",
            call.action.name
        ),
        "Append /<id> to the URL, or send <ServiceRequest><filters><Criteria .../></filters></ServiceRequest>.",
    ))
}

/// Record `id` for a change: a copy, with its write-only elements (kept aside, see
/// [`entities::write_only`]) put back so that updates apply to them.
fn load(store: &Store, call: &Call<'_>, id: i64) -> Result<Record, ApiError> {
    let mut record = record(store, call, id)?.clone();
    for name in entities::write_only(call.kind) {
        if let Some(xml) = record.shadow.remove(*name) {
            record
                .node
                .children
                .push(Node::parse(&xml).expect("stashed XML parses"));
        }
    }
    Ok(record)
}

/// Stores `record` as record `id`: write-only elements set aside, the rest normalized by the generated type.
/// Returns the stored entity.
fn save(store: &mut Store, call: &Call<'_>, id: i64, mut record: Record) -> Result<Node, ApiError> {
    for name in entities::write_only(call.kind) {
        if let Some(at) = record.node.children.iter().position(|c| c.name == *name) {
            let element = record.node.children.remove(at);
            record.shadow.insert((*name).to_owned(), element.to_xml());
        }
    }
    let node = (call.kind.normalize)(&record.node).map_err(|e| {
        ApiError::invalid_request(
            e,
            format!("Send data that fits the {} schema.", call.element()),
        )
    })?;
    record.node = node.clone();
    store.table_mut(call.kind).put(id, record);
    Ok(node)
}

/// A new record (not stored yet).
fn fresh(node: Node) -> Record {
    Record {
        node,
        ..Record::default()
    }
}

/// Applies `change` to each selected record and saves it; answers the ids.
fn change_each(
    store: &mut Store,
    call: &Call<'_>,
    ids: &[i64],
    mut change: impl FnMut(&mut Record),
) -> Outcome {
    for &id in ids {
        let mut record = load(store, call, id)?;
        change(&mut record);
        save(store, call, id, record)?;
    }
    envelope(Envelope::ids(call.element(), ids))
}

// ---------------------------------------------------------------------------------------------------------
// Generic actions
// ---------------------------------------------------------------------------------------------------------

fn search(store: &Store, call: &Call<'_>) -> Outcome {
    let criteria = call.criteria()?;
    let number = |name: &str| -> Result<Option<i64>, ApiError> {
        call.preference(name)
            .map(|text| {
                text.trim().parse::<i64>().map_err(|_| {
                    ApiError::invalid_request(
                        format!("preferences/{name} must be a number, not '{text}'."),
                        "Give a whole number.",
                    )
                })
            })
            .transpose()
    };
    let limit = match number("limitResults")? {
        Some(n) if n < 1 => {
            return Err(ApiError::invalid_request(
                format!("preferences/limitResults must be at least 1, not {n}."),
                format!("Give a limit between 1 and {}.", call.max_limit),
            ));
        }
        Some(n) => (n as usize).min(call.max_limit),
        None => call.default_limit,
    };
    let offset = number("startFromOffset")?.unwrap_or(1).max(1) as usize - 1;
    let start_id = number("startFromId")?.unwrap_or(i64::MIN);
    let verbose = matches!(call.preference("verbose"), Some("true" | "1"));

    let Some(table) = store.table(call.kind) else {
        return envelope(Envelope::count(0));
    };
    let matching: Vec<&Record> = table
        .records
        .range(start_id..)
        .map(|(_, r)| r)
        .filter(|r| criteria::matches_all(store, &criteria, &r.node))
        .collect();
    let page: &[&Record] = matching.get(offset..).unwrap_or_default();
    let page = &page[..page.len().min(limit)];
    if page.is_empty() {
        return envelope(Envelope::count(0));
    }
    let more = offset + page.len() < matching.len();
    let hidden = if verbose {
        &[][..]
    } else {
        entities::verbose_collections(call.kind)
    };
    let records = page
        .iter()
        .map(|r| {
            let mut node = r.node.clone();
            for name in hidden {
                if let Some(collection) = node.child_mut(name) {
                    collection.remove("list");
                }
            }
            node
        })
        .collect();
    let mut response = Envelope::records(records);
    response.has_more_records = Some(more);
    response.last_id = if more {
        page.last().and_then(|r| r.node.id())
    } else {
        None
    };
    envelope(response)
}

fn count(store: &Store, call: &Call<'_>) -> Outcome {
    let criteria = call.criteria()?;
    let n = store.table(call.kind).map_or(0, |table| {
        table
            .records
            .values()
            .filter(|r| criteria::matches_all(store, &criteria, &r.node))
            .count()
    });
    envelope(Envelope::count(n))
}

fn get(store: &Store, call: &Call<'_>) -> Outcome {
    let id = path_id(call)?;
    envelope(Envelope::records(vec![
        record(store, call, id)?.node.clone(),
    ]))
}

/// Builds a new record from `<data>`: update forms materialized, required elements checked, server
/// defaults filled, a new id; normalized but not stored.
fn new_record(store: &mut Store, call: &Call<'_>, data: &Node) -> Result<(i64, Node), ApiError> {
    let mut node = materialize(data.clone());
    node.name = call.element().to_owned();
    node.remove("id");
    for path in entities::required_on_create(call.kind) {
        if node.text_at(path).is_none_or(|t| t.is_empty())
            && node.at(path).is_none_or(|n| n.children.is_empty())
        {
            return Err(ApiError::new(
                "CANNOT_BE_NULL",
                format!("{}/{} is required.", call.element(), path),
                format!("Give <{}> in the request data.", path.replace('/', "><")),
            ));
        }
    }
    for (path, value) in entities::create_defaults(call.kind) {
        node.default_text_at(path, &call.fill(value));
    }
    let id = store.table_mut(call.kind).last_id + 1;
    node.set_id(id);
    let node = (call.kind.normalize)(&node).map_err(|e| {
        ApiError::invalid_request(
            e,
            format!("Send data that fits the {} schema.", call.element()),
        )
    })?;
    Ok((id, node))
}

fn create(store: &mut Store, call: &Call<'_>) -> Outcome {
    let data = call.required_data()?.clone();
    if call.kind.label() == "saq/questionnairecampaign" {
        check_campaign_people(&data)?;
    }
    let (id, mut node) = new_record(store, call, &data)?;
    if call.kind.label() == "saq/questionnairecampaign" {
        fill_campaign_notifications(&mut node);
    }
    let node = save(store, call, id, fresh(node))?;
    envelope(Envelope::records(vec![node]))
}

fn update(store: &mut Store, call: &Call<'_>) -> Outcome {
    let mut data = call.required_data()?.clone();
    let ids = select(store, call)?;
    data.remove("id");
    let updated_field = entities::updated_field(call.kind);
    let mut saved = Vec::new();
    for &id in &ids {
        let mut record = load(store, call, id)?;
        merge(&mut record.node, &data);
        if let Some(field) = updated_field {
            record.node.set_text_at(field, call.now.clone());
        }
        saved.push(save(store, call, id, record)?);
    }
    match call.kind.module {
        // WAS answers the ids; SAQ the whole campaign.
        "was" => envelope(Envelope::ids(call.element(), &ids)),
        // AM answers each connector as `AssetDataConnector`, with hasMoreRecords.
        "am" => {
            let records = saved
                .iter()
                .map(|node| {
                    let mut node = node.clone();
                    node.name = "AssetDataConnector".into();
                    entities::normalize::<
                            qualys_qps::am::awsassetdataconnector::AssetDataConnector,
                        >(&node)
                        .map_err(|e| {
                            ApiError::new("OTHER_ERROR", e, "Report this test-server bug.")
                        })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let mut response = Envelope::records(records);
            response.has_more_records = Some(false);
            envelope(response)
        }
        _ => envelope(Envelope::records(saved)),
    }
}

fn delete(store: &mut Store, call: &Call<'_>) -> Outcome {
    let mut ids = select(store, call)?;
    if call.kind.label() == "was/wasscan" {
        let running = |id: &i64| {
            store
                .get(call.kind, *id)
                .and_then(|r| r.node.text_at("status"))
                .is_some_and(is_running)
        };
        if call.id.is_some() && ids.iter().any(running) {
            return Err(ApiError::invalid_request(
                format!("Scan {} is running and cannot be deleted.", ids[0]),
                "Cancel the scan first, or wait until it finishes.",
            ));
        }
        ids.retain(|id| !running(id));
    }
    let table = store.table_mut(call.kind);
    for id in &ids {
        table.records.remove(id);
    }
    envelope(Envelope::ids(call.element(), &ids))
}

// ---------------------------------------------------------------------------------------------------------
// WAS scans
// ---------------------------------------------------------------------------------------------------------

fn is_running(status: &str) -> bool {
    matches!(status, "SUBMITTED" | "RUNNING" | "PROCESSING" | "CANCELING")
}

/// Fills `target/webApp` (and each `target/webApps` item) from the stored web application, which must exist.
fn resolve_target(store: &Store, node: &mut Node) -> Result<(), ApiError> {
    let webapps = entities::kind("was", "webapp").expect("webapp kind");
    let Some(target) = node.child_mut("target") else {
        return Ok(());
    };
    let mut apps: Vec<&mut Node> = Vec::new();
    let (single, multiple): (Vec<&mut Node>, Vec<&mut Node>) = target
        .children
        .iter_mut()
        .filter(|c| c.name == "webApp" || c.name == "webApps")
        .partition(|c| c.name == "webApp");
    apps.extend(single);
    for collection in multiple {
        if let Some(list) = collection.child_mut("list") {
            apps.extend(list.children.iter_mut());
        }
    }
    for app in apps {
        let Some(id) = app.id() else {
            return Err(ApiError::invalid_request(
                "A scan target web application has no id.",
                "Give target/webApp/id.",
            ));
        };
        let stored = store
            .get(webapps, id)
            .ok_or_else(|| ApiError::not_found("WebApp", id))?;
        app.children.retain(|c| c.name == "id");
        for name in ["name", "url"] {
            if let Some(value) = stored.node.child(name) {
                app.children.push(value.clone());
            }
        }
    }
    Ok(())
}

fn launch_scan(store: &mut Store, call: &Call<'_>) -> Outcome {
    let data = call.required_data()?.clone();
    let (id, mut node) = new_record(store, call, &data)?;
    resolve_target(store, &mut node)?;
    save(store, call, id, fresh(node))?;
    envelope(Envelope::ids(call.element(), &[id]))
}

fn scan_status(store: &Store, call: &Call<'_>) -> Outcome {
    let id = path_id(call)?;
    let scan = &record(store, call, id)?.node;
    let mut status = id_only(call.element(), id);
    for name in ["status", "summary"] {
        if let Some(child) = scan.child(name) {
            status.children.push(child.clone());
        }
    }
    envelope(Envelope::records(vec![status]))
}

fn cancel_scan(store: &mut Store, call: &Call<'_>) -> Outcome {
    let id = path_id(call)?;
    let mut record = load(store, call, id)?;
    let node = &mut record.node;
    let status = node.text_at("status").unwrap_or_default().to_owned();
    if !is_running(&status) {
        return Err(ApiError::invalid_request(
            format!("Scan {id} is {status}: only a running scan can be canceled."),
            "Check the scan status before canceling it.",
        ));
    }
    let with_results = matches!(
        call.data().and_then(|d| d.text_at("cancelWithResults")),
        Some("true" | "1")
    );
    node.set_text_at("status", "CANCELED");
    node.set_text_at(
        "summary/resultsStatus",
        if with_results {
            "CANCELED_WITH_RESULTS"
        } else {
            "CANCELED"
        },
    );
    node.default_text_at("endScanDate", &call.now);
    save(store, call, id, record)?;
    // As Qualys prints it: the scan id, and no count.
    envelope(Envelope {
        code: "SUCCESS".into(),
        data: Some(vec![id_only(call.element(), id)]),
        ..Envelope::default()
    })
}

fn scan_again(store: &mut Store, call: &Call<'_>) -> Outcome {
    let id = path_id(call)?;
    let mut node = load(store, call, id)?.node;
    const RESULTS: [&str; 14] = [
        "id",
        "reference",
        "launchedDate",
        "launchedBy",
        "status",
        "consolidatedStatus",
        "endScanDate",
        "scanDuration",
        "summary",
        "stats",
        "vulns",
        "sensitiveContents",
        "igs",
        "cancelWithResults",
    ];
    node.children
        .retain(|c| !RESULTS.contains(&c.name.as_str()));
    if let Some(name) = call.data().and_then(|d| d.child("name")) {
        node.set_text_at("name", name.text.clone());
    }
    let (new_id, node) = new_record(store, call, &node)?;
    save(store, call, new_id, fresh(node))?;
    envelope(Envelope::ids(call.element(), &[new_id]))
}

fn download_scan(store: &Store, call: &Call<'_>) -> Outcome {
    let id = path_id(call)?;
    Ok(Reply::Bare(record(store, call, id)?.node.clone()))
}

// ---------------------------------------------------------------------------------------------------------
// WAS schedules, web applications, findings
// ---------------------------------------------------------------------------------------------------------

fn set_schedule_active(store: &mut Store, call: &Call<'_>, active: bool) -> Outcome {
    let ids = select(store, call)?;
    let now = call.now.clone();
    change_each(store, call, &ids, |r| {
        r.node.set_text_at("active", active.to_string());
        r.node.set_text_at("updatedDate", now.clone());
    })
}

fn download_schedules(store: &Store, call: &Call<'_>) -> Outcome {
    let ids = select(store, call)?;
    let schedules: Vec<&Node> = ids
        .iter()
        .filter_map(|id| store.get(call.kind, *id))
        .map(|r| &r.node)
        .collect();
    Ok(Reply::Calendar(calendar::schedules(&schedules, &call.now)))
}

fn purge_webapps(store: &mut Store, call: &Call<'_>) -> Outcome {
    let ids = select(store, call)?;
    let findings = entities::kind("was", "finding").expect("finding kind");
    let table = store.table_mut(findings);
    table.records.retain(|_, r| {
        r.node
            .at("webApp/id")
            .and_then(|n| n.text.parse::<i64>().ok())
            .is_none_or(|app| !ids.contains(&app))
    });
    envelope(Envelope::ids(call.element(), &ids))
}

fn ignore_findings(store: &mut Store, call: &Call<'_>) -> Outcome {
    let data = call.required_data()?.clone();
    let reason = data
        .text_at("ignoredReason")
        .filter(|r| !r.is_empty())
        .ok_or_else(|| {
            ApiError::new(
                "CANNOT_BE_NULL",
                "Finding/ignoredReason is required.",
                "Give FALSE_POSITIVE, RISK_ACCEPTED or NOT_APPLICABLE.",
            )
        })?
        .to_owned();
    let comment = data.text_at("ignoredComment").map(str::to_owned);
    let ids = select(store, call)?;
    let (now, user) = (call.now.clone(), call.user_id.to_string());
    change_each(store, call, &ids, |r| {
        r.node.set_text_at("isIgnored", "true");
        r.node.set_text_at("ignoredReason", reason.clone());
        r.node.set_text_at("ignoredBy/id", user.clone());
        r.node.set_text_at("ignoredDate", now.clone());
        match &comment {
            Some(c) => r.node.set_text_at("ignoredComment", c.clone()),
            None => r.node.remove("ignoredComment"),
        }
    })
}

fn activate_findings(store: &mut Store, call: &Call<'_>) -> Outcome {
    let ids = select(store, call)?;
    change_each(store, call, &ids, |r| {
        r.node.set_text_at("isIgnored", "false");
        for name in [
            "ignoredReason",
            "ignoredBy",
            "ignoredDate",
            "ignoredComment",
            "reactivateIn",
            "reactivateDate",
        ] {
            r.node.remove(name);
        }
    })
}

fn edit_severity(store: &mut Store, call: &Call<'_>) -> Outcome {
    let data = call.required_data()?.clone();
    let severity = data
        .text_at("severity")
        .and_then(|s| s.parse::<u8>().ok())
        .filter(|s| (1..=5).contains(s))
        .ok_or_else(|| {
            ApiError::invalid_request(
                "Finding/severity must be a number from 1 to 5.",
                "Give <severity> between 1 and 5.",
            )
        })?;
    let comment = data.text_at("severityComment").map(str::to_owned);
    let ids = select(store, call)?;
    change_each(store, call, &ids, |r| {
        if let Some(original) = r.node.text_at("severity") {
            r.shadow
                .entry("originalSeverity".into())
                .or_insert_with(|| original.to_owned());
        }
        r.node.set_text_at("severity", severity.to_string());
        if let Some(c) = &comment {
            r.node.set_text_at("severityComment", c.clone());
        }
    })
}

fn restore_severity(store: &mut Store, call: &Call<'_>) -> Outcome {
    let ids = select(store, call)?;
    change_each(store, call, &ids, |r| {
        if let Some(original) = r.shadow.remove("originalSeverity") {
            r.node.set_text_at("severity", original);
        }
        r.node.remove("severityComment");
        r.node.remove("editedSeverityUser");
    })
}

// ---------------------------------------------------------------------------------------------------------
// AM connectors
// ---------------------------------------------------------------------------------------------------------

fn run_connectors(store: &mut Store, call: &Call<'_>) -> Outcome {
    let mut ids = select(store, call)?;
    let disabled = |id: &i64| {
        store
            .get(call.kind, *id)
            .and_then(|r| r.node.text_at("disabled"))
            .is_some_and(|d| d == "true" || d == "1")
    };
    if call.id.is_some() && ids.iter().any(disabled) {
        return Err(ApiError::invalid_request(
            format!("Connector {} is disabled and cannot run.", ids[0]),
            "Enable the connector (disabled false) first.",
        ));
    }
    ids.retain(|id| !disabled(id));
    change_each(store, call, &ids, |r| {
        r.node.set_text_at("connectorState", "QUEUED");
    })
}

// ---------------------------------------------------------------------------------------------------------
// SAQ campaigns
// ---------------------------------------------------------------------------------------------------------

/// REVIEWABLE needs a reviewer, FULL a reviewer and an approver.
fn check_campaign_people(data: &Node) -> Result<(), ApiError> {
    let workflow = data.text_at("workflowType").unwrap_or_default();
    let mut needed = Vec::new();
    if matches!(workflow, "REVIEWABLE" | "FULL") {
        needed.push("reviewer");
    }
    if workflow == "FULL" {
        needed.push("approver");
    }
    for who in needed {
        if data.text_at(&format!("{who}/id")).is_none_or(str::is_empty) {
            return Err(ApiError::new(
                "CANNOT_BE_NULL",
                format!("QuestionnaireCampaign/{who}/id is required for a {workflow} campaign."),
                format!("Give <{who}><id>..</id></{who}>."),
            ));
        }
    }
    Ok(())
}

/// Qualys answers every notification block, with `interval` and `noOfDays` defaulting to 1.
fn fill_campaign_notifications(node: &mut Node) {
    let Some(notifications) = node.child_mut("campaignNotification") else {
        return;
    };
    for block in [
        "reminderNotification",
        "dueDateNotification",
        "overdueNotification",
    ] {
        for (field, value) in [("enabled", "false"), ("interval", "1"), ("noOfDays", "1")] {
            notifications.default_text_at(&format!("{block}/{field}"), value);
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Transition {
    Launch,
    Complete,
    Cancel,
}

fn campaign_transition(store: &mut Store, call: &Call<'_>, transition: Transition) -> Outcome {
    let id = path_id(call)?;
    let mut record = load(store, call, id)?;
    let node = &mut record.node;
    let status = node.text_at("status").unwrap_or_default().to_owned();
    let (from, to, verb) = match transition {
        Transition::Launch => ("INACTIVE", "ACTIVE", "launched"),
        Transition::Complete => ("ACTIVE", "COMPLETE", "completed"),
        Transition::Cancel => ("ACTIVE", "CANCELED", "canceled"),
    };
    let comments = if let Transition::Cancel = transition {
        let comments = call
            .data()
            .and_then(|d| d.text_at("comments"))
            .filter(|c| !c.is_empty())
            .ok_or_else(|| {
                ApiError::new(
                    "CANNOT_BE_NULL",
                    "QuestionnaireCampaign/comments is required to cancel a campaign.",
                    "Send <data><QuestionnaireCampaign><comments>why</comments></QuestionnaireCampaign></data>.",
                )
            })?;
        Some(comments.to_owned())
    } else {
        None
    };
    if status != from {
        return Err(ApiError::invalid_request(
            format!("Campaign {id} is {status}: only an {from} campaign can be {verb}."),
            format!("Check the campaign status first: it must be {from}."),
        ));
    }
    node.set_text_at("status", to);
    node.set_text_at("updated", call.now.clone());
    if let Transition::Launch = transition {
        node.set_text_at("launchDate", call.now.clone());
    }
    if let Some(comments) = comments {
        node.set_text_at("comments", comments);
    }
    let node = save(store, call, id, record)?;
    match transition {
        // Launch answers the whole campaign; complete and cancel its id, name and status.
        Transition::Launch => envelope(Envelope::records(vec![node])),
        _ => envelope(Envelope::records(vec![campaign_brief(&node, id)])),
    }
}

fn campaign_brief(node: &Node, id: i64) -> Node {
    let mut brief = id_only("QuestionnaireCampaign", id);
    for name in ["name", "status"] {
        if let Some(child) = node.child(name) {
            brief.children.push(child.clone());
        }
    }
    brief
}

fn campaign_status(store: &Store, call: &Call<'_>) -> Outcome {
    let id = path_id(call)?;
    let node = &record(store, call, id)?.node;
    envelope(Envelope::records(vec![campaign_brief(node, id)]))
}

fn campaign_summary(store: &Store, call: &Call<'_>) -> Outcome {
    let id = path_id(call)?;
    let node = &record(store, call, id)?.node;
    let questionnaires = entities::kind("saq", "questionnaire").expect("questionnaire kind");
    let mut per_state: BTreeMap<String, usize> = BTreeMap::new();
    if let Some(table) = store.table(questionnaires) {
        for q in table.records.values() {
            if q.node.text_at("campaign/id") == Some(id.to_string().as_str()) {
                let state = q.node.text_at("state").unwrap_or("UNKNOWN").to_owned();
                *per_state.entry(state).or_default() += 1;
            }
        }
    }
    let mut summary = Node::new("QuestionnaireCampaign");
    for name in ["id", "name", "workflowType"] {
        if let Some(child) = node.child(name) {
            summary.children.push(child.clone());
        }
    }
    if let Some(template) = node.at("template/name") {
        summary
            .children
            .push(Node::new("template").with(template.clone()));
    }
    if let Some(reviewer) = node.child("reviewer") {
        summary.children.push(reviewer.clone());
    }
    let items: Vec<Node> = per_state
        .into_iter()
        .map(|(state, n)| {
            Node::new("QuestionnaireSummary")
                .with(Node::leaf("state", state))
                .with(Node::leaf("value", n.to_string()))
        })
        .collect();
    let mut collection = Node::new("summary").with(Node::leaf("count", items.len().to_string()));
    if !items.is_empty() {
        collection.children.push(Node {
            name: "list".into(),
            children: items,
            ..Node::default()
        });
    }
    summary.children.push(collection);
    let summary = (call.kind.normalize)(&summary)
        .map_err(|e| ApiError::new("OTHER_ERROR", e, "Report this test-server bug."))?;
    envelope(Envelope::records(vec![summary]))
}
