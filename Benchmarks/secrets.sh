#!/bin/bash
# The secrets benchmark (release build): a release of one chart whose Secret holds 50 entries,
# made from 50 secret values, installed with `flowrel install --no-apply` into a fresh store
# and then upgraded with all 50 values changed: every value is encrypted, in `values.yaml` and
# in the Secret's manifest. This build writes SOPS files to an age recipient; BASELINE is a
# flowrel that writes the old format (`flowrel:aes256gcm:v1:` strings under one key file;
# b64af47, the last build before SOPS). The same chart with the entries in a ConfigMap (nothing
# secret, nothing encrypted) is timed with this build too, so the cost of encryption shows.
# Results go in BENCHMARKS.md ("Secrets").
#
#   BASELINE=/path/to/old/flowrel Benchmarks/secrets.sh [RUNS]      (default 15 runs)
#   FLOWREL=/path/to/new/flowrel BASELINE=... Benchmarks/secrets.sh   (a release binary built already)
#
# Runs alternate between the binaries, so all see the same machine load.
set -eu
cd "$(dirname "$0")/.."
runs=${1:-15}
: "${BASELINE:?set BASELINE to a flowrel of the old secret format (built from b64af47)}"
if [ -n "${FLOWREL:-}" ]; then
  flowrel=$FLOWREL
else
  swift build -c release --product flowrel >/dev/null
  flowrel=$(swift build -c release --show-bin-path)/flowrel
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
unset FLOWREL_STORE FLOWREL_AGE_RECIPIENTS SOPS_AGE_KEY SOPS_AGE_KEY_FILE SOPS_AGE_KEY_CMD
export XDG_CONFIG_HOME="$work/config"

# Charts: the 50 values into a Secret's stringData, or into a ConfigMap's data.
for kind in Secret ConfigMap; do
  mkdir -p "$work/$kind/templates"
  printf 'apiVersion: v2\nname: bench-%s\nversion: 1.0.0\n' "$(echo "$kind" | tr A-Z a-z)" >"$work/$kind/Chart.yaml"
  field=$([ "$kind" = Secret ] && echo stringData || echo data)
  printf 'apiVersion: v1\nkind: %s\nmetadata: {name: bench}\n%s:\n{{- range $k, $v := .Values.secrets }}\n  {{ $k }}: {{ $v | quote }}\n{{- end }}\n' \
    "$kind" "$field" >"$work/$kind/templates/object.yaml"
done
for round in 1 2; do
  {
    echo "secrets:"
    for i in $(seq -w 1 50); do echo "  key$i: \"round$round-value-$i-$(printf '%040d' "$((10#$i))")\""; done
  } >"$work/values$round.yaml"
done
recipient=$("$flowrel" secrets keygen -o "$work/age.key")
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/old.key"

# Microseconds `$@` takes (output discarded), from bash's clock.
time_run() {
  start=${EPOCHREALTIME/[.,]/}
  "$@" >/dev/null 2>&1
  end=${EPOCHREALTIME/[.,]/}
  echo $((end - start))
}

# One install and one upgrade of binary $1 with chart $2 into a fresh repository, key flags after;
# the times are appended to $work/<label>.install and .upgrade.
measure() {
  label=$1 binary=$2 chart=$3
  shift 3
  repo="$work/repo-$label"
  rm -rf "$repo" && git init -q "$repo"
  for verb in install upgrade; do
    values="$work/values1.yaml"
    [ "$verb" = upgrade ] && values="$work/values2.yaml"
    time_run "$binary" "$verb" bench "$chart" -f "$values" --no-apply -n bench --store "$repo/releases" "$@" \
      >>"$work/$label.$verb"
  done
  # The run must have stored what it was asked to (checked outside the timed part).
  git -C "$repo" log --oneline | grep -q "revision 2" || { echo "$label: the upgrade was not recorded" >&2; exit 1; }
}

# "median min" of the microsecond times in file $1, in milliseconds.
summary() {
  sort -n "$1" | awk '{ t[NR] = $1 } END { printf "%.1f %.1f\n", t[int((NR + 1) / 2)] / 1000, t[1] / 1000 }'
}

i=0
while [ "$i" -lt "$runs" ]; do
  measure sops "$flowrel" "$work/Secret" --age "$recipient"
  measure old "$BASELINE" "$work/Secret" --secret-key-file "$work/old.key"
  measure plain "$flowrel" "$work/ConfigMap"
  i=$((i + 1))
done

# What each format stored for one value, to show the run wrote the format it claims.
grep -q 'ENC\[AES256_GCM' "$work/repo-sops/releases/bench/bench/values.yaml"
grep -q 'flowrel:aes256gcm:v1:' "$work/repo-old/releases/bench/bench/values.yaml"

for verb in install upgrade; do
  set -- $(summary "$work/sops.$verb")
  sops_median=$1 sops_min=$2
  set -- $(summary "$work/old.$verb")
  old_median=$1 old_min=$2
  set -- $(summary "$work/plain.$verb")
  awk -v verb="$verb" -v sm="$sops_median" -v sn="$sops_min" -v om="$old_median" -v on="$old_min" -v pm="$1" -v pn="$2" \
    -v runs="$runs" 'BEGIN {
      printf "%s, 50 secret values, %d runs: SOPS+age median %.1f ms (min %.1f); old format (baseline) %.1f ms (min %.1f); ratio %.2f; nothing secret %.1f ms (min %.1f)\n",
        verb, runs, sm, sn, om, on, sm / om, pm, pn
    }'
done
