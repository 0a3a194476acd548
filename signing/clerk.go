package signing

import (
	"errors"
	"time"

	"chuyenhoa/cycle"
)

// Sizes on the page of the signature and seal images (mm): Decree 30 puts
// the signature between the title and the name, and the seal, at its real
// size, over the left third of the signature.
const (
	signatureW = 45.0
	signatureH = 15.0
	sealSize   = 32.0
)

// Clerk signs issued documents as the signer and then seals them as the
// issuing body: the signer's key, certificate and signature image, and
// the issuing body's (its seal). It implements the document pipeline's
// Signer.
type Clerk struct {
	Signer      *Identity
	SignerImage []byte // PNG, transparent background
	Body        *Identity
	SealImage   []byte // PNG, transparent background
}

// SignAndSeal signs pdf as the signer (the signature image centred in box,
// between the title and the name) and then as the issuing body (the seal
// over the left third of the signature), each a PDF signature of its own.
func (c *Clerk) SignAndSeal(pdf []byte, box cycle.PageBox, is cycle.Issuer, code string, at time.Time) (cycle.SignedDocument, error) {
	if c.Signer == nil || c.Body == nil || len(c.SignerImage) == 0 || len(c.SealImage) == 0 {
		return cycle.SignedDocument{}, errors.New("signing is configured without both identities and both images")
	}
	if box.Page == 0 {
		return cycle.SignedDocument{}, errors.New("the layout has no signature box")
	}
	sx, sy := box.X+(box.W-signatureW)/2, box.Y+(box.H-signatureH)/2
	out, err := Sign(pdf, c.Signer, Options{
		Field: "signer", Name: is.SignerName, Reason: "Ký ban hành " + code, Location: is.Place, Time: at,
		Appearance: &Appearance{Page: box.Page, X: sx, Y: sy, W: signatureW, H: signatureH, Image: c.SignerImage},
	})
	if err != nil {
		return cycle.SignedDocument{}, err
	}
	out, err = Sign(out, c.Body, Options{
		Field: "seal", Name: is.Body, Reason: "Văn thư đóng dấu, phát hành " + code, Location: is.Place, Time: at,
		Appearance: &Appearance{Page: box.Page, X: sx + signatureW/3 - sealSize, Y: sy + signatureH/2 - sealSize/2,
			W: sealSize, H: sealSize, Image: c.SealImage},
	})
	if err != nil {
		return cycle.SignedDocument{}, err
	}
	return cycle.SignedDocument{PDF: out, Signatures: 2, Signer: c.Signer.Cert.Subject.String(), SealedBy: c.Body.Cert.Subject.String()}, nil
}
