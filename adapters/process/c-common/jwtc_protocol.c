/* jwt-conformance process protocol v1, the part every C wrapper shares: see
 * jwtc_protocol.h. */
#define _GNU_SOURCE
#include "jwtc_protocol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const JWTC_PROTOCOL_ALGORITHMS[] = {
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256",
    "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
};
const size_t JWTC_PROTOCOL_ALGORITHM_COUNT =
    sizeof JWTC_PROTOCOL_ALGORITHMS / sizeof JWTC_PROTOCOL_ALGORITHMS[0];

json_t *jwtc_hello(const char *name, const char *version, int (*supported)(const char *alg),
                   const char *clock) {
    json_t *algorithms = json_array();
    for (size_t i = 0; i < JWTC_PROTOCOL_ALGORITHM_COUNT; i++)
        if (supported(JWTC_PROTOCOL_ALGORITHMS[i]))
            json_array_append_new(algorithms, json_string(JWTC_PROTOCOL_ALGORITHMS[i]));
    return json_pack("{s:s, s:i, s:s, s:s, s:o, s:s}", "type", "hello", "protocol", 1, "name",
                     name, "version", version, "algorithms", algorithms, "clock", clock);
}

json_t *jwtc_accepted(const char *id, json_t *claims) {
    if (claims == NULL)
        claims = json_null();
    if (!json_is_object(claims))
        claims = json_pack("{s:o}", "", claims);
    return json_pack("{s:s, s:s, s:b, s:o}", "type", "result", "id", id, "accepted", 1, "claims",
                     claims);
}

json_t *jwtc_rejected(const char *id, const char *error, const char *kind) {
    json_t *reply = json_pack("{s:s, s:s, s:b}", "type", "result", "id", id, "accepted", 0);
    /* json_string refuses text that is not UTF-8: keep the message readable anyway. */
    json_t *message = json_string(error ? error : "");
    json_object_set_new(reply, "error", message ? message : json_string("(message not UTF-8)"));
    if (kind != NULL)
        json_object_set_new(reply, "kind", json_string(kind));
    return reply;
}

json_t *jwtc_unsupported(const char *id, const char *why) {
    return json_pack("{s:s, s:s, s:s}", "type", "result", "id", id, "unsupported", why);
}

int jwtc_required(const jwtc_request *request, const char *claim) {
    size_t i;
    json_t *value;
    json_array_foreach(request->required_claims, i, value) {
        if (json_is_string(value) && strcmp(json_string_value(value), claim) == 0)
            return 1;
    }
    return 0;
}

const char *jwtc_debian_version(const char *package) {
    static char version[256];
    char command[512];
    snprintf(command, sizeof command, "dpkg-query -W -f='${Version}' '%s' 2>/dev/null", package);
    FILE *out = popen(command, "r");
    size_t n = out ? fread(version, 1, sizeof version - 1, out) : 0;
    if (out)
        pclose(out);
    version[n] = '\0';
    if (n == 0)
        return "unknown";
    char *start = strchr(version, ':');
    start = start ? start + 1 : version;
    char *revision = strrchr(start, '-');
    if (revision)
        *revision = '\0';
    return start;
}

struct cache_entry {
    char *policy_text;
    void *prepared;
    struct cache_entry *next;
};
static struct cache_entry *cache;

void *jwtc_cache_get(const char *policy_text) {
    for (struct cache_entry *e = cache; e; e = e->next)
        if (strcmp(e->policy_text, policy_text) == 0)
            return e->prepared;
    return NULL;
}

void jwtc_cache_put(const char *policy_text, void *prepared) {
    struct cache_entry *e = malloc(sizeof *e);
    e->policy_text = strdup(policy_text);
    e->prepared = prepared;
    e->next = cache;
    cache = e;
}

const jwtc_prepared *jwtc_prepare_signature_only(const jwtc_request *r, const char *library,
                                                 jwtc_import_fn import) {
    jwtc_prepared *p = jwtc_cache_get(r->policy_text);
    if (p)
        return p;
    p = calloc(1, sizeof *p);
    jwtc_cache_put(r->policy_text, p);
    size_t i;
    json_t *claim;
    const char *why = NULL;
    if (r->typ)
        why = "has no check of the typ header";
    else if (r->issuer)
        why = "checks no issuer";
    else if (json_array_size(r->audience) > 0)
        why = "checks no audience";
    json_array_foreach(r->required_claims, i, claim) {
        const char *name = json_string_value(claim);
        if (!why && (!name || strcmp(name, "exp") != 0))
            why = "cannot require a claim";
    }
    if (why) {
        size_t size = strlen(library) + 1 + strlen(why) + 1;
        p->unsupported = malloc(size);
        snprintf(p->unsupported, size, "%s %s", library, why);
        return p;
    }
    p->count = json_array_size(r->keys);
    p->keys = calloc(p->count ? p->count : 1, sizeof *p->keys);
    json_t *jwk;
    json_array_foreach(r->keys, i, jwk) {
        jwtc_key *k = &p->keys[i];
        const char *kid = json_string_value(json_object_get(jwk, "kid"));
        k->kid = kid ? strdup(kid) : NULL;
        k->key = import(jwk, &k->length, &k->error);
    }
    return p;
}

const jwtc_key *jwtc_key_for_kid(const jwtc_prepared *p, json_t *kid) {
    if (kid == NULL)
        return p->count == 1 ? &p->keys[0] : NULL;
    if (json_is_string(kid))
        for (size_t i = 0; i < p->count; i++)
            if (p->keys[i].kid && strcmp(p->keys[i].kid, json_string_value(kid)) == 0)
                return &p->keys[i];
    return NULL;
}

/* The harness reads replies with a JSON parser that stops at 128 levels. */
#define MAX_DEPTH 100

static int too_deep(json_t *value, int depth) {
    if (depth > MAX_DEPTH)
        return 1;
    size_t i;
    const char *k;
    json_t *v;
    if (json_is_object(value)) {
        json_object_foreach(value, k, v) {
            if (too_deep(v, depth + 1))
                return 1;
        }
    } else if (json_is_array(value)) {
        json_array_foreach(value, i, v) {
            if (too_deep(v, depth + 1))
                return 1;
        }
    }
    return 0;
}

/* The reply as one line of JSON text. jansson holds valid UTF-8 only; claims nested
 * deeper than the harness reads are reported as an acceptance whose claims fail the
 * comparison visibly. */
static char *encode(json_t *reply) {
    json_t *claims = json_object_get(reply, "claims");
    if (claims && too_deep(claims, 0))
        json_object_set_new(reply, "claims",
                            json_pack("{s:s}", "", "claims not representable as JSON text "
                                                   "(nested deeper than the harness reads)"));
    return json_dumps(reply, JSON_COMPACT | JSON_ENCODE_ANY);
}

static void fill(jwtc_request *r, json_t *message, json_t *policy, const char *policy_text) {
    memset(r, 0, sizeof *r);
    r->id = json_string_value(json_object_get(message, "id"));
    r->token = json_string_value(json_object_get(message, "token"));
    r->policy = policy;
    r->policy_text = policy_text;
    json_t *keys = json_object_get(json_object_get(policy, "keys"), "keys");
    r->keys = json_is_array(keys) ? keys : NULL;
    r->algorithms = json_object_get(policy, "algorithms");
    r->issuer = json_string_value(json_object_get(policy, "issuer"));
    r->audience = json_object_get(policy, "audience");
    r->required_claims = json_object_get(policy, "required_claims");
    r->leeway = json_integer_value(json_object_get(policy, "leeway"));
    r->typ = json_string_value(json_object_get(policy, "typ"));
    json_t *now = json_object_get(policy, "now");
    r->has_now = json_is_integer(now);
    r->now = json_integer_value(now);
}

int jwtc_serve(jwtc_hello_fn hello, jwtc_verify_fn verify) {
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    json_t *empty = json_array();
    while ((length = getline(&line, &capacity, stdin)) != -1) {
        json_error_t error;
        json_t *message = json_loadb(line, (size_t)length, JSON_ALLOW_NUL, &error);
        if (message == NULL) {
            if (strspn(line, " \t\r\n") != (size_t)length)
                fprintf(stderr, "cannot read %.200s: %s\n", line, error.text);
            continue;
        }
        const char *type = json_string_value(json_object_get(message, "type"));
        json_t *reply = NULL;
        if (type && strcmp(type, "hello") == 0) {
            reply = hello();
        } else if (type && strcmp(type, "verify") == 0) {
            json_t *policy = json_object_get(message, "policy");
            const char *id = json_string_value(json_object_get(message, "id"));
            char *policy_text = json_dumps(policy, JSON_COMPACT | JSON_ENCODE_ANY);
            jwtc_request request;
            fill(&request, message, policy, policy_text ? policy_text : "");
            if (id == NULL || request.token == NULL || !json_is_object(policy)) {
                reply = jwtc_rejected(id ? id : "", "malformed verify request", "other");
            } else {
                if (request.keys == NULL)
                    request.keys = empty;
                if (!json_is_array(request.algorithms))
                    request.algorithms = empty;
                if (!json_is_array(request.audience))
                    request.audience = empty;
                if (!json_is_array(request.required_claims))
                    request.required_claims = empty;
                json_t *profile = json_object_get(policy, "profile");
                if (profile != NULL && !json_is_null(profile))
                    reply = jwtc_unsupported(id, "the wrapper applies no profile's rules");
                else
                    reply = verify(&request);
            }
            free(policy_text);
        } else {
            fprintf(stderr, "ignoring message of type %s\n", type ? type : "(none)");
        }
        if (reply) {
            char *text = encode(reply);
            if (text) {
                fputs(text, stdout);
                fputc('\n', stdout);
                fflush(stdout);
                free(text);
            }
            json_decref(reply);
        }
        json_decref(message);
    }
    free(line);
    json_decref(empty);
    return 0;
}
