#!/usr/bin/env bash
# Compares the local KMS's Encrypt and Decrypt of 4 KiB (RuntimeBenchmark) between an older commit and the
# work tree, one JMH fork of each in turn, so that both see the same phases of a shared machine. Builds the old
# commit in a Git worktree under target/, prints the date, machine and load, then for each build and benchmark
# the lowest, lowest-decile and median iteration. Needs python3 for the summary.
# Usage: bench/runtime-ab.sh OLD_COMMIT [ROUNDS] [WARMUP_ITERATIONS]   (defaults: 6 rounds, 5 warm-up seconds)
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: bench/runtime-ab.sh OLD_COMMIT [ROUNDS] [WARMUP_ITERATIONS]}
rounds=${2:-6}
warmup=${3:-5}
out="$PWD/target/runtime-ab"
rm -rf "$out" && mkdir -p "$out"

# the class path of a checkout's benchmarks: engine/cli since the module split, engine before it
classpath() {
  local dir=$1 module=engine
  [ -f "$dir/engine/cli/pom.xml" ] && module=engine/cli
  (cd "$dir" && mvn -B -q -o -pl "$module" -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$out/cp.txt" >/dev/null)
  echo "$dir/$module/target/test-classes:$dir/$module/target/classes:$(cat "$out/cp.txt")"
}

tree="$PWD/target/runtime-ab-tree"
git worktree remove --force "$tree" 2>/dev/null || true
git worktree add -q --detach "$tree" "$old"
trap 'git worktree remove --force "$tree" 2>/dev/null || true' EXIT
cp_old=$(classpath "$tree")
cp_new=$(classpath "$PWD")

echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "old:     $(git log -1 --format='%h %s' "$old" | cut -c1-90)"
echo "new:     work tree on $(git log -1 --format='%h %s' | cut -c1-80)"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
echo "load:    $(uptime | sed 's/.*load average/load average/')"
for i in $(seq "$rounds"); do
  for b in old new; do
    cp=$cp_old
    [ "$b" = new ] && cp=$cp_new
    java -cp "$cp" org.openjdk.jmh.Main 'RuntimeBenchmark.(encrypt4k_runtime|decrypt4k_runtime|encrypt4k_raw_jdkAesGcm_fresh)' \
      -f 1 -wi "$warmup" -i 5 -w 1s -r 1s -bm avgt -rf json -rff "$out/$b-$i.json" >"$out/$b-$i.log" 2>&1
  done
done
echo "load:    $(uptime | sed 's/.*load average/load average/')"
python3 - "$out" <<'PY'
import collections, glob, json, statistics, sys
runs = collections.defaultdict(list)
for f in glob.glob(sys.argv[1] + '/*.json'):
    build = f.rsplit('/', 1)[1].split('-')[0]
    for r in json.load(open(f)):
        for fork in r['primaryMetric']['rawData']:
            runs[(r['benchmark'].rsplit('.', 1)[1], build)].extend(fork)
print('| benchmark | build | iterations | lowest | lowest decile | median |')
print('| --- | --- | ---: | ---: | ---: | ---: |')
for (name, build), v in sorted(runs.items()):
    v.sort()
    print('| %s | %s | %d | %.2f µs | %.2f µs | %.2f µs |' % (name, build, len(v), v[0], v[len(v) // 10],
                                                          statistics.median(v)))
PY
