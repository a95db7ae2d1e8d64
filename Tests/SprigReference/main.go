// The reference for HelmFunctions' differential tests: Go's text/template with Sprig v3.2.3
// (Debian's golang-github-masterminds-sprig-dev, the version Helm 3 ships) and Helm's
// changes to Sprig's function map. It reads a JSON array of {"template", "data"} cases on
// stdin and writes a JSON array of {"output", "error"} outcomes.
package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"text/template"

	"chartutil"
	"github.com/Masterminds/sprig/v3"
	yaml3 "gopkg.in/yaml.v3"
	"sigs.k8s.io/yaml"
)

type testCase struct {
	Template string `json:"template"`
	Data     string `json:"data"`
	// HelmNumbers makes every number of the data a float64, as Helm reads values files.
	HelmNumbers bool `json:"helmNumbers"`
	// HelmValues gives the data Helm's shape: its `Values`, and the `Values` of each entry
	// of its `Subcharts`, are chartutil.Values.
	HelmValues bool `json:"helmValues"`
}

type outcome struct {
	Output string `json:"output"`
	Error  string `json:"error"`
}

// plain turns decoded JSON numbers into Go ints when they are integers (as flowrel keeps
// them) unless floats is set, and float64 otherwise.
func plain(v interface{}, floats bool) interface{} {
	switch v := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(v), 10, 64); err == nil && !floats {
			return int(i)
		}
		f, _ := v.Float64()
		return f
	case []interface{}:
		for i := range v {
			v[i] = plain(v[i], floats)
		}
		return v
	case map[string]interface{}:
		for k := range v {
			v[k] = plain(v[k], floats)
		}
		return v
	}
	return v
}

func decode(text string, floats bool) (interface{}, error) {
	var v interface{}
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	err := d.Decode(&v)
	return plain(v, floats), err
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

func run(c testCase) outcome {
	data, err := decode(c.Data, c.HelmNumbers)
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
