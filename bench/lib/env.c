#include "env.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "shquote.h"

static const char *const key_names[ENV_NKEYS] = {
	"kernel", "base_version", "series_hash", "series_patches",
	"series_head", "config_hash", "cmdline", "cpu", "iommu_mode",
	"swiotlb_force", "platform", "qemu", "accel", "icount",
	"date", "command", "tree",
};

const char *env_key_name(enum env_key k)
{
	return k < ENV_NKEYS ? key_names[k] : NULL;
}

void env_sources_default(struct env_sources *s)
{
	memset(s, 0, sizeof(*s));
	s->proc_cmdline = "/proc/cmdline";
	s->proc_cpuinfo = "/proc/cpuinfo";
	s->sys_iommu = "/sys/class/iommu";
	s->dmi_vendor = "/sys/class/dmi/id/sys_vendor";
	s->now = (time_t)-1;
}

static void warn(struct env *e, const char *fmt, ...)
{
	char msg[512];
	size_t old = e->warnings ? strlen(e->warnings) : 0;
	char *t;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	t = realloc(e->warnings, old + strlen(msg) + 2);
	if (!t)
		return;	/* a lost warning is better than a failed run */
	if (old)
		t[old++] = '\n';
	strcpy(t + old, msg);
	e->warnings = t;
}

static void rstrip(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

/* Whole (small) file with trailing blanks removed; NULL if unreadable or empty. */
static char *read_small_file(const char *path)
{
	FILE *f = path ? fopen(path, "r") : NULL;
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = malloc(65536);
	if (!buf) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, 65535, f);
	fclose(f);
	buf[n] = '\0';
	rstrip(buf);
	if (buf[0] == '\0') {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Value of the first "model name : ..." line of /proc/cpuinfo. */
static char *read_cpu_model(const char *path)
{
	FILE *f = path ? fopen(path, "r") : NULL;
	char *line = NULL, *res = NULL;
	size_t cap = 0;

	if (!f)
		return NULL;
	while (!res && getline(&line, &cap, f) > 0) {
		char *colon = strchr(line, ':'), *v;

		if (!colon || strncmp(line, "model name", 10) != 0)
			continue;
		if (strspn(line + 10, " \t") != (size_t)(colon - line - 10))
			continue;
		v = colon + 1;
		v += strspn(v, " \t");
		rstrip(v);
		if (*v)
			res = strdup(v);
	}
	free(line);
	fclose(f);
	return res;
}

static int dir_has_entries(const char *path)
{
	DIR *d = path ? opendir(path) : NULL;
	struct dirent *de;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			found = 1;
	closedir(d);
	return found;
}

/*
 * Calls fn for every "name=value" word of the cmdline, in order.  Quoted
 * values (param="a b") are not split, matching the kernel's parser.
 */
static void for_each_param(const char *cmdline, void (*fn)(const char *, size_t, void *),
			   void *ctx)
{
	const char *p = cmdline;

	while (*p) {
		const char *start;
		int quoted = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && (quoted || (*p != ' ' && *p != '\t' && *p != '\n'))) {
			if (*p == '"')
				quoted = !quoted;
			p++;
		}
		fn(start, (size_t)(p - start), ctx);
	}
}

struct iommu_flags {
	int off, pt, strict;
};

static int word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && memcmp(w, s, n) == 0;
}

/* intel_iommu= takes a comma list such as "on,sm_on" or "off". */
static void intel_iommu_opts(const char *v, size_t n, struct iommu_flags *f)
{
	while (n) {
		const char *comma = memchr(v, ',', n);
		size_t k = comma ? (size_t)(comma - v) : n;

		if (word_is(v, k, "off"))
			f->off = 1;
		else if (word_is(v, k, "on"))
			f->off = 0;
		else if (word_is(v, k, "strict"))
			f->strict = 1;
		v += k;
		n -= k;
		if (n) {
			v++;
			n--;
		}
	}
}

static void iommu_param(const char *w, size_t n, void *ctx)
{
	struct iommu_flags *f = ctx;

	if (word_is(w, n, "iommu=off") || word_is(w, n, "amd_iommu=off"))
		f->off = 1;
	else if (word_is(w, n, "iommu=pt") || word_is(w, n, "iommu.passthrough=1") ||
		 word_is(w, n, "iommu.passthrough=on") || word_is(w, n, "iommu.passthrough=y"))
		f->pt = 1;
	else if (word_is(w, n, "iommu=nopt") || word_is(w, n, "iommu.passthrough=0") ||
		 word_is(w, n, "iommu.passthrough=off") || word_is(w, n, "iommu.passthrough=n"))
		f->pt = 0;
	else if (word_is(w, n, "iommu.strict=1") || word_is(w, n, "iommu.strict=on") ||
		 word_is(w, n, "iommu.strict=y"))
		f->strict = 1;
	else if (word_is(w, n, "iommu.strict=0") || word_is(w, n, "iommu.strict=off") ||
		 word_is(w, n, "iommu.strict=n"))
		f->strict = 0;
	else if (n > 12 && memcmp(w, "intel_iommu=", 12) == 0)
		intel_iommu_opts(w + 12, n - 12, f);
}

const char *env_iommu_mode(const char *cmdline, int iommu_present)
{
	struct iommu_flags f = { 0, 0, 0 };

	for_each_param(cmdline, iommu_param, &f);
	if (f.off)
		return "off";
	if (f.pt)
		return "passthrough";
	if (!iommu_present)
		return "off";
	return f.strict ? "strict" : "lazy";
}

static void swiotlb_param(const char *w, size_t n, void *ctx)
{
	int *force = ctx;
	const char *v;

	if (n < 8 || memcmp(w, "swiotlb=", 8) != 0)
		return;
	/* swiotlb=[<slabs>[,<slabs>],][force|noforce] */
	*force = 0;
	for (v = w + 8; v < w + n;) {
		const char *comma = memchr(v, ',', (size_t)(w + n - v));
		size_t k = comma ? (size_t)(comma - v) : (size_t)(w + n - v);

		if (word_is(v, k, "force"))
			*force = 1;
		v += k + 1;
	}
}

int env_swiotlb_force(const char *cmdline)
{
	int force = 0;

	for_each_param(cmdline, swiotlb_param, &force);
	return force;
}

void env_format_date(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "invalid");
}

/* Canonical form of a typed env-file value, or NULL if it is invalid. */
static const char *check_value(enum env_key k, const char *v)
{
	static const char *const modes[] = { "off", "passthrough", "lazy", "strict", NULL };
	size_t i;

	switch (k) {
	case ENV_SERIES_PATCHES:
		if (!*v || strlen(v) > 9 || strspn(v, "0123456789") != strlen(v))
			return NULL;
		return v;
	case ENV_SWIOTLB_FORCE:
		if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes"))
			return "true";
		if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no"))
			return "false";
		return NULL;
	case ENV_IOMMU_MODE:
		for (i = 0; modes[i]; i++)
			if (!strcmp(v, modes[i]))
				return v;
		return NULL;
	default:
		return v;
	}
}

static const char *type_hint(enum env_key k)
{
	switch (k) {
	case ENV_SERIES_PATCHES: return "a non-negative integer";
	case ENV_SWIOTLB_FORCE: return "one of 1 0 true false yes no";
	case ENV_IOMMU_MODE: return "one of off passthrough lazy strict";
	default: return "text";
	}
}

static int key_ok(const char *k)
{
	if (!(*k >= 'a' && *k <= 'z'))
		return 0;
	return strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(k);
}

static int add_extra(struct env *e, const char *key, const char *val)
{
	struct env_extra *t = realloc(e->extra, (e->nextra + 1) * sizeof(*t));

	if (!t)
		return -1;
	e->extra = t;
	t[e->nextra].key = strdup(key);
	t[e->nextra].val = strdup(val);
	if (!t[e->nextra].key || !t[e->nextra].val) {
		free(t[e->nextra].key);
		free(t[e->nextra].val);
		return -1;
	}
	e->nextra++;
	return 0;
}

/* Parses the env file into fv[] (known keys; NULL = absent or empty) and e->extra. */
static int read_env_file(struct env *e, const char *path, char *fv[ENV_NKEYS], int given[ENV_NKEYS],
			 char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0, i;
	ssize_t got;
	int rc = -1;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((got = getline(&line, &cap, f)) >= 0) {
		char *eq, *key, *val;
		const char *canon;
		int k;

		lineno++;
		if (strlen(line) != (size_t)got) {
			snprintf(err, errlen, "%s:%zu: NUL byte in line", path, lineno);
			goto out;
		}
		if (got && line[got - 1] == '\n')
			line[--got] = '\0';
		if (got && line[got - 1] == '\r')
			line[--got] = '\0';
		if (line[strspn(line, " \t")] == '\0' || line[strspn(line, " \t")] == '#')
			continue;
		eq = strchr(line, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%zu: expected key=value", path, lineno);
			goto out;
		}
		*eq = '\0';
		key = line;
		val = eq + 1;
		if (!key_ok(key)) {
			snprintf(err, errlen, "%s:%zu: bad key '%.40s' (lower case, digits, _)",
				 path, lineno, key);
			goto out;
		}
		for (k = 0; k < ENV_NKEYS && strcmp(key, key_names[k]); k++)
			;
		if (k < ENV_NKEYS) {
			if (given[k])
				goto dup;
			given[k] = 1;
			if (!*val)
				continue;	/* empty value: unknown, written as null */
			canon = check_value((enum env_key)k, val);
			if (!canon) {
				snprintf(err, errlen, "%s:%zu: %s must be %s, got '%.40s'",
					 path, lineno, key, type_hint((enum env_key)k), val);
				goto out;
			}
			fv[k] = strdup(canon);
			if (!fv[k])
				goto oom;
			continue;
		}
		for (i = 0; i < e->nextra; i++)
			if (!strcmp(e->extra[i].key, key))
				goto dup;
		if (add_extra(e, key, val))
			goto oom;
	}
	rc = 0;
	goto out;
dup:
	snprintf(err, errlen, "%s:%zu: %s is set twice", path, lineno, line);
	goto out;
oom:
	snprintf(err, errlen, "%s: out of memory", path);
out:
	free(line);
	fclose(f);
	return rc;
}

/* Keys the program measures itself: its own reading wins. */
static int self_read(int k)
{
	return k == ENV_KERNEL || k == ENV_CMDLINE || k == ENV_CPU || k == ENV_DATE ||
	       k == ENV_COMMAND;
}

int env_collect(struct env *e, const struct env_sources *src, char *err, size_t errlen)
{
	char *fv[ENV_NKEYS] = { 0 }, date[32];
	int given[ENV_NKEYS] = { 0 }, k;
	struct utsname u;
	char *vendor;

	memset(e, 0, sizeof(*e));
	if (src->env_file && read_env_file(e, src->env_file, fv, given, err, errlen)) {
		for (k = 0; k < ENV_NKEYS; k++)
			free(fv[k]);
		env_free(e);
		return -1;
	}

	if (src->kernel_release)
		e->val[ENV_KERNEL] = strdup(src->kernel_release);
	else if (uname(&u) == 0)
		e->val[ENV_KERNEL] = strdup(u.release);
	e->val[ENV_CMDLINE] = read_small_file(src->proc_cmdline);
	e->val[ENV_CPU] = read_cpu_model(src->proc_cpuinfo);
	env_format_date(src->now == (time_t)-1 ? time(NULL) : src->now, date, sizeof(date));
	e->val[ENV_DATE] = strdup(date);
	if (src->argv)
		e->val[ENV_COMMAND] = shquote_argv(src->argc, src->argv);

	for (k = 0; k < ENV_NKEYS; k++) {
		if (!fv[k])
			continue;
		if (k == ENV_DATE || k == ENV_COMMAND) {
			warn(e, "env file sets %s; recording the program's own", key_names[k]);
		} else if (self_read(k) && e->val[k]) {
			if (strcmp(fv[k], e->val[k]) != 0)
				warn(e, "env file says %s=%s but this system reports %s; recording %s",
				     key_names[k], fv[k], e->val[k], e->val[k]);
		} else {
			e->val[k] = fv[k];	/* still NULL here when self_read(k) */
			fv[k] = NULL;
			continue;
		}
		free(fv[k]);
	}

	if (!given[ENV_IOMMU_MODE] && e->val[ENV_CMDLINE])
		e->val[ENV_IOMMU_MODE] = strdup(env_iommu_mode(e->val[ENV_CMDLINE],
							       dir_has_entries(src->sys_iommu)));
	if (!given[ENV_SWIOTLB_FORCE] && e->val[ENV_CMDLINE])
		e->val[ENV_SWIOTLB_FORCE] = strdup(env_swiotlb_force(e->val[ENV_CMDLINE]) ?
						   "true" : "false");
	if (!given[ENV_PLATFORM]) {
		vendor = read_small_file(src->dmi_vendor);
		if (vendor && strstr(vendor, "QEMU"))
			warn(e, "running under QEMU but no env file gives platform/qemu/accel: "
			     "recorded as null");
		else
			e->val[ENV_PLATFORM] = strdup("host");
		free(vendor);
	}
	return 0;
}

void env_write_value(struct jw *w, enum env_key k, const char *val)
{
	if (!val)
		jw_null(w);
	else if (k == ENV_SERIES_PATCHES)
		jw_int(w, atoll(val));
	else if (k == ENV_SWIOTLB_FORCE)
		jw_bool(w, !strcmp(val, "true"));
	else
		jw_string(w, val);
}

void env_write_json(struct jw *w, const struct env *e)
{
	size_t i;
	int k;

	jw_object_begin(w);
	for (k = 0; k < ENV_NKEYS; k++) {
		jw_key(w, key_names[k]);
		env_write_value(w, (enum env_key)k, e->val[k]);
	}
	for (i = 0; i < e->nextra; i++) {
		jw_key(w, e->extra[i].key);
		jw_string(w, e->extra[i].val);
	}
	jw_object_end(w);
}

void env_free(struct env *e)
{
	size_t i;
	int k;

	for (k = 0; k < ENV_NKEYS; k++)
		free(e->val[k]);
	for (i = 0; i < e->nextra; i++) {
		free(e->extra[i].key);
		free(e->extra[i].val);
	}
	free(e->extra);
	free(e->warnings);
	memset(e, 0, sizeof(*e));
}
