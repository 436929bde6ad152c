%% it_firstscreen - the target of test/it_firstscreen.sh: enough processes
%% that beamtop's first full scan takes seconds (200,000 proc_lib
%% processes, whose initial calls observer_backend looks up one by one),
%% a leader by memory among the last of them, and runtime_tools'
%% observer_backend loaded (as on a node that etop or observer has
%% watched), so that the scan is its stream.
-module(it_firstscreen).
-export([start/1, idle/0, hold/1]).

start([ReadyFile]) ->
    {module, observer_backend} = code:ensure_loaded(observer_backend),
    Self = self(),
    spawn(fun() ->
                  spawn_idle(150000),
                  register(it_fs_leader, spawn(?MODULE, hold, [1000000])),
                  spawn_idle(50000),
                  Self ! ready,
                  receive stop -> ok end
          end),
    receive ready -> ok end,
    ok = file:write_file(atom_to_list(ReadyFile), <<"ready\n">>).

spawn_idle(0) -> ok;
spawn_idle(N) -> proc_lib:spawn(?MODULE, idle, []), spawn_idle(N - 1).

idle() -> receive stop -> ok end.

%% Holds a list of N integers: a big, still heap.
hold(N) ->
    L = lists:seq(1, N),
    erlang:garbage_collect(),
    receive stop -> length(L) end.
