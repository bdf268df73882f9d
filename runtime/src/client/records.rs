//! The records of a `ServiceResponse`, read while its body arrives, so that memory stays flat whatever the size
//! of the response.
//!
//! [`Client::stream_items`](crate::client::Client::stream_items) (and the paginator, for each page) sends the call
//! as usual, retries included, up to the response head. From there three parts run side by side:
//! - the *pump*, an async task, reads the body chunk by chunk and passes the chunks on through a bounded channel;
//! - the *reader*, a blocking task, reads those chunks as a [`BufRead`] with [`ItemStream`]: first the envelope
//!   fields before `<data>` (`responseCode`, `count`, `hasMoreRecords`, `lastId`), then one record at a time,
//!   each sent on through a second bounded channel;
//! - [`Records`], the stream the caller polls, receives them.
//!
//! Back-pressure: when the caller stops polling, the record channel fills and the reader blocks; then the chunk
//! channel fills and the pump stops reading the body, so the connection's flow control stalls the server. At
//! most [`CHUNKS_IN_FLIGHT`] chunks and [`RECORDS_IN_FLIGHT`] records are held besides the one being read.
//!
//! Errors: a `responseCode` other than `SUCCESS` is reported as [`Error::Api`] before any record (the call then
//! fails as a whole, like [`Client::execute`](crate::client::Client::execute)); a transport failure once records
//! have been handed out ends the stream with [`Error::Transport`], a malformed record with [`Error::Xml`]. A
//! transport failure before the envelope fields have been read is retried like a failed send (for retry-safe
//! calls only), since nothing has reached the caller yet.
//!
//! Cancellation: dropping [`Records`] stops the pump, which drops the response and with it the connection; the
//! reader then sees the body end and stops too.
//!
//! Two limits to know: the client's [`timeout`](crate::client::ClientBuilder::timeout) covers the whole body (the
//! stream ends with [`Error::Timeout`] once it has passed), so a caller that pauses long enough on a large response
//! makes it fail; and each open stream occupies one thread of tokio's blocking pool until it ends or is dropped.

use std::future::Future;
use std::io::{self, BufRead, Read};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Instant;

use bytes::{Buf, Bytes};
use futures_core::Stream;
use tokio::sync::{mpsc, oneshot};

use super::Deadline;
use super::builder::Timeouts;
use super::limiter::Permit;
use tracing::Instrument as _;

use super::drift::DriftLog;
use super::try_stream::{collect_records, next_record};
use crate::client::retry::{Jitter, RateLimitHints, RetryPolicy};
use crate::envelope::read_status;
use crate::envelope::{ItemStream, ResponseHeader};
use crate::error::{Error, TimeoutKind, TransportError};
use crate::xml::{Drift, FromXml, Limits, XmlReader};

/// How many body chunks may wait between the pump and the reader.
pub const CHUNKS_IN_FLIGHT: usize = 4;

/// How many records may wait between the reader and the caller.
pub const RECORDS_IN_FLIGHT: usize = 16;

/// How many bytes of the body the reader keeps, to find the `responseCode` of an envelope whose header cannot be
/// read.
const KEPT_FOR_STATUS: usize = 16 * 1024;

/// What the reader sends.
enum Message<T> {
    /// The envelope fields before `<data>`; always first, unless `Failed` is.
    Header(ResponseHeader),
    Item(T),
    /// The end of the envelope, with the fields as finally read and the drift of the records.
    End(ResponseHeader, Drift),
    Failed(Error),
}

/// The records of one response, yielded as they are read from its body (see the [module docs](self)).
///
/// Also a [`Stream`] of `Result<T, Error>`; an error ends it. Dropping it cancels the rest of the body.
pub struct Records<T> {
    header: ResponseHeader,
    http_status: u16,
    messages: mpsc::Receiver<Message<T>>,
    /// Dropped with the stream, which tells the pump to stop.
    _cancel: oneshot::Sender<()>,
    /// The end of the call's time.
    deadline: Pin<Box<tokio::time::Sleep>>,
    deadline_error: Error,
    done: bool,
    /// The drift of the response, once it has ended.
    drift: Drift,
    /// Where that drift is added (the client's), and the call it came from.
    sink: Option<(Arc<DriftLog>, String)>,
}

impl<T> std::fmt::Debug for Records<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Records")
            .field("header", &self.header)
            .field("http_status", &self.http_status)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T> Records<T> {
    /// The envelope fields: those before `<data>` at first, and once the stream has ended, any sent after it too.
    pub fn header(&self) -> &ResponseHeader {
        &self.header
    }

    /// The HTTP status of the response.
    pub fn http_status(&self) -> u16 {
        self.http_status
    }

    /// The next record, `Ok(None)` at the end.
    pub async fn try_next(&mut self) -> Result<Option<T>, Error> {
        next_record(self).await
    }

    /// Every remaining record, or the first error.
    pub async fn try_collect(self) -> Result<Vec<T>, Error> {
        collect_records(self).await
    }

    /// The drift of the response's records (see [`crate::xml::drift`]): empty until the stream has ended.
    pub fn drift(&self) -> &Drift {
        &self.drift
    }

    /// Adds the drift to `sink` when the stream ends.
    pub(crate) fn drift_to(mut self, sink: (Arc<DriftLog>, String)) -> Self {
        self.sink = Some(sink);
        self
    }
}

impl<T> Stream for Records<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        while !this.done {
            if this.deadline.as_mut().poll(cx).is_ready() {
                let error = std::mem::replace(
                    &mut this.deadline_error,
                    Error::Protocol("the call's deadline was reported already".into()),
                );
                this.done = true;
                this.messages.close();
                return Poll::Ready(Some(Err(error)));
            }
            let message = ready!(this.messages.poll_recv(cx));
            let result = match message {
                Some(Message::Item(item)) => return Poll::Ready(Some(Ok(item))),
                Some(Message::Header(_)) => continue,
                Some(Message::End(header, drift)) => {
                    this.header = header;
                    if let Some((log, call)) = &this.sink {
                        log.absorb(&drift, call);
                    }
                    this.drift = drift;
                    None
                }
                // A connect or idle timeout is reported as the `Error::Timeout` it is.
                Some(Message::Failed(Error::Transport(e))) => Some(Err(e.into())),
                Some(Message::Failed(e)) => Some(Err(e)),
                // The reader sends `End` or `Failed` before it stops, unless it panicked.
                None => Some(Err(Error::Protocol(
                    "the response reader stopped before the end of the envelope".into(),
                ))),
            };
            this.done = true;
            this.messages.close();
            return Poll::Ready(result);
        }
        Poll::Ready(None)
    }
}

// Nothing is pinned structurally.
impl<T> Unpin for Records<T> {}

/// A future opening a response as records.
pub(crate) type OpenFuture<'a, T> =
    Pin<Box<dyn Future<Output = Result<Records<T>, Error>> + Send + 'a>>;

/// The records of one page of a search, read again from where they stopped if the body fails midway.
///
/// A search is retry-safe, so a page cut short (a dropped connection, a truncated body) is fetched again, as the
/// retry policy allows, and the records already yielded are skipped. The second answer must be the same page:
/// the same `count`, `hasMoreRecords` and `lastId` (in id mode a record added or removed inside the page changes
/// its `lastId`), with at least as many records; otherwise the walk ends with [`Error::Protocol`] rather than
/// risk a gap or a duplicate.
pub(crate) struct ResumingPage<'a, T> {
    reopen: Box<dyn FnMut() -> OpenFuture<'a, T> + Send + 'a>,
    records: Option<Records<T>>,
    reopening: Option<OpenFuture<'a, T>>,
    waiting: Option<Pin<Box<tokio::time::Sleep>>>,
    first: ResponseHeader,
    yielded: u64,
    to_skip: u64,
    policy: RetryPolicy,
    jitter: Jitter,
    started: Instant,
    reads: u32,
    done: bool,
}

impl<'a, T> ResumingPage<'a, T> {
    /// Reads `records`, reopening the page with `reopen` when its body fails.
    pub(crate) fn new(
        records: Records<T>,
        policy: RetryPolicy,
        reopen: impl FnMut() -> OpenFuture<'a, T> + Send + 'a,
    ) -> Self {
        ResumingPage {
            reopen: Box::new(reopen),
            first: records.header.clone(),
            records: Some(records),
            reopening: None,
            waiting: None,
            yielded: 0,
            to_skip: 0,
            policy,
            jitter: Jitter::random(),
            started: Instant::now(),
            reads: 1,
            done: false,
        }
    }

    fn fail(&mut self, error: Error) -> Poll<Option<Result<T, Error>>> {
        self.done = true;
        self.records = None;
        Poll::Ready(Some(Err(error)))
    }

    fn changed(&self, what: &str) -> Error {
        Error::Protocol(format!(
            "a page cut short after {} record(s) was read again, but {what}",
            self.yielded
        ))
    }
}

impl<T> Stream for ResumingPage<'_, T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            if let Some(wait) = this.waiting.as_mut() {
                ready!(wait.as_mut().poll(cx));
                this.waiting = None;
                this.reopening = Some((this.reopen)());
            }
            if let Some(opening) = this.reopening.as_mut() {
                let result = ready!(opening.as_mut().poll(cx));
                this.reopening = None;
                match result {
                    Ok(records) => {
                        let (a, b) = (&this.first, &records.header);
                        if (a.count, a.has_more_records, a.last_id)
                            != (b.count, b.has_more_records, b.last_id)
                        {
                            let e = this.changed("its count, hasMoreRecords or lastId changed");
                            return this.fail(e);
                        }
                        this.to_skip = this.yielded;
                        this.records = Some(records);
                    }
                    Err(e) => return this.fail(e),
                }
                continue;
            }
            let Some(records) = this.records.as_mut() else {
                return Poll::Ready(None);
            };
            match ready!(Pin::new(records).poll_next(cx)) {
                Some(Ok(_)) if this.to_skip > 0 => this.to_skip -= 1,
                Some(Ok(item)) => {
                    this.yielded += 1;
                    return Poll::Ready(Some(Ok(item)));
                }
                Some(Err(
                    e @ (Error::Transport(_)
                    | Error::Timeout {
                        which: TimeoutKind::Idle | TimeoutKind::Connect,
                        ..
                    }),
                )) => {
                    let elapsed = this.started.elapsed();
                    let delay = this.policy.next_delay(
                        this.reads,
                        elapsed,
                        &RateLimitHints::default(),
                        &mut this.jitter,
                    );
                    let Some(delay) = delay else {
                        return this.fail(e);
                    };
                    tracing::info!(
                        error = %e,
                        records = this.yielded,
                        delay_ms = delay.as_millis() as u64,
                        "page cut short; reading it again"
                    );
                    this.reads += 1;
                    this.records = None;
                    this.waiting = Some(Box::pin(tokio::time::sleep(delay)));
                }
                Some(Err(e)) => return this.fail(e),
                None if this.to_skip > 0 => {
                    let e = this.changed("it has fewer records");
                    return this.fail(e);
                }
                None => {
                    this.done = true;
                    return Poll::Ready(None);
                }
            }
        }
    }
}

/// Why a response could not be opened as records.
pub(crate) enum OpenError {
    /// The body failed before the envelope fields were read: nothing reached the caller, so a retry-safe call
    /// may be sent again.
    BodyFailed(TransportError),
    /// Anything else: final.
    Other(Error),
}

/// A response whose body is being read, up to its envelope fields.
pub(crate) struct Opening<T> {
    http_status: u16,
    messages: mpsc::Receiver<Message<T>>,
    cancel: oneshot::Sender<()>,
    deadline: Deadline,
}

impl<T> Opening<T> {
    /// Waits for the envelope fields; a failed `responseCode` is the [`Error::Api`] it stands for.
    pub(crate) async fn header(mut self, call: &tracing::Span) -> Result<Records<T>, OpenError> {
        match self.messages.recv().await {
            Some(Message::Header(header)) => {
                call.record("response_code", header.response_code.as_str());
                if !header.is_success() {
                    return Err(OpenError::Other(
                        header.status().into_error(self.http_status),
                    ));
                }
                Ok(Records {
                    header,
                    http_status: self.http_status,
                    messages: self.messages,
                    _cancel: self.cancel,
                    deadline: Box::pin(tokio::time::sleep_until(self.deadline.at)),
                    deadline_error: self.deadline.error(),
                    done: false,
                    drift: Drift::new(),
                    sink: None,
                })
            }
            Some(Message::Failed(Error::Transport(e))) => Err(OpenError::BodyFailed(e)),
            Some(Message::Failed(e)) => {
                if let Error::Api { code, .. } = &e {
                    call.record("response_code", code.as_str());
                }
                Err(OpenError::Other(e))
            }
            Some(Message::Item(_) | Message::End(..)) | None => Err(OpenError::Other(
                Error::Protocol("the response reader stopped before the envelope header".into()),
            )),
        }
    }
}

/// How to read the records of a response.
pub(crate) struct Reading {
    /// The client's concurrency cap, held until the body has been read or dropped.
    pub permit: Permit,
    /// The record elements inside `<data>`.
    pub item_elements: &'static [&'static str],
    /// The envelope type, named in read errors.
    pub type_name: &'static str,
    /// What the records' XML may not exceed.
    pub limits: Limits,
    pub timeouts: Timeouts,
    pub deadline: Deadline,
}

/// Starts reading the records of `response`, whose first bytes `head` have already been read from it.
pub(crate) fn start<T: FromXml + Send + 'static>(
    response: reqwest::Response,
    head: Bytes,
    reading: Reading,
    call: &tracing::Span,
) -> Opening<T> {
    let Reading {
        permit,
        item_elements,
        type_name,
        limits,
        timeouts,
        deadline,
    } = reading;
    let http_status = response.status().as_u16();
    let (chunks_tx, chunks_rx) = mpsc::channel(CHUNKS_IN_FLIGHT);
    let (messages_tx, messages_rx) = mpsc::channel(RECORDS_IN_FLIGHT);
    let (cancel_tx, cancel_rx) = oneshot::channel();
    tokio::spawn(pump(response, head, chunks_tx, cancel_rx, permit).instrument(call.clone()));
    let reader = Reader {
        body: BodyReader::new(chunks_rx),
        item_elements,
        limits,
        context: format!("{type_name} (HTTP {http_status})"),
        http_status,
        timeouts,
        messages: messages_tx,
    };
    let span = call.clone();
    tokio::task::spawn_blocking(move || span.in_scope(|| reader.run()));
    Opening {
        http_status,
        messages: messages_rx,
        cancel: cancel_tx,
        deadline,
    }
}

type Chunk = Result<Bytes, reqwest::Error>;

/// Moves the body into the chunk channel until it ends, fails, or nobody wants it any more.
async fn pump(
    mut response: reqwest::Response,
    head: Bytes,
    chunks: mpsc::Sender<Chunk>,
    mut cancel: oneshot::Receiver<()>,
    _permit: Permit,
) {
    let mut next: Option<Chunk> = (!head.is_empty()).then_some(Ok(head));
    loop {
        let chunk = match next.take() {
            Some(chunk) => chunk,
            None => {
                let read = tokio::select! {
                    biased;
                    _ = &mut cancel => return,
                    read = response.chunk() => read,
                };
                match read {
                    Ok(Some(bytes)) => Ok(bytes),
                    Ok(None) => return,
                    Err(e) => Err(e),
                }
            }
        };
        let last = chunk.is_err();
        let sent = tokio::select! {
            biased;
            _ = &mut cancel => return,
            sent = chunks.send(chunk) => sent,
        };
        if sent.is_err() || last {
            // The reader has stopped (at the end of the envelope, or on an error), or the body failed.
            return;
        }
    }
}

/// The blocking side: reads the records from the chunks and sends them on.
struct Reader<T> {
    body: BodyReader,
    item_elements: &'static [&'static str],
    limits: Limits,
    context: String,
    http_status: u16,
    timeouts: Timeouts,
    messages: mpsc::Sender<Message<T>>,
}

impl<T: FromXml> Reader<T> {
    fn run(mut self) {
        let opened = XmlReader::from_headed(&mut self.body, usize::MAX).and_then(|reader| {
            let mut reader = reader.with_limits(self.limits);
            reader.record_drift();
            ItemStream::<_, T>::new(reader, self.item_elements)
        });
        let failure = match opened {
            Ok(mut records) => {
                let header = records.header().clone();
                let success = header.is_success();
                if self
                    .messages
                    .blocking_send(Message::Header(header))
                    .is_err()
                    || !success
                {
                    return;
                }
                loop {
                    let message = match records.next() {
                        Some(Ok(item)) => Message::Item(item),
                        Some(Err(e)) => break e,
                        None => Message::End(records.header().clone(), records.take_drift()),
                    };
                    let end = matches!(message, Message::End(..));
                    if self.messages.blocking_send(message).is_err() || end {
                        return;
                    }
                }
            }
            Err(e) => {
                // A failed envelope that the header reader cannot take (a malformed count, say) still reports
                // the API error it carries.
                let failed = read_status(&self.body.kept).filter(|status| !status.is_success());
                if let (Some(status), None) = (failed, &self.body.failure) {
                    let _ = self
                        .messages
                        .blocking_send(Message::Failed(status.into_error(self.http_status)));
                    return;
                }
                e
            }
        };
        let error = match self.body.failure.take() {
            Some(transport) => {
                Error::Transport(TransportError::from_reqwest(transport, &self.timeouts))
            }
            None => Error::xml(self.context, failure),
        };
        let _ = self.messages.blocking_send(Message::Failed(error));
    }
}

/// The chunk channel as a [`BufRead`]. A transport failure reads as an I/O error, and is kept to be reported as
/// itself rather than as the XML error it causes.
struct BodyReader {
    chunks: mpsc::Receiver<Chunk>,
    current: Bytes,
    ended: bool,
    failed: bool,
    failure: Option<reqwest::Error>,
    /// The first [`KEPT_FOR_STATUS`] bytes consumed.
    kept: Vec<u8>,
}

impl BodyReader {
    fn new(chunks: mpsc::Receiver<Chunk>) -> Self {
        BodyReader {
            chunks,
            current: Bytes::new(),
            ended: false,
            failed: false,
            failure: None,
            kept: Vec::new(),
        }
    }
}

impl BufRead for BodyReader {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.current.is_empty() && !self.ended {
            match self.chunks.blocking_recv() {
                Some(Ok(bytes)) => self.current = bytes,
                Some(Err(e)) => {
                    self.failure = Some(e);
                    self.failed = true;
                    self.ended = true;
                }
                // The pump stopped: the body ended (or was cancelled).
                None => self.ended = true,
            }
        }
        if self.current.is_empty() && self.failed {
            return Err(io::Error::other("the response body was cut short"));
        }
        Ok(&self.current)
    }

    fn consume(&mut self, amount: usize) {
        let room = KEPT_FOR_STATUS.saturating_sub(self.kept.len());
        self.kept
            .extend_from_slice(&self.current[..amount.min(room)]);
        self.current.advance(amount);
    }
}

impl Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}
