# frozen_string_literal: true

# jwt-conformance process protocol v1 wrapper around json-jwt (nov), as Debian ships it
# (ruby-json-jwt).
#
# Run it as `jwt-conformance run --exec 'ruby adapters/process/ruby-json-jwt/verifier.rb'`.
# It reads one JSON object a line on stdin and answers one a line on stdout; diagnostics
# go to stderr.
#
# json-jwt parses and verifies JWS/JWE and checks no claim: it is the layer under
# openid_connect and rack-oauth2, which check claims themselves. What this column
# measures is what code that uses json-jwt as its JWT verifier gets. How it is used,
# following its README:
# - `JSON::JWT.decode(token, key, algorithms)` verifies the signature with an allowed
#   `alg` only. The key is the trusted JWK the header's `kid` names (the only one when
#   the token has no `kid`), read from `JSON::JWT.decode(token, :skip_verification)`.
#   A public JWK is handed over as a `JSON::JWK`, which json-jwt converts itself; a JWK
#   that carries its private part is handed over the same way and becomes an OpenSSL key
#   pair, whose public part verifies. An
#   `oct` JWK is handed over as its decoded `k` bytes: json-jwt 1.14's `JSON::JWK#to_key`
#   (and so its `JSON::JWK::Set` lookup) keeps the base64url text of `k` as the secret,
#   so HMAC tokens from a JWK Set never verify; a service passes the secret itself;
# - json-jwt checks no claim and reads no clock: the wrapper declares a system clock and
#   never checks a claim itself. A policy with an issuer, audiences, a `typ` or a
#   required claim other than `exp` is answered `unsupported`; a required `exp` (every
#   policy has one) is left to the library, as the jsonwebtoken wrapper does: json-jwt
#   never looks at `exp`, `nbf` or any claim, and the time and claim cases show that.

require "json/jwt"
require_relative "../ruby-common/jwtc_protocol"

P = JwtcProtocol

ERROR_KINDS = [
  [NoTrustedKey, "key"],
  [JSON::JWS::UnexpectedAlgorithm, "algorithm"],
  [JSON::JWS::VerificationFailed, "signature"],
  [JSON::JWT::InvalidFormat, "malformed"],
  [JSON::ParserError, "malformed"]
].freeze

PREPARED = P::PreparedCache.new do |policy|
  others = (policy["required_claims"] || []) - ["exp"]
  if !policy["typ"].nil?
    { unsupported: "json-jwt has no check of the typ header" }
  elsif !policy["issuer"].nil?
    { unsupported: "json-jwt checks no issuer" }
  elsif !(policy["audience"] || []).empty?
    { unsupported: "json-jwt checks no audience" }
  elsif !others.empty?
    { unsupported: "json-jwt cannot require the claim(s) #{others.join(', ')}" }
  else
    keys = P.trusted_keys(policy) { |jwk| JSON::JWK.new(jwk) }
    { keys: keys, algorithms: policy["algorithms"].map(&:to_sym) }
  end
end

def verify(message)
  id = message["id"]
  prepared = PREPARED.get(message["policy"])
  return P.unsupported(id, prepared[:unsupported]) if prepared[:unsupported]

  token = message["token"]
  begin
    header = JSON::JWT.decode(token, :skip_verification).header
    # The header is a HashWithIndifferentAccess: its "kid" is its :kid.
    key = P.key_for(prepared[:keys], header)
    P.accepted(id, JSON::JWT.decode(token, key, prepared[:algorithms]).to_h)
  rescue StandardError, SystemStackError => e # any failure on attacker input is a rejection
    P.rejection(id, e, P.error_kind(e, ERROR_KINDS))
  end
end

def hello
  algorithms = P::PROTOCOL_ALGORITHMS.select do |name|
    jws = JSON::JWS.new({})
    jws.alg = name
    %i[hmac? rsa? rsa_pss? ecdsa?].any? { |kind| jws.send(kind) }
  end
  P.hello("json-jwt", Gem.loaded_specs["json-jwt"].version.to_s, algorithms, "system")
end

P.serve(hello: -> { hello }, verify: ->(message) { verify(message) })
