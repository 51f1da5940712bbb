package rdb

import (
	"encoding/binary"
	"errors"
)

// A DUMP payload is a value as an RDB file holds it (type byte, then the
// value), followed by a 10-byte footer: the RDB version, 2 bytes little
// endian, and the CRC-64 of everything before the checksum, 8 bytes little
// endian.

const dumpFooterSize = 10

// ErrDumpFooter reports a DUMP payload whose version is too new or whose
// checksum is wrong (or that is too short to have a footer).
var ErrDumpFooter = errors.New("rdb: DUMP payload version or checksum are wrong")

// AppendDump appends o's DUMP payload to dst. Its version is the oldest
// that has o's encoding: 10 (Redis 7.0) except for hashes with field
// expiries.
func AppendDump(dst []byte, o Object, opts *Options) ([]byte, error) {
	t, version, err := ObjectType(o)
	if err != nil {
		return dst, err
	}
	w := NewAppendWriter(dst, opts)
	w.WriteType(t)
	if err := w.WriteValue(t, o); err != nil {
		return dst, err
	}
	w.WriteRaw([]byte{byte(version), byte(version >> 8)})
	crc := w.Sum()
	return binary.LittleEndian.AppendUint64(w.Bytes(), crc), nil
}

// CheckDump verifies a DUMP payload's footer, as Redis's RESTORE does
// before anything else: the version must be at most maxVersion and the
// checksum right. It returns the payload without its footer, and the
// version.
func CheckDump(p []byte, maxVersion int) (body []byte, version int, err error) {
	if len(p) < dumpFooterSize {
		return nil, 0, ErrDumpFooter
	}
	footer := p[len(p)-dumpFooterSize:]
	version = int(binary.LittleEndian.Uint16(footer))
	if version > maxVersion {
		return nil, version, ErrDumpFooter
	}
	if CRC64(0, p[:len(p)-8]) != binary.LittleEndian.Uint64(footer[2:]) {
		return nil, version, ErrDumpFooter
	}
	return p[:len(p)-dumpFooterSize], version, nil
}

// ParseDump verifies a DUMP payload (versions up to MaxVersion) and
// decodes its value. Errors are ErrDumpFooter or wrap ErrCorrupt. Like
// Redis, it ignores anything between the value and the footer.
func ParseDump(p []byte, opts *Options) (Object, error) {
	body, _, err := CheckDump(p, MaxVersion)
	if err != nil {
		return Object{}, err
	}
	o, _, err := NewBytesReader(body, opts).ReadObject()
	return o, err
}
