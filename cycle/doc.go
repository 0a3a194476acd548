// Package cycle is the domain of the hotspot-transformation programme
// ("chuyển hóa địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội"):
// the province registry, the policy a yearly cycle runs under, the officers'
// tasks and roles, and the selection rules as pure functions that return a
// reason per criterion.
//
// It imports nothing of ours and performs no I/O, so workflows, activities,
// the HTTP API and the offline checker all share one implementation of the
// rules. Dates are civil dates in Vietnam's time zone (see Date); Vietnamese
// text is NFC-normalised where it enters (see Clean).
package cycle
