//! Helpers shared by the command-line tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root, where the process wrappers and their fixtures live.
pub(crate) fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the CLI crate sits in the repository root")
        .to_path_buf()
}

/// A path under the repository root, as text for a command line.
pub(crate) fn repo_path(relative: &str) -> String {
    repo().join(relative).display().to_string()
}

/// Runs `jwt-conformance ARGS` from the repository root.
pub(crate) fn jwt_conformance(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jwt-conformance"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("the jwt-conformance binary runs")
}

/// Standard output and error, for assertion messages.
pub(crate) fn show(output: &Output) -> String {
    format!(
        "status {}\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The command line of a test fixture verifier under adapters/process/tests/fixtures.
pub(crate) fn fixture(name: &str) -> String {
    format!(
        "python3 -B {}",
        repo_path(&format!("adapters/process/tests/fixtures/{name}"))
    )
}

/// A fresh, empty directory for a test's files.
pub(crate) fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("jwt-conformance-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the temporary directory is writable");
    dir
}
