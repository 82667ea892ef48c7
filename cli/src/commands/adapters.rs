//! `jwt-conformance adapters`

use crate::{registry, UsageError};
use std::process::ExitCode;

pub fn run() -> Result<ExitCode, UsageError> {
    let mut out = String::new();
    for b in registry::all() {
        let info = b.adapter.info();
        let algs: Vec<&str> = info.algorithms.iter().map(|a| a.as_str()).collect();
        out.push_str(&format!(
            "{:<16} {:<10} {:<10} {}\n",
            b.name,
            info.version,
            info.clock.as_str(),
            algs.join(" ")
        ));
    }
    crate::emit(&out, None)?;
    Ok(ExitCode::SUCCESS)
}
