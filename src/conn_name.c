/*
 * conn_name.c - the node names of both ends of the connection (see
 * conn_priv.h): the target's name checked and split, and ours made.
 *
 * Our name must be of the target's kind: a node started with -sname
 * refuses peers with dotted host names and vice versa, and it would say
 * so only as a failed handshake.  Our alive part is stable (see
 * selfname.c) so that attaching again makes no new atom on the node.
 */
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "beamtop/selfname.h"
#include "conn_priv.h"

/* Is s[0..n) a name the distribution accepts before the '@'? */
static int valid_alive(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > EI_MAXALIVELEN)
		return 0;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (!(ch == '_' || ch == '-' || (ch >= '0' && ch <= '9') ||
		      (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
			return 0;
	}
	return 1;
}

/* Our own host part, of the same kind as the target's. */
static int own_host(int longnames, const char *target_host, char *out,
		    size_t outlen)
{
	char h[256];
	struct addrinfo hints, *res = NULL;
	char *dot;

	if (gethostname(h, sizeof h) != 0)
		snprintf(h, sizeof h, "localhost");
	h[sizeof h - 1] = '\0';
	if (!longnames) {
		dot = strchr(h, '.');
		if (dot)
			*dot = '\0';
		return snprintf(out, outlen, "%s", h) < (int)outlen ? 0 : -1;
	}
	if (!strchr(h, '.')) {
		memset(&hints, 0, sizeof hints);
		hints.ai_flags = AI_CANONNAME;
		if (getaddrinfo(h, NULL, &hints, &res) == 0 && res &&
		    res->ai_canonname && strchr(res->ai_canonname, '.'))
			snprintf(h, sizeof h, "%s", res->ai_canonname);
		if (res)
			freeaddrinfo(res);
	}
	if (!strchr(h, '.')) {
		/* Nothing dotted to call ourselves: a loopback target is reached
		 * from loopback, anything else accepts an address. */
		return snprintf(out, outlen, "%s", strncmp(target_host, "127.", 4) == 0 ?
				target_host : "127.0.0.1") < (int)outlen ? 0 : -1;
	}
	return snprintf(out, outlen, "%s", h) < (int)outlen ? 0 : -1;
}

/* The target's "alive@host", split. */
static int target_name(struct conn_names *nm, const char *node, char *err,
		       size_t errlen)
{
	const char *at = node ? strchr(node, '@') : NULL;

	if (!at || !valid_alive(node, (size_t)(at - node)) || !at[1] ||
	    strlen(at + 1) > EI_MAXHOSTNAMELEN) {
		snprintf(err, errlen, "bad node name '%s': expected name@host",
			 node ? node : "");
		return -1;
	}
	snprintf(nm->alive, sizeof nm->alive, "%.*s", (int)(at - node), node);
	snprintf(nm->host, sizeof nm->host, "%s", at + 1);
	nm->longnames = strchr(nm->host, '.') != NULL;
	return 0;
}

/* Our name: --name as given ("alive" or "alive@host"), or the default
 * alive part; the host, when not given, of the target's kind. */
static int own_name(struct conn_names *nm, const char *name, char *err,
		    size_t errlen)
{
	const char *at = name ? strchr(name, '@') : NULL;

	if (at) {
		if (!valid_alive(name, (size_t)(at - name)) ||
		    strlen(at + 1) > EI_MAXHOSTNAMELEN) {
			snprintf(err, errlen, "bad --name '%s'", name);
			return -1;
		}
		snprintf(nm->self_alive, sizeof nm->self_alive, "%.*s",
			 (int)(at - name), name);
		snprintf(nm->self_host, sizeof nm->self_host, "%s", at + 1);
		return 0;
	}
	if (name && !valid_alive(name, strlen(name))) {
		snprintf(err, errlen, "bad --name '%s'", name);
		return -1;
	}
	if (name)
		snprintf(nm->self_alive, sizeof nm->self_alive, "%s", name);
	else
		selfname_default(nm->self_alive, sizeof nm->self_alive);
	if (own_host(nm->longnames, nm->host, nm->self_host,
		     sizeof nm->self_host) < 0) {
		snprintf(err, errlen, "our host name is too long: use --name");
		return -1;
	}
	return 0;
}

int conn_names(struct conn_names *nm, const struct conn_opts *o, char *err,
	       size_t errlen)
{
	if (target_name(nm, o->node, err, errlen) < 0 ||
	    own_name(nm, o->own_name, err, errlen) < 0)
		return -1;
	if (snprintf(nm->self_node, sizeof nm->self_node, "%s@%s", nm->self_alive,
		     nm->self_host) >= (int)sizeof nm->self_node) {
		snprintf(err, errlen, "our node name is too long: use a shorter --name");
		return -1;
	}
	return 0;
}
