# bash completion for ptdump and iommudump.
#
# Commands and options come from the tools' own --help, so they stay in step with
# the tools; with -k VMLINUX (or KERNEL.elf) on the line, addresses complete to the
# ELF's symbols, with --system-map FILE to that System.map's. Installed by `make install` as
# $(PREFIX)/share/bash-completion/completions/{ptdump,iommudump}.

# _ptdbg_cmds TOOL: the tool's commands ("  NAME ..." lines of TOOL --help).
_ptdbg_cmds() {
	"$1" --help 2>&1 | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' | sort -u
}

# _ptdbg_opts TOOL [CMD]: the long and short options its --help names.
_ptdbg_opts() {
	"$@" --help 2>&1 | grep -oE -- '(^|[ ,[])--?[a-zA-Z][a-zA-Z0-9-]*' |
		sed 's/^[ ,[]//' | sort -u
}

_ptdbg() {
	local cur prev tool cmd="" kernel="" sysmap="" i w
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	tool=${COMP_WORDS[0]}
	local cmds
	cmds=$(_ptdbg_cmds "$tool")
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		-k|--elf) kernel=${COMP_WORDS[i+1]}; i=$((i + 1)); continue ;;
		--system-map) sysmap=${COMP_WORDS[i+1]}; i=$((i + 1)); continue ;;
		-t|--target|-c|--core|--region|--timeout|--pat|--maxphyaddr) i=$((i + 1)); continue ;;
		esac
		if [ -z "$cmd" ] && grep -qx -- "$w" <<<"$cmds"; then cmd=$w; fi
	done
	case $prev in
	-k|--elf|-c|--core|--system-map)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	-t|--target)
		COMPREPLY=($(compgen -W "127.0.0.1:1234 unix:" -- "$cur")); return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_ptdbg_opts "$tool" $cmd)" -- "$cur"))
		return
	fi
	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$cmds" -- "$cur"))
		return
	fi
	# an address: the kernel's symbols, when -k names a readable ELF
	if [ -n "$kernel" ] && [ -r "$kernel" ] && [ -n "$cur" ] && [[ $cur != 0x* ]]; then
		COMPREPLY=($(compgen -W "$(nm --defined-only "$kernel" 2>/dev/null |
			awk '$2 ~ /[tTdDbBrR]/ {print $3}' | grep -- "^$cur" | head -500)" -- "$cur"))
		return
	fi
	if [ -n "$sysmap" ] && [ -r "$sysmap" ] && [ -n "$cur" ] && [[ $cur != 0x* ]]; then
		COMPREPLY=($(compgen -W "$(awk '$2 ~ /[tTdDbBrR]/ {print $3}' "$sysmap" |
			grep -- "^$cur" | head -500)" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -F _ptdbg ptdump iommudump
