//! Records read while the body arrives, against a real HTTP/1.1 server on 127.0.0.1 that sends its replies
//! piece by piece (chunked), pausing between pieces, stopping early or dropping the connection, and counts what
//! it managed to send.

mod support;

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use qps_runtime::envelope::ResponseEnvelope;
use qps_runtime::error::Error;
use qps_runtime::{BaseUrl, Client, PagingMode, Records};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpSocket;

use support::*;

// ---------------------------------------------------------------------------------------------------------
// A server that sends its replies piece by piece.

/// One reply.
struct Streamed {
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    /// The body, one HTTP chunk per piece, produced as it is sent.
    pieces: Box<dyn Iterator<Item = Vec<u8>> + Send>,
    /// The pause after each piece.
    pause: Duration,
    /// Whether the body ends properly; otherwise the connection is dropped after the last piece.
    complete: bool,
}

impl Streamed {
    fn xml(pieces: impl IntoIterator<Item = String, IntoIter: Send + 'static>) -> Self {
        Streamed {
            status: 200,
            headers: vec![("Content-Type", "application/xml")],
            pieces: Box::new(pieces.into_iter().map(String::into_bytes)),
            pause: Duration::ZERO,
            complete: true,
        }
    }

    fn paced(mut self, pause: Duration) -> Self {
        self.pause = pause;
        self
    }

    fn cut(mut self) -> Self {
        self.complete = false;
        self
    }
}

/// What the server managed to send of one reply.
#[derive(Debug, Default)]
struct Progress {
    pieces: AtomicUsize,
    bytes: AtomicU64,
    /// The whole reply was sent.
    finished: AtomicBool,
    /// A write failed: the client hung up.
    hung_up: AtomicBool,
}

impl Progress {
    fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::SeqCst)
    }
}

type Log = Arc<Mutex<Vec<Received>>>;

/// Serves `replies` in order, one per connection, with a small send buffer so that the server feels the
/// client's flow control early. Returns the progress of each reply.
async fn serve(replies: Vec<Streamed>) -> (BaseUrl, Log, Vec<Arc<Progress>>) {
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_send_buffer_size(32 * 1024).unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(16).unwrap();
    let base = BaseUrl::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap();
    let log: Log = Arc::default();
    let progress: Vec<Arc<Progress>> = replies.iter().map(|_| Arc::default()).collect();
    let (seen, sent) = (log.clone(), progress.clone());
    tokio::spawn(async move {
        for (reply, progress) in replies.into_iter().zip(sent) {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let Some(request) = read_request(&mut socket).await else {
                continue;
            };
            seen.lock().unwrap().push(request);
            // Each reply on its own task, so that a stalled one does not hold up the next connection.
            tokio::spawn(async move {
                let mut head = format!(
                    "HTTP/1.1 {} X\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n",
                    reply.status
                );
                for (k, v) in &reply.headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str("\r\n");
                if socket.write_all(head.as_bytes()).await.is_err() {
                    progress.hung_up.store(true, Ordering::SeqCst);
                    return;
                }
                for piece in reply.pieces {
                    let mut chunk = format!("{:x}\r\n", piece.len()).into_bytes();
                    chunk.extend_from_slice(&piece);
                    chunk.extend_from_slice(b"\r\n");
                    if socket.write_all(&chunk).await.is_err() {
                        progress.hung_up.store(true, Ordering::SeqCst);
                        return;
                    }
                    progress.pieces.fetch_add(1, Ordering::SeqCst);
                    progress
                        .bytes
                        .fetch_add(piece.len() as u64, Ordering::SeqCst);
                    if !reply.pause.is_zero() {
                        tokio::time::sleep(reply.pause).await;
                    }
                }
                if reply.complete {
                    if socket.write_all(b"0\r\n\r\n").await.is_err() {
                        progress.hung_up.store(true, Ordering::SeqCst);
                        return;
                    }
                    let _ = socket.flush().await;
                    progress.finished.store(true, Ordering::SeqCst);
                }
                // Dropping the socket closes the connection (before the last chunk, for a cut reply).
            });
        }
    });
    (base, log, progress)
}

// ---------------------------------------------------------------------------------------------------------
// Bodies.

/// The envelope up to `<data>`.
fn head(count: usize, more: Option<i64>) -> String {
    let paging = match more {
        Some(last_id) => format!("<hasMoreRecords>true</hasMoreRecords><lastId>{last_id}</lastId>"),
        None => "<hasMoreRecords>false</hasMoreRecords>".into(),
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServiceResponse>\n  <responseCode>SUCCESS</responseCode>\n  \
         <count>{count}</count>{paging}\n  <data>"
    )
}

/// One record: its id, and a name that pads it to about 200 bytes (skipped by the reader).
fn record(id: u64) -> String {
    format!(
        "<WebApp><id>{id}</id><name><![CDATA[{}]]></name></WebApp>",
        "x".repeat(160)
    )
}

const TAIL: &str = "</data>\n</ServiceResponse>\n";

/// The body for the records `ids`, `per_piece` records per piece, between `head` and the tail.
fn body(
    head: String,
    ids: impl Iterator<Item = u64> + Send + 'static,
    per_piece: usize,
) -> impl Iterator<Item = String> + Send + 'static {
    let mut ids = ids.peekable();
    let records = std::iter::from_fn(move || {
        ids.peek()?;
        Some(ids.by_ref().take(per_piece).map(record).collect::<String>())
    });
    std::iter::once(head)
        .chain(records)
        .chain(std::iter::once(TAIL.to_owned()))
}

fn search() -> SearchWebApps {
    SearchWebApps {
        after: None,
        limit: 1000,
    }
}

fn ids(records: &[WebApp]) -> Vec<i64> {
    records.iter().map(|r| r.id).collect()
}

async fn drain(mut records: Records<WebApp>) -> (Vec<i64>, Option<Error>) {
    let mut seen = Vec::new();
    loop {
        match records.try_next().await {
            Ok(Some(record)) => seen.push(record.id),
            Ok(None) => return (seen, None),
            Err(e) => {
                assert!(
                    records.try_next().await.unwrap().is_none(),
                    "an error ends the stream"
                );
                return (seen, Some(e));
            }
        }
    }
}

fn client_for(base: BaseUrl) -> Client {
    client(base, fast_retries(3))
}

/// One request at a time, so that a paged walk is sequential: the scripted server answers in arrival order,
/// which a pipelined walk (the next page asked for during a re-read) would change.
fn sequential_client_for(base: BaseUrl) -> Client {
    Client::builder()
        .base_url(base)
        .credentials(qps_runtime::Credentials::new("alice_q1", PASSWORD))
        .retry_policy(fast_retries(3))
        .concurrency_limit(1)
        .no_proxy()
        .build()
        .unwrap()
}

// ---------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn records_arrive_while_the_body_is_still_being_sent() {
    const RECORDS: u64 = 400;
    let reply =
        Streamed::xml(body(head(400, None), 1..=RECORDS, 10)).paced(Duration::from_millis(10));
    let (base, log, progress) = serve(vec![reply]).await;
    let started = Instant::now();
    let mut records = client_for(base).stream_items(&search()).await.unwrap();
    assert_eq!(records.header().count, Some(400));
    assert_eq!(records.header().has_more_records, Some(false));
    assert_eq!(records.http_status(), 200);

    let first = records.try_next().await.unwrap().unwrap();
    assert_eq!(first.id, 1);
    let sent = progress[0].pieces.load(Ordering::SeqCst);
    assert!(sent < 21, "the first record came after {sent} of 42 pieces");
    let first_after = started.elapsed();

    let mut all = vec![first];
    while let Some(record) = records.try_next().await.unwrap() {
        all.push(record);
    }
    assert_eq!(ids(&all), (1..=RECORDS as i64).collect::<Vec<_>>());
    assert_eq!(progress[0].pieces.load(Ordering::SeqCst), 42);
    // About 42 pieces 10 ms apart: the first record came long before the last.
    assert!(
        started.elapsed() > first_after + Duration::from_millis(200),
        "first after {first_after:?}, all after {:?}",
        started.elapsed()
    );
    assert!(
        records.try_next().await.unwrap().is_none(),
        "fused at the end"
    );
    assert_eq!(log.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_failed_envelope_is_an_api_error_before_any_record() {
    let failed = |count: &str| {
        Streamed::xml([
            "<ServiceResponse>\n  <responseCode>INVALID_REQUEST</respon".to_owned(),
            format!(
                "seCode>\n  <responseErrorDetails><errorMessage><![CDATA[\n Bad criteria \n]]></errorMessage>\
                 <errorResolution>Fix the filter</errorResolution></responseErrorDetails>{count}</ServiceResponse>"
            ),
        ])
    };
    let mut server_error = failed("");
    server_error.status = 500;
    let replies = vec![
        failed("<count>0</count>"),
        // A count the header reader cannot take: the code is still found.
        failed("<count>none</count>"),
        server_error,
    ];
    let (base, log, _) = serve(replies).await;
    let client = client_for(base);
    for status in [200, 200, 500] {
        let err = client.stream_items(&search()).await.unwrap_err();
        match &err {
            Error::Api {
                code,
                message,
                resolution,
                http_status,
                ..
            } => {
                assert_eq!(code, "INVALID_REQUEST");
                assert_eq!(message.as_deref(), Some("Bad criteria"));
                assert_eq!(resolution.as_deref(), Some("Fix the filter"));
                assert_eq!(*http_status, status);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(log.lock().unwrap().len(), 3, "an API error is not retried");
}

#[tokio::test]
async fn a_failed_first_page_ends_the_walk_with_the_api_error() {
    let reply = Streamed::xml([
        "<ServiceResponse><responseCode>UNAUTHORIZED</responseCode></ServiceResponse>".to_owned(),
    ]);
    let (base, _, _) = serve(vec![reply]).await;
    let mut pages = client_for(base).paginate(search(), PagingMode::Id { page_size: 10 });
    let err = pages.try_next().await.unwrap_err();
    assert_eq!(err.api_code(), Some("UNAUTHORIZED"));
    assert!(pages.try_next().await.unwrap().is_none());
}

#[tokio::test]
async fn a_connection_dropped_mid_body_ends_the_stream_with_a_transport_error() {
    let pieces = body(head(100, None), 1..=25, 5)
        .take(6) // the head and 25 records, no tail
        .chain(std::iter::once("<WebApp><id>26</i".to_owned()));
    let reply = Streamed::xml(pieces).paced(Duration::from_millis(2)).cut();
    let (base, log, _) = serve(vec![reply, Streamed::xml(body(head(1, None), 1..=1, 1))]).await;
    let records = client_for(base).stream_items(&search()).await.unwrap();
    let (seen, err) = drain(records).await;
    assert_eq!(
        seen,
        (1..=25).collect::<Vec<_>>(),
        "every whole record first"
    );
    assert!(matches!(err, Some(Error::Transport(_))), "{err:?}");
    assert_eq!(
        log.lock().unwrap().len(),
        1,
        "records were handed out: nothing is sent again"
    );
}

#[tokio::test]
async fn a_malformed_record_ends_the_stream_with_an_xml_error() {
    let pieces = [
        head(3, None),
        record(1),
        "<WebApp><id>two</id></WebApp>".to_owned(),
        record(3),
        TAIL.to_owned(),
    ];
    let (base, _, _) = serve(vec![Streamed::xml(pieces)]).await;
    let records = client_for(base).stream_items(&search()).await.unwrap();
    let (seen, err) = drain(records).await;
    assert_eq!(seen, [1]);
    let err = err.unwrap();
    assert!(matches!(err, Error::Xml { .. }), "{err:?}");
    let shown = err.to_string();
    assert!(
        shown.contains("Response (HTTP 200)") && shown.contains("WebApp/id"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_slow_consumer_holds_the_server_back_and_dropping_the_stream_hangs_up() {
    // About 200 MB if it were all sent.
    const RECORDS: u64 = 1_000_000;
    let reply = Streamed::xml(body(head(1_000_000, None), 1..=RECORDS, 50));
    let (base, _, progress) = serve(vec![reply]).await;
    let progress = progress[0].clone();
    let total = RECORDS * record(1).len() as u64;

    let mut records = client_for(base).stream_items(&search()).await.unwrap();
    assert_eq!(records.try_next().await.unwrap().unwrap().id, 1);
    // The consumer pauses: the pipeline fills, then the server stalls.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let filled = progress.bytes();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let later = progress.bytes();
    assert!(
        later - filled <= 512 * 1024,
        "the server kept sending while the consumer was paused: {filled} then {later} bytes"
    );
    assert!(
        filled < total / 8,
        "{filled} of {total} bytes sent to a paused consumer"
    );

    // Reading on lets the server go on.
    for id in 2..=20_000 {
        assert_eq!(records.try_next().await.unwrap().unwrap().id, id);
    }
    assert!(progress.bytes() > later);

    // Dropping the stream hangs up: the server's next write fails.
    drop(records);
    let deadline = Instant::now() + Duration::from_secs(5);
    while !progress.hung_up.load(Ordering::SeqCst) {
        assert!(Instant::now() < deadline, "the connection stayed open");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(!progress.finished.load(Ordering::SeqCst));
}

#[tokio::test]
async fn a_body_cut_before_the_envelope_header_is_sent_again_only_when_safe() {
    let cut =
        || Streamed::xml(["<?xml version=\"1.0\"?>\n<ServiceResponse><respo".to_owned()]).cut();
    let whole = || Streamed::xml(body(head(2, None), 1..=2, 1));

    let (base, log, _) = serve(vec![cut(), whole()]).await;
    let records = client_for(base).stream_items(&search()).await.unwrap();
    let (seen, err) = drain(records).await;
    assert!(seen == [1, 2] && err.is_none(), "{seen:?} {err:?}");
    assert_eq!(log.lock().unwrap().len(), 2, "a search is sent again");

    let (base, log, _) = serve(vec![cut(), whole()]).await;
    let err = client_for(base)
        .stream_items(&CreateWebApp("shop"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(
        log.lock().unwrap().len(),
        1,
        "a create that may have run is sent once"
    );
}

#[tokio::test]
async fn refusals_are_retried_and_a_page_that_is_not_xml_is_reported() {
    let refused = Streamed {
        status: 409,
        headers: vec![("X-RateLimit-ToWait-Sec", "0")],
        ..Streamed::xml(["<html>busy</html>".to_owned()])
    };
    let html = Streamed {
        headers: vec![("Content-Type", "text/html")],
        ..Streamed::xml([
            "\n  <!DOCTYPE html>\n<html><body>Maint".to_owned(),
            "enance until 10:00 UTC, please come back later.</body></html>".to_owned(),
        ])
    };
    let (base, log, _) = serve(vec![refused, html]).await;
    let err = client_for(base).stream_items(&search()).await.unwrap_err();
    match &err {
        Error::NotXml {
            status,
            content_type,
            snippet,
        } => {
            assert_eq!(*status, 200);
            assert_eq!(content_type.as_deref(), Some("text/html"));
            assert!(snippet.contains("Maintenance until 10:00 UTC"), "{snippet}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(log.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn paging_reads_a_page_cut_short_again_and_skips_what_was_yielded() {
    let first = || body(head(5, Some(5)), 1..=5, 1);
    let replies = vec![
        // The head and 3 records, then the connection drops.
        Streamed::xml(first().take(4)).cut(),
        Streamed::xml(first()),
        Streamed::xml(body(head(2, None), 6..=7, 1)),
    ];
    let (base, log, _) = serve(replies).await;
    let mut pages = sequential_client_for(base).paginate(search(), PagingMode::Id { page_size: 5 });
    let mut seen = Vec::new();
    while let Some(record) = pages.try_next().await.unwrap() {
        seen.push(record.id);
    }
    assert_eq!(seen, (1..=7).collect::<Vec<_>>(), "each record once");
    assert_eq!(pages.pages_fetched(), 2);
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].body, log[1].body, "the same page asked for again");
    assert!(
        log[2]
            .body
            .contains(r#"<Criteria field="id" operator="GREATER">5</Criteria>"#)
    );
}

#[tokio::test]
async fn paging_stops_when_a_page_read_again_is_not_the_same() {
    let replies = vec![
        Streamed::xml(body(head(5, Some(5)), 1..=5, 1).take(4)).cut(),
        // Read again, the page ends elsewhere: a record was added or removed in between.
        Streamed::xml(body(head(5, Some(6)), [1, 2, 3, 4, 6].into_iter(), 1)),
    ];
    let (base, log, _) = serve(replies).await;
    let mut pages = sequential_client_for(base).paginate(search(), PagingMode::Id { page_size: 5 });
    let mut seen = Vec::new();
    let err = loop {
        match pages.try_next().await {
            Ok(Some(record)) => seen.push(record.id),
            Ok(None) => panic!("the walk went on over a changed page: {seen:?}"),
            Err(e) => break e,
        }
    };
    assert_eq!(seen, [1, 2, 3]);
    assert!(
        matches!(err, Error::Protocol(ref m) if m.contains("lastId")),
        "{err:?}"
    );
    assert!(pages.try_next().await.unwrap().is_none());
    assert_eq!(log.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn tiny_pieces_and_a_byte_order_mark_read_the_same_as_a_whole_body() {
    let whole: String = body(head(30, Some(30)), 1..=30, 30).collect();
    let with_bom = format!("\u{feff}{whole}");
    // Pieces of 3 bytes: tags, texts and the byte order mark itself are split across pieces.
    let pieces: Vec<Vec<u8>> = with_bom.as_bytes().chunks(3).map(<[u8]>::to_vec).collect();
    let reply = Streamed {
        pieces: Box::new(pieces.into_iter()),
        ..Streamed::xml(Vec::<String>::new())
    };
    let (base, _, _) = serve(vec![reply, Streamed::xml([whole])]).await;
    let client = client_for(base);
    let records = client.stream_items(&search()).await.unwrap();
    assert_eq!(records.header().last_id, Some(30));
    let streamed = records.try_collect().await.unwrap();
    let parsed = client.execute(&search()).await.unwrap();
    assert_eq!(parsed.last_id(), Some(30));
    assert_eq!(streamed, parsed.into_items());
}

#[tokio::test]
async fn a_utf16_body_in_tiny_pieces_reads_the_same_as_a_utf8_one() {
    let whole: String = body(head(30, Some(30)), 1..=30, 30).collect();
    let mut utf16 = vec![0xFE, 0xFF];
    for unit in whole.replace("UTF-8", "UTF-16").encode_utf16() {
        utf16.extend_from_slice(&unit.to_be_bytes());
    }
    // Pieces of 3 bytes: code units, the byte order mark and the declaration split across pieces.
    let pieces = |bytes: &[u8]| -> Vec<Vec<u8>> { bytes.chunks(3).map(<[u8]>::to_vec).collect() };
    let reply = |bytes: Vec<Vec<u8>>| Streamed {
        pieces: Box::new(bytes.into_iter()),
        ..Streamed::xml(Vec::<String>::new())
    };
    let (base, _, _) = serve(vec![
        reply(pieces(&utf16)),
        reply(vec![utf16.clone()]),
        Streamed::xml([whole]),
    ])
    .await;
    let client = client_for(base);
    let records = client.stream_items(&search()).await.unwrap();
    assert_eq!(records.header().last_id, Some(30));
    let streamed = records.try_collect().await.unwrap();
    assert_eq!(ids(&streamed), (1..=30).collect::<Vec<_>>());
    let whole_utf16 = client.execute(&search()).await.unwrap();
    let utf8 = client.execute(&search()).await.unwrap();
    assert_eq!(streamed, utf8.into_items());
    assert_eq!(streamed, whole_utf16.into_items());
}
