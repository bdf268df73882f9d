//! `qps <module> <entity> <action>`: the catalog entry checked against the arguments, the request built, sent
//! (page after page with `--all`), and the response written in the chosen format as it arrives.

use std::io::Write;

use qualys_qps::runtime::Client;
use qualys_qps::runtime::xml::Drift;

use crate::args::CallArgs;
use crate::catalog::{self, Action, BodyKind, Entity, IdRule, Operator, ResponseKind};
use crate::error::CliError;
use crate::filter::{self, Criterion, criteria_xml};
use crate::http::{self, Request};
use crate::output::{Format, Output};
use crate::progress::Progress;
use crate::record;

/// The largest page Qualys serves.
pub const MAX_PAGE: u64 = 1000;

/// A call checked against the catalog, before anything is sent.
pub struct Plan<'c> {
    entity: &'c Entity,
    action: &'c Action,
    id: Option<i64>,
    criteria: Vec<Criterion>,
    data: Option<String>,
    verbose: bool,
    limit: Option<u64>,
    all: bool,
}

/// Checks the arguments against the catalog: the command exists, the id, `--where` and `--data` fit the action.
pub fn plan(args: &CallArgs) -> Result<Plan<'static>, CliError> {
    let catalog = catalog::catalog();
    let entity = catalog::find_entity(catalog, &args.module, &args.entity)?;
    let action = catalog::find_action(entity, &args.action)?;
    let label = format!("{} {} {}", entity.module, entity.name, action.name);
    let id = match &args.id {
        Some(text) => Some(text.trim().parse::<i64>().map_err(|_| {
            CliError::usage(format!(
                "{label}: the id must be a whole number, not {text:?}"
            ))
        })?),
        None => None,
    };
    if !action.id.allows(id.is_some()) {
        return Err(CliError::usage(match action.id {
            IdRule::Required => format!("{label}: needs an ID: `qps {label} ID`"),
            _ => format!("{label}: takes no ID"),
        }));
    }
    let criteria = args
        .filters
        .iter()
        .map(|text| filter::parse(entity, text))
        .collect::<Result<Vec<_>, _>>()?;
    let takes_filters =
        action.body.takes_filters() && (id.is_none() || action.body == BodyKind::Filters);
    if !criteria.is_empty() && !takes_filters {
        return Err(CliError::usage(if id.is_some() {
            format!("{label}: --where and an ID exclude each other")
        } else {
            format!("{label}: takes no --where")
        }));
    }
    if matches!(
        action.body,
        BodyKind::FiltersOrId | BodyKind::DataFiltersOrId
    ) && id.is_none()
        && criteria.is_empty()
    {
        return Err(CliError::usage(format!(
            "{label}: needs an ID or at least one --where (it acts on every record the criteria select)"
        )));
    }
    let takes_data = matches!(
        action.body,
        BodyKind::Data | BodyKind::DataOptional | BodyKind::DataFiltersOrId
    );
    let data = match &args.data {
        Some(_) if !takes_data => return Err(CliError::usage(format!("{label}: takes no --data"))),
        Some(source) => Some(crate::data::load(source, entity)?),
        None if action.body.requires_data() => {
            return Err(CliError::usage(format!(
                "{label}: needs --data FILE|- (the {} as XML or JSON)",
                entity.element
            )));
        }
        None => None,
    };
    let paginated = action.paginated;
    if args.all && !paginated {
        return Err(CliError::usage(format!(
            "{label}: --all applies only to a paginated search"
        )));
    }
    if args.limit.is_some() && !paginated {
        return Err(CliError::usage(format!(
            "{label}: --limit applies only to a paginated search"
        )));
    }
    Ok(Plan {
        entity,
        action,
        id,
        criteria,
        data,
        verbose: args.verbose,
        limit: args.limit,
        all: args.all,
    })
}

/// Where the next page starts.
#[derive(Debug, Clone, Copy)]
enum Cursor {
    First,
    AfterId(i64),
    Offset(u64),
}

impl Plan<'_> {
    fn body(&self, cursor: Cursor, page_size: Option<u64>) -> Option<String> {
        let mut criteria: Vec<String> = self.criteria.iter().map(criteria_xml).collect();
        if let Cursor::AfterId(after) = cursor {
            criteria.push(criteria_xml(&Criterion {
                field: "id".into(),
                name: None,
                operator: Operator::Greater,
                value: after.to_string(),
            }));
        }
        let mut preferences = String::new();
        if self.action.body == BodyKind::PreferencesFilters {
            if let Cursor::Offset(start) = cursor {
                preferences.push_str(&format!("<startFromOffset>{start}</startFromOffset>"));
            }
            if let Some(size) = page_size {
                preferences.push_str(&format!("<limitResults>{size}</limitResults>"));
            }
            if self.verbose {
                preferences.push_str("<verbose>true</verbose>");
            }
        }
        if criteria.is_empty() && preferences.is_empty() && self.data.is_none() {
            return None;
        }
        let mut body = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServiceRequest>");
        if !criteria.is_empty() {
            body.push_str(&format!("<filters>{}</filters>", criteria.concat()));
        }
        if !preferences.is_empty() {
            body.push_str(&format!("<preferences>{preferences}</preferences>"));
        }
        if let Some(data) = &self.data {
            body.push_str(&format!("<data>{data}</data>"));
        }
        body.push_str("</ServiceRequest>");
        Some(body)
    }

    fn request(&self, action: &Action, body: Option<String>) -> Request {
        Request {
            method: action.method(),
            path: action.path(self.entity, self.id.map(|id| id.to_string()).as_deref()),
            body,
            retry_safe: http::is_read(&action.name),
            xml: action.response != ResponseKind::Icalendar,
        }
    }

    /// Runs the call and writes its output; what the responses carried that the schemas do not know is added to
    /// `drift` (also when the call fails part way).
    pub async fn execute<W: Write>(
        &self,
        client: &Client,
        out: &mut Output<W>,
        drift: &mut Drift,
    ) -> Result<(), CliError> {
        let what = format!(
            "{} {} {}",
            self.entity.module, self.entity.name, self.action.name
        );
        if self.action.paginated {
            return self.search(client, out, drift, &what).await;
        }
        let body = http::send(
            client,
            self.request(self.action, self.body(Cursor::First, None)),
        )
        .await?;
        if out.format() == Format::Xml || self.action.response == ResponseKind::Icalendar {
            out.raw(&body)?;
            return Ok(());
        }
        match self.action.response {
            ResponseKind::Count => {
                let page = record::read_page(self.entity, &body, &what, &mut |_| Ok(()))?;
                drift.merge(&page.drift);
                out.count(page.count.unwrap_or(0) as i64)?;
            }
            ResponseKind::Bare => {
                let (record, found) = record::read_bare(self.entity, &body, &what)?;
                drift.merge(&found);
                out.record(record)?;
            }
            ResponseKind::Data | ResponseKind::Icalendar => {
                let found =
                    record::read_response(self.entity, &body, &what, &mut |r| out.record(r))?;
                drift.merge(&found);
            }
        }
        out.finish()
    }

    /// A search: one page, or with `--all` every page, each record written as it is read.
    async fn search<W: Write>(
        &self,
        client: &Client,
        out: &mut Output<W>,
        drift: &mut Drift,
        what: &str,
    ) -> Result<(), CliError> {
        let page_size = match (self.limit, self.all) {
            (Some(limit), _) => Some(limit.min(MAX_PAGE)),
            (None, true) => Some(MAX_PAGE),
            (None, false) => None,
        };
        let mut progress = if self.all && Progress::wanted() {
            Progress::start(self.total(client).await)
        } else {
            Progress::start(None)
        };
        let by_id = self.entity.pages_by_id_criterion();
        let mut cursor = Cursor::First;
        let mut written: u64 = 0;
        loop {
            let body = self.body(cursor, page_size);
            let text = http::send(client, self.request(self.action, body)).await?;
            let xml = out.format() == Format::Xml;
            let mut kept: u64 = 0;
            let page = record::read_page(self.entity, &text, what, &mut |r| {
                if self.limit.is_none_or(|limit| written + kept < limit) {
                    kept += 1;
                    if !xml {
                        out.typed_record(r)?;
                    }
                }
                Ok(())
            })?;
            drift.merge(&page.drift);
            written += kept;
            if xml {
                out.raw(&text)?;
            } else {
                out.end_page()?;
            }
            progress.page(kept);
            let done = self.limit.is_some_and(|limit| written >= limit);
            if !self.all || !page.has_more || done {
                break;
            }
            cursor = match (by_id, page.last_id, cursor) {
                (true, Some(last), Cursor::AfterId(previous)) if last <= previous => {
                    return Err(CliError::Qualys(format!(
                        "{what}: the server says hasMoreRecords but its lastId {last} does not advance past {previous}"
                    )));
                }
                (true, Some(last), _) => Cursor::AfterId(last),
                (true, None, _) => {
                    return Err(CliError::Qualys(format!(
                        "{what}: the server says hasMoreRecords but sends no lastId to page from"
                    )));
                }
                (false, _, _) if page.records == 0 => {
                    return Err(CliError::Qualys(format!(
                        "{what}: the server says hasMoreRecords but sent an empty page"
                    )));
                }
                (false, _, Cursor::Offset(start)) => Cursor::Offset(start + page.records),
                (false, _, _) => Cursor::Offset(1 + page.records),
            };
        }
        progress.finish();
        if out.format() != Format::Xml {
            out.finish()?;
        }
        Ok(())
    }

    /// The number of records the search selects, from the entity's `count` action (for the progress bar's ETA);
    /// `None` when there is no such action or it fails (the bar then shows no total).
    async fn total(&self, client: &Client) -> Option<u64> {
        let count = self.entity.action("count")?;
        if !count.body.takes_filters() {
            return None;
        }
        let criteria: Vec<String> = self.criteria.iter().map(criteria_xml).collect();
        let body = (!criteria.is_empty()).then(|| {
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServiceRequest><filters>{}</filters></ServiceRequest>",
                criteria.concat()
            )
        });
        let mut request = self.request(count, body);
        request.path = count.path(self.entity, None);
        let text = http::send(client, request).await.ok()?;
        let total = record::read_page(self.entity, &text, "count", &mut |_| Ok(()))
            .ok()?
            .count?;
        Some(self.limit.map_or(total, |limit| total.min(limit)))
    }
}
