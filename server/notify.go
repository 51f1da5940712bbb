package server

import (
	"strconv"

	"petrel/config"
	"petrel/pubsub"
	"petrel/store"
)

// Keyspace notification classes, as notify-keyspace-events names them. A
// command passes the class of the event it raises to Notify.
const (
	NotifyGeneric = config.NotifyGeneric // g: DEL, EXPIRE, RENAME, ...
	NotifyString  = config.NotifyString  // $
	NotifyList    = config.NotifyList    // l
	NotifySet     = config.NotifySet     // s
	NotifyHash    = config.NotifyHash    // h
	NotifyZset    = config.NotifyZset    // z
	NotifyExpired = config.NotifyExpired // x: a key removed by expiry
	NotifyEvicted = config.NotifyEvicted // e: a key removed by eviction
	NotifyStream  = config.NotifyStream  // t
	NotifyKeyMiss = config.NotifyKeyMiss // m: a read of a missing key
	NotifyNew     = config.NotifyNew     // n: a key created
)

// Notify raises a keyspace event for key in the command's database, as
// Redis's notifyKeyspaceEvent does: it publishes on
// __keyspace@<db>__:<key> and __keyevent@<db>__:<event> when the class and
// K/E are enabled in notify-keyspace-events. Call it where Redis does, after
// the change, with the shard lock held, so subscribers see events in the
// order the writes happened.
func (x *Ctx) Notify(class int, event string, key []byte) {
	x.s.notifyIn(x.DB, class, event, key, x)
}

// NotifyIn is Notify for a key in another database (MOVE, COPY ... DB).
func (x *Ctx) NotifyIn(db *store.DB, class int, event string, key []byte) {
	x.s.notifyIn(db, class, event, key, x)
}

// notifyIn raises an event; x is the command raising it, or nil for events
// from below the commands (expiry, eviction, the keyspace's "new"), which
// are the command's holding the key's shard if one does: they then reach
// its own client before its reply, as in Redis.
func (s *Server) notifyIn(db *store.DB, class int, event string, key []byte, x *Ctx) {
	flags := int(s.notifyFlags.Load())
	if flags&class == 0 || s.pubsub.Idle() {
		return // off, or nobody listens: no channel names to build
	}
	if x == nil {
		x = shardOwner(db, key)
	}
	var o pubsub.Origin
	if x != nil {
		o = x.origin()
	}
	s.publishKeyEvent(flags, db.ID, event, key, &o)
}

// publishKeyEvent builds the two channel names in one scratch buffer.
func (s *Server) publishKeyEvent(flags, db int, event string, key []byte, o *pubsub.Origin) {
	buf := make([]byte, 0, 24+len(key)+len(event))
	if flags&config.NotifyKeyspace != 0 {
		buf = append(buf, "__keyspace@"...)
		buf = strconv.AppendInt(buf, int64(db), 10)
		buf = append(buf, "__:"...)
		buf = append(buf, key...)
		s.pubsub.Publish(buf, []byte(event), o)
	}
	if flags&config.NotifyKeyevent != 0 {
		buf = append(buf[:0], "__keyevent@"...)
		buf = strconv.AppendInt(buf, int64(db), 10)
		buf = append(buf, "__:"...)
		buf = append(buf, event...)
		s.pubsub.Publish(buf, key, o)
	}
}
