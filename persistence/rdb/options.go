package rdb

import "math"

// Limits are the encoding thresholds of the server a value is read into
// (Redis's hash-max-listpack-entries and friends): a decoded value takes
// the in-memory encoding Redis would give it under them. Writing uses
// ListMaxListpackSize to size quicklist nodes. (Streams keep the nodes
// they were written with, as in Redis.)
type Limits struct {
	ListMaxListpackSize    int // negative: -1..-5 select 4..64 KiB per node
	ListCompressDepth      int
	SetMaxIntsetEntries    int
	HashMaxListpackEntries int
	HashMaxListpackValue   int
	ZsetMaxListpackEntries int
	ZsetMaxListpackValue   int
}

// DefaultLimits are Redis 7.0's defaults.
var DefaultLimits = Limits{
	ListMaxListpackSize:    -2,
	SetMaxIntsetEntries:    512,
	HashMaxListpackEntries: 512,
	HashMaxListpackValue:   64,
	ZsetMaxListpackEntries: 128,
	ZsetMaxListpackValue:   64,
}

// Options tune reading and writing. The zero value (or nil) means Redis's
// defaults: no compression, shallow validation, DefaultLimits.
type Options struct {
	// Compress tries LZF on strings longer than 20 bytes, keeping the
	// compressed form when it saves at least 4 bytes (rdbcompression).
	Compress bool
	// Deep validates decoded values as Redis's sanitize-dump-payload does:
	// header counts, duplicate members or fields, intset order and the
	// order of field expiries. Without it, decoding still refuses anything
	// it cannot make sense of, but repairs what it can (it sorts an
	// unsorted intset and drops duplicates that Redis would keep).
	Deep bool
	// Limits are the encoding thresholds; a nil Limits means DefaultLimits.
	Limits *Limits
}

func (o *Options) limits() *Limits {
	if o == nil || o.Limits == nil {
		return &DefaultLimits
	}
	return o.Limits
}

func (o *Options) deep() bool { return o != nil && o.Deep }

func (o *Options) compress() bool { return o != nil && o.Compress }

// unlimited stands for "no threshold" where Redis applies none.
const unlimited = math.MaxInt
