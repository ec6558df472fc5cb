/* SPDX-License-Identifier: MIT */
/* The callback target: every operation is a host-supplied function; see callback.h. */
#include "target/callback.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The registers the library uses, by their names in QEMU's target description. */

struct ptdbg_text {
	char *text;
	size_t len;
};

int ptdbg_callback_set_reg(struct ptdbg_regs *regs, const char *name, uint64_t value)
{
	for (size_t i = 0; i < PTDBG_NREGS; i++) {
		if (strcmp(ptdbg_reg_table[i].name, name))
			continue;
		char *field = (char *)regs + ptdbg_reg_table[i].off;
		if (ptdbg_reg_table[i].is32) {
			uint32_t v = (uint32_t)value;
			memcpy(field, &v, sizeof(v));
		} else {
			memcpy(field, &value, sizeof(value));
		}
		regs->valid |= ptdbg_reg_table[i].bit;
		return 0;
	}
	return -1;
}

int ptdbg_callback_set_text(struct ptdbg_text *out, const char *text, size_t len)
{
	char *copy = malloc(len + 1);
	if (!copy)
		return -1;
	memcpy(copy, text, len);
	copy[len] = 0;
	free(out->text);
	out->text = copy;
	out->len = len;
	return 0;
}

static struct ptdbg_callbacks *cbs(struct ptdbg_target *t)
{
	return t->priv;
}

/* read_phys: the host's read; counts what it delivered. */
static int cb_read_phys(struct ptdbg_target *t, uint64_t pa, void *buf, size_t len)
{
	int rc = cbs(t)->read_phys(cbs(t)->ctx, pa, buf, len);
	if (rc == 0) {
		t->stats.bytes_read += len;
		t->stats.reads++;
		return 0;
	}
	if (rc == PTDBG_EIO)
		return ptdbg_target_fail(t, rc, "cannot read guest physical memory at 0x%llx+0x%zx",
					 (unsigned long long)pa, len);
	return ptdbg_target_fail(t, rc < 0 ? rc : PTDBG_ELINK,
				 "the debugger failed to read guest physical memory at 0x%llx", (unsigned long long)pa);
}

/* read_phys_batch: the host's batch, or one read_phys per range. */
static int cb_read_phys_batch(struct ptdbg_target *t, struct ptdbg_io *ios, size_t n)
{
	if (!cbs(t)->read_phys_batch) {
		for (size_t i = 0; i < n; i++) {
			ios[i].err = cb_read_phys(t, ios[i].pa, ios[i].buf, ios[i].len);
			if (ios[i].err && ios[i].err != PTDBG_EIO)
				return ios[i].err;
		}
		return 0;
	}
	int rc = cbs(t)->read_phys_batch(cbs(t)->ctx, ios, n);
	if (rc)
		return ptdbg_target_fail(t, rc < 0 ? rc : PTDBG_ELINK,
					 "the debugger failed to read guest physical memory");
	for (size_t i = 0; i < n; i++) {
		if (ios[i].err == 0) {
			t->stats.bytes_read += ios[i].len;
			t->stats.reads++;
		}
	}
	return 0;
}

/* read_regs: zeroed registers filled by the host. */
static int cb_read_regs(struct ptdbg_target *t, struct ptdbg_regs *regs)
{
	memset(regs, 0, sizeof(*regs));
	if (!cbs(t)->read_regs)
		return ptdbg_target_fail(t, PTDBG_ENOTSUP, "the debugger gives no registers");
	int rc = cbs(t)->read_regs(cbs(t)->ctx, regs);
	if (rc)
		return ptdbg_target_fail(t, rc < 0 ? rc : PTDBG_ELINK, "the debugger cannot read the registers");
	return 0;
}

/* monitor: the host's monitor; the reply becomes a malloc'd string. */
static int cb_monitor(struct ptdbg_target *t, const char *cmd, char **out)
{
	if (!cbs(t)->monitor)
		return ptdbg_target_fail(t, PTDBG_ENOTSUP, "the debugger gives no monitor");
	struct ptdbg_text text = { NULL, 0 };
	int rc = cbs(t)->monitor(cbs(t)->ctx, cmd, &text);
	if (rc) {
		free(text.text);
		return ptdbg_target_fail(t, rc < 0 ? rc : PTDBG_ELINK, "monitor command '%s' failed", cmd);
	}
	*out = text.text ? text.text : strdup("");
	return *out ? 0 : PTDBG_ENOMEM;
}

static void cb_close(struct ptdbg_target *t)
{
	free(t->priv);
	free(t);
}

static const struct ptdbg_target_ops callback_ops = {
	.name = "callback",
	.read_phys = cb_read_phys,
	.read_phys_batch = cb_read_phys_batch,
	.read_regs = cb_read_regs,
	.monitor = cb_monitor,
	.close = cb_close,
};

struct ptdbg_target *ptdbg_callback_open(const struct ptdbg_callbacks *cb)
{
	if (!cb || !cb->read_phys)
		return NULL;
	struct ptdbg_target *t = calloc(1, sizeof(*t));
	struct ptdbg_callbacks *copy = malloc(sizeof(*copy));
	if (!t || !copy) {
		free(t);
		free(copy);
		return NULL;
	}
	*copy = *cb;
	t->ops = &callback_ops;
	t->priv = copy;
	return t;
}
