package postgres

// SetMaxOpenConns bounds the store's connection pool, so that tests firing
// many concurrent calls stay within the server's max_connections.
func SetMaxOpenConns(db *DB, n int) { db.db.SetMaxOpenConns(n) }
