package types

// Value is implemented by every non-string value the keyspace holds (the
// store keeps strings inline, so they need no Value).
type Value interface {
	// Type is the name TYPE reports: "list", "set", "zset", "hash" or
	// "stream".
	Type() string
	// Encoding is the name OBJECT ENCODING reports for the value's current
	// representation, such as "listpack" or "hashtable".
	Encoding() string
	// Copy returns a deep copy that shares no mutable state with the
	// original, for COPY.
	Copy() Value
}
