// Command petrel-server runs Petrel, a Redis-compatible server. Its command
// line is redis-server's: an optional config file ("-" for stdin), then
// "--directive value ..." overrides.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"petrel/config"
	"petrel/server"
)

func main() {
	cfg := config.Defaults()
	// Temporary: --port only, until the config package parses the full grammar.
	for i := 1; i+1 < len(os.Args); i++ {
		if os.Args[i] == "--port" {
			fmt.Sscan(os.Args[i+1], &cfg.Port)
		}
	}
	log := server.NewLogger(os.Stdout, server.LogNotice)
	s := server.New(cfg, log)
	if err := s.Listen(); err != nil {
		log.Logf(server.LogWarning, "%v", err)
		os.Exit(1)
	}
	log.Logf(server.LogNotice, "Ready to accept connections")
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	go func() { <-sig; s.Close() }()
	s.Serve()
}
