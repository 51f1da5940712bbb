// Command pubsubbench measures PUBLISH fan-out: N subscribers on one
// channel, P publishers pipelining PUBLISH to it. It works with any server
// speaking RESP2 (Petrel, Redis) and prints the messages published and
// delivered per second:
//
//	go run ./tools/pubsubbench -addr 127.0.0.1:6379 -subscribers 10 -publishers 4
//
// Subscribers are raw sockets that parse and count messages as fast as
// they can. Pub/sub has no flow control, so publishers that outran the
// subscribers would only fill the server's output buffers until it drops
// them; instead each publisher waits while the subscribers are more than
// -maxlag messages behind, which makes the figures the sustained end-to-end
// rate. Counting starts after -warmup.
//
// Output, one line: the settings, published/s and delivered/s (all
// subscribers together) over the measured time, and delivered_total, every
// message delivered from start to stop (warm-up included).
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

type options struct {
	addr        string
	subscribers int
	publishers  int
	pipeline    int
	size        int
	duration    time.Duration
	warmup      time.Duration
	maxLag      int64
	channel     string
}

func main() {
	var o options
	flag.StringVar(&o.addr, "addr", "127.0.0.1:6379", "server address")
	flag.IntVar(&o.subscribers, "subscribers", 1, "subscriber connections on the channel")
	flag.IntVar(&o.publishers, "publishers", 1, "publisher connections")
	flag.IntVar(&o.pipeline, "pipeline", 16, "PUBLISH commands each publisher sends before reading their replies")
	flag.IntVar(&o.size, "size", 64, "message payload size in bytes")
	flag.DurationVar(&o.duration, "duration", 5*time.Second, "measured time")
	flag.DurationVar(&o.warmup, "warmup", 500*time.Millisecond, "time run before measuring")
	flag.Int64Var(&o.maxLag, "maxlag", 10000, "messages per subscriber the publishers may be ahead of delivery")
	flag.StringVar(&o.channel, "channel", "pubsubbench", "channel name")
	flag.Parse()
	if o.subscribers < 1 || o.publishers < 1 || o.pipeline < 1 || o.size < 0 || o.maxLag < 1 {
		fmt.Fprintln(os.Stderr, "pubsubbench: -subscribers, -publishers, -pipeline and -maxlag must be at least 1")
		os.Exit(2)
	}
	res, err := run(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pubsubbench:", err)
		os.Exit(1)
	}
	fmt.Printf("subscribers=%d publishers=%d pipeline=%d size=%d seconds=%.2f published/s=%.0f delivered/s=%.0f delivered_total=%d\n",
		o.subscribers, o.publishers, o.pipeline, o.size, res.elapsed.Seconds(),
		float64(res.published)/res.elapsed.Seconds(), float64(res.delivered)/res.elapsed.Seconds(), res.deliveredTotal)
}

// result is what was published and delivered in the measured window, and
// everything delivered from the start (for per-message costs of the run).
type result struct {
	published, delivered int64
	elapsed              time.Duration
	deliveredTotal       int64
}

// counter is one goroutine's count, padded to its own cache line so that
// counting does not contend.
type counter struct {
	n atomic.Int64
	_ [56]byte
}

func sum(cs []counter) int64 {
	var t int64
	for i := range cs {
		t += cs[i].n.Load()
	}
	return t
}

func run(o options) (result, error) {
	subCounts := make([]counter, o.subscribers)
	pubCounts := make([]counter, o.publishers)
	stop := make(chan struct{})
	var stopOnce sync.Once
	halt := func() { stopOnce.Do(func() { close(stop) }) }
	errc := make(chan error, o.subscribers+o.publishers)
	var wg sync.WaitGroup
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()

	for i := range o.subscribers {
		c, rd, err := subscribe(o.addr, o.channel)
		if err != nil {
			return result{}, fmt.Errorf("subscriber %d: %w", i, err)
		}
		conns = append(conns, c)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := countMessages(rd, &subCounts[i].n, stop); err != nil {
				errc <- fmt.Errorf("subscriber %d: %w", i, err)
				halt()
			}
		}()
	}

	cmd := publishCommand(o.channel, o.size, o.pipeline)
	maxLag := o.maxLag * int64(o.subscribers)
	for i := range o.publishers {
		c, err := net.Dial("tcp", o.addr)
		if err != nil {
			return result{}, fmt.Errorf("publisher %d: %w", i, err)
		}
		conns = append(conns, c)
		wg.Add(1)
		go func() {
			defer wg.Done()
			rd := bufio.NewReaderSize(c, 64<<10)
			for {
				select {
				case <-stop:
					return
				default:
				}
				// Wait while delivery lags: what the publishers have sent
				// times the fan-out, minus what the subscribers have read.
				for sum(pubCounts)*int64(o.subscribers)-sum(subCounts) > maxLag {
					select {
					case <-stop:
						return
					case <-time.After(50 * time.Microsecond):
					}
				}
				if _, err := c.Write(cmd); err != nil {
					errc <- fmt.Errorf("publisher %d: %w", i, err)
					halt()
					return
				}
				for range o.pipeline {
					line, err := rd.ReadSlice('\n')
					if err != nil {
						errc <- fmt.Errorf("publisher %d: %w", i, err)
						halt()
						return
					}
					if line[0] != ':' {
						errc <- fmt.Errorf("publisher %d: PUBLISH replied %q", i, line)
						halt()
						return
					}
				}
				pubCounts[i].n.Add(int64(o.pipeline))
			}
		}()
	}

	select {
	case err := <-errc:
		halt()
		return result{}, err
	case <-time.After(o.warmup):
	}
	p0, d0, t0 := sum(pubCounts), sum(subCounts), time.Now()
	select {
	case err := <-errc:
		halt()
		return result{}, err
	case <-time.After(o.duration):
	}
	p1, d1, t1 := sum(pubCounts), sum(subCounts), time.Now()
	halt()
	for _, c := range conns {
		c.Close() // unblocks the readers
	}
	conns = nil
	wg.Wait()
	return result{published: p1 - p0, delivered: d1 - d0, elapsed: t1.Sub(t0), deliveredTotal: sum(subCounts)}, nil
}

// subscribe connects and subscribes to channel, returning once the server
// has confirmed.
func subscribe(addr, channel string) (net.Conn, *bufio.Reader, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	if _, err := c.Write(command("SUBSCRIBE", channel)); err != nil {
		c.Close()
		return nil, nil, err
	}
	rd := bufio.NewReaderSize(c, 256<<10)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	kind, err := readPush(rd)
	c.SetReadDeadline(time.Time{})
	if err != nil || kind != "subscribe" {
		c.Close()
		return nil, nil, fmt.Errorf("SUBSCRIBE: %q %v", kind, err)
	}
	return c, rd, nil
}

// countMessages counts "message" pushes until the connection fails or
// stop is closed.
func countMessages(rd *bufio.Reader, n *atomic.Int64, stop <-chan struct{}) error {
	for {
		kind, err := readPush(rd)
		if err != nil {
			select {
			case <-stop:
				return nil // closed by run
			default:
			}
			if errors.Is(err, io.EOF) {
				return errors.New("the server closed the connection (output buffer limit?)")
			}
			return err
		}
		if kind != "message" {
			return fmt.Errorf("unexpected %q push", kind)
		}
		n.Add(1)
	}
}

// readPush reads one RESP2 array of bulk strings and returns its first
// element, skipping the others without copying them.
func readPush(rd *bufio.Reader) (string, error) {
	line, err := rd.ReadSlice('\n')
	if err != nil {
		return "", err
	}
	if len(line) < 4 || line[0] != '*' {
		return "", fmt.Errorf("unexpected reply %q", line)
	}
	count, err := strconv.Atoi(string(line[1 : len(line)-2]))
	if err != nil {
		return "", fmt.Errorf("bad array header %q", line)
	}
	var first string
	for i := range count {
		line, err := rd.ReadSlice('\n')
		if err != nil {
			return "", err
		}
		if len(line) < 4 {
			return "", fmt.Errorf("unexpected element %q", line)
		}
		if line[0] == ':' {
			continue // the subscription count
		}
		if line[0] != '$' {
			return "", fmt.Errorf("unexpected element %q", line)
		}
		size, err := strconv.Atoi(string(line[1 : len(line)-2]))
		if err != nil {
			return "", fmt.Errorf("bad bulk header %q", line)
		}
		if i == 0 {
			b, err := rd.Peek(size + 2)
			if err != nil {
				return "", err
			}
			if string(b[:size]) == "message" { // no allocation on the hot path
				first = "message"
			} else {
				first = string(b[:size])
			}
		}
		if _, err := rd.Discard(size + 2); err != nil {
			return "", err
		}
	}
	return first, nil
}

// publishCommand is n PUBLISH commands of a size-byte payload, encoded once.
func publishCommand(channel string, size, n int) []byte {
	payload := make([]byte, size)
	for i := range payload {
		payload[i] = 'a' + byte(i%26)
	}
	one := command("PUBLISH", channel, string(payload))
	out := make([]byte, 0, len(one)*n)
	for range n {
		out = append(out, one...)
	}
	return out
}

// command encodes args as a RESP array of bulk strings.
func command(args ...string) []byte {
	b := []byte("*" + strconv.Itoa(len(args)) + "\r\n")
	for _, a := range args {
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(len(a)), 10)
		b = append(b, '\r', '\n')
		b = append(b, a...)
		b = append(b, '\r', '\n')
	}
	return b
}
