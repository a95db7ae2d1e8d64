// The reference for HelmFunctions' differential tests: Go's text/template with Sprig v3.2.3
// (Debian's golang-github-masterminds-sprig-dev, the version Helm 3 ships) and Helm's
// changes to Sprig's function map. It reads a JSON array of {"template", "data"} cases on
// stdin and writes a JSON array of {"output", "error"} outcomes.
package main

import (
	"bytes"
	"crypto"
	"crypto/dsa"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"time"

	"chartutil"
	"github.com/BurntSushi/toml"
	"github.com/Masterminds/sprig/v3"
	"golang.org/x/crypto/bcrypt"
	yaml3 "gopkg.in/yaml.v3"
	"sigs.k8s.io/yaml"
)

type testCase struct {
	Template string `json:"template"`
	Data     string `json:"data"`
	// Numbers is the Go type of the data's integers: "int" (as template functions make
	// them), "float64" (every number, as Helm reads a values file) or "int64" (as Helm reads
	// an integer given with --set).
	Numbers string `json:"numbers"`
	// HelmValues gives the data Helm's shape: its `Values`, and the `Values` of each entry
	// of its `Subcharts`, are chartutil.Values.
	HelmValues bool `json:"helmValues"`
}

type outcome struct {
	Output string `json:"output"`
	Error  string `json:"error"`
}

// plain turns decoded JSON numbers into Go values: integers into the type numbers names
// ("int" or "int64"; "float64" makes them floats), every other number a float64.
func plain(v interface{}, numbers string) interface{} {
	switch v := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			switch numbers {
			case "int":
				return int(i)
			case "int64":
				return i
			}
		}
		f, _ := v.Float64()
		return f
	case []interface{}:
		for i := range v {
			v[i] = plain(v[i], numbers)
		}
		return v
	case map[string]interface{}:
		for k := range v {
			v[k] = plain(v[k], numbers)
		}
		return v
	}
	return v
}

func decode(text string, numbers string) (interface{}, error) {
	var v interface{}
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	err := d.Decode(&v)
	return plain(v, numbers), err
}

// functions is Sprig's map as Helm changes it: env and expandenv removed, Helm's JSON and
// YAML functions (errors into the result) in place of Sprig's. toYaml is sigs.k8s.io/yaml's
// Marshal (JSON, then go-yaml v2); toYamlPretty is go-yaml v3's encoder with indent 2.
func functions() template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	f["toJson"] = func(v interface{}) string {
		data, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(data)
	}
	f["toYaml"] = func(v interface{}) string {
		data, err := yaml.Marshal(v)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(data), "\n")
	}
	f["mustToYaml"] = func(v interface{}) string {
		data, err := yaml.Marshal(v)
		if err != nil {
			panic(err)
		}
		return strings.TrimSuffix(string(data), "\n")
	}
	f["toYamlPretty"] = func(v interface{}) string {
		var data bytes.Buffer
		encoder := yaml3.NewEncoder(&data)
		encoder.SetIndent(2)
		if err := encoder.Encode(v); err != nil {
			return ""
		}
		return strings.TrimSuffix(data.String(), "\n")
	}
	f["fromJson"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	f["fromJsonArray"] = func(s string) []interface{} {
		a := []interface{}{}
		if err := json.Unmarshal([]byte(s), &a); err != nil {
			a = []interface{}{err.Error()}
		}
		return a
	}
	// Helm's toToml (pkg/engine/funcs.go).
	f["toToml"] = func(v interface{}) string {
		b := bytes.NewBuffer(nil)
		if err := toml.NewEncoder(b).Encode(v); err != nil {
			return err.Error()
		}
		return b.String()
	}
	// Checks of what the generator functions make, for comparing flowrel's output with
	// Sprig's by what Go reads in it rather than by its random bytes.
	f["tomlToJson"] = tomlToJSON
	f["bcryptVerify"] = func(hash, password string) string {
		cost, err := bcrypt.Cost([]byte(hash))
		if err != nil {
			return err.Error()
		}
		if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)); err != nil {
			return err.Error()
		}
		return fmt.Sprintf("ok, cost %d, prefix %s", cost, hash[:4])
	}
	f["keyInfo"] = keyInfo
	f["certInfo"] = certInfo
	return f
}

// helmValues makes the `Values` of a top-level object, and of each of its subcharts' objects,
// a chartutil.Values.
func helmValues(top interface{}) {
	object, ok := top.(map[string]interface{})
	if !ok {
		return
	}
	if values, ok := object["Values"].(map[string]interface{}); ok {
		object["Values"] = chartutil.Values(values)
	}
	if subcharts, ok := object["Subcharts"].(map[string]interface{}); ok {
		for _, sub := range subcharts {
			helmValues(sub)
		}
	}
}

// tomlToJSON decodes a TOML document and writes it as JSON (keys sorted), or the error.
func tomlToJSON(text string) string {
	var v map[string]interface{}
	if _, err := toml.Decode(text, &v); err != nil {
		return "toml error: " + err.Error()
	}
	data, err := json.Marshal(v)
	if err != nil {
		return "json error: " + err.Error()
	}
	return string(data)
}

// keyInfo describes a PEM private key as Go reads it: its kind and size, whether it is
// consistent, and whether Go writes the same PEM for it (as Sprig's pemBlockForKey does).
func keyInfo(text string) string {
	block, rest := pem.Decode([]byte(text))
	if block == nil {
		return "no PEM block"
	}
	var info string
	var der []byte
	switch block.Type {
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return err.Error()
		}
		info = fmt.Sprintf("RSA %d bits, valid %v", k.N.BitLen(), k.Validate() == nil)
		der = x509.MarshalPKCS1PrivateKey(k)
	case "EC PRIVATE KEY":
		k, err := x509.ParseECPrivateKey(block.Bytes)
		if err != nil {
			return err.Error()
		}
		info = fmt.Sprintf("EC %s, on curve %v", k.Curve.Params().Name, k.Curve.IsOnCurve(k.X, k.Y))
		der, _ = x509.MarshalECPrivateKey(k)
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return err.Error()
		}
		info = fmt.Sprintf("PKCS8 %T", k)
		der, _ = x509.MarshalPKCS8PrivateKey(k)
	case "DSA PRIVATE KEY":
		var k struct {
			Version       int
			P, Q, G, Y, X *big.Int
		}
		if _, err := asn1.Unmarshal(block.Bytes, &k); err != nil {
			return err.Error()
		}
		one := big.NewInt(1)
		pMinus1 := new(big.Int).Sub(k.P, one)
		valid := k.P.ProbablyPrime(20) && k.Q.ProbablyPrime(20) && new(big.Int).Mod(pMinus1, k.Q).Sign() == 0 &&
			k.G.Cmp(one) > 0 && new(big.Int).Exp(k.G, k.Q, k.P).Cmp(one) == 0 &&
			k.X.Sign() > 0 && k.X.Cmp(k.Q) < 0 && new(big.Int).Exp(k.G, k.X, k.P).Cmp(k.Y) == 0
		info = fmt.Sprintf("DSA L%d N%d, valid %v", k.P.BitLen(), k.Q.BitLen(), valid)
		der, _ = asn1.Marshal(k)
	default:
		return "unknown block " + block.Type
	}
	same := string(pem.EncodeToMemory(&pem.Block{Type: block.Type, Bytes: der})) == text
	return fmt.Sprintf("%s, rest %d bytes, Go writes the same PEM %v", info, len(rest), same)
}

// certInfo describes a PEM certificate as Go reads it and verifies it against the PEM CA
// (with every extended key usage accepted), and whether keyPEM holds its private key.
func certInfo(certPEM, caPEM, keyPEM string) string {
	block, _ := pem.Decode([]byte(certPEM))
	if block == nil || block.Type != "CERTIFICATE" {
		return "no CERTIFICATE block"
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return err.Error()
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM([]byte(caPEM)) {
		return "no CA certificate"
	}
	var lines []string
	add := func(format string, args ...interface{}) { lines = append(lines, fmt.Sprintf(format, args...)) }
	add("version %d, subject %q, issuer %q", c.Version, c.Subject.String(), c.Issuer.String())
	add("serial positive %v, below 2^128 %v", c.SerialNumber.Sign() > 0, c.SerialNumber.BitLen() <= 128)
	add("CA %v, basic constraints valid %v, max path %d zero %v", c.IsCA, c.BasicConstraintsValid, c.MaxPathLen, c.MaxPathLenZero)
	add("key usage %d, extended %v, unknown extended %d", c.KeyUsage, c.ExtKeyUsage, len(c.UnknownExtKeyUsage))
	ips := []string{}
	for _, ip := range c.IPAddresses {
		ips = append(ips, ip.String())
	}
	add("DNS %v, IPs %v, emails %d, URIs %d", c.DNSNames, ips, len(c.EmailAddresses), len(c.URIs))
	add("subject key id %v, authority key id %v", len(c.SubjectKeyId) > 0, len(c.AuthorityKeyId) > 0)
	critical := []string{}
	for _, e := range c.Extensions {
		if e.Critical {
			critical = append(critical, e.Id.String())
		}
	}
	sort.Strings(critical)
	add("critical %v, unhandled %d", critical, len(c.UnhandledCriticalExtensions))
	add("valid for %v, starts within a minute of now %v", c.NotAfter.Sub(c.NotBefore), time.Since(c.NotBefore) < time.Minute && time.Since(c.NotBefore) > -time.Second)
	add("signature %v, public key %v", c.SignatureAlgorithm, c.PublicKeyAlgorithm)
	names := append([]string{}, c.DNSNames...)
	names = append(names, ips...)
	if len(names) == 0 {
		names = []string{""}
	}
	for _, name := range names {
		_, err := c.Verify(x509.VerifyOptions{DNSName: name, Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
		add("verify %q: %v", name, err)
	}
	if keyPEM != "" {
		keyBlock, _ := pem.Decode([]byte(keyPEM))
		if keyBlock == nil {
			add("key: no PEM block")
		} else {
			var key interface{}
			switch keyBlock.Type {
			case "RSA PRIVATE KEY":
				key, err = x509.ParsePKCS1PrivateKey(keyBlock.Bytes)
			case "EC PRIVATE KEY":
				key, err = x509.ParseECPrivateKey(keyBlock.Bytes)
			default:
				key, err = x509.ParsePKCS8PrivateKey(keyBlock.Bytes)
			}
			if err != nil {
				add("key: %v", err)
			} else if signer, ok := key.(crypto.Signer); ok {
				matches := false
				switch public := signer.Public().(type) {
				case *rsa.PublicKey:
					matches = public.Equal(c.PublicKey)
				case *ecdsa.PublicKey:
					matches = public.Equal(c.PublicKey)
				case ed25519.PublicKey:
					matches = public.Equal(c.PublicKey)
				case *dsa.PublicKey:
				}
				add("key %s, matches the certificate %v", keyBlock.Type, matches)
			}
		}
	}
	return strings.Join(lines, "\n")
}

func run(c testCase) outcome {
	data, err := decode(c.Data, c.Numbers)
	if err != nil {
		return outcome{Error: "bad data: " + err.Error()}
	}
	if c.HelmValues {
		helmValues(data)
	}
	t, err := template.New("t").Funcs(functions()).Parse(c.Template)
	if err != nil {
		return outcome{Error: err.Error()}
	}
	var out strings.Builder
	if err := t.Execute(&out, data); err != nil {
		return outcome{Output: out.String(), Error: err.Error()}
	}
	return outcome{Output: out.String()}
}

func main() {
	var cases []testCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		os.Stderr.WriteString(err.Error())
		os.Exit(2)
	}
	outcomes := make([]outcome, len(cases))
	for i, c := range cases {
		outcomes[i] = run(c)
	}
	json.NewEncoder(os.Stdout).Encode(outcomes)
}
