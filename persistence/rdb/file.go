package rdb

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
)

// Key is one key read from an RDB file.
type Key struct {
	DB       int
	Key      []byte
	Value    Object
	ExpireAt int64 // unix milliseconds, 0 for none
	// Idle and Freq carry the LRU idle seconds or the LFU counter when the
	// file has them (-1 when absent).
	Idle int64
	Freq int
}

// FileHandler receives what ReadFile finds. Aux and Resize may be nil.
type FileHandler struct {
	Aux    func(key, value []byte) error
	Resize func(db int, keys, expires uint64) error
	Key    func(k *Key) error
	// Function receives FUNCTION2 records (a library's code); nil refuses
	// files that have them.
	Function func(code []byte) error
}

// ReadFile reads a whole RDB file: the magic and version (up to
// MaxVersion), auxiliary fields, databases and their keys, and the EOF
// marker, verifying the CRC-64 trailer when the file has one (a zero
// trailer means the writer had rdbchecksum off). r must be a Reader on the
// file from its first byte.
func ReadFile(r *Reader, h FileHandler) (version int, err error) {
	r.StartChecksum()
	magic, err := r.ReadRaw(9)
	if err != nil {
		return 0, err
	}
	if !bytes.HasPrefix(magic, []byte("REDIS")) {
		return 0, corrupt("wrong signature trying to load DB from file")
	}
	version, err = strconv.Atoi(string(magic[5:]))
	if err != nil || version < 1 || version > MaxVersion {
		return 0, fmt.Errorf("rdb: can't handle RDB format version %s", magic[5:])
	}
	db := 0
	k := Key{Idle: -1, Freq: -1}
	for {
		t, err := r.ReadType()
		if err != nil {
			return version, err
		}
		switch t {
		case OpExpireTime:
			raw, err := r.ReadRaw(4)
			if err != nil {
				return version, err
			}
			k.ExpireAt = int64(binary.LittleEndian.Uint32(raw)) * 1000
			continue
		case OpExpireTimeMS:
			if k.ExpireAt, err = r.ReadMillis(); err != nil {
				return version, err
			}
			continue
		case OpIdle:
			n, err := r.ReadLen()
			if err != nil {
				return version, err
			}
			k.Idle = int64(n)
			continue
		case OpFreq:
			b, err := r.ReadByte()
			if err != nil {
				return version, err
			}
			k.Freq = int(b)
			continue
		case OpSelectDB:
			n, err := r.ReadLen()
			if err != nil {
				return version, err
			}
			db = int(n)
			continue
		case OpResizeDB:
			keys, err := r.ReadLen()
			if err != nil {
				return version, err
			}
			expires, err := r.ReadLen()
			if err != nil {
				return version, err
			}
			if h.Resize != nil {
				if err := h.Resize(db, keys, expires); err != nil {
					return version, err
				}
			}
			continue
		case OpSlotInfo:
			for i := 0; i < 3; i++ { // slot id, slot size, expires slot size
				if _, err := r.ReadLen(); err != nil {
					return version, err
				}
			}
			continue
		case OpAux:
			key, err := r.ReadString()
			if err != nil {
				return version, err
			}
			key = bytes.Clone(key)
			val, err := r.ReadString()
			if err != nil {
				return version, err
			}
			if h.Aux != nil {
				if err := h.Aux(key, val); err != nil {
					return version, err
				}
			}
			continue
		case OpFunction2:
			code, err := r.ReadString()
			if err != nil {
				return version, err
			}
			if h.Function == nil {
				return version, corrupt("the file has functions, which Petrel cannot load yet")
			}
			if err := h.Function(code); err != nil {
				return version, err
			}
			continue
		case OpFunctionPre, OpModuleAux:
			return version, corrupt("unsupported RDB opcode %d", t)
		case OpEOF:
			if version >= 5 {
				want := r.Checksum()
				raw, err := r.ReadRaw(8)
				if err != nil {
					return version, err
				}
				if got := binary.LittleEndian.Uint64(raw); got != 0 && got != want {
					return version, corrupt("wrong RDB checksum")
				}
			}
			return version, nil
		}
		if !t.IsObjectType() {
			return version, corrupt("unknown RDB type %d", t)
		}
		key, err := r.ReadString()
		if err != nil {
			return version, err
		}
		k.Key = bytes.Clone(key)
		if k.Value, err = r.ReadValue(t); err != nil {
			return version, fmt.Errorf("rdb: key %q: %w", k.Key, err)
		}
		if k.Value.Str != nil {
			k.Value.Str = bytes.Clone(k.Value.Str) // it may alias the read buffer
		}
		k.DB = db
		if err := h.Key(&k); err != nil {
			return version, err
		}
		k = Key{Idle: -1, Freq: -1}
	}
}
