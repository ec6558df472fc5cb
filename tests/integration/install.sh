#!/usr/bin/env bash
# make install and make uninstall: into a DESTDIR (every file where it belongs), and
# into a PREFIX where the installed tools, man pages, gdb module and bash completion
# are used as a user would use them. No VM.
. "$(dirname "$0")/../lib.sh"

TMPD=$(mktemp -d)
trap 'rm -rf "$TMPD"' EXIT
dest=$TMPD/dest
check "make install DESTDIR=... PREFIX=/usr" \
	make -s --no-print-directory -C "$TOP" install DESTDIR="$dest" PREFIX=/usr
for f in bin/ptdump bin/iommudump share/man/man1/ptdump.1 share/man/man1/iommudump.1 \
	share/ptdbg/kernel.elf share/ptdbg/ptdbg.gdb share/ptdbg/gdb/ptdbg.py \
	lib/ptdbg/libptdbg-gdb.so share/bash-completion/completions/ptdump \
	share/bash-completion/completions/iommudump; do
	check "installed: /usr/$f" test -s "$dest/usr/$f"
done
[ -f "$BUILD/kernel-aarch64.elf" ] &&
	check "installed: /usr/share/ptdbg/kernel-aarch64.elf" test -s "$dest/usr/share/ptdbg/kernel-aarch64.elf"
check "the tools are executable" test -x "$dest/usr/bin/ptdump" -a -x "$dest/usr/bin/iommudump"
check_grep "the gdb script names the installed library, not the DESTDIR" \
	'/usr/lib/ptdbg/libptdbg-gdb.so' "$dest/usr/share/ptdbg/ptdbg.gdb"
check "make uninstall DESTDIR=... removes it all" \
	make -s --no-print-directory -C "$TOP" uninstall DESTDIR="$dest" PREFIX=/usr
check_eq "nothing is left after uninstall" 0 "$(find "$dest" -type f | wc -l)"

# a prefix of its own, used as installed
pre=$TMPD/prefix
make -s --no-print-directory -C "$TOP" install PREFIX="$pre" >/dev/null
check_grep "installed ptdump runs" '^Usage: ptdump' <("$pre/bin/ptdump" --help)
check_grep "installed iommudump runs" '^Usage: iommudump' <("$pre/bin/iommudump" --help)
if command -v man >/dev/null; then
	check_grep "man finds the installed page" 'ptdump' \
		<(MANPATH="$pre/share/man" man -P cat ptdump 2>/dev/null)
fi
src=$(sed -n 's/^(gdb) source \/usr\/local\(\/share\/ptdbg\/ptdbg.gdb\)$/\1/p' "$TOP/docs/ptdump.1")
check_eq "the man page gives the one source line for gdb" "/share/ptdbg/ptdbg.gdb" "$src"
check_grep "gdb loads the installed module with that line" '^Page tables of the guest' \
	<(gdb -nx -batch -ex "source $pre$src" -ex 'help pt' 2>&1)

# bash completion, as bash calls it
comp() { # comp WORD... : what completing the last word offers
	bash -c 'source "$1"; shift; PATH="$PRE/bin:$PATH"; COMP_WORDS=("$@");
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _ptdbg; printf "%s\n" "${COMPREPLY[@]}"' \
		_ "$pre/share/bash-completion/completions/ptdump" "$@"
}
export PRE=$pre
check_eq "completion: commands" "walk" "$(comp ptdump wa)"
check_grep "completion: a command's options" '^--write$' <(comp ptdump walk --w)
check_grep "completion: iommudump's commands" '^ctx$' <(comp iommudump c)
check_eq "completion: symbols of -k" "scenario_ready" \
	"$(comp ptdump -k "$KERNEL" walk scenario_rea)"
make -s --no-print-directory -C "$TOP" uninstall PREFIX="$pre" >/dev/null
check_eq "uninstall from the prefix leaves nothing" 0 "$(find "$pre" -type f | wc -l)"
