// SPDX-License-Identifier: GPL-2.0
/*
 * iommufd-dma-check: real DMA through an iommufd mapping of a vfio-pci
 * dma-buf, and none once the buffer is revoked.
 *
 *   iommufd-dma-check --dma BDF --target BDF --bar N [--revoke decode|reset]
 *
 * The target's BAR N must be memory the CPU can read back, such as QEMU's
 * NVMe CMB. Both devices are bound to vfio-pci. The DMA device is a QEMU edu
 * device, whose DMA engine copies between an IO virtual address and a
 * buffer of its own. Its IOAS gets one page of the target's BAR, exported
 * as a dma-buf and mapped with IOMMU_IOAS_MAP_FILE. Then:
 *
 *   1. edu copies the page's first 64 bytes into its buffer and back to
 *      the page 64 bytes further on: the CPU must read them there (the
 *      mapping works, peer to peer through the IOMMU);
 *   2. the buffer is revoked for good: the target's memory decode goes off
 *      and on again, or (--revoke reset) the target is reset;
 *   3. the CPU writes the pattern again, and edu copies again, to the page
 *      128 bytes on: nothing may arrive (the IOMMU has no translation any
 *      more; the guest logs a DMA fault for edu).
 *
 * Exit status: 0 all held, 1 a check failed, 2 bad usage, 3 setup failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/types.h>

#include "vfio-export.h"

/* iommufd's uAPI, absent from older installed headers (mainline numbers) */
#define IOMMUFD_TYPE			(';')
struct iommu_ioas_alloc {
	__u32 size;
	__u32 flags;
	__u32 out_ioas_id;
};
#define IOMMU_IOAS_ALLOC		_IO(IOMMUFD_TYPE, 0x81)
struct iommu_ioas_unmap {
	__u32 size;
	__u32 ioas_id;
	__aligned_u64 iova;
	__aligned_u64 length;
};
#define IOMMU_IOAS_UNMAP		_IO(IOMMUFD_TYPE, 0x86)
struct iommu_ioas_map_file {
	__u32 size;
	__u32 flags;
	__u32 ioas_id;
	__s32 fd;
	__aligned_u64 start;
	__aligned_u64 length;
	__aligned_u64 iova;
};
#define IOMMU_IOAS_MAP_FILE		_IO(IOMMUFD_TYPE, 0x8f)
#define IOMMU_IOAS_MAP_FIXED_IOVA	(1 << 0)
#define IOMMU_IOAS_MAP_WRITEABLE	(1 << 1)
#define IOMMU_IOAS_MAP_READABLE		(1 << 2)

/* QEMU edu (docs/specs/edu.rst): BAR 0 registers and its DMA buffer */
#define EDU_ID		0x00
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_COUNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_CMD_RUN	0x1
#define EDU_CMD_TO_PCI	0x2	/* edu buffer -> bus; clear: bus -> buffer */
#define EDU_BUFFER	0x40000
/* edu masks DMA addresses to 28 bits: the IOVA must sit below 256 MiB */
#define IOVA		0x100000ULL
#define PAGE		4096
#define CHUNK		64

static int bad(const char *what)
{
	fprintf(stderr, "iommufd-dma-check: %s\n", what);
	return 3;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: iommufd-dma-check --dma BDF --target BDF --bar N [--revoke decode|reset]\n");
	exit(2);
}

static volatile uint64_t *reg(void *bar0, unsigned int off)
{
	return (volatile uint64_t *)((char *)bar0 + off);
}

/* One edu DMA of CHUNK bytes; 0, or -ETIMEDOUT if it never finishes. */
static int edu_dma(void *bar0, uint64_t src, uint64_t dst, int to_pci)
{
	int i;

	*reg(bar0, EDU_DMA_SRC) = src;
	*reg(bar0, EDU_DMA_DST) = dst;
	*reg(bar0, EDU_DMA_COUNT) = CHUNK;
	*reg(bar0, EDU_DMA_CMD) = EDU_CMD_RUN | (to_pci ? EDU_CMD_TO_PCI : 0);
	/* edu finishes a transfer 100 ms of guest time after it starts */
	for (i = 0; i < 500; i++) {
		if (!(*reg(bar0, EDU_DMA_CMD) & EDU_CMD_RUN))
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

/* Copies CHUNK bytes from IOVA + from to IOVA + to, through edu's buffer. */
static int edu_copy(void *bar0, unsigned int from, unsigned int to)
{
	int err = edu_dma(bar0, IOVA + from, EDU_BUFFER, 0);

	return err ? err : edu_dma(bar0, EDU_BUFFER, IOVA + to, 1);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dma", required_argument, NULL, 'd' },
		{ "target", required_argument, NULL, 't' },
		{ "bar", required_argument, NULL, 'b' },
		{ "revoke", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct iommu_ioas_map_file map = { .size = sizeof(map) };
	struct iommu_ioas_unmap unmap = { .size = sizeof(unmap) };
	const char *dma_bdf = NULL, *target_bdf = NULL;
	struct vfio_owner edu, target;
	unsigned char want[CHUNK], zero[CHUNK] = { 0 };
	volatile unsigned char *page;
	size_t edu_len, bar_len;
	int iommufd, buf, c, i, failed = 0;
	void *edu_bar;
	long bar = -1;
	int by_reset = 0;
	char *end;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dma_bdf = optarg;
			break;
		case 't':
			target_bdf = optarg;
			break;
		case 'b':
			bar = strtol(optarg, &end, 0);
			if (*end || bar < 0 || bar > 5)
				usage();
			break;
		case 'r':
			if (strcmp(optarg, "decode") && strcmp(optarg, "reset"))
				usage();
			by_reset = !strcmp(optarg, "reset");
			break;
		default:
			usage();
		}
	}
	if (!dma_bdf || !target_bdf || bar < 0 || optind != argc)
		usage();

	iommufd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	if (iommufd < 0)
		return bad("no /dev/iommu");
	if (vfio_owner_open_iommufd(&edu, dma_bdf, iommufd) ||
	    vfio_owner_open_iommufd(&target, target_bdf, iommufd))
		return bad("cannot open the devices through iommufd");
	if (ioctl(iommufd, IOMMU_IOAS_ALLOC, &alloc) ||
	    vfio_attach_ioas(&edu, alloc.out_ioas_id))
		return bad("cannot put edu behind an IOAS");
	edu_bar = vfio_map_bar(&edu, 0, &edu_len);
	page = vfio_map_bar(&target, (unsigned int)bar, &bar_len);
	if (!edu_bar || !page || bar_len < PAGE)
		return bad("cannot mmap edu's BAR 0 or the target's BAR");
	if ((*(volatile uint32_t *)edu_bar & 0xffff) != 0x00ed)
		return bad("the DMA device is not an edu");
	if (vfio_set_bus_master(&edu, 1))
		return bad("cannot enable edu's bus mastering");

	buf = vfio_export_dma_buf(&target, (unsigned int)bar, 0, PAGE);
	if (buf < 0)
		return bad("cannot export the target's page");
	map.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
		    IOMMU_IOAS_MAP_WRITEABLE;
	map.ioas_id = alloc.out_ioas_id;
	map.fd = buf;
	map.length = PAGE;
	map.iova = IOVA;
	if (ioctl(iommufd, IOMMU_IOAS_MAP_FILE, &map))
		return bad("IOMMU_IOAS_MAP_FILE failed");

	for (i = 0; i < CHUNK; i++) {
		want[i] = (unsigned char)(0xa5 ^ i);
		page[i] = want[i];
		page[CHUNK + i] = 0;
	}

	/* 1. through the mapping, peer to peer */
	if (edu_copy(edu_bar, 0, CHUNK))
		return bad("edu DMA timed out");
	for (i = 0; i < CHUNK && page[CHUNK + i] == want[i]; i++)
		;
	printf("%s mapped: edu copied %d of %d bytes through IOVA %#llx\n",
	       i == CHUNK ? "ok" : "FAIL", i, CHUNK, IOVA);
	failed |= i != CHUNK;

	/* 2. revoke */
	if (by_reset ? vfio_reset(&target) :
	    vfio_set_memory_decode(&target, 0) ||
	    vfio_set_memory_decode(&target, 1))
		return bad(by_reset ? "cannot reset the target" :
			   "cannot toggle the target's memory decode");
	/* a reset may have cleared the memory: the pattern goes in again */
	for (i = 0; i < CHUNK; i++) {
		page[i] = want[i];
		page[2 * CHUNK + i] = 0;
	}

	/* 3. nothing may arrive */
	if (edu_copy(edu_bar, 0, 2 * CHUNK))
		return bad("edu DMA timed out");
	c = memcmp((const void *)(page + 2 * CHUNK), zero, CHUNK);
	printf("%s revoked: the copy after the %s wrote %s\n",
	       c ? "FAIL" : "ok", by_reset ? "reset" : "decode off",
	       c ? "into the page" : "nothing");
	failed |= c != 0;

	unmap.ioas_id = alloc.out_ioas_id;
	unmap.iova = IOVA;
	unmap.length = PAGE;
	c = ioctl(iommufd, IOMMU_IOAS_UNMAP, &unmap);
	printf("%s unmap: the revoked IOVA %s\n", c ? "FAIL" : "ok",
	       c ? strerror(errno) : "unmapped");
	failed |= c != 0;

	close(buf);
	vfio_set_bus_master(&edu, 0);
	vfio_owner_close(&edu);
	vfio_owner_close(&target);
	close(iommufd);
	return failed;
}
