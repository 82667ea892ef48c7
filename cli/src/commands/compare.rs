//! `jwt-conformance compare --adapter A --adapter B --exec 'CMD' …`
//!
//! Each verifier runs the catalogue as its own suite. A built-in adapter runs in a child
//! `jwt-conformance run --adapter NAME --format json`, because some libraries fix
//! process-wide state on first use (jsonwebtoken's two crypto backends cannot share a
//! process) and because a crash then costs one column, not the comparison. A verifier
//! given with `--exec` runs through the process adapter, one verifier process kept
//! alive across its cases; `--all` adds every built-in adapter and every wrapper of the
//! repository's registry. Suites run side by side, as many at a time as there are cores.

use crate::report::matrix::{render_json, Matrix};
use crate::report::{html, json, markdown};
use crate::{registry, UsageError};
use clap::{Args, ValueEnum};
use jwt_conformance::case::{Level, Scoring};
use jwt_conformance::report::Report;
use jwt_conformance::{Adapter, Profile, Suite};
use jwt_conformance_process::{reply_timeout_for, ProcessAdapter};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

#[derive(Args)]
pub(crate) struct CompareArgs {
    /// A built-in adapter (repeatable; see `jwt-conformance adapters`); `all` names
    /// every built-in adapter.
    #[arg(long = "adapter", value_name = "NAME")]
    adapters: Vec<String>,
    /// A verifier process speaking protocol v1 (repeatable), e.g.
    /// 'node adapters/process/node-jose/verifier.mjs'. Columns follow the built-in
    /// adapters, in the order given.
    #[arg(long = "exec", value_name = "CMD")]
    execs: Vec<String>,
    /// Every built-in adapter and every wrapper registered in
    /// adapters/process/wrappers.toml (run it inside a checkout, with the wrappers
    /// installed by scripts/install-test-deps; a missing one is an error naming the
    /// command that installs it).
    #[arg(long)]
    all: bool,
    /// Run only cases whose id or one of whose references contains PATTERN; an advisory
    /// id of the register also selects the cases it maps (as for `run`).
    #[arg(long, value_name = "PATTERN")]
    filter: Option<String>,
    /// Run only the cases of a profile's policy preset (rfc9068, oidc-id-token, rfc7523),
    /// as `run --profile` does.
    #[arg(long, value_name = "NAME")]
    profile: Option<Profile>,
    /// Keep only the cases where the verifiers disagree (the HTML page keeps every case
    /// and starts with its "discriminating only" toggle on).
    #[arg(long)]
    discriminating: bool,
    /// Format for standard output, and for an --out file whose name does not end in
    /// .md, .html or .json.
    #[arg(long, value_enum, default_value = "markdown")]
    format: CompareFormat,
    /// Write the comparison to FILE instead of standard output (repeatable: one run can
    /// write `matrix.md`, `matrix.html` and `matrix.json`, each in the format its
    /// extension names).
    #[arg(long, value_name = "FILE")]
    out: Vec<PathBuf>,
    /// Per-case time limit in seconds.
    #[arg(long, default_value_t = 5.0, value_parser = super::run::parse_seconds)]
    timeout: f64,
    /// Score the `strict` level too (SHOULDs, MAY-rejects, hardening); without it a
    /// deviation there is information.
    #[arg(long)]
    strict: bool,
    /// Show only the cases of these levels (repeatable: rfc, bcp, strict); the column
    /// totals still count every case.
    #[arg(long = "level", value_name = "LEVEL", value_parser = parse_level)]
    levels: Vec<Level>,
}

fn parse_level(s: &str) -> Result<Level, String> {
    Level::ALL
        .into_iter()
        .find(|l| l.as_str() == s)
        .ok_or_else(|| format!("{s:?} is not a level (rfc, bcp or strict)"))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum CompareFormat {
    Markdown,
    Html,
    Json,
}

impl CompareFormat {
    /// The format a file's extension names, if any.
    fn of_path(path: &Path) -> Option<CompareFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(CompareFormat::Markdown),
            "html" | "htm" => Some(CompareFormat::Html),
            "json" => Some(CompareFormat::Json),
            _ => None,
        }
    }
}

/// One column of the comparison, before it runs.
enum Job {
    Builtin(&'static str),
    /// A verifier process that has said hello, its command line, and how to name it in
    /// progress lines.
    Exec {
        label: String,
        command: String,
        adapter: Arc<dyn Adapter>,
    },
}

impl Job {
    fn label(&self) -> &str {
        match self {
            Job::Builtin(name) => name,
            Job::Exec { label, .. } => label,
        }
    }
}

/// The built-in adapters the arguments name, `all` expanded, each once, in order.
fn builtins(names: &[String]) -> Result<Vec<&'static str>, UsageError> {
    let mut out: Vec<&'static str> = Vec::new();
    for name in names {
        let found: Vec<&'static str> = if name == "all" {
            registry::all().iter().map(|b| b.name).collect()
        } else {
            let b = registry::find(name).ok_or_else(|| {
                UsageError(format!(
                    "unknown adapter {name:?} (built-in adapters: {}, or all)",
                    registry::names()
                ))
            })?;
            vec![b.name]
        };
        for n in found {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    Ok(out)
}

/// Runs a built-in adapter in a child `run`, which reports in JSON.
fn run_builtin(name: &str, args: &CompareArgs) -> Result<Report, UsageError> {
    let exe = std::env::current_exe()
        .map_err(|e| UsageError(format!("cannot find this program to run {name}: {e}")))?;
    let mut command = Command::new(exe);
    command.args(["run", "--adapter", name, "--format", "json", "--timeout"]);
    command.arg(args.timeout.to_string());
    if args.strict {
        command.arg("--strict");
    }
    if let Some(pattern) = &args.filter {
        command.args(["--filter", pattern]);
    }
    if let Some(profile) = args.profile {
        command.args(["--profile", profile.as_str()]);
    }
    let output = command
        .output()
        .map_err(|e| UsageError(format!("cannot run the adapter {name}: {e}")))?;
    // `run` exits 1 when a case failed: that is a result, not an error.
    if !matches!(output.status.code(), Some(0 | 1)) {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(UsageError(format!(
            "the adapter {name} did not complete its run ({}): {}",
            output.status,
            last.trim()
        )));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    json::parse(&text).map_err(|e| {
        UsageError(format!(
            "the adapter {name} wrote an unreadable report: {e}"
        ))
    })
}

fn run_job(job: &Job, args: &CompareArgs) -> Result<Report, UsageError> {
    match job {
        Job::Builtin(name) => run_builtin(name, args),
        Job::Exec { adapter, .. } => Suite::new(Arc::clone(adapter))
            .timeout(Duration::from_secs_f64(args.timeout))
            .scoring(scoring(args))
            .filter(args.filter.clone())
            .profile(args.profile)
            .run()
            .map_err(|e| UsageError(e.to_string())),
    }
}

fn scoring(args: &CompareArgs) -> Scoring {
    if args.strict {
        Scoring::Strict
    } else {
        Scoring::Default
    }
}

/// Runs every job, `parallel` at a time, reporting progress on stderr; results keep the
/// jobs' order.
fn run_all(jobs: &[Job], args: &CompareArgs, parallel: usize) -> Vec<Result<Report, UsageError>> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Report, UsageError>>>> =
        Mutex::new((0..jobs.len()).map(|_| None).collect());
    thread::scope(|s| {
        for _ in 0..parallel.clamp(1, jobs.len().max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(i) else { break };
                let started = Instant::now();
                eprintln!("compare: running {}", job.label());
                let result = run_job(job, args);
                match &result {
                    Ok(r) => eprintln!(
                        "compare: {} done in {:.1}s: {} cases, {} passed, {} failed, {} expected failures, {} skipped",
                        job.label(),
                        started.elapsed().as_secs_f64(),
                        r.summary.total,
                        r.summary.passed,
                        r.summary.failed,
                        r.summary.expected_failures,
                        r.summary.skipped
                    ),
                    Err(UsageError(e)) => eprintln!("compare: {} failed: {e}", job.label()),
                }
                results.lock().unwrap_or_else(PoisonError::into_inner)[i] = Some(result);
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|| Err(UsageError("a verifier's run did not finish".to_string())))
        })
        .collect()
}

/// Column names must tell the verifiers apart: a repeated name gets ` #2`, ` #3`, ….
fn distinct_names(reports: &mut [Report]) {
    let mut seen: Vec<String> = Vec::new();
    for report in reports {
        let base = report.adapter.name.clone();
        let mut name = base.clone();
        let mut n = 1;
        while seen.contains(&name) {
            n += 1;
            name = format!("{base} #{n}");
        }
        seen.push(name.clone());
        report.adapter.name = name;
    }
}

fn render(matrix: &Matrix, format: CompareFormat, discriminating: bool) -> String {
    match format {
        CompareFormat::Html => {
            // The page keeps every case; the flag only sets the toggle.
            let mut page = matrix.clone();
            page.discriminating_only = discriminating;
            html::render(&page)
        }
        CompareFormat::Markdown | CompareFormat::Json => {
            let shown = if discriminating {
                matrix.clone().discriminating()
            } else {
                matrix.clone()
            };
            if format == CompareFormat::Json {
                render_json(&shown)
            } else {
                markdown::render_matrix(&shown)
            }
        }
    }
}

/// This command line as a user would type it, for the report to show.
fn invocation() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    format!("jwt-conformance {}", shell_words::join(args))
}

/// A verifier process to start: the command line to spawn, the one to show, and for a
/// registered wrapper the command that installs it.
struct Exec {
    spawn: String,
    shown: String,
    install: Option<String>,
}

/// The `--exec` commands, then with `--all` every registered wrapper, each checked to be
/// installed.
fn execs(args: &CompareArgs) -> Result<Vec<Exec>, UsageError> {
    let mut out: Vec<Exec> = args
        .execs
        .iter()
        .map(|command| Exec {
            spawn: command.clone(),
            shown: command.clone(),
            install: None,
        })
        .collect();
    if args.all {
        let registry = registry::Wrappers::find().map_err(UsageError)?;
        for wrapper in &registry.wrappers {
            wrapper
                .check_installed(&registry.root)
                .map_err(UsageError)?;
            out.push(Exec {
                spawn: wrapper.command_from(&registry.root),
                shown: wrapper.command.clone(),
                install: Some(wrapper.install_command()),
            });
        }
    }
    Ok(out)
}

pub(crate) fn run(args: CompareArgs) -> Result<ExitCode, UsageError> {
    let mut adapter_names = args.adapters.clone();
    if args.all {
        adapter_names.push("all".to_string());
    }
    let names = builtins(&adapter_names)?;
    let execs = execs(&args)?;
    if names.is_empty() && execs.is_empty() {
        return Err(UsageError(
            "compare needs at least one --adapter NAME, --exec 'CMD' or --all".to_string(),
        ));
    }
    let reply_timeout = reply_timeout_for(Duration::from_secs_f64(args.timeout));
    let mut jobs: Vec<Job> = names.into_iter().map(Job::Builtin).collect();
    // Every verifier process must say hello before anything runs: one that does not
    // speak the protocol is a usage error, not a column of failures.
    for exec in &execs {
        let adapter = ProcessAdapter::spawn(&exec.spawn, reply_timeout).map_err(|e| {
            UsageError(match &exec.install {
                Some(install) => format!("{e} (reinstall it with `{install}`)"),
                None => e.to_string(),
            })
        })?;
        let label = format!("{} (`{}`)", adapter.info().name, exec.shown);
        jobs.push(Job::Exec {
            label,
            command: exec.shown.clone(),
            adapter: Arc::new(adapter),
        });
    }
    let parallel = thread::available_parallelism().map_or(1, usize::from);
    let mut reports = Vec::with_capacity(jobs.len());
    for result in run_all(&jobs, &args, parallel) {
        reports.push(result?);
    }
    distinct_names(&mut reports);
    let mut matrix = Matrix::new(&reports);
    if !args.levels.is_empty() {
        matrix = matrix.levels(&args.levels);
    }
    matrix.invocation = Some(invocation());
    for (column, job) in matrix.verifiers.iter_mut().zip(&jobs) {
        if let Job::Exec { command, .. } = job {
            column.command = Some(command.clone());
        }
    }
    if args.out.is_empty() {
        crate::emit(&render(&matrix, args.format, args.discriminating), None)?;
    }
    for path in &args.out {
        let format = CompareFormat::of_path(path).unwrap_or(args.format);
        crate::emit(&render(&matrix, format, args.discriminating), Some(path))?;
        eprintln!("compare: wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_extensions_name_formats() {
        let of = |p: &str| CompareFormat::of_path(Path::new(p));
        assert_eq!(of("m.md"), Some(CompareFormat::Markdown));
        assert_eq!(of("m.HTML"), Some(CompareFormat::Html));
        assert_eq!(of("out/m.json"), Some(CompareFormat::Json));
        assert_eq!(of("m.txt"), None);
        assert_eq!(of("matrix"), None);
    }

    #[test]
    fn all_expands_to_every_builtin_once_and_unknown_names_are_errors() {
        let every: Vec<&str> = registry::all().iter().map(|b| b.name).collect();
        let first = every[0].to_string();
        let Ok(got) = builtins(&[first.clone(), "all".to_string(), first]) else {
            panic!("known names and `all` must resolve");
        };
        assert_eq!(got, every);
        let Err(UsageError(e)) = builtins(&["no-such-adapter".to_string()]) else {
            panic!("an unknown adapter must be an error");
        };
        assert!(e.contains("\"no-such-adapter\""), "{e}");
    }
}
