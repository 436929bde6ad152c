/*
 * fuzz_decode.c - libFuzzer target for everything that reads what a node
 * sends: the validating walk, printing, and every reply decoder (process
 * chunks, memory, system info, statistics, ETS and port chunks, and the
 * drill-down's renderers).
 *
 * Input: one byte that picks the decoder, then a message as it arrives
 * (version byte 131 and one term).  Seeds in test/fuzz/corpus are real
 * answers of a node (test/fuzz/seeds.escript); inputs that once crashed
 * are kept in test/fuzz/regressions and replayed by every `make check`.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/collect_priv.h"
#include "beamtop/drill.h"

enum {
	F_PRINT, F_PROCS_CHUNK, F_MEMORY, F_INFO, F_STATS, F_ETS, F_PORTS,
	F_CHUNKED, F_PROC_INFO, F_MESSAGES, F_STATE, F_ETS_INFO, F_OBJECTS,
	F_PORT_INFO, F_SMALL, F_DETAIL, F_BINARY, F_SAMPLE, F_COUNT_
};

static struct drill drill;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct collect_opts o;
	struct collector *col;
	struct snapshot s;
	struct tdec d;
	struct chunked ch;
	char *buf, out[512];
	uint64_t ints[8];
	int which, n;

	if (size < 2)
		return 0;
	which = data[0] % F_COUNT_;
	/* An exact-size copy, so that a read past the end is caught. */
	buf = malloc(size - 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	if (tdec_init(&d, buf, (int)(size - 1)) < 0) {
		free(buf);
		return 0;
	}
	snapshot_init(&s);
	/* The drill-down's terms in either syntax, in a width or none. */
	drill.elixir = (int)(size & 1);
	drill.width = (int)(size % 121);
	memset(&o, 0, sizeof o);
	col = collect_new(NULL, &o);
	switch (which) {
	case F_PRINT: {
		/* One line, and laid out in both syntaxes and some width. */
		struct tstyle st = { (enum tsyntax)(size & 1), (int)(size % 97), 3,
				     2, NULL };
		struct tdec e = d;
		char *text;

		tdec_print(&e, out, sizeof out);
		if (tdec_pretty(&d, &st, &text) == 0)
			free(text);
		break;
	}
	case F_PROCS_CHUNK:
		col_procs_decode_chunk(&d, &s);
		break;
	case F_MEMORY: case F_INFO: case F_STATS: case F_ETS: case F_PORTS:
		if (col)
			col_decoders[which - F_MEMORY](col, &s, &d, 0);
		break;
	case F_CHUNKED:
		memset(&ch, 0, sizeof ch);
		if (col_chunked_take(&ch, &d) > 0) {
			struct tdec ids;

			col_chunked_ids(&ch, 0, &ids);
			tdec_skip(&ids);
		}
		col_chunked_free(&ch);
		break;
	case F_PROC_INFO:
		drill_reset(&drill, DRILL_PROC);
		drill_proc_info(&drill, &d, NULL);
		break;
	case F_MESSAGES:
		drill_proc_messages(&drill, &d, NULL, 1);
		break;
	case F_STATE:
		drill_proc_state(&drill, &d, NULL);
		break;
	case F_ETS_INFO:
		drill_ets_info(&drill, &d, NULL);
		break;
	case F_OBJECTS:
		drill_ets_objects(&drill, &d, NULL);
		break;
	case F_PORT_INFO:
		drill_port_info(&drill, &d, NULL);
		break;
	case F_DETAIL:
		drill_proc_detail(&drill, &d, NULL);
		break;
	case F_BINARY:
		drill_proc_binary(&drill, &d, NULL);
		break;
	case F_SAMPLE:
		drill_proc_sample(&drill, &d, NULL);
		break;
	case F_SMALL: {
		struct tdec e = d;

		tdec_text(&e, out, sizeof out);
		e = d;
		tdec_int_list(&e, ints, 8, &n);
		e = d;
		tdec_mfa(&e, out, sizeof out);
		break;
	}
	}
	collect_free(col);
	snapshot_free(&s);
	free(buf);
	return 0;
}
