package server

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"testing"
)

// Replies captured from Redis 7.0.15. Subcommands are in the order recorded
// in commandmeta.json, which is the order that Redis run listed them in.
var redisCommandReplies = []struct {
	proto int
	cmd   []string
	want  string
}{
	{2, []string{"command", "info", "get", "set", "mset", "client|kill", "config"},
		"*5\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n" +
			"+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n" +
			"*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n" +
			"*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n" +
			":1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n*10\r\n$3\r\nset\r\n:-3\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n" +
			":1\r\n:1\r\n*3\r\n+@write\r\n+@string\r\n+@slow\r\n*0\r\n*1\r\n*8\r\n$5\r\nnotes\r\n$48\r\n" +
			"RW and ACCESS due to the optional `GET` argument\r\n$5\r\nflags\r\n*4\r\n+RW\r\n+access\r\n" +
			"+update\r\n+variable_flags\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\n" +
			"spec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\n" +
			"spec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n*10\r\n" +
			"$4\r\nmset\r\n:-3\r\n*2\r\n+write\r\n+denyoom\r\n:1\r\n:-1\r\n:2\r\n*3\r\n+@write\r\n+@string\r\n" +
			"+@slow\r\n*2\r\n$26\r\nrequest_policy:multi_shard\r\n$29\r\nresponse_policy:all_succeeded\r\n" +
			"*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n" +
			"$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n" +
			"$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:2\r\n$5\r\nlimit\r\n" +
			":0\r\n*0\r\n*10\r\n$11\r\nclient|kill\r\n:-3\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n" +
			":0\r\n:0\r\n:0\r\n*4\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n" +
			"*10\r\n$6\r\nconfig\r\n:-2\r\n*0\r\n:0\r\n:0\r\n:0\r\n*1\r\n+@slow\r\n*0\r\n*0\r\n*5\r\n*10\r\n" +
			"$10\r\nconfig|get\r\n:-3\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n" +
			":0\r\n*3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n*10\r\n$16\r\nconfig|resetstat\r\n" +
			":2\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*3\r\n+@admin\r\n" +
			"+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n*10\r\n$11\r\nconfig|help\r\n:2\r\n*2\r\n+loading\r\n" +
			"+stale\r\n:0\r\n:0\r\n:0\r\n*1\r\n+@slow\r\n*0\r\n*0\r\n*0\r\n*10\r\n$14\r\nconfig|rewrite\r\n" +
			":2\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*3\r\n+@admin\r\n" +
			"+@slow\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n*10\r\n$10\r\nconfig|set\r\n:-4\r\n*4\r\n+admin\r\n" +
			"+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n" +
			"*2\r\n$24\r\nrequest_policy:all_nodes\r\n$29\r\nresponse_policy:all_succeeded\r\n*0\r\n*0\r\n"},
	{2, []string{"command", "docs", "get", "set"},
		"*4\r\n$3\r\nget\r\n*10\r\n$7\r\nsummary\r\n$22\r\nGet the value of a key\r\n$5\r\nsince\r\n" +
			"$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n" +
			"*1\r\n*6\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n" +
			":0\r\n$3\r\nset\r\n*12\r\n$7\r\nsummary\r\n$29\r\nSet the string value of a key\r\n$5\r\nsince\r\n" +
			"$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$7\r\nhistory\r\n" +
			"*4\r\n*2\r\n$6\r\n2.6.12\r\n$44\r\nAdded the `EX`, `PX`, `NX` and `XX` options.\r\n*2\r\n$5\r\n" +
			"6.0.0\r\n$27\r\nAdded the `KEEPTTL` option.\r\n*2\r\n$5\r\n6.2.0\r\n$42\r\nAdded the `GET`, `EXAT` and `PXAT` option.\r\n" +
			"*2\r\n$5\r\n7.0.0\r\n$55\r\nAllowed the `NX` and `GET` options to be used together.\r\n$9\r\n" +
			"arguments\r\n*5\r\n*6\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n" +
			":0\r\n*4\r\n$4\r\nname\r\n$5\r\nvalue\r\n$4\r\ntype\r\n$6\r\nstring\r\n*10\r\n$4\r\nname\r\n" +
			"$9\r\ncondition\r\n$4\r\ntype\r\n$5\r\noneof\r\n$5\r\nsince\r\n$6\r\n2.6.12\r\n$5\r\nflags\r\n" +
			"*1\r\n+optional\r\n$9\r\narguments\r\n*2\r\n*6\r\n$4\r\nname\r\n$2\r\nnx\r\n$4\r\ntype\r\n$10\r\n" +
			"pure-token\r\n$5\r\ntoken\r\n$2\r\nNX\r\n*6\r\n$4\r\nname\r\n$2\r\nxx\r\n$4\r\ntype\r\n$10\r\n" +
			"pure-token\r\n$5\r\ntoken\r\n$2\r\nXX\r\n*10\r\n$4\r\nname\r\n$3\r\nget\r\n$4\r\ntype\r\n$10\r\n" +
			"pure-token\r\n$5\r\ntoken\r\n$3\r\nGET\r\n$5\r\nsince\r\n$5\r\n6.2.0\r\n$5\r\nflags\r\n*1\r\n" +
			"+optional\r\n*8\r\n$4\r\nname\r\n$10\r\nexpiration\r\n$4\r\ntype\r\n$5\r\noneof\r\n$5\r\nflags\r\n" +
			"*1\r\n+optional\r\n$9\r\narguments\r\n*5\r\n*8\r\n$4\r\nname\r\n$7\r\nseconds\r\n$4\r\ntype\r\n" +
			"$7\r\ninteger\r\n$5\r\ntoken\r\n$2\r\nEX\r\n$5\r\nsince\r\n$6\r\n2.6.12\r\n*8\r\n$4\r\nname\r\n" +
			"$12\r\nmilliseconds\r\n$4\r\ntype\r\n$7\r\ninteger\r\n$5\r\ntoken\r\n$2\r\nPX\r\n$5\r\nsince\r\n" +
			"$6\r\n2.6.12\r\n*8\r\n$4\r\nname\r\n$17\r\nunix-time-seconds\r\n$4\r\ntype\r\n$9\r\nunix-time\r\n" +
			"$5\r\ntoken\r\n$4\r\nEXAT\r\n$5\r\nsince\r\n$5\r\n6.2.0\r\n*8\r\n$4\r\nname\r\n$22\r\nunix-time-milliseconds\r\n" +
			"$4\r\ntype\r\n$9\r\nunix-time\r\n$5\r\ntoken\r\n$4\r\nPXAT\r\n$5\r\nsince\r\n$5\r\n6.2.0\r\n" +
			"*8\r\n$4\r\nname\r\n$7\r\nkeepttl\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$7\r\n" +
			"KEEPTTL\r\n$5\r\nsince\r\n$5\r\n6.0.0\r\n"},
	{2, []string{"command", "info", "nosuch", "get|x", "config|nosuch"},
		"*3\r\n$-1\r\n$-1\r\n$-1\r\n"},
	{2, []string{"command", "docs", "nosuch"},
		"*0\r\n"},
	{3, []string{"command", "info", "get", "set", "mset", "client|kill", "config"},
		"*5\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@read\r\n" +
			"+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n" +
			"%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n" +
			"%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n" +
			":1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n*10\r\n$3\r\nset\r\n:-3\r\n~2\r\n+write\r\n+denyoom\r\n:1\r\n" +
			":1\r\n:1\r\n~3\r\n+@write\r\n+@string\r\n+@slow\r\n~0\r\n~1\r\n%4\r\n$5\r\nnotes\r\n$48\r\n" +
			"RW and ACCESS due to the optional `GET` argument\r\n$5\r\nflags\r\n~4\r\n+RW\r\n+access\r\n" +
			"+update\r\n+variable_flags\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\n" +
			"spec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\n" +
			"spec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n*10\r\n" +
			"$4\r\nmset\r\n:-3\r\n~2\r\n+write\r\n+denyoom\r\n:1\r\n:-1\r\n:2\r\n~3\r\n+@write\r\n+@string\r\n" +
			"+@slow\r\n~2\r\n$26\r\nrequest_policy:multi_shard\r\n$29\r\nresponse_policy:all_succeeded\r\n" +
			"~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+OW\r\n+update\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n" +
			"$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n" +
			"$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:2\r\n$5\r\nlimit\r\n" +
			":0\r\n~0\r\n*10\r\n$11\r\nclient|kill\r\n:-3\r\n~4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n" +
			":0\r\n:0\r\n:0\r\n~4\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n+@connection\r\n~0\r\n~0\r\n~0\r\n" +
			"*10\r\n$6\r\nconfig\r\n:-2\r\n~0\r\n:0\r\n:0\r\n:0\r\n~1\r\n+@slow\r\n~0\r\n~0\r\n*5\r\n*10\r\n" +
			"$10\r\nconfig|get\r\n:-3\r\n~4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n" +
			":0\r\n~3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n~0\r\n~0\r\n~0\r\n*10\r\n$16\r\nconfig|resetstat\r\n" +
			":2\r\n~4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n~3\r\n+@admin\r\n" +
			"+@slow\r\n+@dangerous\r\n~0\r\n~0\r\n~0\r\n*10\r\n$11\r\nconfig|help\r\n:2\r\n~2\r\n+loading\r\n" +
			"+stale\r\n:0\r\n:0\r\n:0\r\n~1\r\n+@slow\r\n~0\r\n~0\r\n~0\r\n*10\r\n$14\r\nconfig|rewrite\r\n" +
			":2\r\n~4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n~3\r\n+@admin\r\n" +
			"+@slow\r\n+@dangerous\r\n~0\r\n~0\r\n~0\r\n*10\r\n$10\r\nconfig|set\r\n:-4\r\n~4\r\n+admin\r\n" +
			"+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n~3\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n" +
			"~2\r\n$24\r\nrequest_policy:all_nodes\r\n$29\r\nresponse_policy:all_succeeded\r\n~0\r\n~0\r\n"},
	{3, []string{"command", "docs", "get", "config"},
		"%2\r\n$3\r\nget\r\n%5\r\n$7\r\nsummary\r\n$22\r\nGet the value of a key\r\n$5\r\nsince\r\n$5\r\n" +
			"1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n" +
			"*1\r\n%3\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n" +
			":0\r\n$6\r\nconfig\r\n%5\r\n$7\r\nsummary\r\n$45\r\nA container for server configuration commands\r\n" +
			"$5\r\nsince\r\n$5\r\n2.0.0\r\n$5\r\ngroup\r\n$6\r\nserver\r\n$10\r\ncomplexity\r\n$22\r\nDepends on subcommand.\r\n" +
			"$11\r\nsubcommands\r\n%5\r\n$10\r\nconfig|get\r\n%6\r\n$7\r\nsummary\r\n$42\r\nGet the values of configuration parameters\r\n" +
			"$5\r\nsince\r\n$5\r\n2.0.0\r\n$5\r\ngroup\r\n$6\r\nserver\r\n$10\r\ncomplexity\r\n$62\r\nO(N) when N is the number of configuration parameters provided\r\n" +
			"$7\r\nhistory\r\n~1\r\n*2\r\n$5\r\n7.0.0\r\n$65\r\nAdded the ability to pass multiple pattern parameters in one call\r\n" +
			"$9\r\narguments\r\n*1\r\n%4\r\n$4\r\nname\r\n$9\r\nparameter\r\n$4\r\ntype\r\n$5\r\nblock\r\n" +
			"$5\r\nflags\r\n~1\r\n+multiple\r\n$9\r\narguments\r\n*1\r\n%2\r\n$4\r\nname\r\n$9\r\nparameter\r\n" +
			"$4\r\ntype\r\n$6\r\nstring\r\n$16\r\nconfig|resetstat\r\n%4\r\n$7\r\nsummary\r\n$32\r\nReset the stats returned by INFO\r\n" +
			"$5\r\nsince\r\n$5\r\n2.0.0\r\n$5\r\ngroup\r\n$6\r\nserver\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n" +
			"$11\r\nconfig|help\r\n%4\r\n$7\r\nsummary\r\n$49\r\nShow helpful text about the different subcommands\r\n" +
			"$5\r\nsince\r\n$5\r\n5.0.0\r\n$5\r\ngroup\r\n$6\r\nserver\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n" +
			"$14\r\nconfig|rewrite\r\n%4\r\n$7\r\nsummary\r\n$63\r\nRewrite the configuration file with the in memory configuration\r\n" +
			"$5\r\nsince\r\n$5\r\n2.8.0\r\n$5\r\ngroup\r\n$6\r\nserver\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n" +
			"$10\r\nconfig|set\r\n%6\r\n$7\r\nsummary\r\n$48\r\nSet configuration parameters to the given values\r\n" +
			"$5\r\nsince\r\n$5\r\n2.0.0\r\n$5\r\ngroup\r\n$6\r\nserver\r\n$10\r\ncomplexity\r\n$62\r\nO(N) when N is the number of configuration parameters provided\r\n" +
			"$7\r\nhistory\r\n~1\r\n*2\r\n$5\r\n7.0.0\r\n$57\r\nAdded the ability to set multiple parameters in one call.\r\n" +
			"$9\r\narguments\r\n*1\r\n%4\r\n$4\r\nname\r\n$15\r\nparameter_value\r\n$4\r\ntype\r\n$5\r\n" +
			"block\r\n$5\r\nflags\r\n~1\r\n+multiple\r\n$9\r\narguments\r\n*2\r\n%2\r\n$4\r\nname\r\n$9\r\n" +
			"parameter\r\n$4\r\ntype\r\n$6\r\nstring\r\n%2\r\n$4\r\nname\r\n$5\r\nvalue\r\n$4\r\ntype\r\n" +
			"$6\r\nstring\r\n"},
	{3, []string{"command", "info", "nosuch", "get|x", "config|nosuch"},
		"*3\r\n_\r\n_\r\n_\r\n"},
	{3, []string{"command", "docs", "nosuch"},
		"%0\r\n"},
}

func TestCommandInfoAndDocsMatchRedis(t *testing.T) {
	s := startTestServer(t)
	c2, c3 := dialRaw(t, s), dialRaw(t, s)
	c3.Do("HELLO", "3")
	for _, tc := range redisCommandReplies {
		c := c2
		if tc.proto == 3 {
			c = c3
		}
		if got := c.Do(tc.cmd...); got != tc.want {
			t.Errorf("RESP%d %q:\n got %q\nwant %q", tc.proto, tc.cmd, got, tc.want)
		}
	}
}

func TestCommandUnknownNamesInInfoAndDocs(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"COMMAND", "INFO", "GET", "nosuch", "CONFIG|GET", "config|", "|", "config|get|x"},
			"*6\r\n" + c.Do("COMMAND", "INFO", "get")[len("*1\r\n"):] + "$-1\r\n" +
				c.Do("COMMAND", "INFO", "config|get")[len("*1\r\n"):] + "$-1\r\n$-1\r\n$-1\r\n"},
		{[]string{"COMMAND", "DOCS", "nosuch", "get|x"}, "*0\r\n"},
		// A name asked for twice is answered twice, even in the RESP3 map.
		{[]string{"COMMAND", "DOCS", "get", "GET"},
			"*4\r\n" + c.Do("COMMAND", "DOCS", "get")[len("*2\r\n"):] + c.Do("COMMAND", "DOCS", "get")[len("*2\r\n"):]},
	})
}

func TestCommandWithoutNamesDescribesEveryCommand(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	n := len(allCommands())
	all := c.Do("COMMAND")
	if info := c.Do("COMMAND", "INFO"); info != all {
		t.Errorf("COMMAND INFO without names differs from COMMAND")
	}
	if !bytes.HasPrefix([]byte(all), []byte("*"+strconv.Itoa(n)+"\r\n")) {
		t.Errorf("COMMAND: want %d entries, got %.40q", n, all)
	}
	// Entries are sorted by name; "append" comes first.
	if first := c.Do("COMMAND", "INFO", "append")[len("*1\r\n"):]; !bytes.HasPrefix([]byte(all)[len("*"+strconv.Itoa(n)+"\r\n"):], []byte(first)) {
		t.Errorf("COMMAND does not start with APPEND's entry: %.80q", all)
	}
	docs := c.Do("COMMAND", "DOCS")
	if !bytes.HasPrefix([]byte(docs), []byte("*"+strconv.Itoa(2*n)+"\r\n")) {
		t.Errorf("COMMAND DOCS: want %d entries, got %.40q", n, docs)
	}
	c.Do("HELLO", "3")
	if docs := c.Do("COMMAND", "DOCS"); !bytes.HasPrefix([]byte(docs), []byte("%"+strconv.Itoa(n)+"\r\n")) {
		t.Errorf("COMMAND DOCS in RESP3: want a map of %d, got %.40q", n, docs)
	}
}

func TestCommandCountCountsTopLevelCommands(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"COMMAND", "COUNT"}, ":" + strconv.Itoa(len(allCommands())) + "\r\n"},
		{[]string{"COMMAND", "COUNT", "x"}, "-ERR wrong number of arguments for 'command|count' command\r\n"},
	})
}

func TestCommandUnknownSubcommandIsRejected(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"COMMAND", "foo"}, "-ERR unknown subcommand 'foo'. Try COMMAND HELP.\r\n"},
		{[]string{"MULTI"}, "+OK\r\n"},
		{[]string{"COMMAND", "set"}, "-ERR unknown subcommand 'set'. Try COMMAND HELP.\r\n"},
		{[]string{"EXEC"}, "-EXECABORT Transaction discarded because of previous errors.\r\n"},
	})
}

func TestCommandHelp(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"COMMAND", "HELP"}, "*21\r\n" +
			"+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n" +
			"+(no subcommand)\r\n" +
			"+    Return details about all Redis commands.\r\n" +
			"+COUNT\r\n" +
			"+    Return the total number of commands in this Redis server.\r\n" +
			"+LIST\r\n" +
			"+    Return a list of all commands in this Redis server.\r\n" +
			"+INFO [<command-name> ...]\r\n" +
			"+    Return details about multiple Redis commands.\r\n" +
			"+    If no command names are given, documentation details for all\r\n" +
			"+    commands are returned.\r\n" +
			"+DOCS [<command-name> ...]\r\n" +
			"+    Return documentation details about multiple Redis commands.\r\n" +
			"+    If no command names are given, documentation details for all\r\n" +
			"+    commands are returned.\r\n" +
			"+GETKEYS <full-command>\r\n" +
			"+    Return the keys from a full Redis command.\r\n" +
			"+GETKEYSANDFLAGS <full-command>\r\n" +
			"+    Return the keys and the access flags from a full Redis command.\r\n" +
			"+HELP\r\n" +
			"+    Prints this help.\r\n"},
		{[]string{"COMMAND", "HELP", "x"}, "-ERR wrong number of arguments for 'command|help' command\r\n"},
	})
}

func TestCommandListFilters(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"COMMAND", "LIST", "FILTERBY", "PATTERN", "*|get"}, "*2\r\n$10\r\nconfig|get\r\n$11\r\nslowlog|get\r\n"},
		{[]string{"command", "list", "filterby", "pattern", "EXP*"},
			"*3\r\n$6\r\nexpire\r\n$8\r\nexpireat\r\n$10\r\nexpiretime\r\n"},
		{[]string{"COMMAND", "LIST", "FILTERBY", "ACLCAT", "transaction"},
			"*5\r\n$7\r\ndiscard\r\n$4\r\nexec\r\n$5\r\nmulti\r\n$7\r\nunwatch\r\n$5\r\nwatch\r\n"},
		{[]string{"COMMAND", "LIST", "FILTERBY", "ACLCAT", "Transaction"},
			"*5\r\n$7\r\ndiscard\r\n$4\r\nexec\r\n$5\r\nmulti\r\n$7\r\nunwatch\r\n$5\r\nwatch\r\n"},
		{[]string{"COMMAND", "LIST", "FILTERBY", "ACLCAT", "@transaction"}, "*0\r\n"},
		{[]string{"COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuch"}, "*0\r\n"},
		{[]string{"COMMAND", "LIST", "FILTERBY", "MODULE", "foo"}, "*0\r\n"},
		{[]string{"COMMAND", "LIST", "FILTERBY", "PATTERN", "nomatch"}, "*0\r\n"},
		{[]string{"COMMAND", "LIST", "foo"}, "-ERR syntax error\r\n"},
		{[]string{"COMMAND", "LIST", "FILTERBY"}, "-ERR syntax error\r\n"},
		{[]string{"COMMAND", "LIST", "FILTERBY", "PATTERN"}, "-ERR syntax error\r\n"},
		{[]string{"COMMAND", "LIST", "FILTERBY", "PATTERN", "a", "b"}, "-ERR syntax error\r\n"},
		{[]string{"COMMAND", "LIST", "FILTERBY", "foo", "bar"}, "-ERR syntax error\r\n"},
	})

	// Without a filter: every command and subcommand, each container
	// followed by its subcommands.
	var want []string
	for _, name := range CommandNames() {
		want = append(want, "$"+strconv.Itoa(len(name))+"\r\n"+name+"\r\n")
	}
	got := c.Do("COMMAND", "LIST")
	if head := "*" + strconv.Itoa(len(want)) + "\r\n"; !bytes.HasPrefix([]byte(got), []byte(head)) {
		t.Fatalf("COMMAND LIST: want %d names, got %.40q", len(want), got)
	}
	for _, w := range want {
		if !bytes.Contains([]byte(got), []byte(w)) {
			t.Errorf("COMMAND LIST lacks %q", w)
		}
	}
	if i, j := bytes.Index([]byte(got), []byte("$6\r\nconfig\r\n")), bytes.Index([]byte(got), []byte("$10\r\nconfig|get\r\n")); i < 0 || j < i {
		t.Errorf("COMMAND LIST: config|get does not follow config")
	}
}

func TestCommandGetkeys(t *testing.T) {
	s := startTestServer(t)
	c := dialRaw(t, s)
	runCases(t, c, []replyCase{
		{[]string{"COMMAND", "GETKEYS", "SET", "k", "v"}, "*1\r\n$1\r\nk\r\n"},
		{[]string{"COMMAND", "GETKEYS", "set", "k", "v", "ex"}, "*1\r\n$1\r\nk\r\n"},
		{[]string{"COMMAND", "GETKEYS", "mset", "a", "1", "b", "2"}, "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
		{[]string{"COMMAND", "GETKEYS", "mset", "a", "1", "b"}, "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
		{[]string{"COMMAND", "GETKEYS", "watch", "a", "b"}, "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
		{[]string{"COMMAND", "GETKEYS", "lcs", "a", "b", "c"}, "*2\r\n$1\r\na\r\n$1\r\nb\r\n"},
		{[]string{"COMMAND", "GETKEYS", "object", "ENCODING", "k"}, "*1\r\n$1\r\nk\r\n"},
		{[]string{"COMMAND", "GETKEYS", "memory", "usage", "k", "samples", "5"}, "*1\r\n$1\r\nk\r\n"},
		{[]string{"COMMAND", "GETKEYS", "get"}, "-ERR wrong number of arguments for 'command|getkeys' command\r\n"},
		{[]string{"COMMAND", "GETKEYS", "get", "a", "b"}, "-ERR Invalid number of arguments specified for command\r\n"},
		{[]string{"COMMAND", "GETKEYS", "mset", "a"}, "-ERR Invalid number of arguments specified for command\r\n"},
		{[]string{"COMMAND", "GETKEYS", "memory", "usage"}, "-ERR Invalid number of arguments specified for command\r\n"},
		{[]string{"COMMAND", "GETKEYS", "nosuch", "a"}, "-ERR Invalid command specified\r\n"},
		{[]string{"COMMAND", "GETKEYS", "object", "foo", "k"}, "-ERR Invalid command specified\r\n"},
		{[]string{"COMMAND", "GETKEYS", "config|get", "x"}, "-ERR Invalid command specified\r\n"},
		{[]string{"COMMAND", "GETKEYS", "command", "foo", "get"}, "-ERR Invalid command specified\r\n"},
		{[]string{"COMMAND", "GETKEYS", "ping", "a"}, "-ERR The command has no key arguments\r\n"},
		{[]string{"COMMAND", "GETKEYS", "config", "get", "x"}, "-ERR The command has no key arguments\r\n"},
		// The key check comes before the arity check.
		{[]string{"COMMAND", "GETKEYS", "config", "get"}, "-ERR The command has no key arguments\r\n"},
		{[]string{"COMMAND", "GETKEYS", "client", "kill", "x"}, "-ERR The command has no key arguments\r\n"},
		{[]string{"COMMAND", "GETKEYS", "command", "info", "get"}, "-ERR The command has no key arguments\r\n"},

		{[]string{"COMMAND", "GETKEYSANDFLAGS", "get", "k"}, "*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+RO\r\n+access\r\n"},
		{[]string{"COMMAND", "GETKEYSANDFLAGS", "set", "k", "v"}, "*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+OW\r\n+update\r\n"},
		// SET's access depends on GET, but not on a value that reads "get".
		{[]string{"COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "GET"}, "*1\r\n*2\r\n$1\r\nk\r\n*3\r\n+RW\r\n+access\r\n+update\r\n"},
		{[]string{"COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "nx", "get"}, "*1\r\n*2\r\n$1\r\nk\r\n*3\r\n+RW\r\n+access\r\n+update\r\n"},
		{[]string{"COMMAND", "GETKEYSANDFLAGS", "set", "k", "get"}, "*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+OW\r\n+update\r\n"},
		{[]string{"COMMAND", "GETKEYSANDFLAGS", "mset", "a", "1", "b", "2"},
			"*2\r\n*2\r\n$1\r\na\r\n*2\r\n+OW\r\n+update\r\n*2\r\n$1\r\nb\r\n*2\r\n+OW\r\n+update\r\n"},
		{[]string{"COMMAND", "GETKEYSANDFLAGS", "rename", "a", "b"},
			"*2\r\n*2\r\n$1\r\na\r\n*3\r\n+RW\r\n+access\r\n+delete\r\n*2\r\n$1\r\nb\r\n*2\r\n+OW\r\n+update\r\n"},
		{[]string{"COMMAND", "GETKEYSANDFLAGS", "copy", "a", "b"},
			"*2\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n*2\r\n+OW\r\n+update\r\n"},
		{[]string{"COMMAND", "GETKEYSANDFLAGS", "lcs", "a", "b"},
			"*2\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n*2\r\n$1\r\nb\r\n*2\r\n+RO\r\n+access\r\n"},
	})
	c.Do("HELLO", "3")
	runCases(t, c, []replyCase{
		{[]string{"COMMAND", "GETKEYSANDFLAGS", "get", "k"}, "*1\r\n*2\r\n$1\r\nk\r\n~2\r\n+RO\r\n+access\r\n"},
	})
}

// Key specs from Redis 7.0.15 that no Petrel command has yet, so that the
// keyword and keynum searches are pinned before a command needs them.
func TestKeySpecCoversKeywordAndKeynumSearches(t *testing.T) {
	keynum := KeySpec{Flags: []string{"RO", "access"}, BeginSearch: BeginSearch{Type: "index", Index: 2},
		FindKeys: FindKeys{Type: "keynum", KeyNumIdx: 0, FirstKey: 1, KeyStep: 1}}
	keyword := KeySpec{Flags: []string{"RW", "access", "delete", "incomplete"},
		BeginSearch: BeginSearch{Type: "keyword", Keyword: "KEYS", StartFrom: -2},
		FindKeys:    FindKeys{Type: "range", LastKey: -1, KeyStep: 1}}
	store := KeySpec{Flags: []string{"OW", "update"},
		BeginSearch: BeginSearch{Type: "keyword", Keyword: "STORE", StartFrom: 1},
		FindKeys:    FindKeys{Type: "range", LastKey: 0, KeyStep: 1}}
	split := func(s string) [][]byte { return bytes.Fields([]byte(s)) }
	for _, tc := range []struct {
		spec KeySpec
		args string
		want []int
	}{
		{keynum, "zunionstore d 2 a b weights 1 2", []int{3, 4}},
		{keynum, "zunionstore d 1 a b", []int{3}},
		{keynum, "zunionstore d x a b", nil},
		{keyword, "migrate h p \"\" 0 5 keys a b", []int{7, 8}},
		{keyword, "migrate h p k 0 5", nil},
		{store, "sort k by x store d", []int{5}},
		{store, "sort k store", nil},
	} {
		args := split(tc.args)
		var got []int
		for p := range args {
			if tc.spec.covers(args, p) {
				got = append(got, p)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: got keys at %v, want %v", tc.args, got, tc.want)
		}
	}
}

func TestCommandMetaCoversExactlyTheTable(t *testing.T) {
	if n := bytes.Count(commandMetaJSON, []byte("\n")); n > 1 || bytes.Contains(commandMetaJSON, []byte("\n ")) {
		t.Errorf("commandmeta.json is not compact: %d lines", n)
	}
	metas, err := parseCommandMeta(commandMetaJSON)
	if err != nil {
		t.Fatal(err)
	}
	names := CommandNames()
	for _, name := range names {
		if metas[name] == nil {
			t.Errorf("%s has no recorded metadata: rerun tools/gencommandmeta", name)
		}
	}
	for name := range metas {
		if !slices.Contains(names, name) {
			t.Errorf("commandmeta.json describes %q, which Petrel does not have", name)
		}
	}
	for _, c := range newCommandTable(allCommands()) {
		m := metas[c.Name]
		if m == nil {
			continue
		}
		var subs []string
		for _, sc := range c.orderedSubcommands() {
			subs = append(subs, sc.Name)
		}
		if !slices.Equal(subs, m.Subcommands) {
			t.Errorf("%s: table has subcommands %v, recorded %v", c.Name, subs, m.Subcommands)
		}
	}
	for name, m := range metas {
		var check func(args []DocArg)
		check = func(args []DocArg) {
			for _, a := range args {
				if a.KeySpecIndex != nil && (*a.KeySpecIndex < 0 || *a.KeySpecIndex >= len(m.KeySpecs)) {
					t.Errorf("%s: argument %s refers to key spec %d of %d", name, a.Name, *a.KeySpecIndex, len(m.KeySpecs))
				}
				check(a.Arguments)
			}
		}
		check(m.Docs.Arguments)
	}
	// The file round-trips: nothing in it is lost on the way to Go values.
	var again bytes.Buffer
	enc := json.NewEncoder(&again)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(metas); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), commandMetaJSON) {
		t.Errorf("commandmeta.json does not round-trip through CommandMeta")
	}
}

// The table's key positions, which drive locking and GETKEYS, must find the
// same keys as the recorded key specs wherever the specs are complete.
func TestKeySpecsAgreeWithTableKeyPositions(t *testing.T) {
	var all []*Command
	for _, c := range newCommandTable(allCommands()) {
		all = append(all, c)
		for _, sc := range c.Subcommands {
			all = append(all, sc)
		}
	}
	for _, c := range all {
		m := commandMeta(c.Name)
		if m == nil || c.KeysFunc != nil || len(m.KeySpecs) == 0 {
			continue
		}
		complete := true
		for _, ks := range m.KeySpecs {
			if slices.Contains(ks.Flags, "incomplete") || ks.BeginSearch.Type == "unknown" || ks.FindKeys.Type == "unknown" {
				complete = false
			}
		}
		if !complete {
			continue
		}
		words := bytes.Split([]byte(c.Name), []byte("|"))
		counts := []int{c.Arity}
		if c.Arity < 0 {
			counts = []int{-c.Arity, -c.Arity + 1, -c.Arity + 2, -c.Arity + 3}
		}
		for _, argc := range counts {
			args := slices.Clone(words)
			for len(args) < argc {
				args = append(args, []byte("a"+strconv.Itoa(len(args))))
			}
			var fromSpecs []int
			for p := range args {
				for i := range m.KeySpecs {
					if m.KeySpecs[i].covers(args, p) {
						fromSpecs = append(fromSpecs, p)
						break
					}
				}
			}
			if fromTable := c.KeyPositions(args, nil); !slices.Equal(fromTable, fromSpecs) {
				t.Errorf("%s with %d arguments: table finds keys at %v, key specs at %v", c.Name, argc, fromTable, fromSpecs)
			}
		}
	}
}
