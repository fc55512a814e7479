#!/bin/sh
# Container start: make sure the store exists (built from the reports in the volume,
# an empty store when there are none yet), then serve the app on $PORT.
# Any other command runs as given: `docker exec … budgetperf ingest /data/new.txt`,
# `docker run --rm -v budgetperf-data:/data budgetperf budgetperf build`.
set -e
mkdir -p "$BUDGETPERF_REPORTS_DIR"
if [ "$#" -gt 0 ]; then
    exec "$@"
fi
if [ ! -f "$BUDGETPERF_DB" ]; then
    budgetperf build || echo "注意：部分报告未能读取（见上方列表），数据库已生成"
fi
exec streamlit run app.py --server.port "${PORT:-8501}" --server.address 0.0.0.0
