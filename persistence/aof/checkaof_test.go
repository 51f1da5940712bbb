package aof

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// checkAOF runs redis-check-aof (from redis-tools) on path, skipping the
// test when it is not installed.
func checkAOF(t *testing.T, path string) (string, bool) {
	t.Helper()
	bin, err := exec.LookPath("redis-check-aof")
	if err != nil {
		t.Skip("redis-check-aof not found in PATH (install redis-tools to run this check)")
	}
	out, err := exec.Command(bin, path).CombinedOutput()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return string(out), err == nil
}

// TestRedisCheckAOFAcceptsEncodedDir writes a multi-part AOF with this
// package only (manifest, a base from RewriteRDB, an incremental file with
// SELECTs, annotations and a transaction) and has redis-check-aof verify
// it.
func TestRedisCheckAOFAcceptsEncodedDir(t *testing.T) {
	const name = "appendonly.aof"
	dir := t.TempDir()
	m := &Manifest{}
	base := m.NewBase(name, false)
	incr := m.AddIncr(name)

	rdbFile, err := os.Open("testdata/rewrite-base.rdb")
	if err != nil {
		t.Fatal(err)
	}
	defer rdbFile.Close()
	baseData := bytes.NewBuffer(AppendTimestamp(nil, 1795641995))
	if err := RewriteRDB(baseData, rdbFile, nil); err != nil {
		t.Fatal(err)
	}

	var inc []byte
	inc = AppendTimestamp(inc, 1795642001)
	inc = AppendSelect(inc, 0)
	inc = AppendCommandStrings(inc, "set", "k", "v")
	inc = AppendSelect(inc, 3)
	inc = AppendCommandStrings(inc, "MULTI")
	inc = AppendCommandStrings(inc, "rpush", "l", "a\r\nb", "")
	inc = AppendCommandStrings(inc, "PEXPIREAT", "l", "4102444800000")
	inc = AppendCommandStrings(inc, "EXEC")
	inc = AppendTimestamp(inc, 1795642002)
	inc = AppendCommand(inc, [][]byte{[]byte("set"), []byte("big"), bytes.Repeat([]byte("B"), 5000)})

	for _, f := range []struct {
		name string
		data []byte
	}{{base.Name, baseData.Bytes()}, {incr.Name, inc}, {ManifestName(name), m.Encode()}} {
		if err := os.WriteFile(filepath.Join(dir, f.name), f.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, ok := checkAOF(t, filepath.Join(dir, ManifestName(name)))
	if !ok || !strings.Contains(out, "All AOF files and manifest are valid") {
		t.Fatalf("redis-check-aof refused the AOF:\n%s", out)
	}
}

// TestRedisCheckAOFAgreesOnTruncation cuts a valid file at many lengths
// and checks that redis-check-aof's "ok_up_to" is where the Reader says the
// file is good up to, but for trailing annotations.
func TestRedisCheckAOFAgreesOnTruncation(t *testing.T) {
	var full []byte
	full = AppendSelect(full, 0)
	full = AppendCommandStrings(full, "set", "a", "1")
	full = AppendTimestamp(full, 1795642001)
	full = AppendCommandStrings(full, "rpush", "list", "x", "yy")
	okUpTo := regexp.MustCompile(`ok_up_to=(\d+)`)
	dir := t.TempDir()
	for n := 1; n < len(full); n += 3 {
		path := filepath.Join(dir, "cut-"+strconv.Itoa(n)+".aof")
		if err := os.WriteFile(path, full[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		out, _ := checkAOF(t, path)
		mm := okUpTo.FindStringSubmatch(out)
		if mm == nil {
			t.Fatalf("cut at %d: no ok_up_to in:\n%s", n, out)
		}
		_, off, err := readAll(full[:n])
		var te *TruncatedError
		switch {
		case errors.As(err, &te):
			off = te.Offset
		case err != nil && err.Error() != "EOF":
			t.Fatalf("cut at %d: %v", n, err)
		}
		checked, _ := strconv.ParseInt(mm[1], 10, 64)
		// redis-check-aof also counts the annotations after the last
		// command (even a partial one) as good; the server's loader, which
		// the Reader follows, truncates right after the last command.
		if checked != off && !(checked > off && full[off] == '#' && bytes.Count(full[off:checked], []byte("#")) == 1) {
			t.Errorf("cut at %d: redis-check-aof ok_up_to=%d, Reader %d (%v)", n, checked, off, err)
		}
	}
}
