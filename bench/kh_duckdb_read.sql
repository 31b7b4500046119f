-- kh_duckdb_read.sql: the six key-highlights feeds as DuckDB views (raw_libya ... raw_global)
-- and the two reintegration service feeds (raw_services_global, raw_services_guinee), each
-- office's vocabulary recoded; read first by bench/kh_duckdb.mjs, then kh_duckdb.sql.
-- Placeholders: see kh_duckdb.sql.

-- ------------------------------------------------------------------ read the feeds
-- Every column as text, as harmonize reads it; rows of the wrong width go to
-- reject_errors (store_rejects), the malformed_row rejects of harmonize.
CREATE TEMP VIEW raw_libya AS
SELECT 'libya' AS source, 'VHR' AS return_type, 1 AS priority, 'Libya' AS host, origin,
       record_id, departure_date, try_strptime(trim(coalesce(departure_date, '')), '%Y-%m-%d')::DATE AS date_h,
       CASE trim(coalesce(sex, '')) WHEN 'M' THEN 'male' WHEN 'F' THEN 'female' WHEN '' THEN 'unknown' END AS sex_h,
       sex,
       CASE trim(coalesce(vulnerability, '')) WHEN '' THEN 'none' WHEN 'VOT' THEN 'victim_of_trafficking'
            WHEN 'UASC' THEN 'unaccompanied_or_separated_child' WHEN 'MED' THEN 'health_related_needs' END AS vuln_h,
       vulnerability, age, malformed = '1' AS malformed
FROM read_csv('{{prep}}/vhr_libya.csv', header = true, all_varchar = true);

CREATE TEMP VIEW raw_yemen AS
SELECT 'yemen' AS source, 'VHR' AS return_type, 2 AS priority, 'Yemen' AS host, nationality AS origin,
       case_id AS record_id, departure_date, try_strptime(trim(coalesce(departure_date, '')), '%Y-%m-%d')::DATE AS date_h,
       CASE trim(coalesce(sex, '')) WHEN 'M' THEN 'male' WHEN 'F' THEN 'female' WHEN 'U' THEN 'unknown' END AS sex_h,
       sex,
       CASE trim(coalesce(vulnerability, '')) WHEN '' THEN 'none' WHEN 'VOT' THEN 'victim_of_trafficking'
            WHEN 'UASC' THEN 'unaccompanied_or_separated_child' WHEN 'MED' THEN 'health_related_needs' END AS vuln_h,
       vulnerability, age, false AS malformed
FROM read_csv('{{samples}}/vhr_yemen.csv', header = true, all_varchar = true, delim = ',', quote = '"',
              strict_mode = true, store_rejects = true, rejects_table = 'rej_yemen', rejects_scan = 'scan_yemen');

CREATE TEMP VIEW raw_germany AS
SELECT 'germany' AS source, 'AVRR' AS return_type, 3 AS priority, 'Germany' AS host, origin,
       record_id, departure_date, try_strptime(trim(coalesce(departure_date, '')), '%d.%m.%Y')::DATE AS date_h,
       CASE trim(coalesce(sex, '')) WHEN 'männlich' THEN 'male' WHEN 'weiblich' THEN 'female' WHEN '' THEN 'unknown' END AS sex_h,
       sex,
       CASE trim(coalesce(vulnerability, '')) WHEN '' THEN 'none' WHEN 'Menschenhandel' THEN 'victim_of_trafficking'
            WHEN 'UMA' THEN 'unaccompanied_or_separated_child' WHEN 'Gesundheit' THEN 'health_related_needs' END AS vuln_h,
       vulnerability, age, false AS malformed
FROM read_csv('{{samples}}/avrr_germany.csv', header = true, all_varchar = true, delim = ';', quote = '"',
              encoding = 'latin-1',
              names = ['record_id', 'departure_date', 'origin', 'sex', 'age', 'vulnerability', 'notes'],
              strict_mode = true, store_rejects = true, rejects_table = 'rej_germany', rejects_scan = 'scan_germany');

CREATE TEMP VIEW raw_niger AS
SELECT 'niger' AS source, 'AVRR' AS return_type, 4 AS priority, 'Niger' AS host, origin,
       record_id, departure_date, try_strptime(trim(coalesce(departure_date, '')), '%d/%m/%Y')::DATE AS date_h,
       CASE trim(coalesce(sex, '')) WHEN 'M' THEN 'male' WHEN 'F' THEN 'female' WHEN '' THEN 'unknown' END AS sex_h,
       sex,
       CASE lower(trim(coalesce(vulnerability, ''))) WHEN '' THEN 'none' WHEN 'aucune' THEN 'none'
            WHEN 'victime de traite' THEN 'victim_of_trafficking'
            WHEN 'enfant non accompagné' THEN 'unaccompanied_or_separated_child'
            WHEN 'besoins médicaux' THEN 'health_related_needs' END AS vuln_h,
       vulnerability, age, false AS malformed
FROM read_csv('{{samples}}/avrr_niger.csv', header = true, all_varchar = true, delim = ',', quote = '"',
              names = ['record_id', 'departure_date', 'origin', 'sex', 'age', 'vulnerability', 'notes'],
              strict_mode = true, store_rejects = true, rejects_table = 'rej_niger', rejects_scan = 'scan_niger');

CREATE TEMP VIEW raw_greece AS
SELECT 'greece' AS source, 'AVRR' AS return_type, 5 AS priority, 'Greece' AS host, origin,
       record_id, departure_date, try_strptime(trim(coalesce(departure_date, '')), '%d/%m/%Y')::DATE AS date_h,
       CASE trim(coalesce(sex, '')) WHEN 'M' THEN 'male' WHEN 'F' THEN 'female' WHEN '' THEN 'unknown' END AS sex_h,
       sex,
       CASE trim(coalesce(vulnerability, '')) WHEN 'NONE' THEN 'none' WHEN '' THEN 'none'
            WHEN 'VOT' THEN 'victim_of_trafficking' WHEN 'UAM' THEN 'unaccompanied_or_separated_child'
            WHEN 'MED' THEN 'health_related_needs' END AS vuln_h,
       vulnerability, age, malformed = '1' AS malformed
FROM read_csv('{{prep}}/avrr_greece.csv', header = true, all_varchar = true);

CREATE TEMP VIEW raw_global AS
SELECT 'global' AS source, 'AVRR' AS return_type, 6 AS priority, host_country AS host,
       country_of_origin AS origin, case_number AS record_id, departure_date, try_strptime(trim(coalesce(departure_date, '')), '%Y-%m-%d')::DATE AS date_h,
       CASE lower(trim(coalesce(sex, ''))) WHEN 'male' THEN 'male' WHEN 'm' THEN 'male' WHEN 'female' THEN 'female'
            WHEN 'f' THEN 'female' WHEN '' THEN 'unknown' WHEN 'unknown' THEN 'unknown' END AS sex_h,
       sex,
       CASE lower(trim(coalesce(vulnerability, ''))) WHEN '' THEN 'none' WHEN 'none' THEN 'none'
            WHEN 'vot' THEN 'victim_of_trafficking' WHEN 'uasc' THEN 'unaccompanied_or_separated_child'
            WHEN 'health' THEN 'health_related_needs' END AS vuln_h,
       vulnerability, age, false AS malformed
FROM read_csv('{{samples}}/avrr_global.csv', header = true, all_varchar = true, delim = ',', quote = '"',
              escape = '"', strict_mode = true, store_rejects = true, rejects_table = 'rej_global', rejects_scan = 'scan_global');

-- ------------------------------------------------------------------ the service feeds (chapter 3)
-- Each recoded into the services schema as its chain in the pipeline does (map of stage,
-- dimension, level, delivery; NULL where the map would reject); the office spelling is
-- resolved in kh_duckdb.sql through the country table. The global export is gzip: DuckDB
-- decompresses it itself, inside the timing, as harmonize does.
CREATE TEMP VIEW raw_services_global AS
SELECT 'services_global' AS source, service_id, case_id, office_country AS office,
       CASE lower(trim(coalesce(stage, ''))) WHEN 'pre_departure' THEN 'pre_departure'
            WHEN 'pre-departure' THEN 'pre_departure' WHEN 'post_arrival' THEN 'post_arrival'
            WHEN 'post-arrival' THEN 'post_arrival' END AS stage_h,
       CASE trim(coalesce(dimension, '')) WHEN 'economic' THEN 'economic' WHEN 'social' THEN 'social'
            WHEN 'psychosocial' THEN 'psychosocial' END AS dimension_h,
       CASE trim(coalesce(level, '')) WHEN 'individual' THEN 'individual' WHEN 'collective' THEN 'collective'
            WHEN 'community' THEN 'community' END AS level_h,
       CASE trim(coalesce(delivery, '')) WHEN 'direct' THEN 'direct' WHEN 'referral' THEN 'referral' END AS delivery_h,
       false AS malformed
FROM read_csv('{{samples}}/services_global.csv.gz', header = true, all_varchar = true, delim = ',', quote = '"',
              escape = '"', strict_mode = true, store_rejects = true, rejects_table = 'rej_services_global',
              rejects_scan = 'scan_services_global');

-- The Guinea office's XML export, as CSV (kh_feeds2csv.py), French codes.
CREATE TEMP VIEW raw_services_guinee AS
SELECT 'services_guinee' AS source, service_id, case_id, office,
       CASE trim(coalesce(stage, '')) WHEN 'pré-départ' THEN 'pre_departure' WHEN 'post-arrivée' THEN 'post_arrival' END AS stage_h,
       CASE trim(coalesce(dimension, '')) WHEN 'économique' THEN 'economic' WHEN 'sociale' THEN 'social'
            WHEN 'psychosociale' THEN 'psychosocial' END AS dimension_h,
       CASE trim(coalesce(level, '')) WHEN 'individuel' THEN 'individual' WHEN 'collectif' THEN 'collective'
            WHEN 'communautaire' THEN 'community' END AS level_h,
       CASE trim(coalesce(delivery, '')) WHEN 'directe' THEN 'direct' WHEN 'orientation' THEN 'referral' END AS delivery_h,
       malformed = '1' AS malformed
FROM read_csv('{{prep}}/services_guinee.csv', header = true, all_varchar = true);
