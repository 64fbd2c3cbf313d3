#!/bin/sh
# A local gongkai cluster (docs/scale-out.md): Postgres, a Prefect server on it, N process workers.
#   scripts/cluster.sh up [--workers N]     start everything (data under data/cluster/)
#   scripts/cluster.sh run SOURCES_FILE     deploy, run nationwide on the file, wait; last line: the warehouse
#   scripts/cluster.sh down                 stop everything up started
# GONGKAI_CLUSTER_DIR moves data/cluster/; the virtualenv's python is used when there is one.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
py=${PYTHON:-python3}
[ -x "$here/.venv/bin/python" ] && py="$here/.venv/bin/python"
cd "$here"
PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}" exec "$py" -m flows.cluster "$@"
