package api_test

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"chuyenhoa/api"
)

// A cycle started without a policy runs under the one in force for the
// province on 1 January of the year — for Quảng Ngãi in 2027 the two-tier
// template 005 — and a year no policy covers is refused, in Vietnamese and
// English, before anything reaches Temporal (noTemporal fails the test if
// it does); the list of policies marks none in force then.
func TestStartCycleWithoutAPolicyInForce(t *testing.T) {
	e := newEnv(t)
	_, sec := e.signIn("cat.tt", password)

	st, body := e.do("GET", "/api/policies?province=51&year=2027", sec, "", nil)
	require.Equal(t, http.StatusOK, st, "%s", body)
	var ps api.PoliciesResponse
	require.NoError(t, json.Unmarshal(body, &ps))
	require.Equal(t, "005-quang-ngai-2026-2030", ps.Policies[0].ID)
	require.True(t, ps.Policies[0].InForce)

	st, body = e.do("GET", "/api/policies?province=51&year=2031", sec, "", nil)
	require.Equal(t, http.StatusOK, st, "%s", body)
	require.NoError(t, json.Unmarshal(body, &ps))
	for _, p := range ps.Policies {
		require.False(t, p.InForce, "%s marked in force in 2031", p.ID)
	}

	st, body = e.do("POST", "/api/cycles", sec, "application/json", []byte(`{"province":"51","year":2031}`))
	require.Equal(t, http.StatusUnprocessableEntity, st, "%s", body)
	var eb api.ErrorBody
	require.NoError(t, json.Unmarshal(body, &eb))
	require.Equal(t, "invalid", eb.Error.Code)
	require.Contains(t, eb.Error.Text, "Không có kế hoạch chuyển hóa nào của Tỉnh Quảng Ngãi (mã 51) có hiệu lực ngày 01/01/2031")
	require.Contains(t, eb.Error.Text, "005-quang-ngai-2026-2030 (01/01/2026 – 31/12/2030)")
	require.Contains(t, eb.Error.Message, "no policy of Tỉnh Quảng Ngãi (51) is in force on 2031-01-01")

	st, body = e.do("POST", "/api/awards", sec, "application/json", []byte(`{"province":"51","year":2031}`))
	require.Equal(t, http.StatusUnprocessableEntity, st, "%s", body)
	require.Contains(t, string(body), "Không có kế hoạch chuyển hóa nào")

	// The web form: the policy in force is chosen; none is when none is in
	// force, and the page says why.
	page := func(year string) string {
		req, _ := http.NewRequest("GET", e.srv.URL+"/admin/cycles/new?province=51&year="+year, nil)
		req.AddCookie(&http.Cookie{Name: "chuyenhoa_session", Value: sec})
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
		return html.UnescapeString(string(b))
	}
	checked := regexp.MustCompile(`value="([^"]+)" checked`)
	p := page("2027")
	require.Equal(t, "005-quang-ngai-2026-2030", checked.FindStringSubmatch(p)[1])
	require.NotContains(t, p, `id="none-in-force"`)
	p = page("2031")
	require.Nil(t, checked.FindStringSubmatch(p), "a policy chosen for a year none covers")
	require.Contains(t, p, `id="none-in-force"`)
	require.Contains(t, p, "Không có kế hoạch chuyển hóa nào của Tỉnh Quảng Ngãi (mã 51) có hiệu lực ngày 01/01/2031")
}
