package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"chuyenhoa/api"
	"chuyenhoa/cycle"
)

// raise stores a notification and addresses it, as the Notify activity does.
func (e *env) raise(task string, kind cycle.NotificationKind, role cycle.Role, unit string) {
	e.t.Helper()
	ctx := context.Background()
	n := cycle.Notification{CycleID: "cycle/51/2027", TaskID: task, Kind: kind, Role: role, District: unit, Due: cycle.D(2027, 1, 10), Seq: 1, Message: "x"}
	_, err := e.db.AddNotification(ctx, n, time.Now())
	require.NoError(e.t, err)
	_, err = e.db.AddressNotification(ctx, n.Key(), time.Now())
	require.NoError(e.t, err)
}

func (e *env) notices(token string) api.NoticesResponse {
	e.t.Helper()
	st, body := e.do("GET", "/api/notifications", token, "", nil)
	require.Equal(e.t, http.StatusOK, st, "%s", body)
	var out api.NoticesResponse
	require.NoError(e.t, json.Unmarshal(body, &out))
	return out
}

func TestNotificationsAreEachAccountsOwn(t *testing.T) {
	e := newEnv(t)
	e.raise("submit_proposal/522", cycle.NotifyOverdue, cycle.RoleDistrictOfficer, "522")
	e.raise("submit_proposal/522", cycle.NotifyEscalation, cycle.RoleSecretariat, "")
	_, officer := e.signIn("ca.522", password)
	_, secretariat := e.signIn("cat.tt", password)
	_, clerk := e.signIn("vanthu", password)

	mine := e.notices(officer)
	require.Equal(t, 1, mine.Unread)
	require.Len(t, mine.Notifications, 1)
	n := mine.Notifications[0]
	require.Equal(t, cycle.NotifyOverdue, n.Kind)
	require.Equal(t, "Quá hạn", n.KindLabel)
	require.Equal(t, "Quá hạn: “Gửi đề xuất địa bàn” — hạn ngày 10/01/2027 đã qua, đề nghị hoàn thành ngay.", n.Text)
	require.Equal(t, "/tasks/cycle/51/2027/submit_proposal/522", n.TaskURL)
	theirs := e.notices(secretariat)
	require.Len(t, theirs.Notifications, 1)
	require.Contains(t, theirs.Notifications[0].Text, "Thành phố Quảng Ngãi chưa hoàn thành việc “Gửi đề xuất địa bàn”")
	require.Empty(t, e.notices(clerk).Notifications)

	// Another account's notice cannot be marked, and is not said to exist.
	other := theirs.Notifications[0].ID
	for _, tok := range []string{officer, clerk} {
		st, body := e.do("POST", "/api/notifications/read", tok, "application/json", []byte(fmt.Sprintf(`{"ids":[%d]}`, other)))
		require.Equal(t, http.StatusNotFound, st, "%s", body)
		require.Equal(t, cycle.ENOTFOUND, errCode(t, body))
	}
	st, body := e.do("POST", "/api/notifications/read", officer, "application/json", []byte(fmt.Sprintf(`{"ids":[%d,%d]}`, n.ID, other)))
	require.Equal(t, http.StatusNotFound, st, "%s", body)
	require.Equal(t, 1, e.notices(secretariat).Unread, "nothing marked")
	require.Equal(t, 1, e.notices(officer).Unread, "nothing marked")
	for _, bad := range []string{`{}`, `{"ids":[1],"all":true}`, `{"ids":"x"}`, `{"nope":1}`} {
		st, body := e.do("POST", "/api/notifications/read", officer, "application/json", []byte(bad))
		require.Equal(t, http.StatusBadRequest, st, "%s: %s", bad, body)
	}
	st, _ = e.do("POST", "/api/notifications/read", "", "application/json", []byte(`{"all":true}`))
	require.Equal(t, http.StatusUnauthorized, st)

	st, body = e.do("POST", "/api/notifications/read", officer, "application/json", []byte(fmt.Sprintf(`{"ids":[%d]}`, n.ID)))
	require.Equal(t, http.StatusOK, st, "%s", body)
	require.JSONEq(t, `{"marked":1,"unread":0}`, string(body))
	require.Equal(t, 1, e.notices(secretariat).Unread, "the secretariat's stays unread")
	st, body = e.do("POST", "/api/notifications/read", secretariat, "application/json", []byte(`{"all":true}`))
	require.Equal(t, http.StatusOK, st)
	require.JSONEq(t, `{"marked":1,"unread":0}`, string(body))
	st, body = e.do("GET", "/api/notifications?unread=1", officer, "", nil)
	require.Equal(t, http.StatusOK, st)
	require.Contains(t, string(body), `"notifications": []`)
}

func TestSettingsAreChecked(t *testing.T) {
	e := newEnv(t)
	_, officer := e.signIn("ca.522", password)
	put := func(body string) (int, []byte) {
		return e.do("PUT", "/api/me/settings", officer, "application/json", []byte(body))
	}
	for body, field := range map[string]string{
		`{"email":"not an address","notify":"immediate"}`:                         "email",
		`{"email":"a@b.vn","webhook":"https://127.0.0.1/x","notify":"immediate"}`: "webhook",
		`{"email":"a@b.vn","notify":"sometimes"}`:                                 "notify",
		`{"notify":"digest"}`: "email",
	} {
		st, b := put(body)
		require.Equal(t, http.StatusUnprocessableEntity, st, "%s: %s", body, b)
		var eb api.ErrorBody
		require.NoError(t, json.Unmarshal(b, &eb))
		require.Len(t, eb.Error.Problems, 1, "%s", b)
		require.Equal(t, field, eb.Error.Problems[0].Field)
		require.NotEmpty(t, eb.Error.Problems[0].Text, "said in Vietnamese")
	}
	st, b := put(`{"email":"bich@522.example","notify":"digest"}`)
	require.Equal(t, http.StatusOK, st, "%s", b)
	var out api.SettingsResponse
	require.NoError(t, json.Unmarshal(b, &out))
	require.Equal(t, api.Settings{Email: "bich@522.example", Notify: cycle.NotifyDigest}, out.Settings)
	require.False(t, out.WebhooksAvailable)
	a, _, err := e.db.AccountCredentials(context.Background(), "ca.522")
	require.NoError(t, err)
	require.Equal(t, "bich@522.example", a.Email)
	require.Equal(t, cycle.NotifyDigest, a.Notify)
	rs, err := e.db.RecentAudit(context.Background(), "ca.522", 5)
	require.NoError(t, err)
	require.Equal(t, "settings", rs[0].Action)
	st, _ = put(`{"notify":"none"}`)
	require.Equal(t, http.StatusOK, st, "the inbox only needs no address")
}

func TestReminderLettersAreTheSecretariats(t *testing.T) {
	e := newEnv(t)
	_, officer := e.signIn("ca.522", password)
	_, secretariat := e.signIn("cat.tt", password)
	st, body := e.do("GET", "/api/cycles/51/2027/reminder-letters", officer, "", nil)
	require.Equal(t, http.StatusForbidden, st, "%s", body)
	st, body = e.do("POST", "/api/cycles/51/2027/reminder-letters", officer, "application/json", []byte(`{"task_kind":"submit_proposal"}`), "Idempotency-Key", "letter-0001")
	require.Equal(t, http.StatusForbidden, st, "%s", body)

	st, body = e.do("GET", "/api/cycles/51/2027/reminder-letters", secretariat, "", nil)
	require.Equal(t, http.StatusOK, st, "%s", body)
	var ls api.LettersResponse
	require.NoError(t, json.Unmarshal(body, &ls))
	require.Len(t, ls.Groups, 1)
	g := ls.Groups[0]
	require.Equal(t, cycle.TaskSubmitProposal, g.TaskKind)
	require.Equal(t, []api.LetterUnit{{Code: "522", Name: "Thành phố Quảng Ngãi", Tasks: []string{"submit_proposal/522"}}}, g.Units)

	// Refused before the workflow: no key, a kind no unit is late on, a
	// new due date for a letter that is not overdue.
	st, body = e.do("POST", "/api/cycles/51/2027/reminder-letters", secretariat, "application/json", []byte(`{"task_kind":"submit_proposal"}`))
	require.Equal(t, http.StatusBadRequest, st, "%s", body)
	st, body = e.do("POST", "/api/cycles/51/2027/reminder-letters", secretariat, "application/json", []byte(`{"task_kind":"yearly_report"}`), "Idempotency-Key", "letter-0002")
	require.Equal(t, http.StatusConflict, st, "%s", body)
	st, body = e.do("POST", "/api/cycles/51/2027/reminder-letters", secretariat, "application/json", []byte(`{"task_kind":"submit_proposal","new_due":"2030-01-01"}`), "Idempotency-Key", "letter-0003")
	if !g.Overdue {
		require.Equal(t, http.StatusUnprocessableEntity, st, "%s", body)
	}
	st, _ = e.do("GET", "/api/cycles/51/2027/reminder-letters/submit_proposal.0123456789ab/pdf", secretariat, "", nil)
	require.Equal(t, http.StatusNotFound, st)
	st, _ = e.do("GET", "/api/cycles/51/2027/reminder-letters/..%2f..%2fx/pdf", secretariat, "", nil)
	require.Equal(t, http.StatusNotFound, st)
}

func TestNotificationPages(t *testing.T) {
	e := newEnv(t)
	e.raise("submit_proposal/522", cycle.NotifyReminder, cycle.RoleDistrictOfficer, "522")
	e.raise("consolidate", cycle.NotifyOverdue, cycle.RoleSecretariat, "")
	web := func(id string) (*http.Client, string) {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.PostForm(e.srv.URL+"/signin", url.Values{"account": {id}, "password": {password}})
		require.NoError(t, err)
		resp.Body.Close()
		resp, err = c.Get(e.srv.URL + "/notifications")
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		return c, string(b)
	}
	c, page := web("ca.522")
	require.Contains(t, page, `<span class="count" id="unread">1<span class="sr-only"> chưa đọc</span></span>`, "the header's unread count")
	require.Contains(t, page, "Nhắc việc: “Gửi đề xuất địa bàn” — hạn ngày 10/01/2027.")
	require.NotContains(t, page, "district_officer")
	require.NotContains(t, page, "submit_proposal/522<")
	csrf := regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`).FindStringSubmatch(page)[1]
	ids := regexp.MustCompile(`data-notice="(\d+)"`).FindStringSubmatch(page)
	require.NotNil(t, ids)
	_, secPage := web("cat.tt")
	secID := regexp.MustCompile(`data-notice="(\d+)"`).FindStringSubmatch(secPage)[1]
	require.NotEqual(t, ids[1], secID)

	post := func(v url.Values) (int, string) {
		resp, err := c.PostForm(e.srv.URL+"/notifications/read", v)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(b)
	}
	st, _ := post(url.Values{"csrf": {"forged"}, "id": {ids[1]}})
	require.Equal(t, http.StatusForbidden, st)
	st, body := post(url.Values{"csrf": {csrf}, "id": {secID}})
	require.Equal(t, http.StatusNotFound, st, "the secretariat's notice, marked by the district: refused")
	require.Contains(t, body, "Không tìm thấy thông báo này")
	st, _ = post(url.Values{"csrf": {csrf}, "id": {ids[1]}})
	require.Equal(t, http.StatusSeeOther, st)
	_, page = web("ca.522")
	require.NotContains(t, page, `id="unread"`)
	require.Contains(t, page, "Bạn đã đọc hết thông báo")
	_, secPage = web("cat.tt")
	require.Contains(t, secPage, `id="unread">1<`)

	// Settings: a wrong address is shown at its field.
	resp, err := c.Get(e.srv.URL + "/settings")
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, string(b), "Cài đặt nhận thông báo")
	resp, err = c.PostForm(e.srv.URL+"/settings", url.Values{"csrf": {csrf}, "email": {"không phải thư"}, "notify": {"immediate"}})
	require.NoError(t, err)
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
	require.Contains(t, string(b), `aria-describedby="email-error"`)
	require.Contains(t, string(b), "không hợp lệ")
	resp, err = c.PostForm(e.srv.URL+"/settings", url.Values{"csrf": {csrf}, "email": {"bich@522.example"}, "notify": {"digest"}})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.True(t, strings.HasPrefix(resp.Header.Get("Location"), "/settings"))

	// The letters page is the secretariat's.
	resp, err = c.Get(e.srv.URL + "/cycles/51/2027/letters")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
}
