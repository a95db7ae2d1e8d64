#!/usr/bin/env bash
# Peak memory of `flowrel template` against the size of what it prints (issue 18: 1 GB of
# output, with a raised --max-output, should not need much more than twice that).
#
#   bash Benchmarks/memory.sh [MB...]        (default: 100 500 1000)
#
# Release build. The chart is one template writing ConfigMaps of 100 keys of 1 KiB each
# (about 100 KiB an object, below Kubernetes' 1 MiB per object), as many as the size asks;
# each run is timed with /usr/bin/time -v, and the peak resident set is set against the bytes
# printed. `flowrel --help` is the baseline: what the process needs before it renders anything.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 500 1000)
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)" >&2; exit 2; }
swift build -c release --product flowrel >/dev/null
flowrel=.build/release/flowrel
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/chart/templates"
printf 'apiVersion: v2\nname: blobs\nversion: 1.0.0\n' >"$work/chart/Chart.yaml"
printf 'count: 1\n' >"$work/chart/values.yaml"
cat >"$work/chart/templates/blobs.yaml" <<'TEMPLATE'
{{- $line := repeat 1024 "x" }}
{{- range $i := until (int .Values.count) }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: blob-{{ $i }}
data:
{{- range $k := until 100 }}
  key-{{ $k }}: {{ $line }}
{{- end }}
{{- end }}
TEMPLATE

# Runs the command, its output to a file; prints "peak-KiB seconds output-bytes".
measure() {
  /usr/bin/time -v "$@" >"$work/out" 2>"$work/time"
  local peak seconds
  peak=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time")
  seconds=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time")
  echo "$peak $seconds $(stat -c %s "$work/out")"
  rm -f "$work/out"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
read -r peak seconds _ <<<"$(measure "$flowrel" --help)"
printf '%-22s %12s %12s %8s %10s\n' run output peak-RSS ratio time
printf '%-22s %12s %9d MB %8s %10s\n' "flowrel --help" - $((peak * 1024 / 1000000)) - "$seconds"
for mb in "${sizes[@]}"; do
  # 100 keys of "  key-N: " and 1,024 x's: 103,390 bytes an object with its header lines.
  count=$((mb * 1000000 / 103390))
  limit=$((mb * 2 + 100))
  read -r peak seconds bytes <<<"$(measure "$flowrel" template blobs "$work/chart" --set count=$count --max-output $limit)"
  ratio=$(awk -v p="$peak" -v b="$bytes" 'BEGIN { printf "%.2f", p * 1024 / b }')
  printf '%-22s %9d MB %9d MB %8s %10s\n' "template ($count objects)" $((bytes / 1000000)) $((peak * 1024 / 1000000)) "$ratio" "$seconds"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
