/* The few string and memory functions the freestanding kernel needs. */
#ifndef KERNEL_LIB_STRING_H
#define KERNEL_LIB_STRING_H

#include <stddef.h>

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
/* Length of s, at most n (s need not be terminated within n bytes). */
size_t strnlen_k(const char *s, size_t n);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
/* Copy at most n-1 bytes and always NUL-terminate (n > 0). */
void strlcpy_k(char *d, const char *s, size_t n);

#endif
