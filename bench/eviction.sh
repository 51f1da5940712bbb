#!/usr/bin/env bash
# eviction.sh: quality of maxmemory eviction in Petrel against a real
# redis-server, measured with tools/evictbench.
#
# Part 1, for every policy in POLICIES: a cache-aside trace (GET a
# Zipf-distributed key, SET it on a miss) over a keyspace about 3x larger
# than MAXMEMORY holds, on a fresh server of each kind with the same
# maxmemory and policy, Petrel and Redis alternating. Both get the same
# trace (same seed). The hit ratio says how well eviction kept the hot keys.
#
# Part 2: a sustained write load past the cap (SETs of new keys only,
# FILL_FACTOR x MAXMEMORY worth of values) on a fresh server of each kind
# under FILL_POLICY: peak and final RSS relative to maxmemory.
#
# Settings (environment):
#   MAXMEMORY=64mb           maxmemory of both servers (b, kb, mb, gb as Redis)
#   POLICIES="allkeys-lru allkeys-lfu allkeys-random"
#   VALUE=1024               value bytes
#   KEYS                     keyspace of the trace (default 3 x MAXMEMORY / VALUE)
#   REQUESTS=1000000         GETs per trace
#   ZIPF=0.99                Zipf exponent of key popularity
#   CLIENTS=50               connections of the trace
#   SEED=1                   trace seed
#   ROUNDS=1                 traces per (policy, server); the median is reported
#   FILL_FACTOR=3            part 2 writes FILL_FACTOR x MAXMEMORY / VALUE new keys
#   FILL_POLICY=allkeys-lru  policy of part 2
#   FILL_CLIENTS=8 FILL_PIPELINE=16
#   SETTLE=3s                wait after the write load before the final RSS
#   PETREL_BIN               use this binary instead of building one
#   PETREL_ARGS, REDIS_ARGS  extra server arguments
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")

MAXMEMORY=${MAXMEMORY:-64mb}
POLICIES=${POLICIES:-allkeys-lru allkeys-lfu allkeys-random}
VALUE=${VALUE:-1024}
REQUESTS=${REQUESTS:-1000000}
ZIPF=${ZIPF:-0.99}
CLIENTS=${CLIENTS:-50}
SEED=${SEED:-1}
ROUNDS=${ROUNDS:-1}
FILL_FACTOR=${FILL_FACTOR:-3}
FILL_POLICY=${FILL_POLICY:-allkeys-lru}
FILL_CLIENTS=${FILL_CLIENTS:-8}
FILL_PIPELINE=${FILL_PIPELINE:-16}
SETTLE=${SETTLE:-3s}

for tool in redis-server redis-cli go awk; do
	command -v "$tool" >/dev/null || { echo "eviction.sh: $tool not found" >&2; exit 1; }
done

# bytes converts a Redis memory figure (64mb, 1gb, 100000) to bytes.
bytes() {
	awk -v s="$1" 'BEGIN {
		s = tolower(s); n = s + 0; u = s; sub(/^[0-9]+/, "", u)
		m["" ] = 1; m["b"] = 1; m["k"] = 1000; m["kb"] = 1024; m["m"] = 1000000; m["mb"] = 1048576
		m["g"] = 1000000000; m["gb"] = 1073741824
		if (!(u in m)) { print "bad memory figure " s > "/dev/stderr"; exit 1 }
		printf "%d\n", n * m[u]
	}'
}
maxbytes=$(bytes "$MAXMEMORY")
KEYS=${KEYS:-$((3 * maxbytes / VALUE))}
fill_requests=$((FILL_FACTOR * maxbytes / VALUE))

work=$(mktemp -d /tmp/petrel-evictbench.XXXXXX)
server_pid=""
stop_server() {
	if [[ -n $server_pid ]]; then
		kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
		server_pid=""
	fi
	return 0
}
cleanup() {
	stop_server
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port prints a TCP port nobody listens on, starting the search at $1
# (kept clear of 7000-7110, used by hand-run servers).
free_port() {
	local p=$1
	while ((p >= 7000 && p <= 7110)) || (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
	echo "$p"
}

wait_ready() { # port name
	local i
	for i in $(seq 100); do
		[[ $(redis-cli -p "$1" ping 2>/dev/null) == PONG ]] && return 0
		sleep 0.1
	done
	echo "eviction.sh: $2 did not answer PING on port $1" >&2
	tail -20 "$work/$2.log" >&2
	exit 1
}

if [[ -n ${PETREL_BIN:-} ]]; then
	petrel=$PETREL_BIN
else
	petrel=$work/petrel-server
	(cd "$root" && go build -o "$petrel" ./cmd/petrel-server)
fi
bench=$work/evictbench
(cd "$root" && go build -o "$bench" ./tools/evictbench)

# start_server name policy: a fresh server of that kind on a free port;
# sets port and server_pid.
start_server() {
	local name=$1 policy=$2
	port=$(free_port $((20000 + RANDOM % 20000)))
	rm -rf "$work/dir" && mkdir "$work/dir"
	if [[ $name == petrel ]]; then
		# shellcheck disable=SC2086
		(cd "$work/dir" && exec "$petrel" --port "$port" --save '' --appendonly no \
			--maxmemory "$MAXMEMORY" --maxmemory-policy "$policy" ${PETREL_ARGS:-}) >"$work/$name.log" 2>&1 &
	else
		# shellcheck disable=SC2086
		(cd "$work/dir" && exec redis-server --port "$port" --save '' --appendonly no --dir "$work/dir" \
			--maxmemory "$MAXMEMORY" --maxmemory-policy "$policy" ${REDIS_ARGS:-}) >"$work/$name.log" 2>&1 &
	fi
	server_pid=$!
	wait_ready "$port" "$name"
}

# run_bench name policy tag args...: one evictbench run on a fresh server,
# its output line appended to $work/results with "server= policy= tag=".
run_bench() {
	local name=$1 policy=$2 tag=$3 out
	shift 3
	start_server "$name" "$policy"
	if ! out=$("$bench" -addr "127.0.0.1:$port" -pid "$server_pid" "$@" 2>"$work/bench.err"); then
		echo "eviction.sh: $name $policy $tag failed:" >&2
		cat "$work/bench.err" >&2
		stop_server
		exit 1
	fi
	[[ -s $work/bench.err ]] && sed "s/^/  $name: /" "$work/bench.err" >&2
	kill -0 "$server_pid" 2>/dev/null || { echo "eviction.sh: $name died; log:" >&2; tail -20 "$work/$name.log" >&2; exit 1; }
	stop_server
	echo "server=$name policy=$policy tag=$tag $out" >>"$work/results"
}

echo "petrel $(git -C "$root" describe --always --dirty 2>/dev/null) vs $(redis-server --version | cut -d' ' -f1-3); nproc=$(nproc)" >&2
echo "maxmemory=$MAXMEMORY ($maxbytes bytes) value=$VALUE keys=$KEYS requests=$REQUESTS zipf=$ZIPF clients=$CLIENTS seed=$SEED rounds=$ROUNDS" >&2
: >"$work/results"
for policy in $POLICIES; do
	for round in $(seq "$ROUNDS"); do
		order="petrel redis"
		((round % 2)) || order="redis petrel"
		for name in $order; do
			echo "trace: $policy, round $round/$ROUNDS, $name" >&2
			run_bench "$name" "$policy" trace -mode trace -keys "$KEYS" -requests "$REQUESTS" \
				-zipf "$ZIPF" -value "$VALUE" -clients "$CLIENTS" -seed "$SEED"
		done
	done
done
for name in petrel redis; do
	echo "write load: $FILL_POLICY, $fill_requests SETs, $name" >&2
	run_bench "$name" "$FILL_POLICY" fill -mode fill -requests "$fill_requests" -value "$VALUE" \
		-clients "$FILL_CLIENTS" -pipeline "$FILL_PIPELINE" -settle "$SETTLE"
done

awk -v max="$maxbytes" -v policies="$POLICIES" -v fillpol="$FILL_POLICY" -v fillreq="$fill_requests" '
	function med(key,    n, i, j, t, a) {
		n = split(vals[key], a, " ")
		if (n == 0) return "n/a"
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	function x(p, r) { return r + 0 > 0 ? sprintf("%.3f", p / r) : "n/a" }
	{
		delete v
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		k = v["tag"] SUBSEP v["policy"] SUBSEP v["server"]
		vals[k SUBSEP "hit"] = vals[k SUBSEP "hit"] " " v["hit_ratio"]
		vals[k SUBSEP "hit2"] = vals[k SUBSEP "hit2"] " " v["hit_ratio_2nd_half"]
		vals[k SUBSEP "evicted"] = vals[k SUBSEP "evicted"] " " v["evicted_keys"]
		vals[k SUBSEP "dbsize"] = vals[k SUBSEP "dbsize"] " " v["dbsize"]
		vals[k SUBSEP "rss"] = vals[k SUBSEP "rss"] " " v["rss"] / max
		vals[k SUBSEP "peak"] = vals[k SUBSEP "peak"] " " v["peak_rss"] / max
		vals[k SUBSEP "settled"] = vals[k SUBSEP "settled"] " " v["rss_settled"] / max
		vals[k SUBSEP "used"] = vals[k SUBSEP "used"] " " v["used_memory"] / max
		vals[k SUBSEP "ops"] = vals[k SUBSEP "ops"] " " v["ops/s"]
		vals[k SUBSEP "errors"] = vals[k SUBSEP "errors"] " " v["errors"]
		vals[k SUBSEP "cpu"] = vals[k SUBSEP "cpu"] " " v["cpu_us/op"]
	}
	END {
		print "\ncache-aside trace (hit = whole trace, hit2 = its second half; rss = RSS/maxmemory at the end;"
		print "cpu = server CPU microseconds per command; _p petrel, _r redis, _x petrel/redis)"
		f = "%-15s %7s %7s %7s %7s %7s %7s %9s %9s %7s %7s %6s %6s %6s %8s %8s %6s %6s %6s %6s\n"
		printf f, "policy", "hit_p", "hit_r", "hit_x", "hit2_p", "hit2_r", "hit2_x", "evict_p", "evict_r", "keys_p", "keys_r", "rss_p", "rss_r", "rss_x", "ops_p", "ops_r", "ops_x", "cpu_p", "cpu_r", "cpu_x"
		n = split(policies, pols, " ")
		for (i = 1; i <= n; i++) {
			P = "trace" SUBSEP pols[i] SUBSEP "petrel"; R = "trace" SUBSEP pols[i] SUBSEP "redis"
			hp = med(P SUBSEP "hit"); hr = med(R SUBSEP "hit"); h2p = med(P SUBSEP "hit2"); h2r = med(R SUBSEP "hit2")
			rp = med(P SUBSEP "rss"); rr = med(R SUBSEP "rss"); op = med(P SUBSEP "ops"); orr = med(R SUBSEP "ops")
			cp = med(P SUBSEP "cpu"); cr = med(R SUBSEP "cpu")
			printf f, pols[i], sprintf("%.4f", hp), sprintf("%.4f", hr), x(hp, hr), sprintf("%.4f", h2p), sprintf("%.4f", h2r), x(h2p, h2r),
				med(P SUBSEP "evicted"), med(R SUBSEP "evicted"), med(P SUBSEP "dbsize"), med(R SUBSEP "dbsize"),
				sprintf("%.2f", rp), sprintf("%.2f", rr), x(rp, rr), sprintf("%.0f", op), sprintf("%.0f", orr), x(op, orr),
				sprintf("%.2f", cp), sprintf("%.2f", cr), x(cp, cr)
		}
		printf "\nwrite load past the cap: %s, %d SETs of new keys (RSS and used_memory relative to maxmemory)\n", fillpol, fillreq
		g = "%-8s %9s %9s %8s %9s %8s %10s %9s %9s %12s\n"
		printf g, "server", "sets/s", "cpu_us/op", "errors", "evicted", "keys", "used/max", "peak_rss", "end_rss", "settled_rss"
		for (s = 1; s <= 2; s++) {
			name = s == 1 ? "petrel" : "redis"
			K = "fill" SUBSEP fillpol SUBSEP name
			printf g, name, sprintf("%.0f", med(K SUBSEP "ops")), sprintf("%.2f", med(K SUBSEP "cpu")), med(K SUBSEP "errors"), med(K SUBSEP "evicted"), med(K SUBSEP "dbsize"),
				sprintf("%.3f", med(K SUBSEP "used")), sprintf("%.2f", med(K SUBSEP "peak")), sprintf("%.2f", med(K SUBSEP "rss")), sprintf("%.2f", med(K SUBSEP "settled"))
		}
	}
' "$work/results"
echo
echo "raw results:"
cat "$work/results"
