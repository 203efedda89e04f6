"""Rebuild the name lists in bench/data/ used to generate innocent (negative) screening queries.

Run once by a developer (needs Faker, a dev dependency); the benchmark itself only reads the
written files. Names come from Faker's per-locale person providers (transliterated to ASCII
with anyascii where the locale uses another script) plus hand-written romanised Arabic, Persian,
Pashto/Urdu and Korean names, which Faker only has in their own scripts.

    .venv/bin/python bench/screening_namelists_build.py
"""

from __future__ import annotations

import importlib
from pathlib import Path

from anyascii import anyascii

OUT = Path(__file__).with_name("data")
LOCALES = {
    "english": ["en_US", "en_GB"],
    "german_dutch_nordic": ["de_DE", "nl_NL", "sv_SE"],
    "romance": ["fr_FR", "it_IT", "pt_BR", "ro_RO"],
    "spanish": ["es_ES", "es_MX"],
    "slavic": ["ru_RU", "uk_UA", "cs_CZ", "pl_PL"],
    "greek_hungarian": ["el_GR", "hu_HU"],
    "turkish": ["tr_TR"],
    "south_asian": ["en_IN", "hi_IN"],
    "southeast_asian": ["id_ID", "vi_VN"],
    "african": ["yo_NG", "sw", "zu_ZA"],
    "east_asian": ["zh_CN", "ja_JP"],
}
ARABIC_FIRST = """
Ahmad Ahmed Ali Amir Amina Anas Ayman Bilal Basel Bassam Dalia Dina Fadi Fahad Farah Farid
Fatima Ghassan Hadi Hala Hamid Hana Hani Haytham Hiba Hind Imad Iman Issam Jamal Jana Jihad
Kamal Karim Khalil Laila Lina Maha Majid Malak Marwan Maya Mazen Mona Mounir Nabil Nadia Nadim
Naji Nasser Nawal Nour Omar Rami Rana Rania Rashid Reem Rima Sabah Said Salim Salma Sami Samir
Sana Sara Tamer Tarek Wael Walid Yara Yasmin Youssef Zaid Zainab Ziad Dana Lubna Huda Ruba Ola
Suha Wafa Nizar Raed Saleh Adel Anwar Bassel Emad Fouad Hatem Hussam Jawad Kareem Luay Mahdi
Munir Nidal Osama Qusay Riad Shadi Tawfiq Usama Yahya Zaher Ammar Ayham Firas Ghaith Iyad Laith
Muhannad Nael Rakan Sultan Talal Yazan Abdullah Mohammed Mustafa Hassan Hussein Ibrahim Khaled
Mahmoud Yusuf Ismail Hamza Tariq Faisal Saad Sami Reza Hossein Mehdi Ali Amir Arash Babak
Behnam Dariush Ehsan Farhad Farzaneh Hamed Kaveh Kian Leila Mahsa Majid Maryam Mina Mojgan
Nasrin Parisa Parviz Payam Reza Roya Saeed Sahar Shirin Siamak Soheil Vahid Yasaman Zahra Navid
Omid Peyman Ramin Shahram Sina Taraneh Bahram Daryush Golnaz Homa Jalal Kamran Ladan Mehran
Nima Pouya Imran Asad Bilal Danish Farhan Hamza Irfan Junaid Kashif Nadeem Naveed Qasim Rizwan
Saqib Shahid Tahir Usman Waqas Zeeshan Ayesha Farhan Hina Kiran Mehwish Naila Rabia Saima Sana
Uzma Zubair
"""
ARABIC_LAST = """
Abboud Abdallah Abdelnour Abou-Khalil Aboud Al-Amin Al-Ansari Al-Badri Al-Fadl Al-Hakim
Al-Hashimi Al-Jabri Al-Khatib Al-Masri Al-Nasser Al-Qadi Al-Rashid Al-Sayegh Al-Shami Al-Tamimi
Al-Zein Antoun Asfour Atallah Awad Azar Baalbaki Bakri Barakat Bitar Boutros Chamoun Daher
Darwish Diab Eid Fakhoury Farah Fares Ghanem Haddad Hajjar Halabi Hamdan Harb Hayek Helou Issa
Jaber Jaffal Kanaan Karam Khoury Kassab Maalouf Mansour Matar Moussa Nassar Nasrallah Obeid
Qasem Rahal Rizk Saab Saad Sabbagh Salameh Sarkis Shaheen Sleiman Sultan Tannous Touma Wehbe
Yacoub Younes Zaher Zoghbi Ahmadi Akbari Alavi Amini Asadi Bagheri Ebrahimi Farahani Ghorbani
Hashemi Hosseini Jafari Kazemi Karimi Mahmoudi Mirzaei Mohammadi Moradi Najafi Rahimi Rezaei
Sadeghi Salehi Shahbazi Sharifi Soltani Tehrani Yazdani Zamani Zarei Abbasi Akhtar Ansari Aslam
Baig Bhatti Butt Chaudhry Farooqi Ghauri Hashmi Iqbal Javed Khan Malik Mirza Naqvi Qureshi Rana
Rizvi Sheikh Siddiqui Syed Zaidi Awan Durrani Kakar Niazi Yousafzai Afridi Bangash
"""
KOREAN_FIRST = """
Min-jun Seo-yeon Ji-ho Ha-eun Do-yun Seo-jun Ji-woo Ye-jun Su-bin Ji-min Hyun-woo Eun-ji
Dong-hyun Ji-hoon Yu-na Sung-min Hye-jin Jae-won Mi-rae Kyung-soo Tae-yang Na-rae Woo-jin Se-ra
Joon-ho Da-eun Chan-woo Bo-ra Jin-ho Soo-ah
"""
KOREAN_LAST = (
    "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song Yoo Hong"
)


def _names(provider: type, attributes: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for attribute in attributes:
        value = getattr(provider, attribute, None)
        if isinstance(value, dict):
            value = list(value)
        if value:
            found.update(str(item) for item in value)
    return found


def _ascii(name: str) -> str:
    text = anyascii(name).strip()
    return text if text and all(ch.isalpha() or ch in " -'" for ch in text) else ""


def main() -> None:
    first: set[tuple[str, str]] = set()
    last: set[tuple[str, str]] = set()
    for group, locales in LOCALES.items():
        for locale in locales:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
            romanized_first = _names(provider, ("first_romanized_names",))
            romanized_last = _names(provider, ("last_romanized_names",))
            first_names = romanized_first or _names(
                provider, ("first_names", "first_names_male", "first_names_female")
            )
            last_names = romanized_last or _names(provider, ("last_names",))
            first.update((group, n) for n in map(_ascii, first_names) if len(n) >= 2)
            last.update((group, n) for n in map(_ascii, last_names) if len(n) >= 2)
    first.update(("arabic_persian", name) for name in ARABIC_FIRST.split())
    last.update(("arabic_persian", name) for name in ARABIC_LAST.split())
    first.update(("korean", name) for name in KOREAN_FIRST.split())
    last.update(("korean", name) for name in KOREAN_LAST.split())
    OUT.mkdir(exist_ok=True)
    for filename, rows in (
        ("screening_first_names.tsv", first),
        ("screening_last_names.tsv", last),
    ):
        lines = [f"{group}\t{name}" for group, name in sorted(rows)]
        (OUT / filename).write_text(
            "# group<TAB>name; generated by bench/screening_namelists_build.py\n"
            + "\n".join(lines)
            + "\n",
            encoding="utf-8",
        )
    print(f"{len(first)} first names, {len(last)} last names")


if __name__ == "__main__":
    main()
