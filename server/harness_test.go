package server

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"petrel/config"
)

// startTestServer runs a server on a random loopback port for one test.
// Adjust cfg before it starts with the optional mutate function.
func startTestServer(t testing.TB, mutate ...func(*config.Config)) *Server {
	t.Helper()
	cfg := config.Defaults()
	cfg.Port = 0
	cfg.Bind = []string{"127.0.0.1"}
	cfg.Dir = t.TempDir() // FLUSHALL and SHUTDOWN save with the default save points
	for _, m := range mutate {
		m(cfg)
	}
	s := New(cfg, NewLogger(io.Discard, LogWarning))
	if err := s.ListenOn("tcp", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	go s.Serve()
	t.Cleanup(s.Close)
	return s
}

// rawClient speaks RESP over a real TCP connection and returns replies as
// their raw protocol text, so tests assert exact bytes and reply types.
type rawClient struct {
	t    testing.TB
	conn net.Conn
	rd   *bufio.Reader
}

func dialRaw(t testing.TB, s *Server) *rawClient {
	t.Helper()
	conn, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &rawClient{t: t, conn: conn, rd: bufio.NewReader(conn)}
}

// encode builds a RESP array of bulk strings.
func encode(args ...string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	return []byte(b.String())
}

// Do sends one command and returns its raw reply.
func (c *rawClient) Do(args ...string) string {
	c.t.Helper()
	c.Send(encode(args...))
	return c.Read()
}

// Send writes raw bytes.
func (c *rawClient) Send(b []byte) {
	c.t.Helper()
	if _, err := c.conn.Write(b); err != nil {
		c.t.Fatal(err)
	}
}

// Read returns the next complete reply as raw protocol text.
func (c *rawClient) Read() string {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	var b strings.Builder
	if err := readReply(c.rd, &b); err != nil {
		c.t.Fatalf("reading reply: %v (so far %q)", err, b.String())
	}
	return b.String()
}

func readReply(rd *bufio.Reader, b *strings.Builder) error {
	line, err := rd.ReadString('\n')
	if err != nil {
		return err
	}
	b.WriteString(line)
	if len(line) < 3 {
		return fmt.Errorf("short line %q", line)
	}
	body := line[1 : len(line)-2]
	switch line[0] {
	case '+', '-', ':', '_', ',', '#', '(':
		return nil
	case '$', '=', '!':
		n, _ := strconv.Atoi(body)
		if n < 0 {
			return nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(rd, buf); err != nil {
			return err
		}
		b.Write(buf)
		return nil
	case '*', '~', '>':
		n, _ := strconv.Atoi(body)
		for i := 0; i < n; i++ {
			if err := readReply(rd, b); err != nil {
				return err
			}
		}
		return nil
	case '%', '|':
		n, _ := strconv.Atoi(body)
		for i := 0; i < 2*n; i++ {
			if err := readReply(rd, b); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("unknown reply type in %q", line)
}

// replyCase is one step of a table-driven command test: a command and the
// exact raw reply expected.
type replyCase struct {
	cmd  []string
	want string
}

// runCases sends each command in order on one connection and compares replies.
func runCases(t *testing.T, c *rawClient, cases []replyCase) {
	t.Helper()
	for _, tc := range cases {
		if got := c.Do(tc.cmd...); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.cmd, got, tc.want)
		}
	}
}

func TestHarnessPing(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"PING"}, "+PONG\r\n"},
		{[]string{"PING", "hi"}, "$2\r\nhi\r\n"},
		{[]string{"PING", "a", "b"}, "-ERR wrong number of arguments for 'ping' command\r\n"},
		{[]string{"NOPE", "a"}, "-ERR unknown command 'NOPE', with args beginning with: 'a' \r\n"},
	})
}
