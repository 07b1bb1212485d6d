"""Towns and their postal code areas: where to look when a town has no workshop.

The CRM finds the nearest workshops to a postal code. A customer names a
town ("in Hamburg"); for the towns of the NLU's ``city`` lookup
(``data/nlu/entities.yml``) this table gives the postal code of the town
centre, so the nearest workshop can be found for them too. A name that is
neither in this table nor recognised by the NLU is not taken for a town.
"""

from __future__ import annotations

from bot.crm.identifiers import place_name_keys

_AREAS = {
    # Germany
    "Berlin": "10115", "Hamburg": "20095", "München": "80331", "Köln": "50667",
    "Frankfurt": "60311", "Frankfurt am Main": "60311", "Stuttgart": "70173",
    "Düsseldorf": "40213", "Leipzig": "04109", "Dortmund": "44135", "Essen": "45127",
    "Bremen": "28195", "Dresden": "01067", "Hannover": "30159", "Nürnberg": "90402",
    "Duisburg": "47051", "Bochum": "44787", "Wuppertal": "42103", "Bielefeld": "33602",
    "Bonn": "53111", "Münster": "48143", "Mannheim": "68159", "Karlsruhe": "76133",
    "Augsburg": "86150", "Wiesbaden": "65183", "Mönchengladbach": "41061",
    "Gelsenkirchen": "45879", "Aachen": "52062", "Braunschweig": "38100", "Kiel": "24103",
    "Chemnitz": "09111", "Halle": "06108", "Halle (Saale)": "06108",
    "Halle an der Saale": "06108", "Magdeburg": "39104", "Freiburg": "79098",
    "Freiburg im Breisgau": "79098", "Krefeld": "47798", "Mainz": "55116",
    "Lübeck": "23552", "Erfurt": "99084", "Oberhausen": "46045", "Rostock": "18055",
    "Kassel": "34117", "Hagen": "58095", "Potsdam": "14467", "Saarbrücken": "66111",
    "Hamm": "59065", "Ludwigshafen": "67059", "Oldenburg": "26122", "Osnabrück": "49074",
    "Leverkusen": "51373", "Heidelberg": "69117", "Darmstadt": "64283",
    "Regensburg": "93047", "Ingolstadt": "85049", "Würzburg": "97070", "Ulm": "89073",
    "Wolfsburg": "38440",
    # Austria
    "Wien": "1010", "Graz": "8010", "Linz": "4020", "Salzburg": "5020", "Innsbruck": "6020",
    "Klagenfurt": "9020", "Villach": "9500", "Wels": "4600", "St. Pölten": "3100",
    "Sankt Pölten": "3100", "Dornbirn": "6850", "Wiener Neustadt": "2700", "Steyr": "4400",
    "Feldkirch": "6800", "Bregenz": "6900", "Leoben": "8700",
    # Switzerland
    "Zürich": "8001", "Züri": "8001", "Genf": "1201", "Genève": "1201", "Basel": "4051",
    "Lausanne": "1003", "Bern": "3011", "Winterthur": "8400", "Luzern": "6003",
    "St. Gallen": "9000", "Sankt Gallen": "9000", "Lugano": "6900", "Biel": "2502",
    "Biel/Bienne": "2502", "Thun": "3600", "Köniz": "3098", "Schaffhausen": "8200",
    "Fribourg": "1700", "Chur": "7000", "Neuenburg": "2000", "Neuchâtel": "2000",
    "Sitten": "1950", "Sion": "1950", "Uster": "8610",
}  # fmt: skip

_BY_KEY = {key: code for town, code in _AREAS.items() for key in place_name_keys(town)}


def postal_code_area(town: str) -> str | None:
    """Return the postal code of a known town's centre ("Hamburg" -> "20095"), else None."""
    keys = place_name_keys(town)
    return next((_BY_KEY[key] for key in keys if key in _BY_KEY), None)
