package server

import "petrel/internal/num"

// nonNegativeArg parses an integer argument that must not be negative,
// replying notInt when it is not an integer and negative when it is below
// zero: the two checks, each with its own Redis error text, that many
// commands make in this order.
func nonNegativeArg(x *Ctx, arg []byte, notInt, negative string) (int64, bool) {
	n, ok := num.ParseInt(arg)
	if !ok {
		x.Error(notInt)
		return 0, false
	}
	if n < 0 {
		x.Error(negative)
		return 0, false
	}
	return n, true
}
