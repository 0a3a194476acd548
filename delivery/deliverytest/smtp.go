// Package deliverytest is a minimal SMTP server on loopback for tests: it
// speaks enough of RFC 5321 (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
// QUIT) for an SMTP client to hand it messages, keeps every message it
// accepted, and can be told to refuse or to drop the connection, to test
// retries and ambiguous outcomes, or be stopped and restarted on the same
// address, to test a mail server that is down for a while.
package deliverytest

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
)

// Message is a message the server accepted.
type Message struct {
	From string
	To   []string
	Data string // as received, dot-unstuffed, CRLF line ends
}

// Server is a running test SMTP server.
type Server struct {
	Addr string // host:port on 127.0.0.1

	port int
	mu   sync.Mutex
	// ln is nil while the server is stopped; conns are the open sessions,
	// closed by Stop.
	ln    net.Listener
	conns map[net.Conn]struct{}
	// RejectRcpt is how many RCPT commands to refuse with 451 (a
	// temporary failure before anything is handed over).
	rejectRcpt int
	// refuseRcpt is how many RCPT commands to refuse with 550 (a
	// permanent refusal: the mailbox does not exist).
	refuseRcpt int
	// dropAfterData is how many messages to take in full and then close
	// the connection without a reply (the ambiguous case).
	dropAfterData int
	msgs          []Message
	wg            sync.WaitGroup
}

// Start starts a server that is stopped when the test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), port: ln.Addr().(*net.TCPAddr).Port, conns: map[net.Conn]struct{}{}}
	s.listen(ln)
	tb.Cleanup(func() {
		s.Stop()
		s.wg.Wait()
	})
	return s
}

// Port returns the server's port; it stays the same across Stop and Restart.
func (s *Server) Port() int { return s.port }

func (s *Server) listen(ln net.Listener) {
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	s.wg.Add(1)
	go s.serve(ln)
}

// Stop takes the server down as a crashed mail server goes: it stops
// listening (a client now gets "connection refused") and cuts every open
// session. The messages accepted so far are kept. Stopping a stopped
// server does nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	ln := s.ln
	s.ln = nil
	conns := s.conns
	s.conns = map[net.Conn]struct{}{}
	s.mu.Unlock()
	if ln != nil {
		ln.Close()
	}
	for c := range conns {
		c.Close()
	}
}

// Restart brings a stopped server back on the same address. Its error
// says why the address could not be taken again (another process may
// have taken the port meanwhile); restarting a running server is an error.
func (s *Server) Restart() error {
	s.mu.Lock()
	running := s.ln != nil
	s.mu.Unlock()
	if running {
		return errors.New("deliverytest: restart of a running server")
	}
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("deliverytest: listen again on %s: %w", s.Addr, err)
	}
	s.listen(ln)
	return nil
}

// RefuseRcpt makes the next n RCPT commands fail with 550 (for good).
func (s *Server) RefuseRcpt(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuseRcpt = n
}

// RejectRcpt makes the next n RCPT commands fail with 451.
func (s *Server) RejectRcpt(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectRcpt = n
}

// DropAfterData makes the next n messages be read in full, kept (a real
// server may deliver them) and the connection closed without the final
// reply.
func (s *Server) DropAfterData(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropAfterData = n
}

// Messages returns the messages accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

func (s *Server) serve(ln net.Listener) {
	defer s.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.ln != ln { // stopped between Accept and here
			s.mu.Unlock()
			c.Close()
			continue
		}
		s.conns[c] = struct{}{}
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() {
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
			}()
			s.session(c)
		}()
	}
}

func (s *Server) session(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	w := bufio.NewWriter(c)
	reply := func(lines ...string) {
		for _, l := range lines {
			w.WriteString(l + "\r\n")
		}
		w.Flush()
	}
	reply("220 localhost test SMTP")
	var cur Message
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch verb {
		case "EHLO":
			reply("250-localhost", "250-8BITMIME", "250 SMTPUTF8")
		case "HELO":
			reply("250 localhost")
		case "MAIL":
			cur = Message{From: addr(line)}
			reply("250 OK")
		case "RCPT":
			s.mu.Lock()
			reject := s.rejectRcpt > 0
			if reject {
				s.rejectRcpt--
			}
			refuse := !reject && s.refuseRcpt > 0
			if refuse {
				s.refuseRcpt--
			}
			s.mu.Unlock()
			if refuse {
				reply("550 5.1.1 no such mailbox")
				continue
			}
			if reject {
				reply("451 4.3.0 try again later")
				continue
			}
			cur.To = append(cur.To, addr(line))
			reply("250 OK")
		case "DATA":
			reply("354 end with <CRLF>.<CRLF>")
			var sb strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" || l == ".\n" {
					break
				}
				sb.WriteString(strings.TrimPrefix(l, "."))
			}
			cur.Data = sb.String()
			s.mu.Lock()
			// A dropped message was taken in full: like a real server that
			// dies before replying, it may well be delivered.
			s.msgs = append(s.msgs, cur)
			drop := s.dropAfterData > 0
			if drop {
				s.dropAfterData--
			}
			s.mu.Unlock()
			if drop {
				return // no reply: the client cannot know
			}
			reply("250 OK queued")
		case "RSET":
			cur = Message{}
			reply("250 OK")
		case "NOOP":
			reply("250 OK")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 command not implemented")
		}
	}
}

// addr takes the address out of "MAIL FROM:<a@b> ..." or "RCPT TO:<a@b>".
func addr(line string) string {
	i, j := strings.IndexByte(line, '<'), strings.IndexByte(line, '>')
	if i < 0 || j < i {
		return ""
	}
	return line[i+1 : j]
}
