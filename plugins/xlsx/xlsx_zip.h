/* xlsx_zip.h - one member of a workbook's zip, streamed into libxml2's
 * reader.
 *
 * A zip's members come in any order, so each part is found by opening the
 * archive again and walking its headers (libarchive streams; nothing but
 * the member being read is decompressed).  Every member is capped at
 * max_unzipped bytes: past that, the libxml2 reader sees a read error and
 * the caller reports a zip bomb. */
#ifndef HZ_XLSX_ZIP_H
#define HZ_XLSX_ZIP_H
#include <stdbool.h>
#include <stdint.h>

#include <libxml/xmlreader.h>

typedef struct xlsx_member {
    struct archive *ar;
    xmlTextReaderPtr reader;
    uint64_t unzipped, max_unzipped;
    bool too_big;     /* stopped at max_unzipped */
    bool unzip_error; /* libarchive failed (message in error) */
    bool dtd;         /* the part has a DTD: refused */
    char *error;      /* the first error: libarchive's or libxml2's */
} xlsx_member;

/* Open `name` (e.g. "xl/workbook.xml") in the zip at `path` (or, when
 * `fd` is not -1, in the file open as `fd`, read again from its start) and
 * start a
 * reader on it (XML_PARSE_NONET; no DTD, entity or XInclude is loaded).
 * 1 when open, 0 when the zip has no such member, -1 when `path` is no
 * readable zip (message in m->error). */
int xlsx_member_open(xlsx_member *m, const char *path, int fd, const char *name, uint64_t max_unzipped);

/* xmlTextReaderRead, with the member's own failures folded in: 1 on a
 * node, 0 at the end, -1 on any error (then m->error or m->too_big or
 * m->dtd says why). */
int xlsx_member_read(xlsx_member *m);

void xlsx_member_close(xlsx_member *m);

#endif
