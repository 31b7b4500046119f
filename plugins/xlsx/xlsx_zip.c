/* Streaming one zip member into libxml2's reader (see xlsx_zip.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <libxml/xmlversion.h>

#include <harmonize/plugin.h>
#include <support/hzs_str.h>

#include "xlsx_zip.h"

#if LIBXML_VERSION >= 21200
#define XML_ERROR_CONST const
#else
#define XML_ERROR_CONST
#endif

/* Never NET, never NOENT/DTDLOAD/DTDATTR/XINCLUDE/HUGE. */
#define READER_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA)

static void keep_error(xlsx_member *m, const char *text) {
    if (!m->error) m->error = hz->xstrdup(text);
}

static int read_member(void *ctx, char *buf, int len) {
    xlsx_member *m = ctx;
    if (m->unzipped >= m->max_unzipped) {
        m->too_big = true;
        return -1;
    }
    uint64_t left = m->max_unzipped - m->unzipped;
    size_t want = len > 0 ? (size_t)len : 0;
    if (want > left) want = (size_t)left;
    la_ssize_t got = archive_read_data(m->ar, buf, want);
    if (got < 0) {
        m->unzip_error = true;
        keep_error(m, archive_error_string(m->ar) ? archive_error_string(m->ar) : "cannot unzip");
        return -1;
    }
    m->unzipped += (uint64_t)got;
    return (int)got;
}

static void on_xml_error(void *arg, XML_ERROR_CONST xmlError *e) {
    xlsx_member *m = arg;
    if (!e || !e->message || e->level == XML_ERR_WARNING) return;
    char text[512];
    size_t n = strlen(e->message);
    while (n > 0 && (e->message[n - 1] == '\n' || e->message[n - 1] == ' ')) n--;
    snprintf(text, sizeof text, "line %d: %.*s", e->line, (int)n, e->message);
    keep_error(m, text);
}

int xlsx_member_open(xlsx_member *m, const char *path, int fd, const char *name, uint64_t max_unzipped) {
    memset(m, 0, sizeof *m);
    m->max_unzipped = max_unzipped;
    m->ar = archive_read_new();
    archive_read_support_format_zip(m->ar);
    archive_read_support_filter_none(m->ar);
    int opened =
        fd >= 0 ? (lseek(fd, 0, SEEK_SET) == 0 ? archive_read_open_fd(m->ar, fd, 64 * 1024) : ARCHIVE_FATAL)
                : archive_read_open_filename(m->ar, path, 64 * 1024);
    if (opened != ARCHIVE_OK) {
        keep_error(m, archive_error_string(m->ar) ? archive_error_string(m->ar) : "cannot open");
        return -1;
    }
    struct archive_entry *e;
    int r;
    while ((r = archive_read_next_header(m->ar, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
        const char *p = archive_entry_pathname(e);
        if (p && p[0] == '/') p++;
        if (!p || strcmp(p, name) != 0) continue;
        m->reader = xmlReaderForIO(read_member, NULL, m, name, NULL, READER_OPTIONS);
        if (!m->reader) {
            keep_error(m, "cannot start the XML reader");
            return -1;
        }
        xmlTextReaderSetStructuredErrorHandler(m->reader, on_xml_error, m);
        return 1;
    }
    if (r != ARCHIVE_EOF) {
        keep_error(m, archive_error_string(m->ar) ? archive_error_string(m->ar) : "not a zip");
        return -1;
    }
    return 0;
}

int xlsx_member_read(xlsx_member *m) {
    int r = xmlTextReaderRead(m->reader);
    if (r == 1 && xmlTextReaderNodeType(m->reader) == XML_READER_TYPE_DOCUMENT_TYPE) {
        /* a workbook's parts never have one: entities are how bombs and
         * external files get in */
        m->dtd = true;
        return -1;
    }
    if (m->too_big || m->unzip_error || m->error) return -1;
    return r < 0 ? -1 : r;
}

void xlsx_member_close(xlsx_member *m) {
    if (m->reader) xmlFreeTextReader(m->reader);
    if (m->ar) archive_read_free(m->ar);
    free(m->error);
    memset(m, 0, sizeof *m);
}
