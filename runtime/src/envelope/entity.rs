//! A catalog entity's generated types behind one type ([`CatalogEntity`]), and the visitor ([`EntityVisitor`])
//! through which code that learns the entity only at run time (a command line taking `was webapp`) reaches them:
//! the generated `visit_entity(module, entity, visitor)` calls the visitor with the entity's types.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::ResponseEnvelope;
use crate::xml::{Drift, FromXml, ReadError, RootElement, ToXml, Validate, XmlReader};

/// The generated types of one catalog entity (`was/webapp`): its `ServiceResponse`, its `ServiceRequest` and the
/// record they carry under `<data>`. The generator implements it once per catalog entity.
pub trait CatalogEntity: 'static {
    /// The catalog module, e.g. `was`.
    const MODULE: &'static str;
    /// The catalog entity, e.g. `webapp`.
    const NAME: &'static str;
    /// The record element under `<data>`, e.g. `WebApp`.
    const ELEMENT: &'static str;

    /// The record type: what responses list under `<data>` and requests send there.
    type Item: FromXml + ToXml + Validate + Serialize + DeserializeOwned + Send + 'static;

    /// The schema's `ServiceResponse`.
    type Response: ResponseEnvelope<Item = Self::Item> + Serialize;

    /// The schema's `ServiceRequest`.
    type Request: FromXml + ToXml + RootElement + Validate;

    /// The record under a request's `<data>`, if it has one.
    fn request_item(request: Self::Request) -> Option<Self::Item>;
}

/// What to do with a catalog entity's types, chosen at run time by the generated `visit_entity`.
pub trait EntityVisitor {
    /// What the visit returns.
    type Output;

    /// Called with the types of the entity asked for.
    fn visit<E: CatalogEntity>(self) -> Self::Output;
}

/// Reads a document whose root is the record element `E::ELEMENT` (a bare record, as some calls return and as
/// saved request data holds), recording drift.
pub fn read_item_document<E: CatalogEntity>(bytes: &[u8]) -> Result<(E::Item, Drift), ReadError> {
    let mut reader = XmlReader::from_bytes(bytes);
    reader.record_drift();
    let item = reader
        .read_root_named::<E::Item>(E::ELEMENT)
        .map_err(|e| e.locate(bytes))?;
    Ok((item, reader.take_drift()))
}
