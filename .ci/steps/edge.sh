#!/usr/bin/env bash
# EDGE rules: recall and false positives on the labelled fixtures, side by side with ruff.
# Fails when recall drops below 95% or any fixture look-alike is reported.
set -euo pipefail
cd "$(dirname "$0")/../.."
python -m pip install -q -e . "ruff==0.17.6"
python benchmarks/edge_bench.py --fixtures-only --check
