#!/usr/bin/env bash
# snapshot.sh: BGSAVE in Petrel (forkless versioned cut) against a real
# redis-server (fork + copy-on-write), on the same dataset in the same run.
#
# For each server: DEBUG POPULATE N small keys, then BGSAVE while
# redis-benchmark (SET/GET, no pipelining) runs against it, and report:
#   - BGSAVE duration (until INFO says rdb_bgsave_in_progress:0)
#   - extra memory: Petrel, peak RSS during the save minus RSS before;
#     Redis, the parent's RSS change, the child's peak RSS and INFO's
#     rdb_last_cow_size (copy-on-write the child saw)
#   - p99 and max latency of the concurrent benchmark during the save,
#     and the same benchmark without a save (baseline)
#   - load time of the file at start-up (log "DB loaded from disk") and
#     time until PING answers PONG
#
# Usage: bench/snapshot.sh [N]     (default N=10000000)
# Settings (environment):
#   VALUE=16                 value bytes of DEBUG POPULATE
#   PPORT=31104 RPORT=31004  ports
#   BENCH_CLIENTS=10         redis-benchmark connections
#   PETREL_BIN               use this binary instead of building one
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
N=${1:-10000000}
VALUE=${VALUE:-16}
PPORT=${PPORT:-31104}
RPORT=${RPORT:-31004}
BENCH_CLIENTS=${BENCH_CLIENTS:-10}
work=$(mktemp -d /tmp/snapshot-bench.XXXXXX)
trap 'for p in $(cat "$work"/*.pid 2>/dev/null); do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

if [[ -z "${PETREL_BIN:-}" ]]; then
	PETREL_BIN="$work/petrel-server"
	(cd "$root" && go build -o "$PETREL_BIN" ./cmd/petrel-server)
fi

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
now() { date +%s.%N; }
info_field() { redis-cli -p "$1" info persistence | tr -d '\r' | awk -F: -v k="$2" '$1 == k {print $2}'; }

# start NAME PORT DIR: starts a server, waits for PONG, writes NAME.pid.
start() {
	local name=$1 port=$2 dir=$3 bin
	if [[ $name == petrel ]]; then bin=$PETREL_BIN; else bin=redis-server; fi
	local t0; t0=$(now)
	"$bin" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
		--enable-debug-command yes --logfile "$dir/log" >/dev/null 2>&1 &
	echo $! >"$work/$name.pid"
	until [[ $(redis-cli -p "$port" ping 2>/dev/null) == PONG ]]; do sleep 0.01; done
	echo "$(now) - $t0" | bc
}

stop() {
	local pid; pid=$(cat "$work/$1.pid")
	redis-cli -p "$2" shutdown nosave >/dev/null 2>&1 || true
	while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
}

# bench PORT OUT: one redis-benchmark run, CSV; prints nothing.
bench() {
	redis-benchmark -p "$1" -t set,get -P 1 -c "$BENCH_CLIENTS" -n 200000 -r "$N" -d "$VALUE" --csv >>"$2" 2>/dev/null
}

# worst COLUMN FILE: the largest value of a CSV column over all rows.
worst() {
	awk -F'","' -v col="$1" 'NR > 0 && $1 !~ /test/ {gsub(/"/, "", $col); if ($col + 0 > m) m = $col + 0} END {printf "%.3f", m}' "$2"
}

run() {
	local name=$1 port=$2
	local dir="$work/$name"
	mkdir -p "$dir"
	start "$name" "$port" "$dir" >/dev/null
	local pid; pid=$(cat "$work/$name.pid")
	local t0; t0=$(now)
	redis-cli -p "$port" debug populate "$N" key "$VALUE" >/dev/null
	local fill; fill=$(echo "$(now) - $t0" | bc)
	sleep 1
	# Baseline latency, no save running.
	bench "$port" "$work/$name.base.csv"
	local before; before=$(rss_kb "$pid")
	# The save, with benchmarks running back to back until it ends.
	touch "$work/$name.saving"
	(while [[ -e "$work/$name.saving" ]]; do bench "$port" "$work/$name.save.csv"; done) &
	local loader=$!
	sleep 0.2
	t0=$(now)
	redis-cli -p "$port" bgsave >/dev/null
	local peak=$before childpeak=0
	while [[ $(info_field "$port" rdb_bgsave_in_progress) != 0 ]]; do
		local r; r=$(rss_kb "$pid")
		((r > peak)) && peak=$r
		for c in $(pgrep -P "$pid" 2>/dev/null); do
			local cr; cr=$(rss_kb "$c")
			((cr > childpeak)) && childpeak=$cr
		done
		sleep 0.02
	done
	local dur; dur=$(echo "$(now) - $t0" | bc)
	rm -f "$work/$name.saving"
	wait "$loader" || true
	local status cow
	status=$(info_field "$port" rdb_last_bgsave_status)
	cow=$(info_field "$port" rdb_last_cow_size)
	local size; size=$(stat -c %s "$dir/dump.rdb")
	stop "$name" "$port"
	# Load at start-up.
	local up; up=$(start "$name" "$port" "$dir")
	local loaded; loaded=$(grep -o 'DB loaded from disk: [0-9.]* seconds' "$dir/log" | tail -1 | awk '{print $5}')
	local keys; keys=$(redis-cli -p "$port" dbsize)
	stop "$name" "$port"
	printf '%-7s keys=%s fill=%.2fs rdb=%dMB bgsave=%.2fs status=%s rss_before=%dMB peak_rss_delta=%dMB child_peak_rss=%dMB cow=%dMB\n' \
		"$name" "$keys" "$fill" $((size / 1048576)) "$dur" "$status" $((before / 1024)) $(((peak - before) / 1024)) \
		$((childpeak / 1024)) $((cow / 1048576))
	printf '%-7s latency ms: baseline p99=%s max=%s | during BGSAVE p99=%s max=%s | load=%ss (until PONG %.2fs)\n' \
		"$name" "$(worst 7 "$work/$name.base.csv")" "$(worst 8 "$work/$name.base.csv")" \
		"$(worst 7 "$work/$name.save.csv")" "$(worst 8 "$work/$name.save.csv")" "$loaded" "$up"
}

echo "N=$N value=${VALUE}B clients=$BENCH_CLIENTS"
run petrel "$PPORT"
run redis "$RPORT"
