/* One sheet read as a table (see hzs_sheet.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "hzs_buf.h"
#include "hzs_cells.h"
#include "hzs_names.h"
#include "hzs_sheet.h"

static int parse_range(hzs_sheet_area *a, hz_component *c) {
    const hz_value *at = hz->option(c, "range");
    if (!at) return 0;
    const char *text = hz->value_string(at);
    const char *colon = text ? strchr(text, ':') : NULL;
    char first[16] = "";
    if (colon && (size_t)(colon - text) < sizeof first) memcpy(first, text, (size_t)(colon - text));
    if (!colon || hzs_cell_parse_ref(first, true, &a->col1, &a->row1) != 0 ||
        hzs_cell_parse_ref(colon + 1, true, &a->col2, &a->row2) != 0 || (a->row1 == 0) != (a->row2 == 0) ||
        a->col1 > a->col2 || a->row1 > a->row2) {
        hz->config_error(
            c, at,
            "'range' must be FIRST:LAST cells, e.g. A3:F2000, or columns, e.g. B:F (first before "
            "last), not '%s'",
            text ? text : "");
        return -1;
    }
    a->has_range = true;
    if (a->row1 == 0) a->row1 = 1;
    return 0;
}

int hzs_sheet_area_init(hzs_sheet_area *a, hz_component *c) {
    memset(a, 0, sizeof *a);
    a->col1 = a->row1 = 1;
    int rc = parse_range(a, c);
    const hz_value *hr = hz->option(c, "header_row");
    int64_t h = hr ? hz->opt_int(c, "header_row") : (int64_t)a->row1;
    if (h < 1 || h > HZS_CELL_MAX_ROW) {
        hz->config_error(c, hr, "'header_row' must be a row number from 1 to %u", HZS_CELL_MAX_ROW);
        return -1;
    }
    if (a->has_range && a->row2 && (h < a->row1 || h > a->row2)) {
        hz->config_error(c, hr, "'header_row' (%lld) is outside 'range' (%s)", (long long)h,
                         hz->value_string(hz->option(c, "range")));
        rc = -1;
    }
    a->header_row = (uint32_t)h;
    return rc;
}

bool hzs_sheet_in_columns(const hzs_sheet_area *a, uint32_t col) {
    return col >= a->col1 && (!a->has_range || col <= a->col2);
}

uint32_t hzs_sheet_width(const hzs_sheet_area *a) {
    return a->has_range ? a->col2 - a->col1 + 1 : HZS_CELL_MAX_COL - a->col1 + 1;
}

int hzs_sheet_pick(hz_component *c, const char *shown, const char *const *names, size_t n, size_t *index) {
    const hz_value *at = hz->option(c, "sheet");
    const char *want = at ? hz->value_string(at) : NULL;
    if (!want) {
        *index = 0;
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        if (!strcmp(names[i], want)) {
            *index = i;
            return 0;
        }
    char *end;
    unsigned long k = strtoul(want, &end, 10);
    if (*want >= '0' && *want <= '9' && !*end && k >= 1 && k <= n) {
        *index = k - 1;
        return 0;
    }
    hzs_buf list = {0};
    for (size_t i = 0; i < n; i++) hzs_buf_printf(&list, "%s'%s'", i ? ", " : "", names[i]);
    hz->config_error(c, at, "%s has no sheet '%s'; its sheets are %s (or give a position from 1 to %zu)",
                     shown, want, hzs_buf_str(&list), n);
    hzs_buf_free(&list);
    return -1;
}

static int name_columns(hzs_sheet_header *h, hz_component *c, const hzs_sheet_area *a, const char *feed,
                        char *const *texts, uint32_t last, hzs_sheet_merged_fn merged, void *ctx,
                        const char *empty_hint) {
    h->ncols = last - a->col1 + 1;
    h->names = hz->xcalloc(h->ncols, sizeof *h->names);
    for (uint32_t col = a->col1; col <= last; col++) {
        size_t j = col - a->col1;
        if (texts[j] && texts[j][0]) {
            h->names[j] = hz->xstrdup(texts[j]);
            continue;
        }
        uint32_t first_col = 0;
        const char *first = NULL;
        if (merged && merged(ctx, a->header_row, col, &first_col) && hzs_sheet_in_columns(a, first_col))
            first = texts[first_col - a->col1];
        if (!first || !first[0]) {
            char ref[4];
            hzs_cell_col_name(col, ref);
            hz->config_error(c, hz->option(c, "path"),
                             "the header of %s: cell %s%u is empty: every column up to the last named one "
                             "needs a name (%s)",
                             feed, ref, a->header_row, empty_hint);
            return -1;
        }
        hzs_buf b = {0};
        hzs_buf_printf(&b, "%s_%u", first, col - first_col + 1);
        h->names[j] = hzs_buf_take(&b);
    }
    return 0;
}

static int check_names(const hzs_sheet_header *h, hz_component *c, const hzs_sheet_area *a,
                       const char *feed) {
    size_t *earlier = hz->xcalloc(h->ncols, sizeof *earlier);
    int rc = 0;
    if (hzs_names_repeats((const char *const *)h->names, h->ncols, earlier) > 0)
        for (size_t i = 0; i < h->ncols; i++) {
            if (earlier[i] == HZS_NAMES_FIRST) continue;
            char x[4], y[4];
            hzs_cell_col_name(a->col1 + (uint32_t)earlier[i], x);
            hzs_cell_col_name(a->col1 + (uint32_t)i, y);
            hz->config_error(c, hz->option(c, "path"),
                             "the header of %s names column '%s' twice (cells %s%u and %s%u)", feed,
                             h->names[i], x, a->header_row, y, a->header_row);
            rc = -1;
            break;
        }
    free(earlier);
    return rc;
}

static int plan_dates(hzs_sheet_header *h, hz_component *c, const char *feed) {
    const hz_value *list = hz->option(c, "dates");
    h->forced_date = hz->xcalloc(h->ncols ? h->ncols : 1, sizeof *h->forced_date);
    int rc = 0;
    for (size_t i = 0; list && i < hz->value_count(list); i++) {
        const hz_value *item = hz->value_item(list, i);
        const char *name = hz->value_string(item);
        size_t j = 0;
        while (j < h->ncols && (!name || strcmp(h->names[j], name) != 0)) j++;
        if (j < h->ncols) {
            h->forced_date[j] = true;
            continue;
        }
        hz->config_error(c, item, "'dates' names column '%s', which the header of %s does not have",
                         name ? name : "", feed);
        rc = -1;
    }
    return rc;
}

int hzs_sheet_header_build(hzs_sheet_header *h, hz_component *c, const hzs_sheet_area *a, const char *feed,
                           char *const *texts, uint32_t last, hzs_sheet_merged_fn merged, void *ctx,
                           const char *empty_hint) {
    if (name_columns(h, c, a, feed, texts, last, merged, ctx, empty_hint) != 0) return -1;
    if (check_names(h, c, a, feed) != 0) return -1;
    return plan_dates(h, c, feed);
}

void hzs_sheet_header_free(hzs_sheet_header *h) {
    for (size_t j = 0; h->names && j < h->ncols; j++) free(h->names[j]);
    free(h->names);
    free(h->forced_date);
    memset(h, 0, sizeof *h);
}

void hzs_sheet_empties_data(hzs_sheet_empties *e) {
    e->skipped += e->pending;
    e->pending = 0;
}

void hzs_sheet_empties_note(const hzs_sheet_empties *e, hz_component *c, const char *feed) {
    if (e->skipped)
        hz->summary_note(c, "%llu empty row%s skipped in %s", (unsigned long long)e->skipped,
                         e->skipped == 1 ? "" : "s", feed);
}
