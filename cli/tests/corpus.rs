//! `jwt-conformance corpus --out DIR`: the fuzz targets' seed corpus. The committed one
//! under fuzz/corpus-seed/tokens must be exactly what the command writes today, so the
//! fuzzers start from the catalogue as it is.

mod common;

use common::{jwt_conformance, repo, show};
use std::collections::BTreeMap;
use std::path::Path;

fn read_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect()
}

#[test]
fn the_committed_seed_corpus_is_what_the_command_writes() {
    let out = std::env::temp_dir().join(format!("jwt-conformance-corpus-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let output = jwt_conformance(&["corpus", "--out", &out.display().to_string()]);
    assert!(output.status.success(), "{}", show(&output));
    let written = read_dir(&out);
    std::fs::remove_dir_all(&out).unwrap();
    let committed = read_dir(&repo().join("fuzz/corpus-seed/tokens"));

    assert!(written.len() > 400, "{} files", written.len());
    assert!(written.keys().any(|k| k.starts_with("alg-none__")));
    assert!(written.keys().any(|k| k.ends_with(".control.jwt")));
    let differ: Vec<&String> = written
        .keys()
        .chain(committed.keys())
        .filter(|name| written.get(*name) != committed.get(*name))
        .collect();
    assert!(
        differ.is_empty(),
        "fuzz/corpus-seed/tokens is stale ({} files differ, e.g. {:?}); regenerate it with\n  \
         rm -r fuzz/corpus-seed/tokens && cargo run --release -- corpus --out fuzz/corpus-seed/tokens",
        differ.len(),
        differ.iter().take(5).collect::<Vec<_>>()
    );
}

#[test]
fn an_unwritable_directory_is_a_usage_error() {
    let output = jwt_conformance(&["corpus", "--out", "/proc/jwt-conformance-corpus"]);
    assert_eq!(output.status.code(), Some(2), "{}", show(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/proc/jwt-conformance-corpus"), "{stderr}");
}
