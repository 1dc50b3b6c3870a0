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
		{ "FOO=1\n", "t.conf:1: unknown key 'FOO' (known: ENGINE MODES SIZES THREADS SECONDS REPEAT DIR DMA_BITS NODE TRANS_NS)" },
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
}

int main(int argc, char **argv)
{
	test_sizes();
	test_good();
	test_errors();
	test_shipped(argc > 1 ? argv[1] : "configs");
	return harness_done();
}
