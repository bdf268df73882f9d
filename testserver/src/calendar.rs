//! The schedule download: iCalendar (RFC 5545) text, one `VEVENT` per schedule.

use std::fmt::Write as _;

use crate::tree::Node;

/// `YYYY-MM-DDThh:mm:ssZ` as an iCalendar UTC date-time, `YYYYMMDDThhmmssZ`.
fn ical_time(date: &str) -> String {
    date.chars().filter(|c| *c != '-' && *c != ':').collect()
}

/// Escapes TEXT values (RFC 5545 3.3.11).
fn ical_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | ';' | ',' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out
}

/// The recurrence rule of a schedule's `scheduling/occurrence`, when it has one.
fn rrule(scheduling: &Node) -> Option<String> {
    let occurrence = scheduling.child("occurrence")?;
    let (freq, every, count) = if let Some(daily) = occurrence.child("dailyOccurrence") {
        (
            "DAILY",
            daily.text_at("everyNDays"),
            daily.text_at("occurrenceCount"),
        )
    } else if let Some(weekly) = occurrence.child("weeklyOccurrence") {
        (
            "WEEKLY",
            weekly.text_at("everyNWeeks"),
            weekly.text_at("occurrenceCount"),
        )
    } else if let Some(monthly) = occurrence.child("monthlyOccurrence") {
        ("MONTHLY", None, monthly.text_at("occurrenceCount"))
    } else if let Some(hourly) = occurrence.child("hourlyOccurrence") {
        (
            "HOURLY",
            hourly.text_at("everyNHours"),
            hourly.text_at("occurrenceCount"),
        )
    } else {
        return None;
    };
    let mut rule = format!("FREQ={freq}");
    if let Some(every) = every.filter(|e| !e.is_empty()) {
        let _ = write!(rule, ";INTERVAL={every}");
    }
    if let Some(count) = count.filter(|c| !c.is_empty()) {
        let _ = write!(rule, ";COUNT={count}");
    }
    Some(rule)
}

/// The calendar of `schedules`, stamped `now`.
pub(crate) fn schedules(schedules: &[&Node], now: &str) -> String {
    let mut out = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Qualys//WAS Scan Schedule//EN\r\nCALSCALE:GREGORIAN\r\n",
    );
    for schedule in schedules {
        let id = schedule.id().unwrap_or_default();
        let start = schedule
            .text_at("scheduling/startDate")
            .or_else(|| schedule.text_at("nextLaunchDate"))
            .or_else(|| schedule.text_at("createdDate"))
            .unwrap_or(now);
        let _ = write!(
            out,
            "BEGIN:VEVENT\r\nUID:wasscanschedule-{id}@qualys\r\nDTSTAMP:{}\r\nDTSTART:{}\r\nSUMMARY:{}\r\n",
            ical_time(now),
            ical_time(start),
            ical_text(schedule.text_at("name").unwrap_or_default()),
        );
        if let Some(rule) = schedule.child("scheduling").and_then(rrule) {
            let _ = write!(out, "RRULE:{rule}\r\n");
        }
        if schedule.text_at("active") == Some("false") {
            out.push_str("STATUS:CANCELLED\r\n");
        }
        out.push_str("END:VEVENT\r\n");
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_event_per_schedule_with_its_rule() {
        let schedule = Node::parse(
            "<WasScanSchedule><id>4</id><name>Nightly, all</name><active>true</active><scheduling>\
             <startDate>2024-05-01T22:00:00Z</startDate><occurrence><dailyOccurrence><everyNDays>2</everyNDays>\
             </dailyOccurrence></occurrence></scheduling></WasScanSchedule>",
        )
        .unwrap();
        let text = schedules(&[&schedule], "2024-01-01T00:00:00Z");
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
        assert!(text.contains("UID:wasscanschedule-4@qualys\r\n"), "{text}");
        assert!(text.contains("DTSTART:20240501T220000Z\r\n"), "{text}");
        assert!(text.contains("SUMMARY:Nightly\\, all\r\n"), "{text}");
        assert!(text.contains("RRULE:FREQ=DAILY;INTERVAL=2\r\n"), "{text}");
        assert!(text.ends_with("END:VCALENDAR\r\n"), "{text}");
    }
}
