//! `filter`: the typed search criteria of a catalog entity. One type per documented field, with a method per
//! allowed operator taking the field's value type (`filter::Name.contains("shop")`, `filter::Id.in_list([1, 2])`),
//! so that a misspelt field, a wrong operator or a wrongly typed value does not compile.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::catalog::{Catalog, Entity, FilterType, Operator};
use super::shapes::{Shapes, rest_of};
use crate::emit::rust_ident;
use crate::error::Result;
use crate::ir::Lookup;
use crate::ir::{ItemKind, names};

/// The method of a typed filter field for operator `op` (see the runtime's `criteria_field!`).
fn operator_method(op: Operator) -> &'static str {
    match op {
        Operator::Equals => "equals",
        Operator::NotEquals => "not_equals",
        Operator::Contains => "contains",
        Operator::Greater => "greater",
        Operator::Lesser => "lesser",
        Operator::In => "in_list",
    }
}

pub(super) fn filter_module(
    entity: &Entity,
    shapes: &Shapes,
    lookup: &Lookup,
    catalog: &Catalog,
) -> Result<TokenStream> {
    let criteria = format_ident!("{}", shapes.criteria_ty);
    let operator = format_ident!("{}", shapes.operator_ty);
    check_operators(entity, shapes, lookup, catalog)?;
    let mut scope = names::Scope::with_reserved(&["Criterion", "Schema"]);
    let mut items = Vec::new();
    for f in &entity.filters {
        let ty_name = scope.claim(&names::type_name(&f.field));
        let ident = format_ident!("{}", ty_name);
        let field_xml = &f.field;
        let kind = f.kind.as_str();
        let doc = format!(" `{field_xml}` ({kind}): {}", f.doc);
        let mut extra = TokenStream::new();
        let value_ty = match f.kind {
            FilterType::Long | FilterType::Integer => quote!(i64),
            FilterType::Boolean => quote!(bool),
            FilterType::Date => quote!(rt::xs::DateTime),
            FilterType::Text => quote!(String),
            FilterType::Keyword => {
                let value_name = scope.claim(&format!("{ty_name}Value"));
                let value_ident = format_ident!("{}", value_name);
                let mut vscope = names::Scope::default();
                let variants: Vec<(syn::Ident, &String)> = f
                    .values
                    .iter()
                    .map(|v| (format_ident!("{}", vscope.claim(&names::type_name(v))), v))
                    .collect();
                let decl = variants.iter().map(|(v, text)| quote!(#v = #text));
                let vdoc = format!(" The values of the `{field_xml}` filter.");
                extra = quote! {
                    rt::criteria_values!(#[doc = #vdoc] #value_ident { #(#decl),* });
                };
                quote!(#value_ident)
            }
        };
        let named = f.named.then(|| quote!(named));
        let ops = f
            .operators
            .iter()
            .map(|op| format_ident!("{}", operator_method(*op)));
        items.push(quote! {
            #extra
            rt::criteria_field!(#[doc = #doc] #named #ident(#field_xml, #value_ty) { #(#ops)* });
        });
    }
    let doc = format!(
        " Typed search criteria for `{}/{}`: one type per documented field, one method per operator it allows.",
        entity.module, entity.name
    );
    let schema_doc = format!(
        " The `{}/{}` criteria: the `<Criteria>` and `<filters>` elements they build.",
        entity.module, entity.name
    );
    let criterion_doc = format!(
        " One `<Criteria>` of a `{}/{}` search; several are combined with AND.",
        entity.module, entity.name
    );
    // The `<filters>` of a request, for the endpoints that send criteria.
    let sends_filters = entity.actions.iter().any(|a| a.body.takes_filters());
    let filters = shapes.filters_ty.as_ref().filter(|_| sends_filters);
    let (filters_ty, to_filters) = match filters {
        Some((filters_ty, criteria_field)) => {
            let rest = rest_of(lookup, filters_ty, 1);
            let filters_ty = format_ident!("{}", filters_ty);
            let criteria_field: syn::Ident = rust_ident(criteria_field);
            let field = if criteria_field == "criteria" {
                quote!(criteria)
            } else {
                quote!(#criteria_field: criteria)
            };
            (
                quote!(super::#filters_ty),
                quote!(super::#filters_ty { #field, #rest }),
            )
        }
        None => (quote!(()), quote!(drop(criteria))),
    };
    Ok(quote! {
        #[doc = #doc]
        pub mod filter {
            use super::{rt, #criteria, #operator};

            #[doc = #criterion_doc]
            pub type Criterion = rt::Criterion<Schema>;

            #[doc = #schema_doc]
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            pub struct Schema;

            impl rt::CriteriaSchema for Schema {
                type Criteria = #criteria;
                type Filters = #filters_ty;

                fn criteria(field: &str, name: Option<String>, operator: rt::Operator, value: String) -> #criteria {
                    let Ok(operator) = operator.as_str().parse::<#operator>();
                    #criteria { field: Some(field.to_owned()), name, operator: Some(operator), value }
                }

                fn filters(criteria: Vec<#criteria>) -> Self::Filters {
                    #to_filters
                }
            }

            #(#items)*
        }
    })
}

/// Every operator the catalog documents for a filter is a value of the schema's operator enumeration, so that the
/// criteria the typed fields build are valid.
fn check_operators(
    entity: &Entity,
    shapes: &Shapes,
    lookup: &Lookup,
    catalog: &Catalog,
) -> Result<()> {
    let Some(ItemKind::Enum(operators)) = lookup.kind(&shapes.operator_ty) else {
        return Err(catalog.entity_error(
            entity,
            None,
            format!(
                "the Criteria operator type {} is not an enumeration",
                shapes.operator_ty
            ),
        ));
    };
    for filter in &entity.filters {
        for op in &filter.operators {
            if !operators
                .variants
                .iter()
                .any(|(_, value, _)| value == op.as_str())
            {
                return Err(catalog.entity_error(
                    entity,
                    None,
                    format!(
                        "filter {} allows {op}, which the schema's {} does not list",
                        filter.field, shapes.operator_ty
                    ),
                ));
            }
        }
    }
    Ok(())
}
