#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Mapping modes of the benchmark matrix (DESIGN.md section 5). */
static const char *const known_modes[] = {
	"single", "page", "sg", "phys", "phys-mmio", "resource",
	"p2p-provider", "p2p-pgmap", "iova-link", NULL
};

static const char *const dir_names[] = { "bidirectional", "to_device", "from_device" };
static const char *const attr_names[] = { "skip_cpu_sync", "weak_ordering" };
static const char *const bar_names[] = { NULL, "target", "p2pmem" };

void config_defaults(struct bench_config *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->modes[0], "single");
	c->nmodes = 1;
	c->sizes[0] = 4096;
	c->nsizes = 1;
	c->threads[0] = 1;
	c->nthreads = 1;
	c->seconds = 1;
	c->repeat = 3;
	c->dir = CFG_DIR_BIDIRECTIONAL;
	c->dma_bits = 64;
	c->node = -1;
	c->trans_ns = 0;
	c->nents[0] = 1;
	c->nnents = 1;
}

const char *config_dir_name(int dir)
{
	return dir >= 0 && dir <= 2 ? dir_names[dir] : NULL;
}

int config_dir_from_name(const char *name)
{
	int i;

	for (i = 0; i < 3; i++)
		if (!strcmp(name, dir_names[i]))
			return i;
	return -1;
}

const char *config_target_name(int target)
{
	return target == CFG_TARGET_PCI ? "pci" : target == CFG_TARGET_DIRECT ? "direct" : NULL;
}

const char *config_attr_name(unsigned int bit)
{
	return bit == CFG_ATTR_SKIP_CPU_SYNC ? attr_names[0] :
	       bit == CFG_ATTR_WEAK_ORDERING ? attr_names[1] : NULL;
}

/* n hex digits exactly (n > 0), or up to max digits when n == 0 */
static int parse_hex(const char **s, size_t n, size_t max, uint32_t *out)
{
	const char *p = *s;
	uint32_t v = 0;
	size_t i;

	for (i = 0; (n ? i < n : i < max); i++) {
		char ch = p[i];
		unsigned int d;

		if (ch >= '0' && ch <= '9')
			d = (unsigned int)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			d = (unsigned int)(ch - 'a' + 10);
		else if (ch >= 'A' && ch <= 'F')
			d = (unsigned int)(ch - 'A' + 10);
		else
			break;
		v = v << 4 | d;
	}
	if (i == 0 || (n && i != n))
		return -1;
	*s = p + i;
	*out = v;
	return 0;
}

int config_parse_pci(const char *s, uint32_t *domain, uint32_t *bdf)
{
	uint32_t dom, bus, dev, fn;

	/* dddd:bb:dd.f, the form of /sys/bus/pci/devices and lspci -D */
	if (parse_hex(&s, 4, 4, &dom) || *s++ != ':' || parse_hex(&s, 2, 2, &bus) ||
	    *s++ != ':' || parse_hex(&s, 2, 2, &dev) || *s++ != '.' ||
	    parse_hex(&s, 1, 1, &fn) || *s != '\0' || dev > 0x1f || fn > 7)
		return -1;
	*domain = dom;
	*bdf = bus << 8 | dev << 3 | fn;
	return 0;
}

void config_format_pci(uint32_t domain, uint32_t bdf, char *buf, size_t len)
{
	snprintf(buf, len, "%04x:%02x:%02x.%x", domain, (bdf >> 8) & 0xff, (bdf >> 3) & 0x1f,
		 bdf & 7);
}

int config_parse_bar(const char *s, int *bar_dev, unsigned int *bar)
{
	int dev;

	for (dev = CFG_BAR_TARGET; dev <= CFG_BAR_P2PMEM; dev++) {
		size_t n = strlen(bar_names[dev]);

		if (!strncmp(s, bar_names[dev], n) && s[n] == ':' && s[n + 1] >= '0' &&
		    s[n + 1] < '0' + CFG_NR_BARS && s[n + 2] == '\0') {
			*bar_dev = dev;
			*bar = (unsigned int)(s[n + 1] - '0');
			return 0;
		}
	}
	return -1;
}

void config_format_bar(int bar_dev, unsigned int bar, char *buf, size_t len)
{
	if (bar_dev == CFG_BAR_TARGET || bar_dev == CFG_BAR_P2PMEM)
		snprintf(buf, len, "%s:%u", bar_names[bar_dev], bar);
	else
		snprintf(buf, len, "%s", "");
}

int config_parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0, mult = 1;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	switch (*s) {
	case '\0': break;
	case 'K': case 'k': mult = 1ull << 10; s++; break;
	case 'M': case 'm': mult = 1ull << 20; s++; break;
	case 'G': case 'g': mult = 1ull << 30; s++; break;
	default: return -1;
	}
	if (*s != '\0' || (v != 0 && v > UINT64_MAX / mult))
		return -1;
	*out = v * mult;
	return 0;
}

void config_format_size(uint64_t b, char *buf, size_t len)
{
	if (b != 0 && b % (1ull << 30) == 0)
		snprintf(buf, len, "%lluG", (unsigned long long)(b >> 30));
	else if (b != 0 && b % (1ull << 20) == 0)
		snprintf(buf, len, "%lluM", (unsigned long long)(b >> 20));
	else if (b != 0 && b % (1ull << 10) == 0)
		snprintf(buf, len, "%lluK", (unsigned long long)(b >> 10));
	else
		snprintf(buf, len, "%llu", (unsigned long long)b);
}

/* Strict decimal integer: optional '-', digits, nothing else. */
static int parse_int(const char *s, long long lo, long long hi, long long *out)
{
	char *end;
	long long v;

	if (!((*s >= '0' && *s <= '9') || (*s == '-' && s[1] >= '0' && s[1] <= '9')))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0')
		return -1;
	if (errno == ERANGE || v < lo || v > hi)
		return -2;
	*out = v;
	return 0;
}

/* Splits value at blanks into at most CFG_MAX_LIST words (in place). */
static int split_words(char *value, char **words, size_t *n, char *err, size_t errlen)
{
	char *save = NULL, *w;

	*n = 0;
	for (w = strtok_r(value, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (*n == CFG_MAX_LIST) {
			snprintf(err, errlen, "too many values (at most %d)", CFG_MAX_LIST);
			return -1;
		}
		words[(*n)++] = w;
	}
	if (*n == 0) {
		snprintf(err, errlen, "empty value");
		return -1;
	}
	return 0;
}

static int one_word(const char *key, size_t n, char *err, size_t errlen)
{
	if (n != 1) {
		snprintf(err, errlen, "%s takes one value, got %zu", key, n);
		return -1;
	}
	return 0;
}

static int set_number(const char *key, const char *word, long long lo, long long hi,
		      long long *out, char *err, size_t errlen)
{
	int r = parse_int(word, lo, hi, out);

	if (r == -1)
		snprintf(err, errlen, "%s: '%s' is not an integer", key, word);
	else if (r == -2)
		snprintf(err, errlen, "%s: %s is out of range %lld..%lld", key, word, lo, hi);
	return r ? -1 : 0;
}

static int set_sizes(struct bench_config *c, char **w, size_t n, char *err, size_t errlen)
{
	uint64_t tmp[CFG_MAX_LIST];
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (config_parse_size(w[i], &tmp[i])) {
			snprintf(err, errlen, "SIZES: '%s' is not a size (bytes, or a number with K, M or G)", w[i]);
			return -1;
		}
		if (tmp[i] < 4096 || tmp[i] > (4u << 20) || (tmp[i] & (tmp[i] - 1))) {
			snprintf(err, errlen, "SIZES: %s must be a power of two from 4K to 4M", w[i]);
			return -1;
		}
		for (j = 0; j < i; j++) {
			if (tmp[j] == tmp[i]) {
				snprintf(err, errlen, "SIZES: %s is listed twice", w[i]);
				return -1;
			}
		}
	}
	memcpy(c->sizes, tmp, n * sizeof(tmp[0]));
	c->nsizes = n;
	return 0;
}

static int set_threads(struct bench_config *c, char **w, size_t n, char *err, size_t errlen)
{
	unsigned int tmp[CFG_MAX_LIST];
	size_t i, j;
	long long v;

	for (i = 0; i < n; i++) {
		if (set_number("THREADS", w[i], 1, 1024, &v, err, errlen))
			return -1;
		tmp[i] = (unsigned int)v;
		for (j = 0; j < i; j++) {
			if (tmp[j] == tmp[i]) {
				snprintf(err, errlen, "THREADS: %s is listed twice", w[i]);
				return -1;
			}
		}
	}
	memcpy(c->threads, tmp, n * sizeof(tmp[0]));
	c->nthreads = n;
	return 0;
}

static int set_nents(struct bench_config *c, char **w, size_t n, char *err, size_t errlen)
{
	unsigned int tmp[CFG_MAX_LIST];
	size_t i, j;
	long long v;

	for (i = 0; i < n; i++) {
		if (set_number("NENTS", w[i], 1, CFG_MAX_NENTS, &v, err, errlen))
			return -1;
		tmp[i] = (unsigned int)v;
		for (j = 0; j < i; j++) {
			if (tmp[j] == tmp[i]) {
				snprintf(err, errlen, "NENTS: %s is listed twice", w[i]);
				return -1;
			}
		}
	}
	memcpy(c->nents, tmp, n * sizeof(tmp[0]));
	c->nnents = n;
	return 0;
}

static int set_attrs(struct bench_config *c, char **w, size_t n, char *err, size_t errlen)
{
	unsigned int attrs = 0, bit;
	size_t i;

	for (i = 0; i < n; i++) {
		for (bit = 1; bit & CFG_ATTR_ALL; bit <<= 1)
			if (!strcmp(w[i], config_attr_name(bit)))
				break;
		if (!(bit & CFG_ATTR_ALL)) {
			snprintf(err, errlen, "ATTRS: unknown attribute '%.40s' (known: skip_cpu_sync "
				 "weak_ordering)", w[i]);
			return -1;
		}
		if (attrs & bit) {
			snprintf(err, errlen, "ATTRS: %s is listed twice", w[i]);
			return -1;
		}
		attrs |= bit;
	}
	c->attrs = attrs;
	return 0;
}

static int set_target(struct bench_config *c, const char *w, char *err, size_t errlen)
{
	if (!strcmp(w, "pci"))
		c->target = CFG_TARGET_PCI;
	else if (!strcmp(w, "direct"))
		c->target = CFG_TARGET_DIRECT;
	else {
		snprintf(err, errlen, "TARGET: '%.40s' is not pci or direct", w);
		return -1;
	}
	return 0;
}

static int set_device(struct bench_config *c, const char *w, char *err, size_t errlen)
{
	if (config_parse_pci(w, &c->device_domain, &c->device_bdf)) {
		snprintf(err, errlen, "DEVICE: '%.40s' is not a PCI address dddd:bb:dd.f "
			 "(hex, device 00..1f, function 0..7)", w);
		return -1;
	}
	c->has_device = 1;
	return 0;
}

static int set_bar(struct bench_config *c, const char *w, char *err, size_t errlen)
{
	if (config_parse_bar(w, &c->bar_dev, &c->bar)) {
		snprintf(err, errlen, "BAR: '%.40s' is not target:N or p2pmem:N (N 0..5)", w);
		return -1;
	}
	return 0;
}

static int set_modes(struct bench_config *c, char **w, size_t n, char *err, size_t errlen)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; known_modes[j] && strcmp(known_modes[j], w[i]) != 0; j++)
			;
		if (!known_modes[j]) {
			snprintf(err, errlen, "MODES: unknown mode '%.40s' (known: single page sg phys "
				 "phys-mmio resource p2p-provider p2p-pgmap iova-link)", w[i]);
			return -1;
		}
		for (j = 0; j < i; j++) {
			if (strcmp(w[j], w[i]) == 0) {
				snprintf(err, errlen, "MODES: %s is listed twice", w[i]);
				return -1;
			}
		}
	}
	for (i = 0; i < n; i++)
		strcpy(c->modes[i], w[i]);	/* known names fit CFG_NAME_MAX */
	c->nmodes = n;
	return 0;
}

static int set_dir(struct bench_config *c, const char *w, char *err, size_t errlen)
{
	if (!strcmp(w, "bidirectional") || !strcmp(w, "bidir"))
		c->dir = CFG_DIR_BIDIRECTIONAL;
	else if (!strcmp(w, "to_device") || !strcmp(w, "to"))
		c->dir = CFG_DIR_TO_DEVICE;
	else if (!strcmp(w, "from_device") || !strcmp(w, "from"))
		c->dir = CFG_DIR_FROM_DEVICE;
	else {
		snprintf(err, errlen, "DIR: '%.40s' is not bidirectional, to_device or from_device", w);
		return -1;
	}
	return 0;
}

static int set_engine(struct bench_config *c, const char *w, char *err, size_t errlen)
{
	size_t i, n = strlen(w);

	for (i = 0; i < n; i++)
		if (!((w[i] >= 'a' && w[i] <= 'z') || (w[i] >= '0' && w[i] <= '9') || w[i] == '-'))
			break;
	if (n == 0 || n >= CFG_NAME_MAX || i != n) {
		snprintf(err, errlen, "ENGINE: '%.40s' is not an engine name ([a-z0-9-], under %d chars)",
			 w, CFG_NAME_MAX);
		return -1;
	}
	strcpy(c->engine, w);
	return 0;
}

int config_set(struct bench_config *c, const char *key, const char *value,
	       char *err, size_t errlen)
{
	char *copy = strdup(value), *w[CFG_MAX_LIST];
	size_t n;
	long long v;
	int r = -1;

	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (split_words(copy, w, &n, err, errlen))
		goto out;
	if (!strcmp(key, "MODES")) {
		r = set_modes(c, w, n, err, errlen);
	} else if (!strcmp(key, "SIZES")) {
		r = set_sizes(c, w, n, err, errlen);
	} else if (!strcmp(key, "THREADS")) {
		r = set_threads(c, w, n, err, errlen);
	} else if (!strcmp(key, "ENGINE")) {
		r = one_word(key, n, err, errlen) ? -1 : set_engine(c, w[0], err, errlen);
	} else if (!strcmp(key, "DIR")) {
		r = one_word(key, n, err, errlen) ? -1 : set_dir(c, w[0], err, errlen);
	} else if (!strcmp(key, "SECONDS")) {
		/* SECONDS and ITERATIONS are alternatives: the later one wins */
		if (!one_word(key, n, err, errlen) && !set_number(key, w[0], 1, 300, &v, err, errlen))
			c->seconds = (unsigned int)v, c->iterations = 0, r = 0;
	} else if (!strcmp(key, "ITERATIONS")) {
		if (!one_word(key, n, err, errlen) &&
		    !set_number(key, w[0], 1, (long long)CFG_MAX_ITERATIONS, &v, err, errlen))
			c->iterations = (uint64_t)v, c->seconds = 0, r = 0;
	} else if (!strcmp(key, "NENTS")) {
		r = set_nents(c, w, n, err, errlen);
	} else if (!strcmp(key, "BATCH")) {
		if (!one_word(key, n, err, errlen) &&
		    !set_number(key, w[0], 0, CFG_MAX_BATCH, &v, err, errlen))
			c->batch = (unsigned int)v, r = 0;
	} else if (!strcmp(key, "TARGET")) {
		r = one_word(key, n, err, errlen) ? -1 : set_target(c, w[0], err, errlen);
	} else if (!strcmp(key, "DEVICE")) {
		r = one_word(key, n, err, errlen) ? -1 : set_device(c, w[0], err, errlen);
	} else if (!strcmp(key, "BAR")) {
		r = one_word(key, n, err, errlen) ? -1 : set_bar(c, w[0], err, errlen);
	} else if (!strcmp(key, "ATTRS")) {
		r = set_attrs(c, w, n, err, errlen);
	} else if (!strcmp(key, "REPEAT")) {
		if (!one_word(key, n, err, errlen) && !set_number(key, w[0], 1, 100, &v, err, errlen))
			c->repeat = (unsigned int)v, r = 0;
	} else if (!strcmp(key, "DMA_BITS")) {
		if (!one_word(key, n, err, errlen) && !set_number(key, w[0], 20, 64, &v, err, errlen))
			c->dma_bits = (unsigned int)v, r = 0;
	} else if (!strcmp(key, "NODE")) {
		if (!one_word(key, n, err, errlen) && !set_number(key, w[0], -1, 1023, &v, err, errlen))
			c->node = (int)v, r = 0;
	} else if (!strcmp(key, "TRANS_NS")) {
		if (!one_word(key, n, err, errlen) &&
		    !set_number(key, w[0], 0, 10000000, &v, err, errlen))
			c->trans_ns = (unsigned int)v, r = 0;
	} else {
		snprintf(err, errlen, "unknown key '%.40s' (known: ENGINE MODES SIZES THREADS "
			 "SECONDS REPEAT DIR DMA_BITS NODE TRANS_NS NENTS BATCH ITERATIONS TARGET "
			 "DEVICE BAR ATTRS)", key);
	}
out:
	free(copy);
	return r;
}

static int is_key_char(char ch, int first)
{
	return (ch >= 'A' && ch <= 'Z') || ch == '_' || (!first && ch >= '0' && ch <= '9');
}

/*
 * Splits one line into key and value (both pointing into line, which is
 * modified).  Returns 1 for a setting, 0 for a blank or comment line, -1
 * for a syntax error.
 */
static int split_line(char *line, char **key, char **value, char *err, size_t errlen)
{
	char *p = line, *end;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	if (!strncmp(p, "export", 6) && (p[6] == ' ' || p[6] == '\t')) {
		p += 6;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	*key = p;
	if (!is_key_char(*p, 1)) {
		snprintf(err, errlen, "expected KEY=value");
		return -1;
	}
	while (is_key_char(*p, 0))
		p++;
	if (*p != '=') {
		snprintf(err, errlen, "expected '=' right after the key (KEY=value, no blanks)");
		return -1;
	}
	*p++ = '\0';
	if (*p == '"' || *p == '\'') {
		char q = *p++;

		*value = p;
		end = strchr(p, q);
		if (!end) {
			snprintf(err, errlen, "unterminated %c quote", q);
			return -1;
		}
		*end = '\0';
		p = end + 1;
	} else {
		*value = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '\0' && *p != '#') {
		snprintf(err, errlen, "unexpected text after the value (quote lists: KEY=\"a b\")");
		return -1;
	}
	if (**value == '\0') {
		snprintf(err, errlen, "%s has an empty value", *key);
		return -1;
	}
	return 1;
}

/* Every key config_set knows: a file sets each at most once. */
#define CFG_NKEYS 17

/* 1 if key is SECONDS or ITERATIONS and the other one was set already */
static int alternative_seen(char (*seen)[CFG_NAME_MAX], size_t nseen, const char *key)
{
	const char *other = !strcmp(key, "SECONDS") ? "ITERATIONS" :
			    !strcmp(key, "ITERATIONS") ? "SECONDS" : NULL;
	size_t i;

	for (i = 0; other && i < nseen; i++)
		if (!strcmp(seen[i], other))
			return 1;
	return 0;
}

int config_parse(struct bench_config *c, const char *name, const char *text,
		 char *err, size_t errlen)
{
	char seen[CFG_NKEYS][CFG_NAME_MAX], msg[256];
	size_t nseen = 0, lineno = 0, i;
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line, *key, *value;
		int r;

		lineno++;
		line = strndup(p, n);
		if (!line) {
			snprintf(err, errlen, "%s: out of memory", name);
			return -1;
		}
		if (n && line[n - 1] == '\r')
			line[n - 1] = '\0';	/* tolerate CRLF files */
		r = split_line(line, &key, &value, msg, sizeof(msg));
		if (r == 1) {
			for (i = 0; i < nseen && strcmp(seen[i], key) != 0; i++)
				;
			if (i < nseen) {
				snprintf(msg, sizeof(msg), "%s is set twice", key);
				r = -1;
			} else if (alternative_seen(seen, nseen, key)) {
				snprintf(msg, sizeof(msg), "SECONDS and ITERATIONS are alternatives: set one");
				r = -1;
			} else if (config_set(c, key, value, msg, sizeof(msg))) {
				r = -1;
			} else if (nseen < CFG_NKEYS) {
				snprintf(seen[nseen++], CFG_NAME_MAX, "%s", key);
			}
		}
		free(line);
		if (r < 0) {
			snprintf(err, errlen, "%s:%zu: %s", name, lineno, msg);
			return -1;
		}
		p += n;
		if (*p == '\n')
			p++;
	}
	return 0;
}

int config_load(struct bench_config *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text;
	long size;
	size_t got;
	int r;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		snprintf(err, errlen, "%s: cannot determine size", path);
		fclose(f);
		return -1;
	}
	if (size > 1 << 20) {
		snprintf(err, errlen, "%s: larger than 1 MiB, not a config file", path);
		fclose(f);
		return -1;
	}
	text = malloc((size_t)size + 1);
	if (!text) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	got = fread(text, 1, (size_t)size, f);
	fclose(f);
	text[got] = '\0';
	if (strlen(text) != got) {
		snprintf(err, errlen, "%s: contains a NUL byte, not a config file", path);
		free(text);
		return -1;
	}
	r = config_parse(c, path, text, err, errlen);
	free(text);
	return r;
}
