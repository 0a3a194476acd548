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

// issued says a document issued: its number, day, communes, who signed it
// (or that nobody did: the demo without a signer) and its digest.
func (x *cli) issued(d cycle.Decision) string {
	by := x.sayf("cli.issued_unsigned")
	if d.SignedBy.Name != "" {
		by = x.sayf("cli.issued_signed_by", d.SignedBy.Name)
		if d.SignedBy.Title != "" {
			by = x.sayf("cli.issued_signed_by_as", d.SignedBy.Name, d.SignedBy.Title)
		}
	}
	communes := ""
	if len(d.Communes) > 0 {
		communes = x.sayf("cli.issued_communes", len(d.Communes))
	}
	return x.sayf("cli.result_issued", d.Code, d.Date.Vietnamese(), communes, by, d.SHA256)
}

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
