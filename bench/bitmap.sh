#!/usr/bin/env bash
# bitmap.sh: BITCOUNT and BITOP over big bitmaps, Petrel against a real
# redis-server.
#
# Both servers get the same two bitmaps of SIZE_MB MiB (default 64): a SETBIT
# at the last bit allocates each one, then SETRANGE fills it with random bytes
# in CHUNK_MB pieces; a third one, all ones, is made with BITOP NOT. Every test then runs with redis-benchmark (one client,
# one command at a time) against each server in turn, alternating which goes
# first from round to round. The table reports the median time per command
# and the Petrel/Redis ratio of the per-round times (lower is better for
# Petrel). Quote the ratios, not the absolute numbers.
#
# Settings (environment):
#   SIZE_MB=64        size of each bitmap in MiB (at most 512)
#   CHUNK_MB=4        SETRANGE piece size while filling them
#   ROUNDS=5          rounds per test (median reported)
#   N=20              commands per run
#   TESTS="bitcount,bitcount-range,bitpos,bitop-and,bitop-or"
#   PETREL_PORT, REDIS_PORT    ports (default: free ports found at start)
#   PETREL_BIN        use this binary instead of building one
#   PETREL_ARGS, REDIS_ARGS    extra server arguments
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")

SIZE_MB=${SIZE_MB:-64}
CHUNK_MB=${CHUNK_MB:-4}
ROUNDS=${ROUNDS:-5}
N=${N:-20}
TESTS=${TESTS:-bitcount,bitcount-range,bitpos,bitop-and,bitop-or}

for tool in redis-server redis-benchmark redis-cli; do
	command -v "$tool" >/dev/null || { echo "bitmap.sh: $tool not found (apt-get install redis-server redis-tools)" >&2; exit 1; }
done
if ((SIZE_MB < 1 || SIZE_MB > 512 || CHUNK_MB < 1 || SIZE_MB % CHUNK_MB != 0)); then
	echo "bitmap.sh: SIZE_MB must be 1..512 and a multiple of CHUNK_MB" >&2
	exit 1
fi

work=$(mktemp -d /tmp/petrel-bitmap-bench.XXXXXX)
petrel_pid="" redis_pid=""
cleanup() {
	[[ -n $petrel_pid ]] && kill "$petrel_pid" 2>/dev/null && wait "$petrel_pid" 2>/dev/null
	[[ -n $redis_pid ]] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
	local p=$1
	while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
	echo "$p"
}

wait_ready() { # port name
	local i
	for i in $(seq 100); do
		[[ $(redis-cli -p "$1" ping 2>/dev/null) == PONG ]] && return 0
		sleep 0.1
	done
	echo "bitmap.sh: $2 did not answer PING on port $1" >&2
	exit 1
}

if [[ -n ${PETREL_BIN:-} ]]; then
	petrel=$PETREL_BIN
else
	petrel=$work/petrel-server
	(cd "$root" && go build -o "$petrel" ./cmd/petrel-server)
fi

PETREL_PORT=${PETREL_PORT:-$(free_port $((20000 + RANDOM % 20000)))}
REDIS_PORT=${REDIS_PORT:-$(free_port $((PETREL_PORT + 1)))}

# shellcheck disable=SC2086
(cd "$work" && exec "$petrel" --port "$PETREL_PORT" --save '' --appendonly no --dir "$work" ${PETREL_ARGS:-}) >"$work/petrel.log" 2>&1 &
petrel_pid=$!
# shellcheck disable=SC2086
(cd "$work" && exec redis-server --port "$REDIS_PORT" --save '' --appendonly no --dir "$work" ${REDIS_ARGS:-}) >"$work/redis.log" 2>&1 &
redis_pid=$!
wait_ready "$PETREL_PORT" petrel
wait_ready "$REDIS_PORT" redis-server

echo "petrel $(git -C "$root" describe --always --dirty 2>/dev/null) ($petrel) on :$PETREL_PORT, $(redis-server --version | cut -d' ' -f1-3) on :$REDIS_PORT" >&2
echo "size=${SIZE_MB}MiB x2 rounds=$ROUNDS n=$N nproc=$(nproc)" >&2

# Both bitmaps get the same random bytes on both servers.
last_bit=$((SIZE_MB * 1024 * 1024 * 8 - 1))
chunk=$((CHUNK_MB * 1024 * 1024))
head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom >"$work/bm1.bin"
head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom >"$work/bm2.bin"
for port in "$PETREL_PORT" "$REDIS_PORT"; do
	for key in bm1 bm2; do
		redis-cli -p "$port" setbit "$key" "$last_bit" 1 >/dev/null
		for ((off = 0; off < SIZE_MB * 1024 * 1024; off += chunk)); do
			dd if="$work/$key.bin" bs="$chunk" skip=$((off / chunk)) count=1 status=none |
				redis-cli -p "$port" -x setrange "$key" "$off" >/dev/null
		done
	done
done
# An all-ones bitmap, where BITPOS for a clear bit scans to the end.
for port in "$PETREL_PORT" "$REDIS_PORT"; do
	redis-cli -p "$port" setbit zeros "$last_bit" 0 >/dev/null
	redis-cli -p "$port" bitop not ones zeros >/dev/null
	redis-cli -p "$port" del zeros >/dev/null
done
for key in bm1 bm2; do
	p=$(redis-cli -p "$PETREL_PORT" bitcount "$key")
	r=$(redis-cli -p "$REDIS_PORT" bitcount "$key")
	if [[ $p != "$r" ]]; then
		echo "bitmap.sh: the servers disagree on BITCOUNT $key: petrel $p, redis $r" >&2
		exit 1
	fi
done
echo "built: BITCOUNT bm1 = $(redis-cli -p "$REDIS_PORT" bitcount bm1) on both" >&2

# command_for test prints the command line a test runs.
command_for() {
	case $1 in
	bitcount) echo "BITCOUNT bm1" ;;
	bitcount-range) echo "BITCOUNT bm1 3 -3 BIT" ;;
	bitpos) echo "BITPOS ones 0" ;;
	bitop-and) echo "BITOP AND dst bm1 bm2" ;;
	bitop-or) echo "BITOP OR dst bm1 bm2" ;;
	*) echo "bitmap.sh: unknown test $1" >&2; exit 1 ;;
	esac
}

cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
clk_tck=$(getconf CLK_TCK)

results=$work/results.tsv # server round test ms_per_command cpu_ms_per_command
: >"$results"

# run_one server port pid test round
run_one() {
	local server=$1 port=$2 pid=$3 test=$4 round=$5 ticks0 ticks
	local -a cmd
	read -ra cmd <<<"$(command_for "$test")"
	ticks0=$(cpu_ticks "$pid")
	redis-benchmark -p "$port" -c 1 -n "$N" --csv "${cmd[@]}" >"$work/out.csv" 2>"$work/bench.err" || true
	ticks=$(($(cpu_ticks "$pid") - ticks0))
	awk -F'","' -v srv="$server" -v round="$round" -v test="$test" -v n="$N" -v ticks="$ticks" -v hz="$clk_tck" '
		{ gsub(/^"|"$/, "") }
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		NR == 2 && $col["rps"] > 0 { printf "%s\t%s\t%s\t%.3f\t%.3f\n", srv, round, test, 1000 / $col["rps"], ticks / hz * 1000 / n }
	' "$work/out.csv" >>"$results"
	if [[ $(wc -l <"$work/out.csv") -lt 2 ]]; then
		echo "bitmap.sh: no result from $server for $test: $(grep -v '^WARNING' "$work/bench.err" | head -3)" >&2
	fi
}

IFS=, read -ra tests <<<"$TESTS"
for round in $(seq "$ROUNDS"); do
	for test in "${tests[@]}"; do
		echo "round $round/$ROUNDS: $test" >&2
		if ((round % 2)); then
			run_one petrel "$PETREL_PORT" "$petrel_pid" "$test" "$round"
			run_one redis "$REDIS_PORT" "$redis_pid" "$test" "$round"
		else
			run_one redis "$REDIS_PORT" "$redis_pid" "$test" "$round"
			run_one petrel "$PETREL_PORT" "$petrel_pid" "$test" "$round"
		fi
		kill -0 "$petrel_pid" 2>/dev/null || { echo "bitmap.sh: petrel died; log:" >&2; tail -20 "$work/petrel.log" >&2; exit 1; }
	done
done

awk -F'\t' '
	function median(list,   a, n, tmp, i, j) {
		n = split(list, a, " ")
		if (n == 0) return ""
		for (i = 2; i <= n; i++) { tmp = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > tmp; j--) a[j+1] = a[j]; a[j+1] = tmp }
		return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
	}
	{
		if (!($3 in seen)) { seen[$3] = 1; order[++nt] = $3 }
		ms[$1, $3] = ms[$1, $3] " " $4; cpu[$1, $3] = cpu[$1, $3] " " $5
		r_ms[$1, $3, $2] = $4; r_cpu[$1, $3, $2] = $5; rounds[$2] = 1
	}
	function paired(arr, t,   r, list) {
		list = ""
		for (r in rounds)
			if ((("petrel", t, r) in arr) && (("redis", t, r) in arr) && arr["redis", t, r] > 0)
				list = list " " arr["petrel", t, r] / arr["redis", t, r]
		list = median(list)
		return list == "" ? "n/a" : sprintf("%.2f", list)
	}
	function med(arr, s, t,   m) { m = ((s, t) in arr) ? median(arr[s, t]) : ""; return m == "" ? "n/a" : sprintf("%.2f", m) }
	END {
		fmt = "%-16s %10s %10s %7s %10s %10s %7s\n"
		printf fmt, "test", "petrel_ms", "redis_ms", "ms_x", "pet_cpu", "red_cpu", "cpu_x"
		for (i = 1; i <= nt; i++) {
			t = order[i]
			printf fmt, t, med(ms, "petrel", t), med(ms, "redis", t), paired(r_ms, t),
				med(cpu, "petrel", t), med(cpu, "redis", t), paired(r_cpu, t)
		}
		print ""
		print "Medians over rounds of the time per command (ms, one client, so latency) and of the server CPU"
		print "time per command (ms, user+system); *_x = petrel/redis, lower is better for petrel. Ratios are"
		print "medians of the per-round ratios."
	}
' "$results"
