/* SPDX-License-Identifier: MIT */
/*
 * Option tables: the one parser behind every command line of ptdump and iommudump,
 * their common options, and the gdb commands that run the same commands.
 *
 * A command lists its options in a table; the common options of the session and
 * of the program are tables too, and one call parses a command line against all
 * of them. The rules, the same for every command (the man pages say so too):
 *
 *   --name           a long option, spelled out in full: abbreviations are not
 *                    accepted (only command names may be abbreviated), so
 *                    "--rang" and "--rangex" are both unknown options
 *   --name=VALUE     a value in the same word, or
 *   --name VALUE     in the next word, whatever it looks like
 *   -x, -x VALUE     a short option stands alone (no "-xVALUE", no "-jv")
 *   --               every word after it is a positional argument
 *   -                a positional argument (by convention, standard input)
 *
 * Options and positional arguments may come in any order. A value may not be
 * empty ("--as=" is a missing value). An option that takes no value refuses one
 * ("--user=yes"). An option may be given once unless its entry says it repeats;
 * flags repeat harmlessly (twice means the same as once), options with a value
 * do not (which one would win?). Every misuse ends the parse with one message
 * that names the option as it was written.
 */
#ifndef PTDBG_OPTIONS_H
#define PTDBG_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One option. A table is an array ended by an entry whose name and short_name are
 * both 0 (PTDBG_OPT_END). */
struct ptdbg_opt {
	const char *name;       /* long name without the dashes ("range"); NULL: none */
	char short_name;        /* 'j' for -j; 0: none */
	bool value;             /* takes a value */
	bool repeat;            /* may be given more than once (flags always may) */
	/* Where it goes. Without a value: *flag = true, ++*count. With one: *str =
	 * the value. Then, either way, set(dst, value) if set is not NULL (value is
	 * NULL for a flag), which checks and converts it and returns NULL, or what the
	 * option takes ("a number from 32 to 52") for the message. */
	bool *flag;
	unsigned *count;
	const char **str;
	const char *(*set)(void *dst, const char *value);
	void *dst;
};

#define PTDBG_OPT_END { .name = NULL, .short_name = 0 }

/* How ptdbg_opts_parse() treats positional arguments. */
enum {
	/* After the first positional argument every word is one (a command line
	 * passed on, such as a monitor command). */
	PTDBG_OPTS_REST = 1u << 0,
};

/* The most entries ptdbg_opts_parse() handles over all its tables. */
#define PTDBG_OPTS_MAX 64

/*
 * Parse argv[1..argc) (argv[0] is the command's name) against tables (an array of
 * tables ended by NULL; an option is looked up in each in turn). Positional
 * arguments go to pos[0..maxpos) in order, their count to *npos. Returns 0, or -1
 * with one line (no prefix, no newline) in err: "unknown option '--rangex'",
 * "option '--range' needs a value", "option '--user' takes no value", "option
 * '--as' given twice", "option '--pat' takes a 64-bit number, not 'xyz'",
 * "unexpected argument 'B'" (more than maxpos positional arguments).
 */
int ptdbg_opts_parse(const struct ptdbg_opt *const *tables, int argc, char **argv, unsigned flags,
		     char **pos, int maxpos, int *npos, char *err, size_t errlen);

/* The entry of tables that the word arg (an option, "--name", "--name=V" or "-x")
 * names, or NULL. */
const struct ptdbg_opt *ptdbg_opts_find(const struct ptdbg_opt *const *tables, const char *arg);

/* Parse a plain unsigned number with 0x/0 prefixes and an optional K/M/G/T suffix.
 * Returns 0 or -1. */
int ptdbg_parse_u64(const char *s, uint64_t *out);

/* Handlers for set: any unsigned number with 0x/0 prefixes and K/M/G/T suffixes; the
 * same called a physical address; a positive one. dst is a uint64_t * for the
 * number, or NULL to check it only. */
const char *ptdbg_opt_u64(void *dst, const char *value);
const char *ptdbg_opt_pa(void *dst, const char *value);
const char *ptdbg_opt_positive(void *dst, const char *value);

#endif /* PTDBG_OPTIONS_H */
