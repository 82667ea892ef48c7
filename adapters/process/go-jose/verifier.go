// jwt-conformance process protocol v1 wrapper around go-jose v2 (square/go-jose), as
// Debian ships it (golang-gopkg-square-go-jose.v2-dev).
//
// Build (scripts/install-test-deps does it) and run:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode:$PWD/../go-common go build -o build/verifier verifier.go
//	jwt-conformance run --exec 'adapters/process/go-jose/build/verifier'
//
// How go-jose is used, following its documentation (package jwt):
//   - the trusted keys are a `jose.JSONWebKeySet` read with encoding/json (go-jose's own
//     JWK import); `jwt.ParseSigned(token)` then `Claims(keySet, &registered, &all)`
//     verifies the signature with the key the header's `kid` names (go-jose picks it
//     from a key set itself; a token without a `kid` gets the only trusted key, if there
//     is one) and decodes the claims; a JWK that carries its private part is replaced by
//     its public half (`JSONWebKey.Public`), since go-jose verifies with public keys only;
//   - `registered.ValidateWithLeeway(jwt.Expected{Issuer, Audience, Time: now}, leeway)`
//     checks iss, aud, exp, nbf and iat; the wrapper never checks a claim itself.
//
// Clock: `Expected.Time` is the documented clock, so the clock is injectable. What
// go-jose v2 cannot express is left to it or answered `unsupported`:
//   - allowed algorithms: v2 has no allow-list (v3 added one to ParseSigned); the token's
//     `alg` is used with whatever key the `kid` names, so the policy's list is left to
//     the library, whose key types bind the family (RSA, EC curve, HMAC), and the
//     matrix shows what that lets through;
//   - required claims: go-jose checks exp/nbf/iat only when present; a required `exp`
//     (every policy has one) is left to it, any other required claim is `unsupported`;
//   - several accepted audiences: `Expected.Audience` demands every listed value, not one
//     of them, so more than one is `unsupported`; a `typ` requirement is `unsupported`.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	jose "gopkg.in/square/go-jose.v2"
	"gopkg.in/square/go-jose.v2/jwt"

	"jwtc"
)

type prepared struct {
	unsupported string
	keys        jose.JSONWebKeySet
	keyErr      error
	expected    jwt.Expected
	leeway      time.Duration
}

func prepare(p jwtc.Policy) jwtc.Prepared {
	unsupported := func(why string) *prepared { return &prepared{unsupported: why} }
	if p.Typ != nil {
		return unsupported("go-jose has no check of the typ header")
	}
	if len(p.Audience) > 1 {
		return unsupported("go-jose's Expected.Audience demands every listed audience, not one of them")
	}
	for _, c := range p.RequiredClaims {
		if c != "exp" {
			return unsupported(fmt.Sprintf("go-jose cannot require the claim %q", c))
		}
	}
	v := &prepared{leeway: time.Duration(p.Leeway) * time.Second}
	v.keyErr = json.Unmarshal(p.Keys, &v.keys)
	// go-jose verifies with public keys only (a private key is an unsupported key type
	// for verifying): a JWK that carries its private part gives its public half.
	for i, k := range v.keys.Keys {
		if _, secret := k.Key.([]byte); !secret && !k.IsPublic() {
			v.keys.Keys[i] = k.Public()
		}
	}
	if p.Issuer != nil {
		v.expected.Issuer = *p.Issuer
	}
	if len(p.Audience) == 1 {
		v.expected.Audience = jwt.Audience{p.Audience[0]}
	}
	return v
}

var kinds = []struct {
	err  error
	kind string
}{
	{jwt.ErrExpired, "expired"},
	{jwt.ErrNotValidYet, "not-yet-valid"},
	{jwt.ErrInvalidIssuer, "issuer"},
	{jwt.ErrInvalidAudience, "audience"},
	{jwt.ErrUnmarshalAudience, "malformed"},
	{jwt.ErrUnmarshalNumericDate, "malformed"},
	{jose.ErrCryptoFailure, "signature"},
	{jose.ErrUnsupportedAlgorithm, "algorithm"},
	{jose.ErrUnsupportedKeyType, "key"},
	{jose.ErrInvalidKeySize, "key"},
}

func kind(err error) string {
	for _, k := range kinds {
		if errors.Is(err, k.err) {
			return k.kind
		}
	}
	return ""
}

func (v *prepared) Unsupported() string { return v.unsupported }

func (v *prepared) Verify(r jwtc.Request) jwtc.Reply {
	if v.keyErr != nil {
		return jwtc.Rejected(r.ID, v.keyErr.Error(), "key")
	}
	token, err := jwt.ParseSigned(r.Token)
	if err != nil {
		return jwtc.Rejected(r.ID, err.Error(), "malformed")
	}
	// go-jose picks from a key set by kid only; a token without one gets the only
	// trusted key, as a service with one key hands over that key.
	var key interface{} = v.keys
	if len(v.keys.Keys) == 1 && (len(token.Headers) == 0 || token.Headers[0].KeyID == "") {
		key = &v.keys.Keys[0]
	}
	var registered jwt.Claims
	all := map[string]interface{}{}
	if err := token.Claims(key, &registered, &all); err != nil {
		return jwtc.Rejected(r.ID, err.Error(), kind(err))
	}
	expected := v.expected
	expected.Time = time.Now()
	if r.Policy.Now != nil {
		expected.Time = time.Unix(*r.Policy.Now, 0)
	}
	if err := registered.ValidateWithLeeway(expected, v.leeway); err != nil {
		return jwtc.Rejected(r.ID, err.Error(), kind(err))
	}
	return jwtc.Accepted(r.ID, all)
}

func hello() jwtc.Reply {
	algorithms := []string{
		string(jose.HS256), string(jose.HS384), string(jose.HS512),
		string(jose.RS256), string(jose.RS384), string(jose.RS512),
		string(jose.PS256), string(jose.PS384), string(jose.PS512),
		string(jose.ES256), string(jose.ES384), string(jose.ES512),
		string(jose.EdDSA),
	}
	return jwtc.Hello("go-jose", jwtc.DebianVersion("golang-gopkg-square-go-jose.v2-dev"), algorithms, "injectable")
}

func main() {
	jwtc.Serve(hello, jwtc.PerPolicy(prepare))
}
