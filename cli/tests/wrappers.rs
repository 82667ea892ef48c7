//! Every process wrapper registered in adapters/process/wrappers.toml runs end to end:
//! `jwt-conformance run --exec` against the real library. The trials come from the
//! registry, so a wrapper added there is tested without touching this file. They need
//! the wrappers installed (`scripts/install-test-deps`, which `.ci/run` runs); a missing
//! install fails with the command that installs it, so CI can never skip them silently.

mod common;

use common::{jwt_conformance, repo, show};
use libtest_mimic::{Arguments, Failed, Trial};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// A wrapper as the registry lists it (the fields these tests use).
#[derive(Clone, Debug, Deserialize)]
struct Wrapper {
    name: String,
    dir: String,
    command: String,
    install: String,
    package: String,
    version: String,
    check: String,
    #[serde(default)]
    library_crashes: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Registry {
    wrapper: Vec<Wrapper>,
}

fn registry() -> Vec<Wrapper> {
    let path = repo().join("adapters/process/wrappers.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str::<Registry>(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .wrapper
}

impl Wrapper {
    /// `Err` naming the command that installs the wrapper when it is not installed.
    fn installed(&self) -> Result<(), Failed> {
        if repo().join(&self.check).exists() {
            Ok(())
        } else {
            Err(format!(
                "{} is not installed ({} is missing): install it with \
                 `scripts/install-test-deps {}` (or run .ci/run)",
                self.name, self.check, self.name
            )
            .into())
        }
    }

    /// `run --exec` over the cases whose id contains `filter` (all with None), as a JSON
    /// report; the exit status must be 0 or 1, never 2.
    fn run(&self, filter: Option<&str>) -> Result<(i32, Value), Failed> {
        self.installed()?;
        let mut args = vec![
            "run",
            "--exec",
            &self.command,
            "--format",
            "json",
            "--timeout",
            "20",
        ];
        if let Some(filter) = filter {
            args.extend(["--filter", filter]);
        }
        let output = jwt_conformance(&args);
        let code = match output.status.code() {
            Some(code @ (0 | 1)) => code,
            _ => return Err(format!("{}: {}", self.name, show(&output)).into()),
        };
        let report = serde_json::from_slice(&output.stdout)
            .map_err(|e| format!("{}: {e}: {}", self.name, show(&output)))?;
        Ok((code, report))
    }

    /// The version the wrapper's lock file pins, for PyPI and npm packages.
    fn locked_version(&self) -> Option<String> {
        let dir = repo().join(&self.dir);
        match self.install.as_str() {
            "python-venv" => {
                let text = std::fs::read_to_string(dir.join("requirements.txt")).ok()?;
                let prefix = format!("{}==", self.package);
                text.lines()
                    .find_map(|l| l.trim().strip_prefix(&prefix))
                    .map(|v| v.trim().to_string())
            }
            "npm-ci" => {
                let text = std::fs::read_to_string(dir.join("package-lock.json")).ok()?;
                let lock: Value = serde_json::from_str(&text).ok()?;
                lock["packages"][format!("node_modules/{}", self.package)]["version"]
                    .as_str()
                    .map(str::to_string)
            }
            _ => None,
        }
    }
}

/// The hello names the registry's pinned version (which the lock file pins too), and
/// every correctly signed token is accepted with exactly its claims, for each algorithm
/// the wrapper declares; the others are skipped for that reason only.
fn hello_and_valid_tokens(wrapper: &Wrapper) -> Result<(), Failed> {
    if matches!(wrapper.install.as_str(), "python-venv" | "npm-ci") {
        let locked = wrapper.locked_version();
        if locked.as_deref() != Some(wrapper.version.as_str()) {
            return Err(format!(
                "{}: the registry pins {} {} but the lock file pins {locked:?}",
                wrapper.name, wrapper.package, wrapper.version
            )
            .into());
        }
    }
    let (code, report) = wrapper.run(Some("positive/"))?;
    if report["adapter"]["name"] != wrapper.name.as_str() {
        return Err(format!(
            "the hello names {}, the registry {}",
            report["adapter"]["name"], wrapper.name
        )
        .into());
    }
    if report["adapter"]["version"].as_str() != Some(wrapper.version.as_str()) {
        return Err(format!(
            "{}: the hello reports version {}, the registry pins {}",
            wrapper.name, report["adapter"]["version"], wrapper.version
        )
        .into());
    }
    let results = report["results"].as_array().ok_or("no results")?;
    if results.len() < 13 {
        return Err(format!(
            "{}: {} positive cases, expected one per algorithm",
            wrapper.name,
            results.len()
        )
        .into());
    }
    let mut passed = 0;
    for r in results {
        match r["outcome"].as_str() {
            Some("pass") => passed += 1,
            Some("skipped")
                if r["reason"]
                    .as_str()
                    .unwrap_or("")
                    .contains("does not support") => {}
            _ => return Err(format!("{} on a valid token: {r}", wrapper.name).into()),
        }
    }
    if passed == 0 || code != 0 {
        return Err(format!(
            "{}: {passed} positive cases passed, exit status {code}",
            wrapper.name
        )
        .into());
    }
    Ok(())
}

/// A full run completes: every case gets a verdict, no reply breaks the protocol, and
/// malformed tokens never bring the wrapper down.
fn full_run(wrapper: &Wrapper) -> Result<(), Failed> {
    let (_, report) = wrapper.run(None)?;
    let results = report["results"].as_array().ok_or("no results")?;
    if Some(results.len() as u64) != report["summary"]["total"].as_u64() || results.len() < 400 {
        return Err(format!(
            "{}: {} results for {} cases",
            wrapper.name,
            results.len(),
            report["summary"]["total"]
        )
        .into());
    }
    let mut problems = Vec::new();
    for r in results {
        let verdict = r["verdict"].as_str().unwrap_or("");
        let detail = r["detail"].as_str().unwrap_or("");
        let id = r["id"].as_str().unwrap_or("");
        if !matches!(
            verdict,
            "accepted" | "rejected" | "unsupported" | "panicked" | "timed_out"
        ) {
            problems.push(format!("no verdict: {r}"));
        } else if detail.contains("garbage reply") {
            problems.push(format!("protocol error: {}: {detail:.300}", r["id"]));
        } else if let Some(why) = wrapper.library_crashes.get(id) {
            if verdict != "panicked" {
                problems.push(format!(
                    "{id} is listed as a library crash ({why}) but got {verdict}: remove it"
                ));
            }
        } else if verdict == "panicked" && id.starts_with("format/") {
            problems.push(format!(
                "the wrapper died on a malformed token: {}: {detail:.300}",
                r["id"]
            ));
        }
    }
    for id in wrapper.library_crashes.keys() {
        if !results.iter().any(|r| r["id"] == id.as_str()) {
            problems.push(format!("{id} is listed as a library crash but is no case"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}:\n{}", wrapper.name, problems.join("\n")).into())
    }
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    for wrapper in registry() {
        let w = wrapper.clone();
        trials.push(Trial::test(
            format!("{}/hello-and-valid-tokens", wrapper.name),
            move || hello_and_valid_tokens(&w),
        ));
        let w = wrapper.clone();
        trials.push(Trial::test(
            format!("{}/full-run", wrapper.name),
            move || full_run(&w),
        ));
    }
    libtest_mimic::run(&args, trials).exit();
}
