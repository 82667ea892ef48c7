//! Runs the jwt-conformance catalogue against openidconnect's ID token verifier, one test
//! per case and per property. Only the `oidc-id-token` profile's cases are expressible;
//! the adapter answers every other policy `unsupported`, so the rest are skipped.

jwt_conformance::main!(jwt_conformance_openidconnect::OpenIdConnectAdapter);
