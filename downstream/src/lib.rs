//! Bindings generated in a crate whose only dependency is the API crate `qualys-qps` (see `build.rs`): the
//! generated code reaches serde, chrono and rust_decimal through the runtime's re-exports.

include!(concat!(env!("OUT_DIR"), "/mod.rs"));

#[cfg(test)]
mod tests {
    use qualys_qps::runtime::xml;

    use super::order::{Order, OrderChoice, State};

    const XML: &str = r#"<order id="7"><placed>2019-02-01T05:47:50Z</placed><total>12.50</total><state>SHIPPED</state><sizes>1 2 3</sizes><pickup>Desk</pickup></order>"#;

    #[test]
    fn generated_types_read_write_and_serialize_through_the_api_crate() {
        let order: Order = xml::read_document(XML.as_bytes()).unwrap();
        assert_eq!(order.id, 7);
        assert_eq!(order.total.to_string(), "12.50");
        // The plain mapping's `xs:dateTime` keeps its zone; chrono's values come through the runtime.
        let placed = order.placed.to_utc().unwrap();
        assert_eq!(placed.to_rfc3339(), "2019-02-01T05:47:50+00:00");
        assert_eq!(order.placed.to_string(), "2019-02-01T05:47:50Z");
        assert_eq!(order.state, State::Shipped);
        assert_eq!(order.sizes, Some(vec![1, 2, 3]));
        assert_eq!(order.choice, OrderChoice::Pickup("Desk".to_owned()));

        let written = xml::write_document(&order);
        let again: Order = xml::read_document(written.as_bytes()).unwrap();
        assert_eq!(again, order);

        // The serde path, through the runtime's own entry points.
        let through_serde: Order = xml::from_str(XML).unwrap();
        assert_eq!(through_serde, order);
        let text = xml::to_string(&order).unwrap();
        assert_eq!(xml::from_str::<Order>(&text).unwrap(), order);
    }

    #[test]
    fn the_api_crate_types_are_usable_too() {
        let app = qualys_qps::was::webapp::WebApp {
            name: Some("Shop".to_owned()),
            ..Default::default()
        };
        assert_eq!(app.name.as_deref(), Some("Shop"));
    }
}
