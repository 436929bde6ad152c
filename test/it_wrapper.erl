%% it_wrapper - sends one wrapped query (from qc.escript --term) to a node
%% through rex, as beamtop does, for it_safety.sh.
%%   erl -hidden -s it_wrapper run Node TermFile DeadlineMs reply|leave
%% reply: prints the answer; leave: goes away before the query ends.
%% TermFile `plain`: the plain call timer:sleep(DeadlineMs) instead; the
%% relay's (relay.expr) relays that call.
-module(it_wrapper).
-export([run/1]).

run([Node, File, TmoA, Mode]) ->
    Tmo = list_to_integer(atom_to_list(TmoA)),
    Tag = make_ref(),
    Call = case File of
               plain -> {call, timer, sleep, [Tmo], user};
               _ ->
                   {ok, Bin} = file:read_file(atom_to_list(File)),
                   {Expr, Binds} = binary_to_term(Bin),
                   Vals = #{"Heap" => 1000000, "Mark" => make_ref(), "Tag" => Tag,
                            "Tmo" => Tmo, "Us" => self(),
                            "M" => timer, "F" => sleep, "A" => [Tmo]},
                   Bs = [{V, maps:get(K, Vals)} || {K, V} <- Binds],
                   {call, erl_eval, expr, [Expr, Bs, none, none, value], user}
           end,
    erlang:send({rex, Node}, {'$gen_call', {self(), Tag}, Call}),
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
