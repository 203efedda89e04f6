"""What people read instead of codes: identifiers as their issuers write them (EIN
46-2785561), document types and HS chapters by name."""

from __future__ import annotations

from stdnum.au import abn
from stdnum.eu import vat as eu_vat
from stdnum.gb import vat as gb_vat
from stdnum.nz import ird
from stdnum.us import ein

from shippers.reference_data import load_document_requirements

_FORMATTERS = {
    "us_ein": ein.format,
    "gb_vat": gb_vat.format,
    "au_abn": abn.format,
    "nz_ird": ird.format,
}


def format_identifier(kind: str, value: str) -> str:
    """The identifier grouped as its issuer prints it; the stored compact form if there is
    no known way to group it (or it does not parse)."""
    formatter = _FORMATTERS.get(kind)
    try:
        if formatter is not None:
            return str(formatter(value))
        if kind == "eu_vat":
            return str(eu_vat.compact(value))
    except Exception:  # a stored value that does not parse is shown as stored
        return value
    return value


def document_type_name(code: str) -> str:
    document = load_document_requirements().document_types.get(code)
    return document.name if document else code.replace("_", " ").capitalize()


# Harmonized System chapter titles (WCO HS 2022 nomenclature), shortened where long.
HS_CHAPTERS: dict[str, str] = {
    "01": "Live animals",
    "02": "Meat and edible meat offal",
    "03": "Fish and crustaceans, molluscs",
    "04": "Dairy produce; eggs; honey",
    "05": "Other products of animal origin",
    "06": "Live trees and plants; cut flowers",
    "07": "Edible vegetables",
    "08": "Edible fruit and nuts",
    "09": "Coffee, tea, maté and spices",
    "10": "Cereals",
    "11": "Products of the milling industry; malt; starches",
    "12": "Oil seeds, oleaginous fruits; industrial or medicinal plants",
    "13": "Lac; gums, resins and other vegetable saps",
    "14": "Vegetable plaiting materials",
    "15": "Animal or vegetable fats and oils",
    "16": "Preparations of meat or fish",
    "17": "Sugars and sugar confectionery",
    "18": "Cocoa and cocoa preparations",
    "19": "Preparations of cereals, flour, starch or milk; pastrycooks' products",
    "20": "Preparations of vegetables, fruit or nuts",
    "21": "Miscellaneous edible preparations",
    "22": "Beverages, spirits and vinegar",
    "23": "Residues from the food industries; animal fodder",
    "24": "Tobacco and manufactured tobacco substitutes",
    "25": "Salt; sulphur; earths and stone; lime and cement",
    "26": "Ores, slag and ash",
    "27": "Mineral fuels, mineral oils",
    "28": "Inorganic chemicals",
    "29": "Organic chemicals",
    "30": "Pharmaceutical products",
    "31": "Fertilisers",
    "32": "Tanning or dyeing extracts; paints, varnishes; inks",
    "33": "Essential oils; perfumery, cosmetic or toilet preparations",
    "34": "Soap, washing preparations, lubricating preparations, candles",
    "35": "Albuminoidal substances; modified starches; glues; enzymes",
    "36": "Explosives; pyrotechnic products; matches",
    "37": "Photographic or cinematographic goods",
    "38": "Miscellaneous chemical products",
    "39": "Plastics and articles thereof",
    "40": "Rubber and articles thereof",
    "41": "Raw hides and skins and leather",
    "42": "Articles of leather; handbags, travel goods",
    "43": "Furskins and artificial fur",
    "44": "Wood and articles of wood; charcoal",
    "45": "Cork and articles of cork",
    "46": "Manufactures of straw; basketware",
    "47": "Pulp of wood; recovered paper",
    "48": "Paper and paperboard; articles of paper",
    "49": "Printed books, newspapers, pictures",
    "50": "Silk",
    "51": "Wool, fine or coarse animal hair",
    "52": "Cotton",
    "53": "Other vegetable textile fibres; paper yarn",
    "54": "Man-made filaments",
    "55": "Man-made staple fibres",
    "56": "Wadding, felt and nonwovens; twine, cordage, ropes",
    "57": "Carpets and other textile floor coverings",
    "58": "Special woven fabrics; lace; tapestries; embroidery",
    "59": "Impregnated, coated or laminated textile fabrics",
    "60": "Knitted or crocheted fabrics",
    "61": "Apparel and clothing, knitted or crocheted",
    "62": "Apparel and clothing, not knitted or crocheted",
    "63": "Other made-up textile articles; worn clothing",
    "64": "Footwear, gaiters and the like",
    "65": "Headgear",
    "66": "Umbrellas, walking sticks, whips",
    "67": "Prepared feathers; artificial flowers; articles of human hair",
    "68": "Articles of stone, plaster, cement, asbestos, mica",
    "69": "Ceramic products",
    "70": "Glass and glassware",
    "71": "Pearls, precious stones and metals; jewellery; coin",
    "72": "Iron and steel",
    "73": "Articles of iron or steel",
    "74": "Copper and articles thereof",
    "75": "Nickel and articles thereof",
    "76": "Aluminium and articles thereof",
    "78": "Lead and articles thereof",
    "79": "Zinc and articles thereof",
    "80": "Tin and articles thereof",
    "81": "Other base metals; cermets",
    "82": "Tools, cutlery, spoons and forks of base metal",
    "83": "Miscellaneous articles of base metal",
    "84": "Machinery, mechanical appliances, nuclear reactors, boilers; computers",
    "85": "Electrical machinery and equipment; sound and television equipment",
    "86": "Railway locomotives and rolling stock",
    "87": "Vehicles other than railway; parts and accessories",
    "88": "Aircraft, spacecraft and parts",
    "89": "Ships, boats and floating structures",
    "90": "Optical, photographic, measuring, medical instruments",
    "91": "Clocks and watches",
    "92": "Musical instruments",
    "93": "Arms and ammunition",
    "94": "Furniture; bedding; lamps; prefabricated buildings",
    "95": "Toys, games and sports requisites",
    "96": "Miscellaneous manufactured articles",
    "97": "Works of art, collectors' pieces and antiques",
}


def hs_chapter_label(code: str) -> str:
    title = HS_CHAPTERS.get(code)
    return f"{code}: {title}" if title else f"Chapter {code}"
