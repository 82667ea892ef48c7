#!/usr/bin/env escript
%% jwt-conformance process protocol v1 wrapper around erlang-jose (potatosalad), as Debian
%% ships it (erlang-jose, with erlang-jiffy as its JSON module).
%%
%% Run it as `jwt-conformance run --exec 'escript adapters/process/erlang-jose/verifier.escript'`.
%% It reads one JSON object a line on stdin and answers one a line on stdout;
%% diagnostics go to stderr. It is the only Erlang wrapper, so the protocol code lives
%% here.
%%
%% erlang-jose implements JWS, JWE and JWK and checks no JWT claim. What this column
%% measures is what code that uses it as its JWT verifier gets. How it is used, following
%% its documentation:
%% - each trusted JWK is imported with `jose_jwk:from_map/1` (a JWK that carries its
%%   private part is imported whole, and jose verifies with its public part); the key
%%   is the one the header's `kid` names (the only one when the token has no `kid`),
%%   read from `jose_jws:peek_protected/1`;
%% - `jose_jwt:verify_strict(JWK, AllowedAlgorithms, Token)` checks the signature with an
%%   allowed `alg` only and returns the claims jose decoded (with jiffy).
%% erlang-jose checks no claim and has no clock: the wrapper declares a system clock and
%% never checks a claim itself. A policy with an issuer, audiences, a `typ` or a required
%% claim other than `exp` is answered `unsupported`; a required `exp` (every policy has
%% one) is left to the library, as the jsonwebtoken wrapper does, and the time and claim
%% cases show what that lets through. `verify_strict` answers false for a bad signature
%% and for an algorithm outside the list alike, so that rejection carries no kind.

-mode(compile).

-define(PROTOCOL_ALGORITHMS, [<<"HS256">>, <<"HS384">>, <<"HS512">>, <<"RS256">>,
                              <<"RS384">>, <<"RS512">>, <<"PS256">>, <<"PS384">>,
                              <<"PS512">>, <<"ES256">>, <<"ES384">>, <<"ES512">>,
                              <<"EdDSA">>]).
%% The harness reads replies with a JSON parser that stops at 128 levels and reads
%% numbers as doubles.
-define(MAX_DEPTH, 100).
-define(MAX_DOUBLE, 1.7976931348623157e308).

main(_) ->
    ok = application:load(jose),
    % Bytes in, bytes out: stdin read as latin1 keeps every byte, and replies go to
    % file descriptor 1 through a port, past the I/O server's character translation.
    ok = io:setopts(standard_io, [binary, {encoding, latin1}]),
    put(stdout, open_port({fd, 0, 1}, [binary, out])),
    loop(#{}).

loop(Cache) ->
    case io:get_line(standard_io, "") of
        eof -> ok;
        {error, _} -> ok;
        Line ->
            {Reply, Cache2} = handle(Line, Cache),
            case Reply of
                none -> ok;
                _ -> port_command(get(stdout), [encode(Reply), $\n])
            end,
            loop(Cache2)
    end.

handle(Line, Cache) ->
    case catch jiffy:decode(Line, [return_maps]) of
        #{<<"type">> := <<"hello">>} ->
            {hello(), Cache};
        #{<<"type">> := <<"verify">>} = Message ->
            Id = maps:get(<<"id">>, Message, <<>>),
            try verify(Message, Cache)
            catch
                Class:Reason ->
                    % A verify request always gets an answer.
                    log("cannot handle ~s: ~p:~p", [Id, Class, Reason]),
                    {rejected(Id, message(Class, Reason), <<"other">>), Cache}
            end;
        _ ->
            case re:run(Line, "\\S", [{capture, none}]) of
                match -> log("cannot read ~.200s", [Line]);
                nomatch -> ok
            end,
            {none, Cache}
    end.

hello() ->
    {ok, Version} = application:get_key(jose, vsn),
    {alg, Supported} = proplists:get_value(jws, jose_jwa:supports()),
    % jose names its Ed25519 signatures by curve; "EdDSA" with an Ed25519 key is the same.
    Known = fun(<<"EdDSA">>) -> lists:member(<<"Ed25519">>, Supported);
               (Alg) -> lists:member(Alg, Supported) end,
    #{<<"type">> => <<"hello">>, <<"protocol">> => 1, <<"name">> => <<"erlang-jose">>,
      <<"version">> => list_to_binary(Version),
      <<"algorithms">> => [A || A <- ?PROTOCOL_ALGORITHMS, Known(A)],
      <<"clock">> => <<"system">>}.

verify(Message, Cache) ->
    Id = maps:get(<<"id">>, Message),
    Policy = maps:get(<<"policy">>, Message),
    CacheKey = jiffy:encode(Policy),
    Prepared = case Cache of
                   #{CacheKey := P} -> P;
                   _ -> prepare(Policy)
               end,
    Cache2 = Cache#{CacheKey => Prepared},
    Reply = case Prepared of
                {unsupported, Why} ->
                    #{<<"type">> => <<"result">>, <<"id">> => Id, <<"unsupported">> => Why};
                {Keys, Algorithms} ->
                    verify_token(Id, maps:get(<<"token">>, Message), Keys, Algorithms)
            end,
    {Reply, Cache2}.

%% The imported keys and allowed algorithms for one policy, or why it cannot be.
prepare(Policy) ->
    Required = [C || C <- get(<<"required_claims">>, Policy, []), C =/= <<"exp">>],
    if
        is_binary(map_get(<<"typ">>, Policy)) ->
            {unsupported, <<"erlang-jose has no check of the typ header">>};
        is_binary(map_get(<<"issuer">>, Policy)) ->
            {unsupported, <<"erlang-jose checks no issuer">>};
        is_list(map_get(<<"audience">>, Policy)), map_get(<<"audience">>, Policy) =/= [] ->
            {unsupported, <<"erlang-jose checks no audience">>};
        Required =/= [] ->
            {unsupported, <<"erlang-jose cannot require a claim">>};
        true ->
            JWKs = get(<<"keys">>, get(<<"keys">>, Policy, #{}), []),
            Keys = [{maps:get(<<"kid">>, JWK, undefined), import(JWK)} || JWK <- JWKs],
            {Keys, get(<<"algorithms">>, Policy, [])}
    end.

get(Key, Map, Default) when is_map(Map) ->
    case maps:get(Key, Map, null) of
        null -> Default;
        Value -> Value
    end;
get(_, _, Default) -> Default.

import(JWK) ->
    try jose_jwk:from_map(JWK)
    catch Class:Reason -> {error, message(Class, Reason)}
    end.

verify_token(Id, Token, Keys, Algorithms) ->
    case catch jiffy:decode(jose_jws:peek_protected(Token), [return_maps]) of
        Header when is_map(Header) ->
            Named = case Header of
                        #{<<"kid">> := Kid} -> [K || {KeyKid, K} <- Keys, KeyKid =:= Kid];
                        _ when length(Keys) =:= 1 -> [K || {_, K} <- Keys];
                        _ -> []
                    end,
            case Named of
                [] -> rejected(Id, <<"no trusted key for the token's kid">>, <<"key">>);
                [{error, Why} | _] -> rejected(Id, Why, <<"key">>);
                [Key | _] -> verify_with(Id, Token, Key, Algorithms)
            end;
        Other ->
            rejected(Id, message(error, Other), <<"malformed">>)
    end.

verify_with(Id, Token, Key, Algorithms) ->
    try jose_jwt:verify_strict(Key, Algorithms, Token) of
        {true, {jose_jwt, Fields}, _} when is_map(Fields) ->
            #{<<"type">> => <<"result">>, <<"id">> => Id, <<"accepted">> => true,
              <<"claims">> => Fields};
        {true, Other, _} ->
            #{<<"type">> => <<"result">>, <<"id">> => Id, <<"accepted">> => true,
              <<"claims">> => #{<<>> => message(ok, Other)}};
        {false, _, _} ->
            rejected(Id, <<"jose_jwt:verify_strict returned false">>, undefined)
    catch
        % Any failure on attacker input is a rejection, never a crash.
        Class:Reason -> rejected(Id, message(Class, Reason), undefined)
    end.

rejected(Id, Error, Kind) ->
    Reply = #{<<"type">> => <<"result">>, <<"id">> => Id, <<"accepted">> => false,
              <<"error">> => Error},
    case Kind of
        undefined -> Reply;
        _ -> Reply#{<<"kind">> => Kind}
    end.

message(Class, Reason) ->
    Text = iolist_to_binary(io_lib:format("~p:~0p", [Class, Reason])),
    binary:part(Text, 0, min(byte_size(Text), 500)).

%% The reply as one line of JSON text: invalid UTF-8 replaced (jiffy's force_utf8), and
%% claims the harness cannot read back reported as an acceptance whose claims fail the
%% comparison visibly.
encode(Reply) ->
    Readable = case Reply of
                   #{<<"claims">> := Claims} -> readable(Claims, 0);
                   _ -> true
               end,
    Safe = case Readable of
               true -> Reply;
               false -> Reply#{<<"claims">> => #{<<>> => <<"claims not representable as JSON text">>}}
           end,
    try jiffy:encode(Safe, [force_utf8])
    catch Class:Reason ->
        jiffy:encode(Safe#{<<"claims">> => #{<<>> => message(Class, Reason)}}, [force_utf8])
    end.

readable(_, Depth) when Depth > ?MAX_DEPTH -> false;
readable(Map, Depth) when is_map(Map) ->
    lists:all(fun(V) -> readable(V, Depth + 1) end, maps:values(Map));
readable(List, Depth) when is_list(List) ->
    lists:all(fun(V) -> readable(V, Depth + 1) end, List);
readable(N, _) when is_integer(N) -> abs(N) =< ?MAX_DOUBLE;
readable(_, _) -> true.

log(Format, Args) ->
    io:format(standard_error, Format ++ "~n", Args).
