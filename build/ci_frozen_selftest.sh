#!/usr/bin/env bash
# Build the one-folder app with PyInstaller and run its self-test in a clean environment.
#
#   bash build/ci_frozen_selftest.sh [build_app.py ARGS...]
#
# .ci/run calls it with --without-training after the test suite. It uses the environment
# that build/dev.sh set up, and rebuilds the app into build/work/ci-dist (not committed)
# on every run.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${BANKCODE_VENV:-.venv}
dist=build/work/ci-dist

nice -n 10 "$venv/bin/python" build/build_app.py --dist "$dist" "$@"
BANKCODE_FROZEN_DIR="$dist/bankcode" QT_QPA_PLATFORM=offscreen \
    "$venv/bin/python" -m pytest -q -m frozen tests/test_selftest.py
