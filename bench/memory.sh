#!/usr/bin/env bash
# memory.sh: memory cost of string keys in Petrel and in a real redis-server.
#
# Loads the same KEYS string keys (SET key:%08d <VALSIZE bytes>) into a fresh
# instance of each with redis-cli --pipe, and compares the growth of the
# process's resident set (VmRSS) per key. INFO memory used_memory is shown
# where the server reports it. Both servers must end up with exactly KEYS keys.
#
# Settings (environment):
#   KEYS=1000000  VALSIZE=64
#   SETTLE=5                 seconds to wait after loading before the second
#                            RSS reading (Go's scavenger returns freed heap
#                            pages to the OS over time)
#   PETREL_PORT, REDIS_PORT  ports (default: free ports found at start)
#   PETREL_BIN               use this binary instead of building one
#   PETREL_ARGS, REDIS_ARGS  extra server arguments
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")

KEYS=${KEYS:-1000000}
VALSIZE=${VALSIZE:-64}
SETTLE=${SETTLE:-5}

for tool in redis-server redis-cli awk; do
	command -v "$tool" >/dev/null || { echo "memory.sh: $tool not found" >&2; exit 1; }
done

work=$(mktemp -d /tmp/petrel-mem.XXXXXX)
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
	echo "memory.sh: $2 did not answer PING on port $1" >&2
	exit 1
}

rss_bytes() { awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$1/status"; }

# used_memory prints INFO memory's used_memory, or nothing if the server
# does not report it.
used_memory() {
	redis-cli -p "$1" info memory 2>/dev/null | tr -d '\r' | awk -F: '$1 == "used_memory" { print $2 }'
}

if [[ -n ${PETREL_BIN:-} ]]; then
	petrel=$PETREL_BIN
else
	petrel=$work/petrel-server
	(cd "$root" && go build -o "$petrel" ./cmd/petrel-server)
fi

# Deterministic keys: every key distinct, so both servers must hold KEYS.
echo "generating $KEYS SET commands ($VALSIZE-byte values)..." >&2
awk -v n="$KEYS" -v vs="$VALSIZE" 'BEGIN {
	pad = sprintf("%*s", vs - 8, ""); gsub(/ /, "v", pad)
	for (i = 0; i < n; i++) {
		k = sprintf("key:%08d", i)
		v = vs >= 8 ? pad sprintf("%08d", i) : substr(sprintf("%08d", i), 1, vs)
		printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, length(v), v
	}
}' >"$work/load.resp"

PETREL_PORT=${PETREL_PORT:-$(free_port $((20000 + RANDOM % 20000)))}
REDIS_PORT=${REDIS_PORT:-$(free_port $((PETREL_PORT + 1)))}

# Both run in the scratch directory, so nothing they write lands elsewhere.
# shellcheck disable=SC2086
(cd "$work" && exec "$petrel" --port "$PETREL_PORT" --save '' --appendonly no --dir "$work" ${PETREL_ARGS:-}) >"$work/petrel.log" 2>&1 &
petrel_pid=$!
# shellcheck disable=SC2086
(cd "$work" && exec redis-server --port "$REDIS_PORT" --save '' --appendonly no --dir "$work" ${REDIS_ARGS:-}) >"$work/redis.log" 2>&1 &
redis_pid=$!
wait_ready "$PETREL_PORT" petrel
wait_ready "$REDIS_PORT" redis-server

declare -A rss0 rss1 rss2 um0 um1 dbsize secs
for server in petrel redis; do
	if [[ $server == petrel ]]; then port=$PETREL_PORT pid=$petrel_pid; else port=$REDIS_PORT pid=$redis_pid; fi
	rss0[$server]=$(rss_bytes "$pid")
	um0[$server]=$(used_memory "$port")
	echo "loading $server..." >&2
	start=$(date +%s.%N)
	redis-cli -p "$port" --pipe <"$work/load.resp" >"$work/pipe-$server.out" 2>&1 || {
		echo "memory.sh: redis-cli --pipe into $server failed:" >&2
		cat "$work/pipe-$server.out" >&2
		exit 1
	}
	secs[$server]=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	grep -q 'errors: 0,' "$work/pipe-$server.out" || { echo "memory.sh: $server replied with errors:" >&2; cat "$work/pipe-$server.out" >&2; }
	rss1[$server]=$(rss_bytes "$pid")
	um1[$server]=$(used_memory "$port")
	dbsize[$server]=$(redis-cli -p "$port" dbsize 2>&1)
done
sleep "$SETTLE"
for server in petrel redis; do
	if [[ $server == petrel ]]; then pid=$petrel_pid; else pid=$redis_pid; fi
	rss2[$server]=$(rss_bytes "$pid")
done

status=0
fmt="%-8s %10s %14s %14s %14s %16s %16s %18s %8s\n"
printf "$fmt" server dbsize rss_before rss_after rss_settled "rss/key(after)" "rss/key(settled)" used_memory/key load_s
for server in petrel redis; do
	per1=$(((rss1[$server] - rss0[$server]) / KEYS))
	per2=$(((rss2[$server] - rss0[$server]) / KEYS))
	perum=n/a
	[[ -n ${um0[$server]} && -n ${um1[$server]} ]] && perum=$(((um1[$server] - um0[$server]) / KEYS))
	printf "$fmt" "$server" "${dbsize[$server]}" "${rss0[$server]}" "${rss1[$server]}" "${rss2[$server]}" "$per1" "$per2" "$perum" "${secs[$server]}"
	if [[ ${dbsize[$server]} != "$KEYS" ]]; then
		echo "memory.sh: $server holds ${dbsize[$server]} keys, want $KEYS" >&2
		status=1
	fi
done
awk -v p1="${rss1[petrel]}" -v p0="${rss0[petrel]}" -v r1="${rss1[redis]}" -v r0="${rss0[redis]}" \
	-v p2="${rss2[petrel]}" -v r2="${rss2[redis]}" 'BEGIN {
	printf "\npetrel/redis RSS per key: %.2f right after loading, %.2f settled\n", (p1 - p0) / (r1 - r0), (p2 - p0) / (r2 - r0)
}'
echo "keys: key:%08d, values: $VALSIZE bytes; rss/key = (VmRSS after - VmRSS before) / $KEYS"
exit $status
