// Package readme holds the checks that keep the README's command blocks
// true: each block that a script runs in CI is compared with that script,
// line by line.
package readme

import (
	"bufio"
	"fmt"
	"strings"
)

// Block returns the lines of the first ```sh block after the heading
// that starts with heading ("## Driving a cycle by hand"), or an error
// naming what is missing.
func Block(markdown, heading string) ([]string, error) {
	sc := bufio.NewScanner(strings.NewReader(markdown))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var lines []string
	state := 0 // 0 looking for the heading, 1 for the fence, 2 inside
	for sc.Scan() {
		l := sc.Text()
		switch state {
		case 0:
			if strings.HasPrefix(l, heading) {
				state = 1
			}
		case 1:
			if strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "###") {
				return nil, fmt.Errorf("no ```sh block under %q before %q", heading, l)
			}
			if strings.TrimSpace(l) == "```sh" {
				state = 2
			}
		case 2:
			if strings.TrimSpace(l) == "```" {
				return lines, nil
			}
			lines = append(lines, l)
		}
	}
	if state == 0 {
		return nil, fmt.Errorf("no heading %q", heading)
	}
	return nil, fmt.Errorf("the block under %q is not closed", heading)
}

// Commands splits a block's lines into the commands they run: comments
// (whole lines, or after "  #") dropped, ";" separating commands, blank
// lines skipped, spaces squeezed.
func Commands(lines []string) []string {
	var out []string
	for _, l := range lines {
		if i := strings.Index(l, "  #"); i >= 0 {
			l = l[:i]
		}
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		for _, c := range strings.Split(l, " ; ") {
			if c = strings.Join(strings.Fields(c), " "); c != "" {
				out = append(out, c)
			}
		}
	}
	return out
}

// Missing returns the commands of which no line of script contains the
// command, in order (spaces squeezed on both sides).
func Missing(commands []string, script string) []string {
	var lines []string
	for _, l := range strings.Split(script, "\n") {
		lines = append(lines, strings.Join(strings.Fields(l), " "))
	}
	var missing []string
next:
	for _, c := range commands {
		for _, l := range lines {
			if strings.Contains(l, c) {
				continue next
			}
		}
		missing = append(missing, c)
	}
	return missing
}
