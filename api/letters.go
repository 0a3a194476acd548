package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/issuing"
	"chuyenhoa/workflows/letters"
)

// The secretariat's reminder letters (công văn đôn đốc, nhắc nhở) to the
// units late on a task: the groups of late units, the letter issued
// through workflows/letters, its PDF.

// ---- reminder letters --------------------------------------------------------

// LetterGroup is a task that units are late on (or that falls due soon),
// with the units a letter about it would name.
type LetterGroup struct {
	TaskKind  cycle.TaskKind `json:"task_kind"`
	KindLabel string         `json:"kind_label"`
	Due       cycle.Date     `json:"due"`
	Overdue   bool           `json:"overdue"`        // an overdue letter (nhắc nhở); else a reminder (đôn đốc)
	Units     []LetterUnit   `json:"units"`          // the units written to
	Sent      int            `json:"letters_before"` // overdue letters sent before about this task
}

// LetterUnit is a unit a letter names, with its open tasks of the kind.
type LetterUnit struct {
	Code  string   `json:"code"`
	Name  string   `json:"name"`
	Tasks []string `json:"tasks"`
}

// LetterView is an issued reminder letter.
type LetterView struct {
	cycle.Decision
	Letter string `json:"letter"` // its name in the letter's addresses
	PDF    string `json:"pdf"`    // the web page's address of the PDF
}

// LettersResponse is GET …/reminder-letters.
type LettersResponse struct {
	Groups  []LetterGroup `json:"groups"`
	Letters []LetterView  `json:"letters"`
}

// LetterRequest asks for a letter to the units late on a kind of task;
// NewDue is the new last date an overdue letter gives (zero: at once).
type LetterRequest struct {
	TaskKind cycle.TaskKind `json:"task_kind"`
	NewDue   cycle.Date     `json:"new_due,omitzero"`
}

// LetterResponse is the letter issued (Letter nil: still being issued;
// ask again with the same Idempotency-Key).
type LetterResponse struct {
	Letter   *LetterView `json:"letter,omitempty"`
	Units    []string    `json:"units"`
	Delivery string      `json:"delivery,omitempty"`
}

var letterName = regexp.MustCompile(`^[a-z_]{1,40}\.[0-9a-f]{12}$`)

// mayWriteLetters: the secretariat writes them; the administrator sees them.
func mayWriteLetters(p *principal, write bool) error {
	if p.Account.Role == cycle.RoleSecretariat || (!write && p.Account.Role == cycle.RoleAdmin) {
		return nil
	}
	return cycle.Fail(cycle.EFORBIDDEN, "api.letters_secretariat")
}

func (s *letterHandlers) letters(ctx context.Context, r *http.Request, p *principal) (LettersResponse, error) {
	if err := mayWriteLetters(p, false); err != nil {
		return LettersResponse{}, err
	}
	province, year, id, err := cycleOf(r)
	if err != nil {
		return LettersResponse{}, err
	}
	if _, _, err := s.cfg.Store.Cycle(ctx, id); err != nil {
		return LettersResponse{}, err
	}
	ts, err := s.cfg.Store.OpenTasks(ctx, cycle.TaskFilter{CycleID: id})
	if err != nil {
		return LettersResponse{}, err
	}
	ds, err := s.cfg.Store.Decisions(ctx, id)
	if err != nil {
		return LettersResponse{}, err
	}
	out := LettersResponse{Groups: []LetterGroup{}, Letters: []LetterView{}}
	sent := map[cycle.TaskKind]int{}
	for _, d := range ds {
		letter, ok := strings.CutPrefix(d.ID, id+"/letter/")
		if !ok {
			continue
		}
		kind, _, _ := strings.Cut(letter, ".")
		if d.Kind == cycle.DocOverdue {
			sent[cycle.TaskKind(kind)]++
		}
		out.Letters = append(out.Letters, LetterView{Decision: d, Letter: letter,
			PDF: fmt.Sprintf("/cycles/%s/%d/letters/%s/pdf", province, year, letter)})
	}
	today := s.today()
	name := s.unitNamer(ctx, id)
	byKind := map[cycle.TaskKind]*LetterGroup{}
	var kinds []cycle.TaskKind
	unitAt := map[string]int{} // kind|unit → index in its group's Units
	for _, t := range ts {
		if t.District == "" || t.Role != cycle.RoleDistrictOfficer {
			continue
		}
		g := byKind[t.Kind]
		if g == nil {
			g = &LetterGroup{TaskKind: t.Kind, KindLabel: label(kindLabels, t.Kind), Due: t.Due, Sent: sent[t.Kind]}
			byKind[t.Kind] = g
			kinds = append(kinds, t.Kind)
		}
		if t.Due.Before(g.Due) {
			g.Due = t.Due
		}
		k := string(t.Kind) + "|" + t.District
		i, ok := unitAt[k]
		if !ok {
			i = len(g.Units)
			unitAt[k] = i
			g.Units = append(g.Units, LetterUnit{Code: t.District, Name: name(t.District)})
		}
		g.Units[i].Tasks = append(g.Units[i].Tasks, t.ID)
	}
	for _, k := range kinds {
		g := byKind[k]
		g.Overdue = g.Due.Before(today)
		out.Groups = append(out.Groups, *g)
	}
	sort.Slice(out.Groups, func(i, j int) bool {
		a, b := out.Groups[i], out.Groups[j]
		if a.Due != b.Due {
			return a.Due.Before(b.Due)
		}
		return a.TaskKind < b.TaskKind
	})
	return out, nil
}

func (s *letterHandlers) apiLetters(w http.ResponseWriter, r *http.Request, p *principal) error {
	out, err := s.letters(r.Context(), r, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// issueLetter builds the letter to the units late on req.TaskKind and
// has it issued (workflows/letters), once per (account, key).
func (s *letterHandlers) issueLetter(ctx context.Context, r *http.Request, p *principal, key string, req LetterRequest) (LetterResponse, error) {
	if err := mayWriteLetters(p, true); err != nil {
		return LetterResponse{}, err
	}
	if !idempotencyKey.MatchString(key) {
		return LetterResponse{}, cycle.Fail(EBADREQUEST, "api.idempotency_key")
	}
	province, year, id, err := cycleOf(r)
	if err != nil {
		return LetterResponse{}, err
	}
	state, err := s.letters(ctx, r, p)
	if err != nil {
		return LetterResponse{}, err
	}
	var g *LetterGroup
	for i := range state.Groups {
		if state.Groups[i].TaskKind == req.TaskKind {
			g = &state.Groups[i]
		}
	}
	sum := sha256.Sum256([]byte(p.Account.ID + "\x00" + key))
	letter := string(req.TaskKind) + "." + hex.EncodeToString(sum[:6])
	letterID := id + "/letter/" + letter
	for _, l := range state.Letters {
		if l.ID == letterID { // the same request again: its letter
			return LetterResponse{Letter: &l}, nil
		}
	}
	if g == nil {
		return LetterResponse{}, cycle.Fail(cycle.ECONFLICT, "api.letter_no_units", label(kindLabels, req.TaskKind))
	}
	today := s.today()
	if !req.NewDue.IsZero() && (!g.Overdue || !today.Before(req.NewDue)) {
		e := cycle.Fail(cycle.EINVALID, "api.settings_invalid")
		pr := cycle.NewProblem("api.letter_new_due", req.NewDue)
		pr.Field = "new_due"
		e.Problems = []cycle.Problem{pr}
		return LetterResponse{}, e
	}
	info, _, err := s.cfg.Store.Cycle(ctx, id)
	if err != nil {
		return LetterResponse{}, err
	}
	prov, is, err := s.cfg.Store.Province(ctx, province)
	if err != nil {
		return LetterResponse{}, err
	}
	kind := cycle.DocReminder
	if g.Overdue {
		kind = cycle.DocOverdue
	}
	in := letters.Input{Sender: is.CommitteeName}
	var names []string
	for _, u := range g.Units {
		names = append(names, u.Name)
		in.Job.Content.Addressees = append(in.Job.Content.Addressees, addressee(is, u.Name))
		for _, tid := range u.Tasks {
			in.Tasks = append(in.Tasks, cycle.Task{ID: tid, CycleID: id, Kind: g.TaskKind, Role: cycle.RoleDistrictOfficer, District: u.Code, Due: g.Due})
		}
	}
	in.Job.Decision = cycle.Decision{ID: letterID, CycleID: id, Kind: kind, BodyKey: is.BodyKey, Year: today.Year, Date: today,
		IssuedBy: p.Account.Actor(), IssuedAt: s.cfg.Now()}
	in.Job.Suffix = cycle.DocumentSuffix(kind, is)
	in.Job.Content = cycle.DocumentContent{Kind: kind, Issuer: is, Date: today, Year: year, ProvinceName: prov.Name, Synthetic: info.Synthetic,
		Addressees: in.Job.Content.Addressees, Task: letterTask(g.TaskKind, year), Basis: info.Policy.Source, Due: g.Due, NewDue: req.NewDue}
	if kind == cycle.DocOverdue {
		in.Job.Content.Escalation = g.Sent
	}
	wctx, cancel := context.WithTimeout(ctx, s.cfg.UpdateTimeout)
	defer cancel()
	st, err := letters.Issue(wctx, s.cfg.Temporal, in)
	outcome := "ok"
	if err != nil {
		outcome = asError(err).Code
	} else if st.Error != "" {
		outcome = cycle.EINTERNAL
	}
	if aerr := s.audit(ctx, r, p, "letter", letterID, key, outcome, fmt.Sprintf("%s letter about %s to %s", kind, g.TaskKind, strings.Join(names, "; "))); aerr != nil {
		return LetterResponse{}, aerr
	}
	if err != nil {
		return LetterResponse{}, err
	}
	if st.Error != "" {
		s.cfg.Logger.Error("reminder letter failed", "letter", letterID, "error", st.Error)
		return LetterResponse{}, cycle.Fail(cycle.EINTERNAL, "api.internal")
	}
	out := LetterResponse{Units: names, Delivery: st.Delivery}
	if st.Issued != nil {
		out.Letter = &LetterView{Decision: st.Issued.Decision, Letter: letter, PDF: fmt.Sprintf("/cycles/%s/%d/letters/%s/pdf", province, year, letter)}
	}
	return out, nil
}

// addressee is how a letter addresses a unit: the unit's committee,
// "Ban Chỉ đạo 138 huyện Bình Sơn".
func addressee(is cycle.Issuer, unit string) string {
	committee := "Ban Chỉ đạo"
	for _, level := range []string{" tỉnh ", " thành phố "} {
		if i := strings.Index(is.CommitteeName, level); i > 0 {
			committee = is.CommitteeName[:i]
			break
		}
	}
	r, n := utf8.DecodeRuneInString(unit)
	return committee + " " + string(unicode.ToLower(r)) + unit[n:]
}

// letterTask is what is due, as it reads after "việc" in the letter.
func letterTask(k cycle.TaskKind, year int) string {
	if _, ok := cycle.Message("letter.task." + string(k)); ok {
		return cycle.Say(cycle.Vietnamese, "letter.task."+string(k), year)
	}
	l := label(kindLabels, k)
	r, n := utf8.DecodeRuneInString(l)
	return string(unicode.ToLower(r)) + l[n:]
}

func (s *letterHandlers) apiIssueLetter(w http.ResponseWriter, r *http.Request, p *principal) error {
	var req LetterRequest
	if err := s.decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	out, err := s.issueLetter(r.Context(), r, p, r.Header.Get("Idempotency-Key"), req)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if out.Letter == nil {
		status = http.StatusAccepted
	}
	writeJSON(w, status, out)
	return nil
}

type lettersPage struct {
	LettersResponse
	Province string
	Year     int
	Process  string
	Key      string
	Today    cycle.Date
}

func (s *letterHandlers) webLetters(w http.ResponseWriter, r *http.Request, p *principal) error {
	out, err := s.letters(r.Context(), r, p)
	if err != nil {
		return err
	}
	province, year, id, _ := cycleOf(r)
	var fl string
	if c := r.URL.Query().Get("issued"); c != "" {
		fl = cycle.Say(cycle.Vietnamese, "api.letter_issued", c)
	} else if r.URL.Query().Get("pending") == "1" {
		fl = cycle.Say(cycle.Vietnamese, "api.letter_pending")
	}
	d := lettersPage{LettersResponse: out, Province: province, Year: year, Process: s.processName(r.Context(), id), Key: newRequestID(), Today: s.today()}
	s.render(w, r, http.StatusOK, "letters", pageData{Title: "Công văn đôn đốc", Account: p, Flash: fl, Data: d})
	return nil
}

func (s *letterHandlers) webIssueLetter(w http.ResponseWriter, r *http.Request, p *principal) error {
	req := LetterRequest{TaskKind: cycle.TaskKind(r.PostFormValue("task_kind"))}
	if v := strings.TrimSpace(r.PostFormValue("new_due")); v != "" {
		d, err := cycle.ParseDate(v)
		if err != nil {
			return cycle.Fail(cycle.EINVALID, "api.letter_new_due", v)
		}
		req.NewDue = d
	}
	out, err := s.issueLetter(r.Context(), r, p, r.PostFormValue("key"), req)
	if err != nil {
		return err
	}
	province, year, _, _ := cycleOf(r)
	to := fmt.Sprintf("/cycles/%s/%d/letters?pending=1", province, year)
	if out.Letter != nil {
		to = fmt.Sprintf("/cycles/%s/%d/letters?issued=%s", province, year, url.QueryEscape(out.Letter.Code))
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// serveLetterPDF sends a letter's signed PDF from the archive, audited:
// to the secretariat and the province's officers, and to a unit's officer
// whom the letter was sent to.
func (s *letterHandlers) serveLetterPDF(w http.ResponseWriter, r *http.Request, p *principal) error {
	_, _, id, err := cycleOf(r)
	if err != nil {
		return err
	}
	letter := r.PathValue("letter")
	if !letterName.MatchString(letter) {
		return cycle.Fail(cycle.ENOTFOUND, "api.letter_not_found")
	}
	docID := id + "/letter/" + letter
	if p.Account.Role == cycle.RoleDistrictOfficer {
		ns, err := s.cfg.Store.Notices(r.Context(), p.Account.ID, cycle.NoticeFilter{})
		if err != nil {
			return err
		}
		ok := false
		for _, n := range ns {
			ok = ok || n.Document == docID
		}
		if !ok {
			return cycle.Fail(cycle.ENOTFOUND, "api.letter_not_found")
		}
	}
	rec, pdf, err := s.cfg.Store.ArchivedDocument(r.Context(), docID)
	if cycle.ErrorCode(err) == cycle.ENOTFOUND {
		return cycle.Fail(cycle.ENOTFOUND, "api.letter_not_found")
	}
	if err != nil {
		return err
	}
	if err := s.audit(r.Context(), r, p, "download", docID, "", "ok", "letter "+rec.Code+" PDF, sha256 "+rec.SHA256); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": issuing.FileName(rec)}))
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(pdf)
	return nil
}

func init() {
	cycle.DefineMessages(map[string]cycle.Text{
		"api.letters_secretariat": {VI: "Chỉ Cơ quan Thường trực ban hành công văn đôn đốc.", EN: "only the secretariat issues reminder letters"},
		"api.letter_no_units": {
			VI: "Không có đơn vị nào đang chậm việc “%s” để đôn đốc.",
			EN: "no unit has an open task of kind %s to remind",
		},
		"api.letter_new_due": {
			VI: "Hạn mới (%s) phải sau ngày hôm nay, và chỉ đặt cho công văn nhắc việc đã quá hạn.",
			EN: "the new due date %s must be after today, and only for an overdue letter",
		},
		"api.letter_issued":    {VI: "Đã ban hành Công văn số %s và gửi tới các đơn vị.", EN: "letter %s issued and sent"},
		"api.letter_pending":   {VI: "Công văn đang được cấp số, ký và gửi; tải lại trang sau ít phút.", EN: "the letter is being issued"},
		"api.letter_not_found": {VI: "Không tìm thấy công văn này.", EN: "no such letter"},
		"letter.task.submit_proposal": {
			VI: "gửi đề xuất danh sách địa bàn trọng điểm, phức tạp về trật tự, an toàn xã hội thực hiện chuyển hóa năm %d",
			EN: "send the proposal of communes for the transformation of %d",
		},
		"letter.task.half_year_report": {
			VI: "gửi báo cáo kết quả thực hiện chuyển hóa 6 tháng của các địa bàn chuyển hóa (danh sách năm %d)",
			EN: "send the half-year reports (communes of %d)",
		},
		"letter.task.yearly_report": {
			VI: "gửi báo cáo kết quả thực hiện chuyển hóa năm của các địa bàn chuyển hóa (danh sách năm %d)",
			EN: "send the yearly reports (communes of %d)",
		},
		"letter.task.follow_up_report": {
			VI: "gửi báo cáo theo dõi sau 6 tháng của các địa bàn đã chuyển hóa (danh sách năm %d)",
			EN: "send the follow-up reports (communes of %d)",
		},
		"letter.task.failure_review": {
			VI: "gửi báo cáo kiểm điểm, làm rõ nguyên nhân và giải pháp của các địa bàn chưa chuyển hóa đạt (danh sách năm %d)",
			EN: "send the failure reviews (communes of %d)",
		},
	})
}
