#!/usr/bin/env bash
# lazyfree.sh: what deleting one huge set costs the other clients, in Petrel
# and in a real redis-server, with lazyfree-lazy-user-del off and on.
#
# For each server and setting: load a set of MEMBERS members, start a
# redis-benchmark of GET on another key in the background, DEL the set in the
# middle of it, and report how long the DEL took and the benchmark's p99 and
# maximum latency. Quote ratios; the machines are shared.
#
# Settings (environment): MEMBERS=10000000, N=400000 (benchmark requests),
# PETREL_BIN (default: build ./cmd/petrel-server).
set -euo pipefail
cd "$(dirname "$0")/.."
MEMBERS=${MEMBERS:-10000000}
N=${N:-400000}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
if [ -z "${PETREL_BIN:-}" ]; then
	go build -o "$work/petrel" ./cmd/petrel-server
	PETREL_BIN="$work/petrel"
fi
freeport() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# one SADD of 1000 members per line, in RESP, for redis-cli --pipe
python3 - "$MEMBERS" > "$work/load.resp" <<'PY'
import sys
n=int(sys.argv[1]); out=sys.stdout.buffer
for start in range(0,n,1000):
    m=[b"m%d"%i for i in range(start,min(n,start+1000))]
    parts=[b"SADD",b"big"]+m
    out.write(b"*%d\r\n"%len(parts)+b"".join(b"$%d\r\n%s\r\n"%(len(p),p) for p in parts))
PY

run() { # name lazy
	local name=$1 lazy=$2 port
	port=$(freeport)
	if [ "$name" = petrel ]; then
		"$PETREL_BIN" --port "$port" --save '' --lazyfree-lazy-user-del "$lazy" >"$work/$name.log" 2>&1 &
	else
		redis-server --port "$port" --save '' --appendonly no --lazyfree-lazy-user-del "$lazy" >"$work/$name.log" 2>&1 &
	fi
	local pid=$!
	for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
	redis-cli -p "$port" --pipe < "$work/load.resp" >/dev/null
	redis-cli -p "$port" set k v >/dev/null
	local card; card=$(redis-cli -p "$port" scard big)
	redis-benchmark -p "$port" -t get -n "$N" -c 20 -P 1 --csv > "$work/bench.csv" 2>/dev/null &
	local bp=$!
	sleep 1
	local t0 t1; t0=$(date +%s%N)
	redis-cli -p "$port" del big >/dev/null
	t1=$(date +%s%N)
	wait $bp
	# "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
	local p99 max
	p99=$(tail -1 "$work/bench.csv" | tr -d '"' | cut -d, -f7)
	max=$(tail -1 "$work/bench.csv" | tr -d '"' | cut -d, -f8)
	printf "%-7s lazyfree=%-3s members=%-9s del_ms=%-8s get_p99_ms=%-7s get_max_ms=%s\n" \
		"$name" "$lazy" "$card" $(( (t1 - t0) / 1000000 )) "$p99" "$max"
	kill "$pid"; wait "$pid" 2>/dev/null || true
}
for lazy in no yes; do
	run petrel "$lazy"
	run redis "$lazy"
done
