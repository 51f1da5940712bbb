package server

import "testing"

// The cache answers what the table answers, for every spelling, whatever
// came before it.
func TestCommandCacheAnswersAsTheTable(t *testing.T) {
	table := newCommandTable(allCommands())
	var cc cmdCache
	names := []string{"GET", "get", "Get", "SET", "get", "INCR", "GET", "nosuchcommand", "GET",
		"averyveryverylongcommandname", "client", "CLIENT", "set", "SET", "config", ""}
	for range 3 {
		for _, n := range names {
			got, want := cc.lookup(table, []byte(n)), table.lookup([]byte(n))
			if got != want {
				t.Fatalf("%q: cache %v, table %v", n, got, want)
			}
		}
	}
	if cc.lookup(table, []byte("GETX")) != nil || cc.lookup(table, []byte("GE")) != nil {
		t.Fatal("a prefix or extension of a cached name found a command")
	}
}
