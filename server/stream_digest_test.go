package server

import (
	"strconv"
	"strings"
	"testing"
)

// The digests below were taken from Redis 7.0.15 for the same commands.
// Redis digests a stream as its type code followed by each live entry in
// order, its ID as "ms.seq" then its fields and values, all mixed: the
// consumer groups, deleted entries, the last ID and the node layout are
// not part of it.

func TestStreamDigestMatchesRedis(t *testing.T) {
	s := startTestServer(t, debugEnabled)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		// One entry: groups, deliveries, acknowledgements and the last ID are not part of the digest.
		{[]string{"XADD", "s", "1-1", "a", "1", "b", "2"}, "$3\r\n1-1\r\n"},
		{[]string{"DEBUG", "DIGEST-VALUE", "s"}, "*1\r\n+e4a21e3ca2d9a960e9859bb0985cc334bb4f2e58\r\n"},
		{[]string{"XGROUP", "CREATE", "s", "g", "0"}, "+OK\r\n"},
		{[]string{"XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">"}, "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n"},
		{[]string{"DEBUG", "DIGEST-VALUE", "s"}, "*1\r\n+e4a21e3ca2d9a960e9859bb0985cc334bb4f2e58\r\n"},
		{[]string{"XSETID", "s", "5-5"}, "+OK\r\n"},
		{[]string{"DEBUG", "DIGEST-VALUE", "s"}, "*1\r\n+e4a21e3ca2d9a960e9859bb0985cc334bb4f2e58\r\n"},
		{[]string{"XACK", "s", "g", "1-1"}, ":1\r\n"},
		{[]string{"XGROUP", "DESTROY", "s", "g"}, ":1\r\n"},
		{[]string{"DEBUG", "DIGEST-VALUE", "s"}, "*1\r\n+e4a21e3ca2d9a960e9859bb0985cc334bb4f2e58\r\n"},
		// Deleted entries leave the digest as if they had never been there.
		{[]string{"XADD", "d", "1-1", "a", "1", "b", "2"}, "$3\r\n1-1\r\n"},
		{[]string{"XADD", "d", "1-2", "a", "1", "b", "2"}, "$3\r\n1-2\r\n"},
		{[]string{"DEBUG", "DIGEST-VALUE", "d"}, "*1\r\n+9e6d7752ca25d44bb9013a82faeeeb91d8d53792\r\n"},
		{[]string{"XDEL", "d", "1-2"}, ":1\r\n"},
		{[]string{"DEBUG", "DIGEST-VALUE", "d", "s"}, "*2\r\n+e4a21e3ca2d9a960e9859bb0985cc334bb4f2e58\r\n+e4a21e3ca2d9a960e9859bb0985cc334bb4f2e58\r\n"},
		{[]string{"XDEL", "d", "1-1"}, ":1\r\n"},
		{[]string{"DEBUG", "DIGEST-VALUE", "d"}, "*1\r\n+06bd01623de1d087bbd377851096317b1af476a2\r\n"},
		// An empty stream digests to its type alone.
		{[]string{"XGROUP", "CREATE", "e", "g", "$", "MKSTREAM"}, "+OK\r\n"},
		{[]string{"DEBUG", "DIGEST-VALUE", "e"}, "*1\r\n+06bd01623de1d087bbd377851096317b1af476a2\r\n"},
		// IDs as "ms.seq" up to the largest; integers and non-canonical numbers as given.
		{[]string{"XADD", "m", "18446744073709551615-18446744073709551614", "f", "v"}, "$41\r\n18446744073709551615-18446744073709551614\r\n"},
		{[]string{"XADD", "m", "18446744073709551615-18446744073709551615", "f", "-5", "x", "007"}, "$41\r\n18446744073709551615-18446744073709551615\r\n"},
		{[]string{"DEBUG", "DIGEST-VALUE", "m"}, "*1\r\n+78cddda8cda226af00df938a4f57934a32864645\r\n"},
		// Entries with other fields than the node's first, and empty fields and values.
		{[]string{"XADD", "f", "5-0", "a", "1"}, "$3\r\n5-0\r\n"},
		{[]string{"XADD", "f", "5-1", "b", "2", "c", "3"}, "$3\r\n5-1\r\n"},
		{[]string{"XADD", "f", "6-0", "a", "1"}, "$3\r\n6-0\r\n"},
		{[]string{"XADD", "f", "7-0", "", ""}, "$3\r\n7-0\r\n"},
		{[]string{"DEBUG", "DIGEST-VALUE", "f"}, "*1\r\n+1ad811e6ecf17020606fecc21f4a701793aa7587\r\n"},
		// A TTL is mixed in, as for every type.
		{[]string{"PEXPIRE", "f", "100000"}, ":1\r\n"},
		{[]string{"DEBUG", "DIGEST-VALUE", "f", "nokey", "m"}, "*3\r\n+fc5def1930c89a74a179073a5a20bf8c89043404\r\n+0000000000000000000000000000000000000000\r\n+78cddda8cda226af00df938a4f57934a32864645\r\n"},
		{[]string{"DEL", "f"}, ":1\r\n"},
		// The whole dataset.
		{[]string{"DEBUG", "DIGEST"}, "+0d5494b972083b9cfad4166fca8e81dda94ead57\r\n"},
		{[]string{"SELECT", "1"}, "+OK\r\n"},
		{[]string{"XADD", "s", "1-1", "a", "1", "b", "2"}, "$3\r\n1-1\r\n"},
		{[]string{"DEBUG", "DIGEST"}, "+25cf8217f19c76763b068b179c6a23462b3ce496\r\n"},
		{[]string{"SELECT", "0"}, "+OK\r\n"},
	})
}

func TestStreamDigestIsTheSameInRESP3(t *testing.T) {
	s := startTestServer(t, debugEnabled)
	c := dialRaw(t, s)
	c.Do("HELLO", "3")
	runCases(t, c, []replyCase{
		{[]string{"XADD", "r", "1-1", "a", "1"}, "$3\r\n1-1\r\n"},
		{[]string{"DEBUG", "DIGEST-VALUE", "r"}, "*1\r\n+e63bcb852a375e66ef47d37f2575bc03f71e7ecd\r\n"},
		{[]string{"DEBUG", "DIGEST"}, "+333d91183a375751970cfdf6b45283493663b9ae\r\n"},
	})
}

func TestStreamDigestIgnoresNodeLayout(t *testing.T) {
	s := startTestServer(t, debugEnabled)
	c := dialRaw(t, s)
	add := func(key string) {
		for i := 1; i <= 5; i++ {
			c.Do("XADD", key, strconv.Itoa(i)+"-0", "f", strconv.Itoa(i))
		}
	}
	c.Do("CONFIG", "SET", "stream-node-max-entries", "2")
	add("n1")
	c.Do("CONFIG", "SET", "stream-node-max-entries", "100")
	add("n2")
	runCases(t, c, []replyCase{
		{[]string{"DEBUG", "DIGEST-VALUE", "n1", "n2"}, "*2\r\n+ff0e5632f75ee7e22d4b8c0c3b2906b54e8203d7\r\n+ff0e5632f75ee7e22d4b8c0c3b2906b54e8203d7\r\n"},
	})
}

// Many nodes, binary values of up to 5000 bytes, integers, entries with
// and without the master fields, a trim and deletions.
func TestStreamDigestOfALargeStream(t *testing.T) {
	s := startTestServer(t, debugEnabled)
	c := dialRaw(t, s)
	for i := 0; i < 1000; i++ {
		args := []string{"XADD", "big", strconv.Itoa(i+1) + "-0",
			"f", strings.Repeat(string([]byte{byte(i)}), i*37%5000), "n", strconv.Itoa(i)}
		if i%3 == 0 {
			args = append(args, "x", "y")
		}
		if got := c.Do(args...); !strings.HasPrefix(got, "$") {
			t.Fatalf("%q: %q", args[:3], got)
		}
	}
	runCases(t, c, []replyCase{
		{[]string{"XTRIM", "big", "MAXLEN", "700"}, ":300\r\n"},
		{[]string{"XDEL", "big", "800-0", "900-0"}, ":2\r\n"},
		{[]string{"DEBUG", "DIGEST-VALUE", "big"}, "*1\r\n+86f92f18b21a071da807b2906d6eb9e15aab5100\r\n"},
	})
}
