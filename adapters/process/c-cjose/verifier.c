/* jwt-conformance process protocol v1 wrapper around cjose (Cisco), as Debian ships it
 * (libcjose-dev 0.6).
 *
 * Build (scripts/install-test-deps does it) and run:
 *
 *   cc -O2 -o build/verifier verifier.c ../c-common/jwtc_protocol.c \
 *       $(pkg-config --cflags --libs cjose jansson)
 *   jwt-conformance run --exec 'adapters/process/c-cjose/build/verifier'
 *
 * cjose implements JWS, JWE and JWK and checks no JWT claim (mod_auth_openidc, its main
 * user, checks claims itself). What this column measures is what code that uses cjose
 * as its JWT verifier gets. How it is used, following its headers:
 * - each trusted JWK is imported with `cjose_jwk_import` (a JWK that carries its private
 *   part is imported whole, and cjose verifies with its public part); the key is the
 *   one the header's `kid` names (the only one when the token has no `kid`), read from the
 *   imported token's protected header (`cjose_jws_get_protected`, a jansson object);
 * - `cjose_jws_import(token)` parses it and `cjose_jws_verify(jws, jwk)` checks the
 *   signature with the header's `alg`; `cjose_jws_get_plaintext` gives the payload, and
 *   the claims are that payload read with jansson, cjose's own JSON library, with its
 *   default flags (a payload it does not read as a JSON object is rejected, as code
 *   decoding claims on top of cjose would).
 * cjose checks no claim, has no allow-list of algorithms and no clock: the wrapper
 * declares a system clock and never checks anything itself. A policy with an issuer,
 * audiences, a `typ` or a required claim other than `exp` is answered `unsupported`; a
 * required `exp` (every policy has one) and the allowed algorithms are left to the
 * library, as the jsonwebtoken and go-jose wrappers do: the time, claim and algorithm
 * cases show what that lets through. Reject kinds come from cjose's error codes:
 * a token `cjose_jws_import` refuses is malformed, a failed verification with
 * CJOSE_ERR_CRYPTO is a signature failure. */
#define _GNU_SOURCE
#include "../c-common/jwtc_protocol.h"

#include <cjose/cjose.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A trusted JWK as cjose imports it. */
static void *import_jwk(json_t *jwk, size_t *length, char **error) {
    char *text = json_dumps(jwk, JSON_COMPACT);
    cjose_err err = {0};
    cjose_jwk_t *key = text ? cjose_jwk_import(text, strlen(text), &err) : NULL;
    if (!key)
        *error = strdup(err.message ? err.message : "cjose_jwk_import failed");
    free(text);
    return key;
}

static json_t *reject_err(const char *id, const char *what, const cjose_err *err, const char *kind) {
    char message[512];
    snprintf(message, sizeof message, "%s: %s", what, err->message ? err->message : "failed");
    return jwtc_rejected(id, message, kind);
}

/* The claims: the payload read with jansson, cjose's own JSON library, with its default
 * flags; NULL (and `why` set) when it is not a JSON object. */
static json_t *claims_of(const uint8_t *plaintext, size_t length, char *why, size_t why_size) {
    json_error_t error;
    json_t *claims = json_loadb((const char *)plaintext, length, 0, &error);
    if (json_is_object(claims))
        return claims;
    snprintf(why, why_size, "payload is not a JSON object (jansson: %s)",
             claims ? "another JSON value" : error.text);
    json_decref(claims);
    return NULL;
}

static json_t *verify(const jwtc_request *r) {
    const jwtc_prepared *p = jwtc_prepare_signature_only(r, "cjose", import_jwk);
    if (p->unsupported)
        return jwtc_unsupported(r->id, p->unsupported);

    cjose_err err = {0};
    cjose_jws_t *jws = cjose_jws_import(r->token, strlen(r->token), &err);
    if (!jws)
        return reject_err(r->id, "cjose_jws_import", &err, "malformed");
    /* cjose's header is a jansson object (cjose_header_t is json_t). */
    json_t *kid = json_object_get((json_t *)cjose_jws_get_protected(jws), "kid");
    const jwtc_key *key = jwtc_key_for_kid(p, kid);
    json_t *reply;
    if (key == NULL) {
        reply = jwtc_rejected(r->id, "no trusted key for the token's kid", "key");
    } else if (key->error) {
        reply = jwtc_rejected(r->id, key->error, "key");
    } else if (!cjose_jws_verify(jws, key->key, &err)) {
        reply = reject_err(r->id, "cjose_jws_verify", &err,
                           err.code == CJOSE_ERR_CRYPTO ? "signature" : NULL);
    } else {
        uint8_t *plaintext = NULL;
        size_t length = 0;
        if (!cjose_jws_get_plaintext(jws, &plaintext, &length, &err))
            reply = reject_err(r->id, "cjose_jws_get_plaintext", &err, NULL);
        else {
            char why[256];
            json_t *claims = claims_of(plaintext, length, why, sizeof why);
            reply = claims ? jwtc_accepted(r->id, claims) : jwtc_rejected(r->id, why, "malformed");
        }
    }
    cjose_jws_release(jws);
    return reply;
}

static int supported(const char *alg) {
    const char *const known[] = {
        CJOSE_HDR_ALG_HS256, CJOSE_HDR_ALG_HS384, CJOSE_HDR_ALG_HS512,
        CJOSE_HDR_ALG_RS256, CJOSE_HDR_ALG_RS384, CJOSE_HDR_ALG_RS512,
        CJOSE_HDR_ALG_PS256, CJOSE_HDR_ALG_PS384, CJOSE_HDR_ALG_PS512,
        CJOSE_HDR_ALG_ES256, CJOSE_HDR_ALG_ES384, CJOSE_HDR_ALG_ES512,
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(known[i], alg) == 0)
            return 1;
    return 0;
}

static json_t *hello(void) {
    return jwtc_hello("cjose", jwtc_debian_version("libcjose-dev"), supported, "system");
}

int main(void) { return jwtc_serve(hello, verify); }
