//! WAS findings: ignore and activate, severity edit and restore.

use crate::envelope::ApiError;
use crate::store::Store;

use super::{Call, Outcome, change_each, select};

pub(super) fn ignore_findings(store: &mut Store, call: &Call<'_>) -> Outcome {
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

pub(super) fn activate_findings(store: &mut Store, call: &Call<'_>) -> Outcome {
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

pub(super) fn edit_severity(store: &mut Store, call: &Call<'_>) -> Outcome {
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

pub(super) fn restore_severity(store: &mut Store, call: &Call<'_>) -> Outcome {
    let ids = select(store, call)?;
    change_each(store, call, &ids, |r| {
        if let Some(original) = r.shadow.remove("originalSeverity") {
            r.node.set_text_at("severity", original);
        }
        r.node.remove("severityComment");
        r.node.remove("editedSeverityUser");
    })
}
