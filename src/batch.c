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
#include "beamtop/fields.h"
#include "beamtop/format.h"
#include "beamtop/json.h"

static const char *const sched_type_name[] = { "normal", "dirty_cpu", "dirty_io" };

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

/* The top rows of a list: one object per row, a key per field. */
static void json_rows(struct json *j, const char *key, const struct field_list *l,
		      const struct model *m, const size_t *idx, size_t n)
{
	size_t r;
	int k;

	json_arr(j, key);
	for (r = 0; r < n; r++) {
		json_obj(j, NULL);
		for (k = 0; k < l->n; k++)
			if (l->f[k].json)
				l->f[k].json(j, m, idx[r], l->f[k].key);
		json_end_obj(j);
	}
	json_end_arr(j);
}

static void json_procs(struct json *j, const struct model *m,
		       const struct batch_meta *b, size_t *idx)
{
	const struct snapshot *s = m->cur;
	size_t n = model_top_procs(m, b->sort, b->lines, 0, idx);

	json_obj(j, "processes");
	json_known(j, "count", s->sys.process_count, s->sys.have_info);
	json_u64(j, "listed", s->n_procs);
	json_bool(j, "complete", s->procs_ok);
	/* The first full scan still streaming: the rows read so far. */
	json_bool(j, "partial", s->partial);
	/* How partial: rows read now, processes a full scan could not read
	 * in time, and rows shown from earlier refreshes. */
	json_u64(j, "read", s->n_fresh);
	if (s->scan == SCAN_FULL && s->procs_listed)
		json_u64(j, "unread", s->procs_unread);
	else
		json_null(j, "unread");
	json_u64(j, "stale", s->n_procs - s->n_fresh);
	/* Whether the top lists are provably those of a full scan (see
	 * model_candidates.c); always true after a full scan.  Before there
	 * is a rate there is no top by rate to prove: null. */
	json_obj(j, "exact");
	if (m->has_prev && m->wdt > 0)
		json_bool(j, "reductions_per_sec", m->exact_reds);
	else
		json_null(j, "reductions_per_sec");
	json_bool(j, "memory", m->exact_mem);
	json_end_obj(j);
	json_num(j, "reductions_per_sec_outside_candidates", m->reds_outside);
	json_str(j, "sort", proc_sort_name(b->sort));
	json_rows(j, "top", &fields_proc, m, idx, n);
	json_end_obj(j);
}

static void json_ets(struct json *j, const struct model *m,
		     const struct batch_meta *b, size_t *idx)
{
	json_rows(j, "ets", &fields_ets, m, idx,
		  model_top_ets(m, ETS_SORT_MEMORY, b->lines, idx));
}

static void json_ports(struct json *j, const struct model *m,
		       const struct batch_meta *b, size_t *idx)
{
	json_rows(j, "ports", &fields_port, m, idx,
		  model_top_ports(m, PORT_SORT_IO, b->lines, idx));
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
	json_u64(&j, "started_ms", s->wall_epoch_ms);
	if (m->has_prev && m->wdt > 0)
		json_num(&j, "rate_seconds", m->wdt);
	else
		json_null(&j, "rate_seconds");
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
		fprintf(f, "scan: full (%s), budget %u%%%s%s\n", s->scan_why, b->budget,
			s->partial ? "; still streaming, " : "",
			s->partial ? snapshot_partial(s, e, sizeof e) : "");
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

/* Row r of a text table (0: the titles) in field fd, escaped. */
static const char *text_cell(const struct field *fd, const struct model *m,
			     const size_t *idx, size_t r, char *out, size_t n)
{
	char cell[1024];
	int role = 0;

	if (r == 0)
		return fd->title;
	fd->cell(m, idx[r - 1], cell, sizeof cell, &role);
	return fmt_escape(out, n, cell);
}

/* Characters of UTF-8 text (escaped names are nothing else). */
static int text_len(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Whether batch text shows field k of l: the sort key's column always. */
static int text_shown(const struct field_list *l, int k, int sort)
{
	return l->f[k].cell && (l->f[k].text != TEXT_NO || l->f[k].sort == sort);
}

/* A list as columns, each as wide as its widest cell (nothing is cut:
 * there is no screen edge): the fields batch text shows, in the table's
 * order, the one that takes the rest of the line last. */
static void text_rows(FILE *f, const struct field_list *l, const struct model *m,
		      int sort, const size_t *idx, size_t n)
{
	char esc[1024];
	int k, w[64], col;
	size_t r;

	for (k = 0; k < l->n && k < 64; k++)
		for (r = 0, w[k] = 0; r <= n && text_shown(l, k, sort); r++) {
			int len = text_len(text_cell(&l->f[k], m, idx, r, esc, sizeof esc));

			w[k] = len > w[k] ? len : w[k];
		}
	for (r = 0; r <= n; r++) {
		for (k = 0, col = 0; k < l->n && k < 64; k++) {
			const char *t;
			int pad;

			if (!text_shown(l, k, sort) || l->f[k].text == TEXT_LAST)
				continue;
			t = text_cell(&l->f[k], m, idx, r, esc, sizeof esc);
			pad = w[k] - text_len(t);
			fprintf(f, "%s%*s%s%*s", col++ ? " " : "", l->f[k].left ? 0 : pad,
				"", t, l->f[k].left ? pad : 0, "");
		}
		for (k = 0; k < l->n; k++)
			if (text_shown(l, k, sort) && l->f[k].text == TEXT_LAST)
				fprintf(f, "  %s", text_cell(&l->f[k], m, idx, r, esc, sizeof esc));
		fputc('\n', f);
	}
}

static void text_procs(FILE *f, const struct model *m,
		       const struct batch_meta *b, size_t *idx)
{
	const struct snapshot *s = m->cur;
	size_t n = model_top_procs(m, b->sort, b->lines, 0, idx);
	char part[128];

	fprintf(f, "\nPROCESSES by %s (%zu listed%s%s)\n", proc_sort_name(b->sort),
		s->n_procs, s->procs_ok ? "" : ", ",
		snapshot_partial(s, part, sizeof part));
	text_rows(f, &fields_proc, m, (int)b->sort, idx, n);
}

static void text_ets(FILE *f, const struct model *m,
		     const struct batch_meta *b, size_t *idx)
{
	fprintf(f, "\nETS by memory (%zu tables)\n", m->cur->n_ets);
	text_rows(f, &fields_ets, m, ETS_SORT_MEMORY, idx,
		  model_top_ets(m, ETS_SORT_MEMORY, b->lines, idx));
}

static void text_ports(FILE *f, const struct model *m,
		       const struct batch_meta *b, size_t *idx)
{
	fprintf(f, "\nPORTS by I/O (%zu ports)\n", m->cur->n_ports);
	text_rows(f, &fields_port, m, PORT_SORT_IO, idx,
		  model_top_ports(m, PORT_SORT_IO, b->lines, idx));
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
