// Package rdb reads and writes Redis's RDB serialization: the value
// encodings that RDB files, DUMP payloads and AOF preambles share, so that
// data moves both ways between Redis and Petrel.
//
// The building blocks are separately usable: Writer streams RDB data to an
// io.Writer (or accumulates it, for DUMP) and keeps a running CRC-64;
// Reader reads it back from an io.Reader or a byte slice. On top of them,
// Writer.WriteObject and Reader.ReadObject encode and decode one value
// with its type byte, and AppendDump and ParseDump wrap a value in the
// DUMP payload format.
//
// Values are written in the encodings Redis 7.0 (RDB version 10) writes,
// chosen from Petrel's in-memory encoding as Redis chooses from its own:
// quicklist 2 with listpack nodes for lists, intset or plain sets, listpack
// or binary-score skiplist sorted sets, listpack or plain hashes, stream
// listpacks (version 2) for streams, and Redis 7.4's formats (RDB version
// 12) for hashes with field expiries. Reading accepts every value encoding
// up to RDB version 12, including the ziplist, zipmap and linked-list forms
// of older versions; module values are refused.
//
// Decoding never trusts its input: every length is checked against what
// remains before anything is allocated for it, structures are walked with
// bounds checks, and corrupt input yields an error wrapping ErrCorrupt,
// never a panic. Options.Deep adds the checks Redis's
// sanitize-dump-payload makes: element counts in headers, duplicates, the
// ordering rules of intsets and of listpacks with field expiries.
package rdb

import (
	"errors"
	"fmt"
)

// Type is an RDB value type byte.
type Type byte

// Value types, as Redis's rdb.h numbers them.
const (
	TypeString            Type = 0
	TypeList              Type = 1 // linked list (RDB < 7)
	TypeSet               Type = 2
	TypeZset              Type = 3 // scores as strings (RDB < 8)
	TypeHash              Type = 4
	TypeZset2             Type = 5 // binary scores
	TypeModulePreGA       Type = 6
	TypeModule2           Type = 7
	TypeHashZipmap        Type = 9
	TypeListZiplist       Type = 10
	TypeSetIntset         Type = 11
	TypeZsetZiplist       Type = 12
	TypeHashZiplist       Type = 13
	TypeListQuicklist     Type = 14 // ziplist nodes
	TypeStreamListpacks   Type = 15
	TypeHashListpack      Type = 16
	TypeZsetListpack      Type = 17
	TypeListQuicklist2    Type = 18 // listpack nodes
	TypeStreamListpacks2  Type = 19
	TypeSetListpack       Type = 20 // Redis 7.2
	TypeStreamListpacks3  Type = 21
	TypeHashMetadataPreGA Type = 22 // Redis 7.4 release candidates
	TypeHashListpackExPre Type = 23 // Redis 7.4 release candidates
	TypeHashMetadata      Type = 24 // Redis 7.4: hash table with field expiries
	TypeHashListpackEx    Type = 25 // Redis 7.4: listpack with field expiries
)

// IsObjectType reports whether t is a value type byte, as opposed to an
// opcode or an unknown byte (Redis's rdbIsObjectType).
func (t Type) IsObjectType() bool { return t <= 7 || (t >= 9 && t <= 25) }

// Opcodes that may appear in an RDB file where a type byte is expected.
const (
	OpSlotInfo     = 244
	OpFunction2    = 245
	OpFunctionPre  = 246
	OpModuleAux    = 247
	OpIdle         = 248
	OpFreq         = 249
	OpAux          = 250
	OpResizeDB     = 251
	OpExpireTimeMS = 252
	OpExpireTime   = 253
	OpSelectDB     = 254
	OpEOF          = 255
)

// Version is the RDB version Petrel writes: Redis 7.0's, the oldest Redis
// it interoperates with, which refuses anything newer.
const Version = 10

// VersionHashFieldExpiry is the version of values Redis 7.0 cannot read:
// hashes with field expiries, whose types came with Redis 7.4.
const VersionHashFieldExpiry = 12

// MaxVersion is the newest RDB version Petrel reads (Redis 7.4's).
const MaxVersion = 12

// ErrCorrupt is wrapped by every error that reports malformed input.
var ErrCorrupt = errors.New("rdb: corrupt data")

func corrupt(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, a...))
}
