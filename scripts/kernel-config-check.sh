#!/bin/sh
# kernel-config-check.sh FRAGMENT CONFIG: every option FRAGMENT sets must
# have the same value in CONFIG. Prints each one that does not; exit 1 then.
# The last setting of an option in FRAGMENT is the one that counts.
set -eu
frag=$1
config=$2
bad=0
# "CONFIG_X=v" and "# CONFIG_X is not set" lines, normalised to NAME VALUE.
normalise() {
	sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)$/\1 \2/p' \
	       -e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1 n/p' "$1"
}
normalise "$config" > "$config.normalised"
for opt in $(normalise "$frag" | cut -d' ' -f1 | sort -u); do
	want=$(normalise "$frag" | sed -n "s/^$opt //p" | tail -n 1)
	got=$(sed -n "s/^$opt //p" "$config.normalised")
	[ -n "$got" ] || got=n
	if [ "$want" != "$got" ]; then
		echo "config: $opt requested $want, got $got" >&2
		bad=1
	fi
done
rm -f "$config.normalised"
exit $bad
