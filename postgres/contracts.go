package postgres

import "chuyenhoa/cycle"

// DB keeps every contract of the store (package cycle).
var _ cycle.Store = (*DB)(nil)
