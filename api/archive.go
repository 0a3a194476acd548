package api

import (
	"context"
	"net/http"
	"sort"
	"strconv"

	"chuyenhoa/cycle"
	"chuyenhoa/signing"
)

// ArchiveEntry is an issued document with what verifying it found.
type ArchiveEntry struct {
	cycle.ArchivedDocument
	Verified     bool   `json:"verified"`     // every signature valid and trusted, nothing changed since
	Verification string `json:"verification"` // the verification report, in Vietnamese
}

// archive lists the documents issued in a year, each verified against the
// server's trust anchors (TrustRoots; without them, a chain is reported
// unchecked).
func (s *documentHandlers) archive(ctx context.Context, year int) ([]ArchiveEntry, error) {
	ds, err := s.cfg.Store.ArchivedDocuments(ctx, year)
	if err != nil {
		return nil, err
	}
	out := make([]ArchiveEntry, 0, len(ds))
	for _, d := range ds {
		e := ArchiveEntry{ArchivedDocument: d}
		_, pdf, err := s.cfg.Store.ArchivedDocument(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		rep := signing.VerifyWith(pdf, signing.VerifyOptions{Roots: s.cfg.TrustRoots, RequireKeyUsage: true})
		e.Verified, e.Verification = rep.OK(), rep.Text(cycle.Vietnamese)
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ArchivedAt.After(out[j].ArchivedAt) })
	return out, nil
}

// archiveYear reads ?year= (this year by default).
func (s *documentHandlers) archiveYear(r *http.Request) (int, error) {
	y := s.cfg.Now().In(cycle.Vietnam).Year()
	if v := r.URL.Query().Get("year"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2000 || n > 2100 {
			return 0, cycle.Fail(EBADREQUEST, "api.year", v)
		}
		y = n
	}
	return y, nil
}

func (s *documentHandlers) apiArchive(w http.ResponseWriter, r *http.Request, p *principal) error {
	y, err := s.archiveYear(r)
	if err != nil {
		return err
	}
	out, err := s.archive(r.Context(), y)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type archiveData struct {
	Year    int
	Years   []int
	Entries []ArchiveEntry
}

func (s *documentHandlers) webArchive(w http.ResponseWriter, r *http.Request, p *principal) error {
	y, err := s.archiveYear(r)
	if err != nil {
		return err
	}
	es, err := s.archive(r.Context(), y)
	if err != nil {
		return err
	}
	now := s.cfg.Now().In(cycle.Vietnam).Year()
	d := archiveData{Year: y, Entries: es}
	for yy := now + 1; yy >= now-6; yy-- {
		d.Years = append(d.Years, yy)
	}
	s.render(w, r, http.StatusOK, "archive", pageData{Title: "Văn bản đã ban hành năm " + strconv.Itoa(y), Account: p, Data: d})
	return nil
}
