//go:build !linux

package server

// Elsewhere every client is served on its own goroutine.

type eventLoop struct{}

type rawIO struct{}

func (r *rawIO) init()                           {}
func (s *Server) startLoops()                    {}
func (s *Server) stopLoops()                     {}
func (s *Server) pickLoop(c *Client) *eventLoop  { return nil }
func (l *eventLoop) attach(c *Client) bool       { return false }
func (l *eventLoop) dropKilled(c *Client)        {}
func (c *Client) leaveLoop()                     {}
func (c *Client) readNow(p []byte) (int, error)  { return c.conn.Read(p) }
func (c *Client) writeOut(b []byte) (int, error) { return c.conn.Write(b) }
