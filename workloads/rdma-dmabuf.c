/*
 * rdma-dmabuf: RDMA WRITE/READ bandwidth and latency over a loopback RC QP
 * pair, into a memory region registered from a chosen buffer source.
 *
 *   rdma-dmabuf [--dev NAME] [--buffer host|udmabuf|vfio:BDF:BAR]
 *               [--op write|read] [--size BYTES] [--depth N]
 *               [--seconds N] [--lat-iters N] [--gid-index N]
 *
 * Both QPs live on one device and port and are connected to each other, so
 * one process measures without a peer. The buffer under test is the target
 * of the RDMA operations (the remote side): WRITE puts data into it, READ
 * takes data out of it. The other side is ordinary host memory.
 *
 * Buffer sources (one table entry each, see "sources" below):
 *   host      malloc'd memory, ibv_reg_mr: the baseline
 *   udmabuf   a memfd turned into a dma-buf by /dev/udmabuf, registered
 *             with ibv_reg_dmabuf_mr
 *   vfio      a BAR range exported as a dma-buf by vfio-pci
 *             (VFIO_DEVICE_FEATURE_DMA_BUF, series part 3): not built yet
 *
 * Output: "key=value" lines on stdout (format "rdma-dmabuf 1"), read by
 * "dmabench import --format rdma-dmabuf". Latency samples are "lat=NS"
 * lines, one per operation. When the device cannot register the buffer
 * (errno EOPNOTSUPP and friends: rxe has no dma-buf support in 6.12), it
 * prints "status=unsupported" with the errno and exits 0.
 *
 * Exit status: 0 measured or unsupported, 1 failure (including data that
 * did not verify), 2 bad arguments, 3 no RDMA device.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <infiniband/verbs.h>
#include <linux/udmabuf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MAX_LAT_ITERS	100000
#define MAX_DEPTH	512
#define MAX_SIZE	(1UL << 30)

struct buf {
	void *cpu;		/* CPU view of the buffer (for filling and verifying) */
	size_t len;
	int memfd, dmabuf_fd;
	struct ibv_mr *mr;
};

/* One way of getting memory the device can reach. */
struct source {
	const char *name;
	/* Allocates b (len bytes) and its CPU view; -1 with err. */
	int (*open)(struct buf *b, size_t len, const char *arg, char *err, size_t errlen);
	/* Registers b with pd; NULL with errno set. */
	struct ibv_mr *(*reg)(struct buf *b, struct ibv_pd *pd, int access);
	const char *reg_call;	/* the verbs call, for the report */
	void (*close)(struct buf *b);
};

static int host_open(struct buf *b, size_t len, const char *arg, char *err, size_t errlen)
{
	(void)arg;
	b->len = len;
	if (posix_memalign(&b->cpu, 4096, len)) {
		snprintf(err, errlen, "cannot allocate %zu bytes", len);
		return -1;
	}
	return 0;
}

static struct ibv_mr *host_reg(struct buf *b, struct ibv_pd *pd, int access)
{
	return ibv_reg_mr(pd, b->cpu, b->len, access);
}

static void host_close(struct buf *b)
{
	free(b->cpu);
}

static int udmabuf_open(struct buf *b, size_t len, const char *arg, char *err, size_t errlen)
{
	struct udmabuf_create create;
	int dev;

	(void)arg;
	b->len = len;
	b->memfd = memfd_create("rdma-dmabuf", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	if (b->memfd < 0) {
		snprintf(err, errlen, "memfd_create: %s", strerror(errno));
		return -1;
	}
	if (ftruncate(b->memfd, (off_t)len) || fcntl(b->memfd, F_ADD_SEALS, F_SEAL_SHRINK)) {
		snprintf(err, errlen, "memfd size or seal: %s", strerror(errno));
		goto fail;
	}
	dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		snprintf(err, errlen, "/dev/udmabuf: %s (CONFIG_UDMABUF)", strerror(errno));
		goto fail;
	}
	memset(&create, 0, sizeof(create));
	create.memfd = (unsigned int)b->memfd;
	create.flags = UDMABUF_FLAGS_CLOEXEC;
	create.offset = 0;
	create.size = len;
	b->dmabuf_fd = ioctl(dev, UDMABUF_CREATE, &create);
	close(dev);
	if (b->dmabuf_fd < 0) {
		snprintf(err, errlen, "UDMABUF_CREATE: %s", strerror(errno));
		goto fail;
	}
	/* The memfd's pages are the dma-buf's pages: the CPU view for checks. */
	b->cpu = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, b->memfd, 0);
	if (b->cpu == MAP_FAILED) {
		snprintf(err, errlen, "mmap of the memfd: %s", strerror(errno));
		close(b->dmabuf_fd);
		goto fail;
	}
	return 0;
fail:
	close(b->memfd);
	return -1;
}

static struct ibv_mr *udmabuf_reg(struct buf *b, struct ibv_pd *pd, int access)
{
	return ibv_reg_dmabuf_mr(pd, 0, b->len, 0, b->dmabuf_fd, access);
}

static void udmabuf_close(struct buf *b)
{
	munmap(b->cpu, b->len);
	close(b->dmabuf_fd);
	close(b->memfd);
}

/*
 * vfio-pci BAR export (series part 3, not written yet). When it lands:
 * open the device's group/cdev, VFIO_DEVICE_FEATURE with
 * VFIO_DEVICE_FEATURE_DMA_BUF for { region_index = BAR, one range }, mmap
 * the BAR region for the CPU view, and register with ibv_reg_dmabuf_mr as
 * udmabuf does.
 */
static int vfio_open(struct buf *b, size_t len, const char *arg, char *err, size_t errlen)
{
	(void)b;
	(void)len;
	snprintf(err, errlen, "vfio:%s: the vfio-pci dma-buf export (VFIO_DEVICE_FEATURE_DMA_BUF, "
		 "series part 3) is not built into this program yet", arg ? arg : "");
	errno = EOPNOTSUPP;
	return -1;
}

static const struct source sources[] = {
	{ "host", host_open, host_reg, "ibv_reg_mr", host_close },
	{ "udmabuf", udmabuf_open, udmabuf_reg, "ibv_reg_dmabuf_mr", udmabuf_close },
	{ "vfio", vfio_open, NULL, "ibv_reg_dmabuf_mr", NULL },
};

static void usage(FILE *f)
{
	fputs("usage: rdma-dmabuf [--dev NAME] [--buffer host|udmabuf|vfio:BDF:BAR]\n"
	      "                   [--op write|read] [--size BYTES] [--depth N]\n"
	      "                   [--seconds N] [--lat-iters N] [--gid-index N]\n"
	      "RDMA bandwidth and latency into a buffer registered from a source,\n"
	      "over a loopback RC QP pair on one device. Output: key=value lines.\n"
	      "  --dev NAME      RDMA device (default: the first one)\n"
	      "  --buffer SRC    host (ibv_reg_mr) | udmabuf (ibv_reg_dmabuf_mr) |\n"
	      "                  vfio:BDF:BAR (not built yet)  [udmabuf]\n"
	      "  --op OP         write | read  [write]\n"
	      "  --size BYTES    bytes per operation, 1..1G, K/M suffix  [64K]\n"
	      "  --depth N       operations in flight, 1..512  [16]\n"
	      "  --seconds N     bandwidth phase, 1..3600  [1]\n"
	      "  --lat-iters N   latency samples (one in flight), 1..100000  [1000]\n"
	      "  --gid-index N   RoCE GID to address the QPs by  [the first non-zero]\n"
	      "exit: 0 measured or unsupported, 1 failed, 2 bad arguments, 3 no device\n", f);
}

static int parse_num(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno)
		return -1;
	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	else if (*end == 'G' || *end == 'g')
		v <<= 30, end++;
	if (*end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Loopback RC QP pair and the CQ both share. */
struct conn {
	struct ibv_context *ctx;
	struct ibv_pd *pd;
	struct ibv_cq *cq;
	struct ibv_qp *qp[2];
	uint8_t port;
	int gid_index;		/* -1: no GRH (InfiniBand with a LID) */
	union ibv_gid gid;
	uint16_t lid;
	enum ibv_mtu mtu;
};

/* The GID to address both QPs by: the asked index, else the first non-zero one. */
static int find_gid(struct conn *c, const struct ibv_port_attr *pa, int want)
{
	union ibv_gid zero;
	int i;

	memset(&zero, 0, sizeof(zero));
	if (want >= 0)
		return want < pa->gid_tbl_len && !ibv_query_gid(c->ctx, c->port, want, &c->gid) &&
		       memcmp(&c->gid, &zero, sizeof(zero)) ? want : -1;
	for (i = 0; i < pa->gid_tbl_len; i++) {
		if (ibv_query_gid(c->ctx, c->port, i, &c->gid))
			continue;
		if (memcmp(&c->gid, &zero, sizeof(zero)))
			return i;
	}
	return -1;
}

static int qp_to_rts(struct conn *c, struct ibv_qp *qp, uint32_t remote_qpn, int depth)
{
	struct ibv_qp_attr a;

	memset(&a, 0, sizeof(a));
	a.qp_state = IBV_QPS_INIT;
	a.pkey_index = 0;
	a.port_num = c->port;
	a.qp_access_flags = IBV_ACCESS_REMOTE_WRITE | IBV_ACCESS_REMOTE_READ;
	if (ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT |
			  IBV_QP_ACCESS_FLAGS))
		return -1;
	memset(&a, 0, sizeof(a));
	a.qp_state = IBV_QPS_RTR;
	a.path_mtu = c->mtu;
	a.dest_qp_num = remote_qpn;
	a.rq_psn = 0;
	a.max_dest_rd_atomic = (uint8_t)(depth > 16 ? 16 : depth);
	a.min_rnr_timer = 12;
	a.ah_attr.port_num = c->port;
	a.ah_attr.dlid = c->lid;
	if (c->gid_index >= 0) {
		a.ah_attr.is_global = 1;
		a.ah_attr.grh.dgid = c->gid;
		a.ah_attr.grh.sgid_index = (uint8_t)c->gid_index;
		a.ah_attr.grh.hop_limit = 1;
	}
	if (ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU | IBV_QP_DEST_QPN |
			  IBV_QP_RQ_PSN | IBV_QP_MAX_DEST_RD_ATOMIC | IBV_QP_MIN_RNR_TIMER))
		return -1;
	memset(&a, 0, sizeof(a));
	a.qp_state = IBV_QPS_RTS;
	a.timeout = 14;
	a.retry_cnt = 7;
	a.rnr_retry = 7;
	a.sq_psn = 0;
	a.max_rd_atomic = (uint8_t)(depth > 16 ? 16 : depth);
	return ibv_modify_qp(qp, &a, IBV_QP_STATE | IBV_QP_TIMEOUT | IBV_QP_RETRY_CNT |
			     IBV_QP_RNR_RETRY | IBV_QP_SQ_PSN | IBV_QP_MAX_QP_RD_ATOMIC);
}

static int conn_setup(struct conn *c, int depth, int gid_index, char *err, size_t errlen)
{
	struct ibv_qp_init_attr ia;
	struct ibv_port_attr pa;
	int i;

	c->port = 1;
	if (ibv_query_port(c->ctx, c->port, &pa)) {
		snprintf(err, errlen, "ibv_query_port: %s", strerror(errno));
		return -1;
	}
	if (pa.state != IBV_PORT_ACTIVE) {
		snprintf(err, errlen, "port %u is not active (state %d)", c->port, pa.state);
		return -1;
	}
	c->lid = pa.lid;
	c->mtu = pa.active_mtu;
	c->gid_index = -1;
	if (pa.link_layer == IBV_LINK_LAYER_ETHERNET || !pa.lid) {
		c->gid_index = find_gid(c, &pa, gid_index);
		if (c->gid_index < 0) {
			snprintf(err, errlen, "no usable GID on port %u (does the netdev have an "
				 "address?)", c->port);
			return -1;
		}
	}
	c->cq = ibv_create_cq(c->ctx, 2 * depth + 2, NULL, NULL, 0);
	if (!c->cq) {
		snprintf(err, errlen, "ibv_create_cq: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < 2; i++) {
		memset(&ia, 0, sizeof(ia));
		ia.send_cq = c->cq;
		ia.recv_cq = c->cq;
		ia.qp_type = IBV_QPT_RC;
		ia.cap.max_send_wr = (uint32_t)depth;
		ia.cap.max_recv_wr = 1;
		ia.cap.max_send_sge = 1;
		ia.cap.max_recv_sge = 1;
		c->qp[i] = ibv_create_qp(c->pd, &ia);
		if (!c->qp[i]) {
			snprintf(err, errlen, "ibv_create_qp: %s", strerror(errno));
			return -1;
		}
	}
	if (qp_to_rts(c, c->qp[0], c->qp[1]->qp_num, depth) ||
	    qp_to_rts(c, c->qp[1], c->qp[0]->qp_num, depth)) {
		snprintf(err, errlen, "connecting the loopback QPs: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int post(struct conn *c, int op, struct buf *local, struct buf *target, size_t size,
		uint64_t id)
{
	struct ibv_send_wr wr, *bad;
	struct ibv_sge sge;

	sge.addr = (uintptr_t)local->cpu;
	sge.length = (uint32_t)size;
	sge.lkey = local->mr->lkey;
	memset(&wr, 0, sizeof(wr));
	wr.wr_id = id;
	wr.sg_list = &sge;
	wr.num_sge = 1;
	wr.opcode = op ? IBV_WR_RDMA_READ : IBV_WR_RDMA_WRITE;
	wr.send_flags = IBV_SEND_SIGNALED;
	/* the MR's own address: a host MR's VA, a dma-buf MR's IOVA (0 here) */
	wr.wr.rdma.remote_addr = (uintptr_t)target->mr->addr;
	wr.wr.rdma.rkey = target->mr->rkey;
	return ibv_post_send(c->qp[0], &wr, &bad);
}

/* Waits for up to max completions; returns how many, or -1 on an error status. */
static int reap(struct conn *c, int max, char *err, size_t errlen)
{
	struct ibv_wc wc[32];
	int n, i;

	if (max > 32)
		max = 32;
	do
		n = ibv_poll_cq(c->cq, max, wc);
	while (n == 0);
	if (n < 0) {
		snprintf(err, errlen, "ibv_poll_cq failed");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (wc[i].status != IBV_WC_SUCCESS) {
			snprintf(err, errlen, "work completion: %s", ibv_wc_status_str(wc[i].status));
			return -1;
		}
	}
	return n;
}

static void fill(unsigned char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (unsigned char)(seed >> 16);
	}
}

int main(int argc, char **argv)
{
	const char *devname = NULL, *bufarg = "udmabuf", *srcarg = NULL;
	unsigned long size = 65536, depth = 16, seconds = 1, lat_iters = 1000, gid = 0;
	int gid_index = -1;
	int op = 0, i, ndev, rc = 1, access;
	const struct source *src = NULL;
	struct ibv_device **devs;
	struct buf target, local;
	struct conn c;
	char err[256], name[64];
	uint64_t t0, t1, ops = 0, deadline;
	long inflight = 0;
	size_t k;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = 0;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--dev")) {
			bad = !v;
			devname = v;
		} else if (!strcmp(a, "--buffer")) {
			bad = !v;
			bufarg = v;
		} else if (!strcmp(a, "--op")) {
			bad = !v || (strcmp(v, "write") && strcmp(v, "read"));
			op = v && !strcmp(v, "read");
		} else if (!strcmp(a, "--size")) {
			bad = parse_num(v, 1, MAX_SIZE, &size);
		} else if (!strcmp(a, "--depth")) {
			bad = parse_num(v, 1, MAX_DEPTH, &depth);
		} else if (!strcmp(a, "--seconds")) {
			bad = parse_num(v, 1, 3600, &seconds);
		} else if (!strcmp(a, "--lat-iters")) {
			bad = parse_num(v, 1, MAX_LAT_ITERS, &lat_iters);
		} else if (!strcmp(a, "--gid-index")) {
			bad = parse_num(v, 0, 65535, &gid);
			gid_index = (int)gid;
		} else {
			fprintf(stderr, "rdma-dmabuf: unknown argument '%s'\n", a);
			usage(stderr);
			return 2;
		}
		if (bad) {
			fprintf(stderr, "rdma-dmabuf: bad or missing value for %s\n", a);
			return 2;
		}
		i++;
	}
	snprintf(name, sizeof(name), "%s", bufarg);
	if (strchr(name, ':')) {
		*strchr(name, ':') = '\0';
		srcarg = strchr(bufarg, ':') + 1;
	}
	for (k = 0; k < sizeof(sources) / sizeof(sources[0]); k++)
		if (!strcmp(sources[k].name, name))
			src = &sources[k];
	if (!src) {
		fprintf(stderr, "rdma-dmabuf: unknown buffer source '%s' (host, udmabuf, vfio)\n",
			bufarg);
		return 2;
	}

	devs = ibv_get_device_list(&ndev);
	if (!devs || ndev == 0) {
		fprintf(stderr, "rdma-dmabuf: no RDMA device\n");
		return 3;
	}
	memset(&c, 0, sizeof(c));
	for (i = 0; i < ndev && !c.ctx; i++)
		if (!devname || !strcmp(ibv_get_device_name(devs[i]), devname))
			c.ctx = ibv_open_device(devs[i]);
	if (!c.ctx) {
		fprintf(stderr, "rdma-dmabuf: %s: %s\n", devname ? devname : "first device",
			devname ? "no such RDMA device, or it cannot be opened" : strerror(errno));
		ibv_free_device_list(devs);
		return devname ? 2 : 3;
	}
	printf("format=rdma-dmabuf 1\n");
	printf("device=%s\n", ibv_get_device_name(c.ctx->device));
	printf("buffer=%s\n", bufarg);
	printf("op=%s\n", op ? "read" : "write");
	printf("size=%lu\ndepth=%lu\nseconds=%lu\n", size, depth, seconds);
	printf("reg_call=%s\n", src->reg_call);

	memset(&target, 0, sizeof(target));
	memset(&local, 0, sizeof(local));
	c.pd = ibv_alloc_pd(c.ctx);
	if (!c.pd) {
		printf("status=error\ndetail=ibv_alloc_pd: %s\n", strerror(errno));
		goto out_dev;
	}
	if (src->open(&target, size, srcarg, err, sizeof(err))) {
		if (errno == EOPNOTSUPP) {
			printf("status=unsupported\ndetail=%s (errno %d)\n", err, EOPNOTSUPP);
			rc = 0;
		} else {
			printf("status=error\ndetail=%s\n", err);
		}
		goto out_pd;
	}
	access = IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE | IBV_ACCESS_REMOTE_READ;
	target.mr = src->reg(&target, c.pd, access);
	if (!target.mr) {
		int e = errno;

		if (e == EOPNOTSUPP || e == ENOTSUP || e == EPROTONOSUPPORT || e == ENOSYS) {
			/* not a failure of the run: this device cannot take the buffer */
			printf("status=unsupported\ndetail=unsupported on this device: %s: %s (errno %d)\n",
			       src->reg_call, strerror(e), e);
			rc = 0;
		} else {
			printf("status=error\ndetail=%s: %s (errno %d)\n", src->reg_call, strerror(e), e);
		}
		goto out_target;
	}
	if (sources[0].open(&local, size, NULL, err, sizeof(err))) {
		printf("status=error\ndetail=%s\n", err);
		goto out_mr;
	}
	local.mr = sources[0].reg(&local, c.pd, access);
	if (!local.mr) {
		printf("status=error\ndetail=ibv_reg_mr (host side): %s\n", strerror(errno));
		goto out_local;
	}
	if (conn_setup(&c, (int)depth, gid_index, err, sizeof(err))) {
		printf("status=error\ndetail=%s\n", err);
		goto out_conn;
	}

	/* Bandwidth: keep depth operations in flight for the given seconds. */
	fill(op ? target.cpu : local.cpu, size, (unsigned int)getpid());
	memset(op ? local.cpu : target.cpu, 0, size);
	t0 = now_ns();
	deadline = t0 + seconds * 1000000000ULL;
	for (;;) {
		int n;

		while (inflight < (long)depth && now_ns() < deadline) {
			if (post(&c, op, &local, &target, size, ops + (uint64_t)inflight)) {
				printf("status=error\ndetail=ibv_post_send: %s\n", strerror(errno));
				goto out_conn;
			}
			inflight++;
		}
		if (!inflight)
			break;
		n = reap(&c, (int)inflight, err, sizeof(err));
		if (n < 0) {
			printf("status=error\ndetail=%s\n", err);
			goto out_conn;
		}
		inflight -= n;
		ops += (uint64_t)n;
	}
	t1 = now_ns();
	/* Verification: the destination holds exactly the source's bytes. */
	if (memcmp(local.cpu, target.cpu, size)) {
		printf("status=error\ndetail=data check failed: the %s did not move the bytes\n",
		       op ? "RDMA READ" : "RDMA WRITE");
		goto out_conn;
	}
	printf("verified=1\n");
	printf("ops=%llu\nbytes=%llu\nelapsed_ns=%llu\n", (unsigned long long)ops,
	       (unsigned long long)(ops * size), (unsigned long long)(t1 - t0));

	/* Latency: one operation in flight, each timed on its own. */
	for (k = 0; k < lat_iters; k++) {
		uint64_t a = now_ns();

		if (post(&c, op, &local, &target, size, k) || reap(&c, 1, err, sizeof(err)) != 1) {
			printf("status=error\ndetail=latency phase: %s\n", err);
			goto out_conn;
		}
		printf("lat=%llu\n", (unsigned long long)(now_ns() - a));
	}
	printf("status=ok\n");
	rc = 0;
out_conn:
	for (i = 0; i < 2; i++)
		if (c.qp[i])
			ibv_destroy_qp(c.qp[i]);
	if (c.cq)
		ibv_destroy_cq(c.cq);
	ibv_dereg_mr(local.mr);
out_local:
	sources[0].close(&local);
out_mr:
	ibv_dereg_mr(target.mr);
out_target:
	if (src->close)
		src->close(&target);
out_pd:
	ibv_dealloc_pd(c.pd);
out_dev:
	ibv_close_device(c.ctx);
	ibv_free_device_list(devs);
	return rc;
}
