// Package sample provides realistic demo and test data for the
// hotspot-transformation programme: real provinces with their real names and
// codes, and synthetic, clearly labelled figures and proposals built on them.
//
// The registries are embedded copies of the national statistics office's
// administrative units (see data/README.md and the MIT licence beside them):
// five provinces in their three-tier shape of 2024, the provinces of the
// seeds (Provinces, Province), and the 34 two-tier provinces since 1 July
// 2025 (Communes2025).
//
// Everything else is invented and deterministic, so that demos and tests are
// repeatable: which xã are new-rural (nông thôn mới), the crime figures of the
// reference period (Figures), what each district proposes (Proposals), a
// proposal with the mistakes real officers make (BadProposal), and the
// signers' names (placeholder names of the "Nguyễn Văn A" kind). Whatever
// shows these figures must say that they are synthetic; SyntheticLabel is the
// wording to use.
package sample
