package api

import (
	"sync"
	"time"
)

// Failed sign-ins are limited per account name and per client address:
// after too many failures within the window, further attempts are refused
// (429) without checking the password, until the window has passed. The
// counts live in the server's memory (one process; a restart forgets them).
const (
	throttleWindow     = 15 * time.Minute
	maxAccountFailures = 10 // guessing one officer's password
	maxRemoteFailures  = 50 // one address trying many accounts
)

// throttle counts recent failed sign-ins by key.
type throttle struct {
	mu       sync.Mutex
	failures map[string][]time.Time
}

// blocked reports whether key has reached limit failures within the window
// before now, and when the oldest of them leaves the window.
func (t *throttle) blocked(key string, limit int, now time.Time) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fs := t.recent(key, now)
	if len(fs) < limit {
		return false, 0
	}
	return true, fs[0].Add(throttleWindow).Sub(now)
}

// fail records a failure of key at now.
func (t *throttle) fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.failures == nil {
		t.failures = map[string][]time.Time{}
	}
	t.failures[key] = append(t.recent(key, now), now)
	if len(t.failures) > 100000 { // bound the memory an attacker can make us use
		for k := range t.failures {
			if len(t.recent(k, now)) == 0 {
				delete(t.failures, k)
			}
		}
	}
}

// recent drops key's failures older than the window; the caller holds mu.
func (t *throttle) recent(key string, now time.Time) []time.Time {
	fs := t.failures[key]
	i := 0
	for i < len(fs) && now.Sub(fs[i]) >= throttleWindow {
		i++
	}
	fs = fs[i:]
	if len(fs) == 0 {
		delete(t.failures, key)
	} else {
		t.failures[key] = fs
	}
	return fs
}
