//! WAS scans: launch (the target resolved from the stored web applications), status, cancel, scan again
//! and the bare-document download.

use crate::entities;
use crate::envelope::{ApiError, Envelope, id_only};
use crate::store::Store;
use crate::tree::Node;

use super::{Call, Outcome, Reply, envelope, fresh, load, new_record, path_id, record, save};

pub(super) fn is_running(status: &str) -> bool {
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

pub(super) fn launch_scan(store: &mut Store, call: &Call<'_>) -> Outcome {
    let data = call.required_data()?.clone();
    let (id, mut node) = new_record(store, call, &data)?;
    resolve_target(store, &mut node)?;
    save(store, call, id, fresh(node))?;
    envelope(Envelope::ids(call.element(), &[id]))
}

pub(super) fn scan_status(store: &Store, call: &Call<'_>) -> Outcome {
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

pub(super) fn cancel_scan(store: &mut Store, call: &Call<'_>) -> Outcome {
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

pub(super) fn scan_again(store: &mut Store, call: &Call<'_>) -> Outcome {
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

pub(super) fn download_scan(store: &Store, call: &Call<'_>) -> Outcome {
    let id = path_id(call)?;
    Ok(Reply::Bare(record(store, call, id)?.node.clone()))
}
