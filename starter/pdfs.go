package main

import (
	"context"

	"chuyenhoa/cycle"
	"chuyenhoa/internal/display"
)

// pdfs saves documents from the store — where the worker keeps them; it
// writes no files of its own — into the output directory.
func (x *operatorTools) pdfs() display.PDFs {
	return display.PDFs{Dir: x.cfg.OutputDir, Store: func(ctx context.Context) (display.Documents, error) {
		db, err := x.store(ctx)
		if err != nil {
			return nil, err
		}
		return db, nil
	}}
}

// pdfPath is where an issued document's PDF was saved, or why it was not.
func (x *operatorTools) pdfPath(ctx context.Context, d cycle.Decision) string {
	return x.pdfs().Path(ctx, d)
}
