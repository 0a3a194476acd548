package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/flow"
	"chuyenhoa/workflows/issuing"
	"chuyenhoa/workflows/selection"
	"chuyenhoa/workflows/transformation"
)

// A sign task that signs several documents (the year's results) hands
// each one out, in order, with its own PDF; the top-level fields are the
// first's, as the signing agent and older clients read them.
func TestSignatureRequestListsEveryDocument(t *testing.T) {
	task := cycle.Task{CycleID: "cycle/51/2027", ID: "sign_results/2027", Kind: cycle.TaskSignResults}
	ps := []issuing.PendingSignature{
		{Code: "3/TB-BCĐ", Digest: []byte{1, 2, 3}, Reason: "Ký ban hành 3/TB-BCĐ", Time: time.Date(2028, 1, 2, 9, 0, 0, 0, time.UTC)},
		{Code: "4/BC-BCĐ", Digest: []byte{4, 5, 6}, Reason: "Ký ban hành 4/BC-BCĐ"},
	}
	req := signatureRequestOf(task, ps, "/api/signature-pdfs/", false)
	if len(req.Documents) != 2 || req.Code != "3/TB-BCĐ" || req.DigestB64 != base64.StdEncoding.EncodeToString([]byte{1, 2, 3}) {
		t.Fatalf("request: %+v", req)
	}
	if d := req.Documents[1]; d.Code != "4/BC-BCĐ" || d.Digest != "040506" || d.HashAlg != "SHA-256" || d.PDF != req.PDF+"?doc=2" {
		t.Fatalf("second document: %+v", d)
	}
}

// The body's signatures: one CMS or a list, each base64; a bad one is a
// Vietnamese refusal naming which.
func TestSignatureBodySignatures(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString
	if got, err := (SignatureBody{CMSB64: b64([]byte("a"))}).signatures(); err != nil || len(got) != 1 {
		t.Fatalf("one: %v %v", got, err)
	}
	if got, err := (SignatureBody{CMSList: []string{b64([]byte("a")), b64([]byte("b"))}}).signatures(); err != nil || len(got) != 2 || string(got[1]) != "b" {
		t.Fatalf("list: %v %v", got, err)
	}
	_, err := (SignatureBody{CMSList: []string{b64([]byte("a")), "không phải base64"}}).signatures()
	if ce := cycle.AsError(err); ce == nil || ce.Text != cycle.Say(cycle.Vietnamese, "api.cms_b64_of", 2) {
		t.Fatalf("a bad second signature: %v", err)
	}
	if _, err := (SignatureBody{}).signatures(); cycle.AsError(err) == nil {
		t.Fatal("no signature is not refused")
	}
}

// Only the refusal of a document still being prepared is waited out.
func TestPreparingIsWaitedFor(t *testing.T) {
	if !preparing(flow.AppError(cycle.Fail(cycle.ECONFLICT, "selection.preparing_signature"))) {
		t.Error("the refusal while the document is prepared is not recognised")
	}
	if preparing(flow.AppError(cycle.Fail(cycle.ECONFLICT, "api.remote_denied"))) || preparing(nil) {
		t.Error("another conflict is taken for the preparation")
	}
}

// stateTemporal answers the cycle's state query with st, as the form's
// data and the signing page read it; it takes no update.
type stateTemporal struct{ st selection.CycleState }

func (f stateTemporal) QueryWorkflow(_ context.Context, _, _, query string, _ ...any) (converter.EncodedValue, error) {
	if query != selection.QueryState {
		return nil, fmt.Errorf("no query %s", query)
	}
	return jsonValue{f.st}, nil
}

func (f stateTemporal) UpdateWorkflow(context.Context, client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	return nil, errors.New("the review's tests send no update")
}

func (f stateTemporal) ExecuteWorkflow(context.Context, client.StartWorkflowOptions, any, ...any) (client.WorkflowRun, error) {
	return nil, errors.New("the review's tests start no workflow")
}

func (f stateTemporal) DescribeWorkflowExecution(context.Context, string, string) (*workflowservice.DescribeWorkflowExecutionResponse, error) {
	return nil, errors.New("the review's tests describe no workflow")
}

// The head's sign task of the provincial review report (sign_review, 001
// §III.2), when the report waits for the head's own certificate: the
// task's form lists the year's communes and the report with its number,
// links to the signing page and says that the signature issues the report
// (no clerk's issue follows); the signing page lists the prepared report
// (number, subject, digest, PDF) and says the same; once signed, no
// signing page is offered.
func TestReviewReportSignTask(t *testing.T) {
	ctx := context.Background()
	head := &issuing.PendingSignature{DocumentID: "cycle/72/2019/review/2019", Code: "2/BC-BCĐ", Digest: []byte{7, 8, 9}, Reason: "Ký ban hành 2/BC-BCĐ",
		Rendered: issuing.RenderResult{Subject: "Báo cáo sơ kết công tác chuyển hóa năm 2019"}, Issuer: cycle.Issuer{SignerName: "Nguyễn Văn Tỉnh"}, Date: cycle.D(2019, 12, 28)}
	commune := func(code, name string) transformation.CohortCommune {
		return transformation.CohortCommune{CommuneInProgramme: cycle.CommuneInProgramme{ListedCommune: cycle.ListedCommune{Commune: code, Name: name, Types: cycle.Types{1}}}, UnitName: "Huyện Tân Châu"}
	}
	step := &transformation.PlanStepStatus{TaskID: "plan_report/review_conference/2019-12-31", Deadline: cycle.DeadlineReviewConference, Year: 2019,
		Report: &cycle.PlanReport{Content: "Hội nghị đã tổ chức.", Held: cycle.D(2019, 12, 27)}, Head: head}
	st := selection.CycleState{Transformation: &transformation.CohortState{
		Communes: []transformation.CohortCommune{commune("25459", "Xã Tân Hòa"), commune("25462", "Xã Suối Ngô")},
		Years: []*transformation.ProgrammeYear{{Year: 2019, Communes: []string{"25459", "25462"},
			Verdicts: map[string]cycle.CommuneVerdict{"25459": {Reported: true, Verdict: cycle.Verdict{Outcome: cycle.OutcomePass}}}}},
		Plan: []*transformation.PlanStepStatus{step},
	}}
	d := &deps{cfg: &Server{Temporal: stateTemporal{st}}}
	task := cycle.Task{CycleID: "cycle/72/2019", ID: "sign_review/2019", Kind: cycle.TaskSignReview, Role: cycle.RoleSigner, Due: cycle.D(2020, 1, 4)}

	k := taskKinds[cycle.TaskSignReview]
	require.NotNil(t, k, "the API completes sign_review")
	require.Equal(t, transformation.UpdateSignReview, k.Update)
	require.Equal(t, "Ký báo cáo sơ kết công tác chuyển hóa", label(kindLabels, cycle.TaskSignReview))
	data, err := formData[k.Form](ctx, d, task, nil)
	require.NoError(t, err)
	ld := data.(*ListData)
	require.Contains(t, ld.What, "Báo cáo sơ kết công tác chuyển hóa năm 2019")
	require.Contains(t, ld.What, "27/12/2019", "the conference's day")
	require.Equal(t, []string{"Báo cáo sơ kết công tác chuyển hóa số 2/BC-BCĐ"}, ld.Documents)
	require.Equal(t, "/signing/cycle/72/2019/sign_review/2019", ld.SigningURL)
	require.Contains(t, ld.Note, "không qua bước ban hành của văn thư")
	require.Len(t, ld.Rows, 2)
	require.Equal(t, "Đạt (theo báo cáo của đơn vị)", ld.Rows[0].Note)
	require.Equal(t, "Chưa gửi báo cáo sơ kết", ld.Rows[1].Note)
	html, err := renderForm(pages["task"], &taskPageData{TaskDetail: &TaskDetail{Address: "cycle/72/2019/sign_review/2019", Data: ld}, Kind: k, Form: "form-" + k.Form,
		Values: map[string]string{}, Fields: map[string][]cycle.Problem{}, RequestID: "web-0123456789"}, "csrf-token")
	require.NoError(t, err)
	require.Contains(t, string(html), `href="/signing/cycle/72/2019/sign_review/2019"`)
	require.Contains(t, visibleText(string(html)), "gửi ngay đến các nơi nhận")

	// The signing page lists the prepared report and signs it.
	require.True(t, isSignKind(cycle.TaskSignReview))
	h := &signingHandlers{taskRules: &taskRules{d}}
	ps, signed, _, err := h.pendingOf(ctx, task)
	require.NoError(t, err)
	require.False(t, signed)
	require.Len(t, ps, 1)
	req := signatureRequestOf(task, ps, "/signing-pdf/", false)
	require.Equal(t, "2/BC-BCĐ", req.Code)
	require.Equal(t, "070809", req.Digest)
	require.Equal(t, "/signing-pdf/cycle/72/2019/sign_review/2019", req.PDF)
	var buf bytes.Buffer
	require.NoError(t, pages["signing"].Execute(&buf, pageData{Title: "Ký số văn bản 2/BC-BCĐ", Data: SigningPageData{Request: req,
		Address: "cycle/72/2019/sign_review/2019", Agent: DefaultSigningAgent, RequestID: "web-0123456789", Note: signingNote(task.Kind)}}))
	page := visibleText(buf.String())
	for _, want := range []string{"2/BC-BCĐ", "Báo cáo sơ kết công tác chuyển hóa năm 2019", "Nguyễn Văn Tỉnh", "070809", "gửi ngay đến các nơi nhận"} {
		require.Contains(t, page, want)
	}
	require.NotContains(t, page, "văn thư đóng dấu sau khi đồng chí ký", "no clerk's issue follows the head's signature of the report")
	require.Contains(t, buf.String(), `href="/signing-pdf/cycle/72/2019/sign_review/2019"`)

	// Signed: nothing waits for the head's certificate any more.
	step.HeadSigned = &issuing.HeadSigned{Pending: *head}
	h = &signingHandlers{taskRules: &taskRules{&deps{cfg: &Server{Temporal: stateTemporal{st}}}}}
	_, signed, _, err = h.pendingOf(ctx, task)
	require.NoError(t, err)
	require.True(t, signed)
	data, err = formData[k.Form](ctx, &deps{cfg: &Server{Temporal: stateTemporal{st}}}, task, nil)
	require.NoError(t, err)
	require.Empty(t, data.(*ListData).SigningURL)
}
