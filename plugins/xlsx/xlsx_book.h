/* xlsx_book.h - what a workbook says outside its sheets: the sheets' names
 * and parts (xl/workbook.xml, xl/_rels/workbook.xml.rels), the date system,
 * which cell styles show dates (xl/styles.xml), and the shared strings
 * (xl/sharedStrings.xml), held in memory since cells refer to them by
 * index, within max_shared_strings_bytes. */
#ifndef HZ_XLSX_BOOK_H
#define HZ_XLSX_BOOK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <harmonize/plugin.h>

#include "xlsx_zip.h"

typedef struct xlsx_sheet {
    char *name;
    char *part; /* e.g. "xl/worksheets/sheet1.xml" */
} xlsx_sheet;

typedef struct xlsx_book {
    hz_component *c;
    const char *path, *shown;
    int fd; /* the run reads every part through this one descriptor; -1 in plan */
    uint64_t max_unzipped;
    uint64_t max_strings_bytes;
    uint64_t max_field_bytes;

    xlsx_sheet *sheets;
    size_t nsheets;
    bool date1904;
    unsigned char *xf_kind; /* per cell style (a cell's s="N"): an hzs_cell_format_kind */
    size_t nxf;

    char *strings;   /* the shared strings, back to back, each NUL-ended */
    size_t *str_at;  /* where string i starts in strings */
    size_t nstrings; /* how many */
} xlsx_book;

/* Read the workbook, its relationships and styles (not the strings).  0,
 * or -1 after reporting (hz->error). */
int xlsx_book_open(xlsx_book *b);

/* Read the shared strings.  0, or -1 after reporting. */
int xlsx_book_load_strings(xlsx_book *b);

/* Shared string i, or NULL when there is none. */
const char *xlsx_book_string(const xlsx_book *b, size_t i, size_t *len);

/* Report why member `name` could not be read, after xlsx_member_* failed. */
void xlsx_book_member_failed(const xlsx_book *b, const xlsx_member *m, const char *name);

void xlsx_book_free(xlsx_book *b);
#endif
