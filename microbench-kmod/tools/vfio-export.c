// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-export: the user-space half of a vfio-pci dma-buf export, through
 * the group and container API (this guest has no iommufd). The feature's
 * structures are written out when the installed uAPI header predates them,
 * with the layout and numbers of mainline.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "vfio-export.h"

#ifndef VFIO_DEVICE_FEATURE_DMA_BUF
#define VFIO_DEVICE_FEATURE_DMA_BUF 11

struct vfio_region_dma_range {
	__u64 offset;
	__u64 length;
};

struct vfio_device_feature_dma_buf {
	__u32	region_index;
	__u32	open_flags;
	__u32	flags;
	__u32	nr_ranges;
	struct vfio_region_dma_range dma_ranges[];
};
#endif

static int group_of(const char *bdf)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *slash;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	slash = strrchr(target, '/');
	return slash ? atoi(slash + 1) : -ENOENT;
}

int vfio_owner_open(struct vfio_owner *o, const char *bdf)
{
	struct vfio_region_info cfg = {
		.argsz = sizeof(cfg), .index = VFIO_PCI_CONFIG_REGION_INDEX,
	};
	char path[64];
	int group = group_of(bdf), err;

	o->container = o->group = o->device = -1;
	if (group < 0)
		return group;
	snprintf(path, sizeof(path), "/dev/vfio/%d", group);
	o->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	o->group = open(path, O_RDWR | O_CLOEXEC);
	if (o->container < 0 || o->group < 0 ||
	    ioctl(o->group, VFIO_GROUP_SET_CONTAINER, &o->container) ||
	    ioctl(o->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		goto fail;
	o->device = ioctl(o->group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (o->device < 0 ||
	    ioctl(o->device, VFIO_DEVICE_GET_REGION_INFO, &cfg))
		goto fail;
	o->config_offset = cfg.offset;
	return 0;
fail:
	err = -errno;
	vfio_owner_close(o);
	return err;
}

void vfio_owner_close(struct vfio_owner *o)
{
	if (o->device >= 0)
		close(o->device);
	if (o->group >= 0)
		close(o->group);
	if (o->container >= 0)
		close(o->container);
	o->container = o->group = o->device = -1;
}

int vfio_export_dma_buf(struct vfio_owner *o, unsigned int bar,
			uint64_t offset, uint64_t length)
{
	struct {
		struct vfio_device_feature feature;
		struct vfio_device_feature_dma_buf get;
		struct vfio_region_dma_range range;
	} arg;
	int fd;

	memset(&arg, 0, sizeof(arg));
	arg.feature.argsz = sizeof(arg);
	arg.feature.flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_DMA_BUF;
	arg.get.region_index = bar;
	arg.get.open_flags = O_RDWR | O_CLOEXEC;
	arg.get.nr_ranges = 1;
	arg.range.offset = offset;
	arg.range.length = length;
	fd = ioctl(o->device, VFIO_DEVICE_FEATURE, &arg);
	return fd < 0 ? -errno : fd;
}

int vfio_set_memory_decode(struct vfio_owner *o, int on)
{
	uint16_t cmd;
	off_t at = (off_t)(o->config_offset + PCI_COMMAND);

	if (pread(o->device, &cmd, sizeof(cmd), at) != sizeof(cmd))
		return -errno;
	cmd = on ? cmd | PCI_COMMAND_MEMORY : cmd & ~PCI_COMMAND_MEMORY;
	if (pwrite(o->device, &cmd, sizeof(cmd), at) != sizeof(cmd))
		return -errno;
	return 0;
}
