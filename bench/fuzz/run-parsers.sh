#!/bin/sh
# run-parsers.sh DIR RUNS SEED TARGET...: run each libFuzzer target of
# "make -C bench fuzz-parsers" for RUNS inputs from SEED, starting from a
# fresh copy of its seed corpus (the repository's own configs, result
# files and stored tool outputs), so a run replays exactly. A crash, leak
# or timeout fails the run; libFuzzer saves the input as
# DIR/artifacts/<target>-crash-* and the line printed says how to replay it.
# Ends with "fuzz-parsers: N targets, M inputs, K failed".
set -u
DIR=$1 RUNS=$2 SEED=$3
shift 3
case $RUNS$SEED in *[!0-9]*|'') echo "run-parsers.sh: RUNS and SEED are numbers" >&2; exit 2 ;; esac
HERE=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$DIR/artifacts"
total=0 bad=0
echo "fuzz-parsers: seed $SEED, $RUNS inputs per target"
for t in "$@"; do
	corpus=$DIR/corpus/$t
	rm -rf "$corpus"
	mkdir -p "$corpus"
	case $t in
	fuzz_config) cp "$HERE"/configs/*.conf "$corpus"/ ;;
	fuzz_result) find "$HERE/tests/data" -name '*.json' ! -path '*/import/*' |
		head -n 50 | while read -r f; do cp "$f" "$corpus/$(echo "$f" | cksum | cut -d' ' -f1).json"; done ;;
	fuzz_import) # the first byte picks the format: 0 fio, 1 perftest, 2 rdma-dmabuf
		for f in "$HERE"/tests/data/import/*; do
			case $(basename "$f") in
			fio-*) b='\000' ;; perftest-*) b='\001' ;; *) b='\002' ;;
			esac
			{ printf "$b"; cat "$f"; } > "$corpus/$(basename "$f")"
		done ;;
	esac
	log=$DIR/$t.log
	"$DIR/bin/$t" -runs="$RUNS" -seed="$SEED" -max_len=65536 -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$DIR/artifacts/$t-" "$corpus" > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	total=$((total + ${execs:-0}))
	if [ $rc = 0 ]; then
		echo "PASS fuzz-parsers:$t ${execs:-?} inputs, 0 crashes, 0 leaks, 0 timeouts"
	else
		bad=$((bad + 1))
		art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		echo "FAIL fuzz-parsers:$t exit $rc after ${execs:-?} inputs (log $log)"
		grep -m 5 -e 'ERROR:' -e 'SUMMARY:' -e 'runtime error' "$log"
		[ -n "$art" ] && echo "  replay: $DIR/bin/$t $art"
	fi
done
echo "fuzz-parsers: $# targets, $total inputs, $bad failed"
[ $bad = 0 ]
