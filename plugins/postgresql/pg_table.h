/* What the server already has: the table's schema, the objects depending
 * on it, its columns. */
#ifndef HZ_PG_TABLE_H
#define HZ_PG_TABLE_H
#include "pg_sink.h"

/* Without a schema in `table`: the schema of the existing table the name
 * resolves to through search_path, else current_schema(). */
int pg_resolve_schema(pg_sink *s);
/* Fail (before anything is read) when views or foreign keys depend on the
 * table, which mode replace would drop. */
int pg_check_dependents(pg_sink *s);
/* Whether s->final exists: 1 yes, 0 no, -1 after reporting. */
int pg_table_exists(pg_sink *s);
/* An existing table's columns against the sink's: every column the sink
 * writes must be there; when `exact`, with the sink's type, and no other
 * column.  An absent table passes.  0, or -1 after naming the table and
 * every differing column. */
int pg_check_columns(pg_sink *s, bool exact);
/* Whether s->final has an index named `index` (in its schema) on column
 * `column` alone: 1 yes, 0 no, -1 after reporting. */
int pg_column_has_index(pg_sink *s, const char *index, const char *column);
#endif
