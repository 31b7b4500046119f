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
 * replace_partition: COPY into a staging table, then in prepare() replace
 * the carried partitions' rows under an advisory lock (pg_partition.c).
 *
 * One COPY per batch: the server checks each batch's rows as they come,
 * so a bad row fails the run while it reads (before any output is
 * published), not at commit time. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <support/hzs_str.h>

#include "pg_copy.h"
#include "pg_names.h"
#include "pg_partition.h"
#include "pg_sink.h"
#include "pg_sink_names.h"
#include "pg_sql.h"
#include "pg_table.h"

/* COPY data is sent in pieces of about this size. */
#define SEND_SIZE (256 * 1024)

static const hz_option sink_options[] = {
    {"connection", HZ_OPT_STRING, NULL, true,
     "libpq connection string or URI, e.g. ${HARMONIZE_PG:?set HARMONIZE_PG to a libpq connection string}",
     NULL},
    {"table", HZ_OPT_STRING, NULL, true,
     "the table to write: name or schema.name (default schema: where the table is, else current_schema())",
     NULL},
    {"mode", HZ_OPT_ENUM, "replace", false,
     "replace: a new table swapped in at commit; append: add rows (creating the table if absent); "
     "replace_partition: replace only the rows of the partitions the run carries (see partition_by)",
     "replace|append|replace_partition"},
    {"partition_by", HZ_OPT_STRING, NULL, false,
     "replace_partition: the input column whose values name the partitions (e.g. the office); a run "
     "replaces the table's rows having the values its own rows have, and no others",
     NULL},
    {"types", HZ_OPT_MAP, NULL, false,
     "column: TEXT|INTEGER|REAL|DATE (text, bigint, double precision, date); others typed by name as in "
     "the sqlite sink",
     NULL},
    {0},
};

static void ignore_notice(void *arg, const char *message) {
    (void)arg;
    (void)message; /* "table ... does not exist, skipping" and the like */
}

static int sink_create(hz_component *c, void **self) {
    pg_sink *s = hz->xcalloc(1, sizeof *s);
    *self = s;
    s->c = c;
    s->conninfo = hz->opt_string(c, "connection");
    const char *mode = hz->opt_string(c, "mode");
    s->mode = !strcmp(mode, "append")              ? PG_APPEND
              : !strcmp(mode, "replace_partition") ? PG_REPLACE_PARTITION
                                                   : PG_REPLACE;
    if (s->mode == PG_REPLACE_PARTITION && !hz->option_given(c, "partition_by")) {
        hz->config_error(c, hz->option(c, "mode"),
                         "mode replace_partition needs 'partition_by: COLUMN', the input column whose values "
                         "name the partitions a run replaces (e.g. the office)");
        return -1;
    }
    if (s->mode != PG_REPLACE_PARTITION && hz->option_given(c, "partition_by")) {
        hz->config_error(c, hz->option(c, "partition_by"),
                         "'partition_by' goes with mode: replace_partition (this sink's mode is %s)", mode);
        return -1;
    }
    const char *table = hz->opt_string(c, "table");
    const char *dot = table ? strchr(table, '.') : NULL;
    s->schema = dot ? hzs_strndup(table, (size_t)(dot - table)) : NULL;
    s->table = hz->xstrdup(dot ? dot + 1 : table ? table : "");
    if (!s->table[0] || (s->schema && !s->schema[0]) || strchr(s->table, '.')) {
        hz->config_error(c, hz->option(c, "table"), "'table' is a name or schema.name");
        return -1;
    }
    /* Longer, the server would silently create (or look up) another
     * table: its name cut to PG_NAME_MAX bytes. */
    const char *too_long = strlen(s->table) > PG_NAME_MAX                 ? s->table
                           : s->schema && strlen(s->schema) > PG_NAME_MAX ? s->schema
                                                                          : NULL;
    if (too_long) {
        hz->config_error(
            c, hz->option(c, "table"),
            "%s name '%s' has %zu bytes, but PostgreSQL keeps only the first %d bytes of a name: "
            "shorten it",
            too_long == s->table ? "table" : "schema", too_long, strlen(too_long), PG_NAME_MAX);
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
    if (s->mode == PG_REPLACE_PARTITION) {
        const hz_value *at = hz->option(c, "partition_by");
        long part = hz->schema_require(c, in, hz->value_string(at), at);
        if (part < 0) rc = -1;
        s->part = part < 0 ? 0 : (size_t)part;
    }
    /* Index names are made of column names: checked once those are. */
    if (rc == 0 && pg_check_column_names(s) != 0) rc = -1;
    if (rc == 0 && pg_check_index_names(s) != 0) rc = -1;
    return claimed != 0 ? -1 : rc;
}

static int connect_db(pg_sink *s) {
    s->conn = PQconnectdb(s->conninfo);
    if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
        /* libpq's message names host and port, never the password. */
        pg_report(s, "cannot connect to PostgreSQL", NULL);
        return -1;
    }
    PQsetNoticeProcessor(s->conn, ignore_notice, NULL);
    if (PQsetClientEncoding(s->conn, "UTF8") != 0) {
        pg_report(s, "cannot set the client encoding to UTF8", NULL);
        return -1;
    }
    return 0;
}

/* A private name for the new table: _hz_new_<pid>_<table>, fitted to
 * PostgreSQL's limit (two sinks of one run on two long tables sharing
 * their first bytes must not get one name: the second CREATE TABLE would
 * wait forever for the first sink's transaction). */
static char *new_table_name(const pg_sink *s) {
    size_t n = strlen(s->table) + 32;
    char *name = hz->xmalloc(n);
    snprintf(name, n, "_hz_new_%ld_%s", (long)getpid(), s->table);
    return pg_name_fit(name);
}

/* The table the rows go to while the run reads: the new table (replace),
 * the table itself (append), a staging table (replace_partition). */
static int open_target(pg_sink *s) {
    if (s->mode == PG_REPLACE_PARTITION) return pg_partition_open(s);
    char *columns = pg_column_list(s, true);
    int rc;
    if (s->mode == PG_APPEND) {
        s->target = hz->xstrdup(s->final);
        rc = pg_exec(s, pg_sql_text("CREATE TABLE IF NOT EXISTS %s (%s)", s->final, columns),
                     "cannot create the table");
        /* an existing table must have every column; its own types apply */
        if (rc == 0) rc = pg_check_columns(s, false);
    } else {
        s->new_name = new_table_name(s);
        s->target = pg_sql_text("%I.%I", s->schema, s->new_name);
        rc = pg_check_dependents(s);
        if (rc == 0)
            rc = pg_exec(s, pg_sql_text("CREATE TABLE %s (%s)", s->target, columns),
                         "cannot create the table");
    }
    free(columns);
    return rc;
}

static int sink_open(hz_component *c, void *self) {
    (void)c;
    pg_sink *s = self;
    if (s->ncols == 0) {
        hz->error(s->c, "no columns to write into table '%s'", s->table);
        return -1;
    }
    if (connect_db(s) != 0) return -1;
    /* replace_partition relies on READ COMMITTED (each statement sees what
     * committed before it): after the advisory lock, its DELETE must see
     * the rows a run on the same partition committed while it waited,
     * whatever default_transaction_isolation says. */
    const char *begin = s->mode == PG_REPLACE_PARTITION ? "BEGIN ISOLATION LEVEL READ COMMITTED" : "BEGIN";
    if (pg_exec(s, hz->xstrdup(begin), "cannot start a transaction") != 0) return -1;
    if (pg_resolve_schema(s) != 0) return -1;
    s->final = pg_sql_text("%I.%I", s->schema, s->table);
    if (open_target(s) != 0) return -1;
    char *names = pg_column_list(s, false);
    s->copy_sql = pg_sql_text("COPY %s (%s) FROM STDIN", s->target, names);
    free(names);
    return 0;
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
            if (!abort_reason && rc == 0) pg_report(s, "the server refused the rows", res);
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
        pg_report(s, "cannot start COPY", res);
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
            if (null && j == s->part) s->null_partition = true; /* see pg_partition.c */
            pg_copy_field(&s->buf, j == 0, null, row[j].ptr, row[j].len);
        }
        pg_copy_end_row(&s->buf);
        if (s->buf.len >= SEND_SIZE && send_buffer(s) != 0) {
            pg_report(s, "cannot send rows", NULL);
            end_copy(s, "send failed");
            return -1;
        }
    }
    if (send_buffer(s) != 0) {
        pg_report(s, "cannot send rows", NULL);
        end_copy(s, "send failed");
        return -1;
    }
    return end_copy(s, NULL);
}

static void disconnect(pg_sink *s) {
    if (s->conn) PQfinish(s->conn);
    s->conn = NULL;
}

/* replace builds the indexes on the new table under private names (the old
 * table still holds the final ones until commit drops it):
 * _hz_idx_<pid>_<j>_<table>, fitted.  The table is in the name because
 * index names are per schema: two sinks of one run writing two tables of
 * one schema must not both ask for one name (the second CREATE INDEX
 * would wait forever for the first sink's transaction).  The prefix is
 * not the new table's (_hz_new_), so no table name makes the two equal. */
static char *private_index_name(const pg_sink *s, size_t j) {
    size_t n = strlen(s->table) + 64;
    char *index = hz->xmalloc(n);
    snprintf(index, n, "_hz_idx_%ld_%zu_%s", (long)getpid(), j, s->table);
    return pg_name_fit(index);
}

/* append: an index built by a version that let the server cut a long
 * name (to its first PG_NAME_MAX bytes) is the index of this column, under
 * its old name: keep it rather than build a second one. */
static int has_old_index(pg_sink *s, size_t j) {
    char *full = pg_index_name_unfitted(s, j);
    int found = 0;
    if (strlen(full) > PG_NAME_MAX) {
        full[pg_name_kept(full)] = '\0';
        found = pg_column_has_index(s, full, s->names[j]);
    }
    free(full);
    return found;
}

static int create_indices(pg_sink *s) {
    for (size_t j = 0; j < s->ncols; j++) {
        if (!pg_is_indexed(s, j)) continue;
        if (s->mode == PG_APPEND) {
            int old = has_old_index(s, j);
            if (old < 0) return -1;
            if (old) continue;
        }
        char *index = s->mode == PG_APPEND ? pg_index_name(s, j) : private_index_name(s, j);
        int rc =
            pg_exec(s, pg_sql_text("CREATE INDEX IF NOT EXISTS %I ON %s (%I)", index, s->target, s->names[j]),
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
        if (!pg_is_indexed(s, j)) continue;
        char *from = private_index_name(s, j), *to = pg_index_name(s, j);
        int rc = pg_exec(s, pg_sql_text("ALTER INDEX %I.%I RENAME TO %I", s->schema, from, to),
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
    pg_sink *s = self;
    return s->mode == PG_REPLACE_PARTITION ? pg_partition_prepare(s) : create_indices(s);
}

/* Only makes the prepared table visible: the swap (catalog changes, the
 * exclusive lock held for an instant) and COMMIT. */
static int sink_commit(hz_component *c, void *self) {
    (void)c;
    pg_sink *s = self;
    if (s->mode == PG_REPLACE) {
        if (pg_exec(s, pg_sql_text("DROP TABLE IF EXISTS %s", s->final), "cannot drop the old table") != 0 ||
            pg_exec(s, pg_sql_text("ALTER TABLE %s RENAME TO %I", s->target, s->table),
                    "cannot rename the new table into place") != 0 ||
            rename_indices(s) != 0)
            return -1;
    }
    if (pg_exec(s, hz->xstrdup("COMMIT"), "cannot commit") != 0) return -1;
    disconnect(s);
    if (s->mode == PG_REPLACE_PARTITION) pg_partition_note(s);
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
    free(s->summary);
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
