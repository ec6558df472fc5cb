/* Kernel error numbers (returned negated), the Linux values. */
#ifndef KERNEL_LIB_ERRNO_H
#define KERNEL_LIB_ERRNO_H

#define ENOENT  2
#define ENOMEM  12
#define EACCES  13
#define EFAULT  14
#define EEXIST  17
#define EINVAL  22
#define ENOSYS  38

#endif
