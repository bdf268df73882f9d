//! Typed Rust bindings for the Qualys QPS REST API, generated from Qualys's XSDs.
//!
//! One module per schema: [`was::webapp`], [`was::wasscan`], [`was::wasscanschedule`], [`was::optionprofile`],
//! [`was::finding`], [`am::awsassetdataconnector`], [`saq::questionnairecampaign`], [`saq::questionnaire`].
//! Types that several schemas declare identically (`ResponseCode`, `Criteria`, ...) live in [`common`] and are
//! re-exported by each schema's module. Each resource module also has `filter` (typed search criteria) and
//! `endpoints` (one [`runtime::Endpoint`] per action, and the calls on a client).
//!
//! ```
//! use qualys_qps::was::webapp::{ServiceResponse, WebApp};
//!
//! let xml = r#"<ServiceResponse><responseCode>SUCCESS</responseCode><count>1</count>
//!   <data><WebApp><id>42</id><name><![CDATA[Shop]]></name></WebApp></data></ServiceResponse>"#;
//! let response: ServiceResponse = qualys_qps::runtime::xml::from_str(xml).unwrap();
//! let apps: &[WebApp] = &response.data.as_ref().unwrap().web_app;
//! assert_eq!(apps[0].name.as_deref(), Some("Shop"));
//! ```
//!
//! Search criteria are typed per resource: the field, the operator and the value type are checked by the
//! compiler.
//!
//! ```
//! use qualys_qps::was::webapp::filter;
//! let by_name = filter::Name.contains("shop");
//! let by_ids = filter::Id.in_list([1, 2, 3]);
//! let owner = filter::Attributes.equals("Business Owner", "Jane");
//! assert_eq!(by_ids.criteria().value, "1,2,3");
//! # let _ = (by_name, owner);
//! ```
//!
//! A misspelt field does not compile:
//! ```compile_fail
//! let c = qualys_qps::was::webapp::filter::Nmae.contains("shop");
//! ```
//! nor does an operator the field does not allow (`CONTAINS` on an id):
//! ```compile_fail
//! let c = qualys_qps::was::webapp::filter::Id.contains("4");
//! ```
//! nor a string where the field takes a number:
//! ```compile_fail
//! let c = qualys_qps::was::webapp::filter::Id.equals("42");
//! ```
//! nor a criterion of one resource in another's search:
//! ```compile_fail
//! let search = qualys_qps::was::finding::endpoints::Search::new()
//!     .filter(qualys_qps::was::webapp::filter::Name.contains("shop"));
//! ```
#![doc = include_str!("../README.md")]

pub use qps_runtime as runtime;

include!(concat!(env!("OUT_DIR"), "/mod.rs"));

/// What a program using the client usually needs: the client calls and the envelope accessors.
pub mod prelude {
    pub use crate::ClientExt;
    pub use qps_runtime::{Client, Error, PagingMode, Platform, ResponseEnvelope};
}
