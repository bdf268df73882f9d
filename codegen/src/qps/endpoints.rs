//! `endpoints`: one struct per catalog action implementing the runtime's `Endpoint`, and `endpoints::Api`, the
//! same calls on a client (`client.was().webapp().search(..)`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::catalog::{Action, BodyKind, Catalog, Entity, IdRule, Method, ResponseKind};
use super::client::api_struct;
use super::shapes::{Shapes, field, rest_of};
use crate::emit::{rust_ident, ty_tokens};
use crate::error::Result;
use crate::ir::Lookup;
use crate::ir::{Card, Ty, names};

pub(super) fn endpoints_module(
    entity: &Entity,
    shapes: &Shapes,
    lookup: &Lookup,
    catalog: &Catalog,
) -> Result<TokenStream> {
    let mut stubs = Vec::new();
    let mut calls = Vec::new();
    let entity_ty = ty_tokens(&shapes.entity);
    let mut scope = names::Scope::with_reserved(&["Api"]);
    for action in &entity.actions {
        let name = scope.claim(&names::type_name(&action.name));
        let (stub, call) =
            action_tokens(entity, action, &name, shapes, lookup, &entity_ty, catalog)?;
        stubs.push(stub);
        calls.push(call);
    }
    let doc = format!(
        " One [`Endpoint`](rt::Endpoint) per action on `{}/{}`, and [`Api`](endpoints::Api), the same calls on a client.",
        entity.module, entity.name,
    );
    let api = api_struct(
        &format!(
            "The `{}/{}` calls on a client: `{}`.",
            entity.module, entity.name, entity.doc
        ),
        quote!(#(#calls)*),
    );
    Ok(quote! {
        #[doc = #doc]
        pub mod endpoints {
            #[allow(unused_imports)]
            use super::*;

            #(#stubs)*

            #api
        }
    })
}

#[allow(clippy::too_many_arguments)]
fn action_tokens(
    entity: &Entity,
    action: &Action,
    name: &str,
    shapes: &Shapes,
    lookup: &Lookup,
    entity_ty: &TokenStream,
    catalog: &Catalog,
) -> Result<(TokenStream, TokenStream)> {
    let ident = format_ident!("{}", name);
    let method = action.method();
    let method_tokens = match method {
        Method::Get => quote!(rt::Method::Get),
        Method::Post => quote!(rt::Method::Post),
        Method::Put => quote!(rt::Method::Put),
        Method::Delete => quote!(rt::Method::Delete),
    };
    let base = action.path(entity, None);
    let wants_filters = action.body.takes_filters();
    let wants_prefs = action.body == BodyKind::PreferencesFilters && shapes.prefs.is_some();
    let data_kind = match action.body {
        BodyKind::Data | BodyKind::DataFiltersOrId => Some(true),
        BodyKind::DataOptional => Some(false),
        _ => None,
    };
    if wants_filters && shapes.filters_ty.is_none() {
        return Err(catalog.entity_error(
            entity,
            Some(action),
            "it takes filters, but ServiceRequest has no <filters>",
        ));
    }
    if data_kind.is_some() && shapes.data.is_none() {
        return Err(catalog.entity_error(
            entity,
            Some(action),
            format!(
                "it takes data, but ServiceRequest/data has no <{}>",
                entity.element
            ),
        ));
    }

    // Fields of the stub.
    let mut fields = Vec::new();
    let mut ctor_params = Vec::new();
    let mut ctor_inits = Vec::new();
    let mut setters = Vec::new();
    match action.id {
        IdRule::Required => {
            fields.push(quote!(#[doc = " The entity id, the last path segment."] pub id: i64,));
            ctor_params.push(quote!(id: i64));
            ctor_inits.push(quote!(id));
        }
        IdRule::Optional => {
            fields.push(quote!(#[doc = " The entity id, the last path segment; without it the call acts on what the filters or the data select."] pub id: Option<i64>,));
            ctor_inits.push(quote!(id: None));
            setters.push(quote! {
                /// Aims the call at one entity, by id in the path.
                pub fn id(mut self, id: i64) -> Self {
                    self.id = Some(id);
                    self
                }
            });
        }
        IdRule::None => {}
    }
    if wants_filters {
        fields.push(quote!(#[doc = " Search criteria, combined with AND."] pub filters: Vec<super::filter::Criterion>,));
        ctor_inits.push(quote!(filters: Vec::new()));
        setters.push(quote! {
            /// Adds a criterion (criteria are combined with AND).
            pub fn filter(mut self, criterion: super::filter::Criterion) -> Self {
                self.filters.push(criterion);
                self
            }
        });
    }
    if wants_prefs {
        let prefs = format_ident!("{}", shapes.prefs.as_ref().expect("checked").0);
        fields.push(
            quote!(#[doc = " Paging and output preferences."] pub preferences: Option<#prefs>,),
        );
        ctor_inits.push(quote!(preferences: None));
        setters.push(quote! {
            /// Sets the preferences (page size, offset, verbose output).
            pub fn preferences(mut self, preferences: #prefs) -> Self {
                self.preferences = Some(preferences);
                self
            }
        });
    }
    match data_kind {
        Some(true) => {
            fields.push(quote!(#[doc = " The entity data sent."] pub data: #entity_ty,));
            ctor_params.push(quote!(data: #entity_ty));
            ctor_inits.push(quote!(data));
        }
        Some(false) => {
            fields.push(quote!(#[doc = " Optional entity data sent with the call."] pub data: Option<#entity_ty>,));
            ctor_inits.push(quote!(data: None));
            setters.push(quote! {
                /// Sends entity data with the call.
                pub fn data(mut self, data: #entity_ty) -> Self {
                    self.data = Some(data);
                    self
                }
            });
        }
        None => {}
    }

    // Path: the id, where there is one, is the last segment.
    let with_id = format!("{}/{{}}", base.replace('{', "{{").replace('}', "}}"));
    let path = match action.id {
        IdRule::Required => quote!(format!(#with_id, self.id)),
        IdRule::Optional => quote!(match self.id {
            Some(id) => format!(#with_id, id),
            None => #base.to_owned(),
        }),
        IdRule::None => quote!(#base.to_owned()),
    };

    // Body: the request's parts as one `ServiceRequest`; a request with nothing set is sent without a body.
    let body = if action.body == BodyKind::None {
        TokenStream::new()
    } else {
        let mut parts = Vec::new();
        if wants_filters {
            let filters_field = field(shapes.request, "filters").expect("checked");
            let filters_name: syn::Ident = rust_ident(&filters_field.name);
            let by_id_only = matches!(
                action.body,
                BodyKind::FiltersOrId | BodyKind::DataFiltersOrId
            ) && action.id == IdRule::Optional;
            parts.push(if by_id_only {
                // An id in the path selects the entity; the filters are sent only without one.
                quote! {
                    #filters_name: if self.id.is_none() {
                        rt::Criterion::filters(&self.filters)
                    } else {
                        None
                    },
                }
            } else {
                quote!(#filters_name: rt::Criterion::filters(&self.filters),)
            });
        }
        if wants_prefs {
            let prefs_field = field(shapes.request, "preferences").expect("checked");
            let prefs_name: syn::Ident = rust_ident(&prefs_field.name);
            parts.push(quote!(#prefs_name: self.preferences.clone(),));
        }
        if let Some(required) = data_kind {
            let (data_ty, item) = shapes.data.as_ref().expect("checked");
            let rest = rest_of(lookup, data_ty, 1);
            let data_ty = format_ident!("{}", data_ty);
            let item_name: syn::Ident = rust_ident(&item.name);
            let data_field = field(shapes.request, "data").expect("checked");
            let data_name: syn::Ident = rust_ident(&data_field.name);
            let value = |entity: TokenStream| match item.card {
                Card::Many => quote!(vec![#entity.clone()]),
                Card::Optional => quote!(Some(#entity.clone())),
                Card::One => quote!(#entity.clone()),
            };
            parts.push(if required {
                let value = value(quote!(self.data));
                quote!(#data_name: Some(#data_ty { #item_name: #value, #rest }),)
            } else {
                let value = value(quote!(entity));
                quote!(#data_name: self.data.as_ref().map(|entity| #data_ty { #item_name: #value, #rest }),)
            });
        }
        let rest = rest_of(lookup, "ServiceRequest", parts.len());
        quote! {
            fn body(&self) -> Result<Option<String>, rt::Error> {
                let request = ServiceRequest { #(#parts)* #rest };
                rt::request_body_unless_empty(&request)
            }
        }
    };

    // Output: read by its `FromResponse` (the envelope, a bare document, or text).
    let (output, xml_response) = match action.response {
        ResponseKind::Data | ResponseKind::Count => (quote!(ServiceResponse), TokenStream::new()),
        ResponseKind::Bare => (entity_ty.clone(), TokenStream::new()),
        ResponseKind::Icalendar => (
            quote!(String),
            quote!(
                const XML_RESPONSE: bool = false;
            ),
        ),
    };
    // The runtime's default trusts only GET; say so where a call differs.
    let retry_safe = matches!(
        action.name.as_str(),
        "search" | "count" | "get" | "status" | "summary" | "download"
    );
    let retry_safe = (retry_safe != (method == Method::Get)).then(|| {
        quote! {
            fn retry_safe(&self) -> bool {
                #retry_safe
            }
        }
    });

    let pageable = if action.paginated && wants_prefs {
        let (_, prefs_fields) = shapes.prefs.as_ref().expect("checked");
        match (
            field(prefs_fields, "startFromOffset"),
            field(prefs_fields, "limitResults"),
        ) {
            (Some(offset), Some(limit))
                if offset.card == Card::Optional && limit.card == Card::Optional =>
            {
                let offset: syn::Ident = rust_ident(&offset.name);
                let limit: syn::Ident = rust_ident(&limit.name);
                // The next page starts after `lastId`: by the criterion `id GREATER lastId` where the catalog
                // documents it, else by `startFromId` (the first id of the page, inclusive).
                let start_from_id = field(prefs_fields, "startFromId").filter(|f| {
                    f.card == Card::Optional && matches!(f.ty, Ty::Builtin(crate::ir::Builtin::I64))
                });
                let after_id = match (entity.pages_by_id_criterion(), start_from_id) {
                    (true, _) => Some(quote! {
                        rt::Criterion::page_after(&mut self.filters, after);
                    }),
                    (false, Some(start)) => {
                        let start: syn::Ident = rust_ident(&start.name);
                        Some(quote! {
                            preferences.#start = after.map(|after| after + 1);
                        })
                    }
                    (false, None) => None,
                };
                match after_id {
                    Some(after_id) => quote! {
                        impl rt::Pageable for #ident {
                            fn set_cursor(&mut self, cursor: &rt::Cursor) {
                                let preferences = self.preferences.get_or_insert_with(Default::default);
                                preferences.#limit = Some(cursor.limit() as _);
                                match *cursor {
                                    rt::Cursor::Offset { start, .. } => preferences.#offset = Some(start as _),
                                    rt::Cursor::AfterId { after, .. } => {
                                        #after_id
                                    }
                                }
                            }
                        }
                    },
                    None => TokenStream::new(),
                }
            }
            _ => TokenStream::new(),
        }
    } else {
        TokenStream::new()
    };

    let methods_text: Vec<&str> = action.methods.iter().map(|m| m.as_str()).collect();
    let doc = format!(
        " `{} {}{}`: {}",
        methods_text.join("|"),
        base,
        match action.id {
            IdRule::Required => "/{id}",
            IdRule::Optional => "[/{id}]",
            IdRule::None => "",
        },
        action.doc
    );
    let derive_default = ctor_params.is_empty().then(|| {
        quote! {
            impl Default for #ident {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    let stub = quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub struct #ident {
            #(#fields)*
        }

        impl #ident {
            /// The call, with its required parts.
            pub fn new(#(#ctor_params),*) -> Self {
                #ident { #(#ctor_inits),* }
            }

            #(#setters)*
        }

        #derive_default

        impl rt::Endpoint for #ident {
            const METHOD: rt::Method = #method_tokens;
            #xml_response
            type Output = #output;

            fn path(&self) -> String {
                #path
            }

            #body
            #retry_safe
        }

        #pageable
    };

    // The calls on `Api`: the by-id form, plus `<action>_where(filters)` where filters may replace the id.
    let call_name = names::field_name(&action.name)
        .trim_start_matches("r#")
        .to_owned();
    let args: Vec<syn::Ident> = ctor_params
        .iter()
        .map(|p| format_ident!("{}", p.to_string().split(':').next().unwrap_or("").trim()))
        .collect();
    let filters_param = quote!(filters: impl IntoIterator<Item = super::filter::Criterion>);
    let (ret, finish) = if action.response == ResponseKind::Count {
        (
            quote!(i64),
            quote!(.map(|response| rt::ResponseEnvelope::count(&response).unwrap_or(0))),
        )
    } else {
        (output.clone(), TokenStream::new())
    };
    let call_doc = format!(" {}", action.doc);
    let call_fn = |name: &str, params: &[TokenStream], adjust: &[TokenStream], doc: &str| {
        let name = format_ident!("{}", name);
        let binding = if adjust.is_empty() {
            quote!(let request)
        } else {
            quote!(let mut request)
        };
        quote! {
            #[doc = #doc]
            pub async fn #name(&self, #(#params),*) -> Result<#ret, rt::Error> {
                #binding = #ident::new(#(#args),*);
                #(#adjust)*
                self.client.execute(&request).await #finish
            }
        }
    };
    let by_filters = matches!(
        action.body,
        BodyKind::FiltersOrId | BodyKind::DataFiltersOrId
    );
    let mut calls = Vec::new();
    match (action.id, by_filters) {
        (IdRule::Optional, true) => {
            let mut params = vec![quote!(id: i64)];
            params.extend(ctor_params.iter().cloned());
            calls.push(call_fn(
                &call_name,
                &params,
                &[quote!(request.id = Some(id);)],
                &call_doc,
            ));
            let mut params = vec![filters_param.clone()];
            params.extend(ctor_params.iter().cloned());
            let doc = format!(" {} Acts on every entity the filters select.", action.doc);
            calls.push(call_fn(
                &format!("{call_name}_where"),
                &params,
                &[quote!(request.filters.extend(filters);)],
                &doc,
            ));
        }
        (IdRule::Optional, false) => {
            let mut params = vec![quote!(id: Option<i64>)];
            params.extend(ctor_params.iter().cloned());
            let mut adjust = vec![quote!(request.id = id;)];
            if wants_filters {
                params.push(filters_param.clone());
                adjust.push(quote!(request.filters.extend(filters);));
            }
            calls.push(call_fn(&call_name, &params, &adjust, &call_doc));
        }
        _ => {
            let mut params = ctor_params.clone();
            let mut adjust = Vec::new();
            if wants_filters {
                params.push(filters_param.clone());
                adjust.push(quote!(request.filters.extend(filters);));
            }
            calls.push(call_fn(&call_name, &params, &adjust, &call_doc));
        }
    }
    if action.paginated && !pageable.is_empty() {
        let all_name = format_ident!("{call_name}_all");
        let all_doc = format!(
            concat!(
                " Every record of `{}`, page after page, as a stream (see the runtime's `paging`): each page's",
                " records are read from its body as it arrives, so memory stays flat whatever the number of records."
            ),
            action.name
        );
        calls.push(quote! {
            #[doc = #all_doc]
            pub fn #all_name(&self, #filters_param, mode: rt::PagingMode) -> rt::Paginator<'a, #entity_ty> {
                let mut request = #ident::new(#(#args),*);
                request.filters.extend(filters);
                self.client.paginate(request, mode)
            }
        });
    }
    Ok((stub, quote!(#(#calls)*)))
}
