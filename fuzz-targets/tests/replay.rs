//! The fuzz targets' oracles on stable `cargo test`: every file of the committed seed
//! corpus (`fuzz/corpus-seed/tokens/`, or `harness_inputs/` for that target) and every reproducer (`fuzz/regressions/<target>/`)
//! goes through the target it belongs to, with the adapters the targets use by default
//! (or those named by `JWT_FUZZ_ADAPTER` / `JWT_FUZZ_ADAPTERS`). A reproducer stays in
//! `fuzz/regressions/` once its bug is fixed or documented, so it must pass.
//!
//! The planted-bug reproducers under `fuzz/planted/<bug>/<target>/` must be caught by the
//! adapter with that bug, which shows the oracles can fail.

use jwt_conformance::catalogue;
use jwt_conformance::Context;
use jwt_conformance_fuzz_targets::{adapters, known, Differential, Finding, Prepared};
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// The files of `dir`, sorted; none when it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// The token targets share one seed corpus, the catalogue's tokens
/// (`jwt-conformance corpus --out fuzz/corpus-seed/tokens`).
fn seed_dir(target: &str) -> &'static str {
    match target {
        "harness_inputs" => "harness_inputs",
        _ => "tokens",
    }
}

fn seeds(target: &str) -> Vec<PathBuf> {
    let seeds = files(&fuzz_dir().join("corpus-seed").join(seed_dir(target)));
    assert!(!seeds.is_empty(), "no seed corpus for {target}");
    seeds
}

fn regressions(target: &str) -> Vec<PathBuf> {
    files(&fuzz_dir().join("regressions").join(target))
}

/// Runs every file through `oracle`; fails with every finding, decoded.
fn replay(target: &str, oracle: impl Fn(&[u8]) -> Result<(), Finding>) {
    let inputs: Vec<PathBuf> = seeds(target)
        .into_iter()
        .chain(regressions(target))
        .collect();
    let findings: Vec<String> = inputs
        .iter()
        .filter_map(|path| {
            let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            oracle(&data)
                .err()
                .map(|f| format!("{}:\n{f}", path.display()))
        })
        .collect();
    assert!(
        findings.is_empty(),
        "{} of {} inputs have findings:\n\n{}",
        findings.len(),
        inputs.len(),
        findings.join("\n")
    );
}

#[test]
fn verify_bytes() {
    replay("verify_bytes", jwt_conformance_fuzz_targets::verify_bytes);
}

#[test]
fn verify_structured() {
    replay(
        "verify_structured",
        jwt_conformance_fuzz_targets::verify_structured,
    );
}

#[test]
fn differential() {
    replay("differential", jwt_conformance_fuzz_targets::differential);
}

#[test]
fn harness_inputs() {
    replay(
        "harness_inputs",
        jwt_conformance_fuzz_targets::harness_inputs,
    );
}

#[test]
fn planted_bugs_are_caught_by_their_reproducers() {
    let mut checked = 0;
    for bug in ["planted-none", "planted-exp"] {
        let target = Prepared::for_adapter(adapters::by_name(bug).unwrap());
        let dir = fuzz_dir().join("planted").join(bug);
        for (name, run) in [
            (
                "verify_bytes",
                Prepared::bytes as fn(&Prepared, &[u8]) -> Result<(), Finding>,
            ),
            ("verify_structured", Prepared::structured),
        ] {
            for path in files(&dir.join(name)) {
                let data = std::fs::read(&path).unwrap();
                let finding =
                    run(&target, &data).expect_err(&format!("{} is not caught", path.display()));
                assert!(finding.summary.starts_with(bug), "{finding}");
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 2,
        "each planted bug keeps at least one reproducer"
    );
}

#[test]
fn every_known_divergence_has_a_reproducer_and_a_real_case() {
    let entries = known::committed();
    let ids: Vec<String> = catalogue::cases(&Context::listing())
        .into_iter()
        .map(|c| c.id)
        .collect();
    let pairs: Vec<(String, String)> = entries
        .iter()
        .map(|k| (k.accepted_by.clone(), k.rejected_by.clone()))
        .collect();
    for (i, k) in entries.iter().enumerate() {
        if let Some(case) = &k.case {
            assert!(ids.contains(case), "divergence {}: no case {case:?}", i + 1);
        }
        // The differential target compares two adapters in either order.
        let (a, b) = &pairs[i];
        let target =
            Differential::new(adapters::by_name(a).unwrap(), adapters::by_name(b).unwrap());
        let committed = seeds("differential")
            .into_iter()
            .chain(regressions("differential"));
        let reproduced = committed.into_iter().any(|path| {
            let path = &path;
            let data = std::fs::read(path).unwrap();
            target.disagreement(&data).is_some_and(|d| k.matches(&d))
        });
        assert!(
            reproduced,
            "divergence {} ({} accepts, {} rejects) matches no committed input of the differential target: remove it, or commit the input that shows it under fuzz/regressions/differential",
            i + 1,
            a,
            b
        );
    }
}
