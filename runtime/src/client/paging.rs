//! Following a search across pages, as a [`Stream`] of records.
//!
//! QPS pages a search in one of two ways, both with `preferences/limitResults` as the page size (default 100,
//! at most 1000):
//! - by offset: `preferences/startFromOffset` (1-based) advances by the page size;
//! - by id: each next page adds the criterion `id GREATER <lastId>`, `lastId` being the previous page's (or,
//!   for resources whose `id` criterion has no `GREATER`, such as SAQ's, sets `startFromId` to `lastId + 1`).
//!   This is stable while records are added or removed during the walk.
//!
//! The walk ends when a page's `hasMoreRecords` is false or absent (a search with no match returns only
//! `count` 0). A server that claims more records but makes no progress would otherwise make the stream loop
//! forever, so the stream ends with [`Error::Protocol`] when a page that `hasMoreRecords`
//! - is empty, or
//! - repeats the previous page's `lastId` (in id mode: does not move past it), or
//! - lacks `lastId` in id mode, where it is the only way forward.
//!
//! (In offset mode without `lastId` a repeated page cannot be recognised, but the offset still advances.)
//!
//! Each page is read as a stream: its `hasMoreRecords` and `lastId` (which QPS sends before `<data>`) are
//! checked as soon as they arrive, so the records of a page that repeats or goes back are not yielded (they
//! are likely duplicates); an empty page is recognised at its end. A page's records are yielded as its body
//! delivers them, so memory stays flat whatever the size of the search (see [`crate::client::records`]). After
//! yielding an error the stream is finished, and dropping it cancels the body being read.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;

use super::records::Records;
use super::try_stream::{collect_records, next_record};
use crate::envelope::ResponseEnvelope;
use crate::error::Error;

/// The largest `limitResults` QPS accepts.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// How to walk the pages, and how many records to ask for per page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagingMode {
    /// `startFromOffset` 1, 1 + n, 1 + 2n, … with `limitResults` n.
    Offset {
        /// Records per page (clamped to 1..=1000).
        page_size: u32,
    },
    /// `id GREATER lastId` with `limitResults` n; the first page has no id criterion.
    Id {
        /// Records per page (clamped to 1..=1000).
        page_size: u32,
    },
}

impl PagingMode {
    fn first_cursor(self) -> Cursor {
        match self {
            PagingMode::Offset { page_size } => Cursor::Offset {
                start: 1,
                limit: clamp(page_size),
            },
            PagingMode::Id { page_size } => Cursor::AfterId {
                after: None,
                limit: clamp(page_size),
            },
        }
    }
}

impl Default for PagingMode {
    /// Id mode with the maximum page size: the fewest calls, and stable under concurrent changes.
    fn default() -> Self {
        PagingMode::Id {
            page_size: MAX_PAGE_SIZE,
        }
    }
}

fn clamp(page_size: u32) -> u32 {
    page_size.clamp(1, MAX_PAGE_SIZE)
}

/// Which page to fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    /// Set `startFromOffset` to `start` (1-based) and `limitResults` to `limit`.
    Offset {
        /// 1-based offset of the page's first record.
        start: u32,
        /// Page size.
        limit: u32,
    },
    /// Add `<Criteria field="id" operator="GREATER">after</Criteria>` (or set `startFromId` to `after + 1`
    /// where the resource documents no `id GREATER`) when `after` is set, and set `limitResults` to `limit`.
    AfterId {
        /// The previous page's `lastId`; `None` for the first page.
        after: Option<i64>,
        /// Page size.
        limit: u32,
    },
}

impl Cursor {
    /// The page size.
    pub fn limit(&self) -> u32 {
        match *self {
            Cursor::Offset { limit, .. } | Cursor::AfterId { limit, .. } => limit,
        }
    }
}

/// A search request that can be aimed at a page. Generated search endpoints implement it by setting their
/// `preferences` and adding the id criterion.
pub trait Pageable: Clone {
    /// Sets the request up to fetch the page `cursor` names.
    fn set_cursor(&mut self, cursor: &Cursor);
}

/// One fetched page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The records, in order.
    pub items: Vec<T>,
    /// `hasMoreRecords`, with absent read as false.
    pub has_more: bool,
    /// `lastId`, if sent.
    pub last_id: Option<i64>,
}

impl<T> Page<T> {
    /// The page a `ServiceResponse` holds.
    pub fn from_envelope<E: ResponseEnvelope<Item = T>>(env: E) -> Self {
        let has_more = env.has_more_records().unwrap_or(false);
        let last_id = env.last_id();
        Page {
            items: env.into_items(),
            has_more,
            last_id,
        }
    }
}

/// A stream of one page's records, as the paginator reads them.
pub type PageItems<'a, T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send + 'a>>;

/// One page as it arrives: the envelope fields that drive paging (QPS sends them before `<data>`), then the
/// records, read one at a time. The client builds it from a [`Records`] stream; a
/// buffered [`Page`] converts into one too.
pub struct PageStream<'a, T> {
    /// `hasMoreRecords`, with absent read as false.
    pub has_more: bool,
    /// `lastId`, if sent.
    pub last_id: Option<i64>,
    /// The records, in order.
    pub items: PageItems<'a, T>,
}

impl<T> std::fmt::Debug for PageStream<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageStream")
            .field("has_more", &self.has_more)
            .field("last_id", &self.last_id)
            .finish_non_exhaustive()
    }
}

impl<'a, T: Send + 'a> From<Page<T>> for PageStream<'a, T> {
    fn from(page: Page<T>) -> Self {
        PageStream {
            has_more: page.has_more,
            last_id: page.last_id,
            items: Box::pin(Buffered(page.items.into_iter())),
        }
    }
}

impl<'a, T: Send + 'static> From<Records<T>> for PageStream<'a, T> {
    fn from(records: Records<T>) -> Self {
        PageStream {
            has_more: records.header().has_more_records.unwrap_or(false),
            last_id: records.header().last_id,
            items: Box::pin(records),
        }
    }
}

/// The records of a page already in memory, as a stream.
struct Buffered<T>(std::vec::IntoIter<T>);

impl<T> Stream for Buffered<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.get_mut().0.next().map(Ok))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

// The iterator is never pinned structurally.
impl<T> Unpin for Buffered<T> {}

/// A future fetching one page (up to its first record).
pub type PageFuture<'a, T> =
    Pin<Box<dyn Future<Output = Result<PageStream<'a, T>, Error>> + Send + 'a>>;

type Fetch<'a, T> = Box<dyn FnMut(Cursor) -> PageFuture<'a, T> + Send + 'a>;

/// A stream of records across pages; fetches a page only when the previous one is used up, and yields each
/// record as soon as its page's body has delivered it.
pub struct Paginator<'a, T> {
    fetch: Fetch<'a, T>,
    in_flight: Option<PageFuture<'a, T>>,
    /// The records of the page being read.
    page: Option<PageItems<'a, T>>,
    /// The cursor of the next page to fetch (or of the page in flight); `None` while a page is read and once
    /// the walk is over.
    cursor: Option<Cursor>,
    /// The cursor after the page being read, if its header says there is more.
    next: Option<Cursor>,
    /// Whether the page being read claims more records, and how many of its records were yielded.
    page_has_more: bool,
    page_records: u64,
    previous_last_id: Option<i64>,
    pages: u64,
}

// No field is pinned structurally: the futures and streams are boxed.
impl<T> Unpin for Paginator<'_, T> {}

impl<T> std::fmt::Debug for Paginator<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("pages", &self.pages)
            .field("cursor", &self.cursor)
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

impl<'a, T: Send + 'a> Paginator<'a, T> {
    /// A stream over the pages `fetch` returns for each cursor, starting at the first page of `mode`. A page is a
    /// [`PageStream`], or anything that converts into one (a buffered [`Page`], a
    /// [`Records`] stream).
    pub fn new<F, Fut, P>(mode: PagingMode, mut fetch: F) -> Self
    where
        F: FnMut(Cursor) -> Fut + Send + 'a,
        Fut: Future<Output = Result<P, Error>> + Send + 'a,
        P: Into<PageStream<'a, T>>,
    {
        Paginator {
            fetch: Box::new(move |cursor| {
                let page = fetch(cursor);
                Box::pin(async move { page.await.map(Into::into) })
            }),
            in_flight: None,
            page: None,
            cursor: Some(mode.first_cursor()),
            next: None,
            page_has_more: false,
            page_records: 0,
            previous_last_id: None,
            pages: 0,
        }
    }
}

impl<'a, T> Paginator<'a, T> {
    /// The next record, `Ok(None)` at the end: the same contract as `TryStreamExt::try_next`, without the
    /// extra dependency.
    pub async fn try_next(&mut self) -> Result<Option<T>, Error> {
        next_record(self).await
    }

    /// Every remaining record, or the first error.
    pub async fn try_collect(self) -> Result<Vec<T>, Error> {
        collect_records(self).await
    }

    /// How many pages have been received so far (a page counts once its header has been read).
    pub fn pages_fetched(&self) -> u64 {
        self.pages
    }

    /// Takes in the header of the page fetched at `cursor`: works out the next cursor (or rejects the page,
    /// before any of its records is yielded) and starts reading its records.
    fn start_page(&mut self, cursor: Cursor, page: PageStream<'a, T>) -> Result<(), Error> {
        self.pages += 1;
        self.next = None;
        if page.has_more {
            self.next = Some(self.next_cursor(cursor, page.last_id)?);
            self.previous_last_id = page.last_id;
        }
        self.page_has_more = page.has_more;
        self.page_records = 0;
        self.page = Some(page.items);
        Ok(())
    }

    /// The cursor after a page that `hasMoreRecords`, unless its `lastId` shows no progress.
    fn next_cursor(&self, cursor: Cursor, last_id: Option<i64>) -> Result<Cursor, Error> {
        if last_id.is_some() && last_id == self.previous_last_id {
            return Err(self.stuck("lastId repeats the previous page's"));
        }
        Ok(match cursor {
            Cursor::Offset { start, limit } => Cursor::Offset {
                start: start
                    .checked_add(limit)
                    .ok_or_else(|| self.stuck("the offset overflows"))?,
                limit,
            },
            Cursor::AfterId { after, limit } => {
                let next = last_id.ok_or_else(|| self.stuck("lastId is missing"))?;
                if after.is_some_and(|prev| next <= prev) {
                    return Err(self.stuck("lastId does not move past the previous one"));
                }
                Cursor::AfterId {
                    after: Some(next),
                    limit,
                }
            }
        })
    }

    fn stuck(&self, why: &str) -> Error {
        Error::Protocol(format!(
            "paged search stopped at page {}: hasMoreRecords is true but {why}",
            self.pages
        ))
    }

    /// Ends the walk (dropping a page being read cancels its body).
    fn finish(&mut self) {
        self.in_flight = None;
        self.page = None;
        self.cursor = None;
        self.next = None;
    }
}

impl<T> Stream for Paginator<'_, T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(page) = this.page.as_mut() {
                match ready!(page.as_mut().poll_next(cx)) {
                    Some(Ok(item)) => {
                        this.page_records += 1;
                        return Poll::Ready(Some(Ok(item)));
                    }
                    Some(Err(e)) => {
                        this.finish();
                        return Poll::Ready(Some(Err(e)));
                    }
                    None => {
                        this.page = None;
                        if this.page_has_more && this.page_records == 0 {
                            let e = this.stuck("the page is empty");
                            this.finish();
                            return Poll::Ready(Some(Err(e)));
                        }
                        this.cursor = this.next.take();
                        continue;
                    }
                }
            }
            if let Some(fut) = this.in_flight.as_mut() {
                let result = ready!(fut.as_mut().poll(cx));
                this.in_flight = None;
                let cursor = this.cursor.take().expect("a page in flight has a cursor");
                if let Err(e) = result.and_then(|page| this.start_page(cursor, page)) {
                    this.finish();
                    return Poll::Ready(Some(Err(e)));
                }
                continue;
            }
            match this.cursor {
                Some(cursor) => this.in_flight = Some((this.fetch)(cursor)),
                None => return Poll::Ready(None),
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let over = self.page.is_none() && self.in_flight.is_none() && self.cursor.is_none();
        (0, over.then_some(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use std::task::Waker;

    /// Drives a future that never waits (the fake sources below are ready at once).
    fn block_on<F: Future>(fut: F) -> F::Output {
        let mut fut = std::pin::pin!(fut);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }

    type Ready = std::future::Ready<Result<Page<i64>, Error>>;
    type CursorLog = Arc<Mutex<Vec<Cursor>>>;

    /// An in-memory table of ids 1..=n served like QPS does, recording the cursors asked for.
    fn table(n: i64) -> (impl FnMut(Cursor) -> Ready, CursorLog) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let fetch = move |cursor: Cursor| {
            log.lock().unwrap().push(cursor);
            let all: Vec<i64> = (1..=n).collect();
            let (rest, limit) = match cursor {
                Cursor::Offset { start, limit } => (
                    all.into_iter().skip(start as usize - 1).collect::<Vec<_>>(),
                    limit,
                ),
                Cursor::AfterId { after, limit } => (
                    all.into_iter()
                        .filter(|&id| after.is_none_or(|a| id > a))
                        .collect(),
                    limit,
                ),
            };
            let has_more = rest.len() > limit as usize;
            let items: Vec<i64> = rest.into_iter().take(limit as usize).collect();
            std::future::ready(Ok(Page {
                last_id: has_more.then(|| *items.last().unwrap()),
                items,
                has_more,
            }))
        };
        (fetch, seen)
    }

    #[test]
    fn offset_mode_walks_every_page() {
        let (fetch, seen) = table(7);
        let all =
            block_on(Paginator::new(PagingMode::Offset { page_size: 3 }, fetch).try_collect())
                .unwrap();
        assert_eq!(all, (1..=7).collect::<Vec<_>>());
        let starts: Vec<u32> = seen
            .lock()
            .unwrap()
            .iter()
            .map(|c| match c {
                Cursor::Offset { start, .. } => *start,
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(starts, [1, 4, 7]);
    }

    #[test]
    fn id_mode_walks_every_page() {
        let (fetch, seen) = table(6);
        let all =
            block_on(Paginator::new(PagingMode::Id { page_size: 3 }, fetch).try_collect()).unwrap();
        assert_eq!(all, (1..=6).collect::<Vec<_>>());
        assert_eq!(
            *seen.lock().unwrap(),
            [
                Cursor::AfterId {
                    after: None,
                    limit: 3
                },
                Cursor::AfterId {
                    after: Some(3),
                    limit: 3
                }
            ]
        );
    }

    #[test]
    fn empty_result_is_one_call_and_no_items() {
        let (fetch, seen) = table(0);
        let mut p = Paginator::new(PagingMode::default(), fetch);
        assert_eq!(block_on(p.try_next()).unwrap(), None);
        assert_eq!(block_on(p.try_next()).unwrap(), None);
        assert_eq!(seen.lock().unwrap().len(), 1);
        assert_eq!(p.pages_fetched(), 1);
    }

    #[test]
    fn page_size_is_clamped() {
        let (fetch, seen) = table(1);
        block_on(Paginator::new(PagingMode::Offset { page_size: 5000 }, fetch).try_collect())
            .unwrap();
        assert_eq!(seen.lock().unwrap()[0].limit(), MAX_PAGE_SIZE);
        assert_eq!(PagingMode::Id { page_size: 0 }.first_cursor().limit(), 1);
    }

    /// A server that always answers the same page with hasMoreRecords true.
    fn stuck(page: Page<i64>) -> impl FnMut(Cursor) -> Ready {
        move |_| std::future::ready(Ok(page.clone()))
    }

    fn drain(mut p: Paginator<'_, i64>) -> (Vec<i64>, Option<Error>) {
        let mut items = Vec::new();
        for _ in 0..100 {
            match block_on(p.try_next()) {
                Ok(Some(i)) => items.push(i),
                Ok(None) => return (items, None),
                Err(e) => {
                    assert!(
                        block_on(p.try_next()).unwrap().is_none(),
                        "fused after an error"
                    );
                    return (items, Some(e));
                }
            }
        }
        panic!("the paginator looped");
    }

    #[test]
    fn a_repeated_page_ends_with_an_error_not_a_loop() {
        let page = Page {
            items: vec![1, 2],
            has_more: true,
            last_id: Some(2),
        };
        for mode in [
            PagingMode::Offset { page_size: 2 },
            PagingMode::Id { page_size: 2 },
        ] {
            let (items, err) = drain(Paginator::new(mode, stuck(page.clone())));
            assert_eq!(items, [1, 2], "{mode:?}: the repeated page is not yielded");
            let err = err.unwrap().to_string();
            assert!(err.contains("page 2") && err.contains("repeats"), "{err}");
        }
    }

    #[test]
    fn an_empty_page_claiming_more_is_an_error() {
        let page = Page {
            items: vec![],
            has_more: true,
            last_id: None,
        };
        let (items, err) = drain(Paginator::new(
            PagingMode::Offset { page_size: 2 },
            stuck(page),
        ));
        assert!(items.is_empty());
        assert!(err.unwrap().to_string().contains("empty"));
    }

    #[test]
    fn id_mode_needs_a_last_id_that_moves_forward() {
        let page = Page {
            items: vec![1],
            has_more: true,
            last_id: None,
        };
        let (_, err) = drain(Paginator::new(PagingMode::Id { page_size: 1 }, stuck(page)));
        assert!(err.unwrap().to_string().contains("lastId is missing"));

        let mut calls = 0;
        let backwards = move |_| {
            calls += 1;
            std::future::ready(Ok(Page {
                items: vec![calls],
                has_more: true,
                last_id: Some(10 - calls),
            }))
        };
        let (items, err) = drain(Paginator::new(PagingMode::Id { page_size: 1 }, backwards));
        assert_eq!(items, [1]);
        assert!(err.unwrap().to_string().contains("does not move past"));
    }

    #[test]
    fn a_fetch_error_is_yielded_then_the_stream_ends() {
        let mut calls = 0;
        let flaky = move |_| {
            calls += 1;
            std::future::ready(if calls == 1 {
                Ok(Page {
                    items: vec![1],
                    has_more: true,
                    last_id: Some(1),
                })
            } else {
                Err(Error::Validation("boom".into()))
            })
        };
        let (items, err) = drain(Paginator::new(PagingMode::Id { page_size: 1 }, flaky));
        assert_eq!(items, [1]);
        assert!(matches!(err, Some(Error::Validation(_))));
    }

    #[test]
    fn from_envelope_reads_absent_has_more_as_false() {
        use crate::envelope::tests::TestResponse;
        let env: TestResponse = crate::xml::read_document(
            b"<ServiceResponse><responseCode>SUCCESS</responseCode><count>0</count></ServiceResponse>",
        )
        .unwrap();
        let page = Page::from_envelope(env);
        assert!(!page.has_more && page.items.is_empty() && page.last_id.is_none());
    }
}
