// SPDX-License-Identifier: GPL-2.0
/*
 * A deliberate slowdown, for testing the regression verdict only: with
 * test_map_delay_ns set, every map in the timed window is followed by a
 * busy wait of that many nanoseconds, so "dmabench compare" must flag the
 * run as a regression. The value a run used is returned in its results
 * (injected_map_delay_ns) and lands in the JSON, so a slowed run can never
 * pass for a real measurement.
 *
 *   echo 20000 > /sys/module/dmabench/parameters/test_map_delay_ns
 */
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>

#include "dmabench.h"

/* a cap that keeps one 256-operation batch well under a second */
#define DMABENCH_MAX_TEST_DELAY_NS	100000U

static unsigned int test_map_delay_ns;

static int dmabench_delay_set(const char *val, const struct kernel_param *kp)
{
	unsigned int ns;
	int ret;

	ret = kstrtouint(val, 0, &ns);
	if (ret)
		return ret;
	if (ns > DMABENCH_MAX_TEST_DELAY_NS)
		return -EINVAL;
	WRITE_ONCE(test_map_delay_ns, ns);
	return 0;
}

static const struct kernel_param_ops dmabench_delay_ops = {
	.set = dmabench_delay_set,
	.get = param_get_uint,
};

module_param_cb(test_map_delay_ns, &dmabench_delay_ops, &test_map_delay_ns, 0644);
MODULE_PARM_DESC(test_map_delay_ns,
		 "TEST ONLY: busy-wait this many ns after every timed map (0..100000; default 0)");

u32 dmabench_test_map_delay(void)
{
	return READ_ONCE(test_map_delay_ns);
}

void dmabench_inject_map_delay(u32 ns, unsigned int ops)
{
	while (ops--)
		ndelay(ns);
}

/*
 * Fault injection with task-filter=Y (failslab, fail_page_alloc) fails
 * only the allocations of tasks marked in /proc/<pid>/make-it-fail. The
 * maps and the buffer setup run in the module's kthreads, which are
 * children of kthreadd, not of the caller: pass the caller's mark on, so
 * that a test aiming at one client reaches the DMA paths it drives.
 */
void dmabench_inherit_fault_injection(struct task_struct *task)
{
#ifdef CONFIG_FAULT_INJECTION
	task->make_it_fail = current->make_it_fail;
#endif
}
