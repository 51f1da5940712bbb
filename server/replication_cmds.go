package server

import (
	"math"
	"time"

	"petrel/internal/num"
	"petrel/resp"
)

// Replication commands as Redis answers them on a primary with no replicas,
// which is what a Petrel server is until replication lands: INFO's
// replication section says the same.

// cmdWait is WAIT numreplicas timeout. No replica acknowledges anything,
// so it replies 0 at once when that suffices (or blocking is not allowed),
// and otherwise after timeout milliseconds, or never for 0, as Redis does.
func cmdWait(x *Ctx) {
	wanted, ok := num.ParseInt(x.Args[1])
	if !ok {
		x.Error(ErrNotInt)
		return
	}
	timeout, ok := nonNegativeArg(x, x.Args[2], "ERR timeout is not an integer or out of range", "ERR timeout is negative")
	if !ok {
		return
	}
	const acked = 0
	if acked >= wanted || x.InExec() {
		x.W.WriteInt(acked)
		return
	}
	d := time.Duration(math.MaxInt64) // beyond Duration's range: for ever in practice
	if timeout < math.MaxInt64/int64(time.Millisecond) {
		d = time.Duration(timeout) * time.Millisecond
	}
	x.BlockUntil(d, func(w *resp.Writer) { w.WriteInt(acked) })
}

// cmdRole is ROLE: a primary at replication offset 0 with no replicas.
func cmdRole(x *Ctx) {
	x.W.WriteArrayLen(3)
	x.W.WriteBulkString("master")
	x.W.WriteInt(0)
	x.W.WriteArrayLen(0)
}
