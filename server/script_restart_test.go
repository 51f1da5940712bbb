package server

import "testing"

// A script that learned to stay within its KEYS, then wrote and reached an
// undeclared shard, is not restarted to take every lock: that would run its
// write twice. It takes the missing lock instead.
func TestScriptIsNotRestartedAfterItWrote(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	// other's shard comes before declared's: it cannot simply be locked next.
	declared, other := keyInShard("key", 250), keyInShard("key", 10)
	const script = "redis.call('INCR', KEYS[1]) redis.call('SET', ARGV[1], 'x') return 1"
	// First run: every shard locked, stays within KEYS: trusted afterwards.
	if got := c.Do("EVAL", script, "1", declared, declared); got != ":1\r\n" {
		t.Fatalf("first run: %q", got)
	}
	c.Do("SET", declared, "0")
	// Second run writes (INCR) and then reaches an undeclared shard.
	if got := c.Do("EVAL", script, "1", declared, other); got != ":1\r\n" {
		t.Fatalf("second run: %q", got)
	}
	if got := c.Do("GET", declared); got != "$1\r\n1\r\n" {
		t.Fatalf("one EVAL incremented %s to %q: the script was restarted after it wrote", declared, got)
	}
}

// Nor after it published: the message would be sent again.
func TestScriptIsNotRestartedAfterItPublished(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	sub := dialRaw(t, s)
	sub.Do("SUBSCRIBE", "ch")
	// other's shard comes before declared's: it cannot simply be locked next.
	declared, other := keyInShard("key", 250), keyInShard("key", 10)
	const script = "redis.call('GET', KEYS[1]) local n = redis.call('PUBLISH', 'ch', 'm') redis.call('GET', ARGV[1]) return n"
	if got := c.Do("EVAL", script, "1", declared, declared); got != ":1\r\n" {
		t.Fatalf("first run: %q", got)
	}
	if got := c.Do("EVAL", script, "1", declared, other); got != ":1\r\n" {
		t.Fatalf("second run: %q", got)
	}
	// A last message from a client marks the end of what was sent.
	if got := c.Do("PUBLISH", "ch", "end"); got != ":1\r\n" {
		t.Fatalf("PUBLISH: %q", got)
	}
	const m = "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nm\r\n"
	for i := 0; i < 2; i++ {
		if got := sub.Read(); got != m {
			t.Fatalf("message %d: %q", i, got)
		}
	}
	if got := sub.Read(); got != "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$3\r\nend\r\n" {
		t.Fatalf("two EVALs that each PUBLISH once sent a third message %q: the second was restarted after it published", got)
	}
}

// A script's PUBLISH wakes the subscriber when the script's caller is
// answered: the script's internal client, where the wake-up is first
// recorded, never flushes.
func TestScriptPublishWakesSubscriber(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	sub := dialRaw(t, s)
	sub.Do("SUBSCRIBE", "ch")
	if got := c.Do("EVAL", "return redis.call('PUBLISH', 'ch', 'm')", "0"); got != ":1\r\n" {
		t.Fatalf("EVAL: %q", got)
	}
	if got := sub.Read(); got != "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nm\r\n" {
		t.Fatalf("message: %q", got)
	}
}
