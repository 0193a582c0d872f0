// The oracle of the differential tests: what Go 1.23's crypto/x509 (and crypto/tls) say about a
// chain, a key pair and each certificate's DER. It reads one JSON request per line on stdin and
// writes one JSON answer per line, so a whole test run shares one process. Standard library only.
package main

import (
	"bufio"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"strings"
	"time"
)

type request struct {
	ID               int      `json:"id"`
	RootsPem         string   `json:"rootsPem"`
	IntermediatesPem string   `json:"intermediatesPem"`
	LeafPem          string   `json:"leafPem"`
	KeyPem           string   `json:"keyPem"`
	Usage            string   `json:"usage"`
	NowUnix          int64    `json:"nowUnix"`
	ParseDer         [][]byte `json:"parseDer"` // base64 DER blobs: parse only
}

type parsed struct {
	OK        bool   `json:"ok"`
	Error     string `json:"error,omitempty"`
	SerialHex string `json:"serialHex,omitempty"`
	Subject   string `json:"subjectHex,omitempty"`
	NotBefore int64  `json:"notBefore,omitempty"`
	NotAfter  int64  `json:"notAfter,omitempty"`
}

type verdict struct {
	OK      bool     `json:"ok"`
	Class   string   `json:"class,omitempty"`
	Message string   `json:"message,omitempty"`
	Chain   []string `json:"chain,omitempty"` // SHA-256 of each certificate of the first chain
}

type answer struct {
	ID      int      `json:"id"`
	Verify  *verdict `json:"verify,omitempty"`
	KeyPair *verdict `json:"keyPair,omitempty"`
	Parse   []parsed `json:"parse,omitempty"`
	Error   string   `json:"error,omitempty"`
}

var reasons = map[x509.InvalidReason]string{
	x509.NotAuthorizedToSign:           "NotAuthorizedToSign",
	x509.Expired:                       "Expired",
	x509.CANotAuthorizedForThisName:    "CANotAuthorizedForThisName",
	x509.TooManyIntermediates:          "TooManyIntermediates",
	x509.IncompatibleUsage:             "IncompatibleUsage",
	x509.NameMismatch:                  "NameMismatch",
	x509.NameConstraintsWithoutSANs:    "NameConstraintsWithoutSANs",
	x509.UnconstrainedName:             "UnconstrainedName",
	x509.TooManyConstraints:            "TooManyConstraints",
	x509.CANotAuthorizedForExtKeyUsage: "CANotAuthorizedForExtKeyUsage",
}

var usages = map[string]x509.ExtKeyUsage{
	"clientAuth": x509.ExtKeyUsageClientAuth,
	"serverAuth": x509.ExtKeyUsageServerAuth,
	"any":        x509.ExtKeyUsageAny,
}

// pemCerts returns the CERTIFICATE blocks of a PEM text, parsed or not.
func pemCerts(text string) [][]byte {
	var out [][]byte
	rest := []byte(text)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return out
		}
		if block.Type == "CERTIFICATE" {
			out = append(out, block.Bytes)
		}
	}
}

func parseOne(der []byte) (*x509.Certificate, parsed) {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, parsed{Error: err.Error()}
	}
	return cert, parsed{
		OK:        true,
		SerialHex: cert.SerialNumber.Text(16),
		Subject:   hex.EncodeToString(cert.RawSubject),
		NotBefore: cert.NotBefore.Unix(),
		NotAfter:  cert.NotAfter.Unix(),
	}
}

// pool is what x509.CertPool.AppendCertsFromPEM builds: unparseable certificates are skipped.
func pool(text string, parses *[]parsed) *x509.CertPool {
	p := x509.NewCertPool()
	for _, der := range pemCerts(text) {
		cert, info := parseOne(der)
		*parses = append(*parses, info)
		if cert != nil {
			p.AddCert(cert)
		}
	}
	return p
}

func classify(err error) string {
	var invalid x509.CertificateInvalidError
	var unknown x509.UnknownAuthorityError
	var critical x509.UnhandledCriticalExtension
	switch {
	case errors.As(err, &invalid):
		return reasons[invalid.Reason]
	case errors.As(err, &unknown):
		return "UnknownAuthority"
	case errors.As(err, &critical):
		return "UnhandledCriticalExtension"
	case strings.Contains(err.Error(), "signature check attempts limit"):
		return "SignatureCheckBudget"
	}
	return "Other"
}

func verify(req request, parses *[]parsed) *verdict {
	roots := pool(req.RootsPem, parses)
	intermediates := pool(req.IntermediatesPem, parses)
	leaves := pemCerts(req.LeafPem)
	if len(leaves) == 0 {
		return &verdict{Class: "NoLeaf"}
	}
	leaf, info := parseOne(leaves[0])
	*parses = append(*parses, info)
	if leaf == nil {
		return &verdict{Class: "ParseError", Message: info.Error}
	}
	usage, ok := usages[req.Usage]
	if !ok {
		usage = x509.ExtKeyUsageAny
	}
	chains, err := leaf.Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: intermediates,
		CurrentTime:   time.Unix(req.NowUnix, 0),
		KeyUsages:     []x509.ExtKeyUsage{usage},
	})
	if err != nil {
		return &verdict{Class: classify(err), Message: err.Error()}
	}
	out := &verdict{OK: true}
	for _, c := range chains[0] {
		sum := sha256.Sum256(c.Raw)
		out.Chain = append(out.Chain, hex.EncodeToString(sum[:]))
	}
	return out
}

func handle(req request) answer {
	ans := answer{ID: req.ID}
	if req.ParseDer != nil {
		for _, der := range req.ParseDer {
			_, info := parseOne(der)
			ans.Parse = append(ans.Parse, info)
		}
		return ans
	}
	ans.Verify = verify(req, &ans.Parse)
	if req.KeyPem != "" {
		if _, err := tls.X509KeyPair([]byte(req.LeafPem+req.IntermediatesPem), []byte(req.KeyPem)); err != nil {
			ans.KeyPair = &verdict{Class: "KeyPair", Message: err.Error()}
		} else {
			ans.KeyPair = &verdict{OK: true}
		}
	}
	return ans
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	for in.Scan() {
		var req request
		var ans answer
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			ans = answer{Error: err.Error()}
		} else {
			ans = handle(req)
		}
		if err := enc.Encode(ans); err != nil {
			os.Exit(1)
		}
		// Answer each line as it comes: the client waits for it before sending the next batch.
		if err := out.Flush(); err != nil {
			os.Exit(1)
		}
	}
}
