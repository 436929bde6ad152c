%% it_shapes - what packaged applications put on a node, planted: a
%% proc_lib process with a sys-aware loop of its own (as gen_server2,
%% p1_server, gen_batch_server), processes labelled in their dictionary
%% (RabbitMQ's process_name, OTP 27's proc_lib label), Elixir-shaped names
%% and terms (structs, 'Elixir.' atoms, binaries as strings), refs, funs,
%% quoted atoms, floats, a TCP socket pair with traffic, anonymous tables.
-module(it_shapes).
-export([start/1, loop_init/2, system_continue/3, system_terminate/4,
         system_get_state/1, system_replace_state/2, tcp_pair/1, idle/0,
         tables/1, hib_init/1, hib_loop/2]).
-behaviour(gen_server).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

start([ReadyFile]) ->
    Self = self(),
    [proc_lib:spawn(?MODULE, loop_init, [Self, {queue, N}])
     || N <- lists:seq(1, 30)],
    [receive {looping, _} -> ok end || _ <- lists:seq(1, 30)],
    {ok, _} = gen_server:start({local, 'Elixir.MyApp.Worker'}, ?MODULE,
                               elixir, []),
    [{ok, _} = gen_server:start(?MODULE, plain, []) || _ <- lists:seq(1, 5)],
    register(it_tables, spawn(?MODULE, tables, [Self])),
    receive tables_ready -> ok end,
    register(it_tcp, spawn(?MODULE, tcp_pair, [Self])),
    receive tcp_ready -> ok end,
    ok = file:write_file(atom_to_list(ReadyFile), <<"ready\n">>).

%% A sys-aware loop that is not a gen_server (what gen_server2 is).
loop_init(Parent, {queue, N}) ->
    Name = iolist_to_binary(io_lib:format("rw_backlog~b", [N])),
    %% rabbit_misc:store_proc_name/2 of a queue: {Type, #resource{}}
    put(process_name, {rabbit_amqqueue_process, {resource, <<"/">>, queue, Name}}),
    case erlang:function_exported(proc_lib, set_label, 1) of
        true when N =:= 1 -> proc_lib:set_label({queue, Name});
        _ -> ok
    end,
    Parent ! {looping, self()},
    loop(Parent, {qstate, Name, lists:seq(1, 40), 1.0, make_ref()}).

loop(Parent, State) ->
    receive
        {system, From, Msg} ->
            sys:handle_system_msg(Msg, From, Parent, ?MODULE, [], State);
        _ -> loop(Parent, State)
    end.

%% The same loop, hibernating whenever its mailbox is empty, as an idle
%% gen_server2 does (every idle RabbitMQ queue and channel): no stack
%% shows where it waits, only what it was started as.  Planted by the
%% tests that need it: proc_lib:spawn(it_shapes, hib_init, [N]).
hib_init(N) ->
    Name = iolist_to_binary(io_lib:format("rw_idle~b", [N])),
    put(process_name, {rabbit_amqqueue_process, {resource, <<"/">>, queue, Name}}),
    [Parent | _] = get('$ancestors'),
    hib_loop(Parent, {idle, Name}).

hib_loop(Parent, State) ->
    receive
        {system, From, Msg} ->
            sys:handle_system_msg(Msg, From, Parent, ?MODULE, [], State);
        _ -> hib_loop(Parent, State)
    after 0 ->
        erlang:hibernate(?MODULE, hib_loop, [Parent, State])
    end.

system_continue(Parent, _, {idle, _} = State) -> hib_loop(Parent, State);
system_continue(Parent, _, State) -> loop(Parent, State).
system_terminate(Reason, _, _, _) -> exit(Reason).
system_get_state(State) -> {ok, State}.
system_replace_state(F, State) -> S = F(State), {ok, S, S}.

init(elixir) ->
    Date = #{'__struct__' => 'Elixir.DateTime', calendar => 'Elixir.Calendar.ISO',
             year => 2026, month => 12, day => 1, hour => 5, minute => 9,
             second => 56, microsecond => {0, 0}, time_zone => <<"Etc/UTC">>,
             zone_abbr => <<"UTC">>, utc_offset => 0, std_offset => 0},
    {ok, #{'__struct__' => 'Elixir.MyApp.State', last => Date, meta => #{},
           name => <<"s929">>, tags => [a, b], ratio => 1.0, 'cond' => 16,
           ref => make_ref(), f => fun(X) -> X end, ext => fun lists:seq/2,
           cast => '$gen_cast', queue => '%2F_rw_qq1',
           long => [{entry, N, lists:duplicate(3, <<"abcdefghij">>)}
                    || N <- lists:seq(1, 60)]}};
init(plain) -> {ok, plain}.
handle_call(_, _, S) -> {reply, ok, S}.
%% A server that waits inside its callback, in a function of this module,
%% which has a sys-aware loop of its own (above): a system message would
%% stay in its mailbox unanswered.
handle_cast(wait_in_callback, S) -> idle(), {noreply, S};
handle_cast(_, S) -> {noreply, S}.
handle_info(_, S) -> {noreply, S}.

tables(Parent) ->
    T = ets:new('Elixir.MyApp.Sessions', [named_table, public]),
    ets:insert(T, [{N, <<"session">>} || N <- lists:seq(1, 1000)]),
    Anon = [ets:new(anon, [public]) || _ <- lists:seq(1, 3)],
    [ets:insert(A, {k, N}) || {A, N} <- lists:zip(Anon, [1, 2, 3])],
    Parent ! tables_ready,
    receive stop -> ok end.

%% A loopback TCP pair: the writer sends 64 KB every 50 ms to an active
%% socket, whose port_info(input) stays 0 while getstat's recv_oct grows.
tcp_pair(Parent) ->
    {ok, L} = gen_tcp:listen(0, [binary, {ip, {127, 0, 0, 1}}, {active, true}]),
    {ok, Port} = inet:port(L),
    W = spawn(fun() ->
                      {ok, S} = gen_tcp:connect({127, 0, 0, 1}, Port, [binary]),
                      write(S)
              end),
    {ok, R} = gen_tcp:accept(L),
    register(it_tcp_writer, W),
    Parent ! tcp_ready,
    drain(R).

write(S) ->
    ok = gen_tcp:send(S, binary:copy(<<"x">>, 65536)),
    timer:sleep(50),
    write(S).

drain(R) -> receive _ -> drain(R) end.

idle() -> receive stop -> ok end.
