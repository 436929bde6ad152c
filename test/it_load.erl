%% it_load - the planted load of the integration tests.
%%
%% Started on the test's own target node with -s it_load start ReadyFile;
%% writes ReadyFile when every planted thing is in place, so the test knows
%% what the node should report.
-module(it_load).
-export([start/1, hold/1, busy/0, sink/0, tabler/1, porter/0, idle/0,
         fill_mailbox/2, bins/1, linked_a/0, linked_b/0, dict_holder/0,
         trickle/1, leaker/1, secret_owner/1]).
-behaviour(gen_server).
-export([init/1, handle_call/3, handle_cast/2]).
-export([huge_heap/1, socket_owner/1]).

start([ReadyFile, drill]) ->
    drill_load(),
    start([ReadyFile]);
start([ReadyFile, huge]) ->
    huge_load(),
    start([ReadyFile]);
start([ReadyFile]) ->
    Heap = spawn(?MODULE, hold, [1000000]),
    register(it_big_heap, Heap),
    register(it_busy, spawn(?MODULE, busy, [])),
    Sink = spawn(?MODULE, sink, []),
    register(it_mailbox, Sink),
    fill_mailbox(Sink, 50000),
    Self = self(),
    register(it_table_owner, spawn(?MODULE, tabler, [Self])),
    receive table_ready -> ok end,
    register(it_port_owner, spawn(?MODULE, porter, [])),
    register('Elixir.It.Worker', spawn(?MODULE, idle, [])),
    register(it_bins, spawn(?MODULE, bins, [Self])),
    receive bins_ready -> ok end,
    %% Let the heap settle before anyone measures it.
    wait_heap(Heap),
    ok = file:write_file(atom_to_list(ReadyFile), <<"ready\n">>).

wait_heap(Pid) ->
    case erlang:process_info(Pid, message_queue_len) of
        {message_queue_len, 0} -> timer:sleep(200);
        _ -> timer:sleep(50), wait_heap(Pid)
    end.

%% Holds a list of N integers: a big, still heap.
hold(N) ->
    L = lists:seq(1, N),
    erlang:garbage_collect(),
    receive stop -> length(L) end.

busy() ->
    _ = erlang:phash2(erlang:monotonic_time()),
    busy().

%% Never reads its mailbox.
sink() ->
    receive never_sent_to_anyone -> ok end.

fill_mailbox(_, 0) -> ok;
fill_mailbox(To, N) -> To ! {msg, N}, fill_mailbox(To, N - 1).

tabler(Parent) ->
    T = ets:new(it_big_table, [named_table, set, public]),
    ets:insert(T, [{K, {value, K, <<"some payload">>}} || K <- lists:seq(1, 100000)]),
    Parent ! table_ready,
    idle().

porter() ->
    _Port = open_port({spawn, "cat"}, [binary]),
    idle().

%% Holds 20 refc binaries of 1 MiB each.
bins(Parent) ->
    Bins = [binary:copy(<<I>>, 1048576) || I <- lists:seq(1, 20)],
    Parent ! bins_ready,
    receive stop -> length(Bins) end.

idle() ->
    receive stop -> ok end.

%% The drill-down's planted things: a gen_server with a known state, a
%% linked pair, a dictionary entry, a 1M-message mailbox that still
%% receives a few messages a second, a process to kill, one whose
%% binaries are garbage, and a private table.
drill_load() ->
    {ok, _} = gen_server:start({local, it_gs}, ?MODULE, planted, []),
    register(it_linked_a, spawn(?MODULE, linked_a, [])),
    register(it_dict, spawn(?MODULE, dict_holder, [])),
    Huge = spawn(?MODULE, sink, []),
    register(it_huge_mq, Huge),
    fill_mailbox(Huge, 1000000),
    register(it_trickle, spawn(?MODULE, trickle, [Huge])),
    register(it_victim, spawn(?MODULE, idle, [])),
    Self = self(),
    register(it_leaker, on_scheduler(2, fun() -> leaker(Self) end)),
    receive leaked -> ok end,
    register(it_secret_owner, spawn(?MODULE, secret_owner, [Self])),
    receive secret_ready -> ok end,
    wait_linked().

wait_linked() ->
    case whereis(it_linked_b) of
        undefined -> timer:sleep(20), wait_linked();
        _ -> ok
    end.

init(planted) -> {ok, {planted_state, 42, <<"hello">>}}.
handle_call(_, _, S) -> {reply, ok, S}.
handle_cast(_, S) -> {noreply, S}.

linked_a() ->
    register(it_linked_b, spawn_link(?MODULE, linked_b, [])),
    idle().

linked_b() -> idle().

dict_holder() ->
    put(planted_key, planted_value),
    idle().

trickle(To) ->
    To ! {trickled, erlang:unique_integer([positive])},
    timer:sleep(50),
    trickle(To).

%% Holds 20 MiB of refc binaries and drops them: they stay referenced from
%% the heap until the next garbage collection, which bin_leak forces.  They
%% are made by a process on another scheduler, as a node's binaries often
%% are: freed by the collection on this one, they go back to the maker's
%% scheduler later (delayed deallocation), and the node's binary figure
%% falls a while after the collection.
leaker(Parent) ->
    Self = self(),
    on_scheduler(1, fun() ->
                            Self ! {bins, [binary:copy(<<I>>, 1048576)
                                           || I <- lists:seq(1, 20)]}
                    end),
    Bins = receive {bins, L} -> L end,
    Parent ! leaked,
    leaker_idle(length(Bins)).

%% spawn_opt's scheduler option (not documented; spawn where it is not).
on_scheduler(N, F) ->
    try erlang:spawn_opt(F, [{scheduler, N}])
    catch error:badarg -> spawn(F)
    end.

leaker_idle(_) ->
    receive stop -> ok end.

secret_owner(Parent) ->
    T = ets:new(it_secret, [named_table, private]),
    ets:insert(T, {hidden, value}),
    Parent ! secret_ready,
    idle().

%% Huge data: 100k ETS tables, 10k ports (UDP sockets), atoms close to the
%% limit (the node runs with +t 200000), and a process with a 1 GB heap.
huge_load() ->
    Self = self(),
    %% Tables die with their owner: give them one that stays.
    register(it_tables, spawn(fun() ->
                                      [ets:new(huge_tab, [public]) || _ <- lists:seq(1, 100000)],
                                      Self ! tables_ready,
                                      idle()
                              end)),
    receive tables_ready -> ok end,
    register(it_sockets, spawn(?MODULE, socket_owner, [Self])),
    receive sockets_ready -> ok end,
    _ = [list_to_atom("it_atom_" ++ integer_to_list(I)) || I <- lists:seq(1, 185000)],
    register(it_huge_heap, spawn(?MODULE, huge_heap, [Self])),
    %% Until its last full sweep is over, any process_info on it waits.
    receive heap_ready -> ok end.

socket_owner(Parent) ->
    Socks = [element(2, gen_udp:open(0, [{ip, {127,0,0,1}}])) || _ <- lists:seq(1, 10000)],
    Parent ! sockets_ready,
    receive stop -> length(Socks) end.

huge_heap(Parent) ->
    L = binary_to_list(binary:copy(<<0>>, 1 bsl 26)),
    erlang:garbage_collect(),
    Parent ! heap_ready,
    receive stop -> length(L) end.
