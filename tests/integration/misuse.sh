#!/usr/bin/env bash
# Command-line misuse, without a VM: every command of both tools (as `TOOL --help`
# lists them) with every option of that command (as `TOOL COMMAND --help` lists
# them, long and short) misspelled (OPTx), cut short (OPT=), alone (missing its
# value, or a flag) and repeated.
#   - a misuse ends with status 2 and exactly one line on stderr that names the
#     option and points at `TOOL COMMAND --help`, before any target is contacted;
#   - a spelling that is legitimately valid (a flag alone or twice) ends with 0, 1
#     or 2 (here: 2, since the target 127.0.0.1:1 refuses), never above 2;
#   - the cases issue reports named: dump --rangex and --flagsx (once a SIGSEGV),
#     check --kind LIST in both tools.
. "$(dirname "$0")/../lib.sh"

TARGET=127.0.0.1:1   # nothing listens there: a connection is refused at once
unset PTDBG_TARGET

# run TOOL ARGS...: run it against TARGET; sets RC, ERR (stderr), LINES (its lines).
run() {
	RC=0
	timeout 5 "$@" >"$TMP/out" 2>"$TMP/err" </dev/null || RC=$?
	ERR=$(cat "$TMP/err")
	LINES=$(grep -c . "$TMP/err")
}

# commands TOOL: the commands `TOOL --help` lists.
commands() { "$1" --help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p'; }
# options TOOL CMD: the long and short options `TOOL CMD --help` lists.
options() {
	local help
	help=$("$1" "$2" --help)
	{ grep -oE -- '--[a-z][a-z0-9-]+' <<<"$help"; grep -oE -- '(^|[ ,;])-[a-z]([ ,]|$)' <<<"$help" |
		grep -oE -- '-[a-z]'; } | sort -u
}

# A misuse: status 2, one line naming WHAT, pointing at --help, no connection tried.
is_misuse() { # WHAT
	[ "$RC" = 2 ] && [ "$LINES" = 1 ] && grep -qF -- "$1" <<<"$ERR" &&
		grep -qF -- "--help')" <<<"$ERR" && ! grep -q 'cannot connect' <<<"$ERR"
}

for tool in "$PTDUMP" "$IOMMUDUMP"; do
	name=$(basename "$tool")
	cmds=$(commands "$tool")
	check_eq "$name --help lists commands" "yes" "$([ "$(wc -w <<<"$cmds")" -ge 8 ] && echo yes)"
	for cmd in $cmds; do
		opts=$(options "$tool" "$cmd")
		bad_x=() bad_eq=() bad_alone=() bad_twice=() n=0
		for opt in $opts; do
			n=$((n + 1))
			# misspelled: an extension of a real option is unknown
			run "$tool" -t "$TARGET" "$cmd" "${opt}x"
			is_misuse "unknown option '${opt}x'" || bad_x+=("${opt}x: status $RC: $ERR")
			# cut short: an empty value, or a value given to a flag (short options
			# stand alone, so '-t=' is unknown)
			run "$tool" -t "$TARGET" "$cmd" "${opt}="
			if [ "${opt:1:1}" = - ]; then
				is_misuse "option '$opt'" || bad_eq+=("${opt}=: status $RC: $ERR")
			else
				is_misuse "unknown option '${opt}='" || bad_eq+=("${opt}=: status $RC: $ERR")
			fi
			# alone: a missing value is a misuse; a flag is valid (status 0, 1 or 2)
			run "$tool" -t "$TARGET" "$cmd" "$opt"
			if grep -q 'needs a value' <<<"$ERR"; then
				is_misuse "option '$opt' needs a value" || bad_alone+=("$opt: status $RC: $ERR")
				value=1
			else
				[ "$RC" -le 2 ] && [ "$LINES" -le 1 ] || bad_alone+=("$opt: status $RC: $ERR")
				value=0
			fi
			# repeated: twice with a value is a misuse (given twice, or the value is
			# refused first); a flag twice is valid
			if [ "$value" = 1 ]; then
				[ "$opt" = -t ] || [ "$opt" = --target ] && extra=() || extra=(-t "$TARGET")
				run "$tool" "${extra[@]}" "$cmd" "$opt" 1 "$opt" 1
				is_misuse "option '$opt'" || bad_twice+=("$opt 1 $opt 1: status $RC: $ERR")
			else
				run "$tool" -t "$TARGET" "$cmd" "$opt" "$opt"
				[ "$RC" -le 2 ] && [ "$LINES" -le 1 ] || bad_twice+=("$opt $opt: status $RC: $ERR")
			fi
		done
		label="$name $cmd ($n options)"
		[ "$n" -gt 0 ] || not_ok "$label: --help lists options"
		[ ${#bad_x[@]} -eq 0 ] && ok "$label: OPTx is an unknown option" ||
			not_ok "$label: OPTx is an unknown option" "${bad_x[@]}"
		[ ${#bad_eq[@]} -eq 0 ] && ok "$label: OPT= is refused" ||
			not_ok "$label: OPT= is refused" "${bad_eq[@]}"
		[ ${#bad_alone[@]} -eq 0 ] && ok "$label: OPT alone: a missing value, or a valid flag" ||
			not_ok "$label: OPT alone: a missing value, or a valid flag" "${bad_alone[@]}"
		[ ${#bad_twice[@]} -eq 0 ] && ok "$label: OPT twice" ||
			not_ok "$label: OPT twice" "${bad_twice[@]}"
	done
done

# ---- the cases the issues named ----
run "$PTDUMP" -t "$TARGET" dump --rangex
is_misuse "unknown option '--rangex'" && ok "ptdump dump --rangex: status 2, one line" ||
	not_ok "ptdump dump --rangex: status 2, one line" "status $RC: $ERR"
run "$PTDUMP" -t "$TARGET" dump --flagsx
is_misuse "unknown option '--flagsx'" && ok "ptdump dump --flagsx: status 2, one line" ||
	not_ok "ptdump dump --flagsx: status 2, one line" "status $RC: $ERR"
for t in "$PTDUMP wx,user-kernel" "$IOMMUDUMP fpd-set,reserved-bits"; do
	set -- $t
	for form in "--kind $2" "--kind=$2"; do
		# shellcheck disable=SC2086
		run "$1" -t "$TARGET" check $form
		check_grep "$(basename "$1") check $form: accepted (the target is tried)" 'cannot connect' "$TMP/err"
	done
	run "$1" -t "$TARGET" check --kind "$2,no-such-kind"
	is_misuse "no finding kind 'no-such-kind'" && ok "$(basename "$1") check --kind with an unknown kind: a misuse" ||
		not_ok "$(basename "$1") check --kind with an unknown kind: a misuse" "status $RC: $ERR"
done

# ---- the forms: --opt=value and --opt value, options before and after the command ----
for args in "--timeout=1 dump --user" "--timeout 1 dump --user" "dump --timeout 1 --user" "--user" \
	"dump --as=alpha --range=0-1M" "walk 0x1000 --cr3 0x1000" "walk --cr3=0x1000 0x1000"; do
	# shellcheck disable=SC2086
	run "$PTDUMP" -t "$TARGET" $args
	check_grep "ptdump $args: parsed (the target is tried)" 'cannot connect' "$TMP/err"
done
# a command's own option with its value before the command word
run "$PTDUMP" -t "$TARGET" --as alpha map
is_misuse "where to?" && ok "ptdump --as NAME map: the command is map (it asks for -o)" ||
	not_ok "ptdump --as NAME map: the command is map (it asks for -o)" "status $RC: $ERR"
for args in "--as alpha map -o $TMP/m.svg" "--as=alpha map -o $TMP/m.svg" "--cr3 0x1000 search x" "--all-spaces dump"; do
	# shellcheck disable=SC2086
	run "$PTDUMP" -t "$TARGET" $args
	check_grep "ptdump $args: parsed (the target is tried)" 'cannot connect' "$TMP/err"
done
run "$IOMMUDUMP" --drhd 0xfed90000 -t "$TARGET" walk 00:01.0 0x1000 --write --pasid=0
check_grep "iommudump --drhd ADDR ... walk BDF IOVA --write --pasid=0: parsed" 'cannot connect' "$TMP/err"
run "$PTDUMP" -t "$TARGET" --rang 0-1 dump
is_misuse "unknown option '--rang'" && ok "an abbreviated option is unknown (before the command)" ||
	not_ok "an abbreviated option is unknown (before the command)" "status $RC: $ERR"
check_status "--help=x: status 2" 2 "$PTDUMP" -t "$TARGET" --help=x
check_status "dump --help: status 0" 0 "$PTDUMP" -t "$TARGET" dump --help
check_status "--version: status 0" 0 "$IOMMUDUMP" --version
run "$PTDUMP" -t "$TARGET" diff -- --accessed-dirty
check_grep "after --, an option is an argument (a snapshot file here)" 'cannot open --accessed-dirty' "$TMP/err"

# ---- the sweep as the project's stop hook runs it: every status <= 2 ----
worst=0 bad=()
for tool in "$PTDUMP" "$IOMMUDUMP"; do
	for cmd in $("$tool" --help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p'); do
		for opt in $("$tool" "$cmd" --help | grep -oE -- '--[a-z][a-z0-9-]+'); do
			for arg in "${opt}x" "${opt}=" "$opt"; do
				rc=0
				timeout 5 "$tool" -t "$TARGET" "$cmd" "$arg" >/dev/null 2>&1 </dev/null || rc=$?
				[ "$rc" -gt "$worst" ] && worst=$rc
				[ "$rc" -gt 2 ] && bad+=("$(basename "$tool") -t $TARGET $cmd $arg: status $rc")
			done
		done
	done
done
[ ${#bad[@]} -eq 0 ] && ok "sweep: every status <= 2 (worst $worst)" || not_ok "sweep: every status <= 2" "${bad[@]}"
