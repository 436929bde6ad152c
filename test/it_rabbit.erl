%% it_rabbit - run inside the RabbitMQ node that test/it_rabbit.sh starts
%% for itself: what a broker in use holds, made through RabbitMQ's own
%% client over a real AMQP connection on loopback.  Queues: it_backlog
%% (1,000 messages of 1 KB that nobody consumes), it_busy (a publisher
%% and a consumer, 4 KB every 20 ms), it_idle (nothing: it hibernates, as
%% every idle queue does); an idle channel; and it_leaker, it_load's
%% process whose refc binaries are garbage that only a collection frees
%% (bin_leak: it_load is loaded here too).
%%
%% start(Port) answers ok once everything is in place, so the test knows
%% what the node should report.
-module(it_rabbit).
-include_lib("amqp_client/include/amqp_client.hrl").
-export([start/1]).

-define(BACKLOG, 1000).

start(Port) ->
    {ok, _} = application:ensure_all_started(amqp_client),
    {ok, Conn} = amqp_connection:start(
                   #amqp_params_network{host = "127.0.0.1", port = Port}),
    {ok, Ch} = amqp_connection:open_channel(Conn),
    [#'queue.declare_ok'{} = amqp_channel:call(Ch, #'queue.declare'{queue = Q})
     || Q <- [<<"it_backlog">>, <<"it_busy">>, <<"it_idle">>]],
    #'confirm.select_ok'{} = amqp_channel:call(Ch, #'confirm.select'{}),
    Body = binary:copy(<<"b">>, 1024),
    [publish(Ch, <<"it_backlog">>, Body) || _ <- lists:seq(1, ?BACKLOG)],
    true = amqp_channel:wait_for_confirms(Ch, 10),
    {ok, _Idle} = amqp_connection:open_channel(Conn),
    {ok, Sub} = amqp_connection:open_channel(Conn),
    Consumer = spawn(fun consume/0),
    #'basic.consume_ok'{} =
        amqp_channel:subscribe(Sub, #'basic.consume'{queue = <<"it_busy">>,
                                                     no_ack = true}, Consumer),
    spawn(fun() -> publisher(Ch, binary:copy(<<"t">>, 4096)) end),
    Self = self(),
    register(it_leaker, spawn(it_load, leaker, [Self])),
    receive leaked -> ok end.

publish(Ch, Queue, Body) ->
    amqp_channel:cast(Ch, #'basic.publish'{routing_key = Queue},
                      #amqp_msg{payload = Body}).

publisher(Ch, Body) ->
    publish(Ch, <<"it_busy">>, Body),
    timer:sleep(20),
    publisher(Ch, Body).

consume() ->
    receive _ -> consume() end.
