package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"chuyenhoa/cycle"
	"chuyenhoa/intake/intaketest"
	"chuyenhoa/policies"
	"chuyenhoa/workflows/selection"
)

var updateFiles = flag.Bool("update", false, "rewrite testdata/files/*.golden")

// validating is the Temporal client of the file tests: the proposal
// update runs the rules the cycle's workflow runs (cycle.ValidateProposal)
// and answers as Temporal does — a refusal as an application error whose
// details are the problems, an acceptance as the workflow's result.
type validating struct {
	prov cycle.Province
	pol  cycle.Policy
}

func (v validating) UpdateWorkflow(_ context.Context, o client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	req, ok := o.Args[0].(selection.SubmitProposalRequest)
	if !ok {
		return nil, fmt.Errorf("update %s: not a proposal", o.UpdateName)
	}
	if err := cycle.ValidateProposal(v.prov, v.pol, req.Proposal); err != nil {
		ce := err.(*cycle.Error)
		return nil, temporal.NewApplicationErrorWithOptions(ce.Message, ce.Code, temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{ce.Problems}})
	}
	return acceptedProposal{o, selection.SubmitProposalResult{Unit: req.Proposal.Unit, Revision: 1, Proposed: len(req.Proposal.Proposed)}}, nil
}

func (v validating) ExecuteWorkflow(context.Context, client.StartWorkflowOptions, any, ...any) (client.WorkflowRun, error) {
	return nil, errors.New("the file tests start no workflow")
}

func (v validating) DescribeWorkflowExecution(context.Context, string, string) (*workflowservice.DescribeWorkflowExecutionResponse, error) {
	return nil, errors.New("the file tests describe no workflow")
}

func (v validating) QueryWorkflow(_ context.Context, id, _, query string, _ ...any) (converter.EncodedValue, error) {
	if query != selection.QueryState {
		return nil, fmt.Errorf("no query %s", query)
	}
	return jsonValue{selection.CycleState{CycleID: id, Province: v.prov.Code, ProvinceName: v.prov.Name, Year: 2027, Phase: cycle.PhaseProposals,
		Units: []selection.UnitStatus{{Unit: intaketest.Unit, Name: v.prov.UnitName(intaketest.Unit)}}}}, nil
}

// jsonValue is a query's answer.
type jsonValue struct{ v any }

func (j jsonValue) HasValue() bool { return true }
func (j jsonValue) Get(out any) error {
	b, err := json.Marshal(j.v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

type acceptedProposal struct {
	o   client.UpdateWorkflowOptions
	res selection.SubmitProposalResult
}

func (u acceptedProposal) WorkflowID() string { return u.o.WorkflowID }
func (u acceptedProposal) RunID() string      { return "" }
func (u acceptedProposal) UpdateID() string   { return u.o.UpdateID }
func (u acceptedProposal) Get(_ context.Context, out any) error {
	return jsonValue{u.res}.Get(out)
}

// Each sample file of intaketest, uploaded by the unit's officer as a
// multipart "file" part (as the web page and API clients send it), against
// testdata/files/*.golden: the status and the JSON answer — every problem
// with its place in the file (where) and its Vietnamese text beside the
// English message — the same problems the CLI and the checker give for
// the same file (starter/testdata/files). Regenerate with -update.
func TestProposalFilesGolden(t *testing.T) {
	prov, err := intaketest.Province()
	if err != nil {
		t.Fatal(err)
	}
	pol, err := policies.ByID("000")
	if err != nil {
		t.Fatal(err)
	}
	samples, err := intaketest.Samples()
	if err != nil {
		t.Fatal(err)
	}
	for _, make := range []func() (intaketest.Sample, error){
		intaketest.Workbook,
		func() (intaketest.Sample, error) { return intaketest.Big(5 << 20) },
		func() (intaketest.Sample, error) { return intaketest.LongReason(2_000_000) },
		func() (intaketest.Sample, error) { return intaketest.BadRows(100_000) },
		func() (intaketest.Sample, error) { return intaketest.WrongDistrict(1000) },
	} {
		s, err := make()
		if err != nil {
			t.Fatal(err)
		}
		samples = append(samples, s)
	}
	s := &Server{Store: newMemStore(prov), Temporal: validating{prov, pol}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return time.Date(2026, 12, 20, 9, 0, 0, 0, cycle.Vietnam) }, UpdateTimeout: time.Second}
	h := s.Handler()
	for i, sm := range samples {
		t.Run(sm.Name, func(t *testing.T) {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			hdr := textproto.MIMEHeader{}
			hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, sm.Name))
			hdr.Set("Content-Type", "application/octet-stream")
			part, err := mw.CreatePart(hdr)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = part.Write(sm.Data)
			_ = mw.Close()
			req := httptest.NewRequest("POST", "/api/tasks/cycle/51/2027/submit_proposal/522", &body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Authorization", "Bearer tok-ca.522")
			req.Header.Set("Idempotency-Key", fmt.Sprintf("file-sample-%02d", i))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			res := w.Result()
			var out bytes.Buffer
			fmt.Fprintf(&out, "POST /api/tasks/cycle/51/2027/submit_proposal/522 (multipart, file %q, %d bytes)\n%d %s\n", sm.Name, len(sm.Data), res.StatusCode, http.StatusText(res.StatusCode))
			out.Write(w.Body.Bytes())
			t.Logf("%s: %d, answer %d bytes", sm.Name, res.StatusCode, w.Body.Len())
			if w.Body.Len() > 64<<10 {
				t.Errorf("the answer is not bounded: %d bytes", w.Body.Len())
			}
			var eb ErrorBody
			if res.StatusCode >= 400 {
				if err := json.Unmarshal(w.Body.Bytes(), &eb); err != nil || eb.Error == nil {
					t.Fatalf("not an error body: %s", w.Body.Bytes())
				}
				for _, p := range eb.Error.Problems {
					if p.Text == "" || (p.Where == nil && p.Rule != cycle.RuleMore && !strings.HasPrefix(p.Rule, "file.") && p.Rule != "table.rows" && p.Rule != "statistics.missing") {
						t.Errorf("a problem without its Vietnamese text or its place: %+v", p)
					}
				}
			}
			golden := filepath.Join("testdata", "files", sm.Name+".golden")
			if *updateFiles {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if out.String() != string(want) {
				t.Fatalf("answer differs from %s:\n%s", golden, out.String())
			}
		})
	}
}

// A raw body over the limit is refused before it is parsed, naming the
// file's size and the limit.
func TestRawUploadTooLarge(t *testing.T) {
	prov, err := intaketest.Province()
	if err != nil {
		t.Fatal(err)
	}
	big, err := intaketest.Big(5 << 20)
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Store: newMemStore(prov), Temporal: validating{prov, cycle.DefaultPolicy()}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), UpdateTimeout: time.Second}
	req := httptest.NewRequest("POST", "/api/tasks/cycle/51/2027/submit_proposal/522", bytes.NewReader(big.Data))
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer tok-ca.522")
	req.Header.Set("Idempotency-Key", "raw-too-large")
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	var eb ErrorBody
	if err := json.Unmarshal(w.Body.Bytes(), &eb); err != nil || w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("%d %s", w.Code, w.Body.Bytes())
	}
	if want := "Tệp lớn 5,0 MB (5.242.880 byte), vượt giới hạn 4 MB (4.194.304 byte)"; eb.Error.Text != want {
		t.Fatalf("text %q, want %q", eb.Error.Text, want)
	}
}

// The web page shows a file's problems next to its field, in Vietnamese,
// where each is in the file — no field path, no rule code.
func TestWebFileProblems(t *testing.T) {
	prov, err := intaketest.Province()
	if err != nil {
		t.Fatal(err)
	}
	samples, err := intaketest.Samples()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Store: newMemStore(prov), Temporal: validating{prov, cycle.DefaultPolicy()}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), UpdateTimeout: time.Second}
	a := fuzzAccounts[0]
	p := &principal{Account: a, token: "tok-" + a.ID}
	for _, name := range []string{"de-xuat-522-tcvn3.csv", "de-xuat-522-windows-1258.csv"} {
		var sm intaketest.Sample
		for _, x := range samples {
			if x.Name == name {
				sm = x
			}
		}
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("csrf", p.csrf())
		_ = mw.WriteField("request_id", "web-0123456789abcdef")
		_ = mw.WriteField("mode", "file")
		fw, _ := mw.CreateFormFile("file", sm.Name)
		_, _ = fw.Write(sm.Data)
		_ = mw.Close()
		req := httptest.NewRequest("POST", "/tasks/cycle/51/2027/submit_proposal/522", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: "tok-" + a.ID})
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, req)
		page := w.Body.String()
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("%s: %d\n%s", name, w.Code, page)
		}
		i := strings.Index(page, `id="file-errors"`)
		if i < 0 {
			t.Fatalf("%s: no problems next to the file field:\n%s", name, page)
		}
		errs := page[i:]
		errs = errs[:strings.Index(errs, "</ul>")]
		for _, want := range map[string][]string{
			"de-xuat-522-tcvn3.csv":        {"dòng 4, cột «Số vụ phạm pháp hình sự về TTXH», Phường Quảng Phú (21016): Số vụ phải là số nguyên"},
			"de-xuat-522-windows-1258.csv": {"dòng 14, cột «Mã xã», Xã Tịnh Kỳ (21190): Xã đã được công nhận đạt chuẩn nông thôn mới", "dòng 25, cột «Mã xã»: Mã xã &#34;21020&#34; không thuộc Tỉnh Quảng Ngãi"},
		}[name] {
			if !strings.Contains(errs, want) {
				t.Errorf("%s: the page lacks %q:\n%s", name, want, errs)
			}
		}
		if text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(errs, "\n"); strings.Contains(text, "proposed[") || strings.Contains(text, "statistics[") || strings.Contains(text, "selection.") {
			t.Errorf("%s: the officer is shown a field path or a rule code:\n%s", name, errs)
		}
	}
}
