# scripts/ports.sh: choosing TCP ports for QEMU's gdbstub, sourced by scripts/vm,
# gdb-scripts/triage, tests/lib.sh and tests/bench/run.
#
# A port is asked of the kernel (ss), not probed by connecting: a connection to
# another VM's gdbstub stops that VM. It counts as taken when any TCP socket here has
# it as its local port, a listener's or a connection's: QEMU cannot bind it then.
# Ports are chosen below ephemeral_low, where the kernel never puts the local port
# of an outgoing connection between the check and QEMU's bind.

# port_in_use PORT: some TCP socket here has PORT as its local port.
port_in_use() {
	if command -v ss >/dev/null; then ss -Htan "sport = :$1" 2>/dev/null | grep -q .
	else (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; fi
}

# ephemeral_low: the first local port the kernel gives outgoing connections
# (ip_local_port_range; 32768 when it cannot be read).
ephemeral_low() {
	local lo
	lo=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
	[[ "$lo" =~ ^[0-9]+$ ]] && [ "$lo" -gt 15000 ] || lo=32768
	echo "$lo"
}

# random_free_port: a port in [10000, ephemeral_low) that nothing uses now.
random_free_port() {
	local p lo
	lo=$(ephemeral_low)
	while :; do
		p=$((10000 + RANDOM % (lo - 10000)))
		port_in_use "$p" || { echo "$p"; return; }
	done
}
