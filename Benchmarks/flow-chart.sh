#!/bin/sh
# The flow chart benchmark (release build): a Flow of 50 Executors x 4 shards x 2 replicas
# and one of 200 Executors x 1 shard, rendered in process (FlowChartBenchmark) and as whole
# `flowrel template` processes. Results go in BENCHMARKS.md ("Flow chart").
#
#   Benchmarks/flow-chart.sh [RUNS]      (default 20 whole-process runs per Flow)
set -eu
cd "$(dirname "$0")/.."
runs=${1:-20}
# flowrel is built as it ships: with the Swift runtime linked in (--static-swift-stdlib), so
# the binary runs anywhere alone and starts without resolving Swift's shared libraries, and
# linked by lld with packed relative relocations, which the loader applies faster at start-up.
release_flags="-c release --static-swift-stdlib --scratch-path .build-static -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs"
swift build $release_flags --product flowrel >/dev/null
swift build -c release --product FlowChartBenchmark >/dev/null
bin=$(swift build -c release --show-bin-path)
flowrel=$(swift build $release_flags --show-bin-path)/flowrel
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin/FlowChartBenchmark" --write-values "$work"

for flow in 50x4x2 200x1; do
  values="$work/flow-$flow.yaml"
  "$flowrel" template bench -f "$values" -n bench >"$work/out.yaml"
  objects=$(grep -c '^kind:' "$work/out.yaml")
  : >"$work/times"
  i=0
  while [ "$i" -lt "$runs" ]; do
    start=$(date +%s%N)
    "$flowrel" template bench -f "$values" -n bench >/dev/null
    end=$(date +%s%N)
    echo $(((end - start) / 1000)) >>"$work/times"
    i=$((i + 1))
  done
  sort -n "$work/times" | awk -v flow="$flow" -v objects="$objects" -v runs="$runs" '
    { t[NR] = $1 }
    END { printf "%s: %d objects, whole process (flowrel template) median %.1f ms, min %.1f ms over %d runs\n",
          flow, objects, t[int((NR + 1) / 2)] / 1000, t[1] / 1000, runs }'
done
