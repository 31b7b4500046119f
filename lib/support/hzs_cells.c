/* Spreadsheet cells as text (see hzs_cells.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <support/hzs_cells.h>

int hzs_cell_parse_ref(const char *text, bool row_optional, uint32_t *col, uint32_t *row) {
    const char *p = text;
    uint32_t c = 0, r = 0;
    if (*p == '$') p++;
    while (*p >= 'A' && *p <= 'Z') {
        c = c * 26 + (uint32_t)(*p - 'A' + 1);
        if (c > HZS_CELL_MAX_COL) return -1;
        p++;
    }
    if (c == 0) return -1;
    if (*p == '$') p++;
    while (*p >= '0' && *p <= '9') {
        r = r * 10 + (uint32_t)(*p - '0');
        if (r > HZS_CELL_MAX_ROW) return -1;
        p++;
    }
    if (*p || (r == 0 && !row_optional)) return -1;
    *col = c;
    *row = r;
    return 0;
}

void hzs_cell_col_name(uint32_t col, char out[4]) {
    char tmp[4];
    int n = 0;
    while (col > 0 && n < 3) {
        col--;
        tmp[n++] = (char)('A' + col % 26);
        col /= 26;
    }
    for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

const char *hzs_cell_number_text(const char *v, char out[32]) {
    char *end;
    while (*v == ' ') v++;
    if (!*v) return NULL;
    double d = strtod(v, &end);
    while (*end == ' ') end++;
    if (*end) return NULL;
    return hzs_cell_double_text(d, out);
}

const char *hzs_cell_double_text(double d, char out[32]) {
    if (!isfinite(d)) return NULL;
    d += 0.0; /* -0 becomes 0: no "-0" */
    if (d == floor(d) && fabs(d) < 9007199254740992.0) {
        snprintf(out, 32, "%.0f", d);
        return out;
    }
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(out, 32, "%.*g", digits, d);
        if (strtod(out, NULL) == d) break;
    }
    return out;
}

/* Days since 0000-03-01 -> civil date (Howard Hinnant's algorithm). */
static void civil(int64_t days, int *y, int *m, int *d) {
    days += 719468; /* from 1970-01-01 */
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

const char *hzs_cell_serial_date(const char *v, bool date1904, char out[32], const char **why) {
    char *end;
    while (*v == ' ') v++;
    double d = strtod(v, &end);
    if (!*v || *end || !isfinite(d)) {
        *why = "is not a number";
        return NULL;
    }
    return hzs_cell_serial_date_of(d, date1904, out, why);
}

const char *hzs_cell_serial_date_of(double d, bool date1904, char out[32], const char **why) {
    if (!isfinite(d)) {
        *why = "is not a number";
        return NULL;
    }
    if (d < 0 || d >= 2958466) { /* 2958465 is 9999-12-31 */
        *why = "is outside the dates Excel can show (1900 to 9999)";
        return NULL;
    }
    /* whole seconds, rounded as Excel shows them */
    int64_t secs = (int64_t)llround(d * 86400.0);
    int64_t day = secs / 86400, sec = secs % 86400;
    /* days since 1970-01-01 of serial 0 */
    int64_t epoch;
    if (date1904) {
        epoch = -24107; /* 1904-01-01 */
    } else if (day == 60) {
        *why = "is 1900-02-29, a day that never was (Excel's 1900 leap-year bug)";
        return NULL;
    } else {
        /* serial 1 is 1900-01-01; from 61 on, one less for the false
         * 1900-02-29 */
        epoch = day > 60 ? -25569 : -25568;
    }
    int y, m, dd;
    civil(epoch + day, &y, &m, &dd);
    if (sec == 0)
        snprintf(out, 32, "%04d-%02d-%02d", y, m, dd);
    else
        snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, dd, (int)(sec / 3600), (int)(sec / 60 % 60),
                 (int)(sec % 60));
    return out;
}

const char *hzs_cell_serial_time(const char *v, char out[32]) {
    char *end;
    while (*v == ' ') v++;
    double d = strtod(v, &end);
    if (!*v || *end) return NULL;
    return hzs_cell_serial_time_of(d, out);
}

const char *hzs_cell_serial_time_of(double d, char out[32]) {
    if (!(d >= 0 && d < 1)) return NULL;
    int64_t secs = (int64_t)llround(d * 86400.0);
    if (secs >= 86400) secs = 86399; /* 23:59:59.6 does not become the next day */
    snprintf(out, 32, "%02d:%02d:%02d", (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
    return out;
}

hzs_cell_format_kind hzs_cell_format_kind_of(unsigned id, const char *code) {
    if ((id >= 14 && id <= 17) || id == 22) return HZS_CELL_FMT_DATE;
    if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47)) return HZS_CELL_FMT_TIME;
    if (!code) return HZS_CELL_FMT_NUMBER;
    bool date = false, time = false;
    for (const char *p = code; *p; p++) {
        char c = *p;
        if (c == '"') { /* quoted text */
            while (p[1] && p[1] != '"') p++;
            if (p[1]) p++;
        } else if (c == '\\' || c == '_' || c == '*') { /* escaped / padding */
            if (p[1]) p++;
        } else if (c == '[') { /* [Red], [$-409]; [h] [mm] [ss] are elapsed time */
            if (strchr("hHmMsS", p[1])) time = true;
            while (p[1] && p[1] != ']') p++;
            if (p[1]) p++;
        } else if (c == ';') {
            break; /* the positive section decides */
        } else if (c == 'd' || c == 'D' || c == 'y' || c == 'Y') {
            date = true;
        } else if (c == 'h' || c == 'H' || c == 's' || c == 'S') {
            time = true;
        } else if (c == 'm' || c == 'M') {
            /* m next to h or s is minutes: look back and ahead past
             * separators */
            const char *q = p;
            while (q > code && strchr(":. ", q[-1])) q--;
            bool after_h = q > code && strchr("hH]", q[-1]);
            const char *r = p;
            while (*r == 'm' || *r == 'M') r++;
            while (*r && strchr(":. ", *r)) r++;
            bool before_s = *r == 's' || *r == 'S';
            if (after_h || before_s)
                time = true;
            else
                date = true;
            while (p[1] == 'm' || p[1] == 'M') p++;
        }
    }
    return date ? HZS_CELL_FMT_DATE : time ? HZS_CELL_FMT_TIME : HZS_CELL_FMT_NUMBER;
}
