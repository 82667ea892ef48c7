//! Runs the whole jwt-conformance catalogue against the example Python verifier through
//! process protocol v1, one test per case, the way any library's adapter runs it. Each
//! case may take a minute: the 16 MiB case of `resource-limits` takes seconds in a debug
//! build on a busy machine, and a slow answer is not what this run is about.

jwt_conformance_process::main!("python3 -B tests/fixtures/stdlib_hs256.py", timeout = 60);
