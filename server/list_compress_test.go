package server

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"petrel/config"
)

// Tests of list-compress-depth: lists compress their inner nodes, every
// list command works on them, and the setting applies to lists created
// after it changes, as in Redis 7.0 (checked with DEBUG OBJECT's
// ql_compressed and MEMORY USAGE on redis-server 7.0.15).

// listCompressValue is a compressible 64-byte element.
func listCompressValue(i int) string { return strings.Repeat(fmt.Sprintf("elem%03d-", i), 8) }

func listMemoryUsage(t *testing.T, c *rawClient, key string) int {
	t.Helper()
	reply := c.Do("MEMORY", "USAGE", key, "SAMPLES", "0")
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(reply, ":"), "\r\n"))
	if err != nil {
		t.Fatalf("MEMORY USAGE %s: %q", key, reply)
	}
	return n
}

func TestListCompressDepthAppliesToNewLists(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	fill := func(key string, from, to int) {
		args := []string{"RPUSH", key}
		for i := from; i < to; i++ {
			args = append(args, listCompressValue(i%10))
		}
		if got := c.Do(args...); got != li(to) {
			t.Fatalf("RPUSH %s: %q", key, got)
		}
	}
	fill("plain", 0, 2000)
	lrun(t, c, [][2]string{{"CONFIG SET list-compress-depth 1", "+OK\r\n"}})
	fill("packed", 0, 2000)
	// The list made before the change stays uncompressed as it grows.
	fill("plain", 2000, 4000)
	fill("packed", 2000, 4000)
	plain, packed := listMemoryUsage(t, c, "plain"), listMemoryUsage(t, c, "packed")
	if packed*4 > plain {
		t.Fatalf("MEMORY USAGE: compressed list %d bytes, plain list %d", packed, plain)
	}
	lrun(t, c, [][2]string{
		{"OBJECT ENCODING packed", lb("quicklist")},
		{"LINDEX packed 1234", lb(listCompressValue(4))},
		{"LINDEX plain 1234", lb(listCompressValue(4))},
		{"LRANGE packed 1998 2001", lbs(listCompressValue(8), listCompressValue(9), listCompressValue(0), listCompressValue(1))},
		// A copy keeps its source's depth, as Redis's quicklistDup does.
		{"CONFIG SET list-compress-depth 0", "+OK\r\n"},
		{"COPY packed packed2", li(1)},
		{"LLEN packed2", li(4000)},
	})
	if cp := listMemoryUsage(t, c, "packed2"); cp*4 > plain {
		t.Fatalf("MEMORY USAGE: copy of the compressed list %d bytes, plain list %d", cp, plain)
	}
}

// TestListCommandsOnCompressedLists runs random list commands on lists with
// compressed nodes (small nodes, depths 1 and 2) against a slice model.
func TestListCommandsOnCompressedLists(t *testing.T) {
	for _, tc := range []struct{ fill, depth int }{{4, 1}, {3, 2}, {-1, 1}, {1, 1}} {
		t.Run(fmt.Sprintf("fill%d/depth%d", tc.fill, tc.depth), func(t *testing.T) {
			s := startTestServer(t, func(cfg *config.Config) {
				cfg.ListMaxListpackSize = int64(tc.fill)
				cfg.ListCompressDepth = int64(tc.depth)
			})
			c := dialRaw(t, s)
			r := rand.New(rand.NewPCG(uint64(tc.fill+10), uint64(tc.depth)))
			var model []string
			val := func() string { return listCompressValue(r.IntN(40)) }
			do := func(want string, args ...string) {
				t.Helper()
				if got := c.Do(args...); got != want {
					t.Fatalf("%.60q: got %.200q, want %.200q", args, got, want)
				}
			}
			for i := 0; i < 300; i++ {
				v := val()
				model = append(model, v)
				do(li(len(model)), "RPUSH", "l", v)
			}
			for step := 0; step < 600; step++ {
				n := len(model)
				switch op := r.IntN(11); {
				case op == 0:
					v := val()
					model = append([]string{v}, model...)
					do(li(len(model)), "LPUSH", "l", v)
				case op == 1 && n > 0:
					k := min(1+r.IntN(3), n)
					do(lbs(model[:k]...), "LPOP", "l", strconv.Itoa(k))
					model = model[k:]
				case op == 2 && n > 0:
					do(lb(model[n-1]), "RPOP", "l")
					model = model[:n-1]
				case op == 3 && n > 0:
					i := r.IntN(n)
					do(lb(model[i]), "LINDEX", "l", strconv.Itoa(i))
					do(lb(model[i]), "LINDEX", "l", strconv.Itoa(i-n))
				case op == 4 && n > 0:
					i, v := r.IntN(n), val()
					do("+OK\r\n", "LSET", "l", strconv.Itoa(i), v)
					model[i] = v
				case op == 5:
					pivot, v := val(), val()
					at := slices.Index(model, pivot)
					if at < 0 {
						do(li(-1), "LINSERT", "l", "BEFORE", pivot, v)
						break
					}
					where := "BEFORE"
					if r.IntN(2) == 0 {
						where = "AFTER"
						at++
					}
					model = slices.Insert(model, at, v)
					do(li(len(model)), "LINSERT", "l", where, pivot, v)
				case op == 6:
					v, count := val(), r.IntN(5)-2
					var kept []string
					removed := 0
					if count >= 0 {
						for _, e := range model {
							if e == v && (count == 0 || removed < count) {
								removed++
								continue
							}
							kept = append(kept, e)
						}
					} else {
						for j := len(model) - 1; j >= 0; j-- {
							if model[j] == v && removed < -count {
								removed++
								continue
							}
							kept = append([]string{model[j]}, kept...)
						}
					}
					do(li(removed), "LREM", "l", strconv.Itoa(count), v)
					model = kept
				case op == 7:
					v := val()
					var idx []string
					for j, e := range model {
						if e == v {
							idx = append(idx, li(j))
						}
					}
					do(la(idx...), "LPOS", "l", v, "COUNT", "0")
					if len(idx) > 1 {
						do(idx[len(idx)-2], "LPOS", "l", v, "RANK", "-2")
					}
				case op == 8 && n > 4 && r.IntN(4) == 0:
					start, stop := r.IntN(3), n-1-r.IntN(3)
					do("+OK\r\n", "LTRIM", "l", strconv.Itoa(start), strconv.Itoa(stop))
					model = model[start : stop+1]
				case op == 9 && n > 0:
					start := r.IntN(n)
					stop := min(n-1, start+r.IntN(100))
					do(lbs(model[start:stop+1]...), "LRANGE", "l", strconv.Itoa(start), strconv.Itoa(stop))
				case op == 10 && n > 0:
					// Rotate the list onto itself.
					do(lb(model[n-1]), "LMOVE", "l", "l", "RIGHT", "LEFT")
					model = append([]string{model[n-1]}, model[:n-1]...)
				}
				if len(model) == 0 {
					do(li(0), "EXISTS", "l")
					continue
				}
				do(li(len(model)), "LLEN", "l")
			}
			if len(model) > 0 {
				do(lbs(model...), "LRANGE", "l", "0", "-1")
			}
		})
	}
}
