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
)

// idempotencyKey is the shape of a request ID a client may choose.
var idempotencyKey = regexp.MustCompile(`^[A-Za-z0-9._:-]{8,100}$`)

// ---- reading a proposal ----------------------------------------------------

// Proposal file formats.
const (
	mimeJSON = "application/json"
	mimeCSV  = "text/csv"
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// formatOf names the format of an upload from its media type or, failing
// that, its file name.
func formatOf(mediaType, filename string) string {
	switch strings.ToLower(filepath.Ext(filename)) {
	case ".json":
		return mimeJSON
	case ".csv":
		return mimeCSV
	case ".xlsx":
		return mimeXLSX
	}
	switch mediaType {
	case mimeJSON, mimeCSV, mimeXLSX:
		return mediaType
	case "application/csv", "text/plain":
		return mimeCSV
	}
	return ""
}

// parseProposal reads a proposal file of the given format for the
// officer's unit. A file that names another unit keeps that unit, so that
// the caller refuses it as forbidden rather than as invalid. A body that
// is not JSON at all is a bad request.
func parseProposal(format string, data []byte, unit string) (cycle.Proposal, error) {
	switch format {
	case mimeJSON:
		data = cycle.TrimBOM(data) // Windows editors start UTF-8 files with one
		if !json.Valid(data) {
			var v any
			err := json.Unmarshal(data, &v)
			return cycle.Proposal{}, errBadRequest("malformed JSON: %v", err)
		}
		var head struct {
			Unit string `json:"unit"`
		}
		_ = json.Unmarshal(data, &head)
		if u := cycle.Clean(head.Unit); u != "" && u != unit {
			return cycle.Proposal{Unit: u}, nil
		}
		return cycle.ReadProposalJSON(bytes.NewReader(data), unit)
	case mimeCSV:
		return cycle.ReadProposalCSV(bytes.NewReader(data), unit)
	case mimeXLSX:
		return ReadProposalXLSX(bytes.NewReader(data), unit)
	}
	return cycle.Proposal{}, cycle.Errorf(EUNSUPPORTED, "a proposal is JSON (%s), CSV (%s) or Excel (%s)", mimeJSON, mimeCSV, mimeXLSX)
}

// readUpload reads the proposal file of a request: the body itself (JSON,
// CSV or .xlsx by Content-Type) or the "file" part of a multipart form.
// Bodies over the upload limit are refused as too_large.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request) (format string, data []byte, err error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return "", nil, cycle.Errorf(EUNSUPPORTED, "Content-Type is missing or malformed: send %s, %s, %s or multipart/form-data with a file part", mimeJSON, mimeCSV, mimeXLSX)
	}
	if r.ContentLength > s.MaxUploadBytes+64<<10 {
		return "", nil, cycle.Errorf(ETOOLARGE, "the upload is %d bytes; the limit is %d", r.ContentLength, s.MaxUploadBytes)
	}
	body := http.MaxBytesReader(w, r.Body, s.MaxUploadBytes+64<<10)
	if mt != "multipart/form-data" {
		data, err := io.ReadAll(io.LimitReader(body, s.MaxUploadBytes+1))
		if err != nil {
			return "", nil, err
		}
		if int64(len(data)) > s.MaxUploadBytes {
			return "", nil, cycle.Errorf(ETOOLARGE, "the proposal is larger than the limit of %d bytes", s.MaxUploadBytes)
		}
		return formatOf(mt, ""), data, nil
	}
	mr := multipart.NewReader(body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return "", nil, errBadRequest("the form has no file part named \"file\"")
		}
		if err != nil {
			if asError(err).Code == ETOOLARGE {
				return "", nil, err
			}
			return "", nil, errBadRequest("malformed multipart body: %v", err)
		}
		if part.FormName() != "file" {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, s.MaxUploadBytes+1))
		if err != nil {
			if asError(err).Code == ETOOLARGE {
				return "", nil, err
			}
			return "", nil, errBadRequest("malformed multipart body: %v", err)
		}
		if int64(len(data)) > s.MaxUploadBytes {
			return "", nil, cycle.Errorf(ETOOLARGE, "the file is larger than the limit of %d bytes", s.MaxUploadBytes)
		}
		ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		return formatOf(ct, part.FileName()), data, nil
	}
}
