#!/bin/sh
# deps.sh: install the Debian packages the pipeline needs, idempotently.
# Costs one dpkg-query when everything is present; runs "apt-get update"
# once, and only when something is missing.
set -eu

# The kernel source is pinned by package name; its exact version is recorded
# in every build (scripts/kernel-tree.sh) and every result.
PKGS="
linux-source-6.12
build-essential flex bison bc libelf-dev libssl-dev cpio kmod xz-utils
ccache sparse git
qemu-system-x86 busybox-static
fio rdma-core ibverbs-utils perftest libibverbs-dev iproute2 pciutils
gnuplot-nox fonts-dejavu-core
linux-perf clang libclang-rt-14-dev
"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f '${Status}' "$p" 2>/dev/null || true)
	case $st in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

[ "$(id -u)" = 0 ] || { echo "deps: missing:$missing; run 'make deps' as root" >&2; exit 1; }
echo "deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
echo "deps: done" >&2
