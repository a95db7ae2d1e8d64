// Command godurationreference runs Go's time.ParseDuration and Duration.String on cases given as
// JSON, so that FlowrelValue's GoDuration can be compared with Go's own answers.
//
//	godurationreference < {"parse": ["1h30m", ...], "format": [5400000000000, ...]}
//
// prints {"parse": [{"nanoseconds": N, "error": "..."}, ...], "format": ["1h30m0s", ...]},
// one answer per case, in order. Only the standard library is used.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

type input struct {
	Parse  []string `json:"parse"`
	Format []int64  `json:"format"`
}

type parsed struct {
	Nanoseconds int64  `json:"nanoseconds"`
	Error       string `json:"error"`
}

type output struct {
	Parse  []parsed `json:"parse"`
	Format []string `json:"format"`
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "reading cases:", err)
		os.Exit(2)
	}
	out := output{Parse: []parsed{}, Format: []string{}}
	for _, text := range in.Parse {
		d, err := time.ParseDuration(text)
		answer := parsed{Nanoseconds: int64(d)}
		if err != nil {
			answer.Error = err.Error()
		}
		out.Parse = append(out.Parse, answer)
	}
	for _, n := range in.Format {
		out.Format = append(out.Format, time.Duration(n).String())
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "writing answers:", err)
		os.Exit(2)
	}
}
