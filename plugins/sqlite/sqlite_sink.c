/* The sqlite sink: one table, typed columns, rows inserted through one
 * prepared statement inside the run's transaction on the file (shared with
 * the other sinks writing to it: see sqlite_db.h).  prepare() builds the
 * indexes; commit() is the COMMIT, once every output of the run prepared.  A failed run leaves the previous
 * table as it was. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <support/hzs_columns.h>
#include <support/hzs_fs.h>

#include <support/hzs_sql.h>
#include "sqlite_db.h"
#include "sqlite_plugin.h"

/* A table some sink of this pipeline writes, so that two sinks cannot
 * write the same table of the same file (the second would drop or mix
 * the first one's rows).  Checked at plan time, so `validate` sees it. */

typedef struct sqlite_sink {
    hz_component *c;
    const char *path, *table;
    bool append;
    size_t ncols; /* columns written */
    size_t *from; /* per column written: its index in the input */
    const char **names;
    sql_type *types;
    bool *declared; /* per column: type from `types`, not inferred */
    sqlite_db *db;
    sqlite3_stmt *insert;
    sqlite_decl decl; /* this sink's table, for the file's staging */
} sqlite_sink;

static const hz_option sink_options[] = {
    {"path", HZ_OPT_PATH, NULL, true, "the SQLite database file; created (and missing folders) if absent",
     NULL},
    {"table", HZ_OPT_STRING, NULL, true, "the table to write", NULL},
    {"mode", HZ_OPT_ENUM, "replace", false,
     "replace: drop and recreate the table; append: add rows (creating the table if absent)",
     "replace|append"},
    {"types", HZ_OPT_MAP, NULL, false,
     "column: TEXT|INTEGER|REAL|DATE; unlisted columns: year, age, n, count, *_count INTEGER; share, "
     "percent, "
     "pct, *_share, *_percent, *_pct REAL; others TEXT",
     NULL},
    {"columns", HZ_OPT_LIST, NULL, false, "write only these columns, in this order (default: all)", NULL},
    {0},
};

static int sink_create(hz_component *c, void **self) {
    sqlite_sink *s = hz->xcalloc(1, sizeof *s);
    *self = s;
    s->c = c;
    s->path = hz->opt_path(c, "path");
    s->table = hz->opt_string(c, "table");
    s->append = !strcmp(hz->opt_string(c, "mode"), "append");
    if (!s->table || !s->table[0]) {
        hz->config_error(c, hz->option(c, "table"), "'table' needs a name");
        return -1;
    }
    if (!strncasecmp(s->table, "sqlite_", 7)) {
        hz->config_error(c, hz->option(c, "table"), "names starting with 'sqlite_' are SQLite's own");
        return -1;
    }
    return 0;
}

/* One sink per table of a file, and nothing else writing the file: the
 * core checks it across every sink of the pipeline. */
static int claim_table(sqlite_sink *s) {
    return hz->claim_output(s->c, s->path, s->table, hz->option(s->c, "table"));
}

static int sink_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)out;
    sqlite_sink *s = self;
    /* Types are planned for every input column, then the written ones
     * (all, or `columns` in their order) are picked. */
    size_t n = hz->schema_count(in) + 1;
    s->types = hz->xcalloc(n, sizeof *s->types);
    s->declared = hz->xcalloc(n, sizeof *s->declared);
    int rc = sql_types_plan(c, in, s->types, s->declared);
    if (hzs_columns_plan(c, in, &s->from, &s->ncols) != 0) rc = -1;
    s->names = hz->xcalloc(s->ncols ? s->ncols : 1, sizeof *s->names);
    if (rc == 0) {
        /* The written columns' names and types, in their order (read from a
         * copy: `columns` may reorder them, and lists each column once, so
         * there are no more of them than input columns). */
        sql_type *types = hz->xmalloc(n * sizeof *types);
        bool *declared = hz->xmalloc(n * sizeof *declared);
        memcpy(types, s->types, n * sizeof *types);
        memcpy(declared, s->declared, n * sizeof *declared);
        for (size_t j = 0; j < s->ncols; j++) {
            s->names[j] = hz->schema_name(in, s->from[j]);
            s->types[j] = types[s->from[j]];
            s->declared[j] = declared[s->from[j]];
        }
        free(types);
        free(declared);
    }
    if (claim_table(s) != 0) rc = -1;
    s->decl = (sqlite_decl){.path = s->path, .table = s->table, .replace = !s->append};
    sqlite_db_declare(&s->decl);
    return rc;
}

/* The text of an SQL statement built by sqlite3_str (SQLite's memory,
 * released with sqlite3_free), or NULL after reporting. */
static char *sql_text(sqlite_sink *s, sqlite3_str *sql) {
    char *text = sqlite3_str_finish(sql);
    if (!text) hz->error(s->c, "SQLite is out of memory");
    return text;
}

/* Run an SQL text built by sqlite3_str; frees it. */
static int exec_str(sqlite_sink *s, sqlite3_str *sql) {
    char *text = sql_text(s, sql);
    if (!text) return -1;
    int rc = sqlite_db_exec(s->c, s->db, text);
    sqlite3_free(text);
    return rc;
}

static int create_table(sqlite_sink *s) {
    if (!s->append) {
        sqlite3_str *drop = sqlite3_str_new(sqlite_db_handle(s->db));
        sqlite3_str_appendf(drop, "DROP TABLE IF EXISTS \"%w\"", s->table);
        if (exec_str(s, drop) != 0) return -1;
    }
    sqlite3_str *sql = sqlite3_str_new(sqlite_db_handle(s->db));
    sqlite3_str_appendf(sql, "CREATE TABLE %s\"%w\" (", s->append ? "IF NOT EXISTS " : "", s->table);
    for (size_t j = 0; j < s->ncols; j++)
        sqlite3_str_appendf(sql, "%s\"%w\" %s", j ? ", " : "", s->names[j], sql_type_name(s->types[j]));
    sqlite3_str_appendall(sql, ")");
    return exec_str(s, sql);
}

static int prepare_insert(sqlite_sink *s) {
    sqlite3_str *sql = sqlite3_str_new(sqlite_db_handle(s->db));
    sqlite3_str_appendf(sql, "INSERT INTO \"%w\" (", s->table);
    for (size_t j = 0; j < s->ncols; j++) sqlite3_str_appendf(sql, "%s\"%w\"", j ? ", " : "", s->names[j]);
    sqlite3_str_appendall(sql, ") VALUES (");
    for (size_t j = 0; j < s->ncols; j++) sqlite3_str_appendall(sql, j ? ", ?" : "?");
    sqlite3_str_appendall(sql, ")");
    char *text = sql_text(s, sql);
    if (!text) return -1;
    int rc =
        sqlite3_prepare_v3(sqlite_db_handle(s->db), text, -1, SQLITE_PREPARE_PERSISTENT, &s->insert, NULL);
    sqlite3_free(text);
    if (rc != SQLITE_OK) {
        /* append to a table that lacks one of the columns, typically */
        sqlite_db_report(s->c, s->db, "cannot insert into the table");
        return -1;
    }
    return 0;
}

static int sink_open(hz_component *c, void *self) {
    sqlite_sink *s = self;
    if (hzs_make_parents(c, s->path) != 0) return -1;
    s->db = sqlite_db_join(c, s->path);
    if (!s->db) return -1;
    if (create_table(s) != 0 || prepare_insert(s) != 0) return -1;
    return 0;
}

static int bind_field(sqlite_sink *s, const hz_batch *b, size_t r, size_t j, const hz_field *f) {
    int col = (int)j + 1;
    if (f->len == 0) /* empty TEXT stays ''; an empty number or date is NULL */
        return s->types[j] == SQL_TEXT ? sqlite3_bind_text(s->insert, col, "", 0, SQLITE_STATIC)
                                       : sqlite3_bind_null(s->insert, col);
    int64_t n = 0;
    const char *why = sql_value_check(s->types[j], f->ptr, f->len, &n);
    if (why) {
        sql_value_error(s->c, b, r, s->names[j], s->types[j], s->declared[j], f, why);
        return SQLITE_MISMATCH;
    }
    if (s->types[j] == SQL_INTEGER) return sqlite3_bind_int64(s->insert, col, n);
    /* REAL as text: the column's REAL affinity converts it exactly as
     * SQLite parses numbers, whatever the C locale.  The batch outlives
     * the step, so the bytes need not be copied (STATIC). */
    return sqlite3_bind_text64(s->insert, col, f->ptr, f->len, SQLITE_STATIC, SQLITE_UTF8);
}

static int sink_write(hz_component *c, void *self, const hz_batch *in) {
    (void)c;
    sqlite_sink *s = self;
    for (size_t r = 0; r < in->nrows; r++) {
        const hz_field *row = in->fields + r * in->ncols;
        for (size_t j = 0; j < s->ncols; j++) {
            int rc = bind_field(s, in, r, j, &row[s->from[j]]);
            if (rc == SQLITE_MISMATCH) return -1;
            if (rc != SQLITE_OK) {
                sqlite_db_report(s->c, s->db, "cannot bind a value");
                return -1;
            }
        }
        int rc = sqlite3_step(s->insert);
        sqlite3_reset(s->insert);
        if (rc != SQLITE_DONE) {
            sqlite_db_report(s->c, s->db, "cannot insert a row");
            return -1;
        }
    }
    return 0;
}

/* Country-code columns get an index; built after the rows are in, which
 * is faster than maintaining it row by row. */
static int create_indices(sqlite_sink *s) {
    for (size_t j = 0; j < s->ncols; j++) {
        if (!sql_is_index_column(s->names[j])) continue;
        sqlite3_str *sql = sqlite3_str_new(sqlite_db_handle(s->db));
        sqlite3_str_appendf(sql, "CREATE INDEX IF NOT EXISTS \"%w_%w_idx\" ON \"%w\" (\"%w\")", s->table,
                            s->names[j], s->table, s->names[j]);
        if (exec_str(s, sql) != 0) return -1;
    }
    return 0;
}

/* Everything but the COMMIT: the last statements and the indexes. */
static int sink_prepare(hz_component *c, void *self) {
    sqlite_sink *s = self;
    sqlite3_finalize(s->insert);
    s->insert = NULL;
    if (create_indices(s) != 0) return -1;
    return sqlite_db_prepare(c, s->db);
}

/* The COMMIT of the file's transaction, once every sink of the file has
 * prepared (see sqlite_db_commit). */
static int sink_commit(hz_component *c, void *self) {
    sqlite_sink *s = self;
    return sqlite_db_commit(c, s->db);
}

static void sink_abort(hz_component *c, void *self) {
    (void)c;
    sqlite_sink *s = self;
    sqlite3_finalize(s->insert);
    s->insert = NULL;
    if (s->db) sqlite_db_abort(s->db);
}

static void sink_destroy(void *self) {
    sqlite_sink *s = self;
    sqlite3_finalize(s->insert);
    if (s->db) sqlite_db_leave(s->db);
    sqlite_db_withdraw(&s->decl);
    free(s->from);
    free(s->names);
    free(s->types);
    free(s->declared);
    free(s);
}

const hz_sink_class sqlite_sink_class = {
    HZ_CLASS_INIT(hz_sink_class),
    .doc = "writes its rows into a table of a SQLite database, published when the run succeeds",
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
