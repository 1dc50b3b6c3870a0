/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio-export: own a PCI device through vfio-pci and export a range of one
 * of its BARs as a dma-buf, for the dmabench dmabuf modes.
 */
#ifndef VFIO_EXPORT_H
#define VFIO_EXPORT_H

#include <stdint.h>

struct vfio_owner {
	int container;		/* -1 when bound to an iommufd */
	int group;		/* -1 when bound to an iommufd */
	int device;
	uint64_t config_offset;	/* of the config space region */
};

/* Opens BDF (bound to vfio-pci) through its group; -errno on failure. */
int vfio_owner_open(struct vfio_owner *o, const char *bdf);
/*
 * Opens BDF through its vfio device file (/dev/vfio/devices/vfioN) and
 * binds it to the iommufd iommufd instead; -errno on failure.
 */
int vfio_owner_open_iommufd(struct vfio_owner *o, const char *bdf,
			    int iommufd);
/* Puts a device opened with vfio_owner_open_iommufd() behind IOAS ioas. */
int vfio_attach_ioas(struct vfio_owner *o, uint32_t ioas);
/* mmap()s the whole of BAR bar; its length in *len; NULL on failure. */
void *vfio_map_bar(struct vfio_owner *o, unsigned int bar, size_t *len);
void vfio_owner_close(struct vfio_owner *o);
/* A dma-buf of [offset, offset + length) of BAR bar; fd or -errno. */
int vfio_export_dma_buf(struct vfio_owner *o, unsigned int bar,
			uint64_t offset, uint64_t length);
/* A function reset (VFIO_DEVICE_RESET); -EINVAL if the device has none. */
int vfio_reset(struct vfio_owner *o);
/* Memory decode on or off in the command register, as a guest would. */
int vfio_set_memory_decode(struct vfio_owner *o, int on);
/* Bus mastering on or off: a device's own DMA needs it. */
int vfio_set_bus_master(struct vfio_owner *o, int on);

#endif
