//! Runs the whole jwt-conformance catalogue and its properties against jwt, one test per
//! case and per property.

jwt_conformance::main!(jwt_conformance_jwt::JwtAdapter);
