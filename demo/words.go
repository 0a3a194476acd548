package main

import "chuyenhoa/cycle"

// count writes n and a noun in English, singular for exactly one: "1
// commune", "0 communes", "3,321 communes" (the narration's English; the
// officers' figures and the summaries are in Vietnamese, whose nouns do not
// change with the number).
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return grouped(n) + " " + many
}

// communes is count for communes, the noun the demo counts most.
func communes(n int) string { return count(n, "commune", "communes") }

// soNguyen writes a whole number the Vietnamese way: "3.321".
func soNguyen(n int) string { return cycle.Int(n).Say(cycle.Vietnamese) }
