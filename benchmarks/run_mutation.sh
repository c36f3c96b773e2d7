#!/usr/bin/env bash
# Mutation testing of the engine and the import/dependency rules with mutmut (pinned 3.8.1).
# mutmut skips decorated functions (every @REGISTRY.checker): benchmarks/ast_mutation.py covers those.
# Not a CI step: it takes long.  Bounded by a subset of files, all cores, and a time limit.
#
#   benchmarks/run_mutation.sh [SECONDS] [FILE...]      (default 3600 s and the six files below)
#
# Works on a copy (${VETPY_MUTATION_DIR:-/tmp/vetpy-mutation}; outside the repository, so that
# `vetpy check benchmarks` never walks the mutants) laid out as src/vetpy so that mutmut's mutants
# shadow the installed package; only in-process tests can kill mutants (the CLI tests start
# `python -m vetpy` from the editable install, which mutmut cannot mutate).  Partial runs keep
# their results: run again to continue.  Prints the score table (benchmarks/mutation.md).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PYTHON:-$REPO/.venv/bin/python}"
LIMIT="${1:-3600}"
shift || true
FILES=("$@")
if [ ${#FILES[@]} -eq 0 ]; then
  FILES=(engine.py document.py findings.py config.py rules/imports.py rules/dependencies.py)
fi
"$PY" -m pip install -q "mutmut==3.8.1" >/dev/null

WORK="${VETPY_MUTATION_DIR:-${TMPDIR:-/tmp}/vetpy-mutation}"
mkdir -p "$WORK"
rm -rf "$WORK/src" "$WORK/tests" "$WORK/fixtures"
mkdir -p "$WORK/src"
cp -a "$REPO/server/vetpy" "$WORK/src/vetpy"
cp -a "$REPO/tests" "$REPO/fixtures" "$WORK/"
find "$WORK/src" "$WORK/tests" -name __pycache__ -prune -exec rm -rf {} +
{
  echo "[mutmut]"
  echo "source_paths = src"
  echo "only_mutate ="
  for f in "${FILES[@]}"; do echo "    src/vetpy/$f"; done
  echo "pytest_add_cli_args_test_selection ="
  for t in tests/test_core.py tests/test_imports.py tests/test_dependencies.py tests/test_fuzz_regressions.py \
           tests/test_trust_specifications.py; do echo "    $t"; done
  echo "pytest_add_cli_args ="
  echo "    -p"
  echo "    no:cacheprovider"
  echo "    -q"
  echo "    -x"
  echo "timeout_multiplier = 5"
} > "$WORK/setup.cfg"
cd "$WORK"
# mutmut must not see the repository's pyproject (no [tool.mutmut] there, so setup.cfg is read)
rm -f pyproject.toml
export VETPY_CACHE_DIR="$WORK/cache"
timeout --signal=INT --kill-after=60 "$LIMIT" "$PY" -m mutmut run || echo "mutmut stopped (exit $?): time limit or error; results so far below"
"$PY" "$REPO/benchmarks/mutation_score.py" "$WORK"
