//! WAS scan schedules: activation and the iCalendar download.

use crate::calendar;
use crate::store::Store;
use crate::tree::Node;

use super::{Call, Outcome, Reply, change_each, select};

pub(super) fn set_schedule_active(store: &mut Store, call: &Call<'_>, active: bool) -> Outcome {
    let ids = select(store, call)?;
    let now = call.now.clone();
    change_each(store, call, &ids, |r| {
        r.node.set_text_at("active", active.to_string());
        r.node.set_text_at("updatedDate", now.clone());
    })
}

pub(super) fn download_schedules(store: &Store, call: &Call<'_>) -> Outcome {
    let ids = select(store, call)?;
    let schedules: Vec<&Node> = ids
        .iter()
        .filter_map(|id| store.get(call.kind, *id))
        .map(|r| &r.node)
        .collect();
    Ok(Reply::Calendar(calendar::schedules(&schedules, &call.now)))
}
