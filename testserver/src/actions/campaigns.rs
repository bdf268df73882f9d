//! SAQ questionnaire campaigns: the people a workflow needs, notification defaults, the launch, complete and
//! cancel workflow, status and summary.

use std::collections::BTreeMap;

use crate::entities;
use crate::envelope::{ApiError, Envelope, id_only};
use crate::store::Store;
use crate::tree::Node;

use super::{Call, Outcome, envelope, load, path_id, record, save};

/// REVIEWABLE needs a reviewer, FULL a reviewer and an approver.
pub(super) fn check_campaign_people(data: &Node) -> Result<(), ApiError> {
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
pub(super) fn fill_campaign_notifications(node: &mut Node) {
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
pub(super) enum Transition {
    Launch,
    Complete,
    Cancel,
}

pub(super) fn campaign_transition(
    store: &mut Store,
    call: &Call<'_>,
    transition: Transition,
) -> Outcome {
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

pub(super) fn campaign_status(store: &Store, call: &Call<'_>) -> Outcome {
    let id = path_id(call)?;
    let node = &record(store, call, id)?.node;
    envelope(Envelope::records(vec![campaign_brief(node, id)]))
}

pub(super) fn campaign_summary(store: &Store, call: &Call<'_>) -> Outcome {
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
