# frozen_string_literal: true

# jwt-conformance process protocol v1, the part every Ruby wrapper shares.
#
# A wrapper in a sibling directory loads it with
#
#   require_relative "../ruby-common/jwtc_protocol"
#
# and calls `JwtcProtocol.serve(hello: -> { ... }, verify: ->(message) { ... })`: the
# first returns the hello answer, the second the result of one verify request (built with
# `accepted`, `rejected` or `unsupported`). This module reads one JSON object a line on
# stdin, answers one a line on stdout, in order, and writes diagnostics to stderr only.
# It knows nothing about any JWT library: choosing the verify call, its options and the
# meaning of its errors is the wrapper's job. A policy naming a profile ("profile":
# "rfc9068", ...) is answered `unsupported` before `verify` sees it, unless the wrapper
# lists the profile in `serve(..., profiles: [...])`.

require "base64"
require "json"

# No trusted key for the token (JwtcProtocol.key_for). At the top level: its name is the
# one rejections carry, "NoTrustedKey: ...".
class NoTrustedKey < StandardError; end

module JwtcProtocol
  # The algorithm names protocol v1 knows.
  PROTOCOL_ALGORITHMS = %w[HS256 HS384 HS512 RS256 RS384 RS512 PS256 PS384 PS512
                           ES256 ES384 ES512 EdDSA].freeze

  module_function

  # The hello answer; algorithms are filtered to the protocol's names, in order.
  def hello(name, version, algorithms, clock)
    { "type" => "hello", "protocol" => 1, "name" => name, "version" => version,
      "algorithms" => PROTOCOL_ALGORITHMS.select { |a| algorithms.include?(a) }, "clock" => clock }
  end

  # An acceptance. A payload that is not a JSON object travels under the name "", so the
  # comparison with the signed claims fails visibly instead of the reply being garbage.
  def accepted(id, claims)
    claims = { "" => claims } unless claims.is_a?(Hash)
    { "type" => "result", "id" => id, "accepted" => true, "claims" => claims }
  end

  def rejected(id, error, kind = nil)
    result = { "type" => "result", "id" => id, "accepted" => false, "error" => error }
    result["kind"] = kind if kind
    result
  end

  # A rejection for the exception `error`: its class and message, and `kind` if known.
  def rejection(id, error, kind = nil)
    rejected(id, "#{error.class}: #{error.message}", kind)
  end

  def unsupported(id, why)
    { "type" => "result", "id" => id, "unsupported" => why }
  end

  # The reject kind of the first [class, kind] pair `error` is an instance of.
  def error_kind(error, kinds)
    kinds.each { |cls, kind| return kind if error.is_a?(cls) }
    nil
  end

  # The policy's trusted JWKs for `key_for`, each as { kid:, key: }: an `oct` JWK as its
  # decoded `k` bytes (the secret itself, as a service passes it), any other as the block
  # makes it. A JWK the library refuses becomes { kid:, error: }, which rejects the tokens
  # that name it and no others.
  def trusted_keys(policy)
    (policy.dig("keys", "keys") || []).map do |jwk|
      key = jwk["kty"] == "oct" ? Base64.urlsafe_decode64(jwk["k"].to_s) : yield(jwk)
      { kid: jwk["kid"], key: key }
    rescue StandardError => e
      { kid: jwk["kid"], error: e }
    end
  end

  # The key of `trusted_keys` the header's kid names; without a kid, the only one.
  def key_for(keys, header)
    kid = header["kid"]
    named = header.key?("kid") ? keys.select { |k| k[:kid] == kid } : (keys.length == 1 ? keys : [])
    raise NoTrustedKey, "no trusted key for kid #{kid.inspect}" if named.empty?
    raise named.first[:error] if named.first[:error]

    named.first[:key]
  end

  # One prepared verifier per distinct policy, built on first use.
  class PreparedCache
    def initialize(&prepare)
      @prepare = prepare
      @prepared = {}
    end

    def get(policy)
      key = JSON.generate(policy)
      @prepared[key] ||= @prepare.call(policy)
    end
  end

  # The value with strings that are not valid UTF-8 (lone surrogates that the JSON
  # parser let through from `\ud800` escapes, raw bytes) scrubbed to U+FFFD.
  def well_formed(value)
    case value
    when String
      text = value.dup.force_encoding(Encoding::UTF_8)
      text.valid_encoding? ? text : text.scrub("\uFFFD")
    when Hash then value.each_with_object({}) { |(k, v), h| h[well_formed(k.to_s)] = well_formed(v) }
    when Array then value.map { |v| well_formed(v) }
    when Integer
      # The harness reads numbers as doubles: an integer beyond their range is no
      # readable reply, so it goes the way of other claims JSON text cannot carry.
      raise RangeError, "integer beyond the range of a double" if value.abs > Float::MAX.to_i

      value
    else value
    end
  end

  # The reply as one line of JSON text.
  def encode(reply)
    JSON.generate(well_formed(reply), max_nesting: 100)
  rescue StandardError, SystemStackError => e
    # Accepted claims JSON text cannot carry (NaN, nesting deeper than the harness reads):
    # report the acceptance, with claims that fail the comparison visibly.
    JSON.generate(reply.merge("claims" => { "" => "claims not representable as JSON text (#{e.class}: #{e.message})" }))
  end

  # The request loop: one message at a time, so answers leave in the order the requests
  # came. A line that is not JSON is logged and skipped; a verify request whose handling
  # raises is answered with a rejection carrying the message.
  # `unsupported` for a verify request whose policy names a profile not in `profiles`,
  # else nil.
  def unhandled_profile(message, profiles = [])
    profile = (message["policy"] || {})["profile"]
    return nil if profile.nil? || profiles.include?(profile)

    unsupported(message["id"], "the wrapper does not apply the #{profile} profile")
  end

  def serve(hello:, verify:, profiles: [])
    $stdout.sync = true
    $stdin.each_line do |line|
      next if line.strip.empty?

      begin
        message = JSON.parse(line)
        type = message["type"]
      rescue StandardError => e
        warn "cannot read #{line[0, 200].inspect}: #{e.message}"
        next
      end
      begin
        reply = case type
                when "hello" then hello.call
                when "verify" then unhandled_profile(message, profiles) || verify.call(message)
                else
                  warn "ignoring message of type #{type.inspect}"
                  next
                end
      rescue StandardError, SystemStackError => e
        warn "cannot handle #{line[0, 200].inspect}: #{e.class}: #{e.message}"
        next unless type == "verify"

        reply = rejection(message["id"], e, "other")
      end
      $stdout.write("#{encode(reply)}\n")
    end
  end
end
