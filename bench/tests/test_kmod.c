/*
 * Tests for the kmod engine without a module: the uAPI layout, the model
 * of the module's checks, cells and their names, the request, device
 * resolution from a fake INFO answer, and the conversion of fake struct
 * dmabench_results into result files, compared byte for byte.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "engine_kmod.h"
#include "harness.h"
#include "kmod_uapi.h"

static void test_abi(void)
{
	CHECK_INT(sizeof(struct dmabench_run), 176, "struct dmabench_run is 176 bytes");
	CHECK_INT(offsetof(struct dmabench_run, buf_size), 16, "buf_size at 16");
	CHECK_INT(offsetof(struct dmabench_run, iterations), 40, "iterations at 40");
	CHECK_INT(offsetof(struct dmabench_run, bar_offset), 88, "bar_offset at 88");
	CHECK_INT(offsetof(struct dmabench_run, results_ptr), 96, "results_ptr at 96");
	CHECK_INT(offsetof(struct dmabench_run, dmabuf_fd), 112, "dmabuf_fd at 112");
	CHECK_INT(offsetof(struct dmabench_run, reserved), 120, "reserved at 120");
	CHECK_INT(sizeof(struct dmabench_results), 27904, "struct dmabench_results is 27904 bytes");
	CHECK_INT(offsetof(struct dmabench_results, phase), 112, "phase[] at 112");
	CHECK_INT(DMABENCH_HIST_NBUCKETS, 1152, "1152 histogram buckets");
	CHECK_INT(sizeof(struct dmabench_info) % 8, 0, "struct dmabench_info is 8-byte sized");
	/* _IOW: dir 1 << 30 | size 176 << 16 | 0xDB << 8 | nr 0x41 */
	CHECK_INT((unsigned long)DMABENCH_IOC_RUN, 0x40b0db41ul, "RUN ioctl number 0x40b0db41");
	CHECK_INT(_IOC_NR(DMABENCH_IOC_INFO), 0x40, "INFO ioctl nr 0x40");
	CHECK_INT(_IOC_DIR(DMABENCH_IOC_INFO), _IOC_READ | _IOC_WRITE, "INFO is _IOWR");
	CHECK(engine_find("kmod") == &engine_kmod, "engine kmod is registered");
}

static struct cell make_cell(const char *mode, uint64_t size)
{
	struct cell c;

	memset(&c, 0, sizeof(c));
	strcpy(c.engine, "kmod");
	strcpy(c.mode, mode);
	c.size = size;
	c.threads = 1;
	c.dir = CFG_DIR_BIDIRECTIONAL;
	c.dma_bits = 64;
	c.node = -1;
	c.seconds = 1;
	c.repeat = 2;
	c.nents = 1;
	return c;
}

static void check_refused(struct cell c, const char *want, const char *name)
{
	char err[300] = "";

	CHECK(kmod_check_cell(&c, err, sizeof(err)) == -1, name);
	CHECK_STR(err, want, "... with the reason");
}

static void test_cells(void)
{
	struct cell c;
	char err[300], name[160];

	c = make_cell("phys-mmio", 4096);
	check_refused(c, "mode phys-mmio maps a BAR: set BAR=target:N or BAR=p2pmem:N",
		      "an MMIO mode without BAR is refused");
	c = make_cell("resource", 4096);
	c.bar_dev = CFG_BAR_TARGET;
	c.target = CFG_TARGET_DIRECT;
	check_refused(c, "BAR=target:0 needs TARGET=pci: the direct target has no BARs",
		      "a target BAR with the direct target is refused");
	c = make_cell("single", 4096);
	c.target = CFG_TARGET_DIRECT;
	c.has_device = 1;
	check_refused(c, "DEVICE names a PCI target: it does not go with TARGET=direct",
		      "DEVICE with TARGET=direct is refused");
	c = make_cell("single", 4096);
	c.trans_ns = 10;
	check_refused(c, "engine kmod has no simulated transfer time: TRANS_NS must be 0",
		      "TRANS_NS is refused");
	c = make_cell("single", 4096);
	c.threads = 65;
	check_refused(c, "threads 65: the module runs 1..64 threads", "65 threads are refused");
	c = make_cell("single", 4096);
	c.dma_bits = 31;
	check_refused(c, "dma_bits 31: the module takes 32..64", "a 31-bit mask is refused");
	c = make_cell("sg", 4u << 20);
	c.threads = 64;
	c.nents = 256;
	c.batch = 1;
	check_refused(c, "the module would refuse this cell: threads x nents x buf_size x batch = "
		      "68719476736 bytes is above 268435456", "more than 256 MiB of buffers is refused");

	c = make_cell("sg", 65536);
	c.nents = 8;
	c.threads = 2;
	c.iterations = 1000;
	CHECK(kmod_check_cell(&c, err, sizeof(err)) == 0 && c.extended && c.nents == 8 &&
	      c.target == CFG_TARGET_PCI && isnan(c.overhead_share), "sg cell accepted, pci target");
	result_file_name(&c, name, sizeof(name));
	CHECK_STR(name, "kmod-sg-64K-n8-t2-pci-bidir.json", "sg cell file name names nents");
	c = make_cell("single", 4096);
	c.nents = 4;		/* NENTS does not apply to single */
	c.bar_dev = CFG_BAR_TARGET;	/* nor BAR */
	CHECK(kmod_check_cell(&c, err, sizeof(err)) == 0 && c.nents == 0 &&
	      c.bar_dev == CFG_BAR_NONE, "single cell: no nents, no BAR");
	result_file_name(&c, name, sizeof(name));
	CHECK_STR(name, "kmod-single-4K-t1-pci-bidir.json", "single cell file name");
	c = make_cell("resource", 1u << 20);
	c.bar_dev = CFG_BAR_P2PMEM;
	c.bar = 4;
	c.dir = CFG_DIR_TO_DEVICE;
	c.dma_bits = 32;
	c.node = 0;
	c.attrs = CFG_ATTR_SKIP_CPU_SYNC | CFG_ATTR_WEAK_ORDERING;
	c.target = CFG_TARGET_PCI;
	CHECK(kmod_check_cell(&c, err, sizeof(err)) == 0, "resource cell on a p2pmem BAR accepted");
	result_file_name(&c, name, sizeof(name));
	CHECK_STR(name, "kmod-resource-1M-t1-pci-to-bits32-node0-p2pmem-bar4-skip_cpu_sync-"
		  "weak_ordering.json", "every non-default parameter is in the name");
	c = make_cell("phys", 4096);
	c.target = CFG_TARGET_DIRECT;
	c.dir = CFG_DIR_FROM_DEVICE;
	kmod_check_cell(&c, err, sizeof(err));
	result_file_name(&c, name, sizeof(name));
	CHECK_STR(name, "kmod-phys-4K-t1-direct-from.json", "direct target in the name");
}

static void test_request(void)
{
	struct dmabench_results res;
	struct dmabench_run req;
	struct cell c = make_cell("phys-mmio", 65536);
	char err[200];

	c.bar_dev = CFG_BAR_TARGET;
	c.bar = 2;
	c.iterations = 500;
	c.batch = 4;
	c.attrs = CFG_ATTR_WEAK_ORDERING;
	c.has_device = 1;
	c.domain = 1;
	c.bdf = DMABENCH_PCI_BDF(0, 3, 0);
	c.dir = CFG_DIR_TO_DEVICE;
	CHECK(kmod_check_cell(&c, err, sizeof(err)) == 0, "phys-mmio cell accepted");
	memset(&req, 0xff, sizeof(req));
	kmod_fill_request(&c, &req, &res);
	CHECK(req.size == 176 && req.version == 1 && req.flags == 0 &&
	      req.mode == DMABENCH_MODE_PHYS_MMIO && req.buf_size == 65536 && req.nents == 1 &&
	      req.dir == 1 && req.threads == 1 && req.node == -1 && req.iterations == 500 &&
	      req.seconds == 0 && req.batch == 4 && req.dma_bits == 64 &&
	      req.attrs == DMABENCH_ATTR_WEAK_ORDERING && req.target == DMABENCH_TARGET_PCI &&
	      req.target_domain == 1 && req.target_bdf == 0x18 && req.bar_dev == 1 &&
	      req.bar == 2 && req.reserved0 == 0 && req.bar_offset == 0 &&
	      req.results_ptr == (uintptr_t)&res && req.results_size == sizeof(res) &&
	      req.dmabuf_fd == 0 && req.reserved1 == 0 && req.reserved[6] == 0,
	      "request fields, the rest zeroed");
	CHECK(kmod_check_run(&req, NULL, err, sizeof(err)) == 0, "the model accepts the request");
	c = make_cell("single", 4096);
	kmod_check_cell(&c, err, sizeof(err));
	kmod_fill_request(&c, &req, &res);
	CHECK(req.seconds == 1 && req.iterations == 0 && req.nents == 1 && req.bar_dev == 0 &&
	      req.target_bdf == 0, "a seconds cell: seconds set, iterations 0");
}

struct model_case {
	const char *what;
	size_t off, width;
	uint64_t val;
	const char *why;	/* NULL: accepted */
};

#define AT(f) offsetof(struct dmabench_run, f), sizeof(((struct dmabench_run *)0)->f)

static void test_model(void)
{
	static const struct model_case cases[] = {
		{ "size", AT(size), 175, "size 175 is not sizeof(struct dmabench_run) 176" },
		{ "version", AT(version), 2, "version 2 is not 1" },
		{ "flags", AT(flags), 2, "unknown flags 0x2" },
		{ "hold on page", AT(flags), DMABENCH_RUN_HOLD,
		  "DMABENCH_RUN_HOLD needs dmabuf-sg or dmabuf-phys, 1 thread and seconds" },
		{ "reserved0", AT(reserved0), 1, "reserved0 is not 0" },
		{ "reserved1", AT(reserved1), 1, "reserved1 is not 0" },
		{ "dmabuf_fd for page", AT(dmabuf_fd), 3, "dmabuf_fd must be 0 for mode page" },
		{ "reserved[6]", offsetof(struct dmabench_run, reserved) + 48, 8, 1,
		  "reserved[6] is not 0" },
		{ "mode 0", AT(mode), 0, "mode 0 is not a mode" },
		{ "mode NR", AT(mode), DMABENCH_MODE_NR, "mode 13 is not a mode" },
		{ "buf_size 6K", AT(buf_size), 6144, "buf_size 6144 is not a power of two in 4K..4M" },
		{ "buf_size 8M", AT(buf_size), 8u << 20, "buf_size 8388608 is not a power of two in 4K..4M" },
		{ "buf_size 4M", AT(buf_size), 4u << 20, NULL },
		{ "nents 0", AT(nents), 0, "nents 0 is not 1..256" },
		{ "nents 2 for page", AT(nents), 2, "mode page takes no sg entries (nents 2)" },
		{ "dir 3", AT(dir), 3, "dir 3 is not 0..2" },
		{ "node -2", AT(node), (uint32_t)-2, "node -2 is not -1 or an online node" },
		{ "node 1", AT(node), 1, "node 1 is not -1 or an online node" },
		{ "node 0", AT(node), 0, NULL },
		{ "threads 0", AT(threads), 0, "threads 0 is not 1..64" },
		{ "threads 5", AT(threads), 5, "threads 5 is more than the 4 online CPUs" },
		{ "iterations 0", AT(iterations), 0, "exactly one of iterations and seconds must be set" },
		{ "seconds 1", AT(seconds), 1, "exactly one of iterations and seconds must be set" },
		{ "iterations max+1", AT(iterations), 100000001,
		  "iterations 100000001 is above 100000000" },
		{ "batch 257", AT(batch), 257, "batch 257 is above 256" },
		{ "batch 256", AT(batch), 256, NULL },
		{ "dma_bits 31", AT(dma_bits), 31, "dma_bits 31 is not 0 or 32..64" },
		{ "dma_bits 0", AT(dma_bits), 0, NULL },
		{ "attrs 4", AT(attrs), 4, "unknown attrs 0x4" },
		{ "target 0", AT(target), 0, "target 0 is not DMABENCH_TARGET_PCI or _DIRECT" },
		{ "target_bdf for direct", AT(target_bdf), 0x18,
		  "target_domain and target_bdf must be 0 for the direct target" },
		{ "bar_dev for page", AT(bar_dev), 1, "bar_dev, bar and bar_offset must be 0 for mode page" },
		{ "bar_offset for page", AT(bar_offset), 4096,
		  "bar_dev, bar and bar_offset must be 0 for mode page" },
		{ "results_ptr 0", AT(results_ptr), 0, "results_ptr is NULL" },
		{ "results_size", AT(results_size), 27903,
		  "results_size 27903 is below sizeof(struct dmabench_results) 27904" },
		{ "results_size max", AT(results_size), UINT64_MAX, NULL },
	};
	struct kmod_limits lim;
	struct dmabench_run base, r;
	char why[200], name[200];
	size_t i;

	memset(&lim, 0, sizeof(lim));
	lim.nr_cpus = 4;
	lim.online_nodes = 1;
	lim.node_cpus[0] = 4;
	memset(&base, 0, sizeof(base));
	base.size = sizeof(base);
	base.version = DMABENCH_UAPI_VERSION;
	base.mode = DMABENCH_MODE_PAGE;
	base.buf_size = 4096;
	base.nents = 1;
	base.node = -1;
	base.threads = 2;
	base.iterations = 10;
	base.target = DMABENCH_TARGET_DIRECT;
	base.results_ptr = 4096;
	base.results_size = sizeof(struct dmabench_results);
	CHECK(kmod_check_run(&base, &lim, why, sizeof(why)) == 0, "model: the base request passes");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret;

		r = base;
		memcpy((char *)&r + cases[i].off, &cases[i].val, cases[i].width);
		ret = kmod_check_run(&r, &lim, why, sizeof(why));
		snprintf(name, sizeof(name), "model: %s -> %s", cases[i].what,
			 cases[i].why ? cases[i].why : "accepted");
		if (cases[i].why)
			CHECK(ret == EINVAL && !strcmp(why, cases[i].why), name);
		else
			CHECK(ret == 0, name);
		if (ret && cases[i].why && strcmp(why, cases[i].why))
			printf("#   got \"%s\"\n", why);
	}
	r = base;
	r.target = DMABENCH_TARGET_PCI;
	r.target_domain = 0x10000;
	r.target_bdf = 0xffff;
	CHECK(kmod_check_run(&r, &lim, why, sizeof(why)) == 0, "model: any PCI domain, bdf 0xffff");
	r.target_bdf = 0x10000;
	CHECK(kmod_check_run(&r, &lim, why, sizeof(why)) == EINVAL &&
	      !strcmp(why, "target_bdf 0x10000 is above 0xffff"), "model: bdf above 0xffff");
	r = base;
	r.mode = DMABENCH_MODE_RESOURCE;
	CHECK(kmod_check_run(&r, &lim, why, sizeof(why)) == EINVAL &&
	      !strcmp(why, "bar_dev 0 is not DMABENCH_BAR_TARGET or _P2PMEM (mode resource maps "
		      "a BAR)"), "model: an MMIO mode needs bar_dev");
	r.bar_dev = DMABENCH_BAR_P2PMEM;
	r.bar_offset = 100;
	CHECK(kmod_check_run(&r, &lim, why, sizeof(why)) == EINVAL &&
	      !strcmp(why, "bar_offset 100 is not page-aligned"), "model: bar_offset page-aligned");
	r.bar_offset = 8192;
	r.bar = 6;
	CHECK(kmod_check_run(&r, &lim, why, sizeof(why)) == EINVAL && !strcmp(why, "bar 6 is not 0..5"),
	      "model: bar index 0..5");
	r = base;
	r.mode = DMABENCH_MODE_SG;
	r.nents = 128;
	r.buf_size = 1u << 20;
	CHECK(kmod_effective_batch(&r) == 1 && kmod_check_run(&r, &lim, why, sizeof(why)) == 0,
	      "model: 2 x 128 x 1M = 256 MiB: the default batch halves to 1, which fits");
	r.nents = 256;
	CHECK(kmod_check_run(&r, &lim, why, sizeof(why)) == EINVAL &&
	      !strcmp(why, "threads x nents x buf_size x batch = 536870912 bytes is above 268435456"),
	      "model: 2 x 256 x 1M at batch 1 is above 256 MiB");
	r = base;
	r.mode = DMABENCH_MODE_SG;
	r.nents = 8;
	r.buf_size = 1u << 20;
	CHECK_INT(kmod_effective_batch(&r), 16, "default batch: 2 x 8 x 1M halves 32 to 16");
	r.batch = 3;
	CHECK_INT(kmod_effective_batch(&r), 3, "an explicit batch is taken as asked");
	CHECK(kmod_mode_takes_nents(DMABENCH_MODE_IOVA_LINK) && !kmod_mode_takes_nents(DMABENCH_MODE_PHYS) &&
	      kmod_mode_maps_bar(DMABENCH_MODE_P2P_PROVIDER) && !kmod_mode_maps_bar(DMABENCH_MODE_SG),
	      "mode properties as the module has them");
	CHECK_STR(kmod_iommu_name(DMABENCH_IOMMU_DMA_FQ), "dma-fq", "IOMMU domain names");
	CHECK(kmod_iommu_name(6) == NULL, "... NULL for an unknown one");
}

static void test_limits(void)
{
	char dir[] = "/tmp/dmabench-test-sys.XXXXXX", path[300];
	struct kmod_limits lim;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL, "temporary sysfs");
	kmod_read_limits(&lim, 6, dir);
	CHECK(lim.nr_cpus == 6 && lim.online_nodes == 1 && lim.node_cpus[0] == 6 &&
	      lim.page_size > 0, "no node directory: node 0 with every CPU");
	snprintf(path, sizeof(path), "%s/devices", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/devices/system", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/devices/system/node", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/devices/system/cpu", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/devices/system/node/node1", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/devices/system/node/online", dir);
	f = fopen(path, "w");
	fputs("1\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/devices/system/cpu/online", dir);
	f = fopen(path, "w");
	fputs("0-2,5\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/devices/system/node/node1/cpulist", dir);
	f = fopen(path, "w");
	fputs("2-5\n", f);
	fclose(f);
	kmod_read_limits(&lim, 4, dir);
	CHECK(lim.online_nodes == 2 && lim.node_cpus[1] == 2 && lim.node_cpus[0] == 0,
	      "node 1 online with CPUs 2-5, of which 2 and 5 are online");
	remove(path);
	snprintf(path, sizeof(path), "%s/devices/system/cpu/online", dir);
	remove(path);
	snprintf(path, sizeof(path), "%s/devices/system/node/online", dir);
	remove(path);
	snprintf(path, sizeof(path), "%s/devices/system/node/node1", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/devices/system/node", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/devices/system/cpu", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/devices/system", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/devices", dir);
	rmdir(path);
	rmdir(dir);
}

static void fake_info(struct dmabench_info *info, unsigned int ndev)
{
	unsigned int i;

	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->version = DMABENCH_UAPI_VERSION;
	info->nr_online_cpus = 2;
	info->nr_devices = ndev;
	for (i = 0; i < ndev; i++) {
		info->dev[i].domain = 0;
		info->dev[i].bdf = DMABENCH_PCI_BDF(0, 3 + i, 0);
		info->dev[i].bar_len[0] = 1u << 20;
	}
}

static void test_setup(void)
{
	struct dmabench_info info;
	struct cell cells[2];
	char err[300];

	cells[0] = make_cell("single", 4096);
	cells[1] = make_cell("resource", 1u << 20);
	cells[1].bar_dev = CFG_BAR_TARGET;
	kmod_check_cell(&cells[0], err, sizeof(err));
	kmod_check_cell(&cells[1], err, sizeof(err));
	fake_info(&info, 0);
	CHECK(kmod_setup_cells(&info, cells, 2, err, sizeof(err)) == ENGINE_UNAVAILABLE &&
	      !strcmp(err, "no PCI device is bound to the dmabench module: bind one "
		      "(driver_override) or use TARGET=direct"), "no bound device: unavailable");
	fake_info(&info, 2);
	CHECK(kmod_setup_cells(&info, cells, 2, err, sizeof(err)) == ENGINE_BADINPUT &&
	      !strcmp(err, "2 PCI devices are bound to the dmabench module (0000:00:03.0 "
		      "0000:00:04.0): choose one with DEVICE="), "two bound devices: choose");
	fake_info(&info, 1);
	CHECK(kmod_setup_cells(&info, cells, 2, err, sizeof(err)) == 0 && cells[0].has_device &&
	      cells[0].bdf == 0x18 && cells[1].has_device, "one bound device: taken");
	cells[0] = make_cell("p2p-pgmap", 4096);
	kmod_check_cell(&cells[0], err, sizeof(err));
	CHECK(kmod_setup_cells(&info, cells, 1, err, sizeof(err)) == ENGINE_BADINPUT &&
	      !strcmp(err, "cell kmod-p2p-pgmap-4K-n1-t1-pci-bidir: no p2pmem provider is reachable "
		      "from 0000:00:03.0 (DMABENCH_IOC_INFO)"), "p2p-pgmap without a provider is refused");
	info.dev[0].flags = DMABENCH_DEVF_P2PMEM;
	CHECK(kmod_setup_cells(&info, cells, 1, err, sizeof(err)) == 0,
	      "p2p-pgmap with a provider is accepted");
	cells[0] = make_cell("single", 4096);
	kmod_check_cell(&cells[0], err, sizeof(err));
	cells[1].size = 2u << 20;
	CHECK(kmod_setup_cells(&info, cells, 2, err, sizeof(err)) == ENGINE_BADINPUT &&
	      !strcmp(err, "cell kmod-resource-2M-t1-pci-bidir-target-bar0: BAR 0 of 0000:00:03.0 "
		      "is smaller than the size"), "a BAR smaller than the size is refused");
	cells[1].size = 4096;
	cells[1].bar = 1;
	CHECK(kmod_setup_cells(&info, cells, 2, err, sizeof(err)) == ENGINE_BADINPUT &&
	      strstr(err, "BAR 1 of 0000:00:03.0 is not a usable memory BAR"),
	      "an unusable BAR is refused");
	cells[0].has_device = 1;
	cells[0].bdf = DMABENCH_PCI_BDF(0, 9, 0);
	CHECK(kmod_setup_cells(&info, cells, 1, err, sizeof(err)) == ENGINE_UNAVAILABLE &&
	      !strcmp(err, "device 0000:00:09.0 is not bound to the dmabench module (bound: "
		      "0000:00:03.0)"), "DEVICE not bound: unavailable");
	cells[0] = make_cell("single", 4096);
	cells[0].threads = 4;
	kmod_check_cell(&cells[0], err, sizeof(err));
	CHECK(kmod_setup_cells(&info, cells, 1, err, sizeof(err)) == ENGINE_BADINPUT &&
	      !strcmp(err, "cell kmod-single-4K-t4-pci-bidir: 4 threads, but the system has 2 "
		      "online CPUs"), "more threads than CPUs is refused");
}

/* Adds samples (ns per op) to one phase of a fake answer. */
static void add_samples(struct dmabench_phase_stats *p, const uint64_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		hist_u128 sq = ((hist_u128)p->sumsq_hi << 64 | p->sumsq_lo) + (hist_u128)v[i] * v[i];

		if (p->n == 0 || v[i] < p->min_ns)
			p->min_ns = v[i];
		if (v[i] > p->max_ns)
			p->max_ns = v[i];
		p->n++;
		p->sum_ns += v[i];
		p->sumsq_lo = (uint64_t)sq;
		p->sumsq_hi = (uint64_t)(sq >> 64);
		p->hist[dmabench_hist_index(v[i], DMABENCH_HIST_SUB_BITS, DMABENCH_HIST_MAX_BITS)]++;
	}
}

static void fake_results(struct dmabench_results *res, const struct dmabench_run *req,
			 const uint64_t *map, const uint64_t *unmap, size_t n, uint64_t toh)
{
	uint64_t both[16];
	size_t i;

	memset(res, 0, sizeof(*res));
	res->size = sizeof(*res);
	res->version = DMABENCH_UAPI_VERSION;
	res->mode = req->mode;
	res->threads = req->threads;
	res->batch = 32;
	res->dma_bits = 64;
	res->iommu = DMABENCH_IOMMU_DMA;
	res->hist_layout_version = DMABENCH_HIST_LAYOUT_VERSION;
	res->hist_sub_bits = DMABENCH_HIST_SUB_BITS;
	res->hist_max_bits = DMABENCH_HIST_MAX_BITS;
	res->hist_nbuckets = DMABENCH_HIST_NBUCKETS;
	res->timer_overhead_ns = toh;
	res->ops = n * 32;
	res->elapsed_ns = n * 32 * 200;
	for (i = 0; i < n; i++)
		both[i] = map[i] + unmap[i];
	add_samples(&res->phase[DMABENCH_PHASE_MAP], map, n);
	add_samples(&res->phase[DMABENCH_PHASE_UNMAP], unmap, n);
	add_samples(&res->phase[DMABENCH_PHASE_MAP_UNMAP], both, n);
}

static void test_convert(void)
{
	static const uint64_t map[] = { 100, 110, 120, 130 }, unmap[] = { 50, 50, 60, 60 };
	static struct dmabench_results res;
	struct dmabench_run req;
	struct run_record run;
	struct cell c = make_cell("single", 4096);
	char err[300];
	size_t i;

	kmod_check_cell(&c, err, sizeof(err));
	kmod_fill_request(&c, &req, &res);
	fake_results(&res, &req, map, unmap, 4, 20);
	CHECK(kmod_to_run(&res, &req, &run, err, sizeof(err)) == 0, "a fake answer converts");
	CHECK_DBL(run.m[KMOD_MAP].n, 4, 0, "map n: samples");
	CHECK_DBL(run.m[KMOD_MAP].mean, 115, 0, "map mean = sum / n");
	/* sample variance of 100 110 120 130: 500/3 */
	CHECK_DBL(run.m[KMOD_MAP].op_stddev, sqrt(500.0 / 3.0), 1e-12,
		  "map op_stddev exact from sum and sum of squares");
	CHECK(run.m[KMOD_MAP].min == 100 && run.m[KMOD_MAP].max == 130, "map min and max");
	CHECK_DBL(run.m[KMOD_MAP_UNMAP].mean, 170, 0, "map+unmap mean");
	CHECK_DBL(run.m[KMOD_UNMAP].ops_per_s, 5e6, 1e-6, "ops/s = ops / elapsed");
	CHECK(run.hist[KMOD_MAP] && run.hist[KMOD_MAP]->n == 4 &&
	      hist_percentile(run.hist[KMOD_MAP], 50) == 110.5, "the run's histogram, p50 110.5");
	CHECK(run.nraw == 25 && !strcmp(run.raw[4].key, "timer_overhead_ns") && run.raw[4].val == 20 &&
	      !strcmp(run.raw[24].key, "map_unmap_sumsq_hi"), "25 raw fields, verbatim");
	for (i = 0; i < KMOD_NMETRICS; i++)
		result_hist_delete(run.hist[i]);

	res.status = -ENOMEM;
	CHECK(kmod_to_run(&res, &req, &run, err, sizeof(err)) == -1 &&
	      !strcmp(err, "the run stopped early: Cannot allocate memory (results.status -12)"),
	      "results.status != 0 fails the run with the errno text");
	res.status = 0;
	res.phase[1].hist[3]++;
	CHECK(kmod_to_run(&res, &req, &run, err, sizeof(err)) == -1 &&
	      !strcmp(err, "results: phase 1 holds 5 samples in its histogram for n 4 (min 50, "
		      "max 60): inconsistent"), "a histogram that disagrees with n fails");
	res.phase[1].hist[3]--;
	res.threads = 2;
	CHECK(kmod_to_run(&res, &req, &run, err, sizeof(err)) == -1 &&
	      !strcmp(err, "results: mode 1 threads 2 do not echo the request (1, 1)"),
	      "an answer for another request fails");
	res.threads = 1;
	res.hist_sub_bits = 4;
	CHECK(kmod_to_run(&res, &req, &run, err, sizeof(err)) == -1 &&
	      strstr(err, "histogram layout 1 (sub_bits 4"), "a foreign histogram layout fails");
	res.hist_sub_bits = DMABENCH_HIST_SUB_BITS;
	res.size = 100;
	CHECK(kmod_to_run(&res, &req, &run, err, sizeof(err)) == -1 &&
	      !strcmp(err, "results: size 100 version 1, want 27904 and 1 (module and bench/ built "
		      "from different headers?)"), "a foreign results size fails");
}

static char *write_doc(const struct result *r)
{
	struct env env;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	memset(&env, 0, sizeof(env));
	env.val[ENV_KERNEL] = "6.12.117";
	env.val[ENV_TREE] = "patched";
	result_write(f, &env, r);
	fclose(f);
	return buf;
}

static const char *read_file(const char *path)
{
	static char buf[1 << 16];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	return buf;
}

/* Two runs of a 2-entry sg cell, converted, merged, aggregated, finished and written. */
static void test_result_file(const char *data)
{
	static const uint64_t map1[] = { 100, 110, 120, 130 }, unmap1[] = { 50, 50, 60, 60 };
	static const uint64_t map2[] = { 90, 100, 100, 250 }, unmap2[] = { 40, 50, 50, 70 };
	static struct dmabench_results res;
	struct result *r = calloc(1, sizeof(*r));
	struct dmabench_run req;
	struct loaded_result lr;
	char err[300], path[] = "/tmp/dmabench-test-kmod.XXXXXX", want[600];
	char *buf;
	FILE *f;
	int fd;

	r->cell = make_cell("sg", 4096);
	r->cell.nents = 2;
	r->cell.iterations = 4;
	r->cell.has_device = 1;
	r->cell.bdf = DMABENCH_PCI_BDF(0, 3, 0);
	CHECK(kmod_check_cell(&r->cell, err, sizeof(err)) == 0, "sg cell for the file");
	engine_kmod.describe(r);
	kmod_fill_request(&r->cell, &req, &res);
	fake_results(&res, &req, map1, unmap1, 4, 20);
	kmod_to_run(&res, &req, &r->runs[r->nruns++], err, sizeof(err));
	fake_results(&res, &req, map2, unmap2, 4, 24);
	kmod_to_run(&res, &req, &r->runs[r->nruns++], err, sizeof(err));
	CHECK(result_merge_hists(r) == 0 && r->hist[KMOD_MAP]->n == 8, "histograms merge");
	result_aggregate(r);
	engine_kmod.finish(r);
	CHECK(r->cell.nparams == 2 && r->cell.params[0].val == 32 && r->cell.params[1].val == 24,
	      "engine_params: batch 32, timer overhead the larger of 20 and 24");
	/* 2 * 24 / (32 * mean of the run means 170 and 187.5) */
	CHECK_DBL(r->cell.overhead_share, 48.0 / (32.0 * 178.75), 1e-15, "timer overhead share");
	CHECK_STR(r->cell.iommu_domain, "dma", "IOMMU domain of the runs");
	buf = write_doc(r);
	snprintf(want, sizeof(want), "%s/kmod-sg-4K-n2-t1-pci-bidir.json", data);
	CHECK_STR(buf, read_file(want), "result JSON from fake module answers is exactly "
		  "tests/data/kmod-sg-4K-n2-t1-pci-bidir.json");

	fd = mkstemp(path);
	f = fdopen(fd, "w");
	fputs(buf, f);
	fclose(f);
	CHECK(result_read(path, &lr, err, sizeof(err)) == 0, "the written file reads back");
	CHECK(lr.cell.extended && lr.cell.nents == 2 && lr.cell.target == CFG_TARGET_PCI &&
	      lr.cell.has_device && lr.cell.bdf == 0x18 && lr.cell.node == -1 &&
	      lr.cell.bar_dev == CFG_BAR_NONE && lr.cell.attrs == 0 && !lr.unsupported,
	      "read back: the kmod cell keys");
	CHECK(lr.m[0].np50 == 2 && lr.m[0].run_p50[0] == 110.5 && lr.m[0].np99 == 2 &&
	      lr.m[0].run_p99[1] == 250, "read back: per-run p50 and p99");
	result_loaded_free(&lr);
	remove(path);
	free(buf);
	result_free_hists(r);
	CHECK(r->hist[0] == NULL && r->runs[1].hist[2] == NULL, "histograms freed");

	/* an unsupported cell: no runs, null metrics, the reason */
	memset(r, 0, sizeof(*r));
	r->cell = make_cell("iova-link", 4096);
	kmod_check_cell(&r->cell, err, sizeof(err));
	engine_kmod.describe(r);
	r->status = RESULT_UNSUPPORTED;
	snprintf(r->status_detail, sizeof(r->status_detail), "DMABENCH_IOC_RUN: Operation not "
		 "supported (this module build or kernel cannot run the mode)");
	result_merge_hists(r);
	result_aggregate(r);
	buf = write_doc(r);
	snprintf(want, sizeof(want), "%s/kmod-iova-link-4K-n1-t1-pci-bidir.json", data);
	CHECK_STR(buf, read_file(want), "unsupported result JSON is exactly "
		  "tests/data/kmod-iova-link-4K-n1-t1-pci-bidir.json");
	free(buf);
	free(r);
}

/* A run slowed by test_map_delay_ns carries the delay in raw and engine_params. */
static void test_injected_delay(void)
{
	static const uint64_t map[] = { 100, 110, 120, 130 }, unmap[] = { 50, 50, 60, 60 };
	static struct dmabench_results res;
	struct result *r = calloc(1, sizeof(*r));
	struct dmabench_run req;
	char err[300];

	r->cell = make_cell("single", 4096);
	kmod_check_cell(&r->cell, err, sizeof(err));
	engine_kmod.describe(r);
	kmod_fill_request(&r->cell, &req, &res);
	fake_results(&res, &req, map, unmap, 4, 20);
	kmod_to_run(&res, &req, &r->runs[r->nruns++], err, sizeof(err));
	res.injected_map_delay_ns = 20000;
	CHECK(kmod_to_run(&res, &req, &r->runs[r->nruns++], err, sizeof(err)) == 0,
	      "a slowed run converts");
	CHECK(r->runs[0].nraw == 25 && r->runs[1].nraw == 26 &&
	      !strcmp(r->runs[1].raw[7].key, "injected_map_delay_ns") &&
	      r->runs[1].raw[7].val == 20000, "raw: the delay only where the module used one");
	result_merge_hists(r);
	result_aggregate(r);
	engine_kmod.finish(r);
	CHECK(r->cell.nparams == 3 && !strcmp(r->cell.params[2].key, "injected_map_delay_ns") &&
	      r->cell.params[2].val == 20000, "engine_params: the largest injected delay");
	result_free_hists(r);
	free(r);
}

int main(int argc, char **argv)
{
	test_abi();
	test_cells();
	test_request();
	test_model();
	test_limits();
	test_setup();
	test_convert();
	test_injected_delay();
	test_result_file(argc > 1 ? argv[1] : "tests/data/kmod-json");
	return harness_done();
}
