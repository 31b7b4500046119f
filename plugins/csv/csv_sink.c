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
#include "text.h"

/* One write(2) per this many bytes. */
#define BUFFER_SIZE (256 * 1024)

typedef struct csv_sink {
    hz_component *c;
    const char *path;  /* to write */
    const char *shown; /* in messages */
    unsigned char delimiter;
    uint64_t delimiter_word; /* the delimiter in every byte */
    bool header, fsync;
    size_t ncols; /* columns written */
    size_t *from; /* written column j is input column from[j] */
    char **names; /* their names, for the header */
    bool quote_byte[256];
    int fd;
    char *tmp_path;
    char *buf;
    size_t len, cap;
} csv_sink;

static const hz_option sink_options[] = {
    {"path", HZ_OPT_PATH, NULL, true,
     "the CSV file to write; missing folders are created (mode 0777 less the umask)", NULL},
    {"delimiter", HZ_OPT_STRING, ",", false, "field separator, one byte (\"\\t\" for a tab)", NULL},
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
    s->path = hz->opt_path(c, "path");
    s->shown = csv_shown_path(c, s->path);
    s->header = hz->opt_bool(c, "header");
    s->fsync = hz->opt_bool(c, "fsync");
    if (csv_byte_option(c, "delimiter", &s->delimiter) != 0) return -1;
    if (s->delimiter == '"') {
        hz->config_error(c, hz->option(c, "delimiter"), "the delimiter cannot be the quote character");
        return -1;
    }
    s->delimiter_word = s->delimiter * TEXT_ONES;
    s->quote_byte[s->delimiter] = s->quote_byte['"'] = s->quote_byte['\r'] = s->quote_byte['\n'] = true;
    return 0;
}

static int sink_plan(hz_component *c, void *self, const hz_schema *in, hz_schema *out) {
    (void)out;
    csv_sink *s = self;
    const hz_value *columns = hz->option(c, "columns");
    s->ncols = columns ? hz->value_count(columns) : hz->schema_count(in);
    s->from = calloc(s->ncols ? s->ncols : 1, sizeof *s->from);
    s->names = calloc(s->ncols ? s->ncols : 1, sizeof *s->names);
    if (!s->from || !s->names) return -1;
    int rc = 0;
    for (size_t j = 0; j < s->ncols; j++) {
        long i = (long)j;
        if (columns) {
            const hz_value *item = hz->value_item(columns, j);
            i = hz->schema_require(c, in, hz->value_string(item), item);
            for (size_t k = 0; i >= 0 && k < j; k++)
                if (s->from[k] == (size_t)i) {
                    hz->config_error(c, item, "column '%s' is listed twice", hz->value_string(item));
                    i = -1;
                }
        }
        if (i < 0) {
            rc = -1;
            continue;
        }
        s->from[j] = (size_t)i;
        s->names[j] = strdup(hz->schema_name(in, (size_t)i));
        if (!s->names[j]) return -1;
    }
    if (rc == 0 && s->ncols == 0) {
        hz->config_error(c, columns, "there are no columns to write");
        rc = -1;
    }
    return rc;
}

static int flush_buffer(csv_sink *s) {
    size_t done = 0;
    while (done < s->len) {
        ssize_t n = write(s->fd, s->buf + done, s->len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            hz->error(s->c, "cannot write %s (temporary file %s): %s", s->shown, s->tmp_path,
                      strerror(errno));
            return -1;
        }
        done += (size_t)n;
    }
    s->len = 0;
    return 0;
}

/* Make sure `need` more bytes fit; a row larger than the buffer gets a
 * buffer of its own size. */
static int reserve(csv_sink *s, size_t need) {
    if (s->len + need <= s->cap) return 0;
    if (flush_buffer(s) != 0) return -1;
    if (need > s->cap) {
        char *bigger = realloc(s->buf, need);
        if (!bigger) {
            hz->error(s->c, "out of memory for a row of %zu bytes", need);
            return -1;
        }
        s->buf = bigger;
        s->cap = need;
    }
    return 0;
}

/* Does w hold the delimiter, a quote or a byte below 0x0E (CR, LF, but
 * also a tab: a hint, confirmed byte by byte)? */
static inline uint64_t maybe_special(const csv_sink *s, uint64_t w) {
    return text_zero_bytes(w ^ s->delimiter_word) | text_zero_bytes(w ^ ('"' * TEXT_ONES)) |
           ((w - 0x0E * TEXT_ONES) & ~w & TEXT_HIGHS);
}

/* Copy the field to o as it is and say whether it may need quotes, a
 * word at a time (the tail as one overlapping word). */
static inline bool copy_field(const csv_sink *s, char *o, const char *p, size_t n) {
    uint64_t found = 0, w;
    if (n < 8) {
        if (n == 0) return false;
        w = text_copy_short(o, (const unsigned char *)p, n);
        found = maybe_special(s, w);
    } else {
        size_t k = 0;
        for (; k + 8 <= n; k += 8) {
            w = text_load(p + k);
            text_store(o + k, w);
            found |= maybe_special(s, w);
        }
        if (k < n) {
            w = text_load(p + n - 8);
            text_store(o + n - 8, w);
            found |= maybe_special(s, w);
        }
    }
    if (!found) return false;
    for (size_t k = 0; k < n; k++)
        if (s->quote_byte[(unsigned char)p[k]]) return true;
    return false;
}

/* Write field p[0..n) at o, quoted only if it must be; returns the end. */
static inline char *put_field(const csv_sink *s, char *o, const char *p, size_t n) {
    if (!copy_field(s, o, p, n)) return o + n;
    *o++ = '"';
    for (size_t k = 0; k < n; k++) {
        if (p[k] == '"') *o++ = '"';
        *o++ = p[k];
    }
    *o++ = '"';
    return o;
}

/* The header row: names, each quoted if need be. */
static int put_names(csv_sink *s) {
    for (size_t j = 0; j < s->ncols; j++) {
        size_t n = strlen(s->names[j]);
        if (reserve(s, 2 * n + 4) != 0) return -1;
        char *o = s->buf + s->len;
        if (j) *o++ = (char)s->delimiter;
        o = put_field(s, o, s->names[j], n);
        if (j + 1 == s->ncols) *o++ = '\n';
        s->len = (size_t)(o - s->buf);
    }
    return 0;
}

/* Make room for a field of n bytes at *o (worst case: every byte a quote,
 * plus the quotes around and a delimiter or line end). */
static inline int field_room(csv_sink *s, char **o, size_t n) {
    if ((size_t)(s->buf + s->cap - *o) >= 2 * n + 4) return 0;
    s->len = (size_t)(*o - s->buf);
    if (reserve(s, 2 * n + 4) != 0) return -1;
    *o = s->buf + s->len;
    return 0;
}

static int put_row(csv_sink *s, const hz_field *row) {
    char *o = s->buf + s->len;
    if (s->ncols == 1 && row[s->from[0]].len == 0) {
        /* One empty column would print as a blank line, which readers
         * skip: write it as an empty quoted field. */
        if (field_room(s, &o, 1) != 0) return -1;
        memcpy(o, "\"\"\n", 3);
        s->len = (size_t)(o + 3 - s->buf);
        return 0;
    }
    const size_t *from = s->from;
    for (size_t j = 0; j < s->ncols; j++) {
        const hz_field *f = &row[from[j]];
        if (field_room(s, &o, f->len) != 0) return -1;
        o = put_field(s, o, f->ptr, f->len);
        *o++ = (char)s->delimiter;
    }
    o[-1] = '\n'; /* the last delimiter becomes the line end */
    s->len = (size_t)(o - s->buf);
    return 0;
}

/* mkdir -p of the folder holding `path`: a cron job writing to out/
 * should not fail the first time because out/ does not exist yet. */
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
            struct stat st;
            if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
                hz->error(s->c, "cannot create folder %s: %s", dir, strerror(errno));
                rc = -1;
            } else if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
                hz->error(s->c, "cannot write %s: %s is not a folder", s->shown, csv_shown_path(s->c, dir));
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
    s->cap = BUFFER_SIZE;
    s->len = 0;
    if (!s->tmp_path || !s->buf) {
        hz->error(s->c, "out of memory");
        return -1;
    }
    /* In the target's folder, so that the final rename is atomic. */
    snprintf(s->tmp_path, size, "%.*s.%s.tmp-XXXXXX", (int)dir_len, s->path, base);
    s->fd = mkstemp(s->tmp_path);
    if (s->fd < 0) {
        hz->error(s->c, "cannot create %s (temporary file %s): %s", s->shown, s->tmp_path, strerror(errno));
        free(s->tmp_path);
        s->tmp_path = NULL;
        return -1;
    }
    /* mkstemp makes the file private; the published file gets the usual
     * permissions, as if created with open(2). */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(s->fd, 0666 & ~mask) != 0) {
        hz->error(s->c, "cannot set the permissions of %s: %s", s->tmp_path, strerror(errno));
        return -1;
    }
    if (s->header) return put_names(s);
    return 0;
}

static int sink_write(hz_component *c, void *self, const hz_batch *in) {
    (void)c;
    csv_sink *s = self;
    for (size_t r = 0; r < in->nrows; r++)
        if (put_row(s, in->fields + r * in->ncols) != 0) return -1;
    return 0;
}

/* After the rename, the folder entry itself must reach the disk. */
static void sync_folder(const csv_sink *s) {
    const char *slash = strrchr(s->path, '/');
    char *dir = slash ? strndup(s->path, slash == s->path ? 1 : (size_t)(slash - s->path)) : strdup(".");
    if (!dir) return;
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        fsync(fd); /* best effort: some file systems refuse it on folders */
        close(fd);
    }
    free(dir);
}

/* Everything that can fail: the last bytes written, on disk, closed. */
static int sink_prepare(hz_component *c, void *self) {
    (void)c;
    csv_sink *s = self;
    if (flush_buffer(s) != 0) return -1;
    int rc = s->fsync ? fsync(s->fd) : 0;
    if (close(s->fd) != 0) rc = -1;
    s->fd = -1;
    if (rc != 0) {
        hz->error(s->c, "cannot write %s (temporary file %s): %s", s->shown, s->tmp_path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Only the rename: the complete file replaces the previous one at once. */
static int sink_commit(hz_component *c, void *self) {
    (void)c;
    csv_sink *s = self;
    if (rename(s->tmp_path, s->path) != 0) {
        hz->error(s->c, "cannot publish %s: %s", s->shown, strerror(errno));
        return -1;
    }
    free(s->tmp_path);
    s->tmp_path = NULL;
    if (s->fsync) sync_folder(s);
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
    HZ_CLASS_INIT(hz_sink_class),
    .doc = "writes UTF-8 CSV (minimal quoting, LF, no BOM), published atomically when the run succeeds",
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
