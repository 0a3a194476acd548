package cycle

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaxProposalBytes bounds a proposal file: a district's table is a few
// kilobytes; anything near this is not a proposal.
const MaxProposalBytes = 4 << 20

// ReadProposalJSON reads a proposal in the JSON form of Proposal. Unknown
// fields are refused (a misspelt field would otherwise be silently
// ignored), as is trailing data. If unit is not empty it fills an empty
// "unit" and must match a given one.
func ReadProposalJSON(r io.Reader, unit string) (Proposal, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxProposalBytes+1))
	if err != nil {
		return Proposal{}, fmt.Errorf("read proposal: %w", err)
	}
	if len(data) > MaxProposalBytes {
		return Proposal{}, Errorf(EINVALID, "proposal file is larger than %d bytes", MaxProposalBytes)
	}
	data = TrimBOM(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Proposal
	if err := dec.Decode(&p); err != nil {
		return Proposal{}, Errorf(EINVALID, "proposal JSON: %s", jsonErrorAt(data, err))
	}
	if dec.More() {
		return Proposal{}, Errorf(EINVALID, "proposal JSON: unexpected data after the proposal object")
	}
	return withUnit(p, unit)
}

func withUnit(p Proposal, unit string) (Proposal, error) {
	p.Normalize()
	unit = Clean(unit)
	switch {
	case unit != "" && p.Unit == "":
		p.Unit = unit
	case unit != "" && p.Unit != unit:
		return Proposal{}, Errorf(EINVALID, "the file is the proposal of unit %q, not %q", p.Unit, unit)
	case p.Unit == "":
		return Proposal{}, Errorf(EINVALID, "the proposal does not say which unit it is from")
	}
	return p, nil
}

// jsonErrorAt describes a decoding error with its line and column.
func jsonErrorAt(data []byte, err error) string {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
		return fmt.Sprintf("line %s: field %q: %v is not a valid %s", lineCol(data, off), te.Field, te.Value, te.Type)
	}
	if off < 0 {
		return err.Error()
	}
	return fmt.Sprintf("line %s: %v", lineCol(data, off), err)
}

func lineCol(data []byte, off int64) string {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - int64(bytes.LastIndexByte(data[:off], '\n'))
	return fmt.Sprintf("%d, column %d", line, col)
}

// ProposalCSVHeader is the header of the CSV form of a proposal: one row
// per commune of the unit with its figures; "proposed" is "x" (or yes/1/true)
// for the communes proposed, "types" their types separated by ";" or ",".
var ProposalCSVHeader = []string{"commune_code", "commune_name", "social_order_crimes", "economic_cases", "environment_cases", "drug_cases", "proposed", "types", "reason"}

// ReadProposalCSV reads a proposal in its CSV form (see
// ProposalCSVHeader; "commune_name" is optional and only for people). Every
// problem is reported with its line and column name, all at once.
func ReadProposalCSV(r io.Reader, unit string) (Proposal, error) {
	cr := csv.NewReader(io.LimitReader(r, MaxProposalBytes))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return Proposal{}, Errorf(EINVALID, "proposal CSV: header: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimPrefix(strings.TrimSpace(h), "\ufeff"))] = i
	}
	var probs []Problem
	for _, need := range []string{"commune_code", "social_order_crimes", "economic_cases", "environment_cases", "drug_cases", "proposed", "types"} {
		if _, ok := col[need]; !ok {
			probs = append(probs, Problem{Field: need, Rule: "csv.column", Message: "missing column " + need})
		}
	}
	if len(probs) > 0 {
		return Proposal{}, Invalid("proposal CSV", probs)
	}
	p := Proposal{Unit: unit}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Proposal{}, Errorf(EINVALID, "proposal CSV: line %d: %v", line, err)
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return Clean(rec[i])
			}
			return ""
		}
		num := func(name string) int {
			s := get(name)
			if s == "" {
				return 0
			}
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				probs = append(probs, Problem{Field: fmt.Sprintf("line %d: %s", line, name), Rule: "csv.number", Message: fmt.Sprintf("%q is not a whole number ≥ 0", s)})
			}
			return n
		}
		code := get("commune_code")
		if code == "" {
			if strings.Join(rec, "") == "" {
				continue // blank line
			}
			probs = append(probs, Problem{Field: fmt.Sprintf("line %d: commune_code", line), Rule: "csv.required", Message: "commune code is empty"})
			continue
		}
		f := Figures{SocialOrderCrimes: num("social_order_crimes"), EconomicCases: num("economic_cases"), EnvironmentCases: num("environment_cases"), DrugCases: num("drug_cases")}
		p.Statistics = append(p.Statistics, CommuneFigures{Commune: code, Figures: f})
		switch strings.ToLower(get("proposed")) {
		case "", "0", "no", "false", "không":
			if get("types") != "" {
				probs = append(probs, Problem{Field: fmt.Sprintf("line %d: types", line), Rule: "csv.types", Message: "types given for a commune not marked as proposed"})
			}
		case "x", "1", "yes", "true", "có":
			pc := ProposedCommune{Commune: code, Reason: get("reason")}
			for _, t := range strings.FieldsFunc(get("types"), func(r rune) bool { return r == ';' || r == ',' || r == ' ' }) {
				n, err := strconv.Atoi(t)
				if err != nil {
					probs = append(probs, Problem{Field: fmt.Sprintf("line %d: types", line), Rule: "csv.types", Message: fmt.Sprintf("%q is not a type number (1–4)", t)})
					continue
				}
				pc.Types = append(pc.Types, CrimeType(n))
			}
			p.Proposed = append(p.Proposed, pc)
		default:
			probs = append(probs, Problem{Field: fmt.Sprintf("line %d: proposed", line), Rule: "csv.proposed", Message: fmt.Sprintf("%q: want x or empty", get("proposed"))})
		}
	}
	if len(probs) > 0 {
		return Proposal{}, Invalid("proposal CSV", probs)
	}
	return withUnit(p, unit)
}

// WriteProposalCSV writes a proposal in its CSV form, naming communes from
// the registry so that officers can read the file.
func WriteProposalCSV(w io.Writer, prov Province, p Proposal) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ProposalCSVHeader); err != nil {
		return err
	}
	proposed := map[string]ProposedCommune{}
	for _, pc := range p.Proposed {
		proposed[pc.Commune] = pc
	}
	for _, s := range p.Statistics {
		c, _ := prov.Commune(s.Commune)
		mark, types, reason := "", "", ""
		if pc, ok := proposed[s.Commune]; ok {
			mark, reason = "x", pc.Reason
			types = strings.ReplaceAll(pc.Types.String(), ", ", ";")
		}
		rec := []string{s.Commune, c.Name, strconv.Itoa(s.SocialOrderCrimes), strconv.Itoa(s.EconomicCases), strconv.Itoa(s.EnvironmentCases), strconv.Itoa(s.DrugCases), mark, types, reason}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// TrimBOM drops a UTF-8 byte-order mark at the start of a file: Windows
// editors write one, and JSON does not allow it.
func TrimBOM(data []byte) []byte { return bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) }
