/* The page: one self-contained HTML file (inline CSS and SVG, no script,
 * nothing fetched), every number taken from the rows the sink kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "report.h"
#include "style.h"

/* ---- values ------------------------------------------------------------ */

typedef enum value_kind { V_NUMBER, V_SUPPRESSED, V_EMPTY } value_kind;

typedef struct cell_value {
    value_kind kind;
    int64_t n;        /* V_NUMBER of a whole-number column */
    const char *text; /* the field as it came */
} cell_value;

static bool row_suppressed(const report_input *in, const char *const *fields) {
    return in->suppressed >= 0 && !strcmp(fields[in->suppressed], "yes");
}

/* Column `col` of kept row `i`: a whole number (decimal when `decimal`, a
 * share), the suppression marker, or empty.  A suppressed row's value is
 * suppressed whatever it holds: it is never shown as a number. */
static int get_value(report *r, const report_input *in, size_t i, const column_ref *col, bool decimal,
                     cell_value *out) {
    const char *const *fields = rows_get(&in->rows, i);
    const char *t = fields[col->slot];
    *out = (cell_value){V_EMPTY, 0, t};
    if (row_suppressed(in, fields) || !strcmp(t, r->marker)) {
        out->kind = V_SUPPRESSED;
        r->any_suppressed = true;
        return 0;
    }
    if (!*t) return 0;
    if (decimal ? html_is_decimal(t) : html_is_integer(t, &out->n)) {
        out->kind = V_NUMBER;
        return 0;
    }
    const char *component = NULL, *file = NULL;
    hz->feed_describe(r->c, in->rows.origins[i].feed, &component, &file);
    hz->error(
        r->c,
        "input '%s': column '%s' holds '%.40s', which is neither %s nor the suppression marker '%s' (the "
        "row of %s line %llu)",
        in->name, col->name, t, decimal ? "a decimal number" : "a whole number", r->marker, file ? file : "-",
        (unsigned long long)in->rows.origins[i].line);
    return -1;
}

static void suppressed_mark(report *r, hzs_buf *b) {
    hzs_buf_adds(b, "<abbr class=\"suppressed\" title=\"suppressed (statistical disclosure control: see the "
                    "notes)\">");
    html_text(b, r->marker);
    hzs_buf_adds(b, "</abbr>");
}

/* A value as text: 49,795, the marker, or nothing. */
static void value_html(report *r, hzs_buf *b, const cell_value *v) {
    if (v->kind == V_SUPPRESSED)
        suppressed_mark(r, b);
    else if (v->kind == V_NUMBER)
        html_cell_text(b, v->text);
}

/* A share as text: 21.2%, the marker (no sign: it is no number), or nothing. */
static void share_value_html(report *r, hzs_buf *b, const cell_value *v) {
    value_html(r, b, v);
    if (v->kind == V_NUMBER) hzs_buf_adds(b, "%");
}

/* The same in an SVG <text> or <title>: no markup there. */
static void value_plain(report *r, hzs_buf *b, const cell_value *v) {
    if (v->kind == V_SUPPRESSED) {
        html_text(b, r->marker);
        hzs_buf_adds(b, " (suppressed)");
    } else if (v->kind == V_NUMBER)
        html_cell_text(b, v->text);
}

/* A label in an SVG <text>, which does not wrap: at most `max`
 * characters (code points), the rest cut to an ellipsis.  The whole label
 * is in the mark's <title> and in the table. */
static void svg_label(hzs_buf *b, const char *s, size_t max) {
    size_t chars = 0, cut = 0, i = 0;
    for (; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars == max) cut = i;
    if (chars <= max) {
        html_text(b, s);
        return;
    }
    char *head = hz->xmalloc(cut + 1);
    memcpy(head, s, cut);
    head[cut] = 0;
    html_text(b, head);
    free(head);
    hzs_buf_adds(b, "…");
}

/* ---- pieces ------------------------------------------------------------- */

static void section_start(hzs_buf *b, const section *s, size_t k, const char *cls) {
    hzs_buf_adds(b, "<section class=\"report-section ");
    hzs_buf_adds(b, cls);
    hzs_buf_adds(b, "\" id=\"");
    if (s->id)
        html_text(b, s->id);
    else
        hzs_buf_printf(b, "section-%zu", k + 1);
    hzs_buf_adds(b, "\" aria-labelledby=\"");
    if (s->id)
        html_text(b, s->id);
    else
        hzs_buf_printf(b, "section-%zu", k + 1);
    hzs_buf_adds(b, "-h\">\n<h2 id=\"");
    if (s->id)
        html_text(b, s->id);
    else
        hzs_buf_printf(b, "section-%zu", k + 1);
    hzs_buf_adds(b, "-h\">");
    html_text(b, s->title);
    hzs_buf_adds(b, "</h2>\n");
}

static void section_end(hzs_buf *b, const section *s) {
    if (s->note) {
        hzs_buf_adds(b, "<p class=\"note\">");
        html_text(b, s->note);
        hzs_buf_adds(b, "</p>\n");
    }
    hzs_buf_adds(b, "</section>\n");
}

/* A unique prefix for ids inside section k (SVG titles, patterns). */
static void sid(hzs_buf *b, size_t k, const char *what) {
    hzs_buf_printf(b, "s%zu-%s", k + 1, what);
}

/* ---- headline ------------------------------------------------------------ */

static int render_headline(report *r, hzs_buf *b, const section *s, size_t k) {
    const report_input *in = &r->inputs[s->input];
    section_start(b, s, k, "headline");
    hzs_buf_adds(b, "<div class=\"figures\">\n");
    for (size_t f = 0; f < s->nfigures; f++) {
        const figure *fig = &s->figures[f];
        size_t found = (size_t)-1, matches = 0;
        for (size_t i = 0; i < in->rows.nrows; i++) {
            const char *const *fields = rows_get(&in->rows, i);
            if (filter_pass(&s->where, fields) && filter_pass(&fig->where, fields)) {
                if (!matches++) found = i;
            }
        }
        if (matches != 1) {
            hz->error(r->c,
                      "figure '%s' of section '%s': %s row of input '%s' matches its where:", fig->label,
                      s->title, matches ? "more than one" : "no", s->input_name);
            return -1;
        }
        cell_value v, share = {V_EMPTY, 0, ""};
        if (get_value(r, in, found, &s->value, false, &v) != 0) return -1;
        if (s->share.name && get_value(r, in, found, &s->share, true, &share) != 0) return -1;
        hzs_buf_adds(b, "<div class=\"figure\"><p class=\"figure-value\">");
        value_html(r, b, &v);
        hzs_buf_adds(b, "</p><p class=\"figure-label\">");
        html_text(b, fig->label);
        hzs_buf_adds(b, "</p>");
        if (share.kind != V_EMPTY) {
            hzs_buf_adds(b, "<p class=\"figure-share\">");
            share_value_html(r, b, &share);
            hzs_buf_adds(b, "</p>");
        }
        hzs_buf_adds(b, "</div>\n");
    }
    hzs_buf_adds(b, "</div>\n");
    section_end(b, s);
    return 0;
}

/* ---- bars ------------------------------------------------------------------ */

/* SVG geometry, in the viewBox's units (the chart scales to the page). */
#define CHART_W         960
#define LABEL_W         300 /* bar labels, right-aligned at LABEL_W - 10 */
#define BAR_MAX_W       520 /* the largest bar; the rest is room for its value */
#define BAR_STEP        30
#define BAR_H           20
#define BAR_LABEL_CHARS 34 /* at 14 px, what fits LABEL_W - 10 (40 overflowed to the left) */

static const char *header_of(report *r, const char *column) {
    const hz_value *labels = hz->option(r->c, "labels");
    for (size_t i = 0; labels && i < hz->value_count(labels); i++)
        if (!strcmp(hz->value_string(hz->value_key(labels, i)), column))
            return hz->value_string(hz->value_item(labels, i));
    return column;
}

static void th_col(report *r, hzs_buf *b, const char *column) {
    hzs_buf_adds(b, "<th scope=\"col\">");
    html_text(b, header_of(r, column));
    hzs_buf_adds(b, "</th>");
}

static int render_bars(report *r, hzs_buf *b, const section *s, size_t k) {
    const report_input *in = &r->inputs[s->input];
    size_t n = 0;
    int64_t max = 0;
    for (size_t i = 0; i < in->rows.nrows; i++) {
        if (!filter_pass(&s->where, rows_get(&in->rows, i))) continue;
        cell_value v;
        if (get_value(r, in, i, &s->value, false, &v) != 0) return -1;
        if (v.kind == V_NUMBER && v.n > max) max = v.n;
        n++;
    }
    section_start(b, s, k, "bars");
    int height = (int)n * BAR_STEP + 10;
    hzs_buf_printf(b, "<figure class=\"chart\">\n<svg role=\"img\" aria-labelledby=\"");
    sid(b, k, "title");
    hzs_buf_printf(b, "\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\">\n<title id=\"", CHART_W, height,
                   CHART_W, height);
    sid(b, k, "title");
    hzs_buf_adds(b, "\">");
    html_text(b, s->title);
    hzs_buf_printf(b, ": a bar chart of %zu bars; the table below gives the same numbers</title>\n", n);
    size_t row = 0;
    for (size_t i = 0; i < in->rows.nrows; i++) {
        const char *const *fields = rows_get(&in->rows, i);
        if (!filter_pass(&s->where, fields)) continue;
        cell_value v, share = {V_EMPTY, 0, ""};
        if (get_value(r, in, i, &s->value, false, &v) != 0) return -1;
        if (s->share.name && get_value(r, in, i, &s->share, true, &share) != 0) return -1;
        int y = 5 + (int)row++ * BAR_STEP;
        hzs_buf_adds(b, "<g class=\"bar\"><title>");
        html_text(b, fields[s->label.slot]);
        hzs_buf_adds(b, ": ");
        value_plain(r, b, &v);
        if (share.kind == V_NUMBER) {
            hzs_buf_adds(b, " (");
            html_text(b, share.text);
            hzs_buf_adds(b, "%)");
        }
        hzs_buf_printf(b, "</title><text class=\"bar-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">",
                       LABEL_W - 10, y + 15);
        svg_label(b, fields[s->label.slot], BAR_LABEL_CHARS);
        hzs_buf_adds(b, "</text>");
        int w = 0;
        if (v.kind == V_NUMBER && max > 0) {
            /* To scale; a non-zero value gets at least a visible sliver. */
            w = (int)((double)v.n * BAR_MAX_W / (double)max + 0.5);
            if (w < 2 && v.n > 0) w = 2;
            hzs_buf_printf(b, "<rect class=\"bar-rect\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
                           LABEL_W, y, w, BAR_H);
        }
        /* A suppressed value has no bar: its length would tell it. */
        hzs_buf_printf(b, "<text class=\"bar-value%s\" x=\"%d\" y=\"%d\">",
                       v.kind == V_SUPPRESSED ? " is-suppressed" : "", LABEL_W + w + 6, y + 15);
        value_plain(r, b, &v);
        if (share.kind == V_NUMBER) {
            hzs_buf_adds(b, " · ");
            html_text(b, share.text);
            hzs_buf_adds(b, "%");
        }
        hzs_buf_adds(b, "</text></g>\n");
    }
    hzs_buf_adds(b, "</svg>\n</figure>\n<details class=\"data\" open><summary>The numbers as a "
                    "table</summary>\n<table>\n<caption>");
    html_text(b, s->title);
    hzs_buf_adds(b, "</caption>\n<thead><tr>");
    th_col(r, b, s->label.name);
    th_col(r, b, s->value.name);
    if (s->share.name) th_col(r, b, s->share.name);
    hzs_buf_adds(b, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < in->rows.nrows; i++) {
        const char *const *fields = rows_get(&in->rows, i);
        if (!filter_pass(&s->where, fields)) continue;
        cell_value v, share = {V_EMPTY, 0, ""};
        if (get_value(r, in, i, &s->value, false, &v) != 0) return -1;
        if (s->share.name && get_value(r, in, i, &s->share, true, &share) != 0) return -1;
        hzs_buf_adds(b, "<tr><th scope=\"row\">");
        html_text(b, fields[s->label.slot]);
        hzs_buf_adds(b, "</th><td class=\"num\">");
        value_html(r, b, &v);
        hzs_buf_adds(b, "</td>");
        if (s->share.name) {
            hzs_buf_adds(b, "<td class=\"num\">");
            share_value_html(r, b, &share);
            hzs_buf_adds(b, "</td>");
        }
        hzs_buf_adds(b, "</tr>\n");
    }
    hzs_buf_adds(b, "</tbody>\n</table>\n</details>\n");
    section_end(b, s);
    return 0;
}

/* ---- matrix --------------------------------------------------------------------- */

/* The distinct values of a column, in the order they first come. */
typedef struct labels {
    const char **v;
    size_t n, cap;
} labels;

static size_t label_index(labels *l, const char *s) {
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s)) return i;
    l->v = hzs_grow(l->v, &l->cap, l->n + 1, sizeof *l->v);
    l->v[l->n] = s;
    return l->n++;
}

typedef struct matrix {
    labels rows, cols;
    cell_value *cells; /* rows.n * cols.n; V_EMPTY where no row gives it */
    bool *given;
    int64_t *row_total, *col_total, grand, max;
    bool *row_partial, *col_partial, grand_partial;
} matrix;

static void matrix_free(matrix *m) {
    free(m->rows.v);
    free(m->cols.v);
    free(m->cells);
    free(m->given);
    free(m->row_total);
    free(m->col_total);
    free(m->row_partial);
    free(m->col_partial);
}

static int matrix_build(report *r, const section *s, matrix *m) {
    const report_input *in = &r->inputs[s->input];
    for (size_t i = 0; i < in->rows.nrows; i++) {
        const char *const *fields = rows_get(&in->rows, i);
        if (!filter_pass(&s->where, fields)) continue;
        label_index(&m->rows, fields[s->rows.slot]);
        label_index(&m->cols, fields[s->cols.slot]);
    }
    size_t nr = m->rows.n, nc = m->cols.n;
    m->cells = hz->xcalloc(nr * nc + 1, sizeof *m->cells);
    m->given = hz->xcalloc(nr * nc + 1, sizeof *m->given);
    m->row_total = hz->xcalloc(nr + 1, sizeof *m->row_total);
    m->col_total = hz->xcalloc(nc + 1, sizeof *m->col_total);
    m->row_partial = hz->xcalloc(nr + 1, sizeof *m->row_partial);
    m->col_partial = hz->xcalloc(nc + 1, sizeof *m->col_partial);
    for (size_t i = 0; i < in->rows.nrows; i++) {
        const char *const *fields = rows_get(&in->rows, i);
        if (!filter_pass(&s->where, fields)) continue;
        size_t ri = label_index(&m->rows, fields[s->rows.slot]),
               ci = label_index(&m->cols, fields[s->cols.slot]);
        size_t at = ri * nc + ci;
        if (m->given[at]) {
            hz->error(r->c, "section '%s': input '%s' has two rows for %s '%s' and %s '%s'", s->title,
                      s->input_name, s->rows.name, fields[s->rows.slot], s->cols.name, fields[s->cols.slot]);
            return -1;
        }
        m->given[at] = true;
        if (get_value(r, in, i, &s->value, false, &m->cells[at]) != 0) return -1;
        const cell_value *v = &m->cells[at];
        /* Totals of the published cells only: a suppressed cell is left
         * out, and the total says so (it is no more than what anyone
         * adding up the published cells gets). */
        if (v->kind == V_NUMBER) {
            m->row_total[ri] += v->n;
            m->col_total[ci] += v->n;
            m->grand += v->n;
            if (v->n > m->max) m->max = v->n;
        } else if (v->kind == V_SUPPRESSED) {
            m->row_partial[ri] = m->col_partial[ci] = m->grand_partial = true;
            r->any_partial = true;
        }
    }
    return 0;
}

static void total_html(hzs_buf *b, int64_t n, bool partial) {
    hzs_buf_adds(b, "<span class=\"n\">");
    html_integer(b, n);
    hzs_buf_adds(b, "</span>");
    if (partial)
        hzs_buf_adds(b,
                     "<sup class=\"partial\" title=\"the total of the published cells only: suppressed cells "
                     "are left out\">+</sup>");
}

/* A percentage of the grand total, one decimal. */
static void share_html(hzs_buf *b, int64_t n, int64_t grand) {
    if (grand > 0) hzs_buf_printf(b, "%.1f%%", 100.0 * (double)n / (double)grand);
}

/* The heat map's colour for v of max: light to dark blue (the value is
 * always printed in the cell too: colour alone carries no meaning). */
static void heat_fill(hzs_buf *b, int64_t v, int64_t max, bool *dark) {
    double t = max > 0 ? (double)v / (double)max : 0;
    if (t > 0 && t < 0.08) t = 0.08;
    int r0 = 239, g0 = 243, b0 = 255, r1 = 8, g1 = 48, b1 = 107;
    hzs_buf_printf(b, "rgb(%d,%d,%d)", (int)(r0 + (r1 - r0) * t), (int)(g0 + (g1 - g0) * t),
                   (int)(b0 + (b1 - b0) * t));
    *dark = t > 0.45;
}

#define M_LABEL_W     300
#define M_LABEL_CHARS 38 /* at 14 px, what fits M_LABEL_W */
#define M_HEAD_CHARS  30
#define M_CELL_H      34
#define M_TOTAL_W     90

static void matrix_svg(report *r, hzs_buf *b, const section *s, size_t k, const matrix *m) {
    size_t nr = m->rows.n, nc = m->cols.n;
    int cell_w = nc ? (CHART_W - M_LABEL_W - M_TOTAL_W) / (int)nc : 0;
    if (cell_w > 110) cell_w = 110;
    int width = M_LABEL_W + cell_w * (int)nc + M_TOTAL_W + 10;
    /* Room above the cells for the slanted headings: the longest one's
     * characters (about 8 px each at 13 px) times sin 40 degrees. */
    size_t longest = 5; /* "Total" */
    for (size_t ci = 0; ci < nc; ci++) {
        size_t chars = 0;
        for (const char *p = m->cols.v[ci]; *p; p++) chars += ((unsigned char)*p & 0xC0) != 0x80;
        if (chars > longest) longest = chars;
    }
    if (longest > M_HEAD_CHARS) longest = M_HEAD_CHARS + 1;
    int head_h = 24 + (int)longest * 5;
    int height = head_h + M_CELL_H * (int)(nr + 1) + 10;
    hzs_buf_adds(b, "<figure class=\"chart\">\n<svg role=\"img\" aria-labelledby=\"");
    sid(b, k, "title");
    hzs_buf_printf(b, "\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\">\n<title id=\"", width, height,
                   width, height);
    sid(b, k, "title");
    hzs_buf_adds(b, "\">");
    html_text(b, s->title);
    hzs_buf_printf(b,
                   ": a heat map of %zu rows by %zu columns with totals; the table below gives the same "
                   "numbers</title>\n",
                   nr, nc);
    hzs_buf_adds(b, "<defs><pattern id=\"");
    sid(b, k, "hatch");
    hzs_buf_adds(
        b, "\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
           "<rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" "
           "stroke=\"#767676\" stroke-width=\"2\"/></pattern></defs>\n");
    /* Column headings, slanted to fit long names. */
    for (size_t ci = 0; ci <= nc; ci++) {
        int x = M_LABEL_W + cell_w * (int)ci + (ci < nc ? cell_w / 2 : M_TOTAL_W / 2);
        hzs_buf_printf(b, "<text class=\"m-head\" transform=\"translate(%d,%d) rotate(-40)\">", x,
                       head_h - 8);
        svg_label(b, ci < nc ? m->cols.v[ci] : "Total", M_HEAD_CHARS);
        hzs_buf_adds(b, "</text>\n");
    }
    for (size_t ri = 0; ri <= nr; ri++) {
        int y = head_h + M_CELL_H * (int)ri;
        const char *row_name = ri < nr ? m->rows.v[ri] : "Total";
        hzs_buf_printf(b, "<text class=\"m-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">", M_LABEL_W - 10,
                       y + M_CELL_H / 2 + 5);
        svg_label(b, row_name, M_LABEL_CHARS);
        hzs_buf_adds(b, "</text>\n");
        for (size_t ci = 0; ci <= nc; ci++) {
            int x = M_LABEL_W + cell_w * (int)ci;
            int w = ci < nc ? cell_w : M_TOTAL_W;
            const char *col_name = ci < nc ? m->cols.v[ci] : "Total";
            hzs_buf_adds(b, "<g class=\"m-cell\"><title>");
            html_text(b, row_name);
            hzs_buf_adds(b, " × ");
            html_text(b, col_name);
            hzs_buf_adds(b, ": ");
            bool dark = false;
            hzs_buf fill = {0}, text = {0};
            if (ri < nr && ci < nc) {
                const cell_value *v = &m->cells[ri * nc + ci];
                if (!m->given[ri * nc + ci]) {
                    hzs_buf_adds(&text, "–");
                    hzs_buf_adds(b, "no row");
                    hzs_buf_adds(&fill, "#ffffff");
                } else if (v->kind == V_SUPPRESSED) {
                    value_plain(r, &text, v);
                    value_plain(r, b, v);
                    hzs_buf_adds(&fill, "url(#");
                    sid(&fill, k, "hatch");
                    hzs_buf_adds(&fill, ")");
                    hzs_buf_clear(&text);
                    html_text(&text, r->marker);
                } else {
                    value_plain(r, &text, v);
                    value_plain(r, b, v);
                    heat_fill(&fill, v->kind == V_NUMBER ? v->n : 0, m->max, &dark);
                }
            } else {
                /* The totals' row (ri == nr), column (ci == nc), and both. */
                int64_t n = m->grand;
                bool partial = m->grand_partial;
                if (ci < nc) {
                    n = m->col_total[ci];
                    partial = m->col_partial[ci];
                } else if (ri < nr) {
                    n = m->row_total[ri];
                    partial = m->row_partial[ri];
                }
                html_integer(&text, n);
                if (partial) hzs_buf_adds(&text, "+");
                html_integer(b, n);
                if (partial) hzs_buf_adds(b, " (published cells only)");
                hzs_buf_adds(&fill, "#f2f2f2");
            }
            hzs_buf_printf(b,
                           "</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
                           "stroke=\"#ffffff\"/><text class=\"m-value%s\" x=\"%d\" y=\"%d\" "
                           "text-anchor=\"middle\">%s</text></g>\n",
                           x, y, w, M_CELL_H, hzs_buf_str(&fill), dark ? " on-dark" : "", x + w / 2,
                           y + M_CELL_H / 2 + 5, hzs_buf_str(&text));
            hzs_buf_free(&fill);
            hzs_buf_free(&text);
        }
    }
    hzs_buf_adds(b, "</svg>\n</figure>\n");
}

static void matrix_table(report *r, hzs_buf *b, const section *s, const matrix *m) {
    size_t nr = m->rows.n, nc = m->cols.n;
    hzs_buf_adds(b, "<details class=\"data\" open><summary>The numbers as a table</summary>\n<table "
                    "class=\"matrix\">\n<caption>");
    html_text(b, s->title);
    hzs_buf_adds(b, " (rows: ");
    html_text(b, header_of(r, s->rows.name));
    hzs_buf_adds(b, "; columns: ");
    html_text(b, header_of(r, s->cols.name));
    hzs_buf_adds(b, ")</caption>\n<thead><tr><td></td>");
    for (size_t ci = 0; ci < nc; ci++) {
        hzs_buf_adds(b, "<th scope=\"col\">");
        html_text(b, m->cols.v[ci]);
        hzs_buf_adds(b, "</th>");
    }
    hzs_buf_adds(b,
                 "<th scope=\"col\">Total</th><th scope=\"col\">Share of total</th></tr></thead>\n<tbody>\n");
    for (size_t ri = 0; ri < nr; ri++) {
        hzs_buf_adds(b, "<tr><th scope=\"row\">");
        html_text(b, m->rows.v[ri]);
        hzs_buf_adds(b, "</th>");
        for (size_t ci = 0; ci < nc; ci++) {
            const cell_value *v = &m->cells[ri * nc + ci];
            hzs_buf_adds(b, "<td class=\"num cell\">");
            if (!m->given[ri * nc + ci])
                hzs_buf_adds(b, "<span class=\"n none\">–</span>");
            else if (v->kind == V_NUMBER) {
                hzs_buf_adds(b, "<span class=\"n\">");
                value_html(r, b, v);
                hzs_buf_adds(b, "</span>");
            } else
                value_html(r, b, v);
            hzs_buf_adds(b, "</td>");
        }
        hzs_buf_adds(b, "<td class=\"num row-total\">");
        total_html(b, m->row_total[ri], m->row_partial[ri]);
        hzs_buf_adds(b, "</td><td class=\"num share\">");
        share_html(b, m->row_total[ri], m->grand);
        hzs_buf_adds(b, "</td></tr>\n");
    }
    hzs_buf_adds(b, "</tbody>\n<tfoot><tr><th scope=\"row\">Total</th>");
    for (size_t ci = 0; ci < nc; ci++) {
        hzs_buf_adds(b, "<td class=\"num col-total\">");
        total_html(b, m->col_total[ci], m->col_partial[ci]);
        hzs_buf_adds(b, "</td>");
    }
    hzs_buf_adds(b, "<td class=\"num grand-total\">");
    total_html(b, m->grand, m->grand_partial);
    hzs_buf_adds(b, "</td><td class=\"num share\">");
    share_html(b, m->grand, m->grand);
    hzs_buf_adds(b, "</td></tr>\n<tr><th scope=\"row\">Share of total</th>");
    for (size_t ci = 0; ci < nc; ci++) {
        hzs_buf_adds(b, "<td class=\"num share\">");
        share_html(b, m->col_total[ci], m->grand);
        hzs_buf_adds(b, "</td>");
    }
    hzs_buf_adds(b, "<td></td><td></td></tr></tfoot>\n</table>\n</details>\n");
}

static int render_matrix(report *r, hzs_buf *b, const section *s, size_t k) {
    matrix m = {0};
    int rc = matrix_build(r, s, &m);
    if (rc == 0) {
        for (size_t i = 0; i < m.rows.n * m.cols.n; i++)
            if (!m.given[i]) r->any_missing = true;
        section_start(b, s, k, "matrix");
        matrix_svg(r, b, s, k, &m);
        matrix_table(r, b, s, &m);
        section_end(b, s);
    }
    matrix_free(&m);
    return rc;
}

/* ---- table ------------------------------------------------------------------------ */

static int render_table(report *r, hzs_buf *b, const section *s, size_t k) {
    const report_input *in = &r->inputs[s->input];
    section_start(b, s, k, "table");
    hzs_buf_adds(b, "<table>\n<caption>");
    html_text(b, s->title);
    hzs_buf_adds(b, "</caption>\n<thead><tr>");
    for (size_t j = 0; j < s->ncolumns; j++) th_col(r, b, s->columns[j].name);
    hzs_buf_adds(b, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < in->rows.nrows; i++) {
        const char *const *fields = rows_get(&in->rows, i);
        if (!filter_pass(&s->where, fields)) continue;
        hzs_buf_adds(b, "<tr>");
        for (size_t j = 0; j < s->ncolumns; j++) {
            const char *t = fields[s->columns[j].slot];
            int64_t n;
            bool number = html_is_integer(t, &n) || html_is_decimal(t);
            hzs_buf_adds(b, number || !strcmp(t, r->marker) ? "<td class=\"num\">" : "<td>");
            /* The marker is a suppressed cell (in a row flagged suppressed,
             * when the input has the flag). */
            if (!strcmp(t, r->marker) && (in->suppressed < 0 || row_suppressed(in, fields))) {
                suppressed_mark(r, b);
                r->any_suppressed = true;
            } else
                html_cell_text(b, t);
            hzs_buf_adds(b, "</td>");
        }
        hzs_buf_adds(b, "</tr>\n");
    }
    hzs_buf_adds(b, "</tbody>\n</table>\n");
    section_end(b, s);
    return 0;
}

/* ---- the page ---------------------------------------------------------------------- */

static void page_notes(report *r, hzs_buf *b) {
    const hz_value *notes = hz->option(r->c, "footnotes");
    size_t nnotes = notes ? hz->value_count(notes) : 0;
    if (!nnotes && !r->any_suppressed && !r->any_partial && !r->any_missing) return;
    hzs_buf_adds(b, "<section class=\"report-section notes\" id=\"notes\" aria-labelledby=\"notes-h\">\n"
                    "<h2 id=\"notes-h\">Notes</h2>\n");
    if (r->any_suppressed || r->any_partial || r->any_missing) {
        hzs_buf_adds(b, "<dl class=\"legend\">\n");
        if (r->any_suppressed) {
            hzs_buf_adds(b, "<dt>");
            suppressed_mark(r, b);
            hzs_buf_adds(b, "</dt><dd>Suppressed: a small count is not published (statistical disclosure "
                            "control), nor is a second count that would give it back by subtraction. A "
                            "suppressed value has no bar, and its cell in a heat map is hatched.</dd>\n");
        }
        if (r->any_partial)
            hzs_buf_adds(b,
                         "<dt><sup class=\"partial\">+</sup></dt><dd>A total marked so adds up the published "
                         "cells of its line only: its suppressed cells are left out, so it is less than the "
                         "true total, and the shares of that table are of the published cells' total "
                         "(a total that counted the suppressed cells would give them back by "
                         "subtraction).</dd>\n");
        if (r->any_missing)
            hzs_buf_adds(b, "<dt>–</dt><dd>No row for this combination in the table: no records.</dd>\n");
        hzs_buf_adds(b, "</dl>\n");
    }
    if (nnotes) {
        hzs_buf_adds(b, "<ol class=\"footnotes\">\n");
        for (size_t i = 0; i < nnotes; i++) {
            hzs_buf_adds(b, "<li>");
            html_text(b, hz->value_string(hz->value_item(notes, i)));
            hzs_buf_adds(b, "</li>\n");
        }
        hzs_buf_adds(b, "</ol>\n");
    }
    hzs_buf_adds(b, "</section>\n");
}

/* The run's feeds as its manifest lists them (ABI 1.4, hz->feed_info). */
static int page_sources(report *r, hzs_buf *b) {
    if (!r->sources) return 0;
    hzs_buf_adds(
        b,
        "<section class=\"report-section sources\" id=\"data-sources\" aria-labelledby=\"data-sources-h\">\n"
        "<h2 id=\"data-sources-h\">Data sources</h2>\n<table class=\"sources\">\n"
        "<caption>The files this run read, with the size and SHA-256 its manifest records</caption>\n"
        "<thead><tr><th scope=\"col\">Feed</th><th scope=\"col\">Source</th><th scope=\"col\">Rows "
        "read</th><th scope=\"col\">Rows rejected</th><th scope=\"col\">Bytes</th><th "
        "scope=\"col\">SHA-256</th></tr></thead>\n<tbody>\n");
    size_t n = hz->feed_count(r->c);
    for (size_t i = 0; i < n; i++) {
        hz_feed_info fi = {.struct_size = sizeof fi};
        if (hz->feed_info(r->c, i, &fi) != 0) {
            hz->error(r->c, "the core gave no information on feed %zu of %zu (a core bug)", i, n);
            return -1;
        }
        hzs_buf_adds(b, "<tr><th scope=\"row\" class=\"feed\">");
        html_text(b, fi.name);
        hzs_buf_adds(b, "</th><td>");
        html_text(b, fi.source);
        hzs_buf_adds(b, "</td><td class=\"num\">");
        html_integer(b, (int64_t)fi.rows);
        hzs_buf_adds(b, "</td><td class=\"num\">");
        html_integer(b, (int64_t)fi.rejected);
        hzs_buf_adds(b, "</td><td class=\"num bytes\">");
        if (fi.sha256)
            html_integer(b, (int64_t)fi.bytes);
        else
            hzs_buf_adds(b, "–");
        hzs_buf_adds(b, "</td><td><code class=\"sha256\">");
        html_text(b, fi.sha256 ? fi.sha256 : "none (not a regular file)");
        hzs_buf_adds(b, "</code></td></tr>\n");
    }
    hzs_buf_adds(b, "</tbody>\n</table>\n</section>\n");
    return 0;
}

int render_page(report *r, hzs_buf *page) {
    hzs_buf body = {0};
    int rc = 0;
    for (size_t k = 0; k < r->layout.n && rc == 0; k++) {
        const section *s = &r->layout.sections[k];
        switch (s->kind) {
        case KIND_HEADLINE: rc = render_headline(r, &body, s, k); break;
        case KIND_BARS: rc = render_bars(r, &body, s, k); break;
        case KIND_MATRIX: rc = render_matrix(r, &body, s, k); break;
        case KIND_TABLE: rc = render_table(r, &body, s, k); break;
        }
    }
    if (rc == 0) {
        page_notes(r, &body);
        rc = page_sources(r, &body);
    }
    if (rc != 0) {
        hzs_buf_free(&body);
        return -1;
    }
    hzs_buf_adds(page, "<!DOCTYPE html>\n<html lang=\"");
    html_text(page, r->lang);
    /* The policy forbids every fetch: even an edited copy of the page with
     * an <img src=http://...> makes no request. */
    hzs_buf_adds(page, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                       "style-src 'unsafe-inline'\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<meta name=\"generator\" content=\"harmonize report sink\">\n<title>");
    html_text(page, r->title);
    hzs_buf_adds(page, "</title>\n<style>\n");
    hzs_buf_adds(page, report_css);
    hzs_buf_adds(page, "</style>\n</head>\n<body>\n<header>\n<h1>");
    html_text(page, r->title);
    hzs_buf_adds(page, "</h1>\n");
    if (r->subtitle) {
        hzs_buf_adds(page, "<p class=\"subtitle\">");
        html_text(page, r->subtitle);
        hzs_buf_adds(page, "</p>\n");
    }
    hzs_buf_adds(page, "</header>\n<main>\n");
    hzs_buf_add(page, body.data ? body.data : "", body.len);
    hzs_buf_adds(page, "</main>\n</body>\n</html>\n");
    hzs_buf_free(&body);
    return 0;
}
