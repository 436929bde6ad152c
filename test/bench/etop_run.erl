%% etop_run - etop's cost on the node, from a hidden node:
%%
%%   etop_run main Target OsPid Refreshes IntervalS TickMs auto|collector
%%
%% runs etop (tracing off, text output, sorted by reductions) against
%% Target, and reads the node's CPU (/proc/OsPid/stat, in ticks of TickMs)
%% when etop prints its first refresh and again Refreshes refreshes later:
%% etop's start-up (connecting, its first collection) is outside that
%% window.  When etop gives up (a collection that outlasts its interval
%% makes it exit: at 100k processes and more on a small machine), its
%% collector is driven directly instead, as etop drives it
%% (observer_backend:etop_collect/1 spawned on the node, its answer
%% awaited), once to warm up and then Refreshes times, one per interval
%% or back to back when one takes longer (collector: from the start).
%% Prints one line:
%%   etop|collector Refreshes CpuMs WallMs
%% and exits non-zero when neither could be measured.
-module(etop_run).
-export([main/1]).

main([Target, OsPid, Refreshes, Interval, Tick, Mode]) ->
    T = list_to_atom(Target),
    pong = net_adm:ping(T),
    Cpu = fun() -> cpu_ms(OsPid, list_to_integer(Tick)) end,
    R = list_to_integer(Refreshes),
    I = list_to_integer(Interval),
    Etop = case Mode of
               "collector" -> gave_up;
               _ -> run_etop(T, R, I, Cpu)
           end,
    Line = case Etop of
               {ok, C, W} -> ["etop", R, C, W];
               gave_up ->
                   {C, W} = run_collector(T, R, I * 1000, Cpu),
                   ["collector", R, C, W]
           end,
    io:format("~s ~b ~b ~b~n", Line),
    erlang:halt(0).

%% {ok, CpuMs, WallMs} over Refreshes refreshes after the first, or
%% gave_up.
run_etop(T, R, I, Cpu) ->
    Self = self(),
    Io = spawn_link(fun() -> io_server(Self) end),
    spawn(fun() ->
                  group_leader(Io, self()),
                  etop:start([{node, T}, {tracing, off}, {interval, I},
                              {lines, 20}, {sort, reductions}, {output, text}])
          end),
    Wait = 60000 + 10 * I * 1000,
    Result = case refresh(Wait) of
                 ok ->
                     {C0, T0} = {Cpu(), now_ms()},
                     case refreshes(R, Wait) of
                         ok -> {ok, Cpu() - C0, now_ms() - T0};
                         gave_up -> gave_up
                     end;
                 gave_up -> gave_up
             end,
    catch etop:stop(),
    timer:sleep(200),
    Result.

refreshes(0, _) -> ok;
refreshes(K, Wait) ->
    case refresh(Wait) of
        ok -> refreshes(K - 1, Wait);
        gave_up -> gave_up
    end.

refresh(Wait) ->
    receive
        refresh -> ok;
        gave_up -> gave_up
    after Wait -> gave_up
    end.

%% etop's output goes here: each refresh has one "Load:" line; a timeout
%% is how it says it gives up.
io_server(Parent) ->
    receive
        {io_request, From, ReplyAs, Req} ->
            Reply = case text(Req) of
                        none -> {error, enotsup};
                        Text -> said(Parent, Text), ok
                    end,
            From ! {io_reply, ReplyAs, Reply},
            io_server(Parent);
        _ ->
            io_server(Parent)
    end.

said(Parent, Text) ->
    [Parent ! refresh || _ <- tl(string:split(Text, "Load:", all))],
    case string:find(Text, "Timeout when waiting") of
        nomatch -> ok;
        _ -> Parent ! gave_up
    end.

text({put_chars, _Enc, Chars}) -> chars(Chars);
text({put_chars, _Enc, M, F, A}) -> chars(catch apply(M, F, A));
text({put_chars, Chars}) -> chars(Chars);
text({put_chars, M, F, A}) -> chars(catch apply(M, F, A));
text({requests, Reqs}) -> lists:append([T || R <- Reqs, T <- [text(R)], T =/= none]);
text(_) -> none.

chars(C) ->
    case catch unicode:characters_to_list(C) of
        L when is_list(L) -> L;
        _ -> ""
    end.

%% {CpuMs, WallMs} of Refreshes collections after a first one.
run_collector(T, R, IntervalMs, Cpu) ->
    collect(T),
    {C0, T0} = {Cpu(), now_ms()},
    collect_every(T, R, IntervalMs),
    {Cpu() - C0, now_ms() - T0}.

collect_every(_, 0, _) -> ok;
collect_every(T, K, IntervalMs) ->
    Start = now_ms(),
    collect(T),
    K > 1 andalso timer:sleep(max(0, IntervalMs - (now_ms() - Start))),
    collect_every(T, K - 1, IntervalMs).

collect(T) ->
    P = spawn_link(T, observer_backend, etop_collect, [self()]),
    receive {P, _Info} -> ok
    after 600000 -> io:format(standard_error, "etop_run: no answer~n", []),
                    erlang:halt(1)
    end.

now_ms() -> erlang:monotonic_time(millisecond).

%% The node's user + system CPU so far, in ms (fields 14 and 15 of stat,
%% counted after the command's closing parenthesis).
cpu_ms(OsPid, Tick) ->
    {ok, Stat} = file:read_file("/proc/" ++ OsPid ++ "/stat"),
    [_, After] = string:split(Stat, ")", trailing),
    Fields = string:lexemes(binary_to_list(After), " "),
    (list_to_integer(lists:nth(12, Fields)) + list_to_integer(lists:nth(13, Fields))) * Tick.
