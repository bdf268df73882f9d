//! A tour of the generated bindings: read real Qualys responses into typed values, build a typed request,
//! check it against the schema's facets and write it as XML.
//!
//! Run with `cargo run --example offline`.

use qualys_qps::common::{Criteria, CriteriaOperator, ResponseCode};
use qualys_qps::runtime::Collection;
use qualys_qps::runtime::xml::{Validate, from_str, to_string};
use qualys_qps::was::webapp::{self, ServiceRequestPreferences, Tag, WebApp};

const SEARCH_RESPONSE: &str =
    include_str!("../tests/fixtures/seed/was-webapp-search-1.response.xml");
const FINDING: &str = include_str!("../tests/fixtures/seed/was-finding-get-1.response.xml");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. A web application search response, as Qualys sends it (CDATA on its own lines and all).
    let response: webapp::ServiceResponse = from_str(SEARCH_RESPONSE)?;
    assert_eq!(response.response_code, ResponseCode::Success);
    for app in &response
        .data
        .as_ref()
        .map(|d| d.web_app.clone())
        .unwrap_or_default()
    {
        let tags: Vec<&str> = app
            .tags
            .iter()
            .flat_map(|t| t.iter())
            .filter_map(|t| t.name.as_deref())
            .collect();
        println!(
            "web app {} {:?} at {:?}, created {}, tags {:?}",
            app.id.unwrap_or_default(),
            app.name.as_deref().unwrap_or(""),
            app.url.as_deref().unwrap_or(""),
            app.created_date.map(|d| d.to_rfc3339()).unwrap_or_default(),
            tags
        );
    }

    // 2. A finding: enums keep values the schema does not list, so a new server value never breaks a client.
    let finding: qualys_qps::was::finding::ServiceResponse = from_str(FINDING)?;
    let finding = &finding.data.as_ref().expect("data").finding[0];
    println!(
        "finding qid {:?} {:?} in group {:?}",
        finding.qid,
        finding.name,
        finding.group.as_ref().map(|g| g.as_str())
    );

    // 3. A typed search request: verbose output, a name filter.
    let request = webapp::ServiceRequest {
        preferences: Some(ServiceRequestPreferences {
            verbose: Some(true),
            limit_results: Some(100),
            ..Default::default()
        }),
        filters: Some(webapp::ServiceRequestFilters {
            criteria: vec![Criteria {
                field: Some("name".into()),
                operator: Some(CriteriaOperator::Contains),
                value: "My Web Application".into(),
                ..Default::default()
            }],
        }),
        data: None,
    };
    request.validate()?;
    println!("search request:\n{}", to_string(&request)?);

    // 4. An update that adds a tag: Qualys's <add> wrapper is the generic Collection.
    let update = WebApp {
        name: Some("Shop".into()),
        tags: Some(Collection::add([Tag {
            id: Some(9029017),
            ..Default::default()
        }])),
        ..Default::default()
    };
    println!(
        "update data:\n{}",
        quick_xml::se::to_string_with_root("WebApp", &update)?
    );
    Ok(())
}
