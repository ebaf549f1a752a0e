#!/usr/bin/env bash
# Times `keyward report` on the generated world of 5,000 principals and 2,000 keys (see
# ReportBenchmark.java): the first run in a fresh JVM (what a user of the CLI waits for), each step alone,
# and opening the page in headless Chromium (when installed). Prints the date, the machine and its load
# beside the figures. Usage: bench/report-benchmark.sh [RUNS]   (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(find engine -path '*/src/test/java/dev/keyward/bench/ReportBenchmark.java' | head -1)
module=${src%%/src/test/*}
cp_file="$PWD/target/report-bench-classpath.txt"
mkdir -p target
mvn -B -q -o -pl "$module" -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >/dev/null
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "commit:  $(git log -1 --format='%h %s' | cut -c1-100)"
echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "load:    $(uptime | sed 's/.*load average/load average/')"
java -cp "$module/target/test-classes:$module/target/classes:$(cat "$cp_file")" \
  dev.keyward.bench.ReportBenchmark target/report-bench "${1:-1}"
echo "load:    $(uptime | sed 's/.*load average/load average/')"
