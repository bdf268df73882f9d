//! The verdicts of each kind of change on the three axes, and the value-space rules they rest on (which
//! built-in type's values are all values of another).

use super::{Bump, Compat};
use crate::ir::{Builtin, Card, Field, ItemKind, Module, Ty};

/// The three verdicts of a change and why.
pub(super) struct Verdicts {
    pub(super) reading: Compat,
    pub(super) writing: Compat,
    pub(super) api: Bump,
    pub(super) why: String,
}

pub(super) fn v(reading: Compat, writing: Compat, api: Bump, why: impl Into<String>) -> Verdicts {
    Verdicts {
        reading,
        writing,
        api,
        why: why.into(),
    }
}

const NEW_FIELD: &str = "a new public field breaks struct literals written without `..Default::default()` \
                         (generated structs are not #[non_exhaustive])";
const NEW_FIELD_NON_EXHAUSTIVE: &str = "a new public field of a #[non_exhaustive] struct";

/// The api verdict of an addition to a struct or an enum: major, or minor where they are `#[non_exhaustive]`.
pub(super) fn addition(non_exhaustive: bool) -> Bump {
    if non_exhaustive {
        Bump::Minor
    } else {
        Bump::Major
    }
}

/// Whether the field must occur (a required element, attribute or text).
pub(super) fn required(field: &Field) -> bool {
    field.card == Card::One && field.occurs.min > 0
}

pub(super) fn field_added(field: &Field, non_exhaustive: bool) -> Verdicts {
    let api = if non_exhaustive {
        NEW_FIELD_NON_EXHAUSTIVE
    } else {
        NEW_FIELD
    };
    if required(field) {
        v(
            Compat::Drift,
            Compat::Breaks,
            addition(non_exhaustive),
            format!(
                "OLD reads the document and skips it unread (drift); OLD never writes it, and NEW requires it; {api}"
            ),
        )
    } else {
        v(
            Compat::Drift,
            Compat::Ok,
            addition(non_exhaustive),
            format!("OLD reads the document and skips it unread (drift); {api}"),
        )
    }
}

pub(super) fn field_removed(field: &Field) -> Verdicts {
    let reading = if required(field) {
        Compat::Breaks
    } else {
        Compat::Ok
    };
    let why = if required(field) {
        "OLD requires it, and NEW's documents never have it; OLD writes it, and NEW refuses it; the field is gone"
    } else {
        "OLD writes it when set, and NEW refuses it; the field is gone"
    };
    v(reading, Compat::Breaks, Bump::Major, why)
}

/// minOccurs/maxOccurs as the field has them (an attribute: 0 or 1).
fn bounds(field: &Field) -> (u32, Option<u32>) {
    match field.card {
        Card::Many => (field.occurs.min, field.occurs.max),
        Card::One => (field.occurs.min.max(1), Some(1)),
        Card::Optional => (0, Some(1)),
    }
}

fn le(a: Option<u32>, b: Option<u32>) -> bool {
    match (a, b) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) => a <= b,
    }
}

pub(super) fn occurs_text(field: &Field) -> String {
    let (min, max) = bounds(field);
    match max {
        Some(max) => format!("{min}..{max}"),
        None => format!("{min}..unbounded"),
    }
}

/// An occurrence change: `None` when the bounds and the Rust cardinality are the same.
pub(super) fn occurrence(old: &Field, new: &Field) -> Option<Verdicts> {
    let (old_min, old_max) = bounds(old);
    let (new_min, new_max) = bounds(new);
    if (old_min, old_max) == (new_min, new_max) && old.card == new.card {
        return None;
    }
    let mut why = Vec::new();
    // OLD reads NEW's documents unless NEW may omit what OLD requires, or repeat what OLD holds once.
    let mut reading = Compat::Ok;
    if old.card == Card::One && new_min == 0 {
        reading = Compat::Breaks;
        why.push("NEW's documents may omit it, and OLD requires it");
    }
    if old.card != Card::Many && !le(new_max, Some(1)) {
        reading = Compat::Breaks;
        why.push("NEW's documents may repeat it, and OLD holds one");
    }
    let mut writing = Compat::Ok;
    if old_min < new_min {
        writing = Compat::Breaks;
        why.push("OLD may write fewer than NEW requires");
    }
    if !le(old_max, new_max) {
        writing = Compat::Breaks;
        why.push("OLD may write more than NEW allows");
    }
    let api = if old.card == new.card {
        Bump::None
    } else {
        why.push("the field's Rust type changes (T, Option<T>, Vec<T>)");
        Bump::Major
    };
    if why.is_empty() {
        why.push("the bounds widen, within what both sides read and write");
    }
    Some(v(reading, writing, api, why.join("; ")))
}

/// A changed value type (`old` in `old_module`, `new` in `new_module`).
pub(super) fn type_changed(
    old: &Ty,
    old_module: &Module,
    new: &Ty,
    new_module: &Module,
) -> Verdicts {
    let reading = if values_within(new, new_module, old) {
        Compat::Ok
    } else {
        Compat::Breaks
    };
    let writing = if values_within(old, old_module, new) {
        Compat::Ok
    } else {
        Compat::Breaks
    };
    let why = [
        match reading {
            Compat::Ok => "every NEW value is a value OLD reads",
            _ => "NEW has values OLD does not read",
        },
        match writing {
            Compat::Ok => "every value OLD writes is valid under NEW",
            _ => "OLD may write values NEW refuses",
        },
        "the Rust type changes",
    ];
    v(reading, writing, Bump::Major, why.join("; "))
}

/// Whether every value of `a` (a type of module `am`) is a value of `b`, as far as the generator's model tells:
/// a restriction of `a` is unwrapped to its base, while a restriction `b` is taken to hold none of `a`'s values
/// unless it is `a`. Items of the same name are taken as equal here: their own changes are reported on their own.
pub(super) fn values_within(a: &Ty, am: &Module, b: &Ty) -> bool {
    if a == b {
        return true;
    }
    match (a, b) {
        (Ty::Builtin(x), Ty::Builtin(y)) => builtin_within(*x, *y),
        (Ty::List(x), Ty::List(y)) => values_within(x, am, y),
        (Ty::Collection { item: x, .. }, Ty::Collection { item: y, .. }) => values_within(x, am, y),
        (Ty::Named(name), _) => match restricted_base(name, am) {
            Some(base) => values_within(&base, am, b),
            None => false,
        },
        _ => false,
    }
}

/// The type a restriction (an enumeration, a newtype, an alias) restricts.
fn restricted_base(name: &str, module: &Module) -> Option<Ty> {
    let item = module.items.iter().find(|i| i.name == name)?;
    match &item.kind {
        ItemKind::Enum(e) => Some(e.base.clone()),
        ItemKind::Newtype(n) => Some(n.inner.clone()),
        ItemKind::Alias(t) => Some(t.clone()),
        _ => None,
    }
}

/// The range of an integer type (`None`: unbounded on that side).
fn integer_range(b: Builtin) -> Option<(Option<i128>, Option<i128>)> {
    use Builtin::*;
    Some(match b {
        I8 => (Some(i8::MIN.into()), Some(i8::MAX.into())),
        I16 => (Some(i16::MIN.into()), Some(i16::MAX.into())),
        I32 => (Some(i32::MIN.into()), Some(i32::MAX.into())),
        I64 => (Some(i64::MIN.into()), Some(i64::MAX.into())),
        U8 => (Some(0), Some(u8::MAX.into())),
        U16 => (Some(0), Some(u16::MAX.into())),
        U32 => (Some(0), Some(u32::MAX.into())),
        U64 => (Some(0), Some(u64::MAX.into())),
        Integer => (None, None),
        NonNegativeInteger => (Some(0), None),
        PositiveInteger => (Some(1), None),
        NonPositiveInteger => (None, Some(0)),
        NegativeInteger => (None, Some(-1)),
        _ => return None,
    })
}

fn builtin_within(a: Builtin, b: Builtin) -> bool {
    use Builtin::*;
    if a == b || a.as_chrono() == b.as_chrono() {
        return true;
    }
    // Every lexical form is an xs:string (normalization aside).
    if matches!(b, String | NormalizedString | Token) {
        return true;
    }
    if let (Some((a_lo, a_hi)), Some((b_lo, b_hi))) = (integer_range(a), integer_range(b)) {
        let lo = match (a_lo, b_lo) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(x), Some(y)) => x >= y,
        };
        let hi = match (a_hi, b_hi) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(x), Some(y)) => x <= y,
        };
        return lo && hi;
    }
    match b {
        Decimal => a.is_decimal(),
        F64 => a.is_decimal() || a == F32,
        _ => false,
    }
}

/// `true` when `facet` became tighter (fewer values), `false` looser; for two bounds.
pub(super) enum Direction {
    Tighter,
    Looser,
    Different,
}

pub(super) fn facet(direction: Direction) -> Verdicts {
    match direction {
        Direction::Tighter => v(
            Compat::Ok,
            Compat::Breaks,
            Bump::None,
            "NEW allows fewer values: OLD's checks pass values NEW refuses",
        ),
        Direction::Looser => v(
            Compat::Breaks,
            Compat::Ok,
            Bump::None,
            "NEW allows more values: OLD's reader refuses those it does not allow",
        ),
        Direction::Different => v(
            Compat::Breaks,
            Compat::Breaks,
            Bump::None,
            "the value sets differ both ways",
        ),
    }
}
