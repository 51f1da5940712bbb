#!/usr/bin/env bash
# aof.sh: SET throughput with the append-only file on, Petrel against
# redis-server in the same run (compare.sh, alternating), for each
# appendfsync policy. Each server logs into its own directory under
# compare.sh's work directory.
#
# Settings (environment): POLICIES="everysec always no", and compare.sh's
# (TESTS defaults to set here, PIPELINES to "1 16", ROUNDS to 3).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for policy in ${POLICIES:-everysec always}; do
	echo "=== appendonly yes, appendfsync $policy"
	TESTS=${TESTS:-set} \
		PETREL_ARGS="--appendonly yes --appendfsync $policy --appenddirname petrel-aof ${PETREL_ARGS:-}" \
		REDIS_ARGS="--appendonly yes --appendfsync $policy --appenddirname redis-aof ${REDIS_ARGS:-}" \
		"$here/compare.sh"
done
