//! The process wrappers under adapters/process/ run end to end: `jwt-conformance run
//! --exec` against the real Python and Node libraries. They need the wrappers' installed
//! dependencies (`.ci/run` installs them); a missing install fails with the command that
//! installs it, so CI can never skip these tests silently.

mod common;

use common::{jwt_conformance, repo_path, show};
use serde_json::Value;

/// One wrapper: where it lives, how to start it, and what its hello must say.
struct Wrapper {
    dir: &'static str,
    /// The hello's `name`.
    name: &'static str,
    /// The package whose pinned version the hello must report.
    package: &'static str,
}

const PYJWT: Wrapper = Wrapper {
    dir: "python-pyjwt",
    name: "pyjwt",
    package: "PyJWT",
};
const JWCRYPTO: Wrapper = Wrapper {
    dir: "python-jwcrypto",
    name: "jwcrypto",
    package: "jwcrypto",
};
const NODE_JOSE: Wrapper = Wrapper {
    dir: "node-jose",
    name: "jose",
    package: "jose",
};
const NODE_JSONWEBTOKEN: Wrapper = Wrapper {
    dir: "node-jsonwebtoken",
    name: "node-jsonwebtoken",
    package: "jsonwebtoken",
};

impl Wrapper {
    fn path(&self, file: &str) -> String {
        repo_path(&format!("adapters/process/{}/{file}", self.dir))
    }

    fn is_python(&self) -> bool {
        self.dir.starts_with("python-")
    }

    /// The command line, after checking the wrapper's dependencies are installed.
    fn command(&self) -> String {
        let dir = format!("adapters/process/{}", self.dir);
        if self.is_python() {
            let python = self.path(".venv/bin/python");
            assert!(
                std::path::Path::new(&python).exists(),
                "{dir}/.venv is missing: install it with `python3 -m venv {dir}/.venv && \
                 {dir}/.venv/bin/pip install -r {dir}/requirements.txt` (or run .ci/run)"
            );
            format!("{python} {}", self.path("verifier.py"))
        } else {
            let installed = self.path(&format!("node_modules/{}/package.json", self.package));
            assert!(
                std::path::Path::new(&installed).exists(),
                "{dir}/node_modules is missing: install it with `cd {dir} && npm ci` (or run .ci/run)"
            );
            let script = if self.dir == "node-jose" {
                "verifier.mjs"
            } else {
                "verifier.js"
            };
            format!("node {}", self.path(script))
        }
    }

    /// The version the repository pins for the library.
    fn pinned_version(&self) -> String {
        if self.is_python() {
            let text = std::fs::read_to_string(self.path("requirements.txt")).unwrap();
            let prefix = format!("{}==", self.package);
            text.lines()
                .find_map(|l| l.trim().strip_prefix(&prefix))
                .unwrap_or_else(|| panic!("requirements.txt pins no {}", self.package))
                .trim()
                .to_string()
        } else {
            let lock: Value = serde_json::from_str(
                &std::fs::read_to_string(self.path("package-lock.json")).unwrap(),
            )
            .unwrap();
            lock["packages"][format!("node_modules/{}", self.package)]["version"]
                .as_str()
                .unwrap_or_else(|| panic!("package-lock.json pins no {}", self.package))
                .to_string()
        }
    }

    /// `run --exec` over the cases whose id contains `filter`, as a JSON report.
    fn run(&self, filter: &str) -> (Option<i32>, Value) {
        let command = self.command();
        let output = jwt_conformance(&[
            "run",
            "--exec",
            &command,
            "--filter",
            filter,
            "--format",
            "json",
            "--timeout",
            "20",
        ]);
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{}",
            show(&output)
        );
        let report = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", show(&output)));
        (output.status.code(), report)
    }
}

/// Every well-formed, correctly signed token is accepted with exactly its claims, for
/// each algorithm the wrapper declares; the others are skipped for that reason only.
fn positive_cases_pass(wrapper: &Wrapper) {
    let (code, report) = wrapper.run("positive/");
    assert_eq!(report["adapter"]["name"], wrapper.name);
    assert_eq!(
        report["adapter"]["version"].as_str(),
        Some(wrapper.pinned_version().as_str()),
        "the hello reports the installed version"
    );
    let results = report["results"].as_array().unwrap();
    assert!(results.len() >= 13, "one positive case per algorithm");
    let mut passed = 0;
    for r in results {
        match r["outcome"].as_str() {
            Some("pass") => passed += 1,
            Some("skipped") => assert!(
                r["reason"].as_str().unwrap().contains("does not support"),
                "{r}"
            ),
            _ => panic!("{} on a valid token: {r}", wrapper.name),
        }
    }
    assert!(passed > 0, "{}: no positive case ran", wrapper.name);
    assert_eq!(code, Some(0));
}

/// Malformed tokens are answered, never crash the wrapper: no case ends with the process
/// gone or a reply the harness cannot read (the library may still hang, which the time
/// limit catches).
fn malformed_tokens_never_break_the_wrapper(wrapper: &Wrapper) {
    let (_, report) = wrapper.run("format/");
    let results = report["results"].as_array().unwrap();
    assert!(results.len() >= 10);
    for r in results {
        assert_ne!(r["verdict"], "panicked", "{}: {r}", wrapper.name);
    }
}

#[test]
fn pyjwt_accepts_valid_tokens() {
    positive_cases_pass(&PYJWT);
}

#[test]
fn pyjwt_survives_malformed_tokens() {
    malformed_tokens_never_break_the_wrapper(&PYJWT);
}

#[test]
fn jwcrypto_accepts_valid_tokens() {
    positive_cases_pass(&JWCRYPTO);
}

#[test]
fn jwcrypto_survives_malformed_tokens() {
    malformed_tokens_never_break_the_wrapper(&JWCRYPTO);
}

#[test]
fn node_jose_accepts_valid_tokens() {
    positive_cases_pass(&NODE_JOSE);
}

#[test]
fn node_jose_survives_malformed_tokens() {
    malformed_tokens_never_break_the_wrapper(&NODE_JOSE);
}

#[test]
fn node_jsonwebtoken_accepts_valid_tokens() {
    positive_cases_pass(&NODE_JSONWEBTOKEN);
}

#[test]
fn node_jsonwebtoken_survives_malformed_tokens() {
    malformed_tokens_never_break_the_wrapper(&NODE_JSONWEBTOKEN);
}
