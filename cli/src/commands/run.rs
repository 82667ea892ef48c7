//! `jwt-conformance run --adapter NAME | --exec 'CMD ARGS'`

use crate::report::{json, junit, markdown, text};
use crate::{registry, UsageError};
use clap::{Args, ValueEnum};
use jwt_conformance::case::Scoring;
use jwt_conformance::cves::Coverage;
use jwt_conformance::properties::{PropertyConfig, SeedChoice};
use jwt_conformance::{Adapter, Manifest, Profile, Suite};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[derive(Args)]
pub(crate) struct RunArgs {
    /// A built-in adapter (see `jwt-conformance adapters`).
    #[arg(long, conflicts_with = "exec", required_unless_present = "exec")]
    adapter: Option<String>,
    /// A verifier process speaking protocol v1, e.g. 'python3 verifier.py'.
    #[arg(long)]
    exec: Option<String>,
    /// Run only cases whose id or one of whose references contains PATTERN (references
    /// compared ignoring ASCII case, e.g. `RFC7515#section-4.1.11`). An advisory id of the
    /// register (`CVE-2022-21449`, or one of its aliases) also selects the cases the
    /// register maps to it; `jwt-conformance cves` lists them.
    #[arg(long, value_name = "PATTERN")]
    filter: Option<String>,
    /// Run only the cases of a profile's policy preset (rfc9068, oidc-id-token, rfc7523):
    /// its class and the explicit-typing cases offered to it, no properties. Combines
    /// with --filter.
    #[arg(long, value_name = "NAME")]
    profile: Option<Profile>,
    #[arg(long, value_enum, default_value = "text")]
    format: RunFormat,
    /// Write the report here instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Expected-failures manifest (default: the built-in adapter's own).
    #[arg(long)]
    manifest: Option<PathBuf>,
    /// Per-case time limit in seconds.
    #[arg(long, default_value_t = 5.0, value_parser = parse_seconds)]
    timeout: f64,
    /// Generated cases per property (default: PROPTEST_CASES, else 128; 0 skips them).
    #[arg(long, value_name = "N")]
    proptest_cases: Option<u32>,
    /// Score the `strict` level too (SHOULDs, MAY-rejects, hardening); without it they
    /// are reported as information.
    #[arg(long)]
    strict: bool,
    /// The properties' seed: a number, or `random` to explore (default: derived from
    /// each property's id and the tool version, or PROPTEST_RNG_SEED).
    #[arg(long, value_name = "N|random")]
    seed: Option<SeedChoice>,
}

pub(crate) fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 3600.0 => Ok(v),
        _ => Err(format!(
            "{s:?} is not a number of seconds between 0 and 3600"
        )),
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum RunFormat {
    Text,
    Json,
    Markdown,
    Junit,
}

/// The adapter and manifest the arguments name.
fn resolve(args: &RunArgs, timeout: Duration) -> Result<(Arc<dyn Adapter>, Manifest), UsageError> {
    let manifest_file = match &args.manifest {
        Some(path) => Some(Manifest::load(path).map_err(|e| UsageError(e.to_string()))?),
        None => None,
    };
    if let Some(name) = &args.adapter {
        let builtin = registry::find(name).ok_or_else(|| {
            UsageError(format!(
                "unknown adapter {name:?} (built-in adapters: {})",
                registry::names()
            ))
        })?;
        let manifest = match manifest_file {
            Some(m) => m,
            None => builtin.manifest().map_err(|e| UsageError(e.to_string()))?,
        };
        return Ok((builtin.adapter(), manifest));
    }
    let command = args.exec.as_deref().unwrap_or_default();
    let adapter = jwt_conformance_process::ProcessAdapter::spawn(
        command,
        jwt_conformance_process::reply_timeout_for(timeout),
    )
    .map_err(|e| UsageError(e.to_string()))?;
    Ok((Arc::new(adapter), manifest_file.unwrap_or_default()))
}

pub(crate) fn run(args: RunArgs) -> Result<ExitCode, UsageError> {
    if let Some(note) = args.filter.as_deref().and_then(advisory_note) {
        eprintln!("jwt-conformance: {note}");
    }
    let timeout = Duration::from_secs_f64(args.timeout);
    let (adapter, manifest) = resolve(&args, timeout)?;
    let suite = Suite::new(adapter)
        .manifest(manifest)
        .timeout(timeout)
        .filter(args.filter.clone())
        .profile(args.profile)
        .scoring(if args.strict {
            Scoring::Strict
        } else {
            Scoring::Default
        })
        .properties(PropertyConfig {
            cases: args.proptest_cases,
            seed: args.seed.unwrap_or_default(),
            ..PropertyConfig::default()
        });
    let report = suite.run().map_err(|e| UsageError(e.to_string()))?;
    let rendered = match args.format {
        RunFormat::Text => text::render(&report),
        RunFormat::Json => json::render(&report),
        RunFormat::Markdown => markdown::render(&report),
        RunFormat::Junit => junit::render(&report),
    };
    crate::emit(&rendered, args.out.as_ref())?;
    Ok(if report.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What the register says of the advisory a filter names, so that a run selecting few or
/// no cases says why.
pub(crate) fn advisory_note(pattern: &str) -> Option<String> {
    let a = jwt_conformance::cves::named_by_filter(pattern)?;
    let what = match a.coverage {
        Coverage::Covered => format!(
            "{} case{} mapped in the register, plus any case citing it",
            a.cases.len(),
            if a.cases.len() == 1 { "" } else { "s" }
        ),
        Coverage::Planned => format!(
            "{} will catch it: {}",
            a.planned.join(", "),
            a.reason.as_deref().unwrap_or_default()
        ),
        Coverage::Uncovered => a.reason.clone().unwrap_or_default(),
    };
    Some(format!(
        "{} ({}) is {}: {what}",
        a.id, a.library, a.coverage
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Command {
        #[command(flatten)]
        run: RunArgs,
    }

    fn parse(args: &[&str]) -> Result<RunArgs, String> {
        Command::try_parse_from(["run"].iter().chain(args))
            .map(|c| c.run)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn a_profile_is_named_and_an_unknown_one_is_a_usage_error() {
        let args = parse(&["--adapter", "reference", "--profile", "oidc-id-token"]).unwrap();
        assert_eq!(args.profile, Some(Profile::OidcIdToken));
        assert_eq!(parse(&["--adapter", "reference"]).unwrap().profile, None);
        let Err(e) = parse(&["--adapter", "reference", "--profile", "oidc"]) else {
            panic!("an unknown profile must not parse");
        };
        assert!(e.contains("oidc-id-token"), "{e}");
    }
}
