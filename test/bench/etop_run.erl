%% etop_run - runs etop (tracing off, text output) from a hidden node
%% against Target for Seconds at Interval, then stops it; etop prints a
%% report per refresh, which the benchmark counts.
-module(etop_run).
-export([main/1]).

main([Target, Seconds, Interval]) ->
    T = list_to_atom(Target),
    S = list_to_integer(Seconds),
    I = list_to_integer(Interval),
    spawn(fun() ->
                  etop:start([{node, T}, {tracing, off}, {interval, I},
                              {lines, 20}, {output, text}])
          end),
    timer:sleep(S * 1000),
    etop:stop(),
    timer:sleep(200),
    erlang:halt(0).
