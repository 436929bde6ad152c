/*
 * check_print.c - the term printer: each shape in the Erlang shell's
 * syntax and in IEx's (atoms bare and quoted, floats, strings and
 * binaries, ids and funs, containers, structs, keyword lists), laid out
 * in lines of a width with no character lost across them, the node's
 * cuts said, and the bounds (one line, deep nesting, a megabyte of
 * text).  Terms are built with ei_x_encode_* directly, and the expected
 * texts are those erl and iex print for the same terms.
 */
#include <ei.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beamtop/decode.h"
#include "beamtop/ids.h"
#include "check_suites.h"

static char line[8192];

static ei_x_buff xnew(void)
{
	ei_x_buff x;

	ck_assert_int_eq(ei_x_new_with_version(&x), 0);
	return x;
}

/* The term in x on one line in syntax; the whole term is read. */
static const char *one(const ei_x_buff *x, enum tsyntax syn)
{
	struct tstyle st = { syn, 0, 0, 0, NULL };
	struct tdec d;

	ck_assert_int_eq(tdec_init(&d, x->buff, x->index), 0);
	ck_assert_int_eq(tdec_print_style(&d, &st, line, sizeof line), 0);
	ck_assert_int_eq(d.idx, d.len);
	return line;
}

/* The term in x laid out in width columns (the caller frees it). */
static char *laid(const ei_x_buff *x, enum tsyntax syn, int width,
		  const struct bt_ref *mark)
{
	struct tstyle st = { syn, width, 0, 0, mark };
	struct tdec d;
	char *out = NULL;

	ck_assert_int_eq(tdec_init(&d, x->buff, x->index), 0);
	ck_assert_int_eq(tdec_pretty(&d, &st, &out), 0);
	ck_assert_int_eq(d.idx, d.len);
	return out;
}

/* Both shells' text for the term build() makes. */
static void both(void (*build)(ei_x_buff *), const char *erl, const char *ex)
{
	ei_x_buff x = xnew();

	build(&x);
	ck_assert_str_eq(one(&x, TSYN_ERLANG), erl);
	ck_assert_str_eq(one(&x, TSYN_ELIXIR), ex);
	ei_x_free(&x);
}

START_TEST(atoms_as_each_shell_writes_them)
{
	static const struct { const char *atom, *erl, *ex; } c[] = {
		{ "ok", "ok", ":ok" },
		{ "$gen_cast", "'$gen_cast'", ":\"$gen_cast\"" },
		{ "%2F_rw_qq1", "'%2F_rw_qq1'", ":\"%2F_rw_qq1\"" },
		{ "cond", "'cond'", ":cond" },
		{ "Elixir.MyApp.Worker", "'Elixir.MyApp.Worker'", "MyApp.Worker" },
		{ "Elixir.foo", "'Elixir.foo'", ":\"Elixir.foo\"" },
		{ "Elixir", "'Elixir'", "Elixir" },
		{ "Foo", "'Foo'", ":Foo" },
		{ "nil", "nil", "nil" },
		{ "true", "true", "true" },
		{ "foo bar", "'foo bar'", ":\"foo bar\"" },
		{ "it's", "'it\\'s'", ":\"it's\"" },
		{ "a\nb", "'a\\nb'", ":\"a\\nb\"" },
		{ "+", "'+'", ":+" },
		{ "foo?", "'foo?'", ":foo?" },
		{ "node@host", "node@host", ":node@host" },
		{ "_", "'_'", ":_" },
		{ "h\xc3\xa9llo", "h\xc3\xa9llo", ":h\xc3\xa9llo" },
		{ "a\xe2\x86\x92" "b", "'a\xe2\x86\x92" "b'", ":\"a\xe2\x86\x92" "b\"" },
	};
	ei_x_buff x;
	size_t i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		x = xnew();
		ei_x_encode_atom_len_as(&x, c[i].atom, (int)strlen(c[i].atom),
					ERLANG_UTF8, ERLANG_UTF8);
		ck_assert_str_eq(one(&x, TSYN_ERLANG), c[i].erl);
		ck_assert_str_eq(one(&x, TSYN_ELIXIR), c[i].ex);
		ei_x_free(&x);
	}
}
END_TEST

/* Both shells write a float as float_to_list(F, [short]) does. */
START_TEST(floats_in_the_shortest_digits)
{
	static const struct { double f; const char *text; } c[] = {
		{ 1.0, "1.0" }, { 0.1, "0.1" }, { -0.0, "-0.0" }, { 0.0, "0.0" },
		{ 100.0, "100.0" }, { 1000.0, "1.0e3" }, { 1500.0, "1.5e3" },
		{ 123456.0, "123456.0" }, { 123456789.0, "123456789.0" },
		{ 0.0001, "0.0001" }, { 0.00012, "1.2e-4" }, { 0.001234, "0.001234" },
		{ 1.0e21, "1.0e21" }, { 1.0e-10, "1.0e-10" }, { 3.14159, "3.14159" },
		{ -2.5, "-2.5" }, { 12345678901234567.0, "1.2345678901234568e16" },
		{ 9007199254740992.0, "9.007199254740992e15" }, { 4.5e15, "4.5e15" },
	};
	ei_x_buff x;
	size_t i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		x = xnew();
		ei_x_encode_double(&x, c[i].f);
		ck_assert_str_eq(one(&x, TSYN_ERLANG), c[i].text);
		ck_assert_str_eq(one(&x, TSYN_ELIXIR), c[i].text);
		ei_x_free(&x);
	}
}
END_TEST

static void b_text(ei_x_buff *x) { ei_x_encode_binary(x, "s929", 4); }
static void b_utf8(ei_x_buff *x) { ei_x_encode_binary(x, "h\xc3\xa9llo", 6); }
static void b_bytes(ei_x_buff *x) { ei_x_encode_binary(x, "\1\2\3", 3); }
static void b_empty(ei_x_buff *x) { ei_x_encode_binary(x, "", 0); }
static void b_escapes(ei_x_buff *x) { ei_x_encode_binary(x, "a\"\\\n#{x}", 8); }
static void s_text(ei_x_buff *x) { ei_x_encode_string(x, "abc"); }
static void s_bytes(ei_x_buff *x) { ei_x_encode_string(x, "\1\2"); }
static void s_latin1(ei_x_buff *x) { ei_x_encode_string(x, "h\xe9"); }
static void bits(ei_x_buff *x)
{
	static const char b[] = { 77, 0, 0, 0, 2, 3, (char)0xff, (char)0xe0 };

	ei_x_append_buf(x, b, sizeof b);
}

START_TEST(strings_and_binaries)
{
	both(b_text, "<<\"s929\">>", "\"s929\"");
	both(b_utf8, "<<\"h\xc3\xa9llo\"/utf8>>", "\"h\xc3\xa9llo\"");
	both(b_bytes, "<<1,2,3>>", "<<1, 2, 3>>");
	both(b_empty, "<<>>", "\"\"");
	both(b_escapes, "<<\"a\\\"\\\\\\n#{x}\">>", "\"a\\\"\\\\\\n\\#{x}\"");
	both(s_text, "\"abc\"", "'abc'");
	both(s_bytes, "[1,2]", "[1, 2]");
	both(s_latin1, "\"h\xc3\xa9\"", "[104, 233]");
	both(bits, "<<255,7:3>>", "<<255, 7::size(3)>>");
}
END_TEST

static void pid(ei_x_buff *x)
{
	erlang_pid p;

	memset(&p, 0, sizeof p);
	strcpy(p.node, "a@b");
	p.num = 85;
	p.serial = 0;
	ei_x_encode_pid(x, &p);
}

static void ref(ei_x_buff *x)
{
	erlang_ref r;

	memset(&r, 0, sizeof r);
	strcpy(r.node, "a@b");
	r.len = 3;
	r.n[0] = 244501, r.n[1] = 1304952833, r.n[2] = 2691935263u;
	ei_x_encode_ref(x, &r);
}

static void export_fun(ei_x_buff *x, const char *m, const char *f)
{
	erlang_fun fun;
	char name[16];

	memset(&fun, 0, sizeof fun);
	fun.type = EI_FUN_EXPORT;
	fun.arity = 2;
	strcpy(fun.module, m);
	snprintf(name, sizeof name, "%s", f);
	fun.u.exprt.func = name;
	ei_x_encode_fun(x, &fun);
}

static void lists_seq(ei_x_buff *x) { export_fun(x, "lists", "seq"); }
static void enum_map(ei_x_buff *x) { export_fun(x, "Elixir.Enum", "map"); }

static void closure(ei_x_buff *x)
{
	erlang_fun f;

	memset(&f, 0, sizeof f);
	f.type = EI_FUN_CLOSURE;
	f.arity = 1;
	strcpy(f.module, "it_shapes");
	f.u.closure.index = f.u.closure.old_index = 0;
	f.u.closure.uniq = 58637735;
	strcpy(f.u.closure.pid.node, "a@b");
	ei_x_encode_fun(x, &f);
}

START_TEST(ids_and_funs)
{
	both(pid, "<0.85.0>", "#PID<0.85.0>");
	both(ref, "#Ref<0.2691935263.1304952833.244501>",
	     "#Reference<0.2691935263.1304952833.244501>");
	both(lists_seq, "fun lists:seq/2", "&:lists.seq/2");
	both(enum_map, "fun 'Elixir.Enum':map/2", "&Enum.map/2");
	both(closure, "#Fun<it_shapes.0.58637735>",
	     "#Function<0.58637735/1 in :it_shapes>");
}
END_TEST

static void kv(ei_x_buff *x, const char *k, long v)
{
	ei_x_encode_atom(x, k);
	ei_x_encode_long(x, v);
}

static void tuple(ei_x_buff *x)
{
	ei_x_encode_tuple_header(x, 3);
	ei_x_encode_atom(x, "entry");
	ei_x_encode_long(x, 1);
	ei_x_encode_double(x, 1.0);
}

static void improper(ei_x_buff *x)
{
	ei_x_encode_list_header(x, 1);
	ei_x_encode_atom(x, "a");
	ei_x_encode_atom(x, "b");
}

static void map(ei_x_buff *x)
{
	ei_x_encode_map_header(x, 2);
	kv(x, "a", 1);
	ei_x_encode_binary(x, "k", 1);
	ei_x_encode_atom(x, "v");
}

static void alias_key(ei_x_buff *x)
{
	ei_x_encode_map_header(x, 2);
	kv(x, "Elixir.Foo", 1);
	kv(x, "a", 2);
}

static void keyword(ei_x_buff *x)
{
	ei_x_encode_list_header(x, 2);
	ei_x_encode_tuple_header(x, 2);
	kv(x, "a", 1);
	ei_x_encode_tuple_header(x, 2);
	kv(x, "b c", 2);
	ei_x_encode_empty_list(x);
}

static void empties(ei_x_buff *x)
{
	ei_x_encode_list_header(x, 3);
	ei_x_encode_empty_list(x);
	ei_x_encode_tuple_header(x, 0);
	ei_x_encode_map_header(x, 0);
	ei_x_encode_empty_list(x);
}

/* A struct as Elixir makes it: a map with __struct__, here among others
 * in term order (as the node sends a small map). */
static void state(ei_x_buff *x)
{
	ei_x_encode_map_header(x, 6);
	ei_x_encode_atom(x, "__struct__");
	ei_x_encode_atom(x, "Elixir.MyApp.State");
	ei_x_encode_atom(x, "cast");
	ei_x_encode_atom(x, "$gen_cast");
	ei_x_encode_atom(x, "meta");
	ei_x_encode_map_header(x, 0);
	ei_x_encode_atom(x, "name");
	ei_x_encode_binary(x, "s929", 4);
	ei_x_encode_atom(x, "ratio");
	ei_x_encode_double(x, 1.0);
	ei_x_encode_atom(x, "tags");
	ei_x_encode_list_header(x, 2);
	ei_x_encode_atom(x, "a");
	ei_x_encode_atom(x, "b");
	ei_x_encode_empty_list(x);
}

START_TEST(containers_in_each_syntax)
{
	both(tuple, "{entry,1,1.0}", "{:entry, 1, 1.0}");
	both(improper, "[a|b]", "[:a | :b]");
	both(map, "#{a => 1,<<\"k\">> => v}", "%{:a => 1, \"k\" => :v}");
	both(alias_key, "#{'Elixir.Foo' => 1,a => 2}", "%{Foo => 1, :a => 2}");
	both(keyword, "[{a,1},{'b c',2}]", "[a: 1, \"b c\": 2]");
	both(empties, "[[],{},#{}]", "[[], {}, %{}]");
	both(state,
	     "#{'__struct__' => 'Elixir.MyApp.State',cast => '$gen_cast',meta => #{},"
	     "name => <<\"s929\">>,ratio => 1.0,tags => [a,b]}",
	     "%MyApp.State{cast: :\"$gen_cast\", meta: %{}, name: \"s929\", "
	     "ratio: 1.0, tags: [:a, :b]}");
}
END_TEST

/* it_shapes.erl's state, with 60 entries in its long list. */
static void big_state(ei_x_buff *x)
{
	int i, j;

	ei_x_encode_tuple_header(x, 3);
	state(x);
	ei_x_encode_list_header(x, 60);
	for (i = 1; i <= 60; i++) {
		ei_x_encode_tuple_header(x, 3);
		ei_x_encode_atom(x, "entry");
		ei_x_encode_long(x, i);
		ei_x_encode_list_header(x, 3);
		for (j = 0; j < 3; j++)
			ei_x_encode_binary(x, "abcdefghij", 10);
		ei_x_encode_empty_list(x);
	}
	ei_x_encode_empty_list(x);
	ref(x);
}

/* s without spaces and line breaks, into out. */
static void squeeze(const char *s, char *out)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\n')
			*out++ = *s;
	*out = '\0';
}

/* Each line of s is at most width columns (characters). */
static int within(const char *s, int width)
{
	int col = 0;

	for (; *s; s++) {
		if (*s == '\n') {
			col = 0;
			continue;
		}
		if (((unsigned char)*s & 0xc0) != 0x80 && ++col > width)
			return 0;
	}
	return 1;
}

START_TEST(laid_out_with_no_character_lost)
{
	static const int widths[] = { 20, 40, 60, 80, 120 };
	static char flat[16384], a[16384];
	ei_x_buff x = xnew();
	enum tsyntax syn;
	size_t i;
	char *text;

	big_state(&x);
	for (syn = TSYN_ERLANG; syn <= TSYN_ELIXIR; syn++) {
		/* So wide that nothing breaks: the whole term on a line. */
		text = laid(&x, syn, 100000, NULL);
		ck_assert_ptr_null(strchr(text, '\n'));
		squeeze(text, flat);
		free(text);
		for (i = 0; i < sizeof widths / sizeof widths[0]; i++) {
			text = laid(&x, syn, widths[i], NULL);
			ck_assert_msg(strchr(text, '\n'), "%s", text);
			squeeze(text, a);
			ck_assert_str_eq(a, flat);
			/* From 60 on no atom or binary is wider than a line. */
			if (widths[i] >= 60)
				ck_assert_msg(within(text, widths[i]), "%d: %s", widths[i], text);
			free(text);
		}
	}
	ei_x_free(&x);
}
END_TEST

START_TEST(laid_out_as_the_shells_do)
{
	ei_x_buff x = xnew();
	char *text;
	int i;

	ei_x_encode_list_header(&x, 20);
	for (i = 1; i <= 20; i++)
		ei_x_encode_long(&x, i);
	ei_x_encode_empty_list(&x);
	/* erl and iex fill lines with plain values. */
	text = laid(&x, TSYN_ERLANG, 30, NULL);
	ck_assert_str_eq(text, "[1,2,3,4,5,6,7,8,9,10,11,12,\n 13,14,15,16,17,18,19,20]");
	free(text);
	text = laid(&x, TSYN_ELIXIR, 30, NULL);
	ck_assert_str_eq(text, "[1, 2, 3, 4, 5, 6, 7, 8, 9,\n 10, 11, 12, 13, 14, 15, 16,\n"
			 " 17, 18, 19, 20]");
	free(text);
	ei_x_free(&x);
	/* A struct: erl fills and aligns under the first pair; iex puts a
	 * field a line and the closing brace alone. */
	x = xnew();
	state(&x);
	text = laid(&x, TSYN_ERLANG, 40, NULL);
	ck_assert_str_eq(text, "#{'__struct__' => 'Elixir.MyApp.State',\n"
			 "  cast => '$gen_cast',meta => #{},\n"
			 "  name => <<\"s929\">>,ratio => 1.0,\n"
			 "  tags => [a,b]}");
	free(text);
	text = laid(&x, TSYN_ELIXIR, 40, NULL);
	ck_assert_str_eq(text, "%MyApp.State{\n  cast: :\"$gen_cast\",\n  meta: %{},\n"
			 "  name: \"s929\",\n  ratio: 1.0,\n  tags: [:a, :b]\n}");
	free(text);
	ei_x_free(&x);
}
END_TEST

/* The first line goes on after what is in front of it; the next ones
 * start at the indentation. */
START_TEST(first_line_and_indent)
{
	struct tstyle st = { TSYN_ELIXIR, 40, 20, 4, NULL };
	ei_x_buff x = xnew();
	struct tdec d;
	char *text;

	state(&x);
	ck_assert_int_eq(tdec_init(&d, x.buff, x.index), 0);
	ck_assert_int_eq(tdec_pretty(&d, &st, &text), 0);
	ck_assert_str_eq(text, "%MyApp.State{\n      cast: :\"$gen_cast\",\n      meta: %{},\n"
			 "      name: \"s929\",\n      ratio: 1.0,\n      tags: [:a, :b]\n    }");
	free(text);
	ei_x_free(&x);
}
END_TEST

static void mark_of(erlang_ref *m, struct bt_ref *b)
{
	memset(m, 0, sizeof *m);
	strcpy(m->node, "beamtop@host");
	m->len = 3;
	m->n[0] = 7;
	m->creation = 5;
	memset(b, 0, sizeof *b);
	b->len = 3;
	b->n[0] = 7;
	b->creation = 5;
}

/* A map the node cut is sent as {Mark, 7, Pairs}: still a struct for
 * Elixir, its last pair a cut of the rest. */
START_TEST(cut_maps_and_lists_laid_out)
{
	ei_x_buff x = xnew();
	erlang_ref m;
	struct bt_ref mark;
	char *text;

	mark_of(&m, &mark);
	ei_x_encode_tuple_header(&x, 3);
	ei_x_encode_ref(&x, &m);
	ei_x_encode_long(&x, 7);
	ei_x_encode_list_header(&x, 3);
	ei_x_encode_tuple_header(&x, 2);
	ei_x_encode_atom(&x, "__struct__");
	ei_x_encode_atom(&x, "Elixir.MyApp.State");
	ei_x_encode_tuple_header(&x, 2);
	ei_x_encode_atom(&x, "meta");
	ei_x_encode_map_header(&x, 0);
	ei_x_encode_tuple_header(&x, 3);
	ei_x_encode_ref(&x, &m);
	ei_x_encode_long(&x, 1);
	ei_x_encode_long(&x, 12);
	ei_x_encode_empty_list(&x);
	text = laid(&x, TSYN_ELIXIR, 80, &mark);
	ck_assert_str_eq(text, "%MyApp.State{meta: %{}, \u2026(+12 more)}");
	free(text);
	text = laid(&x, TSYN_ERLANG, 80, &mark);
	ck_assert_str_eq(text, "#{'__struct__' => 'Elixir.MyApp.State',meta => #{},"
			 "\u2026(+12 more)}");
	free(text);
	text = laid(&x, TSYN_ELIXIR, 20, &mark);
	ck_assert_str_eq(text, "%MyApp.State{\n  meta: %{},\n  \u2026(+12 more)\n}");
	free(text);
	ei_x_free(&x);
}
END_TEST

/* More than a megabyte of text: cut, and the last line says so. */
START_TEST(a_megabyte_of_text_is_said_cut)
{
	static char bin[60];
	ei_x_buff x = xnew();
	char *text;
	int i;

	memset(bin, 'x', sizeof bin);
	ei_x_encode_list_header(&x, 20000);
	for (i = 0; i < 20000; i++)
		ei_x_encode_binary(&x, bin, sizeof bin);
	ei_x_encode_empty_list(&x);
	text = laid(&x, TSYN_ERLANG, 80, NULL);
	ck_assert_uint_le(strlen(text), 1u << 20);
	ck_assert_ptr_nonnull(strstr(text, "\n\u2026(the rest is not shown: over 1 MiB"));
	free(text);
	ei_x_free(&x);
}
END_TEST

/* 200,000 nested lists: laid out to a depth, the rest said, no crash. */
START_TEST(deep_nesting_laid_out)
{
	const int depth = 200000;
	size_t len = 1 + (size_t)depth * 5 + 1 + (size_t)depth;
	unsigned char *b = malloc(len), *p = b;
	struct tstyle st = { TSYN_ERLANG, 80, 0, 0, NULL };
	struct tdec d;
	char *text;
	int i;

	*p++ = 131;
	for (i = 0; i < depth; i++) {
		*p++ = 108;
		*p++ = 0; *p++ = 0; *p++ = 0; *p++ = 1;
	}
	*p++ = 106;
	for (i = 0; i < depth; i++)
		*p++ = 106;
	ck_assert_int_eq(tdec_init(&d, (const char *)b, (int)len), 0);
	ck_assert_int_eq(tdec_pretty(&d, &st, &text), 0);
	ck_assert_ptr_nonnull(strstr(text, "\u2026(nested deeper)"));
	ck_assert_int_eq(d.idx, (int)len);
	free(text);
	free(b);
}
END_TEST

/* One line that does not fit its buffer ends with a mark, on a whole
 * character. */
START_TEST(one_line_cut_is_marked)
{
	struct tstyle st = { TSYN_ELIXIR, 0, 0, 0, NULL };
	ei_x_buff x = xnew();
	struct tdec d;
	char out[24];

	state(&x);
	ck_assert_int_eq(tdec_init(&d, x.buff, x.index), 0);
	ck_assert_int_eq(tdec_print_style(&d, &st, out, sizeof out), 0);
	ck_assert_str_eq(out, "%MyApp.State{cast: :\u2026");
	ck_assert_int_eq(d.idx, d.len);
	ei_x_free(&x);
}
END_TEST

Suite *print_suite(void)
{
	Suite *s = suite_create("print");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, atoms_as_each_shell_writes_them);
	tcase_add_test(tc, floats_in_the_shortest_digits);
	tcase_add_test(tc, strings_and_binaries);
	tcase_add_test(tc, ids_and_funs);
	tcase_add_test(tc, containers_in_each_syntax);
	tcase_add_test(tc, laid_out_with_no_character_lost);
	tcase_add_test(tc, laid_out_as_the_shells_do);
	tcase_add_test(tc, first_line_and_indent);
	tcase_add_test(tc, cut_maps_and_lists_laid_out);
	tcase_add_test(tc, a_megabyte_of_text_is_said_cut);
	tcase_add_test(tc, deep_nesting_laid_out);
	tcase_add_test(tc, one_line_cut_is_marked);
	suite_add_tcase(s, tc);
	return s;
}
