/* gen_cases: write a synthetic harmonized case CSV for the benchmark.
 *
 *   gen_cases [--shape wide|narrow] ROWS OUTPUT [SEED]
 *
 * One header line, then ROWS case rows.  The wide shape (the default) has the 16
 * columns of the harmonized returns dataset (see docs / shared domain notes) plus a
 * free-text `notes` column: about 150 bytes a row (10 million rows are 1.5 GB).  The
 * narrow shape has 9 of them (record_id, return_type, departure_date, host_country,
 * host_region, origin_country, sex, age, age_group): about 88 bytes a row, short fields
 * and no free text.  A narrow row is the wide row of the same number and seed with the
 * other columns left out, so both shapes hold the same cases.
 *
 * The output is UTF-8 with minimal quoting (a field is quoted only when it holds a
 * comma, a quote, CR or LF; quotes are doubled) and LF line ends, so a faithful CSV copy
 * of it is byte-identical to it. Deterministic: the same shape, ROWS and SEED give the
 * same bytes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUT_BLOCK (1u << 20)

static uint64_t rng_state;

/* splitmix64: small, fast, good enough for synthetic data */
static uint64_t rnd(void) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static unsigned below(unsigned n) {
    return (unsigned)((rnd() >> 32) % n);
}

struct country {
    const char *name;
    const char *iso3;
    const char *region;
    unsigned weight;
};

static const char R_ASIA[] = "Asia and the Pacific";
static const char R_CNAC[] = "Central and North America and the Caribbean";
static const char R_EHOA[] = "East and Horn of Africa";
static const char R_EEA[] = "European Economic Area";
static const char R_MENA[] = "Middle East and North Africa";
static const char R_SAM[] = "South America";
static const char R_SEE[] = "South-Eastern Europe, Eastern Europe and Central Asia";
static const char R_SAF[] = "Southern Africa";
static const char R_WCA[] = "West and Central Africa";

/* Host countries of AVRR cases, weighted after the 2021 top ten. */
static const struct country avrr_hosts[] = {
    {"Niger (the)", "NER", R_WCA, 10573}, {"Germany", "DEU", R_EEA, 6785},
    {"Greece", "GRC", R_EEA, 2736},       {"Morocco", "MAR", R_MENA, 2372},
    {"Algeria", "DZA", R_MENA, 1972},     {"T\xc3\xbcrkiye", "TUR", R_SEE, 1748},
    {"Belgium", "BEL", R_EEA, 1665},      {"Netherlands (the)", "NLD", R_EEA, 1485},
    {"Mali", "MLI", R_WCA, 900},          {"Djibouti", "DJI", R_EHOA, 800},
    {"Austria", "AUT", R_EEA, 700},       {"United Kingdom (the)", "GBR", R_EEA, 500},
    {"Switzerland", "CHE", R_EEA, 450},   {"Mexico", "MEX", R_CNAC, 400},
    {"Indonesia", "IDN", R_ASIA, 350},    {"Chile", "CHL", R_SAM, 300},
    {"South Africa", "ZAF", R_SAF, 250},  {"Bosnia and Herzegovina", "BIH", R_SEE, 250},
};

/* VHR runs only from Libya and Yemen (4,332 and 2,035 returnees in 2021). */
static const struct country vhr_hosts[] = {
    {"Libya", "LBY", R_MENA, 4332},
    {"Yemen", "YEM", R_MENA, 2035},
};

static const struct country origins[] = {
    {"Guinea", "GIN", R_WCA, 5165},
    {"Mali", "MLI", R_WCA, 4453},
    {"Ethiopia", "ETH", R_EHOA, 3934},
    {"Nigeria", "NGA", R_WCA, 3322},
    {"Pakistan", "PAK", R_ASIA, 2197},
    {"Iraq", "IRQ", R_MENA, 1886},
    {"Sierra Leone", "SLE", R_WCA, 1793},
    {"C\xc3\xb4te d'Ivoire", "CIV", R_WCA, 1759},
    {"Georgia", "GEO", R_SEE, 1758},
    {"Bangladesh", "BGD", R_ASIA, 1328},
    {"Senegal", "SEN", R_WCA, 1100},
    {"Gambia (the)", "GMB", R_WCA, 900},
    {"Niger (the)", "NER", R_WCA, 800},
    {"Sudan (the)", "SDN", R_MENA, 700},
    {"Kosovo*", "XKX", R_SEE, 500},
    {"Democratic Republic of the Congo (the)", "COD", R_SAF, 450},
    {"Islamic Republic of Iran (the)", "IRN", R_ASIA, 400},
    {"Republic of Moldova (the)", "MDA", R_SEE, 350},
    {"Viet Nam", "VNM", R_ASIA, 300},
    {"North Macedonia", "MKD", R_SEE, 300},
    {"T\xc3\xbcrkiye", "TUR", R_SEE, 250},
    {"Egypt", "EGY", R_MENA, 250},
    {"Cameroon", "CMR", R_WCA, 250},
    {"Honduras", "HND", R_CNAC, 200},
    {"Colombia", "COL", R_SAM, 150},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A cumulative-weight table so that a draw is one random number and a short scan. */
struct picker {
    const struct country *c;
    size_t n;
    unsigned total;
};

static const struct country *pick(const struct picker *p) {
    unsigned r = below(p->total);
    for (size_t i = 0; i < p->n; i++) {
        if (r < p->c[i].weight) return &p->c[i];
        r -= p->c[i].weight;
    }
    return &p->c[p->n - 1];
}

static struct picker make_picker(const struct country *c, size_t n) {
    struct picker p = {c, n, 0};
    for (size_t i = 0; i < n; i++) p.total += c[i].weight;
    return p;
}

/* Notes: mostly empty; otherwise short free text, some needing quotes (comma, doubled
 * quote, rarely an embedded newline), some with non-ASCII letters. */
static const char *const notes_plain[] = {
    "follow-up call done",
    "reintegration plan signed",
    "medical escort",
    "r\xc3\xa9"
    "f\xc3\xa9r\xc3\xa9 au partenaire",
    "\xc3\x9c"
    "bergabe am Flughafen",
    "family tracing",
};

static const char *const notes_quoted[] = {
    "\"arrived Bamako, met by family\"",
    "\"said \"\"no\"\" to microbusiness\"",
    "\"housing, cash grant\"",
    "\"counselling; referral to NGO, Conakry\"",
};

static const char *const notes_newline[] = {
    "\"line one\nline two\"",
    "\"orientation session\nsee file, p. 2\"",
};

static const char *const sexes[] = {"female", "male", "male", "male", "unknown"};

static const char *const vulnerabilities[] = {"victim_of_trafficking", "unaccompanied_or_separated_child",
                                              "health_related_needs"};

static const unsigned days_in_month[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

struct out {
    FILE *f;
    const char *path;
    char *buf;
    size_t len;
};

static void flush_out(struct out *o) {
    if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len) {
        fprintf(stderr, "gen_cases: %s: %s\n", o->path, strerror(errno));
        exit(1);
    }
    o->len = 0;
}

static char *put_str(char *p, const char *s) {
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

static char *put_uint(char *p, unsigned long v, int width) {
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width) tmp[n++] = '0';
    while (n) *p++ = tmp[--n];
    return p;
}

/* Writes a field that may need quoting (only the region names can: one holds a comma). */
static char *put_field(char *p, const char *s) {
    if (strpbrk(s, ",\"\r\n")) {
        *p++ = '"';
        for (; *s; s++) {
            if (*s == '"') *p++ = '"';
            *p++ = *s;
        }
        *p++ = '"';
        return p;
    }
    return put_str(p, s);
}

static void lower3(char *d, const char *s) {
    for (int i = 0; i < 3; i++) d[i] = (char)(s[i] | 0x20);
}

/* The columns of a wide row, in order. */
enum {
    C_RECORD_ID,
    C_RETURN_TYPE,
    C_SOURCE,
    C_DEPARTURE_DATE,
    C_YEAR,
    C_HOST_COUNTRY,
    C_HOST_ISO3,
    C_HOST_REGION,
    C_ORIGIN_COUNTRY,
    C_ORIGIN_ISO3,
    C_ORIGIN_REGION,
    C_SEX,
    C_AGE,
    C_AGE_GROUP,
    C_VULNERABILITY,
    C_NOTES,
    NCOLS
};

/* The narrow shape: these columns of the wide row, in this order. */
static const int narrow_cols[] = {C_RECORD_ID,    C_RETURN_TYPE, C_DEPARTURE_DATE,
                                  C_HOST_COUNTRY, C_HOST_REGION, C_ORIGIN_COUNTRY,
                                  C_SEX,          C_AGE,         C_AGE_GROUP};

/* Keep only the narrow columns of the wide row that starts at row: start[c] is where
 * column c begins, start[NCOLS] just past the row's line end (each field is followed by
 * one separator byte).  The fields move left, in place; returns the new end. */
static char *narrow_row(char *row, char *const start[NCOLS + 1]) {
    char *q = row;
    for (size_t k = 0; k < sizeof narrow_cols / sizeof narrow_cols[0]; k++) {
        int c = narrow_cols[k];
        size_t n = (size_t)(start[c + 1] - 1 - start[c]);
        memmove(q, start[c], n);
        q += n;
        *q++ = ',';
    }
    q[-1] = '\n';
    return q;
}

static int usage(void) {
    fprintf(stderr, "usage: gen_cases [--shape wide|narrow] ROWS OUTPUT [SEED]\n");
    return 2;
}

int main(int argc, char **argv) {
    int narrow = 0;
    if (argc >= 3 && strcmp(argv[1], "--shape") == 0) {
        if (strcmp(argv[2], "narrow") == 0)
            narrow = 1;
        else if (strcmp(argv[2], "wide") != 0)
            return usage();
        argv += 2;
        argc -= 2;
    }
    if (argc < 3 || argc > 4) return usage();
    char *end;
    errno = 0;
    unsigned long long rows = strtoull(argv[1], &end, 10);
    if (errno || *end || end == argv[1]) {
        fprintf(stderr, "gen_cases: bad row count '%s'\n", argv[1]);
        return 2;
    }
    rng_state = 20211231;
    if (argc == 4) rng_state = strtoull(argv[3], NULL, 10);

    struct out o = {NULL, argv[2], malloc(OUT_BLOCK), 0};
    if (!o.buf) return 1;
    o.f = strcmp(argv[2], "-") == 0 ? stdout : fopen(argv[2], "wb");
    if (!o.f) {
        fprintf(stderr, "gen_cases: %s: %s\n", argv[2], strerror(errno));
        return 1;
    }

    static const char header[] = "record_id,return_type,source,departure_date,year,host_country,host_iso3,"
                                 "host_region,origin_country,origin_iso3,origin_region,sex,age,age_group,"
                                 "vulnerability,notes\n";
    static const char narrow_header[] = "record_id,return_type,departure_date,host_country,host_region,"
                                        "origin_country,sex,age,age_group\n";
    if (narrow) {
        memcpy(o.buf, narrow_header, sizeof narrow_header - 1);
        o.len = sizeof narrow_header - 1;
    } else {
        memcpy(o.buf, header, sizeof header - 1);
        o.len = sizeof header - 1;
    }

    struct picker avrr = make_picker(avrr_hosts, COUNT(avrr_hosts));
    struct picker vhr = make_picker(vhr_hosts, COUNT(vhr_hosts));
    struct picker orig = make_picker(origins, COUNT(origins));

    for (unsigned long long i = 0; i < rows; i++) {
        /* the longest row is well under 512 bytes */
        if (OUT_BLOCK - o.len < 512) flush_out(&o);
        char *p = o.buf + o.len;
        char *start[NCOLS + 1];

        int is_vhr = below(49795) < 6367;
        const struct country *host = pick(is_vhr ? &vhr : &avrr);
        const struct country *origin = pick(&orig);
        if (strcmp(origin->iso3, host->iso3) == 0) origin = &origins[0];

        /* record_id: feed (host office) + case number; source: the feed name */
        char feed[3];
        lower3(feed, host->iso3);
        start[C_RECORD_ID] = p;
        memcpy(p, feed, 3);
        p += 3;
        *p++ = '-';
        p = put_uint(p, (unsigned long)(i + 1), 7);
        *p++ = ',';
        start[C_RETURN_TYPE] = p;
        p = put_str(p, is_vhr ? "VHR," : "AVRR,");
        start[C_SOURCE] = p;
        memcpy(p, feed, 3);
        p += 3;
        p = put_str(p, is_vhr ? "-vhr," : "-cms,");

        unsigned year = 2019 + below(5);
        unsigned month = 1 + below(12);
        unsigned day = 1 + below(days_in_month[month - 1]);
        start[C_DEPARTURE_DATE] = p;
        p = put_uint(p, year, 4);
        *p++ = '-';
        p = put_uint(p, month, 2);
        *p++ = '-';
        p = put_uint(p, day, 2);
        *p++ = ',';
        start[C_YEAR] = p;
        p = put_uint(p, year, 4);
        *p++ = ',';

        start[C_HOST_COUNTRY] = p;
        p = put_field(p, host->name);
        *p++ = ',';
        start[C_HOST_ISO3] = p;
        p = put_str(p, host->iso3);
        *p++ = ',';
        start[C_HOST_REGION] = p;
        p = put_field(p, host->region);
        *p++ = ',';
        start[C_ORIGIN_COUNTRY] = p;
        p = put_field(p, origin->name);
        *p++ = ',';
        start[C_ORIGIN_ISO3] = p;
        p = put_str(p, origin->iso3);
        *p++ = ',';
        start[C_ORIGIN_REGION] = p;
        p = put_field(p, origin->region);
        *p++ = ',';

        start[C_SEX] = p;
        p = put_str(p, sexes[below(COUNT(sexes))]);
        *p++ = ',';
        start[C_AGE] = p;
        unsigned a = below(100);
        int child = 0;
        if (a < 4) {
            *p++ = ','; /* age not recorded */
            start[C_AGE_GROUP] = p;
            p = put_str(p, "unknown,");
        } else {
            unsigned age = a < 20 ? 1 + below(17) : 18 + below(50);
            child = age < 18;
            p = put_uint(p, age, 1);
            *p++ = ',';
            start[C_AGE_GROUP] = p;
            p = put_str(p, child ? "child," : "adult,");
        }

        start[C_VULNERABILITY] = p;
        unsigned v = below(100);
        if (child && v < 30)
            p = put_str(p, vulnerabilities[1]);
        else if (v < 10)
            p = put_str(p, vulnerabilities[0]);
        else if (v < 16)
            p = put_str(p, vulnerabilities[2]);
        else
            p = put_str(p, "none");
        *p++ = ',';

        start[C_NOTES] = p;
        unsigned n = below(1000);
        if (n < 150)
            p = put_str(p, notes_plain[below(COUNT(notes_plain))]);
        else if (n < 200)
            p = put_str(p, notes_quoted[below(COUNT(notes_quoted))]);
        else if (n < 201)
            p = put_str(p, notes_newline[below(COUNT(notes_newline))]);
        *p++ = '\n';
        start[NCOLS] = p;
        if (narrow) p = narrow_row(o.buf + o.len, start);
        o.len = (size_t)(p - o.buf);
    }
    flush_out(&o);
    if (fflush(o.f) != 0 || (o.f != stdout && fclose(o.f) != 0)) {
        fprintf(stderr, "gen_cases: %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    free(o.buf);
    return 0;
}
