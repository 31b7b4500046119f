/* SQL text with quoted names, and statements run on the sink's connection
 * with the server's message reported on failure. */
#ifndef HZ_PG_SQL_H
#define HZ_PG_SQL_H
#include "pg_sink.h"

/* PostgreSQL's name of a column type: text, bigint, double precision, date. */
const char *pg_type(sql_type t);
/* printf-like: %I takes a name and quotes it ("a""b"), %s takes text as is. */
char *pg_sql_text(const char *fmt, ...);
/* The sink's columns: "a", "b", ... (each followed by its type when `typed`). */
char *pg_column_list(const pg_sink *s, bool typed);
/* Fail the run: `what`, then the server's (or libpq's) message on one line. */
void pg_report(pg_sink *s, const char *what, const PGresult *res);
/* Run a statement returning no rows, or rows that are not wanted (frees
 * `sql`); 0, or -1 after reporting. */
int pg_exec(pg_sink *s, char *sql, const char *what);
/* Run a statement with text parameters that returns rows (frees `sql`): its
 * result, or NULL after reporting.  PQclear() it. */
PGresult *pg_query(pg_sink *s, char *sql, int nparams, const char *const *params, const char *what);
/* The first column of the first row of a query with at most one parameter,
 * copied; NULL with *failed false when there is no row (or a NULL). */
char *pg_query_value(pg_sink *s, const char *sql, const char *param, bool *failed);
#endif
