# frozen_string_literal: true

# jwt-conformance process protocol v1 wrapper around ruby-jwt (the `jwt` gem), as Debian
# ships it (ruby-jwt).
#
# Run it as `jwt-conformance run --exec 'ruby adapters/process/ruby-jwt/verifier.rb'`. It
# reads one JSON object a line on stdin and answers one a line on stdout; diagnostics go
# to stderr.
#
# How ruby-jwt is used, following its README:
# - `JWT.decode(token, nil, true, { algorithms:, iss:, verify_iss:, aud:, verify_aud:,
#   required_claims:, leeway: }) { |header| key }`: the block is ruby-jwt's documented
#   key finder, and it returns the trusted key the header's `kid` names (the only key
#   when the token has no `kid`). Public JWKs are imported with ruby-jwt's own
#   `JWT::JWK.import(jwk).keypair`; a JWK that carries its private part imports as the
#   whole key pair, whose public part OpenSSL verifies with. An `oct` JWK is handed over as its decoded `k`
#   bytes: ruby-jwt 2.5's JWK import (and so its `jwks:` option) keeps the base64url
#   text of `k` as the secret, so HMAC tokens from a JWK Set never verify; a service
#   passes the secret itself, as the README does. The wrapper never checks a claim.
# - exp and nbf are verified by default (`verify_expiration`, `verify_not_before`), with
#   `leeway`; iss and aud only when given, each with its `verify_*` switch on.
#
# Clock: ruby-jwt reads `Time.now` and has no option to set it, so the wrapper declares
# a system clock. ruby-jwt has no check of the header's `typ`: a policy requiring one is
# answered `unsupported`. EdDSA needs the rbnacl gem, which Debian's package does not
# pull in; the hello lists EdDSA only when it is there.

require "jwt"
require_relative "../ruby-common/jwtc_protocol"

P = JwtcProtocol

# Most specific first: every decode error is a JWT::DecodeError.
ERROR_KINDS = [
  [NoTrustedKey, "key"],
  [JWT::ExpiredSignature, "expired"],
  [JWT::ImmatureSignature, "not-yet-valid"],
  [JWT::InvalidIssuerError, "issuer"],
  [JWT::InvalidAudError, "audience"],
  [JWT::MissingRequiredClaim, "missing-claim"],
  [JWT::IncorrectAlgorithm, "algorithm"],
  [JWT::VerificationError, "signature"],
  [JWT::JWKError, "key"],
  [JWT::InvalidPayload, "malformed"],
  [JWT::DecodeError, "malformed"]
].freeze

# Messages of a plain DecodeError that are about the key, not the token's form.
KEY_MESSAGES = [/No key id/, /No keys found/, /Could not find public key/, /No verification key/].freeze

def error_kind(error)
  return "key" if error.instance_of?(JWT::DecodeError) && KEY_MESSAGES.any? { |m| m.match?(error.message) }

  P.error_kind(error, ERROR_KINDS)
end

# ruby-jwt configured for one policy: the options of JWT.decode, or why it cannot be.
PREPARED = P::PreparedCache.new do |policy|
  next { unsupported: "ruby-jwt has no check of the typ header" } unless policy["typ"].nil?

  keys = P.trusted_keys(policy) { |jwk| JWT::JWK.import(jwk).keypair }
  options = {
    algorithms: policy["algorithms"],
    required_claims: policy["required_claims"] || [],
    leeway: policy["leeway"] || 0
  }
  unless policy["issuer"].nil?
    options[:iss] = policy["issuer"]
    options[:verify_iss] = true
  end
  audience = policy["audience"] || []
  unless audience.empty?
    options[:aud] = audience
    options[:verify_aud] = true
  end
  { options: options, keys: keys }
end

def verify(message)
  id = message["id"]
  policy = message["policy"]
  return P.unsupported(id, "ruby-jwt reads the system clock") unless policy["now"].nil?

  prepared = PREPARED.get(policy)
  return P.unsupported(id, prepared[:unsupported]) if prepared[:unsupported]

  begin
    payload, = JWT.decode(message["token"], nil, true, prepared[:options]) { |header| P.key_for(prepared[:keys], header) }
    P.accepted(id, payload)
  rescue StandardError, SystemStackError => e # any failure on attacker input is a rejection
    P.rejection(id, e, error_kind(e))
  end
end

def hello
  algorithms = JWT::Algos::ALGOS.flat_map { |alg| alg.const_get(:SUPPORTED) }
  algorithms -= ["EdDSA"] unless defined?(RbNaCl)
  P.hello("ruby-jwt", Gem.loaded_specs["jwt"].version.to_s, algorithms, "system")
end

P.serve(hello: -> { hello }, verify: ->(message) { verify(message) })
