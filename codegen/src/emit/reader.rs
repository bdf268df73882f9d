//! The event reader of each generated type: an implementation of the runtime's `FromXml` for structs and
//! choices. Leaves (enums, newtypes, unions, built-ins) need none: the runtime reads every `XmlText` type.
//!
//! A struct reader declares one local per field, reads the attributes, then loops over the child elements,
//! matching each local name as a byte slice; unknown attributes and elements are skipped (recorded as drift when
//! the reader records it). Empty, optional and
//! repeated leaves follow the same rules as the serde adapters the struct's fields carry, so both paths give the
//! same values.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};

use super::{rust_ident, ty_tokens};
use crate::ir::Lookup;
use crate::ir::{ANY_VARIANT, Card, Choice, Field, Item, ItemKind, Place, Struct, Ty, WhiteSpace};

/// The `FromXml` implementation of `item`, if it needs one.
pub fn item_reader(item: &Item, lookup: &Lookup) -> TokenStream {
    match &item.kind {
        ItemKind::Struct(s) => struct_reader(item, s, lookup),
        ItemKind::Choice(c) => choice_reader(item, c, lookup),
        _ => TokenStream::new(),
    }
}

/// How a value is read from its element.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// Text parsed through `XmlText`.
    Leaf,
    /// Whitespace-separated text items (`xs:list`).
    List,
    /// The content of an `xs:anyType` element, kept as an `AnyElement`.
    AnyContent,
    /// A type with its own `FromXml` (struct, choice, collection, `xs:any` element).
    Complex,
}

pub(super) fn shape(lookup: &Lookup, ty: &Ty) -> Shape {
    if lookup.is_text(ty) {
        Shape::Leaf
    } else if lookup.is_list(ty) {
        Shape::List
    } else {
        Shape::Complex
    }
}

/// The shape of a struct field, mirroring the serde adapter the field carries (see `field_tokens`).
pub(super) fn field_shape(lookup: &Lookup, f: &Field) -> Shape {
    if f.place == Place::Element && f.ty == Ty::AnyElement && !f.boxed {
        return Shape::AnyContent;
    }
    shape(lookup, &f.ty)
}

/// Wraps a read value in `Box::new` for boxed fields.
fn boxed(f_boxed: bool, value: TokenStream) -> TokenStream {
    if f_boxed {
        quote!(::std::boxed::Box::new(#value))
    } else {
        value
    }
}

/// The `rt::WhiteSpace` value of `ws`.
pub(super) fn white_space_tokens(ws: WhiteSpace) -> TokenStream {
    match ws {
        WhiteSpace::Preserve => quote!(rt::WhiteSpace::Preserve),
        WhiteSpace::Replace => quote!(rt::WhiteSpace::Replace),
        WhiteSpace::Collapse => quote!(rt::WhiteSpace::Collapse),
    }
}

/// The statement that reads one occurrence of element field `f` (held in `var`) from `child`; a string leaf
/// whose text follows its `whiteSpace` facet (`ws`) is read exactly, then normalized.
///
/// A field that holds one value (`single`: not repeated, and its element name no other field of the struct
/// shares) refuses a second occurrence, as XSD validity does, so that no value is silently replaced:
/// `reader.once` fails with `RepeatedElement` once the field holds a value.
fn element_statement(
    f: &Field,
    var: &TokenStream,
    shape: Shape,
    ws: Option<WhiteSpace>,
    single: bool,
) -> TokenStream {
    let read = read_statement(f, var, shape, ws);
    if single && f.card != Card::Many {
        quote!({
            reader.once(#var.is_some(), &child)?;
            #read;
        })
    } else {
        read
    }
}

/// The statement that reads one occurrence of `f` into `var` (see [`element_statement`]).
fn read_statement(
    f: &Field,
    var: &TokenStream,
    shape: Shape,
    ws: Option<WhiteSpace>,
) -> TokenStream {
    if let (Shape::Leaf, Some(ws)) = (shape, ws) {
        let ws = white_space_tokens(ws);
        return match f.card {
            Card::One => {
                let value = boxed(f.boxed, quote!(reader.leaf_ws(&child, #ws)?));
                quote!(#var = Some(#value))
            }
            Card::Optional if f.place == Place::Choice => {
                let value = boxed(f.boxed, quote!(reader.leaf_ws(&child, #ws)?));
                quote!(#var = Some(#value))
            }
            Card::Optional if f.boxed => {
                quote!(#var = reader.leaf_opt_ws(&child, #ws)?.map(::std::boxed::Box::new))
            }
            Card::Optional => quote!(#var = reader.leaf_opt_ws(&child, #ws)?),
            Card::Many => {
                let value = boxed(f.boxed, quote!(value));
                quote! {
                    if let Some(value) = reader.leaf_item_ws(&child, #ws)? {
                        #var.push(#value);
                    }
                }
            }
        };
    }
    let (one, opt) = match shape {
        Shape::Leaf => (quote!(leaf), quote!(leaf_opt)),
        Shape::List => (quote!(list), quote!(list_opt)),
        Shape::AnyContent => (quote!(any_content), quote!(any_content_opt)),
        Shape::Complex => (quote!(element), quote!(optional)),
    };
    match f.card {
        Card::One => {
            let value = boxed(f.boxed, quote!(reader.#one(&child)?));
            quote!(#var = Some(#value))
        }
        Card::Optional if f.place == Place::Choice => {
            let value = boxed(f.boxed, quote!(reader.#one(&child)?));
            quote!(#var = Some(#value))
        }
        Card::Optional if f.boxed => {
            quote!(#var = reader.#opt(&child)?.map(::std::boxed::Box::new))
        }
        Card::Optional => quote!(#var = reader.#opt(&child)?),
        // An empty leaf of a type with no empty form is left out, as the serde adapter does.
        Card::Many if shape == Shape::Leaf => {
            let value = boxed(f.boxed, quote!(value));
            quote! {
                if let Some(value) = reader.leaf_item(&child)? {
                    #var.push(#value);
                }
            }
        }
        Card::Many => {
            let value = boxed(f.boxed, quote!(reader.#one(&child)?));
            quote!(#var.push(#value))
        }
    }
}

fn struct_reader(item: &Item, s: &Struct, lookup: &Lookup) -> TokenStream {
    let name = format_ident!("{}", item.name);
    let mut locals = Vec::new();
    let mut attribute_branches = Vec::new();
    let mut any_attribute = None;
    let mut arms = Vec::new();
    let mut choice_arm = None;
    let mut fallback = None;
    let mut text = None;
    let mut simple_content = None;
    let mut mixed_text = None;
    let mut values = Vec::new();
    let mut elements_seen = HashSet::new();
    let mut attributes_seen = HashSet::new();
    // Where every field may be absent, the struct derives `Default` and the reader fills one in place;
    // otherwise it reads into one local per field and checks the required ones at the end.
    // Element names several fields share (`a, b, a`): the first field takes every occurrence.
    let shared_names = shared_element_names(s);
    let in_place = !s.fields.is_empty()
        && s.fields
            .iter()
            .all(|f| f.card != Card::One && f.place != Place::Text);

    for f in &s.fields {
        let field: syn::Ident = rust_ident(&f.name);
        let var = if in_place {
            quote!(out.#field)
        } else {
            format_ident!("f_{}", f.name.trim_start_matches("r#")).into_token_stream()
        };
        let xml = f.xml.as_str();
        let shape = field_shape(lookup, f);
        let ws = if shape == Shape::Leaf {
            lookup.white_space(&f.ty)
        } else {
            None
        };

        if f.place == Place::Text {
            let (method, simple) = match (shape, f.card, ws) {
                (Shape::List, Card::One, _) => (quote!(text_list), quote!(simple_text_list)),
                (Shape::List, _, _) => (quote!(text_list_opt), quote!(simple_text_list_opt)),
                (_, Card::One, None) => (quote!(text), quote!(simple_text)),
                (_, _, None) => (quote!(text_opt), quote!(simple_text_opt)),
                (_, Card::One, Some(_)) => (quote!(text_ws), quote!(simple_text_ws)),
                (_, _, Some(_)) => (quote!(text_opt_ws), quote!(simple_text_opt_ws)),
            };
            let (text_args, simple_args) = match ws.filter(|_| shape == Shape::Leaf) {
                Some(ws) => {
                    let ws = white_space_tokens(ws);
                    (quote!(&text, #ws), quote!(#ws))
                }
                None => (quote!(&text), TokenStream::new()),
            };
            text = Some(());
            // Text beside element fields is collected between the children; simple content alone is read in
            // one go (see below), its value checked where the struct is built, as the collected text is.
            simple_content = Some((
                values.len(),
                quote!(let #var = reader.#simple(#simple_args)?;),
                quote!(#field: #var?),
            ));
            values.push(quote!(#field: reader.#method(#text_args)?));
            continue;
        }

        // The locals' types are left to inference: each ends up in its field.
        let claimed = claimed_by_earlier(f, &mut attributes_seen, &mut elements_seen);
        let mutable = (!claimed).then(|| quote!(mut));
        if !in_place {
            locals.push(match f.card {
                Card::Many => quote!(let #mutable #var = Vec::new();),
                _ => quote!(let #mutable #var = None;),
            });
        }

        values.push(match (f.place, f.card) {
            (Place::Attribute, Card::One) => {
                quote!(#field: reader.required_attribute(#var, start, #xml)?)
            }
            (_, Card::One) => {
                let what = match f.place {
                    Place::Choice => choice_names(lookup, &f.ty),
                    Place::AnyElements => "any element".to_owned(),
                    _ => xml.to_owned(),
                };
                quote!(#field: reader.required(#var, start, #what)?)
            }
            _ => quote!(#field: #var),
        });
        if claimed {
            continue;
        }

        match f.place {
            Place::Attribute => {
                let value = match (shape, f.card, ws.map(white_space_tokens)) {
                    (Shape::List, _, _) => quote!(Some(reader.attribute_list(&attribute)?)),
                    (_, Card::One, None) => quote!(Some(reader.attribute(&attribute)?)),
                    (_, _, None) => quote!(reader.attribute_opt(&attribute)?),
                    (_, Card::One, Some(ws)) => quote!(Some(reader.attribute_ws(&attribute, #ws)?)),
                    (_, _, Some(ws)) => quote!(reader.attribute_opt_ws(&attribute, #ws)?),
                };
                let key = syn::LitByteStr::new(xml.as_bytes(), proc_macro2::Span::call_site());
                attribute_branches.push(quote!(if key == #key { #var = #value; }));
            }
            Place::AnyAttributes => {
                any_attribute = Some(quote! {
                    if let Some(pair) = reader.any_attribute(start, &attribute)? {
                        #var.push(pair);
                    }
                });
            }
            Place::Element => {
                let key = syn::LitByteStr::new(xml.as_bytes(), proc_macro2::Span::call_site());
                let single = !shared_names.contains(xml);
                let statement = element_statement(f, &var, shape, ws, single);
                arms.push(quote!(#key => #statement,));
            }
            Place::Choice => {
                let choice = ty_tokens(&f.ty);
                if let Some(variant) = mixed_text_variant(lookup, &f.ty) {
                    // Mixed content: the text before each child, and after the last, is an item of its own.
                    text = Some(());
                    // The plain mapping keeps the text of mixed content exactly; a profile that trims trims it.
                    let take = if lookup.trims_text() {
                        quote!(take_text)
                    } else {
                        quote!(take_text_exact)
                    };
                    mixed_text = Some(quote! {
                        if let Some(text) = reader.#take(&mut text) {
                            #var.push(#choice::#variant(text));
                        }
                    });
                }
                let statement = element_statement(f, &var, Shape::Complex, None, true);
                choice_arm = Some(quote! {
                    name if <#choice as rt::ChoiceElement>::is_alternative(name) => #statement,
                });
            }
            Place::AnyElements => {
                fallback = Some(element_statement(f, &var, Shape::Complex, None, true));
            }
            Place::Text => unreachable!("handled above"),
        }
    }

    // Kept unknown content: one more field, filled where the others skip what they do not know.
    let kept = s.unknown.as_ref().map(|unknown| {
        let field = rust_ident(unknown);
        if in_place {
            quote!(out.#field)
        } else {
            locals.push(quote!(let mut f_unknown = rt::Unknown::default();));
            values.push(quote!(#field: f_unknown));
            quote!(f_unknown)
        }
    });
    let attributes = if attribute_branches.is_empty() && any_attribute.is_none() {
        // No attribute is declared: any there is is drift (looked at only when the reader records it).
        Some(match &kept {
            Some(kept) => quote!(reader.keep_unknown_attributes(start, &mut #kept)?;),
            None => quote!(reader.unknown_attributes(start);),
        })
    } else {
        let key = if attribute_branches.is_empty() {
            quote!(_)
        } else {
            quote!(key)
        };
        let mut chain = TokenStream::new();
        for (i, branch) in attribute_branches.iter().enumerate() {
            if i > 0 {
                chain.extend(quote!(else));
            }
            chain.extend(branch.clone());
        }
        if let Some(any) = any_attribute {
            if !attribute_branches.is_empty() {
                chain.extend(quote!(else));
            }
            chain.extend(any);
        } else if let Some(kept) = &kept {
            // An attribute no field declares: kept, and recorded as drift when the reader records it.
            chain.extend(
                quote!(else { reader.keep_unknown_attribute(start, key, &attribute, &mut #kept)?; }),
            );
        } else {
            // An attribute no field declares: ignored, and recorded as drift when the reader records it.
            chain.extend(quote!(else { reader.unknown_attribute(key, &attribute); }));
        }
        Some(quote! {
            for attribute in reader.attributes(start) {
                let (#key, attribute) = attribute?;
                #chain
            }
        })
    };

    let uses_child = fallback.is_some() || !arms.is_empty() || choice_arm.is_some();
    if let (Some((index, read_content, value)), false) = (simple_content, uses_child) {
        // Simple content and attributes only: no child elements to iterate over.
        values[index] = value;
        return quote! {
            impl rt::FromXml for #name {
                fn read<S: rt::XmlSource>(
                    reader: &mut rt::XmlReader<S>,
                    start: &rt::BytesStart<'_>,
                ) -> Result<Self, rt::ReadError> {
                    #(#locals)*
                    #attributes
                    #read_content
                    Ok(Self {
                        #(#values,)*
                    })
                }
            }
        };
    }
    // With kept content, the children are counted, so that each kept one knows how many known ones preceded it.
    let (count_init, count) = match &kept {
        Some(_) if fallback.is_none() => (quote!(let mut seen = 0usize;), quote!(seen += 1;)),
        _ => (TokenStream::new(), TokenStream::new()),
    };
    let fallback = match (fallback, &kept) {
        (Some(fallback), _) => fallback,
        (None, Some(kept)) => {
            quote!(reader.keep_unknown(&child, seen - 1 - #kept.elements.len(), &mut #kept)?)
        }
        (None, None) => quote!(reader.skip_unknown(&child)?),
    };
    let body = if arms.is_empty() && choice_arm.is_none() {
        quote!(#fallback;)
    } else {
        quote! {
            match rt::local_name(&child) {
                #(#arms)*
                #choice_arm
                _ => #fallback,
            }
        }
    };
    let (text_local, next) = match text {
        Some(()) => (
            quote!(let mut text = String::new();),
            quote!(next_collecting(reader, &mut text)),
        ),
        None => (TokenStream::new(), quote!(next(reader))),
    };
    let children_loop = if let Some(push_text) = &mixed_text {
        quote! {
            #count_init
            while let Some(child) = children.#next? {
                #count
                #push_text
                #body
            }
            #push_text
        }
    } else {
        quote! {
            #count_init
            while let Some(child) = children.#next? {
                #count
                #body
            }
        }
    };
    let (init, value) = if in_place {
        (quote!(let mut out = Self::default();), quote!(out))
    } else {
        (quote!(#(#locals)*), quote!(Self { #(#values,)* }))
    };
    quote! {
        impl rt::FromXml for #name {
            fn read<S: rt::XmlSource>(
                reader: &mut rt::XmlReader<S>,
                start: &rt::BytesStart<'_>,
            ) -> Result<Self, rt::ReadError> {
                #init
                #attributes
                #text_local
                let mut children = reader.children();
                #children_loop
                Ok(#value)
            }
        }
    }
}

/// The element names more than one element field of `s` declares.
fn shared_element_names(s: &Struct) -> HashSet<&str> {
    let mut seen = HashSet::new();
    s.fields
        .iter()
        .filter(|f| f.place == Place::Element && !seen.insert(f.xml.as_str()))
        .map(|f| f.xml.as_str())
        .collect()
}

/// Whether the element or attribute name of `f` was claimed by an earlier field (which then takes it).
fn claimed_by_earlier<'f>(
    f: &'f Field,
    attributes: &mut HashSet<&'f str>,
    elements: &mut HashSet<&'f str>,
) -> bool {
    match f.place {
        Place::Attribute => !attributes.insert(&f.xml),
        Place::Element => !elements.insert(&f.xml),
        _ => false,
    }
}

/// The text variant of a mixed-content list `ty` (a choice with a `$text` variant), if it is one.
fn mixed_text_variant(lookup: &Lookup, ty: &Ty) -> Option<syn::Ident> {
    let Ty::Named(name) = ty else { return None };
    match lookup.kind(name) {
        Some(ItemKind::Choice(c)) => c
            .variants
            .iter()
            .find(|v| v.xml == "$text")
            .map(|v| rust_ident(&v.name)),
        _ => None,
    }
}

/// The element names of the choice item `ty`, joined with `|` (for the error naming a missing choice).
fn choice_names(lookup: &Lookup, ty: &Ty) -> String {
    match ty {
        Ty::Named(name) => match lookup.kind(name) {
            Some(ItemKind::Choice(c)) => c
                .variants
                .iter()
                .map(|v| v.xml.as_str())
                .collect::<Vec<_>>()
                .join("|"),
            _ => name.clone(),
        },
        _ => "a choice".to_owned(),
    }
}

fn choice_reader(item: &Item, c: &Choice, lookup: &Lookup) -> TokenStream {
    let name = format_ident!("{}", item.name);
    let mut seen = HashSet::new();
    let variants: Vec<_> = c
        .variants
        .iter()
        .filter(|v| v.xml != "$text" && v.xml != ANY_VARIANT && seen.insert(v.xml.as_str()))
        .collect();
    let keys: Vec<_> = variants
        .iter()
        .map(|v| syn::LitByteStr::new(v.xml.as_bytes(), proc_macro2::Span::call_site()))
        .collect();
    // A wildcard variant takes every element no other variant names.
    let any = c.variants.iter().find(|v| v.xml == ANY_VARIANT).map(|v| {
        let variant = format_ident!("{}", v.name);
        quote!(Ok(Self::#variant(rt::FromXml::read(reader, start)?)))
    });
    let (fallback, alternative) = match any {
        Some(read) => (
            read,
            quote!(
                fn is_alternative(_: &[u8]) -> bool {
                    true
                }
            ),
        ),
        None => (
            quote!(Err(reader.unexpected(start))),
            quote! {
                fn is_alternative(local_name: &[u8]) -> bool {
                    matches!(local_name, #(#keys)|*)
                }
            },
        ),
    };
    let arms = variants.iter().zip(&keys).map(|(v, key)| {
        let variant = format_ident!("{}", v.name);
        let value = match (shape(lookup, &v.ty), lookup.white_space(&v.ty)) {
            (Shape::List, _) => quote!(reader.list_value()?),
            (Shape::Leaf, Some(ws)) => {
                let ws = white_space_tokens(ws);
                quote!(reader.value_ws(#ws)?)
            }
            _ => quote!(rt::FromXml::read(reader, start)?),
        };
        let value = boxed(v.boxed, value);
        quote!(#key => Ok(Self::#variant(#value)),)
    });
    quote! {
        impl rt::FromXml for #name {
            fn read<S: rt::XmlSource>(
                reader: &mut rt::XmlReader<S>,
                start: &rt::BytesStart<'_>,
            ) -> Result<Self, rt::ReadError> {
                match rt::local_name(start) {
                    #(#arms)*
                    _ => #fallback,
                }
            }
        }

        impl rt::ChoiceElement for #name {
            #alternative
        }
    }
}
