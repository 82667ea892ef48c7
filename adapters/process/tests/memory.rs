//! The memory a verifier process uses, measured around each request, and the bound of
//! the `jwe-limits` cases checked on it.

mod common;

use common::spawn_fixture;
use jwt_conformance::{catalogue, Adapter, Context, Outcome, Suite};
use jwt_conformance_process::reply_timeout_for;
use std::sync::Arc;
use std::time::Duration;

const RUNNER: Duration = Duration::from_secs(60);

#[test]
fn a_verifier_that_inflates_a_bomb_fails_the_memory_bound_with_its_growth_reported() {
    let adapter: Arc<dyn Adapter> =
        Arc::new(spawn_fixture("inflates_zip.py", reply_timeout_for(RUNNER)));
    let info = adapter.info();
    let cases = catalogue::jwe_limits::cases(&Context::for_adapter(&info));
    let suite = Suite::new(Arc::clone(&adapter)).timeout(RUNNER);
    for case in &cases {
        let scored = suite.run_case(&info, case);
        let used = scored
            .memory
            .unwrap_or_else(|| panic!("{}: memory is measured", case.id));
        eprintln!("{}: {used}", case.id);
        assert!(
            used.peak_rss_kib >= used.growth_kib,
            "{}: {used:?}",
            case.id
        );
        if case.id == "jwe-limits/zip-bomb-128mib" {
            assert_eq!(scored.outcome, Outcome::Fail, "{}", scored.detail);
            assert_eq!(scored.reason, "memory bound exceeded");
            assert!(used.growth_kib >= 100 * 1024, "{used:?}");
            assert!(
                scored.detail.contains("over the case's bound of 64.0 MiB"),
                "{}",
                scored.detail
            );
        } else {
            // Rejected within the bound; the controls are RS256 or HS256 under a key
            // pair, which this HS256-only fixture does not confirm.
            assert!(used.growth_kib < 16 * 1024, "{}: {used:?}", case.id);
            assert_ne!(
                scored.outcome,
                Outcome::Fail,
                "{}: {}",
                case.id,
                scored.detail
            );
        }
    }
}

#[test]
fn an_ordinary_request_grows_the_process_by_little() {
    let adapter = spawn_fixture("stdlib_hs256.py", reply_timeout_for(RUNNER));
    let ctx = Context::for_adapter(&adapter.info());
    let case = catalogue::positive::cases(&ctx)
        .into_iter()
        .find(|c| c.policy.algorithms == [jwt_conformance::Alg::HS256])
        .expect("an HS256 positive case");
    let verifier = adapter.prepare(&case.policy).unwrap();
    assert!(matches!(
        verifier.verify(&case.token),
        jwt_conformance::Verdict::Accepted { .. }
    ));
    let used = verifier.memory().expect("memory is measured");
    eprintln!("{}: {used}", case.id);
    assert!(used.peak_rss_kib > 1024, "a Python process: {used:?}");
    assert!(used.growth_kib < 8 * 1024, "{used:?}");
}
