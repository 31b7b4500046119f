/* The postgresql sink: rows loaded with COPY ... FROM STDIN (text format)
 * inside one transaction, visible to others only when the whole run
 * succeeded.
 *
 * replace: the rows go into a new table with a private name, created in
 * the transaction; prepare() builds its indexes; commit() drops the old
 * table, renames the new one and its indexes into place and COMMITs.  Readers keep querying the
 * old table during the whole run: the exclusive lock is taken only for
 * the swap at the end (TRUNCATE in the transaction would lock them out
 * for the whole run).  abort() rolls back: the old table never changed.
 * append: CREATE TABLE IF NOT EXISTS, then COPY, then COMMIT.
 *
 * One COPY per batch: the server checks each batch's rows as they come,
 * so a bad row fails the run while it reads (before any output is
 * published), not at commit time. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include <support/hzs_buf.h>
#include <support/hzs_str.h>

#include <support/hzs_sql.h>
#include "pg_copy.h"
#include "pg_plugin.h"

/* COPY data is sent in pieces of about this size. */
#define SEND_SIZE (256 * 1024)

/* PostgreSQL truncates identifiers longer than this. */
#define MAX_IDENTIFIER 63

typedef struct pg_sink {
    hz_component *c;
    const char *conninfo;
    char *schema; /* given as schema.table, or found at open() */
    char *table;  /* the bare table name */
    bool append;
    size_t ncols;
    const char **names;
    sql_type *types;
    bool *declared;

    PGconn *conn;
    char *final;    /* "schema"."table", quoted */
    char *target;   /* where COPY goes: the new table (replace) or final */
    char *new_name; /* the new table's bare name (replace) */
    char *copy_sql;
    hzs_buf buf; /* COPY data not sent yet */
} pg_sink;

static const hz_option sink_options[] = {
    {"connection", HZ_OPT_STRING, NULL, true,
     "libpq connection string or URI, e.g. ${HARMONIZE_PG:?set HARMONIZE_PG to a libpq connection string}",
     NULL},
    {"table", HZ_OPT_STRING, NULL, true,
     "the table to write: name or schema.name (default schema: where the table is, else current_schema())",
     NULL},
    {"mode", HZ_OPT_ENUM, "replace", false,
     "replace: a new table swapped in at commit; append: add rows (creating the table if absent)",
     "replace|append"},
    {"types", HZ_OPT_MAP, NULL, false,
     "column: TEXT|INTEGER|REAL|DATE (text, bigint, double precision, date); others typed by name as in "
     "the sqlite sink",
     NULL},
    {0},
};

static const char *pg_type(sql_type t) {
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

/* printf-like SQL building: %I in `fmt` takes a name to quote. */
static char *sql_text(const char *fmt, ...) {
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

/* The column list: "a", "b", ... (with types when `typed`). */
static char *column_list(const pg_sink *s, bool typed) {
    hzs_buf b = {0};
    for (size_t j = 0; j < s->ncols; j++) {
        if (j) hzs_buf_adds(&b, ", ");
        put_ident(&b, s->names[j]);
        if (typed) hzs_buf_printf(&b, " %s", pg_type(s->types[j]));
    }
    return hzs_buf_take(&b);
}

/* Fail the run with the server's (or libpq's) message, on one line. */
static void report(pg_sink *s, const char *what, const PGresult *res) {
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

/* Run a statement that returns no rows (frees `sql`); 0 or -1. */
static int exec(pg_sink *s, char *sql, const char *what) {
    PGresult *res = PQexec(s->conn, sql);
    free(sql);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
    if (!ok) report(s, what, res);
    PQclear(res);
    return ok ? 0 : -1;
}

/* The first column of the first row of a one-parameter query, copied;
 * NULL with *failed false when there is no row (or a NULL). */
static char *query_value(pg_sink *s, const char *sql, const char *param, bool *failed) {
    PGresult *res = PQexecParams(s->conn, sql, param ? 1 : 0, NULL, &param, NULL, NULL, 0);
    char *value = NULL;
    *failed = PQresultStatus(res) != PGRES_TUPLES_OK;
    if (*failed)
        report(s, "cannot look up the table", res);
    else if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
        value = hz->xstrdup(PQgetvalue(res, 0, 0));
    PQclear(res);
    return value;
}

static void ignore_notice(void *arg, const char *message) {
    (void)arg;
    (void)message; /* "table ... does not exist, skipping" and the like */
}

static int sink_create(hz_component *c, void **self) {
    pg_sink *s = hz->xcalloc(1, sizeof *s);
    *self = s;
    s->c = c;
    s->conninfo = hz->opt_string(c, "connection");
    s->append = !strcmp(hz->opt_string(c, "mode"), "append");
    const char *table = hz->opt_string(c, "table");
    const char *dot = table ? strchr(table, '.') : NULL;
    s->schema = dot ? hzs_strndup(table, (size_t)(dot - table)) : NULL;
    s->table = hz->xstrdup(dot ? dot + 1 : table ? table : "");
    if (!s->table[0] || (s->schema && !s->schema[0]) || strchr(s->table, '.')) {
        hz->config_error(c, hz->option(c, "table"), "'table' is a name or schema.name");
        return -1;
    }
    if (strlen(s->table) > MAX_IDENTIFIER) {
        hz->config_error(c, hz->option(c, "table"), "PostgreSQL names have at most %d bytes", MAX_IDENTIFIER);
        return -1;
    }
    return 0;
}

static int sink_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)out;
    pg_sink *s = self;
    s->ncols = hz->schema_count(in);
    size_t n = s->ncols ? s->ncols : 1;
    s->names = hz->xcalloc(n, sizeof *s->names);
    s->types = hz->xcalloc(n, sizeof *s->types);
    s->declared = hz->xcalloc(n, sizeof *s->declared);
    for (size_t j = 0; j < s->ncols; j++) s->names[j] = hz->schema_name(in, j);
    /* Two sinks of the pipeline on one table would replace each other:
     * the table is claimed under its connection (the same server reached
     * by two spellings of the connection is not seen). */
    char *claim = hz->xmalloc(strlen(s->conninfo) + strlen(hz->opt_string(c, "table")) + 16);
    sprintf(claim, "postgresql %s %s", s->conninfo, hz->opt_string(c, "table"));
    int claimed = hz->claim_output(c, NULL, claim, hz->option(c, "table"));
    free(claim);
    int rc = sql_types_plan(c, in, s->types, s->declared);
    return claimed != 0 ? -1 : rc;
}

static int connect_db(pg_sink *s) {
    s->conn = PQconnectdb(s->conninfo);
    if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
        /* libpq's message names host and port, never the password. */
        report(s, "cannot connect to PostgreSQL", NULL);
        return -1;
    }
    PQsetNoticeProcessor(s->conn, ignore_notice, NULL);
    if (PQsetClientEncoding(s->conn, "UTF8") != 0) {
        report(s, "cannot set the client encoding to UTF8", NULL);
        return -1;
    }
    return 0;
}

/* Without a schema in `table`: the schema of the existing table the name
 * resolves to through search_path, else current_schema() (where CREATE
 * would put it), so old and new table are in the same schema. */
static int resolve_schema(pg_sink *s) {
    if (s->schema) return 0;
    bool failed = false;
    char *quoted = sql_text("%I", s->table);
    s->schema = query_value(s,
                            "SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                            "ON n.oid = c.relnamespace WHERE c.oid = pg_catalog.to_regclass($1)",
                            quoted, &failed);
    free(quoted);
    if (failed) return -1;
    if (!s->schema) s->schema = query_value(s, "SELECT pg_catalog.current_schema()", NULL, &failed);
    if (failed) return -1;
    if (!s->schema) {
        hz->error(s->c, "no schema to create table '%s' in (search_path is empty): write schema.table",
                  s->table);
        return -1;
    }
    return 0;
}

/* replace drops the old table without CASCADE: say now, before reading
 * anything, if views or foreign keys depend on it, rather than fail at
 * commit time. */
static int check_dependents(pg_sink *s) {
    bool failed = false;
    char *list = query_value(
        s,
        "SELECT pg_catalog.string_agg(DISTINCT CASE WHEN d.classid = "
        "'pg_catalog.pg_rewrite'::pg_catalog.regclass "
        "THEN (SELECT 'view ' || r.ev_class::pg_catalog.regclass::text FROM pg_catalog.pg_rewrite r "
        "WHERE r.oid = d.objid) ELSE pg_catalog.pg_describe_object(d.classid, d.objid, 0) END, ', ') "
        "FROM pg_catalog.pg_depend d WHERE d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass "
        "AND d.refobjid = pg_catalog.to_regclass($1) AND d.deptype = 'n' "
        "AND NOT (d.classid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND EXISTS "
        "(SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.oid = d.objid AND k.conrelid = d.refobjid))",
        s->final, &failed);
    if (failed) return -1;
    if (!list) return 0;
    hz->error(s->c,
              "mode replace would drop table %s, but other objects depend on it (%s): drop them, or use "
              "mode: append",
              s->final, list);
    free(list);
    return -1;
}

/* A private name for the new table: _hz_new_<pid>_<table>, cut to the
 * identifier limit between UTF-8 characters. */
static char *new_table_name(const pg_sink *s) {
    char *name = hz->xmalloc(MAX_IDENTIFIER + 1);
    int n = snprintf(name, MAX_IDENTIFIER + 1, "_hz_new_%ld_%s", (long)getpid(), s->table);
    if (n > MAX_IDENTIFIER) {
        size_t k = MAX_IDENTIFIER;
        while (k > 0 && ((unsigned char)name[k] & 0xC0) == 0x80) k--;
        name[k] = '\0';
    }
    return name;
}

static int sink_open(hz_component *c, void *self) {
    (void)c;
    pg_sink *s = self;
    if (s->ncols == 0) {
        hz->error(s->c, "no columns to write into table '%s'", s->table);
        return -1;
    }
    if (connect_db(s) != 0) return -1;
    if (exec(s, hz->xstrdup("BEGIN"), "cannot start a transaction") != 0) return -1;
    if (resolve_schema(s) != 0) return -1;
    char *columns = column_list(s, true);
    s->final = sql_text("%I.%I", s->schema, s->table);
    int rc;
    if (s->append) {
        s->target = hz->xstrdup(s->final);
        rc = exec(s, sql_text("CREATE TABLE IF NOT EXISTS %s (%s)", s->final, columns),
                  "cannot create the table");
    } else {
        s->new_name = new_table_name(s);
        s->target = sql_text("%I.%I", s->schema, s->new_name);
        rc = check_dependents(s);
        if (rc == 0)
            rc = exec(s, sql_text("CREATE TABLE %s (%s)", s->target, columns), "cannot create the table");
    }
    free(columns);
    if (rc != 0) return -1;
    char *names = column_list(s, false);
    if (s->append) /* an existing table must have every column */
        rc = exec(s, sql_text("SELECT %s FROM %s WHERE false", names, s->target),
                  "cannot append to the table");
    if (rc == 0) s->copy_sql = sql_text("COPY %s (%s) FROM STDIN", s->target, names);
    free(names);
    return rc;
}

/* Check the typed fields of the whole batch before sending any of it. */
static int check_batch(pg_sink *s, const hz_batch *in) {
    for (size_t r = 0; r < in->nrows; r++) {
        const hz_field *row = in->fields + r * in->ncols;
        for (size_t j = 0; j < s->ncols; j++) {
            if (s->types[j] == SQL_TEXT || row[j].len == 0) continue;
            const char *why = sql_value_check(s->types[j], row[j].ptr, row[j].len, NULL);
            if (why) {
                sql_value_error(s->c, in, r, s->names[j], s->types[j], s->declared[j], &row[j], why);
                return -1;
            }
        }
    }
    return 0;
}

static int send_buffer(pg_sink *s) {
    if (s->buf.len == 0) return 0;
    if (PQputCopyData(s->conn, s->buf.data, (int)s->buf.len) != 1) return -1;
    s->buf.len = 0;
    return 0;
}

/* Finish a COPY: 0 if the server took every row. */
static int end_copy(pg_sink *s, const char *abort_reason) {
    int rc = PQputCopyEnd(s->conn, abort_reason) == 1 ? 0 : -1;
    PGresult *res;
    while ((res = PQgetResult(s->conn)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            if (!abort_reason && rc == 0) report(s, "the server refused the rows", res);
            rc = -1;
        }
        PQclear(res);
    }
    return rc;
}

static int sink_write(hz_component *c, void *self, const hz_batch *in) {
    (void)c;
    pg_sink *s = self;
    if (check_batch(s, in) != 0) return -1;
    PGresult *res = PQexec(s->conn, s->copy_sql);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        report(s, "cannot start COPY", res);
        PQclear(res);
        return -1;
    }
    PQclear(res);
    s->buf.len = 0;
    for (size_t r = 0; r < in->nrows; r++) {
        const hz_field *row = in->fields + r * in->ncols;
        for (size_t j = 0; j < s->ncols; j++) {
            /* empty TEXT stays ''; an empty number or date is NULL */
            bool null = row[j].len == 0 && s->types[j] != SQL_TEXT;
            pg_copy_field(&s->buf, j == 0, null, row[j].ptr, row[j].len);
        }
        pg_copy_end_row(&s->buf);
        if (s->buf.len >= SEND_SIZE && send_buffer(s) != 0) {
            report(s, "cannot send rows", NULL);
            end_copy(s, "send failed");
            return -1;
        }
    }
    if (send_buffer(s) != 0) {
        report(s, "cannot send rows", NULL);
        end_copy(s, "send failed");
        return -1;
    }
    return end_copy(s, NULL);
}

static void disconnect(pg_sink *s) {
    if (s->conn) PQfinish(s->conn);
    s->conn = NULL;
}

/* Country-code columns get an index (the usual filter and join key),
 * named <table>_<column>_idx. */
static char *index_name(const pg_sink *s, size_t j) {
    size_t n = strlen(s->table) + strlen(s->names[j]) + 6;
    char *index = hz->xmalloc(n);
    snprintf(index, n, "%s_%s_idx", s->table, s->names[j]);
    return index;
}

/* replace builds the indexes on the new table under private names (the old
 * table still holds the final ones until commit drops it). */
static char *private_index_name(size_t j) {
    char *index = hz->xmalloc(48);
    snprintf(index, 48, "_hz_new_%ld_idx%zu", (long)getpid(), j);
    return index;
}

static int create_indices(pg_sink *s) {
    for (size_t j = 0; j < s->ncols; j++) {
        if (!sql_is_index_column(s->names[j])) continue;
        char *index = s->append ? index_name(s, j) : private_index_name(j);
        int rc = exec(s, sql_text("CREATE INDEX IF NOT EXISTS %I ON %s (%I)", index, s->target, s->names[j]),
                      "cannot create an index");
        free(index);
        if (rc != 0) return -1;
    }
    return 0;
}

/* The new table's indexes under their final names, once the old table and
 * its indexes are gone. */
static int rename_indices(pg_sink *s) {
    for (size_t j = 0; j < s->ncols; j++) {
        if (!sql_is_index_column(s->names[j])) continue;
        char *from = private_index_name(j), *to = index_name(s, j);
        int rc = exec(s, sql_text("ALTER INDEX %I.%I RENAME TO %I", s->schema, from, to),
                      "cannot rename an index into place");
        free(from);
        free(to);
        if (rc != 0) return -1;
    }
    return 0;
}

/* Everything that can fail before the swap: the rows are in (each COPY
 * checked them), the indexes are built. */
static int sink_prepare(hz_component *c, void *self) {
    (void)c;
    return create_indices(self);
}

/* Only makes the prepared table visible: the swap (catalog changes, the
 * exclusive lock held for an instant) and COMMIT. */
static int sink_commit(hz_component *c, void *self) {
    (void)c;
    pg_sink *s = self;
    if (!s->append) {
        if (exec(s, sql_text("DROP TABLE IF EXISTS %s", s->final), "cannot drop the old table") != 0 ||
            exec(s, sql_text("ALTER TABLE %s RENAME TO %I", s->target, s->table),
                 "cannot rename the new table into place") != 0 ||
            rename_indices(s) != 0)
            return -1;
    }
    if (exec(s, hz->xstrdup("COMMIT"), "cannot commit") != 0) return -1;
    disconnect(s);
    return 0;
}

static void sink_abort(hz_component *c, void *self) {
    (void)c;
    pg_sink *s = self;
    if (!s->conn) return;
    if (PQtransactionStatus(s->conn) == PQTRANS_ACTIVE) end_copy(s, "the run failed");
    PQclear(PQexec(s->conn, "ROLLBACK"));
    disconnect(s);
}

static void sink_destroy(void *self) {
    pg_sink *s = self;
    disconnect(s); /* an open transaction dies with its connection */
    free(s->schema);
    free(s->table);
    free(s->names);
    free(s->types);
    free(s->declared);
    free(s->final);
    free(s->target);
    free(s->new_name);
    free(s->copy_sql);
    hzs_buf_free(&s->buf);
    free(s);
}

const hz_sink_class pg_sink_class = {
    HZ_CLASS_INIT(hz_sink_class),
    .doc = "loads its rows into a PostgreSQL table with COPY, made visible when the run succeeds",
    HZ_OPTIONS(sink_options),
    .create = sink_create,
    .plan = sink_plan,
    .open = sink_open,
    .write = sink_write,
    .prepare = sink_prepare,
    .commit = sink_commit,
    .abort = sink_abort,
    .destroy = sink_destroy,
};
