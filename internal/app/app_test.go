package app

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestFromEnvProductionSettings(t *testing.T) {
	t.Setenv("TEMPORAL_TLS_CA", "/etc/chuyenhoa/temporal-ca.pem")
	t.Setenv("TEMPORAL_TLS_SERVER_NAME", "temporal.internal")
	t.Setenv("CHUYENHOA_DB_CONNECTIONS", "12")
	t.Setenv("CHUYENHOA_WORKER_STOP_TIMEOUT", "45s")
	t.Setenv("CHUYENHOA_API_ADDR", "0.0.0.0:8443")
	c := FromEnv()
	require.Equal(t, TLSConfig{CA: "/etc/chuyenhoa/temporal-ca.pem", ServerName: "temporal.internal"}, c.TemporalTLS)
	require.True(t, c.TemporalTLS.On())
	require.Equal(t, 12, c.DBConnections)
	require.Equal(t, 45*time.Second, c.WorkerStopTimeout)
	require.Equal(t, "0.0.0.0:8443", c.APIAddr)

	t.Setenv("TEMPORAL_TLS_CA", "")
	t.Setenv("TEMPORAL_TLS_SERVER_NAME", "")
	t.Setenv("CHUYENHOA_WORKER_STOP_TIMEOUT", "soon")
	t.Setenv("CHUYENHOA_API_ADDR", "")
	c = FromEnv()
	require.False(t, c.TemporalTLS.On())
	require.Equal(t, 30*time.Second, c.WorkerStopTimeout, "an unreadable duration falls back to the default")
	require.Equal(t, "127.0.0.1:8080", c.APIAddr)
}

func TestTLSConfigLoad(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := selfSigned(t, dir)
	garbage := filepath.Join(dir, "garbage.pem")
	require.NoError(t, os.WriteFile(garbage, []byte("not a certificate"), 0o600))

	off, err := TLSConfig{}.Load()
	require.NoError(t, err)
	require.Nil(t, off, "no setting: plain connection")

	on, err := TLSConfig{Enabled: true}.Load()
	require.NoError(t, err)
	require.Nil(t, on.RootCAs, "TEMPORAL_TLS=1 alone: the system's CAs")

	m, err := TLSConfig{CA: certFile, Cert: certFile, Key: keyFile, ServerName: "temporal.internal"}.Load()
	require.NoError(t, err)
	require.NotNil(t, m.RootCAs)
	require.Len(t, m.Certificates, 1)
	require.Equal(t, "temporal.internal", m.ServerName)

	for name, c := range map[string]TLSConfig{
		"TEMPORAL_TLS_CA: " + garbage + " holds no PEM certificate":  {CA: garbage},
		"TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together":         {Cert: certFile},
		"TEMPORAL_TLS_CA: open " + filepath.Join(dir, "missing.pem"): {CA: filepath.Join(dir, "missing.pem")},
		"TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY":                         {Cert: garbage, Key: keyFile},
	} {
		_, err := c.Load()
		require.ErrorContains(t, err, name)
	}
}

func selfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "temporal.internal"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), DNSNames: []string{"temporal.internal"},
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	kder, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600))
	return certFile, keyFile
}
