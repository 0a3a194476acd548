package cycle

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. They are mapped once at each edge: to a non-retryable
// Temporal application error type, to an HTTP status, to a CLI exit message.
const (
	EINVALID   = "invalid"   // the input is malformed or breaks a rule
	ENOTFOUND  = "not_found" // the thing referred to does not exist
	ECONFLICT  = "conflict"  // the request clashes with the current state (wrong phase, duplicate cycle, late revision)
	EFORBIDDEN = "forbidden" // the actor may not do this (wrong role or district)
	EINTERNAL  = "internal"  // a fault of ours
)

// Problem is one thing wrong with an input: where it is, which rule it
// breaks, and the figures involved.
type Problem struct {
	Field   string `json:"field,omitempty"`   // the program's path, e.g. "proposed[2].types", for API clients and logs
	Commune string `json:"commune,omitempty"` // commune code and name, when the problem is about a commune
	Rule    string `json:"rule"`              // stable rule identifier, e.g. "selection.new_rural"
	Message string `json:"message"`           // English, with the figures compared: logs, --lang en
	// Text is the message in Vietnamese, with the figures compared, for
	// officers (see NewProblem and the message catalogue).
	Text string `json:"text,omitempty"`
	// Where is the problem's place in the officer's file, when it came
	// from one: what officers are shown instead of Field.
	Where *Location `json:"where,omitempty"`
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(": ")
	}
	if p.Commune != "" {
		b.WriteString(p.Commune)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	b.WriteString(" [")
	b.WriteString(p.Rule)
	b.WriteString("]")
	return b.String()
}

// Error is the domain's error: a code, a message, and the problems found.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Text is the message in Vietnamese, for officers (see Fail).
	Text     string    `json:"text,omitempty"`
	Problems []Problem `json:"problems,omitempty"`
}

func (e *Error) Error() string {
	if len(e.Problems) == 0 {
		return e.Message
	}
	probs := Bound(e.Problems, MaxProblems) // a log line, an audit row: never millions of characters
	parts := make([]string, len(probs))
	for i, p := range probs {
		parts[i] = p.String()
	}
	return e.Message + ": " + strings.Join(parts, "; ")
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error listing the problems, or nil when there
// are none.
func Invalid(message string, problems []Problem) error {
	if len(problems) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: message, Text: InvalidHeading(message), Problems: problems}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// AsError returns the first *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
