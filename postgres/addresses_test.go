package postgres_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"chuyenhoa/cycle"
)

// Each issued document is addressed to the bodies it names; a unit's
// inbox lists what is addressed to it, newest first, and nothing else.
func TestDocumentsAddressedTo(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	id := withCycle(t, db)
	named := []cycle.Recipient{
		{Role: cycle.RoleSecretariatBody, Name: "Công an tỉnh - Cơ quan Thường trực Ban Chỉ đạo 138 tỉnh Quảng Ngãi", Line: "Như Điều 3;"},
		{Unit: "522", Name: "Ban Chỉ đạo 138 thành phố Quảng Ngãi", Line: "Như Điều 3;"},
		{Unit: "21010", Name: "Ủy ban nhân dân phường Lê Hồng Phong", Line: "Như Điều 3;"},
	}
	requireCode(t, cycle.ENOTFOUND, db.AddressDocument(ctx, "d1", "51", named, t0)) // not archived
	for i, doc := range []string{"d1", "d2"} {
		pdf := []byte("%PDF-1.4 " + doc)
		n, err := db.AssignNumber(ctx, decision(id, doc, "51-BCD138", 2027))
		require.NoError(t, err)
		_, err = db.PutBlob(ctx, pdf)
		require.NoError(t, err)
		require.NoError(t, db.ArchiveDocument(ctx, archived(doc, n, pdf)))
		at := t0.AddDate(0, 0, i)
		rs := named
		if doc == "d2" {
			rs = named[:2] // the second names the city, not the ward
		}
		require.NoError(t, db.AddressDocument(ctx, doc, "51", rs, at))
		require.NoError(t, db.AddressDocument(ctx, doc, "51", rs, at.AddDate(0, 0, 5)), "retry keeps the first record")
	}

	city, err := db.DocumentsAddressedTo(ctx, "51", cycle.Recipient{Unit: "522"})
	require.NoError(t, err)
	require.Len(t, city, 2)
	require.Equal(t, "d2", city[0].DocumentID, "newest first")
	require.Equal(t, "2/QĐ-BCĐ", city[0].Code)
	require.Equal(t, "Về việc phê duyệt danh sách", city[0].Subject)
	require.Equal(t, "Ban Chỉ đạo 138 thành phố Quảng Ngãi", city[0].Recipient.Name)
	require.Equal(t, "Như Điều 3;", city[0].Recipient.Line)
	require.Equal(t, t0.AddDate(0, 0, 1), city[0].At)
	require.Equal(t, 2027, city[1].Date.Year())

	ward, err := db.DocumentsAddressedTo(ctx, "51", cycle.Recipient{Unit: "21010"})
	require.NoError(t, err)
	require.Len(t, ward, 1)
	require.Equal(t, "d1", ward[0].DocumentID)

	secretariat, err := db.DocumentsAddressedTo(ctx, "51", cycle.Recipient{Role: cycle.RoleSecretariatBody})
	require.NoError(t, err)
	require.Len(t, secretariat, 2)

	none, err := db.DocumentsAddressedTo(ctx, "51", cycle.Recipient{Unit: "524"})
	require.NoError(t, err)
	require.Empty(t, none)
	other, err := db.DocumentsAddressedTo(ctx, "79", cycle.Recipient{Unit: "522"})
	require.NoError(t, err)
	require.Empty(t, other, "another province's unit of the same code")
}

// An issuer's configuration beyond its printed names — kind, head, the
// acts its decisions rest on, the province's plans — survives the store.
func TestIssuerConfigRoundTrip(t *testing.T) {
	t.Parallel()
	db := newTestDB(t)
	ctx := context.Background()
	is := issuer()
	is.Kind, is.HeadTitle, is.CommitteeShort = cycle.IssuerCommittee, "TRƯỞNG BAN", "Ban Chỉ đạo 138"
	is.Founding = []cycle.LegalAct{{Kind: "Quyết định", Number: "12/QĐ-UBND", Date: cycle.D(2020, 3, 2), Issuer: "Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi",
		Subject: "về việc kiện toàn Ban Chỉ đạo 138 tỉnh Quảng Ngãi", From: cycle.D(2020, 3, 2)}}
	is.Plans = []cycle.LegalAct{{Kind: "Kế hoạch", Number: "9/KH-UBND", Date: cycle.D(2026, 1, 9), Issuer: "Ủy ban nhân dân tỉnh Quảng Ngãi",
		Subject: "về thực hiện công tác chuyển hóa giai đoạn 2026 - 2030", Until: cycle.D(2030, 12, 31)}}
	require.NoError(t, db.SaveProvince(ctx, quangNgai(), is))
	_, got, err := db.Province(ctx, "51")
	require.NoError(t, err)
	require.Equal(t, is, got)

	// An issuer saved before the configuration existed reads as before.
	_, err = db.raw.Exec(`UPDATE issuers SET config = '{}' WHERE province = '51'`)
	require.NoError(t, err)
	_, got, err = db.Province(ctx, "51")
	require.NoError(t, err)
	require.Equal(t, issuer(), got)
}
