#!/bin/sh
# Runs every test program given as an argument and adds up their final
# "N passed, M failed" lines.  An argument "script.sh:ARG" runs a shell
# test with ARG.  The aggregate is the last line printed; the exit status
# is non-zero if any case failed or a program did not report.
passed=0
failed=0
for t in "$@"; do
	case $t in
	*.sh:*) out=$(sh "${t%%:*}" "${t#*:}" 2>&1) ;;
	*) out=$("$t" 2>&1) ;;
	esac
	status=$?
	[ -z "$out" ] || printf '%s\n' "$out"
	last=$(printf '%s\n' "$out" | tail -n 1)
	p=$(printf '%s\n' "$last" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p')
	f=$(printf '%s\n' "$last" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p')
	if [ -z "$p" ]; then
		# crashed or printed no summary: count the program as one failure
		echo "not ok - ${t%%:*} exited with status $status without a summary"
		p=0
		f=1
	elif [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - ${t%%:*} exited with status $status"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
