package api

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"

	"chuyenhoa/cycle"
	"chuyenhoa/intake"
	"chuyenhoa/workflows/flow"
)

// idempotencyKey is the shape of a request ID a client may choose.
var idempotencyKey = regexp.MustCompile(`^[A-Za-z0-9._:-]{8,100}$`)

// ---- reading a proposal ----------------------------------------------------

// Proposal file formats: the media types a proposal is sent as.
const (
	mimeJSON = intake.MediaJSON
	mimeCSV  = intake.MediaCSV
	mimeXLSX = intake.MediaXLSX
)

// formatOf names the format of an upload from its file name or, failing
// that, its media type; "" is a type the API does not take (415).
func formatOf(mediaType, filename string) string {
	switch strings.ToLower(filepath.Ext(filename)) {
	case ".json":
		return mimeJSON
	case ".csv", ".txt", ".tsv":
		return mimeCSV
	case ".xlsx":
		return mimeXLSX
	}
	switch mediaType {
	case mimeJSON, mimeCSV, mimeXLSX:
		return mediaType
	case "application/csv", "text/plain", "text/tab-separated-values":
		return mimeCSV
	}
	return ""
}

// parseProposal reads a proposal file for the officer's unit through
// intake, as the CLI and the checker do (the file's format is its own
// bytes' when they say, else its media type's). A JSON file that names
// another unit keeps that unit, so that the caller refuses it as
// forbidden rather than as invalid; a body that is not JSON at all is a
// bad request. The origins place the problems the workflow finds later.
func parseProposal(f intake.File, unit string) (cycle.Proposal, cycle.Origins, error) {
	if f.Type == "" {
		return cycle.Proposal{}, nil, cycle.Errorf(EUNSUPPORTED, "a proposal is JSON (%s), CSV (%s) or Excel (%s)", mimeJSON, mimeCSV, mimeXLSX)
	}
	if format, err := f.FormatOf(); err == nil && format == intake.JSON {
		var head struct {
			Unit string `json:"unit"`
		}
		if json.Unmarshal(bytes.TrimPrefix(f.Data, []byte("\xef\xbb\xbf")), &head) == nil {
			if u := cycle.Clean(head.Unit); u != "" && u != unit {
				return cycle.Proposal{Unit: u}, nil, nil
			}
		}
	}
	p, origins, err := intake.ReadProposal(f, unit)
	if err != nil && intake.IsMalformedJSON(err) {
		ce := *asError(err)
		ce.Code = EBADREQUEST
		return cycle.Proposal{}, nil, &ce
	}
	return p, origins, err
}

// readUpload reads the proposal file of a request: the body itself (JSON,
// CSV or .xlsx by Content-Type) or the "file" part of a multipart form.
// A body over the upload limit is refused as too_large before it is
// parsed, naming its size and the limit.
func (s *taskForms) readUpload(w http.ResponseWriter, r *http.Request) (intake.File, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return intake.File{}, cycle.Errorf(EUNSUPPORTED, "Content-Type is missing or malformed: send %s, %s, %s or multipart/form-data with a file part", mimeJSON, mimeCSV, mimeXLSX)
	}
	if mt != "multipart/form-data" && r.ContentLength > s.cfg.MaxUploadBytes {
		return intake.File{}, intake.CheckSize("", r.ContentLength, s.cfg.MaxUploadBytes)
	}
	if err := intake.CheckUploadSize(r.ContentLength, s.cfg.MaxUploadBytes, 64<<10); err != nil {
		return intake.File{}, err
	}
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxUploadBytes+64<<10)
	if mt != "multipart/form-data" {
		f, err := intake.Read("", body, s.cfg.MaxUploadBytes)
		if err != nil {
			return intake.File{}, err
		}
		f.Type = formatOf(mt, "")
		return f, nil
	}
	mr := multipart.NewReader(body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return intake.File{}, errBadRequest("the form has no file part named \"file\"")
		}
		if err != nil {
			if asError(err).Code == ETOOLARGE {
				return intake.File{}, intake.OverLimit("", s.cfg.MaxUploadBytes)
			}
			return intake.File{}, errBadRequest("malformed multipart body: %v", err)
		}
		if part.FormName() != "file" {
			continue
		}
		f, err := intake.Read(part.FileName(), part, s.cfg.MaxUploadBytes)
		if err != nil {
			if ce := asError(err); ce.Code == ETOOLARGE || ce.Code == intake.ETooLarge {
				return intake.File{}, err
			}
			return intake.File{}, errBadRequest("malformed multipart body: %v", err)
		}
		ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		f.Type = formatOf(ct, part.FileName())
		return f, nil
	}
}

// locate gives the problems of a refusal — the workflow's, about a
// proposal read from a file — their places in the file, in the file's
// order (see cycle.Origins.Placed); the refusal's message, which the
// workflow sends in English only, is said in Vietnamese too.
func locate(origins cycle.Origins, proposalUnit string, err error) error {
	if err == nil || len(origins) == 0 {
		return err
	}
	ce := flow.AsCycleError(err)
	if ce == nil || len(ce.Problems) == 0 {
		return err
	}
	out := *ce
	out.Problems = origins.Placed(ce.Problems)
	if out.Code == cycle.EINVALID && (out.Text == "" || out.Text == cycle.InvalidHeading("proposal")) {
		out.Text = cycle.Say(cycle.Vietnamese, "proposal.refused", proposalUnit)
	}
	return &out
}
