//! Endpoint stubs, typed search criteria and the envelope impl for a schema that the catalog names.
//!
//! For a catalog entity such as `was/3.0/webapp.xsd` the schema's module gains:
//! - `impl ResponseEnvelope for ServiceResponse`, so the runtime reads any resource's envelope the same way, whole
//!   or record by record;
//! - where an action returns the entity as a bare document, `impl RootElement` for the entity type;
//! - `filter`: one type per documented search field, with a method per allowed operator taking the field's value
//!   type (`filter::Name.contains("shop")`, `filter::Id.in_list([1, 2])`), so a misspelt field, a wrong operator
//!   or a wrongly typed value does not compile;
//! - `endpoints`: one struct per action implementing the runtime's `Endpoint`, and `endpoints::Api`, the calls
//!   on a client (`client.was().webapp().search(..)`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::catalog::{
    Action, BodyKind, Entity, FilterType, IdRule, Method, Operator, ResponseKind,
};
use crate::emit::{Lookup, rust_ident, ty_tokens};
use crate::error::{Error, Result};
use crate::ir::{Card, Field, ItemKind, Module, Ty, names};

/// The parts of a schema's envelope the stubs build on, found by their XML names.
struct Shapes<'m> {
    request: &'m [Field],
    filters_ty: Option<(String, String)>,
    criteria_ty: String,
    operator_ty: String,
    prefs: Option<(String, &'m [Field])>,
    data: Option<(String, &'m Field)>,
    response: &'m [Field],
    response_data: Option<(&'m Field, &'m Field)>,
    entity: Ty,
}

fn struct_fields<'m>(module: &'m Module, name: &str) -> Option<&'m [Field]> {
    module
        .items
        .iter()
        .find(|i| i.name == name)
        .and_then(|i| match &i.kind {
            ItemKind::Struct(s) => Some(s.fields.as_slice()),
            _ => None,
        })
}

fn named(ty: &Ty) -> Option<&str> {
    match ty {
        Ty::Named(n) => Some(n),
        _ => None,
    }
}

fn field<'m>(fields: &'m [Field], xml: &str) -> Option<&'m Field> {
    fields.iter().find(|f| f.xml == xml)
}

impl<'m> Shapes<'m> {
    fn find(module: &'m Module, entity: &Entity) -> Result<Self> {
        let missing = |what: &str| {
            Error::Config(format!(
                "catalog entity {}/{}: {} in {} has no {what}",
                entity.module, entity.name, entity.element, module.source
            ))
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

/// The tokens to append to the module of `entity`'s schema.
pub fn entity_tokens(entity: &Entity, module: &Module, lookup: &Lookup) -> Result<TokenStream> {
    let shapes = Shapes::find(module, entity)?;
    let envelope = envelope_impl(&shapes, lookup);
    let bare = bare_root(entity, module, &shapes)?;
    let filters = filter_module(entity, &shapes, lookup);
    let endpoints = endpoints_module(entity, &shapes, lookup)?;
    Ok(quote! {
        #envelope
        #bare
        #filters
        #endpoints
    })
}

/// Where an action returns the entity as a bare document (the scan download's `<WasScan>`), the entity type is
/// a document root even if the schema declares no global element for it: it gets its `RootElement`, so the
/// runtime reads the document with its root checked, and a user can write it back; and its `FromResponse`, which
/// reads such a document.
fn bare_root(entity: &Entity, module: &Module, shapes: &Shapes) -> Result<TokenStream> {
    if !entity
        .actions
        .iter()
        .any(|a| a.response == ResponseKind::Bare)
    {
        return Ok(TokenStream::new());
    }
    let not_a_document = |why: &str| {
        Error::Config(format!(
            "catalog entity {}/{}: a bare <{}> response needs {why} in {}",
            entity.module, entity.name, entity.element, module.source
        ))
    };
    let name = named(&shapes.entity).ok_or_else(|| not_a_document("a named complex type"))?;
    let item = module
        .items
        .iter()
        .find(|i| i.name == name && matches!(i.kind, ItemKind::Struct(_)))
        .ok_or_else(|| not_a_document("a complex type"))?;
    let ident = format_ident!("{}", name);
    let from_response = quote! {
        impl rt::FromResponse for #ident {
            fn from_response(http_status: u16, body: &[u8]) -> Result<Self, rt::Error> {
                rt::parse_document(http_status, body)
            }
        }
    };
    match &item.root_element {
        // The schema's own global element already makes it a root.
        Some(root) if *root == entity.element => return Ok(from_response),
        Some(root) => {
            return Err(not_a_document(&format!(
                "type {name} as its document element, which is <{root}>"
            )));
        }
        None => {}
    }
    // The document is in the schema's namespace, like its ServiceResponse.
    let namespace = module
        .items
        .iter()
        .find(|i| i.root_element.as_deref() == Some("ServiceResponse"))
        .and_then(|i| i.root_namespace.as_ref())
        .map(|(ns, qualified)| {
            let qualified = (!qualified).then(|| {
                quote!(
                    const QUALIFIED: bool = false;
                )
            });
            quote!(const NAMESPACE: Option<&'static str> = Some(#ns); #qualified)
        });
    let root = &entity.element;
    Ok(quote! {
        impl rt::RootElement for #ident {
            const ROOT: &'static str = #root;
            #namespace
        }
        #from_response
    })
}

/// An expression reading `field` on `self` as an `Option<i64>` or `Option<bool>` (numbers widen to `i64`).
fn optional_value(f: Option<&Field>) -> TokenStream {
    use crate::ir::Builtin;
    let Some(f) = f else { return quote!(None) };
    let name: syn::Ident = rust_ident(&f.name);
    let widen = !matches!(f.ty, Ty::Builtin(Builtin::I64 | Builtin::Bool));
    match (f.card, widen) {
        (Card::One, false) => quote!(Some(self.#name)),
        (Card::One, true) => quote!(Some(i64::from(self.#name))),
        (Card::Optional, false) => quote!(self.#name),
        (Card::Optional, true) => quote!(self.#name.map(i64::from)),
        (Card::Many, false) => quote!(self.#name.first().copied()),
        (Card::Many, true) => quote!(self.#name.first().copied().map(i64::from)),
    }
}

fn envelope_impl(shapes: &Shapes, lookup: &Lookup) -> TokenStream {
    let item = ty_tokens(&shapes.entity);
    let response = shapes.response;
    // The code is an enum with `as_str` (or plain text); either way it is read without allocating.
    let code = match field(response, "responseCode") {
        Some(f) if lookup.is_enum_or_string(&f.ty) => {
            let name: syn::Ident = rust_ident(&f.name);
            match f.card {
                Card::One => quote!(self.#name.as_str()),
                Card::Optional => quote!(self.#name.as_ref().map_or("", |code| code.as_str())),
                Card::Many => quote!(self.#name.first().map_or("", |code| code.as_str())),
            }
        }
        _ => quote!(""),
    };
    let details = field(response, "responseErrorDetails").and_then(|f| {
        let fields = match &f.ty {
            Ty::Named(n) => lookup.struct_fields(n)?,
            _ => return None,
        };
        let name: syn::Ident = rust_ident(&f.name);
        let text = |xml: &str| {
            let value = field(fields, xml).map(|leaf| {
                let leaf_name: syn::Ident = rust_ident(&leaf.name);
                match leaf.card {
                    Card::One => quote!(Some(rt::XmlText::to_xml_text(&d.#leaf_name).into_owned())),
                    _ => quote!(d.#leaf_name.as_ref().map(|v| rt::XmlText::to_xml_text(v).into_owned())),
                }
            });
            value.unwrap_or_else(|| quote!(None))
        };
        let message = text("errorMessage");
        let resolution = text("errorResolution");
        let internal = field(fields, "internalErrorCodeId").map(|leaf| {
            let leaf_name: syn::Ident = rust_ident(&leaf.name);
            match leaf.card {
                Card::One => quote!(Some(i64::from(d.#leaf_name))),
                _ => quote!(d.#leaf_name.map(i64::from)),
            }
        });
        let internal = internal.unwrap_or_else(|| quote!(None));
        let access = match f.card {
            Card::One => quote!(Some(&self.#name)),
            Card::Optional => quote!(self.#name.as_ref()),
            Card::Many => quote!(self.#name.first()),
        };
        Some(quote! {
            #access.map(|d| rt::ErrorDetails { message: #message, resolution: #resolution, internal_code: #internal })
        })
    });
    let details = details.unwrap_or_else(|| quote!(None));
    let leaf = |xml: &str| field(response, xml).filter(|f| numeric_or_bool(&f.ty));
    let count = optional_value(leaf("count"));
    let more = optional_value(leaf("hasMoreRecords"));
    let last = optional_value(leaf("lastId"));
    let items = match shapes.response_data {
        Some((data, item)) => {
            let data_name: syn::Ident = rust_ident(&data.name);
            let item_name: syn::Ident = rust_ident(&item.name);
            let from_data = match item.card {
                Card::Many => quote!(d.#item_name),
                Card::Optional => quote!(d.#item_name.into_iter().collect()),
                Card::One => quote!(vec![d.#item_name]),
            };
            match data.card {
                Card::Optional => quote!(self.#data_name.map(|d| #from_data).unwrap_or_default()),
                Card::One => quote!({ let d = self.#data_name; #from_data }),
                Card::Many => {
                    quote!(self.#data_name.into_iter().flat_map(|d| -> Vec<_> { #from_data }).collect())
                }
            }
        }
        None => quote!(Vec::new()),
    };
    // The record elements the runtime picks out of `<data>` when it streams a response.
    let item_elements = shapes.response_data.map(|(_, item)| item.xml.as_str());
    let item_elements = item_elements.iter();
    quote! {
        impl rt::ResponseEnvelope for ServiceResponse {
            type Item = #item;
            const ITEM_ELEMENTS: &'static [&'static str] = &[#(#item_elements),*];
            fn response_code(&self) -> &str {
                #code
            }
            fn error_details(&self) -> Option<rt::ErrorDetails> {
                #details
            }
            fn count(&self) -> Option<i64> {
                #count
            }
            fn has_more_records(&self) -> Option<bool> {
                #more
            }
            fn last_id(&self) -> Option<i64> {
                #last
            }
            fn into_items(self) -> Vec<Self::Item> {
                #items
            }
        }
    }
}

fn numeric_or_bool(ty: &Ty) -> bool {
    use crate::ir::Builtin::*;
    matches!(
        ty,
        Ty::Builtin(Bool | I8 | I16 | I32 | I64 | U8 | U16 | U32)
    )
}

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

fn filter_module(entity: &Entity, shapes: &Shapes, lookup: &Lookup) -> TokenStream {
    let criteria = format_ident!("{}", shapes.criteria_ty);
    let operator = format_ident!("{}", shapes.operator_ty);
    let mut scope = names::Scope::with_reserved(&["Criterion", "Operator"]);
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
                let decl = variants.iter().map(|(v, text)| {
                    let d = format!(" `{text}`");
                    quote!(#[doc = #d] #v,)
                });
                let arms = variants.iter().map(|(v, text)| quote!(Self::#v => #text,));
                let vdoc = format!(" The values of the `{field_xml}` filter.");
                extra = quote! {
                    #[doc = #vdoc]
                    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
                    pub enum #value_ident { #(#decl)* }

                    impl #value_ident {
                        /// The value as Qualys spells it.
                        pub fn as_str(self) -> &'static str {
                            match self { #(#arms)* }
                        }
                    }

                    impl rt::CriterionValue for #value_ident {
                        fn criterion_text(self) -> String {
                            self.as_str().to_owned()
                        }
                    }
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
    // Only where `id GREATER` is a documented criterion; elsewhere id paging goes by `startFromId`.
    let after_id = pages_by_id_criterion(entity).then(|| {
        quote! {
            /// `id GREATER after`, added by the paginator in id mode.
            pub(crate) fn after_id(after: i64) -> Self {
                Criterion { paging: true, ..Criterion::new("id", None, Operator::Greater, after.to_string()) }
            }

            /// Whether the paginator added it.
            pub(crate) fn is_paging(&self) -> bool {
                self.paging
            }
        }
    });
    // The `<filters>` of a request, for the endpoints that send criteria.
    let sends_filters = entity.actions.iter().any(|a| takes_filters(a.body));
    let to_filters =
        shapes
            .filters_ty
            .as_ref()
            .filter(|_| sends_filters)
            .map(|(filters_ty, criteria_field)| {
                let rest = rest_of(lookup, filters_ty, 1);
                let filters_ty = format_ident!("{}", filters_ty);
                let criteria_field: syn::Ident = rust_ident(criteria_field);
                quote! {
                    /// The `<filters>` element of a request with these criteria; `None` when there are none.
                    pub(crate) fn filters(criteria: &[Criterion]) -> Option<super::#filters_ty> {
                        (!criteria.is_empty()).then(|| super::#filters_ty {
                            #criteria_field: criteria.iter().map(|c| c.criteria.clone()).collect(),
                            #rest
                        })
                    }
                }
            });
    quote! {
        #[doc = #doc]
        pub mod filter {
            use super::{rt, #criteria, #operator as Operator};

            /// One `<Criteria>` of a search; several are combined with AND.
            #[derive(Debug, Clone, PartialEq)]
            pub struct Criterion {
                criteria: #criteria,
                paging: bool,
            }

            impl Criterion {
                fn new(field: &str, name: Option<String>, operator: Operator, value: String) -> Self {
                    Criterion {
                        criteria: #criteria { field: Some(field.to_owned()), name, operator: Some(operator), value },
                        paging: false,
                    }
                }

                #after_id

                /// The `<Criteria>` element it becomes.
                pub fn criteria(&self) -> &#criteria {
                    &self.criteria
                }
            }

            #to_filters

            #(#items)*
        }
    }
}

fn endpoints_module(entity: &Entity, shapes: &Shapes, lookup: &Lookup) -> Result<TokenStream> {
    let mut stubs = Vec::new();
    let mut calls = Vec::new();
    let entity_ty = ty_tokens(&shapes.entity);
    let mut scope = names::Scope::with_reserved(&["Api"]);
    for action in &entity.actions {
        let name = scope.claim(&names::type_name(&action.name));
        let (stub, call) = action_tokens(entity, action, &name, shapes, lookup, &entity_ty)?;
        stubs.push(stub);
        calls.push(call);
    }
    let doc = format!(
        " One [`Endpoint`](rt::Endpoint) per action on `{}/{}`, and [`Api`](endpoints::Api), the same calls on a client.",
        entity.module, entity.name,
    );
    let api_doc = format!(
        " The `{}/{}` calls on a client: `{}`.",
        entity.module, entity.name, entity.doc
    );
    Ok(quote! {
        #[doc = #doc]
        pub mod endpoints {
            #[allow(unused_imports)]
            use super::*;

            #(#stubs)*

            #[doc = #api_doc]
            #[derive(Debug, Clone, Copy)]
            pub struct Api<'a> {
                client: &'a rt::Client,
            }

            impl<'a> Api<'a> {
                /// The calls, made through `client`.
                pub fn new(client: &'a rt::Client) -> Self {
                    Api { client }
                }

                #(#calls)*
            }
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
    let wants_filters = takes_filters(action.body);
    let wants_prefs = action.body == BodyKind::PreferencesFilters && shapes.prefs.is_some();
    let data_kind = match action.body {
        BodyKind::Data | BodyKind::DataFiltersOrId => Some(true),
        BodyKind::DataOptional => Some(false),
        _ => None,
    };
    if wants_filters && shapes.filters_ty.is_none() {
        return Err(Error::Config(format!(
            "catalog action {}/{}/{} takes filters, but ServiceRequest has no <filters>",
            entity.module, entity.name, action.name
        )));
    }
    if data_kind.is_some() && shapes.data.is_none() {
        return Err(Error::Config(format!(
            "catalog action {}/{}/{} takes data, but ServiceRequest/data has no <{}>",
            entity.module, entity.name, action.name, entity.element
        )));
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
                        super::filter::filters(&self.filters)
                    } else {
                        None
                    },
                }
            } else {
                quote!(#filters_name: super::filter::filters(&self.filters),)
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
                let after_id = match (pages_by_id_criterion(entity), start_from_id) {
                    (true, _) => Some(quote! {
                        self.filters.retain(|c| !c.is_paging());
                        if let Some(after) = after {
                            self.filters.push(super::filter::Criterion::after_id(after));
                        }
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

/// Whether a call with this body sends search criteria.
fn takes_filters(body: BodyKind) -> bool {
    matches!(
        body,
        BodyKind::Filters
            | BodyKind::PreferencesFilters
            | BodyKind::FiltersOrId
            | BodyKind::DataFiltersOrId
    )
}

/// Whether id paging can add `id GREATER <lastId>`: the catalog documents that operator on the `id` filter.
fn pages_by_id_criterion(entity: &Entity) -> bool {
    entity
        .filter("id")
        .is_some_and(|f| f.operators.contains(&Operator::Greater))
}

/// `..Default::default()` when the struct has fields besides the `set` ones.
fn rest_of(lookup: &Lookup, name: &str, set: usize) -> TokenStream {
    match lookup.struct_fields(name) {
        Some(fields) if fields.len() > set => quote!(..Default::default()),
        _ => TokenStream::new(),
    }
}
