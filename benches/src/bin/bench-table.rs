//! Writes the Markdown summary of the jwt-conformance benches from criterion's results.
//!
//! ```text
//! bench-table [--criterion-dir DIR] [--out FILE] [--command TEXT]
//! ```
//!
//! `--command` records the bench command the results came from (default
//! `cargo bench -p jwt-conformance-benches`), for a run made with criterion options.
//!
//! `DIR` defaults to criterion's own choice: `$CRITERION_HOME`, else
//! `$CARGO_TARGET_DIR/criterion`, else the workspace's `target/criterion`. Without
//! `--out` the table goes to standard output. Criterion keeps the latest result of every
//! benchmark it ever ran there, so empty that directory before a run that is to be
//! reported on its own.

use jwt_conformance_benches::{load, render, utc_date, Machine, BENCH_COMMAND};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::SystemTime;

const USAGE: &str = "usage: bench-table [--criterion-dir DIR] [--out FILE] [--command TEXT]";

struct Args {
    criterion_dir: PathBuf,
    out: Option<PathBuf>,
    command: String,
}

fn default_criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        PathBuf::from(home)
    } else if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        PathBuf::from(target).join("criterion")
    } else {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/criterion"))
    }
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut args = Args {
        criterion_dir: default_criterion_dir(),
        out: None,
        command: BENCH_COMMAND.to_string(),
    };
    let mut it = std::env::args_os().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .map(PathBuf::from)
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.to_str() {
            Some("--criterion-dir") => args.criterion_dir = value("--criterion-dir")?,
            Some("--out") => args.out = Some(value("--out")?),
            Some("--command") => args.command = value("--command")?.to_string_lossy().into_owned(),
            Some("-h" | "--help") => return Ok(None),
            _ => return Err(format!("unknown argument {arg:?}\n{USAGE}")),
        }
    }
    Ok(Some(args))
}

/// `2-core VM, <model name>` from /proc/cpuinfo, where there is one.
fn machine_description() -> String {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    let kind = if std::path::Path::new("/sys/hypervisor/type").exists()
        || std::fs::read_to_string("/proc/cpuinfo").is_ok_and(|t| t.contains(" hypervisor"))
    {
        "VM"
    } else {
        "machine"
    };
    format!("{cores}-core {kind}, {model}")
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("bench-table: {e}");
            return ExitCode::from(2);
        }
    };
    let results = match load(&args.criterion_dir) {
        Ok(results) => results,
        Err(e) => {
            eprintln!("bench-table: {e}");
            return ExitCode::FAILURE;
        }
    };
    let machine = Machine {
        description: machine_description(),
        date: utc_date(results.newest.unwrap_or_else(SystemTime::now)),
        command: args.command.clone(),
    };
    let mut table = render(&results, &machine);
    match &args.out {
        Some(path) => {
            // What was measured from outside criterion (whole command lines, side by
            // side) is kept from the previous file, below its marker.
            if let Ok(previous) = std::fs::read_to_string(path) {
                if let Some(at) = previous.find(jwt_conformance_benches::KEPT_MARKER) {
                    table.push('\n');
                    table.push_str(&previous[at..]);
                }
            }
            if let Err(e) = std::fs::write(path, &table) {
                eprintln!("bench-table: cannot write {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        }
        None => print!("{table}"),
    }
    ExitCode::SUCCESS
}
