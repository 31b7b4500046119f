-- kh_duckdb.sql: the key-highlights pipeline (pipelines/key-highlights.yaml) in DuckDB SQL,
-- for bench/key-highlights.sh. Run by bench/kh_duckdb.mjs, which replaces
--   {{samples}}  the folder of the feeds (the CSV feeds are read from there)
--   {{prep}}     the untimed renditions: vhr_libya.csv, avrr_greece.csv, countries.csv
--   {{out}}      the output folder (the CSV files; the database is opened by the script)
-- inside string literals (quotes doubled).
--
-- Same work as the pipeline: read six feeds, recode each office's vocabulary (sex,
-- vulnerability, dates in three formats, ages 0-120), resolve both country columns
-- through a lookup table, reject what cannot be used (with a reason), keep each case
-- once (VHR feeds first), keep the report year, derive the age group, and write
-- returns.csv, a database with tables returns, flows, top_hosts, top_origins, totals and
-- rejects, the same tables as CSV, duplicates.csv and rejects.csv.
--
-- What DuckDB is spared (see bench/README.md): the XML and KEY=VALUE feeds arrive as CSV;
-- country names are an exact-match join on the very spellings in the feeds (the lookup was
-- made by `harmonize country` from them), not a matcher; Windows-1252 is read as Latin-1
-- (the German feed uses no character where the two differ); rejects carry no line number
-- for rows that were split correctly (DuckDB's CSV reader gives none).

-- ------------------------------------------------------------------ resolve, reject
-- The feeds are the views of kh_duckdb_read.sql.
CREATE TEMP TABLE countries AS
SELECT * FROM read_csv('{{prep}}/countries.csv', header = true, all_varchar = true,
                       delim = '\t', quote = '', escape = '');

CREATE TEMP TABLE checked AS
WITH raw AS (
    SELECT * FROM raw_libya UNION ALL SELECT * FROM raw_yemen UNION ALL SELECT * FROM raw_germany
    UNION ALL SELECT * FROM raw_niger UNION ALL SELECT * FROM raw_greece UNION ALL SELECT * FROM raw_global
),
typed AS (
    SELECT raw.*,
           CASE WHEN trim(coalesce(age, '')) = '' THEN NULL
                WHEN regexp_full_match(trim(age), '[0-9]{1,9}') THEN trim(age)::INTEGER END AS age_h,
           ho.iso3 AS host_iso3, ho.name AS host_country, ho.region AS host_region, ho.rule AS host_rule,
           og.iso3 AS origin_iso3, og.name AS origin_country, og.region AS origin_region, og.rule AS origin_rule
    FROM raw
    LEFT JOIN countries ho ON ho.office = raw.source AND ho.spelling = raw.host
    LEFT JOIN countries og ON og.office = raw.source AND og.spelling = raw.origin
)
SELECT *,
       CASE WHEN malformed OR coalesce(departure_date, '') = '' OR coalesce(origin, '') = '' THEN 'malformed_row'
            WHEN date_h IS NULL THEN 'invalid_date'
            WHEN trim(coalesce(age, '')) <> '' AND (age_h IS NULL OR age_h > 120) THEN 'invalid_age'
            WHEN sex_h IS NULL THEN 'invalid_sex'
            WHEN vuln_h IS NULL THEN 'invalid_vulnerability'
            WHEN host_iso3 IS NULL OR host_iso3 = '' THEN coalesce(host_rule, 'unknown_country')
            WHEN origin_iso3 IS NULL OR origin_iso3 = '' THEN coalesce(origin_rule, 'unknown_country')
            WHEN coalesce(record_id, '') = '' THEN 'empty_key'
       END AS reason
FROM typed;

-- ------------------------------------------------------------------ each case once
-- The VHR feeds come first (priority), so a case both a VHR office and an AVRR project
-- exported counts once, as VHR.
CREATE TEMP TABLE ranked AS
SELECT record_id, return_type, source, date_h AS departure_date, year(date_h) AS year,
       host_country, host_iso3, host_region, origin_country, origin_iso3, origin_region,
       sex_h AS sex, age_h AS age, vuln_h AS vulnerability,
       row_number() OVER (PARTITION BY record_id ORDER BY priority) AS copy
FROM checked WHERE reason IS NULL;

CREATE TABLE duplicates AS
SELECT d.record_id, k.source AS kept_source, d.source AS dropped_source,
       (k.departure_date, k.host_iso3, k.origin_iso3, k.sex, k.age, k.vulnerability)
           IS NOT DISTINCT FROM
       (d.departure_date, d.host_iso3, d.origin_iso3, d.sex, d.age, d.vulnerability) AS agrees
FROM ranked d JOIN ranked k ON k.record_id = d.record_id AND k.copy = 1
WHERE d.copy > 1;

-- The report covers one year of departures.
CREATE TABLE returns AS
SELECT record_id, return_type, source, departure_date, year, host_country, host_iso3, host_region,
       origin_country, origin_iso3, origin_region, sex, age,
       CASE WHEN age IS NULL THEN 'unknown' WHEN age <= 17 THEN 'child' ELSE 'adult' END AS age_group,
       vulnerability
FROM ranked WHERE copy = 1 AND year = 2021;

CREATE TABLE rejects AS
SELECT source AS feed, NULL::BIGINT AS line, reason, record_id AS detail FROM checked WHERE reason IS NOT NULL
UNION ALL
SELECT 'outside_year' AS feed, NULL, 'outside_year', record_id FROM ranked WHERE copy = 1 AND year <> 2021
UNION ALL
SELECT * FROM (
    SELECT 'vhr_yemen.csv', e.line, 'malformed_row', e.error_message FROM rej_yemen e
    UNION ALL SELECT 'avrr_germany.csv', e.line, 'malformed_row', e.error_message FROM rej_germany e
    UNION ALL SELECT 'avrr_niger.csv', e.line, 'malformed_row', e.error_message FROM rej_niger e
    UNION ALL SELECT 'avrr_global.csv', e.line, 'malformed_row', e.error_message FROM rej_global e);

-- ------------------------------------------------------------------ the published tables
CREATE TABLE flows AS
SELECT host_region, origin_region, count(*) AS count,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS share
FROM returns GROUP BY ALL ORDER BY host_region, origin_region;

CREATE TABLE top_hosts AS
SELECT rank() OVER (ORDER BY count DESC) AS rank, host_country, host_iso3, count, share FROM (
    SELECT host_country, host_iso3, count(*) AS count,
           round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS share
    FROM returns GROUP BY ALL ORDER BY count DESC, host_country, host_iso3 LIMIT 10)
ORDER BY count DESC, host_country, host_iso3;

CREATE TABLE top_origins AS
SELECT rank() OVER (ORDER BY count DESC) AS rank, origin_country, origin_iso3, count, share FROM (
    SELECT origin_country, origin_iso3, count(*) AS count,
           round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS share
    FROM returns GROUP BY ALL ORDER BY count DESC, origin_country, origin_iso3 LIMIT 10)
ORDER BY count DESC, origin_country, origin_iso3;

CREATE TABLE totals AS
WITH dims AS (
    SELECT d.dimension, d.value, count(*) AS count
    FROM returns,
         LATERAL (VALUES ('all', 'all'), ('return_type', return_type), ('sex', sex), ('age_group', age_group),
                         ('vulnerability', vulnerability), ('host_region', host_region),
                         ('origin_region', origin_region)) d(dimension, value)
    GROUP BY ALL
),
roles AS (
    SELECT iso3, count(*) AS roles FROM (
        SELECT DISTINCT host_iso3 AS iso3, 'host' AS role FROM returns
        UNION ALL SELECT DISTINCT origin_iso3, 'origin' FROM returns) GROUP BY iso3
)
SELECT dimension, value, count, round(100.0 * count / sum(count) OVER (PARTITION BY dimension), 1) AS share
FROM dims
UNION ALL
SELECT 'countries', 'host', count(DISTINCT host_iso3), NULL FROM returns
UNION ALL
SELECT 'countries', 'origin', count(DISTINCT origin_iso3), NULL FROM returns
UNION ALL
SELECT 'countries', CASE roles WHEN 1 THEN 'host_or_origin_only' ELSE 'host_and_origin' END, count(*), NULL
FROM roles GROUP BY roles;

-- ------------------------------------------------------------------ write
COPY returns TO '{{out}}/returns.csv' (HEADER);
COPY flows TO '{{out}}/flows.csv' (HEADER);
COPY top_hosts TO '{{out}}/top_hosts.csv' (HEADER);
COPY top_origins TO '{{out}}/top_origins.csv' (HEADER);
COPY (SELECT * FROM totals ORDER BY dimension, value) TO '{{out}}/totals.csv' (HEADER);
COPY duplicates TO '{{out}}/duplicates.csv' (HEADER);
COPY rejects TO '{{out}}/rejects.csv' (HEADER);
