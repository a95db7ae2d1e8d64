// Command goreference runs Go's own text/template on cases given as JSON, so that the Swift
// GoTemplate engine can be compared with it byte for byte (and timed against it).
//
//	goreference < cases.json              one JSON result per case, as a JSON array
//	goreference -bench DIR -runs N [-out FILE]   parse + execute the templates in DIR N times
//
// Only the standard library is used; no functions beyond Go's builtins are registered.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"text/template"
	"time"
	"unsafe"
)

type testCase struct {
	Templates  [][2]string `json:"templates"`
	Execute    string      `json:"execute"`
	Data       string      `json:"data"` // JSON text
	MissingKey string      `json:"missingkey"`
}

type result struct {
	Output string `json:"output"`
	Error  string `json:"error"`
}

// decode reads JSON with integers as int and other numbers as float64, as flowrel's Value does.
func decode(raw []byte) (interface{}, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, nil
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v interface{}
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return convert(v), nil
}

func convert(v interface{}) interface{} {
	switch x := v.(type) {
	case json.Number:
		if !strings.ContainsAny(x.String(), ".eE") {
			if i, err := x.Int64(); err == nil {
				return int(i)
			}
		}
		f, _ := x.Float64()
		return f
	case []interface{}:
		for i := range x {
			x[i] = convert(x[i])
		}
		return x
	case map[string]interface{}:
		for k := range x {
			x[k] = convert(x[k])
		}
		return x
	}
	return v
}

func run(c testCase) (res result) {
	data, err := decode([]byte(c.Data))
	if err != nil {
		return result{Error: "bad data: " + err.Error()}
	}
	var root *template.Template
	for _, t := range c.Templates {
		var tmpl *template.Template
		if root == nil {
			root = template.New(t[0])
			tmpl = root
		} else {
			tmpl = root.New(t[0])
		}
		if c.MissingKey != "" {
			tmpl.Option("missingkey=" + c.MissingKey)
		}
		if _, err := tmpl.Parse(t[1]); err != nil {
			return result{Error: err.Error()}
		}
	}
	if root == nil {
		return result{Error: "no templates"}
	}
	name := c.Execute
	if name == "" {
		name = c.Templates[0][0]
	}
	var buf bytes.Buffer
	if err := root.ExecuteTemplate(&buf, name, data); err != nil {
		return result{Output: buf.String(), Error: err.Error()}
	}
	return result{Output: buf.String()}
}

func bench(dir string, runs int, output string) {
	files, err := filepath.Glob(filepath.Join(dir, "*.tpl"))
	check(err)
	sort.Strings(files)
	raw, err := os.ReadFile(filepath.Join(dir, "values.json"))
	check(err)
	values, err := decode(raw)
	check(err)
	texts := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		check(err)
		texts[filepath.Base(f)] = string(b)
	}
	var best []time.Duration
	var cpu []time.Duration
	documents := 0
	var rendered string
	for r := 0; r < runs; r++ {
		start := time.Now()
		cpuStart := cpuTime()
		root := template.New("chart")
		for _, f := range files {
			_, err := root.New(filepath.Base(f)).Parse(texts[filepath.Base(f)])
			check(err)
		}
		var out bytes.Buffer
		check(root.ExecuteTemplate(&out, "main.tpl", values))
		best = append(best, time.Since(start))
		cpu = append(cpu, cpuTime()-cpuStart)
		rendered = out.String()
		documents = strings.Count(rendered, "---\n")
	}
	if output != "" {
		check(os.WriteFile(output, []byte(rendered), 0o644))
	}
	sort.Slice(best, func(i, j int) bool { return best[i] < best[j] })
	sort.Slice(cpu, func(i, j int) bool { return cpu[i] < cpu[j] })
	median := best[len(best)/2]
	fmt.Printf("go %d documents, median %.1f ms, %.2f us/document, cpu %.2f us/document\n", documents,
		float64(median.Microseconds())/1000, float64(median.Nanoseconds())/1000/float64(documents),
		float64(cpu[len(cpu)/2].Nanoseconds())/1000/float64(documents))
}

// cpuTime is the process's CPU time (all threads, so the garbage collector's work counts),
// read from CLOCK_PROCESS_CPUTIME_ID as the Swift benchmark reads it.
func cpuTime() time.Duration {
	const clockProcessCPUTimeID = 2
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockProcessCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		check(errno)
	}
	return time.Duration(ts.Nano())
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func main() {
	benchDir := flag.String("bench", "", "benchmark the chart-like templates in this folder")
	runs := flag.Int("runs", 7, "benchmark runs")
	output := flag.String("out", "", "write the benchmark's rendered output to this file")
	flag.Parse()
	if *benchDir != "" {
		bench(*benchDir, *runs, *output)
		return
	}
	input, err := io.ReadAll(os.Stdin)
	check(err)
	var cases []testCase
	check(json.Unmarshal(input, &cases))
	results := make([]result, len(cases))
	for i, c := range cases {
		results[i] = run(c)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	check(enc.Encode(results))
}
