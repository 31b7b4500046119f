-- kh_duckdb.sql: the key-highlights pipeline (pipelines/key-highlights.yaml) in DuckDB SQL,
-- for bench/key-highlights.sh. Run by bench/kh_duckdb.mjs, which replaces
--   {{samples}}  the folder of the feeds (the CSV feeds are read from there)
--   {{prep}}     the untimed renditions: vhr_libya.csv, avrr_greece.csv, services_guinee.csv,
--                countries.csv
--   {{out}}      the output folder (the CSV files; the database is opened by the script)
-- inside string literals (quotes doubled).
--
-- Same work as the pipeline: read six feeds, recode each office's vocabulary (sex,
-- vulnerability, dates in three formats, ages 0-120), resolve both country columns
-- through a lookup table, reject what cannot be used (with a reason), keep each case
-- once (VHR feeds first), keep the report year, derive the age group; read the two
-- reintegration service feeds, recode them (stage, dimension, level, delivery, the office's
-- country), join each service to its returnee by case id (unknown_case otherwise); and
-- write returns.csv, a database with tables returns, flows, top_hosts, top_origins,
-- totals, services, top_offices, service_totals and rejects, the same tables as CSV,
-- duplicates.csv and rejects.csv.
--
-- What DuckDB is spared (see bench/README.md): the XML and KEY=VALUE feeds arrive as CSV;
-- country names are an exact-match join on the very spellings in the feeds (the lookup was
-- made by `harmonize country` from them), not a matcher; Windows-1252 is read as Latin-1
-- (the German feed uses no character where the two differ); rejects carry no line number
-- for rows that were split correctly (DuckDB's CSV reader gives none); no HTML page, no
-- Excel workbook, no run manifest.

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

-- ------------------------------------------------------------------ services (chapter 3)
-- Each service recoded (kh_duckdb_read.sql), its office resolved through the country table
-- (office services_global / services_guinee), then linked to its returnee in `returns`
-- (the year's returnees, as the pipeline's join reads `harmonized`): a case id in no
-- returns feed, rejected there, outside the year, or empty, is unknown_case. The reasons
-- in the order of the pipeline's steps: the maps, the country, the join.
CREATE TEMP TABLE checked_services AS
WITH raw AS (SELECT * FROM raw_services_global UNION ALL SELECT * FROM raw_services_guinee),
typed AS (
    SELECT raw.*, oc.iso3 AS office_iso3, oc.name AS office_country, oc.region AS office_region, oc.rule AS office_rule,
           r.host_iso3 AS returnee_host_iso3, r.origin_iso3 AS returnee_origin_iso3, r.record_id IS NOT NULL AS known
    FROM raw
    LEFT JOIN countries oc ON oc.office = raw.source AND oc.spelling = raw.office
    LEFT JOIN returns r ON r.record_id = raw.case_id
)
SELECT *,
       CASE WHEN malformed THEN 'malformed_row'
            WHEN stage_h IS NULL THEN 'invalid_stage'
            WHEN dimension_h IS NULL THEN 'invalid_dimension'
            WHEN level_h IS NULL THEN 'invalid_level'
            WHEN delivery_h IS NULL THEN 'invalid_delivery'
            WHEN office_iso3 IS NULL OR office_iso3 = '' THEN coalesce(office_rule, 'unknown_country')
            WHEN NOT known THEN 'unknown_case'
       END AS reason
FROM typed;

CREATE TABLE services AS
SELECT service_id, case_id, office_country, office_iso3, office_region, stage_h AS stage, dimension_h AS dimension,
       level_h AS level, delivery_h AS delivery, returnee_host_iso3, returnee_origin_iso3
FROM checked_services WHERE reason IS NULL;

CREATE TABLE rejects AS
SELECT source AS feed, NULL::BIGINT AS line, reason, record_id AS detail FROM checked WHERE reason IS NOT NULL
UNION ALL
SELECT source, NULL, reason, coalesce(case_id, '') FROM checked_services WHERE reason IS NOT NULL
UNION ALL
SELECT 'outside_year' AS feed, NULL, 'outside_year', record_id FROM ranked WHERE copy = 1 AND year <> 2021
UNION ALL
SELECT * FROM (
    SELECT 'vhr_yemen.csv', e.line, 'malformed_row', e.error_message FROM rej_yemen e
    UNION ALL SELECT 'avrr_germany.csv', e.line, 'malformed_row', e.error_message FROM rej_germany e
    UNION ALL SELECT 'avrr_niger.csv', e.line, 'malformed_row', e.error_message FROM rej_niger e
    UNION ALL SELECT 'avrr_global.csv', e.line, 'malformed_row', e.error_message FROM rej_global e
    UNION ALL SELECT 'services_global.csv.gz', e.line, 'malformed_row', e.error_message FROM rej_services_global e);

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

-- ------------------------------------------------------------------ the service tables
-- Shares as the aggregate transform computes them: count x 1000 / total rounded half up,
-- in integers (no binary fraction at a .x5 boundary), one decimal.
CREATE TEMP MACRO share_of(n, total) AS ((n * 2000 + total) // (2 * total) / 10)::DECIMAL(18, 1);

CREATE TABLE top_offices AS
SELECT rank() OVER (ORDER BY count DESC) AS rank, office_country, office_iso3, count, share FROM (
    SELECT office_country, office_iso3, count(*) AS count, share_of(count(*), sum(count(*)) OVER ()) AS share
    FROM services GROUP BY ALL ORDER BY count DESC, office_country, office_iso3 LIMIT 10)
ORDER BY count DESC, office_country, office_iso3;

-- One line per (dimension, value), like totals: services in all, by stage, dimension,
-- level, delivery, office region; level and office region within each stage (the share
-- of the stage: share_within); the number of offices, in all and per stage (no share).
CREATE TABLE service_totals AS
WITH dims AS (
    SELECT d.dimension, d.value, count(*) AS count
    FROM services,
         LATERAL (VALUES ('all', 'all'), ('stage', stage), ('dimension', dimension), ('level', level),
                         ('delivery', delivery), ('office_region', office_region),
                         (stage || '_level', level), (stage || '_office_region', office_region)) d(dimension, value)
    GROUP BY ALL
)
SELECT dimension, value, count, share_of(count, sum(count) OVER (PARTITION BY dimension)) AS share FROM dims
UNION ALL
SELECT 'offices', 'all', count(DISTINCT office_iso3), NULL FROM services
UNION ALL
SELECT 'offices', stage, count(DISTINCT office_iso3), NULL FROM services GROUP BY stage;

-- ------------------------------------------------------------------ write
COPY returns TO '{{out}}/returns.csv' (HEADER);
COPY flows TO '{{out}}/flows.csv' (HEADER);
COPY top_hosts TO '{{out}}/top_hosts.csv' (HEADER);
COPY top_origins TO '{{out}}/top_origins.csv' (HEADER);
COPY (SELECT * FROM totals ORDER BY dimension, value) TO '{{out}}/totals.csv' (HEADER);
COPY duplicates TO '{{out}}/duplicates.csv' (HEADER);
COPY rejects TO '{{out}}/rejects.csv' (HEADER);
COPY services TO '{{out}}/services.csv' (HEADER);
COPY top_offices TO '{{out}}/top_offices.csv' (HEADER);
COPY (SELECT * FROM service_totals ORDER BY dimension, value) TO '{{out}}/service_totals.csv' (HEADER);
