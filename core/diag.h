/* Diagnostics: configuration errors collected with their position, so that
 * validate reports every error at once, in file order, gcc-style. */
#ifndef HZ_DIAG_H
#define HZ_DIAG_H
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <harmonize/plugin.h>

typedef enum { HZ_DIAG_ERROR, HZ_DIAG_WARNING } hz_diag_severity;

typedef struct hz_diag_entry {
    char *file;
    unsigned line, col; /* 1-based; 0 when unknown */
    hz_diag_severity severity;
    char *message;
    size_t seq; /* order of discovery, for a stable sort */
} hz_diag_entry;

/* The position of a value already reported as wrong (a ${VAR} in it
 * could not be expanded): whatever is said later at that position is a
 * consequence of the first report, not news. */
typedef struct hz_diag_spoiled {
    char *file;
    unsigned line, col;
} hz_diag_spoiled;

typedef struct hz_diag {
    hz_diag_entry *entries;
    size_t count, cap;
    size_t errors;
    size_t run_errors, run_warnings; /* printed at once by hz_diag_now */
    hz_diag_spoiled *spoiled;
    size_t nspoiled, spoiled_cap;
} hz_diag;

void hz_diag_add(hz_diag *d, hz_diag_severity sev, const char *file, unsigned line, unsigned col,
                 const char *fmt, ...) HZ_PRINTF(6, 7);
void hz_diag_vadd(hz_diag *d, hz_diag_severity sev, const char *file, unsigned line, unsigned col,
                  const char *fmt, va_list ap);
/* The value at file:line:col is reported wrong already: later errors and
 * warnings at that exact position are dropped (a path "${feeds}/x.csv" that
 * cannot be opened, a "${n}" that is no number), so the user reads the
 * cause once, at the variable.  Errors at other positions still count. */
void hz_diag_spoil(hz_diag *d, const char *file, unsigned line, unsigned col);
/* A problem found while the run is under way, where there is no position
 * to sort by and the reader wants it now: printed at once to stderr as
 * "harmonize: error: MESSAGE" (or warning) and counted.  Configuration
 * problems, which have a position, go through hz_diag_add. */
void hz_diag_now(hz_diag *d, hz_diag_severity sev, const char *fmt, ...) HZ_PRINTF(3, 4);
/* The same, from (or about) the component named `component`. */
void hz_diag_now_in(hz_diag *d, hz_diag_severity sev, const char *component, const char *fmt, ...)
    HZ_PRINTF(4, 5);
/* Print as FILE:LINE:COL: error: MESSAGE, sorted by file position; a
 * message repeated at the same position is printed once, and `count` and
 * `errors` then count it once. */
void hz_diag_print(hz_diag *d, FILE *out);
void hz_diag_free(hz_diag *d);
#endif
