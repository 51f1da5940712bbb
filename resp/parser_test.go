package resp

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
)

// chunkReader returns its data a few bytes at a time, to exercise commands
// that arrive split across reads.
type chunkReader struct {
	data  []byte
	chunk int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := min(r.chunk, len(p), len(r.data))
	copy(p, r.data[:n])
	r.data = r.data[n:]
	return n, nil
}

// parseAll returns every command in input, or the first error.
func parseAll(t *testing.T, input string, chunk int, limits Limits) ([]string, error) {
	t.Helper()
	p := NewParser(&chunkReader{data: []byte(input), chunk: chunk})
	p.Limits = limits
	var out []string
	for {
		args, ok, err := p.Next()
		if err != nil {
			return out, err
		}
		if ok {
			var parts []string
			for _, a := range args {
				parts = append(parts, string(a))
			}
			out = append(out, strings.Join(parts, "|"))
			continue
		}
		if err := p.Fill(); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return out, err
		}
	}
}

func TestParserAcceptsCommandsWhateverTheReadSizes(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string
	}{
		{"multibulk", "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", []string{"GET|k"}},
		{"pipeline", "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", []string{"PING", "ECHO|"}},
		{"binary bulk", "*2\r\n$4\r\nECHO\r\n$4\r\na\r\nb\r\n", []string{"ECHO|a\r\nb"}},
		{"empty multibulk ignored", "*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n", []string{"PING"}},
		{"inline", "SET k v\r\n", []string{"SET|k|v"}},
		{"inline without CR", "PING\n", []string{"PING"}},
		{"inline empty lines ignored", "\r\n\n  \r\nPING\r\n", []string{"PING"}},
		{"inline double quotes", `SET "a b" "c\x41\n"` + "\r\n", []string{"SET|a b|cA\n"}},
		{"inline single quotes", `SET 'it\'s' x` + "\r\n", []string{"SET|it's|x"}},
		{"inline empty quoted arg", `ECHO ""` + "\r\n", []string{"ECHO|"}},
		{"bulk trailer not checked", "*1\r\n$4\r\nPINGxx", []string{"PING"}},
	}
	for _, tc := range tests {
		for _, chunk := range []int{1, 3, 1 << 20} {
			got, err := parseAll(t, tc.input, chunk, DefaultLimits)
			if err != nil {
				t.Errorf("%s (chunk %d): %v", tc.name, chunk, err)
				continue
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("%s (chunk %d): got %q, want %q", tc.name, chunk, got, tc.want)
			}
		}
	}
}

func TestParserRejectsMalformedInputWithRedisErrors(t *testing.T) {
	long := strings.Repeat("a", 70*1024)
	tests := []struct {
		name   string
		input  string
		limits Limits
		want   string
	}{
		{"bad multibulk length", "*x\r\n", DefaultLimits, "Protocol error: invalid multibulk length"},
		{"multibulk over int max", "*3000000000\r\n", DefaultLimits, "Protocol error: invalid multibulk length"},
		{"multibulk with plus", "*+1\r\n", DefaultLimits, "Protocol error: invalid multibulk length"},
		{"expected dollar", "*1\r\n:1\r\n", DefaultLimits, "Protocol error: expected '$', got ':'"},
		{"bad bulk length", "*1\r\n$x\r\n", DefaultLimits, "Protocol error: invalid bulk length"},
		{"negative bulk length", "*1\r\n$-1\r\n", DefaultLimits, "Protocol error: invalid bulk length"},
		{"bulk over proto-max-bulk-len", "*1\r\n$11\r\n", Limits{MaxBulkLen: 10}, "Protocol error: invalid bulk length"},
		{"unbalanced quotes", "SET \"a\r\n", DefaultLimits, "Protocol error: unbalanced quotes in request"},
		{"quote followed by text", "SET \"a\"b\r\n", DefaultLimits, "Protocol error: unbalanced quotes in request"},
		{"too big inline", long, DefaultLimits, "Protocol error: too big inline request"},
		{"too big mbulk count", "*" + long, DefaultLimits, "Protocol error: too big mbulk count string"},
		{"too big bulk count", "*1\r\n$" + long, DefaultLimits, "Protocol error: too big bulk count string"},
		{"unauthenticated multibulk", "*11\r\n", Limits{MaxBulkLen: 1 << 20, Unauthenticated: true}, "Protocol error: unauthenticated multibulk length"},
		{"unauthenticated bulk", "*1\r\n$16385\r\n", Limits{MaxBulkLen: 1 << 20, Unauthenticated: true}, "Protocol error: unauthenticated bulk length"},
	}
	for _, tc := range tests {
		_, err := parseAll(t, tc.input, 4096, tc.limits)
		var pe *ProtocolError
		if !errors.As(err, &pe) || pe.Msg != tc.want {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestParserEnforcesQueryBufferLimit(t *testing.T) {
	input := "*1\r\n$100000\r\n" + strings.Repeat("x", 50000)
	_, err := parseAll(t, input, 4096, Limits{MaxBulkLen: 1 << 20, MaxQueryBuffer: 32 * 1024})
	if !errors.Is(err, ErrQueryBufferLimit) {
		t.Fatalf("got %v, want ErrQueryBufferLimit", err)
	}
}

func TestParserReadsLargeBulkInOneBuffer(t *testing.T) {
	val := bytes.Repeat([]byte("v"), 3<<20)
	input := "*2\r\n$4\r\nECHO\r\n$" + itoa(len(val)) + "\r\n" + string(val) + "\r\n"
	got, err := parseAll(t, input, 7000, DefaultLimits)
	if err != nil || len(got) != 1 || len(got[0]) != len("ECHO|")+len(val) {
		t.Fatalf("got %d commands, err %v", len(got), err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func FuzzParser(f *testing.F) {
	f.Add([]byte("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"))
	f.Add([]byte("SET \"a\\x41\" 'b'\r\n"))
	f.Add([]byte("*1\r\n$-1\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := NewParser(&chunkReader{data: data, chunk: 5})
		p.Limits = Limits{MaxBulkLen: 1 << 16, MaxQueryBuffer: 1 << 20}
		for i := 0; i < 10000; i++ {
			_, ok, err := p.Next()
			if err != nil {
				return
			}
			if !ok && p.Fill() != nil {
				return
			}
		}
	})
}

func BenchmarkParsePipelinedGet(b *testing.B) {
	cmd := []byte("*2\r\n$3\r\nGET\r\n$16\r\nkey:000000012345\r\n")
	batch := bytes.Repeat(cmd, 64)
	r := &loopReader{data: batch}
	p := NewParser(r)
	b.SetBytes(int64(len(cmd)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for {
			_, ok, err := p.Next()
			if err != nil {
				b.Fatal(err)
			}
			if ok {
				break
			}
			p.Fill()
		}
	}
}

type loopReader struct{ data []byte }

func (r *loopReader) Read(p []byte) (int, error) { return copy(p, r.data), nil }
