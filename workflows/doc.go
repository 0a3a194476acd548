// Package workflows is the home of the programme's processes, one package
// each, and of the tests that run them together:
//
//   - selection: the yearly cycle (YearlyCycle) — proposals, consolidation,
//     appraisal, signature and issue of the approval decision — which then
//     runs its cohort's transformation years;
//   - transformation: each commune's transformation (CommuneTransformation)
//     and the cohort that coordinates them within the yearly cycle;
//   - awards: the award rounds (AwardRound);
//   - flow: what every workflow shares — the officers' tasks with their
//     reminders and escalations (TaskBook), the request ledger, the
//     calendar, the mapping of domain errors;
//   - issuing: the document pipeline (number, render, sign, archive,
//     deliver).
//
// The tests of this package run the processes with time skipping over the
// in-memory store, and replay the histories recorded on a real server
// (testdata/).
package workflows
