#!/usr/bin/env bash
# Template engine benchmark: parse + execute a chart-like template set (define, template,
# range, if, with, printf; no Sprig) that renders ~2,000 manifest documents, with GoTemplate
# (release build) and with Go's own text/template on the same files and values.
#
#   bash Benchmarks/template.sh [RUNS] [ROUNDS]
#
# Each round runs GoTemplate and then Go RUNS times each (median per round), so that both see
# the same load on a shared machine; the last lines give the median over the rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-9}"
rounds="${2:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp Benchmarks/template/*.tpl "$work/"

# 520 executors, each a Deployment, Service and ServiceAccount, with a ConfigMap on every
# second and an autoscaler on every third: 1,993 documents.
{
  printf '{"executors":['
  for i in $(seq 0 519); do
    [ "$i" -gt 0 ] && printf ','
    printf '{"name":"executor-%d","release":"search","namespace":"jina","replicas":%d,' "$i" $((i % 5 + 1))
    printf '"image":{"repository":"jinahub/executor-%d","tag":"v1.%d.0"%s},' "$i" $((i % 7)) \
      "$( [ $((i % 2)) -eq 0 ] && printf ',"pullPolicy":"Always"' )"
    printf '"args":["executor","--uses","config-%d.yml","--port","%d"],' "$i" $((8080 + i))
    printf '"port":%d,"external":%s,' $((8080 + i)) "$( [ $((i % 10)) -eq 0 ] && echo true || echo false )"
    printf '"env":{"JINA_LOG_LEVEL":"INFO","SHARDS":%d,"RATIO":%s},' $((i % 4 + 1)) "0.$((i % 9 + 1))"
    printf '"labels":{"team":"search","tier":"t%d"},' $((i % 3))
    printf '"rollout":{"maxSurge":1,"maxUnavailable":0},'
    if [ $((i % 4)) -ne 3 ]; then
      printf '"resources":{"requests":{"cpu":"%dm","memory":"%dMi"},"limits":{"cpu":"1","memory":"1Gi"}},' $((100 + i % 5 * 100)) $((256 + i % 3 * 128))
    fi
    if [ $((i % 2)) -eq 0 ]; then
      printf '"config":{"workspace":"/data/%d","batch":%d,"threshold":%s},' "$i" $((i % 32 + 1)) "1.5e+0$((i % 7))"
    fi
    if [ $((i % 3)) -eq 0 ]; then printf '"autoscaling":{"min":1,"max":%d,"cpu":80},' $((i % 5 + 2)); fi
    if [ $((i % 5)) -eq 0 ]; then printf '"secretRef":"executor-%d-secrets",' "$i"; fi
    printf '"index":%d}' "$i"
  done
  printf ']}\n'
} > "$work/values.json"

swift build -c release --product TemplateBenchmark >/dev/null
go build -o "$work/goreference" Tests/GoReference/main.go

swift_wall=(); swift_cpu=(); go_wall=(); go_cpu=()
wall() { echo "$1" | sed 's/.*, \([0-9.]*\) us\/document, cpu.*/\1/'; }
cpu() { echo "$1" | sed 's/.*cpu \([0-9.]*\) us\/document/\1/'; }
for round in $(seq 1 "$rounds"); do
  line="$(.build/release/TemplateBenchmark "$work" "$runs" "$work/swift.out")"
  echo "round $round: $line"
  swift_wall+=("$(wall "$line")"); swift_cpu+=("$(cpu "$line")")
  line="$("$work/goreference" -bench "$work" -runs "$runs" -out "$work/go.out")"
  echo "round $round: $line"
  go_wall+=("$(wall "$line")"); go_cpu+=("$(cpu "$line")")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
report() {
  local s g
  s="$(median "${@:2:$rounds}")"
  g="$(median "${@:$((rounds + 2))}")"
  awk -v what="$1" -v s="$s" -v g="$g" \
    'BEGIN { printf "%-5s GoTemplate %6.2f us/document, Go %6.2f us/document, Go / GoTemplate %.2fx\n", what, s, g, g / s }'
}
echo "medians of $rounds rounds of $runs runs:"
report wall "${swift_wall[@]}" "${go_wall[@]}"
report cpu "${swift_cpu[@]}" "${go_cpu[@]}"
if cmp -s "$work/swift.out" "$work/go.out"; then
  echo "outputs identical ($(wc -c < "$work/go.out") bytes)"
else
  echo "outputs differ:" >&2
  diff "$work/go.out" "$work/swift.out" | head -20 >&2
  exit 1
fi
