/* Tests for lib/env.c and lib/shquote.c, on fake /proc and /sys files. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env.h"
#include "harness.h"
#include "shquote.h"

static char tmpdir[64];

static const char *write_file(const char *name, const char *text)
{
	static char path[8][128];
	static int next;
	char *p = path[next++ % 8];
	FILE *f;

	snprintf(p, 128, "%s/%s", tmpdir, name);
	f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
	return p;
}

static void test_iommu_mode(void)
{
	static const struct {
		const char *cmdline;
		int present;
		const char *want;
	} cases[] = {
		{ "console=ttyS0 root=/dev/vda", 1, "lazy" },
		{ "console=ttyS0 root=/dev/vda", 0, "off" },
		{ "intel_iommu=on iommu.strict=1", 1, "strict" },
		{ "intel_iommu=on,strict", 1, "strict" },
		{ "iommu.strict=1 iommu.strict=0", 1, "lazy" },
		{ "intel_iommu=on iommu=pt", 1, "passthrough" },
		{ "iommu.passthrough=1 iommu.strict=1", 1, "passthrough" },
		{ "iommu=pt iommu=nopt", 1, "lazy" },
		{ "iommu.passthrough=1 iommu.passthrough=0 iommu.strict=1", 1, "strict" },
		{ "intel_iommu=off", 1, "off" },
		{ "intel_iommu=on,sm_on", 1, "lazy" },
		{ "amd_iommu=off iommu=pt", 1, "off" },
		{ "iommu=pt", 0, "passthrough" },
		{ "xintel_iommu=off iommu.strict=10", 1, "lazy" },
		{ "foo=\"iommu=pt quoted\" iommu.strict=1", 1, "strict" },
		{ "", 1, "lazy" },
	};
	char name[160];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(name, sizeof(name), "iommu mode of '%s' (iommu %s) is %s",
			 cases[i].cmdline, cases[i].present ? "present" : "absent", cases[i].want);
		CHECK_STR(env_iommu_mode(cases[i].cmdline, cases[i].present), cases[i].want, name);
	}
	CHECK(env_swiotlb_force("a swiotlb=force b") == 1, "swiotlb=force");
	CHECK(env_swiotlb_force("swiotlb=65536,force") == 1, "swiotlb=<slabs>,force");
	CHECK(env_swiotlb_force("swiotlb=65536") == 0, "swiotlb=<slabs> is not force");
	CHECK(env_swiotlb_force("swiotlb=force swiotlb=noforce") == 0, "last swiotlb= wins");
	CHECK(env_swiotlb_force("xswiotlb=force") == 0, "only the exact parameter name counts");
}

static void test_date_and_quote(void)
{
	char buf[32], *q;
	char *argv1[] = { "dmabench", "run", "--size", "4K 64K", "--out", "/tmp/r", "it's", "", "a$b" };

	env_format_date(0, buf, sizeof(buf));
	CHECK_STR(buf, "1970-01-01T00:00:00Z", "date of epoch");
	env_format_date(1700000000, buf, sizeof(buf));
	CHECK_STR(buf, "2023-11-14T22:13:20Z", "date 1700000000 in UTC");
	q = shquote_argv(9, argv1);
	CHECK_STR(q, "dmabench run --size '4K 64K' --out /tmp/r 'it'\\''s' '' 'a$b'",
		  "argv shell-quoted only where needed");
	free(q);
	q = shquote_argv(0, argv1);
	CHECK_STR(q, "", "empty argv");
	free(q);
}

static void sources(struct env_sources *s, const char *envfile)
{
	static char *argv[] = { "dmabench", "run", "--engine", "inkernel" };

	env_sources_default(s);
	s->env_file = envfile;
	s->proc_cmdline = write_file("cmdline", "console=ttyS0 intel_iommu=on iommu.strict=1 dma_debug=off\n");
	s->proc_cpuinfo = write_file("cpuinfo",
				     "processor\t: 0\nvendor_id\t: GenuineIntel\n"
				     "model name\t: QEMU TCG CPU version 2.5+\nflags\t\t: fpu\n\n"
				     "processor\t: 1\nmodel name\t: second\n");
	s->dmi_vendor = write_file("sys_vendor", "QEMU\n");
	s->kernel_release = "6.12.117-dmabench";
	s->now = 1700000000;
	s->argc = 4;
	s->argv = argv;
}

static char *env_json(const struct env *e)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct jw w;

	jw_init(&w, f);
	env_write_json(&w, e);
	jw_finish(&w);
	fclose(f);
	return buf;
}

static void test_collect(void)
{
	struct env_sources s;
	struct env e;
	char err[256], *js;
	char iommu_dir[128];

	snprintf(iommu_dir, sizeof(iommu_dir), "%s/iommu", tmpdir);
	mkdir(iommu_dir, 0755);
	sources(&s, write_file("env1",
			       "# written by the VM runner\n"
			       "base_version=6.12.117\n"
			       "series_hash=0123abcd\n"
			       "series_patches=12\n"
			       "series_head=deadbeef\n"
			       "config_hash=cafe\n"
			       "platform=qemu-tcg\n"
			       "qemu=QEMU emulator version 7.2.15\n"
			       "accel=tcg,thread=single\n"
			       "icount=shift=0\n"
			       "tree=patched\n"
			       "kernel=6.12.999\n"
			       "vm_memory=4G\n"
			       "\n"
			       "qemu_machine=q35 with \"quotes\"\n"));
	s.sys_iommu = iommu_dir;	/* empty: no IOMMU registered */
	CHECK(env_collect(&e, &s, err, sizeof(err)) == 0, "collect with env file");
	js = env_json(&e);
	CHECK_STR(js,
		  "{\n"
		  "  \"kernel\": \"6.12.117-dmabench\",\n"
		  "  \"base_version\": \"6.12.117\",\n"
		  "  \"series_hash\": \"0123abcd\",\n"
		  "  \"series_patches\": 12,\n"
		  "  \"series_head\": \"deadbeef\",\n"
		  "  \"config_hash\": \"cafe\",\n"
		  "  \"cmdline\": \"console=ttyS0 intel_iommu=on iommu.strict=1 dma_debug=off\",\n"
		  "  \"cpu\": \"QEMU TCG CPU version 2.5+\",\n"
		  "  \"iommu_mode\": \"off\",\n"
		  "  \"swiotlb_force\": false,\n"
		  "  \"platform\": \"qemu-tcg\",\n"
		  "  \"qemu\": \"QEMU emulator version 7.2.15\",\n"
		  "  \"accel\": \"tcg,thread=single\",\n"
		  "  \"icount\": \"shift=0\",\n"
		  "  \"date\": \"2023-11-14T22:13:20Z\",\n"
		  "  \"command\": \"dmabench run --engine inkernel\",\n"
		  "  \"tree\": \"patched\",\n"
		  "  \"vm_memory\": \"4G\",\n"
		  "  \"qemu_machine\": \"q35 with \\\"quotes\\\"\"\n"
		  "}\n", "env JSON: typed known keys, then extra keys in file order");
	free(js);
	CHECK_STR(e.warnings,
		  "env file says kernel=6.12.999 but this system reports 6.12.117-dmabench; "
		  "recording 6.12.117-dmabench", "kernel mismatch is warned about, uname wins");
	env_free(&e);

	/* an IOMMU registered -> strict from the cmdline */
	write_file("iommu/dmar0", "");
	sources(&s, write_file("env2", "iommu_mode=\nswiotlb_force=yes\nplatform=host\n"));
	s.sys_iommu = iommu_dir;
	CHECK(env_collect(&e, &s, err, sizeof(err)) == 0, "collect: second env file");
	CHECK(e.val[ENV_IOMMU_MODE] == NULL, "empty iommu_mode= means unknown, not derived");
	CHECK_STR(e.val[ENV_SWIOTLB_FORCE], "true", "swiotlb_force=yes canonicalised");
	CHECK(e.warnings == NULL, "no warnings when nothing conflicts");
	env_free(&e);

	sources(&s, NULL);
	s.sys_iommu = iommu_dir;
	CHECK(env_collect(&e, &s, err, sizeof(err)) == 0, "collect without env file");
	CHECK_STR(e.val[ENV_IOMMU_MODE], "strict", "iommu_mode derived: iommu.strict=1 + dmar0");
	CHECK_STR(e.val[ENV_SWIOTLB_FORCE], "false", "swiotlb_force derived from cmdline");
	CHECK(e.val[ENV_PLATFORM] == NULL && e.val[ENV_QEMU] == NULL && e.val[ENV_TREE] == NULL,
	      "under QEMU without env file: platform, qemu, tree are null");
	CHECK(e.warnings && strstr(e.warnings, "running under QEMU"), "... with a warning");
	env_free(&e);

	sources(&s, NULL);
	s.dmi_vendor = "/nonexistent";
	s.proc_cmdline = "/nonexistent";
	s.proc_cpuinfo = "/nonexistent";
	CHECK(env_collect(&e, &s, err, sizeof(err)) == 0, "collect with nothing readable");
	CHECK_STR(e.val[ENV_PLATFORM], "host", "no QEMU DMI vendor: platform host");
	CHECK(e.val[ENV_CMDLINE] == NULL && e.val[ENV_CPU] == NULL &&
	      e.val[ENV_IOMMU_MODE] == NULL && e.val[ENV_SWIOTLB_FORCE] == NULL,
	      "unreadable /proc files give null, never a guess");
	env_free(&e);
}

static void test_env_file_errors(void)
{
	static const struct {
		const char *text;
		const char *err;
	} cases[] = {
		{ "kernel 6.12\n", "env:1: expected key=value" },
		{ "\n# c\nKernel=6.12\n", "env:3: bad key 'Kernel' (lower case, digits, _)" },
		{ "=x\n", "env:1: bad key '' (lower case, digits, _)" },
		{ "tree=base\ntree=patched\n", "env:2: tree is set twice" },
		{ "extra=1\nextra=2\n", "env:2: extra is set twice" },
		{ "series_patches=12a\n", "env:1: series_patches must be a non-negative integer, got '12a'" },
		{ "series_patches=-1\n", "env:1: series_patches must be a non-negative integer, got '-1'" },
		{ "swiotlb_force=maybe\n", "env:1: swiotlb_force must be one of 1 0 true false yes no, got 'maybe'" },
		{ "iommu_mode=nested\n", "env:1: iommu_mode must be one of off passthrough lazy strict, got 'nested'" },
	};
	struct env_sources s;
	struct env e;
	char err[256], want[512], name[300];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *path = write_file("env", cases[i].text);

		sources(&s, path);
		snprintf(want, sizeof(want), "%s/%s", tmpdir, cases[i].err);
		snprintf(name, sizeof(name), "env file error: %s", cases[i].err);
		if (env_collect(&e, &s, err, sizeof(err)) == 0) {
			env_free(&e);
			CHECK(0, name);
			continue;
		}
		CHECK_STR(err, want, name);
	}
	sources(&s, "/nonexistent/env");
	CHECK(env_collect(&e, &s, err, sizeof(err)) == -1 &&
	      !strcmp(err, "/nonexistent/env: No such file or directory"), "missing env file");
}

int main(void)
{
	char cmd[128];
	int rc;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/dmabench-test-env.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	test_iommu_mode();
	test_date_and_quote();
	test_collect();
	test_env_file_errors();
	rc = harness_done();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return rc;
}
