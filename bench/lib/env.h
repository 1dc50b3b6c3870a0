/*
 * The environment block every result carries (DESIGN.md section 5): what
 * kernel, series, config, machine and command produced the numbers.
 */
#ifndef DMABENCH_ENV_H
#define DMABENCH_ENV_H

#include <stddef.h>
#include <time.h>

#include "json.h"

/* Known keys, in the order they are written. */
enum env_key {
	ENV_KERNEL, ENV_BASE_VERSION, ENV_SERIES_HASH, ENV_SERIES_PATCHES,
	ENV_SERIES_HEAD, ENV_CONFIG_HASH, ENV_CMDLINE, ENV_CPU, ENV_IOMMU_MODE,
	ENV_SWIOTLB_FORCE, ENV_PLATFORM, ENV_QEMU, ENV_ACCEL, ENV_ICOUNT,
	ENV_DATE, ENV_COMMAND, ENV_TREE, ENV_NKEYS
};

struct env_extra {
	char *key;
	char *val;
};

struct env {
	/* NULL means unknown and is written as JSON null.  series_patches
	 * holds decimal digits and swiotlb_force "true"/"false": they are
	 * written as a number and a boolean. */
	char *val[ENV_NKEYS];
	struct env_extra *extra;	/* unknown env-file keys, in file order */
	size_t nextra;
	char *warnings;			/* "\n"-separated notes for stderr, or NULL */
};

/* Where env_collect reads from; tests point these at fake files. */
struct env_sources {
	const char *env_file;		/* --env FILE, or NULL */
	const char *proc_cmdline;	/* "/proc/cmdline" */
	const char *proc_cpuinfo;	/* "/proc/cpuinfo" */
	const char *sys_iommu;		/* "/sys/class/iommu" */
	const char *dmi_vendor;		/* "/sys/class/dmi/id/sys_vendor" */
	const char *kernel_release;	/* NULL: uname(2) */
	time_t now;			/* (time_t)-1: time(2) */
	int argc;
	char *const *argv;
};

/* The real system's paths; the caller fills in env_file, argc and argv. */
void env_sources_default(struct env_sources *s);

const char *env_key_name(enum env_key k);

/*
 * Fills e.  The env file (lines key=value, '#' comments; an empty value
 * means unknown) supplies the facts the program cannot see: series,
 * config, QEMU, tree, iommu_mode.  The program itself reads kernel
 * (uname -r), cmdline, cpu, date and command; an env file value for those
 * is overridden and a differing one noted in e->warnings.  If the env file
 * gives no iommu_mode it is derived from the cmdline, and swiotlb_force
 * likewise.  Returns -1 with err ("file:line: ...") on a bad env file.
 */
int env_collect(struct env *e, const struct env_sources *src, char *err, size_t errlen);

/*
 * IOMMU mode from the kernel command line (later parameters win):
 * intel_iommu=off, amd_iommu=off or iommu=off -> "off";
 * iommu=pt or iommu.passthrough=1 -> "passthrough";
 * no IOMMU registered (iommu_present == 0) -> "off";
 * iommu.strict=1 or intel_iommu=strict -> "strict"; else "lazy".
 */
const char *env_iommu_mode(const char *cmdline, int iommu_present);
/* 1 if the cmdline asks for swiotlb=force (alone or after a slab count). */
int env_swiotlb_force(const char *cmdline);
/* "2025-01-31T12:34:56Z" */
void env_format_date(time_t t, char *buf, size_t len);

/* One env value, typed as the schema says (series_patches a number,
 * swiotlb_force a boolean, the rest strings); NULL is null. */
void env_write_value(struct jw *w, enum env_key k, const char *val);
void env_write_json(struct jw *w, const struct env *e);
void env_free(struct env *e);

#endif
