package signing

import (
	"context"
	"errors"
	"time"

	"chuyenhoa/cycle"
)

// HeadSignature is the head's signature made elsewhere (issue 17): the
// server prepares the document with the signature's appearance and an
// empty field (PrepareHead), the signer's side — the signing agent on
// the officer's computer, or a remote-signing service — returns a CMS over
// the digest, and CompleteHead embeds and verifies it. The server holds
// the signer's signature image, never their key.
type HeadSignature struct {
	// Image is the signer's signature image (transparent PNG).
	Image []byte
	// Verify are the checks the head's certificate must pass: trust
	// anchors, key usage, validity at the signing time, CRLs.
	Verify VerifyOptions
	// TSA, when set, time-stamps each signature on arrival (PAdES B-T).
	TSA Timestamper
}

// PrepareHead prepares pdf for the head's signature: the field "signer"
// with the signature image centred in box (between the title and the
// name, as Clerk.SignAndSeal places it), /M at.
func (h *HeadSignature) PrepareHead(pdf []byte, box cycle.PageBox, is cycle.Issuer, code string, at time.Time) (Prepared, error) {
	if len(h.Image) == 0 {
		return Prepared{}, errors.New("signing: no signature image for the head's signature")
	}
	if box.Page == 0 {
		return Prepared{}, errors.New("the layout has no signature box")
	}
	sx, sy := box.X+(box.W-signatureW)/2, box.Y+(box.H-signatureH)/2
	return Prepare(pdf, PrepareOptions{
		Field: "signer", Name: is.SignerName, Reason: "Ký ban hành " + code, Location: is.Place, Time: at,
		Appearance: &Appearance{Page: box.Page, X: sx, Y: sy, W: signatureW, H: signatureH, Image: h.Image},
	})
}

// CompleteHead time-stamps (with a TSA), embeds and verifies the head's
// CMS (Complete). A refusal is a *cycle.Error whose problems say why in
// Vietnamese: untrusted root, expired, no signing key usage, digest
// mismatch.
func (h *HeadSignature) CompleteHead(ctx context.Context, p Prepared, cms []byte) ([]byte, cycle.SignedBy, error) {
	out, rep, err := h.complete(ctx, p, cms)
	return out, cycle.SignedBy{Signer: rep.Signer, CommonName: rep.SignerCommonName}, err
}

func (h *HeadSignature) complete(ctx context.Context, p Prepared, cms []byte) ([]byte, SignatureReport, error) {
	out, rep, err := Complete(ctx, p, cms, h.TSA, h.Verify)
	if err != nil {
		var ce *cycle.Error
		if !errors.As(err, &ce) {
			probs := rep.Problems
			if len(probs) == 0 {
				probs = []cycle.Problem{cycle.NewProblem("signing.not_cms", err.Error())}
			}
			return nil, rep, refusal(probs)
		}
		if len(ce.Problems) > 0 {
			return nil, rep, refusal(ce.Problems)
		}
		return nil, rep, err
	}
	return out, rep, nil
}

// refusal is the head's signature refused for problems, one EINVALID
// error: its Vietnamese text is the heading, its problems say why (each
// once: the inbox's history lists them after the heading).
func refusal(probs []cycle.Problem) error {
	msgs := ""
	for i, p := range probs {
		if i > 0 {
			msgs += "; "
		}
		msgs += p.Message
	}
	return &cycle.Error{Code: cycle.EINVALID, Message: "the head's signature is refused: " + msgs,
		Text: "Chữ ký số của người ký không được chấp nhận; công việc vẫn chờ ký", Problems: probs}
}

// Seal seals a document the head has signed already: the issuing body's
// signature, its seal over the left third of the head's signature. It is
// Clerk.SignAndSeal's second signature, for the documents whose head
// signed them elsewhere (HeadSignature).
func (c *Clerk) Seal(pdf []byte, box cycle.PageBox, is cycle.Issuer, code string, at time.Time) (cycle.SignedDocument, error) {
	if c.Body == nil || len(c.SealImage) == 0 {
		return cycle.SignedDocument{}, errors.New("the seal is configured without the issuing body's identity or image")
	}
	if box.Page == 0 {
		return cycle.SignedDocument{}, errors.New("the layout has no signature box")
	}
	sx, sy := box.X+(box.W-signatureW)/2, box.Y+(box.H-signatureH)/2
	out, err := Sign(pdf, c.Body, Options{
		Field: "seal", Name: is.Body, Reason: "Văn thư đóng dấu, phát hành " + code, Location: is.Place, Time: at,
		Appearance: &Appearance{Page: box.Page, X: sx + signatureW/3 - sealSize, Y: sy + signatureH/2 - sealSize/2,
			W: sealSize, H: sealSize, Image: c.SealImage},
	})
	if err != nil {
		return cycle.SignedDocument{}, err
	}
	return cycle.SignedDocument{PDF: out, Signatures: 1, SealedBy: c.Body.Cert.Subject.String()}, nil
}
