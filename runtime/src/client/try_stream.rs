//! The two `TryStreamExt` methods the client's streams offer, without the dependency.

use std::pin::Pin;

use futures_core::Stream;

use crate::error::Error;

/// The next record of a stream of records, `Ok(None)` at the end (`TryStreamExt::try_next`, without the
/// dependency).
pub(crate) async fn next_record<S, T>(stream: &mut S) -> Result<Option<T>, Error>
where
    S: Stream<Item = Result<T, Error>> + Unpin,
{
    std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx))
        .await
        .transpose()
}

/// Every remaining record of a stream of records, or the first error.
pub(crate) async fn collect_records<S, T>(mut stream: S) -> Result<Vec<T>, Error>
where
    S: Stream<Item = Result<T, Error>> + Unpin,
{
    let mut all = Vec::new();
    while let Some(item) = next_record(&mut stream).await? {
        all.push(item);
    }
    Ok(all)
}
