//go:build !linux

package procs

import "errors"

// Reader samples the processors this process may run on; only Linux has
// one.
type Reader struct{}

// NewReader reports that processor use cannot be sampled here.
func NewReader() (*Reader, error) {
	return nil, errors.New("procs: processor use is sampled only on Linux")
}

// CPUs is the number of processors the Reader looks at.
func (r *Reader) CPUs() int { return 0 }

// Read returns nothing: NewReader gives no Reader on this system.
func (r *Reader) Read() (Sample, error) { return Sample{}, errors.New("procs: no sampler") }
