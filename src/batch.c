/*
 * batch.c - batch mode's reports: the same model the screen draws, as
 * aligned text (like top -b) or as one JSON object per refresh.
 *
 * The JSON keys are a public interface (people pipe them to jq): add keys,
 * never rename or drop them.  Memory is in bytes, rates are per second, a
 * rate that cannot be known yet (first refresh, new process) is null.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "beamtop/batch.h"
#include "beamtop/format.h"
#include "beamtop/json.h"

static const char *const sched_type_name[] = { "normal", "dirty_cpu", "dirty_io" };
static const char *const ets_type_name[] = {
	"set", "ordered_set", "bag", "duplicate_bag", "unknown"
};
static const char *const ets_prot_name[] = {
	"public", "protected", "private", "unknown"
};

static const char *pstr(const struct snapshot *s, uint32_t h)
{
	return strpool_get(&s->pool, h);
}

static void iso_time(char *buf, size_t n, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Run queue lengths: normal schedulers first, then one dirty CPU and one
 * dirty IO queue at the end. */
static void runq_split(const struct snapshot *s, int *n_normal, uint64_t *dcpu,
		       uint64_t *dio)
{
	int n = s->n_runq;

	*dcpu = *dio = 0;
	if (s->sys.dirty_cpu && n >= 2) {
		*dcpu = s->runq[n - 2];
		*dio = s->runq[n - 1];
		n -= 2;
	}
	*n_normal = n;
}

static void json_memory(struct json *j, const struct snapshot *s)
{
	int i;

	json_obj(j, "memory");
	for (i = 0; i < s->n_mem; i++)
		json_u64(j, s->mem[i].kind, s->mem[i].bytes);
	json_end_obj(j);
}

/* A value the node did not give (its call failed) is null, never 0. */
static void json_known(struct json *j, const char *key, uint64_t v, int known)
{
	if (known)
		json_u64(j, key, v);
	else
		json_null(j, key);
}

/* A registered name, or null for a process that has none. */
static void json_name(struct json *j, const char *key, const char *name)
{
	if (name && *name)
		json_str(j, key, name);
	else
		json_null(j, key);
}

static void json_system(struct json *j, const struct model *m)
{
	const struct sysinfo *si = &m->cur->sys;
	int st = si->have_stats;

	json_obj(j, "system");
	if (si->otp_release[0])
		json_str(j, "otp_release", si->otp_release);
	else
		json_null(j, "otp_release");
	if (si->erts_version[0])
		json_str(j, "erts_version", si->erts_version);
	else
		json_null(j, "erts_version");
	json_known(j, "uptime_ms", si->uptime_ms, st);
	json_known(j, "process_count", si->process_count, SI_KNOWN(si, SI_PROCESS_COUNT));
	json_known(j, "process_limit", si->process_limit, SI_KNOWN(si, SI_PROCESS_LIMIT));
	json_known(j, "port_count", si->port_count, SI_KNOWN(si, SI_PORT_COUNT));
	json_known(j, "port_limit", si->port_limit, SI_KNOWN(si, SI_PORT_LIMIT));
	json_known(j, "atom_count", si->atom_count, SI_KNOWN(si, SI_ATOM_COUNT));
	json_known(j, "atom_limit", si->atom_limit, SI_KNOWN(si, SI_ATOM_LIMIT));
	json_known(j, "ets_count", si->ets_count, SI_KNOWN(si, SI_ETS_COUNT));
	json_known(j, "ets_limit", si->ets_limit, SI_KNOWN(si, SI_ETS_LIMIT));
	json_known(j, "schedulers", si->schedulers, SI_KNOWN(si, SI_SCHEDULERS));
	json_known(j, "schedulers_online", si->schedulers_online, SI_KNOWN(si, SI_SCHEDULERS_ONLINE));
	json_known(j, "dirty_cpu_schedulers", si->dirty_cpu, SI_KNOWN(si, SI_DIRTY_CPU));
	json_known(j, "dirty_cpu_schedulers_online", si->dirty_cpu_online, SI_KNOWN(si, SI_DIRTY_CPU_ONLINE));
	json_known(j, "dirty_io_schedulers", si->dirty_io, SI_KNOWN(si, SI_DIRTY_IO));
	json_known(j, "logical_processors", si->logical_processors, SI_KNOWN(si, SI_LOGICAL));
	json_known(j, "wordsize", si->wordsize, SI_KNOWN(si, SI_WORDSIZE));
	json_known(j, "reductions", si->reductions, st);
	if (m->reds_rate >= 0)
		json_num(j, "reductions_per_sec", m->reds_rate);
	else
		json_null(j, "reductions_per_sec");
	json_known(j, "io_input", si->io_in, st);
	json_known(j, "io_output", si->io_out, st);
	json_end_obj(j);
}

static void json_sched(struct json *j, const struct model *m)
{
	const struct snapshot *s = m->cur;
	uint64_t dcpu, dio;
	int i, nn;

	json_arr(j, "schedulers");
	for (i = 0; i < s->n_sched; i++) {
		json_obj(j, NULL);
		json_u64(j, "id", s->sched[i].id);
		json_str(j, "type", sched_type_name[s->sched[i].type % 3]);
		if (m->util[i] >= 0)
			json_num(j, "utilization", m->util[i]);
		else
			json_null(j, "utilization");
		json_end_obj(j);
	}
	json_end_arr(j);

	runq_split(s, &nn, &dcpu, &dio);
	json_obj(j, "run_queue");
	json_known(j, "total", model_runq_total(s), s->sys.have_stats);
	json_arr(j, "normal");
	for (i = 0; i < nn; i++)
		json_u64(j, NULL, s->runq[i]);
	json_end_arr(j);
	json_u64(j, "dirty_cpu", dcpu);
	json_u64(j, "dirty_io", dio);
	json_end_obj(j);
}

static void json_rate(struct json *j, const char *key, double v, int known)
{
	if (known)
		json_num(j, key, v);
	else
		json_null(j, key);
}

static void json_procs(struct json *j, const struct model *m,
		       const struct batch_meta *b, size_t *idx)
{
	const struct snapshot *s = m->cur;
	size_t n = model_top_procs(m, b->sort, b->lines, 0, idx), i;
	char buf[64];

	json_obj(j, "processes");
	json_known(j, "count", s->sys.process_count, s->sys.have_info);
	json_u64(j, "listed", s->n_procs);
	json_bool(j, "complete", s->procs_ok);
	/* How partial: rows read now, processes a full scan could not read
	 * in time, and rows shown from earlier refreshes. */
	json_u64(j, "read", s->n_fresh);
	if (s->scan == SCAN_FULL && s->procs_listed)
		json_u64(j, "unread", s->procs_unread);
	else
		json_null(j, "unread");
	json_u64(j, "stale", s->n_procs - s->n_fresh);
	/* Whether the top lists are provably those of a full scan (see
	 * candidates.c); always true after a full scan. */
	json_obj(j, "exact");
	json_bool(j, "reductions_per_sec", m->exact_reds);
	json_bool(j, "memory", m->exact_mem);
	json_end_obj(j);
	json_num(j, "reductions_per_sec_outside_candidates", m->reds_outside);
	json_str(j, "sort", proc_sort_name(b->sort));
	json_arr(j, "top");
	for (i = 0; i < n; i++) {
		const struct proc *p = &s->procs[idx[i]];
		const struct proc_delta *d = &m->pd[idx[i]];
		/* A stale row was not read now: it has no rate. */
		int known = m->has_prev && !d->is_new && !(p->have & PF_STALE);

		json_obj(j, NULL);
		json_str(j, "pid", fmt_pid(buf, sizeof buf, &p->pid));
		json_str(j, "name", pstr(s, p->name));
		json_bool(j, "registered", p->registered);
		json_u64(j, "memory", p->memory);
		json_u64(j, "reductions", p->reductions);
		json_rate(j, "reductions_per_sec", d->reds_rate, known);
		json_rate(j, "memory_per_sec", d->mem_rate, known);
		json_u64(j, "message_queue_len", p->mq);
		json_rate(j, "message_queue_per_sec", d->mq_rate, known);
		json_str(j, "current_function", pstr(s, p->cf));
		if (p->have & PF_HEAP)
			json_u64(j, "heap", snapshot_extra(s, idx[i]).heap);
		if (p->have & PF_BIN)
			json_u64(j, "binary", snapshot_extra(s, idx[i]).bin);
		json_bool(j, "new", m->has_prev && d->is_new);
		json_bool(j, "stale", p->have & PF_STALE);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_end_obj(j);
}

static void json_ets(struct json *j, const struct model *m,
		     const struct batch_meta *b, size_t *idx)
{
	const struct snapshot *s = m->cur;
	size_t n = model_top_ets(m, ETS_SORT_MEMORY, b->lines, idx), i;
	char buf[96];

	json_arr(j, "ets");
	for (i = 0; i < n; i++) {
		const struct ets_tab *e = &s->ets[idx[i]];
		const struct ets_delta *d = &m->ed[idx[i]];
		int known = m->has_prev && !d->is_new;

		json_obj(j, NULL);
		json_str(j, "id", e->id.len ? fmt_ref(buf, sizeof buf, &e->id) :
			 pstr(s, e->name));
		json_str(j, "name", pstr(s, e->name));
		json_bool(j, "named_table", e->named);
		json_str(j, "type", ets_type_name[e->type % 5]);
		json_str(j, "protection", ets_prot_name[e->protection % 4]);
		json_str(j, "owner", fmt_pid(buf, sizeof buf, &e->owner));
		json_name(j, "owner_name", model_reg_name(m, &e->owner));
		json_u64(j, "size", e->size);
		json_u64(j, "memory", e->memory);
		json_rate(j, "size_per_sec", d->size_rate, known);
		json_rate(j, "memory_per_sec", d->mem_rate, known);
		json_bool(j, "new", m->has_prev && d->is_new);
		json_end_obj(j);
	}
	json_end_arr(j);
}

static void json_ports(struct json *j, const struct model *m,
		       const struct batch_meta *b, size_t *idx)
{
	const struct snapshot *s = m->cur;
	size_t n = model_top_ports(m, PORT_SORT_IO, b->lines, idx), i;
	char buf[64];

	json_arr(j, "ports");
	for (i = 0; i < n; i++) {
		const struct port_rec *p = &s->ports[idx[i]];
		const struct port_delta *d = &m->od[idx[i]];
		int known = m->has_prev && !d->is_new;

		json_obj(j, NULL);
		json_str(j, "id", fmt_port(buf, sizeof buf, &p->id));
		json_str(j, "name", pstr(s, p->name));
		json_str(j, "connected", fmt_pid(buf, sizeof buf, &p->connected));
		json_name(j, "connected_name", model_reg_name(m, &p->connected));
		json_u64(j, "input", p->input);
		json_u64(j, "output", p->output);
		json_rate(j, "input_per_sec", d->in_rate, known);
		json_rate(j, "output_per_sec", d->out_rate, known);
		json_u64(j, "queue_size", p->queue);
		json_u64(j, "memory", p->memory);
		if (p->os_pid >= 0)
			json_i64(j, "os_pid", p->os_pid);
		else
			json_null(j, "os_pid");
		json_bool(j, "new", m->has_prev && d->is_new);
		json_end_obj(j);
	}
	json_end_arr(j);
}

void batch_json(FILE *f, const struct model *m, const struct batch_meta *b,
		size_t *idx)
{
	const struct snapshot *s = m->cur;
	struct json j;
	char when[32];

	iso_time(when, sizeof when, s->wall);
	json_begin(&j, f);
	json_obj(&j, NULL);
	json_str(&j, "node", b->node);
	json_str(&j, "time", when);
	json_obj(&j, "refresh");
	json_u64(&j, "n", m->refreshes);
	json_num(&j, "wall_ms", s->wall_ms);
	json_u64(&j, "bytes", s->bytes);
	json_str(&j, "source", b->source);
	json_obj(&j, "scan");
	json_str(&j, "kind", s->scan == SCAN_INCR ? "incremental" : "full");
	json_str(&j, "why", s->scan_why);
	json_u64(&j, "read", s->n_fresh);
	if (s->chunk)
		json_u64(&j, "chunk", (uint64_t)s->chunk);
	else
		json_null(&j, "chunk");
	if (s->scan == SCAN_INCR)
		json_u64(&j, "full_scan_age_ms", s->full_age_ms);
	else
		json_null(&j, "full_scan_age_ms");
	json_u64(&j, "budget_pct", b->budget);
	json_end_obj(&j);
	if (s->errors[0])
		json_str(&j, "errors", s->errors);
	else
		json_null(&j, "errors");
	json_end_obj(&j);
	json_memory(&j, s);
	json_system(&j, m);
	json_sched(&j, m);
	json_procs(&j, m, b, idx);
	json_ets(&j, m, b, idx);
	json_ports(&j, m, b, idx);
	json_end_obj(&j);
	fputc('\n', f);
	fflush(f);
}

/* A system_info value as text, "?" when unknown. */
static const char *si_text(const struct sysinfo *si, enum si_field f,
			   uint64_t v, char *buf)
{
	if (!SI_KNOWN(si, f))
		return "?";
	snprintf(buf, 24, "%" PRIu64, v);
	return buf;
}

static void text_header(FILE *f, const struct model *m,
			const struct batch_meta *b)
{
	const struct snapshot *s = m->cur;
	const struct sysinfo *si = &s->sys;
	char t[32], a[32], c[32], d[32], e[1024], k[8][24];
	uint64_t dcpu, dio;
	int i, nn;

	iso_time(t, sizeof t, s->wall);
	fprintf(f, "beamtop - %s - OTP %s (erts %s) - up %s - %s\n", b->node,
		si->otp_release[0] ? si->otp_release : "?",
		si->erts_version[0] ? si->erts_version : "?",
		si->have_stats ? fmt_uptime(a, sizeof a, si->uptime_ms) : "?", t);
	fprintf(f, "refresh %lu: %.1f ms, %s received, processes via %s%s%s\n",
		m->refreshes, s->wall_ms, fmt_bytes(a, sizeof a, (double)s->bytes),
		b->source, s->errors[0] ? "; errors: " : "",
		fmt_escape(e, sizeof e, s->errors));
	if (s->scan == SCAN_INCR)
		fprintf(f, "scan: incremental (%s), %zu processes read, full scan %.1f s "
			"ago, budget %u%%; top lists %s\n", s->scan_why, s->n_fresh,
			s->full_age_ms / 1000.0, b->budget,
			m->exact_reds && m->exact_mem ? "exact" : "POSSIBLY INCOMPLETE");
	else
		fprintf(f, "scan: full (%s), budget %u%%\n", s->scan_why, b->budget);
	fputs("Memory:", f);
	for (i = 0; i < MODEL_MEM_KINDS; i++)
		fprintf(f, " %s %s%s", model_mem_kinds[i],
			fmt_bytes(a, sizeof a, (double)snapshot_mem(s, model_mem_kinds[i])),
			i + 1 < MODEL_MEM_KINDS ? "," : "\n");
	/* Unknown is ?, not 0: the call failed, or was not asked. */
	fprintf(f, "Processes: %s/%s  Ports: %s/%s  Atoms: %s/%s  ETS: %s/%s\n",
		si_text(si, SI_PROCESS_COUNT, si->process_count, k[0]),
		si_text(si, SI_PROCESS_LIMIT, si->process_limit, k[1]),
		si_text(si, SI_PORT_COUNT, si->port_count, k[2]),
		si_text(si, SI_PORT_LIMIT, si->port_limit, k[3]),
		si_text(si, SI_ATOM_COUNT, si->atom_count, k[4]),
		si_text(si, SI_ATOM_LIMIT, si->atom_limit, k[5]),
		si_text(si, SI_ETS_COUNT, si->ets_count, k[6]),
		si_text(si, SI_ETS_LIMIT, si->ets_limit, k[7]));
	runq_split(s, &nn, &dcpu, &dio);
	if (m->reds_rate >= 0)
		snprintf(e, sizeof e, "%s/s", fmt_count(a, sizeof a, m->reds_rate));
	else
		snprintf(e, sizeof e, "n/a");
	fprintf(f, "Reductions: %s  Run queue: %lu (dirty cpu %" PRIu64
		", dirty io %" PRIu64 ")\n", e,
		model_runq_total(s), dcpu, dio);
	fprintf(f, "Schedulers: normal %s, dirty cpu %s, dirty io %s;",
		fmt_percent(a, sizeof a, m->util_type[SCHED_NORMAL]),
		fmt_percent(c, sizeof c, m->util_type[SCHED_DIRTY_CPU]),
		fmt_percent(d, sizeof d, m->util_type[SCHED_DIRTY_IO]));
	for (i = 0; i < s->n_sched; i++)
		if (s->sched[i].type == SCHED_NORMAL)
			fprintf(f, " %u:%s", s->sched[i].id,
				fmt_percent(a, sizeof a, m->util[i]));
	fputc('\n', f);
}

static void text_procs(FILE *f, const struct model *m,
		       const struct batch_meta *b, size_t *idx)
{
	const struct snapshot *s = m->cur;
	size_t n = model_top_procs(m, b->sort, b->lines, 0, idx), i;
	char pid[32], mem[32], rr[32], red[32], nm[256], cf[1024], part[128];

	fprintf(f, "\nPROCESSES by %s (%zu listed%s%s)\n", proc_sort_name(b->sort),
		s->n_procs, s->procs_ok ? "" : ", ",
		snapshot_partial(s, part, sizeof part));
	fprintf(f, "%-14s %-32s %10s %8s %11s %8s  %s\n", "PID", "NAME", "MEMORY",
		"REDS/s", "REDUCTIONS", "MSGQ", "CURRENT FUNCTION");
	for (i = 0; i < n; i++) {
		const struct proc *p = &s->procs[idx[i]];
		const struct proc_delta *d = &m->pd[idx[i]];

		fprintf(f, "%-14s %-32.32s %10s %8s %11s %8u  %s%s\n",
			fmt_pid(pid, sizeof pid, &p->pid),
			fmt_escape(nm, sizeof nm, pstr(s, p->name)),
			fmt_bytes(mem, sizeof mem, (double)p->memory),
			!m->has_prev || d->is_new ? "new" : p->have & PF_STALE ? "stale" :
			fmt_count(rr, sizeof rr, d->reds_rate),
			fmt_count(red, sizeof red, (double)p->reductions), p->mq,
			fmt_escape(cf, sizeof cf, pstr(s, p->cf)), "");
	}
}

static void text_ets(FILE *f, const struct model *m,
		     const struct batch_meta *b, size_t *idx)
{
	const struct snapshot *s = m->cur;
	size_t n = model_top_ets(m, ETS_SORT_MEMORY, b->lines, idx), i;
	char id[64], own[256], mem[32], sz[32], gr[32], nm[256];

	fprintf(f, "\nETS by memory (%zu tables)\n", s->n_ets);
	fprintf(f, "%-28s %-26s %-13s %-10s %-14s %9s %10s %11s\n", "NAME", "ID",
		"TYPE", "PROTECTION", "OWNER", "SIZE", "MEMORY", "GROWTH/s");
	for (i = 0; i < n; i++) {
		const struct ets_tab *e = &s->ets[idx[i]];
		const struct ets_delta *d = &m->ed[idx[i]];
		const char *on = model_reg_name(m, &e->owner);

		fprintf(f, "%-28.28s %-26.26s %-13s %-10s %-14.14s %9s %10s %11s\n",
			fmt_escape(nm, sizeof nm, pstr(s, e->name)),
			e->id.len ? fmt_ref(id, sizeof id, &e->id) : "-",
			ets_type_name[e->type % 5], ets_prot_name[e->protection % 4],
			*on ? fmt_escape(own, sizeof own, on) :
			fmt_pid(own, sizeof own, &e->owner),
			fmt_count(sz, sizeof sz, (double)e->size),
			fmt_bytes(mem, sizeof mem, (double)e->memory),
			!m->has_prev || d->is_new ? "new" :
			fmt_bytes(gr, sizeof gr, d->mem_rate));
	}
}

static void text_ports(FILE *f, const struct model *m,
		       const struct batch_meta *b, size_t *idx)
{
	const struct snapshot *s = m->cur;
	size_t n = model_top_ports(m, PORT_SORT_IO, b->lines, idx), i;
	char id[32], con[256], in[32], out[32], q[32], mem[32], os[24], nm[256];

	fprintf(f, "\nPORTS by I/O (%zu ports)\n", s->n_ports);
	fprintf(f, "%-14s %-24s %-14s %10s %10s %9s %9s %8s\n", "PORT", "NAME",
		"CONNECTED", "IN/s", "OUT/s", "QUEUE", "MEMORY", "OS_PID");
	for (i = 0; i < n; i++) {
		const struct port_rec *p = &s->ports[idx[i]];
		const struct port_delta *d = &m->od[idx[i]];
		const char *cn = model_reg_name(m, &p->connected);
		int known = m->has_prev && !d->is_new;

		if (p->os_pid >= 0)
			snprintf(os, sizeof os, "%" PRId64, p->os_pid);
		else
			snprintf(os, sizeof os, "-");
		fprintf(f, "%-14s %-24.24s %-14.14s %10s %10s %9s %9s %8s\n",
			fmt_port(id, sizeof id, &p->id),
			fmt_escape(nm, sizeof nm, pstr(s, p->name)),
			*cn ? fmt_escape(con, sizeof con, cn) :
			fmt_pid(con, sizeof con, &p->connected),
			known ? fmt_bytes(in, sizeof in, d->in_rate) : "new",
			known ? fmt_bytes(out, sizeof out, d->out_rate) : "new",
			fmt_bytes(q, sizeof q, (double)p->queue),
			fmt_bytes(mem, sizeof mem, (double)p->memory),
			os);
	}
}

void batch_text(FILE *f, const struct model *m, const struct batch_meta *b,
		size_t *idx)
{
	text_header(f, m, b);
	text_procs(f, m, b, idx);
	text_ets(f, m, b, idx);
	text_ports(f, m, b, idx);
	fputc('\n', f);
	fflush(f);
}
