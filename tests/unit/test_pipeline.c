/* core/pipeline.c, graph.c and options.c through the calls `harmonize
 * validate` makes (core/cli_run.c): load, plugin path, registry, build,
 * graph check, source order, plan.  The plugins are the real ones of this
 * build ($HARMONIZE_PLUGIN_PATH); feeds are real CSV files in a scratch
 * folder.  Every error is checked with its exact text and position, all of
 * a file's errors at once. */
#include "hz_test_core.h"

#include "options.h"
#include "pipeline.h"
#include "graph.h"
#include "runtime.h"
#include "summary.h"
#include "host.h"

typedef struct validated {
    hz_document *doc;
    char **plugin_dirs;
    size_t nplugin_dirs;
    hz_registry *reg;
    hz_pipeline *p; /* NULL when the document has no tree */
    hz_diag diag;
} validated;

/* Feeds every test may read: two countries' returns with the same columns
 * in another order, and one with a column named differently. */
static void write_feeds(void) {
    assert_int_equal(mkdir("feeds", 0777), 0);
    free(hz_test_write_text("feeds", "de.csv", "id,sex,age\n1,m,30\n"));
    free(hz_test_write_text("feeds", "at.csv", "sex,id,age\nf,2,41\n"));
    free(hz_test_write_text("feeds", "nl.csv", "id,sex,years\n3,f,22\n"));
}

static int setup(void **state) {
    hz_test_scratch_enter(state);
    write_feeds();
    return 0;
}

/* What `harmonize validate pipeline.yaml` does before printing. */
static validated validate(const char *yaml) {
    free(hz_test_write_text(".", "pipeline.yaml", yaml));
    validated v = {0};
    v.doc = hz_document_load("pipeline.yaml", NULL, &v.diag);
    v.plugin_dirs = hz_pipeline_plugin_path(v.doc, "pipeline.yaml", &v.nplugin_dirs, &v.diag);
    /* As the command line does: only the plugins the pipeline names load. */
    v.reg = hz_registry_new((const char *const *)v.plugin_dirs, v.nplugin_dirs, false);
    if (v.doc && v.doc->root) {
        v.p = hz_pipeline_build(v.doc, "pipeline.yaml", v.reg, &v.diag, HZ_MODE_VALIDATE);
        hz_graph_check(v.p);
        hz_graph_order_sources(v.p);
        hz_graph_plan(v.p);
    }
    return v;
}

static void validated_free(validated *v) {
    hz_pipeline_free(v->p);
    hz_registry_free(v->reg);
    hz_document_free(v->doc);
    for (size_t i = 0; i < v->nplugin_dirs; i++) free(v->plugin_dirs[i]);
    free(v->plugin_dirs);
    hz_diag_free(&v->diag);
}

/* The errors of `yaml` are exactly `want`. */
/* The diagnostics of `v` are `want`, where FOLDERS stands for the folders
 * searched for plugins (they depend on where the build is). */
static void assert_diag_of(validated *v, const char *want) {
    char *folders = hz_registry_folders_text(v->reg);
    hz_strbuf expanded = {0};
    for (const char *at; (at = strstr(want, "FOLDERS")); want = at + 7) {
        hz_strbuf_add(&expanded, want, (size_t)(at - want));
        hz_strbuf_adds(&expanded, folders);
    }
    hz_strbuf_adds(&expanded, want);
    hz_test_assert_diag(&v->diag, hz_strbuf_cstr(&expanded));
    hz_strbuf_free(&expanded);
    free(folders);
}

static void assert_errors(const char *yaml, const char *want) {
    validated v = validate(yaml);
    assert_diag_of(&v, want);
    validated_free(&v);
}

static const char *order_text(const hz_pipeline *p, hz_strbuf *out) {
    for (size_t i = 0; i < p->norder; i++) hz_strbuf_printf(out, "%s%s", i ? " " : "", p->order[i]->name);
    return hz_strbuf_cstr(out);
}

static void assert_schema(const hz_schema *s, const char *want) {
    assert_non_null(s);
    hz_strbuf got = {0};
    for (size_t i = 0; i < s->count; i++) hz_strbuf_printf(&got, "%s%s", i ? "," : "", s->names[i]);
    assert_string_equal(hz_strbuf_cstr(&got), want);
    hz_strbuf_free(&got);
}

/* --- a valid pipeline --------------------------------------------------------- */

static const char valid[] = "version: 1\n"
                            "name: returns\n"
                            "sources:\n"
                            "  germany: {type: csv, path: feeds/de.csv}\n"
                            "  austria: {type: csv, path: ./feeds/at.csv}\n"
                            "sinks:\n"
                            "  out:\n"
                            "    type: csv\n"
                            "    inputs: picked\n"
                            "    path: out/all.csv\n"
                            "transforms:\n"
                            "  picked:\n"
                            "    type: select\n"
                            "    inputs: tidy\n"
                            "    columns: [id, gender]\n"
                            "  tidy:\n"
                            "    type: rename\n"
                            "    inputs: [germany, austria]\n"
                            "    columns: {sex: gender}\n";

static void test_pipeline_valid_pipeline_builds_in_topological_order(void **state) {
    (void)state;
    validated v = validate(valid);
    hz_test_assert_diag(&v.diag, ""); /* not even a warning */
    hz_pipeline *p = v.p;
    assert_string_equal(p->name, "returns");
    assert_int_equal(p->ncomps, 5);
    /* Inputs before the components reading them, the union's in listed order. */
    hz_strbuf order = {0};
    assert_string_equal(order_text(p, &order), "germany austria tidy picked out");
    hz_strbuf_free(&order);
    assert_int_equal(p->nsources, 2);
    assert_string_equal(p->sources[0]->name, "germany");
    assert_string_equal(p->sources[1]->name, "austria");

    hz_component *tidy = hz_pipeline_find(p, "tidy"), *out = hz_pipeline_find(p, "out");
    assert_int_equal(tidy->role, HZ_ROLE_TRANSFORM);
    assert_int_equal(tidy->ninputs, 2);
    assert_ptr_equal(tidy->inputs[1], hz_pipeline_find(p, "austria"));
    assert_int_equal(hz_pipeline_find(p, "austria")->streams[0].nconsumers, 1);
    assert_int_equal(hz_pipeline_find(p, "austria")->streams[0].consumer_slot[0], 1);
    assert_int_equal(out->role, HZ_ROLE_SINK);
    assert_null(out->schema);
    assert_true(out->planned);
    /* Columns are known before any row is read. */
    assert_schema(hz_pipeline_find(p, "germany")->schema, "id,sex,age");
    assert_schema(hz_pipeline_find(p, "austria")->schema, "sex,id,age");
    assert_schema(tidy->schema, "id,gender,age");
    assert_schema(hz_pipeline_find(p, "picked")->schema, "id,gender");
    /* austria's columns reach the union in germany's order. */
    assert_null(tidy->input_maps[0]);
    assert_non_null(tidy->input_maps[1]);
    assert_int_equal(tidy->input_maps[1][0], 1);
    assert_int_equal(tidy->input_maps[1][1], 0);
    assert_int_equal(tidy->input_maps[1][2], 2);
    validated_free(&v);
}

static void test_pipeline_paths_resolve_against_the_pipeline_folder(void **state) {
    (void)state;
    validated v = validate(valid);
    char here[PATH_MAX];
    assert_non_null(realpath(".", here));
    assert_string_equal(v.p->dir, here);
    hz_component *germany = hz_pipeline_find(v.p, "germany"), *austria = hz_pipeline_find(v.p, "austria");
    long path = hz_option_index(germany, "path");
    assert_true(path >= 0);
    char *want = hz_xasprintf("%s/feeds/de.csv", here);
    assert_string_equal(germany->paths[path], want);
    free(want);
    want = hz_xasprintf("%s/feeds/at.csv", here); /* "./" dropped */
    assert_string_equal(austria->paths[path], want);
    free(want);
    /* The option as written stays available, with its position. */
    const hz_value *written = germany->opt_values[path];
    assert_string_equal(written->text, "feeds/de.csv");
    assert_int_equal(written->line, 4);
    assert_int_equal(written->col, 30);
    /* A default is a value too, placed at the component's type. */
    long delimiter = hz_option_index(germany, "delimiter");
    assert_string_equal(germany->opt_values[delimiter]->text, ",");
    assert_int_equal(germany->opt_values[delimiter]->line, 4);
    validated_free(&v);
}

static void test_pipeline_validate_writes_nothing(void **state) {
    (void)state;
    validated v = validate(valid);
    assert_int_equal(v.diag.errors, 0);
    struct stat st;
    assert_int_not_equal(stat("out", &st), 0); /* the sink's folder is made by a run, not by validate */
    validated_free(&v);
}

/* --- plugin types ------------------------------------------------------------------ */

static void test_pipeline_unknown_plugin_type_suggests_a_plugin_file_and_lists_the_folders(void **state) {
    (void)state;
    assert_errors(
        "version: 1\n"
        "sources:\n"
        "  de:\n"
        "    type: csvv\n"
        "    path: feeds/de.csv\n"
        "  at:\n"
        "    type: sellect\n"
        "    path: feeds/at.csv\n"
        "transforms:\n"
        "  pick:\n"
        "    type: sellect\n"
        "    inputs: [de, at]\n"
        "    columns: [id]\n"
        "  odd:\n"
        "    type: spreadsheet\n"
        "    inputs: pick\n"
        "sinks:\n"
        "  out: {type: csv, inputs: odd, path: out/x.csv}\n",
        /* Suggested from the plugin files' names: their kinds are not known
         * without loading them all, so 'select' is suggested for a source too. */
        "pipeline.yaml:4:11: error: unknown plugin type 'csvv' for source 'de'; did you mean 'csv'? (no "
        "csvv.so "
        "in: FOLDERS)\n"
        "pipeline.yaml:7:11: error: unknown plugin type 'sellect' for source 'at'; did you mean 'select'? "
        "(no "
        "sellect.so in: FOLDERS)\n"
        "pipeline.yaml:11:11: error: unknown plugin type 'sellect' for transform 'pick'; did you mean "
        "'select'? (no sellect.so in: FOLDERS)\n"
        "pipeline.yaml:15:11: error: unknown plugin type 'spreadsheet' for transform 'odd': no "
        "spreadsheet.so "
        "in: FOLDERS (see: harmonize plugins)\n");
}

static void test_pipeline_plugin_of_another_kind_is_refused(void **state) {
    (void)state;
    assert_errors("version: 1\n"
                  "sources:\n"
                  "  de: {type: select, columns: [id]}\n"
                  "sinks:\n"
                  "  out: {type: rename, inputs: de, columns: {a: b}}\n",
                  "pipeline.yaml:3:14: error: plugin 'select' cannot be a source (it is: transform)\n"
                  "pipeline.yaml:5:15: error: plugin 'rename' cannot be a sink (it is: transform)\n");
}

static void test_pipeline_component_without_type(void **state) {
    (void)state;
    assert_errors("version: 1\n"
                  "sources:\n"
                  "  de:\n"
                  "    path: feeds/de.csv\n"
                  "  at: {type: [csv], path: feeds/at.csv}\n"
                  "sinks:\n"
                  "  out: {type: csv, inputs: [de, at], path: out/x.csv}\n",
                  "pipeline.yaml:4:5: error: source 'de' has no 'type'\n"
                  "pipeline.yaml:5:14: error: 'type' of 'at' must be a plugin name\n");
}

/* --- options ------------------------------------------------------------------------ */

static void test_pipeline_unknown_option_suggests_the_closest(void **state) {
    (void)state;
    assert_errors(
        "version: 1\n"
        "sources:\n"
        "  de:\n"
        "    type: csv\n"
        "    path: feeds/de.csv\n"
        "    delimeter: ','\n"
        "    colour: red\n"
        "sinks:\n"
        "  out: {type: csv, inputs: de, path: out/x.csv, heder: false}\n",
        "pipeline.yaml:6:5: error: unknown option 'delimeter' for csv source 'de'; did you mean "
        "'delimiter'?\n"
        "pipeline.yaml:7:5: error: unknown option 'colour' for csv source 'de' (see: harmonize plugins "
        "csv)\n"
        "pipeline.yaml:9:49: error: unknown option 'heder' for csv sink 'out'; did you mean 'header'?\n");
}

static void test_pipeline_option_of_the_wrong_type(void **state) {
    (void)state;
    assert_errors(
        "version: 1\n"
        "sources:\n"
        "  de:\n"
        "    type: csv\n"
        "    path: [feeds/de.csv]\n"
        "    header: maybe\n"
        "    max_field_bytes: 1e6\n"
        "    encoding: ebcdic\n"
        "transforms:\n"
        "  tidy:\n"
        "    type: rename\n"
        "    inputs: de\n"
        "    columns: {sex: [gender]}\n"
        "  pick:\n"
        "    type: select\n"
        "    inputs: tidy\n"
        "    columns: [id, {age: years}]\n"
        "sinks:\n"
        "  out: {type: csv, inputs: pick, path: {file: x.csv}, columns: id}\n",
        "pipeline.yaml:5:11: error: option 'path' of csv source 'de' must be a path, not a list\n"
        "pipeline.yaml:6:13: error: option 'header' of csv source 'de' must be true or false, not 'maybe'\n"
        "pipeline.yaml:7:22: error: option 'max_field_bytes' of csv source 'de' must be an integer, "
        "not '1e6'\n"
        "pipeline.yaml:8:15: error: option 'encoding' of csv source 'de' must be one of utf-8, utf8, "
        "windows-1252, cp1252, "
        "iso-8859-1, latin1, not 'ebcdic'\n"
        "pipeline.yaml:13:20: error: values of option 'columns' of rename transform 'tidy' must be scalars, "
        "not a list\n"
        "pipeline.yaml:17:19: error: items of option 'columns' of select transform 'pick' must be scalars, "
        "not a map\n"
        "pipeline.yaml:19:40: error: option 'path' of csv sink 'out' must be a path, not a map\n"
        "pipeline.yaml:19:64: error: option 'columns' of csv sink 'out' must be a list, e.g. [a, b]\n");
}

static void test_pipeline_missing_required_option_is_reported_at_the_type(void **state) {
    (void)state;
    assert_errors("version: 1\n"
                  "sources:\n"
                  "  de:\n"
                  "    type: csv\n"
                  "    header: true\n"
                  "transforms:\n"
                  "  pick: {type: select, inputs: de}\n"
                  "sinks:\n"
                  "  out:\n"
                  "    inputs: pick\n"
                  "    type: csv\n",
                  "pipeline.yaml:4:11: error: missing required option 'path' for csv source 'de'\n"
                  "pipeline.yaml:7:16: error: missing required option 'columns' for select transform 'pick'\n"
                  "pipeline.yaml:11:11: error: missing required option 'path' for csv sink 'out'\n");
}

/* --- the graph ------------------------------------------------------------------------ */

static void test_pipeline_unknown_input_suggests_a_component(void **state) {
    (void)state;
    assert_errors("version: 1\n"
                  "sources:\n"
                  "  germany: {type: csv, path: feeds/de.csv}\n"
                  "transforms:\n"
                  "  pick: {type: select, inputs: [germny], columns: [id]}\n"
                  "sinks:\n"
                  "  out: {type: csv, inputs: [pick, nowhere], path: out/x.csv}\n"
                  "  copy: {type: csv, inputs: [germany, out, germany], path: out/y.csv}\n",
                  "pipeline.yaml:5:33: error: unknown input 'germny' for transform 'pick'; did you mean "
                  "'germany'?\n"
                  "pipeline.yaml:7:35: error: unknown input 'nowhere' for sink 'out'\n"
                  "pipeline.yaml:8:39: error: 'out' is a sink: it produces no rows to read\n"
                  "pipeline.yaml:8:44: error: input 'germany' is listed twice\n");
}

static void test_pipeline_inputs_must_name_components(void **state) {
    (void)state;
    assert_errors("version: 1\n"
                  "sources:\n"
                  "  de: {type: csv, path: feeds/de.csv}\n"
                  "sinks:\n"
                  "  out: {type: csv, inputs: {de: 1}, path: out/x.csv}\n"
                  "  two: {type: csv, inputs: [de, [at]], path: out/y.csv}\n",
                  "pipeline.yaml:5:28: error: 'inputs' of 'out' must be a list of component names, e.g. "
                  "[germany]\n"
                  "pipeline.yaml:6:33: error: an input must be a component name\n");
}

static void test_pipeline_cycle_is_reported_where_it_closes(void **state) {
    (void)state;
    assert_errors("version: 1\n"
                  "sources:\n"
                  "  de: {type: csv, path: feeds/de.csv}\n"
                  "transforms:\n"
                  "  a: {type: select, inputs: [de, c], columns: [id]}\n"
                  "  b: {type: select, inputs: a, columns: [id]}\n"
                  "  c: {type: select, inputs: b, columns: [id]}\n"
                  "  me: {type: select, inputs: [me], columns: [id]}\n"
                  "sinks:\n"
                  "  out: {type: csv, inputs: [c, me], path: out/x.csv}\n",
                  "pipeline.yaml:5:34: error: cycle: 'c' reads 'b', which reads 'a', which reads 'c'\n"
                  "pipeline.yaml:8:31: error: cycle: 'me' reads 'me'\n");
}

static void test_pipeline_unread_source_and_dead_end_transform(void **state) {
    (void)state;
    assert_errors(
        "version: 1\n"
        "sources:\n"
        "  de: {type: csv, path: feeds/de.csv}\n"
        "  spare: {type: csv, path: feeds/at.csv}\n"
        "transforms:\n"
        "  unused: {type: select, inputs: de, columns: [id]}\n"
        "sinks:\n"
        "  out: {type: csv, inputs: de, path: out/x.csv}\n",
        "pipeline.yaml:4:3: error: source 'spare' is read by no component: add it to some 'inputs'\n"
        "pipeline.yaml:6:3: error: the rows of transform 'unused' go nowhere: no component reads it\n");
}

static void test_pipeline_sink_without_input(void **state) {
    (void)state;
    assert_errors("version: 1\n"
                  "sources:\n"
                  "  de: {type: csv, path: feeds/de.csv}\n"
                  "sinks:\n"
                  "  out: {type: csv, path: out/x.csv}\n"
                  "  empty: {type: csv, inputs: [], path: out/y.csv}\n"
                  "  read: {type: csv, inputs: de, path: out/z.csv}\n",
                  "pipeline.yaml:5:3: error: sink 'out' has no 'inputs'\n"
                  "pipeline.yaml:6:30: error: sink 'empty' has an empty 'inputs' list\n");
}

static void test_pipeline_source_takes_no_inputs(void **state) {
    (void)state;
    assert_errors("version: 1\n"
                  "sources:\n"
                  "  de: {type: csv, path: feeds/de.csv}\n"
                  "  at: {type: csv, path: feeds/at.csv, inputs: de}\n"
                  "sinks:\n"
                  "  out: {type: csv, inputs: [de, at], path: out/x.csv}\n",
                  "pipeline.yaml:4:39: error: source 'at' reads a feed, it takes no 'inputs'\n");
}

static void test_pipeline_union_needs_the_same_columns(void **state) {
    (void)state;
    assert_errors(
        "version: 1\n"
        "sources:\n"
        "  de: {type: csv, path: feeds/de.csv}\n"
        "  at: {type: csv, path: feeds/at.csv}\n"
        "  nl: {type: csv, path: feeds/nl.csv}\n"
        "sinks:\n"
        "  out: {type: csv, inputs: [de, at, nl], path: out/x.csv}\n",
        /* at has de's columns in another order: fine. */
        "pipeline.yaml:7:37: error: inputs of 'out' must have the same columns: 'nl' lacks [ age ] and "
        "has extra [ years ] compared with 'de'\n");
}

static void test_pipeline_component_names_and_sections(void **state) {
    (void)state;
    assert_errors(
        "version: 1\n"
        "sources:\n"
        "  de: {type: csv, path: feeds/de.csv}\n"
        "  bad name: {type: csv, path: feeds/at.csv}\n"
        "  scalar: feeds/nl.csv\n"
        "transforms: [de]\n"
        "sinks:\n"
        "  de: {type: csv, inputs: de, path: out/x.csv}\n"
        "  out: {type: csv, inputs: de, path: out/x.csv}\n",
        "pipeline.yaml:4:3: error: invalid component name 'bad name': use letters, digits, '_', '-' "
        "and '.'\n"
        "pipeline.yaml:5:11: error: source 'scalar' must be a map with a 'type'\n"
        "pipeline.yaml:6:13: error: 'transforms' must be a map of named components\n"
        "pipeline.yaml:8:3: error: a component named 'de' already exists\n");
}

static void test_pipeline_refused_component_causes_no_follow_on_errors(void **state) {
    (void)state;
    /* tidy and 'bad name' are refused; saying also that out reads unknown
     * inputs and that nothing reads de would send the user looking for
     * mistakes that are not there. */
    assert_errors(
        "version: 1\n"
        "sources:\n"
        "  de: {type: csv, path: feeds/de.csv}\n"
        "transforms:\n"
        "  tidy: {inputs: de, steps: []}\n"
        "  bad name: {type: select, inputs: de, columns: [id]}\n"
        "sinks:\n"
        "  out: {type: csv, inputs: [tidy, bad name], path: out/x.csv}\n",
        "pipeline.yaml:5:29: error: 'steps' of 'tidy' must be a non-empty list of transforms\n"
        "pipeline.yaml:6:3: error: invalid component name 'bad name': use letters, digits, '_', '-' "
        "and '.'\n");
}

static void test_pipeline_unread_steps_are_named_as_written(void **state) {
    (void)state;
    assert_errors(
        "version: 1\n"
        "sources:\n"
        "  de: {type: csv, path: feeds/de.csv}\n"
        "transforms:\n"
        "  tidy:\n"
        "    inputs: de\n"
        "    steps: [{type: select, columns: [id]}, {type: select, columns: [id]}]\n"
        "sinks:\n"
        "  out: {type: csv, inputs: de, path: out/x.csv}\n",
        "pipeline.yaml:5:3: error: the rows of transform 'tidy' go nowhere: no component reads it\n");
}

/* --- steps ------------------------------------------------------------------------------ */

static void test_pipeline_steps_chain_under_one_name(void **state) {
    (void)state;
    validated v = validate("version: 1\n"
                           "sources:\n"
                           "  de: {type: csv, path: feeds/de.csv}\n"
                           "transforms:\n"
                           "  tidy:\n"
                           "    inputs: de\n"
                           "    steps:\n"
                           "      - type: rename\n"
                           "        columns: {sex: gender}\n"
                           "      - type: set\n"
                           "        columns: {country: DEU}\n"
                           "      - type: select\n"
                           "        columns: [country, id, gender]\n"
                           "sinks:\n"
                           "  out: {type: csv, inputs: tidy, path: out/x.csv}\n");
    hz_test_assert_diag(&v.diag, "");
    hz_strbuf order = {0};
    assert_string_equal(order_text(v.p, &order), "de tidy[1] tidy[2] tidy[3] out");
    hz_strbuf_free(&order);
    /* Others name the chain by its name: they read its last step. */
    hz_component *last = hz_pipeline_find(v.p, "tidy");
    assert_string_equal(last->name, "tidy[3]");
    assert_ptr_equal(hz_pipeline_find(v.p, "out")->inputs[0], last);
    assert_null(hz_pipeline_find(v.p, "tidy[1]"));
    assert_schema(v.p->order[1]->schema, "id,gender,age");
    assert_schema(v.p->order[2]->schema, "id,gender,age,country");
    assert_schema(last->schema, "country,id,gender");
    validated_free(&v);
}

static void test_pipeline_steps_errors_at_the_step(void **state) {
    (void)state;
    assert_errors(
        "version: 1\n"
        "sources:\n"
        "  de: {type: csv, path: feeds/de.csv}\n"
        "transforms:\n"
        "  tidy:\n"
        "    inputs: de\n"
        "    columns: [id]\n"
        "    steps:\n"
        "      - type: rename\n"
        "        columns: {sex: gender}\n"
        "      - type: selct\n"
        "        columns: [id]\n"
        "      - rename\n"
        "      - type: select\n"
        "        inputs: de\n"
        "      - {type: set, columns: {age: [1]}}\n"
        "  both:\n"
        "    type: select\n"
        "    inputs: tidy\n"
        "    steps: [{type: select, columns: [id]}]\n"
        "  none:\n"
        "    inputs: both\n"
        "    steps: []\n"
        "sinks:\n"
        "  out: {type: csv, inputs: none, path: out/x.csv}\n",
        "pipeline.yaml:7:5: error: option 'columns' of 'tidy' belongs inside one of its steps\n"
        "pipeline.yaml:11:15: error: unknown plugin type 'selct' for transform 'tidy[2]'; did you mean "
        "'select'? (no selct.so in: FOLDERS)\n"
        "pipeline.yaml:13:9: error: step 3 of 'tidy' must be a map with a 'type'\n"
        "pipeline.yaml:14:15: error: missing required option 'columns' for select transform 'tidy[4]'\n"
        "pipeline.yaml:15:9: error: a step takes its input from the step before it: remove 'inputs'\n"
        "pipeline.yaml:16:36: error: values of option 'columns' of set transform 'tidy[5]' must be scalars, "
        "not a list\n"
        "pipeline.yaml:18:5: error: 'both' has both 'type' and 'steps': use one\n"
        "pipeline.yaml:23:12: error: 'steps' of 'none' must be a non-empty list of transforms\n");
}

static void test_pipeline_only_transforms_have_steps(void **state) {
    (void)state;
    assert_errors("version: 1\n"
                  "sources:\n"
                  "  de:\n"
                  "    type: csv\n"
                  "    path: feeds/de.csv\n"
                  "    steps: [{type: select, columns: [id]}]\n"
                  "sinks:\n"
                  "  out: {type: csv, inputs: de, path: out/x.csv}\n",
                  "pipeline.yaml:6:5: error: only transforms have 'steps'\n");
}

/* --- the top of the file ----------------------------------------------------------------- */

static void test_pipeline_top_level_keys_are_checked(void **state) {
    (void)state;
    assert_errors(
        "version: 2\n"
        "name: [a]\n"
        "source:\n"
        "  de: {type: csv, path: feeds/de.csv}\n"
        "max_rejects: -1\n"
        "colour: blue\n",
        "pipeline.yaml:1:1: error: the pipeline has no sources: add at least one under 'sources:'\n"
        "pipeline.yaml:1:1: error: the pipeline has no sinks: add at least one under 'sinks:'\n"
        "pipeline.yaml:1:10: error: unsupported pipeline version '2': this harmonize reads version 1\n"
        "pipeline.yaml:2:7: error: 'name' must be a scalar\n"
        "pipeline.yaml:3:1: error: unknown key 'source'; did you mean 'sources'?\n"
        "pipeline.yaml:5:14: error: 'max_rejects: -1' is negative: it must be a whole number >= 0 (a count "
        "of rows) or a percent from 0% to 100% (like 2% or 0.5%)\n"
        "pipeline.yaml:6:1: error: unknown key 'colour' (expected: version, name, plugin_path, sources, "
        "transforms, sinks, rejects, max_rejects, state_dir, manifest, keep_runs, file_mode, mode, pii)\n");
}

static void test_pipeline_empty_sections_and_missing_version(void **state) {
    (void)state;
    assert_errors("sources:\n"
                  "  de: {type: csv, path: feeds/de.csv}\n"
                  "sinks:\n",
                  "pipeline.yaml:1:1: error: missing 'version: 1' at the top of the pipeline\n"
                  "pipeline.yaml:2:3: error: source 'de' is read by no component: add it to some 'inputs'\n"
                  "pipeline.yaml:3:1: error: the pipeline has no sinks: add at least one under 'sinks:'\n");
}

static void test_pipeline_must_be_a_map(void **state) {
    (void)state;
    assert_errors("- version: 1\n",
                  "pipeline.yaml:1:1: error: a pipeline is a map starting with 'version: 1'\n");
    /* An empty file has no tree: the command line reports it (validate builds nothing). */
    validated v = validate("# nothing yet\n");
    assert_null(v.p);
    assert_int_equal(v.diag.count, 0);
    validated_free(&v);
}

static void test_pipeline_rejects_sink_takes_every_rejected_row(void **state) {
    (void)state;
    assert_errors(
        "version: 1\n"
        "sources:\n"
        "  de: {type: csv, path: feeds/de.csv}\n"
        "sinks:\n"
        "  out: {type: csv, inputs: de, path: out/x.csv}\n"
        "rejects:\n"
        "  type: csv\n"
        "  inputs: de\n"
        "  path: out/rejects.csv\n"
        "  delimiter: [';']\n",
        "pipeline.yaml:8:3: error: the rejects sink receives every rejected row: remove 'inputs'\n"
        "pipeline.yaml:10:14: error: option 'delimiter' of csv sink 'rejects' must be a string, not a "
        "list\n");
    validated v = validate("version: 1\n"
                           "sources:\n"
                           "  de: {type: csv, path: feeds/de.csv}\n"
                           "sinks:\n"
                           "  out: {type: csv, inputs: de, path: out/x.csv}\n"
                           "rejects: {type: csv, path: out/rejects.csv}\n"
                           "max_rejects: 10\n");
    /* Whole rows go to the rejects sink, and nothing says whether they
     * hold personal data. */
    hz_test_assert_diag(&v.diag,
                        "pipeline.yaml:6:17: warning: rejects sink 'rejects' writes each rejected row "
                        "whole (its 'record'): if the feeds hold personal data, declare its columns "
                        "with the top-level key 'pii' so that the records leave them out (pii: [] says "
                        "there is none)\n");
    assert_int_equal(v.p->nrejects, 1);
    assert_true(v.p->rejects[0]->is_rejects);
    assert_true(v.p->rejects[0]->planned);
    assert_int_equal(v.p->max_rejects, 10);
    assert_schema((const hz_schema *)&v.p->rejects_schema, "component,feed,line,reason,detail,record");
    validated_free(&v);
}

static void test_pipeline_max_rejects_count_or_percent(void **state) {
    (void)state;
    validated v = validate("version: 1\n"
                           "sources:\n"
                           "  de: {type: csv, path: feeds/de.csv, max_rejects: 0.50%}\n"
                           "  fr: {type: csv, path: feeds/de.csv, max_rejects: 7}\n"
                           "  it: {type: csv, path: feeds/de.csv}\n"
                           "sinks:\n"
                           "  out: {type: csv, inputs: [de, fr, it], path: out/x.csv}\n"
                           "max_rejects: 100%\n");
    hz_test_assert_diag(&v.diag, "");
    assert_int_equal(v.p->max_rejects, -1);
    assert_int_equal(v.p->max_rejects_percent.num, 100);
    assert_int_equal(v.p->max_rejects_percent.scale, 1);
    hz_component *de = hz_pipeline_find(v.p, "de"), *fr = hz_pipeline_find(v.p, "fr"),
                 *it = hz_pipeline_find(v.p, "it");
    assert_int_equal(de->max_rejects, -1);
    assert_int_equal(de->max_rejects_percent.num, 5);
    assert_int_equal(de->max_rejects_percent.scale, 10);
    assert_int_equal(fr->max_rejects, 7);
    assert_int_equal(fr->max_rejects_percent.scale, 0);
    assert_int_equal(it->max_rejects, -1);
    assert_int_equal(it->max_rejects_percent.scale, 0);
    assert_true(hz_option_is_reserved("max_rejects")); /* no plugin option can take the name */
    validated_free(&v);
}

static void test_pipeline_every_error_at_once_in_file_order(void **state) {
    (void)state;
    /* One of each kind, written out of order: one report, sorted. */
    validated v = validate("version: 1\n"
                           "sinks:\n"
                           "  out: {type: csv, inputs: [pick, missing], path: out/x.csv}\n"
                           "  lost: {type: csv, path: out/y.csv}\n"
                           "transforms:\n"
                           "  pick: {type: select, inputs: [de, nl], columns: [id], colums: [x]}\n"
                           "  loop: {type: select, inputs: [loop, de], columns: [id]}\n"
                           "sources:\n"
                           "  de: {type: csv, path: feeds/de.csv, header: perhaps}\n"
                           "  nl: {type: csv, path: feeds/nl.csv}\n"
                           "  idle: {type: csvv, path: feeds/at.csv}\n"
                           "  bare: {type: csv}\n");
    assert_diag_of(
        &v, "pipeline.yaml:3:35: error: unknown input 'missing' for sink 'out'\n"
            "pipeline.yaml:4:3: error: sink 'lost' has no 'inputs'\n"
            "pipeline.yaml:6:57: error: unknown option 'colums' for select transform 'pick'; did you "
            "mean 'columns'?\n"
            "pipeline.yaml:7:33: error: cycle: 'loop' reads 'loop'\n"
            "pipeline.yaml:9:47: error: option 'header' of csv source 'de' must be true or false, "
            "not 'perhaps'\n"
            "pipeline.yaml:11:3: error: source 'idle' is read by no component: add it to some 'inputs'\n"
            "pipeline.yaml:11:16: error: unknown plugin type 'csvv' for source 'idle'; did you mean "
            "'csv'? (no csvv.so in: FOLDERS)\n"
            "pipeline.yaml:12:3: error: source 'bare' is read by no component: add it to some 'inputs'\n"
            "pipeline.yaml:12:16: error: missing required option 'path' for csv source 'bare'\n");
    /* The union of de and nl is not checked: pick has an error already. */
    validated_free(&v);
}

/* --- plugin_path -------------------------------------------------------------------------- */

static void test_pipeline_plugin_path_resolves_against_the_pipeline_folder(void **state) {
    (void)state;
    char here[PATH_MAX];
    assert_non_null(realpath(".", here));
    validated v = validate("version: 1\n"
                           "plugin_path: [local, ./more/, /opt/hz]\n"
                           "sources:\n"
                           "  de: {type: csv, path: feeds/de.csv}\n"
                           "sinks:\n"
                           "  out: {type: csv, inputs: de, path: out/x.csv}\n");
    hz_test_assert_diag(&v.diag, ""); /* folders that do not exist are no error */
    assert_int_equal(v.nplugin_dirs, 3);
    char *want = hz_xasprintf("%s/local", here);
    assert_string_equal(v.plugin_dirs[0], want);
    free(want);
    want = hz_xasprintf("%s/more/", here);
    assert_string_equal(v.plugin_dirs[1], want);
    free(want);
    assert_string_equal(v.plugin_dirs[2], "/opt/hz");
    validated_free(&v);

    v = validate("version: 1\n"
                 "plugin_path: single\n"
                 "sources: {de: {type: csv, path: feeds/de.csv}}\n"
                 "sinks: {out: {type: csv, inputs: de, path: out/x.csv}}\n");
    assert_int_equal(v.nplugin_dirs, 1);
    want = hz_xasprintf("%s/single", here);
    assert_string_equal(v.plugin_dirs[0], want);
    free(want);
    validated_free(&v);

    assert_errors("version: 1\n"
                  "plugin_path: {a: b}\n"
                  "sources: {de: {type: csv, path: feeds/de.csv}}\n"
                  "sinks: {out: {type: csv, inputs: de, path: out/x.csv}}\n",
                  "pipeline.yaml:2:14: error: 'plugin_path' must be a list of folders\n");
    assert_errors("version: 1\n"
                  "plugin_path: [ok, [nested]]\n"
                  "sources: {de: {type: csv, path: feeds/de.csv}}\n"
                  "sinks: {out: {type: csv, inputs: de, path: out/x.csv}}\n",
                  "pipeline.yaml:2:19: error: 'plugin_path' items must be folders\n");
}

int main(void) {
    /* make check names the build's plugins; by hand, from the build folder. */
    char plugins[PATH_MAX];
    const char *env = getenv("HARMONIZE_PLUGIN_PATH");
    if ((!env || !*env) && realpath("plugins/.libs", plugins)) setenv("HARMONIZE_PLUGIN_PATH", plugins, 1);
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, hz_test_scratch_leave)
        T(test_pipeline_valid_pipeline_builds_in_topological_order),
        T(test_pipeline_paths_resolve_against_the_pipeline_folder),
        T(test_pipeline_validate_writes_nothing),
        T(test_pipeline_unknown_plugin_type_suggests_a_plugin_file_and_lists_the_folders),
        T(test_pipeline_plugin_of_another_kind_is_refused),
        T(test_pipeline_component_without_type),
        T(test_pipeline_unknown_option_suggests_the_closest),
        T(test_pipeline_option_of_the_wrong_type),
        T(test_pipeline_missing_required_option_is_reported_at_the_type),
        T(test_pipeline_unknown_input_suggests_a_component),
        T(test_pipeline_inputs_must_name_components),
        T(test_pipeline_cycle_is_reported_where_it_closes),
        T(test_pipeline_unread_source_and_dead_end_transform),
        T(test_pipeline_sink_without_input),
        T(test_pipeline_source_takes_no_inputs),
        T(test_pipeline_union_needs_the_same_columns),
        T(test_pipeline_component_names_and_sections),
        T(test_pipeline_refused_component_causes_no_follow_on_errors),
        T(test_pipeline_unread_steps_are_named_as_written),
        T(test_pipeline_steps_chain_under_one_name),
        T(test_pipeline_steps_errors_at_the_step),
        T(test_pipeline_only_transforms_have_steps),
        T(test_pipeline_top_level_keys_are_checked),
        T(test_pipeline_empty_sections_and_missing_version),
        T(test_pipeline_must_be_a_map),
        T(test_pipeline_rejects_sink_takes_every_rejected_row),
        T(test_pipeline_max_rejects_count_or_percent),
        T(test_pipeline_every_error_at_once_in_file_order),
        T(test_pipeline_plugin_path_resolves_against_the_pipeline_folder),
#undef T
    };
    return cmocka_run_group_tests_name("pipeline", tests, NULL, NULL);
}
