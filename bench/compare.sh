#!/usr/bin/env bash
# compare.sh: throughput and latency of Petrel against a real redis-server,
# measured with redis-benchmark under identical workloads.
#
# Both servers run side by side on loopback; every (test, pipeline) cell is
# run against each of them in turn, alternating which goes first from round to
# round, so slow drift of a shared machine hits both alike. The table reports
# the median over the rounds. Quote the ratios, not the absolute numbers.
#
# Settings (environment):
#   TESTS="set,get,incr,mset,lpush,lpop,sadd,hset,zadd,lrange_100,zrange_100"
#                              tests, comma separated: redis-benchmark -t
#                              names, and the script's own lrange_100 and
#                              zrange_100 (see below)
#   CMDS=""                    extra custom commands, ';' separated, e.g.
#                              CMDS='ZADD zs __rand_int__ m:__rand_int__'
#   PIPELINES="1 16"           -P values
#   ROUNDS=3                   rounds per cell (median reported)
#   N=100000                   requests per run at -P 1
#   N_PIPELINED=$((N*10))      requests per run at -P > 1
#   CLIENTS=50  DATASIZE=64  KEYSPACE=1000000
#   PETREL_PORT, REDIS_PORT    ports (default: free ports found at start)
#   PETREL_BIN                 use this binary instead of building one
#   PETREL_ARGS, REDIS_ARGS    extra server arguments
#   PIN=1                      pin servers to CPU 0 and the benchmark to the
#                              others (taskset), to keep the client from
#                              stealing the server's core
#   FLUSH=1                    FLUSHALL both servers before each round
#   KEEP_RAW=dir               keep every CSV redis-benchmark printed there
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")

TESTS=${TESTS:-set,get,incr,mset,lpush,lpop,sadd,hset,zadd,lrange_100,zrange_100}
CMDS=${CMDS:-}
PIPELINES=${PIPELINES:-1 16}
ROUNDS=${ROUNDS:-3}
N=${N:-100000}
N_PIPELINED=${N_PIPELINED:-$((N * 10))}
CLIENTS=${CLIENTS:-50}
DATASIZE=${DATASIZE:-64}
KEYSPACE=${KEYSPACE:-1000000}
PIN=${PIN:-0}
FLUSH=${FLUSH:-0}

for tool in redis-server redis-benchmark redis-cli; do
	command -v "$tool" >/dev/null || { echo "compare.sh: $tool not found (apt-get install redis-server redis-tools)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/petrel-bench.XXXXXX)
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
	echo "compare.sh: $2 did not answer PING on port $1" >&2
	exit 1
}

server_pin="" client_pin=""
if [[ $PIN == 1 ]] && command -v taskset >/dev/null && (($(nproc) > 1)); then
	server_pin="taskset -c 0"
	client_pin="taskset -c 1-$(($(nproc) - 1))"
fi

if [[ -n ${PETREL_BIN:-} ]]; then
	petrel=$PETREL_BIN
else
	petrel=$work/petrel-server
	(cd "$root" && go build -o "$petrel" ./cmd/petrel-server)
fi

PETREL_PORT=${PETREL_PORT:-$(free_port $((20000 + RANDOM % 20000)))}
REDIS_PORT=${REDIS_PORT:-$(free_port $((PETREL_PORT + 1)))}

# Both run in the scratch directory, so nothing they write lands elsewhere.
# shellcheck disable=SC2086
(cd "$work" && exec $server_pin "$petrel" --port "$PETREL_PORT" --save '' --appendonly no \
	--dir "$work" ${PETREL_ARGS:-}) >"$work/petrel.log" 2>&1 &
petrel_pid=$!
# shellcheck disable=SC2086
(cd "$work" && exec $server_pin redis-server --port "$REDIS_PORT" --save '' --appendonly no \
	--dir "$work" ${REDIS_ARGS:-}) >"$work/redis.log" 2>&1 &
redis_pid=$!
wait_ready "$PETREL_PORT" petrel
wait_ready "$REDIS_PORT" redis-server

echo "petrel $(git -C "$root" describe --always --dirty 2>/dev/null) ($petrel) on :$PETREL_PORT, $(redis-server --version | cut -d' ' -f1-3) on :$REDIS_PORT" >&2
echo "clients=$CLIENTS datasize=$DATASIZE keyspace=$KEYSPACE n=$N n_pipelined=$N_PIPELINED rounds=$ROUNDS pin=$PIN nproc=$(nproc)" >&2

# The script's own tests: custom commands reading keys it fills on both
# servers before the first round (and after each FLUSH), reported under a
# name of their own. redis-benchmark has no ZRANGE test; its -t lrange_100
# is replaced by the same command on a list filled beforehand, because its
# run starts with an LPUSH warm-up whose CPU time would blur LRANGE's.
#   lrange_100  LRANGE of the first 100 elements of a 100-element list of
#               DATASIZE-byte values (redis-benchmark's LRANGE_100)
#   zrange_100  ZRANGE of a whole 100-member sorted set
#   evalsha_lock  EVALSHA of the lock-release script (GET, compare, DEL) on a
#               key that does not hold the token: one GET per call
#   evalsha_10  EVALSHA of a script running 10 commands (5 INCR, 5 GET) on
#               two declared keys
#   evalsha_bucket  EVALSHA of a token-bucket rate limiter (HMGET, arithmetic
#               on numbers from ARGV and the hash, HSET, EXPIRE, a table
#               reply) on one declared key
#   xadd        XADD of an entry of 3 small fields, with an automatic ID, to
#               one stream (redis-benchmark has no stream test)
#   xrange_10   XRANGE ... COUNT 10 from the start of a 100-entry stream of
#               such entries
own_test() { # name -> "label<TAB>command line"
	case $1 in
	lrange_100) printf 'LRANGE_100\tLRANGE bench:list 0 99\n' ;;
	zrange_100) printf 'ZRANGE_100\tZRANGE bench:zset 0 99\n' ;;
	evalsha_lock) printf 'EVALSHA_LOCK\tEVALSHA %s 1 bench:lock token\n' "$(sha1 "$LOCK_SCRIPT")" ;;
	evalsha_10) printf 'EVALSHA_10\tEVALSHA %s 2 bench:a bench:b\n' "$(sha1 "$TEN_SCRIPT")" ;;
	evalsha_bucket) printf 'EVALSHA_BUCKET\tEVALSHA %s 1 bench:bucket 10 100 1700000000 1\n' "$(sha1 "$BUCKET_SCRIPT")" ;;
	xadd) printf 'XADD\tXADD bench:xadd * field1 value1 field2 value2 field3 value3\n' ;;
	xrange_10) printf 'XRANGE_10\tXRANGE bench:stream - + COUNT 10\n' ;;
	*) return 1 ;;
	esac
}

LOCK_SCRIPT="if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"
TEN_SCRIPT="for i = 1, 5 do redis.call('INCR', KEYS[1]) redis.call('GET', KEYS[2]) end return 1"
# A token bucket: ARGV rate (tokens/s), capacity, now (s), tokens asked.
BUCKET_SCRIPT="local rate, capacity = tonumber(ARGV[1]), tonumber(ARGV[2])
local now, asked = tonumber(ARGV[3]), tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or capacity
local elapsed = math.max(0, now - (tonumber(state[2]) or 0))
tokens = math.min(capacity, tokens + elapsed * rate)
local allowed = tokens >= asked
if allowed then tokens = tokens - asked end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'ts', now)
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate * 2))
return {allowed and 1 or 0, tostring(tokens)}"
sha1() { printf '%s' "$1" | sha1sum | cut -d' ' -f1; }

# fill_keys port: (re)creates the keys of the script's own tests.
fill_keys() {
	local port=$1 value i
	value=$(head -c "$DATASIZE" /dev/zero | tr '\0' x)
	{
		echo "DEL bench:list bench:zset bench:stream"
		printf 'RPUSH bench:list'
		for i in $(seq 100); do printf ' %s' "$value"; done
		printf '\nZADD bench:zset'
		for i in $(seq 100); do printf ' %d member:%03d' "$i" "$i"; done
		echo
		for i in $(seq 100); do echo "XADD bench:stream * field1 value1 field2 value2 field3 value3"; done
	} | redis-cli -p "$port" >/dev/null
	redis-cli -p "$port" SCRIPT LOAD "$LOCK_SCRIPT" >/dev/null
	redis-cli -p "$port" SCRIPT LOAD "$TEN_SCRIPT" >/dev/null
	redis-cli -p "$port" SCRIPT LOAD "$BUCKET_SCRIPT" >/dev/null
	redis-cli -p "$port" SET bench:lock other >/dev/null
	[[ $(redis-cli -p "$port" llen bench:list):$(redis-cli -p "$port" zcard bench:zset):$(redis-cli -p "$port" xlen bench:stream) == 100:100:100 ]] ||
		{ echo "compare.sh: could not fill the benchmark keys on port $port" >&2; exit 1; }
}

# A unit of work is "t:<name>" (a -t test), "c:<command line>", or
# "o:<label>\t<command line>" (one of the script's own tests).
units=()
IFS=, read -ra ts <<<"$TESTS"
for t in "${ts[@]}"; do
	t=${t// /}
	[[ -z $t ]] && continue
	if own=$(own_test "$t"); then units+=("o:$own"); else units+=("t:$t"); fi
done
IFS=';' read -ra cs <<<"$CMDS"
for c in "${cs[@]}"; do [[ -n ${c// /} ]] && units+=("c:$c"); done

results=$work/results.tsv # server round pipeline test rps p50 p99 cpu_us_per_request
: >"$results"

clk_tck=$(getconf CLK_TCK)

# cpu_ticks prints the CPU time (user + system, all threads) a process has
# used so far, in clock ticks.
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# run_one server port pid pipeline unit round
run_one() {
	local server=$1 port=$2 pid=$3 p=$4 unit=$5 round=$6 n=$N
	((p > 1)) && n=$N_PIPELINED
	local args=(-p "$port" -c "$CLIENTS" -n "$n" -d "$DATASIZE" -r "$KEYSPACE" -P "$p" --csv)
	local out=$work/out.csv
	local ticks0 label="" line=${unit#?:}
	if [[ $unit == o:* ]]; then
		label=${line%%$'\t'*}
		line=${line#*$'\t'}
	fi
	ticks0=$(cpu_ticks "$pid")
	if [[ $unit == t:* ]]; then
		# shellcheck disable=SC2086
		$client_pin redis-benchmark "${args[@]}" -t "$line" >"$out" 2>"$work/bench.err" || true
	else
		local -a cmd
		read -ra cmd <<<"$line"
		# shellcheck disable=SC2086
		$client_pin redis-benchmark "${args[@]}" "${cmd[@]}" >"$out" 2>"$work/bench.err" || true
	fi
	if [[ -n ${KEEP_RAW:-} ]]; then
		mkdir -p "$KEEP_RAW"
		cp "$out" "$KEEP_RAW/$server-r$round-P$p-$(echo "${label:-$line}" | tr -c 'A-Za-z0-9_\n' '_').csv"
	fi
	local ticks=$(($(cpu_ticks "$pid") - ticks0))
	# Columns of redis-benchmark 7.0 --csv: test, rps, avg, min, p50, p95,
	# p99, max (latencies in ms). Locate them by header name all the same.
	# The server's CPU time is shared evenly between the rows of a run that
	# printed several (redis-benchmark -t lrange).
	awk -F'","' -v srv="$server" -v round="$round" -v p="$p" -v n="$n" -v ticks="$ticks" -v hz="$clk_tck" -v label="$label" '
		{ gsub(/^"|"$/, ""); row[NR] = $0 }
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
		END {
			for (r = 2; r <= NR; r++) {
				split(row[r], f, "\",\"")
				printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.2f\n", srv, round, p, label != "" ? label : f[col["test"]],
					f[col["rps"]], f[col["p50_latency_ms"]], f[col["p99_latency_ms"]], ticks / hz * 1e6 / n / (NR - 1)
			}
		}
	' "$out" >>"$results"
	# redis-benchmark stops at the first error reply and prints no row.
	if [[ $(wc -l <"$out") -lt 2 ]]; then
		echo "compare.sh: no result from $server for ${label:-$line} -P $p: $(grep -v '^WARNING' "$work/bench.err" | head -3)" >&2
	fi
}

for round in $(seq "$ROUNDS"); do
	if [[ $FLUSH == 1 || $round == 1 ]]; then
		if [[ $FLUSH == 1 ]]; then
			redis-cli -p "$PETREL_PORT" flushall >/dev/null
			redis-cli -p "$REDIS_PORT" flushall >/dev/null
		fi
		fill_keys "$PETREL_PORT"
		fill_keys "$REDIS_PORT"
	fi
	for unit in "${units[@]}"; do
		for p in $PIPELINES; do
			name=${unit#?:}
			echo "round $round/$ROUNDS: ${name%%$'\t'*} -P $p" >&2
			if ((round % 2)); then
				run_one petrel "$PETREL_PORT" "$petrel_pid" "$p" "$unit" "$round"
				run_one redis "$REDIS_PORT" "$redis_pid" "$p" "$unit" "$round"
			else
				run_one redis "$REDIS_PORT" "$redis_pid" "$p" "$unit" "$round"
				run_one petrel "$PETREL_PORT" "$petrel_pid" "$p" "$unit" "$round"
			fi
			kill -0 "$petrel_pid" 2>/dev/null || { echo "compare.sh: petrel died; log:" >&2; tail -20 "$work/petrel.log" >&2; exit 1; }
		done
	done
done

# Median per (server, test, pipeline), then one row per (test, pipeline) in
# the order the tests first appeared. The ratios are medians of per-round
# ratios: the two runs of a round are adjacent in time, so pairing them
# cancels most of the machine's drift.
awk -F'\t' '
	function median(list,   a, n, tmp, i, j) {
		n = split(list, a, " ")
		if (n == 0) return ""
		for (i = 2; i <= n; i++) { tmp = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > tmp; j--) a[j+1] = a[j]; a[j+1] = tmp }
		return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
	}
	{
		k = $4 SUBSEP $3
		if (!(k in seen)) { seen[k] = 1; order[++nk] = k }
		rps[$1, k] = rps[$1, k] " " $5
		p50[$1, k] = p50[$1, k] " " $6
		p99[$1, k] = p99[$1, k] " " $7
		cpu[$1, k] = cpu[$1, k] " " $8
		r_rps[$1, k, $2] = $5; r_p99[$1, k, $2] = $7; r_cpu[$1, k, $2] = $8; rounds[$2] = 1
	}
	function paired(arr, k,   r, list) {
		list = ""
		for (r in rounds)
			if ((("petrel", k, r) in arr) && (("redis", k, r) in arr) && arr["redis", k, r] > 0)
				list = list " " arr["petrel", k, r] / arr["redis", k, r]
		list = median(list)
		return list == "" ? "n/a" : sprintf("%.2f", list)
	}
	function med(arr, s, k,   m) { m = ((s, k) in arr) ? median(arr[s, k]) : ""; return m == "" ? "n/a" : m }
	function num(v) { return v == "n/a" ? v : sprintf("%.0f", v) }
	function f2(v) { return v == "n/a" ? v : sprintf("%.2f", v) }
	END {
		fmt = "%-20.20s %3s %10s %10s %6s %7s %7s %7s %7s %6s %7s %7s %6s\n"
		printf fmt, "test", "P", "petrel_rps", "redis_rps", "rps_x", "pet_p50", "red_p50", "pet_p99", "red_p99", "p99_x", "pet_cpu", "red_cpu", "cpu_x"
		for (i = 1; i <= nk; i++) {
			k = order[i]; split(k, kp, SUBSEP)
			printf fmt, kp[1], kp[2], num(med(rps, "petrel", k)), num(med(rps, "redis", k)), paired(r_rps, k),
				med(p50, "petrel", k), med(p50, "redis", k), med(p99, "petrel", k), med(p99, "redis", k), paired(r_p99, k),
				f2(med(cpu, "petrel", k)), f2(med(cpu, "redis", k)), paired(r_cpu, k)
		}
		print ""
		print "Medians over rounds; latencies in ms. rps_x = petrel/redis throughput (higher is better for petrel),"
		print "p99_x = petrel/redis p99 latency (lower is better); *_cpu = server CPU time (user+system) per request"
		print "in microseconds, cpu_x = petrel/redis (lower is better). Ratios are medians of the per-round ratios."
	}
' "$results"
