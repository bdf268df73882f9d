//! What each catalog action does to the store, and what it answers.
//!
//! The generic actions (search, count, get, create, update, delete) work for every entity through the XML
//! trees and live here, with the dispatch and the helpers every action shares; the others are the state
//! changes Qualys documents, one module per family: [`scans`] (launch, status, cancel, scan again, download),
//! [`schedules`] (activation, iCalendar download), [`webapps`] (purge), [`findings`] (ignore, activate,
//! severity), [`connectors`] (run) and [`campaigns`] (the campaign workflow, status and summary).

mod campaigns;
mod connectors;
mod findings;
mod scans;
mod schedules;
mod webapps;

use qps_codegen::qps::catalog::{Action, Entity as CatalogEntity};

use crate::criteria::{self, Criteria, Criterion};
use crate::entities::{self, Kind};
use crate::envelope::{ApiError, Envelope};
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
        ("was/wasscan", "launch") => scans::launch_scan(store, call),
        ("was/wasscan", "status") => scans::scan_status(store, call),
        ("was/wasscan", "cancel") => scans::cancel_scan(store, call),
        ("was/wasscan", "scanagain") => scans::scan_again(store, call),
        ("was/wasscan", "download") => scans::download_scan(store, call),
        ("was/wasscanschedule", "activate") => schedules::set_schedule_active(store, call, true),
        ("was/wasscanschedule", "deactivate") => schedules::set_schedule_active(store, call, false),
        ("was/wasscanschedule", "download") => schedules::download_schedules(store, call),
        ("was/webapp", "purge") => webapps::purge_webapps(store, call),
        ("was/finding", "ignore") => findings::ignore_findings(store, call),
        ("was/finding", "activate") => findings::activate_findings(store, call),
        ("was/finding", "editSeverity") => findings::edit_severity(store, call),
        ("was/finding", "restoreSeverity") => findings::restore_severity(store, call),
        ("am/awsassetdataconnector", "run") => connectors::run_connectors(store, call),
        ("saq/questionnairecampaign", "launch") => {
            campaigns::campaign_transition(store, call, campaigns::Transition::Launch)
        }
        ("saq/questionnairecampaign", "complete") => {
            campaigns::campaign_transition(store, call, campaigns::Transition::Complete)
        }
        ("saq/questionnairecampaign", "cancel") => {
            campaigns::campaign_transition(store, call, campaigns::Transition::Cancel)
        }
        ("saq/questionnairecampaign", "status") => campaigns::campaign_status(store, call),
        ("saq/questionnairecampaign", "summary") => campaigns::campaign_summary(store, call),
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
    // Only the ids the criteria allow, and only as far as the page and one record more (for `hasMoreRecords`).
    let Some(ids) = criteria::id_range(&criteria) else {
        return envelope(Envelope::count(0));
    };
    let (low, high) = (start_id.max(*ids.start()), *ids.end());
    if low > high {
        return envelope(Envelope::count(0));
    }
    let mut matching = table
        .records
        .range(low..=high)
        .map(|(_, r)| r)
        .filter(|r| criteria::matches_all(store, &criteria, &r.node))
        .skip(offset);
    let page: Vec<&Record> = matching.by_ref().take(limit).collect();
    if page.is_empty() {
        return envelope(Envelope::count(0));
    }
    let more = matching.next().is_some();
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
        campaigns::check_campaign_people(&data)?;
    }
    let (id, mut node) = new_record(store, call, &data)?;
    if call.kind.label() == "saq/questionnairecampaign" {
        campaigns::fill_campaign_notifications(&mut node);
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
                .is_some_and(scans::is_running)
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
