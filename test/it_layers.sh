#!/usr/bin/env bash
# it_layers.sh - the layering rules of STYLE.md, read from the sources: who
# may include ei.h and curses, that the model knows no screen and no
# network, that panes never call the connection, that batch output and the
# field tables know no screen but term.h's colour roles, that a private
# header stays in its module; and the sizes (files under 600 lines,
# functions under 60).  Every include is followed, so a rule broken through
# a chain of headers is caught and the chain shown.  Needs no node.
#
# Every violation is listed.  The known ones, in files being reworked, are
# matched by the exceptions below (each with its reason): they are reported
# but do not fail the test.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$IT_DIR/.." && pwd)
cd "$ROOT" || exit 1

# The layers' files and headers, named once, as extended regular
# expressions over the names the report uses: src/x.c and src/x_priv.h for
# our sources, beamtop/x.h for include/beamtop/x.h, <x.h> for system
# headers.
MODEL='^(src/(model[a-z_]*|snapshot|topn|window|keymap|sched|ring|strpool)\.[ch]|beamtop/(model|snapshot|topn|window|keymap|sched|ring|strpool|ids)\.h)$'
SCREEN_H='(term|ui|view|listview|input|layout|pane[a-z_]*)\.h'
NET_H='(beamtop/(conn|collect|collect_opts|decode|engine|poller|query|query_ids|drill|dreq)\.h|src/(conn|collect|drill|poller)_priv\.h)'
VIEWS='^src/(fields[a-z_]*|batch[a-z_]*|format|json)\.c$'
PANES='^src/pane_[a-z_]+\.c$'

# The include rules: NAME WHO MAY-NOT-INCLUDE, both expressions as above;
# WHO starting with ! means every file but those.  Followed through every
# header, so that a chain is caught too.
RULES=(
	# Only the codec and the connection speak ei (today conn.c, and
	# conn_priv.h for the other conn_*.c; decode*.c; encode.c).
	'ei !^src/(conn[a-z_]*\.c|conn_priv\.h|decode[a-z_]*\.c|encode\.c)$ ^<(ei|ei_connect|erl_interface)\.h>$'
	# The terminal is term.c's alone (terminfo's <term.h> included).
	'curses !^src/term\.c$ ^<(n?cursesw?\.h|ncursesw?/.*|term\.h|panel\.h|menu\.h|form\.h)>$'
	# The model knows no screen and no network.
	"model-screen $MODEL ^beamtop/$SCREEN_H$"
	"model-net $MODEL ^$NET_H$"
	# Panes draw the model: they never reach the connection.
	"panes $PANES ^(beamtop/(conn|collect|engine|decode)\.h|src/(conn|collect)_priv\.h)$"
	# Batch output and the field tables: no screen but term.h's roles.
	"views $VIEWS ^beamtop/(ui|view|listview|input|layout|pane[a-z_]*)\.h$"
)

# Names that files may not use (code only: comments and strings are not
# read).  NAME FILES NAMES BUT HOW: the files and names are extended
# regular expressions, BUT the names that are allowed after all; HOW is
# "call" (only calls count) or "any" (any mention).
CALL_RULES=(
	"panes-call $PANES ^(conn|collect|engine)_[a-z0-9_]+$ ^$ call"
	# term_role is the roles' enum, which they may name.
	"views-term $VIEWS ^term_[a-z0-9_]+$ ^term_role$ any"
)

# Known violations, as extended regular expressions over the report's
# lines; each says why it is allowed for now.
EXCEPTIONS=(
)

# Functions over FUNC_MAX lines that are known, as FILE:FUNCTION.
FUNC_MAX=60
FILE_MAX=600
LONG_FUNCTIONS=(
)

SOURCES=$(ls src/*.c src/*.h include/beamtop/*.h)

# Every file's includes, then every header each file reaches, with the
# shortest chain that reaches it: "FILE<TAB>HEADER<TAB>CHAIN".
reach() {
	awk '
	function name(path) {
		sub(/^include\//, "", path)
		return path
	}
	FNR == 1 { me = name(FILENAME); files[++nfiles] = me; dir = FILENAME; sub(/[^\/]*$/, "", dir) }
	/^[ \t]*#[ \t]*include[ \t]*[<"]/ {
		line = $0
		sub(/^[ \t]*#[ \t]*include[ \t]*/, "", line)
		if (line ~ /^</) {
			sub(/>.*/, ">", line)
			hdr = line
		} else {
			sub(/^"/, "", line)
			sub(/".*/, "", line)
			hdr = line ~ /^beamtop\// ? line : name(dir line)
		}
		edges[me] = edges[me] " " hdr
	}
	END {
		for (f = 1; f <= nfiles; f++) {
			from = files[f]
			delete seen; delete via
			head = 1; tail = 0
			queue[++tail] = from; seen[from] = 1; via[from] = ""
			while (head <= tail) {
				at = queue[head++]
				n = split(edges[at], next_, " ")
				for (i = 1; i <= n; i++) {
					h = next_[i]
					if (h in seen)
						continue
					seen[h] = 1
					via[h] = at == from ? "" : (via[at] == "" ? at : via[at] " > " at)
					queue[++tail] = h
					printf "%s\t%s\t%s\n", from, h, via[h] == "" ? "direct" : "via " via[h]
				}
			}
		}
	}' $SOURCES
}

# The code of FILES, comments and string literals blanked, as
# "FILE:LINE:TEXT".
code_of() {
	awk '
	FNR == 1 { state = 0 }
	{
		out = ""
		for (i = 1; i <= length($0); i++) {
			c = substr($0, i, 1); c2 = substr($0, i, 2)
			if (state == 1) {             # in a comment
				if (c2 == "*/") { state = 0; i++ }
				out = out " "
			} else if (state == 2 || state == 3) {  # in a string, a char
				if (c == "\\") { i++; out = out "  "; continue }
				if ((state == 2 && c == "\"") || (state == 3 && c == "\047"))
					state = 0
				out = out " "
			} else if (c2 == "/*") {
				state = 1; i++; out = out "  "
			} else if (c2 == "//") {
				break
			} else if (c == "\"") {
				state = 2; out = out " "
			} else if (c == "\047") {
				state = 3; out = out " "
			} else
				out = out c
		}
		print FILENAME ":" FNR ":" out
	}' "$@"
}

# Include rules: one line per violation.
include_violations() {
	local rule id who bad neg
	for rule in "${RULES[@]}"; do
		read -r id who bad <<<"$rule"
		neg=0
		[ "${who#!}" != "$who" ] && neg=1 && who=${who#!}
		# (Through the environment: awk -v would take the regular
		# expressions' backslashes for escapes.)
		WHO=$who BAD=$bad awk -F'\t' -v id="$id" -v neg="$neg" '
		(($1 ~ ENVIRON["WHO"]) != neg) && $2 ~ ENVIRON["BAD"] {
			printf "%s: %s includes %s (%s)\n", id, $1, $2, $3
		}' "$IT_TMP/reach"
	done
	# A module's private header (src/M_priv.h) is for src/M*.c and
	# src/M*.h only.
	awk -F'\t' '$2 ~ /^src\/[a-z]+_priv\.h$/ {
		m = $2; sub(/^src\//, "", m); sub(/_priv\.h$/, "", m)
		if (index($1, "src/" m) != 1)
			printf "private: %s includes %s (%s)\n", $1, $2, $3
	}' "$IT_TMP/reach"
}

# Name rules: one line per use.
call_violations() {
	local rule id files names but how f
	for rule in "${CALL_RULES[@]}"; do
		read -r id files names but how <<<"$rule"
		for f in $SOURCES; do
			[[ $f =~ $files ]] || continue
			code_of "$f" | NAMES=$names BUT=$but awk -v id="$id" \
				-v how="$how" '{
				names = ENVIRON["NAMES"]; but = ENVIRON["BUT"]
				split($0, loc, ":")
				text = substr($0, length(loc[1]) + length(loc[2]) + 3)
				word = how == "call" ? "[A-Za-z_][A-Za-z0-9_]*[ \t]*\\(" : \
					"[A-Za-z_][A-Za-z0-9_]*"
				while (match(text, word)) {
					w = substr(text, RSTART, RLENGTH)
					text = substr(text, RSTART + RLENGTH)
					sub(/[ \t]*\($/, "", w)
					if (w ~ names && w !~ but)
						printf "%s: %s:%s uses %s\n", id, loc[1], loc[2], w
				}
			}'
		done
	done
}

# Lines of the report that no exception matches.
unexpected() {
	local line ex known
	while IFS= read -r line; do
		known=0
		for ex in "${EXCEPTIONS[@]}"; do
			[[ $line =~ $ex ]] && known=1 && break
		done
		[ "$known" = 1 ] && echo "  known: $line" >>"$IT_TMP/known" || echo "$line"
	done
}

# Every function over FUNC_MAX lines (signature to closing brace), as
# "FILE:LINE:FUNCTION:LINES"; the sources are K&R C, a body's braces alone
# in column 0.
long_functions() {
	awk -v max="$FUNC_MAX" '
	FNR == 1 { infn = 0 }
	!infn && /^[A-Za-z_]/ { sig = FNR; text = $0 }
	!infn && /^\{$/ {
		infn = 1
		fn = text
		if (match(fn, /[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/))
			fn = substr(fn, RSTART, RLENGTH - 1)
		sub(/[ \t]+$/, "", fn)
		next
	}
	infn && /^\}/ {
		infn = 0
		if (FNR - sig + 1 > max)
			printf "%s:%d:%s:%d\n", FILENAME, sig, fn, FNR - sig + 1
	}' src/*.c
}

reach >"$IT_TMP/reach"
: >"$IT_TMP/known"

echo "includes and calls across the layers"
check "the include graph was read (${#RULES[@]} rules)" \
	eq "$(( $(wc -l <"$IT_TMP/reach") > 100 ))" 1
{ include_violations; call_violations; } >"$IT_TMP/all" 2>"$IT_TMP/err"
check "every rule could be read" eq "$(cat "$IT_TMP/err")" ""
unexpected <"$IT_TMP/all" >"$IT_TMP/bad"
check "no rule broken ($(wc -l <"$IT_TMP/known") known, listed below)" \
	eq "$(wc -l <"$IT_TMP/bad")" 0
sed 's/^/       /' "$IT_TMP/bad"
for ex in "${EXCEPTIONS[@]}"; do
	grep -Eq -- "$ex" "$IT_TMP/all" ||
		echo "  note: no longer needed: exception '$ex'"
done
cat "$IT_TMP/known"

echo "sizes"
big=$(wc -l src/*.c src/*.h include/beamtop/*.h | awk -v max="$FILE_MAX" \
	'$2 != "total" && $1 > max { printf "%s (%d lines) ", $2, $1 }')
check "no file over $FILE_MAX lines" eq "$big" ""
long_functions >"$IT_TMP/long"
new_long=""
while IFS=: read -r file line fn n; do
	known=0
	for ex in "${LONG_FUNCTIONS[@]}"; do
		[ "$ex" = "$file:$fn" ] && known=1
	done
	if [ "$known" = 1 ]; then
		echo "  known: $file:$line: $fn() is $n lines"
	else
		new_long="$new_long$file:$line: $fn() is $n lines; "
	fi
done <"$IT_TMP/long"
check "no function over $FUNC_MAX lines but the known ones" eq "$new_long" ""
for ex in "${LONG_FUNCTIONS[@]}"; do
	grep -q "^${ex%%:*}:[0-9]*:${ex#*:}:" "$IT_TMP/long" ||
		echo "  note: no longer needed: long function $ex"
done
it_done
