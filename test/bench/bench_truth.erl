%% bench_truth - how many of beamtop's top 20 are the true top 20, per
%% refresh, against the samples that bench_load's truth sampler took on
%% the node while beamtop ran.  Run from a hidden node:
%%
%%   bench_truth main Node Sort Refreshes Out
%%
%% Refreshes holds one line per refresh of beamtop's JSON (made by jq in
%% run.sh): n, system.uptime_ms (the node's clock when the refresh
%% started), refresh.wall_ms, the scan's kind, the refresh's claim that
%% the sorted list is exact (true, false, null, or - when it makes none),
%% and the pids of its rows in order (comma separated, - for none).  Out
%% gets one line per refresh judged: n, kind, claim, agreement (0-20).
%%
%% Only the workers count, on both sides: beamtop's first 20 rows that
%% are workers against the top 20 of the workers (ties at the 20th value
%% all count as top).  The truth is taken at the refresh's moment, which
%% is a span: a refresh reads its processes between its start and its
%% end (a full scan of a big node takes a while), so
%%   - memory and queue: a row agrees when the worker is in the top 20 of
%%     any sample from the last one before the start to the first one
%%     after the end (the sampler's 150 ms is the resolution);
%%   - reductions per second: over the interval from the previous
%%     refresh to this one, from a point of the one (its start, an eighth
%%     of its wall time, ..., its end) to a point of the other; a row
%%     agrees when the worker is in the top 20 of any of those intervals,
%%     reductions within two ticks of a worker (200) of the 20th's
%%     counting as a tie.  (An incremental refresh takes a few ms: its
%%     points are one; a full scan's are apart.)
%%     A worker's reductions at a moment are interpolated between the
%%     samples and the worker's own marks around it (it marks where its
%%     rate changes: between those points it burns at one steady rate).
%% Exits non-zero when a refresh falls outside the samples (no truth).
-module(bench_truth).
-export([main/1]).

-define(TOP, 20).
%% Reductions within a tick of a worker (bench_load's ?PER_TICK, burnt at
%% once) at either end of the interval of the 20th are a tie: the load
%% cannot tell them apart.
-define(REDS_TIE, 200).
-define(REC, 20).

main([Node, Sort, RefFile, OutFile]) ->
    N = list_to_atom(Node),
    Rs = read_refreshes(RefFile),
    Rs =/= [] orelse fail("no refreshes in ~s", [RefFile]),
    Pids = rpc:call(N, bench_load, worker_pids, []),
    is_list(Pids) orelse fail("no workers on ~s: ~p", [Node, Pids]),
    Index = maps:from_list(lists:zip(Pids, lists:seq(0, length(Pids) - 1))),
    From = lists:min([U || {_, U, _, _, _, _} <- Rs]),
    To = lists:max([U + W || {_, U, W, _, _, _} <- Rs]),
    {Samples, Marks} = case rpc:call(N, bench_load, samples, [From, To]) of
                           {Ss, Ms} when length(Ss) >= 2 -> {Ss, Ms};
                           Bad -> fail("no truth samples on ~s for ~p..~p: ~P",
                                       [Node, From, To, Bad, 5])
                       end,
    S = {list_to_tuple(Samples), marks(Marks)},
    Nw = length(Pids),
    Lines = judge(list_to_atom(Sort), Rs, none, S, Nw, Index),
    ok = file:write_file(OutFile, Lines),
    halt(0).

fail(Fmt, Args) ->
    io:format(standard_error, "bench_truth: " ++ Fmt ++ "~n", Args),
    halt(1).

read_refreshes(File) ->
    {ok, Bin} = file:read_file(File),
    [parse(string:lexemes(L, " ")) || L <- string:lexemes(binary_to_list(Bin), "\n")].

parse([N, U, W, Kind, Claim, Pids]) ->
    {list_to_integer(N), list_to_integer(U), list_to_integer(W), Kind, Claim,
     case Pids of "-" -> []; _ -> string:lexemes(Pids, ",") end}.

judge(_, [], _, _, _, _) -> [];
judge(Sort, [R | Rest], Prev, S, Nw, Index) ->
    {N, _, _, Kind, Claim, Rows} = R,
    Mine = lists:sublist([maps:get(P, Index) || P <- Rows, maps:is_key(P, Index)], ?TOP),
    Line = case accepted(Sort, R, Prev, S, Nw) of
               skip -> [];
               Ok ->
                   Agree = length([I || I <- Mine, sets:is_element(I, Ok)]),
                   debug(Agree, Sort, R, Prev, S, Nw, Mine, Ok),
                   io_lib:format("~b ~s ~s ~b~n", [N, Kind, Claim, Agree])
           end,
    [Line | judge(Sort, Rest, R, S, Nw, Index)].

%% With BENCH_TRUTH_DEBUG set, a refresh that does not agree on all 20 is
%% shown on stderr: the rows that are not top, the true top that beamtop
%% left out, with their true values (reductions/s: over both intervals).
debug(?TOP, _, _, _, _, _, _, _) -> ok;
debug(Agree, Sort, {N, U, W, _, _, _}, Prev, S, Nw, Mine, Ok) ->
    case os:getenv("BENCH_TRUTH_DEBUG") of
        false -> ok;
        _ ->
            Vals = case {Sort, Prev} of
                       {reductions_per_sec, {_, U0, W0, _, _, _}} ->
                           lists:zip(rate(S, Nw, U0, U), rate(S, Nw, U0 + W0, U + W));
                       _ ->
                           {_, B} = element(before(element(1, S), U), element(1, S)),
                           F = case Sort of memory -> 1; _ -> 2 end,
                           [{value(B, I, F), x} || I <- seq(Nw)]
                   end,
            Ranked = lists:reverse(lists:sort(lists:zip(Vals, seq(Nw)))),
            Rank = maps:from_list([{I, K} || {{_, I}, K} <- lists:zip(Ranked, lists:seq(1, Nw))]),
            Show = fun(I) -> {I, maps:get(I, Rank), lists:nth(I + 1, Vals)} end,
            {_, Marks} = S,
            [io:format(standard_error, "  worker ~b: marks ~p~n",
                       [I, [M || {T, _} = M <- maps:get(I, Marks, []),
                                 T > U - 3000, T < U + W + 500]])
             || I <- Mine, not sets:is_element(I, Ok)],
            io:format(standard_error, "refresh ~b (~b+~b ms): ~b/20; not top: ~p~n"
                      "  left out: ~p~n  ranks 19-22: ~p~n",
                      [N, U, W, Agree, [Show(I) || I <- Mine, not sets:is_element(I, Ok)],
                       [Show(I) || {_, I} <- lists:sublist(Ranked, ?TOP), not lists:member(I, Mine)],
                       [{I, V} || {V, I} <- lists:sublist(Ranked, 19, 4)]])
    end.

rate(S, Nw, A, B) ->
    [round((Y - X) * 1000 / (B - A)) || {X, Y} <- lists:zip(reds_at(S, Nw, A), reds_at(S, Nw, B))].

%% The workers that count as top for refresh R (a set of indices), or skip
%% (reductions per second on the first refresh: no interval yet).
accepted(reductions_per_sec, _, none, _, _) -> skip;
accepted(reductions_per_sec, {_, U, W, _, _, _}, {_, U0, W0, _, _, _}, S, Nw) ->
    Ends = [reds_at(S, Nw, U + F * W div 8) || F <- lists:seq(0, 8)],
    Starts = [reds_at(S, Nw, U0 + F * W0 div 8) || F <- lists:seq(0, 8)],
    union([top(minus(E, B), ?REDS_TIE) || E <- Ends, B <- Starts]);
accepted(Sort, {_, U, W, _, _, _}, _, S, Nw) ->
    Field = case Sort of memory -> 1; message_queue_len -> 2 end,
    union([top([value(B, I, Field) || I <- seq(Nw)], 0)
           || {_, B} <- span(element(1, S), U, U + W)]).

seq(Nw) -> lists:seq(0, Nw - 1).

union(Sets) -> sets:union(Sets).

minus(A, B) -> [X - Y || {X, Y} <- lists:zip(A, B)].

%% The indices of the top ?TOP values, with every one within Tie of the
%% last.
top(Values, Tie) ->
    Sorted = lists:reverse(lists:sort(Values)),
    Last = lists:nth(?TOP, Sorted) - Tie,
    sets:from_list([I || {V, I} <- lists:zip(Values, seq(length(Values))), V >= Last]).

%% Field 0: reductions, 1: memory, 2: queue length.
value(Bin, I, 0) -> <<_:(I * ?REC)/binary, V:64, _/binary>> = Bin, V;
value(Bin, I, 1) -> <<_:(I * ?REC + 8)/binary, V:64, _/binary>> = Bin, V;
value(Bin, I, 2) -> <<_:(I * ?REC + 16)/binary, V:32, _/binary>> = Bin, V.

%% The samples from the last at or before T0 to the first at or after T1.
span(S, T0, T1) ->
    K0 = before(S, T0),
    K1 = min(tuple_size(S), after_(S, T1)),
    [element(K, S) || K <- lists:seq(K0, K1)].

%% The index of the last sample at or before T (fails the run if none).
before(S, T) ->
    case [K || K <- lists:seq(1, tuple_size(S)), element(1, element(K, S)) =< T] of
        [] -> fail("no truth sample before ~p", [T]);
        Ks -> lists:last(Ks)
    end.

after_(S, T) ->
    case [K || K <- lists:seq(1, tuple_size(S)), element(1, element(K, S)) >= T] of
        [] -> fail("no truth sample after ~p", [T]);
        [K | _] -> K
    end.

%% Marks by worker index (from 0): #{I => [{T, R}]} in time order.
marks(Marks) ->
    lists:foldr(fun({T, I, R}, M) -> maps:update_with(I - 1, fun(L) -> [{T, R} | L] end,
                                                     [{T, R}], M) end,
                #{}, lists:sort(Marks)).

%% Every worker's reductions at T, interpolated between the points around
%% T: the samples, and the worker's marks between them.
reds_at({S, Marks}, Nw, T) ->
    K = before(S, T),
    {Ta, A} = element(K, S),
    {Tb, B} = if K < tuple_size(S) -> element(K + 1, S);
                 Ta =:= T -> {Ta + 1, A};
                 true -> fail("no truth sample after ~p", [T])
              end,
    [interpolate([{Ta, value(A, I, 0)}] ++
                     [P || {Tm, _} = P <- maps:get(I, Marks, []), Tm > Ta, Tm < Tb] ++
                     [{Tb, value(B, I, 0)}], T)
     || I <- seq(Nw)].

%% The value at T of the line through the points (in time order) around T.
interpolate([{T0, V0}, {T1, V1} | _], T) when T =< T1 ->
    V0 + (V1 - V0) * (T - T0) / max(1, T1 - T0);
interpolate([_ | Rest], T) -> interpolate(Rest, T).
