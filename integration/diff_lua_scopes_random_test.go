package integration

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"
)

// TestDiffLuaScopesRandom runs random scripts of nested blocks, loops and
// functions declaring locals, each ending in an error about a value a
// local, a global, a field or a temporary holds, and compares the error
// replies: Lua names the variable from the scopes of the function's
// locals, which Petrel rebuilds where gopher-lua records them wrongly
// (scripting/scopes.go).
func TestDiffLuaScopesRandom(t *testing.T) {
	runSeeds(t, randomSeeds(t, 1, 2), randomBudget(t, 400, 80), runLuaScopesRandom)
}

func runLuaScopesRandom(t *testing.T, seed int64, proto, budget int) {
	eval := luaEval(t, proto, 5*time.Second)
	g := &scopeGen{dice: dice{rand.New(rand.NewSource(seed))}}
	for n := 0; n < budget; n++ {
		script := g.script()
		if diff := eval(script, fmt.Sprintf("script %d", n+1)); diff != "" {
			t.Fatalf("seed %d: first difference at script %d; replay with PETREL_DIFF_SEED=%d\n%s\nscript:\n%s",
				seed, n+1, seed, diff, script)
		}
	}
}

// scopeGen writes the scripts. Its locals hold values of every type,
// nil and false included, so that the last statement's operation fails
// on some and succeeds on others.
type scopeGen struct {
	dice
	names   int        // locals declared so far (v1, v2, ...)
	visible [][]string // the locals in scope, by enclosing block
	depth   int
}

func (g *scopeGen) script() string {
	g.names, g.visible, g.depth = 0, [][]string{nil}, 0
	var b strings.Builder
	for i := g.intn(5) + 1; i > 0; i-- {
		b.WriteString(g.stmt())
		b.WriteByte('\n')
	}
	b.WriteString(g.failing())
	return b.String()
}

// local declares a new local in the current block.
func (g *scopeGen) local() string {
	g.names++
	name := fmt.Sprintf("v%d", g.names)
	g.visible[len(g.visible)-1] = append(g.visible[len(g.visible)-1], name)
	return name
}

func (g *scopeGen) value() string {
	return g.pick("nil", "false", "1", "'s'", "{}", "{x = {}}", "function() end", "2.5", "true", "ARGV[1]", "KEYS[9]",
		"redis.call('GET', 'nokey')", "string.rep", "#'abc'")
}

// some names a visible local, or a global, a field or a temporary.
func (g *scopeGen) some() string {
	var all []string
	for _, blk := range g.visible {
		all = append(all, blk...)
	}
	if len(all) > 0 && !g.one(5) {
		return all[g.intn(len(all))]
	}
	return g.pick("undefinedglobal", "redis", "string.nosuch", "KEYS", "({}).x", "(nil)", "ARGV", "math.pi")
}

// block runs body as a nested block's statements.
func (g *scopeGen) block(body func() string) string {
	g.visible = append(g.visible, nil)
	g.depth++
	s := body()
	g.depth--
	g.visible = g.visible[:len(g.visible)-1]
	return s
}

func (g *scopeGen) stmts() string {
	if g.depth > 3 {
		return ""
	}
	var parts []string
	for i := g.intn(3); i > 0; i-- {
		parts = append(parts, g.stmt())
	}
	return strings.Join(parts, " ")
}

func (g *scopeGen) stmt() string {
	switch g.intn(12) {
	case 0, 1, 2:
		n := g.intn(3) + 1
		vals := make([]string, g.intn(n+1))
		for i := range vals {
			vals[i] = g.value()
		}
		names := make([]string, n)
		for i := range names {
			names[i] = g.local()
		}
		if len(vals) == 0 {
			return "local " + strings.Join(names, ", ")
		}
		return "local " + strings.Join(names, ", ") + " = " + strings.Join(vals, ", ")
	case 3:
		return g.block(func() string { return "do " + g.stmts() + " end" })
	case 4:
		return g.block(func() string {
			i := g.local()
			return fmt.Sprintf("for %s = 1, %s do %s end", i, g.pick("2", "0", "ARGV[1]", "#'ab'"), g.stmts())
		})
	case 5:
		return g.block(func() string {
			k, v := g.local(), g.local()
			return fmt.Sprintf("for %s, %s in %s({1, 'a', x = 2}) do %s end", k, v, g.pick("pairs", "ipairs"), g.stmts())
		})
	case 6:
		// conditions whose code may start with a jump (constants in and/or)
		cond := g.pick("true", "(false and 1) == false", "(nil or 1) == 1", "1", "not false")
		return g.block(func() string { return "while " + cond + " do " + g.stmts() + " break end" })
	case 7:
		// the condition sees the body's locals
		return g.block(func() string { return "repeat " + g.stmts() + " until " + g.some() + " ~= 1 or true" })
	case 8:
		cond := g.pick("ARGV[1]", "true", "false", "nil", g.some(), "(false and 1) == nil", "nil or "+g.some())
		then := g.block(g.stmts)
		if g.one(2) {
			return "if " + cond + " then " + then + " end"
		}
		return "if " + cond + " then " + then + " else " + g.block(g.stmts) + " end"
	case 9:
		// Inside "local f = function", f is still the global; inside
		// "local function f", the local.
		if g.one(2) {
			f := g.local()
			body := g.block(func() string {
				a := g.local()
				return fmt.Sprintf("(%s) %s end", a, g.stmts())
			})
			return "local function " + f + body
		}
		body := g.block(func() string {
			a := g.local()
			return fmt.Sprintf("function(%s) %s end", a, g.stmts())
		})
		return fmt.Sprintf("local %s = %s", g.local(), body)
	default:
		// assigning a global is an error of its own: assign a local
		x := g.some()
		if strings.HasPrefix(x, "v") {
			return fmt.Sprintf("%s = %s", x, g.value())
		}
		return "local " + g.local() + " = " + x
	}
}

// failing is the last statement: an operation on something that may fail,
// wrapped or not in a function of its own.
func (g *scopeGen) failing() string {
	x := g.some()
	op := g.pick(
		"return %s.field", "return %s + 1", "return %s()", "return %s .. 'x'", "return #%s", "return %s < 1",
		"return -%s", "%s.y = 1", "return string.rep(%s)", "return %s:method()", "return %s[1][2]",
		"for _ in pairs(%s) do end", "return ipairs(%s)", "return tostring(%s) .. %s",
		"for i = 1, %s do end", "return redis.call(%s)")
	s := strings.ReplaceAll(op, "%s", x)
	if g.one(3) {
		// a loop before it in the same function
		s = g.pick("for q = 1, 2 do local w = q end ", "for k in pairs({}) do end ", "do local z = 1 end ") + s
	}
	return s
}
