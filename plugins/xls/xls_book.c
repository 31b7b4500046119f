/* A .xls workbook through FreeXL (see xls_book.h). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <freexl.h>

#include "xls_book.h"
#include "xls_scan.h"

/* FreeXL's error codes in words. */
static const char *freexl_says(int rc) {
    switch (rc) {
    case FREEXL_FILE_NOT_FOUND: return "cannot be opened";
    case FREEXL_INSUFFICIENT_MEMORY: return "out of memory";
    case FREEXL_INVALID_CFBF_HEADER: return "no OLE2 (CFBF) header: not a .xls file";
    case FREEXL_CFBF_READ_ERROR: return "read error in the OLE2 container (truncated or corrupt)";
    case FREEXL_CFBF_SEEK_ERROR: return "seek error in the OLE2 container (truncated or corrupt)";
    case FREEXL_CFBF_INVALID_SIGNATURE: return "the OLE2 container's signature is broken";
    case FREEXL_CFBF_INVALID_SECTOR_SIZE: return "the OLE2 container's sector size is invalid";
    case FREEXL_CFBF_EMPTY_FAT_CHAIN: return "the OLE2 container's FAT chain is empty";
    case FREEXL_CFBF_ILLEGAL_FAT_ENTRY: return "the OLE2 container has an invalid FAT entry";
    case FREEXL_BIFF_INVALID_BOF: return "an invalid BOF record: no BIFF workbook";
    case FREEXL_BIFF_INVALID_SST: return "an invalid shared strings table (SST)";
    case FREEXL_BIFF_ILLEGAL_SST_INDEX: return "a cell refers to a shared string the workbook does not have";
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND: return "the OLE2 container holds no Workbook stream";
    case FREEXL_INVALID_CHARACTER: return "text that is invalid in its declared code page";
    case FREEXL_UNSUPPORTED_CHARSET: return "an unsupported code page";
    case FREEXL_ILLEGAL_CELL_ROW_COL: return "a cell outside its sheet's declared dimensions";
    case FREEXL_ILLEGAL_RK_VALUE: return "an invalid RK number";
    case FREEXL_INVALID_MINI_STREAM: return "an invalid OLE2 mini stream";
    case FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY: return "an invalid OLE2 mini FAT entry";
    case FREEXL_CRAFTED_FILE: return "records FreeXL refuses as crafted (a corrupt or hostile file)";
    default: return "FreeXL cannot read it";
    }
}

static int refuse(xls_book *b, int rc) {
    hz->error(b->c, "%s is not a readable .xls workbook: %s (FreeXL error %d)", b->shown, freexl_says(rc),
              rc);
    return -1;
}

/* The cells FreeXL would allocate, within max_cells (xls_scan.h).  0, or
 * -1 after reporting. */
static int declared_cells_ok(xls_book *b, int fd, uint64_t size) {
    uint64_t cells = 0;
    const char *why = NULL;
    if (xls_scan_cells(fd, size, &cells, &why) != 0) {
        hz->error(b->c, "%s is not a readable .xls workbook: %s", b->shown, why);
        return -1;
    }
    if (cells > b->max_cells) {
        hz->error(b->c,
                  "%s: its sheets declare %llu cells, over max_cells (%llu): FreeXL allocates 16 bytes for "
                  "each when it opens the workbook; raise the limit if the workbook is genuine",
                  b->shown, (unsigned long long)cells, (unsigned long long)b->max_cells);
        return -1;
    }
    return 0;
}

/* Checked before FreeXL reads anything: a regular file within
 * max_file_bytes; FreeXL opens the very file checked, by its descriptor. */
static int open_checked(xls_book *b) {
    int fd = open(b->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        hz->error(b->c, "cannot open %s: %s", b->shown, strerror(errno));
        return -1;
    }
    struct stat st;
    int rc = -1;
    if (fstat(fd, &st) != 0) {
        hz->error(b->c, "cannot read %s: %s", b->shown, strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
        hz->error(b->c, "%s is not a regular file", b->shown);
    } else if ((uint64_t)st.st_size > b->max_file_bytes) {
        hz->error(b->c,
                  "%s is %llu bytes, over max_file_bytes (%llu): FreeXL reads a whole .xls into memory, "
                  "raise the limit if the workbook is genuine",
                  b->shown, (unsigned long long)st.st_size, (unsigned long long)b->max_file_bytes);
    } else if (declared_cells_ok(b, fd, (uint64_t)st.st_size) == 0) {
        char via[64];
        snprintf(via, sizeof via, "/proc/self/fd/%d", fd);
        /* without /proc, the path itself (checked a moment ago) */
        const char *name = access(via, R_OK) == 0 ? via : b->path;
        const void *h = NULL;
        int got = freexl_open(name, &h);
        if (got != FREEXL_OK || !h) {
            /* FreeXL 1.0.6 answers OK with no handle for a sheet
             * declaring more cells than it allows */
            if (h) freexl_close(h);
            refuse(b, got != FREEXL_OK ? got : FREEXL_CRAFTED_FILE);
        } else {
            b->handle = h;
            rc = 0;
        }
    }
    close(fd); /* FreeXL has read the workbook (it keeps its own stream) */
    return rc;
}

int xls_book_open(xls_book *b) {
    if (open_checked(b) != 0) return -1;
    unsigned int info = 0;
    if (freexl_get_info(b->handle, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
        info == FREEXL_BIFF_OBFUSCATED) {
        hz->error(b->c, "%s is password-protected (obfuscated): FreeXL cannot read it; save it unprotected",
                  b->shown);
        return -1;
    }
    int rc = freexl_get_info(b->handle, FREEXL_BIFF_DATEMODE, &info);
    if (rc != FREEXL_OK) return refuse(b, rc);
    b->date1904 = info == FREEXL_BIFF_DATEMODE_1904;
    rc = freexl_get_info(b->handle, FREEXL_BIFF_SHEET_COUNT, &info);
    if (rc != FREEXL_OK) return refuse(b, rc);
    if (info == 0) {
        hz->error(b->c, "%s is not a readable .xls workbook: it has no worksheet", b->shown);
        return -1;
    }
    b->sheet_names = hz->xcalloc(info, sizeof *b->sheet_names);
    for (unsigned int i = 0; i < info; i++) {
        const char *name = NULL;
        rc = freexl_get_worksheet_name(b->handle, (unsigned short)i, &name);
        if (rc != FREEXL_OK) return refuse(b, rc);
        b->sheet_names[i] = hz->xstrdup(name ? name : "");
        b->nsheets = i + 1;
    }
    return 0;
}

int xls_book_select(xls_book *b, size_t index) {
    int rc = freexl_select_active_worksheet(b->handle, (unsigned short)index);
    unsigned int rows = 0;
    unsigned short cols = 0;
    if (rc == FREEXL_OK) rc = freexl_worksheet_dimensions(b->handle, &rows, &cols);
    if (rc != FREEXL_OK) return refuse(b, rc);
    b->rows = rows;
    b->cols = cols;
    return 0;
}

/* Days from 1900-01-01 (or 1904-01-01) to y-m-d in FreeXL's calendar,
 * where every fourth year is leap: the inverse of its compute_date(). */
static int64_t freexl_days(int base, int y, int m, int d) {
    static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t n = 0;
    for (int yy = base; yy < y; yy++) n += yy % 4 == 0 ? 366 : 365;
    for (int mm = 1; mm < m; mm++) n += month_days[mm - 1] + (mm == 2 && y % 4 == 0);
    return n + d - 1;
}

/* FreeXL's "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" back into a serial.  In
 * the 1900 system serial 1 is 1900-01-01; in the 1904 one FreeXL starts
 * serial 1 at 1904-01-02, serial 0 (and below) at the first day too. */
static bool serial_of(const char *text, bool date1904, double *out) {
    int y, m, d, hh = 0, mi = 0, ss = 0, end = 0;
    int got = sscanf(text, "%4d-%2d-%2d%n %2d:%2d:%2d%n", &y, &m, &d, &end, &hh, &mi, &ss, &end);
    if ((got != 3 && got != 6) || text[end] || m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 9999)
        return false;
    int64_t day = date1904 ? freexl_days(1904, y, m, d) : freexl_days(1900, y, m, d) + 1;
    *out = (double)day + (hh * 3600 + mi * 60 + ss) / 86400.0;
    return true;
}

static bool time_of(const char *text, double *out) {
    int hh, mi, ss, end = 0;
    if (sscanf(text, "%2d:%2d:%2d%n", &hh, &mi, &ss, &end) != 3 || text[end]) return false;
    int secs = hh * 3600 + mi * 60 + ss;
    if (secs >= 86400) secs = 86399; /* FreeXL rounds 23:59:59.6 up to 24:00:00 */
    *out = secs / 86400.0;
    return true;
}

int xls_book_cell(const xls_book *b, uint32_t row, uint32_t col, xls_cell *out, const char *feed) {
    memset(out, 0, sizeof *out);
    if (row >= b->rows || col >= b->cols) return 0;
    FreeXL_CellValue v;
    int rc = freexl_get_cell_value(b->handle, row, (unsigned short)col, &v);
    if (rc != FREEXL_OK) {
        hz->error(b->c, "%s: row %u column %u: %s (FreeXL error %d)", feed, row + 1, col + 1, freexl_says(rc),
                  rc);
        return -1;
    }
    bool ok = true;
    switch (v.type) {
    case FREEXL_CELL_INT:
        out->kind = XLS_NUMBER;
        out->number = v.value.int_value;
        break;
    case FREEXL_CELL_DOUBLE:
        out->kind = XLS_NUMBER;
        out->number = v.value.double_value;
        break;
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
        out->kind = XLS_TEXT;
        out->text = v.value.text_value ? v.value.text_value : "";
        break;
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_DATETIME:
        out->kind = XLS_DATE;
        out->text = v.value.text_value ? v.value.text_value : "";
        ok = serial_of(out->text, b->date1904, &out->number);
        break;
    case FREEXL_CELL_TIME:
        out->kind = XLS_TIME;
        out->text = v.value.text_value ? v.value.text_value : "";
        ok = time_of(out->text, &out->number);
        break;
    default: out->kind = XLS_EMPTY; break;
    }
    if (!ok) {
        hz->error(b->c, "%s: row %u column %u: FreeXL gave the date or time '%s', which is none", feed,
                  row + 1, col + 1, out->text);
        return -1;
    }
    return 0;
}

void xls_book_close(xls_book *b) {
    if (b->handle) freexl_close(b->handle);
    b->handle = NULL;
    for (size_t i = 0; i < b->nsheets; i++) free(b->sheet_names[i]);
    free(b->sheet_names);
    b->sheet_names = NULL;
    b->nsheets = 0;
}
