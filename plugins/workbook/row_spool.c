/* The workbook sink's row spool (see row_spool.h).  Each field is its
 * length (native size_t) followed by its bytes. */
#define _GNU_SOURCE
#include "row_spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <harmonize/plugin.h>

/* A file with no name in `dir`: O_TMPFILE where the file system has it,
 * else a unique name removed as soon as it is open. */
static int anonymous_file(const char *dir) {
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)) return fd;
    size_t size = strlen(dir) + 32;
    char *name = hz->xmalloc(size);
    snprintf(name, size, "%s/.workbook-spool-XXXXXX", dir);
    fd = mkostemp(name, O_CLOEXEC);
    if (fd >= 0) unlink(name);
    free(name);
    return fd;
}

int row_spool_open(row_spool *s, const char *dir, size_t ncols) {
    memset(s, 0, sizeof *s);
    s->ncols = ncols;
    int fd = anonymous_file(dir);
    if (fd < 0) return -1;
    s->f = fdopen(fd, "w+b");
    if (!s->f) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return 0;
}

int row_spool_put(row_spool *s, const char *p, size_t n) {
    if (fwrite(&n, sizeof n, 1, s->f) != 1 || (n && fwrite(p, 1, n, s->f) != n)) return -1;
    return 0;
}

int row_spool_rewind(row_spool *s) {
    if (fflush(s->f) != 0 || fseek(s->f, 0, SEEK_SET) != 0) return -1;
    return 0;
}

static int short_read(row_spool *s) {
    if (!ferror(s->f)) errno = EIO; /* the file ended before its fields did */
    return -1;
}

int row_spool_get(row_spool *s, const char **p, size_t *n) {
    if (fread(n, sizeof *n, 1, s->f) != 1) return short_read(s);
    if (*n + 1 > s->cap) {
        s->cap = *n + 1;
        s->field = hz->xrealloc(s->field, s->cap);
    }
    if (*n && fread(s->field, 1, *n, s->f) != *n) return short_read(s);
    s->field[*n] = '\0'; /* libxlsxwriter takes C strings */
    *p = s->field;
    return 0;
}

void row_spool_close(row_spool *s) {
    if (s->f) fclose(s->f);
    s->f = NULL;
    free(s->field);
    s->field = NULL;
    s->cap = 0;
}
