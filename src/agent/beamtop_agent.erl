%% beamtop_agent - the opt-in collector of `beamtop --agent`.
%%
%% Loaded into the target only when the operator asks (--agent), once per
%% node (a loaded copy of the same version is reused), and never purged
%% by beamtop: purging scans every process.  It streams the process list
%% to beamtop as compact tuples of numbers, in chunks, and answers names
%% for the few rows beamtop shows.  It keeps no state and starts nothing.
-module(beamtop_agent).
-export([version/0, stream/3, names/1]).

-define(VERSION, 1).

version() -> ?VERSION.

%% Sends {beamtop_agent, self(), [{Pid, Memory, Reductions, QueueLen}]}
%% to To, Chunk processes at a time (fewer for the last, possibly none),
%% then returns the number of processes sent.  Items names what else to
%% add per process: total_heap_size and binary (as a byte sum).
stream(To, Chunk, Items) ->
    send(To, erlang:processes(), Chunk, Items, [], 0, 0).

send(To, [], _, _, Acc, _, Total) ->
    To ! {beamtop_agent, self(), Acc},
    Total;
send(To, Ps, Chunk, Items, Acc, N, Total) when N >= Chunk ->
    To ! {beamtop_agent, self(), Acc},
    send(To, Ps, Chunk, Items, [], 0, Total);
send(To, [P | Ps], Chunk, Items, Acc, N, Total) ->
    case erlang:process_info(P, [memory, reductions, message_queue_len | Items]) of
        undefined ->
            send(To, Ps, Chunk, Items, Acc, N, Total);
        [{memory, M}, {reductions, R}, {message_queue_len, Q} | Rest] ->
            Row = list_to_tuple([P, M, R, Q | [extra(X) || X <- Rest]]),
            send(To, Ps, Chunk, Items, [Row | Acc], N + 1, Total + 1)
    end.

extra({total_heap_size, W}) -> W;
extra({binary, Bins}) -> lists:foldl(fun({_, S, _}, A) -> A + S end, 0, Bins);
extra({_, V}) -> V.

%% [{Pid, Name, Registered, CurrentFunction}] for the processes shown:
%% the registered name, else the real initial call (proc_lib's), else the
%% initial call; undefined for a process that is gone.
names(Pids) ->
    [name(P) || P <- Pids].

name(P) ->
    case erlang:process_info(P, [registered_name, initial_call, current_function,
                                 dictionary]) of
        undefined ->
            {P, undefined, false, undefined};
        [{registered_name, Reg}, {initial_call, Init}, {current_function, CF},
         {dictionary, Dict}] when is_atom(Reg), Reg =/= [] ->
            _ = Init, _ = Dict,
            {P, Reg, true, CF};
        [{registered_name, _}, {initial_call, Init}, {current_function, CF},
         {dictionary, Dict}] ->
            case lists:keyfind('$initial_call', 1, Dict) of
                {_, MFA} -> {P, MFA, false, CF};
                false -> {P, Init, false, CF}
            end
    end.
