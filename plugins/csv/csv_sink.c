/* The csv sink: UTF-8, LF, minimal quoting, written through one large
 * buffer to a temporary file beside the target, renamed into place only
 * when the whole run succeeded, so a failed nightly run leaves the last
 * good file where it was. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv_plugin.h"

#define host csv_host

#define BUFFER_SIZE (256 * 1024)

typedef struct csv_sink {
    hz_component *c;
    const char *path;
    unsigned char delimiter;
    bool header, fsync;
    size_t ncols; /* columns written */
    size_t *from; /* written column j is input column from[j] */
    char **names; /* their names, for the header */
    bool quote_byte[256];
    int fd;
    char *tmp_path;
    char *buf;
    size_t len;
} csv_sink;

static const hz_option sink_options[] = {
    {"path", HZ_OPT_PATH, NULL, true, "the CSV file to write; missing folders are created", NULL},
    {"delimiter", HZ_OPT_STRING, ",", false, "field separator, one character (\"\\t\" for a tab)", NULL},
    {"header", HZ_OPT_BOOL, "true", false, "write the column names first", NULL},
    {"columns", HZ_OPT_LIST, NULL, false, "write only these columns, in this order (default: all)", NULL},
    {"fsync", HZ_OPT_BOOL, "true", false,
     "flush the file to disk before publishing it, so a crash never leaves a truncated file", NULL},
    {0},
};

static int sink_create(hz_component *c, void **self) {
    csv_sink *s = calloc(1, sizeof *s);
    if (!s) return -1;
    *self = s;
    s->c = c;
    s->fd = -1;
    s->path = host->opt_path(c, "path");
    s->header = host->opt_bool(c, "header");
    s->fsync = host->opt_bool(c, "fsync");
    if (csv_byte_option(c, "delimiter", &s->delimiter) != 0) return -1;
    if (s->delimiter == '"' || s->delimiter == '\n' || s->delimiter == '\r') {
        host->config_error(c, host->option(c, "delimiter"),
                           "the delimiter cannot be a quote or a line break");
        return -1;
    }
    s->quote_byte[s->delimiter] = s->quote_byte['"'] = s->quote_byte['\r'] = s->quote_byte['\n'] = true;
    return 0;
}

static int sink_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)out;
    csv_sink *s = self;
    const hz_value *columns = host->option(c, "columns");
    s->ncols = columns ? host->value_count(columns) : host->schema_count(in);
    s->from = calloc(s->ncols ? s->ncols : 1, sizeof *s->from);
    s->names = calloc(s->ncols ? s->ncols : 1, sizeof *s->names);
    if (!s->from || !s->names) return -1;
    int rc = 0;
    for (size_t j = 0; j < s->ncols; j++) {
        long i = (long)j;
        if (columns) {
            const hz_value *item = host->value_item(columns, j);
            i = host->schema_require(c, in, host->value_string(item), item);
        }
        if (i < 0) {
            rc = -1;
            continue;
        }
        s->from[j] = (size_t)i;
        s->names[j] = strdup(host->schema_name(in, (size_t)i));
    }
    return rc;
}

static int flush_buffer(csv_sink *s) {
    size_t done = 0;
    while (done < s->len) {
        ssize_t n = write(s->fd, s->buf + done, s->len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            host->error(s->c, "cannot write %s: %s", s->tmp_path, strerror(errno));
            return -1;
        }
        done += (size_t)n;
    }
    s->len = 0;
    return 0;
}

/* Make sure `need` more bytes fit; a field larger than the buffer gets a
 * buffer of its own size. */
static int reserve(csv_sink *s, size_t need) {
    if (s->len + need <= BUFFER_SIZE) return 0;
    if (flush_buffer(s) != 0) return -1;
    if (need > BUFFER_SIZE) {
        char *bigger = realloc(s->buf, need);
        if (!bigger) return -1;
        s->buf = bigger;
    }
    return 0;
}

static int put_field(csv_sink *s, const char *p, size_t n) {
    if (reserve(s, 2 * n + 3) != 0) return -1;
    /* Copy optimistically, noting any byte that needs quotes; only a
     * field that has one is written again, quoted. */
    char *o = s->buf + s->len;
    bool special = false;
    for (size_t k = 0; k < n; k++) {
        o[k] = p[k];
        special |= s->quote_byte[(unsigned char)p[k]];
    }
    if (!special) {
        s->len += n;
        return 0;
    }
    *o++ = '"';
    for (size_t k = 0; k < n; k++) {
        if (p[k] == '"') *o++ = '"';
        *o++ = p[k];
    }
    *o++ = '"';
    s->len = (size_t)(o - s->buf);
    return 0;
}

static int put_row(csv_sink *s, const hz_field *row, const char *const *names) {
    /* One empty column would print as a blank line, which readers skip. */
    if (s->ncols == 1 && (names ? !names[0][0] : row[s->from[0]].len == 0)) {
        if (reserve(s, 3) != 0) return -1;
        memcpy(s->buf + s->len, "\"\"\n", 3);
        s->len += 3;
        return 0;
    }
    for (size_t j = 0; j < s->ncols; j++) {
        if (j) {
            if (reserve(s, 1) != 0) return -1;
            s->buf[s->len++] = (char)s->delimiter;
        }
        int rc = names ? put_field(s, names[j], strlen(names[j]))
                       : put_field(s, row[s->from[j]].ptr, row[s->from[j]].len);
        if (rc != 0) return -1;
    }
    if (reserve(s, 1) != 0) return -1;
    s->buf[s->len++] = '\n';
    return 0;
}

/* mkdir -p of the folder holding `path`. */
static int make_parents(csv_sink *s) {
    char *dir = strdup(s->path);
    if (!dir) return -1;
    char *slash = strrchr(dir, '/');
    int rc = 0;
    if (slash && slash != dir) {
        *slash = '\0';
        for (char *p = dir + 1; rc == 0; p++) {
            if (*p != '/' && *p != '\0') continue;
            char saved = *p;
            *p = '\0';
            if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
                host->error(s->c, "cannot create folder %s: %s", dir, strerror(errno));
                rc = -1;
            }
            *p = saved;
            if (saved == '\0') break;
        }
    }
    free(dir);
    return rc;
}

static int sink_open(hz_component *c, void *self) {
    (void)c;
    csv_sink *s = self;
    if (make_parents(s) != 0) return -1;
    const char *slash = strrchr(s->path, '/');
    size_t dir_len = slash ? (size_t)(slash - s->path) + 1 : 0;
    const char *base = s->path + dir_len;
    size_t size = strlen(s->path) + 16;
    s->tmp_path = malloc(size);
    s->buf = malloc(BUFFER_SIZE);
    if (!s->tmp_path || !s->buf) return -1;
    snprintf(s->tmp_path, size, "%.*s.%s.tmp-XXXXXX", (int)dir_len, s->path, base);
    s->fd = mkstemp(s->tmp_path);
    if (s->fd < 0) {
        host->error(s->c, "cannot create %s: %s", s->tmp_path, strerror(errno));
        free(s->tmp_path);
        s->tmp_path = NULL;
        return -1;
    }
    /* mkstemp makes the file private; the published file gets the usual
     * permissions, as if created with open(2). */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(s->fd, 0666 & ~mask);
    if (s->header) return put_row(s, NULL, (const char *const *)s->names);
    return 0;
}

static int sink_write(hz_component *c, void *self, const hz_batch *in) {
    (void)c;
    csv_sink *s = self;
    for (size_t r = 0; r < in->nrows; r++)
        if (put_row(s, in->fields + r * in->ncols, NULL) != 0) return -1;
    return 0;
}

static int sink_commit(hz_component *c, void *self) {
    (void)c;
    csv_sink *s = self;
    if (flush_buffer(s) != 0) return -1;
    if ((s->fsync && fsync(s->fd) != 0) || close(s->fd) != 0) {
        s->fd = -1;
        host->error(s->c, "cannot write %s: %s", s->tmp_path, strerror(errno));
        return -1;
    }
    s->fd = -1;
    if (rename(s->tmp_path, s->path) != 0) {
        host->error(s->c, "cannot publish %s: %s", s->path, strerror(errno));
        return -1;
    }
    free(s->tmp_path);
    s->tmp_path = NULL;
    return 0;
}

static void sink_abort(hz_component *c, void *self) {
    (void)c;
    csv_sink *s = self;
    if (s->fd >= 0) close(s->fd);
    s->fd = -1;
    if (s->tmp_path) unlink(s->tmp_path);
    free(s->tmp_path);
    s->tmp_path = NULL;
}

static void sink_destroy(void *self) {
    csv_sink *s = self;
    sink_abort(s->c, s);
    for (size_t j = 0; s->names && j < s->ncols; j++) free(s->names[j]);
    free(s->names);
    free(s->from);
    free(s->buf);
    free(s);
}

const hz_sink_class csv_sink_class = {
    .doc = "writes UTF-8 CSV (minimal quoting, LF), published atomically when the run succeeds",
    .options = sink_options,
    .create = sink_create,
    .plan = sink_plan,
    .open = sink_open,
    .write = sink_write,
    .commit = sink_commit,
    .abort = sink_abort,
    .destroy = sink_destroy,
};
