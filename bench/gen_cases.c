/* gen_cases: write a synthetic harmonized case CSV for the benchmark.
 *
 *   gen_cases ROWS OUTPUT [SEED]
 *
 * One header line, then ROWS case rows with the columns of the harmonized returns
 * dataset (see docs / shared domain notes) plus a free-text `notes` column. The output
 * is UTF-8 with minimal quoting (a field is quoted only when it holds a comma, a quote,
 * CR or LF; quotes are doubled) and LF line ends, so a faithful CSV copy of it is
 * byte-identical to it. Deterministic: the same ROWS and SEED give the same bytes.
 * Roughly 100 to 130 bytes per row (10 million rows is a little over 1 GB).
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

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: gen_cases ROWS OUTPUT [SEED]\n");
        return 2;
    }
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
    memcpy(o.buf, header, sizeof header - 1);
    o.len = sizeof header - 1;

    struct picker avrr = make_picker(avrr_hosts, COUNT(avrr_hosts));
    struct picker vhr = make_picker(vhr_hosts, COUNT(vhr_hosts));
    struct picker orig = make_picker(origins, COUNT(origins));

    for (unsigned long long i = 0; i < rows; i++) {
        /* the longest row is well under 512 bytes */
        if (OUT_BLOCK - o.len < 512) flush_out(&o);
        char *p = o.buf + o.len;

        int is_vhr = below(49795) < 6367;
        const struct country *host = pick(is_vhr ? &vhr : &avrr);
        const struct country *origin = pick(&orig);
        if (strcmp(origin->iso3, host->iso3) == 0) origin = &origins[0];

        /* record_id: feed (host office) + case number; source: the feed name */
        char feed[3];
        lower3(feed, host->iso3);
        memcpy(p, feed, 3);
        p += 3;
        *p++ = '-';
        p = put_uint(p, (unsigned long)(i + 1), 7);
        *p++ = ',';
        p = put_str(p, is_vhr ? "VHR," : "AVRR,");
        memcpy(p, feed, 3);
        p += 3;
        p = put_str(p, is_vhr ? "-vhr," : "-cms,");

        unsigned year = 2019 + below(5);
        unsigned month = 1 + below(12);
        unsigned day = 1 + below(days_in_month[month - 1]);
        p = put_uint(p, year, 4);
        *p++ = '-';
        p = put_uint(p, month, 2);
        *p++ = '-';
        p = put_uint(p, day, 2);
        *p++ = ',';
        p = put_uint(p, year, 4);
        *p++ = ',';

        p = put_field(p, host->name);
        *p++ = ',';
        p = put_str(p, host->iso3);
        *p++ = ',';
        p = put_field(p, host->region);
        *p++ = ',';
        p = put_field(p, origin->name);
        *p++ = ',';
        p = put_str(p, origin->iso3);
        *p++ = ',';
        p = put_field(p, origin->region);
        *p++ = ',';

        p = put_str(p, sexes[below(COUNT(sexes))]);
        *p++ = ',';
        unsigned a = below(100);
        int child = 0;
        if (a < 4) {
            p = put_str(p, ",unknown,"); /* age not recorded */
        } else {
            unsigned age = a < 20 ? 1 + below(17) : 18 + below(50);
            child = age < 18;
            p = put_uint(p, age, 1);
            p = put_str(p, child ? ",child," : ",adult,");
        }

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

        unsigned n = below(1000);
        if (n < 150)
            p = put_str(p, notes_plain[below(COUNT(notes_plain))]);
        else if (n < 200)
            p = put_str(p, notes_quoted[below(COUNT(notes_quoted))]);
        else if (n < 201)
            p = put_str(p, notes_newline[below(COUNT(notes_newline))]);
        *p++ = '\n';
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
