%% bench_load - the benchmark's target: N idle processes and two sets of
%% planted leaders whose order is known: bench_mem_1..20 hold 1..20 MiB
%% of heap, bench_reds_1..20 burn about 20k..210k reductions a second, in
%% bursts (together some 2M a second: a few percent of a core, quiet
%% enough to measure an observer's cost above it).
-module(bench_load).
-export([start/1, idle/0, mem/1, reds/1, newcomer/1]).

start([ReadyFile, NAtom]) ->
    N = list_to_integer(atom_to_list(NAtom)),
    Self = self(),
    register(bench_owner, spawn(fun() ->
        spawn_idle(N),
        [register(list_to_atom("bench_mem_" ++ integer_to_list(I)),
                  spawn(?MODULE, mem, [I])) || I <- lists:seq(1, 20)],
        [register(list_to_atom("bench_reds_" ++ integer_to_list(I)),
                  spawn(?MODULE, reds, [I])) || I <- lists:seq(1, 20)],
        Self ! ready,
        idle()
    end)),
    receive ready -> ok end,
    timer:sleep(1000),
    ok = file:write_file(atom_to_list(ReadyFile), <<"ready\n">>).

spawn_idle(0) -> ok;
spawn_idle(N) -> spawn(?MODULE, idle, []), spawn_idle(N - 1).

idle() -> receive stop -> ok end.

%% I MiB of list cells (16 bytes each on 64 bits).
mem(I) ->
    L = lists:seq(1, I * 65536),
    erlang:garbage_collect(),
    receive stop -> length(L) end.

reds(I) ->
    spin(1000 + I * 1000),
    timer:sleep(100),
    reds(I).

spin(0) -> ok;
spin(K) -> spin(K - 1).

%% Started during a run: burns reductions flat out, or grows to 64 MiB,
%% to see how soon beamtop puts it at the top.
newcomer(reds) -> spin(100000000), newcomer(reds);
newcomer(mem) ->
    L = lists:seq(1, 64 * 65536),
    receive stop -> length(L) end.
