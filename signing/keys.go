package signing

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/crypto/pkcs12"
)

// LoadPEM reads a certificate chain (the signer's certificate first, then
// its issuers) and a private key (PKCS#8, PKCS#1 or SEC 1) from PEM files.
// certFile and keyFile may be the same file.
func LoadPEM(certFile, keyFile string) (*Identity, error) {
	cb, err := os.ReadFile(certFile)
	if err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	kb, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	all := cb
	if keyFile != certFile {
		all = append(append([]byte(nil), cb...), kb...)
	}
	id, err := identityFromPEM(all)
	if err != nil {
		return nil, fmt.Errorf("signing: %s, %s: %w", certFile, keyFile, err)
	}
	return id, nil
}

// LoadPKCS12 reads a PKCS#12 (.p12, .pfx) file with its password. The
// reader (golang.org/x/crypto/pkcs12) supports the legacy 3DES/RC2
// encryption; export with `openssl pkcs12 -export -legacy` for OpenSSL 3.
func LoadPKCS12(file, password string) (*Identity, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	blocks, err := pkcs12.ToPEM(b, password)
	if err != nil {
		return nil, fmt.Errorf("signing: %s: %w", file, err)
	}
	var all []byte
	for _, bl := range blocks {
		bl.Headers = nil
		if bl.Type == "PRIVATE KEY" {
			// x/crypto/pkcs12 labels PKCS#1 and SEC 1 keys "PRIVATE KEY".
			if _, err := x509.ParsePKCS1PrivateKey(bl.Bytes); err == nil {
				bl.Type = "RSA PRIVATE KEY"
			} else if _, err := x509.ParseECPrivateKey(bl.Bytes); err == nil {
				bl.Type = "EC PRIVATE KEY"
			}
		}
		all = append(all, pem.EncodeToMemory(bl)...)
	}
	id, err := identityFromPEM(all)
	if err != nil {
		return nil, fmt.Errorf("signing: %s: %w", file, err)
	}
	return id, nil
}

// identityFromPEM takes the certificates and the one key of b; the
// certificate matching the key is the signer's, the others its chain.
func identityFromPEM(b []byte) (*Identity, error) {
	var certs []*x509.Certificate
	var key crypto.Signer
	for {
		var bl *pem.Block
		bl, b = pem.Decode(b)
		if bl == nil {
			break
		}
		switch bl.Type {
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(bl.Bytes)
			if err != nil {
				return nil, err
			}
			certs = append(certs, c)
		case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY":
			if key != nil {
				return nil, errors.New("more than one private key")
			}
			k, err := parseKey(bl)
			if err != nil {
				return nil, err
			}
			key = k
		}
	}
	if key == nil {
		return nil, errors.New("no private key")
	}
	if len(certs) == 0 {
		return nil, errors.New("no certificate")
	}
	id := &Identity{Key: key}
	for _, c := range certs {
		if id.Cert == nil && samePublicKey(c.PublicKey, key.Public()) {
			id.Cert = c
		} else {
			id.Chain = append(id.Chain, c)
		}
	}
	if id.Cert == nil {
		return nil, errors.New("no certificate matches the private key")
	}
	return id, nil
}

func parseKey(bl *pem.Block) (crypto.Signer, error) {
	var k any
	var err error
	switch bl.Type {
	case "RSA PRIVATE KEY":
		k, err = x509.ParsePKCS1PrivateKey(bl.Bytes)
	case "EC PRIVATE KEY":
		k, err = x509.ParseECPrivateKey(bl.Bytes)
	default:
		k, err = x509.ParsePKCS8PrivateKey(bl.Bytes)
	}
	if err != nil {
		return nil, err
	}
	s, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("private key of type %T cannot sign", k)
	}
	switch s.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey:
	default:
		return nil, fmt.Errorf("private key of type %T: only RSA and ECDSA keys make PDF signatures readers accept", k)
	}
	return s, nil
}

func samePublicKey(a, b crypto.PublicKey) bool {
	type eq interface{ Equal(crypto.PublicKey) bool }
	x, ok := a.(eq)
	return ok && x.Equal(b)
}

// LoadCAPool reads the PEM certificates of file into a pool of trusted roots.
func LoadCAPool(file string) (*x509.CertPool, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("signing: %s holds no PEM certificate", file)
	}
	return pool, nil
}

// DemoFiles are the files of a demonstration PKI made by EnsureDemoPKI.
type DemoFiles struct {
	Dir     string
	CA      string // the CA certificate (PEM): the verifier's trust anchor
	Signer  string // the signer's certificate chain and key (PEM)
	Body    string // the issuing body's certificate chain and key (PEM)
	Created bool   // the files were made now (not found from an earlier run)
}

// EnsureDemoPKI makes, in dir, a local CA and two certificates it issues:
// one for the signer (a person, signerName) and one for the issuing body
// (an organisation, bodyName), unless the files exist from an earlier run.
// These are demonstration keys: a real deployment uses certificates from
// a licensed CA (e.g. the government CA, Ban Cơ yếu Chính phủ).
func EnsureDemoPKI(dir, signerName, bodyName string) (DemoFiles, error) {
	f := DemoFiles{Dir: dir, CA: filepath.Join(dir, "ca.pem"), Signer: filepath.Join(dir, "signer.pem"), Body: filepath.Join(dir, "body.pem")}
	if exists(f.CA) && exists(f.Signer) && exists(f.Body) {
		return f, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return f, fmt.Errorf("signing: %w", err)
	}
	now := time.Now().Add(-time.Hour)
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return f, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: "chuyenhoa demo CA (local, not trusted)", Organization: []string{"chuyenhoa demo"}},
		NotBefore:    now, NotAfter: now.AddDate(10, 0, 0),
		IsCA: true, BasicConstraintsValid: true, MaxPathLen: 0, MaxPathLenZero: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return f, err
	}
	ca, _ := x509.ParseCertificate(caDER)
	leaf := func(subject pkix.Name) ([]byte, error) {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		// As long as the CA: the demo and the fault test run the
		// programme on a sped-up calendar that may reach years ahead
		// when steps wait on a killed worker; a signature made then must
		// not fall outside its certificate.
		t := &x509.Certificate{
			SerialNumber: serial(), Subject: subject,
			NotBefore: now, NotAfter: now.AddDate(10, 0, 0),
			KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		}
		der, err := x509.CreateCertificate(rand.Reader, t, ca, &k.PublicKey, caKey)
		if err != nil {
			return nil, err
		}
		kd, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			return nil, err
		}
		out := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})...)
		return append(out, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kd})...), nil
	}
	signer, err := leaf(pkix.Name{CommonName: signerName, Organization: []string{bodyName}, Country: []string{"VN"}})
	if err != nil {
		return f, err
	}
	body, err := leaf(pkix.Name{CommonName: bodyName, Organization: []string{bodyName}, Country: []string{"VN"}})
	if err != nil {
		return f, err
	}
	_ = ca
	for _, w := range []struct {
		path string
		b    []byte
	}{
		{f.Signer, signer}, {f.Body, body},
		{f.CA, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})},
	} {
		if err := os.WriteFile(w.path, w.b, 0o600); err != nil {
			return f, fmt.Errorf("signing: %w", err)
		}
	}
	f.Created = true
	return f, nil
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	return n.Add(n, big.NewInt(1))
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
