#!/bin/sh
# ktap.sh LABEL < console.log: turn the KTAP that built-in KUnit suites print
# at boot into one line per test case:
#
#   PASS|FAIL|SKIP LABEL:suite.case[.param] [# reason]
#
# A case is a leaf of the KTAP tree: a parameterised case counts each of its
# parameters, a suite counts only through its cases. Console timestamps
# ("[    1.234567] ") are stripped first. A suite whose plan promised more
# cases than it reported (a crash mid-suite) yields a FAIL line for the gap.
label=${1:-kunit}
sed -e 's/\r$//' -e 's/^\[ *[0-9]*\.[0-9]*\] //' | awk -v label="$label" '
function indent_of(s) { match(s, /^ */); return RLENGTH }
# A "# Subtest:" header names the test whose results follow at its depth.
/^ *# Subtest: / {
	d = indent_of($0)
	name = $0; sub(/^ *# Subtest: /, "", name)
	subname[d] = name
	children[d] = 0
	next
}
/^ *1\.\.[0-9]+ *$/ {
	d = indent_of($0)
	p = $0; sub(/^ *1\.\./, "", p)
	plan[d] = p + 0
	next
}
/^ *(not )?ok [0-9]+ / {
	d = indent_of($0)
	line = $0; sub(/^ */, "", line)
	ok = (line !~ /^not /)
	sub(/^(not )?ok [0-9]+ /, "", line)
	reason = ""
	skip = 0
	if (match(line, / # (SKIP|skip)/)) {
		skip = 1
		reason = substr(line, RSTART + 3)
		line = substr(line, 1, RSTART - 1)
	}
	sub(/^- /, "", line)
	children[d]++
	if (children[d + 4] > 0) {
		# A parent: its leaves were already counted. Did it report them all?
		if (plan[d + 4] > children[d + 4])
			for (i = children[d + 4] + 1; i <= plan[d + 4]; i++)
				printf "FAIL %s:%s.missing-%d # plan said %d cases, %d reported\n", label, line, i, plan[d + 4], children[d + 4]
		children[d + 4] = 0
		plan[d + 4] = 0
		next
	}
	# A leaf: name it by the path of subtest headers above it.
	path = ""
	for (k = 4; k <= d; k += 4)
		if (subname[k] != "") path = path subname[k] "."
	if (skip)
		printf "SKIP %s:%s%s # %s\n", label, path, line, reason
	else
		printf "%s %s:%s%s\n", ok ? "PASS" : "FAIL", label, path, line
}
'
