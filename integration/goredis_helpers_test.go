package integration

import (
	"context"
	"fmt"
	"os/exec"
	"reflect"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"petrel/integration/harness"
)

// The end-to-end tests assert exact results against Petrel. Each also runs
// against the reference redis-server when it is installed, which proves
// the expectations themselves are Redis's.

// target starts one kind of server with the given arguments.
type target struct {
	name  string
	start func(t *testing.T, args ...string) *harness.Server
}

var targets = []target{
	{"petrel", func(t *testing.T, args ...string) *harness.Server { return harness.StartPetrel(t, args...) }},
	{"redis", func(t *testing.T, args ...string) *harness.Server { return harness.StartRedis(t, args...) }},
}

// forEachServer runs fn as a subtest against Petrel and against the
// reference redis-server (skipped when it is not installed).
func forEachServer(t *testing.T, args []string, fn func(t *testing.T, srv *harness.Server)) {
	t.Helper()
	for _, tg := range targets {
		tg := tg
		t.Run(tg.name, func(t *testing.T) {
			if tg.name == "redis" {
				if _, err := exec.LookPath("redis-server"); err != nil {
					harness.Missing(t, "redis-server not installed: reference run skipped (the petrel run is unaffected); "+
						"install redis-server (apt-get install redis-server redis-tools) or run .ci/run")
				}
			}
			fn(t, tg.start(t, args...))
		})
	}
}

// forEachServerAndProtocol runs fn with a go-redis client speaking RESP2
// and RESP3 to Petrel and to the reference, each time on a fresh server.
func forEachServerAndProtocol(t *testing.T, fn func(t *testing.T, srv *harness.Server, rdb *redis.Client)) {
	t.Helper()
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("resp%d", proto), func(t *testing.T) {
			forEachServer(t, nil, func(t *testing.T, srv *harness.Server) {
				fn(t, srv, newGoRedis(t, srv, proto))
			})
		})
	}
}

// newGoRedis returns a go-redis client in the given protocol. It connects
// the way applications do: HELLO, then CLIENT SETINFO (Redis 7.0 rejects
// SETINFO and go-redis ignores that error).
func newGoRedis(t testing.TB, srv *harness.Server, proto int, opts ...func(*redis.Options)) *redis.Client {
	o := &redis.Options{
		Addr:         srv.Addr,
		Protocol:     proto,
		DialTimeout:  5 * time.Second,
		ReadTimeout:  10 * time.Second,
		WriteTimeout: 10 * time.Second,
		MaxRetries:   -1, // a retried command would hide a dropped connection
	}
	for _, f := range opts {
		f(o)
	}
	c := redis.NewClient(o)
	t.Cleanup(func() { c.Close() })
	return c
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// eq fails the test when got differs from want.
func eq[T any](t testing.TB, what string, got T, err error, want T) {
	t.Helper()
	if err != nil {
		t.Errorf("%s: error %v, want %#v", what, err, want)
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

// isErr fails the test unless err is a server error with exactly msg.
func isErr(t testing.TB, what string, err error, msg string) {
	t.Helper()
	if err == nil || err.Error() != msg {
		t.Errorf("%s: error %v, want %q", what, err, msg)
	}
}
