#!/usr/bin/env bash
# Every seeded service (issue #20's proxy), vetpy defaults, markers taken out, no peers: one line each.
#   bash benchmarks/services.sh venvs            # build /tmp/serviceNN-venv for each (skips a working one)
#   bash benchmarks/services.sh [SERVER] [OUT]   # score: SERVER = the vetpy source tree (default ./server),
#                                                # OUT = prefix of the per-service outputs (default /tmp/services)
# SERVICES="33 34" narrows the list.  Run from the repository root with .venv built (README).
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
SERVICES=${SERVICES:-$(ls -d benchmarks/service[0-9]*/ | sed "s|/$||" | sed 's|benchmarks/service||' | sort -n | tr '\n' ' ')}
venv() {
  local n=$1 v=/tmp/service$1-venv
  if [ -x $v/bin/python ] && $v/bin/python benchmarks/service$n/check_imports.py >/dev/null 2>&1; then echo "service$n: kept"; return; fi
  [ -x .venv/bin/uv ] || .venv/bin/pip install -q uv
  .venv/bin/uv venv -q -p python3.11 $v
  case $n in  # the two oldest services name their packages in their READMEs, not in pyproject.toml
    20) .venv/bin/uv pip install -q --python $v/bin/python fastapi flask sqlalchemy pyjwt requests httpx pyyaml python-multipart jinja2 ;;
    21) .venv/bin/uv pip install -q --python $v/bin/python django==5.2.19 djangorestframework==3.18.3 aiohttp==3.14.5 \
          starlette==1.10.0 authlib==1.9.10 httpx python-jose==3.5.0 celery==5.7.0 boto3==1.44.18 requests==2.34.2 \
          pyyaml==6.0.4 psycopg2-binary==2.9.13 itsdangerous ;;
    *) .venv/bin/uv pip install -q --python $v/bin/python -r benchmarks/service$n/pyproject.toml ;;
  esac
  if $v/bin/python benchmarks/service$n/check_imports.py >/dev/null 2>&1; then echo "service$n: built"; else echo "service$n: built, check_imports fails"; fi
}
if [ "${1:-}" = venvs ]; then
  for n in $SERVICES; do venv $n & while [ "$(jobs -r | wc -l)" -ge 3 ]; do sleep 1; done; done; wait; exit 0
fi
SERVER=$(cd "${1:-server}" && pwd); OUT=${2:-/tmp/services}
for n in $SERVICES; do
  PYTHONPATH=$SERVER "$ROOT/.venv/bin/python" benchmarks/service20_bench.py --service benchmarks/service$n \
     --python /tmp/service$n-venv/bin/python --no-peers > "$OUT.s$n.txt" 2>&1
  echo "s$n $(grep -a '^vetpy:' "$OUT.s$n.txt" | head -1)"
done
