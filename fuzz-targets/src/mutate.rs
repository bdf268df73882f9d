//! Seeded mutations of seed inputs: byte flips, overwrites, insertions, deletions, duplications, truncations and
//! splices of two seeds. A fixed RNG seed gives the same inputs on every run.

/// SplitMix64: small, fast and seeded.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The generator for input `n` of a run seeded with `seed`: the inputs of a run do not depend on the order
    /// they are drawn in (or on how many threads draw them), and two inputs' streams do not overlap.
    pub fn for_input(seed: u64, n: u64) -> Self {
        let mut mixer = Rng(seed ^ n.wrapping_mul(0xD6E8_FEB8_6659_FD93));
        Rng(mixer.next_u64() ^ n)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
}

/// Bytes that change the structure of XML or of a `--where` text, and some that are not UTF-8 or not allowed.
const NASTY: &[u8] = b"<>&;/\"'=!?[]x9 \t\r\n\0\x01\x7f\xff\xc3\xef,\\-:.#";

/// Fragments worth inserting whole: markup, references, XSD words, operators and odd values.
const TOKENS: &[&[u8]] = &[
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
    b"<!DOCTYPE x [<!ENTITY a \"b\">]>",
    b"&#0;",
    b"&#x10FFFF;",
    b"&#xD800;",
    b"&amp;",
    b"&lt;",
    b"</",
    b"/>",
    b"xmlns=\"\"",
    b"xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"",
    b"<xs:element name=\"a\" type=\"xs:string\"/>",
    b"<xs:complexType name=\"T\"><xs:sequence>",
    b"</xs:sequence></xs:complexType>",
    b"ref=\"",
    b"type=\"",
    b"base=\"",
    b"maxOccurs=\"unbounded\"",
    b"minOccurs=\"0\"",
    b"substitutionGroup=\"",
    b"<xs:include schemaLocation=\"fuzz.xsd\"/>",
    b"<xs:import namespace=\"urn:x\" schemaLocation=\"../x.xsd\"/>",
    b"<data>",
    b"</data>",
    b"<responseCode>SUCCESS</responseCode>",
    b"<hasMoreRecords>true</hasMoreRecords>",
    b"<count>-1</count>",
    b"9223372036854775808",
    b"-0",
    b"1e309",
    b"NaN",
    b"2024-02-30T25:61:61Z",
    b"\xef\xbb\xbf",
    b"\xc3\xa9",
    b"\xf0\x9f\x92\xa9",
    b" NOT EQUALS ",
    b" IN ",
    b" CONTAINS ",
    b"[",
    b"]",
    b"\\\"",
    b"'",
    b",,",
];

/// What [`mutate`] may produce at most, in bytes.
pub const MAX_LEN: usize = 1 << 20;

/// A mutation of one of `seeds` (1 to 8 edits; sometimes spliced with another seed). `seeds` must not be empty.
pub fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    let edits = 1 + rng.below(8);
    for _ in 0..edits {
        edit(rng, seeds, &mut data);
    }
    data.truncate(MAX_LEN);
    data
}

fn edit(rng: &mut Rng, seeds: &[Vec<u8>], data: &mut Vec<u8>) {
    let len = data.len();
    match rng.below(10) {
        // One bit flipped.
        0 if len > 0 => {
            let at = rng.below(len);
            data[at] ^= 1 << rng.below(8);
        }
        // One byte overwritten with a structural one.
        1 if len > 0 => {
            let at = rng.below(len);
            data[at] = NASTY[rng.below(NASTY.len())];
        }
        // A structural byte inserted.
        2 => {
            let at = rng.below(len + 1);
            data.insert(at, NASTY[rng.below(NASTY.len())]);
        }
        // A token inserted.
        3 | 4 => {
            let at = rng.below(len + 1);
            let token = TOKENS[rng.below(TOKENS.len())];
            data.splice(at..at, token.iter().copied());
        }
        // A range deleted.
        5 if len > 0 => {
            let at = rng.below(len);
            let n = 1 + rng.below((len - at).min(64));
            data.drain(at..at + n);
        }
        // A range repeated in place (deeper nesting, repeated elements).
        6 if len > 0 => {
            let at = rng.below(len);
            let n = 1 + rng.below((len - at).min(256));
            let copy: Vec<u8> = data[at..at + n].to_vec();
            let times = 1 + rng.below(4);
            for _ in 0..times {
                data.splice(at..at, copy.iter().copied());
            }
        }
        // Cut short.
        7 if len > 0 => {
            data.truncate(rng.below(len));
        }
        // A range of another seed spliced in.
        8 | 9 => {
            let other = &seeds[rng.below(seeds.len())];
            if other.is_empty() {
                return;
            }
            let from = rng.below(other.len());
            let n = 1 + rng.below((other.len() - from).min(512));
            let at = rng.below(len + 1);
            if rng.below(2) == 0 {
                data.splice(at..at, other[from..from + n].iter().copied());
            } else {
                let end = (at + n).min(len);
                data.splice(at..end, other[from..from + n].iter().copied());
            }
        }
        _ => {
            let at = rng.below(len + 1);
            data.insert(at, rng.next_u64() as u8);
        }
    }
}
