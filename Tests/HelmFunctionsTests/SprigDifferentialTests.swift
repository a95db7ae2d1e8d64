import Testing

@testable import HelmFunctions

/// The same templates through flowrel and through Go's text/template with the real Sprig
/// v3.2.3 (as Helm ships it): outputs and error messages must match byte for byte.
@Suite struct SprigDifferentialTests {
  static let data = #"{"s": "Hello World", "n": 42, "f": 1.5, "neg": -7, "b": true, "z": 0, "e": "", "nil": null, "l": [3, "a", 1.5, null, true], "ls": ["b", "a", "c"], "m": {"k": "v", "n": 1, "inner": {"x": 1}}, "em": {}, "el": []}"#

  static func c(_ template: String) -> SprigCase { SprigCase(template: template, data: data) }
  static let numbers = #"{"n": 42, "replicas": 3, "f": 1.5, "neg": -7, "z": 0, "nums": [1, 2, 3], "l": [3, "a", 1.5, null, true], "m": {"k": "v", "n": 1, "inner": {"x": 1}}}"#
  static func h(_ template: String) -> SprigCase { SprigCase(template: template, data: numbers, numbers: .valuesFile) }
  static func s(_ template: String) -> SprigCase { SprigCase(template: template, data: numbers, numbers: .setFlag) }
  static func argumentError(_ template: String) -> SprigCase { SprigCase(template: template, data: data, argumentError: true) }
  /// Data in the shape of Helm's top-level object, `.Values` a `chartutil.Values`.
  static let top = #"{"Values": {"a": {"b": 1}, "l": [1, 2], "s": "x", "n": null}, "Subcharts": {"sub": {"Values": {"port": 80}}}}"#
  static func v(_ template: String) -> SprigCase { SprigCase(template: template, data: top, numbers: .valuesFile, helmValues: true) }

  static let pages: [(String, [SprigCase])] = [
    ("strings", [
      c(#"{{ trim "  a b  " }}|{{ trimAll "$" "$5.00$" }}|{{ trimSuffix "-" "a--" }}|{{ trimPrefix "-" "--a" }}"#),
      c(#"{{ upper .s }}|{{ lower .s }}|{{ title "hello wORLD foo_bar x-y" }}|{{ untitle "Hello World ABC" }}"#),
      c(#"{{ repeat 3 "ab" }}|{{ substr 0 5 .s }}|{{ substr 3 -1 .s }}|{{ substr -1 3 .s }}|{{ nospace " a b\tc\n" }}"#),
      c(#"{{ trunc 5 .s }}|{{ trunc -5 .s }}|{{ trunc 50 .s }}|{{ trunc -50 .s }}|{{ trunc 0 .s }}"#),
      c(#"{{ abbrev 5 .s }}|{{ abbrev 3 .s }}|{{ abbrev 20 .s }}|{{ abbrevboth 5 10 "1234 5678 9123" }}|{{ abbrevboth 0 6 "abcdefghij" }}"#),
      c(#"{{ initials "First Try  here" }}|{{ swapcase "This Is A.Test ß" }}|{{ plural "one" "many" 1 }}|{{ plural "one" "many" 0 }}"#),
      c(#"{{ snakecase "FirstName" }}|{{ snakecase "HTTPServer" }}|{{ snakecase "firstName lastName" }}|{{ snakecase "a-b c" }}|{{ snakecase "Name1Name2" }}"#),
      c(#"{{ camelcase "http_server" }}|{{ camelcase "hello world" }}|{{ camelcase "_a_b" }}|{{ camelcase "alreadyCamel" }}|{{ camelcase "a-b" }}"#),
      c(#"{{ kebabcase "FirstName" }}|{{ kebabcase "HTTPServer" }}|{{ kebabcase "foo_bar Baz" }}"#),
      c(#"{{ wrap 10 "The quick brown fox jumps over the lazy dog" }}|{{ wrapWith 5 "\t" "Hello World" }}|{{ wrapWith 3 "|" "abcdefgh" }}"#),
      c(#"{{ contains "cat" "catch" }}|{{ hasPrefix "cat" "catch" }}|{{ hasSuffix "ch" "catch" }}|{{ contains "" "" }}"#),
      c(#"{{ quote "a" 1 .nil 1.5 .b .l .m }}|{{ squote "a" .nil 2 }}|{{ quote }}|{{ quote "\"\\\n\t\u00e9\u0007" }}"#),
      c(#"{{ cat "a" .nil 1 .l .m .f }}|{{ cat }}"#),
      c(#"{{ indent 2 "a\nb\n" }}|{{ nindent 2 "a" }}|{{ indent 0 "x" }}"#),
      c(#"{{ replace " " "-" "I Am Henry VIII" }}|{{ replace "" "-" "ab" }}|{{ replace "a" "" "banana" }}"#),
      c(#"{{ split "$" "foo$bar$baz" }}|{{ (split "$" "foo$bar").(_1) }}|{{ splitList "," "a,b,,c" }}|{{ splitn "$" 2 "a$b$c" }}|{{ splitList "" "héj" }}"#),
      c(#"{{ join "-" .l }}|{{ join "," .ls }}|{{ join "," "x" }}|{{ join "," .nil }}|{{ join ", " .m }}"#),
      c(#"{{ sortAlpha .ls }}|{{ sortAlpha .l }}|{{ sortAlpha 42 }}|{{ typeOf (sortAlpha .ls) }}"#),
      c(#"{{ toString 1.0 }}|{{ toString .nil }}|{{ toString .l }}|{{ toString .m }}|{{ toString 1e21 }}|{{ toString 100000000.0 }}"#),
      c(#"{{ substr 9 20 "short" }}"#),
      c(#"{{ indent -1 "a" }}"#),
      argumentError(#"{{ contains "a" .nil }}"#),
      argumentError(#"{{ trunc .s .s }}"#),
      argumentError(#"{{ upper .n }}"#),
      argumentError(#"{{ merge .m .l }}"#),
      argumentError(#"{{ contains "a" .missing }}"#),
      c(#"{{ trunc 2 "héllo" }}|{{ upper "ßtraße" }}|{{ title "émile zola" }}|{{ swapcase "ǅ" }}|{{ initials "héllo wörld" }}|{{ nospace "a b c é" }}|{{ trim "  x  " }}|{{ trimAll "ab" "abxba" }}"#),
      c(#"{{ abbrev 5 "héllo wörld" }}|{{ wrap 5 "héllo wörld" }}|{{ substr 1 3 "héllo" | len }}|{{ lower "ÀÉ" }}|{{ title "x1y z_w a'b" }}|{{ untitle "ÀB CD" }}|{{ camelcase "ÜBER_cool" }}|{{ kebabcase "ÜberCool" }}|{{ plural "a" "b" -1 }}|{{ quote "​😀" }}|{{ sortAlpha (list "é" "e" "z" "Z") }}"#),
      c(#"{{ repeat -1 "x" }}"#),
    ]),
    ("conversion", [
      c(#"{{ atoi "42" }}|{{ atoi "0x10" }}|{{ atoi "+7" }}|{{ atoi "abc" }}|{{ atoi " 1" }}"#),
      c(#"{{ int "12" }}|{{ int "abc" }}|{{ int "1.5" }}|{{ int "12.0" }}|{{ int "0x1F" }}|{{ int "017" }}|{{ int "08" }}|{{ int "0b101" }}|{{ int "1_000" }}|{{ int "-42" }}"#),
      c(#"{{ int .f }}|{{ int .neg }}|{{ int -2.9 }}|{{ int .b }}|{{ int .nil }}|{{ int .l }}|{{ int .e }}|{{ typeOf (int 1) }}"#),
      c(#"{{ int64 "5" }}|{{ int64 3.9 }}|{{ typeOf (int64 1) }}|{{ float64 "1.5" }}|{{ float64 "abc" }}|{{ float64 "1e3" }}|{{ float64 3 }}|{{ float64 .b }}|{{ typeOf (float64 1) }}"#),
      c(#"{{ toDecimal "0777" }}|{{ toDecimal 777 }}|{{ toDecimal "8" }}|{{ toDecimal "-10" }}|{{ toDecimal .nil }}"#),
      c(#"{{ toStrings .l }}|{{ toStrings "x" }}|{{ toStrings .nil }}|{{ typeOf (toStrings .l) }}"#),
      c(#"{{ int "99999999999999999999" }}|{{ float64 "0x1p-2" }}|{{ float64 "inf" }}"#),
    ]),
    ("math", [
      c(#"{{ add 1 2 3 }}|{{ add }}|{{ add "2" 1.9 .b .nil }}|{{ add1 .n }}|{{ sub 3 2 }}|{{ sub "10" "abc" }}|{{ typeOf (add 1) }}"#),
      c(#"{{ div 7 2 }}|{{ div -7 2 }}|{{ mod 7 3 }}|{{ mod -7 3 }}|{{ mul 2 3 4 }}|{{ mul 5 }}"#),
      c(#"{{ max 1 2 3 }}|{{ max "7" 3.5 }}|{{ biggest 1 5 3 }}|{{ min 1 2 3 }}|{{ min 4 }}"#),
      c(#"{{ floor 123.9999 }}|{{ ceil 123.001 }}|{{ round 123.555555 3 }}|{{ round 123.5 0 0.6 }}|{{ round "-2.5" 0 }}|{{ floor "2.5" }}|{{ ceil "abc" }}"#),
      c(#"{{ addf 1.5 2 2 }}|{{ add1f 1.5 }}|{{ subf 7.5 2 3 }}|{{ divf 10 4 }}|{{ mulf 1.5 2 2 }}|{{ maxf 1 2.5 3 }}|{{ minf 1.5 2 3 }}"#),
      c(#"{{ addf 1.1 2.2 }}|{{ subf 0.3 0.1 }}|{{ mulf 0.1 3 }}|{{ divf 1 3 }}|{{ divf 2 3 }}|{{ addf }}|{{ typeOf (addf 1) }}"#),
      c(#"{{ div 1 0 }}"#),
      c(#"{{ mod 1 0 }}"#),
      c(#"{{ until 5 }}|{{ until 0 }}|{{ until -3 }}|{{ untilStep 3 6 2 }}|{{ untilStep 0 10 0 }}|{{ untilStep 10 0 -3 }}|{{ typeOf (until 2) }}"#),
      c(#"{{ seq 5 }}|{{ seq -3 }}|{{ seq 0 2 }}|{{ seq 2 -2 }}|{{ seq 0 2 10 }}|{{ seq 0 -2 -5 }}|{{ seq }}|{{ seq 5 1 0 }}|{{ seq 1 2 3 4 }}"#),
    ]),
    ("defaults", [
      c(#"{{ default "foo" .nil }}|{{ default "foo" .e }}|{{ default "foo" .z }}|{{ default "foo" .em }}|{{ default "foo" .el }}|{{ default "foo" false }}|{{ default "foo" "bar" }}|{{ default "foo" .missing }}"#),
      c(#"{{ empty .nil }}|{{ empty .z }}|{{ empty .f }}|{{ empty .l }}|{{ empty .em }}|{{ empty " " }}|{{ empty 0.0 }}"#),
      c(#"{{ coalesce 0 1 2 }}|{{ coalesce .nil .e "x" }}|{{ coalesce .nil .e }}|{{ all 1 "a" true }}|{{ all 1 "" }}|{{ all }}|{{ any 0 "" "x" }}|{{ any }}"#),
      c(#"{{ ternary "foo" "bar" true }}|{{ true | ternary "foo" "bar" }}|{{ ternary "foo" "bar" false }}"#),
      c(#"{{ compact .l }}|{{ compact (list 0 .nil false "" "0" 1) }}"#),
      c(#"{{ toJson .m }}|{{ toJson .l }}|{{ toJson "<&>" }}|{{ toJson .nil }}|{{ toJson (int64 5) }}|{{ toJson 1.0 }}|{{ toJson 1e21 }}|{{ toJson 0.000001 }}|{{ toJson 1e-7 }}"#),
      c(#"{{ toPrettyJson .m }}|{{ toPrettyJson .el }}|{{ toRawJson "<&>" }}|{{ toRawJson .m }}|{{ mustToJson .ls }}|{{ mustToPrettyJson (list 1) }}|{{ mustToRawJson "<" }}"#),
      c(#"{{ fromJson "{\"a\": 1, \"b\": [true]}" }}|{{ fromJson "null" }}|{{ fromJsonArray "[1, \"a\"]" }}|{{ fromJsonArray "null" }}|{{ (fromJson "{\"a\": {\"b\": 2}}").a.b }}"#),
      c(#"{{ fromJson "[1]" }}|{{ fromJsonArray "{}" }}|{{ fromJson "\"s\"" }}|{{ fromJsonArray "1" }}"#),
      c(#"{{ mustFromJson "[1, 2]" }}|{{ mustFromJson "3" }}|{{ mustFromJson "{\"a\": null}" }}"#),
    ]),
    ("lists", [
      c(#"{{ list 1 2 3 }}|{{ first .l }}|{{ rest .l }}|{{ last .l }}|{{ initial .l }}|{{ append .l 6 }}|{{ push .ls "d" }}|{{ prepend .l 0 }}"#),
      c(#"{{ concat .l .ls (list 9) }}|{{ reverse .l }}|{{ uniq (list 1 1 "1" 2 2) }}|{{ without .l 3 "a" }}|{{ has "a" .l }}|{{ has 4 .l }}|{{ has 1 .nil }}"#),
      c(#"{{ slice .l 1 3 }}|{{ slice .l }}|{{ slice .l 2 }}|{{ slice .ls "1" "2" }}|{{ typeOf (slice .ls 0 1) }}|{{ chunk 2 .l }}|{{ chunk 3 .el }}|{{ typeOf (chunk 1 .l) }}"#),
      c(#"{{ first .el }}|{{ last .el }}|{{ rest .el }}|{{ initial .el }}|{{ slice .el }}|{{ rest (list 1) }}|{{ typeOf (append .ls "x") }}|{{ typeOf (first .ls) }}"#),
      c(#"{{ mustFirst .l }}|{{ mustLast .ls }}|{{ mustRest .l }}|{{ mustInitial .l }}|{{ mustAppend .l 1 }}|{{ mustPrepend .l 1 }}|{{ mustReverse .ls }}|{{ mustUniq .l }}|{{ mustWithout .l 1.5 }}|{{ mustHas true .l }}|{{ mustSlice .l 1 2 }}|{{ mustChunk 4 .l }}|{{ mustCompact .l }}"#),
      c(#"{{ without (until 5) 3 }}|{{ uniq (until 3) }}|{{ sortAlpha (until 12) }}|{{ join "," (until 3) }}|{{ toStrings (until 3) }}|{{ has 2 (until 3) }}|{{ has "2" (until 3) }}|{{ reverse (splitList "," "a,b") }}|{{ first (until 3) | typeOf }}|{{ compact (splitList "," "a,,b") }}"#),
      c(#"{{ toJson (until 3) }}|{{ toJson (splitList "," "a,b") }}|{{ toJson (split "," "a,b") }}|{{ toJson (chunk 2 (until 3)) }}|{{ toJson (dict "t" (toDate "2006" "2017")) }}|{{ toJson (semver "1.2") }}|{{ concat (until 2) (splitList "," "x") }}"#),
      argumentError(#"{{ keys (split "," "a,b") }}"#),
      argumentError(#"{{ hasKey (split "," "a,b") "_0" }}"#),
      c(#"{{ append "abc" 1 }}"#),
      c(#"{{ first .s }}"#),
      c(#"{{ mustPrepend .m 1 }}"#),
      c(#"{{ rest .b }}"#),
      c(#"{{ slice .s 1 }}"#),
      c(#"{{ slice .l 3 1 }}"#),
      c(#"{{ chunk 2 "x" }}"#),
      c(#"{{ concat .l .s }}"#),
      c(#"{{ has 1 .s }}"#),
      c(#"{{ compact .n }}"#),
      c(#"{{ reverse .f }}"#),
      c(#"{{ without .m 1 }}"#),
      c(#"{{ mustUniq 3 }}"#),
      c(#"{{ initial .s }}"#),
      c(#"{{ last .b }}"#),
      c(#"{{ mustToYaml .m }}|{{ mustToYaml .l }}|{{ mustToYaml .nil }}|{{ mustToYaml "{{ x }}" }}"#),
      c(#"{{ mustToYaml (list "a\u007f") }}"#),
      // Go's nil slices (rest and initial of an empty list, concat of nothing) are null in JSON.
      c(#"{{ toJson (list) }}|{{ toJson (rest (list)) }}|{{ toJson (rest (list 1)) }}|{{ toJson (initial (list)) }}|{{ toJson (concat (list) (list)) }}|{{ toJson (concat) }}|{{ toJson (reverse (list)) }}|{{ toJson (compact (list)) }}|{{ toJson (chunk 2 (list)) }}|{{ toYaml (rest (list)) }}|{{ toJson (until 0) }}|{{ toJson (keys (dict)) }}|{{ toJson (tuple) }}|{{ toJson (uniq (list)) }}|{{ toJson (without (list) 1) }}|{{ toJson (slice (list)) }}|{{ toJson (mustRest (list)) }}|{{ toJson (mustInitial .el) }}|{{ toJson (rest .el) }}|{{ toJson (values (dict)) }}|{{ toJson (pluck "a" (dict)) }}|{{ toJson (toStrings (list)) }}|{{ toJson (sortAlpha (list)) }}|{{ toJson (splitList "," "") }}|{{ toJson (concat .el) }}|{{ toJson (mustCompact (list)) }}|{{ toJson (untilStep 0 0 1) }}|{{ toJson (prepend (list) 1) }}|{{ toJson (deepCopy (list)) }}|{{ toJson (compact (list "")) }}|{{ toJson (initial (list 1)) }}"#),
      c(#"{{ deepEqual (rest (list)) (list) }}|{{ deepEqual (rest (list)) (initial (list)) }}|{{ rest (list) }}|{{ typeOf (rest (list)) }}|{{ len (concat) }}|{{ empty (initial .el) }}|{{ kindOf (rest .el) }}"#),
    ]),
    ("dicts", [
      c(#"{{ dict "a" 1 "b" "x" }}|{{ dict 1 "a" true "b" "odd" }}|{{ dict }}|{{ get .m "k" }}|{{ get .m "nope" }}|{{ hasKey .m "k" }}|{{ hasKey .m "x" }}"#),
      // set, unset and merge change their first argument in Go.
      c(#"{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $d }}|{{ $_ := unset $d "a" }}{{ $d }}|{{ $_ := set .m "z" 0 }}{{ .m }}|{{ $_ := unset .m "k" }}{{ .m }}"#),
      c(#"{{ $src := dict "n" (dict "x" 1) }}{{ $dst := dict }}{{ $_ := merge $dst $src }}{{ $_ := set $dst.n "y" 2 }}{{ $src }}|{{ $_ := mergeOverwrite .m (dict "inner" (dict "w" 1) "n" 5) }}{{ .m }}"#),
      c(#"{{ $c := deepCopy .m }}{{ $_ := set $c.inner "q" 1 }}{{ .m }}|{{ $c }}|{{ range $k, $v := .m }}{{ $_ := unset $.m $k }}{{ $k }}{{ end }}|{{ .m }}"#),
      c(#"{{ set .m "new" 1 }}"#),
      c(#"{{ unset .m "k" }}"#),
      c(#"{{ pluck "k" .m (dict "k" 2) (dict "j" 3) }}|{{ keys .m | sortAlpha }}|{{ pick .m "k" "n" "zz" }}|{{ omit .m "k" }}"#),
      c(#"{{ values .em }}|{{ keys .em }}|{{ typeOf (keys .m) }}|{{ typeOf (values .m) }}|{{ values (dict "a" 1) }}"#),
      c(#"{{ dig "inner" "x" "def" .m }}|{{ dig "inner" "y" "def" .m }}|{{ dig "nope" "x" "def" .m }}|{{ dig "k" "def" .m }}"#),
      c(#"{{ merge (dict "a" 1 "e" "" "n" (dict "x" 1)) (dict "a" 2 "b" 2 "e" "f" "n" (dict "x" 2 "y" 3)) }}|{{ merge (dict "a" (list 1)) (dict "a" (list 2)) }}|{{ merge (dict "a" 1) (dict "a" .nil) }}"#),
      c(#"{{ mergeOverwrite (dict "a" 1 "k" true "n" (dict "x" 1 "z" 0)) (dict "a" 2 "k" false "n" (dict "x" 2)) }}|{{ mergeOverwrite (dict "a" 1) (dict "a" .nil) }}|{{ mergeOverwrite (dict "a" (list 1 2)) (dict "a" (list 3)) }}"#),
      c(#"{{ mustMerge (dict) (dict "x" (dict "y" 1)) }}|{{ merge (dict "x" "s") (dict "x" (dict "y" 1)) }}|{{ merge (dict "a" 1) (dict "a" 2 "b" 2) (dict "b" 3 "c" 3) }}"#),
      c(#"{{ mustMergeOverwrite (dict "x" "s") (dict "x" (dict "y" 1)) }}"#),
      c(#"{{ deepCopy .m }}|{{ mustDeepCopy .l }}|{{ deepCopy 5 }}"#),
      c(#"{{ dig "a" .m }}"#),
      c(#"{{ hasKey .missing "a" }}|{{ keys .missing }}|{{ get .missing "a" }}"#),
      argumentError(#"{{ hasKey .nil "a" }}"#),
      argumentError(#"{{ merge .m .nil }}"#),
      c(#"{{ dig "k" "x" "def" .m }}"#),
      c(#"{{ dig "a" "b" "s" }}"#),
    ]),
    ("encoding", [
      c(#"{{ b64enc "hello" }}|{{ b64dec "aGVsbG8=" }}|{{ b32enc "hello" }}|{{ b32dec "NBSWY3DP" }}|{{ b64enc "" }}|{{ b64enc "a" }}|{{ b32enc "a" }}|{{ b64dec "w6nin\nJM=" }}"#),
      c(#"{{ b64dec "a$" }}|{{ b64dec "YQ" }}|{{ b64dec "YQ==YQ==" }}|{{ b32dec "1" }}|{{ b64dec "Y" }}|{{ b32dec "ME=====" }}"#),
      c(#"{{ sha1sum "Hello world!" }}|{{ sha256sum "Hello world!" }}|{{ adler32sum "Hello world!" }}|{{ adler32sum "" }}"#),
    ]),
    ("regex", [
      c(#"{{ regexMatch "^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[A-Za-z]{2,}$" "test@acme.com" }}|{{ regexFindAll "[2,4,6,8]" "123456789" -1 }}|{{ regexFindAll "[2,4,6,8]" "123456789" 2 }}|{{ regexFind "[a-zA-Z][1-9]" "abcd1234" }}"#),
      c(#"{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}|{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }}|{{ regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}" }}|{{ regexSplit "z+" "pizza" -1 }}|{{ regexSplit "z+" "pizza" 1 }}|{{ regexQuoteMeta "1.2.3[x]" }}"#),
      c(#"{{ regexReplaceAll "(?P<word>\\w+)" "hi there" "<$word>" }}|{{ regexReplaceAll "b" "abc" "$$" }}|{{ regexReplaceAll "b" "abc" "${" }}|{{ regexReplaceAll "a*" "baaac" "-" }}|{{ regexFindAll "a*" "baaac" -1 }}|{{ regexSplit "" "abc" -1 }}|{{ regexSplit "x" "" -1 }}"#),
      c(#"{{ regexMatch "^\\d+$" "١٢٣" }}|{{ regexMatch "a$" "a\n" }}|{{ regexMatch "(?m)a$" "a\nb" }}|{{ regexFind "[[]x" "a[x" }}|{{ regexFind "[]a]+" "]a]b" }}|{{ regexFind "a{,2}" "a{,2}" }}|{{ regexFind "[[:digit:]]+" "ab12" }}|{{ regexFind "(?i)HELLO" "say hello" }}|{{ regexMatch "(" "a" }}"#),
      c(#"{{ regexReplaceAll "[^a-zA-Z0-9-]+" "My App_v1.2 (beta)" "-" }}|{{ regexFind "^v?[0-9]+" "v12.3" }}|{{ regexMatch "^(true|false)$" "true" }}|{{ regexFindAll "\\S+" " a  bb\tc " -1 }}|{{ regexFindAll "\\p{L}+" "héllo wörld 42" -1 }}"#),
      c(#"{{ regexReplaceAll "(?i)[a-z]+" "abc DEF 12" "<$0>" }}|{{ regexFind "\\Aab" "abab" }}|{{ regexFind "ab\\z" "abab" }}|{{ regexFindAll "a$|b" "ab\nab" -1 }}|{{ regexFindAll "(?m)^\\w+$" "one\ntwo\n" -1 }}|{{ regexFind "[^\\n]+" "x\ny" }}|{{ regexFind "<.*?>" "<a><b>" }}"#),
      c(#"{{ regexSplit "\\s*,\\s*" "a , b,c ,d" -1 }}|{{ regexSplit "," "a,b,c" 2 }}|{{ regexSplit "(,)" "a,b" -1 }}|{{ regexReplaceAll "(a)(b)?" "ac ab" "[$2|$1]" }}|{{ regexReplaceAllLiteral "\\." "1.2.3" "$1" }}|{{ regexQuoteMeta "a+b*c?(d)[e]{f}|g^h$i\\j" }}"#),
      c(#"{{ regexFind "(?s)a.b" "a\nb" }}|{{ regexFind "a.b" "a\nb" }}|{{ regexMatch "^[[:alpha:]]+$" "abc" }}|{{ regexMatch "^[[:^digit:]]+$" "abc" }}|{{ regexFind "\\d{2,3}" "12345" }}|{{ regexFind "x{2}y{0,1}" "xxy" }}|{{ regexFindAll "" "abc" -1 }}"#),
      c(#"{{ regexFind "(?=x)" "x" }}"#),
      c(#"{{ mustRegexFind "[a" "a" }}"#),
      c(#"{{ regexFind "(a)\\1" "aa" }}"#),
      c(#"{{ mustRegexMatch "(" "a" }}"#),
      c(#"{{ regexFind "a)" "a" }}"#),
      c(#"{{ mustRegexFind "*a" "a" }}"#),
      c(#"{{ regexFind "a**" "a" }}"#),
      c(#"{{ regexFind "a|*" "a" }}"#),
      c(#"{{ regexFind "(a*?)(b+?)" "aabb" }}|{{ regexFind "\*+" "a**" }}|{{ regexFind "(?:ab)+" "ababx" }}|{{ regexFind "x??" "xx" }}"#),
    ]),
    ("semver", [
      c(#"{{ semverCompare "1.2.3" "1.2.3" }}|{{ semverCompare "^1.2.0" "1.2.3" }}|{{ semverCompare "^1.2.0" "2.0.0" }}|{{ semverCompare "~1.2.0" "1.2.9" }}|{{ semverCompare ">= 1.2, < 3.0.0 || >= 4.2.3" "4.5.0" }}|{{ semverCompare "1.2 - 1.4.5" "1.3.0" }}"#),
      c(#"{{ semverCompare ">=1.21-0" "v1.25.3-gke.1000" }}|{{ semverCompare ">=1.21" "v1.25.3-gke.1000" }}|{{ semverCompare "<1.19-0" "1.18.0" }}|{{ semverCompare "1.x" "1.5.0" }}|{{ semverCompare "*" "0.0.1" }}"#),
      c(#"{{ $v := semver "1.2.3-alpha.1+123" }}{{ $v.Major }}|{{ $v.Minor }}|{{ $v.Patch }}|{{ $v.Prerelease }}|{{ $v.Metadata }}|{{ $v.Original }}|{{ $v }}|{{ typeOf $v }}|{{ semver "v1.2" }}"#),
      c(#"{{ semverCompare "!!" "1.0.0" }}"#),
      c(#"{{ semverCompare ">1" "x.y" }}"#),
      c(#"{{ semver "not.a.version" }}"#),
      c(#"{{ semverCompare ">=1.0.0 <2.0.0" "1.5.0" }}|{{ semverCompare "~1" "1.9.9" }}|{{ semverCompare "^0.2.3" "0.2.9" }}|{{ semverCompare "^0.2.3" "0.3.0" }}|{{ semverCompare "!=1.2.3" "1.2.3" }}|{{ semverCompare "=1.2.3" "v1.2.3" }}|{{ semverCompare "<=1.2" "1.2.9" }}"#),
      c(#"{{ (semver "1.2.3").Compare (semver "1.4.0") }}|{{ (semver "2.0.0").GreaterThan (semver "1.4.0") }}|{{ (semver "1.0.0").LessThan (semver "1.4.0") }}|{{ (semver "1.0.0").Equal (semver "v1.0") }}"#),
    ]),
    ("paths", [
      c(#"{{ base "foo/bar/baz" }}|{{ dir "/foo/bar/baz" }}|{{ clean "foo/bar/../baz" }}|{{ ext "foo.bar" }}|{{ isAbs "/foo" }}|{{ isAbs "foo" }}"#),
      c(#"{{ base "" }}|{{ base "///" }}|{{ base "a/b/" }}|{{ dir "" }}|{{ dir "a" }}|{{ dir "/a" }}|{{ dir "a/b/" }}|{{ clean "" }}|{{ clean "/../a//b/./c/" }}|{{ clean "../../a/.." }}|{{ ext "a.b/c" }}|{{ ext "x.tar.gz" }}"#),
      c(#"{{ osBase "a/b" }}|{{ osDir "a/b" }}|{{ osClean "a//b" }}|{{ osExt "a.txt" }}|{{ osIsAbs "/a" }}"#),
    ]),
    ("url", [
      c(#"{{ urlParse "http://admin:secret@server.com:8080/api?list=false#anchor" }}|{{ urlParse "mailto:me@example.com" }}|{{ urlParse "/a%20b?x=1" }}"#),
      c(#"{{ urlParse "https://example.com" }}|{{ urlParse "//host/p" }}|{{ urlParse "a/b?c#d" }}|{{ urlParse "http://[fe80::1%25en0]:8080/x" }}|{{ urlParse "HTTP://Host/%41" }}|{{ urlParse "http://u@h?q" }}"#),
      c(#"{{ urlParse "http://x/%zz" }}"#),
      c(#"{{ urlParse ":foo" }}"#),
      c(#"{{ urlJoin (dict "host" "h" "path" "p") }}|{{ urlJoin (dict "path" "/a b?c#d") }}|{{ urlJoin (dict "scheme" "http" "host" "h" "fragment" "a b#c") }}|{{ urlJoin (dict) }}|{{ urlJoin (dict "scheme" "s" "path" "x") }}"#),
      c(#"{{ urlJoin (dict "fragment" "fragment" "host" "host:80" "path" "/path" "query" "query" "scheme" "http") }}|{{ urlJoin (dict "scheme" "https" "host" "h" "path" "a b" "userinfo" "u:p") }}|{{ urlJoin (dict "scheme" "mailto" "opaque" "me@x") }}"#),
    ]),
    ("reflection", [
      c(#"{{ kindOf "hello" }}|{{ kindIs "int" 123 }}|{{ typeOf "hello" }}|{{ typeIs "string" "hello" }}|{{ typeIsLike "string" "hello" }}|{{ deepEqual (list 1 2 3) (list 1 2 3) }}|{{ deepEqual .m .em }}"#),
      c(#"{{ kindOf .nil }}|{{ kindOf .l }}|{{ kindOf .m }}|{{ kindOf .f }}|{{ kindOf (int64 1) }}|{{ kindOf (semver "1.0.0") }}|{{ typeOf .nil }}|{{ typeOf .l }}|{{ typeOf .m }}|{{ typeOf .n }}"#),
      c(#"{{ typeIsLike "semver.Version" (semver "1.0.0") }}|{{ typeIs "int" (int64 1) }}|{{ deepEqual 1 (int64 1) }}|{{ deepEqual .nil .missing }}|{{ deepEqual (list "a") (splitList "," "a") }}"#),
    ]),
    ("date", [
      c(#"{{ date "2006-01-02" 1514732645 }}|{{ dateInZone "2006-01-02 15:04 -07:00" 1514732645 "Asia/Tokyo" }}|{{ dateInZone "15:04 MST" 1514732645 "No/Such" }}|{{ htmlDate 0 }}|{{ htmlDateInZone 0 "UTC" }}"#),
      c(#"{{ date "Mon Jan _2 15:04:05 MST 2006" 1514732645 }}|{{ date "Monday, January 2, 2006 3:04PM" 1514732645 }}|{{ date "06-1-2 03:4:5 pm" 1514732645 }}|{{ date "2006-01-02T15:04:05Z07:00" 1514732645 }}|{{ date "002 __2 .000" 1514732645 }}"#),
      c(#"{{ duration "95" }}|{{ duration 95 }}|{{ duration (int64 3600) }}|{{ duration "abc" }}|{{ durationRound "2h10m5s" }}|{{ durationRound "510h10m5s" }}|{{ durationRound "800h" }}|{{ durationRound "9000h" }}|{{ durationRound 3000 }}|{{ durationRound (int64 3000000000) }}"#),
      c(#"{{ toDate "2006-01-02" "2017-12-31" }}|{{ toDate "2006-01-02" "bad" }}|{{ toDate "2006-01-02" "2017-12-31" | date "02/01/2006" }}|{{ unixEpoch (toDate "2006-01-02T15:04:05Z07:00" "2017-12-31T15:04:05+01:00") }}|{{ (toDate "2006-01-02" "2017-12-31").Year }}"#),
      c(#"{{ dateModify "-1.5h" (toDate "2006-01-02 15:04" "2017-12-31 15:04") | date "15:04" }}|{{ dateModify "bogus" (toDate "2006" "2017") | date "2006" }}|{{ date_modify "90m" (toDate "15:04" "10:00") | date "15:04" }}|{{ date_in_zone "2006" 0 "UTC" }}"#),
      c(#"{{ toDate "2006-01-02T15:04:05.000Z" "2017-12-31T01:02:03.456Z" | date "15:04:05.999 Z07:00" }}|{{ toDate "Jan 2, 2006 at 3:04pm (MST)" "Feb 3, 2013 at 7:54pm (PST)" | unixEpoch }}|{{ toDate "2006-01-02 15:04:05 -0700" "2017-06-30 23:59:59 -0700" | unixEpoch }}|{{ toDate "02 Jan 06 15:04 MST" "10 Nov 09 23:00 UTC" | unixEpoch }}"#),
      c(#"{{ toDate "2006-01-02" "2017-02-30" }}|{{ toDate "15:04" "25:00" }}|{{ toDate "Monday" "Mon" }}|{{ toDate "2006-01-02" "" }}|{{ toDate "" "" }}|{{ toDate "3PM" "13PM" }}|{{ toDate "2006" "0000" }}"#),
      c(#"{{ date "Jan January Mon Monday 1 01 2 02 _2 __2 002 15 3 03 4 04 5 05 06 2006 PM pm MST -0700 -07:00 -07 Z0700 Z07:00 .0 .00 .9 ,999" 1514732645 }}"#),
      c(#"{{ dateInZone "2006-01-02 15:04:05 MST" 1514732645 "America/New_York" }}|{{ dateInZone "Z07:00 -0700 MST" 1514732645 "Asia/Kolkata" }}|{{ dateInZone "15:04 MST" 1500000000 "Europe/Berlin" }}|{{ dateInZone "15:04 MST" 0 "Local" }}"#),
      c(#"{{ dateInZone "Z07 Z0700 Z07:00:00 -07 -070000 MST" 1514732645 "America/St_Johns" }}|{{ dateInZone "3:04:05 PM Mon" 1514760000 "Pacific/Kiritimati" }}|{{ date "2006-01-02" -62135596800 }}|{{ date "2006" (int64 253402300799) }}|{{ date ".000000 .999999 ,000" (toDate "15:04:05.999999999" "10:00:00.120300400") }}"#),
      c(#"{{ toDate "2006-01-02T15:04:05Z07:00" "2017-12-31T15:04:05-03:30" | date "15:04 -07:00" }}|{{ toDate "Mon Jan 2 2006" "Tue Jan 2 2018" | date "Monday" }}|{{ toDate "January 2006" "march 2018" }}|{{ toDate "2006-01-02 MST" "2017-12-31 CET" }}"#),
      c(#"{{ mustToDate "2006-01-02" "2017-13-01" }}"#),
      c(#"{{ mustToDate "2006-01-02 15:04" "2017-01-01" }}"#),
      c(#"{{ mustToDate "15:04" "1:00" }}"#),
      c(#"{{ mustToDate "2006-01-02" "17-12-31" }}"#),
      c(#"{{ mustDateModify "bogus" (toDate "2006" "2017") }}"#),
    ]),
    ("values from data", [
      c(#"{{ .n | quote }}|{{ .f | quote }}|{{ .b | quote }}|{{ .nil | quote }}|{{ .n | toString }}|{{ .f | int }}|{{ .n | float64 }}|{{ .n | add 1 | typeOf }}|{{ .n | int64 | typeOf }}"#),
      c(#"{{ .s | trunc .n }}|{{ .ls | join .s }}|{{ default .s .nil }}|{{ default .l .el | len }}|{{ .n | toJson }}|{{ .m | toJson }}|{{ ternary .s .n .b }}"#),
      c(#"{{ toString 1000000 }}|{{ toString 1e6 }}|{{ 1e6 | int }}|{{ toString 0.1 }}|{{ toString 1.5e-7 }}|{{ toJson 1e6 }}|{{ quote 1e6 }}|{{ cat 1e6 2 }}"#),
      c(#"{{ range $i, $e := until 3 }}{{ $i }}{{ $e }}{{ end }}|{{ range splitList "," "a,b" }}{{ . }}{{ end }}|{{ range $k, $v := dict "b" 1 "a" 2 }}{{ $k }}{{ $v }}{{ end }}"#),
      c(#"{{ $x := list 1 2 }}{{ $x = append $x 3 }}{{ $x }}|{{ len (list 1 2) }}|{{ index (list 1 2) 1 }}|{{ index (dict "a" 1) "a" }}|{{ printf "%s-%d" "a" 1 }}|{{ printf "%v" (list 1 "a") }}"#),
    ]),
    // Go gets every number of the data as a float64, as Helm reads values files; flowrel
    // keeps the integers. Templates written for Helm's floats must give Helm's output.
    ("Helm's float values", [
      h(#"{{ eq .n 42.0 }}|{{ ne .n 42.0 }}|{{ lt .n 42.5 }}|{{ le .n 42.0 }}|{{ gt .n 1.0 }}|{{ ge .n 42.0 }}|{{ eq .z 0.0 }}|{{ lt .neg 0.0 }}|{{ gt .neg -7.5 }}|{{ eq .n 42.5 1.0 42.0 }}"#),
      h(#"{{ if gt .replicas 1.0 }}many{{ else }}one{{ end }}|{{ if eq .replicas 1.0 }}single{{ end }}|{{ eq .f 1.5 }}|{{ lt .f 2.0 }}|{{ le .n 41.9 }}|{{ ge .neg -6.5 }}"#),
      h(#"{{ has 2.0 .nums }}|{{ has 2.5 .nums }}|{{ has 1.5 .l }}|{{ has 3.0 .l }}|{{ mustHas -7.0 (list .neg) }}|{{ without .nums 2.0 }}|{{ without .nums 2.0 3.0 }}|{{ mustWithout .l 3.0 }}"#),
      h(#"{{ uniq (append .nums 2.0) }}|{{ uniq (list .n 42.0 .n) }}|{{ deepEqual .nums (list 1.0 2.0 3.0) }}|{{ deepEqual .m (dict "k" "v" "n" 1.0 "inner" (dict "x" 1.0)) }}|{{ deepEqual .nums (list 1.0 2.0) }}"#),
      h(#"{{ toJson .nums }}|{{ toYaml .m }}|{{ .n }}|{{ index .nums 1 }}|{{ add .n 1 }}|{{ max .n 50 }}|{{ .nums }}|{{ toYaml .nums }}"#),
    ]),
    // What the reflection functions, printf's verbs and DeepEqual see of a number depends on
    // where it came from: a values file's are float64s, a --set integer an int64 (vault's chart
    // keeps the replicas only when one of the two).
    ("numbers by their source", [
      h(#"{{ kindOf .n }}|{{ typeOf .n }}|{{ kindIs "float64" .n }}|{{ kindIs "int64" .n }}|{{ typeIs "int" .n }}|{{ printf "%T" .n }}|{{ typeOf .nums }}|{{ kindOf (index .nums 0) }}|{{ typeOf .f }}|{{ typeIsLike "float64" .z }}"#),
      h(#"{{ printf "%.1f" .n }}|{{ printf "%v" .n }}|{{ printf "%g" .neg }}|{{ printf "%e" .replicas }}|{{ printf "%6.2f" .z }}|{{ printf "%x" .n }}|{{ printf "%s" .n }}|{{ printf "%T %T" .n (add .n 1) }}"#),
      h(#"{{ has 2 .nums }}|{{ has (int64 2) .nums }}|{{ has (float64 2) .nums }}|{{ without .nums 2 }}|{{ deepEqual .nums (list 1 2 3) }}|{{ uniq (list .n 42) }}|{{ deepEqual .n 42.0 }}"#),
      h(#"{{ if or (kindIs "int64" .replicas) (kindIs "float64" .replicas) }}{{ .replicas }}{{ else }}3{{ end }}|{{ .replicas | int | typeOf }}|{{ .replicas | int64 | typeOf }}|{{ typeOf (mul .replicas 2) }}|{{ typeOf (fromJson "{\"a\": 1}").a }}|{{ (fromJson "{\"a\": 1}").a | kindOf }}"#),
      s(#"{{ kindOf .n }}|{{ typeOf .n }}|{{ kindIs "int64" .n }}|{{ printf "%T %v %d" .n .n .n }}|{{ has 42 (list .n) }}|{{ has (int64 42) (list .n) }}|{{ eq .n 42 }}|{{ typeOf .nums }}|{{ kindOf .f }}"#),
      s(#"{{ if or (kindIs "int64" .replicas) (kindIs "float64" .replicas) }}{{ .replicas }}{{ else }}3{{ end }}|{{ add .replicas 1 }}|{{ .replicas | toString }}|{{ toJson .nums }}|{{ deepEqual .nums (list 1 2 3) }}|{{ printf "%.1f" .f }}"#),
    ]),
    ("Helm's chartutil.Values", [
      v(#"{{ typeOf .Values }}|{{ kindOf .Values }}|{{ typeOf .Values.a }}|{{ kindIs "map" .Values }}|{{ typeIs "chartutil.Values" .Values }}|{{ printf "%T" .Values }}|{{ typeOf .Subcharts }}|{{ typeOf .Subcharts.sub.Values }}|{{ .Subcharts.sub.Values.port }}|{{ typeOf (get .Subcharts "sub") }}"#),
      v(#"{{ typeOf (deepCopy .Values) }}|{{ typeOf (deepCopy .Values.a) }}|{{ typeOf (merge (dict) .Values) }}|{{ typeOf (merge .Values (dict)) }}|{{ typeOf (set .Values "c" 2) }}|{{ .Values.c }}|{{ typeOf (pick .Values "a") }}|{{ typeOf (default 1 .Values) }}|{{ typeOf (first (list .Values)) }}|{{ typeOf .Values.AsMap }}|{{ typeOf (ternary .Values 1 true) }}|{{ typeOf (coalesce .Values) }}"#),
      v(#"{{ .Values }}|{{ printf "%v" .Values }}|{{ toJson .Values }}|{{ toYaml .Values }}|{{ len .Values }}|{{ empty .Values }}|{{ hasKey .Values "a" }}|{{ keys .Values | sortAlpha }}|{{ range $k, $v := .Values }}{{ $k }}={{ $v }};{{ end }}|{{ index .Values "s" }}|{{ with .Values.a }}{{ typeOf . }}{{ end }}|{{ .Values.missing }}|{{ dict "v" .Values }}"#),
      v(#"{{ $c := deepCopy .Values }}{{ $_ := set $c "s" "y" }}{{ .Values.s }} {{ $c.s }}|{{ deepEqual .Values (deepCopy .Values) }}|{{ deepEqual .Values .Values.AsMap }}|{{ $_ := unset .Values "s" }}{{ hasKey .Values "s" }}|{{ dig "a" "b" 0 .Values.AsMap }}|{{ toJson (list .Values) }}"#),
      v(#"{{ dig "a" "b" 0 .Values }}"#),
    ]),
    ("flow control and Helm's removals", [
      c(#"{{ fail "Please accept the license" }}"#),
      c(#"{{ env "HOME" }}"#),
      c(#"{{ expandenv "$HOME" }}"#),
      c(#"{{ hello }}"#),
    ]),
  ]

  @Test(arguments: pages.map(\.0)) func matchesSprig(_ page: String) throws {
    let cases = Self.pages.first { $0.0 == page }?.1 ?? []
    let reference: [SprigOutcome]
    switch SprigReference.outcomes(cases) {
    case .failure(let error):
      Issue.record("no reference outcomes: \(error)")
      return
    case .success(let outcomes): reference = outcomes
    }
    // Every case needs Sprig's outcome: a missing one would otherwise drop cases unseen.
    try #require(reference.count == cases.count, "Sprig gave \(reference.count) outcomes for \(cases.count) cases")
    for (testCase, expected) in zip(cases, reference) {
      let actual = SprigReference.flowrel(testCase)
      if expected.error.isEmpty {
        #expect(actual == expected, "\(testCase.template)")
      } else if testCase.argumentError {
        #expect(actual.errorDetail == expected.errorDetail, "\(testCase.template)")
      } else {
        #expect(actual.error == expected.error, "\(testCase.template)")
      }
    }
  }
}
