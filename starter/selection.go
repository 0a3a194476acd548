package main

import (
	"encoding/json"
	"os"
	"strings"

	"chuyenhoa/cycle"
)

// The selection's tasks: a unit's proposal, the secretariat's
// consolidation, the council's appraisal, the head's signature and the
// clerk's issue, each an update of the cycle's workflow.

func readJSONFile(file string, v any) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return cycle.Errorf(cycle.EINVALID, "%s: %v", file, err)
	}
	return nil
}

// cyclePolicy is the policy a new cycle runs under: the one named (a
// shipped ID or a file), or the shipped policy in force for the province on
// 1 January of the cycle's year (seed 000 where none is). The cycle keeps
// it for its whole life.
