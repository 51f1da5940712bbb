#!/usr/bin/env bash
# pubsub.sh: PUBLISH fan-out throughput of Petrel against a real
# redis-server, measured with tools/pubsubbench.
#
# Both servers run side by side on loopback; for every subscriber count the
# tool runs against each of them in turn, alternating which goes first from
# round to round, so slow drift of a shared machine hits both alike. The
# table reports medians over the rounds. Quote the ratios, not the absolute
# numbers.
#
# Settings (environment):
#   SUBSCRIBERS="1 10 100"   subscriber counts (one channel)
#   PUBLISHERS=4             publisher connections
#   PIPELINE=16              PUBLISH commands in flight per publisher
#   SIZE=64                  payload bytes
#   DURATION=3s              measured time per run (after a 0.5 s warm-up)
#   MAXLAG=10000             messages per subscriber publishers may run ahead
#   ROUNDS=3                 rounds per cell (median reported)
#   PETREL_PORT, REDIS_PORT  ports (default: free ports found at start)
#   PETREL_BIN               use this binary instead of building one
#   PETREL_ARGS, REDIS_ARGS  extra server arguments
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")

SUBSCRIBERS=${SUBSCRIBERS:-1 10 100}
PUBLISHERS=${PUBLISHERS:-4}
PIPELINE=${PIPELINE:-16}
SIZE=${SIZE:-64}
DURATION=${DURATION:-3s}
MAXLAG=${MAXLAG:-10000}
ROUNDS=${ROUNDS:-3}

for tool in redis-server redis-cli go; do
	command -v "$tool" >/dev/null || { echo "pubsub.sh: $tool not found" >&2; exit 1; }
done

work=$(mktemp -d /tmp/petrel-pubsubbench.XXXXXX)
petrel_pid="" redis_pid=""
cleanup() {
	[[ -n $petrel_pid ]] && kill "$petrel_pid" 2>/dev/null && wait "$petrel_pid" 2>/dev/null
	[[ -n $redis_pid ]] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port prints a TCP port nobody listens on, starting the search at $1.
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
	echo "pubsub.sh: $2 did not answer PING on port $1" >&2
	exit 1
}

if [[ -n ${PETREL_BIN:-} ]]; then
	petrel=$PETREL_BIN
else
	petrel=$work/petrel-server
	(cd "$root" && go build -o "$petrel" ./cmd/petrel-server)
fi
bench=$work/pubsubbench
(cd "$root" && go build -o "$bench" ./tools/pubsubbench)

PETREL_PORT=${PETREL_PORT:-$(free_port $((20000 + RANDOM % 20000)))}
REDIS_PORT=${REDIS_PORT:-$(free_port $((PETREL_PORT + 1)))}

# Both run in the scratch directory, so nothing they write lands elsewhere.
# shellcheck disable=SC2086
(cd "$work" && exec "$petrel" --port "$PETREL_PORT" --save '' --appendonly no ${PETREL_ARGS:-}) >"$work/petrel.log" 2>&1 &
petrel_pid=$!
# shellcheck disable=SC2086
(cd "$work" && exec redis-server --port "$REDIS_PORT" --save '' --appendonly no --dir "$work" ${REDIS_ARGS:-}) \
	>"$work/redis.log" 2>&1 &
redis_pid=$!
wait_ready "$PETREL_PORT" petrel
wait_ready "$REDIS_PORT" redis-server

echo "petrel $(git -C "$root" describe --always --dirty 2>/dev/null) on :$PETREL_PORT, $(redis-server --version | cut -d' ' -f1-3) on :$REDIS_PORT" >&2
echo "publishers=$PUBLISHERS pipeline=$PIPELINE size=$SIZE duration=$DURATION maxlag=$MAXLAG rounds=$ROUNDS nproc=$(nproc)" >&2

results=$work/results.tsv # server round subscribers published/s delivered/s cpu_us_per_delivered
clk_tck=$(getconf CLK_TCK)

# cpu_ticks prints the CPU time (user + system, all threads) a process has
# used so far, in clock ticks.
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
: >"$results"

# run_one server port pid subscribers round
run_one() {
	local server=$1 port=$2 pid=$3 n=$4 round=$5 out ticks0 ticks
	ticks0=$(cpu_ticks "$pid")
	if ! out=$("$bench" -addr "127.0.0.1:$port" -subscribers "$n" -publishers "$PUBLISHERS" \
		-pipeline "$PIPELINE" -size "$SIZE" -duration "$DURATION" -maxlag "$MAXLAG" 2>&1); then
		echo "pubsub.sh: $server, $n subscribers, round $round failed: $out" >&2
		return
	fi
	ticks=$(($(cpu_ticks "$pid") - ticks0))
	echo "$out" | awk -v srv="$server" -v round="$round" -v n="$n" -v ticks="$ticks" -v hz="$clk_tck" '
		{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
		END {
			cpu = v["delivered_total"] > 0 ? ticks / hz * 1e6 / v["delivered_total"] : 0
			printf "%s\t%s\t%s\t%s\t%s\t%.3f\n", srv, round, n, v["published/s"], v["delivered/s"], cpu
		}
	' >>"$results"
}

for round in $(seq "$ROUNDS"); do
	for n in $SUBSCRIBERS; do
		echo "round $round/$ROUNDS: $n subscribers" >&2
		if ((round % 2)); then
			run_one petrel "$PETREL_PORT" "$petrel_pid" "$n" "$round"
			run_one redis "$REDIS_PORT" "$redis_pid" "$n" "$round"
		else
			run_one redis "$REDIS_PORT" "$redis_pid" "$n" "$round"
			run_one petrel "$PETREL_PORT" "$petrel_pid" "$n" "$round"
		fi
		kill -0 "$petrel_pid" 2>/dev/null || { echo "pubsub.sh: petrel died; log:" >&2; tail -20 "$work/petrel.log" >&2; exit 1; }
	done
done

# Medians per (server, subscribers); the ratio is the median of per-round
# ratios, whose two runs are adjacent in time.
awk -F'\t' -v order="$SUBSCRIBERS" '
	function median(list,   a, n, tmp, i, j) {
		n = split(list, a, " ")
		if (n == 0) return ""
		for (i = 2; i <= n; i++) { tmp = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > tmp; j--) a[j+1] = a[j]; a[j+1] = tmp }
		return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
	}
	{
		pub[$1, $3] = pub[$1, $3] " " $4
		del[$1, $3] = del[$1, $3] " " $5
		cpu[$1, $3] = cpu[$1, $3] " " $6
		r_del[$1, $3, $2] = $5; r_cpu[$1, $3, $2] = $6; rounds[$2] = 1
	}
	function med(arr, s, n, f,   m) { m = ((s, n) in arr) ? median(arr[s, n]) : ""; return m == "" ? "n/a" : sprintf(f, m) }
	function ratio(arr, n,   r, list) {
		list = ""
		for (r in rounds)
			if ((("petrel", n, r) in arr) && (("redis", n, r) in arr) && arr["redis", n, r] > 0)
				list = list " " arr["petrel", n, r] / arr["redis", n, r]
		list = median(list)
		return list == "" ? "n/a" : sprintf("%.2f", list)
	}
	END {
		fmt = "%11s %13s %12s %14s %13s %8s %8s %8s %6s\n"
		printf fmt, "subscribers", "petrel_pub/s", "redis_pub/s", "petrel_deliv/s", "redis_deliv/s", "deliv_x", "pet_cpu", "red_cpu", "cpu_x"
		k = split(order, subs, " ")
		for (i = 1; i <= k; i++) {
			n = subs[i]
			printf fmt, n, med(pub, "petrel", n, "%.0f"), med(pub, "redis", n, "%.0f"), med(del, "petrel", n, "%.0f"),
				med(del, "redis", n, "%.0f"), ratio(r_del, n), med(cpu, "petrel", n, "%.3f"), med(cpu, "redis", n, "%.3f"), ratio(r_cpu, n)
		}
		print ""
		print "Medians over rounds. deliv/s = messages the subscribers received per second (all of them together),"
		print "pub/s = PUBLISH commands per second; deliv_x = petrel/redis delivered per second (higher is better"
		print "for petrel); *_cpu = server CPU time (user+system) per delivered message in microseconds, cpu_x ="
		print "petrel/redis (lower is better). Ratios are medians of the per-round ratios."
	}
' "$results"
