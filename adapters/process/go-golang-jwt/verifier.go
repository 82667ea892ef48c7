// jwt-conformance process protocol v1 wrapper around golang-jwt/jwt v4, as Debian ships
// it (golang-github-golang-jwt-jwt-dev).
//
// Build (scripts/install-test-deps does it) and run:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode:$PWD/../go-common go build -o build/verifier .
//	jwt-conformance run --exec 'adapters/process/go-golang-jwt/build/verifier'
//
// The wrapper is jwtgo.go, a link to ../go-common/jwtgo.go: golang-jwt kept the API of
// dgrijalva/jwt-go v3, whose wrapper it shares, so this file only gives it golang-jwt's.
// v4 reads the package variable `jwt.TimeFunc`, documented as the way to set the time
// used to validate tokens, so the clock is injectable; it has no leeway (v5 added one).
package main

import "github.com/golang-jwt/jwt"

// What jwtgo.go uses of the library.
type (
	token           = jwt.Token
	mapClaims       = jwt.MapClaims
	validationError = jwt.ValidationError
)

// newParser is a parser that allows the given methods only, made with v4's option.
func newParser(algorithms []string) *jwt.Parser {
	return jwt.NewParser(jwt.WithValidMethods(algorithms))
}

var (
	timeFunc         = &jwt.TimeFunc
	getSigningMethod = jwt.GetSigningMethod
)

// How the library is named: in messages (library, release) and in the hello.
const (
	library       = "golang-jwt"
	release       = "golang-jwt v4"
	helloName     = "golang-jwt"
	debianPackage = "golang-github-golang-jwt-jwt-dev"
)
