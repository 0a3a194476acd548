package e2e

// The machinery of the fault tests (faults_test.go): the real worker
// binary run as child processes that can be SIGKILLed and restarted, a
// PostgreSQL server of the test's own that can be stopped and started
// again on its data, and a chaos loop that kills workers at random.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
	"chuyenhoa/devserver"
	"chuyenhoa/sample"
)

// faultBuildWorker builds the worker binary (package chuyenhoa/worker)
// into dir and returns its path.
func faultBuildWorker(t *testing.T, dir string) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(dir, "worker")
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	start := time.Now()
	out, err := exec.CommandContext(ctx, goBin, "build", "-o", bin, "chuyenhoa/worker").CombinedOutput()
	require.NoError(t, err, "go build chuyenhoa/worker: %s", out)
	t.Logf("built the worker binary in %s", time.Since(start).Round(time.Millisecond))
	return bin
}

// faultProc is one run of a worker process.
type faultProc struct {
	slot, n int
	cmd     *exec.Cmd
	log     string        // its stderr (JSON log lines)
	done    chan struct{} // closed once it has exited and been waited for
	killed  bool          // we SIGKILLed it (under faultWorkers.mu)
	pause   time.Duration // how long its slot waits before starting the next run
}

// faultWorkers supervises worker processes in numbered slots: a wanted
// slot always gets a new process after its last one exited — after the
// pause chosen when it was killed, or after a second when it exited by
// itself (e.g. it could not reach PostgreSQL while it was down).
type faultWorkers struct {
	t      *testing.T
	bin    string
	env    []string
	logDir string

	mu      sync.Mutex
	wanted  map[int]bool
	procs   map[int]*faultProc // slot → its current process, if running
	runs    int                // processes started
	kills   int                // processes we SIGKILLed
	exits   int                // processes that exited by themselves
	stopped bool
	wg      sync.WaitGroup
	// onKill, when set (before the first kill), is told of every SIGKILL
	// right after the process is gone: the test measures from there how
	// long the steps it held took to resume on another worker.
	onKill func(p *faultProc, n int, at time.Time, why string)
}

func newFaultWorkers(t *testing.T, bin string, env []string, logDir string) *faultWorkers {
	w := &faultWorkers{t: t, bin: bin, env: env, logDir: logDir, wanted: map[int]bool{}, procs: map[int]*faultProc{}}
	t.Cleanup(w.stopAll)
	return w
}

// want starts supervising slot (a process is started at once).
func (w *faultWorkers) want(slot int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.wanted[slot] || w.stopped {
		return
	}
	w.wanted[slot] = true
	w.wg.Add(1)
	go w.supervise(slot)
}

// unwant stops supervising slot and kills its process.
func (w *faultWorkers) unwant(slot int) {
	w.mu.Lock()
	w.wanted[slot] = false
	p := w.procs[slot]
	w.mu.Unlock()
	if p != nil {
		w.kill(p, 0, "slot retired")
	}
}

func (w *faultWorkers) supervise(slot int) {
	defer w.wg.Done()
	for {
		w.mu.Lock()
		if !w.wanted[slot] || w.stopped {
			w.mu.Unlock()
			return
		}
		w.runs++
		n := w.runs
		w.mu.Unlock()
		p, err := w.start(slot, n)
		if err != nil {
			w.t.Errorf("fault: start worker %d: %v", slot, err)
			return
		}
		<-p.done
		w.mu.Lock()
		delete(w.procs, slot)
		killed, pause, stopped := p.killed, p.pause, w.stopped
		if !killed && !stopped {
			w.exits++
			pause = time.Second
		}
		w.mu.Unlock()
		if stopped {
			return
		}
		if !killed {
			w.t.Logf("fault: worker %d (run %d, pid %d) exited by itself (%v): %s", slot, n, p.cmd.Process.Pid, p.cmd.ProcessState, faultTail(p.log, 3))
		}
		time.Sleep(pause)
	}
}

func (w *faultWorkers) start(slot, n int) (*faultProc, error) {
	logPath := filepath.Join(w.logDir, fmt.Sprintf("worker-%d-run-%02d.log", slot, n))
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(w.bin)
	cmd.Env = append(os.Environ(), w.env...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Dir = w.logDir
	// The worker dies with the test process, whatever happens to it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		f.Close()
		return nil, errors.New("stopped")
	}
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, err
	}
	p := &faultProc{slot: slot, n: n, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		f.Close()
		close(p.done)
	}()
	w.procs[slot] = p
	return p, nil
}

// kill SIGKILLs p; its slot starts a new process after pause.
func (w *faultWorkers) kill(p *faultProc, pause time.Duration, why string) bool {
	w.mu.Lock()
	if p.killed {
		w.mu.Unlock()
		return false
	}
	select {
	case <-p.done:
		w.mu.Unlock()
		return false
	default:
	}
	p.killed, p.pause = true, pause
	w.kills++
	k := w.kills
	at := time.Now()
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	onKill := w.onKill
	w.mu.Unlock()
	<-p.done
	w.t.Logf("fault: SIGKILL #%d: worker %d (run %d, pid %d) %s; restart in %s", k, p.slot, p.n, p.cmd.Process.Pid, why, pause.Round(time.Millisecond))
	if onKill != nil {
		onKill(p, k, at, why)
	}
	return true
}

// running returns the processes running now, by slot.
func (w *faultWorkers) running() []*faultProc {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []*faultProc
	for slot := 0; slot < 8; slot++ {
		if p := w.procs[slot]; p != nil {
			out = append(out, p)
		}
	}
	return out
}

// killAll SIGKILLs every running worker; each comes back after pause.
func (w *faultWorkers) killAll(pause time.Duration, why string) int {
	n := 0
	for _, p := range w.running() {
		if w.kill(p, pause, why) {
			n++
		}
	}
	return n
}

// awaitRunning waits until n workers run (or ctx ends).
func (w *faultWorkers) awaitRunning(ctx context.Context, n int) error {
	for len(w.running()) < n {
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %d running workers: %w", n, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
	return nil
}

func (w *faultWorkers) counts() (runs, kills, exits int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.runs, w.kills, w.exits
}

// stopAll kills every worker for good and waits for the supervisors.
func (w *faultWorkers) stopAll() {
	w.mu.Lock()
	w.stopped = true
	var procs []*faultProc
	for _, p := range w.procs {
		procs = append(procs, p)
	}
	w.mu.Unlock()
	for _, p := range procs {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.done
	}
	w.wg.Wait()
}

// logTails returns the last lines of the latest worker logs, for a
// failed test.
func (w *faultWorkers) logTails(logs, lines int) string {
	paths, _ := filepath.Glob(filepath.Join(w.logDir, "worker-*.log"))
	modified := func(p string) time.Time {
		fi, err := os.Stat(p)
		if err != nil {
			return time.Time{}
		}
		return fi.ModTime()
	}
	sort.Slice(paths, func(i, j int) bool { return modified(paths[i]).Before(modified(paths[j])) })
	if len(paths) > logs {
		paths = paths[len(paths)-logs:]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "(all logs in %s)\n", w.logDir)
	for _, p := range paths {
		fmt.Fprintf(&b, "--- %s\n%s\n", filepath.Base(p), faultTail(p, lines))
	}
	return b.String()
}

// faultTail returns the last n lines of a file.
func faultTail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	var last []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		last = append(last, sc.Text())
		if len(last) > n {
			last = last[1:]
		}
	}
	return strings.Join(last, "\n")
}

// faultChaos kills a random worker (or, one time in four, all of them)
// every 2–5 s, when allow says so, until stopped; each comes back after
// 0.2–1.5 s. It can be paused around a step that must not be disturbed.
type faultChaos struct {
	w     *faultWorkers
	rng   *rand.Rand
	rngMu *sync.Mutex
	// allow names the cycle's phase and says whether a random kill may
	// happen now (it counts the kills it allows).
	allow  func() (phase string, ok bool)
	mu     sync.Mutex
	paused bool
	stop   chan struct{}
	done   chan struct{}
}

func startFaultChaos(w *faultWorkers, rng *rand.Rand, rngMu *sync.Mutex, allow func() (string, bool)) *faultChaos {
	c := &faultChaos{w: w, rng: rng, rngMu: rngMu, allow: allow, stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c
}

func (c *faultChaos) between(lo, hi time.Duration) time.Duration {
	c.rngMu.Lock()
	defer c.rngMu.Unlock()
	return lo + time.Duration(c.rng.Int63n(int64(hi-lo)))
}

func (c *faultChaos) intn(n int) int {
	c.rngMu.Lock()
	defer c.rngMu.Unlock()
	return c.rng.Intn(n)
}

func (c *faultChaos) run() {
	defer close(c.done)
	for {
		select {
		case <-c.stop:
			return
		case <-time.After(c.between(2*time.Second, 5*time.Second)):
		}
		c.mu.Lock()
		paused := c.paused
		c.mu.Unlock()
		if paused {
			continue
		}
		procs := c.w.running()
		if len(procs) == 0 {
			continue
		}
		phase, ok := c.allow()
		if !ok {
			continue
		}
		pause := c.between(200*time.Millisecond, 1500*time.Millisecond)
		why := "at random, in phase " + phase
		if len(procs) > 1 && c.intn(4) == 0 {
			c.w.killAll(pause, why+" (all workers)")
			continue
		}
		c.w.kill(procs[c.intn(len(procs))], pause, why)
	}
}

func (c *faultChaos) setPaused(p bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.paused = p
}

func (c *faultChaos) halt() {
	select {
	case <-c.stop:
	default:
		close(c.stop)
	}
	<-c.done
}

// faultPostgres is a PostgreSQL server of the test's own, on a data
// directory and port that survive a restart.
type faultPostgres struct {
	t    *testing.T
	dir  string // the data directory (under a parent the postgres user can reach)
	port int
	mu   sync.Mutex
	pg   *devserver.Postgres // nil while it is down for good
}

func startFaultPostgres(t *testing.T) *faultPostgres {
	t.Helper()
	if _, err := devserver.FindPostgresBin(); err != nil {
		t.Skipf("no local PostgreSQL server programs: %v", err)
	}
	// t.TempDir's parent is mode 0700: the postgres user (we may be root)
	// could not reach a data directory there.
	parent, err := os.MkdirTemp("", "fault-pg-")
	require.NoError(t, err)
	require.NoError(t, os.Chmod(parent, 0o755))
	t.Cleanup(func() { _ = os.RemoveAll(parent) })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pg, err := devserver.StartPostgres(ctx, devserver.PostgresOptions{Dir: filepath.Join(parent, "data")})
	require.NoError(t, err)
	p := &faultPostgres{t: t, dir: pg.Dir(), port: pg.Port(), pg: pg}
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.pg != nil {
			_ = p.pg.Stop()
		}
	})
	return p
}

// url is the server's URL; it stays the same across restarts.
func (p *faultPostgres) url() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", p.port)
}

// restart stops the server (fast shutdown: every connection is cut), keeps
// it down for down, and starts it again on the same data and port.
func (p *faultPostgres) restart(ctx context.Context, down time.Duration) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	port := p.port
	start := time.Now()
	if err := p.pg.Stop(); err != nil {
		return err
	}
	p.t.Logf("fault: PostgreSQL stopped (port %d)", port)
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(down):
	}
	pg, err := devserver.StartPostgres(ctx, devserver.PostgresOptions{Dir: p.dir, Port: port})
	if err != nil {
		p.pg = nil
		return fmt.Errorf("start PostgreSQL again on %s, port %d: %w", p.dir, port, err)
	}
	p.pg = pg
	p.t.Logf("fault: PostgreSQL back on port %d after %s", port, time.Since(start).Round(time.Millisecond))
	return nil
}

// cohortProposals are the sample proposals of a province's units cut down
// to the first n communes the rules select (each proposal keeps its
// unit's full statistics; the other units propose none): a small cohort
// for the tests that live through the transformation years.
func cohortProposals(t *testing.T, prov cycle.Province, pol cycle.Policy, year, n int) []cycle.Proposal {
	t.Helper()
	all := sample.Proposals(prov, pol, year)
	keep := map[string]bool{}
	for _, s := range cycle.Select(prov, pol, all).Selected() {
		if len(keep) < n {
			keep[s.Commune] = true
		}
	}
	require.Len(t, keep, n)
	var out []cycle.Proposal
	for _, p := range all {
		var kept []cycle.ProposedCommune
		for _, pc := range p.Proposed {
			if keep[pc.Commune] {
				kept = append(kept, pc)
			}
		}
		p.Proposed = kept
		out = append(out, p)
	}
	return out
}
