#!/usr/bin/env escript
%% qc.escript OUT.c OUT.h FILE.expr... - compiles beamtop's remote queries.
%%
%% Each FILE.expr holds one Erlang expression that beamtop has the node
%% evaluate with erl_eval (stdlib), so that nothing is loaded into the node.
%% The expression is parsed here, at build time, and embedded in the
%% binary in the external term format, ready to send.  OUT.h gets an enum
%% with one id per query (QUERY_ and the file's name in capitals), so that
%% beamtop names its queries by id, never by a string looked up at run
%% time; OUT.c the table of their contracts, indexed by that id.
%%
%% Two things are done to every query on the way, for the node's sake:
%%
%% * It is wrapped (wrapper/0) so that its work runs in a process of its
%%   own, with a heap limit, that is killed at the query's deadline or as
%%   soon as beamtop's connection drops, and so that nothing is ever sent
%%   back to beamtop after it has gone (a send to a node that has gone
%%   makes the node try to connect back to it).
%%
%% * Every atom in the parsed expression arrives on the node as an atom.
%%   The node's atom table never shrinks, and a full one kills the node, so
%%   variables are renamed to atoms that every node has from the start
%%   (the names of the BIFs in pool/0), and every other atom must be in the
%%   vocabulary the build accepts (known/0 plus AST tags).  The C side gets
%%   each query's atoms so that it can check them on the node (as strings)
%%   before it sends the query.
%%
%% A query's header comments declare its contract:
%%   %% Binds: A, B.       the variables the caller binds (besides the
%%                        wrapper's Heap, Mark, Tag, Tmo and Us)
%%   %% Mutating: yes     refused on a read-only connection
%%   %% Needs: sys.       modules that may not be loaded on the node
%%   %% Heap: N.          the worker's heap limit in words
%%   %% Bare: yes         not wrapped (for the atom check itself)
-mode(compile).

main(["--term", File, Out]) ->
    %% One query as a term file (for tests: what beamtop sends).
    #{bin := Bin, binds := Binds} = compile(File),
    ok = file:write_file(Out, term_to_binary({binary_to_term(Bin), Binds}));
main([OutC, OutH | Files]) when Files =/= [] ->
    Defs = [compile(F) || F <- lists:sort(Files)],
    C = [header(), [array(D) || D <- Defs],
         "const struct query_def query_defs[QUERY_COUNT_] = {\n",
         [entry(D) || D <- Defs],
         "};\n"],
    ok = file:write_file(OutC, C),
    ok = file:write_file(OutH, ids(Defs));
main(_) ->
    io:format(standard_error, "usage: qc.escript OUT.c OUT.h FILE.expr...~n", []),
    halt(2).

compile(File) ->
    {ok, Src0} = file:read_file(File),
    Src = unicode:characters_to_list(Src0),
    Name = filename:basename(File, ".expr"),
    %% The name becomes a C identifier (its id) and a C string.
    re:run(Name, "^[a-z][a-z0-9_]*$", [{capture, none}]) =:= match orelse
        fail(File, "the file's name must be lower case letters, digits and _"),
    Head = header_fields(File, Src),
    Body = parse_one(File, Src),
    Bare = maps:get("Bare", Head, []) =:= ["yes"],
    Wrapped = case Bare of
                  true -> Body;
                  false -> wrap(Body)
              end,
    Binds = lists:sort(maps:get("Binds", Head, []) ++
                           case Bare of true -> []; false -> ["Heap", "Mark", "Tag", "Tmo", "Us"] end),
    {Renamed, Map} = rename(File, Wrapped, Binds),
    Atoms = lists:usort(atoms(Renamed)),
    case [A || A <- Atoms, not known(A)] of
        [] -> ok;
        Bad -> fail(File, io_lib:format("atoms the node may not have: ~p", [Bad]))
    end,
    #{name => Name, bin => term_to_binary(Renamed),
      binds => [{B, maps:get(list_to_atom(B), Map)} || B <- Binds],
      args => lists:sort(maps:get("Binds", Head, [])),
      mutating => maps:get("Mutating", Head, []) =:= ["yes"],
      needs => maps:get("Needs", Head, []),
      heap => list_to_integer(hd(maps:get("Heap", Head, ["4000000"]))),
      bare => Bare,
      atoms => Atoms}.

parse_one(File, Src) ->
    case erl_scan:string(Src) of
        {ok, Toks, _} ->
            case erl_parse:parse_exprs(Toks) of
                {ok, [Expr]} -> Expr;
                {ok, _} -> fail(File, "must hold exactly one expression");
                {error, {Line, Mod, Why}} ->
                    fail(File, io_lib:format("line ~p: ~s", [Line, Mod:format_error(Why)]))
            end;
        {error, {Line, Mod, Why}, _} ->
            fail(File, io_lib:format("line ~p: ~s", [Line, Mod:format_error(Why)]))
    end.

%% "%% Key: a, b." lines, as #{"Key" => ["a", "b"]}.
header_fields(_File, Src) ->
    Keys = ["Binds", "Mutating", "Needs", "Heap", "Bare"],
    lists:foldl(
      fun(Line, Acc) ->
              case re:run(Line, "^%%\\s*([A-Z][a-z]+):\\s*(.*?)\\.?\\s*$",
                          [{capture, all_but_first, list}]) of
                  {match, [K, V]} ->
                      case lists:member(K, Keys) of
                          true ->
                              Acc#{K => [string:trim(X) || X <- string:split(V, ",", all),
                                                            string:trim(X) =/= ""]};
                          false -> Acc
                      end;
                  nomatch -> Acc
              end
      end, #{}, string:split(Src, "\n", all)).

%% The wrapper: '$body' stands for the query.  It runs in rex's worker on
%% the node.  Trapping exits and linking to us means that our connection
%% dropping reaches it as a message: it then kills the work.  Nothing it
%% does may make the node connect back to us (which starts the node's
%% resolver, inet_gethost_native, for good): it links to us only while we
%% are connected (a link to a node that has gone connects back; a call
%% sent just before we went can start after), it sends its answer itself
%% with noconnect ({Tag, Result}, as rex would: Tag is the call's
%% reference), and it always ends with reason normal, for which rex sends
%% nothing.  An exception would be caught by rex and sent as badrpc: only
%% an exit signal to itself, with trap_exit off, ends it so.  Results are
%% {Mark, 0, Value, Cost}, Cost the reductions that the worker and this
%% process spent (beamtop's, see src/model_candidates.c); failures
%% {Mark, Kind, Detail} with Kind 4 (crashed: {Class, Reason}), 5 (died:
%% killed at the heap limit) or 6 (timeout).  Cut parts of terms are
%% {Mark, 1, More} (the rest of a list or tuple), {Mark, 2, Prefix, Size}
%% (a long binary), {Mark, 3, Bytes} (not sent).
%%
%% It has as few funs as it can, and the cutter (Prune) is made only
%% where it is used: erl_eval walks the whole of a fun (erl_lint:used_vars)
%% each time it makes one, so the node paid for every fun of the wrapper
%% on every query (29k reductions for the query `ok` with three helper
%% funs and the cutter made every time, 4.7k now; measured on OTP 25).
wrapper() ->
    "begin
         case lists:member(erlang:node(Us), erlang:nodes(hidden)) of
             false -> ok;
             true ->
                 erlang:process_flag(trap_exit, true),
                 erlang:link(Us),
                 Parent = erlang:self(),
                 Worker = erlang:spawn_opt(
                            fun() ->
                                '$prune',
                                erlang:send(Parent,
                                            try '$body' of
                                                Value ->
                                                    {reductions, Spent} =
                                                        erlang:process_info(erlang:self(), reductions),
                                                    {Mark, 0, Value, Spent}
                                            catch
                                                Class:Reason -> {Mark, 4, {Class, Reason}}
                                            end)
                            end,
                            [link, {max_heap_size, #{size => Heap, kill => true,
                                                     error_logger => false}}]),
                 Result = receive
                              {Mark, 0, Value, Spent} ->
                                  {reductions, Mine} = erlang:process_info(erlang:self(), reductions),
                                  {Mark, 0, Value, Spent + Mine};
                              {Mark, 4, {Class, Reason}} ->
                                  Prune = '$cutter',
                                  {Mark, 4, {Class, Prune(Reason)}};
                              {'EXIT', Worker, Why} -> {Mark, 5, Why};
                              {'EXIT', Us, _} ->
                                  erlang:exit(Worker, kill),
                                  Mark
                          after Tmo ->
                              erlang:exit(Worker, kill),
                              {Mark, 6, Tmo}
                          end,
                 Result =:= Mark orelse
                     erlang:send(Us, {Tag, Result}, [noconnect])
         end,
         erlang:process_flag(trap_exit, false),
         erlang:exit(erlang:self(), normal)
     end.".

%% Prune: a term cut to at most 3,000 parts, for sending.  Queries that
%% send terms of the node's (states, messages, dictionaries) call it in
%% the worker, within its heap limit; the wrapper calls it on a failure's
%% reason.
cutter() ->
    "fun(Whole) ->
         Walk = fun Cut(0, Term, Left) when Left =< 0 ->
                        {{Mark, 3, erlang:external_size(Term)}, 0};
                    Cut(0, Term, Left) when is_binary(Term), byte_size(Term) > 64 ->
                        {{Mark, 2, erlang:binary_part(Term, 0, 64), byte_size(Term)}, Left - 1};
                    Cut(0, Term, Left) when is_list(Term) ->
                        Cut(1, {Term, []}, Left - 1);
                    Cut(0, Term, Left) when is_tuple(Term) ->
                        {Elems, Left2} = Cut(2, {Term, 1, []}, Left - 1),
                        {erlang:list_to_tuple(Elems), Left2};
                    Cut(0, Term, Left) when is_map(Term) ->
                        {Pairs, Left2} = Cut(1, {maps:to_list(Term), []}, Left - 1),
                        {{Mark, 7, Pairs}, Left2};
                    Cut(0, Term, Left) ->
                        {Term, Left - 1};
                    Cut(1, {[], Acc}, Left) ->
                        {lists:reverse(Acc), Left};
                    Cut(1, {[Head | Rest], Acc}, Left) when Left > 0 ->
                        {Head2, Left2} = Cut(0, Head, Left),
                        Cut(1, {Rest, [Head2 | Acc]}, Left2);
                    Cut(1, {[_ | _] = Rest, Acc}, _) ->
                        More = try erlang:length(Rest) catch error:_ -> -1 end,
                        {lists:reverse(Acc, [{Mark, 1, More}]), 0};
                    Cut(1, {Tail, Acc}, Left) ->
                        {Tail2, Left2} = Cut(0, Tail, Left),
                        {lists:reverse(Acc, Tail2), Left2};
                    Cut(2, {Term, Index, Acc}, Left) when Index > tuple_size(Term) ->
                        {lists:reverse(Acc), Left};
                    Cut(2, {Term, Index, Acc}, Left) when Left > 0 ->
                        {Elem, Left2} = Cut(0, erlang:element(Index, Term), Left),
                        Cut(2, {Term, Index + 1, [Elem | Acc]}, Left2);
                    Cut(2, {Term, Index, Acc}, _) ->
                        {lists:reverse(Acc, [{Mark, 1, tuple_size(Term) - Index + 1}]), 0}
                end,
         erlang:element(1, Walk(0, Whole, 3000))
     end.".

parse_text(Text) ->
    {ok, Toks, _} = erl_scan:string(Text),
    {ok, [E]} = erl_parse:parse_exprs(Toks),
    E.

%% The worker binds Prune only for the queries that use it.
wrap(Body) ->
    Cutter = parse_text(cutter()),
    Prune = case lists:member('Prune', vars(Body)) of
                true -> {match, 1, {var, 1, 'Prune'}, Cutter};
                false -> {atom, 1, ok}
            end,
    subst(parse_text(wrapper()),
          #{'$body' => Body, '$prune' => Prune, '$cutter' => Cutter}).

subst({atom, _, A} = T, Parts) -> maps:get(A, Parts, T);
subst(T, Parts) when is_tuple(T) -> list_to_tuple(subst(tuple_to_list(T), Parts));
subst([H | T], Parts) -> [subst(H, Parts) | subst(T, Parts)];
subst(X, _) -> X.

%% Variables become pool atoms.  The bound ones get the first, in the
%% order of their original names, so that bindings sent sorted by original
%% name are sorted by the new names too (erl_eval's orddict needs it).
rename(File, Expr, Binds) ->
    Vars = lists:usort(vars(Expr)) -- ['_'],
    Bound = [list_to_atom(B) || B <- Binds],
    case Bound -- Vars of
        [] -> ok;
        Unused -> fail(File, io_lib:format("bound but never used: ~p", [Unused]))
    end,
    Order = Bound ++ (Vars -- Bound),
    Pool = pool(),
    length(Order) =< length(Pool) orelse fail(File, "too many variables"),
    Map = maps:from_list(lists:zip(Order, lists:sublist(Pool, length(Order)))),
    {rename_vars(Expr, Map), Map}.

vars({var, _, V}) -> [V];
vars({named_fun, _, N, Cs}) -> [N | vars(Cs)];
vars(T) when is_tuple(T) -> vars(tuple_to_list(T));
vars(L) when is_list(L) -> lists:append([vars(X) || X <- L]);
vars(_) -> [].

rename_vars({var, L, '_'}, _) -> {var, L, '_'};
rename_vars({var, L, V}, M) -> {var, L, maps:get(V, M)};
rename_vars({named_fun, L, N, Cs}, M) -> {named_fun, L, maps:get(N, M), rename_vars(Cs, M)};
rename_vars(T, M) when is_tuple(T) -> list_to_tuple(rename_vars(tuple_to_list(T), M));
rename_vars(L, M) when is_list(L) -> [rename_vars(X, M) || X <- L];
rename_vars(X, _) -> X.

atoms(A) when is_atom(A) -> [A];
atoms(T) when is_tuple(T) -> atoms(tuple_to_list(T));
atoms([H | T]) -> atoms(H) ++ atoms(T);
atoms(_) -> [].

%% Names of BIFs that every node since OTP 20 has had from its start,
%% sorted (they are auto-imported BIFs: their atoms are made when the
%% emulator starts, before any code is loaded).
pool() ->
    lists:sort(
      [abs, apply, atom_to_binary, atom_to_list, binary_part, binary_to_atom,
       binary_to_list, binary_to_term, bit_size, bitstring_to_list, byte_size,
       check_process_code, date, delete_module, demonitor, disconnect_node,
       element, erase, error, exit, float, float_to_list, garbage_collect, get,
       get_keys, group_leader, halt, hd, integer_to_list, iolist_size,
       iolist_to_binary, is_alive, is_atom, is_binary, is_boolean, is_float,
       is_function, is_integer, is_list, is_number, is_pid, is_port,
       is_process_alive, is_reference, is_tuple, length, link, list_to_atom,
       list_to_binary, list_to_float, list_to_integer, list_to_pid,
       list_to_tuple, load_module, make_ref, max, min, monitor, monitor_node,
       node, nodes, open_port, pid_to_list, port_close, port_command,
       port_connect, port_control, pre_loaded, process_flag, process_info,
       processes, purge_module, put, register, registered, round, self,
       setelement, size, spawn, spawn_link, spawn_monitor, spawn_opt,
       split_binary, statistics, term_to_binary, throw, time, tl, trunc,
       tuple_size, tuple_to_list, unlink, unregister, whereis]).

%% The vocabulary: atoms that a node where erl_eval is loaded has.  AST
%% tags and operators are atoms of erl_eval's own code; the rest are
%% atoms of the emulator (BIF names, process_info/port_info/ets:info
%% items, system flags) or of modules that every node loads when it
%% starts (lists, ets, proc_lib, gen, gen_server, inet, maps).  The
%% integration test it_atoms checks each one on a fresh node, and beamtop
%% checks a query's atoms on the node before it sends the query.
known(A) ->
    lists:member(A, pool()) orelse lists:member(A, ast()) orelse
        lists:member(A, vocabulary()).

ast() ->
    ['atom', 'var', 'call', 'remote', 'tuple', 'cons', 'nil', 'integer',
     'float', 'string', 'char', 'match', 'op', 'case', 'clause', 'block',
     'fun', 'named_fun', 'clauses', 'lc', 'generate', 'try', 'catch',
     'receive', 'if', 'map', 'map_field_assoc', 'map_field_exact', 'bin',
     'bin_element', 'default', '+', '-', '*', '/', 'div', 'rem', '==',
     '/=', '=<', '<', '>=', '>', '=:=', '=/=', 'andalso', 'orelse', 'not',
     'and', 'or', '++', '--', '!', 'true', 'false', 'error', 'exit',
     'throw', '_', 'function'].

vocabulary() ->
    [erlang, lists, ets, proc_lib, gen_server, inet, maps, sys,
     %% flags, options, results
     trap_exit, link, kill, normal, max_heap_size, size, error_logger,
     'EXIT', undefined, infinity, noconnect, ok, utf8, trace, 'receive', timeout,
     protection, private, '$end_of_table', '$ancestors', '$initial_call',
     dictionary, binary, messages, message_queue_len, memory, waiting,
     suspended, running, runnable, status, system_continue, reductions, total_heap_size,
     current_function, current_stacktrace, initial_call, registered_name,
     heap_size, stack_size, trap_exit, priority, group_leader,
     garbage_collection, links, monitors, monitored_by, queue_size,
     parallelism, locking, name, peername, sockname, getstat,
     get_state, translate_initial_call, match_object, info, whereis,
     foldl, reverse, sublist, keyfind, member, to_list, flatten,
     binary_to_existing_atom, external_size, port_info, process_info,
     processes, garbage_collect, memory, min, max, monotonic_time,
     millisecond, function_exported, noproc, message_queue_data, is_map,
     send, nodes, hidden, node, label, recv_oct, send_oct,
     %% a sys-aware loop's signs (proc_state): erlang:hibernate/3, and the
     %% callbacks that gen_server's own code calls
     hibernate, init, handle_call, handle_cast, list_to_existing_atom,
     %% the candidates' read (proc_candidates), the ports' (ports_info)
     zipwith, duplicate, map,
     %% the stream's relay (procs_stream)
     'DOWN', process, noconnect].

header() ->
    "/* generated by src/queries/qc.escript from src/queries/NAME.expr */\n"
    "#include \"beamtop/query.h\"\n\n".

array(#{name := N, bin := Bin, binds := Binds, args := Args, needs := Needs,
        atoms := Atoms}) ->
    <<131, Rest/binary>> = Bin,
    [io_lib:format("static const unsigned char q_~s[] = {\n", [N]),
     [["\t", lists:join(", ", [integer_to_list(B) || B <- L]), ",\n"]
      || L <- chunk(binary_to_list(Rest), 16)],
     "};\n",
     strings("b_" ++ N, [B || {B, _} <- Binds]),
     strings("c_" ++ N, Args),
     strings("v_" ++ N, [atom_to_list(V) || {_, V} <- Binds]),
     strings("n_" ++ N, Needs),
     strings("a_" ++ N, [atom_to_list(A) || A <- Atoms]),
     "\n"].

strings(Id, L) ->
    [io_lib:format("static const char *const ~s[] = {", [Id]),
     [io_lib:format(" ~s,", [c_string(S)]) || S <- L], " NULL };\n"].

c_string(S) ->
    [$", [case C of
              $" -> "\\\"";
              $\\ -> "\\\\";
              _ -> C
          end || C <- S], $"].

entry(#{name := N, binds := Binds, args := Args, mutating := Mut, heap := Heap,
        bare := Bare, atoms := Atoms}) ->
    Id = id(N),
    io_lib:format("\t[~s] = { .id = ~s, .name = \"~s\",\n"
                  "\t\t.bytes = q_~s, .len = sizeof q_~s,\n"
                  "\t\t.bind_names = b_~s, .bind_atoms = v_~s, .nbinds = ~b,\n"
                  "\t\t.args = c_~s, .nargs = ~b,\n"
                  "\t\t.needs = n_~s, .atoms = a_~s, .natoms = ~b,\n"
                  "\t\t.mutating = ~b, .bare = ~b, .heap_words = ~b },\n",
                  [Id, Id, N, N, N, N, N, length(Binds), N, length(Args), N, N,
                   length(Atoms), bool(Mut), bool(Bare), Heap]).

id(Name) -> "QUERY_" ++ string:uppercase(Name).

%% The ids, and the most variables a caller binds (the size of struct
%% qargs).
ids(Defs) ->
    ["/* generated by src/queries/qc.escript: one id per query, src/queries/NAME.expr */\n"
     "#ifndef BEAMTOP_QUERY_IDS_H\n"
     "#define BEAMTOP_QUERY_IDS_H\n\n"
     "enum query_id {\n",
     [["\t", id(N), ",\n"] || #{name := N} <- Defs],
     "\tQUERY_COUNT_\n"
     "};\n\n",
     io_lib:format("#define QUERY_ARGS_MAX ~b\n\n",
                   [lists:max([length(A) || #{args := A} <- Defs])]),
     "#endif\n"].

bool(true) -> 1;
bool(false) -> 0.

fail(File, Why) ->
    io:format(standard_error, "~s: ~s~n", [File, Why]),
    halt(1).

chunk([], _) -> [];
chunk(L, N) when length(L) =< N -> [L];
chunk(L, N) -> {H, T} = lists:split(N, L), [H | chunk(T, N)].
