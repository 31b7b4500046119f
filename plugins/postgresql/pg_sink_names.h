/* The names this sink gives things in PostgreSQL, and the check, in plan()
 * (so `harmonize validate` reports it, before any connection), that each
 * stays itself under the server's 63-byte limit (see pg_names.h). */
#ifndef HZ_PG_SINK_NAMES_H
#define HZ_PG_SINK_NAMES_H
#include <stdbool.h>

#include "pg_sink.h"

/* Whether column `j` gets an index: country codes (names ending in _iso3,
 * the usual filter and join key) and, with mode replace_partition, the
 * partition column (later runs' DELETE finds a partition's rows by it). */
bool pg_is_indexed(const pg_sink *s, size_t j);
/* The name of column j's index: <table>_<column>_idx, fitted with
 * pg_name_fit() when longer than 63 bytes. */
char *pg_index_name(const pg_sink *s, size_t j);
/* The same, unfitted: what earlier versions asked for (and the server cut
 * to its first 63 bytes). */
char *pg_index_name_unfitted(const pg_sink *s, size_t j);
/* Columns the server would cut: a name over 63 bytes, or two names the
 * same in their first 63 bytes, is a configuration error naming the
 * column(s), at the column's place in the pipeline (its partition_by or
 * types entry, else the sink).  0 or -1. */
int pg_check_column_names(pg_sink *s);
/* No two names this sink creates in the table's schema (the table, its
 * indexes) are equal once fitted: they could only be through equal
 * hashes, but then one index would silently be missing.  0 or -1 after a
 * configuration error naming both. */
int pg_check_index_names(pg_sink *s);
#endif
