/* jwt-conformance process protocol v1 wrapper around libjwt (benmcollins), as Debian
 * ships it (libjwt-dev 1.10).
 *
 * Build (scripts/install-test-deps does it) and run:
 *
 *   cc -O2 -o build/verifier verifier.c ../c-common/jwtc_protocol.c \
 *       $(pkg-config --cflags --libs libjwt jansson libcrypto)
 *   jwt-conformance run --exec 'adapters/process/c-libjwt/build/verifier'
 *
 * libjwt 1.10 has one verify call, `jwt_decode(&jwt, token, key, key_len)`: it parses
 * the token and checks the signature with the header's `alg` and the key it is given,
 * and nothing else (the `jwt_valid` claim checks came in 1.12). What this column
 * measures is what code that uses Debian's libjwt as its JWT verifier gets. How it is
 * used, following jwt.h:
 * - the key is the trusted JWK the header's `kid` names (the only one when the token
 *   has no `kid`), read from a first `jwt_decode` without a key, which jwt.h documents
 *   as parsing without verifying; `jwt_decode` is then called again with that key;
 * - libjwt takes a secret's bytes or a PEM public key and has no JWK import, so an `oct`
 *   JWK is handed over as its decoded `k`, and a public JWK as PEM made by OpenSSL's own
 *   key import (`EVP_PKEY_fromdata`, then `PEM_write_bio_PUBKEY`); the import reads only
 *   the public members (`n`, `e`; `crv`, `x`, `y`), so a JWK that carries its private
 *   part gives the PEM of its public half;
 * - the claims are `jwt_get_grants_json(jwt, NULL)`, as libjwt parsed them.
 * libjwt 1.10 checks no claim, has no allow-list of algorithms and no clock: the wrapper
 * declares a system clock and never checks anything itself. A policy with an issuer,
 * audiences, a `typ` or a required claim other than `exp` is answered `unsupported`; a
 * required `exp` (every policy has one) and the allowed algorithms are left to the
 * library, as the jsonwebtoken and go-jose wrappers do: the time, claim and algorithm
 * cases show what that lets through. Reject kinds: libjwt reports every failure as
 * EINVAL, so only the wrapper's own "no trusted key" carries one. */
#define _GNU_SOURCE
#include "../c-common/jwtc_protocol.h"

#include <errno.h>
#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* base64url without padding, decoded with OpenSSL's base64 decoder. */
static unsigned char *b64url_decode(const char *text, size_t *out_len) {
    size_t n = strlen(text);
    if (n % 4 == 1 || strpbrk(text, "+/=") != NULL)
        return NULL;
    size_t padded = (n + 3) / 4 * 4;
    char *b64 = malloc(padded + 1);
    for (size_t i = 0; i < n; i++)
        b64[i] = text[i] == '-' ? '+' : text[i] == '_' ? '/' : text[i];
    for (size_t i = n; i < padded; i++)
        b64[i] = '=';
    b64[padded] = '\0';
    unsigned char *out = malloc(padded / 4 * 3 + 1);
    int len = padded ? EVP_DecodeBlock(out, (unsigned char *)b64, (int)padded) : 0;
    free(b64);
    if (len < 0) {
        free(out);
        return NULL;
    }
    len -= (int)(padded - n); /* EVP_DecodeBlock counts padding as zero bytes */
    *out_len = (size_t)len;
    return out;
}

static const char *member(json_t *jwk, const char *name) {
    return json_string_value(json_object_get(jwk, name));
}

/* PEM for a public RSA or EC JWK, through OpenSSL's key import; NULL with *why set. */
static char *jwk_to_pem(json_t *jwk, const char **why) {
    const char *kty = member(jwk, "kty");
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    const char *type = NULL;
    unsigned char *a = NULL, *b = NULL, *point = NULL;
    BIGNUM *n = NULL, *e = NULL;
    size_t alen = 0, blen = 0;
    char *pem = NULL;
    *why = "unsupported key type";
    if (kty && strcmp(kty, "RSA") == 0 && member(jwk, "n") && member(jwk, "e") &&
        (a = b64url_decode(member(jwk, "n"), &alen)) && (b = b64url_decode(member(jwk, "e"), &blen))) {
        type = "RSA";
        n = BN_bin2bn(a, (int)alen, NULL);
        e = BN_bin2bn(b, (int)blen, NULL);
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n);
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e);
    } else if (kty && strcmp(kty, "EC") == 0 && member(jwk, "crv") && member(jwk, "x") &&
               member(jwk, "y") && (a = b64url_decode(member(jwk, "x"), &alen)) &&
               (b = b64url_decode(member(jwk, "y"), &blen))) {
        const char *crv = member(jwk, "crv");
        type = "EC";
        /* The uncompressed point 04 || x || y. */
        point = malloc(1 + alen + blen);
        point[0] = 4;
        memcpy(point + 1, a, alen);
        memcpy(point + 1 + alen, b, blen);
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, crv, 0);
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, 1 + alen + blen);
    }
    if (type != NULL) {
        OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
        EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
        EVP_PKEY *pkey = NULL;
        *why = "OpenSSL refused the key";
        if (ctx && params && EVP_PKEY_fromdata_init(ctx) == 1 &&
            EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) == 1) {
            BIO *bio = BIO_new(BIO_s_mem());
            if (PEM_write_bio_PUBKEY(bio, pkey) == 1) {
                char *data;
                long len = BIO_get_mem_data(bio, &data);
                pem = strndup(data, (size_t)len);
            }
            BIO_free(bio);
        }
        EVP_PKEY_free(pkey);
        EVP_PKEY_CTX_free(ctx);
        OSSL_PARAM_free(params);
    }
    BN_free(n);
    BN_free(e);
    free(a);
    free(b);
    free(point);
    OSSL_PARAM_BLD_free(bld);
    return pem;
}

/* A trusted JWK as libjwt takes it: an oct JWK's decoded k, another's PEM. */
static void *import_jwk(json_t *jwk, size_t *length, char **error) {
    const char *kty = member(jwk, "kty");
    if (kty && strcmp(kty, "oct") == 0) {
        unsigned char *key = member(jwk, "k") ? b64url_decode(member(jwk, "k"), length) : NULL;
        if (!key)
            *error = strdup("oct JWK without a base64url k");
        return key;
    }
    const char *why = NULL;
    char *pem = jwk_to_pem(jwk, &why);
    if (pem)
        *length = strlen(pem);
    else
        *error = strdup(why);
    return pem;
}

static json_t *reject_errno(const char *id, const char *what, int ret) {
    char message[256];
    snprintf(message, sizeof message, "%s: %s", what, strerror(ret));
    return jwtc_rejected(id, message, NULL);
}

static json_t *verify(const jwtc_request *r) {
    const jwtc_prepared *p = jwtc_prepare_signature_only(r, "libjwt 1.10", import_jwk);
    if (p->unsupported)
        return jwtc_unsupported(r->id, p->unsupported);

    /* Parse without a key to read the header's kid. */
    jwt_t *peek = NULL;
    int ret = jwt_decode(&peek, r->token, NULL, 0);
    if (ret != 0)
        return reject_errno(r->id, "jwt_decode", ret);
    char *kid_json = jwt_get_headers_json(peek, "kid");
    json_t *kid = kid_json ? json_loads(kid_json, JSON_DECODE_ANY, NULL) : NULL;
    free(kid_json);
    jwt_free(peek);
    const jwtc_key *key = jwtc_key_for_kid(p, kid);
    json_decref(kid);
    if (key == NULL)
        return jwtc_rejected(r->id, "no trusted key for the token's kid", "key");
    if (key->error)
        return jwtc_rejected(r->id, key->error, "key");

    jwt_t *jwt = NULL;
    ret = jwt_decode(&jwt, r->token, key->key, (int)key->length);
    if (ret != 0)
        return reject_errno(r->id, "jwt_decode", ret);
    char *grants = jwt_get_grants_json(jwt, NULL);
    json_error_t error;
    json_t *claims = grants ? json_loads(grants, JSON_DECODE_ANY | JSON_ALLOW_NUL, &error) : NULL;
    free(grants);
    jwt_free(jwt);
    if (claims == NULL)
        claims = json_string("(libjwt returned no readable claims)");
    return jwtc_accepted(r->id, claims);
}

static int supported(const char *alg) {
    jwt_alg_t a = jwt_str_alg(alg);
    return a != JWT_ALG_INVAL && a != JWT_ALG_NONE;
}

static json_t *hello(void) {
    return jwtc_hello("libjwt", jwtc_debian_version("libjwt-dev"), supported, "system");
}

int main(void) { return jwtc_serve(hello, verify); }
