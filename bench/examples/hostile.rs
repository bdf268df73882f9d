//! Hostile documents: the time an element with many attributes takes on each read path, and (under
//! `/usr/bin/time -v`, `scripts/hostile-memprobe.sh`) the peak RSS of a response with one huge text node.
//!
//! ```text
//! hostile attributes N          times one element with N attributes on the serde path and the event reader,
//!                               under the default limits (refused) and raised ones (read)
//! hostile generate SIZE         writes a findings response whose one record holds a text node of SIZE twice,
//!                               once in an unknown element and once in `uniqueId`; prints its path
//! hostile skip FILE             streams it with the node limit just above the record's other nodes: the unknown
//!                               element is skipped, `uniqueId` is refused with the limit error
//! hostile raised FILE           streams it with no node limit: both are read (`uniqueId` is kept)
//! ```

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::time::Instant;

use qualys_qps::runtime::envelope::ItemStream;
use qualys_qps::runtime::xml::{Limits, XmlReader, from_str, from_str_with, read_document};
use qualys_qps::was::finding::{Finding, ServiceResponse};

const USAGE: &str = "usage: hostile attributes N | generate SIZE | skip FILE | raised FILE";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str).expect(USAGE);
    match arg(0) {
        "attributes" => attributes(arg(1).parse().expect(USAGE)),
        "generate" => {
            let size = qps_bench::parse_size(arg(1)).expect(USAGE);
            println!("{}", generate(size as usize).display());
        }
        "skip" => stream(arg(1), Limits::default().with_max_node_bytes(1 << 20)),
        "raised" => stream(arg(1), Limits::unlimited()),
        _ => panic!("{USAGE}"),
    }
}

fn document_with_attributes(n: usize) -> String {
    let mut xml = String::from("<ServiceResponse");
    for i in 0..n {
        xml.push_str(&format!(" a{i}=\"{i}\""));
    }
    xml.push_str("><responseCode>SUCCESS</responseCode></ServiceResponse>");
    xml
}

fn time<T>(label: &str, run: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = run();
    println!(
        "{label:<52} {:>10.3} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    out
}

fn attributes(n: usize) {
    let xml = document_with_attributes(n);
    println!("one element with {n} attributes, {} bytes", xml.len());
    let raised = Limits::default().with_max_attributes(usize::MAX);
    let refused = time("serde from_str, default limits (refused)", || {
        from_str::<ServiceResponse>(&xml)
    });
    assert!(refused.unwrap_err().read_error().is_some());
    let refused = time(
        "event reader read_document, default limits (refused)",
        || read_document::<ServiceResponse>(xml.as_bytes()),
    );
    assert!(refused.is_err());
    let read = time("event reader, limit raised (read)", || {
        XmlReader::from_bytes(xml.as_bytes())
            .with_limits(raised)
            .read_root::<ServiceResponse>()
    });
    assert_eq!(read.expect("read").response_code.as_str(), "SUCCESS");
    let read = time("serde from_str_with, limit raised (read)", || {
        from_str_with::<ServiceResponse>(&xml, &raised)
    });
    assert_eq!(read.expect("read").response_code.as_str(), "SUCCESS");
}

fn generate(size: usize) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-corpus");
    std::fs::create_dir_all(&dir).expect("the corpus directory");
    let path = dir.join(format!("hostile-text-{size}.xml"));
    if path.exists() {
        return path;
    }
    let mut out = BufWriter::new(File::create(&path).expect("create the document"));
    let chunk = "0123456789abcdef".repeat(4096);
    let text = |out: &mut BufWriter<File>| {
        let mut left = size;
        while left > 0 {
            let n = left.min(chunk.len());
            out.write_all(&chunk.as_bytes()[..n]).expect("write");
            left -= n;
        }
    };
    out.write_all(
        b"<ServiceResponse><responseCode>SUCCESS</responseCode><data><Finding><id>1</id><unknown>",
    )
    .expect("write");
    text(&mut out);
    out.write_all(b"</unknown><uniqueId>").expect("write");
    text(&mut out);
    out.write_all(b"</uniqueId><qid>2</qid></Finding><Finding><id>3</id></Finding></data></ServiceResponse>\n")
        .expect("write");
    out.flush().expect("write");
    path
}

fn stream(path: &str, limits: Limits) {
    let file = BufReader::new(File::open(path).expect("open the document"));
    let reader = XmlReader::from_reader(file).with_limits(limits);
    let stream = ItemStream::<_, Finding>::new(reader, &["Finding"]).expect("a response");
    for finding in stream {
        match finding {
            Ok(finding) => println!(
                "finding {:?}: uniqueId of {} bytes",
                finding.id,
                finding.unique_id.map_or(0, |u| u.len())
            ),
            Err(e) => println!("refused: {e}"),
        }
    }
}
