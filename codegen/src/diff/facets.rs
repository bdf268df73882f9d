//! The facet changes of one simple type: bounds, lengths, digits and patterns, each with the direction it moves
//! the value space in (tighter, looser, or different).

use super::verdict::Direction;
use crate::xsd::Facets;

/// Each facet that differs between `old` and `new`: its description (`maxLength 10 -> 20`) and its direction.
pub(super) fn changes(old: &Facets, new: &Facets) -> Vec<(String, Direction)> {
    let mut found: Vec<(String, Direction)> = Vec::new();
    let mut bound = |name: &str, o: Option<String>, n: Option<String>, upper: bool| {
        if o == n {
            return;
        }
        let direction = match (&o, &n) {
            (None, Some(_)) => Direction::Tighter,
            (Some(_), None) => Direction::Looser,
            (Some(a), Some(b)) => match compare_values(a, b) {
                Some(order) => {
                    let tighter = if upper { order.is_gt() } else { order.is_lt() };
                    if tighter {
                        Direction::Tighter
                    } else {
                        Direction::Looser
                    }
                }
                None => Direction::Different,
            },
            (None, None) => return,
        };
        found.push((format!("{name} {} -> {}", shown(&o), shown(&n)), direction));
    };
    let text = |x: Option<u64>| x.map(|x| x.to_string());
    let digits = |x: Option<u32>| x.map(|x| x.to_string());
    bound(
        "minLength",
        text(old.min_length),
        text(new.min_length),
        false,
    );
    bound(
        "maxLength",
        text(old.max_length),
        text(new.max_length),
        true,
    );
    bound(
        "minInclusive",
        old.min_inclusive.clone(),
        new.min_inclusive.clone(),
        false,
    );
    bound(
        "minExclusive",
        old.min_exclusive.clone(),
        new.min_exclusive.clone(),
        false,
    );
    bound(
        "maxInclusive",
        old.max_inclusive.clone(),
        new.max_inclusive.clone(),
        true,
    );
    bound(
        "maxExclusive",
        old.max_exclusive.clone(),
        new.max_exclusive.clone(),
        true,
    );
    bound(
        "totalDigits",
        digits(old.total_digits),
        digits(new.total_digits),
        true,
    );
    bound(
        "fractionDigits",
        digits(old.fraction_digits),
        digits(new.fraction_digits),
        true,
    );
    if old.length != new.length {
        let direction = match (old.length, new.length) {
            (None, Some(_)) => Direction::Tighter,
            (Some(_), None) => Direction::Looser,
            _ => Direction::Different,
        };
        found.push((
            format!(
                "length {} -> {}",
                shown(&text(old.length)),
                shown(&text(new.length))
            ),
            direction,
        ));
    }
    if old.patterns != new.patterns {
        let added = new
            .patterns
            .iter()
            .filter(|p| !old.patterns.contains(p))
            .count();
        let removed = old
            .patterns
            .iter()
            .filter(|p| !new.patterns.contains(p))
            .count();
        let direction = match (added, removed) {
            (_, 0) => Direction::Tighter,
            (0, _) => Direction::Looser,
            _ => Direction::Different,
        };
        found.push((
            format!("pattern {:?} -> {:?}", old.patterns, new.patterns),
            direction,
        ));
    }
    found
}

/// A facet or default value as the table shows it: quoted, or `none`.
pub(super) fn shown(value: &Option<String>) -> String {
    match value {
        Some(v) => format!("{v:?}"),
        None => "none".to_owned(),
    }
}

/// Orders two facet values: integers exactly (whatever their size), other numbers as `f64`, else as text when
/// both have the same shape (dates and times of one form order as text); `None` when they cannot be ordered.
fn compare_values(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    let (a, b) = (a.trim(), b.trim());
    if let (Some(x), Some(y)) = (integer(a), integer(b)) {
        return Some(compare_integers(x, y));
    }
    if let (Ok(x), Ok(y)) = (a.parse::<f64>(), b.parse::<f64>()) {
        return x.partial_cmp(&y);
    }
    let shape = |s: &str| s.chars().map(|c| c.is_ascii_digit()).collect::<Vec<_>>();
    (shape(a) == shape(b)).then(|| a.cmp(b))
}

/// An integer's sign (`true` when negative) and its digits without leading zeros, when `text` is an integer.
fn integer(text: &str) -> Option<(bool, &str)> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits = digits.trim_start_matches('0');
    Some((negative && !digits.is_empty(), digits))
}

fn compare_integers((an, a): (bool, &str), (bn, b): (bool, &str)) -> std::cmp::Ordering {
    let magnitude = a.len().cmp(&b.len()).then_with(|| a.cmp(b));
    match (an, bn) {
        (false, false) => magnitude,
        (true, true) => magnitude.reverse(),
        (true, false) => std::cmp::Ordering::Less,
        (false, true) => std::cmp::Ordering::Greater,
    }
}

#[cfg(test)]
mod tests {
    use super::compare_values;
    use std::cmp::Ordering::*;

    #[test]
    fn integers_order_exactly_whatever_their_size() {
        assert_eq!(compare_values("45", "1023"), Some(Less));
        assert_eq!(
            compare_values("18446744073709551617", "18446744073709551616"),
            Some(Greater)
        );
        assert_eq!(compare_values("-5", "3"), Some(Less));
        assert_eq!(compare_values("-10", "-9"), Some(Less));
        assert_eq!(compare_values("-0", "+0"), Some(Equal));
        assert_eq!(compare_values("007", "7"), Some(Equal));
    }

    #[test]
    fn decimals_and_dates_order_and_other_text_does_not() {
        assert_eq!(compare_values("1.5", "1.25"), Some(Greater));
        assert_eq!(compare_values("2020-01-02", "2020-01-10"), Some(Less));
        assert_eq!(compare_values("abc", "12"), None);
    }
}
