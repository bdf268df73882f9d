//! A type with derived types: an enum with a variant per concrete type of the family, chosen by `xsi:type` on
//! reading and written with `xsi:type` (except the declared type itself). Its serde implementations are written
//! out (serde's derives cannot choose a variant by an attribute): they go through the runtime's `TypedElement`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, ty_tokens};
use crate::ir::{Derived, DerivedVariant, Lookup, Place, Ty};

pub(super) fn derived_tokens(
    name: &syn::Ident,
    doc: &TokenStream,
    d: &Derived,
    lookup: &Lookup,
) -> TokenStream {
    let declared = &d.declared;
    let variant = |v: &DerivedVariant| format_ident!("{}", v.name);
    let namespace = |v: &DerivedVariant| match &v.namespace {
        Some(ns) => quote!(Some(#ns)),
        None => quote!(None),
    };
    let variants = d.variants.iter().map(|v| {
        let vname = variant(v);
        let inner = ty_tokens(&v.ty);
        let inner = if v.boxed { quote!(Box<#inner>) } else { inner };
        let vdoc = doc_attrs(&format!("A value of type `{}`.", v.xml));
        quote!(#vdoc #vname(#inner),)
    });
    // The declared type, when concrete, is the first variant: read where `xsi:type` is absent, written without.
    let untyped = d.concrete.then(|| &d.variants[0]);
    let wrap = |v: &DerivedVariant, value: TokenStream| {
        let vname = variant(v);
        if v.boxed {
            quote!(Self::#vname(::std::boxed::Box::new(#value)))
        } else {
            quote!(Self::#vname(#value))
        }
    };

    let read_untyped = match untyped {
        Some(v) => wrap(v, quote!(rt::FromXml::read(reader, start)?)),
        None => quote!(return Err(reader.unknown_type(None, #declared))),
    };
    let read_arms = d.variants.iter().map(|v| {
        let ns = namespace(v);
        let xml = &v.xml;
        let value = wrap(v, quote!(rt::FromXml::read(reader, start)?));
        quote!(Some(ty) if ty.is(#ns, #xml) => #value,)
    });

    let write_arms = d.variants.iter().enumerate().map(|(i, v)| {
        let vname = variant(v);
        let value = if v.boxed {
            quote!(&**value)
        } else {
            quote!(value)
        };
        if i == 0 && d.concrete {
            return quote!(Self::#vname(value) => rt::ToXml::write_xml(#value, writer, name),);
        }
        let ns = namespace(v);
        let xml = &v.xml;
        quote!(Self::#vname(value) => {
            writer.xsi_type(#ns, #xml);
            rt::ToXml::write_xml(#value, writer, name)
        })
    });

    let de_untyped = match untyped {
        Some(v) => {
            let inner = ty_tokens(&v.ty);
            let value = wrap(v, quote!(element.read::<#inner, D::Error>()?));
            quote!(return Ok(#value);)
        }
        None => quote!(return Err(element.unknown(#declared));),
    };
    // serde sees `xsi:type` as the attribute `type`: where a type of the family has an attribute of that name,
    // a value naming no type of the family is that attribute, and the element is of the declared type.
    let attribute_type = d.variants.iter().any(|v| match &v.ty {
        Ty::Named(n) => lookup.struct_fields(n).is_some_and(|fields| {
            fields
                .iter()
                .any(|f| f.place == Place::Attribute && f.xml == "type")
        }),
        _ => false,
    });
    let de_fallback = if attribute_type && d.concrete {
        de_untyped
    } else {
        quote!(if !element.has_type() { #de_untyped })
    };
    let de_branches = d.variants.iter().map(|v| {
        let ns = namespace(v);
        let xml = &v.xml;
        let inner = ty_tokens(&v.ty);
        let value = wrap(v, quote!(element.read::<#inner, D::Error>()?));
        quote!(if element.is(#ns, #xml) { return Ok(#value); })
    });
    let ser_arms = d.variants.iter().enumerate().map(|(i, v)| {
        let vname = variant(v);
        if i == 0 && d.concrete {
            return quote!(Self::#vname(value) => rt::serde::Serialize::serialize(value, serializer),);
        }
        let ns = namespace(v);
        let xml = &v.xml;
        quote!(Self::#vname(value) => rt::serialize_typed(value, #ns, #xml, serializer),)
    });
    let validations = d.variants.iter().map(|v| {
        let vname = variant(v);
        quote!(Self::#vname(value) => rt::Validate::validate(value),)
    });

    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        impl rt::Validate for #name {
            fn validate(&self) -> Result<(), rt::FacetError> {
                match self {
                    #(#validations)*
                }
            }
        }

        impl rt::FromXml for #name {
            fn read<S: rt::XmlSource>(
                reader: &mut rt::XmlReader<S>,
                start: &rt::BytesStart<'_>,
            ) -> Result<Self, rt::ReadError> {
                let ty = reader.xsi_type(start)?;
                Ok(match &ty {
                    None => #read_untyped,
                    #(#read_arms)*
                    Some(_) => return Err(reader.unknown_type(ty.as_ref(), #declared)),
                })
            }
        }

        impl rt::ToXml for #name {
            fn write_xml(&self, writer: &mut rt::XmlWriter, name: &str) {
                match self {
                    #(#write_arms)*
                }
            }
        }

        impl<'de> rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: rt::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let element = rt::TypedElement::deserialize(deserializer)?;
                #(#de_branches)*
                #de_fallback
                Err(element.unknown(#declared))
            }
        }

        impl rt::serde::Serialize for #name {
            fn serialize<S: rt::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#ser_arms)*
                }
            }
        }
    }
}
