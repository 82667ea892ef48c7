// jwt-conformance process protocol v1 wrapper around dgrijalva/jwt-go v3, the
// unmaintained predecessor of golang-jwt that many Go programs still vendor, as Debian
// ships it (golang-github-dgrijalva-jwt-go-dev).
//
// Build (scripts/install-test-deps does it) and run:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode:$PWD/../go-common go build -o build/verifier .
//	jwt-conformance run --exec 'adapters/process/go-dgrijalva-jwt/build/verifier'
//
// The wrapper is jwtgo.go, a link to ../go-common/jwtgo.go, shared with golang-jwt v4,
// which kept this API but for the parser's construction: the two columns differ only by
// what changed in the library. This file gives it jwt-go's. Clock: the package variable
// `jwt.TimeFunc`, so the clock is injectable. v3 has no leeway and no EdDSA.
package main

import "github.com/dgrijalva/jwt-go"

// What jwtgo.go uses of the library.
type (
	token           = jwt.Token
	mapClaims       = jwt.MapClaims
	validationError = jwt.ValidationError
)

// newParser is a parser that allows the given methods only (v3 has no parser options).
func newParser(algorithms []string) *jwt.Parser {
	return &jwt.Parser{ValidMethods: algorithms}
}

var (
	timeFunc         = &jwt.TimeFunc
	getSigningMethod = jwt.GetSigningMethod
)

// How the library is named: in messages (library, release) and in the hello.
const (
	library       = "jwt-go"
	release       = "jwt-go v3"
	helloName     = "dgrijalva-jwt-go"
	debianPackage = "golang-github-dgrijalva-jwt-go-dev"
)
