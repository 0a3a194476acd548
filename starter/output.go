package main

import (
	"encoding/json"
	"fmt"

	"chuyenhoa/cycle"
)

// What the commands print: catalogue messages in the officer's language,
// and JSON when asked.

// sayf says a catalogue message in the language of the run.
func (x *cli) sayf(code string, args ...any) string { return cycle.Say(x.lang, code, args...) }

// printf prints a catalogue message as a line.
func (x *cli) printf(code string, args ...any) { fmt.Fprintln(x.out, x.sayf(code, args...)) }

// raw prints the API's raw response (--json).
func (x *cli) raw(b []byte) error {
	_, err := x.out.Write(b)
	return err
}

// printJSON prints v as indented JSON.
func (x *cli) printJSON(v any) error {
	enc := json.NewEncoder(x.out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// print prints v as JSON when asJSON, else calls text (the operators'
// commands).
func (x *cli) print(asJSON bool, v any, text func()) {
	if asJSON {
		_ = x.printJSON(v)
		return
	}
	text()
}
