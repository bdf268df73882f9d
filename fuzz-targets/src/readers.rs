//! The `response_readers` target: bytes through every generated reader of `qualys-qps`.

use std::io::BufReader;

use qualys_qps::runtime::ResponseEnvelope;
use qualys_qps::runtime::envelope::ItemStream;
use qualys_qps::runtime::xml::{XmlReader, decode_document, from_reader, from_str, read_document};

/// The buffer of the chunked reader: small, so tokens straddle refills.
const CHUNK: usize = 7;

/// Reads `xml` with each resource's readers: `read_document` and `from_reader` (in chunks) of the
/// `ServiceResponse` and the `ServiceRequest`, serde's `from_str` of the `ServiceResponse`, and the record stream
/// over the slice and over the chunked reader. `Err` when the slice and the chunked reader disagree (one reads a
/// document or a record the other refuses; a stream that fails to open counts as one that reads no record and
/// then fails), or when the document, decoded, then encoded as UTF-16 and streamed in chunks (decoded again as
/// it is read), reads other records than its decoded text read as UTF-8.
pub fn response_readers(xml: &[u8]) -> Result<(), String> {
    let text = decode_document(xml).ok();
    let utf16 = text.as_deref().map(utf16_le);
    macro_rules! each {
        ($($m:ident :: $e:ident),* $(,)?) => {$({
            use qualys_qps::$m::$e as m;
            let what = concat!(stringify!($m), "/", stringify!($e));
            let whole = read_document::<m::ServiceResponse>(xml).is_ok();
            let chunked =
                from_reader::<m::ServiceResponse, _>(BufReader::with_capacity(CHUNK, xml)).is_ok();
            if whole != chunked {
                return Err(format!(
                    "{what}: read_document {} the response, from_reader in {CHUNK}-byte chunks {}",
                    verdict(whole),
                    verdict(chunked)
                ));
            }
            let _ = read_document::<m::ServiceRequest>(xml);
            let _ = from_reader::<m::ServiceRequest, _>(BufReader::with_capacity(CHUNK, xml));
            if let Some(text) = text.as_deref() {
                let _ = from_str::<m::ServiceResponse>(text);
            }
            type Item = <m::ServiceResponse as ResponseEnvelope>::Item;
            let items = <m::ServiceResponse as ResponseEnvelope>::ITEM_ELEMENTS;
            // A stream that fails to open reads no record and ends on an error.
            let slice = ItemStream::<_, Item>::from_bytes(xml, items)
                .map_or((0, true), records);
            let chunks =
                ItemStream::<_, Item>::from_reader(BufReader::with_capacity(CHUNK, xml), items)
                    .map_or((0, true), records);
            if slice != chunks {
                return Err(format!(
                    "{what}: the record stream over the slice reads {} records{}, over {CHUNK}-byte chunks {}{}",
                    slice.0,
                    ending(slice.1),
                    chunks.0,
                    ending(chunks.1)
                ));
            }
            if let (Some(text), Some(utf16)) = (text.as_deref(), utf16.as_deref()) {
                let utf8 = ItemStream::<_, Item>::new(XmlReader::from_bytes(text.as_bytes()), items)
                    .map_or((0, true), records);
                let decoded =
                    ItemStream::<_, Item>::from_reader(BufReader::with_capacity(CHUNK, utf16), items)
                        .map_or((0, true), records);
                if utf8 != decoded {
                    return Err(format!(
                        "{what}: the record stream over the decoded text reads {} records{}, over it in UTF-16 {}{}",
                        utf8.0,
                        ending(utf8.1),
                        decoded.0,
                        ending(decoded.1)
                    ));
                }
            }
        })*};
    }
    each!(
        was::webapp,
        was::wasscan,
        was::wasscanschedule,
        was::optionprofile,
        was::finding,
        am::awsassetdataconnector,
        saq::questionnairecampaign,
        saq::questionnaire,
    );
    Ok(())
}

/// `text` in UTF-16LE, after a byte order mark (which tells the readers the encoding).
fn utf16_le(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(2 + 2 * text.len());
    out.extend_from_slice(&[0xFF, 0xFE]);
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    out
}

fn verdict(ok: bool) -> &'static str {
    if ok { "reads" } else { "refuses" }
}

fn ending(error: bool) -> &'static str {
    if error { " then an error" } else { "" }
}

/// The records read before the stream ended, and whether it ended on an error.
fn records<I: Iterator<Item = Result<T, E>>, T, E>(stream: I) -> (usize, bool) {
    let mut read = 0;
    for item in stream {
        if item.is_err() {
            return (read, true);
        }
        read += 1;
    }
    (read, false)
}
