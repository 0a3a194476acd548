package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"chuyenhoa/cycle"
	"chuyenhoa/notify"
	"chuyenhoa/workflows/issuing"
	"chuyenhoa/workflows/letters"
)

// Reminders that reach people: an officer's notifications (the in-app list
// with its unread count, marked read one by one or all), the officer's own
// contacts and preference (settings), and the secretariat's reminder
// letters (công văn đôn đốc) to the units late on a task.

func (s *Server) notificationRoutes() {
	m := s.mux
	m.HandleFunc("GET /api/notifications", s.authed(s.apiNotices))
	m.HandleFunc("POST /api/notifications/read", s.authed(s.apiMarkRead))
	m.HandleFunc("GET /api/me/settings", s.authed(s.apiSettings))
	m.HandleFunc("PUT /api/me/settings", s.authed(s.apiSaveSettings))
	m.HandleFunc("GET /api/cycles/{province}/{year}/reminder-letters", s.authed(s.apiLetters))
	m.HandleFunc("POST /api/cycles/{province}/{year}/reminder-letters", s.authed(s.apiIssueLetter))
	m.HandleFunc("GET /api/cycles/{province}/{year}/reminder-letters/{letter}/pdf", s.authed(s.serveLetterPDF))

	m.HandleFunc("GET /notifications", s.page(s.webNotices))
	m.HandleFunc("POST /notifications/read", s.page(s.webMarkRead))
	m.HandleFunc("GET /settings", s.page(s.webSettings))
	m.HandleFunc("POST /settings", s.page(s.webSaveSettings))
	m.HandleFunc("GET /cycles/{province}/{year}/letters", s.page(s.webLetters))
	m.HandleFunc("POST /cycles/{province}/{year}/letters", s.page(s.webIssueLetter))
	m.HandleFunc("GET /cycles/{province}/{year}/letters/{letter}/pdf", s.page(s.serveLetterPDF))
}

// unreadCount is the account's unread notices for the page header (0 when
// it cannot be read: the header is no place for an error).
func (s *Server) unreadCount(ctx context.Context, p *principal) int {
	if p == nil {
		return 0
	}
	n, err := s.Store.UnreadNotices(ctx, p.Account.ID)
	if err != nil {
		s.Logger.Warn("unread notices", "account", p.Account.ID, "error", err)
		return 0
	}
	return n
}

// ---- the list ----------------------------------------------------------------

// NoticeView is a notification as the account reads it.
type NoticeView struct {
	cycle.Notice
	Text    string `json:"text"`    // what it says, in Vietnamese
	Process string `json:"process"` // its cycle, for people
	// TaskURL is the task's page; LetterURL the letter's PDF (a reminder
	// letter's notice).
	TaskURL   string `json:"task_url,omitempty"`
	LetterURL string `json:"letter_url,omitempty"`
	KindLabel string `json:"kind_label"`
}

// NoticesResponse is GET /api/notifications.
type NoticesResponse struct {
	Unread        int          `json:"unread"`
	Notifications []NoticeView `json:"notifications"`
}

func (s *Server) notices(ctx context.Context, p *principal, unreadOnly bool) (NoticesResponse, error) {
	ns, err := s.Store.Notices(ctx, p.Account.ID, cycle.NoticeFilter{Unread: unreadOnly})
	if err != nil {
		return NoticesResponse{}, err
	}
	unread, err := s.Store.UnreadNotices(ctx, p.Account.ID)
	if err != nil {
		return NoticesResponse{}, err
	}
	out := NoticesResponse{Unread: unread, Notifications: make([]NoticeView, 0, len(ns))}
	names := map[string]func(string) string{}
	for _, n := range ns {
		name, ok := names[n.CycleID]
		if !ok {
			name = s.unitNamer(ctx, n.CycleID)
			names[n.CycleID] = name
		}
		v := NoticeView{Notice: n, Text: n.Text(cycle.Vietnamese, name), Process: s.processName(ctx, n.CycleID),
			KindLabel: cycle.Say(cycle.Vietnamese, "notice.kind."+string(n.Kind))}
		if t, open, err := s.Store.Task(ctx, n.CycleID, n.TaskID); err == nil && open && s.maySee(ctx, p, t) {
			v.TaskURL = "/tasks/" + addressOfTask(t).Path()
		}
		if letter, ok := strings.CutPrefix(n.Document, n.CycleID+"/letter/"); ok {
			prov, year := splitCycleID(n.CycleID)
			v.LetterURL = "/cycles/" + prov + "/" + year + "/letters/" + letter + "/pdf"
		}
		out.Notifications = append(out.Notifications, v)
	}
	return out, nil
}

// unitNamer names the units of a cycle's province.
func (s *Server) unitNamer(ctx context.Context, cycleID string) func(string) string {
	prov, _ := splitCycleID(cycleID)
	p, _, err := s.Store.Province(ctx, prov)
	return func(code string) string {
		if err == nil {
			for _, d := range p.Districts {
				if d.Code == code {
					return d.Name
				}
			}
		}
		return cycle.Say(cycle.Vietnamese, "notice.unit_code", code)
	}
}

func (s *Server) apiNotices(w http.ResponseWriter, r *http.Request, p *principal) error {
	out, err := s.notices(r.Context(), p, r.URL.Query().Get("unread") == "1")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// MarkReadRequest is the body of POST /api/notifications/read: the IDs of
// the account's notices, or All.
type MarkReadRequest struct {
	IDs []int64 `json:"ids,omitempty"`
	All bool    `json:"all,omitempty"`
}

// MarkReadResponse says how many notices were marked, and how many are
// still unread.
type MarkReadResponse struct {
	Marked int `json:"marked"`
	Unread int `json:"unread"`
}

func (s *Server) markRead(ctx context.Context, p *principal, req MarkReadRequest) (MarkReadResponse, error) {
	if req.All == (len(req.IDs) > 0) || len(req.IDs) > 500 {
		return MarkReadResponse{}, cycle.Fail(EBADREQUEST, "api.mark_read")
	}
	ids := req.IDs
	if req.All {
		ids = nil
	}
	n, err := s.Store.MarkNoticesRead(ctx, p.Account.ID, ids, s.Now())
	if cycle.ErrorCode(err) == cycle.ENOTFOUND {
		// Another account's notice is not shown as existing.
		return MarkReadResponse{}, cycle.Fail(cycle.ENOTFOUND, "api.notice_not_found")
	}
	if err != nil {
		return MarkReadResponse{}, err
	}
	unread, err := s.Store.UnreadNotices(ctx, p.Account.ID)
	return MarkReadResponse{Marked: n, Unread: unread}, err
}

func (s *Server) apiMarkRead(w http.ResponseWriter, r *http.Request, p *principal) error {
	var req MarkReadRequest
	if err := s.decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	out, err := s.markRead(r.Context(), p, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type noticesPage struct {
	NoticesResponse
	Letters []lettersLink // the secretariat's: cycles with units late
}

type lettersLink struct {
	URL, Process string
	Units        int
}

func (s *Server) webNotices(w http.ResponseWriter, r *http.Request, p *principal) error {
	out, err := s.notices(r.Context(), p, false)
	if err != nil {
		return err
	}
	d := noticesPage{NoticesResponse: out}
	if p.Account.Role == cycle.RoleSecretariat {
		if d.Letters, err = s.lateCycles(r.Context()); err != nil {
			return err
		}
	}
	var fl string
	if n := r.URL.Query().Get("marked"); n != "" {
		fl = cycle.Say(cycle.Vietnamese, "api.notices_marked", n)
	}
	s.render(w, r, http.StatusOK, "notifications", pageData{Title: "Thông báo", Account: p, Flash: fl, Data: d})
	return nil
}

// lateCycles are the cycles with units late on a task, for the
// secretariat's reminder letters.
func (s *Server) lateCycles(ctx context.Context) ([]lettersLink, error) {
	ts, err := s.Store.OpenTasks(ctx, cycle.TaskFilter{Role: cycle.RoleDistrictOfficer})
	if err != nil {
		return nil, err
	}
	today := s.today()
	units := map[string]map[string]bool{}
	var order []string
	for _, t := range ts {
		if !strings.HasPrefix(t.CycleID, "cycle/") || t.District == "" || !t.Due.Before(today) {
			continue
		}
		if units[t.CycleID] == nil {
			units[t.CycleID] = map[string]bool{}
			order = append(order, t.CycleID)
		}
		units[t.CycleID][t.District] = true
	}
	var out []lettersLink
	for _, id := range order {
		prov, year := splitCycleID(id)
		out = append(out, lettersLink{URL: "/cycles/" + prov + "/" + year + "/letters", Process: s.processName(ctx, id), Units: len(units[id])})
	}
	return out, nil
}

func (s *Server) webMarkRead(w http.ResponseWriter, r *http.Request, p *principal) error {
	req := MarkReadRequest{All: r.PostFormValue("all") == "1"}
	if id := r.PostFormValue("id"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return cycle.Fail(cycle.ENOTFOUND, "api.notice_not_found")
		}
		req.IDs = []int64{n}
	}
	out, err := s.markRead(r.Context(), p, req)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/notifications?marked="+strconv.Itoa(out.Marked), http.StatusSeeOther)
	return nil
}

// ---- settings ----------------------------------------------------------------

// Settings are an officer's contacts and how notices reach them.
type Settings struct {
	Email   string           `json:"email"`
	Webhook string           `json:"webhook"`
	Notify  cycle.NotifyPref `json:"notify"`
}

// SettingsResponse is the account's settings, with whether webhooks can
// be used (the province runs a gateway) and what was sent lately.
type SettingsResponse struct {
	Settings
	WebhooksAvailable bool               `json:"webhooks_available"`
	Recent            []cycle.OutboxItem `json:"recent,omitempty"`
}

func (s *Server) settings(ctx context.Context, p *principal) (SettingsResponse, error) {
	a, _, err := s.Store.AccountCredentials(ctx, p.Account.ID)
	if err != nil {
		return SettingsResponse{}, err
	}
	out := SettingsResponse{Settings: Settings{Email: a.Email, Webhook: a.Webhook, Notify: a.Notify}, WebhooksAvailable: len(s.WebhookHosts) > 0}
	if out.Notify == "" {
		out.Notify = cycle.NotifyImmediate
	}
	items, err := s.Store.NoticeOutbox(ctx, p.Account.ID)
	if err != nil {
		return SettingsResponse{}, err
	}
	for i := len(items) - 1; i >= 0 && len(out.Recent) < 10; i-- {
		it := items[i]
		it.Account, it.AttemptID = cycle.Account{}, ""
		out.Recent = append(out.Recent, it)
	}
	return out, nil
}

// checkSettings refuses what cannot be sent to, each problem at its field.
func (s *Server) checkSettings(in Settings) (Settings, error) {
	in.Email, in.Webhook = strings.TrimSpace(in.Email), strings.TrimSpace(in.Webhook)
	var probs []cycle.Problem
	add := func(field, rule string, args ...any) {
		pr := cycle.NewProblem(rule, args...)
		pr.Field = field
		probs = append(probs, pr)
	}
	if in.Email != "" {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > 254 {
			add("email", "api.settings_email", in.Email)
		}
	}
	if in.Webhook != "" {
		if err := notify.CheckAddress(in.Webhook, s.WebhookHosts); err != nil {
			pr := cycle.Problem{Field: "webhook", Rule: "notice.webhook", Message: asError(err).Message, Text: asError(err).Text}
			probs = append(probs, pr)
		}
	}
	switch in.Notify {
	case "":
		in.Notify = cycle.NotifyImmediate
	case cycle.NotifyImmediate, cycle.NotifyDigest, cycle.NotifyInboxOnly:
	default:
		add("notify", "api.settings_notify")
	}
	if in.Notify != cycle.NotifyInboxOnly && in.Email == "" && in.Webhook == "" {
		add("email", "api.settings_no_contact")
	}
	if len(probs) > 0 {
		e := cycle.Fail(cycle.EINVALID, "api.settings_invalid")
		e.Problems = probs
		return in, e
	}
	return in, nil
}

func (s *Server) saveSettings(ctx context.Context, r *http.Request, p *principal, in Settings) (Settings, error) {
	in, err := s.checkSettings(in)
	if err != nil {
		return in, err
	}
	a, _, err := s.Store.AccountCredentials(ctx, p.Account.ID)
	if err != nil {
		return in, err
	}
	a.Email, a.Webhook, a.Notify = in.Email, in.Webhook, in.Notify
	if err := s.Store.UpdateAccount(ctx, a); err != nil {
		return in, err
	}
	return in, s.audit(ctx, r, p, "settings", "account/"+p.Account.ID, "", "ok", "notify="+string(in.Notify)+" email="+strconv.FormatBool(in.Email != "")+" webhook="+strconv.FormatBool(in.Webhook != ""))
}

func (s *Server) apiSettings(w http.ResponseWriter, r *http.Request, p *principal) error {
	out, err := s.settings(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiSaveSettings(w http.ResponseWriter, r *http.Request, p *principal) error {
	var in Settings
	if err := s.decodeJSON(w, r, &in, false); err != nil {
		return err
	}
	if _, err := s.saveSettings(r.Context(), r, p, in); err != nil {
		return err
	}
	return s.apiSettings(w, r, p)
}

type settingsPage struct {
	SettingsResponse
	Problems map[string]string // field → what is wrong
	Prefs    []prefOption
}

type prefOption struct {
	Value cycle.NotifyPref
	Label string
}

var prefOptions = []prefOption{
	{cycle.NotifyImmediate, "Gửi ngay từng thông báo"},
	{cycle.NotifyDigest, "Gửi một thư tổng hợp mỗi ngày (7 giờ sáng)"},
	{cycle.NotifyInboxOnly, "Chỉ xem trong hệ thống, không gửi thư"},
}

func (s *Server) webSettings(w http.ResponseWriter, r *http.Request, p *principal) error {
	out, err := s.settings(r.Context(), p)
	if err != nil {
		return err
	}
	var fl string
	if r.URL.Query().Get("saved") == "1" {
		fl = cycle.Say(cycle.Vietnamese, "api.settings_saved")
	}
	s.render(w, r, http.StatusOK, "settings", pageData{Title: "Cài đặt nhận thông báo", Account: p, Flash: fl, Data: settingsPage{SettingsResponse: out, Prefs: prefOptions}})
	return nil
}

func (s *Server) webSaveSettings(w http.ResponseWriter, r *http.Request, p *principal) error {
	in := Settings{Email: r.PostFormValue("email"), Webhook: r.PostFormValue("webhook"), Notify: cycle.NotifyPref(r.PostFormValue("notify"))}
	if _, err := s.saveSettings(r.Context(), r, p, in); err != nil {
		ce := asError(err)
		if ce.Code != cycle.EINVALID {
			return err
		}
		d := settingsPage{SettingsResponse: SettingsResponse{Settings: in, WebhooksAvailable: len(s.WebhookHosts) > 0}, Prefs: prefOptions, Problems: map[string]string{}}
		for _, pr := range ce.Problems {
			d.Problems[pr.Field] = pr.In(cycle.Vietnamese)
		}
		s.render(w, r, http.StatusUnprocessableEntity, "settings", pageData{Title: "Cài đặt nhận thông báo", Account: p, Error: ce, Data: d})
		return nil
	}
	http.Redirect(w, r, "/settings?saved=1", http.StatusSeeOther)
	return nil
}

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

func (s *Server) letters(ctx context.Context, r *http.Request, p *principal) (LettersResponse, error) {
	if err := mayWriteLetters(p, false); err != nil {
		return LettersResponse{}, err
	}
	province, year, id, err := cycleOf(r)
	if err != nil {
		return LettersResponse{}, err
	}
	if _, _, err := s.Store.Cycle(ctx, id); err != nil {
		return LettersResponse{}, err
	}
	ts, err := s.Store.OpenTasks(ctx, cycle.TaskFilter{CycleID: id})
	if err != nil {
		return LettersResponse{}, err
	}
	ds, err := s.Store.Decisions(ctx, id)
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

func (s *Server) apiLetters(w http.ResponseWriter, r *http.Request, p *principal) error {
	out, err := s.letters(r.Context(), r, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// issueLetter builds the letter to the units late on req.TaskKind and
// has it issued (workflows/letters), once per (account, key).
func (s *Server) issueLetter(ctx context.Context, r *http.Request, p *principal, key string, req LetterRequest) (LetterResponse, error) {
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
	info, _, err := s.Store.Cycle(ctx, id)
	if err != nil {
		return LetterResponse{}, err
	}
	prov, is, err := s.Store.Province(ctx, province)
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
		IssuedBy: p.Account.Actor(), IssuedAt: s.Now()}
	in.Job.Suffix = cycle.DocumentSuffix(kind, is)
	in.Job.Content = cycle.DocumentContent{Kind: kind, Issuer: is, Date: today, Year: year, ProvinceName: prov.Name, Synthetic: info.Synthetic,
		Addressees: in.Job.Content.Addressees, Task: letterTask(g.TaskKind, year), Basis: info.Policy.Source, Due: g.Due, NewDue: req.NewDue}
	if kind == cycle.DocOverdue {
		in.Job.Content.Escalation = g.Sent
	}
	wctx, cancel := context.WithTimeout(ctx, s.UpdateTimeout)
	defer cancel()
	st, err := letters.Issue(wctx, s.Temporal, in)
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
		s.Logger.Error("reminder letter failed", "letter", letterID, "error", st.Error)
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

func (s *Server) apiIssueLetter(w http.ResponseWriter, r *http.Request, p *principal) error {
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

func (s *Server) webLetters(w http.ResponseWriter, r *http.Request, p *principal) error {
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

func (s *Server) webIssueLetter(w http.ResponseWriter, r *http.Request, p *principal) error {
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
func (s *Server) serveLetterPDF(w http.ResponseWriter, r *http.Request, p *principal) error {
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
		ns, err := s.Store.Notices(r.Context(), p.Account.ID, cycle.NoticeFilter{})
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
	rec, pdf, err := s.Store.ArchivedDocument(r.Context(), docID)
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
		"notice.kind.reminder":   {VI: "Nhắc việc", EN: "reminder"},
		"notice.kind.overdue":    {VI: "Quá hạn", EN: "overdue"},
		"notice.kind.escalation": {VI: "Báo cáo chậm", EN: "escalation"},
		"notice.kind.document":   {VI: "Công văn đôn đốc", EN: "reminder letter"},
		"notice.kind.info":       {VI: "Thông báo", EN: "notice"},
		"api.mark_read": {
			VI: "Cần chọn thông báo cần đánh dấu đã đọc (hoặc đánh dấu tất cả).",
			EN: "name the notices to mark read (ids, at most 500), or all",
		},
		"api.notice_not_found": {VI: "Không tìm thấy thông báo này trong danh sách của bạn.", EN: "no such notice of yours"},
		"api.notices_marked":   {VI: "Đã đánh dấu %s thông báo là đã đọc.", EN: "%s notices marked read"},
		"api.settings_invalid": {VI: "Thông tin chưa hợp lệ; xem các ô được đánh dấu.", EN: "the settings are not valid"},
		"api.settings_email":   {VI: "Địa chỉ thư điện tử %q không hợp lệ (ví dụ: ten@congan.gov.vn).", EN: "%q is not an e-mail address"},
		"api.settings_notify":  {VI: "Chọn một cách nhận thông báo trong danh sách.", EN: "notify must be immediate, digest or none"},
		"api.settings_no_contact": {
			VI: "Cần địa chỉ thư điện tử (hoặc webhook) để nhận thông báo; nếu không, chọn “Chỉ xem trong hệ thống”.",
			EN: "an e-mail address or a webhook is needed unless notices stay in the inbox",
		},
		"api.settings_saved":      {VI: "Đã lưu cài đặt nhận thông báo.", EN: "settings saved"},
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
