%% bench_load - the benchmark's target, the hard case: N idle processes
%% plus 2,000 workers whose reductions rates are close to each other
%% (2.5% apart, about 10k reductions/s at rank 20) and are swapped between
%% random workers all the time, whose heaps are swapped too, and some of
%% whose mailboxes grow and drain; and a truth sampler that reads every
%% worker's reductions, memory and queue every 150 ms and keeps the
%% samples, stamped with the node's own clock (statistics(wall_clock), the
%% clock of beamtop's JSON system.uptime_ms), for the benchmark to fetch,
%% with marks of each worker's reductions where its rate changed.
%%
%% The workers run at high priority, so that an observer's own work on the
%% node (a full scan) does not hold them back while it reads them: their
%% reductions follow their schedules, and the truth is sharp.
%%
%% The workers' parameters live in an ETS table that the conductor
%% rewrites; a worker looks at its row's generation each tick (a small
%% integer: no allocation) and allocates nothing else between changes, so
%% that its heap, and its memory, stay what was given to it.
-module(bench_load).
-export([start/1, idle/0, worker/1, conductor/0, sampler/1, samples/2,
         worker_pids/0, newcomers/1, stop_newcomers/0, nc_reds/1,
         nc_mem/1]).

-define(WORKERS, 2000).
-define(PARAMS, bench_params).
-define(TRUTH, bench_truth).
-define(MARKS, bench_marks).
-define(SAMPLE_MS, 150).
-define(KEEP_MS, 900000).
%% Rates: rank r burns R20 * 1.025^(20 - r) reductions a second.
-define(R20, 10000).
-define(STEP, 1.025).
-define(FLOOR_RATE, 20).
%% Reductions per tick, about: a rate of 10k ticks every 10 ms.
-define(PER_TICK, 100).
%% Heaps, as tuples of this many words: 4, 16 and 30 workers hold them,
%% the others none.  A heap after a garbage collection has one of the
%% runtime's heap sizes, so memory takes few values: on OTP 25 these leave
%% 1.5 MiB, 0.57 MiB and 0.22 MiB, so the top 20 stands apart from the 30
%% next (the truth measures whatever they are).  Small, and tuples (made
%% by one BIF, a few thousand reductions where a list of as many words
%% costs ten times more), so that swapping them costs the node little and
%% does not look like a burst of work: the truth and beamtop's list are
%% both of the workers alone.
-define(HEAPS, [{150000, 4}, {60000, 16}, {22000, 30}]).
%% Mailboxes: 40 slots, growing at 40 * 1.06^k messages a second for
%% 2-4 s, then draining as fast, then given to another random worker.
-define(QSLOTS, 40).
%% Swaps each round (every 0.5-1 s): rates between one of the top 40 and
%% any worker (BENCH_RATE_SWAPS pairs, default 10: a worker stays in the
%% top 40 for about 2 s), heaps between one of the 50 biggest and any
%% worker (BENCH_HEAP_SWAPS, default 2).
-define(RATE_SWAPS, env("BENCH_RATE_SWAPS", 10)).
-define(HEAP_SWAPS, env("BENCH_HEAP_SWAPS", 2)).

env(Name, Default) ->
    case os:getenv(Name) of
        false -> Default;
        V -> list_to_integer(V)
    end.

start([ReadyFile, NAtom]) ->
    N = list_to_integer(atom_to_list(NAtom)),
    Self = self(),
    register(bench_owner, spawn(fun() ->
        ets:new(?PARAMS, [named_table, public, set, {read_concurrency, true}]),
        ets:new(?TRUTH, [named_table, public, ordered_set]),
        ets:new(?MARKS, [named_table, public, ordered_set]),
        spawn_idle(N),
        Rates = rates(),
        Heaps = heaps(),
        Pids = [begin
                    ets:insert(?PARAMS, {I, 0, R, H, none, 0}),
                    spawn_opt(?MODULE, worker, [I], [{priority, high}])
                end || {I, R, H} <- lists:zip3(lists:seq(1, ?WORKERS),
                                                shuffle(Rates), shuffle(Heaps))],
        ets:insert(?PARAMS, {pids, list_to_tuple(Pids)}),
        register(bench_conductor, spawn(?MODULE, conductor, [])),
        register(bench_sampler,
                 spawn_opt(?MODULE, sampler, [list_to_tuple(Pids)],
                           [{priority, high}])),
        Self ! ready,
        idle()
    end)),
    receive ready -> ok end,
    %% Heaps built and a few samples taken before anyone measures.
    timer:sleep(3000),
    ok = file:write_file(atom_to_list(ReadyFile), <<"ready\n">>).

spawn_idle(0) -> ok;
spawn_idle(N) -> spawn(?MODULE, idle, []), spawn_idle(N - 1).

idle() -> receive stop -> ok end.

rates() ->
    [max(?FLOOR_RATE, round(?R20 * math:pow(?STEP, 20 - R)))
     || R <- lists:seq(1, ?WORKERS)].

heaps() ->
    Big = lists:append([lists:duplicate(K, C) || {C, K} <- ?HEAPS]),
    Big ++ lists:duplicate(?WORKERS - length(Big), 0).

shuffle(L) ->
    [X || {_, X} <- lists:sort([{rand:uniform(), X} || X <- L])].

%% The pids of the workers, in order, as strings (as beamtop prints them).
worker_pids() ->
    [{pids, T}] = ets:lookup(?PARAMS, pids),
    [pid_to_list(P) || P <- tuple_to_list(T)].

%%
%% A worker: burns its rate's reductions on a schedule kept against the
%% clock (a late tick catches up), holds a tuple of its heap's size, and
%% grows or drains its mailbox at its slot's rate.
%%
worker(I) ->
    reconfigure(I, 0, {}, none, 0, 0, 0).

reconfigure(I, OldWords, Heap, QMode0, QRate0, QT0, QDone) ->
    mark(I),
    [{I, Gen, Rate, Words, QMode, QRate}] = ets:lookup(?PARAMS, I),
    Heap1 = case Words of
                OldWords -> Heap;
                _ -> H = build(Words), mark(I), H
            end,
    Now = now_ms(),
    %% The rate's count starts again; the mailbox's, if its phase changed.
    {QT1, QDone1} = case {QMode, QRate} of
                        {QMode0, QRate0} -> {QT0, QDone};
                        _ -> {Now, 0}
                    end,
    tick(I, Gen, Words, Heap1, Rate, Now, 0, QMode, QRate, QT1, QDone1).

%% mark(I): worker I's reductions now, where its rate changes (or a heap
%% rebuilt burns some at once): between marks and samples, each worker
%% burns at one steady rate, so the truth can interpolate.
mark(I) ->
    {reductions, R} = erlang:process_info(self(), reductions),
    ets:insert(?MARKS, {{uptime_ms(), I}, R}).

%% The old heap is let go and collected first: a heap shrinks only when
%% less than a quarter of it is live, so the size it ends at would depend
%% on the one before.
build(0) ->
    erlang:garbage_collect(),
    {};
build(Words) ->
    erlang:garbage_collect(),
    T = erlang:make_tuple(Words, 0),
    erlang:garbage_collect(),
    T.

tick(I, Gen, Words, Heap, Rate, T0, Done, QMode, QRate, QT0, QDone) ->
    case ets:lookup_element(?PARAMS, I, 2) of
        Gen ->
            Now = now_ms(),
            Period = period(Rate, QMode),
            Due = Rate * (Now - T0) div 1000 - Done,
            Burn = max(0, min(Due, 4 * Rate * Period div 1000 + ?PER_TICK)),
            spin(Burn),
            QDone1 = mailbox(QMode, QRate * (Now - QT0) div 1000 - QDone) + QDone,
            %% On a grid of the clock: the workers' timers end together, so
            %% the node wakes up once for many of them.
            receive after Period - now_ms() rem Period -> ok end,
            tick(I, Gen, Words, Heap, Rate, T0, Done + Burn, QMode, QRate, QT0,
                 QDone1);
        _ ->
            reconfigure(I, Words, Heap, QMode, QRate, QT0, QDone)
    end.

now_ms() -> erlang:monotonic_time(millisecond).

%% About ?PER_TICK reductions a tick, at one of a few periods that divide
%% each other (10 ms to 1 s); 50 ms at most while the mailbox moves, so
%% that it moves smoothly.
period(Rate, none) ->
    Want = ?PER_TICK * 1000 div max(1, Rate),
    hd([P || P <- [1000, 500, 250, 100, 50, 20], P =< Want] ++ [10]);
period(Rate, _) -> min(50, period(Rate, none)).

spin(0) -> ok;
spin(K) -> spin(K - 1).

%% mailbox(Mode, Due): Due messages sent to ourselves (grow) or taken
%% (drain); with no slot, whatever is left is taken.  Returns the count.
mailbox(grow, Due) when Due > 0 -> send_self(Due), Due;
mailbox(drain, Due) when Due > 0 -> take(Due), Due;
mailbox(none, _) -> take(infinity), 0;
mailbox(_, _) -> 0.

send_self(0) -> ok;
send_self(K) -> self() ! q, send_self(K - 1).

take(0) -> ok;
take(K) ->
    receive _ -> take(dec(K)) after 0 -> ok end.

dec(infinity) -> infinity;
dec(K) -> K - 1.

%%
%% The conductor: every 0.5-1 s swaps rates and heaps between workers,
%% and moves the mailbox slots along their cycles.
%%
conductor() ->
    %% The slots start 100 ms apart, so that their cycles do not keep step.
    Now = now_ms(),
    conduct([{K, 0, idle, Now + 100 * K, 0} || K <- lists:seq(0, ?QSLOTS - 1)]).

conduct(Slots) ->
    Wait = 500 + rand:uniform(500),
    receive stop -> ok after Wait -> ok end,
    Rows = [R || R = {I, _, _, _, _, _} <- ets:tab2list(?PARAMS), is_integer(I)],
    ByRate = [I || {_, I} <- lists:reverse(lists:sort([{Rt, I} || {I, _, Rt, _, _, _} <- Rows]))],
    ByHeap = [I || {_, I} <- lists:reverse(lists:sort([{H, I} || {I, _, _, H, _, _} <- Rows]))],
    [swap(lists:nth(rand:uniform(40), ByRate), rand:uniform(?WORKERS), 3)
     || _ <- lists:seq(1, ?RATE_SWAPS)],
    [swap(lists:nth(rand:uniform(50), ByHeap), rand:uniform(?WORKERS), 4)
     || _ <- lists:seq(1, ?HEAP_SWAPS)],
    Busy = [W || {_, W, _, _, _} <- Slots, W > 0],
    {Slots1, _} = lists:mapfoldl(fun(S, B) -> slot(S, now_ms(), B) end, Busy, Slots),
    conduct(Slots1).

swap(A, A, _) -> ok;
swap(A, B, Pos) ->
    [RowA] = ets:lookup(?PARAMS, A),
    [RowB] = ets:lookup(?PARAMS, B),
    set(A, [{Pos, element(Pos, RowB)}]),
    set(B, [{Pos, element(Pos, RowA)}]).

%% set(I, Fields): the fields changed and the generation moved on.
set(I, Fields) ->
    ets:update_element(?PARAMS, I, Fields),
    ets:update_counter(?PARAMS, I, {2, 1}).

%% A slot {K, Worker, Phase, Until, GrowMs}: idle (before its first
%% worker), grow, then drain for as long as it grew, at the same rate,
%% then grow in another random worker.
%% Busy: the workers that hold a slot.  Returns {Slot, Busy}.
slot({_, _, _, Until, _} = S, Now, Busy) when Now < Until -> {S, Busy};
slot({K, W, grow, _, G}, Now, Busy) ->
    set(W, [{5, drain}]),
    {{K, W, drain, Now + G, G}, Busy};
slot({K, W, _, _, _}, Now, Busy) ->
    W > 0 andalso set(W, [{5, none}, {6, 0}]),
    W1 = free_worker(Busy),
    G = 2000 + rand:uniform(2000),
    set(W1, [{5, grow}, {6, round(40 * math:pow(1.06, K))}]),
    {{K, W1, grow, Now + G, G}, [W1 | Busy -- [W]]}.

free_worker(Busy) ->
    W = rand:uniform(?WORKERS),
    case lists:member(W, Busy) of
        true -> free_worker(Busy);
        false -> W
    end.

%%
%% The truth sampler: every worker's reductions, memory and queue length
%% each 150 ms, as one binary of 20 bytes a worker, keyed by the node's
%% clock in ms at the middle of the sample; samples older than 15 minutes
%% are dropped.
%%
sampler(Pids) ->
    T0 = uptime_ms(),
    Bin = << <<(field(P, reductions)):64, (field(P, memory)):64,
               (field(P, message_queue_len)):32>>
             || P <- tuple_to_list(Pids) >>,
    T1 = uptime_ms(),
    T = (T0 + T1) div 2,
    ets:insert(?TRUTH, {T, Bin}),
    ets:select_delete(?TRUTH, [{{'$1', '_'}, [{'<', '$1', T - ?KEEP_MS}], [true]}]),
    ets:select_delete(?MARKS, [{{{'$1', '_'}, '_'}, [{'<', '$1', T - ?KEEP_MS}], [true]}]),
    receive stop -> ok after max(0, ?SAMPLE_MS - (T1 - T0)) -> sampler(Pids) end.

field(P, Item) ->
    case erlang:process_info(P, Item) of
        {Item, V} -> V;
        undefined -> 0
    end.

uptime_ms() -> element(1, erlang:statistics(wall_clock)).

%% samples(From, To): {Samples, Marks}: the samples whose time is within
%% [From, To], with the one just before and the one just after, as
%% [{T, Bin}]; the workers' marks between the first and the last of those,
%% as [{T, I, Reductions}] (I from 1).
samples(From, To) ->
    Before = case ets:prev(?TRUTH, From) of '$end_of_table' -> []; B -> [B] end,
    After = case ets:next(?TRUTH, To) of '$end_of_table' -> []; A -> [A] end,
    Keys = Before ++ ets:select(?TRUTH, [{{'$1', '_'}, [{'>=', '$1', From},
                                                       {'=<', '$1', To}], ['$1']}])
           ++ After,
    {T0, T1} = case Keys of [] -> {0, -1}; _ -> {hd(Keys), lists:last(Keys)} end,
    {[{K, ets:lookup_element(?TRUTH, K, 2)} || K <- Keys],
     ets:select(?MARKS, [{{{'$1', '$2'}, '$3'}, [{'>=', '$1', T0}, {'=<', '$1', T1}],
                          [{{'$1', '$2', '$3'}}]}])}.

%%
%% Newcomers, started by the benchmark once beamtop's first full scan has
%% ended: for reductions, one that burns flat out and a moderate one just
%% above rank 20 (the rate of rank 18, below every rescan threshold); for
%% memory, one that grows to 64 MiB and a moderate one (0.93 MiB on OTP
%% 25: between the sizes of ranks 4 and 5, far below any rescan
%% threshold).  Returns the node's clock when they started.
%%
newcomers(reds) ->
    register(bench_nc_flat, spawn(?MODULE, nc_reds, [flat])),
    register(bench_nc_moderate,
             spawn(?MODULE, nc_reds, [round(?R20 * ?STEP * ?STEP)])),
    uptime_ms();
newcomers(memory) ->
    register(bench_nc_flat, spawn(?MODULE, nc_mem, [8 * 1048576])),
    register(bench_nc_moderate, spawn(?MODULE, nc_mem, [75000])),
    uptime_ms().

stop_newcomers() ->
    [exit(P, kill) || Name <- [bench_nc_flat, bench_nc_moderate],
                      P <- [whereis(Name)], is_pid(P)],
    ok.

nc_reds(flat) -> spin(100000000), nc_reds(flat);
nc_reds(Rate) -> nc_reds(Rate, now_ms(), 0).

nc_reds(Rate, T0, Done) ->
    Due = max(0, Rate * (now_ms() - T0) div 1000 - Done),
    spin(Due),
    receive after 10 -> ok end,
    nc_reds(Rate, T0, Done + Due).

nc_mem(Words) ->
    T = build(Words),
    receive stop -> size(T) end.
