//! [`ItemStream`]: the records inside `<data>` of a `ServiceResponse`, read one at a time.

use std::fmt;
use std::io::BufRead;
use std::marker::PhantomData;

use super::{EnvelopeStatus, ErrorDetails, SUCCESS};
pub use crate::xml::HeadedSource;
use crate::xml::reader::local_name;
use crate::xml::{Children, FromXml, ReadError, ReadErrorKind, XmlReader, XmlSource};

/// The fields of a `ServiceResponse` that precede `<data>`, read by [`ItemStream`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseHeader {
    /// `responseCode`, trimmed.
    pub response_code: String,
    /// `responseErrorDetails`, texts trimmed, empty ones dropped.
    pub error_details: Option<ErrorDetails>,
    /// `count`.
    pub count: Option<i64>,
    /// `hasMoreRecords`.
    pub has_more_records: Option<bool>,
    /// `lastId`.
    pub last_id: Option<i64>,
}

impl ResponseHeader {
    /// Whether `responseCode` is `SUCCESS`.
    pub fn is_success(&self) -> bool {
        self.response_code == SUCCESS
    }

    /// The code and error details, e.g. to report a failed call with
    /// [`EnvelopeStatus::into_error`](EnvelopeStatus::into_error).
    pub fn status(&self) -> EnvelopeStatus {
        EnvelopeStatus {
            code: self.response_code.clone(),
            details: self.error_details.clone().unwrap_or_default(),
        }
    }
}

/// The records inside `<data>` of a `ServiceResponse`, read one at a time.
///
/// Opening the stream reads the envelope up to `<data>` (Qualys sends `responseCode`, `responseErrorDetails`,
/// `count`, `hasMoreRecords` and `lastId` first): [`header`](Self::header) has them. Iterating reads each child
/// of `<data>` named one of the item names as a `T` and skips the others; only the current record is held in
/// memory. Fields after `</data>`, if any, update the header when the iteration ends. A response in another
/// encoding than UTF-8 is decoded as it is read, over a slice ([`Self::from_bytes`]) as over a `BufRead`
/// ([`Self::from_reader`]), and yields the records its UTF-8 text would.
///
/// ```
/// use qps_runtime::envelope::ItemStream;
/// use qps_runtime::xml::ReadError;
/// use qps_runtime::xml::AnyElement;
///
/// let body = b"<ServiceResponse><responseCode>SUCCESS</responseCode><count>2</count>
///   <hasMoreRecords>true</hasMoreRecords><lastId>12</lastId>
///   <data><WebApp><id>11</id></WebApp><WebApp><id>12</id></WebApp></data></ServiceResponse>";
/// let mut stream = ItemStream::<_, AnyElement>::from_reader(&body[..], &["WebApp"])?;
/// assert!(stream.header().is_success());
/// assert_eq!(stream.header().last_id, Some(12));
/// let ids: Vec<_> = stream
///     .map(|item| item.map(|app| app.children[0].text.clone().unwrap()))
///     .collect::<Result<_, _>>()?;
/// assert_eq!(ids, ["11", "12"]);
/// # Ok::<(), ReadError>(())
/// ```
pub struct ItemStream<S: XmlSource, T>(Stream<S, T>);

/// The records read from the source as it is, or (from memory, in another encoding) decoded.
enum Stream<S: XmlSource, T> {
    Direct(Records<S, T>),
    Decoded(Records<S::Decoded, T>),
}

/// The state of a record stream over one source.
struct Records<S: XmlSource, T> {
    reader: XmlReader<S>,
    header: ResponseHeader,
    items: &'static [&'static str],
    root: Children,
    data: Option<Children>,
    done: bool,
    item: PhantomData<fn() -> T>,
}

impl<S: XmlSource, T> fmt::Debug for ItemStream<S, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (header, items, done) = match &self.0 {
            Stream::Direct(records) => (&records.header, records.items, records.done),
            Stream::Decoded(records) => (&records.header, records.items, records.done),
        };
        f.debug_struct("ItemStream")
            .field("header", header)
            .field("items", &items)
            .field("done", &done)
            .finish_non_exhaustive()
    }
}

impl<'i, T: FromXml> ItemStream<&'i [u8], T> {
    /// Opens a stream over a response in memory. A document in another encoding than UTF-8 (declared, or a
    /// UTF-16 byte order mark) is decoded a buffer at a time as its records are read, and yields the records
    /// [`read_document`](crate::xml::read_document) reads; an encoding this crate does not know is
    /// [`DecodeError::UnknownEncoding`](crate::xml::DecodeError::UnknownEncoding).
    pub fn from_bytes(bytes: &'i [u8], items: &'static [&'static str]) -> Result<Self, ReadError> {
        let encoding = crate::xml::encoding::document_encoding(bytes)
            .map_err(|e| ReadError::new(e.into(), 0))?;
        if encoding == encoding_rs::UTF_8 {
            return Self::new(XmlReader::from_bytes(bytes), items);
        }
        let records = Records::new(XmlReader::from_headed(bytes, usize::MAX)?, items)?;
        Ok(ItemStream(Stream::Decoded(records)))
    }
}

impl<R: BufRead, T: FromXml> ItemStream<HeadedSource<R>, T> {
    /// Opens a stream over a response arriving through `reader`. Its first bytes are read until they tell the
    /// encoding, however `reader` splits them, and judged as [`ItemStream::from_bytes`] judges them: a document
    /// in another encoding than UTF-8 is decoded a buffer at a time.
    pub fn from_reader(reader: R, items: &'static [&'static str]) -> Result<Self, ReadError> {
        Self::new(XmlReader::from_headed(reader, usize::MAX)?, items)
    }
}

impl<S: XmlSource, T: FromXml> ItemStream<S, T> {
    /// Reads the envelope up to the first record; `items` are the local names of the record elements.
    pub fn new(reader: XmlReader<S>, items: &'static [&'static str]) -> Result<Self, ReadError> {
        Ok(ItemStream(Stream::Direct(Records::new(reader, items)?)))
    }

    /// The envelope fields read so far.
    pub fn header(&self) -> &ResponseHeader {
        match &self.0 {
            Stream::Direct(records) => &records.header,
            Stream::Decoded(records) => &records.header,
        }
    }

    /// The drift met since the stream opened or this was last called (empty unless the reader given to
    /// [`Self::new`] records it: [`XmlReader::record_drift`]).
    pub fn take_drift(&mut self) -> crate::xml::Drift {
        match &mut self.0 {
            Stream::Direct(records) => records.reader.take_drift(),
            Stream::Decoded(records) => records.reader.take_drift(),
        }
    }
}

impl<S: XmlSource, T: FromXml> Iterator for ItemStream<S, T> {
    type Item = Result<T, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            Stream::Direct(records) => records.next(),
            Stream::Decoded(records) => records.next(),
        }
    }
}

impl<S: XmlSource, T: FromXml> Records<S, T> {
    fn new(mut reader: XmlReader<S>, items: &'static [&'static str]) -> Result<Self, ReadError> {
        let root = reader.root("ServiceResponse")?;
        reader.enter_drift_path(local_name(&root));
        let mut root_children = reader.children();
        let mut header = ResponseHeader::default();
        let mut seen_code = false;
        let data = read_header(&mut reader, &mut root_children, &mut header, &mut seen_code)
            .map_err(|e| e.within(&root))?;
        if !seen_code {
            return Err(ReadError::new(
                ReadErrorKind::MissingElement {
                    name: "responseCode",
                    parent: "ServiceResponse".to_owned(),
                },
                reader.position(),
            ));
        }
        let done = data.is_none();
        if done {
            reader.end_of_document()?;
        } else {
            reader.check_utf8(false)?;
        }
        Ok(Records {
            reader,
            header,
            items,
            root: root_children,
            data,
            done,
            item: PhantomData,
        })
    }

    fn next_item(&mut self) -> Result<Option<T>, ReadError> {
        if let Some(data) = self.data.as_mut() {
            while let Some(child) = data.next(&mut self.reader)? {
                if self
                    .items
                    .iter()
                    .any(|name| name.as_bytes() == local_name(&child))
                {
                    let item = self.reader.element(&child)?;
                    // Each record's bytes are checked once it is read, over a slice as over a `BufRead`.
                    self.reader.check_utf8(false)?;
                    return Ok(Some(item));
                }
                self.reader.skip_unknown(&child)?;
            }
            self.reader.leave_drift_path();
        }
        // After `</data>`: the rest of the envelope. `data` occurs once (a second one is an error, as when the
        // whole response is read), then what follows the document element is checked.
        self.data = None;
        let mut seen_code = true;
        let again = read_header(
            &mut self.reader,
            &mut self.root,
            &mut self.header,
            &mut seen_code,
        )?;
        if again.is_some() {
            return Err(ReadError::new(
                ReadErrorKind::RepeatedElement {
                    name: "data".to_owned(),
                },
                self.reader.position(),
            ));
        }
        self.reader.end_of_document()?;
        Ok(None)
    }
}

impl<S: XmlSource, T: FromXml> Records<S, T> {
    fn next(&mut self) -> Option<Result<T, ReadError>> {
        if self.done {
            return None;
        }
        match self.next_item() {
            Ok(Some(item)) => Some(Ok(item)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e.within_name("data").within_name("ServiceResponse")))
            }
        }
    }
}

/// Reads envelope fields up to `<data>` (returning the iteration over its children) or the envelope's end.
fn read_header<S: XmlSource>(
    reader: &mut XmlReader<S>,
    root: &mut Children,
    header: &mut ResponseHeader,
    seen_code: &mut bool,
) -> Result<Option<Children>, ReadError> {
    while let Some(child) = root.next(reader)? {
        // Each field occurs once, as when the whole response is read: a second one is `RepeatedElement`.
        match local_name(&child) {
            b"responseCode" => {
                reader.once(*seen_code, &child)?;
                header.response_code = reader.leaf(&child)?;
                *seen_code = true;
            }
            b"responseErrorDetails" => {
                reader.once(header.error_details.is_some(), &child)?;
                header.error_details = Some(reader.within(&child, read_error_details)?);
            }
            b"count" => {
                reader.once(header.count.is_some(), &child)?;
                header.count = reader.leaf_opt(&child)?;
            }
            b"hasMoreRecords" => {
                reader.once(header.has_more_records.is_some(), &child)?;
                header.has_more_records = reader.leaf_opt(&child)?;
            }
            b"lastId" => {
                reader.once(header.last_id.is_some(), &child)?;
                header.last_id = reader.leaf_opt(&child)?;
            }
            b"data" => {
                reader.enter_drift_path(b"data");
                return Ok(Some(reader.children()));
            }
            _ => reader.skip()?,
        }
    }
    Ok(None)
}

fn read_error_details<S: XmlSource>(reader: &mut XmlReader<S>) -> Result<ErrorDetails, ReadError> {
    let mut details = ErrorDetails::default();
    let (mut seen_message, mut seen_resolution) = (false, false);
    let mut children = reader.children();
    while let Some(child) = children.next(reader)? {
        match local_name(&child) {
            // Seen even when empty (and dropped), as the generated reader, which keeps it, sees it.
            b"errorMessage" => {
                reader.once(seen_message, &child)?;
                seen_message = true;
                details.message = reader.leaf_opt::<String>(&child)?.filter(|s| !s.is_empty());
            }
            b"errorResolution" => {
                reader.once(seen_resolution, &child)?;
                seen_resolution = true;
                details.resolution = reader.leaf_opt::<String>(&child)?.filter(|s| !s.is_empty());
            }
            b"internalErrorCodeId" => {
                reader.once(details.internal_code.is_some(), &child)?;
                details.internal_code = reader.leaf_opt(&child)?;
            }
            _ => reader.skip()?,
        }
    }
    Ok(details)
}
