//! The direct writer of each generated struct and choice: an implementation of the runtime's `ToXml`. Leaves
//! (enums, newtypes, unions, built-ins) need none: the runtime writes every `XmlText` type.
//!
//! A struct writer opens its element, writes the attributes (and the `xs:anyAttribute` pairs), then every field
//! in declaration order, the order serde writes them in; absent values are left out, as serde's
//! `skip_serializing_if` leaves them out, and a required nillable element that is absent is `xsi:nil`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::reader::{Shape, field_shape, shape};
use super::rust_ident;
use super::structs::writes_nil;
use crate::ir::Lookup;
use crate::ir::{Card, Choice, Field, Item, ItemKind, Place, Struct};

/// The `ToXml` implementation of `item`, if it needs one.
pub fn item_writer(item: &Item, lookup: &Lookup) -> TokenStream {
    match &item.kind {
        ItemKind::Struct(s) => struct_writer(item, s, lookup),
        ItemKind::Choice(c) => choice_writer(item, c, lookup),
        _ => TokenStream::new(),
    }
}

/// The statement that writes one value (`value`, a reference) of shape `shape` as element `xml`.
fn write_value(shape: Shape, boxed: bool, xml: TokenStream, value: TokenStream) -> TokenStream {
    let value = if boxed { quote!(&**#value) } else { value };
    match shape {
        Shape::List => quote!(writer.list(#xml, #value);),
        Shape::AnyContent => quote!(writer.any_content(#xml, #value);),
        // Leaves write themselves as elements too.
        Shape::Leaf | Shape::Complex => quote!(writer.element(#xml, #value);),
    }
}

/// The statements that write field `f` of `self`.
fn field_statement(f: &Field, lookup: &Lookup) -> TokenStream {
    let name = rust_ident(&f.name);
    let written = f.written_name();
    let xml = written.as_str();
    let shape = field_shape(lookup, f);
    match (f.place, shape, f.card) {
        (Place::Attribute, Shape::List, Card::One) => {
            return quote!(writer.attribute_list(#xml, &self.#name););
        }
        (Place::Attribute, Shape::List, _) => {
            return quote!(if let Some(value) = &self.#name { writer.attribute_list(#xml, value); });
        }
        (Place::Attribute, _, Card::One) => {
            return quote!(writer.attribute_value(#xml, &self.#name););
        }
        (Place::Attribute, _, _) => return quote!(writer.attribute_opt(#xml, &self.#name);),
        // An `xs:list` is a `Vec`, whose text is its items separated by spaces.
        (Place::Text, _, Card::One) => return quote!(writer.text_value(&self.#name);),
        (Place::Text, _, _) => {
            return quote!(if let Some(value) = &self.#name { writer.text_value(value); });
        }
        _ => {}
    }
    // Choices and `xs:any` elements write their own element names.
    let (shape, xml) = match f.place {
        Place::Choice | Place::AnyElements => (Shape::Complex, ""),
        _ => (shape, xml),
    };
    if f.place == Place::Element && lookup.namespaced() {
        // Each element is written in its namespace, under the name the writer gives it in scope.
        let one = in_namespace(
            &f.namespace,
            xml,
            write_value(shape, f.boxed, quote!(name), quote!(value)),
        );
        return match f.card {
            Card::One => quote!({ let value = &self.#name; #one }),
            Card::Optional if writes_nil(f, lookup) => {
                let nil = in_namespace(&f.namespace, xml, quote!(writer.nil(name);));
                quote! {
                    match &self.#name {
                        Some(value) => { #one }
                        None => { #nil }
                    }
                }
            }
            Card::Optional => quote!(if let Some(value) = &self.#name { #one }),
            Card::Many => quote!(for value in &self.#name { #one }),
        };
    }
    if matches!(shape, Shape::Leaf | Shape::Complex) && !f.boxed && !writes_nil(f, lookup) {
        return match f.card {
            Card::One => quote!(writer.element(#xml, &self.#name);),
            Card::Optional => quote!(writer.element_opt(#xml, &self.#name);),
            Card::Many => quote!(writer.elements(#xml, &self.#name);),
        };
    }
    let one = write_value(shape, f.boxed, quote!(#xml), quote!(value));
    match f.card {
        Card::One => quote!({ let value = &self.#name; #one }),
        Card::Optional if writes_nil(f, lookup) => quote! {
            match &self.#name {
                Some(value) => { #one }
                None => writer.nil(#xml),
            }
        },
        Card::Optional => quote!(if let Some(value) = &self.#name { #one }),
        Card::Many => quote!(for value in &self.#name { #one }),
    }
}

/// `write` (statements writing the element under `name`) run in the element's namespace `namespace`: the writer
/// passes the name `xml` has in scope (prefixed, or with the namespace declared on the element).
fn in_namespace(namespace: &Option<String>, xml: &str, write: TokenStream) -> TokenStream {
    let namespace = match namespace {
        Some(ns) => quote!(Some(#ns)),
        None => quote!(None),
    };
    quote!(writer.in_namespace(#namespace, #xml, |writer, name| { #write });)
}

fn struct_writer(item: &Item, s: &Struct, lookup: &Lookup) -> TokenStream {
    let name = format_ident!("{}", item.name);
    let mut attributes = Vec::new();
    let mut content = Vec::new();
    for f in &s.fields {
        match f.place {
            Place::Attribute => attributes.push(field_statement(f, lookup)),
            Place::AnyAttributes => {
                let field = rust_ident(&f.name);
                attributes.push(quote!(writer.any_attributes(&self.#field);));
            }
            _ => content.push(field_statement(f, lookup)),
        }
    }
    if let Some(unknown) = &s.unknown {
        // Kept attributes after the declared ones; kept children each before the known child it preceded.
        let field = rust_ident(unknown);
        attributes.push(quote! {
            writer.any_attributes(&self.#field.attributes);
            writer.keep_unknown(&self.#field.elements);
        });
    }
    quote! {
        impl rt::ToXml for #name {
            fn write_xml(&self, writer: &mut rt::XmlWriter, name: &str) {
                writer.start(name);
                #(#attributes)*
                #(#content)*
                writer.end(name);
            }
        }
    }
}

fn choice_writer(item: &Item, c: &Choice, lookup: &Lookup) -> TokenStream {
    let name = format_ident!("{}", item.name);
    let arms = c.variants.iter().map(|v| {
        let variant = format_ident!("{}", v.name);
        if v.xml == "$text" {
            return quote!(Self::#variant(value) => writer.text(value),);
        }
        if v.xml == crate::ir::ANY_VARIANT {
            // A wildcard's element writes its own name.
            return quote!(Self::#variant(value) => writer.element("", value),);
        }
        let shape = match shape(lookup, &v.ty) {
            Shape::Complex if v.ty == crate::ir::Ty::AnyElement && !v.boxed => Shape::AnyContent,
            other => other,
        };
        if lookup.namespaced() {
            let write = in_namespace(
                &v.namespace,
                &v.xml,
                write_value(shape, v.boxed, quote!(name), quote!(value)),
            );
            return quote!(Self::#variant(value) => { #write });
        }
        let xml = &v.xml;
        let write = write_value(shape, v.boxed, quote!(#xml), quote!(value));
        quote!(Self::#variant(value) => { #write })
    });
    quote! {
        impl rt::ToXml for #name {
            fn write_xml(&self, writer: &mut rt::XmlWriter, _: &str) {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}
