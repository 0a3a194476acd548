package api

import (
	"context"
	"net/http"
	"net/mail"
	"strconv"
	"strings"

	"chuyenhoa/cycle"
	"chuyenhoa/notify"
)

// Reminders that reach people: an officer's notifications (the in-app list
// with its unread count, marked read one by one or all), the officer's own
// contacts and preference (settings), and the secretariat's reminder
// letters (công văn đôn đốc) to the units late on a task.

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

func (s *notificationHandlers) notices(ctx context.Context, p *principal, unreadOnly bool) (NoticesResponse, error) {
	ns, err := s.cfg.Store.Notices(ctx, p.Account.ID, cycle.NoticeFilter{Unread: unreadOnly})
	if err != nil {
		return NoticesResponse{}, err
	}
	unread, err := s.cfg.Store.UnreadNotices(ctx, p.Account.ID)
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
		if t, open, err := s.cfg.Store.Task(ctx, n.CycleID, n.TaskID); err == nil && open && s.maySee(ctx, p, t) {
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

func (s *notificationHandlers) apiNotices(w http.ResponseWriter, r *http.Request, p *principal) error {
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

func (s *notificationHandlers) markRead(ctx context.Context, p *principal, req MarkReadRequest) (MarkReadResponse, error) {
	if req.All == (len(req.IDs) > 0) || len(req.IDs) > 500 {
		return MarkReadResponse{}, cycle.Fail(EBADREQUEST, "api.mark_read")
	}
	ids := req.IDs
	if req.All {
		ids = nil
	}
	n, err := s.cfg.Store.MarkNoticesRead(ctx, p.Account.ID, ids, s.cfg.Now())
	if cycle.ErrorCode(err) == cycle.ENOTFOUND {
		// Another account's notice is not shown as existing.
		return MarkReadResponse{}, cycle.Fail(cycle.ENOTFOUND, "api.notice_not_found")
	}
	if err != nil {
		return MarkReadResponse{}, err
	}
	unread, err := s.cfg.Store.UnreadNotices(ctx, p.Account.ID)
	return MarkReadResponse{Marked: n, Unread: unread}, err
}

func (s *notificationHandlers) apiMarkRead(w http.ResponseWriter, r *http.Request, p *principal) error {
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

func (s *notificationHandlers) webNotices(w http.ResponseWriter, r *http.Request, p *principal) error {
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
func (s *notificationHandlers) lateCycles(ctx context.Context) ([]lettersLink, error) {
	ts, err := s.cfg.Store.OpenTasks(ctx, cycle.TaskFilter{Role: cycle.RoleDistrictOfficer})
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

func (s *notificationHandlers) webMarkRead(w http.ResponseWriter, r *http.Request, p *principal) error {
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

func (s *notificationHandlers) settings(ctx context.Context, p *principal) (SettingsResponse, error) {
	a, _, err := s.cfg.Store.AccountCredentials(ctx, p.Account.ID)
	if err != nil {
		return SettingsResponse{}, err
	}
	out := SettingsResponse{Settings: Settings{Email: a.Email, Webhook: a.Webhook, Notify: a.Notify}, WebhooksAvailable: len(s.cfg.WebhookHosts) > 0}
	if out.Notify == "" {
		out.Notify = cycle.NotifyImmediate
	}
	items, err := s.cfg.Store.NoticeOutbox(ctx, p.Account.ID)
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
func (s *notificationHandlers) checkSettings(in Settings) (Settings, error) {
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
		if err := notify.CheckAddress(in.Webhook, s.cfg.WebhookHosts); err != nil {
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

func (s *notificationHandlers) saveSettings(ctx context.Context, r *http.Request, p *principal, in Settings) (Settings, error) {
	in, err := s.checkSettings(in)
	if err != nil {
		return in, err
	}
	a, _, err := s.cfg.Store.AccountCredentials(ctx, p.Account.ID)
	if err != nil {
		return in, err
	}
	a.Email, a.Webhook, a.Notify = in.Email, in.Webhook, in.Notify
	if err := s.cfg.Store.UpdateAccount(ctx, a); err != nil {
		return in, err
	}
	return in, s.audit(ctx, r, p, "settings", "account/"+p.Account.ID, "", "ok", "notify="+string(in.Notify)+" email="+strconv.FormatBool(in.Email != "")+" webhook="+strconv.FormatBool(in.Webhook != ""))
}

func (s *notificationHandlers) apiSettings(w http.ResponseWriter, r *http.Request, p *principal) error {
	out, err := s.settings(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *notificationHandlers) apiSaveSettings(w http.ResponseWriter, r *http.Request, p *principal) error {
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

func (s *notificationHandlers) webSettings(w http.ResponseWriter, r *http.Request, p *principal) error {
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

func (s *notificationHandlers) webSaveSettings(w http.ResponseWriter, r *http.Request, p *principal) error {
	in := Settings{Email: r.PostFormValue("email"), Webhook: r.PostFormValue("webhook"), Notify: cycle.NotifyPref(r.PostFormValue("notify"))}
	if _, err := s.saveSettings(r.Context(), r, p, in); err != nil {
		ce := asError(err)
		if ce.Code != cycle.EINVALID {
			return err
		}
		d := settingsPage{SettingsResponse: SettingsResponse{Settings: in, WebhooksAvailable: len(s.cfg.WebhookHosts) > 0}, Prefs: prefOptions, Problems: map[string]string{}}
		for _, pr := range ce.Problems {
			d.Problems[pr.Field] = pr.In(cycle.Vietnamese)
		}
		s.render(w, r, http.StatusUnprocessableEntity, "settings", pageData{Title: "Cài đặt nhận thông báo", Account: p, Error: ce, Data: d})
		return nil
	}
	http.Redirect(w, r, "/settings?saved=1", http.StatusSeeOther)
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
		"api.settings_saved": {VI: "Đã lưu cài đặt nhận thông báo.", EN: "settings saved"},
	})
}
