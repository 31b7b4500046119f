/* Statements on the sink's connection (see pg_sql.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pg_sql.h"

const char *pg_type(sql_type t) {
    switch (t) {
    case SQL_INTEGER: return "bigint";
    case SQL_REAL: return "double precision";
    case SQL_DATE: return "date";
    default: return "text";
    }
}

/* "name" with inner quotes doubled: safe in any SQL text. */
static void put_ident(hzs_buf *b, const char *name) {
    hzs_buf_addc(b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"') hzs_buf_addc(b, '"');
        hzs_buf_addc(b, *p);
    }
    hzs_buf_addc(b, '"');
}

char *pg_sql_text(const char *fmt, ...) {
    hzs_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    for (const char *p = fmt; *p; p++) {
        if (p[0] == '%' && p[1] == 'I') {
            put_ident(&b, va_arg(ap, const char *));
            p++;
        } else if (p[0] == '%' && p[1] == 's') {
            hzs_buf_adds(&b, va_arg(ap, const char *));
            p++;
        } else {
            hzs_buf_addc(&b, *p);
        }
    }
    va_end(ap);
    return hzs_buf_take(&b);
}

char *pg_column_list(const pg_sink *s, bool typed) {
    hzs_buf b = {0};
    for (size_t j = 0; j < s->ncols; j++) {
        if (j) hzs_buf_adds(&b, ", ");
        put_ident(&b, s->names[j]);
        if (typed) hzs_buf_printf(&b, " %s", pg_type(s->types[j]));
    }
    return hzs_buf_take(&b);
}

void pg_report(pg_sink *s, const char *what, const PGresult *res) {
    const char *msg = res ? PQresultErrorMessage(res) : NULL;
    /* No connection: PQconnectdb could not even allocate one. */
    if (!msg || !*msg) msg = s->conn ? PQerrorMessage(s->conn) : "libpq is out of memory";
    char *line = hz->xstrdup(msg);
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == ' ')) line[--n] = '\0';
    /* libpq's messages span lines ("\n\tIs the server running..."). */
    char *o = line;
    for (char *p = line; *p; p++) {
        bool space = *p == '\n' || *p == '\t' || *p == ' ';
        if (space && (o == line || o[-1] == ' ')) continue;
        *o++ = space ? ' ' : *p;
    }
    *o = '\0';
    hz->error(s->c, "%s: %s", what, line);
    free(line);
}

int pg_exec(pg_sink *s, char *sql, const char *what) {
    PGresult *res = PQexec(s->conn, sql);
    free(sql);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
    if (!ok) pg_report(s, what, res);
    PQclear(res);
    return ok ? 0 : -1;
}

PGresult *pg_query(pg_sink *s, char *sql, int nparams, const char *const *params, const char *what) {
    PGresult *res = PQexecParams(s->conn, sql, nparams, NULL, params, NULL, NULL, 0);
    free(sql);
    if (PQresultStatus(res) == PGRES_TUPLES_OK) return res;
    pg_report(s, what, res);
    PQclear(res);
    return NULL;
}

char *pg_query_value(pg_sink *s, const char *sql, const char *param, bool *failed) {
    PGresult *res = pg_query(s, hz->xstrdup(sql), param ? 1 : 0, &param, "cannot look up the table");
    char *value = NULL;
    *failed = res == NULL;
    if (res && PQntuples(res) > 0 && !PQgetisnull(res, 0, 0)) value = hz->xstrdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return value;
}
