/* The cells FreeXL would allocate, counted first (see xls_scan.h).  The
 * container's layout: [MS-CFB], the Compound File Binary format; the
 * records: [MS-XLS] (and BIFF2-5 for the record numbers of older files). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <harmonize/plugin.h>

#include "xls_scan.h"

#define END_OF_CHAIN 0xFFFFFFFEu
#define MINI_SECTOR  64u

typedef struct cfb {
    int fd;
    uint64_t size;
    uint32_t ssz; /* sector size: 512 or 4096 */
    uint32_t *fat;
    uint64_t nfat; /* entries */
} cfb;

static uint32_t u32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint16_t u16(const unsigned char *p) {
    return (uint16_t)(p[0] | p[1] << 8);
}

/* n bytes at off, all inside the file. */
static int rd(const cfb *f, uint64_t off, void *buf, size_t n) {
    if (off > f->size || n > f->size - off) return -1;
    size_t done = 0;
    while (done < n) {
        ssize_t got = pread(f->fd, (char *)buf + done, n - done, (off_t)(off + done));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return -1;
        done += (size_t)got;
    }
    return 0;
}

static int read_sector(const cfb *f, uint32_t s, void *buf) {
    return rd(f, ((uint64_t)s + 1) * f->ssz, buf, f->ssz);
}

/* The sectors of a chain, read back to back; at most `limit` bytes.  A
 * chain visiting more sectors than the file holds loops: refused, so that
 * no chain reads more than the file's size. */
static int read_chain(const cfb *f, uint32_t start, uint64_t limit, unsigned char **out, uint64_t *len) {
    *out = NULL;
    *len = 0;
    uint64_t steps = 0, nsect = f->size / f->ssz;
    for (uint32_t s = start; s != END_OF_CHAIN && *len < limit; s = f->fat[s]) {
        if (s >= f->nfat || ++steps > nsect) return -1;
        *out = hz->xrealloc(*out, *len + f->ssz);
        if (read_sector(f, s, *out + *len) != 0) return -1;
        *len += f->ssz;
    }
    if (*len > limit) *len = limit;
    return 0;
}

/* The FAT: its sectors listed in the header (109) and the DIFAT chain. */
static int load_fat(cfb *f, const unsigned char *h, const char **why) {
    uint32_t nfatsect = u32(h + 0x2C), difat = u32(h + 0x44), ndifat = u32(h + 0x48);
    uint64_t nsect = f->size / f->ssz;
    if (nfatsect == 0 || nfatsect > nsect || ndifat > nsect) {
        *why = "the OLE2 container's FAT is larger than the file";
        return -1;
    }
    uint32_t per = f->ssz / 4;
    f->nfat = (uint64_t)nfatsect * per;
    f->fat = hz->xcalloc(f->nfat, sizeof *f->fat);
    unsigned char *sec = hz->xmalloc(f->ssz);
    uint32_t listed = 0, d = difat;
    int rc = 0;
    for (uint32_t i = 0; i < 109 && listed < nfatsect && rc == 0; i++, listed++)
        if (read_sector(f, u32(h + 0x4C + 4 * i), sec) != 0)
            rc = -1;
        else
            for (uint32_t k = 0; k < per; k++) f->fat[(uint64_t)listed * per + k] = u32(sec + 4 * k);
    unsigned char *dsec = hz->xmalloc(f->ssz);
    for (uint32_t n = 0; listed < nfatsect && rc == 0; n++) {
        if (n >= ndifat || read_sector(f, d, dsec) != 0) {
            rc = -1;
            break;
        }
        for (uint32_t i = 0; i + 1 < per && listed < nfatsect && rc == 0; i++, listed++)
            if (read_sector(f, u32(dsec + 4 * i), sec) != 0)
                rc = -1;
            else
                for (uint32_t k = 0; k < per; k++) f->fat[(uint64_t)listed * per + k] = u32(sec + 4 * k);
        d = u32(dsec + 4 * (per - 1));
    }
    free(dsec);
    free(sec);
    if (rc != 0) *why = "the OLE2 container's FAT points outside the file (truncated or corrupt)";
    return rc;
}

/* Whether directory entry `e` is named `name` (ASCII, UTF-16LE there). */
static bool named(const unsigned char *e, const char *name) {
    size_t n = strlen(name);
    if (u16(e + 0x40) != 2 * (n + 1)) return false;
    for (size_t i = 0; i < n; i++)
        if (e[2 * i] != (unsigned char)name[i] || e[2 * i + 1] != 0) return false;
    return true;
}

/* A stream kept in the mini stream (under the cutoff): 64-byte sectors
 * of the root entry's stream, chained by the mini FAT. */
static int read_mini(const cfb *f, const unsigned char *h, const unsigned char *root, uint32_t start,
                     uint32_t size, unsigned char **out) {
    unsigned char *mini = NULL, *mfat = NULL;
    uint64_t mlen = 0, mflen = 0;
    int rc = -1;
    if (read_chain(f, u32(root + 0x74), u32(root + 0x78), &mini, &mlen) == 0 &&
        read_chain(f, u32(h + 0x3C), (uint64_t)u32(h + 0x40) * f->ssz, &mfat, &mflen) == 0) {
        *out = hz->xmalloc(size ? size : 1);
        /* no more mini sectors than the mini stream holds: no loop */
        uint64_t done = 0, steps = 0, nmfat = mflen / 4, nmini = mlen / MINI_SECTOR;
        uint32_t s = start;
        while (done < size) {
            if (s >= nmfat || ++steps > nmini || ((uint64_t)s + 1) * MINI_SECTOR > mlen) break;
            uint64_t n = size - done < MINI_SECTOR ? size - done : MINI_SECTOR;
            memcpy(*out + done, mini + (uint64_t)s * MINI_SECTOR, n);
            done += n;
            s = u32(mfat + 4 * (uint64_t)s);
        }
        rc = done == size ? 0 : -1;
    }
    free(mini);
    free(mfat);
    return rc;
}

/* The Workbook (BIFF8) or Book (BIFF5) stream. */
static int read_workbook(const cfb *f, const unsigned char *h, unsigned char **out, uint64_t *len,
                         const char **why) {
    unsigned char *dir = NULL;
    uint64_t dlen = 0;
    *out = NULL;
    if (read_chain(f, u32(h + 0x30), f->size, &dir, &dlen) != 0 || dlen < 128) {
        free(dir);
        *why = "the OLE2 container's directory is outside the file (truncated or corrupt)";
        return -1;
    }
    const unsigned char *root = dir, *book = NULL;
    for (uint64_t at = 0; at + 128 <= dlen && !book; at += 128)
        if (dir[at + 0x42] == 2 && (named(dir + at, "Workbook") || named(dir + at, "Book"))) book = dir + at;
    int rc = -1;
    if (!book) {
        *why = "the OLE2 container holds no Workbook stream";
    } else if (root[0x42] != 5 || u32(root + 0x78) > f->size || u32(book + 0x78) > f->size ||
               u32(h + 0x40) > f->size / f->ssz) {
        /* FreeXL allocates what these declare: none may be larger than the
         * file */
        *why = "the OLE2 container declares a stream larger than the file";
    } else {
        uint32_t size = u32(book + 0x78), start = u32(book + 0x74);
        if (size < u32(h + 0x38))
            rc = read_mini(f, h, root, start, size, out);
        else if (read_chain(f, start, size, out, len) == 0 && *len == size)
            rc = 0;
        if (rc == 0) *len = size;
        if (rc != 0) *why = "the Workbook stream runs outside the file (truncated or corrupt)";
    }
    free(dir);
    return rc;
}

/* Records giving a cell's row and column in their first four bytes
 * (BIFF2 to BIFF8). */
static bool cell_record(uint16_t type) {
    switch (type) {
    case 0x0001: /* BLANK (BIFF2) */
    case 0x0002: /* INTEGER */
    case 0x0003: /* NUMBER */
    case 0x0004: /* LABEL */
    case 0x0005: /* BOOLERR */
    case 0x0006: /* FORMULA */
    case 0x0201: /* BLANK */
    case 0x0203: /* NUMBER */
    case 0x0204: /* LABEL */
    case 0x0205: /* BOOLERR */
    case 0x0206: /* FORMULA (BIFF3) */
    case 0x0406: /* FORMULA (BIFF4) */
    case 0x027E: /* RK */
    case 0x00BD: /* MULRK */
    case 0x00BE: /* MULBLANK */
    case 0x00D6: /* RSTRING */
    case 0x00FD: /* LABELSST */ return true;
    default: return false;
    }
}

typedef struct sheet_bound {
    uint64_t declared; /* the cells DIMENSION records ask for */
    bool has_dimension;
    uint32_t rows, cols; /* the farthest cell */
} sheet_bound;

static uint64_t bound_of(const sheet_bound *b) {
    /* without a DIMENSION, FreeXL sizes the sheet by its farthest cell */
    return b->has_dimension ? b->declared : (uint64_t)(b->rows + 1) * (b->cols + 1);
}

/* Whether a string at `off` of a record of n bytes, its character count
 * `cch` and, in BIFF8, an option byte before the characters (UTF-16 when
 * bit 0 is set; a rich-text run count and a phonetic size after it when
 * bits 3 and 2 are), fits in the record.  FreeXL 1.0.6 copies the
 * characters its count gives without looking at the record's length (a
 * FORMAT record declaring 29555 characters in 17 bytes made it read 59 KB
 * past its buffer: found by fuzz_xls_source). */
static bool string_fits(const unsigned char *body, uint16_t n, uint32_t off, uint32_t cch, bool biff8) {
    if (!biff8) return (uint64_t)off + cch <= n;
    if (off >= n) return cch == 0;
    unsigned char flags = body[off];
    uint64_t need = (uint64_t)off + 1 + (flags & 0x08 ? 2 : 0) + (flags & 0x04 ? 4 : 0);
    need += (uint64_t)cch * (flags & 0x01 ? 2 : 1);
    return need <= n;
}

/* Whether a record FreeXL reads a string from holds the string it
 * declares: BOUNDSHEET (a sheet's name), FORMAT, LABEL. */
static bool strings_fit(uint16_t type, const unsigned char *body, uint16_t n, bool biff8) {
    switch (type) {
    case 0x0085: /* BOUNDSHEET: position(4) visibility(1) type(1) cch(1) */
        return n >= 7 && string_fits(body, n, 7, body[6], biff8);
    case 0x041E: /* FORMAT: index(2) cch(2 in BIFF8, else 1) */
        if (biff8) return n >= 4 && string_fits(body, n, 4, u16(body + 2), true);
        return n >= 3 && string_fits(body, n, 3, body[2], false);
    case 0x0204: /* LABEL: row(2) column(2) xf(2) cch(2) */
        return n >= 8 && string_fits(body, n, 8, u16(body + 6), biff8);
    default: return true;
    }
}

/* The cells of every part of the stream, or -1 with `why`. */
static int biff_cells(const unsigned char *p, uint64_t len, uint64_t *cells, const char **why) {
    uint64_t total = 0;
    sheet_bound b = {0};
    bool biff8 = false;
    for (uint64_t at = 0; at + 4 <= len;) {
        uint16_t type = u16(p + at), n = u16(p + at + 2);
        const unsigned char *body = p + at + 4;
        if (at + 4 + n > len) break; /* FreeXL stops there too */
        if (n > 8224) {              /* the longest record BIFF8 allows (BIFF5: 2080) */
            *why = "a BIFF record is longer than 8224 bytes (a corrupt or crafted file)";
            return -1;
        }
        if (!strings_fit(type, body, n, biff8)) {
            *why = "a BIFF record declares a string longer than itself (a corrupt or crafted file)";
            return -1;
        }
        if (type == 0x0809 || type == 0x0009 || type == 0x0209 || type == 0x0409) { /* BOF: a new part */
            total += bound_of(&b);
            memset(&b, 0, sizeof b);
            if (at == 0 && n >= 2) biff8 = u16(body) == 0x0600;    /* the workbook's BIFF version */
        } else if (type == 0x0200 || (type == 0x0000 && n >= 8)) { /* DIMENSION(S) */
            /* both layouts, the larger: BIFF8 has 32-bit rows at +4 */
            uint64_t c5 = n >= 8 ? (uint64_t)u16(body + 2) * u16(body + 6) : 0;
            uint64_t c8 = n >= 14 ? (uint64_t)u32(body + 4) * u16(body + 10) : 0;
            b.declared += c5 > c8 ? c5 : c8;
            b.has_dimension = true;
        } else if (cell_record(type) && n >= 4) {
            uint32_t row = u16(body), col = u16(body + 2);
            if ((type == 0x00BD || type == 0x00BE) && n >= 6) col = u16(body + n - 2); /* the last column */
            if (row > b.rows) b.rows = row;
            if (col > b.cols) b.cols = col;
        }
        at += 4 + (uint64_t)n;
    }
    *cells = total + bound_of(&b);
    return 0;
}

int xls_scan_cells(int fd, uint64_t size, uint64_t *cells, const char **why) {
    static const unsigned char magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    unsigned char h[512];
    cfb f = {fd, size, 0, NULL, 0};
    *cells = 0;
    if (rd(&f, 0, h, sizeof h) != 0 || memcmp(h, magic, sizeof magic) != 0) {
        *why = "no OLE2 (CFBF) header: not a .xls file";
        return -1;
    }
    uint16_t shift = u16(h + 0x1E);
    if ((shift != 9 && shift != 12) || u16(h + 0x20) != 6) {
        *why = "the OLE2 container's sector size is invalid";
        return -1;
    }
    f.ssz = 1u << shift;
    unsigned char *book = NULL;
    uint64_t len = 0;
    int rc = load_fat(&f, h, why);
    if (rc == 0) rc = read_workbook(&f, h, &book, &len, why);
    if (rc == 0) rc = biff_cells(book, len, cells, why);
    free(book);
    free(f.fat);
    return rc;
}
