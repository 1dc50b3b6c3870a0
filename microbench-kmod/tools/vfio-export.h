/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio-export: own a PCI device through vfio-pci and export a range of one
 * of its BARs as a dma-buf, for the dmabench dmabuf modes.
 */
#ifndef VFIO_EXPORT_H
#define VFIO_EXPORT_H

#include <stdint.h>

struct vfio_owner {
	int container;
	int group;
	int device;
	uint64_t config_offset;	/* of the config space region */
};

/* Opens BDF (bound to vfio-pci) through its group; -errno on failure. */
int vfio_owner_open(struct vfio_owner *o, const char *bdf);
void vfio_owner_close(struct vfio_owner *o);
/* A dma-buf of [offset, offset + length) of BAR bar; fd or -errno. */
int vfio_export_dma_buf(struct vfio_owner *o, unsigned int bar,
			uint64_t offset, uint64_t length);
/* Memory decode on or off in the command register, as a guest would. */
int vfio_set_memory_decode(struct vfio_owner *o, int on);

#endif
