#!/usr/bin/env bash
# Runs the same workloads on the C floors (baseline/limits.c), CPython multiprocessing
# (baseline/py_mp_bench.py and py_pool_bench.py) and ipckit (JMH, target/benchmarks.jar) in one
# go, and prints one side-by-side table with ratios (dev.ipckit.bench.CompareTable, which also
# holds the mapping).
#
# Usage: ipc-bench/compare.sh [quick|full|short]      (default quick)
# short: only the "short programs" section: whole programs (shared-counter, a pool's one map, ten
# pools started and closed) run by ipckit and by CPython (baseline/py_short_programs.py), each
# SHORT_RUNS times (default 5) after one untimed run, with wall, CPU (user+sys) and peak RSS from
# /usr/bin/time (getrusage through python3 without it); SHORT_JDKS lists the JAVA_HOMEs ipckit runs
# on (default: JAVA_HOME, or the java on PATH), SHORT_PROGRAMS the programs (default all three).
# Its table goes to target/compare/short.txt, its chart to target/compare/short.svg.
# Needs java 17+, gcc, python3; builds target/benchmarks.jar (and for short, ipc-examples.jar)
# with mvn if missing.
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
  short) JMH_OPTS=() ;;
  *) echo "usage: $0 [quick|full|short]" >&2; exit 2 ;;
esac

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
BASELINE=$BENCH/baseline
OUT=$BENCH/target/compare
JAR=$BENCH/target/benchmarks.jar
EXAMPLES_JAR=$ROOT/ipc-examples/target/ipc-examples.jar
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

if [ ! -f "$JAR" ] || { [ "$MODE" = short ] && [ ! -f "$EXAMPLES_JAR" ]; }; then
  say "building $JAR and $EXAMPLES_JAR"
  mvn -B -q -f "$ROOT/pom.xml" -DskipTests package -pl ipc-bench,ipc-examples -am >&2
elif [ -n "$(find "$BENCH/src" "$ROOT"/ipc-*/src/main -name '*.java' -newer "$JAR" -print -quit)" ]; then
  say "warning: sources are newer than $JAR; run: mvn -B -DskipTests package"
fi

mkdir -p "$OUT"
write_meta() {
  printf 'date\t%s\n' "$(date '+%Y-%m-%d %H:%M:%S %Z')"
  printf 'nproc\t%s\n' "$(nproc)"
  printf 'cpu\t%s\n' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  printf 'python\t%s\n' "$("$PYTHON" -c 'import platform; print(platform.python_version())')"
  printf 'cc\t%s\n' "$("$CC" --version | head -n 1)"
  printf 'jdk\t%s\n' "$("$JAVA" -version 2>&1 | head -n 1)"
  printf 'load_start\t%s\n' "$(cut -d ' ' -f 1-3 /proc/loadavg)"
}

# timed PROGRAM RUNTIME EXPECTED COMMAND...: runs COMMAND once, checks that the last line it
# prints is EXPECTED, and appends "program runtime wall user sys maxrssKiB" to short.tsv (unless
# PROGRAM is empty: an untimed run).
timed() {
  local program=$1 runtime=$2 expected=$3 times out
  shift 3
  times=$(mktemp) out=$(mktemp)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -o "$times" -f '%e\t%U\t%S\t%M' "$@" >"$out" 2>>"$OUT/stderr.log"
  else
    "$PYTHON" -c 'import resource, subprocess, sys, time
t = time.perf_counter(); rc = subprocess.call(sys.argv[2:]); wall = time.perf_counter() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write("%.2f\t%.2f\t%.2f\t%d\n" % (wall, r.ru_utime, r.ru_stime, r.ru_maxrss))
sys.exit(rc)' "$times" "$@" >"$out" 2>>"$OUT/stderr.log"
  fi
  if [ "$(tail -n 1 "$out")" != "$expected" ]; then
    say "$runtime $* printed $(tail -n 1 "$out" | head -c 80), expected $expected"
    rm -f "$times" "$out"
    return 1
  fi
  if [ -n "$program" ]; then
    printf '%s\t%s\t%s\n' "$program" "$runtime" "$(tail -n 1 "$times")" | tee -a "$OUT/short.tsv" |
      sed 's/^/  /' >&2
  fi
  rm -f "$times" "$out"
}

# short_program PROGRAM RUNTIME EXPECTED COMMAND...: one untimed run, then SHORT_RUNS timed ones.
short_program() {
  local program=$1 i
  shift
  timed "" "$@"
  for ((i = 0; i < ${SHORT_RUNS:-5}; i++)); do
    timed "$program" "$@"
  done
}

short_programs() {
  local home java runtime
  rm -f "$OUT"/{short.tsv,stderr.log,meta.tsv,short.txt,short.svg}
  touch "$OUT/short.tsv" "$OUT/stderr.log"
  write_meta >"$OUT/meta.tsv"
  read -r -a HOMES <<<"${SHORT_JDKS:-${JAVA_HOME:-}}"
  if [ ${#HOMES[@]} -eq 0 ]; then HOMES=(""); fi
  read -r -a PROGRAMS <<<"${SHORT_PROGRAMS:-shared-counter pool-map pool-start-ten}"
  STAGES=$((${#PROGRAMS[@]} * (${#HOMES[@]} + 1)))
  for program in ${SHORT_PROGRAMS:-shared-counter pool-map pool-start-ten}; do
    case $program in
      shared-counter) program=$program:0 ;;
      pool-map) program=$program:9999800001 ;;
      pool-start-ten) program=$program:10 ;;
      *) say "unknown short program $program"; return 2 ;;
    esac
    for home in "${HOMES[@]}"; do
      java=${home:+$home/bin/}java
      runtime="ipckit JDK $("$java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')"
      if [ "${program%%:*}" = shared-counter ]; then
        run_stage "$runtime: ${program%%:*}" short_program "${program%%:*}" "$runtime" "${program#*:}" \
          "$java" -jar "$EXAMPLES_JAR" shared-counter
      else
        run_stage "$runtime: ${program%%:*}" short_program "${program%%:*}" "$runtime" "${program#*:}" \
          "$java" --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp "$JAR" dev.ipckit.bench.ShortPrograms \
          "${program%%:*}"
      fi
    done
    run_stage "CPython: ${program%%:*}" short_program "${program%%:*}" CPython "${program#*:}" \
      "$PYTHON" "$BASELINE/py_short_programs.py" "${program%%:*}"
  done
  printf 'load_end\t%s\n' "$(cut -d ' ' -f 1-3 /proc/loadavg)" >>"$OUT/meta.tsv"
  "$JAVA" -cp "$JAR" dev.ipckit.bench.ShortProgramTable "$OUT/short.tsv" "$OUT/meta.tsv" "$OUT/short.svg" |
    tee "$OUT/short.txt"
  say "done in $((SECONDS - START)) s: $OUT/short.txt and the chart $OUT/short.svg"
}

if [ "$MODE" = short ]; then
  short_programs
  exit 0
fi

rm -f "$OUT"/{c.tsv,python.tsv,jmh.csv,jmh.log,stderr.log,meta.tsv,table.txt}
touch "$OUT/c.tsv" "$OUT/python.tsv" "$OUT/stderr.log"
write_meta >"$OUT/meta.tsv"

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
