// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-export: the user-space half of a vfio-pci dma-buf export, through
 * the group and container API or through the device file bound to an
 * iommufd. The uAPI structures newer than the installed headers are written
 * out below, with the layout and numbers of mainline.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
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

#ifndef VFIO_DEVICE_BIND_IOMMUFD
struct vfio_device_bind_iommufd {
	__u32	argsz;
	__u32	flags;
	__s32	iommufd;
	__u32	out_devid;
};
#define VFIO_DEVICE_BIND_IOMMUFD	_IO(VFIO_TYPE, VFIO_BASE + 18)

struct vfio_device_attach_iommufd_pt {
	__u32	argsz;
	__u32	flags;
	__u32	pt_id;
};
#define VFIO_DEVICE_ATTACH_IOMMUFD_PT	_IO(VFIO_TYPE, VFIO_BASE + 19)
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

/* The config space region's offset in the device file */
static int config_offset(struct vfio_owner *o)
{
	struct vfio_region_info cfg = {
		.argsz = sizeof(cfg), .index = VFIO_PCI_CONFIG_REGION_INDEX,
	};

	if (ioctl(o->device, VFIO_DEVICE_GET_REGION_INFO, &cfg))
		return -errno;
	o->config_offset = cfg.offset;
	return 0;
}

int vfio_owner_open(struct vfio_owner *o, const char *bdf)
{
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
	if (o->device < 0 || config_offset(o))
		goto fail;
	return 0;
fail:
	err = -errno;
	vfio_owner_close(o);
	return err;
}

int vfio_owner_open_iommufd(struct vfio_owner *o, const char *bdf,
			    int iommufd)
{
	struct vfio_device_bind_iommufd bind = {
		.argsz = sizeof(bind), .iommufd = iommufd,
	};
	char path[PATH_MAX];
	struct dirent *d;
	DIR *dir;
	int err;

	o->container = o->group = o->device = -1;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vfio-dev", bdf);
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((d = readdir(dir)) && o->device < 0) {
		if (strncmp(d->d_name, "vfio", 4))
			continue;
		snprintf(path, sizeof(path), "/dev/vfio/devices/%s", d->d_name);
		o->device = open(path, O_RDWR | O_CLOEXEC);
	}
	err = o->device < 0 ? -ENODEV : 0;
	closedir(dir);
	if (!err && ioctl(o->device, VFIO_DEVICE_BIND_IOMMUFD, &bind))
		err = -errno;
	if (!err)
		err = config_offset(o);
	if (err)
		vfio_owner_close(o);
	return err;
}

int vfio_attach_ioas(struct vfio_owner *o, uint32_t ioas)
{
	struct vfio_device_attach_iommufd_pt attach = {
		.argsz = sizeof(attach), .pt_id = ioas,
	};

	return ioctl(o->device, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach) ?
	       -errno : 0;
}

void *vfio_map_bar(struct vfio_owner *o, unsigned int bar, size_t *len)
{
	struct vfio_region_info info = { .argsz = sizeof(info), .index = bar };
	void *p;

	if (ioctl(o->device, VFIO_DEVICE_GET_REGION_INFO, &info) ||
	    !(info.flags & VFIO_REGION_INFO_FLAG_MMAP))
		return NULL;
	p = mmap(NULL, info.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 o->device, (off_t)info.offset);
	if (p == MAP_FAILED)
		return NULL;
	*len = info.size;
	return p;
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

/* Sets or clears @bits of the command register. */
static int set_command_bits(struct vfio_owner *o, uint16_t bits, int on)
{
	uint16_t cmd;
	off_t at = (off_t)(o->config_offset + PCI_COMMAND);

	if (pread(o->device, &cmd, sizeof(cmd), at) != sizeof(cmd))
		return -errno;
	cmd = on ? cmd | bits : cmd & ~bits;
	if (pwrite(o->device, &cmd, sizeof(cmd), at) != sizeof(cmd))
		return -errno;
	return 0;
}

int vfio_set_memory_decode(struct vfio_owner *o, int on)
{
	return set_command_bits(o, PCI_COMMAND_MEMORY, on);
}

int vfio_set_bus_master(struct vfio_owner *o, int on)
{
	return set_command_bits(o, PCI_COMMAND_MASTER, on);
}

int vfio_reset(struct vfio_owner *o)
{
	return ioctl(o->device, VFIO_DEVICE_RESET) ? -errno : 0;
}
