package aof

import (
	"bytes"
	"os"
	"testing"
)

// TestRewriteRDBMatchesRedisBase converts the RDB base Redis 7.0.15 wrote
// (aof-use-rdb-preamble yes) and compares it with the AOF base Redis wrote
// of the same dataset right after (aof-use-rdb-preamble no): both iterate
// the keyspace in the same order, and every collection in the dataset keeps
// its elements in a fixed order, so the files must be identical.
func TestRewriteRDBMatchesRedisBase(t *testing.T) {
	in, err := os.Open("testdata/rewrite-base.rdb")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	want, err := os.ReadFile("testdata/redis7/appendonlydir/appendonly.aof.3.base.aof")
	if err != nil {
		t.Fatal(err)
	}
	// Redis ran with aof-timestamp-enabled yes, which starts the base with
	// an annotation the server adds, not RewriteRDB.
	ts := []byte("#TS:1795641995\r\n")
	if !bytes.HasPrefix(want, ts) {
		t.Fatalf("testdata base does not start with %q", ts)
	}
	got := bytes.NewBuffer(AppendTimestamp(nil, 1795641995))
	if err := RewriteRDB(got, in, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("rewrite differs from Redis's base\n got: %q\nwant: %q", got.Bytes(), want)
	}
}
