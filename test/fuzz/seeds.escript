#!/usr/bin/env escript
%% seeds.escript DIR - writes the fuzzer's seed corpus: real answers of a
%% node (this one), each prefixed with the byte that picks its decoder in
%% fuzz_decode.c.
-mode(compile).

main([Dir]) ->
    Self = self(),
    spawn(fun() -> receive never -> ok end end),
    register(seed_named, spawn(fun() -> put(k, v), receive never -> ok end end)),
    Tab = ets:new(seed_tab, [named_table, public]),
    ets:insert(Tab, [{K, <<"v">>} || K <- lists:seq(1, 30)]),
    Port = open_port({spawn, "cat"}, []),
    observer_backend:procs_info(Self),
    Chunk = receive {procs_info, _, C} -> C end,
    Info = [process_count, process_limit, port_count, port_limit, atom_count,
            atom_limit, ets_count, ets_limit, schedulers, schedulers_online,
            dirty_cpu_schedulers, dirty_cpu_schedulers_online,
            dirty_io_schedulers, logical_processors, wordsize, otp_release,
            version],
    Stats = [reductions, wall_clock, run_queue_lengths_all,
             scheduler_wall_time_all, io],
    erlang:system_flag(scheduler_wall_time, true),
    Pid = whereis(seed_named),
    Seeds = [
        {0, {a, [1, 2], #{'__struct__' => 'Elixir.X', k => <<"v">>}, "s", 3.5}},
        {1, Chunk},
        {2, erlang:memory()},
        {3, [erlang:system_info(K) || K <- Info]},
        {4, [erlang:statistics(K) || K <- Stats]},
        {5, [ets:info(T) || T <- lists:sublist(ets:all(), 5)]},
        {6, query("ports_info", [{'Inet', []}, {'Ports', erlang:ports()}])},
        {7, erlang:processes()},
        {8, query("proc_info", [{'Items', [registered_name, memory, message_queue_len]}, {'Pid', Pid}])},
        {9, {head, 2, [{msg, 1}, {msg, 2}]}},
        {9, {sampled, 1000000, [{trickled, 1}]}},
        {10, {state, {st, 1, <<"x">>}}},
        {10, not_sys},
        {11, ets:info(Tab)},
        {12, {objects, 30, ets:match_object(Tab, '_')}},
        {12, private},
        {13, {erlang:port_info(Port), []}},
        {14, [1, 2, 3]},
        {14, {m, f, 2}}
    ],
    lists:foreach(fun({N, {K, T}}) ->
                          File = filename:join(Dir, io_lib:format("seed_~2..0b_~b", [K, N])),
                          ok = file:write_file(File, [K, term_to_binary(T)])
                  end, lists:zip(lists:seq(1, length(Seeds)), Seeds)).

%% Evaluates one of src/queries/*.expr here, as the node would.
query(Name, Bindings) ->
    Src = filename:join([filename:dirname(escript:script_name()), "..", "..",
                         "src", "queries", Name ++ ".expr"]),
    {ok, Bin} = file:read_file(Src),
    {ok, Toks, _} = erl_scan:string(binary_to_list(Bin)),
    {ok, [Expr]} = erl_parse:parse_exprs(Toks),
    erl_eval:expr(Expr, Bindings, none, none, value).
