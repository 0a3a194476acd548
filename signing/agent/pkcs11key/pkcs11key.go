// Package pkcs11key opens a signing key on a PKCS#11 token (a USB
// token of a Vietnamese CA, a smart card, an HSM, SoftHSM in tests)
// through github.com/ThalesGroup/crypto11. The key never leaves the
// token: signing.Identity's Key is a crypto.Signer whose Sign asks the
// token. It needs cgo (the PKCS#11 module is a C library loaded at run
// time), so it is a package of its own, linked only by what signs with
// a token.
package pkcs11key

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/ThalesGroup/crypto11"

	"chuyenhoa/signing"
)

// Config names the token and the key.
type Config struct {
	// Module is the PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so
	// or the token vendor's .so / .dll.
	Module string
	// TokenLabel selects the token; PIN is the user PIN.
	TokenLabel, PIN string
	// KeyLabel is the label of the key pair (CKA_LABEL); the certificate
	// with the same label on the token is the signer's, unless CertFile
	// gives it.
	KeyLabel string
	// CertFile, optional: PEM file of the signer's certificate and its
	// issuers, for tokens that hold only the key.
	CertFile string
}

// Open logs in to the token and returns the identity and the session to
// close when done.
func Open(c Config) (*signing.Identity, io.Closer, error) {
	if c.Module == "" || c.TokenLabel == "" || c.KeyLabel == "" {
		return nil, nil, errors.New("pkcs11: module, token label and key label are all needed")
	}
	ctx, err := crypto11.Configure(&crypto11.Config{Path: c.Module, TokenLabel: c.TokenLabel, Pin: c.PIN})
	if err != nil {
		return nil, nil, fmt.Errorf("pkcs11: open token %q with %s: %w", c.TokenLabel, c.Module, err)
	}
	key, err := ctx.FindKeyPair(nil, []byte(c.KeyLabel))
	if err != nil || key == nil {
		ctx.Close()
		return nil, nil, fmt.Errorf("pkcs11: no key pair labelled %q on token %q (%v)", c.KeyLabel, c.TokenLabel, err)
	}
	id := &signing.Identity{Key: key}
	if c.CertFile != "" {
		certs, err := readCerts(c.CertFile)
		if err != nil {
			ctx.Close()
			return nil, nil, err
		}
		for _, cert := range certs {
			if id.Cert == nil && publicKeyEqual(cert, key) {
				id.Cert = cert
			} else {
				id.Chain = append(id.Chain, cert)
			}
		}
	} else {
		cert, err := ctx.FindCertificate(nil, []byte(c.KeyLabel), nil)
		if err != nil {
			ctx.Close()
			return nil, nil, fmt.Errorf("pkcs11: certificate %q: %w", c.KeyLabel, err)
		}
		id.Cert = cert
	}
	if id.Cert == nil || !publicKeyEqual(id.Cert, key) {
		ctx.Close()
		return nil, nil, fmt.Errorf("pkcs11: no certificate for the key %q", c.KeyLabel)
	}
	return id, ctx, nil
}

func publicKeyEqual(c *x509.Certificate, k crypto.Signer) bool {
	e, ok := c.PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	return ok && e.Equal(k.Public())
}

func readCerts(file string) ([]*x509.Certificate, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("pkcs11: %w", err)
	}
	var out []*x509.Certificate
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("pkcs11: %s: %w", file, err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("pkcs11: %s holds no certificate", file)
	}
	return out, nil
}
