package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"chuyenhoa/cycle"
	"chuyenhoa/workflows/issuing"
)

// savePDF downloads an issued document's PDF from the store — where it is
// kept once, under its SHA-256 — into the output directory, under
// <province>/<year>/ and the name its copies are delivered under, and
// returns the file's path. The worker writes no files of its own.
func (x *cli) savePDF(ctx context.Context, d cycle.Decision) (string, error) {
	db, err := x.store(ctx)
	if err != nil {
		return "", err
	}
	pdf, err := db.DecisionPDF(ctx, d.ID)
	if err != nil {
		return "", err
	}
	name := issuing.FileName(cycle.ArchivedDocument{Code: d.Code, Number: d.Number, Year: d.Year, BodyKey: d.BodyKey})
	return x.writeFile(provinceOf(d.CycleID), d.Year, name, pdf)
}

// saveDraft downloads a draft decision's PDF (by its SHA-256) into the
// output directory and returns the file's path.
func (x *cli) saveDraft(ctx context.Context, cycleID string, year int, sha string) (string, error) {
	db, err := x.store(ctx)
	if err != nil {
		return "", err
	}
	pdf, err := db.Blob(ctx, sha)
	if err != nil {
		return "", err
	}
	return x.writeFile(provinceOf(cycleID), year, fmt.Sprintf("du-thao-qd-phe-duyet-%d.pdf", year), pdf)
}

// pdfPath is where an issued document's PDF was saved, or why it was not.
func (x *cli) pdfPath(ctx context.Context, d cycle.Decision) string {
	p, err := x.savePDF(ctx, d)
	if err != nil {
		return "(not saved: " + err.Error() + ")"
	}
	return p
}

func (x *cli) writeFile(province string, year int, name string, data []byte) (string, error) {
	dir := filepath.Join(x.cfg.OutputDir, province, fmt.Sprint(year))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, name)
	return path, os.WriteFile(path, data, 0o644)
}

// provinceOf is the province of a cycle or round ID ("cycle/51/2027" → "51").
func provinceOf(id string) string {
	parts := strings.Split(id, "/")
	if len(parts) >= 2 {
		return parts[1]
	}
	return id
}
