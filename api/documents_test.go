package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/pgtest"
	"chuyenhoa/postgres"
	"chuyenhoa/sample"
)

// Each unit sees in its inbox the documents addressed to it, and only
// those; the PDF of one is served to the units it names, audited.
func TestDocumentInbox(t *testing.T) {
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.CreateDatabase(t))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	prov, is, err := sample.Province("quang-ngai")
	require.NoError(t, err)
	require.NoError(t, db.SaveProvince(ctx, prov, is))
	PasswordCost = bcrypt.MinCost
	hash, err := HashPassword("một mật khẩu dài")
	require.NoError(t, err)
	for _, a := range []cycle.Account{
		{ID: "ca.522", Role: cycle.RoleDistrictOfficer, District: "522"},
		{ID: "ca.524", Role: cycle.RoleDistrictOfficer, District: "524"},
		{ID: "cat.tt", Role: cycle.RoleSecretariat},
	} {
		require.NoError(t, db.CreateAccount(ctx, a, hash))
	}
	// An issued decision naming the secretariat, district 522 and one of its communes.
	require.NoError(t, db.OpenCycle(ctx, cycle.CycleInfo{ID: "cycle/51/2027", Province: "51", Year: 2027, Policy: cycle.DefaultPolicy(),
		StartedBy: cycle.Actor{ID: "cat.tt", Role: cycle.RoleSecretariat}, StartedAt: time.Now()}))
	d := cycle.Decision{ID: "cycle/51/2027/approval", CycleID: "cycle/51/2027", Kind: cycle.DocApproval, BodyKey: is.BodyKey, Year: 2027, Date: cycle.D(2027, 1, 20)}
	n, err := db.AssignNumber(ctx, d)
	require.NoError(t, err)
	pdf := []byte("%PDF-1.4 quyết định")
	sha, err := db.PutBlob(ctx, pdf)
	require.NoError(t, err)
	sum := sha256.Sum256(pdf)
	require.Equal(t, hex.EncodeToString(sum[:]), sha)
	require.NoError(t, db.ArchiveDocument(ctx, cycle.ArchivedDocument{ID: d.ID, Kind: d.Kind, Code: "1/QĐ-BCĐ", BodyKey: d.BodyKey, Year: 2027, Number: n,
		Date: time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC), Subject: "Về việc phê duyệt danh sách địa bàn", SHA256: sha, Size: len(pdf)}))
	require.NoError(t, db.AddressDocument(ctx, d.ID, "51", []cycle.Recipient{
		{Role: cycle.RoleSecretariatBody, Name: "Công an tỉnh - Cơ quan Thường trực", Line: "Như Điều 3;"},
		{Unit: "522", Name: "Ban Chỉ đạo 138 thành phố Quảng Ngãi", Line: "Như Điều 3;"},
	}, time.Now()))

	s := &Server{Store: db, SessionTTL: time.Hour}
	h := s.Handler()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	token := func(id string) string {
		resp, err := http.Post(srv.URL+"/api/session", mimeJSON, strings.NewReader(`{"account":"`+id+`","password":"một mật khẩu dài"}`))
		require.NoError(t, err)
		defer resp.Body.Close()
		var sr SessionResponse
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&sr))
		return sr.Token
	}
	get := func(tok, path string) (int, []byte) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}

	// Not signed in: refused (openapi.yaml documents the routes; its
	// own test checks every route is there).
	for _, path := range []string{"/api/documents/51", "/api/documents/51/pdf"} {
		st, _ := get("", path)
		require.Equal(t, http.StatusUnauthorized, st, path)
	}

	city := token("ca.522")
	st, body := get(city, "/api/documents/51")
	require.Equal(t, http.StatusOK, st, "%s", body)
	var in InboxResponse
	require.NoError(t, json.Unmarshal(body, &in))
	require.Equal(t, "522", in.Recipient.Unit)
	require.Len(t, in.Documents, 1)
	require.Equal(t, "1/QĐ-BCĐ", in.Documents[0].Code)
	require.Equal(t, "Như Điều 3;", in.Documents[0].Recipient.Line)
	st, body = get(city, "/api/documents/51/pdf?id="+d.ID)
	require.Equal(t, http.StatusOK, st)
	require.Equal(t, pdf, body)
	st, _ = get(city, "/api/documents/51?unit=524")
	require.Equal(t, http.StatusForbidden, st, "another unit's inbox")

	other := token("ca.524")
	st, body = get(other, "/api/documents/51")
	require.Equal(t, http.StatusOK, st)
	require.NoError(t, json.Unmarshal(body, &in))
	require.Empty(t, in.Documents, "a unit the document does not name")
	st, body = get(other, "/api/documents/51/pdf?id="+d.ID)
	require.Equal(t, http.StatusForbidden, st)
	require.Contains(t, string(body), "không gửi đơn vị")

	sec := token("cat.tt")
	st, body = get(sec, "/api/documents/51")
	require.Equal(t, http.StatusOK, st)
	require.NoError(t, json.Unmarshal(body, &in))
	require.Len(t, in.Documents, 1, "the secretariat's own inbox")
	st, body = get(sec, "/api/documents/51?unit=522")
	require.Equal(t, http.StatusOK, st)
	require.NoError(t, json.Unmarshal(body, &in))
	require.Len(t, in.Documents, 1, "the secretariat looks into a district's inbox")

	// The page.
	req, _ := http.NewRequest("GET", srv.URL+"/documents/51", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: city})
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", page)
	require.Contains(t, string(page), "Văn bản đến")
	require.Contains(t, string(page), "Về việc phê duyệt danh sách địa bàn")
	require.Contains(t, string(page), "Ban Chỉ đạo 138 thành phố Quảng Ngãi")
}
