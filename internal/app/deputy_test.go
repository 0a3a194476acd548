package app

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"chuyenhoa/cycle"
	"chuyenhoa/render"
	"chuyenhoa/sample"
	"chuyenhoa/workflows/issuing"
)

// A document prepared for a deputy signing under a delegation
// (issuing.Job.SignedAs) prints the deputy in its signature block, as
// Decree 30/2020 has it — "KT. TRƯỞNG BAN" over the deputy's own title
// and name —, not the head the issuer's configuration names: read back
// from the rendered PDF's text.
func TestDeputysDocumentNamesTheDeputy(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext (poppler-utils) is needed: apt-get install -y poppler-utils")
	}
	prov, is, err := sample.Province("quang-ngai")
	if err != nil {
		t.Fatal(err)
	}
	r, err := render.New("")
	if err != nil {
		t.Fatal(err)
	}
	var list []cycle.DocumentCommune
	pol := cycle.DefaultPolicy()
	for _, c := range cycle.Select(prov, pol, sample.Proposals(prov, pol, 2027)).Selected()[:3] {
		list = append(list, cycle.DocumentCommune{ListedCommune: cycle.ListedCommune{Commune: c.Commune, Name: c.Name, District: c.District, DistrictName: c.DistrictName, Types: c.Types}})
	}
	text := func(j issuing.Job) string {
		out, err := r.Render(j.Content)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
		cmd.Stdin = bytes.NewReader(out.PDF)
		b, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(string(b)), " ")
	}
	job := func() issuing.Job {
		c := cycle.DocumentContent{Kind: cycle.DocApproval, Issuer: is, Number: "7/QĐ-BCĐ", Date: cycle.D(2027, 1, 20), Year: 2027,
			ProvinceName: prov.Name, Communes: list, Signed: true, Synthetic: true}
		cycle.PrepareDocument(&c, pol, nil)
		return issuing.Job{Content: c}
	}
	head := text(job())
	if !strings.Contains(head, is.SignerName) || strings.Contains(head, "KT. TRƯỞNG BAN") {
		t.Fatalf("the head's document does not name the head alone:\n%s", head)
	}
	deputy := cycle.Actor{ID: "photruongban", Name: "Lê Văn Phó", Role: cycle.RoleSigner, Title: "PHÓ TRƯỞNG BAN", OnBehalfOf: "truongban", HeadTitle: "TRƯỞNG BAN"}
	j := job()
	j.SignedAs(deputy)
	got := text(j)
	for _, want := range []string{"KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Lê Văn Phó"} {
		if !strings.Contains(got, want) {
			t.Errorf("the deputy's document lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, is.SignerName) {
		t.Errorf("the deputy's document still names the head %s:\n%s", is.SignerName, got)
	}
	if j.Decision.SignedBy != deputy {
		t.Errorf("the record names %+v as the signer, not the deputy", j.Decision.SignedBy)
	}
}
