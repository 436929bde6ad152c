%% it_wrapper - sends one wrapped query (from qc.escript --term) to a node
%% through rex, as beamtop does, for it_safety.sh.
%%   erl -hidden -s it_wrapper run Node TermFile DeadlineMs reply|leave
%% reply: prints the answer; leave: goes away before the query ends.
-module(it_wrapper).
-export([run/1]).

run([Node, File, TmoA, Mode]) ->
    {ok, Bin} = file:read_file(atom_to_list(File)),
    {Expr, Binds} = binary_to_term(Bin),
    Tmo = list_to_integer(atom_to_list(TmoA)),
    Vals = #{"Heap" => 1000000, "Mark" => make_ref(), "Tmo" => Tmo,
             "Us" => self()},
    Bs = [{V, maps:get(K, Vals)} || {K, V} <- Binds],
    Tag = make_ref(),
    erlang:send({rex, Node}, {'$gen_call', {self(), Tag},
                              {call, erl_eval, expr,
                               [Expr, Bs, none, none, value], user}}),
    case Mode of
        reply ->
            receive
                {Tag, Reply} -> io:format("~p~n", [Reply])
            after Tmo + 5000 -> io:format("no answer~n")
            end;
        leave ->
            timer:sleep(500)
    end,
    halt().
