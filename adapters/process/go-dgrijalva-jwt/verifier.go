// jwt-conformance process protocol v1 wrapper around dgrijalva/jwt-go v3, the
// unmaintained predecessor of golang-jwt that many Go programs still vendor, as Debian
// ships it (golang-github-dgrijalva-jwt-go-dev).
//
// Build (scripts/install-test-deps does it) and run:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode:$PWD/../go-common go build -o build/verifier verifier.go
//	jwt-conformance run --exec 'adapters/process/go-dgrijalva-jwt/build/verifier'
//
// It is used exactly as the golang-jwt wrapper uses v4 (the API is the same but for the
// parser's construction), so the two columns differ only by what changed in the library:
//   - `(&jwt.Parser{ValidMethods: algorithms}).ParseWithClaims(token, jwt.MapClaims{},
//     keyfunc)` verifies the signature with the allowed methods only and runs
//     `MapClaims.Valid()` (exp, nbf and iat when present);
//   - the Keyfunc returns the trusted key the header's `kid` names (the only one without
//     a `kid`); jwt-go has no JWK import, so each JWK is imported with go-jose's
//     `JSONWebKey`, a JWK that carries its private part giving its public half
//     (`JSONWebKey.Public`), since jwt-go verifies with public keys only;
//   - then the documented `MapClaims` checks: `VerifyIssuer`, `VerifyAudience`, and
//     `VerifyExpiresAt`/`VerifyNotBefore`/`VerifyIssuedAt` with `req` true for a required
//     claim. The wrapper never compares a claim itself.
//
// Clock: the package variable `jwt.TimeFunc`, so the clock is injectable. Answered
// `unsupported`: a leeway (v3 has none), a `typ` requirement, several accepted audiences,
// and a required claim other than exp, nbf, iat, or iss/aud with an expected value.
// v3 has no EdDSA.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dgrijalva/jwt-go"
	jose "gopkg.in/square/go-jose.v2"

	"jwtc"
)

type trustedKey struct {
	kid string
	key interface{}
	err error
}

type prepared struct {
	unsupported string
	parser      *jwt.Parser
	keys        []trustedKey
	policy      jwtc.Policy
}

func prepare(p jwtc.Policy) *prepared {
	unsupported := func(why string) *prepared { return &prepared{unsupported: why} }
	if p.Typ != nil {
		return unsupported("jwt-go has no check of the typ header")
	}
	if p.Leeway != 0 {
		return unsupported("jwt-go v3 has no leeway")
	}
	if len(p.Audience) > 1 {
		return unsupported("jwt-go's VerifyAudience takes one audience, not several")
	}
	for _, c := range p.RequiredClaims {
		switch {
		case c == "exp" || c == "nbf" || c == "iat":
		case c == "iss" && p.Issuer != nil:
		case c == "aud" && len(p.Audience) == 1:
		default:
			return unsupported(fmt.Sprintf("jwt-go cannot require the claim %q", c))
		}
	}
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	keys := []trustedKey{}
	if err := json.Unmarshal(p.Keys, &set); err == nil {
		for _, raw := range set.Keys {
			var jwk jose.JSONWebKey
			var meta struct {
				Kid string `json:"kid"`
			}
			json.Unmarshal(raw, &meta)
			if err := jwk.UnmarshalJSON(raw); err != nil {
				keys = append(keys, trustedKey{kid: meta.Kid, err: err})
			} else {
				keys = append(keys, trustedKey{kid: meta.Kid, key: publicKey(jwk)})
			}
		}
	}
	return &prepared{
		parser: &jwt.Parser{ValidMethods: p.Algorithms},
		keys:   keys,
		policy: p,
	}
}

// publicKey is the key a JWK gives the parser: the JWK's own key, or, for a JWK that
// carries its private part, its public half, derived by go-jose's JSONWebKey.Public (the
// library verifies with public keys only and refuses a private one as the wrong type).
func publicKey(jwk jose.JSONWebKey) interface{} {
	if _, secret := jwk.Key.([]byte); secret || jwk.IsPublic() {
		return jwk.Key
	}
	return jwk.Public().Key
}

var errNoKey = errors.New("no trusted key for the token's kid")

// keyfunc hands jwt-go the key the header's kid names (the only key without a kid).
func (v *prepared) keyfunc(token *jwt.Token) (interface{}, error) {
	kid, present := token.Header["kid"]
	var named []trustedKey
	if !present {
		if len(v.keys) == 1 {
			named = v.keys
		}
	} else if s, ok := kid.(string); ok {
		for _, k := range v.keys {
			if k.kid == s {
				named = append(named, k)
			}
		}
	}
	if len(named) == 0 {
		return nil, errNoKey
	}
	if named[0].err != nil {
		return nil, named[0].err
	}
	return named[0].key, nil
}

func required(p jwtc.Policy, claim string) bool {
	for _, c := range p.RequiredClaims {
		if c == claim {
			return true
		}
	}
	return false
}

// kind maps jwt-go's ValidationError flags to a reject kind.
func kind(err error) string {
	var ve *jwt.ValidationError
	if !errors.As(err, &ve) {
		return ""
	}
	if errors.Is(ve.Inner, errNoKey) {
		return "key"
	}
	flags := []struct {
		flag uint32
		kind string
	}{
		{jwt.ValidationErrorMalformed, "malformed"},
		{jwt.ValidationErrorSignatureInvalid, "signature"},
		{jwt.ValidationErrorExpired, "expired"},
		{jwt.ValidationErrorNotValidYet, "not-yet-valid"},
		{jwt.ValidationErrorIssuer, "issuer"},
		{jwt.ValidationErrorAudience, "audience"},
		{jwt.ValidationErrorUnverifiable, "key"},
	}
	for _, f := range flags {
		if ve.Errors&f.flag == 0 {
			continue
		}
		// WithValidMethods reports a method outside the list as an invalid signature
		// with no inner error; a failed verification carries the method's error.
		if f.flag == jwt.ValidationErrorSignatureInvalid && ve.Inner == nil {
			return "algorithm"
		}
		return f.kind
	}
	return ""
}

func (v *prepared) verify(r jwtc.Request) jwtc.Reply {
	now := time.Now()
	if r.Policy.Now != nil {
		now = time.Unix(*r.Policy.Now, 0)
	}
	jwt.TimeFunc = func() time.Time { return now }
	claims := jwt.MapClaims{}
	if _, err := v.parser.ParseWithClaims(r.Token, claims, v.keyfunc); err != nil {
		return jwtc.Rejected(r.ID, err.Error(), kind(err))
	}
	p := v.policy
	t := now.Unix()
	if p.Issuer != nil && !claims.VerifyIssuer(*p.Issuer, required(p, "iss")) {
		return jwtc.Rejected(r.ID, "jwt-go: MapClaims.VerifyIssuer failed", "issuer")
	}
	if len(p.Audience) == 1 && !claims.VerifyAudience(p.Audience[0], required(p, "aud")) {
		return jwtc.Rejected(r.ID, "jwt-go: MapClaims.VerifyAudience failed", "audience")
	}
	if !claims.VerifyExpiresAt(t, required(p, "exp")) {
		return jwtc.Rejected(r.ID, "jwt-go: MapClaims.VerifyExpiresAt failed", missingOr(claims, "exp", "expired"))
	}
	if !claims.VerifyNotBefore(t, required(p, "nbf")) {
		return jwtc.Rejected(r.ID, "jwt-go: MapClaims.VerifyNotBefore failed", missingOr(claims, "nbf", "not-yet-valid"))
	}
	if !claims.VerifyIssuedAt(t, required(p, "iat")) {
		return jwtc.Rejected(r.ID, "jwt-go: MapClaims.VerifyIssuedAt failed", missingOr(claims, "iat", "other"))
	}
	return jwtc.Accepted(r.ID, claims)
}

// missingOr is "missing-claim" when the claim is absent, else kind: the reason a
// Verify* method returned false.
func missingOr(claims jwt.MapClaims, claim, kind string) string {
	if _, ok := claims[claim]; !ok {
		return "missing-claim"
	}
	return kind
}

var cache = map[string]*prepared{}

func verify(r jwtc.Request) jwtc.Reply {
	v := cache[r.PolicyText]
	if v == nil {
		v = prepare(r.Policy)
		cache[r.PolicyText] = v
	}
	if v.unsupported != "" {
		return jwtc.Unsupported(r.ID, v.unsupported)
	}
	return v.verify(r)
}

func hello() jwtc.Reply {
	algorithms := []string{}
	for _, a := range jwtc.ProtocolAlgorithms {
		if jwt.GetSigningMethod(a) != nil {
			algorithms = append(algorithms, a)
		}
	}
	return jwtc.Hello("dgrijalva-jwt-go", jwtc.DebianVersion("golang-github-dgrijalva-jwt-go-dev"), algorithms, "injectable")
}

func main() {
	jwtc.Serve(hello, verify)
}
