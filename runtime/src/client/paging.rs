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

/// A stream of records across pages, yielding each record as soon as its page's body has delivered it.
///
/// Sequential by default: a page is fetched when the previous one is used up. [Pipelined](Self::pipelined), the
/// next page is requested as soon as the current page's header (`hasMoreRecords`, `lastId`) has been read,
/// while its records are still arriving; records are still yielded in order, each page's after the previous
/// page's, and each page is fetched once.
pub struct Paginator<'a, T> {
    fetch: Fetch<'a, T>,
    /// Whether to request the next page while the current one is read; asked at each page's header.
    pipelined: Option<Box<dyn Fn() -> bool + Send + 'a>>,
    /// The fetch of the page at `cursor`, and its result once it came while the previous page was being read.
    in_flight: Option<PageFuture<'a, T>>,
    fetched: Option<Result<PageStream<'a, T>, Error>>,
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
            pipelined: None,
            in_flight: None,
            fetched: None,
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
    /// Requests each next page as soon as the current page's header has been read, whenever `allowed` says so
    /// at that moment (the client allows it while its concurrency limit is above 1). The fetch runs while the
    /// current page's records are read; the records still come in order.
    pub fn pipelined(mut self, allowed: impl Fn() -> bool + Send + 'a) -> Self {
        self.pipelined = Some(Box::new(allowed));
        self
    }

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
        if let Some(next) = self.next {
            if self.pipelined.as_ref().is_some_and(|allowed| allowed()) {
                self.next = None;
                self.cursor = Some(next);
                self.in_flight = Some((self.fetch)(next));
            }
        }
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
        self.fetched = None;
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
            // The next page's fetch makes progress while the current page is read (pipelined), and is kept
            // until that page is over.
            if let Some(fut) = this.in_flight.as_mut() {
                if let Poll::Ready(result) = fut.as_mut().poll(cx) {
                    this.in_flight = None;
                    this.fetched = Some(result);
                }
            }
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
                        if let Some(next) = this.next.take() {
                            this.cursor = Some(next);
                        }
                        continue;
                    }
                }
            }
            if let Some(result) = this.fetched.take() {
                let cursor = this.cursor.take().expect("a fetched page has a cursor");
                if let Err(e) = result.and_then(|page| this.start_page(cursor, page)) {
                    this.finish();
                    return Poll::Ready(Some(Err(e)));
                }
                continue;
            }
            if this.in_flight.is_some() {
                return Poll::Pending;
            }
            match this.cursor {
                Some(cursor) => this.in_flight = Some((this.fetch)(cursor)),
                None => return Poll::Ready(None),
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let over = self.page.is_none()
            && self.in_flight.is_none()
            && self.fetched.is_none()
            && self.cursor.is_none();
        (0, over.then_some(0))
    }
}

#[cfg(test)]
mod tests;
