/*
 * encode.c - building terms to send (see decode.h): call arguments,
 * messages, our own pids and references.
 *
 * A thin layer over ei's growing buffers (never a fixed-size one), whose
 * errors are kept: a caller builds a whole term with no check after each
 * piece and asks tenc_ok() once at the end.
 */
#include <ei.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/decode.h"
#include "beamtop/ids.h"

struct tenc {
	ei_x_buff x;
	int bad;   /* an encoder failed (allocation): sticky until reset */
};

struct tenc *tenc_new(void)
{
	struct tenc *t = calloc(1, sizeof *t);

	if (!t)
		return NULL;
	if (ei_x_new(&t->x) < 0) {
		free(t);
		return NULL;
	}
	return t;
}

void tenc_free(struct tenc *t)
{
	if (!t)
		return;
	ei_x_free(&t->x);
	free(t);
}

void tenc_reset(struct tenc *t)
{
	t->x.index = 0;
	t->bad = 0;
}

int tenc_ok(const struct tenc *t)
{
	return !t->bad;
}

const char *tenc_data(const struct tenc *t, int *len)
{
	*len = t->x.index;
	return t->x.buff;
}

static void chk(struct tenc *t, int rc)
{
	if (rc < 0)
		t->bad = 1;
}

void tenc_tuple(struct tenc *t, int arity)
{
	chk(t, ei_x_encode_tuple_header(&t->x, arity));
}

void tenc_list(struct tenc *t, int n)
{
	if (n > 0)
		chk(t, ei_x_encode_list_header(&t->x, n));
}

void tenc_nil(struct tenc *t)
{
	chk(t, ei_x_encode_empty_list(&t->x));
}

void tenc_atom(struct tenc *t, const char *name)
{
	chk(t, ei_x_encode_atom_as(&t->x, name, ERLANG_UTF8, ERLANG_UTF8));
}

void tenc_long(struct tenc *t, long v)
{
	chk(t, ei_x_encode_long(&t->x, v));
}

void tenc_string(struct tenc *t, const char *s)
{
	chk(t, ei_x_encode_string(&t->x, s));
}

void tenc_binary(struct tenc *t, const void *p, int len)
{
	chk(t, ei_x_encode_binary(&t->x, p, len));
}

void tenc_pid(struct tenc *t, const struct bt_pid *p, const char *node)
{
	erlang_pid ep;

	memset(&ep, 0, sizeof ep);
	snprintf(ep.node, sizeof ep.node, "%s", node);
	ep.num = p->num;
	ep.serial = p->serial;
	ep.creation = p->creation;
	chk(t, ei_x_encode_pid(&t->x, &ep));
}

void tenc_port(struct tenc *t, const struct bt_port *p, const char *node)
{
	erlang_port ep;

	memset(&ep, 0, sizeof ep);
	snprintf(ep.node, sizeof ep.node, "%s", node);
	ep.id = p->id;
	ep.creation = p->creation;
	chk(t, ei_x_encode_port(&t->x, &ep));
}

void tenc_ref(struct tenc *t, const struct bt_ref *r, const char *node,
	      uint32_t creation)
{
	erlang_ref er;
	int i;

	memset(&er, 0, sizeof er);
	snprintf(er.node, sizeof er.node, "%s", node);
	er.len = r->len;
	for (i = 0; i < r->len && i < 5; i++)
		er.n[i] = r->n[i];
	er.creation = creation;
	chk(t, ei_x_encode_ref(&t->x, &er));
}

void tenc_fun(struct tenc *t, const char *mod, const char *fun, int arity)
{
	erlang_fun f;
	char fname[MAXATOMLEN_UTF8];

	memset(&f, 0, sizeof f);
	f.type = EI_FUN_EXPORT;
	f.arity = arity;
	snprintf(f.module, sizeof f.module, "%s", mod);
	snprintf(fname, sizeof fname, "%s", fun);
	f.u.exprt.func = fname;
	f.u.exprt.func_allocated = 0;
	chk(t, ei_x_encode_fun(&t->x, &f));
}

void tenc_raw(struct tenc *t, const char *bytes, int len)
{
	chk(t, ei_x_append_buf(&t->x, bytes, len));
}
