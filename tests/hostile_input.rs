//! Nothing panics on input: every seed sample, cut short at many points and with bytes overwritten at random
//! (seeded, so a failure repeats), is read by the generated readers, whole and record by record, to a value or an
//! error, never a panic.

mod support;

use std::panic::{AssertUnwindSafe, catch_unwind};

use qualys_qps::runtime::ResponseEnvelope;
use qualys_qps::runtime::envelope::ItemStream;
use qualys_qps::runtime::xml::read_document;

/// SplitMix64: a small seeded generator, so every run feeds the same inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Bytes that change the structure of XML, and two that are not UTF-8 or not allowed.
const NASTY: &[u8] = b"<>&;/\"'=!?[]x9 \n\0\xff\xc3";

/// Reads `xml` as the request or response of `module/entity`, whole and (responses) record by record.
fn read(module: &str, entity: &str, request: bool, xml: &[u8]) -> Result<(), String> {
    macro_rules! via {
        ($m:path) => {{
            use $m as m;
            if request {
                let _ = read_document::<m::ServiceRequest>(xml);
            } else {
                let _ = read_document::<m::ServiceResponse>(xml);
                type Item = <m::ServiceResponse as ResponseEnvelope>::Item;
                let items = <m::ServiceResponse as ResponseEnvelope>::ITEM_ELEMENTS;
                if let Ok(mut stream) = ItemStream::<_, Item>::from_bytes(xml, items) {
                    while let Some(item) = stream.next() {
                        if item.is_err() {
                            break;
                        }
                    }
                }
            }
            Ok(())
        }};
    }
    support::for_entity!(module, entity, via)
}

#[test]
fn truncated_and_corrupted_documents_never_panic() {
    let samples = support::seed_samples();
    let mut rng = Rng(0x0BAD_5EED);
    let mut panics = Vec::new();
    let mut inputs = 0;
    for sample in &samples {
        let bytes = sample.text.as_bytes();
        let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
        // Cut short at 64 points spread over the document.
        for k in 0..64 {
            let at = bytes.len() * k / 64;
            cases.push((format!("cut at byte {at}"), bytes[..at].to_vec()));
        }
        // 1 to 4 bytes overwritten, 128 times.
        for _ in 0..128 {
            let mut bytes = bytes.to_vec();
            let mut what = Vec::new();
            for _ in 0..=rng.below(4) {
                let at = rng.below(bytes.len());
                bytes[at] = NASTY[rng.below(NASTY.len())];
                what.push(format!("{at}={:#04x}", bytes[at]));
            }
            cases.push((format!("bytes {}", what.join(",")), bytes));
        }
        for (what, input) in cases {
            inputs += 1;
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                read(&sample.module, &sample.entity, sample.request, &input)
            }));
            let outcome = outcome.map(|read| read.expect("the seed sample has bindings"));
            if outcome.is_err() {
                panics.push(format!("{}: {what}", sample.file_name));
            }
        }
    }
    println!("{inputs} hostile inputs read without a panic");
    assert!(
        panics.is_empty(),
        "the reader panicked on {} inputs:\n{}",
        panics.len(),
        panics.join("\n")
    );
}

/// Found by the `response_readers` fuzz target: a DOCTYPE inside an element split its text in two, and quick-xml's
/// deserializer panicked (`unreachable!`) under `from_str`. The well-formedness pass now refuses it, every path
/// alike.
#[test]
fn a_doctype_inside_the_document_element_is_refused_not_a_panic() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<ServiceResponse><responseCode>SUCCESS</responseCode><count>1</count>
  <data><WasScan><id>4<!DOCTYPE x [<!ENTITY a "b">]>626354</id></WasScan></data></ServiceResponse>"#;
    use qualys_qps::was::wasscan::ServiceResponse;
    let error = qualys_qps::runtime::xml::from_str::<ServiceResponse>(xml)
        .expect_err("a DOCTYPE inside the document element");
    assert!(
        error.to_string().contains("(`<!DOCTYPE`) past the prolog"),
        "{error}"
    );
    let after =
        "<ServiceResponse><responseCode>SUCCESS</responseCode></ServiceResponse><!DOCTYPE x>";
    assert!(qualys_qps::runtime::xml::from_str::<ServiceResponse>(after).is_err());
    let before = "<!DOCTYPE ServiceResponse><ServiceResponse><responseCode>SUCCESS</responseCode></ServiceResponse>";
    assert!(
        qualys_qps::runtime::xml::from_str::<ServiceResponse>(before).is_ok(),
        "a DOCTYPE in the prolog stays allowed"
    );
}
