package integration

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"
)

// randomSeeds returns the seeds a random differential test runs: the one
// PETREL_DIFF_SEED names, to replay a failure, or else defaults and,
// outside -short, one from the clock.
func randomSeeds(t *testing.T, defaults ...int64) []int64 {
	if v := os.Getenv("PETREL_DIFF_SEED"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("PETREL_DIFF_SEED: %v", err)
		}
		return []int64{n}
	}
	if testing.Short() {
		return defaults
	}
	return append(defaults, time.Now().UnixNano()%1_000_000)
}

// randomBudget returns how many commands a random differential test runs
// per seed: full, or short under -short, unless PETREL_DIFF_COMMANDS says.
func randomBudget(t *testing.T, full, short int) int {
	if v := os.Getenv("PETREL_DIFF_COMMANDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("PETREL_DIFF_COMMANDS: %v", err)
		}
		return n
	}
	if testing.Short() {
		return short
	}
	return full
}

// runSeeds runs run once per seed, in parallel subtests, with the
// protocol the seed picks (2 + seed&1), so a replay runs in the same one.
func runSeeds(t *testing.T, seeds []int64, budget int, run func(t *testing.T, seed int64, proto, budget int)) {
	for _, seed := range seeds {
		seed, proto := seed, 2+int(seed&1)
		t.Run(fmt.Sprintf("seed=%d/resp%d", seed, proto), func(t *testing.T) {
			t.Parallel()
			run(t, seed, proto, budget)
		})
	}
}

// luaEval starts a pair of servers for a random Lua test and returns a
// function that runs EVAL script 0 on both and returns the first
// difference, or "" when the replies agree. timeout bounds each reply.
func luaEval(t *testing.T, proto int, timeout time.Duration) func(script, where string) string {
	run := pairCommand(t, proto, timeout)
	return func(script, where string) string { return run([]string{"EVAL", script, "0"}, where) }
}

// pairCommand starts a pair of servers and returns a function that sends
// a command to both and returns the first difference, or "" when the
// replies agree. timeout bounds each reply.
func pairCommand(t *testing.T, proto int, timeout time.Duration) func(args []string, where string) string {
	s := newSession(t, startPair(t), proto)
	for _, c := range s.conn(1).c {
		c.Timeout = timeout
	}
	var first string
	s.onMismatch = func(msg string) {
		if first == "" {
			first = msg
		}
	}
	return func(args []string, where string) string {
		first = ""
		s.command(1, args, where)
		return first
	}
}

// luaSer is the Lua source of ser(v, d), which the random Lua tests use to
// show a value with its type (numbers both as tostring and with %.17g)
// and a table with its keys sorted, so the order pairs visits them in
// does not show; below maxDepth levels of tables.
func luaSer(maxDepth int) string {
	return `local function ser(v, d)
  d = d or 0
  local t = type(v)
  if t == 'number' then return 'n:' .. tostring(v) .. '~' .. string.format('%.17g', v) end
  if t == 'string' then return 's:' .. v end
  if t == 'nil' or t == 'boolean' then return tostring(v) end
  if v == cjson.null then return 'null' end
  if t ~= 'table' then return t end
  if d > ` + strconv.Itoa(maxDepth) + ` then return '{..}' end
  local ps = {}
  for k, x in pairs(v) do ps[#ps + 1] = {ser(k, d + 1), x} end
  table.sort(ps, function(a, b) return a[1] < b[1] end)
  for i = 1, #ps do ps[i] = ps[i][1] .. '=' .. ser(ps[i][2], d + 1) end
  return '{' .. table.concat(ps, ',') .. '}'
end
`
}
