/* System-call dispatch (ABI in uapi/syscall.h). */
#include "debug/panic.h"
#include "drivers/serial.h"
#include "lib/errno.h"
#include "mm/uspace.h"
#include "proc/process.h"
#include "proc/syscall.h"
#include "uapi/syscall.h"

static int64_t sys_write(struct process *p, uint64_t fd, uint64_t buf, uint64_t len)
{
	if (fd != 1 && fd != 2)
		return -EINVAL;
	char chunk[256];
	for (uint64_t done = 0; done < len;) {
		uint64_t n = len - done < sizeof(chunk) ? len - done : sizeof(chunk);
		if (copy_from_user(&p->us, chunk, buf + done, n))
			return done ? (int64_t)done : -EFAULT;
		serial_write_n(chunk, n);
		done += n;
	}
	return (int64_t)len;
}

/* Run the system call in tf. */
void syscall_dispatch(struct trap_frame *tf)
{
	struct process *p = proc_current();
	KASSERT(p);
	int64_t r;
	switch (SYSCALL_NR(tf)) {
	case SYS_write:
		r = sys_write(p, SYSCALL_ARG(tf, 0), SYSCALL_ARG(tf, 1), SYSCALL_ARG(tf, 2));
		break;
	case SYS_exit:
		proc_exit_current((int)SYSCALL_ARG(tf, 0));
	case SYS_mmap:
		r = uspace_mmap(&p->us, SYSCALL_ARG(tf, 0), SYSCALL_ARG(tf, 1), (uint32_t)SYSCALL_ARG(tf, 2),
				(uint32_t)SYSCALL_ARG(tf, 3));
		break;
	case SYS_munmap:
		r = uspace_munmap(&p->us, SYSCALL_ARG(tf, 0), SYSCALL_ARG(tf, 1));
		break;
	case SYS_mprotect:
		r = uspace_mprotect(&p->us, SYSCALL_ARG(tf, 0), SYSCALL_ARG(tf, 1), (uint32_t)SYSCALL_ARG(tf, 2));
		break;
	case SYS_pause:
		proc_pause_current();
		r = 0;
		break;
	default:
		r = -ENOSYS;
		break;
	}
	SYSCALL_SET_RET(tf, r);
}
