/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the gdbstub backend (gdbstub.c) above the packet layer: the
 * handshake (qSupported, PhyMemMode), the target description and its includes,
 * register replies, pipelined memory reads with their retries, monitor output,
 * and the restore on close.
 *
 * Input: everything the stub sends, as one byte stream. A thread plays the stub on a
 * unix socket: it accepts the tool's connection, writes the input, closes its
 * sending side and reads whatever the tool sends until it hangs up. The tool must
 * end every operation with a result or a clear error, and never crash.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fuzz_input.h"
#include "target/target.h"

static int listen_fd = -1;
static char sock_path[108];

struct stub_job {
	const uint8_t *data;
	size_t size;
};

/* The stub: send the input, then drain until the client closes. */
static void *stub(void *arg)
{
	const struct stub_job *j = arg;
	int c = accept(listen_fd, NULL, NULL);
	char buf[4096];

	if (c < 0)
		return NULL;
	for (size_t off = 0; off < j->size;) {
		ssize_t w = send(c, j->data + off, j->size - off, MSG_NOSIGNAL);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	shutdown(c, SHUT_WR);
	while (read(c, buf, sizeof(buf)) > 0)
		;
	close(c);
	return NULL;
}

static void remove_socket(void)
{
	unlink(sock_path);
}

/* Listen on a fresh unix socket (once per process; removed at exit). */
static void setup(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	snprintf(sock_path, sizeof(sock_path), "/tmp/ptdbg-fuzz-gdbstub.%d", (int)getpid());
	unlink(sock_path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(listen_fd, 4) != 0)
		abort();
	atexit(remove_socket);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stub_job job = { data, size };
	struct ptdbg_target_opts o = { .timeout_s = 0.2 };
	char spec[128], err[256];
	pthread_t th;

	if (listen_fd < 0)
		setup();
	snprintf(spec, sizeof(spec), "unix:%s", sock_path);
	o.spec = spec;
	if (pthread_create(&th, NULL, stub, &job) != 0)
		abort();

	struct ptdbg_target *t = ptdbg_gdbstub_open(&o, err, sizeof(err));
	if (t) {
		struct ptdbg_regs regs;
		uint8_t buf[3 * 4096];
		struct ptdbg_io ios[3] = {
			{ .pa = 0x1000, .len = 4096, .buf = buf },
			{ .pa = 0x2ff8, .len = 16, .buf = buf + 4096 },
			{ .pa = 0, .len = 4096, .buf = buf + 8192 },
		};
		char *out = NULL;

		ptdbg_read_regs(t, &regs);
		ptdbg_read_phys_batch(t, ios, 3);
		ptdbg_read_phys(t, 0x100000, buf, 100);
		if (ptdbg_monitor(t, "info status", &out) == 0)
			free(out);
		ptdbg_target_resume(t);
		ptdbg_target_close(t);
	}
	pthread_join(th, NULL);
	return 0;
}
