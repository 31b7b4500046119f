#!/usr/bin/env python3
"""Generate the synthetic sample feeds of pipelines/key-highlights.yaml.

    python3 scripts/gen-samples.py                      # rewrite pipelines/samples/
    python3 scripts/gen-samples.py --out /tmp/s --scale 20   # 20 times the rows, for benchmarks
    python3 scripts/gen-samples.py --check              # exit 1 if pipelines/samples/ is stale

Six country-office exports, in six shapes, of made-up return cases (no real
person: names are drawn from short lists, phone numbers are random). Once
read, cleaned, de-duplicated and counted they give exactly the figures
published in IOM's *Return and Reintegration Key Highlights 2021*: 49,795
returnees, 43,428 AVRR and 6,367 VHR (Libya 4,332, Yemen 2,035), the top 10
host countries and countries of origin, the host-region x origin-region flow
matrix of chapter 2, 125 host countries, 150 countries of origin (120 both),
4,446 migrants in vulnerable situations and the regional percentages of
children and of vulnerability types the report prints. docs/
key-highlights-figures.md says where each figure is in the report and how
the places where the report contradicts itself were settled.

Two more exports hold the reintegration services given to those returnees
(chapter 3): services_global.csv.gz (gzip, written with mtime 0 and no name)
and services_guinee.xml (the Guinea office, French codes). Their valid rows,
linked to the returns by case id, give exactly chapter 3's figures: 113,331
services by 121 offices; 28,689 pre-departure by 48 offices, 98.6% of them
individual; 61% of post-arrival services by offices in West and Central
Africa; Germany 15%, Nigeria 12%, Guinea 8% (docs/services-figures.md). Bad
rows and services of unknown cases are listed in expected-service-rejects.tsv.
The returns feeds do not change with them (a stream of random numbers of
their own). --check compares a .gz file by its decompressed bytes.

On top of the valid cases the feeds carry extra rows that must not count:
bad rows (unknown country, impossible date, non-numeric age, wrong field
count, ...) and duplicates (a VHR case also exported by the global AVRR
feed; a German case also in the global feed; rows exported twice). Two
files list them for the end-to-end test: expected-rejects.tsv (feed, line,
reason) and expected-duplicates.tsv (key, kept and dropped feed and line).
They describe what was planted, not the published figures: the test asserts
those from the report itself.

Deterministic: one fixed seed, a PRNG written out here (splitmix64, not the
random module, whose algorithms may change between Python versions), no
clock, no locale, no hash order. The same command writes the same bytes.
Python 3 standard library only.
"""

import argparse
import datetime
import gzip
import io
import os
import sys
import tempfile

SEED = 20211231

# ---------------------------------------------------------------------------
# PRNG


class Rng:
    """splitmix64: small, fast, and the same numbers on every platform."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFFFFFFFFFF

    def u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        return z ^ (z >> 31)

    def below(self, n):
        """Uniform in [0, n) (rejection sampling: no modulo bias)."""
        limit = (1 << 64) - (1 << 64) % n
        while True:
            x = self.u64()
            if x < limit:
                return x % n

    def between(self, lo, hi):
        return lo + self.below(hi - lo + 1)

    def percent(self, p):
        """True with probability p/1000."""
        return self.below(1000) < p

    def choice(self, seq):
        return seq[self.below(len(seq))]

    def weighted(self, pairs):
        """pairs: [(weight, value)] with integer weights."""
        total = sum(w for w, _ in pairs)
        x = self.below(total)
        for w, v in pairs:
            if x < w:
                return v
            x -= w
        raise AssertionError("unreachable")

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]

    def fork(self, label):
        """An independent stream per purpose, so that adding rows of one kind
        does not move every other random choice."""
        h = self.state
        for ch in label.encode():
            h = ((h ^ ch) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
        return Rng(h)


# ---------------------------------------------------------------------------
# The published figures (Key Highlights 2021, chapters 1 and 2)

# The nine IOM regions, in the report's order.
REGIONS = [
    ("AP", "Asia and the Pacific"),
    ("CNAC", "Central and North America and the Caribbean"),
    ("EHA", "East and Horn of Africa"),
    ("EEA", "European Economic Area"),
    ("MENA", "Middle East and North Africa"),
    ("SA", "South America"),
    ("SEE", "South-Eastern Europe, Eastern Europe and Central Asia"),
    ("SAF", "Southern Africa"),
    ("WCA", "West and Central Africa"),
]
REGION_CODES = [code for code, _ in REGIONS]

# FLOWS[host region][origin region]: the "returns from <host region>" tables
# of chapter 2. Three cells are printed differently in the "returns to"
# tables; the values here are the ones that add up to the printed totals
# (docs/key-highlights-figures.md): MENA->AP 1,269 (not 1,296), SEE->MENA 426
# (not 446), WCA->EHA 313 (not 315).
FLOWS = {
    "AP": {"AP": 543, "CNAC": 59, "WCA": 42, "EHA": 36, "MENA": 35, "SAF": 16, "SA": 10, "EEA": 10, "SEE": 2},
    "CNAC": {"CNAC": 688, "SA": 34, "AP": 14, "EHA": 4, "MENA": 2},
    "EHA": {"EHA": 1678, "WCA": 339, "AP": 43, "SAF": 25, "EEA": 11, "CNAC": 4},
    "EEA": {"SEE": 7496, "AP": 3796, "MENA": 2244, "SA": 1135, "CNAC": 816, "WCA": 815, "EEA": 356, "EHA": 249,
            "SAF": 86},
    "MENA": {"WCA": 8035, "EHA": 2676, "AP": 1269, "MENA": 311, "SAF": 254, "SEE": 29, "SA": 6, "CNAC": 6, "EEA": 2},
    "SA": {"CNAC": 10, "EEA": 5, "SA": 1, "EHA": 1},
    "SEE": {"AP": 1912, "MENA": 426, "SEE": 291, "WCA": 70, "SAF": 24, "CNAC": 17, "EHA": 10, "EEA": 4, "SA": 3},
    "SAF": {"EHA": 328, "SAF": 281, "WCA": 7, "CNAC": 1, "AP": 1},
    "WCA": {"WCA": 12835, "EHA": 313, "AP": 36, "SAF": 30, "CNAC": 11, "MENA": 1, "EEA": 1},
}
HOST_REGION_TOTALS = {"AP": 753, "CNAC": 742, "EHA": 2100, "EEA": 16993, "MENA": 12588, "SA": 17, "SEE": 2757,
                      "SAF": 618, "WCA": 13227}
TOTAL = 49795
VHR = {"LBY": 4332, "YEM": 2035}  # the only VHR host countries in 2021
TOP_HOSTS = {"NER": 10573, "DEU": 6785, "LBY": 4332, "GRC": 2736, "MAR": 2372, "YEM": 2035, "DZA": 1972,
             "TUR": 1748, "BEL": 1665, "NLD": 1485}
TOP_ORIGINS = {"GIN": 5165, "MLI": 4453, "ETH": 3934, "NGA": 3322, "PAK": 2197, "IRQ": 1886, "SLE": 1793,
               "CIV": 1759, "GEO": 1758, "BGD": 1328}
HOST_COUNTRIES, ORIGIN_COUNTRIES, BOTH_COUNTRIES = 125, 150, 120

# ---------------------------------------------------------------------------
# Countries: ISO codes, region, and the spellings offices use.
# iso3 | alpha-2 | numeric | region | ISO short name | IOM house style |
# everyday English | French | Spanish | German (the last three from Debian
# iso-codes; Kosovo has no ISO entry).

COUNTRY_TABLE = """
THA|TH|764|AP|Thailand|Thailand|Thailand|Thaïlande|Tailandia|Thailand
MYS|MY|458|AP|Malaysia|Malaysia|Malaysia|Malaisie|Malasia|Malaysia
IDN|ID|360|AP|Indonesia|Indonesia|Indonesia|Indonésie|Indonesia|Indonesien
IRN|IR|364|AP|Iran, Islamic Republic of|Islamic Republic of Iran (the)|Iran|Iran, République islamique d'|Irán, República islámica de|Iran, Islamische Republik
IND|IN|356|AP|India|India|India|Inde|India|Indien
CHN|CN|156|AP|China|China|China|Chine|China|China
JPN|JP|392|AP|Japan|Japan|Japan|Japon|Japón|Japan
LKA|LK|144|AP|Sri Lanka|Sri Lanka|Sri Lanka|Sri Lanka|Sri Lanka|Sri Lanka
VNM|VN|704|AP|Viet Nam|Viet Nam|Viet Nam|Viêt Nam|Vietnam|Vietnam
MNG|MN|496|AP|Mongolia|Mongolia|Mongolia|Mongolie|Mongolia|Mongolei
KHM|KH|116|AP|Cambodia|Cambodia|Cambodia|Cambodge|Camboya|Kambodscha
PHL|PH|608|AP|Philippines|Philippines (the)|Philippines|Philippines|Filipinas|Philippinen
NPL|NP|524|AP|Nepal|Nepal|Nepal|Népal|Nepal|Nepal
PAK|PK|586|AP|Pakistan|Pakistan|Pakistan|Pakistan|Pakistán|Pakistan
BGD|BD|050|AP|Bangladesh|Bangladesh|Bangladesh|Bangladesh|Bangladés|Bangladesch
AFG|AF|004|AP|Afghanistan|Afghanistan|Afghanistan|Afghanistan|Afganistán|Afghanistan
MMR|MM|104|AP|Myanmar|Myanmar|Myanmar|Birmanie|Birmania|Myanmar
LAO|LA|418|AP|Lao People's Democratic Republic|Lao People's Democratic Republic (the)|Laos|Lao, République démocratique populaire|República Democrática Popular de Lao|Laos, Demokratische Volksrepublik
TLS|TL|626|AP|Timor-Leste|Timor-Leste|Timor-Leste|Timor oriental|Timor Oriental|Timor-Leste
FJI|FJ|242|AP|Fiji|Fiji|Fiji|Fidji|Fiyi|Fidschi
PNG|PG|598|AP|Papua New Guinea|Papua New Guinea|Papua New Guinea|Papouasie-Nouvelle-Guinée|Papúa Nueva Guinea|Papua-Neuguinea
TON|TO|776|AP|Tonga|Tonga|Tonga|Tonga|Tonga|Tonga
BTN|BT|064|AP|Bhutan|Bhutan|Bhutan|Bhoutan|Bután|Bhutan
MEX|MX|484|CNAC|Mexico|Mexico|Mexico|Mexique|México|Mexiko
GTM|GT|320|CNAC|Guatemala|Guatemala|Guatemala|Guatemala|Guatemala|Guatemala
USA|US|840|CNAC|United States|United States of America (the)|United States|États-Unis|Estados Unidos|Vereinigte Staaten
CAN|CA|124|CNAC|Canada|Canada|Canada|Canada|Canadá|Kanada
CRI|CR|188|CNAC|Costa Rica|Costa Rica|Costa Rica|Costa Rica|Costa Rica|Costa Rica
SLV|SV|222|CNAC|El Salvador|El Salvador|El Salvador|Salvador|El Salvador|El Salvador
HND|HN|340|CNAC|Honduras|Honduras|Honduras|Honduras|Honduras|Honduras
NIC|NI|558|CNAC|Nicaragua|Nicaragua|Nicaragua|Nicaragua|Nicaragua|Nicaragua
PAN|PA|591|CNAC|Panama|Panama|Panama|Panama|Panamá|Panama
DOM|DO|214|CNAC|Dominican Republic|Dominican Republic (the)|Dominican Republic|République dominicaine|República Dominicana|Dominikanische Republik
CUB|CU|192|CNAC|Cuba|Cuba|Cuba|Cuba|Cuba|Kuba
HTI|HT|332|CNAC|Haiti|Haiti|Haiti|Haïti|Haití|Haiti
JAM|JM|388|CNAC|Jamaica|Jamaica|Jamaica|Jamaïque|Jamaica|Jamaika
TTO|TT|780|CNAC|Trinidad and Tobago|Trinidad and Tobago|Trinidad and Tobago|Trinité-et-Tobago|Trinidad y Tobago|Trinidad und Tobago
BLZ|BZ|084|CNAC|Belize|Belize|Belize|Belize|Belice|Belize
DJI|DJ|262|EHA|Djibouti|Djibouti|Djibouti|Djibouti|Yibuti|Dschibuti
SOM|SO|706|EHA|Somalia|Somalia|Somalia|Somalie|Somalia|Somalia
ETH|ET|231|EHA|Ethiopia|Ethiopia|Ethiopia|Éthiopie|Etiopía|Äthiopien
KEN|KE|404|EHA|Kenya|Kenya|Kenya|Kenya|Kenia|Kenia
SSD|SS|728|EHA|South Sudan|South Sudan|South Sudan|Soudan du Sud|Sudán del Sur|Südsudan
UGA|UG|800|EHA|Uganda|Uganda|Uganda|Ouganda|Uganda|Uganda
TZA|TZ|834|EHA|Tanzania, United Republic of|United Republic of Tanzania (the)|Tanzania|Tanzanie, République unie de|Tanzania, República unida de|Tansania, Vereinigte Republik
BDI|BI|108|EHA|Burundi|Burundi|Burundi|Burundi|Burundi|Burundi
RWA|RW|646|EHA|Rwanda|Rwanda|Rwanda|Rwanda|Ruanda|Ruanda
ERI|ER|232|EHA|Eritrea|Eritrea|Eritrea|Érythrée|Eritrea|Eritrea
DEU|DE|276|EEA|Germany|Germany|Germany|Allemagne|Alemania|Deutschland
GRC|GR|300|EEA|Greece|Greece|Greece|Grèce|Grecia|Griechenland
BEL|BE|056|EEA|Belgium|Belgium|Belgium|Belgique|Bélgica|Belgien
NLD|NL|528|EEA|Netherlands|Netherlands (the)|Netherlands|Pays-Bas|Países Bajos|Niederlande
CHE|CH|756|EEA|Switzerland|Switzerland|Switzerland|Suisse|Suiza|Schweiz
FRA|FR|250|EEA|France|France|France|France|Francia|Frankreich
AUT|AT|040|EEA|Austria|Austria|Austria|Autriche|Austria|Österreich
GBR|GB|826|EEA|United Kingdom|United Kingdom (the)|United Kingdom|Royaume-Uni|Reino Unido|Vereinigtes Königreich
NOR|NO|578|EEA|Norway|Norway|Norway|Norvège|Noruega|Norwegen
SWE|SE|752|EEA|Sweden|Sweden|Sweden|Suède|Suecia|Schweden
ITA|IT|380|EEA|Italy|Italy|Italy|Italie|Italia|Italien
ESP|ES|724|EEA|Spain|Spain|Spain|Espagne|España|Spanien
PRT|PT|620|EEA|Portugal|Portugal|Portugal|Portugal|Portugal|Portugal
FIN|FI|246|EEA|Finland|Finland|Finland|Finlande|Finlandia|Finnland
IRL|IE|372|EEA|Ireland|Ireland|Ireland|Irlande|Irlanda|Irland
DNK|DK|208|EEA|Denmark|Denmark|Denmark|Danemark|Dinamarca|Dänemark
POL|PL|616|EEA|Poland|Poland|Poland|Pologne|Polonia|Polen
CZE|CZ|203|EEA|Czechia|Czechia|Czechia|Tchéquie|Chequia|Tschechien
HUN|HU|348|EEA|Hungary|Hungary|Hungary|Hongrie|Hungría|Ungarn
ROU|RO|642|EEA|Romania|Romania|Romania|Roumanie|Rumanía|Rumänien
BGR|BG|100|EEA|Bulgaria|Bulgaria|Bulgaria|Bulgarie|Bulgaria|Bulgarien
SVK|SK|703|EEA|Slovakia|Slovakia|Slovakia|Slovaquie|Eslovaquia|Slowakei
CYP|CY|196|EEA|Cyprus|Cyprus|Cyprus|Chypre|Chipre|Zypern
LUX|LU|442|EEA|Luxembourg|Luxembourg|Luxembourg|Luxembourg|Luxemburgo|Luxemburg
MLT|MT|470|EEA|Malta|Malta|Malta|Malte|Malta|Malta
LTU|LT|440|EEA|Lithuania|Lithuania|Lithuania|Lituanie|Lituania|Litauen
LBY|LY|434|MENA|Libya|Libya|Libya|Libye|Libia|Libyen
MAR|MA|504|MENA|Morocco|Morocco|Morocco|Maroc|Marruecos|Marokko
YEM|YE|887|MENA|Yemen|Yemen|Yemen|Yémen|Yemen|Jemen
DZA|DZ|012|MENA|Algeria|Algeria|Algeria|Algérie|Argelia|Algerien
TUN|TN|788|MENA|Tunisia|Tunisia|Tunisia|Tunisie|Túnez|Tunesien
EGY|EG|818|MENA|Egypt|Egypt|Egypt|Égypte|Egipto|Ägypten
SDN|SD|729|MENA|Sudan|Sudan (the)|Sudan|Soudan|Sudán|Sudan
IRQ|IQ|368|MENA|Iraq|Iraq|Iraq|Irak|Irak|Irak
JOR|JO|400|MENA|Jordan|Jordan|Jordan|Jordanie|Jordania|Jordanien
LBN|LB|422|MENA|Lebanon|Lebanon|Lebanon|Liban|Líbano|Libanon
SAU|SA|682|MENA|Saudi Arabia|Saudi Arabia|Saudi Arabia|Arabie saoudite|Arabia Saudí|Saudi-Arabien
ARE|AE|784|MENA|United Arab Emirates|United Arab Emirates (the)|United Arab Emirates|Émirats arabes unis|Emiratos Árabes Unidos|Vereinigte Arabische Emirate
KWT|KW|414|MENA|Kuwait|Kuwait|Kuwait|Koweït|Kuwait|Kuwait
OMN|OM|512|MENA|Oman|Oman|Oman|Oman|Omán|Oman
SYR|SY|760|MENA|Syrian Arab Republic|Syrian Arab Republic (the)|Syria|Syrienne, République arabe|República árabe de Siria|Syrien, Arabische Republik
PSE|PS|275|MENA|Palestine, State of|Palestinian Territories|Palestine|Palestine, État de|Palestina, Estado de|Palästina, Staat
BRA|BR|076|SA|Brazil|Brazil|Brazil|Brésil|Brasil|Brasilien
CHL|CL|152|SA|Chile|Chile|Chile|Chili|Chile|Chile
ARG|AR|032|SA|Argentina|Argentina|Argentina|Argentine|Argentina|Argentinien
COL|CO|170|SA|Colombia|Colombia|Colombia|Colombie|Colombia|Kolumbien
ECU|EC|218|SA|Ecuador|Ecuador|Ecuador|Équateur|Ecuador|Ecuador
PER|PE|604|SA|Peru|Peru|Peru|Pérou|Perú|Peru
VEN|VE|862|SA|Venezuela, Bolivarian Republic of|Bolivarian Republic of Venezuela (the)|Venezuela|Vénézuela, république bolivarienne du|Venezuela, República Bolivariana de|Venezuela, Bolivarische Republik
BOL|BO|068|SA|Bolivia, Plurinational State of|Plurinational State of Bolivia (the)|Bolivia|Bolivie, état plurinational de|Bolivia, Estado plurinacional de|Bolivien, Plurinationaler Staat
PRY|PY|600|SA|Paraguay|Paraguay|Paraguay|Paraguay|Paraguay|Paraguay
URY|UY|858|SA|Uruguay|Uruguay|Uruguay|Uruguay|Uruguay|Uruguay
TUR|TR|792|SEE|Türkiye|Türkiye|Türkiye|Türkiye|Türkiye|Türkei
BIH|BA|070|SEE|Bosnia and Herzegovina|Bosnia and Herzegovina|Bosnia and Herzegovina|Bosnie-Herzégovine|Bosnia y Herzegovina|Bosnien und Herzegowina
SRB|RS|688|SEE|Serbia|Serbia|Serbia|Serbie|Serbia|Serbien
UKR|UA|804|SEE|Ukraine|Ukraine|Ukraine|Ukraine|Ucrania|Ukraine
RUS|RU|643|SEE|Russian Federation|Russian Federation (the)|Russia|Russie, Fédération de|Federación Rusa|Russische Föderation
KAZ|KZ|398|SEE|Kazakhstan|Kazakhstan|Kazakhstan|Kazakhstan|Kazajistán|Kasachstan
UZB|UZ|860|SEE|Uzbekistan|Uzbekistan|Uzbekistan|Ouzbékistan|Uzbekistán|Usbekistan
GEO|GE|268|SEE|Georgia|Georgia|Georgia|Géorgie|Georgia|Georgien
ARM|AM|051|SEE|Armenia|Armenia|Armenia|Arménie|Armenia|Armenien
AZE|AZ|031|SEE|Azerbaijan|Azerbaijan|Azerbaijan|Azerbaïdjan|Azerbaiyán|Aserbaidschan
MDA|MD|498|SEE|Moldova, Republic of|Republic of Moldova (the)|Moldova|Moldova, République de|Moldavia, República de|Moldau, Republik
MKD|MK|807|SEE|North Macedonia|North Macedonia|North Macedonia|Macédoine du Nord|Macedonia del Norte|Nordmazedonien
MNE|ME|499|SEE|Montenegro|Montenegro|Montenegro|Monténégro|Montenegro|Montenegro
KGZ|KG|417|SEE|Kyrgyzstan|Kyrgyzstan|Kyrgyzstan|Kirghizistan|Kirguistán|Kirgisistan
TJK|TJ|762|SEE|Tajikistan|Tajikistan|Tajikistan|Tadjikistan|Tayikistán|Tadschikistan
BLR|BY|112|SEE|Belarus|Belarus|Belarus|Bélarus|Bielorrusia|Belarus
ALB|AL|008|SEE|Albania|Albania|Albania|Albanie|Albania|Albanien
TKM|TM|795|SEE|Turkmenistan|Turkmenistan|Turkmenistan|Turkménistan|Turkmenistán|Turkmenistan
XKX|XK||SEE|Kosovo|Kosovo*|Kosovo|Kosovo|Kosovo|Kosovo
ZAF|ZA|710|SAF|South Africa|South Africa|South Africa|Afrique du Sud|Sudáfrica|Südafrika
AGO|AO|024|SAF|Angola|Angola|Angola|Angola|Angola|Angola
COD|CD|180|SAF|Congo, The Democratic Republic of the|Democratic Republic of the Congo (the)|DR Congo|République démocratique du Congo|Congo, República Democrática del|Demokratische Republik Kongo
MWI|MW|454|SAF|Malawi|Malawi|Malawi|Malawi|Malaui|Malawi
ZWE|ZW|716|SAF|Zimbabwe|Zimbabwe|Zimbabwe|Zimbabwe|Zimbabue|Simbabwe
MUS|MU|480|SAF|Mauritius|Mauritius|Mauritius|Maurice|Mauricio|Mauritius
MOZ|MZ|508|SAF|Mozambique|Mozambique|Mozambique|Mozambique|Mozambique|Mosambik
ZMB|ZM|894|SAF|Zambia|Zambia|Zambia|Zambie|Zambia|Sambia
LSO|LS|426|SAF|Lesotho|Lesotho|Lesotho|Lesotho|Lesoto|Lesotho
COM|KM|174|SAF|Comoros|Comoros (the)|Comoros|Comores|Comores, Islas|Komoren
MDG|MG|450|SAF|Madagascar|Madagascar|Madagascar|Madagascar|Madagascar|Madagaskar
NAM|NA|516|SAF|Namibia|Namibia|Namibia|Namibie|Namibia|Namibia
BWA|BW|072|SAF|Botswana|Botswana|Botswana|Botswana|Botsuana|Botsuana
NER|NE|562|WCA|Niger|Niger (the)|Niger|Niger|Níger|Niger
MLI|ML|466|WCA|Mali|Mali|Mali|Mali|Malí|Mali
BFA|BF|854|WCA|Burkina Faso|Burkina Faso|Burkina Faso|Burkina Faso|Burkina Faso|Burkina Faso
SEN|SN|686|WCA|Senegal|Senegal|Senegal|Sénégal|Senegal|Senegal
NGA|NG|566|WCA|Nigeria|Nigeria|Nigeria|Nigéria|Nigeria|Nigeria
CMR|CM|120|WCA|Cameroon|Cameroon|Cameroon|Cameroun|Camerún|Kamerun
TCD|TD|148|WCA|Chad|Chad|Chad|Tchad|Chad|Tschad
MRT|MR|478|WCA|Mauritania|Mauritania|Mauritania|Mauritanie|Mauritania|Mauretanien
GHA|GH|288|WCA|Ghana|Ghana|Ghana|Ghana|Ghana|Ghana
GIN|GN|324|WCA|Guinea|Guinea|Guinea|Guinée|Guinea|Guinea
CIV|CI|384|WCA|Côte d'Ivoire|Côte d'Ivoire|Côte d'Ivoire|Côte d'Ivoire|Costa de Marfil|Côte d'Ivoire
GMB|GM|270|WCA|Gambia|Gambia (the)|Gambia|Gambie|Gambia|Gambia
BEN|BJ|204|WCA|Benin|Benin|Benin|Bénin|Benín|Benin
TGO|TG|768|WCA|Togo|Togo|Togo|Togo|Togo|Togo
GAB|GA|266|WCA|Gabon|Gabon|Gabon|Gabon|Gabón|Gabun
COG|CG|178|WCA|Congo|Congo (the)|Congo|République du Congo|Congo|Kongo
CAF|CF|140|WCA|Central African Republic|Central African Republic (the)|Central African Republic|République centrafricaine|República Centroafricana|Zentralafrikanische Republik
LBR|LR|430|WCA|Liberia|Liberia|Liberia|Libéria|Liberia|Liberia
SLE|SL|694|WCA|Sierra Leone|Sierra Leone|Sierra Leone|Sierra Leone|Sierra Leona|Sierra Leone
GNB|GW|624|WCA|Guinea-Bissau|Guinea-Bissau|Guinea-Bissau|Guinée-Bissau|Guinea-Bisáu|Guinea-Bissau
CPV|CV|132|WCA|Cabo Verde|Cabo Verde|Cabo Verde|Cap-Vert|Cabo Verde|Kap Verde
GNQ|GQ|226|WCA|Equatorial Guinea|Equatorial Guinea|Equatorial Guinea|Guinée Équatoriale|Guinea Ecuatorial|Äquatorialguinea
STP|ST|678|WCA|Sao Tome and Principe|Sao Tome and Principe|Sao Tome and Principe|Sao Tomé-et-Principe|Santo Tomé y Príncipe|São Tomé und Príncipe
"""


class Country:
    __slots__ = ("iso3", "a2", "num", "region", "iso", "iom", "short", "fr", "es", "de")

    def __init__(self, fields):
        for name, value in zip(self.__slots__, fields):
            setattr(self, name, value)


COUNTRIES = {}
for _line in COUNTRY_TABLE.strip().splitlines():
    _c = Country(_line.split("|"))
    COUNTRIES[_c.iso3] = _c

# ---------------------------------------------------------------------------
# Which countries are hosts and origins, and how many returnees each has.
#
# Per region: the countries whose totals are published (the top 10), then
# the others, largest first. The others share what is left of the region's
# total: one each, the rest in proportion to weights that shrink by RATIO
# from one country to the next. The lists are chosen so that 125 countries
# are hosts, 150 origins and 120 both (chapter 1). Host-only: Japan, the
# United States, Canada, Luxembourg, Malta.

HOSTS = {
    "AP": ({}, "THA MYS IDN IRN IND CHN JPN LKA VNM MNG KHM PHL NPL"),
    "CNAC": ({}, "MEX GTM USA CAN CRI SLV HND NIC PAN DOM"),
    "EHA": ({}, "DJI SOM ETH KEN SSD UGA TZA BDI RWA"),
    "EEA": ({"DEU": 6785, "GRC": 2736, "BEL": 1665, "NLD": 1485},
            "CHE FRA AUT GBR NOR SWE ITA ESP PRT FIN IRL DNK POL CZE HUN ROU BGR SVK CYP LUX MLT"),
    "MENA": ({"LBY": 4332, "MAR": 2372, "YEM": 2035, "DZA": 1972}, "TUN EGY SDN IRQ JOR LBN SAU ARE KWT OMN"),
    "SA": ({}, "BRA CHL ARG COL ECU PER"),
    "SEE": ({"TUR": 1748}, "BIH SRB UKR RUS KAZ UZB GEO ARM AZE MDA MKD MNE KGZ TJK BLR XKX ALB"),
    "SAF": ({}, "ZAF AGO COD MWI ZWE MUS MOZ ZMB LSO COM"),
    "WCA": ({"NER": 10573}, "MLI BFA SEN NGA CMR TCD MRT GHA GIN CIV GMB BEN TGO GAB COG CAF LBR SLE GNB"),
}
ORIGINS = {
    "AP": ({"PAK": 2197, "BGD": 1328},
           "AFG IRN IND CHN NPL LKA VNM MNG IDN PHL MMR KHM THA MYS LAO TLS FJI PNG TON BTN"),
    "CNAC": ({}, "GTM HND SLV MEX NIC CUB DOM HTI JAM TTO CRI PAN BLZ"),
    "EHA": ({"ETH": 3934}, "SOM ERI SSD KEN UGA DJI TZA BDI RWA"),
    "EEA": ({}, "ROU BGR POL HUN SVK CZE PRT ESP ITA GRC FRA DEU BEL NLD AUT IRL SWE FIN DNK NOR GBR LTU CHE CYP"),
    "MENA": ({"IRQ": 1886}, "SYR EGY MAR DZA TUN SDN LBN JOR PSE LBY YEM SAU ARE KWT OMN"),
    "SA": ({}, "COL VEN BRA PER ECU BOL PRY CHL ARG URY"),
    "SEE": ({"GEO": 1758}, "ALB ARM SRB MKD MDA XKX UKR RUS AZE TUR BIH UZB KAZ TJK KGZ MNE BLR TKM"),
    "SAF": ({}, "ZWE MWI COD MOZ ZMB AGO MDG COM LSO ZAF MUS NAM BWA"),
    "WCA": ({"GIN": 5165, "MLI": 4453, "NGA": 3322, "SLE": 1793, "CIV": 1759},
            "SEN GMB CMR BFA GHA NER LBR TCD GNB BEN TGO MRT COG GAB CAF CPV GNQ STP"),
}
RATIO = (17, 20)  # each further country weighs 17/20 of the one before

# Pins: how some countries split over the regions of the other side, where
# a proportional split would be wrong (Yemen's VHR returns go to the Horn of
# Africa, not to West Africa). Everything not pinned is split in proportion
# to what the region still has to give.
HOST_PINS = {
    "YEM": {"EHA": 2035},
    "LBY": {"WCA": 3400, "EHA": 641, "AP": 250, "MENA": 41},
    "MAR": {"WCA": 2372},
    "DZA": {"WCA": 1972},
    "NER": {"WCA": 10573},
    "TUR": {"AP": 1500, "MENA": 200, "WCA": 48},
}
ORIGIN_PINS = {
    "ETH": {"MENA": 2300, "EHA": 1200, "SAF": 300, "EEA": 100, "AP": 30, "SEE": 4},
}

# ---------------------------------------------------------------------------
# Children and vulnerability (chapter 1 and 2).
#
# Published: 4,446 migrants in vulnerable situations; 17% children among
# returns from Asia and the Pacific, 21% from South-Eastern Europe, Eastern
# Europe and Central Asia, 21% to East and Horn of Africa; vulnerability
# types 48/35/17% (trafficking / unaccompanied or separated children /
# health) from SEEECA, 73/13/14% to East and Horn of Africa, 91/7/2%
# (health / trafficking / children) of the 866 to SEEECA. Each constrained
# line puts its children and vulnerable cases into the cells named below and
# none into its other cells, so the lines do not disturb each other; cells on
# no constrained line get DEFAULT_CHILDREN percent children.

CHILDREN = {("AP", "AP"): 128, ("SEE", "AP"): 579, ("MENA", "EHA"): 900, ("EHA", "EHA"): 212}
CHILD_FREE_HOSTS = {"AP", "SEE"}
CHILD_FREE_ORIGINS = {"EHA"}
DEFAULT_CHILDREN = 14  # percent

# (host region, origin region): (trafficking, unaccompanied/separated child, health)
VULNERABLE = {
    ("EEA", "SEE"): (61, 17, 788),
    ("SEE", "AP"): (96, 70, 34),
    ("MENA", "EHA"): (600, 100, 100),
    ("EHA", "EHA"): (130, 30, 40),
    ("MENA", "WCA"): (700, 150, 250),
    ("WCA", "WCA"): (400, 250, 150),
    ("EEA", "AP"): (40, 30, 150),
    ("EEA", "MENA"): (20, 10, 100),
    ("EEA", "WCA"): (60, 0, 20),
    ("MENA", "AP"): (30, 0, 20),
}
VULNERABLE_TOTAL = 4446
VOT, UASC, HEALTH, NONE = "victim_of_trafficking", "unaccompanied_or_separated_child", "health_related_needs", "none"

# ---------------------------------------------------------------------------
# Allocation: integer splits that keep every margin exact.


def apportion(total, weights):
    """Split `total` in proportion to integer `weights` (largest remainder,
    ties to the earlier item). With weights that are capacities and
    total <= sum(weights), no item gets more than its capacity."""
    s = sum(weights)
    if total == 0:
        return [0] * len(weights)
    assert s > 0, "nothing to apportion to"
    shares = [total * w // s for w in weights]
    rest = total - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % s), i))
    for i in order[:rest]:
        shares[i] += 1
    return shares


def country_counts(total, fixed, others):
    """{iso3: returnees} for one region: the published ones, then the others
    (one each, the rest by shrinking weights)."""
    counts = dict(fixed)
    names = others.split()
    left = total - sum(fixed.values()) - len(names)
    assert left >= 0, "region total too small for its countries"
    weights, w = [], 10**9
    for _ in names:
        weights.append(w)
        w = w * RATIO[0] // RATIO[1]
    for name, extra in zip(names, apportion(left, weights)):
        assert name not in counts, name
        counts[name] = 1 + extra
    return counts


def split_by_region(counts, cells, pins):
    """Split each country's count over the other side's regions so that
    every region gets exactly `cells[region]`. counts: {iso3: n} in order;
    returns {iso3: {region: n}}."""
    left = dict(cells)
    out = {}
    for iso3, n in counts.items():
        pin = pins.get(iso3)
        if pin:
            assert sum(pin.values()) == n, iso3
            for region, k in pin.items():
                assert left.get(region, 0) >= k, (iso3, region)
                left[region] -= k
            out[iso3] = dict(pin)
    for iso3, n in counts.items():
        if iso3 in out:
            continue
        regions = [r for r in REGION_CODES if left.get(r, 0) > 0]
        parts = apportion(n, [left[r] for r in regions])
        out[iso3] = {}
        for r, k in zip(regions, parts):
            if k:
                out[iso3][r] = k
                left[r] -= k
    assert all(v == 0 for v in left.values()), left
    return out


def pair_cell(hosts, origins):
    """Pair host amounts with origin amounts (both sum to the cell), never a
    country with itself. Returns {(host, origin): n}."""
    pairs = {}
    left = dict(origins)
    for h, a in hosts.items():
        candidates = [o for o in left if o != h and left[o] > 0]
        cap = sum(left[o] for o in candidates)
        take = min(a, cap)
        for o, k in zip(candidates, apportion(take, [left[o] for o in candidates])):
            if k:
                pairs[(h, o)] = pairs.get((h, o), 0) + k
                left[o] -= k
        for _ in range(a - take):
            # Only this host's own country is left on the origin side: move
            # one case of another pair (k, j) to (h, j) and give k this
            # origin instead (k != h, j != h, so nobody returns "home").
            swap = next((k, j) for (k, j), n in pairs.items() if n and k != h and j != h)
            pairs[swap] -= 1
            pairs[(h, swap[1])] = pairs.get((h, swap[1]), 0) + 1
            pairs[(swap[0], h)] = pairs.get((swap[0], h), 0) + 1
            left[h] -= 1
    assert all(v == 0 for v in left.values())
    return {k: n for k, n in pairs.items() if n}


def check_published_margins():
    for h in REGION_CODES:
        assert sum(FLOWS[h].values()) == HOST_REGION_TOTALS[h], h
    assert sum(HOST_REGION_TOTALS.values()) == TOTAL
    assert sum(sum(t for t in v) for v in VULNERABLE.values()) == VULNERABLE_TOTAL


def allocate():
    """The returnees as {(host iso3, origin iso3): n}, every published
    margin checked."""
    check_published_margins()
    host_counts, origin_counts = {}, {}
    host_split, origin_split = {}, {}
    for r in REGION_CODES:
        fixed, others = HOSTS[r]
        hc = country_counts(HOST_REGION_TOTALS[r], fixed, others)
        host_counts.update(hc)
        host_split.update(split_by_region(hc, FLOWS[r], HOST_PINS))
        column = {h: FLOWS[h].get(r, 0) for h in REGION_CODES if FLOWS[h].get(r, 0)}
        fixed, others = ORIGINS[r]
        oc = country_counts(sum(column.values()), fixed, others)
        origin_counts.update(oc)
        origin_split.update(split_by_region(oc, column, ORIGIN_PINS))
    pairs = {}
    for h in REGION_CODES:
        for o in REGION_CODES:
            if not FLOWS[h].get(o):
                continue
            hosts = {c: s[o] for c, s in host_split.items() if COUNTRIES[c].region == h and s.get(o)}
            origins = {c: s[h] for c, s in origin_split.items() if COUNTRIES[c].region == o and s.get(h)}
            pairs.update(pair_cell(hosts, origins))
    # Every figure the report publishes, checked on the result.
    assert sum(pairs.values()) == TOTAL
    by_host, by_origin = {}, {}
    for (h, o), n in pairs.items():
        by_host[h] = by_host.get(h, 0) + n
        by_origin[o] = by_origin.get(o, 0) + n
    for table, top in ((by_host, TOP_HOSTS), (by_origin, TOP_ORIGINS)):
        ranked = sorted(table.items(), key=lambda kv: (-kv[1], kv[0]))
        assert dict(ranked[:10]) == top, ranked[:11]
        assert ranked[10][1] < ranked[9][1]
    assert len(by_host) == HOST_COUNTRIES and len(by_origin) == ORIGIN_COUNTRIES
    assert len(set(by_host) & set(by_origin)) == BOTH_COUNTRIES
    for (h, o), n in pairs.items():
        assert h != o
    return pairs


# ---------------------------------------------------------------------------
# Returnees


class Person:
    __slots__ = ("host", "origin", "vhr", "sex", "age", "vuln", "day", "case", "feed", "seq")

    def __init__(self, host, origin):
        self.host, self.origin = host, origin
        self.vhr = host in VHR
        self.sex, self.age, self.vuln, self.day = "male", None, NONE, 0
        self.case, self.feed, self.seq = "", "", 0


YEAR_START = datetime.date(2021, 1, 1)


def child_age(rng, unaccompanied):
    return rng.between(14, 17) if unaccompanied else rng.weighted([(5, rng.between(0, 5)), (3, rng.between(6, 13)),
                                                                   (2, rng.between(14, 17))])


def adult_age(rng):
    return rng.weighted([(40, rng.between(18, 29)), (35, rng.between(30, 44)), (20, rng.between(45, 59)),
                         (5, rng.between(60, 79))])


def cell_people(rng, h, o, pairs):
    """The returnees of one (host region, origin region) cell, with their
    ages, sexes and vulnerabilities; children and vulnerable counts exact."""
    people = []
    for (hc, oc), n in sorted(pairs.items()):
        if COUNTRIES[hc].region == h and COUNTRIES[oc].region == o:
            people.extend(Person(hc, oc) for _ in range(n))
    rng.shuffle(people)
    n = len(people)
    if (h, o) in CHILDREN:
        children = CHILDREN[(h, o)]
    elif h in CHILD_FREE_HOSTS or o in CHILD_FREE_ORIGINS:
        children = 0
    else:
        children = n * DEFAULT_CHILDREN // 100
    vot, uasc, health = VULNERABLE.get((h, o), (0, 0, 0))
    assert uasc <= children and vot + health <= n - children, (h, o)
    for i, p in enumerate(people):
        if i < uasc:
            p.vuln, p.age = UASC, child_age(rng, True)
        elif i < children:
            p.age = child_age(rng, False)
        else:
            k = i - children
            p.vuln = VOT if k < vot else HEALTH if k < vot + health else NONE
            # A few adults' ages are not known (age_group "unknown").
            p.age = None if rng.percent(12) else adult_age(rng)
        female = 650 if p.vuln == VOT else 300 if p.age is not None and p.age < 18 else 230
        p.sex = "unknown" if rng.percent(4) else "female" if rng.percent(female) else "male"
    return people


def make_people(rng, scale):
    pairs = allocate()
    people = []
    for h in REGION_CODES:
        for o in REGION_CODES:
            if FLOWS[h].get(o):
                people.extend(cell_people(rng.fork("cell " + h + o), h, o, pairs))
    # Published after the fact, so checked after the fact.
    vulnerable = sum(1 for p in people if p.vuln != NONE)
    assert vulnerable == VULNERABLE_TOTAL, vulnerable
    # VHR charter flights leave on fixed days; AVRR returns any day.
    flights = {h: sorted(rng.below(365) for _ in range(90)) for h in VHR}
    for p in people:
        p.day = rng.choice(flights[p.host]) if p.vhr else rng.below(365)
    copies = []
    for k in range(1, scale):
        for p in people:
            q = Person(p.host, p.origin)
            q.sex, q.age, q.vuln, q.day = p.sex, p.age, p.vuln, p.day
            copies.append(q)
    return people + copies


def date_of(day):
    return YEAR_START + datetime.timedelta(days=day)


# ---------------------------------------------------------------------------
# How each office writes a country

def mojibake(text):
    """UTF-8 read as Windows-1252 (Türkiye -> TÃ¼rkiye), or None."""
    try:
        bad = text.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        return None
    return bad if bad != text else None


# Extra spellings seen in exports, on top of the table's columns.
GLOBAL_EXTRA = {
    "TUR": ["Turkey", "Turkiye", "TURKIYE", "TÃ¼rkiye", "Republic of Türkiye"],
    "XKX": ["Kosovo", "Kosovo (UNSCR 1244)", "Kosovo under UNSCR 1244/99", "Kosovo/1244", "XK", "XKX", "KOS"],
    "CIV": ["Côte d\u2019Ivoire", "Cote d'Ivoire", "Ivory Coast", "COTE D'IVOIRE"],
    "COD": ["DR Congo", "RD Congo", "Congo, Dem. Rep.", "DRC"],
    "COG": ["Congo, Rep.", "Republic of the Congo", "Congo-Brazzaville"],
    "GMB": ["The Gambia", "Gambia, The"],
    "PSE": ["State of Palestine", "Palestine"],
    "NER": ["Niger", "NIGER", "Niger (the)"],
    "NLD": ["Holland", "The Netherlands"],
    "GBR": ["UK", "Great Britain"],
    "USA": ["USA", "United States"],
    "MKD": ["Macedonia, the former Yugoslav Republic of", "North Macedonia"],
    "CZE": ["Czech Republic"],
    "MMR": ["Burma"],
    "CPV": ["Cape Verde"],
}
# Two-letter codes that are also words a missing value is written with.
UNSAFE_ALPHA2 = {"NA"}


def spell_global(rng, c):
    variants = [(30, c.iom), (20, c.short), (8, c.iso), (5, c.short.upper()), (3, c.short.lower()),
                (3, "  " + c.short + " "), (8, c.iso3), (6, c.fr), (5, c.es)]
    if c.a2 not in UNSAFE_ALPHA2:
        variants.append((4, c.a2))
    if c.num:
        variants.append((3, c.num))
        if c.num.lstrip("0") != c.num:
            variants.append((1, c.num.lstrip("0")))
    for name in (c.iom, c.fr, c.es):
        bad = mojibake(name)
        if bad:
            variants.append((4, bad))
            break
    for name in GLOBAL_EXTRA.get(c.iso3, []):
        variants.append((6, name))
    return rng.weighted(variants)


# The Germany office's own names: everyday ones, and the abbreviations of its
# case system (Russ. Föderation, Syrien, Arab. Rep.), which the country table
# does not know: pipelines/aliases/germany.tsv teaches them.
GERMAN_EVERYDAY = {
    "IRN": ["Iran", "Iran, Isl. Rep."], "SYR": ["Syrien", "Syrien, Arab. Rep."],
    "MDA": ["Moldau", "Republik Moldau", "Moldawien"],
    "RUS": ["Russland", "Russische Föderation", "Russ. Föderation"],
    "CIV": ["Elfenbeinküste"], "VNM": ["Vietnam"], "TZA": ["Tansania", "Tansania, Vereinigte Rep."],
    "VEN": ["Venezuela"], "BOL": ["Bolivien"],
    "LAO": ["Laos"], "PSE": ["Palästinensische Gebiete"], "COD": ["Kongo, Dem. Rep."], "GBR": ["Großbritannien"],
    "XKX": ["Kosovo", "Kosovo (UNSCR 1244)"], "TUR": ["Türkei"], "MKD": ["Nordmazedonien"],
}


def spell_de(rng, c):
    names = GERMAN_EVERYDAY.get(c.iso3, [c.de])
    name = names[0] if len(names) == 1 or rng.percent(700) else rng.choice(names[1:])
    return name + " " if rng.percent(20) else name


FRENCH_EXTRA = {
    "CIV": ["Côte d\u2019Ivoire", "Cote d'Ivoire"], "NGA": ["Nigeria"], "COD": ["RD Congo"],
    "SEN": ["Senegal"], "BEN": ["Benin"], "GIN": ["GUINEE"],
}


def spell_fr(rng, c):
    extra = FRENCH_EXTRA.get(c.iso3)
    if extra and rng.percent(350):
        return rng.choice(extra)
    return c.fr


def spell_en(rng, c):
    if c.iso3 == "CIV" and rng.percent(300):
        return "Ivory Coast"
    if c.iso3 == "GMB" and rng.percent(500):
        return "The Gambia"
    return c.short


def spell_code(rng, c):
    return rng.weighted([(75, c.iso3), (20, c.a2), (5, c.iso3.lower())])


def spell_upper(rng, c):
    return c.short.upper() if rng.percent(850) else c.short


# ---------------------------------------------------------------------------
# Names and phone numbers (PII: the pipeline must never publish them)

# First names per group: (male, female).
FIRST = {
    "WCA": ("Mamadou Ibrahim Moussa Ousmane Sekou Abdoulaye Boubacar Lamine Chinedu Kwame",
            "Aminata Fatoumata Mariama Aissatou Kadiatou Hawa Ramatoulaye Djeneba Ngozi Adjoa"),
    "EHA": ("Abebe Dawit Mohamed Yonas Abdi Tesfaye", "Tigist Hiwot Hodan Meron Ayan Selam"),
    "AP": ("Imran Rahim Farid Arif Karim Rohan", "Ayesha Nasrin Shabnam Sadia Parveen Anjali"),
    "MENA": ("Ahmed Omar Khaled Hassan Youssef", "Fatima Layla Zainab Mariam Noor"),
    "SEE": ("Giorgi Arben Ardit Levan Dritan Nikola", "Nino Elira Ana Mariam Tamar Jelena"),
    "OTHER": ("Carlos Jose Luis Juan Tendai Blessing", "Maria Ana Rosa Carmen Chipo Grace"),
}
LAST = {
    "WCA": "Diallo Traoré Camara Keita Koné Sow Bah Barry Coulibaly Touré Sylla Kamara Okafor Mensah "
           "Ouédraogo Sesay",
    "EHA": "Tesfaye Bekele Haile Girma Abdullahi Warsame Hailu Tadesse Mohamud Alemu",
    "AP": "Khan Ahmed Rahman Hossain Ali Hussain Chowdhury Sharma Mirza Qureshi",
    "MENA": "Hassan Ibrahim Saleh Mahmoud Al-Jabouri Khalil Haddad Mansour",
    "SEE": "Beridze Gelashvili Hoxha Krasniqi Petrović Kapanadze Berisha Popescu Jovanović Gashi",
    "OTHER": "Garcia Lopez Moyo Banda Phiri Martinez Rodriguez Ncube Hernandez Sibanda",
}


def full_name(rng, origin, sex="unknown"):
    group = COUNTRIES[origin].region
    group = group if group in FIRST else "OTHER"
    female = sex == "female" or (sex == "unknown" and rng.percent(500))
    return rng.choice(FIRST[group][female].split()) + " " + rng.choice(LAST[group].split())


def phone(rng, c):
    code = int(c.num or "383") % 90 + 200  # made-up country codes: no real number
    return "+%d %03d %03d %04d" % (code, rng.below(1000), rng.below(1000), rng.below(10000))


# ---------------------------------------------------------------------------
# Notes (free text, multi-line, quotes, delimiters inside)

NOTES_DE = ["Rückkehr mit Kind", "Flug über Wien", 'Reintegration: "Kleinunternehmen"',
            "Termin bestätigt;\nReisedokumente liegen vor", "Starthilfe Plus beantragt",
            "Medizinische Begleitung erforderlich\nRollstuhl am Flughafen",
            "Begleitung durch Sozialdienst; Anruf 09:00"]
NOTES_FR = ["Retour via Niamey", "Appui à la réintégration : petit commerce",
            "Escorte médicale, départ reporté une fois",
            "Transport terrestre jusqu'à la frontière, puis bus", 'Famille informée ; arrivée "confirmée"',
            "Hébergé au centre de transit\ndépart groupé"]
NOTES_EN = ["Travel documents issued by the consulate;\nflight rebooked once",
            "Reintegration plan: small shop, follow-up in 3 months",
            'Medical escort required, see file "MED-2"', "Counselling done, family informed",
            "Returned with two children, "
            "one with special needs\nschool enrolment to be arranged"]


def note(rng, pool, pii=""):
    if not rng.percent(180):
        return ""
    text = rng.choice(pool)
    if pii and rng.percent(300):
        text += "\n" + pii
    return text


# ---------------------------------------------------------------------------
# Records of a feed


class Record:
    """One record of a feed: its text, and what the tests should expect."""

    __slots__ = ("text", "key", "case", "reason", "what", "dup_of", "agrees", "line")

    def __init__(self, text, key, case, reason="", what="", dup_of=None, agrees=True):
        self.text, self.key, self.case = text, key, case
        self.reason, self.what, self.dup_of, self.agrees = reason, what, dup_of, agrees
        self.line = 0


def csv_line(fields, sep, eol):
    out = []
    for f in fields:
        if any(ch in f for ch in (sep, '"', "\n", "\r")):
            f = '"' + f.replace('"', '""') + '"'
        out.append(f)
    return sep.join(out) + eol


def xml_text(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


SEX_WORDS = {
    "germany": {"male": "männlich", "female": "weiblich", "unknown": ""},
    "niger": {"male": "M", "female": "F", "unknown": ""},
    "libya": {"male": "M", "female": "F", "unknown": ""},
    "yemen": {"male": "M", "female": "F", "unknown": "U"},
    "greece": {"male": "M", "female": "F", "unknown": ""},
}
GLOBAL_SEX = {"male": ["Male", "male", "M"], "female": ["Female", "female", "F"], "unknown": ["", "Unknown"]}
VULN_WORDS = {
    "germany": {NONE: "", VOT: "Menschenhandel", UASC: "UMA", HEALTH: "Gesundheit"},
    "niger": {NONE: "", VOT: "Victime de traite", UASC: "Enfant non accompagné", HEALTH: "Besoins médicaux"},
    "libya": {NONE: "", VOT: "VOT", UASC: "UASC", HEALTH: "MED"},
    "yemen": {NONE: "", VOT: "VOT", UASC: "UASC", HEALTH: "MED"},
    "greece": {NONE: "NONE", VOT: "VOT", UASC: "UAM", HEALTH: "MED"},
    "global": {NONE: "None", VOT: "VoT", UASC: "UASC", HEALTH: "Health"},
}
PROJECTS = {
    "EEA": "AVRR {host} 2021", "WCA": "EU-IOM Joint Initiative Sahel and Lake Chad", "MENA": "EU-IOM JI North Africa",
    "EHA": "EU-IOM JI Horn of Africa", "AP": "AVRR Asia-Pacific", "SEE": "AVRR {host} 2021",
}


class Office:
    """A country office's export: which host countries it covers, its file,
    and how it writes one case."""

    name = file = ""
    hosts = ()
    encoding, bom = "utf-8", False

    def prologue(self):
        return ""

    def epilogue(self):
        return ""

    def fields(self, rng, p):
        raise NotImplementedError

    def render(self, f):
        raise NotImplementedError

    def malformed(self, rng, f):
        """The case written so that the reader cannot take it: (text, what)."""
        raise NotImplementedError


def age_text(age):
    return "" if age is None else str(age)


class Germany(Office):
    name, file, hosts, encoding = "germany", "avrr_germany.csv", ("DEU",), "cp1252"
    columns = ["Fallnummer", "Abreisedatum", "Herkunftsland", "Geschlecht", "Alter", "Schutzbedarf", "Bemerkung"]

    def prologue(self):
        return csv_line(self.columns, ";", "\r\n")

    def fields(self, rng, p):
        return {"case": p.case, "date": date_of(p.day).strftime("%d.%m.%Y"),
                "origin": spell_de(rng, COUNTRIES[p.origin]), "sex": SEX_WORDS["germany"][p.sex],
                "age": age_text(p.age), "vuln": VULN_WORDS["germany"][p.vuln], "note": note(rng, NOTES_DE)}

    def render(self, f):
        return csv_line([f[k] for k in ("case", "date", "origin", "sex", "age", "vuln", "note")], ";", "\r\n")

    def malformed(self, rng, f):
        # An export script that forgot the empty last column.
        f["note"] = ""
        return self.render(f)[:-len(";\r\n")] + "\r\n", "one field short"


class Niger(Office):
    name, file, hosts, bom = "niger", "avrr_niger.csv", ("NER",), True
    columns = ["N° dossier", "Date de départ", "Pays d'origine", "Sexe", "Âge", "Vulnérabilité", "Observations"]

    def prologue(self):
        return csv_line(self.columns, ",", "\n")

    def fields(self, rng, p):
        return {"case": p.case, "date": date_of(p.day).strftime("%d/%m/%Y"),
                "origin": spell_fr(rng, COUNTRIES[p.origin]), "sex": SEX_WORDS["niger"][p.sex],
                "age": age_text(p.age), "vuln": VULN_WORDS["niger"][p.vuln], "note": note(rng, NOTES_FR)}

    def render(self, f):
        return csv_line([f[k] for k in ("case", "date", "origin", "sex", "age", "vuln", "note")], ",", "\n")

    def malformed(self, rng, f):
        # A comma typed into the notes of a hand-edited export, unquoted.
        return self.render(dict(f, note="")).rstrip("\n") + "Escorte, départ groupé\n", "unquoted comma in the notes"


class Yemen(Office):
    name, file, hosts = "yemen", "vhr_yemen.csv", ("YEM",)
    columns = ["case_id", "departure_date", "nationality", "sex", "age", "vulnerability"]

    def prologue(self):
        return csv_line(self.columns, ",", "\n")

    def fields(self, rng, p):
        return {"case": p.case, "date": date_of(p.day).isoformat(), "origin": spell_code(rng, COUNTRIES[p.origin]),
                "sex": SEX_WORDS["yemen"][p.sex], "age": age_text(p.age), "vuln": VULN_WORDS["yemen"][p.vuln]}

    def render(self, f):
        return csv_line([f[k] for k in ("case", "date", "origin", "sex", "age", "vuln")], ",", "\n")

    def malformed(self, rng, f):
        text = csv_line([f[k] for k in ("case", "date", "origin", "sex", "age")], ",", "\n")
        return text, "vulnerability column missing"


class Libya(Office):
    name, file, hosts = "libya", "vhr_libya.xml", ("LBY",)

    def prologue(self):
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                "<!-- IOM Libya, voluntary humanitarian return: departures 2021.\n"
                "     Synthetic sample data generated by scripts/gen-samples.py: no real person. -->\n"
                '<vhr-export office="Tripoli" period="2021">\n')

    def epilogue(self):
        return "</vhr-export>\n"

    def fields(self, rng, p):
        return {"case": p.case, "date": date_of(p.day).isoformat(), "origin": spell_en(rng, COUNTRIES[p.origin]),
                "sex": SEX_WORDS["libya"][p.sex], "age": age_text(p.age), "vuln": VULN_WORDS["libya"][p.vuln],
                "name": full_name(rng, p.origin, p.sex), "detention": rng.choice(["Tariq al-Sikka", "Zuwara", "Abu Salim",
                                                                           "Ain Zara", "urban"])}

    def render(self, f):
        lines = ['  <case id="%s">' % xml_text(f["case"])]
        if f["date"] is not None:
            lines.append("    <departure>%s</departure>" % xml_text(f["date"]))
        lines.append('    <migrant>')
        lines.append("      <name>%s</name>" % xml_text(f["name"]))
        lines.append("      <nationality>%s</nationality>" % xml_text(f["origin"]))
        lines.append("      <sex>%s</sex>" % xml_text(f["sex"]) if f["sex"] else "      <sex/>")
        if f["age"]:
            lines.append("      <age>%s</age>" % xml_text(f["age"]))
        lines.append("    </migrant>")
        lines.append("    <location>%s</location>" % xml_text(f["detention"]))
        if f["vuln"]:
            lines.append('    <vulnerability code="%s"/>' % xml_text(f["vuln"]))
        lines.append("  </case>")
        return "\n".join(lines) + "\n"

    def malformed(self, rng, f):
        return self.render(dict(f, date=None)), "no <departure> element"


class Greece(Office):
    """A legacy case system that dumps KEY=VALUE blocks (read by the
    keyvalue source plugin)."""

    name, file, hosts = "greece", "avrr_greece.txt", ("GRC",)

    def prologue(self):
        return ("# IOM Athens - AVRR departures 2021 - export of the case register\n"
                "# Synthetic sample data generated by scripts/gen-samples.py: no real person.\n\n")

    def fields(self, rng, p):
        c = COUNTRIES[p.origin]
        return {"case": p.case, "date": date_of(p.day).strftime("%d/%m/%Y"), "origin": spell_upper(rng, c),
                "sex": SEX_WORDS["greece"][p.sex], "age": age_text(p.age), "vuln": VULN_WORDS["greece"][p.vuln],
                "name": full_name(rng, p.origin, p.sex), "phone": phone(rng, COUNTRIES["GRC"])}

    keys = [("CASE", "case"), ("DEPARTURE", "date"), ("NAME", "name"), ("PHONE", "phone"), ("NATIONALITY", "origin"),
            ("GENDER", "sex"), ("AGE", "age"), ("VULNERABILITY", "vuln")]

    def render(self, f):
        return "".join("%s=%s\n" % (k, f[v]) for k, v in self.keys if f.get(v) is not None) + "\n"

    def malformed(self, rng, f):
        text = self.render(f)
        # A value that ran onto a line of its own when the export was edited.
        return text.replace("GENDER=", "family returned together\nGENDER=", 1), "a line without '='"


class Global(Office):
    """The global AVRR case export: every other host country, RFC 4180,
    names and phone numbers, notes over several lines."""

    name, file = "global", "avrr_global.csv"
    columns = ["case_number", "project", "host_country", "country_of_origin", "departure_date", "sex", "age",
               "vulnerability", "full_name", "phone", "notes"]

    def prologue(self):
        return csv_line(self.columns, ",", "\n")

    def fields(self, rng, p):
        h, o = COUNTRIES[p.host], COUNTRIES[p.origin]
        name = full_name(rng, p.origin, p.sex)
        tel = phone(rng, h)
        relative = full_name(rng, p.origin)
        pii = rng.choice(["Call back on " + tel, "Brother " + relative + " will meet at the airport",
                          "Contact: " + relative + ", " + phone(rng, o)])
        age = age_text(p.age)
        if age and rng.percent(15):
            age = " " + age
        project = PROJECTS.get(h.region, "AVRR {host} 2021").format(host=h.short)
        return {"case": p.case, "project": project, "host": spell_global(rng, h), "origin": spell_global(rng, o),
                "date": date_of(p.day).isoformat(), "sex": rng.choice(GLOBAL_SEX[p.sex]), "age": age,
                "vuln": VULN_WORDS["global"][p.vuln] if p.vuln != NONE or rng.percent(500) else "",
                "name": name, "phone": tel, "note": note(rng, NOTES_EN, pii)}

    order = ("case", "project", "host", "origin", "date", "sex", "age", "vuln", "name", "phone", "note")

    def render(self, f):
        return csv_line([f[k] for k in self.order], ",", "\n")

    def malformed(self, rng, f):
        if rng.percent(500):
            return self.render(dict(f, note="")).rstrip("\n") + "docs ok, flight 12 May\n", "unquoted comma in the notes"
        text = csv_line([f[k] for k in self.order[:-1]], ",", "")
        return text + ',said "ok" on the phone\n', "a quote inside an unquoted field"


OFFICES = [Germany(), Niger(), Libya(), Yemen(), Greece(), Global()]


def office_of(host):
    for office in OFFICES:
        if host in office.hosts:
            return office
    return OFFICES[-1]


# ---------------------------------------------------------------------------
# Bad rows and duplicates: extra records that must not be counted.

# office: [(field, raw value, expected reject reason)]; "malformed" breaks
# the record itself, "missing" leaves the field out.
BAD_ROWS = {
    "germany": [("date", "31.02.2021", "invalid_date"), ("date", "29.02.2021", "invalid_date"),
                ("age", "ca. 30", "invalid_age"), ("age", "30-35", "invalid_age"),
                ("malformed", None, "malformed_row"), ("origin", "Afghanisten", "unknown_country"),
                ("origin", "Jugoslawien", "ambiguous_country")],
    "niger": [("date", "30/02/2021", "invalid_date"), ("age", "environ 25", "invalid_age"),
              ("malformed", None, "malformed_row"), ("origin", "Sénégall", "unknown_country")],
    "libya": [("malformed", None, "malformed_row"), ("date", "2021-02-30", "invalid_date"),
              ("origin", "Stateless", "not_a_country"), ("age", "??", "invalid_age")],
    "yemen": [("origin", "ETA", "unknown_country"), ("malformed", None, "malformed_row"),
              ("age", "2O", "invalid_age"), ("date", "2021-04-31", "invalid_date")],
    "greece": [("malformed", None, "malformed_row"), ("missing", "case", "malformed_row"),
               ("age", "thirty", "invalid_age"), ("origin", "KOREA", "ambiguous_country")],
    "global": [("malformed", None, "malformed_row"), ("malformed", None, "malformed_row"),
               ("origin", "Korea", "ambiguous_country"), ("origin", "Unknown", "not_a_country"),
               ("host", "Absurdistan", "unknown_country"), ("date", "2021-02-29", "invalid_date"),
               ("age", "ca. 30", "invalid_age"), ("sex", "X", "invalid_sex"),
               ("vuln", "Trafficking?", "invalid_vulnerability"), ("case", "", "empty_key")],
}

# (office of the case, office that exports it again, how many, how many of
# them disagree with the first export). The merge keeps the copy of the
# input listed first: VHR before AVRR, the national office before the global
# export, and within one file the first line.
DUPLICATES = [("libya", "global", 60, 12), ("yemen", "global", 25, 5), ("germany", "global", 20, 4),
              ("global", "global", 12, 0), ("niger", "niger", 6, 0), ("libya", "libya", 3, 0),
              ("greece", "greece", 4, 0)]


def number_cases(people):
    """Case numbers per host office, in order of departure: DE21-000001."""
    by_host = {}
    for i, p in enumerate(people):
        by_host.setdefault(p.host, []).append((p.day, i, p))
    next_seq = {}
    for host in sorted(by_host):
        rows = sorted(by_host[host], key=lambda t: (t[0], t[1]))
        width = max(6, len(str(len(rows) * 2)))
        for seq, (_, _, p) in enumerate(rows, 1):
            p.seq, p.case = seq, "%s21-%0*d" % (COUNTRIES[host].a2, width, seq)
        next_seq[host] = (len(rows) + 1, width)
    return next_seq


def fresh_case(next_seq, host):
    seq, width = next_seq[host]
    next_seq[host] = (seq + 1, width)
    return "%s21-%0*d" % (COUNTRIES[host].a2, width, seq)


def build_feeds(rng, people, scale):
    """{office name: [Record]} in file order."""
    next_seq = number_cases(people)
    members = {o.name: [] for o in OFFICES}
    for p in sorted(people, key=lambda p: (p.host, p.seq)):
        members[office_of(p.host).name].append(p)
    records, by_case = {}, {}
    for office in OFFICES:
        r = rng.fork("render " + office.name)
        recs = []
        for i, p in enumerate(sorted(members[office.name], key=lambda p: (p.day, p.host, p.seq))):
            f = office.fields(r, p)
            rec = Record(office.render(f), i * 1000, p.case)
            recs.append(rec)
            by_case[p.case] = (p, f, rec, office)
        records[office.name] = recs
    offices = {o.name: o for o in OFFICES}

    r = rng.fork("duplicates")
    for src, dst, count, disagree in DUPLICATES:
        pool = records[src]
        picked = set()
        for k in range(count * scale):
            while True:
                orig = r.choice(pool)
                if orig.case not in picked:
                    break
            picked.add(orig.case)
            p, f, _, _ = by_case[orig.case]
            span = len(records[dst]) * 1000
            if src == dst:
                text, key, agrees = orig.text, orig.key + 1 + r.below(max(1, span - orig.key)), True
            else:
                q = Person(p.host, p.origin)
                q.case, q.sex, q.age, q.vuln, q.day = p.case, p.sex, p.age, p.vuln, p.day
                agrees = k % count >= disagree
                if not agrees:
                    if src == "germany":
                        q.sex = "unknown" if p.sex != "unknown" else "female"
                    elif q.age is not None:
                        q.age += 1
                    else:
                        q.day = q.day - 1 if q.day == 364 else q.day + 1
                text, key = offices[dst].render(offices[dst].fields(r, q)), 1 + r.below(span)
            records[dst].append(Record(text, key, p.case, dup_of=orig, agrees=agrees))

    r = rng.fork("bad rows")
    for office in OFFICES:
        pool = members[office.name]
        span = len(records[office.name]) * 1000
        for _ in range(scale):
            for field, raw, reason in BAD_ROWS[office.name]:
                t = r.choice(pool)
                q = Person(t.host, t.origin)
                q.sex, q.age, q.vuln, q.day = t.sex, t.age, t.vuln, t.day
                q.case = fresh_case(next_seq, q.host)
                f = office.fields(r, q)
                if field == "malformed":
                    text, what = office.malformed(r, f)
                elif field == "missing":
                    f[raw] = None
                    text, what = office.render(f), "no %s" % raw
                else:
                    f[field] = raw
                    text, what = office.render(f), "%s %r" % (field, raw)
                case = "" if field == "case" else q.case
                records[office.name].append(Record(text, 1 + r.below(span), case, reason, what))

    for office in OFFICES:
        records[office.name].sort(key=lambda rec: rec.key)
    return records


def write_feeds(records, out, extra=None):
    """Write every feed; fill in each record's line (where it starts, the
    header being line 1, line breaks inside quoted fields counted); then the
    files of `extra` (name -> bytes)."""
    written = {}
    for office in OFFICES:
        parts = [office.prologue()]
        line = 1 + parts[0].count("\n")
        for rec in records[office.name]:
            rec.line = line
            line += rec.text.count("\n")
            parts.append(rec.text)
        parts.append(office.epilogue())
        data = "".join(parts).encode(office.encoding)
        if office.bom:
            data = b"\xef\xbb\xbf" + data
        written[office.file] = data
    rejects = ["feed\tline\treason\tcase\twhat"]
    dups = ["record_id\tkept_feed\tkept_line\tdropped_feed\tdropped_line\tagrees"]
    for office in OFFICES:
        for rec in records[office.name]:
            if rec.reason:
                rejects.append("\t".join([office.file, str(rec.line), rec.reason, rec.case, rec.what]))
            if rec.dup_of:
                kept = rec.dup_of
                kept_office = next(o for o in OFFICES if kept in records[o.name])
                dups.append("\t".join([rec.case, kept_office.file, str(kept.line), office.file, str(rec.line),
                                       "yes" if rec.agrees else "no"]))
    head = ("# Written by scripts/gen-samples.py with the feeds: what was planted in them, for\n"
            "# tests/e2e/test_key_highlights.sh. Lines are where the record starts.\n")
    written["expected-rejects.tsv"] = (head + "\n".join(rejects) + "\n").encode()
    written["expected-duplicates.tsv"] = (head + "\n".join(dups) + "\n").encode()
    written.update(extra or {})
    for name, data in written.items():
        path = os.path.join(out, name)
        fd, tmp = tempfile.mkstemp(dir=out, prefix="." + name)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    return written



# ---------------------------------------------------------------------------
# Reintegration services (chapter 3 of the report, "Reintegration overview")
#
# One row per service delivered to a returnee of the returns feeds above:
# pre-departure services by the office of the case's host country,
# post-arrival ones by the office of its country of origin. The counts give
# exactly the published figures (docs/services-figures.md): 113,331
# services; 28,689 pre-departure by 48 offices, 98.6% of them individual;
# 121 offices in all (chapter 3; the foreword says 122); 61% of post-arrival
# services by offices in West and Central Africa; Germany 15%, Nigeria 12%,
# Guinea 8% of all services, the top three.

SERVICES_TOTAL = 113331
PRE_TOTAL = 28689
PRE_OFFICES = 48
PRE_INDIVIDUAL = 28288  # 98.60% of 28,689
ALL_OFFICES = 121
POST_WCA = 51632  # 61.00% of the 84,642 post-arrival services
TOP_OFFICES = {"DEU": 17000, "NGA": 13600, "GIN": 9066}  # 15.00%, 12.00%, 8.00%
OFFICE_CAP = 800  # weights: an office's returnees, capped, so no other office nears Guinea
PRE, POST = "pre_departure", "post_arrival"
DIMENSIONS = [(50, "economic"), (30, "social"), (20, "psychosocial")]
POST_LEVELS = [(80, "individual"), (12, "collective"), (8, "community")]
DELIVERIES = [(78, "direct"), (22, "referral")]
# The Guinea office exports its services itself, in French (services_guinee.xml);
# every other office's are in the global export (services_global.csv.gz).
GUINEA_WORDS = {
    PRE: "pré-départ", POST: "post-arrivée",
    "economic": "économique", "social": "sociale", "psychosocial": "psychosociale",
    "individual": "individuel", "collective": "collectif", "community": "communautaire",
    "direct": "directe", "referral": "orientation",
}
GLOBAL_STAGE = {PRE: ["pre_departure", "Pre-departure", "PRE-DEPARTURE"],
                POST: ["post_arrival", "Post-arrival", "POST-ARRIVAL"]}
GUINEA_OFFICE = ["Guinée", "GUINEE", "Guinea", "GIN", "Guinée "]

# Planted bad rows: (field, value, reason). "case" "" is an empty case id,
# "unknown_case" a case id that is in no returns feed.
SERVICE_BAD_ROWS = {
    "global": [("stage", "in-transit", "invalid_stage"), ("stage", "", "invalid_stage"),
               ("level", "household", "invalid_level"), ("dimension", "legal", "invalid_dimension"),
               ("delivery", "remote?", "invalid_delivery"), ("office", "Absurdistan", "unknown_country"),
               ("office", "Korea", "ambiguous_country"), ("case", "", "unknown_case"),
               ("unknown_case", "DE21-999999", "unknown_case"), ("unknown_case", "NE21-0000000", "unknown_case"),
               ("unknown_case", "XX-404", "unknown_case")],
    "guinee": [("stage", "avant départ", "invalid_stage"), ("level", "individu", "invalid_level"),
               ("office", "Guinée Konakry", "unknown_country"), ("case", "", "unknown_case"),
               ("unknown_case", "GN21-999999", "unknown_case")],
}


def service_plan(people_hosts, people_origins):
    """{(office iso3, stage): services}: the published margins, checked.
    people_hosts / people_origins: returnees per host / origin country."""
    fixed = set(TOP_OFFICES) | {"XKX"}
    hosts = sorted((c for c in people_hosts if c not in fixed), key=lambda c: (-people_hosts[c], c))
    pre_offices = ["DEU"] + hosts[:PRE_OFFICES - 1]
    origins = sorted((c for c in people_origins if c not in fixed), key=lambda c: (-people_origins[c], c))
    post_offices, union = ["NGA", "GIN"], set(pre_offices) | {"NGA", "GIN"}
    for c in origins:
        if len(union) == ALL_OFFICES:
            break
        post_offices.append(c)
        union.add(c)
    plan = {("DEU", PRE): TOP_OFFICES["DEU"], ("NGA", POST): TOP_OFFICES["NGA"], ("GIN", POST): TOP_OFFICES["GIN"]}

    def spread(total, offices, weights_of):
        weights = [min(weights_of[c], OFFICE_CAP) + OFFICE_CAP // 8 for c in offices]
        for c, n in zip(offices, apportion(total - len(offices), weights)):
            plan[c] = 1 + n

    spread(PRE_TOTAL - TOP_OFFICES["DEU"], [(c, PRE) for c in pre_offices[1:]],
           {(c, PRE): people_hosts[c] for c in pre_offices})
    post_rest = post_offices[2:]
    wca = [(c, POST) for c in post_rest if COUNTRIES[c].region == "WCA"]
    other = [(c, POST) for c in post_rest if COUNTRIES[c].region != "WCA"]
    weights = {(c, POST): people_origins[c] for c in post_rest}
    spread(POST_WCA - TOP_OFFICES["NGA"] - TOP_OFFICES["GIN"], wca, weights)
    spread(SERVICES_TOTAL - PRE_TOTAL - (POST_WCA), other, weights)
    # The published margins hold.
    assert sum(plan.values()) == SERVICES_TOTAL
    assert sum(n for (c, st), n in plan.items() if st == PRE) == PRE_TOTAL
    assert len({c for (c, st) in plan if st == PRE}) == PRE_OFFICES
    assert len({c for (c, st) in plan}) == ALL_OFFICES
    assert sum(n for (c, st), n in plan.items() if st == POST and COUNTRIES[c].region == "WCA") == POST_WCA
    per_office = {}
    for (c, st), n in plan.items():
        per_office[c] = per_office.get(c, 0) + n
    ranked = sorted(per_office.items(), key=lambda t: -t[1])
    assert [c for c, _ in ranked[:3]] == ["DEU", "NGA", "GIN"] and ranked[3][1] < TOP_OFFICES["GIN"], ranked[:4]
    return plan


class Service:
    __slots__ = ("office", "stage", "case", "dimension", "level", "delivery", "key", "line", "reason", "what",
                 "text")

    def __init__(self, office, stage, case):
        self.office, self.stage, self.case = office, stage, case
        self.dimension, self.level, self.delivery = "economic", "individual", "direct"
        self.key, self.line, self.reason, self.what, self.text = 0, 0, "", "", ""


def make_services(rng, people, scale):
    """The valid services, [Service], each of a case of the returns feeds."""
    by_host, by_origin = {}, {}
    for p in people:
        by_host.setdefault(p.host, []).append(p.case)
        by_origin.setdefault(p.origin, []).append(p.case)
    services = []
    plan = service_plan({c: len(v) for c, v in by_host.items()}, {c: len(v) for c, v in by_origin.items()})
    for (office, stage), n in sorted(plan.items()):
        cases = (by_host if stage == PRE else by_origin)[office]
        for _ in range(n * scale):
            s = Service(office, stage, rng.choice(cases))
            s.dimension, s.delivery = rng.weighted(DIMENSIONS), rng.weighted(DELIVERIES)
            s.level = rng.weighted(POST_LEVELS) if stage == POST else "individual"
            services.append(s)
    # Pre-departure: exactly PRE_INDIVIDUAL (per scale) individual, the others collective or community.
    pre = [s for s in services if s.stage == PRE]
    rng.shuffle(pre)
    for s in pre[PRE_INDIVIDUAL * scale:]:
        s.level = rng.weighted([(70, "collective"), (30, "community")])
    return services


def service_feed(s):
    return "guinee" if s.office == "GIN" else "global"


class ServicesGlobal:
    name, file = "global", "services_global.csv.gz"
    columns = ["service_id", "case_id", "office_country", "stage", "dimension", "level", "delivery"]

    def prologue(self):
        return csv_line(self.columns, ",", "\n")

    def fields(self, rng, s, seq):
        return {"id": "SV21-%07d" % seq, "case": s.case, "office": spell_global(rng, COUNTRIES[s.office]),
                "stage": rng.choice(GLOBAL_STAGE[s.stage]), "dimension": s.dimension, "level": s.level,
                "delivery": s.delivery}

    def render(self, f):
        return csv_line([f[k] for k in ("id", "case", "office", "stage", "dimension", "level", "delivery")],
                        ",", "\n")

    def epilogue(self):
        return ""


class ServicesGuinee:
    name, file = "guinee", "services_guinee.xml"

    def prologue(self):
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<!-- OIM Conakry : services de réintégration 2021 (export du bureau) -->\n'
                '<services bureau="Conakry">\n')

    def fields(self, rng, s, seq):
        return {"id": "GN-S%06d" % seq, "case": s.case, "office": rng.choice(GUINEA_OFFICE),
                "stage": GUINEA_WORDS[s.stage], "dimension": GUINEA_WORDS[s.dimension],
                "level": GUINEA_WORDS[s.level], "delivery": GUINEA_WORDS[s.delivery]}

    def render(self, f):
        return ('  <service id="%s" dossier="%s" bureau="%s">'
                '<phase>%s</phase><volet>%s</volet><niveau>%s</niveau><modalite>%s</modalite></service>\n'
                % tuple(xml_text(f[k]) for k in ("id", "case", "office", "stage", "dimension", "level",
                                                 "delivery")))

    def epilogue(self):
        return "</services>\n"


SERVICE_FEEDS = [ServicesGlobal(), ServicesGuinee()]


def build_services(people, scale):
    """{feed name: [Service]} in file order, bad rows and unknown cases planted."""
    rng = Rng(SEED).fork("services")
    services = make_services(rng.fork("services: valid"), people, scale)
    rows = {f.name: [] for f in SERVICE_FEEDS}
    for s in services:
        rows[service_feed(s)].append(s)
    for feed in SERVICE_FEEDS:
        rng.shuffle(rows[feed.name])
    r = rng.fork("services: bad rows")
    for feed in SERVICE_FEEDS:
        pool, n = rows[feed.name], len(rows[feed.name])
        for _ in range(scale):
            for field, raw, reason in SERVICE_BAD_ROWS[feed.name]:
                t = pool[r.below(n)]
                bad = Service(t.office, t.stage, t.case)
                bad.dimension, bad.level, bad.delivery = t.dimension, t.level, t.delivery
                bad.reason, bad.what = reason, "%s %r" % (field, raw)
                bad.key = field, raw
                pool.insert(r.below(len(pool) + 1), bad)
    for feed in SERVICE_FEEDS:
        for seq, s in enumerate(rows[feed.name], 1):
            f = feed.fields(r, s, seq)
            if s.reason:
                field, raw = s.key
                f["case" if field == "unknown_case" else field] = raw
                s.case = f["case"]
            s.text = feed.render(f)
    return rows


def gzip_bytes(data):
    """gzip with no name and mtime 0: the same bytes on every run."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as z:
        z.write(data)
    return buf.getvalue()


def service_files(rows):
    """{file name: bytes} of the service feeds and expected-service-rejects.tsv."""
    written = {}
    rejects = ["feed\tline\treason\tcase\twhat"]
    for feed in SERVICE_FEEDS:
        parts = [feed.prologue()]
        line = 1 + parts[0].count("\n")
        for s in rows[feed.name]:
            s.line = line
            line += s.text.count("\n")
            parts.append(s.text)
            if s.reason:
                rejects.append("\t".join([feed.file, str(s.line), s.reason, s.case, s.what]))
        parts.append(feed.epilogue())
        data = "".join(parts).encode("utf-8")
        written[feed.file] = gzip_bytes(data) if feed.file.endswith(".gz") else data
    head = ("# Written by scripts/gen-samples.py with the service feeds: what was planted in them,\n"
            "# for tests/e2e/test_services.sh. Lines are where the record starts.\n")
    written["expected-service-rejects.tsv"] = (head + "\n".join(rejects) + "\n").encode()
    return written


def same_content(name, a, b):
    """Whether two versions of a written file hold the same data: a .gz file
    by its decompressed bytes (another zlib may pack the same data
    differently)."""
    if name.endswith(".gz"):
        try:
            return gzip.decompress(a) == gzip.decompress(b)
        except OSError:
            return False
    return a == b


def generate(scale):
    rng = Rng(SEED)
    people = make_people(rng.fork("people"), scale)
    return build_feeds(rng, people, scale), people


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "pipelines", "samples")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=default_out, help="folder to write (default: pipelines/samples)")
    ap.add_argument("--scale", type=int, default=1, help="multiply the cases (and bad and duplicate rows) by N")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if --out differs from a fresh run")
    args = ap.parse_args()
    if args.scale < 1:
        ap.error("--scale must be 1 or more")
    records, people = generate(args.scale)
    services = service_files(build_services(people, args.scale))
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = write_feeds(records, tmp, services)
            stale = [n for n, data in fresh.items()
                     if not os.path.exists(os.path.join(args.out, n)) or
                     not same_content(n, open(os.path.join(args.out, n), "rb").read(), data)]
        for n in stale:
            print("gen-samples: %s is out of date" % os.path.join(args.out, n), file=sys.stderr)
        return 1 if stale else 0
    os.makedirs(args.out, exist_ok=True)
    written = write_feeds(records, args.out, services)
    for name in sorted(written):
        print("%-26s %9d bytes" % (name, len(written[name])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
