package server

import (
	"strconv"
	"time"

	"petrel/internal/repr"
)

// hasMonitors is on every command's path, so it reads an atomic count
// rather than taking monitorsMu.
func (s *Server) hasMonitors() bool { return s.monitorCount.Load() > 0 }

func (s *Server) addMonitor(c *Client) {
	s.monitorsMu.Lock()
	s.monitors = append(s.monitors, c)
	s.monitorCount.Store(int32(len(s.monitors)))
	s.monitorsMu.Unlock()
	c.setFlag(cflagMonitor, true)
	c.makePushable()
}

func (s *Server) removeMonitor(c *Client) {
	s.monitorsMu.Lock()
	for i, m := range s.monitors {
		if m == c {
			s.monitors = append(s.monitors[:i], s.monitors[i+1:]...)
			break
		}
	}
	s.monitorCount.Store(int32(len(s.monitors)))
	s.monitorsMu.Unlock()
	c.setFlag(cflagMonitor, false)
}

// feedMonitors sends a command to MONITOR clients in Redis's format:
//
//	+1339518083.107412 [0 127.0.0.1:60866] "keys" "*"
func (s *Server) feedMonitors(c *Client, args [][]byte) {
	now := time.Now()
	line := make([]byte, 0, 64)
	line = append(line, '+')
	line = strconv.AppendInt(line, now.Unix(), 10)
	line = append(line, '.')
	us := strconv.Itoa(now.Nanosecond() / 1000)
	for i := len(us); i < 6; i++ {
		line = append(line, '0')
	}
	line = append(line, us...)
	line = append(line, " ["...)
	line = strconv.AppendInt(line, int64(c.db), 10)
	line = append(line, ' ')
	switch {
	case c.scriptCaller != nil:
		line = append(line, "lua"...)
	case c.isUnix:
		line = append(line, "unix:"...)
		s.cfg.RLock()
		line = append(line, s.cfg.UnixSocket...)
		s.cfg.RUnlock()
	default:
		line = append(line, c.addr...)
	}
	line = append(line, ']')
	for _, a := range args {
		line = append(line, ' ')
		line = appendRepr(line, a)
	}
	line = append(line, '\r', '\n')
	s.monitorsMu.RLock()
	mons := append([]*Client(nil), s.monitors...)
	s.monitorsMu.RUnlock()
	for _, m := range mons {
		m.push(line, 0)
	}
}

// appendRepr quotes b as Redis's sdscatrepr does.
func appendRepr(dst, b []byte) []byte { return repr.Append(dst, b) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
