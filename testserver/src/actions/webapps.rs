//! WAS web applications: the purge, which drops the findings of the selected web applications.

use crate::entities;
use crate::envelope::Envelope;
use crate::store::Store;

use super::{Call, Outcome, envelope, select};

pub(super) fn purge_webapps(store: &mut Store, call: &Call<'_>) -> Outcome {
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
