#!/usr/bin/env perl
# jwt-conformance process protocol v1 wrapper around Crypt::JWT (DCIT), as Debian ships it
# (libcrypt-jwt-perl).
#
# Run it as `jwt-conformance run --exec 'perl adapters/process/perl-crypt-jwt/verifier.pl'`.
# It reads one JSON object a line on stdin and answers one a line on stdout; diagnostics
# go to stderr. It is the only Perl wrapper, so the protocol code lives here.
#
# How Crypt::JWT is used, following its documentation (decode_jwt):
# - `decode_jwt(token => ..., kid_keys => $jwks, accepted_alg => [...], leeway => ...,
#   verify_exp/verify_nbf/verify_iat => 1 for a required claim, verify_iss => $issuer,
#   verify_aud => $audience)`; with `kid_keys` Crypt::JWT picks the key by the header's
#   `kid` and imports the JWK itself (a JWK that carries its private part is handed over
#   whole and imported as a key pair, which verifies with its public part). A token without a `kid` (which `kid_keys` refuses by
#   design) gets the only trusted JWK as `key`, as a service with one key passes it; the
#   header is read for that with `decode_jwt(..., ignore_signature => 1, ignore_claims =>
#   1, decode_header => 1)`. The wrapper never checks a claim itself.
# - exp and nbf are checked when present by default; `verify_iss`/`verify_aud` with a
#   value also require the claim (Crypt::JWT's design).
# Clock: Crypt::JWT reads `time` and has no option to set it, so the wrapper declares a
# system clock. What cannot be mapped, answered `unsupported`: a `typ` requirement (no
# check in 0.034), several accepted audiences (`verify_aud` takes one value; a pattern
# or code would be the wrapper's own check), and a required claim other than exp, nbf,
# iat, or iss/aud with an expected value. Reject kinds come from Crypt::JWT's fixed
# croak messages.
use strict;
use warnings;
use Crypt::JWT qw(decode_jwt);
use B ();
use JSON::XS;

my @PROTOCOL_ALGORITHMS = qw(HS256 HS384 HS512 RS256 RS384 RS512 PS256 PS384 PS512
                             ES256 ES384 ES512 EdDSA);
# The JWS algorithms Crypt::JWT verifies (the branches of its _verify_jws).
my %SUPPORTED = map { $_ => 1 } qw(HS256 HS384 HS512 RS256 RS384 RS512 PS256 PS384 PS512
                                   ES256 ES256K ES384 ES512 EdDSA);

# Crypt::JWT's croak messages, most specific first.
my @MESSAGE_KINDS = (
    [qr/kid_keys lookup failed|missing key|no trusted key/, 'key'],
    [qr/exp claim check failed/, 'expired'],
    [qr/nbf claim check failed/, 'not-yet-valid'],
    [qr/claim required but missing/, 'missing-claim'],
    [qr/iss claim/, 'issuer'],
    [qr/aud claim/, 'audience'],
    [qr/accepted_alg|alg 'none'|missing header 'alg'/, 'algorithm'],
    [qr/invalid signature/, 'signature'],
    [qr/invalid (header|payload|sig) part|invalid token|malformed/i, 'malformed'],
);

my $json = JSON::XS->new->utf8->allow_nonref;

# The harness reads replies with a JSON parser that stops at 128 levels.
my $MAX_DEPTH = 100;

sub result { return { type => 'result', id => $_[0], @_[1 .. $#_] } }

sub error_kind {
    my ($message) = @_;
    for my $pair (@MESSAGE_KINDS) {
        return $pair->[1] if $message =~ $pair->[0];
    }
    return undef;
}

my %prepared;

# Crypt::JWT configured for one policy: the decode_jwt arguments, or why it cannot be.
sub prepare {
    my ($policy) = @_;
    return { unsupported => 'Crypt::JWT 0.034 has no check of the typ header' } if defined $policy->{typ};
    my @audience = @{ $policy->{audience} || [] };
    return { unsupported => 'verify_aud takes one audience, not several' } if @audience > 1;
    my %args = (accepted_alg => [ @{ $policy->{algorithms} } ], leeway => $policy->{leeway} || 0);
    for my $claim (@{ $policy->{required_claims} || [] }) {
        if ($claim =~ /^(exp|nbf|iat)$/) { $args{"verify_$claim"} = 1 }
        elsif ($claim eq 'iss' && defined $policy->{issuer}) { }
        elsif ($claim eq 'aud' && @audience) { }
        else { return { unsupported => "Crypt::JWT cannot require the claim $claim" } }
    }
    $args{verify_iss} = $policy->{issuer} if defined $policy->{issuer};
    $args{verify_aud} = $audience[0] if @audience;
    return { args => \%args, keys => $policy->{keys}, count => scalar @{ $policy->{keys}{keys} || [] } };
}

sub verify {
    my ($message) = @_;
    my $id = $message->{id};
    my $policy = $message->{policy};
    return result($id, unsupported => 'Crypt::JWT reads the system clock') if defined $policy->{now};
    my $cache_key = JSON::XS->new->canonical->encode($policy);
    my $p = $prepared{$cache_key} //= prepare($policy);
    return result($id, unsupported => $p->{unsupported}) if $p->{unsupported};
    my $token = $message->{token};
    my $claims = eval {
        my %key = (kid_keys => $p->{keys});
        if ($p->{count} == 1) {
            my ($header) = decode_jwt(token => $token, ignore_signature => 1, ignore_claims => 1,
                                      decode_header => 1);
            %key = (key => $p->{keys}{keys}[0]) if ref $header eq 'HASH' && !exists $header->{kid};
        }
        decode_jwt(token => $token, %key, %{ $p->{args} });
    };
    if (my $error = $@) {
        # Any failure on attacker input is a rejection, never a crash.
        $error =~ s/ at \S+ line \d+\.?\n?\z//;
        my $kind = error_kind($error);
        return result($id, accepted => JSON::XS::false, error => "$error", (defined $kind ? (kind => $kind) : ()));
    }
    # A payload Crypt::JWT could not read as JSON comes back as a string.
    $claims = { '' => $claims } unless ref $claims eq 'HASH';
    return result($id, accepted => JSON::XS::true, claims => $claims);
}

sub hello {
    return {
        type => 'hello', protocol => 1, name => 'crypt-jwt', version => "$Crypt::JWT::VERSION",
        algorithms => [ grep { $SUPPORTED{$_} } @PROTOCOL_ALGORITHMS ], clock => 'system',
    };
}

# Numbers are written with 17 significant digits, which JSON::XS does not do (it writes
# 15, so 1.7976931348623157e308 would come out beyond a double's range): each one travels
# through the encoder as a marker no claim can forge (it holds a random nonce), then
# takes its place in the text.
my $NONCE = join '', map { sprintf '%02x', int rand 256 } 1 .. 16;
my @numbers;

# The value with lone surrogates (no UTF-8 text can carry them) replaced by U+FFFD and
# floating-point numbers marked; dies on what JSON text cannot carry.
sub well_formed {
    my ($value, $depth) = @_;
    die "nested deeper than the harness reads\n" if $depth > $MAX_DEPTH;
    if (ref $value eq 'HASH') {
        return { map { well_formed($_, $depth) => well_formed($value->{$_}, $depth + 1) } keys %$value };
    }
    if (ref $value eq 'ARRAY') {
        return [ map { well_formed($_, $depth + 1) } @$value ];
    }
    return $value if ref $value || !defined $value;
    my $flags = B::svref_2object(\$value)->FLAGS;
    if (($flags & (B::SVp_IOK() | B::SVp_NOK())) && !($flags & B::SVp_POK())) {
        return $value if $flags & B::SVp_IOK();
        die "number beyond what JSON text carries\n" if $value != $value || $value * 0 != 0;
        push @numbers, sprintf '%.17g', $value;
        return "\x{1}jwtc-$NONCE-$#numbers\x{1}";
    }
    (my $text = $value) =~ s/[\x{D800}-\x{DFFF}]/\x{FFFD}/g;
    return $text;
}

sub encode {
    my ($reply) = @_;
    @numbers = ();
    my $line = eval { $json->encode(well_formed($reply, 0)) };
    if (defined $line) {
        $line =~ s/"\\u0001jwtc-$NONCE-(\d+)\\u0001"/$numbers[$1]/g;
        return $line;
    }
    # Accepted claims JSON text cannot carry: report the acceptance, with claims that
    # fail the comparison visibly.
    my $why = $@;
    chomp $why;
    return $json->encode({ %$reply, claims => { '' => "claims not representable as JSON text ($why)" } });
}

$| = 1;
binmode STDIN;
binmode STDOUT;
while (my $line = <STDIN>) {
    next unless $line =~ /\S/;
    my $message = eval { $json->decode($line) };
    if (!ref $message) {
        print STDERR "cannot read line: $@";
        next;
    }
    my $type = $message->{type} // '';
    my $reply = eval {
        $type eq 'hello' ? hello() : $type eq 'verify' ? verify($message) : undef;
    };
    if (my $error = $@) {
        print STDERR "cannot handle $type: $error";
        next unless $type eq 'verify';
        $reply = result($message->{id}, accepted => JSON::XS::false, error => "$error", kind => 'other');
    }
    if (!defined $reply) {
        print STDERR "ignoring message of type $type\n";
        next;
    }
    print encode($reply), "\n";
}
