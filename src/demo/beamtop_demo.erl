%% beamtop_demo - the workload of `beamtop --demo`.
%%
%% A throwaway node runs this so that every pane has something to show:
%% a pool of busy workers (reductions, run queues), one process whose heap
%% keeps growing, one with a mailbox backlog, one holding refc binaries,
%% a growing ETS table, a port with traffic, and a few Elixir-style names.
%% Everything is bounded (it resets before it gets big), and the node halts
%% by itself when the beamtop that started it is gone.
-module(beamtop_demo).
-export([start/0, start/1]).
-export([worker/1, heap_grower/1, mailbox/0, producer/1, bin_holder/1,
         ets_owner/1, port_owner/0, watcher/1, idle/0]).

-define(HEAP_MAX, 400000).        % list cells before the grower starts over
-define(MAILBOX_MAX, 200000).     % messages before the producer waits
-define(BINS, 64).                % refc binaries held, 64 KiB each
-define(ETS_MAX, 200000).         % rows before the table is emptied

start() -> start([]).

start(Args) ->
    Parent = case Args of
                 [P | _] -> atom_to_list(P);
                 _ -> none
             end,
    proc_lib:spawn(?MODULE, watcher, [Parent]),
    [proc_lib:spawn(?MODULE, worker, [N]) || N <- lists:seq(1, 24)],
    register_spawn(demo_heap_grower, heap_grower, [[]]),
    Mailbox = register_spawn(demo_mailbox, mailbox, []),
    register_spawn(demo_producer, producer, [Mailbox]),
    register_spawn(demo_bin_holder, bin_holder, [[]]),
    register_spawn(demo_ets_owner, ets_owner, [0]),
    register_spawn(demo_port_owner, port_owner, []),
    register_spawn('Elixir.Demo.Cache', idle, []),
    register_spawn('Elixir.Demo.Repo.Pool', idle, []),
    ok.

register_spawn(Name, Fun, Args) ->
    Pid = proc_lib:spawn(?MODULE, Fun, Args),
    register(Name, Pid),
    Pid.

%% Halts the node when the beamtop that started it has gone away, so that
%% a killed beamtop never leaves a demo node behind.
watcher(none) ->
    idle();
watcher(OsPid) ->
    timer:sleep(1000),
    case file:read_file_info("/proc/" ++ OsPid) of
        {ok, _} -> watcher(OsPid);
        {error, _} -> erlang:halt(0)
    end.

idle() ->
    receive stop -> ok end.

%% Busy for a while, then asleep: uneven reductions across the pool.
worker(N) ->
    Spin = 2000 * (N rem 7 + 1),
    spin(Spin),
    timer:sleep(20 + 10 * (N rem 5)),
    worker(N).

spin(0) -> ok;
spin(K) -> _ = erlang:phash2(K), spin(K - 1).

heap_grower(Acc) when length(Acc) >= ?HEAP_MAX ->
    heap_grower([]);
heap_grower(Acc) ->
    timer:sleep(50),
    heap_grower(lists:seq(1, 2000) ++ Acc).

%% Takes a message every 5 ms; the producer sends faster than that.
mailbox() ->
    timer:sleep(5),
    receive _ -> ok after 0 -> ok end,
    mailbox().

producer(To) ->
    case erlang:process_info(To, message_queue_len) of
        {message_queue_len, N} when N >= ?MAILBOX_MAX -> timer:sleep(500);
        _ -> [To ! {work, I} || I <- lists:seq(1, 200)], timer:sleep(10)
    end,
    producer(To).

bin_holder(Bins) when length(Bins) >= ?BINS ->
    timer:sleep(200),
    bin_holder(tl(Bins) ++ [crypto_free_bin()]);
bin_holder(Bins) ->
    timer:sleep(100),
    bin_holder([crypto_free_bin() | Bins]).

crypto_free_bin() ->
    binary:copy(<<"beamtop">>, 65536 div 7 + 1).

ets_owner(_) ->
    T = ets:new(demo_sessions, [named_table, set, public]),
    ets_fill(T, 0).

ets_fill(T, N) when N >= ?ETS_MAX ->
    ets:delete_all_objects(T),
    ets_fill(T, 0);
ets_fill(T, N) ->
    ets:insert(T, [{K, {session, K, <<"payload">>}} || K <- lists:seq(N, N + 499)]),
    timer:sleep(100),
    ets_fill(T, N + 500).

port_owner() ->
    Port = open_port({spawn, "cat"}, [binary, stream]),
    port_loop(Port).

port_loop(Port) ->
    Port ! {self(), {command, binary:copy(<<"x">>, 4096)}},
    receive {Port, {data, _}} -> ok after 100 -> ok end,
    timer:sleep(50),
    port_loop(Port).
