//! Leaf types, read and written as text: enumerations (with a variant that keeps unknown values), newtypes
//! with checked facets, and unions.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, ty_tokens, variant_names_allow};
use crate::ir::{Builtin, Enum, Lookup, Newtype, Primitive, Ty, Union};

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
    // A list's items are separated by any whitespace: `a  b` is the value `a b`.
    let collapse = e.list.then(|| {
        quote! {
            let collapsed = text.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
            let text = collapsed.as_str();
        }
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
                #collapse
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
    lookup: &Lookup,
) -> TokenStream {
    let inner = ty_tokens(&n.inner);
    let f = &n.facets;
    let mut checks = Vec::new();
    // Length facets count characters of strings, octets of binary data and items of lists.
    let len = match n.primitive {
        Primitive::Builtin(b) if b.is_string() => Some(match n.inner {
            Ty::Builtin(b) if b.is_string() => quote!(value.chars().count()),
            _ => quote!(rt::XmlText::to_xml_text(value).chars().count()),
        }),
        Primitive::Builtin(b @ (Builtin::Base64 | Builtin::Hex)) => Some(match n.inner {
            Ty::Builtin(_) => quote!(value.0.len()),
            // A restriction of a restriction: the octets, from the text.
            _ => {
                let ty = super::builtin_tokens(b);
                quote! {
                    <#ty as rt::XmlText>::from_xml_text(&rt::XmlText::to_xml_text(value))
                        .map_or(0, |bytes| bytes.0.len())
                }
            }
        }),
        Primitive::List if lookup.is_list(&n.inner) => Some(quote!(value.len())),
        Primitive::List => Some(quote!(
            rt::XmlText::to_xml_text(value)
                .split_ascii_whitespace()
                .count()
        )),
        _ => None,
    };
    if let Some(len) = len {
        for (facet, bound, cmp) in [
            ("length", f.length, quote!(!=)),
            ("minLength", f.min_length, quote!(<)),
            ("maxLength", f.max_length, quote!(>)),
        ] {
            // `minLength="0"` allows everything.
            if let Some(bound) = bound.filter(|&b| b > 0 || facet != "minLength") {
                let bound = bound as usize;
                checks.push(quote! {
                    let count: usize = #len;
                    if count #cmp #bound {
                        return Err(rt::FacetError::new(#xml, #facet, &rt::XmlText::to_xml_text(value)));
                    }
                });
            }
        }
    }
    // A pattern applies to the whole lexical form (of a list: its items separated by single spaces): on reading,
    // to the text as it came, before parsing gives the value a canonical form (`+5` is `5`, a date's zone is
    // dropped); otherwise to the form the value is written in.
    let patterns: Vec<TokenStream> = f
        .patterns
        .iter()
        .enumerate()
        .map(|(i, pattern)| {
            let stat = format_ident!("PATTERN_{}", i);
            quote! {
                static #stat: rt::Pattern = rt::Pattern::new(#pattern);
                if !#stat.is_match(text) {
                    return Err(rt::FacetError::new(#xml, "pattern", text));
                }
            }
        })
        .collect();
    // Range facets compare in the order of the built-in type the restrictions end in (see `lower::facets`,
    // which refuses them where there is none and checks the bounds).
    if let Primitive::Builtin(b) = n.primitive
        && b.is_ordered()
    {
        let ordered = super::builtin_tokens(b);
        for (facet, bound) in [
            ("minInclusive", &f.min_inclusive),
            ("maxInclusive", &f.max_inclusive),
            ("minExclusive", &f.min_exclusive),
            ("maxExclusive", &f.max_exclusive),
        ] {
            let Some(bound) = bound else { continue };
            let bound = bound.trim();
            // A sized integer compares with a literal (`lower::facets` checked that the bound fits the type); a
            // bound at the end of the type's range checks nothing and is left out.
            if let Some((literal, at_min, at_max)) = sized_integer_literal(&n.inner, bound) {
                let fails = match facet {
                    "minInclusive" if at_min => continue,
                    "maxInclusive" if at_max => continue,
                    "minInclusive" => quote!(*value < #literal),
                    "maxInclusive" => quote!(*value > #literal),
                    "minExclusive" if at_min => quote!(*value == #literal),
                    "maxExclusive" if at_max => quote!(*value == #literal),
                    "minExclusive" if !at_max => quote!(*value <= #literal),
                    "maxExclusive" if !at_min => quote!(*value >= #literal),
                    // Nothing is beyond the end of the range: no value holds.
                    _ => quote!(true),
                };
                checks.push(quote! {
                    if #fails {
                        return Err(rt::FacetError::new(#xml, #facet, &rt::XmlText::to_xml_text(value)));
                    }
                });
            } else {
                checks.push(quote! {
                    rt::check_range::<#ordered>(#xml, #facet, &rt::XmlText::to_xml_text(value), #bound)?;
                });
            }
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
    // What the value holds is checked too (the items of a list of enumerations, a restricted base).
    let validate_inner = lookup
        .checks(&n.inner)
        .then(|| quote!(rt::Validate::validate(&self.0)?;));
    let mut facet_doc = format!("\nChecked facets: {}.", facet_summary(f));
    if matches!(
        n.primitive,
        Primitive::Builtin(b) if b.is_string()
    ) && [
        &f.min_inclusive,
        &f.max_inclusive,
        &f.min_exclusive,
        &f.max_exclusive,
    ]
    .iter()
    .any(|b| b.is_some())
    {
        facet_doc.push_str(" The range facets of a type mapped to a string are not checked.");
    }
    let facet_doc = doc_attrs(&facet_doc);
    // A value that names something (`xs:QName`) resolves and declares its prefixes through the wrapped one.
    let names = lookup.names_qnames(&n.inner).then(|| {
        quote! {
            fn resolve_prefixes(&mut self, scope: &rt::NamespaceScope<'_>) -> Result<(), rt::TextError> {
                rt::XmlText::resolve_prefixes(&mut self.0, scope)
            }
            fn to_xml_text_in(&self, writer: &mut rt::XmlWriter) -> ::std::borrow::Cow<'_, str> {
                rt::XmlText::to_xml_text_in(&self.0, writer)
            }
        }
    });
    let (check_fns, from_text) = if patterns.is_empty() {
        (
            quote! {
                fn check(value: &#inner) -> Result<(), rt::FacetError> {
                    let _ = value;
                    #(#checks)*
                    Ok(())
                }
            },
            quote! {
                let value = <#inner as rt::XmlText>::from_xml_text(text)?;
                Self::new(value).map_err(|e| rt::TextError::new(#xml, text).because(e.to_string()))
            },
        )
    } else {
        let lexical = if n.primitive == Primitive::List {
            quote!(&text.split_ascii_whitespace().collect::<Vec<_>>().join(" "))
        } else {
            quote!(text)
        };
        (
            quote! {
                fn check(value: &#inner) -> Result<(), rt::FacetError> {
                    Self::check_value(value)?;
                    Self::check_patterns(&rt::XmlText::to_xml_text(value))
                }

                fn check_value(value: &#inner) -> Result<(), rt::FacetError> {
                    let _ = value;
                    #(#checks)*
                    Ok(())
                }

                fn check_patterns(text: &str) -> Result<(), rt::FacetError> {
                    #(#patterns)*
                    Ok(())
                }
            },
            quote! {
                let fail = |e: rt::FacetError| rt::TextError::new(#xml, text).because(e.to_string());
                Self::check_patterns(#lexical).map_err(fail)?;
                let value = <#inner as rt::XmlText>::from_xml_text(text)?;
                Self::check_value(&value).map_err(fail)?;
                Ok(Self(value))
            },
        )
    };
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

            #check_fns
        }

        impl rt::XmlText for #name {
            const XSD_TYPE: &'static str = #xml;
            fn from_xml_text(text: &str) -> Result<Self, rt::TextError> {
                #from_text
            }
            fn to_xml_text(&self) -> ::std::borrow::Cow<'_, str> {
                rt::XmlText::to_xml_text(&self.0)
            }
            fn empty_is_absent() -> bool {
                <#inner as rt::XmlText>::empty_is_absent()
            }
            #names
        }

        impl rt::Validate for #name {
            fn validate(&self) -> Result<(), rt::FacetError> {
                #validate_inner
                Self::check(&self.0)
            }
        }

        rt::xml_text_serde!(#name);
    }
}

/// `bound` as a literal of the sized integer type `inner` is, if it is one, and whether it is the type's least
/// and greatest value.
fn sized_integer_literal(inner: &Ty, bound: &str) -> Option<(TokenStream, bool, bool)> {
    use Builtin::*;
    let (min, max): (i128, i128) = match inner {
        Ty::Builtin(I8) => (i8::MIN.into(), i8::MAX.into()),
        Ty::Builtin(I16) => (i16::MIN.into(), i16::MAX.into()),
        Ty::Builtin(I32) => (i32::MIN.into(), i32::MAX.into()),
        Ty::Builtin(I64) => (i64::MIN.into(), i64::MAX.into()),
        Ty::Builtin(U8) => (0, u8::MAX.into()),
        Ty::Builtin(U16) => (0, u16::MAX.into()),
        Ty::Builtin(U32) => (0, u32::MAX.into()),
        Ty::Builtin(U64) => (0, u64::MAX.into()),
        _ => return None,
    };
    let value: i128 = bound.strip_prefix('+').unwrap_or(bound).parse().ok()?;
    if !(min..=max).contains(&value) {
        return None;
    }
    // Unsuffixed: the literal takes the value's type. `-0` is `0` (an unsigned type has no negation).
    let magnitude = proc_macro2::Literal::u128_unsuffixed(value.unsigned_abs());
    let literal = if value < 0 {
        quote!(-#magnitude)
    } else {
        quote!(#magnitude)
    };
    Some((literal, value == min, value == max))
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
    // Members that name something (`xs:QName`) resolve and declare their prefixes.
    let names = u
        .members
        .iter()
        .any(|(_, ty)| lookup.names_qnames(ty))
        .then(|| {
            let variants: Vec<_> = u.members.iter().map(|(v, _)| format_ident!("{}", v)).collect();
            quote! {
                fn resolve_prefixes(&mut self, scope: &rt::NamespaceScope<'_>) -> Result<(), rt::TextError> {
                    match self {
                        #(Self::#variants(value) => rt::XmlText::resolve_prefixes(value, scope),)*
                    }
                }
                fn to_xml_text_in(&self, writer: &mut rt::XmlWriter) -> ::std::borrow::Cow<'_, str> {
                    match self {
                        #(Self::#variants(value) => rt::XmlText::to_xml_text_in(value, writer),)*
                    }
                }
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
            #names
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
