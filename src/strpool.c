/*
 * strpool.c - interned strings (see strpool.h).
 */
#include <stdlib.h>
#include <string.h>

#include "beamtop/strpool.h"

void strpool_init(struct strpool *p)
{
	memset(p, 0, sizeof *p);
}

void strpool_free(struct strpool *p)
{
	free(p->data);
	free(p->slots);
	strpool_init(p);
}

void strpool_clear(struct strpool *p)
{
	p->len = 0;
	p->count = 0;
	if (p->slots)
		memset(p->slots, 0, p->nslots * sizeof *p->slots);
}

int strpool_copy(struct strpool *dst, const struct strpool *src)
{
	if (src->cap > dst->cap) {
		char *d = realloc(dst->data, src->cap);

		if (!d)
			return -1;
		dst->data = d;
		dst->cap = src->cap;
	}
	if (src->nslots != dst->nslots) {
		uint32_t *sl = malloc((src->nslots ? src->nslots : 1) * sizeof *sl);

		if (!sl)
			return -1;
		free(dst->slots);
		dst->slots = sl;
		dst->nslots = src->nslots;
	}
	if (src->len)
		memcpy(dst->data, src->data, src->len);
	if (src->nslots)
		memcpy(dst->slots, src->slots, src->nslots * sizeof *dst->slots);
	dst->len = src->len;
	dst->count = src->count;
	return 0;
}

static uint32_t hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static int grow_slots(struct strpool *p)
{
	size_t n = p->nslots ? p->nslots * 2 : 256, i;
	uint32_t *s = calloc(n, sizeof *s);

	if (!s)
		return -1;
	for (i = 0; i < p->nslots; i++) {
		uint32_t h = p->slots[i];
		size_t j;

		if (!h)
			continue;
		j = hash(p->data + h, strlen(p->data + h)) & (n - 1);
		while (s[j])
			j = (j + 1) & (n - 1);
		s[j] = h;
	}
	free(p->slots);
	p->slots = s;
	p->nslots = n;
	return 0;
}

static int reserve(struct strpool *p, size_t need)
{
	size_t cap;
	char *d;

	if (p->len + need <= p->cap)
		return 0;
	cap = p->cap ? p->cap : 4096;
	while (cap < p->len + need)
		cap *= 2;
	if (cap > UINT32_MAX)
		return -1;
	d = realloc(p->data, cap);
	if (!d)
		return -1;
	p->data = d;
	p->cap = cap;
	return 0;
}

uint32_t strpool_add(struct strpool *p, const char *s)
{
	size_t n = strlen(s), j;
	uint32_t h;

	if (n == 0)
		return 0;
	if (p->len == 0) {
		if (reserve(p, 1) < 0)
			return 0;
		p->data[0] = '\0';
		p->len = 1;
	}
	if ((p->count + 1) * 2 > p->nslots && grow_slots(p) < 0)
		return 0;
	j = hash(s, n) & (p->nslots - 1);
	while ((h = p->slots[j]) != 0) {
		if (strcmp(p->data + h, s) == 0)
			return h;
		j = (j + 1) & (p->nslots - 1);
	}
	if (reserve(p, n + 1) < 0)
		return 0;
	h = (uint32_t)p->len;
	memcpy(p->data + h, s, n + 1);
	p->len += n + 1;
	p->slots[j] = h;
	p->count++;
	return h;
}

const char *strpool_get(const struct strpool *p, uint32_t h)
{
	if (h == 0 || h >= p->len)
		return "";
	return p->data + h;
}
