package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chuyenhoa/api"

	"chuyenhoa/cycle"
	"chuyenhoa/intake"
	"chuyenhoa/intake/intaketest"
	"chuyenhoa/policies"
	"chuyenhoa/sample"
	"chuyenhoa/workflows/flow"
)

// fileSamples are the officers' files of intaketest: the small ones, the
// workbook, and the large ones made here (5 MB; a 2,000,000-character
// reason; 100,000 bad rows; the rows of other districts).
func fileSamples(t *testing.T) []intaketest.Sample {
	t.Helper()
	out, err := intaketest.Samples()
	if err != nil {
		t.Fatal(err)
	}
	for _, make := range []func() (intaketest.Sample, error){
		intaketest.Workbook,
		func() (intaketest.Sample, error) { return intaketest.Big(5 << 20) },
		func() (intaketest.Sample, error) { return intaketest.LongReason(2_000_000) },
		func() (intaketest.Sample, error) { return intaketest.BadRows(100_000) },
		func() (intaketest.Sample, error) { return intaketest.WrongDistrict(1000) },
	} {
		s, err := make()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// apiAnswer is the API's answer to the upload of a sample file, as the
// API's own test records it (../api/testdata/files/NAME.golden: the
// request line, the status, the JSON body): the CLI says what the API
// answers, so its part of the golden is what an officer reads of it.
func apiAnswer(t *testing.T, name string) (status string, body []byte) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "api", "testdata", "files", name+".golden"))
	if err != nil {
		t.Fatalf("%v (the API's test writes it)", err)
	}
	parts := strings.SplitN(string(b), "\n", 3)
	if len(parts) < 3 {
		t.Fatalf("%s: not an answer", name)
	}
	return parts[1], []byte(parts[2])
}

// Each sample file, through the CLI's path (sent to the API, whose
// answer — the refusal placed in the file — the CLI says) and the
// checker's, in Vietnamese, against testdata/files/*.golden: the same
// problems at the same places on both paths (the API's test posts the
// same files). Regenerate with -update.
func TestProposalFilesGolden(t *testing.T) {
	pol, err := policies.ByID("000")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, s := range fileSamples(t) {
		t.Run(s.Name, func(t *testing.T) {
			path := filepath.Join(dir, s.Name)
			if err := os.WriteFile(path, s.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer

			// The CLI: starter proposal submit -f FILE sends the file to the
			// API and says its answer.
			fmt.Fprintf(&out, "$ starter proposal submit -f %s\n", s.Name)
			status, body := apiAnswer(t, s.Name)
			said := ""
			if strings.HasPrefix(status, "2") {
				said = "(" + status + ": the proposal is recorded)\n"
			} else {
				var eb api.ErrorBody
				if err := json.Unmarshal(body, &eb); err != nil || eb.Error == nil {
					t.Fatalf("the API's answer %s is not an error body: %v", status, err)
				}
				said = explain(eb.Error, cycle.Vietnamese)
			}
			out.WriteString(said)

			// The checker: starter check --unit 522 --province quang-ngai --input FILE.
			fmt.Fprintf(&out, "\n$ starter check --policy 000 --unit %s --province %s --input %s\n", intaketest.Unit, intaketest.ProvinceSlug, s.Name)
			check := ""
			f, err := intake.ReadFile(path, intake.MaxCheckInputBytes)
			var res CheckOutput
			var in *cycle.CheckInput
			if err == nil {
				res, in, err = checkFile(pol, f, checkArgs{unit: intaketest.Unit, province: intaketest.ProvinceSlug})
			}
			if err != nil {
				ce := flow.AsCycleError(err)
				if ce == nil {
					t.Fatalf("the checker fails: %v", err)
				}
				check = explain(ce, cycle.Vietnamese) + "(exit status 2)\n"
			} else {
				var b bytes.Buffer
				printCheck(&b, cycle.Vietnamese, pol, in, res)
				check = b.String()
			}
			out.WriteString(check)
			t.Logf("%s: CLI %d bytes, checker %d bytes", s.Name, len(said), len(check))
			if len(said) > 16<<10 || len(check) > 16<<10 {
				t.Errorf("the output is not bounded: CLI %d bytes, checker %d bytes", len(said), len(check))
			}

			golden := filepath.Join("testdata", "files", s.Name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if out.String() != string(want) {
				t.Fatalf("output differs from %s:\n%s", golden, out.String())
			}
		})
	}
}

// docs/by-hand.md's refusal example is the CLI's real answer for the
// Windows-1258 sample.
func TestReadmeShowsRefusal(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "docs", "by-hand.md"))
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile(filepath.Join("testdata", "files", "de-xuat-522-windows-1258.csv.golden"))
	if err != nil {
		t.Fatal(err)
	}
	cli := strings.SplitN(string(golden), "\n\n$ starter check", 2)[0]
	cli = strings.SplitN(cli, "\n", 2)[1]
	if !strings.Contains(string(readme), "-f de-xuat-522-windows-1258.csv\n"+cli+"\n```\n") {
		t.Fatal("docs/by-hand.md does not show the CLI's answer of testdata/files/de-xuat-522-windows-1258.csv.golden: paste it")
	}
}

// A commune's report file is checked as the workflow would: a figure the
// criteria need and the report lacks is refused on its path, exit 2;
// a complete report is evaluated.
func TestCheckReportFile(t *testing.T) {
	prov, err := intaketest.Province()
	if err != nil {
		t.Fatal(err)
	}
	pol, err := policies.ByID("000")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := prov.Commune("21010")
	rep := sample.Report(pol, cycle.CommuneInProgramme{ListedCommune: cycle.ListedCommune{Commune: c.Code, Name: c.Name, Types: cycle.Types{1, 4}}, Kind: c.Kind}, false)
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	a := checkArgs{commune: "21010", types: "1,4", province: intaketest.ProvinceSlug}
	out, _, err := checkFile(pol, intake.File{Name: "bao-cao.json", Data: b}, a)
	if err != nil || len(out.Verdicts) != 1 || out.Verdicts[0].Outcome != cycle.OutcomeFail || out.Input != inputReport {
		t.Fatalf("%+v %v", out, err)
	}

	rep.Figures.CasesSolved = nil
	b, _ = json.MarshalIndent(rep, "", "  ")
	_, _, err = checkFile(pol, intake.File{Name: "bao-cao.json", Data: b}, a)
	ce := flow.AsCycleError(err)
	if ce == nil || len(ce.Problems) != 1 || !strings.Contains(ce.Problems[0].In(cycle.Vietnamese), "dòng 2, figures: Thiếu «Số vụ án điều tra, khám phá»: các tiêu chí của xã (loại 1, 4) cần số liệu này") {
		t.Fatalf("%v", err)
	}

	b = bytes.Replace(b, []byte(`"cases_prosecuted": 20`), []byte(`"cases_prosecuted": -20`), 1)
	_, _, err = checkFile(pol, intake.File{Name: "bao-cao.json", Data: b}, a)
	if ce := flow.AsCycleError(err); ce == nil || !strings.Contains(explain(ce, cycle.Vietnamese), "figures.cases_prosecuted: Số vụ án khởi tố không được âm (-20)") {
		t.Fatalf("%v", err)
	}
}

// explain is what the CLI prints of a refusal (cli.describe).
func explain(ce *cycle.Error, lang cycle.Lang) string { return (&cli{lang: lang}).describe(ce) }
