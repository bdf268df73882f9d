//! `qps whoami`: the credentials checked against the platform (`GET /qps/rest/portal/version`), and the versions
//! it reports printed as `name: value` lines.

use std::io::Write;

use qualys_qps::runtime::{Client, Method};

use crate::error::CliError;

/// The portal version call.
pub const PATH: &str = "/qps/rest/portal/version";

/// Probes the platform and prints what it answered.
pub async fn run(client: &Client, mut out: impl Write) -> Result<(), CliError> {
    let response = client.raw(Method::Get, PATH, None).await?;
    if response.status == 401 || response.status == 403 {
        return Err(CliError::Qualys(format!(
            "the credentials were refused (HTTP {}) by {}",
            response.status,
            client.base_url().as_str()
        )));
    }
    if let Some(status) = qualys_qps::runtime::envelope::read_status(&response.body) {
        if !status.is_success() {
            return Err(status.into_error(response.status).into());
        }
    }
    if !(200..300).contains(&response.status) {
        return Err(CliError::Qualys(format!(
            "HTTP {} from {}",
            response.status,
            client.base_url().as_str()
        )));
    }
    writeln!(
        out,
        "credentials accepted by {}",
        client.base_url().as_str()
    )?;
    let body = String::from_utf8_lossy(&response.body);
    for line in versions(&body)? {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The leaves under `ServiceResponse/data`, as `name: text` (the portal version has no schema of its own).
fn versions(body: &str) -> Result<Vec<String>, CliError> {
    // Without a DTD (the default): no entity expansion.
    let doc = roxmltree::Document::parse(body).map_err(|e| {
        CliError::Qualys(format!(
            "portal version: the response is not well-formed XML: {e}"
        ))
    })?;
    let Some(data) = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name("data"))
    else {
        return Ok(Vec::new());
    };
    Ok(data
        .descendants()
        .filter(|n| n.is_element() && !n.children().any(|c| c.is_element()))
        .map(|n| {
            let text: String = n.children().filter_map(|c| c.text()).collect();
            format!("{}: {}", n.tag_name().name(), text.trim())
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_leaves() {
        let body = "<ServiceResponse><responseCode>SUCCESS</responseCode><data><Portal-Version>\
            <PortalApplication-VERSION>3.1</PortalApplication-VERSION></Portal-Version></data></ServiceResponse>";
        assert_eq!(versions(body).unwrap(), ["PortalApplication-VERSION: 3.1"]);
    }
}
