// Command RegexReference answers, for each (pattern, input, replacement) case read as a
// JSON array on stdin, what Go's regexp does with it: the compile error, or the results
// of MatchString, FindStringSubmatchIndex, FindAllStringSubmatchIndex, FindAllString with
// n=2, ReplaceAllString, ReplaceAllLiteralString and Split with n=-1 and n=2. It prints a
// JSON array of outcomes in the same order. GoRegexTests compare GoRegex with it.
package main

import (
	"encoding/json"
	"os"
	"regexp"
)

type testCase struct {
	Pattern     string `json:"pattern"`
	Input       string `json:"input"`
	Replacement string `json:"replacement"`
}

type outcome struct {
	Error    *string   `json:"error,omitempty"`
	Match    bool      `json:"match"`
	Submatch []int     `json:"submatch"`
	All      [][]int   `json:"all"`
	Find2    []string  `json:"find2"`
	Replace  string    `json:"replace"`
	Literal  string    `json:"literal"`
	Split    []string  `json:"split"`
	Split2   []string  `json:"split2"`
}

// nonNil makes an absent result an empty list, as the Swift side has no nil lists.
func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

func main() {
	var cases []testCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		os.Stderr.WriteString("bad input: " + err.Error() + "\n")
		os.Exit(2)
	}
	out := make([]outcome, 0, len(cases))
	for _, c := range cases {
		re, err := regexp.Compile(c.Pattern)
		if err != nil {
			message := err.Error()
			out = append(out, outcome{Error: &message, Submatch: []int{}, All: [][]int{}, Find2: []string{}, Split: []string{}, Split2: []string{}})
			continue
		}
		out = append(out, outcome{
			Match:    re.MatchString(c.Input),
			Submatch: nonNil(re.FindStringSubmatchIndex(c.Input)),
			All:      nonNil(re.FindAllStringSubmatchIndex(c.Input, -1)),
			Find2:    nonNil(re.FindAllString(c.Input, 2)),
			Replace:  re.ReplaceAllString(c.Input, c.Replacement),
			Literal:  re.ReplaceAllLiteralString(c.Input, c.Replacement),
			Split:    nonNil(re.Split(c.Input, -1)),
			Split2:   nonNil(re.Split(c.Input, 2)),
		})
	}
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(out); err != nil {
		os.Stderr.WriteString("cannot encode: " + err.Error() + "\n")
		os.Exit(2)
	}
}
