//! Typed Rust bindings for the Qualys QPS REST API, generated from Qualys's XSDs.
//!
//! One module per schema: [`was::webapp`], [`was::wasscan`], [`was::wasscanschedule`], [`was::optionprofile`],
//! [`was::finding`], [`am::awsassetdataconnector`], [`saq::questionnairecampaign`], [`saq::questionnaire`].
//! Types that several schemas declare identically (`ResponseCode`, `Criteria`, ...) live in [`common`] and are
//! re-exported by each schema's module.
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

pub use qps_runtime as runtime;

include!(concat!(env!("OUT_DIR"), "/mod.rs"));
