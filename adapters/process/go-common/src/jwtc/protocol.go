// jwt-conformance process protocol v1, the part every Go wrapper shares.
//
// It is the package "jwtc" of the GOPATH tree adapters/process/go-common; a wrapper
// imports it and is built in GOPATH mode next to Debian's Go sources:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode:$PWD/../go-common go build -o build/verifier .
//
// A wrapper calls Serve(hello, verify): hello() returns the hello answer and verify(request)
// the result of one verify request (built with Accepted, Rejected or Unsupported);
// PerPolicy(prepare) makes such a verify for a wrapper that prepares each policy once.
// Serve reads one JSON object a line on stdin, answers one a line on stdout, in order, and
// writes diagnostics to stderr only; a panic while handling a request becomes a
// rejection. It knows nothing about any JWT library: choosing the verify call, its
// options and the meaning of its errors is the wrapper's job.
package jwtc

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// ProtocolAlgorithms are the algorithm names protocol v1 knows.
var ProtocolAlgorithms = []string{
	"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
	"ES256", "ES384", "ES512", "EdDSA",
}

// Policy is the `policy` member of a verify request.
type Policy struct {
	Keys           json.RawMessage `json:"keys"`
	Algorithms     []string        `json:"algorithms"`
	Issuer         *string         `json:"issuer"`
	Audience       []string        `json:"audience"`
	RequiredClaims []string        `json:"required_claims"`
	Leeway         int64           `json:"leeway"`
	Typ            *string         `json:"typ"`
	Now            *int64          `json:"now"`
	// Profile names the profile whose rules apply (nil for a bare JWT); Serve answers
	// `unsupported` to a profile not in Profiles before verify sees the request.
	Profile *string `json:"profile"`
}

// Profiles are the profiles ("rfc9068", "oidc-id-token", "rfc7523") a wrapper's verify
// applies; a policy naming any other is answered `unsupported`. None by default.
var Profiles []string

// unhandledProfile is `unsupported` for a policy naming a profile not in Profiles, or nil.
func unhandledProfile(request Request) Reply {
	if request.Policy.Profile == nil {
		return nil
	}
	for _, p := range Profiles {
		if p == *request.Policy.Profile {
			return nil
		}
	}
	return Unsupported(request.ID, fmt.Sprintf("the wrapper does not apply the %s profile", *request.Policy.Profile))
}

// Request is one verify request; PolicyText is the policy as sent, a key for caching
// what a wrapper prepares once per policy.
type Request struct {
	ID         string
	Token      string
	Policy     Policy
	PolicyText string
}

// Reply is one answer line.
type Reply map[string]interface{}

// Prepared is what a wrapper makes once of a policy: Unsupported is why the library
// cannot apply it ("" when it can), Verify verifies one request under it.
type Prepared interface {
	Unsupported() string
	Verify(Request) Reply
}

// PerPolicy is a verify for Serve that prepares each policy once, by its text, and answers
// `unsupported` for a policy the library cannot apply.
func PerPolicy(prepare func(Policy) Prepared) func(Request) Reply {
	cache := map[string]Prepared{}
	return func(r Request) Reply {
		v := cache[r.PolicyText]
		if v == nil {
			v = prepare(r.Policy)
			cache[r.PolicyText] = v
		}
		if why := v.Unsupported(); why != "" {
			return Unsupported(r.ID, why)
		}
		return v.Verify(r)
	}
}

// Hello is the hello answer; algorithms are filtered to the protocol's names, in order.
func Hello(name, version string, algorithms []string, clock string) Reply {
	known := map[string]bool{}
	for _, a := range algorithms {
		known[a] = true
	}
	listed := []string{}
	for _, a := range ProtocolAlgorithms {
		if known[a] {
			listed = append(listed, a)
		}
	}
	return Reply{"type": "hello", "protocol": 1, "name": name, "version": version, "algorithms": listed, "clock": clock}
}

// Accepted is an acceptance with the claims the library returned.
func Accepted(id string, claims map[string]interface{}) Reply {
	if claims == nil {
		claims = map[string]interface{}{}
	}
	return Reply{"type": "result", "id": id, "accepted": true, "claims": claims}
}

// Rejected is a rejection with the library's message and a kind ("" for none).
func Rejected(id, message, kind string) Reply {
	r := Reply{"type": "result", "id": id, "accepted": false, "error": message}
	if kind != "" {
		r["kind"] = kind
	}
	return r
}

// Unsupported says the policy cannot be expressed with the library.
func Unsupported(id, why string) Reply {
	return Reply{"type": "result", "id": id, "unsupported": why}
}

// DebianVersion is the upstream version of an installed Debian package (no epoch, no
// Debian revision), read with dpkg-query, or "unknown".
func DebianVersion(pkg string) string {
	out, err := exec.Command("dpkg-query", "-W", "-f=${Version}", pkg).Output()
	if err != nil || len(out) == 0 {
		return "unknown"
	}
	return UpstreamVersion(string(out))
}

// UpstreamVersion strips a Debian version's epoch and revision.
func UpstreamVersion(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.Index(v, ":"); i >= 0 {
		v = v[i+1:]
	}
	if i := strings.LastIndex(v, "-"); i >= 0 {
		v = v[:i]
	}
	return v
}

// encode is the reply as one line of JSON text. encoding/json writes invalid UTF-8 and
// lone surrogates as U+FFFD itself; claims it cannot write (NaN, infinities) are
// reported as an acceptance whose claims fail the comparison visibly.
func encode(reply Reply) []byte {
	var line []byte
	err := errTooDeep
	if claims, ok := reply["claims"]; !ok || depth(claims, 0) <= maxDepth {
		line, err = json.Marshal(reply)
	}
	if err != nil {
		reply["claims"] = map[string]interface{}{"": fmt.Sprintf("claims not representable as JSON text (%v)", err)}
		line, err = json.Marshal(reply)
		if err != nil {
			line = []byte(`{"type":"result","accepted":false,"error":"unencodable reply"}`)
		}
	}
	return append(line, '\n')
}

// maxDepth is how deeply nested claims may be: the harness reads replies with a JSON
// parser that stops at 128 levels, envelope included.
const maxDepth = 100

var errTooDeep = fmt.Errorf("claims nested deeper than %d levels", maxDepth)

// depth is how deeply v nests arrays and objects, counted up to maxDepth+1.
func depth(v interface{}, d int) int {
	if d > maxDepth {
		return d
	}
	deepest := d
	switch t := v.(type) {
	case map[string]interface{}:
		for _, e := range t {
			if n := depth(e, d+1); n > deepest {
				deepest = n
			}
		}
	case []interface{}:
		for _, e := range t {
			if n := depth(e, d+1); n > deepest {
				deepest = n
			}
		}
	}
	return deepest
}

// handle answers one verify request, turning a panic into a rejection.
func handle(verify func(Request) Reply, request Request) (reply Reply) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(os.Stderr, "panic on %s: %v\n", request.ID, p)
			reply = Rejected(request.ID, fmt.Sprintf("panic: %v", p), "other")
		}
	}()
	return verify(request)
}

// Serve is the request loop: one message at a time, so answers leave in the order the
// requests came. A line that is not a message is logged and skipped.
func Serve(hello func() Reply, verify func(Request) Reply) {
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriter(os.Stdout)
	for {
		line, err := in.ReadString('\n')
		if strings.TrimSpace(line) != "" {
			var message struct {
				Type   string          `json:"type"`
				ID     string          `json:"id"`
				Token  string          `json:"token"`
				Policy json.RawMessage `json:"policy"`
			}
			var reply Reply
			if e := json.Unmarshal([]byte(line), &message); e != nil {
				fmt.Fprintf(os.Stderr, "cannot read %.200q: %v\n", line, e)
			} else if message.Type == "hello" {
				reply = hello()
			} else if message.Type == "verify" {
				request := Request{ID: message.ID, Token: message.Token, PolicyText: string(message.Policy)}
				if e := json.Unmarshal(message.Policy, &request.Policy); e != nil {
					reply = Rejected(message.ID, fmt.Sprintf("unreadable policy: %v", e), "other")
				} else if unsupported := unhandledProfile(request); unsupported != nil {
					reply = unsupported
				} else {
					reply = handle(verify, request)
				}
			} else {
				fmt.Fprintf(os.Stderr, "ignoring message of type %q\n", message.Type)
			}
			if reply != nil {
				out.Write(encode(reply))
				out.Flush()
			}
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "cannot read stdin: %v\n", err)
			return
		}
	}
}
