//! AM asset data connectors: the run, which queues the enabled ones.

use crate::envelope::ApiError;
use crate::store::Store;

use super::{Call, Outcome, change_each, select};

pub(super) fn run_connectors(store: &mut Store, call: &Call<'_>) -> Outcome {
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
