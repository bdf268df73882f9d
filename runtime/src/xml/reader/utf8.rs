//! The UTF-8 check of the bytes a reader consumes, so that the in-memory and the `BufRead` reader refuse a byte
//! that is not UTF-8 at the same place: each checks what it has consumed when asked (at the end of the document,
//! after each record of a stream), whether or not the tokenizer looked at those bytes (skipped text, attributes
//! no field reads).

/// An incremental UTF-8 check over bytes given in pieces, where a sequence may straddle two pieces.
#[derive(Debug, Default)]
pub(super) struct Utf8Check {
    /// The bytes of the unfinished sequence the last piece ended in.
    tail: [u8; 3],
    tail_len: u8,
    /// How many bytes were given.
    fed: u64,
    /// Where the first malformed sequence starts, once one was found.
    bad: Option<u64>,
}

impl Utf8Check {
    /// Checks the next `bytes`.
    pub(super) fn feed(&mut self, bytes: &[u8]) {
        let start = self.fed;
        self.fed += bytes.len() as u64;
        if self.bad.is_some() || bytes.is_empty() {
            return;
        }
        let mut rest = bytes;
        let mut at = start;
        if self.tail_len > 0 {
            let have = usize::from(self.tail_len);
            let take = (sequence_len(self.tail[0]) - have).min(rest.len());
            let mut sequence = [0u8; 4];
            sequence[..have].copy_from_slice(&self.tail[..have]);
            sequence[have..have + take].copy_from_slice(&rest[..take]);
            match std::str::from_utf8(&sequence[..have + take]) {
                Ok(_) => self.tail_len = 0,
                // Still unfinished: the piece was shorter than the rest of the sequence.
                Err(e) if e.error_len().is_none() => {
                    self.tail[..have + take].copy_from_slice(&sequence[..have + take]);
                    self.tail_len = (have + take) as u8;
                    return;
                }
                Err(_) => {
                    self.bad = Some(start - have as u64);
                    return;
                }
            }
            rest = &rest[take..];
            at += take as u64;
        }
        if let Err(e) = std::str::from_utf8(rest) {
            let valid = e.valid_up_to();
            match e.error_len() {
                None => {
                    let tail = &rest[valid..];
                    self.tail[..tail.len()].copy_from_slice(tail);
                    self.tail_len = tail.len() as u8;
                }
                Some(_) => self.bad = Some(at + valid as u64),
            }
        }
    }

    /// How many bytes were given.
    pub(super) fn consumed(&self) -> u64 {
        self.fed
    }

    /// The input ended: an unfinished sequence is malformed too.
    pub(super) fn finish(&mut self) {
        if self.bad.is_none() && self.tail_len > 0 {
            self.bad = Some(self.fed - u64::from(self.tail_len));
        }
    }

    /// How many bytes before the end of what was given the first malformed sequence starts, if there is one.
    pub(super) fn malformed_back(&self) -> Option<u64> {
        self.bad.map(|at| self.fed - at)
    }
}

/// How many bytes the sequence starting with `lead` (a valid lead byte) has.
fn sequence_len(lead: u8) -> usize {
    match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// The check of `consumed` (input in memory, from where the last check stopped), as [`Utf8Check`] makes it:
/// `Ok` with how many bytes at its end are an unfinished sequence (to check again with what follows), or how
/// many bytes before its end the first malformed sequence starts. At the `end` of the input an unfinished
/// sequence is malformed.
pub(super) fn check_slice(consumed: &[u8], end: bool) -> Result<usize, u64> {
    match std::str::from_utf8(consumed) {
        Ok(_) => Ok(0),
        Err(e) if e.error_len().is_none() && !end => Ok(consumed.len() - e.valid_up_to()),
        Err(e) => Err((consumed.len() - e.valid_up_to()) as u64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(input: &[u8], size: usize) -> Option<u64> {
        let mut check = Utf8Check::default();
        for piece in input.chunks(size) {
            check.feed(piece);
        }
        check.finish();
        check.malformed_back().map(|back| input.len() as u64 - back)
    }

    #[test]
    fn pieces_of_any_size_find_the_first_malformed_sequence() {
        let cases: [(&[u8], Option<u64>); 6] = [
            ("a é € 😀 z".as_bytes(), None),
            (b"ab\xffcd", Some(2)),
            (b"a\xc3\xa9\xe2\x82x", Some(3)),
            (b"abc\xf0\x9f\x98", Some(3)),
            (b"\xc3", Some(0)),
            (b"ok\xc3\xa9\xed\xa0\x80", Some(4)),
        ];
        for (input, expected) in cases {
            for size in 1..=input.len().max(1) {
                assert_eq!(
                    pieces(input, size),
                    expected,
                    "{input:?} in pieces of {size}"
                );
            }
            let slice = match check_slice(input, true) {
                Ok(_) => None,
                Err(back) => Some(input.len() as u64 - back),
            };
            assert_eq!(slice, expected, "{input:?} whole");
        }
        assert_eq!(check_slice(b"ab\xe2\x82", false), Ok(2));
    }
}
