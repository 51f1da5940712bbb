package harness

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"
)

// DefaultReplyTimeout bounds the wait for one reply. It is generous because
// the race-detector build of Petrel on a loaded CI machine is slow.
const DefaultReplyTimeout = 10 * time.Second

// Conn is a raw RESP client: it sends commands as arrays of bulk strings,
// inline lines or arbitrary bytes, and returns each reply's exact bytes so
// tests can compare reply types and encodings, not just values.
type Conn struct {
	t       testing.TB
	nc      net.Conn
	rd      *bufio.Reader
	Timeout time.Duration
}

// Dial connects to addr; the connection is closed when the test ends.
func Dial(t testing.TB, addr string) *Conn {
	t.Helper()
	c, err := DialErr(t, addr)
	if err != nil {
		t.Fatalf("connecting to %s: %v", addr, err)
	}
	return c
}

// DialErr is Dial returning the error instead of failing the test.
func DialErr(t testing.TB, addr string) (*Conn, error) {
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { nc.Close() })
	return &Conn{t: t, nc: nc, rd: bufio.NewReaderSize(nc, 64*1024), Timeout: DefaultReplyTimeout}, nil
}

// NetConn exposes the underlying connection.
func (c *Conn) NetConn() net.Conn { return c.nc }

// Close closes the connection.
func (c *Conn) Close() error { return c.nc.Close() }

// Do sends one command and returns its raw reply, failing the test if the
// exchange fails.
func (c *Conn) Do(args ...string) string {
	c.t.Helper()
	r, err := c.Roundtrip(Encode(args...))
	if err != nil {
		c.t.Fatalf("%q: %v", args, err)
	}
	return string(r)
}

// Roundtrip writes raw bytes and reads one reply.
func (c *Conn) Roundtrip(b []byte) ([]byte, error) {
	if err := c.Write(b); err != nil {
		return nil, err
	}
	return c.Read()
}

// Send writes one command without reading its reply (for pipelining).
func (c *Conn) Send(args ...string) error { return c.Write(Encode(args...)) }

// SendInline writes an inline command: line followed by CRLF.
func (c *Conn) SendInline(line string) error { return c.Write([]byte(line + "\r\n")) }

// Write writes raw bytes.
func (c *Conn) Write(b []byte) error {
	c.nc.SetWriteDeadline(time.Now().Add(c.Timeout))
	_, err := c.nc.Write(b)
	return err
}

// Read reads one reply and returns its exact bytes.
func (c *Conn) Read() ([]byte, error) {
	c.nc.SetReadDeadline(time.Now().Add(c.Timeout))
	return ReadReply(c.rd)
}

// ReadN reads n replies and returns them concatenated.
func (c *Conn) ReadN(n int) ([]byte, error) {
	var out []byte
	for i := 0; i < n; i++ {
		r, err := c.Read()
		out = append(out, r...)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// ReadAvailable reads whatever the server sends until it has been quiet for
// quiet or closed the connection, and reports whether it closed. It is for
// input whose reply count is unknown (malformed or fuzzed bytes).
func (c *Conn) ReadAvailable(quiet time.Duration) (data []byte, closed bool) {
	buf := make([]byte, 64*1024)
	for {
		c.nc.SetReadDeadline(time.Now().Add(quiet))
		n, err := c.rd.Read(buf)
		data = append(data, buf[:n]...)
		if err != nil {
			if IsTimeout(err) {
				return data, false
			}
			return data, true
		}
	}
}

// State is what a connection looks like from the client after the replies
// it expects: still open, closed by the peer, or sending unexpected bytes.
type State string

// Connection states reported by Probe.
const (
	Open   State = "open"
	Closed State = "closed"
)

// Probe waits up to wait for the peer to close the connection. It returns
// Closed on EOF or reset, Open if nothing arrived, or a description of any
// unexpected data that arrived instead.
func (c *Conn) Probe(wait time.Duration) State {
	c.nc.SetReadDeadline(time.Now().Add(wait))
	b := make([]byte, 4096)
	n, err := c.rd.Read(b)
	if n > 0 {
		return State(fmt.Sprintf("unexpected data %q", b[:n]))
	}
	if err == nil || IsTimeout(err) {
		return Open
	}
	return Closed
}

// IsTimeout reports whether err is a deadline expiry.
func IsTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded)
}

// IsClosed reports whether err means the peer closed the connection.
func IsClosed(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed)
}
