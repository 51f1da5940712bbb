package scripting

import (
	"encoding/binary"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"petrel/persistence/rdb"
)

// FUNCTION DUMP's payload is what an RDB file holds for the libraries:
// one FUNCTION2 record per library (the opcode, then the library's code
// as an RDB string), followed by DUMP's footer: the RDB version (10, as
// Redis 7.0 writes) and the CRC-64 of everything before it.

// RestorePolicy is FUNCTION RESTORE's policy.
type RestorePolicy int

// FUNCTION RESTORE policies.
const (
	RestoreAppend RestorePolicy = iota // the default
	RestoreReplace
	RestoreFlush
)

// ParseRestorePolicy reads FUNCTION RESTORE's policy argument.
func ParseRestorePolicy(arg []byte) (RestorePolicy, *Error) {
	switch s := string(arg); {
	case strings.EqualFold(s, "append"):
		return RestoreAppend, nil
	case strings.EqualFold(s, "replace"):
		return RestoreReplace, nil
	case strings.EqualFold(s, "flush"):
		return RestoreFlush, nil
	}
	return 0, errf(ErrRestorePolicy)
}

// Dump returns FUNCTION DUMP's payload. compress is rdbcompression: codes
// longer than 20 bytes are LZF-compressed when that saves space, as Redis
// does by default.
func (l *Libraries) Dump(compress bool) []byte {
	w := rdb.NewWriter(nil, &rdb.Options{Compress: compress})
	l.WriteRDB(w)
	w.WriteRaw([]byte{byte(rdb.Version), byte(rdb.Version >> 8)})
	crc := w.Sum()
	return binary.LittleEndian.AppendUint64(w.Bytes(), crc)
}

// WriteRDB writes a FUNCTION2 record for every library, as an RDB file
// holds them before its databases.
func (l *Libraries) WriteRDB(w *rdb.Writer) { WriteFunctionRecords(w, l.Codes()) }

// WriteFunctionRecords writes a FUNCTION2 record for each library code
// (from Codes, taken at a snapshot's moment).
func WriteFunctionRecords(w *rdb.Writer, codes []string) {
	for _, code := range codes {
		w.WriteByte(rdb.OpFunction2)
		w.WriteString([]byte(code))
	}
}

// Restore is FUNCTION RESTORE: it creates every library of a FUNCTION
// DUMP payload, then registers them by policy: FLUSH replaces all the
// libraries, APPEND fails on a library name already registered, REPLACE
// replaces such libraries. Nothing changes when it fails. (The server
// replies +OK.)
func (l *Libraries) Restore(payload []byte, policy RestorePolicy) *Error {
	if _, _, err := rdb.CheckDump(payload, rdb.Version); err != nil {
		return errf(ErrBadPayload)
	}
	st := l.e.get()
	defer l.e.put(st)
	tmp := newLibSet()
	var kept []libCallbacks
	// Like Redis, read records up to the footer, from the whole payload:
	// a record may run into the footer's bytes.
	r := rdb.NewBytesReader(payload, nil)
	end := int64(len(payload) - 10)
	for r.Offset() < end {
		code, err := readFunctionRecord(r)
		if err != nil {
			return err
		}
		lib, cbs, err := l.create(st, code, func(name string) bool { return tmp.libs[name] != nil })
		if err != nil {
			return err
		}
		if err := tmp.conflict(lib); err != nil {
			return err
		}
		tmp.link(lib)
		kept = append(kept, libCallbacks{lib, cbs})
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if policy == RestoreFlush {
		l.swap(tmp)
	} else if err := l.join(tmp, policy == RestoreReplace); err != nil {
		return err
	}
	for _, k := range kept {
		st.keepCallbacks(k.lib, k.cbs)
	}
	return nil
}

type libCallbacks struct {
	lib *Library
	cbs map[string]*lua.LFunction
}

// readFunctionRecord reads one record of a FUNCTION DUMP payload and
// returns the library code it holds. Besides FUNCTION2, it reads the
// format of Redis 7.0's release candidates (name, engine, optional
// description, then the code without its first line).
func readFunctionRecord(r *rdb.Reader) (string, *Error) {
	t, err := r.ReadByte()
	if err != nil {
		return "", errf("ERR can not read data type")
	}
	switch t {
	case rdb.OpFunction2:
		code, err := r.ReadString()
		if err != nil {
			return "", errf("ERR Failed loading library payload")
		}
		return string(code), nil
	case rdb.OpFunctionPre:
		name, err := r.ReadString()
		if err != nil {
			return "", errf("ERR Failed loading library name")
		}
		n := string(name)
		engine, err := r.ReadString()
		if err != nil {
			return "", errf("ERR Failed loading engine name")
		}
		e := string(engine)
		hasDesc, err := r.ReadLen()
		if err != nil {
			return "", errf("ERR Failed loading library description indicator")
		}
		if hasDesc != 0 {
			if _, err := r.ReadString(); err != nil {
				return "", errf("ERR Failed loading library description")
			}
		}
		blob, err := r.ReadString()
		if err != nil {
			return "", errf("ERR Failed loading library blob")
		}
		return "#!" + e + " name=" + n + "\n" + string(blob), nil
	}
	return "", errf("ERR given type is not a function")
}

// join registers src's libraries in l: a library name already registered
// is an error, or replaced with replace; then no function of src may
// clash with one registered. l.mu must be held.
func (l *Libraries) join(src libSet, replace bool) *Error {
	var replaced []*Library
	undo := func() {
		for _, old := range replaced {
			l.set.link(old)
		}
	}
	libs := src.sorted()
	for _, lib := range libs {
		old := l.set.libs[lib.Name]
		if old == nil {
			continue
		}
		if !replace {
			undo()
			return errf("ERR Library " + lib.Name + " already exists")
		}
		l.set.unlink(old)
		replaced = append(replaced, old)
	}
	for _, lib := range libs {
		if err := l.set.conflict(lib); err != nil {
			undo()
			return err
		}
	}
	for _, lib := range libs {
		l.set.link(lib)
	}
	if len(replaced) > 0 {
		for _, old := range replaced {
			old.dead.Store(true)
		}
		l.gen.Add(1)
	}
	return nil
}
