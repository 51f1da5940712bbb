// Package aof implements the file formats of Redis 7's multi-part
// append-only file, as written and accepted by Redis 7.0.15.
//
// A multi-part AOF lives in a directory (appenddirname) and consists of:
//
//   - the manifest, <appendfilename>.manifest, naming the other files, one
//     per line: "file <name> seq <n> type <b|h|i>" (see [Manifest]);
//   - one base file, <appendfilename>.<seq>.base.rdb (an RDB snapshot, with
//     aof-use-rdb-preamble yes) or <appendfilename>.<seq>.base.aof (AOF
//     commands); an RDB base may be followed by AOF commands;
//   - the incremental files <appendfilename>.<seq>.incr.aof, oldest first,
//     holding the commands executed since the base was written;
//   - history files (type h): files a rewrite made obsolete, listed only
//     until they are deleted.
//
// Loading replays the base, then every incremental file in order. A rewrite
// opens a new incremental file (so writes continue there), writes a new
// base with the next base sequence number, and then turns the old base and
// the older incremental files into history, which is deleted.
//
// AOF files hold commands in the RESP multibulk form ([AppendCommand]),
// with an explicit SELECT whenever the database changes ([AppendSelect]),
// MULTI/EXEC around transactions, and optional "#TS:<unix seconds>"
// annotation lines ([AppendTimestamp], aof-timestamp-enabled). [Reader]
// reads them back one command at a time with Redis's loader rules,
// separating a clean end, a truncated tail ([ErrTruncated], which
// aof-load-truncated may repair) and corruption ([ErrBadFormat]).
//
// [RewriteRDB] turns an RDB snapshot into the commands of an AOF base file
// (aof-use-rdb-preamble no).
package aof
