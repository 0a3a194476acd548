package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
)

// web is a test's Chromium tab on the API's web pages, signed in as one
// account at a time. Every step is saved as a screenshot. With checks on,
// every page a step ends on is also checked for English phrases of the
// message catalogue, and each kind of page, the first time it is seen,
// for sideways scrolling at 1280 and at 390 px (a phone).
type web struct {
	t   *testing.T
	e   *apiEnv
	ctx context.Context
	dir string
	who string // the account signed in ("": none)

	checks  bool
	english []string        // the catalogue's English phrases (checks on)
	kinds   map[string]bool // the kinds of page checked at 390 px
	pages   []string        // the kinds in the order first seen
}

func newWeb(t *testing.T, e *apiEnv) *web {
	t.Helper()
	dir := *screenshots
	if dir == "" {
		dir = t.TempDir()
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	return &web{t: t, e: e, ctx: browser(t), dir: dir, kinds: map[string]bool{}}
}

// checkPages turns on the checks of every page: no English of the
// catalogue, no sideways scrolling.
func (w *web) checkPages() {
	w.checks = true
	w.english = englishPhrases()
	require.NotEmpty(w.t, w.english)
	w.t.Logf("%d English phrases of the message catalogue looked for on every page", len(w.english))
}

// step runs the actions and saves a screenshot under the step's name.
func (w *web) step(name string, actions ...chromedp.Action[chromedp.Void]) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.ctx, 90*time.Second)
	defer cancel()
	require.NoError(w.t, chromedp.Do(ctx, actions...), "step %s", name)
	cancel()
	ctx, cancel = context.WithTimeout(w.ctx, 60*time.Second)
	defer cancel()
	w.shot(ctx, name)
	if w.checks {
		w.checkPage(ctx, name)
	}
}

func (w *web) shot(ctx context.Context, name string) {
	w.t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(w.t, err)
	path := filepath.Join(w.dir, name+".png")
	require.NoError(w.t, os.WriteFile(path, png, 0o644))
	w.t.Logf("screenshot %s", path)
}

// pageKind is a page's address with its codes and years taken out: the
// pages of one kind share a template.
var pageCodes = regexp.MustCompile(`/[^/]*[0-9][^/]*`)

// checkPage looks for the catalogue's English on the page, and, on a kind
// of page not seen before, for sideways scrolling at 1280 and 390 px.
func (w *web) checkPage(ctx context.Context, name string) {
	w.t.Helper()
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	require.NoError(w.t, err)
	body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
	require.NoError(w.t, err)
	low := strings.ToLower(body)
	for _, p := range w.english {
		require.NotContains(w.t, low, p, "step %s: %s shows English from the message catalogue", name, href)
	}
	kind := pageCodes.ReplaceAllString(href, "/#")
	if w.kinds[kind] {
		return
	}
	w.kinds[kind] = true
	w.pages = append(w.pages, kind)
	for _, width := range []int64{1280, 390} {
		_, err := chromedp.Run(ctx, chromedp.EmulateViewport(width, 900))
		require.NoError(w.t, err)
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
		require.NoError(w.t, err)
		require.False(w.t, wide, "step %s: %s scrolls sideways at %d px", name, href, width)
		if width == 390 {
			w.shot(ctx, name+"-390")
		}
	}
	_, err = chromedp.Run(ctx, chromedp.EmulateViewport(1280, 900))
	require.NoError(w.t, err)
}

// text is the text of the first element sel matches.
func (w *web) text(sel string) string {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	require.NoError(w.t, err, "text of %s", sel)
	return s
}

// eval evaluates a script on the page.
func eval[T any](w *web, script string) T {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](script))
	require.NoError(w.t, err, "evaluate %s", script)
	return v
}

// signIn signs in on the sign-in page the inbox sends a visitor to.
func (w *web) signIn(name, account string) {
	w.t.Helper()
	w.step(name,
		chromedp.Navigate(w.e.srv.URL+"/inbox"),
		chromedp.WaitVisible(chromedp.CSS("#signin-form")),
		chromedp.SendKeys(chromedp.CSS("#account"), account),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS("#signin")),
		chromedp.WaitVisible(chromedp.CSS("#who")),
	)
	w.who = account
}

// switchTo signs out and in as another account.
func (w *web) switchTo(name, account string) {
	w.t.Helper()
	require.NoError(w.t, chromedp.Do(w.ctx, chromedp.Navigate(w.e.srv.URL+"/inbox"), chromedp.WaitVisible(chromedp.CSS("#signout")),
		chromedp.Click(chromedp.CSS("#signout")), chromedp.WaitVisible(chromedp.CSS("#signin-form"))))
	w.who = ""
	w.signIn(name, account)
}

// as makes sure the account is the one signed in.
func (w *web) as(name, account string) {
	w.t.Helper()
	switch w.who {
	case account:
	case "":
		w.signIn(name, account)
	default:
		w.switchTo(name, account)
	}
}

// openTask waits for a task in the inbox, opens it with its button
// (the first one, or the one of the task's ID), and waits for its form.
func (w *web) openTask(name, taskID string) {
	w.t.Helper()
	sel := "#tasks a.button"
	if taskID != "" {
		sel = fmt.Sprintf(`#tasks tr[data-task="%s"] a.button`, taskID)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(w.ctx, 10*time.Second)
		require.NoError(w.t, chromedp.Do(ctx, chromedp.Navigate(w.e.srv.URL+"/inbox"), chromedp.WaitVisible(chromedp.CSS("h1"))))
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
		cancel()
		require.NoError(w.t, err)
		if n > 0 {
			break
		}
		require.True(w.t, time.Now().Before(deadline), "no task %q in the inbox of %s for %s", taskID, w.who, name)
		time.Sleep(100 * time.Millisecond)
	}
	w.step(name, chromedp.Click(chromedp.CSS(sel)), chromedp.WaitVisible(chromedp.CSS("#task-form")))
}

// formatVerb is a fmt verb of the catalogue's texts.
var formatVerb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// englishPhrases are the catalogue's English texts cut at their
// arguments, in lower case: the pieces of three words or more, unless the
// Vietnamese text holds them too (a name, a code).
func englishPhrases() []string {
	seen := map[string]bool{}
	for _, code := range cycle.MessageCodes() {
		t, _ := cycle.Message(code)
		vi := strings.ToLower(t.VI)
		for _, piece := range formatVerb.Split(t.EN, -1) {
			p := strings.ToLower(strings.Trim(strings.TrimSpace(piece), " ,.:;()\"'«»—-"))
			words := 0
			for _, f := range strings.Fields(p) {
				if regexp.MustCompile(`^[a-z]+$`).MatchString(strings.Trim(f, ",.:;()'")) {
					words++
				}
			}
			if words < 3 || strings.Contains(vi, p) {
				continue
			}
			seen[p] = true
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
