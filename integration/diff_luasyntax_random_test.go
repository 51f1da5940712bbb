package integration

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"
)

// TestDiffLuaSyntaxRandom compiles random sources with SCRIPT LOAD on both
// servers: valid Lua from a small grammar, then mutated a token at a time
// (dropped, doubled, swapped, replaced from a vocabulary of Lua's awkward
// lexemes: odd numerals, escapes, long brackets, NULs, \v), with random
// whitespace and comments between tokens. Petrel's own Lua 5.1 lexer and
// parser must accept what Lua accepts and refuse the rest with Lua's
// message, line and token. A source with no loop or function (so it
// ends) is also run with EVAL: gopher-lua compiles a rewritten form of
// some sources, and a runtime error must name Lua's line, which inside an
// expression that spans lines is that of the last token read when the
// instruction was made ("x\n+ 1": an undefined x is on line 2).
func TestDiffLuaSyntaxRandom(t *testing.T) {
	runSeeds(t, randomSeeds(t, 1, 2), randomBudget(t, 1500, 300), runLuaSyntaxRandom)
}

func runLuaSyntaxRandom(t *testing.T, seed int64, proto, budget int) {
	run := pairCommand(t, proto, 10*time.Second)
	g := &luaSrcGen{dice: dice{rand.New(rand.NewSource(seed))}}
	deadline := time.Now().Add(45 * time.Second)
	for n := 1; n <= budget && time.Now().Before(deadline); n++ {
		toks := g.mutate(g.chunk())
		src := g.join(toks)
		where := fmt.Sprintf("source %d: %q", n, truncate(src, 400))
		if msg := run([]string{"SCRIPT", "LOAD", src}, "SCRIPT LOAD of "+where); msg != "" {
			t.Fatalf("seed %d: replay with PETREL_DIFF_SEED=%d\n%s", seed, seed, msg)
		}
		if runnable(toks) {
			if msg := run([]string{"EVAL", src, "0"}, "EVAL of "+where); msg != "" {
				t.Fatalf("seed %d: replay with PETREL_DIFF_SEED=%d\n%s", seed, seed, msg)
			}
		}
	}
}

// runnable reports whether a source surely ends: it has no loop and no
// function, which could recurse.
func runnable(toks []string) bool {
	for _, tok := range toks {
		switch tok {
		case "for", "while", "repeat", "function":
			return false
		}
	}
	return true
}

// luaSrcGen generates Lua sources as token lists.
type luaSrcGen struct {
	dice
	depth int
}

func (g *luaSrcGen) chunk() []string {
	var toks []string
	for i, n := 0, 1+g.intn(4); i < n; i++ {
		toks = append(toks, g.stmt()...)
	}
	if g.one(2) {
		toks = append(toks, "return")
		toks = append(toks, g.exprList()...)
	}
	return toks
}

func (g *luaSrcGen) block() []string {
	g.depth++
	defer func() { g.depth-- }()
	var toks []string
	for i, n := 0, g.intn(3); i < n; i++ {
		toks = append(toks, g.stmt()...)
	}
	return toks
}

func (g *luaSrcGen) stmt() []string {
	if g.depth > 2 {
		return append([]string{"local", g.name(), "="}, g.expr()...)
	}
	switch g.intn(9) {
	case 0:
		t := append([]string{"if"}, g.expr()...)
		t = append(append(t, "then"), g.block()...)
		if g.one(2) {
			t = append(append(append(t, "elseif"), g.expr()...), "then")
			t = append(t, g.block()...)
		}
		if g.one(2) {
			t = append(append(t, "else"), g.block()...)
		}
		return append(t, "end")
	case 1:
		return append(append([]string{"do"}, g.block()...), "end")
	case 2:
		t := []string{"for", g.name(), "=", g.numeral(), ",", g.numeral(), "do"}
		return append(append(t, g.block()...), "end")
	case 3:
		t := []string{"for", g.name(), ",", g.name(), "in", "pairs", "(", "{", "}", ")", "do"}
		return append(append(t, g.block()...), "end")
	case 4:
		t := []string{"local", "function", g.name(), "("}
		t = append(t, g.params()...)
		t = append(append(t, ")"), g.block()...)
		return append(t, "end")
	case 5:
		t := append([]string{g.name()}, g.suffix()...)
		return append(append(t, "="), g.expr()...)
	case 6:
		t := []string{g.name(), "("}
		return append(append(t, g.exprList()...), ")")
	case 7:
		return append([]string{"local", g.name(), ",", g.name(), "="}, g.exprList()...)
	default:
		return append([]string{"local", g.name(), "="}, g.expr()...)
	}
}

func (g *luaSrcGen) params() []string {
	switch g.intn(4) {
	case 0:
		return nil
	case 1:
		return []string{"..."}
	case 2:
		return []string{g.name(), ",", "..."}
	}
	return []string{g.name(), ",", g.name()}
}

func (g *luaSrcGen) suffix() []string {
	switch g.intn(4) {
	case 0:
		return []string{".", g.name()}
	case 1:
		return append(append([]string{"["}, g.expr()...), "]")
	}
	return nil
}

func (g *luaSrcGen) exprList() []string {
	t := g.expr()
	for g.one(3) {
		t = append(append(t, ","), g.expr()...)
	}
	return t
}

func (g *luaSrcGen) expr() []string {
	g.depth++
	defer func() { g.depth-- }()
	if g.depth > 4 {
		return []string{g.atom()}
	}
	switch g.intn(10) {
	case 0, 1:
		t := g.expr()
		t = append(t, g.pick("+", "-", "*", "/", "%", "^", "..", "==", "~=", "<", "<=", ">", ">=", "and", "or"))
		return append(t, g.expr()...)
	case 2:
		return append([]string{g.pick("-", "not", "#")}, g.expr()...)
	case 3:
		return append(append([]string{"("}, g.expr()...), ")")
	case 4:
		t := []string{"{"}
		for i, n := 0, g.intn(3); i < n; i++ {
			switch g.intn(3) {
			case 0:
				t = append(t, g.name(), "=")
			case 1:
				t = append(append(append(t, "["), g.expr()...), "]", "=")
			}
			t = append(append(t, g.expr()...), g.pick(",", ";"))
		}
		return append(t, "}")
	case 5:
		t := []string{g.name(), g.pick(".", ":"), g.name(), "("}
		return append(append(t, g.exprList()...), ")")
	case 6:
		t := []string{"function", "("}
		t = append(append(t, g.params()...), ")", "return")
		return append(append(t, g.expr()...), "end")
	case 7:
		return append([]string{g.name()}, g.suffix()...)
	}
	return []string{g.atom()}
}

func (g *luaSrcGen) atom() string {
	switch g.intn(5) {
	case 0:
		return g.numeral()
	case 1:
		return g.str()
	case 2:
		return g.pick("nil", "true", "false", "...")
	}
	return g.name()
}

func (g *luaSrcGen) name() string {
	return g.pick("a", "b", "x", "t", "f", "goto", "self", "_", "KEYS", "ARGV", "string", "math", "a1", "_x")
}

func (g *luaSrcGen) numeral() string {
	return g.pick("0", "1", "2", "3", "10", "3.5", ".5", "5.", "1e2", "1E-2", "1e+2", "0x10", "0XfF", "0x1p4",
		"0x1P-2", "1e400", "08", "2^53")
}

func (g *luaSrcGen) str() string {
	return g.pick(`'a'`, `"b"`, `''`, `'\65'`, `"\n"`, `'\\'`, `"it's"`, `'\''`, `[[x]]`, `[==[y]]z]==]`,
		"[[\nline]]", `'\0'`, `"\300"`, `'\x41'`, `'\q'`, "'a\\\nb'", `'\255'`)
}

// lexemes are what a mutation may put in: Lua's awkward lexemes, broken
// ones included.
var lexemes = []string{
	"0x", "1e", "3..2", "1..2", "0x1p", "12a", "0x1g", "1e+", ".5e3", "..", "...", "....", ".", "=", "==",
	"~=", "~", "!", "@", "$", "`", "?", "&", "|", "\\", "'", "\"", "[[", "]]", "[=[", "]=]", "[=", "[==[",
	"'unfinished", "\"\\300\"", "'\\256'", "\"\\x\"", "'\\9999'", "[[a]=]", "--[[x]]", "--[=x", "--[=[y",
	"\x00", "1\x00", ".\x00", "a.\x00b", "\v", "\f", "\r", ";", ":", "::", "goto", "end", "break", "return",
	"local", "function", "(", ")", "{", "}", "[", "]", ",", "nil", "and", "not", "#", "^", "%", "in",
	"then", "else", "elseif", "until", "do", "0xffffffffffffffffff", "1e308", "9007199254740993",
}

// mutate changes a few tokens of toks, or none.
func (g *luaSrcGen) mutate(toks []string) []string {
	for i, n := 0, g.intn(4); i < n && len(toks) > 0; i++ {
		k := g.intn(len(toks))
		switch g.intn(5) {
		case 0:
			toks = append(toks[:k], toks[k+1:]...)
		case 1:
			toks = append(toks[:k+1], toks[k:]...)
		case 2:
			if k+1 < len(toks) {
				toks[k], toks[k+1] = toks[k+1], toks[k]
			}
		case 3:
			toks[k] = lexemes[g.intn(len(lexemes))]
		default:
			toks = append(toks[:k], append([]string{lexemes[g.intn(len(lexemes))]}, toks[k:]...)...)
		}
	}
	return toks
}

// join writes tokens out with whitespace, line breaks and comments
// between them, or, now and then, none.
func (g *luaSrcGen) join(toks []string) string {
	var b strings.Builder
	for i, tok := range toks {
		if i > 0 {
			switch g.intn(14) {
			case 0:
				b.WriteString("\n")
			case 1:
				b.WriteString(g.pick("\r\n", "\n\r", "\r", "\t", "\v", "\f", "  "))
			case 2:
				b.WriteString(g.pick(" -- c\n", " --[[c\n]] ", " --[==[c]==] ", " --[=c\n", " --\n"))
			case 3:
				// no space: "a" "b" becomes "ab", "1" ".." becomes "1.."
			default:
				b.WriteByte(' ')
			}
		}
		b.WriteString(tok)
	}
	return b.String()
}
