//! The paginator against in-memory sources.

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
        block_on(Paginator::new(PagingMode::Offset { page_size: 3 }, fetch).try_collect()).unwrap();
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
    block_on(Paginator::new(PagingMode::Offset { page_size: 5000 }, fetch).try_collect()).unwrap();
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

#[test]
fn pipelined_requests_the_next_page_at_the_header_and_keeps_the_order() {
    for pipelined in [false, true] {
        let (fetch, seen) = table(10);
        let mut p = Paginator::new(PagingMode::Id { page_size: 3 }, fetch);
        if pipelined {
            p = p.pipelined(|| true);
        }
        assert_eq!(block_on(p.try_next()).unwrap(), Some(1));
        let asked = seen.lock().unwrap().len();
        assert_eq!(
            asked,
            if pipelined { 2 } else { 1 },
            "pipelined {pipelined}"
        );
        let mut all = vec![1];
        while let Some(id) = block_on(p.try_next()).unwrap() {
            all.push(id);
        }
        assert_eq!(all, (1..=10).collect::<Vec<_>>());
        let afters: Vec<Option<i64>> = seen
            .lock()
            .unwrap()
            .iter()
            .map(|c| match c {
                Cursor::AfterId { after, .. } => *after,
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(afters, [None, Some(3), Some(6), Some(9)], "each page once");
    }
}

#[test]
fn pipelined_is_sequential_while_not_allowed() {
    let (fetch, seen) = table(10);
    let mut p = Paginator::new(PagingMode::Id { page_size: 3 }, fetch).pipelined(|| false);
    assert_eq!(block_on(p.try_next()).unwrap(), Some(1));
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[test]
fn a_prefetched_failure_comes_after_the_current_page() {
    let mut calls = 0;
    let flaky = move |_| {
        calls += 1;
        std::future::ready(if calls == 1 {
            Ok(Page {
                items: vec![1, 2],
                has_more: true,
                last_id: Some(2),
            })
        } else {
            Err(Error::Validation("boom".into()))
        })
    };
    let p = Paginator::new(PagingMode::Id { page_size: 2 }, flaky).pipelined(|| true);
    let (items, err) = drain(p);
    assert_eq!(items, [1, 2]);
    assert!(matches!(err, Some(Error::Validation(_))));
}
