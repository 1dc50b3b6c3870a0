#include "engine_kmod.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "engine.h"
#include "kmod_uapi.h"

/* The config's enums carry the uAPI's values: no translation table. */
_Static_assert(CFG_TARGET_PCI == DMABENCH_TARGET_PCI &&
	       CFG_TARGET_DIRECT == DMABENCH_TARGET_DIRECT, "TARGET values");
_Static_assert(CFG_BAR_TARGET == DMABENCH_BAR_TARGET &&
	       CFG_BAR_P2PMEM == DMABENCH_BAR_P2PMEM, "BAR values");
_Static_assert(CFG_ATTR_SKIP_CPU_SYNC == DMABENCH_ATTR_SKIP_CPU_SYNC &&
	       CFG_ATTR_WEAK_ORDERING == DMABENCH_ATTR_WEAK_ORDERING, "ATTRS bits");
_Static_assert(CFG_DIR_TO_DEVICE == DMABENCH_DIR_TO_DEVICE &&
	       CFG_DIR_FROM_DEVICE == DMABENCH_DIR_FROM_DEVICE, "DIR values");

static const char *const modes[] = {
	"single", "page", "sg", "phys", "phys-mmio", "resource", "p2p-pgmap",
	"p2p-provider", "iova-link", NULL
};

static const char *const phase_key[KMOD_NMETRICS][6] = {
	{ "map_n", "map_min_ns", "map_max_ns", "map_sum_ns", "map_sumsq_lo", "map_sumsq_hi" },
	{ "unmap_n", "unmap_min_ns", "unmap_max_ns", "unmap_sum_ns", "unmap_sumsq_lo",
	  "unmap_sumsq_hi" },
	{ "map_unmap_n", "map_unmap_min_ns", "map_unmap_max_ns", "map_unmap_sum_ns",
	  "map_unmap_sumsq_lo", "map_unmap_sumsq_hi" },
};

static int probe(char *err, size_t errlen)
{
	if (access(KMOD_DEV_PATH, R_OK | W_OK) == 0)
		return 0;
	if (errno == ENOENT)
		snprintf(err, errlen, "%s does not exist: load the benchmark module "
			 "(insmod microbench-kmod/out/<tree>/dmabench.ko)", KMOD_DEV_PATH);
	else
		snprintf(err, errlen, "%s: %s (the kmod engine needs root)", KMOD_DEV_PATH,
			 strerror(errno));
	return -1;
}

static int takes_nents(const char *mode)
{
	return kmod_mode_takes_nents(kmod_mode_from_name(mode));
}

int kmod_check_cell(struct cell *c, char *err, size_t errlen)
{
	unsigned int mode = kmod_mode_from_name(c->mode);
	struct dmabench_run req;
	struct dmabench_results *res = NULL;
	char why[200];

	c->extended = 1;
	c->iommu_domain = NULL;
	c->overhead_share = NAN;
	c->nparams = 0;
	if (!mode) {
		snprintf(err, errlen, "engine kmod has no mode '%s'", c->mode);
		return -1;
	}
	if (c->target == CFG_TARGET_UNSET)
		c->target = CFG_TARGET_PCI;
	if (!kmod_mode_takes_nents(mode))
		c->nents = 0;
	else if (c->nents == 0)
		c->nents = 1;
	if (!kmod_mode_maps_bar(mode)) {
		c->bar_dev = CFG_BAR_NONE;	/* BAR is for the MMIO modes only */
		c->bar = 0;
	} else if (c->bar_dev == CFG_BAR_NONE) {
		snprintf(err, errlen, "mode %s maps a BAR: set BAR=target:N or BAR=p2pmem:N",
			 c->mode);
		return -1;
	} else if (c->bar_dev == CFG_BAR_TARGET && c->target == CFG_TARGET_DIRECT) {
		snprintf(err, errlen, "BAR=target:%u needs TARGET=pci: the direct target has no BARs",
			 c->bar);
		return -1;
	}
	if (c->has_device && c->target == CFG_TARGET_DIRECT) {
		snprintf(err, errlen, "DEVICE names a PCI target: it does not go with TARGET=direct");
		return -1;
	}
	if (c->trans_ns) {
		snprintf(err, errlen, "engine kmod has no simulated transfer time: TRANS_NS must be 0");
		return -1;
	}
	if (c->threads > DMABENCH_MAX_THREADS) {
		snprintf(err, errlen, "threads %u: the module runs 1..%d threads", c->threads,
			 DMABENCH_MAX_THREADS);
		return -1;
	}
	if (c->dma_bits < DMABENCH_MIN_DMA_BITS) {
		snprintf(err, errlen, "dma_bits %u: the module takes %d..%d", c->dma_bits,
			 DMABENCH_MIN_DMA_BITS, DMABENCH_MAX_DMA_BITS);
		return -1;
	}
	/* everything else the module checks, by the same model as the fuzzer */
	kmod_fill_request(c, &req, res);
	req.results_ptr = 1;	/* stands in for the buffer run_once passes */
	req.results_size = sizeof(struct dmabench_results);
	if (kmod_check_run(&req, NULL, why, sizeof(why))) {
		snprintf(err, errlen, "the module would refuse this cell: %s", why);
		return -1;
	}
	return 0;
}

void kmod_fill_request(const struct cell *c, struct dmabench_run *req,
		       struct dmabench_results *res)
{
	memset(req, 0, sizeof(*req));
	req->size = sizeof(*req);
	req->version = DMABENCH_UAPI_VERSION;
	req->mode = kmod_mode_from_name(c->mode);
	req->buf_size = c->size;
	req->nents = c->nents ? c->nents : 1;
	req->dir = (__u32)c->dir;
	req->threads = c->threads;
	req->node = c->node;
	if (c->iterations)
		req->iterations = c->iterations;
	else
		req->seconds = c->seconds;
	req->batch = c->batch;
	req->dma_bits = c->dma_bits;
	req->attrs = c->attrs;
	req->target = (__u32)c->target;
	if (c->target == CFG_TARGET_PCI && c->has_device) {
		req->target_domain = c->domain;
		req->target_bdf = c->bdf;
	}
	if (c->bar_dev != CFG_BAR_NONE) {
		req->bar_dev = (__u32)c->bar_dev;
		req->bar = c->bar;
	}
	req->results_ptr = (__u64)(uintptr_t)res;
	req->results_size = res ? sizeof(*res) : 0;
}

static void list_devices(const struct dmabench_info *info, char *buf, size_t len)
{
	unsigned int i, n = info->nr_devices < DMABENCH_INFO_MAX_DEVS ? info->nr_devices :
			    DMABENCH_INFO_MAX_DEVS;
	size_t used = 0;
	char addr[32];

	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++) {
		config_format_pci(info->dev[i].domain, info->dev[i].bdf, addr, sizeof(addr));
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? " " : "", addr);
	}
	if (info->nr_devices > n && used < len)
		snprintf(buf + used, len - used, " and %u more", info->nr_devices - n);
}

static const struct dmabench_dev_info *find_device(const struct dmabench_info *info,
						   uint32_t domain, uint32_t bdf)
{
	unsigned int i;

	for (i = 0; i < info->nr_devices && i < DMABENCH_INFO_MAX_DEVS; i++)
		if (info->dev[i].domain == domain && info->dev[i].bdf == bdf)
			return &info->dev[i];
	return NULL;
}

int kmod_setup_cells(const struct dmabench_info *info, struct cell *cells, size_t n,
		     char *err, size_t errlen)
{
	char list[256], addr[32], name[160];
	size_t i;

	list_devices(info, list, sizeof(list));
	for (i = 0; i < n; i++) {
		struct cell *c = &cells[i];
		const struct dmabench_dev_info *d;

		result_cell_name(c, name, sizeof(name));
		if (info->nr_online_cpus && c->node == -1 && c->threads > info->nr_online_cpus) {
			snprintf(err, errlen, "cell %s: %u threads, but the system has %u online CPUs",
				 name, c->threads, info->nr_online_cpus);
			return ENGINE_BADINPUT;
		}
		if (c->target != CFG_TARGET_PCI)
			continue;
		if (!c->has_device) {
			if (info->nr_devices == 0) {
				snprintf(err, errlen, "no PCI device is bound to the dmabench module: bind "
					 "one (driver_override) or use TARGET=direct");
				return ENGINE_UNAVAILABLE;
			}
			if (info->nr_devices > 1) {
				snprintf(err, errlen, "%u PCI devices are bound to the dmabench module "
					 "(%s): choose one with DEVICE=", info->nr_devices, list);
				return ENGINE_BADINPUT;
			}
			c->domain = info->dev[0].domain;
			c->bdf = info->dev[0].bdf;
			c->has_device = 1;
		}
		d = find_device(info, c->domain, c->bdf);
		config_format_pci(c->domain, c->bdf, addr, sizeof(addr));
		if (!d) {
			snprintf(err, errlen, "device %s is not bound to the dmabench module (bound: %s)",
				 addr, list[0] ? list : "none");
			return ENGINE_UNAVAILABLE;
		}
		if ((c->bar_dev == CFG_BAR_P2PMEM || !strcmp(c->mode, "p2p-pgmap")) &&
		    !(d->flags & DMABENCH_DEVF_P2PMEM)) {
			snprintf(err, errlen, "cell %s: no p2pmem provider is reachable from %s "
				 "(DMABENCH_IOC_INFO)", name, addr);
			return ENGINE_BADINPUT;
		}
		if (c->bar_dev == CFG_BAR_TARGET && d->bar_len[c->bar] < c->size) {
			snprintf(err, errlen, "cell %s: BAR %u of %s %s", name, c->bar, addr,
				 d->bar_len[c->bar] ? "is smaller than the size" :
				 "is not a usable memory BAR");
			return ENGINE_BADINPUT;
		}
	}
	return 0;
}

static int setup(struct cell *cells, size_t n, char *err, size_t errlen)
{
	struct dmabench_info info;
	int fd, saved;

	fd = open(KMOD_DEV_PATH, O_RDWR);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", KMOD_DEV_PATH, strerror(errno));
		return ENGINE_UNAVAILABLE;
	}
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.version = DMABENCH_UAPI_VERSION;
	if (ioctl(fd, DMABENCH_IOC_INFO, &info) != 0) {
		saved = errno;
		close(fd);
		snprintf(err, errlen, "DMABENCH_IOC_INFO: %s%s", strerror(saved),
			 saved == EPERM ? " (the module needs CAP_SYS_ADMIN)" :
			 saved == EINVAL || saved == ENOTTY ? " (a module of another uAPI version?)" :
			 "");
		return ENGINE_UNAVAILABLE;
	}
	close(fd);
	if (info.size != sizeof(info) || info.version != DMABENCH_UAPI_VERSION) {
		snprintf(err, errlen, "DMABENCH_IOC_INFO answered size %u version %u; this dmabench "
			 "speaks size %zu version %d", info.size, info.version, sizeof(info),
			 DMABENCH_UAPI_VERSION);
		return ENGINE_UNAVAILABLE;
	}
	return kmod_setup_cells(&info, cells, n, err, errlen);
}

static void describe(struct result *r)
{
	r->nmetrics = KMOD_NMETRICS;
	strcpy(r->names[KMOD_MAP], "map");
	strcpy(r->names[KMOD_UNMAP], "unmap");
	strcpy(r->names[KMOD_MAP_UNMAP], "map+unmap");
	r->unit = "ns";
	r->better = "lower";
	r->resolution_ns = 1;
}

static void free_hists(struct run_record *out)
{
	size_t mi;

	for (mi = 0; mi < KMOD_NMETRICS; mi++) {
		result_hist_delete(out->hist[mi]);
		out->hist[mi] = NULL;
	}
}

static int check_answer(const struct dmabench_results *res, const struct dmabench_run *req,
			char *err, size_t errlen)
{
	unsigned int ph;

	if (res->size != sizeof(*res) || res->version != DMABENCH_UAPI_VERSION) {
		snprintf(err, errlen, "results: size %u version %u, want %zu and %d (module and "
			 "bench/ built from different headers?)", res->size, res->version,
			 sizeof(*res), DMABENCH_UAPI_VERSION);
		return -1;
	}
	if (res->hist_layout_version != DMABENCH_HIST_LAYOUT_VERSION ||
	    res->hist_sub_bits != DMABENCH_HIST_SUB_BITS ||
	    res->hist_max_bits != DMABENCH_HIST_MAX_BITS ||
	    res->hist_nbuckets != DMABENCH_HIST_NBUCKETS) {
		snprintf(err, errlen, "results: histogram layout %u (sub_bits %u, max_bits %u, %u "
			 "buckets) is not this dmabench's", res->hist_layout_version,
			 res->hist_sub_bits, res->hist_max_bits, res->hist_nbuckets);
		return -1;
	}
	if (res->mode != req->mode || res->threads != req->threads) {
		snprintf(err, errlen, "results: mode %u threads %u do not echo the request (%u, %u)",
			 res->mode, res->threads, req->mode, req->threads);
		return -1;
	}
	if (res->status != 0) {
		snprintf(err, errlen, "the run stopped early: %s (results.status %d)",
			 strerror(-res->status), res->status);
		return -1;
	}
	for (ph = 0; ph < DMABENCH_NR_PHASES; ph++) {
		const struct dmabench_phase_stats *p = &res->phase[ph];
		uint64_t total = 0;
		size_t i;

		for (i = 0; i < DMABENCH_HIST_NBUCKETS; i++)
			total += p->hist[i];
		if (total != p->n || (p->n && p->min_ns > p->max_ns)) {
			snprintf(err, errlen, "results: phase %u holds %llu samples in its histogram "
				 "for n %llu (min %llu, max %llu): inconsistent", ph,
				 (unsigned long long)total, (unsigned long long)p->n,
				 (unsigned long long)p->min_ns, (unsigned long long)p->max_ns);
			return -1;
		}
	}
	return 0;
}

int kmod_to_run(const struct dmabench_results *res, const struct dmabench_run *req,
		struct run_record *out, char *err, size_t errlen)
{
	unsigned int ph;
	size_t k = 0;

	memset(out, 0, sizeof(*out));
	if (check_answer(res, req, err, errlen))
		return -1;
	out->raw[k++] = (struct result_kv){ "status", 0 };
	out->raw[k++] = (struct result_kv){ "batch", res->batch };
	out->raw[k++] = (struct result_kv){ "dma_bits", res->dma_bits };
	out->raw[k++] = (struct result_kv){ "iommu", res->iommu };
	out->raw[k++] = (struct result_kv){ "timer_overhead_ns", res->timer_overhead_ns };
	out->raw[k++] = (struct result_kv){ "ops", res->ops };
	out->raw[k++] = (struct result_kv){ "elapsed_ns", res->elapsed_ns };
	/* only a test run has it (module parameter test_map_delay_ns) */
	if (res->injected_map_delay_ns)
		out->raw[k++] = (struct result_kv){ "injected_map_delay_ns",
						    res->injected_map_delay_ns };
	for (ph = 0; ph < KMOD_NMETRICS; ph++) {
		const struct dmabench_phase_stats *p = &res->phase[ph];
		struct run_metric *m = &out->m[ph];
		struct hist *h = result_hist_new(res->hist_sub_bits, res->hist_max_bits);

		if (!h) {
			free_hists(out);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		memcpy(h->counts, p->hist, sizeof(p->hist));
		h->n = p->n;
		h->min = p->min_ns;
		h->max = p->max_ns;
		h->sum = p->sum_ns;
		h->sumsq = (hist_u128)p->sumsq_hi << 64 | p->sumsq_lo;
		out->hist[ph] = h;

		m->n = (double)p->n;
		m->mean = p->n ? (double)((long double)p->sum_ns / (long double)p->n) : NAN;
		m->op_stddev = hist_stddev(h);
		m->min = p->n ? (double)p->min_ns : NAN;
		m->max = p->n ? (double)p->max_ns : NAN;
		/* map/unmap pairs per second of wall time: as many maps as unmaps */
		m->ops_per_s = res->elapsed_ns ?
			(double)((long double)res->ops * 1e9L / (long double)res->elapsed_ns) : NAN;

		out->raw[k++] = (struct result_kv){ phase_key[ph][0], p->n };
		out->raw[k++] = (struct result_kv){ phase_key[ph][1], p->min_ns };
		out->raw[k++] = (struct result_kv){ phase_key[ph][2], p->max_ns };
		out->raw[k++] = (struct result_kv){ phase_key[ph][3], p->sum_ns };
		out->raw[k++] = (struct result_kv){ phase_key[ph][4], p->sumsq_lo };
		out->raw[k++] = (struct result_kv){ phase_key[ph][5], p->sumsq_hi };
	}
	out->nraw = k;
	return 0;
}

static int run_once(const struct cell *c, struct run_record *out, char *err, size_t errlen)
{
	struct dmabench_results *res = calloc(1, sizeof(*res));
	struct dmabench_run req;
	int fd, saved, ret;

	if (!res) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	fd = open(KMOD_DEV_PATH, O_RDWR);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", KMOD_DEV_PATH, strerror(errno));
		free(res);
		return -1;
	}
	kmod_fill_request(c, &req, res);
	if (ioctl(fd, DMABENCH_IOC_RUN, &req) != 0) {
		saved = errno;
		close(fd);
		free(res);
		snprintf(err, errlen, "DMABENCH_IOC_RUN: %s%s", strerror(saved),
			 saved == EOPNOTSUPP ? " (this module build or kernel cannot run the mode)" :
			 saved == EINVAL ? " (the module refused the parameters; see dmesg)" :
			 saved == ENODEV ? " (the target, its BAR or a p2pmem provider is missing)" :
			 saved == EBUSY ? " (another run is using the module or the device)" :
			 saved == EPERM ? " (the module needs CAP_SYS_ADMIN)" :
			 saved == ENOMEM ? " (buffers or p2pmem could not be allocated: lower BATCH, "
					   "NENTS, THREADS or the size)" :
			 saved == EIO ? " (the DMA mask could not be set: DMA_BITS)" :
			 saved == E2BIG ? " (larger than the device can map in this boot:"
					  " dma_max_mapping_size(), e.g. swiotlb=force)" :
			 saved == EREMOTEIO ? " (this kernel never bounces MMIO, and this boot forces"
					      " bouncing: swiotlb=force)" : "");
		/* The mode or the size cannot run here: not a failed measurement. */
		return saved == EOPNOTSUPP || saved == E2BIG || saved == EREMOTEIO ?
		       ENGINE_UNSUPPORTED : -1;
	}
	close(fd);
	ret = kmod_to_run(res, &req, out, err, errlen);
	free(res);
	return ret;
}

static int raw_get(const struct run_record *run, const char *key, unsigned long long *val)
{
	size_t i;

	for (i = 0; i < run->nraw; i++) {
		if (!strcmp(run->raw[i].key, key)) {
			*val = run->raw[i].val;
			return 0;
		}
	}
	return -1;
}

/* The value of a raw key when every run has the same; -1 otherwise. */
static int raw_same(const struct result *r, const char *key, unsigned long long *val)
{
	unsigned long long v;
	size_t i;

	for (i = 0; i < r->nruns; i++) {
		if (raw_get(&r->runs[i], key, &v) || (i && v != *val))
			return -1;
		*val = v;
	}
	return r->nruns ? 0 : -1;
}

void kmod_finish(struct result *r)
{
	struct cell *c = &r->cell;
	unsigned long long batch = 0, iommu, toh = 0, v;
	double both = r->metrics[KMOD_MAP_UNMAP].mean;
	size_t i;
	int have_batch, have_toh = r->nruns > 0;

	c->nparams = 0;
	c->iommu_domain = NULL;
	c->overhead_share = NAN;
	have_batch = raw_same(r, "batch", &batch) == 0;
	if (have_batch)
		c->params[c->nparams++] = (struct result_kv){ "batch", batch };
	for (i = 0; i < r->nruns; i++) {
		if (raw_get(&r->runs[i], "timer_overhead_ns", &v))
			have_toh = 0;
		else if (v > toh)
			toh = v;
	}
	if (have_toh)
		c->params[c->nparams++] = (struct result_kv){ "timer_overhead_ns", toh };
	/* a deliberately slowed run says so next to its figures */
	for (i = 0, v = 0; i < r->nruns; i++) {
		unsigned long long d;

		if (!raw_get(&r->runs[i], "injected_map_delay_ns", &d) && d > v)
			v = d;
	}
	if (v)
		c->params[c->nparams++] = (struct result_kv){ "injected_map_delay_ns", v };
	if (raw_same(r, "iommu", &iommu) == 0)
		c->iommu_domain = kmod_iommu_name((uint32_t)iommu);
	if (have_batch && have_toh && batch && both > 0)
		c->overhead_share = 2.0 * (double)toh / ((double)batch * both);
}

const struct engine engine_kmod = {
	.name = "kmod",
	.summary = "the dmabench module (/dev/dmabench): every mapping mode, ns samples, "
		   "histograms",
	.modes = modes,
	.probe = probe,
	.check_cell = kmod_check_cell,
	.describe = describe,
	.run_once = run_once,
	.takes_nents = takes_nents,
	.setup = setup,
	.finish = kmod_finish,
};
