package server

import (
	"strconv"
	"strings"
	"testing"
)

// MEMORY USAGE of a stream counts the stream's own estimate, so it grows
// with the entries and with the pending entries of its groups.
func TestStreamMemoryUsageGrowsWithTheData(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	usage := func() int64 {
		t.Helper()
		got := c.Do("MEMORY", "USAGE", "s", "SAMPLES", "0")
		n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(got, ":"), "\r\n"), 10, 64)
		if err != nil {
			t.Fatalf("MEMORY USAGE: %q", got)
		}
		return n
	}
	c.Do("XADD", "s", "1-0", "f", "v")
	one := usage()
	for i := 2; i <= 1000; i++ {
		c.Do("XADD", "s", strconv.Itoa(i)+"-0", "name", "user:"+strconv.Itoa(i), "payload", strings.Repeat("x", 20))
	}
	thousand := usage()
	// 1000 entries of some 40 bytes, packed: at least 20 bytes each.
	if thousand < one+20*1000 {
		t.Errorf("1 entry: %d bytes, 1000 entries: %d", one, thousand)
	}
	c.Do("XGROUP", "CREATE", "s", "g", "0")
	c.Do("XREADGROUP", "GROUP", "g", "alice", "COUNT", "500", "STREAMS", "s", ">")
	// Each pending entry is a record and a slot in the group's and the
	// consumer's lists.
	if pending := usage(); pending < thousand+500*(48+16) {
		t.Errorf("1000 entries: %d bytes, with 500 pending: %d", thousand, pending)
	}
}
