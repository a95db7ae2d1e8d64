#!/usr/bin/env bash
# The release store as a user runs it (issue 19): whole `flowrel` processes of the release
# build on the 50x4x2 Flow (753 objects), each against a baseline timed in the same run, so
# only ratios need compare across machines. Results go in BENCHMARKS.md ("Store (issue 19)").
#
#   bash Benchmarks/store.sh                 HISTORY=10000 revisions, RELEASES=1000, SAMPLES=10
#   HISTORY=200 RELEASES=50 SAMPLES=3 bash Benchmarks/store.sh     a quick check
#
# What is timed (medians of SAMPLES; times from bash's clock, in ms):
# - record: `upgrade --no-apply` (one value changed) minus `template` of the same values,
#   against `git add -A && git commit` of the files that upgrade changed, in a clone of the
#   store's repository; at ~20, HISTORY/2 and HISTORY revisions (the history in between is made
#   by StoreBenchmark through `git fast-import`);
# - first record: `install --no-apply` minus `template`, against `git add -A && git commit` of
#   the 753 files it wrote, each into a new repository;
# - reads at HISTORY: `history` (all), `get all` of the newest and of revision 1, `diff
#   revision` of the last two and of 1 and the last; the first read after the history was made
#   (which builds the cache) is shown apart;
# - `list -A --max 0` with RELEASES releases in one store against one release (small Flows),
#   and `install --no-apply` of a new small release into each store;
# - store growth per one-value revision (its objects packed as `git gc` packs them); peak
#   resident memory (/usr/bin/time -v)
#   of `upgrade --no-apply` at HISTORY, `template` and `--help`.
set -euo pipefail
cd "$(dirname "$0")/.."
HISTORY="${HISTORY:-10000}"
RELEASES="${RELEASES:-1000}"
SAMPLES="${SAMPLES:-10}"

# Built as flowrel ships (Benchmarks/flow-chart.sh says why each flag).
release_flags="-c release --static-swift-stdlib --scratch-path .build-static -Xswiftc -cross-module-optimization -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs"
for product in flowrel FlowChartBenchmark StoreBenchmark; do swift build $release_flags --product $product >/dev/null; done
bin=$(swift build $release_flags --show-bin-path)
flowrel=$bin/flowrel
work=$(mktemp -d /tmp/flowrel-store-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$bin/FlowChartBenchmark" --write-values "$work" --iterations 1 >/dev/null
values=$work/flow-50x4x2.yaml
printf 'jtype: Flow\nexecutors:\n  - name: small\n    uses: docker://registry.example.com/small:1.0\n' >"$work/small.yaml"
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@localhost GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@localhost
started=$(date +%s)
echo "machine: $(nproc) CPUs, load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"

# Microseconds one run of the command takes (output and notices discarded).
clock() {
  local start=${EPOCHREALTIME/[.,]/}
  "$@" >/dev/null 2>&1
  local end=${EPOCHREALTIME/[.,]/}
  echo $((end - start))
}
# The median of the microsecond times in file $1, in ms.
median() { sort -n "$1" | awk '{ t[NR] = $1 } END { printf "%.1f", t[int((NR + 1) / 2)] / 1000 }'; }
row() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
new_repo() { git init -q -b main "$1"; }

# The one value each upgrade changes: an environment variable of the first Executor (it lands
# in values.yaml and the ConfigMaps of that Executor's four shards and head).
setting() { echo "executors[0].env.BENCH=value-$1"; }

# Commits the files HEAD changed in store repository $1 into the clone $2 with plain git; prints
# the microseconds of `git add -A && git commit`.
git_same_change() {
  local changed
  changed=$(git -C "$1" diff-tree --no-commit-id --name-only -r HEAD)
  for file in $changed; do
    if [ -e "$1/$file" ]; then mkdir -p "$(dirname "$2/$file")" && cp "$1/$file" "$2/$file"; else rm -f "$2/$file"; fi
  done
  local start=${EPOCHREALTIME/[.,]/}
  git -C "$2" add -A && git -C "$2" commit -q -m "same change"
  local end=${EPOCHREALTIME/[.,]/}
  echo $((end - start))
}

echo
echo "| measurement | flowrel | baseline | ratio (goal) |"
echo "| --- | ---: | ---: | ---: |"

# First record: install into a new repository, against git committing the same 753 files.
: >"$work/install"; : >"$work/template"; : >"$work/git"
for i in $(seq "$SAMPLES"); do
  new_repo "$work/first-$i"
  clock "$flowrel" install bench -f "$values" -n bench --no-apply --store "$work/first-$i/releases" >>"$work/install"
  clock "$flowrel" template bench -f "$values" -n bench >>"$work/template"
  new_repo "$work/first-git-$i"
  cp -r "$work/first-$i/releases" "$work/first-git-$i/"
  start=${EPOCHREALTIME/[.,]/}
  git -C "$work/first-git-$i" add -A && git -C "$work/first-git-$i" commit -q -m install
  end=${EPOCHREALTIME/[.,]/}
  echo $((end - start)) >>"$work/git"
  [ "$i" = 1 ] || rm -rf "$work/first-$i" "$work/first-git-$i"
done
files=$(git -C "$work/first-1" ls-files releases | wc -l)
first_store=$(awk -v a="$(median "$work/install")" -v b="$(median "$work/template")" 'BEGIN { printf "%.1f", a - b }')
row "first record ($files new files): install --no-apply $(median "$work/install") - template $(median "$work/template")" \
  "$first_store ms" "git add -A && commit: $(median "$work/git") ms" "$(ratio "$first_store" "$(median "$work/git")") (≤ 1)"

# The store the rest works on, and a clone of it for git's own commits.
store_repo=$work/first-1
git clone -q "$store_repo" "$work/plain"
revision=1
record_at() {
  : >"$work/upgrade"; : >"$work/template"; : >"$work/git"
  for _ in $(seq "$SAMPLES"); do
    revision=$((revision + 1))
    clock "$flowrel" upgrade bench -f "$values" --set "$(setting $revision)" -n bench --no-apply --store "$store_repo/releases" >>"$work/upgrade"
    clock "$flowrel" template bench -f "$values" --set "$(setting $revision)" -n bench >>"$work/template"
    git_same_change "$store_repo" "$work/plain" >>"$work/git"
  done
  local store
  store=$(awk -v a="$(median "$work/upgrade")" -v b="$(median "$work/template")" 'BEGIN { printf "%.1f", a - b }')
  row "record at $revision revisions: upgrade --no-apply $(median "$work/upgrade") - template $(median "$work/template")" \
    "$store ms" "git add -A && commit: $(median "$work/git") ms" "$(ratio "$store" "$(median "$work/git")") (≤ 0.5)"
}
extend_to() {
  "$bin/StoreBenchmark" extend "$store_repo" releases/bench/bench $(($1 - revision))
  revision=$1
}
record_at
changed_files=$(git -C "$store_repo" diff-tree --no-commit-id --name-only -r HEAD | wc -l)
extend_to $((HISTORY / 2 - SAMPLES))
record_at
extend_to $((HISTORY - SAMPLES))
record_at
# What the last SAMPLES revisions add to a packed repository: their objects as git packs them,
# deltas against the objects before them (as `git gc` and a push store them).
growth=$(printf 'HEAD\n^HEAD~%d\n' "$SAMPLES" | git -C "$store_repo" pack-objects --revs --thin --stdout -q | wc -c)
git -C "$store_repo" gc -q
packed_kb=$(git -C "$store_repo" count-objects -v | awk '$1 == "size-pack:" { print $2 }')

# Reads at HISTORY revisions: the first read builds the cache.
rm -rf "$store_repo/.git/flowrel/history-"*
read_first=$(clock "$flowrel" history bench -n bench --store "$store_repo/releases")
reads() {
  : >"$work/read"
  for _ in $(seq "$SAMPLES"); do clock "$flowrel" "$@" -n bench --store "$store_repo/releases" >>"$work/read"; done
  median "$work/read"
}
newest=$(reads get all bench)
history_all=$(reads history bench)
row "history, all $revision revisions (first read, building the cache: $((read_first / 1000)) ms)" "$history_all ms" \
  "get all (newest): $newest ms" "$(ratio "$history_all" "$newest") (≤ 2)"
oldest=$(reads get all bench --revision 1)
row "get all --revision 1 at $revision revisions" "$oldest ms" "get all (newest): $newest ms" "$(ratio "$oldest" "$newest") (≈ 1)"
diff_last=$(reads diff revision bench)
diff_first=$(reads diff revision bench 1 $revision)
row "diff revision 1 $revision" "$diff_first ms" "diff of the last two: $diff_last ms" "$(ratio "$diff_first" "$diff_last") (≈ 1)"
row "store growth per one-value revision, packed (changes $changed_files files; all $revision revisions after git gc: $((packed_kb / 1024)) MiB)" \
  "$((growth / SAMPLES)) bytes" "" "(≤ 2048)"

# list -A and install with RELEASES releases in one store against one release.
list_repo=$work/list
new_repo "$list_repo"
"$flowrel" install small -f "$work/small.yaml" -n bench --no-apply --store "$list_repo/releases" >/dev/null 2>&1
empty_repo=$work/empty
: >"$work/list-one"
for _ in $(seq "$SAMPLES"); do clock "$flowrel" list -A --max 0 --store "$list_repo/releases" >>"$work/list-one"; done
"$bin/StoreBenchmark" releases "$list_repo" releases/bench/small $((RELEASES - 1))
list_first=$(clock "$flowrel" list -A --max 0 --store "$list_repo/releases")
: >"$work/list-many"
for _ in $(seq "$SAMPLES"); do clock "$flowrel" list -A --max 0 --store "$list_repo/releases" >>"$work/list-many"; done
row "list -A over $RELEASES releases (first read, building the cache: $((list_first / 1000)) ms)" "$(median "$work/list-many") ms" \
  "over 1 release: $(median "$work/list-one") ms" "$(ratio "$(median "$work/list-many")" "$(median "$work/list-one")") (≤ 2)"
: >"$work/install-many"; : >"$work/install-empty"
for i in $(seq "$SAMPLES"); do
  clock "$flowrel" install "new-$i" -f "$work/small.yaml" -n bench --no-apply --store "$list_repo/releases" >>"$work/install-many"
  rm -rf "$empty_repo" && new_repo "$empty_repo"
  clock "$flowrel" install "new-$i" -f "$work/small.yaml" -n bench --no-apply --store "$empty_repo/releases" >>"$work/install-empty"
done
row "install --no-apply of a small release into a store of $RELEASES releases" "$(median "$work/install-many") ms" \
  "into an empty store: $(median "$work/install-empty") ms" "$(ratio "$(median "$work/install-many")" "$(median "$work/install-empty")") (≤ 1)"

# Peak resident memory (KiB).
peak() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'; }
revision=$((revision + 1))
record_kb=$(peak "$flowrel" upgrade bench -f "$values" --set "$(setting $revision)" -n bench --no-apply --store "$store_repo/releases")
template_kb=$(peak "$flowrel" template bench -f "$values" -n bench)
help_kb=$(peak "$flowrel" --help)
row "peak resident memory: upgrade --no-apply (record) at $revision revisions" "$((record_kb / 1024)) MiB" "" "(< 64 MiB)"
row "peak resident memory: template of the 50x4x2 Flow" "$((template_kb / 1024)) MiB" "flowrel --help: $((help_kb / 1024)) MiB" ""

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); whole run $(($(date +%s) - started)) s"
