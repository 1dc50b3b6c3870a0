#!/bin/sh
# The config checker must name an option Kconfig dropped or changed, and
# must accept a config that honours every request.
set -e
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
printf 'CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C="x"\nCONFIG_D=y\n' > "$d/frag"
printf 'CONFIG_A=y\nCONFIG_C="x"\nCONFIG_D=y\n' > "$d/good"
printf 'CONFIG_A=y\nCONFIG_B=y\nCONFIG_C="y"\n' > "$d/bad"
sh "$(dirname "$0")/../kernel-config-check.sh" "$d/frag" "$d/good"
if sh "$(dirname "$0")/../kernel-config-check.sh" "$d/frag" "$d/bad" 2>"$d/err"; then
	echo "a bad config passed"; exit 1
fi
grep -q 'CONFIG_B requested n, got y' "$d/err"
grep -q 'CONFIG_C requested "x", got "y"' "$d/err"
grep -q 'CONFIG_D requested y, got n' "$d/err"
! grep -q CONFIG_A "$d/err"
