//! Leaf types, read and written as text: enumerations (with a variant that keeps unknown values), newtypes
//! with checked facets, and unions.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, ty_tokens, variant_names_allow};
use crate::ir::{Builtin, Enum, Lookup, Newtype, Ty, Union};

pub(super) fn enum_tokens(
    name: &syn::Ident,
    doc: &TokenStream,
    xml: &str,
    e: &Enum,
) -> TokenStream {
    let other = format_ident!("{}", e.other);
    let variants = e.variants.iter().map(|(v, value, vdoc)| {
        let v = format_ident!("{}", v);
        let text = match vdoc {
            Some(d) => format!("`{value}`: {d}"),
            None => format!("`{value}`"),
        };
        let d = doc_attrs(&text);
        quote!(#d #v,)
    });
    let as_str = e.variants.iter().map(|(v, value, _)| {
        let v = format_ident!("{}", v);
        quote!(Self::#v => #value,)
    });
    let from_str = e.variants.iter().map(|(v, value, _)| {
        let v = format_ident!("{}", v);
        quote!(#value => Self::#v,)
    });
    let values = e.variants.iter().map(|(_, value, _)| value);
    let mut names: Vec<&str> = e.variants.iter().map(|(v, _, _)| v.as_str()).collect();
    names.push(&e.other);
    let allow = variant_names_allow(&name.to_string(), &names);
    quote! {
        #doc
        #allow
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            /// A value the schema does not list, kept as the server sent it.
            #other(String),
        }

        impl #name {
            /// The values the schema lists, in schema order.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The XML text of the value.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#other(value) => value,
                }
            }
        }

        impl ::core::str::FromStr for #name {
            type Err = ::core::convert::Infallible;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Ok(match text {
                    #(#from_str)*
                    other => Self::#other(other.to_owned()),
                })
            }
        }

        rt::xml_enum!(#name, #other, #xml);
    }
}

pub(super) fn newtype_tokens(
    name: &syn::Ident,
    doc: &TokenStream,
    xml: &str,
    n: &Newtype,
) -> TokenStream {
    let inner = ty_tokens(&n.inner);
    let f = &n.facets;
    let mut checks = Vec::new();
    let is_len = matches!(
        n.inner,
        Ty::Builtin(
            Builtin::String
                | Builtin::NormalizedString
                | Builtin::Token
                | Builtin::Base64
                | Builtin::Hex
        )
    );
    if is_len {
        let len = match n.inner {
            Ty::Builtin(b) if b.is_string() => quote!(value.chars().count()),
            _ => quote!(value.0.len()),
        };
        for (facet, bound, cmp) in [
            ("length", f.length, quote!(!=)),
            ("minLength", f.min_length, quote!(<)),
            ("maxLength", f.max_length, quote!(>)),
        ] {
            if let Some(bound) = bound {
                let bound = bound as usize;
                checks.push(quote! {
                    if #len #cmp #bound {
                        return Err(rt::FacetError::new(#xml, #facet, &rt::XmlText::to_xml_text(value)));
                    }
                });
            }
        }
    }
    for (i, pattern) in f.patterns.iter().enumerate() {
        let stat = format_ident!("PATTERN_{}", i);
        checks.push(quote! {
            static #stat: rt::Pattern = rt::Pattern::new(#pattern);
            let text = rt::XmlText::to_xml_text(value);
            if !#stat.is_match(&text) {
                return Err(rt::FacetError::new(#xml, "pattern", &text));
            }
        });
    }
    for (facet, bound, cmp) in [
        ("minInclusive", &f.min_inclusive, quote!(<)),
        ("maxInclusive", &f.max_inclusive, quote!(>)),
        ("minExclusive", &f.min_exclusive, quote!(<=)),
        ("maxExclusive", &f.max_exclusive, quote!(>=)),
    ] {
        if let Some(bound) = bound {
            checks.push(quote! {
                let bound = <#inner as rt::XmlText>::from_xml_text(#bound).ok();
                if bound.is_some_and(|bound| *value #cmp bound) {
                    return Err(rt::FacetError::new(#xml, #facet, &rt::XmlText::to_xml_text(value)));
                }
            });
        }
    }
    if f.total_digits.is_some() || f.fraction_digits.is_some() {
        let total = match f.total_digits {
            Some(t) => quote!(Some(#t)),
            None => quote!(None),
        };
        let fraction = match f.fraction_digits {
            Some(t) => quote!(Some(#t)),
            None => quote!(None),
        };
        checks.push(quote! {
            rt::check_digits(#xml, &rt::XmlText::to_xml_text(value), #total, #fraction)?;
        });
    }
    let facet_doc = facet_summary(f);
    let facet_doc = doc_attrs(&format!("\nChecked facets: {facet_doc}."));
    quote! {
        #doc
        #facet_doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name(#inner);

        impl #name {
            /// Checks the schema's facets and wraps the value.
            pub fn new(value: #inner) -> Result<Self, rt::FacetError> {
                Self::check(&value)?;
                Ok(Self(value))
            }

            /// The wrapped value.
            pub fn get(&self) -> &#inner {
                &self.0
            }

            /// Unwraps the value.
            pub fn into_inner(self) -> #inner {
                self.0
            }

            fn check(value: &#inner) -> Result<(), rt::FacetError> {
                let _ = value;
                #(#checks)*
                Ok(())
            }
        }

        impl rt::XmlText for #name {
            const XSD_TYPE: &'static str = #xml;
            fn from_xml_text(text: &str) -> Result<Self, rt::TextError> {
                let value = <#inner as rt::XmlText>::from_xml_text(text)?;
                Self::new(value).map_err(|e| rt::TextError::new(#xml, text).because(e.to_string()))
            }
            fn to_xml_text(&self) -> ::std::borrow::Cow<'_, str> {
                rt::XmlText::to_xml_text(&self.0)
            }
            fn empty_is_absent() -> bool {
                <#inner as rt::XmlText>::empty_is_absent()
            }
        }

        impl rt::Validate for #name {
            fn validate(&self) -> Result<(), rt::FacetError> {
                Self::check(&self.0)
            }
        }

        rt::xml_text_serde!(#name);
    }
}

fn facet_summary(f: &crate::xsd::Facets) -> String {
    let mut parts = Vec::new();
    let mut add = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            parts.push(format!("{name} `{value}`"));
        }
    };
    add("length", f.length.map(|v| v.to_string()));
    add("minLength", f.min_length.map(|v| v.to_string()));
    add("maxLength", f.max_length.map(|v| v.to_string()));
    for p in &f.patterns {
        add("pattern", Some(p.clone()));
    }
    add("minInclusive", f.min_inclusive.clone());
    add("maxInclusive", f.max_inclusive.clone());
    add("minExclusive", f.min_exclusive.clone());
    add("maxExclusive", f.max_exclusive.clone());
    add("totalDigits", f.total_digits.map(|v| v.to_string()));
    add("fractionDigits", f.fraction_digits.map(|v| v.to_string()));
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

pub(super) fn union_tokens(
    name: &syn::Ident,
    doc: &TokenStream,
    xml: &str,
    u: &Union,
    lookup: &Lookup,
) -> TokenStream {
    let variants = u.members.iter().map(|(v, ty)| {
        let v = format_ident!("{}", v);
        let ty = ty_tokens(ty);
        quote!(#[doc = " A value of this member type."] #v(#ty),)
    });
    // A member that is an `xs:list` is a `Vec` of its items, read and written as the items separated by spaces.
    let parses = u.members.iter().map(|(v, ty)| {
        let v = format_ident!("{}", v);
        if lookup.is_list(ty) {
            return quote! {
                if let Ok(value) = rt::text_list(text) {
                    return Ok(Self::#v(value));
                }
            };
        }
        let ty = ty_tokens(ty);
        quote! {
            if let Ok(value) = <#ty as rt::XmlText>::from_xml_text(text) {
                return Ok(Self::#v(value));
            }
        }
    });
    let writes = u.members.iter().map(|(v, ty)| {
        let v = format_ident!("{}", v);
        if lookup.is_list(ty) {
            quote!(Self::#v(value) => ::std::borrow::Cow::Owned(rt::list_text(value)),)
        } else {
            quote!(Self::#v(value) => rt::XmlText::to_xml_text(value),)
        }
    });
    let validates = u.members.iter().map(|(v, _)| {
        let v = format_ident!("{}", v);
        quote!(Self::#v(value) => rt::Validate::validate(value),)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        impl rt::XmlText for #name {
            const XSD_TYPE: &'static str = #xml;
            fn from_xml_text(text: &str) -> Result<Self, rt::TextError> {
                #(#parses)*
                Err(rt::TextError::new(#xml, text).because("no member type of the union accepts it"))
            }
            fn to_xml_text(&self) -> ::std::borrow::Cow<'_, str> {
                match self {
                    #(#writes)*
                }
            }
        }

        impl rt::Validate for #name {
            fn validate(&self) -> Result<(), rt::FacetError> {
                match self {
                    #(#validates)*
                }
            }
        }

        rt::xml_text_serde!(#name);
    }
}
