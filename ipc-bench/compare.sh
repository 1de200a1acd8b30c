#!/usr/bin/env bash
# Runs the same workloads on the C floors (baseline/limits.c), CPython multiprocessing
# (baseline/py_mp_bench.py and py_pool_bench.py) and ipckit (JMH, target/benchmarks.jar) in one
# go, and prints one side-by-side table with ratios (dev.ipckit.bench.CompareTable, which also
# holds the mapping).
#
# Usage: ipc-bench/compare.sh [quick|full]      (default quick)
# Needs java 17+, gcc, python3; builds target/benchmarks.jar with mvn if it is missing.
# Environment: PYTHON (python3), CC (gcc), JAVA_HOME, JMH_ITERATIONS (replaces the mode's JMH
# iteration options, e.g. "-wi 1 -w 1s -i 1 -r 1s"), JMH_ARGS (more JMH options, e.g. "-prof gc").
# Progress ([stage/stages, seconds]) goes to standard error, the table to standard output and
# target/compare/table.txt, the chart (log scale, per workload) to target/compare/compare.svg.
# Exits non-zero if any part fails; every part runs in its own process group, and whatever a
# part leaves running is killed (and counts as a failure).
set -euo pipefail
set -m # job control: each background job gets its own process group

MODE=${1:-quick}
case "$MODE" in
  quick) JMH_OPTS=(-wi 6 -w 1s -i 3 -r 1s) ;;
  full) JMH_OPTS=(-wi 8 -w 2s -i 10 -r 2s) ;;
  *) echo "usage: $0 [quick|full]" >&2; exit 2 ;;
esac

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
BASELINE=$BENCH/baseline
OUT=$BENCH/target/compare
JAR=$BENCH/target/benchmarks.jar
LIMITS=$BENCH/target/limits
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
PYTHON=${PYTHON:-python3}
CC=${CC:-gcc}
if [ -n "${JMH_ITERATIONS:-}" ]; then read -r -a JMH_OPTS <<<"$JMH_ITERATIONS"; fi
read -r -a EXTRA <<<"${JMH_ARGS:-}"

say() { echo "compare.sh: $*" >&2; }

STAGE_PGID=
cleanup() {
  if [ -n "$STAGE_PGID" ]; then
    kill -TERM -- "-$STAGE_PGID" 2>/dev/null || true
    sleep 1
    kill -KILL -- "-$STAGE_PGID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Waits up to 5 s for process group $1 to empty; kills what is left and fails if it does not.
reap_group() {
  local pgid=$1 label=$2 i
  for ((i = 0; i < 50; i++)); do
    kill -0 -- "-$pgid" 2>/dev/null || return 0
    sleep 0.1
  done
  say "$label left processes behind, killing them: $(pgrep -g "$pgid" -a | tr '\n' ';')"
  kill -KILL -- "-$pgid" 2>/dev/null || true
  return 1
}

# run_stage LABEL COMMAND...: runs COMMAND in its own process group and fails the script if it
# fails or leaves processes behind.
STAGE=0
STAGES=0
START=$SECONDS
run_stage() {
  local label=$1 rc=0
  shift
  STAGE=$((STAGE + 1))
  say "[$STAGE/$STAGES, $((SECONDS - START)) s] $label"
  ("$@") </dev/null &
  STAGE_PGID=$!
  wait "$STAGE_PGID" || rc=$?
  if ! reap_group "$STAGE_PGID" "$label" && [ "$rc" -eq 0 ]; then rc=1; fi
  STAGE_PGID=
  if [ "$rc" -ne 0 ]; then
    say "$label failed (exit $rc); see $OUT/stderr.log and $OUT/jmh.log"
    tail -n 20 "$OUT/stderr.log" >&2 || true
    exit "$rc"
  fi
}

table_tool() { "$JAVA" -cp "$JAR" dev.ipckit.bench.CompareTable "$@"; }

c_group() { "$LIMITS" "$1" 2>>"$OUT/stderr.log" | tee -a "$OUT/c.tsv" | sed 's/^/  C       /' >&2; }

# python_row SCRIPT ROW: runs one row of a CPython script in baseline/.
python_row() {
  "$PYTHON" "$BASELINE/$1" "$MODE" "$2" 2>>"$OUT/stderr.log" | tee -a "$OUT/python.tsv" |
    sed 's/^/  CPython /' >&2
}

jmh() {
  "$JAVA" -jar "$JAR" "$(table_tool jmh-regex)" -f 1 "${JMH_OPTS[@]}" -foe true \
    -rf csv -rff "$OUT/jmh.csv" "${EXTRA[@]}" 2>&1 | tee "$OUT/jmh.log" |
    { grep --line-buffered -E '^# (Benchmark|Parameters):|^Iteration|<failure>|Exception' | sed 's/^/  JMH     /' >&2 || true; }
}

if [ ! -f "$JAR" ]; then
  say "building $JAR"
  mvn -B -q -f "$ROOT/pom.xml" -DskipTests package -pl ipc-bench -am >&2
elif [ -n "$(find "$BENCH/src" "$ROOT"/ipc-*/src/main -name '*.java' -newer "$JAR" -print -quit)" ]; then
  say "warning: sources are newer than $JAR; run: mvn -B -DskipTests package"
fi

mkdir -p "$OUT"
rm -f "$OUT"/{c.tsv,python.tsv,jmh.csv,jmh.log,stderr.log,meta.tsv,table.txt}
touch "$OUT/c.tsv" "$OUT/python.tsv" "$OUT/stderr.log"
{
  printf 'date\t%s\n' "$(date '+%Y-%m-%d %H:%M:%S %Z')"
  printf 'nproc\t%s\n' "$(nproc)"
  printf 'cpu\t%s\n' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  printf 'python\t%s\n' "$("$PYTHON" -c 'import platform; print(platform.python_version())')"
  printf 'cc\t%s\n' "$("$CC" --version | head -n 1)"
  printf 'jdk\t%s\n' "$("$JAVA" -version 2>&1 | head -n 1)"
  printf 'load_start\t%s\n' "$(cut -d ' ' -f 1-3 /proc/loadavg)"
} >"$OUT/meta.tsv"

"$CC" -O2 -o "$LIMITS" "$BASELINE/limits.c"
mapfile -t C_GROUPS < <(table_tool c-groups)
mapfile -t PYTHON_ROWS < <(table_tool python-rows) # "script row" lines
STAGES=$((${#C_GROUPS[@]} + ${#PYTHON_ROWS[@]} + 1))
say "running $STAGES stages: ${#C_GROUPS[@]} C floors, ${#PYTHON_ROWS[@]} CPython rows, then JMH ($MODE)"
for group in "${C_GROUPS[@]}"; do
  run_stage "C floor: limits $group" c_group "$group"
done
for line in "${PYTHON_ROWS[@]}"; do
  read -r script row <<<"$line"
  run_stage "CPython: $script $MODE $row" python_row "$script" "$row"
done
run_stage "ipckit: JMH ($MODE: ${JMH_OPTS[*]} ${EXTRA[*]})" jmh

printf 'load_end\t%s\n' "$(cut -d ' ' -f 1-3 /proc/loadavg)" >>"$OUT/meta.tsv"
table_tool table --mode "$MODE" --meta "$OUT/meta.tsv" --python "$OUT/python.tsv" --c "$OUT/c.tsv" \
  --jmh "$OUT/jmh.csv" --svg "$OUT/compare.svg" | tee "$OUT/table.txt"
say "done in $((SECONDS - START)) s: $OUT/table.txt and the chart $OUT/compare.svg"
