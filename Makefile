# beamtop - a top for BEAM nodes.  Plain make; see README.md.
#
#   make                 build ./beamtop
#   make check           build and run every test (unit, integration, screen)
#   make check-unit      libcheck suites only (no node needed)
#   make check-layers    the layering rules and sizes, read from the sources
#   make check-otp       integration tests against OTP 27 and the newest
#                        (Debian chroots, made once; needs root)
#   make check-man       lint the man pages (groff and mandoc), and check
#                        that beamtop.1's keys are the key table's
#   make man             write beamtop.1's generated sections (keys, options)
#   make screenshots     PNGs of every pane, from the demo node
#   make bench           benchmark against etop and the truth, writes
#                        test/bench/results.md (not part of check)
#   make install PREFIX=/usr/local DESTDIR=   (the binary and the man pages)
#   make deps            install the Debian packages needed (needs root/sudo)

PREFIX  ?= /usr/local
DESTDIR ?=
ERL     ?= erl
ERLC    ?= erlc
CC      ?= cc
PKG_CONFIG ?= pkg-config

# Ask the installed Erlang where erl_interface lives and which OTP it is,
# once per make run.
ERL_FACTS := $(shell $(ERL) -noshell -eval 'io:format("~s ~s",[code:lib_dir(erl_interface),erlang:system_info(otp_release)])' -s init stop 2>/dev/null)
EI_DIR  ?= $(word 1,$(ERL_FACTS))
EI_DIR  := $(EI_DIR)
OTP_RELEASE := $(word 2,$(ERL_FACTS))
EI_VERSION  := $(patsubst erl_interface-%,%,$(notdir $(EI_DIR)))
EI_CFLAGS ?= -I$(EI_DIR)/include
EI_LIBS   ?= -L$(EI_DIR)/lib -lei

CURSES_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags ncursesw 2>/dev/null)
CURSES_LIBS   ?= $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null)
CHECK_CFLAGS  ?= $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS    ?= $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

VERSION := 0.1.0
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wcast-qual -Wformat=2 -Wpointer-arith \
           -Wundef -Wvla
OPT     ?= -O2 -g
CFLAGS_ALL = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
           -D_REENTRANT -pthread $(WARN) $(OPT) -Iinclude -I$(B)/include -MMD -MP \
           -DBEAMTOP_VERSION='"$(VERSION)"' \
           -DBEAMTOP_EI_VERSION='"$(EI_VERSION)"' \
           -DBEAMTOP_OTP_RELEASE='"$(OTP_RELEASE)"' $(EI_CFLAGS) $(CURSES_CFLAGS) \
           $(CFLAGS)
LDLIBS_ALL = $(EI_LIBS) $(CURSES_LIBS) -pthread -lm $(LDLIBS)

# Modules with no terminal and no node: linked into the unit tests too.
CORE := clock decode conn conn_status cookie engine collect collect_call collect_sys \
        collect_holder collect_procs collect_tabs collect_ports collect_heaps collect_chunk \
        collect_eval collect_probe selfname \
        collect_scan collect_carry collect_agent collect_names \
        strpool \
        snapshot model topn window keymap sched ring format json batch batch_loop \
        opts options options_table config demo model_candidates model_names \
        model_partial \
        layout input query drill fields fields_proc fields_ets fields_port \
        dreq poller poller_drill poller_binleak poller_heap poller_frame
UI   := term ui view listview pane_memory pane_procs \
        pane_sched pane_ets pane_ports pane_proc
# The other files of the codec, the connection and the drill-down.
CORE += decode_check decode_print decode_layout decode_text encode conn_calls conn_encode conn_name conn_net \
        drill_proc drill_queue drill_port
SRCS := $(addprefix src/,$(addsuffix .c,$(CORE) $(UI))) src/main.c

B      := build
GEN    := demo_beam agent_beam queries
OBJS   := $(SRCS:src/%.c=$(B)/%.o) $(GEN:%=$(B)/%.o)
CORE_OBJS := $(CORE:%=$(B)/%.o) $(GEN:%=$(B)/%.o)

# The sanitizer build used by the test suite.
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=undefined
SB     := $(B)/san
SOBJS  := $(SRCS:src/%.c=$(SB)/%.o) $(GEN:%=$(SB)/%.o)
SCORE_OBJS := $(CORE:%=$(SB)/%.o) $(GEN:%=$(SB)/%.o)

# ThreadSanitizer, for the screen's two threads (test/it_tsan.sh).
TSAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer
TB     := $(B)/tsan
TOBJS  := $(SRCS:src/%.c=$(TB)/%.o) $(GEN:%=$(TB)/%.o)

UNIT_TESTS := $(filter-out check_main,$(patsubst test/%.c,%,$(wildcard test/check_*.c)))

.PHONY: all check check-unit check-layers check-it check-otp check-fuzz check-man bench install \
        uninstall clean deps sanitize fuzz screenshots man man-options

all: beamtop

beamtop: $(OBJS)
	$(CC) $(CFLAGS_ALL) -o $@ $(OBJS) $(LDFLAGS) $(LDLIBS_ALL)

# One recipe per build, for the objects of src/ and the generated ones
# alike: the same warnings, sanitizers and dependency files for all.
COMPILE      = $(CC) $(CFLAGS_ALL) -c -o $@ $<
SAN_COMPILE  = $(CC) $(CFLAGS_ALL) $(SAN_FLAGS) -c -o $@ $<
TSAN_COMPILE = $(CC) $(CFLAGS_ALL) $(TSAN_FLAGS) -c -o $@ $<

$(B)/%.o: src/%.c | $(B)
	$(COMPILE)

$(SB)/%.o: src/%.c | $(SB)
	$(SAN_COMPILE)

$(TB)/%.o: src/%.c | $(TB)
	$(TSAN_COMPILE)

$(B) $(SB) $(TB):
	mkdir -p $@

# The demo workload, compiled with the installed erlc and embedded in the
# binary, so that `beamtop --demo` needs nothing but erl at run time.
$(B)/beamtop_demo.beam: src/demo/beamtop_demo.erl | $(B)
	$(ERLC) -o $(B) $<

# The agent of --agent, likewise (loaded into a node only on request).
$(B)/beamtop_agent.beam: src/agent/beamtop_agent.erl | $(B)
	$(ERLC) -o $(B) $<

# A beam file as a C array: NAME_beam[] and NAME_beam_len.
$(B)/demo_beam.c: $(B)/beamtop_demo.beam
$(B)/agent_beam.c: $(B)/beamtop_agent.beam
$(B)/%_beam.c:
	{ echo '/* generated from $< */'; \
	  echo '#include <stddef.h>'; \
	  echo 'extern const unsigned char $*_beam[];'; \
	  echo 'extern const size_t $*_beam_len;'; \
	  echo 'const unsigned char $*_beam[] = {'; \
	  od -An -v -tu1 $< | sed -e 's/  */ /g' -e 's/^ //' -e 's/ $$//' \
	    -e 's/ /,/g' -e 's/$$/,/' -e '/^,$$/d'; \
	  echo '};'; \
	  echo "const size_t $*_beam_len = sizeof $*_beam;"; } > $@.tmp
	mv $@.tmp $@

# The remote queries, parsed by the installed Erlang and embedded, and
# their ids (a header that any object may include: made before any, see
# the end).
QUERIES := $(sort $(wildcard src/queries/*.expr))
QUERY_IDS := $(B)/include/beamtop/query_ids.h
$(B)/queries.c $(QUERY_IDS) &: $(QUERIES) src/queries/qc.escript | $(B)
	mkdir -p $(dir $(QUERY_IDS))
	escript src/queries/qc.escript $(B)/queries.c.tmp $(QUERY_IDS).tmp $(QUERIES)
	mv $(QUERY_IDS).tmp $(QUERY_IDS)
	mv $(B)/queries.c.tmp $(B)/queries.c

$(GEN:%=$(B)/%.o): $(B)/%.o: $(B)/%.c
	$(COMPILE)

$(GEN:%=$(SB)/%.o): $(SB)/%.o: $(B)/%.c | $(SB)
	$(SAN_COMPILE)

$(GEN:%=$(TB)/%.o): $(TB)/%.o: $(B)/%.c | $(TB)
	$(TSAN_COMPILE)

$(TB)/beamtop: $(TOBJS)
	$(CC) $(CFLAGS_ALL) $(TSAN_FLAGS) -o $@ $(TOBJS) $(LDFLAGS) $(LDLIBS_ALL)

$(SB)/beamtop: $(SOBJS)
	$(CC) $(CFLAGS_ALL) $(SAN_FLAGS) -o $@ $(SOBJS) $(LDFLAGS) $(LDLIBS_ALL)

sanitize: $(SB)/beamtop

# Unit tests: one libcheck suite per file, one runner, sanitizers on.
$(SB)/check_%.o: test/check_%.c | $(SB)
	$(CC) $(CFLAGS_ALL) $(SAN_FLAGS) $(CHECK_CFLAGS) -c -o $@ $<

$(SB)/check_runner: $(UNIT_TESTS:%=$(SB)/%.o) $(SB)/check_main.o $(SCORE_OBJS)
	$(CC) $(CFLAGS_ALL) $(SAN_FLAGS) -o $@ $^ $(LDFLAGS) $(CHECK_LIBS) $(LDLIBS_ALL)

$(SB)/check_main.o: test/check_main.c | $(SB)
	$(CC) $(CFLAGS_ALL) $(SAN_FLAGS) $(CHECK_CFLAGS) -c -o $@ $<

# (Check's 4 s default per test is short for ASan on a loaded machine.)
check-unit: $(SB)/check_runner
	CK_DEFAULT_TIMEOUT=60 $(SB)/check_runner

# Who may include what, and the sizes of files and functions (also run
# by check-it, as every test/it_*.sh is).
check-layers:
	bash test/it_layers.sh

# Integration and screen tests start their own epmd and nodes on loopback.
$(SB)/it_%.o: test/it_%.c | $(SB)
	$(CC) $(CFLAGS_ALL) $(SAN_FLAGS) -c -o $@ $<

$(SB)/it_readonly: $(SB)/it_readonly.o $(SCORE_OBJS)
	$(CC) $(CFLAGS_ALL) $(SAN_FLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS_ALL)

check-it: $(SB)/beamtop $(SB)/it_readonly $(TB)/beamtop beamtop
	BEAMTOP=$(CURDIR)/$(SB)/beamtop BEAMTOP_TSAN=$(CURDIR)/$(TB)/beamtop \
		test/run_it.sh

# The same against the nodes of other OTP releases, in chroots kept in
# $$BEAMTOP_OTP_CACHE (default /var/cache/beamtop-otp): test/otp.sh.
check-otp: $(SB)/beamtop $(SB)/it_readonly beamtop
	BEAMTOP=$(CURDIR)/$(SB)/beamtop test/otp.sh

# The decoders under libFuzzer (clang): inputs that once crashed are
# replayed, then FUZZ_SECONDS of fuzzing from the seed corpus (a copy:
# the corpus in the repository is not changed by a run).
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FB := $(B)/fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_COMPILE = $(FUZZ_CC) $(CFLAGS_ALL) $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
	-c -o $@ $<
$(FB)/%.o: src/%.c | $(FB)
	$(FUZZ_COMPILE)

$(GEN:%=$(FB)/%.o): $(FB)/%.o: $(B)/%.c | $(FB)
	$(FUZZ_COMPILE)

$(FB)/fuzz_decode.o: test/fuzz/fuzz_decode.c | $(FB)
	$(FUZZ_COMPILE)

$(FB)/fuzz_decode: $(FB)/fuzz_decode.o $(CORE:%=$(FB)/%.o) $(GEN:%=$(FB)/%.o)
	$(FUZZ_CC) $(CFLAGS_ALL) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ \
		$(LDFLAGS) $(EI_LIBS) -pthread -lm

$(FB):
	mkdir -p $@

fuzz: $(FB)/fuzz_decode

check-fuzz: $(FB)/fuzz_decode
	$(FB)/fuzz_decode -runs=0 test/fuzz/regressions test/fuzz/corpus
	rm -rf $(FB)/corpus && mkdir -p $(FB)/corpus && cp test/fuzz/corpus/* $(FB)/corpus/
	$(FB)/fuzz_decode -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		-artifact_prefix=$(FB)/ -print_final_stats=1 $(FB)/corpus \
		>$(FB)/fuzz.log 2>&1; rc=$$?; tail -6 $(FB)/fuzz.log; exit $$rc

# The man pages: beamtop(1), and the section 7 pages it points to.
MAN7    := $(sort $(wildcard man/*.7))
MANPAGES := man/beamtop.1 $(MAN7)

# beamtop(1)'s key sections are printed by build/man_keys from the key
# table (src/input.c) and kept between two comment lines of the page.
# $(call MAN_KEYS,PAGE): PAGE with those lines replaced by the table's.
$(B)/man_keys: $(B)/man_keys.o $(B)/input.o
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDFLAGS)

$(B)/keys.roff: $(B)/man_keys
	$(B)/man_keys >$@.tmp
	mv $@.tmp $@

MAN_KEYS = awk -v keys=$(B)/keys.roff ' \
	/^\.\\" End of the keys/ { skip = 0; ends++ } \
	!skip { print } \
	/^\.\\" Keys:/ { while ((getline l < keys) > 0) print l; skip = 1; begins++ } \
	END { if (begins != 1 || ends != 1) { \
		print FILENAME ": no key markers" > "/dev/stderr"; exit 1 } }' $(1)

man: $(B)/keys.roff
	$(call MAN_KEYS,man/beamtop.1) >$(B)/beamtop.1
	cmp -s $(B)/beamtop.1 man/beamtop.1 || cp $(B)/beamtop.1 man/beamtop.1

# Both linters, warnings counted as failures (mandoc's exit status is
# already non-zero for a warning; groff's is not, so its output is).
check-man: $(B)/keys.roff
	@$(call MAN_KEYS,man/beamtop.1) >$(B)/beamtop.1
	@diff -u man/beamtop.1 $(B)/beamtop.1 || { echo "man/beamtop.1: its keys" \
		"are not the key table's (src/input.c): run make man"; exit 1; }
	@for m in $(MANPAGES); do out=$$(groff -t -man -ww -z $$m 2>&1); \
	 if [ -n "$$out" ]; then echo "$$m: $$out"; exit 1; fi; done
	mandoc -Tlint -W warning $(MANPAGES)
	@echo "man pages: lint-clean, keys as in the key table"

# The man page's OPTIONS section, from the options table; check-unit
# fails while the committed page differs from what this writes.
$(B)/man_options: src/tools/man_options.c $(CORE_OBJS) | $(B)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(CORE_OBJS) $(LDFLAGS) $(LDLIBS_ALL)

man-options: $(B)/man_options
	$(B)/man_options <man/beamtop.1 >$(B)/beamtop.1.tmp
	cmp -s $(B)/beamtop.1.tmp man/beamtop.1 || cp $(B)/beamtop.1.tmp man/beamtop.1

man: man-options

# One part after the other, even under make -j: the fuzzer beside the
# screen tests would starve them.
check:
	$(MAKE) check-man
	$(MAKE) check-unit
	$(MAKE) check-fuzz
	$(MAKE) check-it

# it_screenshots.sh (in check-it) runs the same script into a temporary
# directory.
screenshots: beamtop
	BEAMTOP=$(CURDIR)/beamtop test/screenshots.sh screenshots

bench: beamtop
	sh test/deps.sh bench
	test/bench/run.sh
	test/bench/keys.sh

MANDIR := $(DESTDIR)$(PREFIX)/share/man

install: beamtop
	install -d $(DESTDIR)$(PREFIX)/bin $(MANDIR)/man1 $(MANDIR)/man7
	install -m 755 beamtop $(DESTDIR)$(PREFIX)/bin/beamtop
	install -m 644 man/beamtop.1 $(MANDIR)/man1/beamtop.1
	install -m 644 $(MAN7) $(MANDIR)/man7/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/beamtop $(MANDIR)/man1/beamtop.1 \
		$(MAN7:man/%=$(MANDIR)/man7/%)

deps:
	sh test/deps.sh

clean:
	rm -rf $(B) beamtop

$(OBJS) $(SOBJS) $(TOBJS) $(SB)/check_main.o $(UNIT_TESTS:%=$(SB)/%.o) \
	$(SB)/it_readonly.o $(CORE:%=$(FB)/%.o) $(FB)/fuzz_decode.o \
	$(B)/man_keys.o: | $(QUERY_IDS)

-include $(OBJS:.o=.d) $(SOBJS:.o=.d) $(TOBJS:.o=.d) $(wildcard $(SB)/check_*.d $(SB)/it_*.d $(FB)/*.d \
	$(B)/man_keys.d)
