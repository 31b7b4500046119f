/* Column types of the SQL sinks (sqlite, postgresql): declared with the
 * `types` option or inferred from the column name, and checked row by
 * row, since a typed column is a contract with whoever queries it.
 *
 * Shared source: compiled into both plugins (each links nothing from the
 * other), which is why it takes the host table as an argument. */
#ifndef HZ_SQL_TYPES_H
#define HZ_SQL_TYPES_H
#include <stdbool.h>
#include <stdint.h>

#include <harmonize/plugin.h>

typedef enum sql_type { SQL_TEXT, SQL_INTEGER, SQL_REAL, SQL_DATE } sql_type;

/* "TEXT", "INTEGER", "REAL", "DATE". */
const char *sql_type_name(sql_type t);

/* The type a column gets when `types` does not name it:
 *   INTEGER  year, age, n, count and any name ending in _count;
 *   REAL     share, percent, pct and names ending in _share, _percent, _pct;
 *   TEXT     everything else (dates too: declare DATE to check them).
 * Names compare without regard to ASCII case. */
sql_type sql_type_infer(const char *column);

/* One type per column of `in` into types[] (schema_count entries): the
 * `types` option (a map column -> TEXT|INTEGER|REAL|DATE, any case), else
 * inferred; declared[i] says which.  Unknown columns and types are
 * reported at their place in the pipeline; returns 0 or -1. */
int sql_types_plan(hz_component *c, const hz_schema *in, sql_type *types, bool *declared);

/* NULL if the non-empty value `p[0..n)` fits type t, else why not (a
 * phrase such as "is not a whole number").  INTEGER: optional sign, digits,
 * within 64 bits (stored in *as_int).  REAL: a decimal number, optional
 * exponent (no inf or nan).  DATE: YYYY-MM-DD, a real calendar day. */
const char *sql_value_check(sql_type t, const char *p, size_t n, int64_t *as_int);

/* Fail the run for a value that does not fit its column, naming the feed
 * and line the row came from. */
void sql_value_error(hz_component *c, const hz_batch *b, size_t row, const char *column, sql_type t,
                     bool declared, const hz_field *f, const char *why);

/* The index columns: names ending in _iso3 (country codes, the usual
 * filter and join key). */
int sql_is_index_column(const char *column);
#endif
