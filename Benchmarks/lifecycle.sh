#!/usr/bin/env bash
# Install and upgrade of the 50x4x2 Flow against the Kubernetes API test server, split into
# render, store and kubectl time (release build). RUNS=N sets the number of runs (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product LifecycleBenchmark >/dev/null
"$(swift build -c release --show-bin-path)/LifecycleBenchmark"
