/* Names within PostgreSQL's limit.  The server keeps only the first 63
 * bytes (NAMEDATALEN - 1) of a name, cut between characters, and says so
 * only in a NOTICE: two long names that share those bytes become one, so a
 * second index would silently be the first one (or fail as "already
 * exists").  Names the sink makes up (indexes, the new table of mode
 * replace) go through pg_name_fit(); names the pipeline chooses (schema,
 * table, columns) are refused when too long (pg_sink.c).  No dependency on
 * the host or libpq: pg_names_test.c tests this file on its own. */
#ifndef HZ_PG_NAMES_H
#define HZ_PG_NAMES_H
#include <stddef.h>
#include <stdint.h>

/* The longest name PostgreSQL keeps whole, in bytes. */
#define PG_NAME_MAX 63
/* Hex digits of the hash that ends a shortened name. */
#define PG_NAME_HASH_DIGITS 8

/* Bytes of `name` the server keeps: all of it up to PG_NAME_MAX bytes,
 * else the longest prefix of at most PG_NAME_MAX bytes that ends between
 * UTF-8 characters (as the server cuts a name in a UTF8 database). */
size_t pg_name_kept(const char *name);

/* 64-bit FNV-1a of `name` (offset basis 0xcbf29ce484222325, prime
 * 0x100000001b3). */
uint64_t pg_name_hash(const char *name);

/* Fit a made-up name, in place, to PG_NAME_MAX bytes: left unchanged when
 * it has at most PG_NAME_MAX bytes (databases made by earlier versions
 * keep their index names); else cut to its first bytes, between UTF-8
 * characters, followed by '_' and PG_NAME_HASH_DIGITS lowercase hex digits
 * of pg_name_hash() of the whole name, at most PG_NAME_MAX bytes in all.
 * Two long names sharing their first bytes so end differently, unless
 * their hashes agree in those 32 bits (the sink checks its own names for
 * that).  Returns `name`. */
char *pg_name_fit(char *name);
#endif
