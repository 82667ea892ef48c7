// jwt-conformance process protocol v1 wrapper around a library with jwt-go's API:
// dgrijalva/jwt-go v3 and golang-jwt/jwt v4, its fork. Both are used alike, so this is
// one file, linked into both wrappers' directories (go-dgrijalva-jwt, go-golang-jwt) and
// compiled with each one's verifier.go, which imports the library and gives this file
// what it uses of it: the types `token`, `mapClaims` and `validationError`, `timeFunc`
// (&jwt.TimeFunc), `getSigningMethod`, `newParser` (made differently by the two), and
// the names the messages and the hello use.
//
// How the library is used, following its documentation:
//   - `newParser(algorithms).ParseWithClaims(token, jwt.MapClaims{}, keyfunc)` verifies
//     the signature with the allowed methods only and runs `MapClaims.Valid()` (exp, nbf
//     and iat when present);
//   - the Keyfunc returns the trusted key the header's `kid` names (the only one without
//     a `kid`). The library has no JWK import, so each JWK is imported with go-jose's
//     `JSONWebKey` (the JWK code of the other Go library here; a key it refuses is a key
//     rejection); a JWK that carries its private part gives its public half
//     (`JSONWebKey.Public`), since the library verifies with an `*rsa.PublicKey` or
//     `*ecdsa.PublicKey` and refuses a private key;
//   - then the documented `MapClaims` checks: `VerifyIssuer`, `VerifyAudience`, and
//     `VerifyExpiresAt`/`VerifyNotBefore`/`VerifyIssuedAt` with `req` true for a required
//     claim. The wrapper never compares a claim itself.
//
// Clock: the package variable `jwt.TimeFunc`, documented as the way to set the time used
// to validate tokens, so the clock is injectable. What cannot be mapped, answered
// `unsupported`: a leeway (neither has one; golang-jwt v5 added it), a `typ` requirement,
// several accepted audiences (`VerifyAudience` takes one), and a required claim other
// than exp, nbf, iat, or iss/aud with an expected value.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

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
	keys        []trustedKey
	policy      jwtc.Policy
}

func prepare(p jwtc.Policy) jwtc.Prepared {
	unsupported := func(why string) *prepared { return &prepared{unsupported: why} }
	if p.Typ != nil {
		return unsupported(library + " has no check of the typ header")
	}
	if p.Leeway != 0 {
		return unsupported(release + " has no leeway")
	}
	if len(p.Audience) > 1 {
		return unsupported(library + "'s VerifyAudience takes one audience, not several")
	}
	for _, c := range p.RequiredClaims {
		switch {
		case c == "exp" || c == "nbf" || c == "iat":
		case c == "iss" && p.Issuer != nil:
		case c == "aud" && len(p.Audience) == 1:
		default:
			return unsupported(fmt.Sprintf("%s cannot require the claim %q", library, c))
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
	return &prepared{keys: keys, policy: p}
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

// keyfunc hands the library the key the header's kid names (the only key without a kid).
func (v *prepared) keyfunc(t *token) (interface{}, error) {
	kid, present := t.Header["kid"]
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

// The ValidationError flags kind reads, numbered as both forks number them (errors.go:
// ValidationErrorMalformed uint32 = 1 << iota, and so on in this order).
const (
	flagMalformed uint32 = 1 << iota
	flagUnverifiable
	flagSignatureInvalid
	flagAudience
	flagExpired
	flagIssuedAt
	flagIssuer
	flagNotValidYet
)

// kind maps the library's ValidationError flags to a reject kind.
func kind(err error) string {
	var ve *validationError
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
		{flagMalformed, "malformed"},
		{flagSignatureInvalid, "signature"},
		{flagExpired, "expired"},
		{flagNotValidYet, "not-yet-valid"},
		{flagIssuer, "issuer"},
		{flagAudience, "audience"},
		{flagUnverifiable, "key"},
	}
	for _, f := range flags {
		if ve.Errors&f.flag == 0 {
			continue
		}
		// The allowed methods' check reports a method outside the list as an invalid
		// signature with no inner error; a failed verification carries the method's error.
		if f.flag == flagSignatureInvalid && ve.Inner == nil {
			return "algorithm"
		}
		return f.kind
	}
	return ""
}

func (v *prepared) Unsupported() string { return v.unsupported }

func (v *prepared) Verify(r jwtc.Request) jwtc.Reply {
	now := time.Now()
	if r.Policy.Now != nil {
		now = time.Unix(*r.Policy.Now, 0)
	}
	*timeFunc = func() time.Time { return now }
	claims := mapClaims{}
	p := v.policy
	if _, err := newParser(p.Algorithms).ParseWithClaims(r.Token, claims, v.keyfunc); err != nil {
		return jwtc.Rejected(r.ID, err.Error(), kind(err))
	}
	t := now.Unix()
	if p.Issuer != nil && !claims.VerifyIssuer(*p.Issuer, required(p, "iss")) {
		return jwtc.Rejected(r.ID, library+": MapClaims.VerifyIssuer failed", "issuer")
	}
	if len(p.Audience) == 1 && !claims.VerifyAudience(p.Audience[0], required(p, "aud")) {
		return jwtc.Rejected(r.ID, library+": MapClaims.VerifyAudience failed", "audience")
	}
	if !claims.VerifyExpiresAt(t, required(p, "exp")) {
		return jwtc.Rejected(r.ID, library+": MapClaims.VerifyExpiresAt failed", missingOr(claims, "exp", "expired"))
	}
	if !claims.VerifyNotBefore(t, required(p, "nbf")) {
		return jwtc.Rejected(r.ID, library+": MapClaims.VerifyNotBefore failed", missingOr(claims, "nbf", "not-yet-valid"))
	}
	if !claims.VerifyIssuedAt(t, required(p, "iat")) {
		return jwtc.Rejected(r.ID, library+": MapClaims.VerifyIssuedAt failed", missingOr(claims, "iat", "other"))
	}
	return jwtc.Accepted(r.ID, claims)
}

// missingOr is "missing-claim" when the claim is absent, else kind: the reason a
// Verify* method returned false.
func missingOr(claims mapClaims, claim, kind string) string {
	if _, ok := claims[claim]; !ok {
		return "missing-claim"
	}
	return kind
}

func hello() jwtc.Reply {
	algorithms := []string{}
	for _, a := range jwtc.ProtocolAlgorithms {
		if getSigningMethod(a) != nil {
			algorithms = append(algorithms, a)
		}
	}
	return jwtc.Hello(helloName, jwtc.DebianVersion(debianPackage), algorithms, "injectable")
}

func main() {
	jwtc.Serve(hello, jwtc.PerPolicy(prepare))
}
