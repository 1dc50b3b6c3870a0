# Shared helpers for the pipeline scripts. Sourced, never run.
# POSIX sh: the scripts run under dash on Debian.

# Where the pipeline keeps unpacked trees, object dirs and disk images.
# A fixed absolute path per checkout keeps ccache hits across rebuilds.
: "${TOP:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${WORK:=$TOP/build}"
: "${KSRC_TARBALL:=/usr/src/linux-source-6.12.tar.xz}"
: "${JOBS:=$(nproc)}"

_t0=$(date +%s)

# log STAGE MSG...: one progress line with the seconds since this script began.
log() {
	_stage=$1; shift
	printf '[%s +%ss] %s\n' "$_stage" "$(( $(date +%s) - _t0 ))" "$*" >&2
}

die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

# The Debian package version of the kernel source, e.g. 6.12.117-1~deb12u1.
ksrc_deb_version() {
	dpkg-query -W -f '${Version}' linux-source-6.12 2>/dev/null || echo unknown
}

# Hash of the series: the series file plus every patch it names, in order.
series_hash() {
	(
		cd "$TOP/linux-patches" || exit 1
		cat series
		grep -v -e '^#' -e '^$' series | while read -r p; do cat "$p"; done
	) | sha256sum | cut -c1-16
}

series_count() {
	grep -c -v -e "^#" -e "^$" "$TOP/linux-patches/series" 2>/dev/null || true
}

# boot_opts BOOT: bench/vm/run.sh options for a named DMA setup. BOOT is
# off, passthrough, lazy, strict or swiotlb (dma-direct with swiotlb=force),
# or hostbridge (strict, with the NVMe CMB reached from the edu device
# through the host bridge instead of the switch: P2P THRU_HOST_BRIDGE),
# optionally suffixed -icount for instruction-count timing (A/B figures).
boot_opts() {
	_b=${1%-icount}
	case $_b in
	swiotlb) _o="--iommu off --swiotlb-force" ;;
	off|passthrough|lazy|strict) _o="--iommu $_b" ;;
	hostbridge) _o="--iommu strict --p2p-host-bridge" ;;
	*) die "unknown boot '$1' (off, passthrough, lazy, strict, swiotlb, hostbridge, each optionally -icount)" ;;
	esac
	[ "$_b" != "$1" ] && _o="$_o --icount"
	echo "$_o"
}
