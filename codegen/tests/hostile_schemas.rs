//! Nothing panics on input: the bundled schemas and the fixture schemas, with attribute values swapped for other
//! names of the same schema or for odd values (seeded, so a failure repeats), generate or fail with an error;
//! the generator never panics.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use qps_codegen::Builder;

/// SplitMix64: a small seeded generator, so every run feeds the same schemas.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n as u64) as usize
    }
}

/// Values that reach the corners of the generator.
const ODD: &[&str] = &[
    "",
    "xs:string",
    "xs:anyType",
    "unbounded",
    "0",
    "-1",
    "2",
    "true",
    "1",
    "a b",
    "x:y",
    "#all",
    "qualified",
    "required",
    "prohibited",
    "9999999999999999999999",
    "self",
    "Self",
    "ß",
    "..",
];

/// The byte ranges of every attribute value (`="..."`) in `text`.
fn values(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("=\"") {
        let start = from + at + 2;
        let Some(len) = text[start..].find('"') else {
            break;
        };
        out.push((start, start + len));
        from = start + len + 1;
    }
    out
}

fn schemas(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            schemas(&path, out);
        } else if path.extension().is_some_and(|e| e == "xsd") {
            out.push(path);
        }
    }
}

#[test]
fn mutated_schemas_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    schemas(&root.join("schemas"), &mut files);
    schemas(&root.join("fixtures/xsd"), &mut files);
    files.sort();
    let work = std::env::temp_dir().join(format!("qps-hostile-schemas-{}", std::process::id()));
    let mut rng = Rng(0x5C4E_3A5E);
    let (mut runs, mut refused) = (0, 0);
    let mut panics = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let originals = values(&text);
        assert!(
            !originals.is_empty(),
            "{} has no attributes",
            file.display()
        );
        // The schema's folder is copied, so includes and imports still resolve.
        let dir = file.parent().unwrap();
        for round in 0..12 {
            let _ = std::fs::remove_dir_all(&work);
            copy_dir(dir, &work);
            let mut mutated = text.clone();
            let mut what = Vec::new();
            for _ in 0..=rng.below(3) {
                let spans = values(&mutated);
                let (start, end) = spans[rng.below(spans.len())];
                let value = if rng.below(2) == 0 {
                    ODD[rng.below(ODD.len())].to_owned()
                } else {
                    let (s, e) = originals[rng.below(originals.len())];
                    text[s..e].to_owned()
                };
                what.push(format!("{}..{} = {value:?}", start, end));
                mutated.replace_range(start..end, &value);
            }
            let target = work.join(file.file_name().unwrap());
            std::fs::write(&target, &mutated).unwrap();
            let plain = round % 2 == 0;
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                let builder = Builder::new().schema(&target);
                let builder = if plain { builder.plain_xsd() } else { builder };
                builder.generate().is_ok()
            }));
            runs += 1;
            match outcome {
                Ok(true) => {}
                Ok(false) => refused += 1,
                Err(_) => panics.push(format!("{}: {}", file.display(), what.join(", "))),
            }
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    println!(
        "{runs} mutated schemas: {} generated, {refused} refused with an error",
        runs - refused - panics.len()
    );
    assert!(
        panics.is_empty(),
        "the generator panicked on {} schemas:\n{}",
        panics.len(),
        panics.join("\n")
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Found by the long `schema` fuzz run: one substitution-group head referenced by several particles of a
/// sequence (each folded into the one document-order list) made lowering remove that list twice and panic
/// (`removal index (is 1) should be < len (is 1)`).
#[test]
fn a_head_referenced_by_several_particles_generates_without_a_panic() {
    let xsd = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:complexType name="Vehicle">
    <xs:sequence><xs:element name="wheels" type="xs:int"/></xs:sequence>
  </xs:complexType>
  <xs:element name="vehicle" type="Vehicle" abstract="true"/>
  <xs:element name="car" type="Vehicle" substitutionGroup="vehicle"/>
  <xs:element name="bike" substitutionGroup="vehicle"/>
  <xs:element name="garage">
    <xs:complexType>
      <xs:sequence>
        <xs:element ref="vehicle" maxOccurs="unbounded"/>
        <xs:element name="keeper" type="xs:string"/>
        <xs:element ref="vehicle" maxOccurs="unbounded"/>
        <xs:element ref="vehicle" maxOccurs="unbounded"/>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
</xs:schema>"#;
    let found = catch_unwind(AssertUnwindSafe(|| {
        Builder::new()
            .plain_xsd()
            .source("garage.xsd", xsd)
            .schema("garage.xsd")
            .generate()
            .map(|_| ())
            .map_err(|e| e.to_string())
    }));
    assert!(found.is_ok(), "the generator panicked");
    // The input as the fuzzer found it (with stray text between the particles): refused or generated, never a
    // panic (a panic fails this test).
    let found = Builder::new()
        .plain_xsd()
        .source(
            "fuzz.xsd",
            std::fs::read("tests/fixtures/fuzz/sequence-of-heads.xsd").unwrap(),
        )
        .schema("fuzz.xsd")
        .generate();
    assert!(found.is_ok() || !found.unwrap_err().to_string().is_empty());
}
