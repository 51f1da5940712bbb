package server

import "sync/atomic"

// EncodingLimits are the thresholds at which small collections leave their
// compact encodings, read from the configuration (hash-max-listpack-entries
// and friends). Commands read them on every write, so the server keeps a
// copy that CONFIG SET replaces instead of taking the config lock.
type EncodingLimits struct {
	HashMaxListpackEntries int
	HashMaxListpackValue   int
	ListMaxListpackSize    int // negative: -1..-5 select 4..64 KiB per node
	ListCompressDepth      int
	SetMaxIntsetEntries    int
	SetMaxListpackEntries  int
	SetMaxListpackValue    int
	ZsetMaxListpackEntries int
	ZsetMaxListpackValue   int
	HllSparseMaxBytes      int64 // hll-sparse-max-bytes (hll.go)
	StreamNodeMaxBytes     int64 // stream-node-max-bytes (stream.go)
	StreamNodeMaxEntries   int64 // stream-node-max-entries (stream.go)
}

type encodingLimitsHolder struct {
	p atomic.Pointer[EncodingLimits]
}

// Limits returns the encoding thresholds in force.
func (x *Ctx) Limits() *EncodingLimits { return x.s.encodingLimits() }

func (s *Server) encodingLimits() *EncodingLimits {
	if l := s.encLimits.p.Load(); l != nil {
		return l
	}
	s.refreshEncodingLimits()
	return s.encLimits.p.Load()
}

// refreshEncodingLimits copies the thresholds from the configuration; the
// caller may hold the config's read lock.
func (s *Server) refreshEncodingLimits() {
	c := s.cfg
	l := &EncodingLimits{
		HashMaxListpackEntries: int(c.HashMaxListpackEntries),
		HashMaxListpackValue:   int(c.HashMaxListpackValue),
		ListMaxListpackSize:    int(c.ListMaxListpackSize),
		ListCompressDepth:      int(c.ListCompressDepth),
		SetMaxIntsetEntries:    int(c.SetMaxIntsetEntries),
		SetMaxListpackEntries:  128,
		SetMaxListpackValue:    64,
		ZsetMaxListpackEntries: int(c.ZsetMaxListpackEntries),
		ZsetMaxListpackValue:   int(c.ZsetMaxListpackValue),
		HllSparseMaxBytes:      c.HllSparseMaxBytes,
		StreamNodeMaxBytes:     c.StreamNodeMaxBytes,
		StreamNodeMaxEntries:   c.StreamNodeMaxEntries,
	}
	s.encLimits.p.Store(l)
}
