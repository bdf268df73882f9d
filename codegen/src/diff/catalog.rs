//! The changes between the endpoint catalogs of two sides: entities, actions, filter fields, operators and
//! keyword values.

use super::verdict::{Verdicts, v};
use super::walk::{CatalogFacts, Side};
use super::{Bump, Change, Compat, Kind, Place};
use crate::qps::catalog::{Action, Entity, Filter};

/// Every catalog change; none when neither side has a catalog.
pub(super) fn changes(old: &Side, new: &Side) -> Vec<Change> {
    let (olds, news) = (entities(old), entities(new));
    let mut out = Vec::new();
    let key = |e: &Entity| format!("{}/{}", e.module, e.name);
    for (i, oe) in olds.iter().enumerate() {
        let group = format!("catalog {}", key(oe));
        let place = old.catalog.as_ref().map(|c| c.place(i, None, None));
        match news.iter().position(|ne| key(ne) == key(oe)) {
            None => out.push(change(
                &group,
                group.clone(),
                Kind::EntityRemoved,
                format!("entity {} ({})", key(oe), oe.schema),
                (place, None),
                v(
                    Compat::Ok,
                    Compat::Breaks,
                    Bump::Major,
                    "OLD's client calls endpoints NEW does not have; the calls are gone",
                ),
            )),
            Some(j) => {
                let entity = EntityPair {
                    old,
                    new,
                    i,
                    j,
                    group: &group,
                    out: &mut out,
                };
                entity.compare(oe, &news[j]);
            }
        }
    }
    for (j, ne) in news.iter().enumerate() {
        if !olds.iter().any(|oe| key(oe) == key(ne)) {
            let group = format!("catalog {}", key(ne));
            let place = new.catalog.as_ref().map(|c| c.place(j, None, None));
            out.push(change(
                &group,
                group.clone(),
                Kind::EntityAdded,
                format!(
                    "entity {} ({}, {} actions, {} filter fields)",
                    key(ne),
                    ne.schema,
                    ne.actions.len(),
                    ne.filters.len()
                ),
                (None, place),
                v(
                    Compat::Ok,
                    Compat::Ok,
                    Bump::Minor,
                    "new endpoints and calls",
                ),
            ));
        }
    }
    out
}

fn entities(side: &Side) -> &[Entity] {
    side.catalog
        .as_ref()
        .map_or(&[], |c: &CatalogFacts| &c.catalog.entities)
}

fn change(
    group: &str,
    path: String,
    kind: Kind,
    detail: String,
    places: (Option<Place>, Option<Place>),
    verdicts: Verdicts,
) -> Change {
    Change {
        group: group.to_owned(),
        path,
        kind,
        detail,
        old: places.0,
        new: places.1,
        reading: verdicts.reading,
        writing: verdicts.writing,
        api: verdicts.api,
        why: verdicts.why,
    }
}

struct EntityPair<'a> {
    old: &'a Side,
    new: &'a Side,
    i: usize,
    j: usize,
    group: &'a str,
    out: &'a mut Vec<Change>,
}

impl EntityPair<'_> {
    fn place(
        side: &Side,
        entity: usize,
        action: Option<usize>,
        filter: Option<usize>,
    ) -> Option<Place> {
        side.catalog
            .as_ref()
            .map(|c| c.place(entity, action, filter))
    }

    fn push(
        &mut self,
        path: String,
        kind: Kind,
        detail: String,
        places: (Option<Place>, Option<Place>),
        verdicts: Verdicts,
    ) {
        self.out
            .push(change(self.group, path, kind, detail, places, verdicts));
    }

    fn compare(mut self, oe: &Entity, ne: &Entity) {
        for (a, oa) in oe.actions.iter().enumerate() {
            let path = format!("{} {}", self.group, oa.name);
            let old_place = Self::place(self.old, self.i, Some(a), None);
            match ne.actions.iter().position(|na| na.name == oa.name) {
                None => self.push(
                    path,
                    Kind::ActionRemoved,
                    format!("action {}", oa.name),
                    (old_place, None),
                    v(
                        Compat::Ok,
                        Compat::Breaks,
                        Bump::Major,
                        "OLD's client calls an endpoint NEW does not have; the call is gone",
                    ),
                ),
                Some(b) => {
                    let new_place = Self::place(self.new, self.j, Some(b), None);
                    if let Some((detail, verdicts)) = action_change(oa, &ne.actions[b]) {
                        self.push(
                            path,
                            Kind::ActionChanged,
                            detail,
                            (old_place, new_place),
                            verdicts,
                        );
                    }
                }
            }
        }
        for (b, na) in ne.actions.iter().enumerate() {
            if !oe.actions.iter().any(|oa| oa.name == na.name) {
                let path = format!("{} {}", self.group, na.name);
                let place = Self::place(self.new, self.j, Some(b), None);
                self.push(
                    path,
                    Kind::ActionAdded,
                    format!("action {}", na.name),
                    (None, place),
                    v(
                        Compat::Ok,
                        Compat::Ok,
                        Bump::Minor,
                        "a new endpoint and call",
                    ),
                );
            }
        }
        for (f, of) in oe.filters.iter().enumerate() {
            let path = format!("{} filter {}", self.group, of.field);
            let old_place = Self::place(self.old, self.i, None, Some(f));
            match ne.filters.iter().position(|nf| nf.field == of.field) {
                None => self.push(
                    path,
                    Kind::FilterRemoved,
                    format!("filter field {} ({})", of.field, of.kind.as_str()),
                    (old_place, None),
                    v(
                        Compat::Ok,
                        Compat::Breaks,
                        Bump::Major,
                        "OLD may send a criterion NEW does not document; the typed filter is gone",
                    ),
                ),
                Some(g) => {
                    let new_place = Self::place(self.new, self.j, None, Some(g));
                    self.filter(path, of, &ne.filters[g], (old_place, new_place));
                }
            }
        }
        for (g, nf) in ne.filters.iter().enumerate() {
            if !oe.filters.iter().any(|of| of.field == nf.field) {
                let path = format!("{} filter {}", self.group, nf.field);
                let place = Self::place(self.new, self.j, None, Some(g));
                self.push(
                    path,
                    Kind::FilterAdded,
                    format!("filter field {} ({})", nf.field, nf.kind.as_str()),
                    (None, place),
                    v(
                        Compat::Ok,
                        Compat::Ok,
                        Bump::Minor,
                        "a new typed filter field",
                    ),
                );
            }
        }
    }

    fn filter(
        &mut self,
        path: String,
        of: &Filter,
        nf: &Filter,
        places: (Option<Place>, Option<Place>),
    ) {
        if of.kind != nf.kind {
            self.push(
                path.clone(),
                Kind::FilterTypeChanged,
                format!(
                    "filter field {}: {} -> {}",
                    of.field,
                    of.kind.as_str(),
                    nf.kind.as_str()
                ),
                places.clone(),
                v(
                    Compat::Ok,
                    Compat::Breaks,
                    Bump::Major,
                    "OLD sends values of the old type; the filter's Rust value type changes",
                ),
            );
        }
        for op in &of.operators {
            if !nf.operators.contains(op) {
                self.push(
                    path.clone(),
                    Kind::OperatorRemoved,
                    format!("filter field {}: operator {}", of.field, op.as_str()),
                    places.clone(),
                    v(
                        Compat::Ok,
                        Compat::Breaks,
                        Bump::Major,
                        "OLD may send the operator, which NEW does not accept; its method is gone",
                    ),
                );
            }
        }
        for op in &nf.operators {
            if !of.operators.contains(op) {
                self.push(
                    path.clone(),
                    Kind::OperatorAdded,
                    format!("filter field {}: operator {}", nf.field, op.as_str()),
                    places.clone(),
                    v(Compat::Ok, Compat::Ok, Bump::Minor, "a new operator method"),
                );
            }
        }
        for value in &of.values {
            if !nf.values.contains(value) {
                self.push(
                    path.clone(),
                    Kind::FilterValueRemoved,
                    format!("filter field {}: value {value}", of.field),
                    places.clone(),
                    v(
                        Compat::Ok,
                        Compat::Breaks,
                        Bump::Major,
                        "OLD may send the value, which NEW does not accept; its constant is gone",
                    ),
                );
            }
        }
        for value in &nf.values {
            if !of.values.contains(value) {
                self.push(
                    path.clone(),
                    Kind::FilterValueAdded,
                    format!("filter field {}: value {value}", nf.field),
                    places.clone(),
                    v(
                        Compat::Ok,
                        Compat::Ok,
                        Bump::Major,
                        "a new variant of the filter's value enum breaks exhaustive matches",
                    ),
                );
            }
        }
    }
}

/// How an action changed, if it did: a request OLD builds (method, id, body) and a response it reads.
fn action_change(old: &Action, new: &Action) -> Option<(String, Verdicts)> {
    let mut parts = Vec::new();
    let mut reading = Compat::Ok;
    let mut writing = Compat::Ok;
    let mut api = Bump::None;
    let mut why = Vec::new();
    if old.methods != new.methods {
        parts.push(format!(
            "methods {} -> {}",
            methods(&old.methods),
            methods(&new.methods)
        ));
        if !old.methods.first().is_some_and(|m| new.methods.contains(m)) {
            writing = Compat::Breaks;
            why.push("NEW does not accept the method OLD's client uses");
        }
    }
    if old.id != new.id {
        parts.push(format!("id {} -> {}", old.id.as_str(), new.id.as_str()));
        writing = Compat::Breaks;
        api = Bump::Major;
        why.push("the id rule of the path changes the call's signature");
    }
    if old.body != new.body {
        parts.push(format!(
            "body {} -> {}",
            old.body.as_str(),
            new.body.as_str()
        ));
        writing = Compat::Breaks;
        api = Bump::Major;
        why.push("the request body changes the call's signature");
    }
    if old.response != new.response {
        parts.push(format!(
            "response {} -> {}",
            old.response.as_str(),
            new.response.as_str()
        ));
        reading = Compat::Breaks;
        api = Bump::Major;
        why.push("OLD reads the response as the old kind");
    }
    if old.paginated != new.paginated {
        parts.push(format!("paginated {} -> {}", old.paginated, new.paginated));
        api = api.max(Bump::Minor);
        why.push("paging is followed (or not) by the client");
    }
    if parts.is_empty() {
        return None;
    }
    if why.is_empty() {
        why.push("the method OLD's client uses is still accepted");
    }
    Some((
        format!("action {}: {}", new.name, parts.join(", ")),
        v(reading, writing, api, why.join("; ")),
    ))
}

fn methods(methods: &[crate::qps::catalog::Method]) -> String {
    methods
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join("|")
}
