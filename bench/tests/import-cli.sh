#!/bin/sh
# dmabench import end to end: exit codes, the result files it writes and
# compare on them, from the stored tool outputs in tests/data/import/.
# Usage: sh tests/import-cli.sh PATH/TO/dmabench   (run from bench/)
DMABENCH=$1
D=tests/data/import
TMP=$(mktemp -d /tmp/dmabench-import.XXXXXX) || exit 2
trap 'rm -rf "$TMP"' EXIT
n=0 passed=0 failed=0

# ok_if NAME CMD...: a case whose verdict is CMD's exit status.
ok_if() {
	_name=$1
	shift
	n=$((n + 1))
	if "$@"; then
		passed=$((passed + 1))
		echo "ok $n - $_name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $_name"
	fi
}

# t WANT_STATUS 'text in stdout+stderr or ""' NAME ARGS...
t() {
	_want=$1 _text=$2 _name=$3
	shift 3
	"$DMABENCH" "$@" >"$TMP/out" 2>&1
	_st=$?
	n=$((n + 1))
	if [ "$_st" = "$_want" ] && { [ -z "$_text" ] || grep -qF -- "$_text" "$TMP/out"; }; then
		passed=$((passed + 1))
		echo "ok $n - $_name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $_name"
		echo "#   status $_st (want $_want):"
		sed 's/^/#   /' "$TMP/out" | head -n 10
	fi
}

t 2 "needs --format, --out" "import without arguments: exit 2" import
t 2 "unknown --format 'nope'" "import with an unknown format: exit 2" \
	import --format nope --out "$TMP/a" "$D/perftest-ib_write_bw.txt"
t 2 "No such file" "import of a missing file: exit 2" \
	import --format fio --out "$TMP/a" "$TMP/missing.json"
t 0 "fio-randread-io_uring-host-128K-t1.json: bw" "fio: three runs, one result" \
	import --format fio --out "$TMP/a" "$D"/fio-randread-io_uring-host-128K.run*.json
t 2 "exists" "a second import of the same cell is refused" \
	import --format fio --out "$TMP/a" "$D"/fio-randread-io_uring-host-128K.run1.json
t 2 "one cell per import" "runs of different cells are refused" \
	import --format fio --out "$TMP/b" "$D/fio-write-libaio-host-128K.json" \
	"$D/fio-randread-io_uring-host-128K.run1.json"
t 1 "error 84" "a run whose data did not verify fails: exit 1" \
	import --format fio --out "$TMP/c" "$D/fio-read-verify-failed.json"
ok_if "no result file for a failed run" [ -z "$(ls "$TMP/c")" ]
t 0 "perftest-write-host-64K-t1.json: bw" "perftest: ib_write_bw output imports" \
	import --format perftest --out "$TMP/a" "$D/perftest-ib_write_bw.txt"
t 0 "unsupported: rxe_dummy0: unsupported on this device" \
	"rdma-dmabuf: rxe's EOPNOTSUPP gives an unsupported result, exit 0" \
	import --format rdma-dmabuf --out "$TMP/a" "$D/rdma-dmabuf-write-udmabuf-rxe.txt"
t 1 "refusing to mix" "unsupported and measured runs of one cell are refused" \
	import --format rdma-dmabuf --out "$TMP/d" "$D/rdma-dmabuf-write-udmabuf-rxe.txt" \
	"$(sed 's/buffer=host/buffer=udmabuf/' "$D/rdma-dmabuf-write-host.txt" > "$TMP/m.txt";
	   echo "$TMP/m.txt")"
t 0 "bw, GB/s (higher is better)" "compare reads imported results" compare "$TMP/a" "$TMP/a"
t 0 "unsupported in base: rdma-dmabuf-write-udmabuf-64K-t1" \
	"compare lists the unsupported cell" compare "$TMP/a" "$TMP/a"
t 0 "clat p99, ns per operation" "compare has per-run clat percentiles" compare "$TMP/a" "$TMP/a"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
