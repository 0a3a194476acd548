package api

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/intake"
	"chuyenhoa/workflows"
)

//go:embed web/templates/*.html
var templateFS embed.FS

//go:embed web/static
var staticFS embed.FS

//go:embed openapi.yaml
var openAPI []byte

// pages are the web pages, each parsed with the layout.
var pages = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	names, err := fs.Glob(templateFS, "web/templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		base := strings.TrimSuffix(n[len("web/templates/"):], ".html")
		if base == "layout" {
			continue
		}
		out[base] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "web/templates/layout.html", n))
	}
	return out
}()

// Vietnamese labels of the domain's codes.
var (
	roleLabels = map[cycle.Role]string{
		cycle.RoleSecretariat:     "Cơ quan Thường trực (Công an tỉnh)",
		cycle.RoleDistrictOfficer: "Cán bộ đơn vị cấp huyện",
		cycle.RoleCouncilMember:   "Thành viên Hội đồng thẩm định",
		cycle.RoleCouncilChair:    "Chủ tịch Hội đồng thẩm định",
		cycle.RoleSigner:          "Trưởng Ban Chỉ đạo",
		cycle.RoleClerk:           "Văn thư",
	}
	phaseLabels = map[cycle.Phase]string{
		cycle.PhaseProposals:     "Nhận đề xuất của các đơn vị",
		cycle.PhaseConsolidation: "Tổng hợp, lựa chọn danh sách",
		cycle.PhaseAppraisal:     "Hội đồng thẩm định",
		cycle.PhaseSigning:       "Trình ký quyết định",
		cycle.PhaseIssue:         "Vào sổ, ban hành",
		cycle.PhaseIssued:        "Đã ban hành quyết định",
	}
	kindLabels = map[cycle.TaskKind]string{
		cycle.TaskSubmitProposal: "Gửi đề xuất địa bàn",
		cycle.TaskConsolidate:    "Tổng hợp danh sách",
		cycle.TaskAppraise:       "Thẩm định danh sách",
		cycle.TaskSign:           "Ký quyết định",
		cycle.TaskIssue:          "Ban hành quyết định",
	}
	codeLabels = map[string]string{
		cycle.EINVALID:   "Dữ liệu chưa hợp lệ",
		cycle.EFORBIDDEN: "Không có quyền thực hiện",
		cycle.ECONFLICT:  "Không thực hiện được ở bước này",
		cycle.ENOTFOUND:  "Không tìm thấy",
		EBADREQUEST:      "Yêu cầu không đúng định dạng",
		ETOOLARGE:        "Tệp quá lớn",
		EUNSUPPORTED:     "Định dạng tệp không được hỗ trợ",
		EUNAUTHORIZED:    "Chưa đăng nhập",
		ETIMEOUT:         "Hệ thống chưa trả lời kịp",
		ETHROTTLED:       "Đăng nhập sai quá nhiều lần",
		cycle.EINTERNAL:  "Lỗi hệ thống",
	}
)

var funcs = template.FuncMap{
	"role":  func(r cycle.Role) string { return label(roleLabels, r) },
	"phase": func(p cycle.Phase) string { return label(phaseLabels, p) },
	"kind":  func(k cycle.TaskKind) string { return label(kindLabels, k) },
	"code":  func(c string) string { return label(codeLabels, c) },
	"date":  func(d cycle.Date) string { return d.Vietnamese() },
	"time":  func(t time.Time) string { return t.In(cycle.Vietnam).Format("02/01/2006 15:04") },
	"types": func(ts cycle.Types) string { return strings.ReplaceAll(ts.String(), ", ", "; ") },
	"taskURL": func(t cycle.Task) string {
		p, y := splitCycleID(t.CycleID)
		return "/cycles/" + p + "/" + y + "/tasks/" + string(t.Kind)
	},
	"cycleURL": func(id string) string {
		p, y := splitCycleID(id)
		return "/cycles/" + p + "/" + y
	},
	"sub": func(a, b int) int { return a - b },
	"abs": func(n int) int {
		if n < 0 {
			return -n
		}
		return n
	},
}

func label[K ~string](m map[K]string, k K) string {
	if l, ok := m[k]; ok {
		return l
	}
	return string(k)
}

// splitCycleID reads province and year from "cycle/<province>/<year>".
func splitCycleID(id string) (string, string) {
	parts := strings.Split(id, "/")
	if len(parts) != 3 {
		return "", ""
	}
	return parts[1], parts[2]
}

// pageData is what every page gets.
type pageData struct {
	Title   string
	Account *principal
	CSRF    string
	Flash   string
	Error   *cycle.Error // a refusal or failure, shown at the top
	Data    any
}

// render writes a page with a status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, d pageData) {
	if d.Account != nil {
		d.CSRF = d.Account.csrf()
	}
	var buf bytes.Buffer
	if err := pages[name].Execute(&buf, d); err != nil {
		s.Logger.Error("render page", "page", name, "error", err)
		http.Error(w, "lỗi hệ thống", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// renderError writes the error page for err.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, p *principal, err error) {
	ce := asError(err)
	st := statusOf(ce.Code)
	if st == http.StatusInternalServerError {
		s.Logger.Error("page failed", "method", r.Method, "path", r.URL.Path, "error", err)
	}
	s.render(w, r, st, "error", pageData{Title: label(codeLabels, ce.Code), Account: p, Error: ce})
}

// webHandler is a page of a signed-in officer.
type webHandler func(w http.ResponseWriter, r *http.Request, p *principal) error

// page authenticates a web request by its cookie (redirecting to the
// sign-in page if there is none), checks the CSRF token of a POST, and
// renders the handler's error as a page.
func (s *Server) page(h webHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.cookie(r)
		if err != nil {
			if asError(err).Code == EUNAUTHORIZED {
				http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.Path), http.StatusSeeOther)
				return
			}
			s.renderError(w, r, nil, err)
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, s.MaxUploadBytes+64<<10)
			if err := parseForm(r, s.MaxBodyBytes); err != nil {
				s.renderError(w, r, p, err)
				return
			}
			if err := checkCSRF(p, r); err != nil {
				s.renderError(w, r, p, err)
				return
			}
		}
		if err := h(w, r, p); err != nil {
			s.renderError(w, r, p, err)
		}
	}
}

// parseForm parses a url-encoded or multipart form, turning a body over
// the limit into too_large.
func parseForm(r *http.Request, maxMemory int64) error {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(maxMemory)
	} else {
		err = r.ParseForm()
	}
	if err == nil {
		return nil
	}
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return intake.OverLimit("", mb.Limit-64<<10)
	}
	return errBadRequest("malformed form: %v", err)
}

func (s *Server) webRoutes() {
	m := s.mux
	static, _ := fs.Sub(staticFS, "web/static")
	m.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/inbox", http.StatusSeeOther)
	})
	m.HandleFunc("GET /signin", s.webSignInForm)
	m.HandleFunc("POST /signin", s.webSignIn)
	m.HandleFunc("POST /signout", s.page(s.webSignOut))
	m.HandleFunc("GET /inbox", s.page(s.webInbox))
	m.HandleFunc("GET /cycles/{province}/{year}", s.page(s.webCycle))
	m.HandleFunc("GET /cycles/{province}/{year}/tasks/{kind}", s.page(s.webTask))
	m.HandleFunc("POST /cycles/{province}/{year}/tasks/{kind}", s.page(s.webTask))
	m.HandleFunc("GET /cycles/{province}/{year}/decisions/{kind}/pdf", s.page(s.servePDF))
	m.HandleFunc("GET /cycles/{province}/{year}/proposal-template", s.page(s.serveTemplate))
}

// ---- sign-in ---------------------------------------------------------------

type signInData struct {
	Account string
	Next    string
}

// safeNext keeps a post-sign-in redirect on this site: a path, never
// "//host" or "/\host", and no control character (browsers drop tabs and
// newlines, so "/\t/host" is "//host" to them).
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, `\`) ||
		strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "/inbox"
	}
	return next
}

func (s *Server) webSignInForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "signin", pageData{Title: "Đăng nhập", Data: signInData{Next: safeNext(r.URL.Query().Get("next"))}})
}

func (s *Server) webSignIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := parseForm(r, 64<<10); err != nil {
		s.renderError(w, r, nil, err)
		return
	}
	d := signInData{Account: r.PostFormValue("account"), Next: safeNext(r.PostFormValue("next"))}
	p, err := s.signIn(r.Context(), r, d.Account, r.PostFormValue("password"))
	if err != nil {
		ce := asError(err)
		switch ce.Code {
		case EUNAUTHORIZED:
			ce = cycle.Errorf(EUNAUTHORIZED, "Sai tài khoản hoặc mật khẩu.")
		case ETHROTTLED:
			ce = cycle.Errorf(ETHROTTLED, "Đăng nhập sai quá nhiều lần; vui lòng thử lại sau ít phút.")
		}
		s.render(w, r, statusOf(ce.Code), "signin", pageData{Title: "Đăng nhập", Error: ce, Data: d})
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: p.token, Path: "/", Expires: p.expires,
		HttpOnly: true, Secure: s.SecureCookies || r.TLS != nil, SameSite: http.SameSiteStrictMode,
	})
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}

func (s *Server) webSignOut(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := s.signOut(r.Context(), r, p); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return nil
}

// ---- inbox and cycle -------------------------------------------------------

type inboxData struct {
	Today cycle.Date
	Tasks []TaskView
}

func (s *Server) webInbox(w http.ResponseWriter, r *http.Request, p *principal) error {
	ts, err := s.inbox(r.Context(), p.Account)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "inbox", pageData{Title: "Việc cần làm", Account: p, Flash: flash(r), Data: inboxData{Today: s.today(), Tasks: ts}})
	return nil
}

// flash is the message of a completed task, after the redirect.
func flash(r *http.Request) string {
	if k := r.URL.Query().Get("done"); k != "" {
		if l, ok := kindLabels[cycle.TaskKind(k)]; ok {
			return "Đã hoàn thành: " + l + "."
		}
	}
	return ""
}

type cycleData struct {
	State     workflows.CycleState
	Decisions []cycle.Decision
	Province  string
	Year      int
}

func (s *Server) webCycle(w http.ResponseWriter, r *http.Request, p *principal) error {
	province, year, id, err := cycleOf(r)
	if err != nil {
		return err
	}
	var st workflows.CycleState
	if err := s.query(r.Context(), id, workflows.QueryState, &st); err != nil {
		return err
	}
	ds, err := s.Store.Decisions(r.Context(), id)
	if err != nil {
		return err
	}
	title := fmt.Sprintf("Chu kỳ năm %d — %s", year, st.ProvinceName)
	s.render(w, r, http.StatusOK, "cycle", pageData{Title: title, Account: p, Flash: flash(r), Data: cycleData{State: st, Decisions: ds, Province: province, Year: year}})
	return nil
}

// ---- tasks -----------------------------------------------------------------

// taskData is the form of one task, with the problems of a refused
// attempt placed next to their fields.
type taskData struct {
	Kind      cycle.TaskKind
	Province  string
	Year      int
	Task      *TaskView // the open task, if the inbox has it
	State     workflows.CycleState
	Rows      []formRow // communes the form decides on
	RequestID string    // a fresh request ID for this form
	Problems  []cycle.Problem
	Fields    map[string][]cycle.Problem // problems of named fields
	Form      map[string]string          // the values sent, to fill the form again
	UnitName  string
	Mode      string        // how a proposal was sent: "file" or "table"
	Communes  []proposalRow // the unit's communes, for a proposal typed in on the page
	Revision  int           // the unit's current revision, whose figures fill the table
}

// proposalRow is a commune of the unit on the proposal table, with what
// was typed (or the current revision's values).
type proposalRow struct {
	Code, Name                       string
	SOC, Economic, Environment, Drug string
	Proposed                         bool
	Types, Reason                    string
	Problems                         []cycle.Problem
}

// figureFields are the figure columns of the proposal table.
var figureFields = []struct{ key, label string }{
	{"soc", "social_order_crimes"}, {"econ", "economic_cases"}, {"env", "environment_cases"}, {"drug", "drug_cases"},
}

// formRow is a commune on a consolidation or appraisal form.
type formRow struct {
	Code, Name, District string
	Types                cycle.Types
	Figures              cycle.Figures
	Eligible, Selected   bool
	Rank                 int
	Checks               []cycle.Check
	Choice, Reason       string
	Problems             []cycle.Problem
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "web-" + hex.EncodeToString(b[:])
}

func (s *Server) webTask(w http.ResponseWriter, r *http.Request, p *principal) error {
	province, year, id, err := cycleOf(r)
	if err != nil {
		return err
	}
	kind := cycle.TaskKind(r.PathValue("kind"))
	if cycle.RoleFor(kind) == "" {
		return cycle.Errorf(cycle.ENOTFOUND, "no task kind %q", kind)
	}
	d := &taskData{Kind: kind, Province: province, Year: year, RequestID: newRequestID(), Fields: map[string][]cycle.Problem{}, Form: map[string]string{}}
	inbox, err := s.inbox(r.Context(), p.Account)
	if err != nil {
		return err
	}
	for i := range inbox {
		if inbox[i].CycleID == id && inbox[i].Kind == kind {
			d.Task = &inbox[i]
		}
	}
	status := http.StatusOK
	var refusal *cycle.Error
	if r.Method == http.MethodPost {
		c, err := newCompletion(r, p, kind, r.PostFormValue("request_id"))
		if err != nil {
			return err
		}
		for k, v := range r.PostForm {
			if len(v) > 0 {
				d.Form[k] = v[0]
			}
		}
		d.Mode = r.PostFormValue("mode")
		err = s.webComplete(r, c)
		if err == nil {
			http.Redirect(w, r, "/cycles/"+province+"/"+strconv.Itoa(year)+"?done="+string(kind), http.StatusSeeOther)
			return nil
		}
		bounded := *asError(err)
		bounded.Problems = cycle.Bound(bounded.Problems, cycle.MaxProblems)
		refusal = &bounded
		if refusal.Code == cycle.EINTERNAL {
			return err
		}
		status = statusOf(refusal.Code)
		if refusal.Code == ETIMEOUT {
			d.RequestID = c.key // the same request, to retry
		}
	}
	if err := s.query(r.Context(), id, workflows.QueryState, &d.State); err != nil {
		return err
	}
	if err := s.fillRows(r, d); err != nil {
		return err
	}
	if kind == cycle.TaskSubmitProposal && p.Account.District != "" {
		if err := s.fillProposalRows(r, d, p.Account.District); err != nil {
			return err
		}
	}
	if refusal != nil {
		d.place(refusal.Problems)
	}
	title := label(kindLabels, kind)
	if kind == cycle.TaskSubmitProposal {
		d.UnitName = p.Account.District
		for _, u := range d.State.Units {
			if u.Unit == p.Account.District {
				d.UnitName = u.Name
			}
		}
	}
	s.render(w, r, status, "task", pageData{Title: title, Account: p, Error: refusal, Data: d})
	return nil
}

// fillRows lists the communes a consolidation or appraisal decides on.
func (s *Server) fillRows(r *http.Request, d *taskData) error {
	switch d.Kind {
	case cycle.TaskConsolidate:
		var sel cycle.SelectionResult
		if err := s.query(r.Context(), d.State.CycleID, workflows.QuerySelection, &sel); err != nil {
			return err
		}
		for _, c := range sel.Candidates {
			d.Rows = append(d.Rows, formRow{Code: c.Commune, Name: c.Name, District: c.DistrictName, Types: c.Types, Figures: c.Figures,
				Eligible: c.Eligible, Selected: c.Selected, Rank: c.Rank, Checks: c.FailedChecks(),
				Choice: d.Form["decision."+c.Commune], Reason: d.Form["reason."+c.Commune]})
		}
	case cycle.TaskAppraise, cycle.TaskSign:
		list := d.State.Draft
		if d.Kind == cycle.TaskSign {
			list = d.State.List
		}
		for _, l := range list {
			d.Rows = append(d.Rows, formRow{Code: l.Commune, Name: l.Name, District: l.DistrictName, Types: l.Types, Rank: l.Rank,
				Choice: d.Form["remove."+l.Commune], Reason: d.Form["reason."+l.Commune]})
		}
	}
	return nil
}

// fillProposalRows lists the unit's communes for the proposal table, with
// the values sent (after a refusal) or those of the current revision.
func (s *Server) fillProposalRows(r *http.Request, d *taskData, unit string) error {
	prov, _, err := s.Store.Province(r.Context(), d.Province)
	if err != nil {
		return err
	}
	var current *cycle.Proposal
	if d.Mode != "table" {
		revs, err := s.Store.Proposals(r.Context(), d.State.CycleID)
		if err != nil {
			return err
		}
		for i := range revs {
			if revs[i].Unit == unit && revs[i].Current {
				current, d.Revision = &revs[i].Proposal, revs[i].Revision
			}
		}
	}
	figs := map[string]cycle.Figures{}
	proposed := map[string]cycle.ProposedCommune{}
	if current != nil {
		for _, st := range current.Statistics {
			figs[st.Commune] = st.Figures
		}
		for _, pc := range current.Proposed {
			proposed[pc.Commune] = pc
		}
	}
	for _, c := range unitCommunes(prov, unit) {
		row := proposalRow{Code: c.Code, Name: c.Name}
		if d.Mode == "table" {
			f := d.Form
			row.SOC, row.Economic, row.Environment, row.Drug = f["soc."+c.Code], f["econ."+c.Code], f["env."+c.Code], f["drug."+c.Code]
			row.Proposed, row.Types, row.Reason = f["proposed."+c.Code] == "on", f["types."+c.Code], f["reason."+c.Code]
		} else {
			fg := figs[c.Code]
			row.SOC, row.Economic, row.Environment, row.Drug = strconv.Itoa(fg.SocialOrderCrimes), strconv.Itoa(fg.EconomicCases), strconv.Itoa(fg.EnvironmentCases), strconv.Itoa(fg.DrugCases)
			if pc, ok := proposed[c.Code]; ok {
				row.Proposed, row.Types, row.Reason = true, strings.ReplaceAll(pc.Types.String(), ", ", ";"), pc.Reason
			}
		}
		d.Communes = append(d.Communes, row)
	}
	return nil
}

// proposalFromTable reads a proposal typed into the page's table: a row
// per commune of the unit. Numbers that are not whole numbers ≥ 0 and
// types that are not 1–4 are refused (EINVALID), each next to its row.
func proposalFromTable(f url.Values, prov cycle.Province, unit string) (cycle.Proposal, error) {
	p := cycle.Proposal{Unit: unit, Note: cycle.Clean(f.Get("note"))}
	var probs []cycle.Problem
	for _, c := range unitCommunes(prov, unit) {
		var fg cycle.Figures
		for i, ff := range figureFields {
			v := cycle.Clean(f.Get(ff.key + "." + c.Code))
			n := 0
			if v != "" {
				var err error
				n, err = strconv.Atoi(v)
				if err != nil || n < 0 {
					probs = append(probs, cycle.Problem{Field: ff.label, Commune: c.Label(), Rule: "form.number", Message: fmt.Sprintf("%q không phải số nguyên ≥ 0", v)})
				}
			}
			switch i {
			case 0:
				fg.SocialOrderCrimes = n
			case 1:
				fg.EconomicCases = n
			case 2:
				fg.EnvironmentCases = n
			case 3:
				fg.DrugCases = n
			}
		}
		p.Statistics = append(p.Statistics, cycle.CommuneFigures{Commune: c.Code, Figures: fg})
		types := cycle.Clean(f.Get("types." + c.Code))
		if f.Get("proposed."+c.Code) != "on" {
			if types != "" {
				probs = append(probs, cycle.Problem{Field: "types", Commune: c.Label(), Rule: "form.types", Message: "có loại nhưng chưa đánh dấu đề xuất"})
			}
			continue
		}
		pc := cycle.ProposedCommune{Commune: c.Code, Reason: cycle.Clean(f.Get("reason." + c.Code))}
		for _, t := range strings.FieldsFunc(types, func(r rune) bool { return r == ';' || r == ',' || r == ' ' }) {
			n, err := strconv.Atoi(t)
			if err != nil {
				probs = append(probs, cycle.Problem{Field: "types", Commune: c.Label(), Rule: "form.types", Message: fmt.Sprintf("%q không phải loại 1–4", t)})
				continue
			}
			pc.Types = append(pc.Types, cycle.CrimeType(n))
		}
		p.Proposed = append(p.Proposed, pc)
	}
	if err := cycle.Invalid("proposal", probs); err != nil {
		return cycle.Proposal{}, err
	}
	return p, nil
}

// place puts each problem next to its field: a commune's row when it
// names a commune on the form, a named field of the form, or else the
// list at the top.
func (d *taskData) place(probs []cycle.Problem) {
	fields := map[string]string{"reason": "reason", "removals": "removals", "minutes": "minutes", "members": "members", "note": "note", "outcome": "outcome"}
	for _, pr := range probs {
		placed := false
		if d.Mode == "table" {
			for i := range d.Communes {
				row := &d.Communes[i]
				if strings.HasSuffix(pr.Commune, "("+row.Code+")") || pr.Commune == row.Code {
					row.Problems = append(row.Problems, pr)
					placed = true
					break
				}
			}
			if placed {
				continue
			}
		}
		for i := range d.Rows {
			row := &d.Rows[i]
			if pr.Commune == row.Code || strings.HasSuffix(pr.Commune, "("+row.Code+")") {
				row.Problems = append(row.Problems, pr)
				placed = true
				break
			}
		}
		if !placed {
			if f, ok := fields[pr.Field]; ok {
				d.Fields[f] = append(d.Fields[f], pr)
				placed = true
			}
		}
		if !placed && d.Kind == cycle.TaskSubmitProposal && d.Mode != "table" {
			d.Fields["file"] = append(d.Fields["file"], pr)
			placed = true
		}
		if !placed {
			d.Problems = append(d.Problems, pr)
		}
	}
}

// webComplete completes a task from its web form.
func (s *Server) webComplete(r *http.Request, c *completion) error {
	ctx := r.Context()
	f := r.PostForm
	switch c.kind {
	case cycle.TaskSubmitProposal:
		if err := c.authorizeRole(); err != nil {
			return s.refuse(ctx, c, err)
		}
		var prop cycle.Proposal
		var origins cycle.Origins
		if f.Get("mode") == "table" {
			prov, _, err := s.Store.Province(ctx, c.province)
			if err != nil {
				return err
			}
			if prop, err = proposalFromTable(f, prov, c.p.Account.District); err != nil {
				return s.refuse(ctx, c, err)
			}
		} else {
			file, err := uploadedFile(r, s.MaxUploadBytes)
			if err != nil {
				return err
			}
			if prop, origins, err = parseProposal(file, c.p.Account.District); err != nil {
				return s.refuse(ctx, c, err)
			}
		}
		if note := cycle.Clean(f.Get("note")); note != "" && prop.Note == "" {
			prop.Note = note
		}
		_, err := s.submitProposal(ctx, c, prop)
		return locate(origins, prop.Unit, err)
	case cycle.TaskConsolidate:
		var cons cycle.Consolidation
		cons.Note = cycle.Clean(f.Get("note"))
		for _, code := range sortedKeys(f, "decision.") {
			switch f.Get("decision." + code) {
			case "keep":
				cons.Decisions = append(cons.Decisions, cycle.CommuneDecision{Commune: cycle.Clean(code), Keep: true, Reason: cycle.Clean(f.Get("reason." + code))})
			case "drop":
				cons.Decisions = append(cons.Decisions, cycle.CommuneDecision{Commune: cycle.Clean(code), Keep: false, Reason: cycle.Clean(f.Get("reason." + code))})
			}
		}
		_, err := s.consolidate(ctx, c, cons)
		return err
	case cycle.TaskAppraise:
		a := cycle.Appraisal{Reason: cycle.Clean(f.Get("reason")), Minutes: cycle.Clean(f.Get("minutes"))}
		switch f.Get("outcome") {
		case "approve":
			a.Approved = true
		case "return":
		default:
			return s.refuse(ctx, c, &cycle.Error{Code: cycle.EINVALID, Message: "appraisal", Problems: []cycle.Problem{{Field: "outcome", Rule: "form.required", Message: "Chọn thông qua hoặc trả lại danh sách."}}})
		}
		for _, line := range strings.Split(f.Get("members"), "\n") {
			if m := cycle.Clean(line); m != "" {
				a.Members = append(a.Members, m)
			}
		}
		for _, code := range sortedKeys(f, "remove.") {
			if f.Get("remove."+code) == "on" {
				a.Removals = append(a.Removals, cycle.CommuneDecision{Commune: cycle.Clean(code), Reason: cycle.Clean(f.Get("reason." + code))})
			}
		}
		_, err := s.appraise(ctx, c, a)
		return err
	case cycle.TaskSign:
		_, err := s.sign(ctx, c, cycle.Clean(f.Get("comment")))
		return err
	case cycle.TaskIssue:
		_, err := s.issue(ctx, c)
		return err
	}
	return cycle.Errorf(cycle.ENOTFOUND, "no task kind %q", c.kind)
}

// sortedKeys returns the suffixes of the form keys with a prefix, sorted.
func sortedKeys(f url.Values, prefix string) []string {
	var out []string
	for k := range f {
		if code, ok := strings.CutPrefix(k, prefix); ok {
			out = append(out, code)
		}
	}
	sort.Strings(out)
	return out
}

// uploadedFile is the proposal file of a web form, refused before it is
// read when it is over the limit.
func uploadedFile(r *http.Request, limit int64) (intake.File, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		return intake.File{}, &cycle.Error{Code: EBADREQUEST, Message: "no file", Problems: []cycle.Problem{{Field: "file", Rule: "form.file", Message: "Chọn tệp đề xuất (.xlsx, .csv hoặc .json)."}}}
	}
	fh := r.MultipartForm.File["file"][0]
	if err := intake.CheckSize(fh.Filename, fh.Size, limit); err != nil {
		return intake.File{}, err
	}
	data, err := readFileHeader(fh)
	if err != nil {
		return intake.File{}, err
	}
	format := formatOf(fh.Header.Get("Content-Type"), fh.Filename)
	if format == "" {
		return intake.File{}, &cycle.Error{Code: EUNSUPPORTED, Message: "file type", Problems: []cycle.Problem{{Field: "file", Rule: "form.file", Message: "Tệp " + fh.Filename + " không phải .xlsx, .csv hoặc .json."}}}
	}
	return intake.File{Name: fh.Filename, Type: format, Data: data}, nil
}

func readFileHeader(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}
