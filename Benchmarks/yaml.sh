#!/usr/bin/env bash
# YAML benchmark: FlowrelYAML (release build) against PyYAML's libyaml-based C loader and
# dumper, on the same deterministic ~1 MB Kubernetes manifest stream. Prints a table of
# median MB/s over RUNS runs (default 7). Usage: bash Benchmarks/yaml.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-7}"

swift build -c release --product YAMLBenchmark >&2
BIN="$(swift build -c release --show-bin-path)/YAMLBenchmark"
DATA="$(mktemp /tmp/flowrel-yaml-bench.XXXXXX)"
trap 'rm -f "$DATA"' EXIT

"$BIN" generate "$DATA" 1
FLOWREL="$("$BIN" run "$DATA" "$RUNS")"

PYYAML="$(python3 - "$DATA" "$RUNS" <<'PY'
import statistics, sys, time
import yaml
if not yaml.__with_libyaml__:
    sys.exit("PyYAML is installed without libyaml: CSafeLoader/CSafeDumper are missing")
path, runs = sys.argv[1], int(sys.argv[2])
with open(path, encoding="utf-8") as f:
    text = f.read()
size = len(text.encode("utf-8")) / 1e6
parse, emit = [], []
for _ in range(runs):
    start = time.perf_counter()
    docs = list(yaml.load_all(text, Loader=yaml.CSafeLoader))
    parse.append(size / (time.perf_counter() - start))
for _ in range(runs):
    start = time.perf_counter()
    out = yaml.dump_all(docs, Dumper=yaml.CSafeDumper, sort_keys=False, explicit_start=True, allow_unicode=True)
    emit.append(len(out.encode("utf-8")) / 1e6 / (time.perf_counter() - start))
print(f"documents {len(docs)}")
print(f"version {yaml.__version__}")
print(f"parse {statistics.median(parse):.1f}")
print(f"emit {statistics.median(emit):.1f}")
PY
)"

field() { awk -v k="$1" '$1 == k { print $2 }' <<<"$2"; }
echo "input: $(field bytes "$FLOWREL") bytes, $(field documents "$FLOWREL") documents (PyYAML read $(field documents "$PYYAML")); median of $RUNS runs"
echo
echo "| implementation | parse MB/s | emit MB/s |"
echo "| --- | ---: | ---: |"
echo "| FlowrelYAML (parseDocuments with positions / emit) | $(field parse "$FLOWREL") | $(field emit "$FLOWREL") |"
echo "| PyYAML $(field version "$PYYAML") CSafeLoader / CSafeDumper | $(field parse "$PYYAML") | $(field emit "$PYYAML") |"
