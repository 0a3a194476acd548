// Package intake reads the files officers produce: proposal tables as
// CSV (comma, semicolon or tab separated, with or without a byte-order
// mark, CRLF or LF) or Excel workbooks, and JSON files (proposals, the
// offline checker's input, transformation reports). Text in UTF-8 is read
// as it is; text in the legacy Vietnamese encodings still found in
// provincial files — Windows-1258, TCVN3 (the ".VnTime" fonts of ABC) and
// VNI-Windows — is recognised by the share of valid Vietnamese syllables
// each reading gives and converted to NFC Unicode, or refused with a
// message that names the encoding found.
//
// Every limit is checked before parsing and said, never applied silently:
// a file's size (MaxFileBytes and the callers' limits), a table's rows, a
// field's length. Every problem points into the file — the CSV line and
// column title, the sheet, row and cell of a workbook, the line and path
// of a JSON value — and is said in Vietnamese and English from the
// message catalogue of package cycle; refusals list at most
// cycle.MaxProblems problems and sum up the rest.
//
// The CLI (`starter proposal submit`), the HTTP API and the offline
// checker (`starter check`) all read files through this package, so one
// sample gives the same answer on each path. The domain's reading of a
// decoded table stays in package cycle (cycle.ReadProposalTable); intake
// is about bytes.
package intake
