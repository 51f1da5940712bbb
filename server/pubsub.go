package server

import (
	"strconv"

	"petrel/config"
	"petrel/pubsub"
)

// The pub/sub commands. Subscriptions live in the server's pubsub.Hub; a
// Client is a pubsub.Subscriber whose Deliver queues the message as a push
// (client.go explains how pushes are ordered after replies).

var kindNames = [...]string{pubsub.Message: "message", pubsub.PMessage: "pmessage", pubsub.SMessage: "smessage"}

// Deliver queues a message in the client's protocol, encoded once per
// publish for all subscribers of that protocol. It runs on the publisher's
// goroutine and never blocks on the client's socket; a client past its
// output buffer limit is disconnected, as in Redis.
func (c *Client) Deliver(m *pubsub.Delivery, wake bool) {
	proto := 2
	if c.proto.Load() == 3 {
		proto = 3
	}
	enc := m.Encoded[proto]
	if len(enc) == 0 {
		// room for the headers' digits and CRLFs, so one allocation does
		if need := len(m.Pattern) + len(m.Channel) + len(m.Payload) + 64; cap(enc) < need {
			enc = make([]byte, 0, need)
		}
		enc = encodeMessage(enc, m, proto)
		m.Encoded[proto] = enc
	}
	c.infoMu.Lock()
	c.async = append(c.async, enc...)
	lim := c.srv.outputLimit(c)
	c.afterPushLocked(int(lim.Hard), int(lim.Soft), lim.SoftSeconds, wake)
}

func encodeMessage(b []byte, m *pubsub.Delivery, proto int) []byte {
	n := 3
	if m.Kind == pubsub.PMessage {
		n = 4
	}
	if proto == 3 {
		b = append(b, '>')
	} else {
		b = append(b, '*')
	}
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, '\r', '\n')
	b = appendBulkString(b, kindNames[m.Kind])
	if m.Kind == pubsub.PMessage {
		b = appendBulk(b, m.Pattern)
	}
	b = appendBulk(b, m.Channel)
	return appendBulk(b, m.Payload)
}

func appendBulk(b, s []byte) []byte {
	b = append(b, '$')
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, '\r', '\n')
	b = append(b, s...)
	return append(b, '\r', '\n')
}

func appendBulkString(b []byte, s string) []byte {
	b = append(b, '$')
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, '\r', '\n')
	b = append(b, s...)
	return append(b, '\r', '\n')
}

// outputLimit returns the client-output-buffer-limit class that applies to
// c: pubsub for a client with subscriptions, normal otherwise.
func (s *Server) outputLimit(c *Client) config.OutputBufferLimit {
	lims := s.obufLimits.Load()
	if c.subscriptions() > 0 {
		return lims[config.ClientPubSub]
	}
	return lims[config.ClientNormal]
}

// subscriptions counts the client's channels, patterns and shard channels.
func (c *Client) subscriptions() int {
	return int(c.nsub[pubsub.Channels].Load() + c.nsub[pubsub.Patterns].Load() + c.nsub[pubsub.ShardChannels].Load())
}

// inPubSubContext reports whether a RESP2 client may only run the
// subscription commands, PING, QUIT and RESET.
func (c *Client) inPubSubContext() bool {
	return c.w.Proto == 2 && c.subscriptions() > 0
}

// allowedInPubSubContext lists what a subscribed RESP2 client may run.
func allowedInPubSubContext(cmd *Command) bool {
	switch cmd.Name {
	case "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe", "ping", "quit", "reset":
		return true
	}
	return false
}

var subscribeReplyNames = [...][2]string{
	pubsub.Channels:      {"subscribe", "unsubscribe"},
	pubsub.Patterns:      {"psubscribe", "punsubscribe"},
	pubsub.ShardChannels: {"ssubscribe", "sunsubscribe"},
}

// subscribeCount is the count Redis puts in (un)subscribe replies: shard
// channels are counted apart from channels and patterns.
func (c *Client) subscribeCount(scope pubsub.Scope) int64 {
	if scope == pubsub.ShardChannels {
		return int64(c.nsub[pubsub.ShardChannels].Load())
	}
	return int64(c.nsub[pubsub.Channels].Load() + c.nsub[pubsub.Patterns].Load())
}

func (x *Ctx) writeSubscribeReply(scope pubsub.Scope, unsub bool, name []byte, null bool) {
	x.c.pushedReply = true
	x.W.WritePushLen(3)
	kind := subscribeReplyNames[scope][0]
	if unsub {
		kind = subscribeReplyNames[scope][1]
	}
	x.W.WriteBulkString(kind)
	if null {
		x.W.WriteNull()
	} else {
		x.W.WriteBulk(name)
	}
	x.W.WriteInt(x.c.subscribeCount(scope))
}

func subscribe(x *Ctx, scope pubsub.Scope) {
	c := x.c
	c.makePushable() // before the first message can be delivered
	for _, name := range x.Args[1:] {
		if x.s.pubsub.Subscribe(c, scope, name) {
			c.nsub[scope].Add(1)
		}
		x.writeSubscribeReply(scope, false, name, false)
	}
}

func unsubscribe(x *Ctx, scope pubsub.Scope) {
	c := x.c
	names := x.Args[1:]
	if len(names) == 0 {
		all := x.s.pubsub.Subscriptions(c, scope)
		if len(all) == 0 {
			x.writeSubscribeReply(scope, true, nil, true)
			return
		}
		for _, n := range all {
			if x.s.pubsub.Unsubscribe(c, scope, []byte(n)) {
				c.nsub[scope].Add(-1)
			}
			x.writeSubscribeReply(scope, true, []byte(n), false)
		}
		return
	}
	for _, name := range names {
		if x.s.pubsub.Unsubscribe(c, scope, name) {
			c.nsub[scope].Add(-1)
		}
		x.writeSubscribeReply(scope, true, name, false)
	}
}

// unsubscribeAll drops every subscription of a client (RESET, disconnect).
func (s *Server) unsubscribeAll(c *Client) {
	if c.subscriptions() == 0 {
		return
	}
	s.pubsub.RemoveAll(c)
	for i := range c.nsub {
		c.nsub[i].Store(0)
	}
}

func cmdSubscribe(x *Ctx)    { subscribe(x, pubsub.Channels) }
func cmdUnsubscribe(x *Ctx)  { unsubscribe(x, pubsub.Channels) }
func cmdPsubscribe(x *Ctx)   { subscribe(x, pubsub.Patterns) }
func cmdPunsubscribe(x *Ctx) { unsubscribe(x, pubsub.Patterns) }
func cmdSsubscribe(x *Ctx) {
	if x.c.inExec {
		// Redis refuses it inside a transaction (a DENY BLOCKING client),
		// where SUBSCRIBE is still allowed.
		x.Error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client")
		return
	}
	subscribe(x, pubsub.ShardChannels)
}
func cmdSunsubscribe(x *Ctx) { unsubscribe(x, pubsub.ShardChannels) }

func cmdPublish(x *Ctx) {
	o := x.origin()
	x.W.WriteInt(int64(x.s.pubsub.Publish(x.Args[1], x.Args[2], &o)))
}

func cmdSpublish(x *Ctx) {
	o := x.origin()
	x.W.WriteInt(int64(x.s.pubsub.PublishShard(x.Args[1], x.Args[2], &o)))
}

// origin describes the command as a publisher: its own client gets its
// messages inline (a script's commands publish as the client running the
// script), and when the command runs on its connected client's goroutine
// (not serving another's blocked command, not loading the AOF) the
// subscribers it reaches are woken once, when the client's batch of
// commands ends.
func (x *Ctx) origin() pubsub.Origin {
	if caller := x.c.scriptCaller; caller != nil {
		x = caller
	}
	o := pubsub.Origin{Self: x.c, Inline: inlineDelivery{x}}
	if x == &x.c.ctx && x.c.conn != nil {
		o.Later = x.c.wakeLaterFn
		o.Scratch = &x.c.scratchDelivery
	}
	return o
}

// wakeLater records a subscriber to wake at the client's next flush. Only
// the client's own goroutine calls it.
func (c *Client) wakeLater(sub pubsub.Subscriber) {
	t := sub.(*Client)
	if t == c.lastToWake {
		return // a batch of messages to one subscriber: one map insert
	}
	if c.toWake == nil {
		c.toWake = make(map[*Client]struct{})
	}
	c.toWake[t] = struct{}{}
	c.lastToWake = t
}

// wakeAll wakes the subscribers this client's commands queued messages for.
func (c *Client) wakeAll() {
	for t := range c.toWake {
		t.wake()
		delete(c.toWake, t)
	}
	c.lastToWake = nil
}

// inlineDelivery writes a message for the client running the command into
// the command's own output, before its reply, as Redis does when a client
// publishes to (or raises a keyspace event on) a channel it listens to.
type inlineDelivery struct{ x *Ctx }

func (d inlineDelivery) Deliver(m *pubsub.Delivery, _ bool) {
	w := d.x.W
	if c := d.x.c; d.x == &c.ctx && c.replyMode != replyOn {
		// CLIENT REPLY OFF or SKIP drops the command's reply, not the
		// pushes it causes: dispatchQuiet sends these in its place.
		c.quietPushes.Proto = w.Proto
		w = &c.quietPushes
	}
	if m.Kind == pubsub.PMessage {
		w.WritePushLen(4)
	} else {
		w.WritePushLen(3)
	}
	w.WriteBulkString(kindNames[m.Kind])
	if m.Kind == pubsub.PMessage {
		w.WriteBulk(m.Pattern)
	}
	w.WriteBulk(m.Channel)
	w.WriteBulk(m.Payload)
}

func pubsubNames(x *Ctx, scope pubsub.Scope) {
	var pattern []byte
	switch len(x.Args) {
	case 2:
	case 3:
		pattern = x.Args[2]
	default:
		x.Errorf("ERR unknown subcommand or wrong number of arguments for '%s'. Try PUBSUB HELP.", x.Args[1])
		return
	}
	x.W.WriteStringArray(x.s.pubsub.Names(scope, pattern))
}

func pubsubNumSub(x *Ctx, scope pubsub.Scope) {
	x.W.WriteArrayLen(2 * (len(x.Args) - 2))
	for _, ch := range x.Args[2:] {
		x.W.WriteBulk(ch)
		x.W.WriteInt(int64(x.s.pubsub.NumSubscribers(scope, ch)))
	}
}

func cmdPubsubChannels(x *Ctx)      { pubsubNames(x, pubsub.Channels) }
func cmdPubsubShardchannels(x *Ctx) { pubsubNames(x, pubsub.ShardChannels) }
func cmdPubsubNumsub(x *Ctx)        { pubsubNumSub(x, pubsub.Channels) }
func cmdPubsubShardnumsub(x *Ctx)   { pubsubNumSub(x, pubsub.ShardChannels) }
func cmdPubsubNumpat(x *Ctx)        { x.W.WriteInt(int64(x.s.pubsub.NumNames(pubsub.Patterns))) }

func cmdPubsubHelp(x *Ctx) {
	writeHelp(x, []string{"PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
		"CHANNELS [<pattern>]",
		"    Return the currently active channels matching a <pattern> (default: '*').",
		"NUMPAT",
		"    Return number of subscriptions to patterns.",
		"NUMSUB [<channel> ...]",
		"    Return the number of subscribers for the specified channels, excluding",
		"    pattern subscriptions(default: no channels).",
		"SHARDCHANNELS [<pattern>]",
		"    Return the currently active shard level channels matching a <pattern> (default: '*').",
		"SHARDNUMSUB [<shardchannel> ...]",
		"    Return the number of subscribers for the specified shard level channel(s)",
		"HELP",
		"    Prints this help."})
}
