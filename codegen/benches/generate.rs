//! Time to generate the bindings for every bundled schema (`cargo bench -p qps-codegen`), with the allocator of
//! the `qps-codegen` binary: mimalloc by default, glibc's malloc with `--no-default-features`.

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn generate_bundled(c: &mut Criterion) {
    let schemas = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let builder = qps_codegen::Builder::new()
        .schema_dir(&schemas)
        .catalog(schemas.join("endpoints.toml"));
    let generated = builder.generate().expect("bundled schemas generate");
    eprintln!(
        "bundled schemas: {} items, {} lines, {} files",
        generated.items,
        generated.lines(),
        generated.files.len()
    );
    c.bench_function("generate_bundled_schemas", |b| {
        b.iter(|| builder.generate().expect("generates"))
    });
}

criterion_group!(benches, generate_bundled);
criterion_main!(benches);
