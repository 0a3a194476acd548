package api

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"chuyenhoa/cycle"
	"chuyenhoa/intake"
	"chuyenhoa/workflows/flow"
)

//go:embed web/templates/*.html web/templates/partials/*.html
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
		out[base] = template.Must(template.New("layout.html").Funcs(funcs).Funcs(formFuncs).
			ParseFS(templateFS, "web/templates/layout.html", "web/templates/partials/*.html", n))
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
		cycle.RoleAdmin:           "Quản trị hệ thống",
		cycle.RoleDeputy:          "Phó Trưởng Ban Chỉ đạo",
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
		cycle.TaskSubmitProposal:       "Gửi đề xuất địa bàn",
		cycle.TaskConsolidate:          "Tổng hợp danh sách",
		cycle.TaskAppraise:             "Thẩm định danh sách",
		cycle.TaskSign:                 "Ký quyết định phê duyệt danh sách",
		cycle.TaskIssue:                "Ban hành quyết định phê duyệt danh sách",
		cycle.TaskHalfYearReport:       "Gửi báo cáo 6 tháng",
		cycle.TaskYearlyReport:         "Gửi báo cáo năm",
		cycle.TaskFollowUpReport:       "Gửi báo cáo theo dõi sau 6 tháng",
		cycle.TaskFailureReview:        "Kiểm điểm, làm rõ nguyên nhân chưa chuyển hóa đạt",
		cycle.TaskResponsibilityReview: "Xem xét trách nhiệm tập thể, cá nhân",
		cycle.TaskAppraiseResults:      "Thẩm định kết quả chuyển hóa năm",
		cycle.TaskSignResults:          "Ký kết luận kết quả chuyển hóa năm",
		cycle.TaskIssueResults:         "Ban hành thông báo, báo cáo kết quả năm",
		cycle.TaskAppraiseRecognition:  "Thẩm định kết quả theo dõi, đề nghị công nhận",
		cycle.TaskSignRecognition:      "Ký quyết định công nhận chuyển hóa đạt",
		cycle.TaskIssueRecognition:     "Ban hành quyết định công nhận chuyển hóa đạt",
		cycle.TaskSignReview:           "Ký báo cáo sơ kết công tác chuyển hóa",
		cycle.TaskNominate:             "Gửi hồ sơ đề nghị khen thưởng",
		cycle.TaskAwardReview:          "Xét duyệt hồ sơ khen thưởng",
		cycle.TaskAwardSign:            "Ký quyết định khen thưởng",
		cycle.TaskAwardIssue:           "Ban hành quyết định khen thưởng",
	}
	actionLabels = map[string]string{
		"sign_in": "Đăng nhập", "sign_in_failed": "Đăng nhập không thành công", "sign_out": "Đăng xuất",
		"refused": "Bị từ chối", "download": "Tải về", "claim": "Nhận việc", "release": "Trả lại việc",
		"draft": "Lưu nháp", "attach": "Đính kèm tệp",
	}
	codeLabels = map[string]string{
		cycle.EINVALID:   "Dữ liệu chưa hợp lệ",
		cycle.EFORBIDDEN: "Không có quyền thực hiện",
		cycle.ECONFLICT:  "Không thực hiện được ở bước này",
		cycle.ENOTFOUND:  "Không tìm thấy",
		EBADREQUEST:      "Yêu cầu không đúng định dạng",
		EBUSY:            "Hệ thống đang bận",
		ETOOLARGE:        "Tệp quá lớn",
		EUNSUPPORTED:     "Định dạng tệp không được hỗ trợ",
		EUNAUTHORIZED:    "Chưa đăng nhập",
		ETIMEOUT:         "Hệ thống chưa trả lời kịp",
		ETHROTTLED:       "Đăng nhập sai quá nhiều lần",
		cycle.EINTERNAL:  "Lỗi hệ thống",
	}
)

var funcs = template.FuncMap{
	"role":     func(r cycle.Role) string { return label(roleLabels, r) },
	"phase":    func(p cycle.Phase) string { return label(phaseLabels, p) },
	"kind":     func(k cycle.TaskKind) string { return label(kindLabels, k) },
	"code":     func(c string) string { return label(codeLabels, c) },
	"date":     func(d cycle.Date) string { return d.Vietnamese() },
	"doctitle": cycle.DocumentTitle,
	"time":     func(t time.Time) string { return t.In(cycle.Vietnam).Format("02/01/2006 15:04") },
	"types":    func(ts cycle.Types) string { return strings.ReplaceAll(ts.String(), ", ", "; ") },
	"taskURL":  func(t cycle.Task) string { return "/tasks/" + addressOfTask(t).Path() },
	"action":   actionLabel,
	"event":    func(e flow.Event) string { return e.Say(cycle.Vietnamese) },
	"figure":   func(name string) string { return cycle.FigureLabel(cycle.Vietnamese, name) },
	"say":      func(p cycle.Problem) string { return p.In(cycle.Vietnamese) },
	"val":      func(m map[string]string, k string) string { return m[k] },
	"cat":      func(a, b string) string { return a + b },
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

// roleLabel, actionLabel and outcomeLabel name a role, an audit action and
// an outcome for officers.
func roleLabel(r cycle.Role) string { return label(roleLabels, r) }

func actionLabel(a string) string {
	if k, ok := strings.CutPrefix(a, "complete."); ok {
		return "Hoàn thành: " + label(kindLabels, cycle.TaskKind(k))
	}
	return label(actionLabels, a)
}

func outcomeLabel(o string) string {
	if o == "ok" {
		return "Thành công"
	}
	return label(codeLabels, o)
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
	Unread  int // the account's unread notifications, in the header
}

// render writes a page with a status.
func (s *deps) render(w http.ResponseWriter, r *http.Request, status int, name string, d pageData) {
	if d.Account != nil {
		d.CSRF = d.Account.csrf()
		d.Unread = s.unreadCount(r.Context(), d.Account)
	}
	var buf bytes.Buffer
	if err := pages[name].Execute(&buf, d); err != nil {
		s.cfg.Logger.Error("render page", "page", name, "error", err)
		http.Error(w, "lỗi hệ thống", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// renderError writes the error page for err.
func (s *deps) renderError(w http.ResponseWriter, r *http.Request, p *principal, err error) {
	ce := asError(err)
	st := statusOf(ce.Code)
	if st == http.StatusInternalServerError {
		s.cfg.Logger.Error("page failed", "method", r.Method, "path", r.URL.Path, "error", err)
	}
	s.render(w, r, st, "error", pageData{Title: label(codeLabels, ce.Code), Account: p, Error: ce})
}

// webHandler is a page of a signed-in officer.
type webHandler func(w http.ResponseWriter, r *http.Request, p *principal) error

// page authenticates a web request by its cookie (redirecting to the
// sign-in page if there is none), checks the CSRF token of a POST, and
// renders the handler's error as a page.
func (s *deps) page(h webHandler) http.HandlerFunc {
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
			r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUploadBytes+64<<10)
			if err := parseForm(r, s.cfg.MaxBodyBytes); err != nil {
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
	return cycle.Fail(EBADREQUEST, "api.form_malformed", err)
}

// ---- the proposal typed in on the page -----------------------------------

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

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "web-" + hex.EncodeToString(b[:])
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
					probs = append(probs, formProblemAt(ff.label, c.Label(), "form.number", "api.form_number", v))
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
				probs = append(probs, formProblemAt("types", c.Label(), "form.types", "api.form_types_unmarked"))
			}
			continue
		}
		pc := cycle.ProposedCommune{Commune: c.Code, Reason: cycle.Clean(f.Get("reason." + c.Code))}
		for _, t := range strings.FieldsFunc(types, func(r rune) bool { return r == ';' || r == ',' || r == ' ' }) {
			n, err := strconv.Atoi(t)
			if err != nil {
				probs = append(probs, formProblemAt("types", c.Label(), "form.types", "api.form_type", t))
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

// uploadedFile is the proposal file of a web form, refused before it is
// read when it is over the limit.
func uploadedFile(r *http.Request, limit int64) (intake.File, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		return intake.File{}, &cycle.Error{Code: EBADREQUEST, Message: "no file", Text: cycle.Say(cycle.Vietnamese, "api.form_no_file"), Problems: []cycle.Problem{formProblemAt("file", "", "form.file", "api.form_no_file")}}
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
		return intake.File{}, &cycle.Error{Code: EUNSUPPORTED, Message: "file type", Text: cycle.Say(cycle.Vietnamese, "api.form_file_type", fh.Filename), Problems: []cycle.Problem{formProblemAt("file", "", "form.file", "api.form_file_type", fh.Filename)}}
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
