/* layout.h - the page a report sink publishes, as the pipeline declares it
 * in `sections:` (a list of maps, HZ_OPT_ANY): read and checked in plan(),
 * every mistake a configuration error at its key or value. */
#ifndef REPORT_LAYOUT_H
#define REPORT_LAYOUT_H
#include <stdbool.h>
#include <stddef.h>

#include <harmonize/plugin.h>

typedef enum section_kind { KIND_HEADLINE, KIND_BARS, KIND_MATRIX, KIND_TABLE } section_kind;

/* One column a section reads: its name, where the pipeline wrote it (or
 * the section, for a default) and, once plan_input() has seen the input's
 * schema, its index in the row store (rows.h). */
typedef struct column_ref {
    const char *name;   /* NULL: not used */
    const hz_value *at; /* for errors */
    size_t slot;        /* index among the input's kept columns */
} column_ref;

/* `where: {COLUMN: VALUE, ...}`: a row is kept when every column holds its value. */
typedef struct condition {
    column_ref column;
    const char *value;
} condition;

typedef struct filter {
    condition *items;
    size_t n;
} filter;

/* A headline figure: the value column of the one row its filter picks. */
typedef struct figure {
    const char *label;
    filter where; /* in addition to the section's */
    const hz_value *at;
} figure;

typedef struct section {
    section_kind kind;
    const hz_value *at; /* the section's map */
    size_t input;       /* index among the sink's inputs */
    const char *input_name;
    const char *title, *note, *id;
    filter where;
    column_ref value;      /* headline, bars, matrix: the number shown (default count) */
    column_ref share;      /* headline, bars: a percentage column, optional */
    column_ref label;      /* bars: the bar's label */
    column_ref rows, cols; /* matrix */
    column_ref *columns;   /* table: the columns shown (all when none are named) */
    size_t ncolumns;
    bool all_columns; /* table without columns: (filled in plan_input) */
    figure *figures;  /* headline */
    size_t nfigures;
} section;

typedef struct layout {
    section *sections;
    size_t n;
} layout;

/* Read `sections` (the option's value) against the sink's inputs.  0, or
 * -1 after reporting every mistake found. */
int layout_read(hz_component *c, const hz_value *sections, layout *out);

/* Every column of this input that a section reads: resolve each against
 * the input's schema (a missing column is a configuration error at the
 * value naming it) and give it a slot; `keep` (the input's column count
 * entries, false at first) is set for every column read.  The slots are
 * the ranks of the kept columns in the schema's order.  0 or -1. */
int layout_plan_input(hz_component *c, layout *l, size_t input, const hz_schema *in, bool *keep,
                      long suppressed_col);

/* Whether a row of `input` (its kept fields, by slot) passes some
 * section's filter: rows no section shows are not kept. */
bool layout_wanted(const layout *l, size_t input, const char *const *fields);

/* Whether the row passes `f` (and `g`, NULL for none). */
bool filter_pass(const filter *f, const char *const *fields);

void layout_free(layout *l);

const char *section_kind_name(section_kind k);
#endif
