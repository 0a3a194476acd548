// Package signing signs PDF documents with embedded PAdES signatures
// and verifies them.
//
// Two ways to sign. A key the server may hold — the issuing body's seal,
// an organisation's certificate in a key file or an HSM — signs with
// Sign. A person's key — the head's official-duty signature — never
// reaches the server: Prepare writes the signature field and hands out
// the digest, an ExternalSigner (AgentFlow: the signing page and the
// signing agent on the officer's computer, package signing/agent; or
// package signing/remote, a remote-signing service the signer approves
// on their phone) brings back a CMS, and Complete time-stamps, embeds and
// verifies it. CheckKeyPolicy refuses a configuration that puts a
// person's key on the server outside the demo. See external.go.
//
// No well-kept Go library for PDF signing is reachable here, so the
// incremental update is written by this package, on a well-kept CMS
// library (github.com/smallstep/pkcs7). Sign appends one revision to the
// file and changes no byte before it, so a document can be signed several
// times — the signer, then the issuing body's seal — and every earlier
// signature stays valid. One revision holds:
//
//   - the appearance: the image (a transparent PNG) as an RGB image
//     XObject with its alpha channel as a soft mask (/SMask), and a form
//     XObject drawing it into the signature's rectangle;
//   - the signature field, merged with its widget annotation (/FT /Sig,
//     /Rect on the page, /AP /N the form, /F Print+Locked), added to the
//     page's /Annots;
//   - the AcroForm (/Fields, /SigFlags 3) and the catalog, rewritten with
//     /AcroForm and /Version /1.7: the header of the original file says
//     1.3 (gofpdf) and cannot change, and a catalog /Version is how PDF
//     1.4 and later let an incremental update raise the version (PDF
//     32000-1, 7.7.2); transparency and SHA-256 signatures need 1.4+;
//   - the signature dictionary: /Filter /Adobe.PPKLite, /SubFilter
//     /ETSI.CAdES.detached (PAdES), /M, /Name, /Reason, /Location, and
//     /ByteRange [0 a b c] /Contents <…>, the hex string reserved with
//     zeros (16 KiB by default) and filled last;
//   - a classic cross-reference section for the new and rewritten objects
//     and a trailer with /Prev pointing at the previous one.
//
// The byte range covers the whole file but the /Contents hex string: a is
// the offset of its "<", b the offset just after its ">", c the rest of
// the file. The CMS is a PAdES baseline B-B signature (cades.go): a
// detached SignedData over those bytes, SHA-256, with the content-type,
// message-digest and signing-certificate-v2 signed attributes, no
// signing-time (the claimed time is /M), the signer's certificate chain,
// and, with a time-stamp authority, an RFC 3161 signature time-stamp
// (B-T).
//
// VerifyWith checks every signature field: the byte range (it starts at
// 0, its gap is exactly the signature's hex string, in canonical form
// with only zero padding after the CMS), the digest, the CMS signature
// (over its signed attributes as written, every other element of the CMS
// one a sound signature has), signing-certificate-v2, the time-stamp,
// the certificate's validity, key usage and revocation (configured CRLs)
// and its chain to the trust anchors at the signing time, that the last signature
// covers the whole file, and that what later revisions rewrite of an
// earlier signature's objects is only what adding a signature rewrites.
// It is written for the files this product makes (gofpdf output and these
// updates: classic cross-reference tables); cross-reference streams are
// refused, not misread.
//
// The package also loads keys and certificates (PKCS#12 or PEM), makes a
// local demonstration CA with a signer and an issuing-body certificate,
// and draws sample signature and seal images.
package signing
