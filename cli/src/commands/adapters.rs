//! `jwt-conformance adapters`

use crate::{registry, UsageError};
use std::process::ExitCode;

pub(crate) fn run() -> Result<ExitCode, UsageError> {
    let adapters = registry::all();
    // Columns as wide as their longest entry, so that every name lines up.
    let name_width = adapters.iter().map(|b| b.name.len()).max().unwrap_or(0);
    let infos: Vec<_> = adapters.iter().map(|b| b.adapter().info()).collect();
    let version_width = infos.iter().map(|i| i.version.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (b, info) in adapters.iter().zip(&infos) {
        let algs: Vec<&str> = info.algorithms.iter().map(|a| a.as_str()).collect();
        out.push_str(&format!(
            "{:<name_width$}  {:<version_width$}  {:<10} {}\n",
            b.name,
            info.version,
            info.clock.as_str(),
            algs.join(" ")
        ));
    }
    crate::emit(&out, None)?;
    Ok(ExitCode::SUCCESS)
}
