package templates

import (
	"fmt"
	"strconv"
	"strings"

	"chuyenhoa/document"
)

// Award is the name of the template of an award decision (Quyết định tặng
// Bằng khen / Giấy khen) that closes an award round. Its data is an
// AwardData.
const Award = "award"

// AwardeesTable is the name of the table of AwardData.
const AwardeesTable = "awardees"

// Awardee is one collective or person awarded.
type Awardee struct {
	// Name is the collective's name, or the person's full name.
	Name string
	// Position is a person's post and unit, e.g. "Đội trưởng Đội Cảnh sát
	// hình sự, Công an huyện Bình Sơn"; empty for a collective.
	Position string
	// Achievements is the summary of achievements (tóm tắt thành tích).
	Achievements string
	// Collective reports whether the awardee is a collective (tập thể).
	Collective bool
}

// AwardData is the data of the Award template.
type AwardData struct {
	Letterhead
	// Year is the year the achievements are for.
	Year int
	// Form is the form of award, e.g. "Bằng khen của Chủ tịch UBND tỉnh".
	Form string
	// Proposal is whose proposal the decision answers ("Xét đề nghị của
	// …"), as the policy's award scheme says; empty: the secretariat and
	// the emulation council.
	Proposal string
	// Charged are those the last article charges with carrying it out,
	// before "và các tập thể, cá nhân có tên tại Điều 1".
	Charged string
	// Awardees are the collectives first, then the individuals, each in
	// the order nominated.
	Awardees []Awardee
}

var _ Data = AwardData{}

// Collectives is the number of collectives awarded.
func (a AwardData) Collectives() int {
	n := 0
	for _, w := range a.Awardees {
		if w.Collective {
			n++
		}
	}
	return n
}

// Individuals is the number of individuals awarded.
func (a AwardData) Individuals() int { return len(a.Awardees) - a.Collectives() }

// Rows returns the AwardeesTable: number, the collective or the person with
// their post, and the achievements.
func (a AwardData) Rows(table string) ([][]string, bool) {
	if table != AwardeesTable {
		return nil, false
	}
	rows := make([][]string, 0, len(a.Awardees))
	for i, w := range a.Awardees {
		who := w.Name
		if w.Collective {
			who = strings.TrimSpace(w.Name)
		} else if w.Position != "" {
			who += "\n" + w.Position
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), who, w.Achievements})
	}
	return rows, true
}

// AwardRenderer lays out award decisions with the loaded templates.
type AwardRenderer struct {
	set *Set
	r   *document.Renderer
}

// NewAwardRenderer loads the templates (dir "" = the embedded ones) and
// prepares the fonts.
func NewAwardRenderer(dir string) (*AwardRenderer, error) {
	set, err := Load(dir)
	if err != nil {
		return nil, fmt.Errorf("load templates: %w", err)
	}
	r, err := document.NewRenderer(set.Fonts())
	if err != nil {
		return nil, fmt.Errorf("prepare fonts: %w", err)
	}
	return &AwardRenderer{set: set, r: r}, nil
}

// Document returns the award decision as a document, before layout.
func (ar *AwardRenderer) Document(d AwardData) (document.Document, error) {
	return ar.set.Document(Award, d)
}

// RenderAward renders an award decision as a PDF.
func (ar *AwardRenderer) RenderAward(d AwardData) ([]byte, error) {
	doc, err := ar.set.Document(Award, d)
	if err != nil {
		return nil, err
	}
	pdf, err := ar.r.Render(doc)
	if err != nil {
		return nil, fmt.Errorf("render award decision %q: %w", d.Number, err)
	}
	return pdf, nil
}
