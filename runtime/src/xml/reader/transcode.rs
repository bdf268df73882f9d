//! [`Transcoder`]: a `BufRead` over a document in another encoding than UTF-8, read as UTF-8, decoded one
//! buffer at a time (`encoding_rs`'s `Decoder`), so a stream over it holds a buffer, never the whole document.

use std::io::{BufRead, Read};

use encoding_rs::{Decoder, DecoderResult, Encoding};

use super::source::Exceeded;
use crate::xml::encoding::malformed_at;
use crate::xml::{DecodeError, Limit};

/// The size of the buffer of decoded text.
const BUFFER: usize = 8 * 1024;

/// The document from `inner`, in `encoding`, as UTF-8. A sequence the encoding cannot decode fails the read
/// once the text before it has been read, with [`DecodeError::Malformed`] at its offset in the bytes of
/// `inner` (as [`decode_document`](crate::xml::decode_document) reports it); so does a document of more than
/// `max_body` bytes of `inner` ([`Limit::BodyBytes`] counts the bytes as they come, before decoding). Either
/// failure is final: every later read fails the same way.
pub(crate) struct Transcoder<R> {
    inner: R,
    decoder: Decoder,
    encoding: &'static Encoding,
    /// Decoded text; `out[start..end]` is still to be read.
    out: Box<[u8]>,
    start: usize,
    end: usize,
    /// How many bytes were taken from `inner`.
    read: u64,
    max_body: usize,
    state: State,
}

#[derive(Debug, Clone, Copy)]
enum State {
    Decoding,
    /// The decoder has seen the end of `inner`.
    Ended,
    /// A malformed sequence starts at this offset in `inner`.
    Malformed(u64),
    /// `inner` has more than `max_body` bytes.
    TooLong,
}

impl<R> std::fmt::Debug for Transcoder<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transcoder")
            .field("encoding", &self.encoding.name())
            .field("read", &self.read)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl<R: BufRead> Transcoder<R> {
    /// Decodes `inner` from `encoding` (a byte order mark of that encoding is dropped, as by
    /// [`decode_document`](crate::xml::decode_document)).
    pub(crate) fn new(inner: R, encoding: &'static Encoding, max_body: usize) -> Self {
        Transcoder {
            inner,
            decoder: encoding.new_decoder_with_bom_removal(),
            encoding,
            out: vec![0; BUFFER].into_boxed_slice(),
            start: 0,
            end: 0,
            read: 0,
            max_body,
            state: State::Decoding,
        }
    }

    /// Decodes into the empty buffer until it holds some text or the decoding stopped.
    fn refill(&mut self) -> std::io::Result<()> {
        self.start = 0;
        self.end = 0;
        while self.end == 0 && matches!(self.state, State::Decoding) {
            let input = self.inner.fill_buf()?;
            let last = input.is_empty();
            let (result, read, written) =
                self.decoder
                    .decode_to_utf8_without_replacement(input, &mut self.out, last);
            self.inner.consume(read);
            self.read += read as u64;
            self.end = written;
            if self.read > self.max_body as u64 {
                // Refused as a whole document is, before its text is read.
                self.end = 0;
                self.state = State::TooLong;
                break;
            }
            match result {
                DecoderResult::InputEmpty if last => self.state = State::Ended,
                DecoderResult::InputEmpty | DecoderResult::OutputFull => {}
                DecoderResult::Malformed(bad, after) => {
                    self.state = State::Malformed(malformed_at(self.read, bad, after));
                }
            }
        }
        Ok(())
    }

    /// The error every read fails with once the decoding failed.
    fn failure(&self) -> Option<std::io::Error> {
        match self.state {
            State::Decoding | State::Ended => None,
            State::Malformed(at) => Some(std::io::Error::other(DecodeError::Malformed {
                encoding: self.encoding.name(),
                at: usize::try_from(at).unwrap_or(usize::MAX),
            })),
            State::TooLong => Some(std::io::Error::other(Exceeded(
                Limit::BodyBytes,
                self.max_body,
            ))),
        }
    }
}

impl<R: BufRead> BufRead for Transcoder<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.start == self.end {
            self.refill()?;
            if self.start == self.end
                && let Some(failure) = self.failure()
            {
                return Err(failure);
            }
        }
        Ok(&self.out[self.start..self.end])
    }

    fn consume(&mut self, amount: usize) {
        self.start = (self.start + amount).min(self.end);
    }
}

impl<R: BufRead> Read for Transcoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transcode(
        input: &[u8],
        encoding: &'static Encoding,
        chunk: usize,
    ) -> Result<String, String> {
        let mut text = String::new();
        Transcoder::new(
            std::io::BufReader::with_capacity(chunk, input),
            encoding,
            usize::MAX,
        )
        .read_to_string(&mut text)
        .map(|_| text)
        .map_err(|e| e.to_string())
    }

    #[test]
    fn chunks_of_any_size_decode_as_the_whole_does() {
        let mut utf16 = vec![0xFE, 0xFF];
        for unit in "<a>é 😀 €</a>".encode_utf16() {
            utf16.extend_from_slice(&unit.to_be_bytes());
        }
        for chunk in 1..=16 {
            assert_eq!(
                transcode(&utf16, encoding_rs::UTF_16BE, chunk).as_deref(),
                Ok("<a>é 😀 €</a>")
            );
            assert_eq!(
                transcode(b"<a>caf\xe9 \x80</a>", encoding_rs::WINDOWS_1252, chunk).as_deref(),
                Ok("<a>café €</a>")
            );
        }
    }

    #[test]
    fn a_malformed_sequence_is_named_by_its_offset_in_the_source() {
        // A lone low surrogate at byte 4, then an odd byte at the end.
        let utf16 = b"<\0a\0\x00\xdc>\0";
        let odd = b"<\0a\0>";
        for chunk in 1..=8 {
            let error = transcode(utf16, encoding_rs::UTF_16LE, chunk).unwrap_err();
            assert!(error.ends_with("at byte 4)"), "{chunk}: {error}");
            let error = transcode(odd, encoding_rs::UTF_16LE, chunk).unwrap_err();
            assert!(error.ends_with("at byte 4)"), "{chunk}: {error}");
        }
        assert_eq!(
            crate::xml::decode_document(b"\xff\xfe<\0a\0\x00\xdc>\0"),
            Err(DecodeError::Malformed {
                encoding: "UTF-16LE",
                at: 6
            })
        );
    }

    #[test]
    fn more_than_the_body_limit_fails_at_the_limit() {
        let latin1 = b"<a>\xe9\xe9\xe9</a>";
        let read = |max| {
            let mut text = String::new();
            Transcoder::new(&latin1[..], encoding_rs::WINDOWS_1252, max)
                .read_to_string(&mut text)
                .map(|_| text)
                .map_err(|e| e.to_string())
        };
        assert_eq!(read(latin1.len()).as_deref(), Ok("<a>ééé</a>"));
        assert!(read(latin1.len() - 1).is_err());
    }
}
