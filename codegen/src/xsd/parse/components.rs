//! The schema components inside a schema document: element declarations and particles, model groups, complex
//! and simple types with their facets, attributes.

use roxmltree::Node;

use super::{Ctx, attr, flag};
use crate::error::{Error, Result};
use crate::xsd::model::*;

impl Ctx<'_> {
    pub(super) fn element(&self, node: Node, global: bool) -> Result<Element> {
        let name = match attr(node, "name") {
            Some(local) => {
                self.check_ncname(node, local)?;
                let qualified = match attr(node, "form") {
                    Some(form) => form == "qualified",
                    None => global || self.qualified,
                };
                QName {
                    ns: if qualified {
                        self.target_ns.clone()
                    } else {
                        None
                    },
                    local: local.to_owned(),
                }
            }
            None => {
                return Err(Error::invalid(
                    &self.loc(node),
                    "xs:element without a name or ref",
                ));
            }
        };
        let mut ty = match self.attr_qname(node, "type")? {
            Some(named) => TypeRef::Named(named),
            None => TypeRef::Unspecified,
        };
        for child in self.content_children(node)? {
            match child.tag_name().name() {
                "complexType" => ty = TypeRef::Complex(Box::new(self.complex_type(child)?)),
                "simpleType" => ty = TypeRef::Simple(Box::new(self.simple_type(child)?)),
                // Identity constraints restrict values; they add no structure to bind.
                "key" | "keyref" | "unique" => {}
                other => return Err(self.unexpected(child, other, "xs:element")),
            }
        }
        Ok(Element {
            name,
            ty,
            occurs: if global {
                Occurs::ONCE
            } else {
                self.occurs(node)?
            },
            default: node.attribute("default").map(str::to_owned),
            fixed: node.attribute("fixed").map(str::to_owned),
            nillable: flag(node, "nillable"),
            is_abstract: flag(node, "abstract"),
            substitution_group: self.attr_qname(node, "substitutionGroup")?,
            doc: self.doc_of(node),
            loc: self.loc(node),
        })
    }

    fn particle(&self, node: Node) -> Result<Particle> {
        let loc = self.loc(node);
        let occurs = self.occurs(node)?;
        let term = match node.tag_name().name() {
            "element" => match self.attr_qname(node, "ref")? {
                Some(target) => Term::ElementRef(target),
                None => Term::Element(Box::new(self.element(node, false)?)),
            },
            "group" => Term::GroupRef(
                self.attr_qname(node, "ref")?
                    .ok_or_else(|| Error::invalid(&loc, "local xs:group without ref"))?,
            ),
            "sequence" | "choice" | "all" => {
                let mut parts = Vec::new();
                for child in self.content_children(node)? {
                    match child.tag_name().name() {
                        "element" | "group" | "sequence" | "choice" | "any" | "all" => {
                            parts.push(self.particle(child)?)
                        }
                        other => {
                            return Err(self.unexpected(
                                child,
                                other,
                                &format!("xs:{}", node.tag_name().name()),
                            ));
                        }
                    }
                }
                match node.tag_name().name() {
                    "sequence" => Term::Sequence(parts),
                    "choice" => Term::Choice(parts),
                    _ => Term::All(parts),
                }
            }
            "any" => Term::Any {
                namespace: attr(node, "namespace").map(str::to_owned),
            },
            other => return Err(self.unexpected(node, other, "a content model")),
        };
        Ok(Particle { term, occurs, loc })
    }

    pub(super) fn group(&self, node: Node) -> Result<Group> {
        let name = self.own_name(node)?;
        let children = self.content_children(node)?;
        let [body] = children.as_slice() else {
            return Err(Error::invalid(
                &self.loc(node),
                "xs:group must hold one sequence, choice or all",
            ));
        };
        Ok(Group {
            name,
            particle: self.particle(*body)?,
            loc: self.loc(node),
        })
    }

    pub(super) fn complex_type(&self, node: Node) -> Result<ComplexType> {
        let name = match attr(node, "name") {
            Some(_) => Some(self.own_name(node)?),
            None => None,
        };
        let mut content = Content::Empty;
        let mut attributes = Vec::new();
        let mut mixed = flag(node, "mixed");
        for child in self.content_children(node)? {
            match child.tag_name().name() {
                "sequence" | "choice" | "all" | "group" => {
                    content = Content::Particle(self.particle(child)?)
                }
                "attribute" | "attributeGroup" | "anyAttribute" => {
                    attributes.push(self.attribute_item(child)?)
                }
                "simpleContent" | "complexContent" => {
                    // `mixed` on xs:complexContent takes precedence over the complex type's (XSD 1.0, 3.4.2).
                    if child.tag_name().name() == "complexContent" && attr(child, "mixed").is_some()
                    {
                        mixed = flag(child, "mixed");
                    }
                    let (c, a) = self.derived_content(child)?;
                    content = c;
                    attributes.extend(a);
                }
                "openContent" | "assert" => {
                    return Err(Error::unsupported(
                        &self.loc(child),
                        format!("xs:{}", child.tag_name().name()),
                        "XSD 1.1 is not supported",
                    ));
                }
                other => return Err(self.unexpected(child, other, "xs:complexType")),
            }
        }
        Ok(ComplexType {
            name,
            mixed,
            is_abstract: flag(node, "abstract"),
            content,
            attributes,
            doc: self.doc_of(node),
            loc: self.loc(node),
        })
    }

    fn derived_content(&self, node: Node) -> Result<(Content, Vec<AttributeItem>)> {
        let simple = node.tag_name().name() == "simpleContent";
        let children = self.content_children(node)?;
        let [derivation_node] = children.as_slice() else {
            return Err(Error::invalid(
                &self.loc(node),
                "expected one xs:extension or xs:restriction",
            ));
        };
        let derivation = match derivation_node.tag_name().name() {
            "extension" => Derivation::Extension,
            "restriction" => Derivation::Restriction,
            other => {
                return Err(self.unexpected(
                    *derivation_node,
                    other,
                    &format!("xs:{}", node.tag_name().name()),
                ));
            }
        };
        let loc = self.loc(*derivation_node);
        let base = self
            .attr_qname(*derivation_node, "base")?
            .ok_or_else(|| Error::invalid(&loc, "derivation without a base"))?;
        let mut particle = None;
        let mut attributes = Vec::new();
        let mut facets = Facets::default();
        let mut simple_type = None;
        for child in self.content_children(*derivation_node)? {
            match child.tag_name().name() {
                "sequence" | "choice" | "all" | "group" if !simple => {
                    particle = Some(self.particle(child)?)
                }
                "attribute" | "attributeGroup" | "anyAttribute" => {
                    attributes.push(self.attribute_item(child)?)
                }
                "simpleType" if simple && derivation == Derivation::Restriction => {
                    if simple_type.is_some() {
                        return Err(Error::invalid(
                            &self.loc(child),
                            "a simpleContent restriction holds at most one xs:simpleType",
                        ));
                    }
                    simple_type = Some(Box::new(self.simple_type(child)?));
                }
                facet if simple && self.facet(child, facet, &mut facets)? => {}
                other => {
                    return Err(self.unexpected(
                        child,
                        other,
                        &format!("xs:{}", derivation_node.tag_name().name()),
                    ));
                }
            }
        }
        let content = if simple {
            Content::Simple {
                derivation,
                base,
                facets,
                simple_type,
                loc,
            }
        } else {
            Content::Complex {
                derivation,
                base,
                particle,
                loc,
            }
        };
        Ok((content, attributes))
    }

    fn attribute_item(&self, node: Node) -> Result<AttributeItem> {
        let loc = self.loc(node);
        Ok(match node.tag_name().name() {
            "attribute" => match self.attr_qname(node, "ref")? {
                Some(name) => AttributeItem::Ref {
                    name,
                    usage: self.usage(node)?,
                    default: node.attribute("default").map(str::to_owned),
                    fixed: node.attribute("fixed").map(str::to_owned),
                    loc,
                },
                None => AttributeItem::Attribute(self.attribute(node, false)?),
            },
            "attributeGroup" => AttributeItem::GroupRef(
                self.attr_qname(node, "ref")?
                    .ok_or_else(|| Error::invalid(&loc, "local xs:attributeGroup without ref"))?,
                loc,
            ),
            _ => AttributeItem::Any(loc),
        })
    }

    fn usage(&self, node: Node) -> Result<AttributeUse> {
        Ok(match attr(node, "use") {
            None | Some("optional") => AttributeUse::Optional,
            Some("required") => AttributeUse::Required,
            Some("prohibited") => AttributeUse::Prohibited,
            Some(other) => {
                return Err(Error::invalid(
                    &self.loc(node),
                    format!("use={other:?} is not optional, required or prohibited"),
                ));
            }
        })
    }

    pub(super) fn attributes(&self, node: Node) -> Result<Vec<AttributeItem>> {
        self.content_children(node)?
            .into_iter()
            .map(|child| match child.tag_name().name() {
                "attribute" | "attributeGroup" | "anyAttribute" => self.attribute_item(child),
                other => Err(self.unexpected(child, other, "xs:attributeGroup")),
            })
            .collect()
    }

    pub(super) fn attribute(&self, node: Node, global: bool) -> Result<Attribute> {
        let local = attr(node, "name")
            .ok_or_else(|| Error::invalid(&self.loc(node), "xs:attribute without a name"))?;
        self.check_ncname(node, local)?;
        let qualified = match attr(node, "form") {
            Some(form) => form == "qualified",
            None => global || self.attr_qualified,
        };
        let mut ty = match self.attr_qname(node, "type")? {
            Some(named) => TypeRef::Named(named),
            None => TypeRef::Unspecified,
        };
        for child in self.content_children(node)? {
            match child.tag_name().name() {
                "simpleType" => ty = TypeRef::Simple(Box::new(self.simple_type(child)?)),
                other => return Err(self.unexpected(child, other, "xs:attribute")),
            }
        }
        Ok(Attribute {
            name: QName {
                ns: if qualified {
                    self.target_ns.clone()
                } else {
                    None
                },
                local: local.to_owned(),
            },
            ty,
            usage: self.usage(node)?,
            default: node.attribute("default").map(str::to_owned),
            fixed: node.attribute("fixed").map(str::to_owned),
            doc: self.doc_of(node),
            loc: self.loc(node),
        })
    }

    pub(super) fn simple_type(&self, node: Node) -> Result<SimpleType> {
        let name = match attr(node, "name") {
            Some(_) => Some(self.own_name(node)?),
            None => None,
        };
        let children = self.content_children(node)?;
        let [body] = children.as_slice() else {
            return Err(Error::invalid(
                &self.loc(node),
                "xs:simpleType must hold one restriction, list or union",
            ));
        };
        let kind = match body.tag_name().name() {
            "restriction" => {
                let mut base = self.attr_qname(*body, "base")?.map(TypeRef::Named);
                let mut facets = Facets::default();
                for child in self.content_children(*body)? {
                    match child.tag_name().name() {
                        "simpleType" => {
                            base = Some(TypeRef::Simple(Box::new(self.simple_type(child)?)))
                        }
                        facet if self.facet(child, facet, &mut facets)? => {}
                        other => return Err(self.unexpected(child, other, "xs:restriction")),
                    }
                }
                SimpleKind::Restriction {
                    base: base.ok_or_else(|| {
                        Error::invalid(&self.loc(*body), "xs:restriction without a base")
                    })?,
                    facets,
                }
            }
            "list" => {
                let mut item = self.attr_qname(*body, "itemType")?.map(TypeRef::Named);
                for child in self.content_children(*body)? {
                    match child.tag_name().name() {
                        "simpleType" => {
                            item = Some(TypeRef::Simple(Box::new(self.simple_type(child)?)))
                        }
                        other => return Err(self.unexpected(child, other, "xs:list")),
                    }
                }
                SimpleKind::List {
                    item: item.ok_or_else(|| {
                        Error::invalid(&self.loc(*body), "xs:list without an item type")
                    })?,
                }
            }
            "union" => {
                let mut members = Vec::new();
                if let Some(list) = attr(*body, "memberTypes") {
                    for name in list.split_whitespace() {
                        members.push(TypeRef::Named(self.qname(*body, name)?));
                    }
                }
                for child in self.content_children(*body)? {
                    match child.tag_name().name() {
                        "simpleType" => {
                            members.push(TypeRef::Simple(Box::new(self.simple_type(child)?)))
                        }
                        other => return Err(self.unexpected(child, other, "xs:union")),
                    }
                }
                if members.is_empty() {
                    return Err(Error::invalid(
                        &self.loc(*body),
                        "xs:union without member types",
                    ));
                }
                SimpleKind::Union { members }
            }
            other => return Err(self.unexpected(*body, other, "xs:simpleType")),
        };
        Ok(SimpleType {
            name,
            kind,
            doc: self.doc_of(node),
            loc: self.loc(node),
        })
    }

    /// Reads one facet into `facets`; returns false when `name` is not a facet.
    fn facet(&self, node: Node, name: &str, facets: &mut Facets) -> Result<bool> {
        let value = || {
            node.attribute("value").map(str::to_owned).ok_or_else(|| {
                Error::invalid(&self.loc(node), format!("xs:{name} without a value"))
            })
        };
        let number = |v: String| -> Result<u64> {
            v.trim().parse().map_err(|_| {
                Error::invalid(
                    &self.loc(node),
                    format!("xs:{name} value {v:?} is not a count"),
                )
            })
        };
        match name {
            "enumeration" => facets.enumerations.push((value()?, self.doc_of(node))),
            "length" => facets.length = Some(number(value()?)?),
            "minLength" => facets.min_length = Some(number(value()?)?),
            "maxLength" => facets.max_length = Some(number(value()?)?),
            "pattern" => facets.patterns.push(value()?),
            "minInclusive" => facets.min_inclusive = Some(value()?),
            "maxInclusive" => facets.max_inclusive = Some(value()?),
            "minExclusive" => facets.min_exclusive = Some(value()?),
            "maxExclusive" => facets.max_exclusive = Some(value()?),
            "totalDigits" => facets.total_digits = Some(number(value()?)? as u32),
            "fractionDigits" => facets.fraction_digits = Some(number(value()?)? as u32),
            "whiteSpace" => facets.white_space = Some(value()?),
            "assertion" | "explicitTimezone" => {
                return Err(Error::unsupported(
                    &self.loc(node),
                    format!("xs:{name}"),
                    "XSD 1.1 is not supported",
                ));
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}
