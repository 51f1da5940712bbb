// Package pubsub keeps the subscriptions of pub/sub: which subscribers listen
// on which channels, patterns and shard channels, and fans a published
// message out to them. It knows nothing of the network: a Subscriber queues
// what it is given.
//
// Concurrency: a Hub is safe for concurrent use. Publish holds the hub's read
// lock while it calls Deliver, so Deliver must not block and must not call
// back into the hub; (un)subscribing takes the write lock.
package pubsub

import (
	"sort"
	"sync"
	"sync/atomic"

	"petrel/internal/glob"
)

// Kind says which of Redis's message forms a delivery takes.
type Kind uint8

const (
	// Message is a message on a channel ("message").
	Message Kind = iota
	// PMessage is a message that matched a pattern ("pmessage").
	PMessage
	// SMessage is a message on a shard channel ("smessage").
	SMessage
)

// Delivery is one message as a subscriber receives it. One Delivery value
// serves every subscriber of a publish (Deliver calls run one at a time), so
// a subscriber may cache its encoding in Encoded, indexed by protocol: an
// empty entry is not encoded yet, and its capacity is free to encode into
// (a reused Delivery keeps the last message's memory there).
type Delivery struct {
	Kind    Kind
	Pattern []byte // the matching pattern; nil unless Kind is PMessage
	Channel []byte
	Payload []byte
	Encoded [4][]byte
}

// maxKeptEncoding bounds the encoding memory a reused Delivery keeps, so one
// huge message does not stay with its publisher.
const maxKeptEncoding = 64 << 10

// reuse makes m, or a new Delivery when m is nil, the delivery of a message.
func (m *Delivery) reuse(kind Kind, pattern, channel, payload []byte) *Delivery {
	if m == nil {
		return &Delivery{Kind: kind, Pattern: pattern, Channel: channel, Payload: payload}
	}
	m.Kind, m.Pattern, m.Channel, m.Payload = kind, pattern, channel, payload
	for i, enc := range m.Encoded {
		if cap(enc) > maxKeptEncoding {
			enc = nil
		}
		m.Encoded[i] = enc[:0]
	}
	return m
}

// release drops a reused Delivery's references to the message, which
// belongs to the publisher's input buffer.
func (m *Delivery) release() {
	if m != nil {
		m.Pattern, m.Channel, m.Payload = nil, nil, nil
	}
}

// Subscriber receives messages. Deliver must not block: it queues the
// message for the subscriber's connection, and starts writing it at once
// only if wake is set (otherwise the publisher's Origin.Later will). It must
// not keep m, or its slices, once it returns: the publisher reuses them.
type Subscriber interface {
	Deliver(m *Delivery, wake bool)
}

// Origin describes the publisher of a message. Deliveries to Self, the
// publishing connection, go through Inline, which writes them among the
// command's own output (where Redis puts them). With Later set, subscribers
// are not woken one message at a time: Later collects them and the
// publisher wakes each once when its batch of commands ends, so one write
// carries many messages, as Redis writes once per event loop. The zero
// Origin delivers and wakes at once.
//
// Scratch, if set, is a Delivery the publish may reuse for its channel's
// message instead of making one: the publisher's own, which only one
// publish at a time uses.
type Origin struct {
	Self    Subscriber
	Inline  Subscriber
	Later   func(Subscriber)
	Scratch *Delivery
}

func (o *Origin) deliver(sub Subscriber, m *Delivery) {
	switch {
	case sub == o.Self && o.Self != nil:
		o.Inline.Deliver(m, true)
	case o.Later != nil:
		sub.Deliver(m, false)
		o.Later(sub)
	default:
		sub.Deliver(m, true)
	}
}

// Scope selects one of the three subscription namespaces.
type Scope uint8

const (
	// Channels are SUBSCRIBE's channels.
	Channels Scope = iota
	// Patterns are PSUBSCRIBE's glob patterns.
	Patterns
	// ShardChannels are SSUBSCRIBE's channels.
	ShardChannels
	numScopes
)

type subscriberSet map[Subscriber]struct{}

// Hub holds every subscription of the server.
type Hub struct {
	mu     sync.RWMutex
	scopes [numScopes]map[string]subscriberSet
	// per subscriber, in subscription order, so unsubscribing from all
	// replies in a stable order
	bySub map[Subscriber]*[numScopes][]string
	// total counts subscriptions, so Publish with nobody listening (the
	// common case for keyspace events) takes no lock
	total atomic.Int64
}

// NewHub returns an empty hub.
func NewHub() *Hub {
	h := &Hub{bySub: make(map[Subscriber]*[numScopes][]string)}
	for i := range h.scopes {
		h.scopes[i] = make(map[string]subscriberSet)
	}
	return h
}

// Subscribe adds sub to name in scope. It reports whether the subscription
// is new.
func (h *Hub) Subscribe(sub Subscriber, scope Scope, name []byte) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	set := h.scopes[scope][string(name)]
	if _, ok := set[sub]; ok {
		return false
	}
	if set == nil {
		set = make(subscriberSet)
		h.scopes[scope][string(name)] = set
	}
	set[sub] = struct{}{}
	mine := h.bySub[sub]
	if mine == nil {
		mine = new([numScopes][]string)
		h.bySub[sub] = mine
	}
	mine[scope] = append(mine[scope], string(name))
	h.total.Add(1)
	return true
}

// Unsubscribe removes sub from name in scope. It reports whether sub was
// subscribed.
func (h *Hub) Unsubscribe(sub Subscriber, scope Scope, name []byte) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.unsubscribeLocked(sub, scope, string(name))
}

func (h *Hub) unsubscribeLocked(sub Subscriber, scope Scope, name string) bool {
	set := h.scopes[scope][name]
	if _, ok := set[sub]; !ok {
		return false
	}
	delete(set, sub)
	if len(set) == 0 {
		delete(h.scopes[scope], name)
	}
	mine := h.bySub[sub]
	for i, n := range mine[scope] {
		if n == name {
			mine[scope] = append(mine[scope][:i], mine[scope][i+1:]...)
			break
		}
	}
	if len(mine[Channels])+len(mine[Patterns])+len(mine[ShardChannels]) == 0 {
		delete(h.bySub, sub)
	}
	h.total.Add(-1)
	return true
}

// Subscriptions returns sub's subscriptions in scope, oldest first.
func (h *Hub) Subscriptions(sub Subscriber, scope Scope) []string {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if mine := h.bySub[sub]; mine != nil {
		return append([]string(nil), mine[scope]...)
	}
	return nil
}

// Count returns how many subscriptions sub has in scope.
func (h *Hub) Count(sub Subscriber, scope Scope) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if mine := h.bySub[sub]; mine != nil {
		return len(mine[scope])
	}
	return 0
}

// RemoveAll drops every subscription of sub (a disconnecting client).
func (h *Hub) RemoveAll(sub Subscriber) {
	h.mu.Lock()
	defer h.mu.Unlock()
	mine := h.bySub[sub]
	if mine == nil {
		return
	}
	for scope := range mine {
		for _, name := range append([]string(nil), mine[scope]...) {
			h.unsubscribeLocked(sub, Scope(scope), name)
		}
	}
}

// Idle reports whether nobody subscribes to anything, so a publisher can
// skip building a message no one would receive.
func (h *Hub) Idle() bool { return h.total.Load() == 0 }

// Publish delivers message to the subscribers of channel and of every
// pattern that matches it, and returns how many deliveries it made: a
// subscriber listening through several matching patterns counts (and
// receives) once per pattern, as in Redis.
func (h *Hub) Publish(channel, message []byte, o *Origin) int {
	if h.Idle() {
		return 0
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	n := 0
	if set := h.scopes[Channels][string(channel)]; len(set) > 0 {
		m := o.Scratch.reuse(Message, nil, channel, message)
		for sub := range set {
			o.deliver(sub, m)
			n++
		}
		o.Scratch.release()
	}
	if len(h.scopes[Patterns]) == 0 {
		return n
	}
	ch := string(channel)
	for pat, set := range h.scopes[Patterns] {
		if !glob.MatchString(pat, ch, false) {
			continue
		}
		m := &Delivery{Kind: PMessage, Pattern: []byte(pat), Channel: channel, Payload: message}
		for sub := range set {
			o.deliver(sub, m)
			n++
		}
	}
	return n
}

// PublishShard delivers message to the subscribers of shard channel.
func (h *Hub) PublishShard(channel, message []byte, o *Origin) int {
	if h.Idle() {
		return 0
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	n := 0
	if set := h.scopes[ShardChannels][string(channel)]; len(set) > 0 {
		m := o.Scratch.reuse(SMessage, nil, channel, message)
		for sub := range set {
			o.deliver(sub, m)
			n++
		}
		o.Scratch.release()
	}
	return n
}

// Names returns the names in scope that have subscribers and match pattern
// (all of them when pattern is nil), sorted.
func (h *Hub) Names(scope Scope, pattern []byte) []string {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var out []string
	for name := range h.scopes[scope] {
		if pattern == nil || glob.MatchString(string(pattern), name, false) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// NumSubscribers returns how many subscribers name has in scope.
func (h *Hub) NumSubscribers(scope Scope, name []byte) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.scopes[scope][string(name)])
}

// NumNames returns how many distinct names in scope have subscribers
// (PUBSUB NUMPAT counts patterns this way).
func (h *Hub) NumNames(scope Scope) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.scopes[scope])
}
