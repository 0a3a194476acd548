package main

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/app"
	"chuyenhoa/internal/display"
	"chuyenhoa/sample"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/selection"
)

// demoOptions are the demo's choices beyond the province, year and policy.
type demoOptions struct {
	timeScale     float64
	selectionOnly bool
	historyLimit  int
	realDates     bool // run the selection on real dates, not the demo's calendar (demoCalendar)
	// headSignature is how the head signs the approval decision:
	// "external" (default: through the simulated signer's agent) or
	// "server" (the worker signs with the simulated key).
	headSignature string
}

// runDemo imports the province, runs a worker and plays the officers of
// its yearly cycle: the selection step by step with the refusals a real
// officer meets, then the transformation years (demoTransformation).
func (x *demo) runDemo(ctx context.Context, slug string, year int, pol cycle.Policy, opts demoOptions) error {
	prov, issuer, err := demoProvince(slug)
	if err != nil {
		return err
	}
	if err := x.open(ctx); err != nil {
		return err
	}
	db := x.db
	if err := db.SaveProvince(ctx, prov, issuer); err != nil {
		return err
	}
	if prov.TwoTier() {
		fmt.Fprintf(x.out, "• registry: %s — two tiers since 1 July 2025, no districts: %s, each proposing for itself (new-rural flags synthetic)\n", prov.Name, communes(len(prov.Communes)))
	} else {
		fmt.Fprintf(x.out, "• registry: %s as of 2024 — %s, %s (new-rural flags synthetic)\n", prov.Name, count(len(prov.Districts), "district", "districts"), communes(len(prov.Communes)))
	}
	if err := x.demoDocuments(issuer.SignerName, issuer.CommitteeName, prov); err != nil {
		return err
	}
	signer, err := x.simulatedHead(ctx, opts.headSignature, "head's token;\n  the head signs the approval decision through it. The later documents are signed by the worker with the same demo key")
	if err != nil {
		return err
	}
	if signer != nil {
		defer signer.Close()
	}
	acts, err := app.NewActivities(db, x.cfg)
	if err != nil {
		return err
	}
	w := app.NewWorker(x.c, acts)
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	defer func() { w.Stop() }()
	fmt.Fprintf(x.out, "• worker polling task queue %q; the PDFs it issues are kept in the store and saved to %s\n\n", flow.TaskQueue, x.cfg.OutputDir)

	secretariat := cycle.Actor{ID: "cat.thuongtruc", Name: "Công an tỉnh — Cơ quan Thường trực", Role: cycle.RoleSecretariat}
	in := selection.YearlyCycleInput{Province: prov.Code, Year: year, Policy: pol, StartedBy: secretariat, Synthetic: true,
		TimeScale: opts.timeScale, StopAtDecision: opts.selectionOnly || pol.Evaluation == nil, HistoryLimit: opts.historyLimit}
	if !opts.realDates {
		in.DemoCalendar = demoCalendar(pol, year)
	}
	cycles := x.cycles()
	id := selection.WorkflowID(prov.Code, year)
	step := func(format string, args ...any) { step(x.out, format, args...) }

	run, err := cycles.Start(ctx, in)
	if err != nil {
		return err
	}
	step("1. The secretariat opens cycle %s (policy %s); proposals due %s, decision due %s", run.GetID(), pol.ID,
		pol.Calendar.ProposalsDue.In(year).Vietnamese(), pol.Calendar.DecisionDue.In(year).Vietnamese())
	if cal := in.DemoCalendar; cal != nil {
		fmt.Fprintf(x.out, "   The demo plays in seconds what takes weeks, on its own calendar (--real-dates: today's): proposals on %s, consolidation %s,\n   appraisal %s, signature %s, decision %s\n",
			cal.Proposals.Vietnamese(), cal.Consolidation.Vietnamese(), cal.Appraisal.Vietnamese(), cal.Signing.Vietnamese(), cal.Issue.Vietnamese())
	}
	if _, err := cycles.Start(ctx, in); err != nil {
		step("   Starting it again is refused: %v", err)
	}

	proposals := sample.Proposals(prov, pol, year)
	step("2. %s submit their proposals (every commune's figures, proposed communes with their types)", count(len(proposals), unitKind(prov)+" officer", unitKind(prov)+" officers"))
	first := proposals[0]
	bad := sample.BadProposal(prov, pol, year, first.Unit)
	officer := cycle.Actor{ID: "ca." + first.Unit, Role: cycle.RoleDistrictOfficer, District: first.Unit}
	_, err = cycles.SubmitProposal(ctx, id, selection.SubmitProposalRequest{Request: flow.Request{Actor: officer, RequestID: "demo-bad-" + first.Unit}, Proposal: bad})
	if ce := flow.AsCycleError(err); ce != nil {
		step("   %s's first try is refused whole, nothing recorded:\n     %s", prov.UnitName(first.Unit), display.Indent(display.Describe(ce)))
	} else {
		return fmt.Errorf("the bad proposal was not refused: %v", err)
	}
	wrong := cycle.Actor{ID: "ca." + proposals[1].Unit, Role: cycle.RoleDistrictOfficer, District: proposals[1].Unit}
	_, err = cycles.SubmitProposal(ctx, id, selection.SubmitProposalRequest{Request: flow.Request{Actor: wrong, RequestID: "demo-wrong"}, Proposal: first})
	if ce := flow.AsCycleError(err); ce != nil {
		step("   An officer of another %s tries to submit it: %s", unitKind(prov), display.Describe(ce))
	}
	const shown = 6 // a two-tier province's communes: the first few, then a count
	rest, restProposed := 0, 0
	for i, p := range proposals {
		a := cycle.Actor{ID: "ca." + p.Unit, Role: cycle.RoleDistrictOfficer, District: p.Unit}
		res, err := cycles.SubmitProposal(ctx, id, selection.SubmitProposalRequest{Request: flow.Request{Actor: a, RequestID: "demo-" + p.Unit}, Proposal: p})
		if err != nil {
			return fmt.Errorf("submit %s: %w", p.Unit, err)
		}
		switch {
		case !prov.TwoTier():
			fmt.Fprintf(x.out, "   %-26s revision %d, %s proposed\n", prov.UnitName(p.Unit), res.Revision, communes(res.Proposed))
		case i < shown:
			fmt.Fprintf(x.out, "   %-26s revision %d, %s\n", prov.UnitName(p.Unit), res.Revision, proposedSelf(res.Proposed))
		default:
			rest++
			if res.Proposed > 0 {
				restProposed++
			}
		}
	}
	if rest > 0 {
		fmt.Fprintf(x.out, "   and %s more: %d of them %s\n", communes(rest), restProposed, map[bool]string{true: "proposes itself", false: "propose themselves"}[restProposed == 1])
	}
	again, err := cycles.SubmitProposal(ctx, id, selection.SubmitProposalRequest{Request: flow.Request{Actor: officer, RequestID: "demo-" + first.Unit}, Proposal: first})
	if err != nil {
		return err
	}
	step("   A retried request (same request ID) returns the first result: revision %d, not a new one", again.Revision)

	if err := x.waitTask(ctx, id, cycle.TaskID(cycle.TaskConsolidate, "")); err != nil {
		return err
	}
	sel, err := cycles.Selection(ctx, id)
	if err != nil {
		return err
	}
	step("3. The selection rules of policy %s on %s proposed (in Vietnamese, as the secretariat reads them):", pol.ID, communes(len(sel.Candidates)))
	var buf bytes.Buffer
	display.SelectionVietnamese(&buf, sel, 0)
	fmt.Fprint(x.out, "     "+display.Indent(buf.String()))

	drop := sel.Selected()[len(sel.Selected())-1]
	c1 := cycle.Consolidation{Decisions: []cycle.CommuneDecision{{Commune: drop.Commune, Keep: false, Reason: "Tình hình đã chuyển biến tích cực theo báo cáo thực tế (dữ liệu mẫu)"}}}
	cons, err := cycles.Consolidate(ctx, id, selection.ConsolidateRequest{Request: flow.Request{Actor: secretariat, RequestID: "demo-consolidate"}, Consolidation: c1})
	if err != nil {
		return err
	}
	step("4. The secretariat consolidates: drops %s with a reason; the draft list has %s", drop.Name, communes(len(cons.Draft)))

	// The council's task opens once the workflow has moved on from the
	// consolidation (asynchronously, after the update completed).
	if err := x.waitTask(ctx, id, cycle.TaskID(cycle.TaskAppraise, "")); err != nil {
		return err
	}
	chair := flow.Request{Actor: cycle.Actor{ID: "hd.chutich", Name: "Chủ tịch Hội đồng thẩm định", Role: cycle.RoleCouncilChair}, RequestID: "demo-appraise"}
	ap, err := cycles.Appraise(ctx, id, selection.AppraiseRequest{Request: chair, Appraisal: cycle.Appraisal{Approved: true, Minutes: "Hội đồng thẩm định thống nhất danh sách (dữ liệu mẫu)"}})
	if err != nil {
		return err
	}
	step("5. The appraisal council approves the list of %s and reports it to the head", communes(len(ap.List)))

	if err := x.waitTask(ctx, id, cycle.TaskID(cycle.TaskSign, "")); err != nil {
		return err
	}
	clerkAsSigner := flow.Request{Actor: cycle.Actor{ID: "vanthu", Role: cycle.RoleClerk}, RequestID: "demo-sign-wrong"}
	if _, err := cycles.Sign(ctx, id, selection.SignRequest{Request: clerkAsSigner}); err != nil {
		if ce := flow.AsCycleError(err); ce != nil {
			step("   The clerk tries to sign: %s", display.Describe(ce))
		}
	}
	head := flow.Request{Actor: cycle.Actor{ID: "truongban", Name: issuer.SignerName, Role: cycle.RoleSigner}, RequestID: "demo-sign"}
	sign := selection.SignRequest{Request: head}
	if signer != nil {
		st, err := x.waitState(ctx, id, func(s selection.CycleState) bool { return s.HeadSignature != nil })
		if err != nil {
			return fmt.Errorf("the decision is never prepared for the head's signature: %w", err)
		}
		p := *st.HeadSignature
		step("6. Decision Số %s is numbered, rendered and prepared for the head's own signature (SHA-256 of its byte ranges %x…)", p.Code, p.Digest[:8])
		plain := selection.SignRequest{Request: flow.Request{Actor: head.Actor, RequestID: "demo-sign-plain"}}
		if _, err := cycles.Sign(ctx, id, plain); err != nil {
			if ce := flow.AsCycleError(err); ce != nil {
				step("   Signing without the head's certificate is refused: %s", display.Describe(ce))
			}
		} else {
			return fmt.Errorf("the head's signature without a CMS was not refused")
		}
		if sign.CMS, err = signer.Sign(ctx, p); err != nil {
			return err
		}
	}
	sg, err := cycles.Sign(ctx, id, sign)
	if err != nil {
		return err
	}
	if signer != nil {
		step("   %s %s signs on %s with their own (simulated) certificate through the signing agent; the worker embeds and verifies the signature", issuer.SignerTitle, issuer.SignerName, sg.SignedAt.Vietnamese())
	} else {
		step("6. %s %s signs on %s", issuer.SignerTitle, issuer.SignerName, sg.SignedAt.Vietnamese())
	}

	if err := x.waitTask(ctx, id, cycle.TaskID(cycle.TaskIssue, "")); err != nil {
		return err
	}
	clerk := flow.Request{Actor: cycle.Actor{ID: "vanthu", Name: "Văn thư", Role: cycle.RoleClerk}, RequestID: "demo-issue"}
	d, err := cycles.Issue(ctx, id, selection.IssueRequest{Request: clerk})
	if err != nil {
		return err
	}
	step("7. The clerk issues decision Số %s dated %s approving %s", d.Code, d.Date.Vietnamese(), communes(len(d.Communes)))
	if in.StopAtDecision {
		var result cycle.Decision
		if err := run.Get(ctx, &result); err != nil {
			return fmt.Errorf("cycle: %w", err)
		}
	} else if _, err := x.waitState(ctx, id, func(s selection.CycleState) bool { return s.Phase != cycle.PhaseIssued }); err != nil {
		return err
	}
	st, err := cycles.State(ctx, id)
	if err != nil {
		return err
	}
	audit, err := db.Audit(ctx, id)
	if err != nil {
		return err
	}
	notes, err := db.Notifications(ctx, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(x.out, "\nChu kỳ %s: đã xong bước lựa chọn (giai đoạn %s): %s lượt hoàn thành nhiệm vụ trong nhật ký, %s thông báo nhắc việc.\n", id, st.Phase, soNguyen(len(audit)), soNguyen(len(notes)))
	draft, err := x.pdfs().SaveDraft(ctx, id, in.Year, st.DraftSHA256)
	if err != nil {
		return err
	}
	fmt.Fprintf(x.out, "\nCác tệp PDF (tải từ kho lưu trữ):\n  %s  (dự thảo trình người ký)\n  %s  (quyết định đã ban hành, sha256 %s)\n", draft, x.pdfs().Path(ctx, d), d.SHA256)
	x.demoIssued(ctx, d)
	if in.StopAtDecision {
		return nil
	}
	fmt.Fprintln(x.out)
	if signer != nil {
		// The programme years run on a calendar of about a tenth of a second
		// a day: a decision prepared for the head's own signature is re-dated
		// before any signer could sign it the same day. From here the worker
		// signs as the head with the demo key, and says so.
		w.Stop()
		cfg := x.cfg
		cfg.Signing.Head.Mode = app.HeadServer
		acts, err := app.NewActivities(db, cfg)
		if err != nil {
			return err
		}
		w = app.NewWorker(x.c, acts)
		if err := w.Start(); err != nil {
			return fmt.Errorf("start worker: %w", err)
		}
		fmt.Fprintln(x.out, "• ký số: lịch của các năm chuyển hóa chạy nhanh (khoảng một phần mười giây một ngày), người ký không kịp ký trong ngày văn bản được chuẩn bị; từ đây worker ký thay người ký bằng khóa mẫu (chỉ trong bản trình diễn)")
		fmt.Fprintln(x.out, "• signing: the programme years run at about a tenth of a second a day, faster than a signer can sign a decision the day it is prepared; from here the worker signs as the head with the demo key (the demo only)")
	}
	if err := x.demoTransformation(ctx, prov.Code, year, pol, issuer, opts.timeScale); err != nil {
		return err
	}
	var result cycle.Decision
	if err := run.Get(ctx, &result); err != nil {
		return fmt.Errorf("cycle: %w", err)
	}
	fmt.Fprintf(x.out, "\nCycle %s completed.\n", id)
	return nil
}

// waitTask polls the state query until a task is open (the workflow moves
// on asynchronously after an update completes).
func (x *demo) waitTask(ctx context.Context, cycleID, taskID string) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := x.cycles().State(ctx, cycleID)
		if err != nil {
			return err
		}
		for _, task := range st.OpenTasks {
			if task.ID == taskID {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("cycle %s in phase %s: task %s did not open", cycleID, st.Phase, taskID)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// waitState polls the state query until ok holds.
func (x *demo) waitState(ctx context.Context, cycleID string, ok func(selection.CycleState) bool) (selection.CycleState, error) {
	deadline := time.Now().Add(time.Minute)
	for {
		st, err := x.cycles().State(ctx, cycleID)
		if err == nil && ok(st) {
			return st, nil
		}
		if time.Now().After(deadline) {
			return st, fmt.Errorf("cycle %s in phase %s: gave up waiting (%v)", cycleID, st.Phase, err)
		}
		select {
		case <-ctx.Done():
			return st, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// DefaultDemoProvince is the province the demo runs by default: Quảng
// Ngãi as it is today, two tiers since 1 July 2025 (code 51).
const DefaultDemoProvince = "51"

// demoProvince is a province of 2025 by code (two tiers: communes propose
// for themselves) or a seed province of 2024 by slug (three tiers:
// districts propose), with or without its "-2024" suffix.
func demoProvince(slug string) (cycle.Province, cycle.Issuer, error) {
	if _, err := strconv.Atoi(slug); err != nil {
		return sample.Province(strings.TrimSuffix(slug, "-2024"))
	}
	all, err := sample.Communes2025()
	if err != nil {
		return cycle.Province{}, cycle.Issuer{}, err
	}
	for _, p := range all {
		if p.Code == slug {
			return p, sample.GenericIssuer(p), nil
		}
	}
	return cycle.Province{}, cycle.Issuer{}, cycle.Errorf(cycle.ENOTFOUND, "no province of 2025 has code %q", slug)
}

// proposedSelf says what a commune of a two-tier province proposed: itself or not.
func proposedSelf(n int) string {
	if n == 0 {
		return "does not propose itself"
	}
	return "proposes itself"
}

func unitKind(p cycle.Province) string {
	if p.TwoTier() {
		return "commune"
	}
	return "district"
}
