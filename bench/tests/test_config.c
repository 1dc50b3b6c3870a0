/* Tests for lib/config.c: parsing, every error path, the shipped configs. */
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "harness.h"

static int parse(struct bench_config *c, const char *text, char *err, size_t len)
{
	config_defaults(c);
	return config_parse(c, "t.conf", text, err, len);
}

static void test_sizes(void)
{
	uint64_t v = 0;
	char buf[32];

	CHECK(config_parse_size("4096", &v) == 0 && v == 4096, "size: plain bytes");
	CHECK(config_parse_size("4K", &v) == 0 && v == 4096, "size: 4K");
	CHECK(config_parse_size("64k", &v) == 0 && v == 65536, "size: lower-case k");
	CHECK(config_parse_size("1M", &v) == 0 && v == 1048576, "size: 1M");
	CHECK(config_parse_size("2G", &v) == 0 && v == 2147483648ull, "size: 2G");
	CHECK(config_parse_size("", &v) == -1 && config_parse_size("K", &v) == -1 &&
	      config_parse_size("4KB", &v) == -1 && config_parse_size("-4K", &v) == -1 &&
	      config_parse_size(" 4K", &v) == -1 && config_parse_size("4.5K", &v) == -1 &&
	      config_parse_size("0x1000", &v) == -1, "size: junk rejected");
	CHECK(config_parse_size("18446744073709551616", &v) == -1 &&
	      config_parse_size("17179869184G", &v) == -1, "size: overflow rejected");
	config_format_size(4096, buf, sizeof(buf));
	CHECK_STR(buf, "4K", "format 4096 -> 4K");
	config_format_size(4u << 20, buf, sizeof(buf));
	CHECK_STR(buf, "4M", "format 4 MiB -> 4M");
	config_format_size(12288, buf, sizeof(buf));
	CHECK_STR(buf, "12K", "format 12288 -> 12K");
	config_format_size(1000, buf, sizeof(buf));
	CHECK_STR(buf, "1000", "format 1000 -> 1000");
}

static void test_good(void)
{
	struct bench_config c;
	char err[256] = "";

	config_defaults(&c);
	CHECK(c.nmodes == 1 && !strcmp(c.modes[0], "single") && c.nsizes == 1 &&
	      c.sizes[0] == 4096 && c.threads[0] == 1 && c.seconds == 1 && c.repeat == 3 &&
	      c.dir == 0 && c.dma_bits == 64 && c.node == -1 && c.trans_ns == 0 &&
	      c.engine[0] == '\0', "defaults");
	CHECK(parse(&c,
		    "# comment\n"
		    "\n"
		    "   # indented comment\n"
		    "ENGINE=inkernel\n"
		    "export MODES=\"single page sg phys\"  # trailing comment\n"
		    "SIZES='4K 64K\t1M 4M'\r\n"
		    "THREADS=\"1 2 1024\"\n"
		    "SECONDS=300\n"
		    "REPEAT=100\n"
		    "DIR=from\n"
		    "DMA_BITS=20\n"
		    "NODE=1023\n"
		    "TRANS_NS=10000000", err, sizeof(err)) == 0, "full config parses");
	if (err[0])
		printf("#   %s\n", err);
	CHECK_STR(c.engine, "inkernel", "ENGINE");
	CHECK(c.nmodes == 4 && !strcmp(c.modes[3], "phys"), "MODES list in order");
	CHECK(c.nsizes == 4 && c.sizes[0] == 4096 && c.sizes[2] == 1048576 &&
	      c.sizes[3] == 4194304, "SIZES list with tab and CRLF");
	CHECK(c.nthreads == 3 && c.threads[2] == 1024, "THREADS list");
	CHECK(c.seconds == 300 && c.repeat == 100 && c.dir == CFG_DIR_FROM_DEVICE &&
	      c.dma_bits == 20 && c.node == 1023 && c.trans_ns == 10000000,
	      "scalars at their upper/lower limits");
	CHECK(parse(&c, "DIR=to_device\nNODE=-1\n", err, sizeof(err)) == 0 &&
	      c.dir == CFG_DIR_TO_DEVICE && c.node == -1, "DIR=to_device, NODE=-1");
	CHECK(parse(&c, "", err, sizeof(err)) == 0 && c.nsizes == 1, "empty file keeps defaults");
	CHECK(config_set(&c, "SIZES", "64K", err, sizeof(err)) == 0 && c.nsizes == 1 &&
	      c.sizes[0] == 65536, "config_set replaces a list (command-line override)");
	CHECK(c.nnents == 1 && c.nents[0] == 1 && c.batch == 0 && c.iterations == 0 &&
	      c.target == CFG_TARGET_UNSET && !c.has_device && c.bar_dev == CFG_BAR_NONE &&
	      c.attrs == 0, "kmod keys default to unset");
	CHECK(parse(&c,
		    "ENGINE=kmod\n"
		    "NENTS=\"1 8 256\"\n"
		    "BATCH=256\n"
		    "ITERATIONS=100000000\n"
		    "TARGET=direct\n"
		    "DEVICE=0001:0a:1f.7\n"
		    "BAR=p2pmem:5\n"
		    "ATTRS=\"weak_ordering skip_cpu_sync\"\n", err, sizeof(err)) == 0,
	      "kmod config parses");
	CHECK(c.nnents == 3 && c.nents[2] == 256 && c.batch == 256 && c.iterations == 100000000 &&
	      c.seconds == 0 && c.target == CFG_TARGET_DIRECT && c.has_device &&
	      c.device_domain == 1 && c.device_bdf == (0x0a << 8 | 0x1f << 3 | 7) &&
	      c.bar_dev == CFG_BAR_P2PMEM && c.bar == 5 &&
	      c.attrs == (CFG_ATTR_SKIP_CPU_SYNC | CFG_ATTR_WEAK_ORDERING),
	      "kmod keys at their limits; ITERATIONS unsets SECONDS");
	CHECK(parse(&c, "BATCH=0\nTARGET=pci\nBAR=target:0\nNENTS=1\n", err, sizeof(err)) == 0 &&
	      c.batch == 0 && c.target == CFG_TARGET_PCI && c.bar_dev == CFG_BAR_TARGET && c.bar == 0,
	      "BATCH=0 (module default), TARGET=pci, BAR=target:0");
	CHECK(config_set(&c, "ITERATIONS", "500", err, sizeof(err)) == 0 && c.seconds == 0 &&
	      config_set(&c, "SECONDS", "2", err, sizeof(err)) == 0 && c.iterations == 0 &&
	      c.seconds == 2, "the later of SECONDS and ITERATIONS wins (command line)");
	{
		uint32_t d, b;
		char buf[32];

		CHECK(config_parse_pci("0000:00:03.0", &d, &b) == 0 && d == 0 && b == 0x18,
		      "PCI address 0000:00:03.0");
		CHECK(config_parse_pci("00:03.0", &d, &b) && config_parse_pci("0000:00:20.0", &d, &b) &&
		      config_parse_pci("0000:00:03.8", &d, &b) && config_parse_pci("0000:0:03.0", &d, &b) &&
		      config_parse_pci("0000:00:03.0 ", &d, &b) && config_parse_pci("g000:00:03.0", &d, &b),
		      "PCI address junk rejected");
		config_format_pci(0xabcd, 0xff << 8 | 0x1f << 3 | 7, buf, sizeof(buf));
		CHECK_STR(buf, "abcd:ff:1f.7", "PCI address formatted");
		config_format_bar(CFG_BAR_P2PMEM, 3, buf, sizeof(buf));
		CHECK_STR(buf, "p2pmem:3", "BAR formatted");
		config_format_bar(CFG_BAR_NONE, 0, buf, sizeof(buf));
		CHECK_STR(buf, "", "no BAR formats empty");
		CHECK(config_dir_from_name("to_device") == 1 && config_dir_from_name("to") == -1,
		      "dir from its full name");
		CHECK_STR(config_target_name(CFG_TARGET_DIRECT), "direct", "target name");
		CHECK(config_target_name(CFG_TARGET_UNSET) == NULL, "no name for an unset target");
	}
	CHECK_STR(config_dir_name(2), "from_device", "dir name 2");
	CHECK(config_dir_name(3) == NULL && config_dir_name(-1) == NULL, "dir name out of range");
}

struct bad {
	const char *text;
	const char *err;
};

static void test_errors(void)
{
	static const struct bad cases[] = {
		{ "FOO=1\n", "t.conf:1: unknown key 'FOO' (known: ENGINE MODES SIZES THREADS SECONDS REPEAT DIR DMA_BITS NODE TRANS_NS NENTS BATCH ITERATIONS TARGET DEVICE BAR ATTRS)" },
		{ "\n\nSIZES=3K\n", "t.conf:3: SIZES: 3K must be a power of two from 4K to 4M" },
		{ "SIZES=2K\n", "t.conf:1: SIZES: 2K must be a power of two from 4K to 4M" },
		{ "SIZES=8M\n", "t.conf:1: SIZES: 8M must be a power of two from 4K to 4M" },
		{ "SIZES=12K\n", "t.conf:1: SIZES: 12K must be a power of two from 4K to 4M" },
		{ "SIZES=4KB\n", "t.conf:1: SIZES: '4KB' is not a size (bytes, or a number with K, M or G)" },
		{ "SIZES=\"4K 4096\"\n", "t.conf:1: SIZES: 4096 is listed twice" },
		{ "THREADS=0\n", "t.conf:1: THREADS: 0 is out of range 1..1024" },
		{ "THREADS=1025\n", "t.conf:1: THREADS: 1025 is out of range 1..1024" },
		{ "THREADS=two\n", "t.conf:1: THREADS: 'two' is not an integer" },
		{ "THREADS=\"1 1\"\n", "t.conf:1: THREADS: 1 is listed twice" },
		{ "THREADS=+1\n", "t.conf:1: THREADS: '+1' is not an integer" },
		{ "THREADS=99999999999999999999\n", "t.conf:1: THREADS: 99999999999999999999 is out of range 1..1024" },
		{ "SECONDS=0\n", "t.conf:1: SECONDS: 0 is out of range 1..300" },
		{ "SECONDS=301\n", "t.conf:1: SECONDS: 301 is out of range 1..300" },
		{ "SECONDS=\"1 2\"\n", "t.conf:1: SECONDS takes one value, got 2" },
		{ "REPEAT=0\n", "t.conf:1: REPEAT: 0 is out of range 1..100" },
		{ "REPEAT=1.5\n", "t.conf:1: REPEAT: '1.5' is not an integer" },
		{ "DMA_BITS=19\n", "t.conf:1: DMA_BITS: 19 is out of range 20..64" },
		{ "DMA_BITS=65\n", "t.conf:1: DMA_BITS: 65 is out of range 20..64" },
		{ "NODE=-2\n", "t.conf:1: NODE: -2 is out of range -1..1023" },
		{ "NODE=1024\n", "t.conf:1: NODE: 1024 is out of range -1..1023" },
		{ "TRANS_NS=10000001\n", "t.conf:1: TRANS_NS: 10000001 is out of range 0..10000000" },
		{ "DIR=sideways\n", "t.conf:1: DIR: 'sideways' is not bidirectional, to_device or from_device" },
		{ "MODES=\"single dma\"\n", "t.conf:1: MODES: unknown mode 'dma' (known: single page sg phys phys-mmio resource p2p-provider p2p-pgmap iova-link)" },
		{ "MODES=\"sg sg\"\n", "t.conf:1: MODES: sg is listed twice" },
		{ "ENGINE=In_Kernel\n", "t.conf:1: ENGINE: 'In_Kernel' is not an engine name ([a-z0-9-], under 32 chars)" },
		{ "ENGINE=\"a b\"\n", "t.conf:1: ENGINE takes one value, got 2" },
		{ "SECONDS=1\nSECONDS=2\n", "t.conf:2: SECONDS is set twice" },
		{ "SIZES=\"4K 64K\n", "t.conf:1: unterminated \" quote" },
		{ "SIZES=4K 64K\n", "t.conf:1: unexpected text after the value (quote lists: KEY=\"a b\")" },
		{ "SIZES=\"4K\" x\n", "t.conf:1: unexpected text after the value (quote lists: KEY=\"a b\")" },
		{ "SIZES = 4K\n", "t.conf:1: expected '=' right after the key (KEY=value, no blanks)" },
		{ "sizes=4K\n", "t.conf:1: expected KEY=value" },
		{ "=4K\n", "t.conf:1: expected KEY=value" },
		{ "SIZES\n", "t.conf:1: expected '=' right after the key (KEY=value, no blanks)" },
		{ "SIZES=\n", "t.conf:1: SIZES has an empty value" },
		{ "SIZES=\"\"\n", "t.conf:1: SIZES has an empty value" },
		{ "SIZES=\"  \"\n", "t.conf:1: empty value" },
		{ "NENTS=0\n", "t.conf:1: NENTS: 0 is out of range 1..256" },
		{ "NENTS=\"1 257\"\n", "t.conf:1: NENTS: 257 is out of range 1..256" },
		{ "NENTS=\"4 4\"\n", "t.conf:1: NENTS: 4 is listed twice" },
		{ "BATCH=257\n", "t.conf:1: BATCH: 257 is out of range 0..256" },
		{ "BATCH=-1\n", "t.conf:1: BATCH: -1 is out of range 0..256" },
		{ "ITERATIONS=0\n", "t.conf:1: ITERATIONS: 0 is out of range 1..100000000" },
		{ "ITERATIONS=100000001\n", "t.conf:1: ITERATIONS: 100000001 is out of range 1..100000000" },
		{ "ITERATIONS=1e3\n", "t.conf:1: ITERATIONS: '1e3' is not an integer" },
		{ "SECONDS=1\n# both\nITERATIONS=10\n", "t.conf:3: SECONDS and ITERATIONS are alternatives: set one" },
		{ "ITERATIONS=10\nSECONDS=1\n", "t.conf:2: SECONDS and ITERATIONS are alternatives: set one" },
		{ "TARGET=iommu\n", "t.conf:1: TARGET: 'iommu' is not pci or direct" },
		{ "TARGET=\"pci direct\"\n", "t.conf:1: TARGET takes one value, got 2" },
		{ "DEVICE=00:03.0\n", "t.conf:1: DEVICE: '00:03.0' is not a PCI address dddd:bb:dd.f (hex, device 00..1f, function 0..7)" },
		{ "DEVICE=0000:00:20.0\n", "t.conf:1: DEVICE: '0000:00:20.0' is not a PCI address dddd:bb:dd.f (hex, device 00..1f, function 0..7)" },
		{ "BAR=target:6\n", "t.conf:1: BAR: 'target:6' is not target:N or p2pmem:N (N 0..5)" },
		{ "BAR=2\n", "t.conf:1: BAR: '2' is not target:N or p2pmem:N (N 0..5)" },
		{ "BAR=target:10\n", "t.conf:1: BAR: 'target:10' is not target:N or p2pmem:N (N 0..5)" },
		{ "ATTRS=coherent\n", "t.conf:1: ATTRS: unknown attribute 'coherent' (known: skip_cpu_sync weak_ordering)" },
		{ "ATTRS=\"weak_ordering weak_ordering\"\n", "t.conf:1: ATTRS: weak_ordering is listed twice" },
		{ "ENGINE=kmod\nMODES=sg\nSIZES=4K\nTHREADS=1\nSECONDS=1\nREPEAT=1\nDIR=to\nDMA_BITS=64\n"
		  "NODE=0\nTRANS_NS=0\nNENTS=1\nBATCH=1\nTARGET=pci\nDEVICE=0000:00:03.0\nBAR=target:0\n"
		  "ATTRS=weak_ordering\nBATCH=2\n", "t.conf:17: BATCH is set twice" },
		{ "SIZES=\"4K 8K 16K 32K 64K 128K 256K 512K 1M 2M 4M 4K 8K 16K 32K 64K 128K 256K 512K 1M 2M 4M 4K 8K 16K 32K 64K 128K 256K 512K 1M 2M 4M\"\n",
		  "t.conf:1: too many values (at most 32)" },
	};
	struct bench_config c;
	char err[512], name[300];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = parse(&c, cases[i].text, err, sizeof(err));

		snprintf(name, sizeof(name), "error: %s", cases[i].err);
		if (r != -1) {
			CHECK(0, name);
			continue;
		}
		CHECK_STR(err, cases[i].err, name);
	}
	config_defaults(&c);
	CHECK(parse(&c, "SIZES=\"4K 3K\"\n", err, sizeof(err)) == -1 && c.nsizes == 1 &&
	      c.sizes[0] == 4096, "a rejected list leaves the previous value intact");
	CHECK(config_load(&c, "/nonexistent.conf", err, sizeof(err)) == -1 &&
	      strstr(err, "/nonexistent.conf: No such file") == err, "missing file names the file");
	CHECK(config_load(&c, "/dev/null", err, sizeof(err)) == 0, "empty file loads");
}

static void test_shipped(const char *dir)
{
	struct bench_config c;
	char path[512], err[512];

	snprintf(path, sizeof(path), "%s/inkernel-smoke.conf", dir);
	config_defaults(&c);
	CHECK(config_load(&c, path, err, sizeof(err)) == 0, "configs/inkernel-smoke.conf loads");
	CHECK(!strcmp(c.engine, "inkernel") && c.nsizes == 2 && c.sizes[1] == 65536 &&
	      c.nthreads == 1 && c.seconds == 1 && c.repeat == 3 && c.dma_bits == 64,
	      "smoke: 4K 64K, 1 thread, 1 s, repeat 3, 64-bit mask");
	snprintf(path, sizeof(path), "%s/inkernel-default.conf", dir);
	config_defaults(&c);
	CHECK(config_load(&c, path, err, sizeof(err)) == 0, "configs/inkernel-default.conf loads");
	CHECK(c.nsizes == 3 && c.sizes[2] == 1048576 && c.nthreads == 2 && c.threads[1] == 2 &&
	      c.seconds == 2 && c.repeat == 3 && c.dma_bits == 64,
	      "default: 4K 64K 1M, threads 1 2, 2 s, repeat 3");

	snprintf(path, sizeof(path), "%s/kmod-smoke.conf", dir);
	config_defaults(&c);
	CHECK(config_load(&c, path, err, sizeof(err)) == 0, "configs/kmod-smoke.conf loads");
	CHECK(!strcmp(c.engine, "kmod") && c.nmodes == 9 && c.nsizes == 1 && c.sizes[0] == 4096 &&
	      c.nthreads == 1 && c.nnents == 2 && c.nents[1] == 4 && c.iterations > 0 &&
	      c.seconds == 0 && c.bar_dev == CFG_BAR_TARGET,
	      "kmod smoke: every mode, 4K, 1 thread, nents 1 4, iterations, a target BAR");
	snprintf(path, sizeof(path), "%s/kmod-default.conf", dir);
	config_defaults(&c);
	CHECK(config_load(&c, path, err, sizeof(err)) == 0, "configs/kmod-default.conf loads");
	CHECK(!strcmp(c.engine, "kmod") && c.nmodes == 7 && c.nsizes == 3 && c.sizes[2] == 1048576 &&
	      c.nthreads == 2 && c.nnents == 2 && c.nents[1] == 8 && c.repeat == 3 &&
	      c.iterations > 0 && c.seconds == 0 && c.dma_bits == 64,
	      "kmod default: 7 modes, 4K 64K 1M, threads 1 2, nents 1 8, repeat 3, iterations");
}

int main(int argc, char **argv)
{
	test_sizes();
	test_good();
	test_errors();
	test_shipped(argc > 1 ? argv[1] : "configs");
	return harness_done();
}
