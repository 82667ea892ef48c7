//! Runs the jwt-conformance catalogue against jwtk's remote JWK Set verifier, one test
//! per case and per property (every case without a remote key set is skipped).

jwt_conformance::main!(jwt_conformance_jwtk::JwtkAdapter);
