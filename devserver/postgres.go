package devserver

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "github.com/lib/pq" // driver for the readiness ping
)

// PostgresOptions configures StartPostgres.
type PostgresOptions struct {
	// Dir is the data directory. "" creates a temporary one that Stop removes.
	// A directory already holding a cluster (PG_VERSION) is reused and kept;
	// otherwise it must be empty or absent and is initialised. When running
	// as root, the postgres user must be able to reach it (t.TempDir() is
	// not: its parent is mode 0700).
	Dir string
	// Port is the TCP port on 127.0.0.1. 0 picks a free port.
	Port int
	// Logger receives one Info line when the server is ready. nil discards.
	Logger *slog.Logger
}

// Postgres is a running throwaway PostgreSQL server, a child process of ours.
// Stop it when done; it also dies with our process.
type Postgres struct {
	cmd      *exec.Cmd
	exited   chan struct{} // closed when cmd has been waited for
	stderr   *tailBuffer
	dir      string
	ownDir   bool // dir was created by StartPostgres and is removed by Stop
	port     int
	stopOnce sync.Once
	stopErr  error
}

const (
	pgReadyTimeout = 30 * time.Second
	pgStopTimeout  = 10 * time.Second
	installHint    = "install PostgreSQL (Debian/Ubuntu: apt-get install -y postgresql) or set DATABASE_URL"
)

// FindPostgresBin returns the directory holding the initdb and postgres
// programs: the one on $PATH if both are there, else the highest version
// under /usr/lib/postgresql/*/bin (Debian, Ubuntu), /usr/pgsql-*/bin (RHEL)
// or /usr/local/pgsql/bin. Its error says what to install.
func FindPostgresBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if dir := filepath.Dir(p); isFile(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	var dirs []string
	for _, pattern := range []string{"/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin"} {
		m, _ := filepath.Glob(pattern)
		dirs = append(dirs, m...)
	}
	sort.Slice(dirs, func(i, j int) bool { return pgVersion(dirs[i]) > pgVersion(dirs[j]) })
	dirs = append(dirs, "/usr/local/pgsql/bin")
	for _, dir := range dirs {
		if isFile(filepath.Join(dir, "initdb")) && isFile(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	return "", fmt.Errorf("postgres server programs (initdb, postgres) not found on $PATH or under /usr/lib/postgresql: %s", installHint)
}

// pgVersion extracts the major version from ".../postgresql/15/bin" or
// "/usr/pgsql-15/bin"; -1 if there is none.
func pgVersion(binDir string) int {
	base := filepath.Base(filepath.Dir(binDir))
	base = strings.TrimPrefix(base, "pgsql-")
	v, err := strconv.ParseFloat(base, 64)
	if err != nil {
		return -1
	}
	return int(v * 100)
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// StartPostgres initialises a data directory if needed (user postgres, trust
// authentication, UTF8, C collation), starts postgres on 127.0.0.1 with
// fsync off, and returns once it accepts connections, or with an error after
// ctx ends or 30 s pass. Running as root, initdb and postgres run as the OS
// user postgres, because they refuse to run as root.
func StartPostgres(ctx context.Context, o PostgresOptions) (_ *Postgres, err error) {
	start := time.Now()
	logger := orDiscard(o.Logger)
	bin, err := FindPostgresBin()
	if err != nil {
		return nil, err
	}
	cred, err := postgresCredential()
	if err != nil {
		return nil, err
	}

	p := &Postgres{dir: o.Dir, port: o.Port, exited: make(chan struct{}), stderr: &tailBuffer{max: 4096}}
	if p.dir == "" {
		if p.dir, err = os.MkdirTemp("", "devserver-pg-"); err != nil {
			return nil, fmt.Errorf("start postgres: %w", err)
		}
		p.ownDir = true
		defer func() {
			if err != nil {
				_ = os.RemoveAll(p.dir)
			}
		}()
	}
	if p.dir, err = filepath.Abs(p.dir); err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	if p.port == 0 {
		ports, release, err := holdFreePorts("127.0.0.1", 1)
		if err != nil {
			return nil, fmt.Errorf("start postgres: %w", err)
		}
		release()
		p.port = ports[0]
	}

	if !isFile(filepath.Join(p.dir, "PG_VERSION")) {
		if err := os.MkdirAll(p.dir, 0o700); err != nil {
			return nil, fmt.Errorf("start postgres: %w", err)
		}
		if cred != nil {
			if err := os.Chown(p.dir, int(cred.Uid), int(cred.Gid)); err != nil {
				return nil, fmt.Errorf("start postgres: chown data dir to postgres: %w", err)
			}
		}
		initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"),
			"-D", p.dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync")
		initdb.Dir = p.dir // our cwd may be unreadable for the postgres user
		initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		if out, err := initdb.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("start postgres: initdb %s: %w: %s", p.dir, err, tail(out, 2048))
		}
	}

	p.cmd = exec.Command(filepath.Join(bin, "postgres"),
		"-D", p.dir, "-p", strconv.Itoa(p.port), "-k", p.dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off")
	p.cmd.Dir = p.dir
	p.cmd.Stdout = p.stderr
	p.cmd.Stderr = p.stderr
	// Pdeathsig: the postmaster gets SIGINT (fast shutdown) when our process
	// dies. Go sets it after switching credentials, so it survives the switch.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGINT}
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	go func() {
		_ = p.cmd.Wait()
		close(p.exited)
	}()

	if err := p.awaitReady(ctx); err != nil {
		_ = p.Stop()
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	logger.Info("postgres ready", "url", p.URL(), "dir", p.dir, "took", time.Since(start).Round(time.Millisecond))
	return p, nil
}

// postgresCredential returns nil when we are not root, else the credential
// of the OS user postgres.
func postgresCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, initdb and postgres must run as the OS user postgres: %w; %s", err, installHint)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("user postgres: %w", err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// awaitReady pings the server until it accepts connections, it exits, or
// ctx (bounded to pgReadyTimeout) ends.
func (p *Postgres) awaitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, pgReadyTimeout)
	defer cancel()
	db, err := sql.Open("postgres", p.URL()+"&connect_timeout=2")
	if err != nil {
		return err
	}
	defer db.Close()
	for {
		err = db.PingContext(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-p.exited:
			return fmt.Errorf("postgres exited (%v): %s", p.cmd.ProcessState, p.stderr.String())
		case <-ctx.Done():
			return fmt.Errorf("postgres on port %d not ready: %w (last error: %v): %s", p.port, ctx.Err(), err, p.stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// URL returns the connection URL, e.g.
// "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable".
func (p *Postgres) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", p.port)
}

// Dir returns the data directory.
func (p *Postgres) Dir() string { return p.dir }

// Port returns the TCP port the server listens on. To restart a server
// with its data, Stop it and StartPostgres again with this Port and Dir (a
// Dir given by the caller is kept by Stop).
func (p *Postgres) Port() int { return p.port }

// Stop shuts the server down (fast shutdown, killed after 10 s) and removes
// the data directory if StartPostgres created it. Calling it again returns
// the first result.
func (p *Postgres) Stop() error {
	p.stopOnce.Do(func() {
		select {
		case <-p.exited:
		default:
			_ = p.cmd.Process.Signal(syscall.SIGINT)
			select {
			case <-p.exited:
			case <-time.After(pgStopTimeout):
				_ = p.cmd.Process.Kill()
				<-p.exited
				p.stopErr = fmt.Errorf("stop postgres: killed after %s: %s", pgStopTimeout, p.stderr.String())
			}
		}
		if p.ownDir {
			if err := os.RemoveAll(p.dir); err != nil {
				p.stopErr = errors.Join(p.stopErr, fmt.Errorf("stop postgres: %w", err))
			}
		}
	})
	return p.stopErr
}

// tailBuffer keeps the last max bytes written to it, for error messages.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > b.max {
		b.buf = append(b.buf[:0], b.buf[len(b.buf)-b.max:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(bytes.TrimSpace(b.buf))
}

// tail returns at most the last n bytes of out, trimmed.
func tail(out []byte, n int) string {
	if len(out) > n {
		out = out[len(out)-n:]
	}
	return string(bytes.TrimSpace(out))
}
