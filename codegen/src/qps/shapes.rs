//! The parts of a schema's envelope that the Qualys emission builds on (`ServiceRequest`, its `filters`,
//! `Criteria`, `preferences` and `data`; `ServiceResponse` and its `data`), found by their XML names.

use proc_macro2::TokenStream;
use quote::quote;

use super::catalog::{Catalog, Entity};
use crate::error::Result;
use crate::ir::Lookup;
use crate::ir::{Card, Field, ItemKind, Module, Ty};

/// The parts of a schema's envelope the stubs build on, found by their XML names.
pub(super) struct Shapes<'m> {
    pub(super) request: &'m [Field],
    pub(super) filters_ty: Option<(String, String)>,
    pub(super) criteria_ty: String,
    pub(super) operator_ty: String,
    pub(super) prefs: Option<(String, &'m [Field])>,
    pub(super) data: Option<(String, &'m Field)>,
    pub(super) response: &'m [Field],
    pub(super) response_data: Option<(&'m Field, &'m Field)>,
    pub(super) entity: Ty,
}

pub(super) fn struct_fields<'m>(module: &'m Module, name: &str) -> Option<&'m [Field]> {
    module
        .items
        .iter()
        .find(|i| i.name == name)
        .and_then(|i| match &i.kind {
            ItemKind::Struct(s) => Some(s.fields.as_slice()),
            _ => None,
        })
}

pub(super) fn named(ty: &Ty) -> Option<&str> {
    match ty {
        Ty::Named(n) => Some(n),
        _ => None,
    }
}

pub(super) fn field<'m>(fields: &'m [Field], xml: &str) -> Option<&'m Field> {
    fields.iter().find(|f| f.xml == xml)
}

impl<'m> Shapes<'m> {
    pub(super) fn find(module: &'m Module, entity: &Entity, catalog: &Catalog) -> Result<Self> {
        let missing = |what: &str| {
            catalog.entity_error(
                entity,
                None,
                format!("<{}> in {} has no {what}", entity.element, module.source),
            )
        };
        let request = struct_fields(module, "ServiceRequest")
            .ok_or_else(|| missing("ServiceRequest struct"))?;
        let response = struct_fields(module, "ServiceResponse")
            .ok_or_else(|| missing("ServiceResponse struct"))?;
        let filters_field = field(request, "filters");
        let (filters_ty, criteria_ty) = match filters_field.and_then(|f| named(&f.ty)) {
            Some(filters) => {
                let fields =
                    struct_fields(module, filters).ok_or_else(|| missing("filters struct"))?;
                let criteria =
                    field(fields, "Criteria").ok_or_else(|| missing("filters/Criteria"))?;
                let criteria_ty = named(&criteria.ty)
                    .ok_or_else(|| missing("Criteria type"))?
                    .to_owned();
                (
                    Some((filters.to_owned(), criteria.name.clone())),
                    criteria_ty,
                )
            }
            None => (None, "Criteria".to_owned()),
        };
        let criteria_fields =
            struct_fields(module, &criteria_ty).ok_or_else(|| missing("Criteria struct"))?;
        // The typed filters build `Criteria { field, name, operator, value }`: check that shape.
        for (xml, card) in [
            ("field", Card::Optional),
            ("name", Card::Optional),
            ("operator", Card::Optional),
            ("$text", Card::One),
        ] {
            let ok = field(criteria_fields, xml).is_some_and(|f| f.card == card);
            let rust = if xml == "$text" { "value" } else { xml };
            if !ok
                || criteria_fields.len() != 4
                || field(criteria_fields, xml).is_some_and(|f| f.name != rust)
            {
                return Err(missing(&format!(
                    "Criteria shaped as field/name/operator attributes and a text value ({xml})"
                )));
            }
        }
        let operator_ty = field(criteria_fields, "operator")
            .and_then(|f| named(&f.ty))
            .ok_or_else(|| missing("Criteria operator enum"))?
            .to_owned();
        let prefs = field(request, "preferences")
            .and_then(|f| named(&f.ty))
            .and_then(|p| struct_fields(module, p).map(|fields| (p.to_owned(), fields)));
        let data = field(request, "data")
            .and_then(|f| named(&f.ty))
            .and_then(|d| {
                struct_fields(module, d)
                    .and_then(|fields| field(fields, &entity.element))
                    .map(|f| (d.to_owned(), f))
            });
        let response_data = field(response, "data").and_then(|f| {
            named(&f.ty)
                .and_then(|d| struct_fields(module, d))
                .and_then(|fields| field(fields, &entity.element))
                .map(|item| (f, item))
        });
        let entity_ty = data
            .as_ref()
            .map(|(_, f)| f.ty.clone())
            .or_else(|| response_data.map(|(_, f)| f.ty.clone()))
            .ok_or_else(|| missing(&format!("<{}> in data", entity.element)))?;
        Ok(Shapes {
            request,
            filters_ty,
            criteria_ty,
            operator_ty,
            prefs,
            data,
            response,
            response_data,
            entity: entity_ty,
        })
    }
}

/// `..Default::default()` when the struct has fields besides the `set` ones.
pub(super) fn rest_of(lookup: &Lookup, name: &str, set: usize) -> TokenStream {
    match lookup.struct_fields(name) {
        Some(fields) if fields.len() > set => quote!(..Default::default()),
        _ => TokenStream::new(),
    }
}
