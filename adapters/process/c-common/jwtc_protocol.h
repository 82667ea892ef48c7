/* jwt-conformance process protocol v1, the part every C wrapper shares.
 *
 * A wrapper is compiled together with jwtc_protocol.c and linked with jansson:
 *
 *   cc -O2 -o build/verifier verifier.c ../c-common/jwtc_protocol.c -ljansson ...
 *
 * and calls jwtc_serve(hello, verify): hello() returns the hello answer and verify()
 * the result of one verify request (built with jwtc_accepted, jwtc_rejected or
 * jwtc_unsupported). jwtc_serve reads one JSON object a line on stdin, answers one a
 * line on stdout, in order, and writes diagnostics to stderr only. It knows nothing
 * about any JWT library: choosing the verify call, its options and the meaning of its
 * errors is the wrapper's job. A policy naming a profile ("profile": "rfc9068", ...) is
 * answered `unsupported` before verify() sees it: no C wrapper applies a profile. */
#ifndef JWTC_PROTOCOL_H
#define JWTC_PROTOCOL_H

#include <jansson.h>
#include <stddef.h>

/* One verify request, with its policy's members picked out (borrowed from `policy`). */
typedef struct {
    const char *id;
    const char *token;
    json_t *policy;
    /* The policy as compact JSON text: a key for caching what a wrapper prepares. */
    const char *policy_text;
    json_t *keys;            /* the JWK array of policy.keys.keys (never NULL) */
    json_t *algorithms;      /* array of strings */
    const char *issuer;      /* NULL: no issuer check */
    json_t *audience;        /* array of strings, empty: no audience expected */
    json_t *required_claims; /* array of strings */
    long long leeway;
    const char *typ; /* NULL: no typ requirement */
    int has_now;
    long long now;
} jwtc_request;

typedef json_t *(*jwtc_hello_fn)(void);
typedef json_t *(*jwtc_verify_fn)(const jwtc_request *request);

/* The algorithm names protocol v1 knows. */
extern const char *const JWTC_PROTOCOL_ALGORITHMS[];
extern const size_t JWTC_PROTOCOL_ALGORITHM_COUNT;

/* The hello answer. `supported(name)` says whether the library verifies an algorithm. */
json_t *jwtc_hello(const char *name, const char *version, int (*supported)(const char *alg),
                   const char *clock);
/* An acceptance; takes `claims` (a payload that is not an object goes under ""). */
json_t *jwtc_accepted(const char *id, json_t *claims);
json_t *jwtc_rejected(const char *id, const char *error, const char *kind);
json_t *jwtc_unsupported(const char *id, const char *why);

/* Whether the policy lists `claim` among its required claims. */
int jwtc_required(const jwtc_request *request, const char *claim);
/* The upstream version of an installed Debian package (no epoch, no revision), read
 * with dpkg-query; "unknown" when it cannot be read. Static storage. */
const char *jwtc_debian_version(const char *package);

/* A per-policy cache: what a wrapper prepared for a policy text, or NULL. */
void *jwtc_cache_get(const char *policy_text);
void jwtc_cache_put(const char *policy_text, void *prepared);

/* For a library that checks signatures only (no claim, no typ, no allow-list of
 * algorithms): what a policy comes to, prepared once per policy text. */
typedef struct {
    char *kid;     /* NULL: the JWK has none */
    void *key;     /* what the wrapper's import made of the JWK; NULL when it failed */
    size_t length; /* the key's length, for a key the import gives as bytes */
    char *error;   /* why the import failed */
} jwtc_key;

typedef struct {
    char *unsupported; /* why the library cannot apply the policy, or NULL */
    jwtc_key *keys;    /* the trusted JWKs, in order */
    size_t count;
} jwtc_prepared;

/* Imports one trusted JWK for the library: the key (setting *length where it is bytes),
 * or NULL with *error set to a malloc'ed reason. */
typedef void *(*jwtc_import_fn)(json_t *jwk, size_t *length, char **error);

/* The request's policy for a signature-only library, which `library` names in the
 * reasons: `unsupported` for an issuer, audiences, a `typ` or a required claim other
 * than `exp` (a required `exp` and the allowed algorithms are left to the library),
 * else the trusted keys, each imported with `import`. */
const jwtc_prepared *jwtc_prepare_signature_only(const jwtc_request *request,
                                                 const char *library, jwtc_import_fn import);
/* The trusted key a token's `kid` header names (`kid` NULL: the token has none, which
 * takes the only key), or NULL. */
const jwtc_key *jwtc_key_for_kid(const jwtc_prepared *prepared, json_t *kid);

/* The request loop; returns the exit status. */
int jwtc_serve(jwtc_hello_fn hello, jwtc_verify_fn verify);

#endif
