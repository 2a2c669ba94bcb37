from readiness.register import load_register, sort_communes
from readiness.text import fold, matches, same_name, sort_key


def test_fold__vietnamese_name__lowercase_without_marks():
    assert fold("Xã Đăk Hà") == "xa dak ha"
    assert fold("  Phường   Cẩm Thành ") == "phuong cam thanh"


def test_matches__query_without_diacritics__finds_marked_name():
    assert matches("dak ha", "Xã Đăk Hà")
    assert matches("DAK HA", "Xã Đăk Hà")
    assert not matches("dak lo", "Xã Đăk Hà")


def test_matches__query_with_diacritics__must_match_them():
    assert matches("Hà", "Xã Đăk Hà")
    assert not matches("Hạ", "Xã Đăk Hà")


def test_sort_key__vietnamese_alphabet__d_before_dd_and_a_breve_before_a_circumflex():
    words = ["Đông", "Dũng", "Ân", "Ăn", "An", "Ba", "Ơn", "Ôn", "On"]
    assert sorted(words, key=sort_key) == ["An", "Ăn", "Ân", "Ba", "Dũng", "Đông", "On", "Ôn", "Ơn"]


def test_sort_key__tones__ordered_none_huyen_hoi_nga_sac_nang():
    words = ["má", "mạ", "mà", "ma", "mả", "mã"]
    assert sorted(words, key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_same_name__old_and_new_tone_placement__equal():
    assert same_name("Xã Sơn Thuỷ", "xã sơn thủy")
    assert same_name("Đặng Thuỳ Trâm", "Đặng Thùy Trâm")
    assert not same_name("Sơn Hà", "Sơn Hạ")


def test_register__national_file__3321_units_96_in_quang_ngai_with_details():
    communes = load_register()
    assert len(communes) == 3321
    assert len({c.code for c in communes}) == 3321
    quang_ngai = [c for c in communes if c.province_code == "51"]
    assert len(quang_ngai) == 96
    assert all(c.former_province in ("Quảng Ngãi", "Kon Tum") for c in quang_ngai)
    assert {c.kind for c in quang_ngai} == {"Xã", "Phường", "Đặc khu"}
    dak_ha = next(c for c in quang_ngai if c.name == "Xã Đăk Hà")
    assert dak_ha.former_province == "Kon Tum"
    assert dak_ha.bare_name == "Đăk Hà"


def test_sort_communes__by_bare_name__vietnamese_order():
    communes = [c for c in load_register() if c.province_code == "51"]
    names = [c.bare_name for c in sort_communes(communes)]
    assert names == sorted(names, key=sort_key)
    # "Đ" names come after all "D" names, not after "Z".
    first_dd = next(i for i, n in enumerate(names) if n.startswith("Đ"))
    assert all(not n.startswith("Đ") for n in names[:first_dd])
    assert names[first_dd - 1][0] in "CDcd"


def test_sort_key__syllable_by_syllable__ca_mau_before_cao_bang():
    # «Cà» is a whole syllable that «Cao» starts with: the shorter syllable comes first, whatever its tone.
    assert sorted(["Cao Bằng", "Cà Mau"], key=sort_key) == ["Cà Mau", "Cao Bằng"]
    # Syllables are compared one by one, each by its letters and then its tone.
    assert sorted(["cà phê", "ca sĩ", "cao"], key=sort_key) == ["ca sĩ", "cà phê", "cao"]
    assert sorted(["Lâm Đồng", "Lào Cai", "Lạng Sơn", "Lai Châu"], key=sort_key) == [
        "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng"]


def test_sort_key__the_34_provinces_of_the_register__dictionary_order():
    provinces = {c.province_name.split(" ", 1)[1] if c.province_name.startswith("Tỉnh ")
                 else c.province_name.removeprefix("Thành phố ") for c in load_register()}
    assert len(provinces) == 34
    assert sorted(provinces, key=sort_key) == [
        "An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Điện Biên", "Đồng Nai",
        "Đồng Tháp", "Gia Lai", "Hà Nội", "Hà Tĩnh", "Hải Phòng", "Hồ Chí Minh", "Huế", "Hưng Yên", "Khánh Hòa",
        "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Nghệ An", "Ninh Bình", "Phú Thọ", "Quảng Ngãi",
        "Quảng Ninh", "Quảng Trị", "Sơn La", "Tây Ninh", "Thái Nguyên", "Thanh Hóa", "Tuyên Quang", "Vĩnh Long",
    ]


def test_sort_key__communes_of_the_register__a_name_before_its_longer_syllable():
    names = sorted({c.bare_name for c in load_register()}, key=sort_key)
    # «Cà Đam», «Cà Ná» (syllable «Cà») before «Các Sơn», «Cai Lậy», «Cái Bè» (longer first syllables).
    assert names.index("Cà Ná") < names.index("Các Sơn") < names.index("Cai Lậy") < names.index("Cái Bè")
    assert names.index("Ca Thành") < names.index("Cà Đam")


def test_printable__every_kind_of_character__drops_exactly_what_a_document_cannot_hold():
    """text.printable keeps tabs, line breaks and every printable character (the whole text at once when all of it
    is) and drops control characters, C1 controls, lone surrogates and noncharacters, one character at a time."""
    import unicodedata

    from readiness.text import printable

    kept = "Xã Đăk Hà\u00a0(NBSP)\u200bZWSP\u2028 ＝1+2 \U0001f600 \t\n"
    dropped = "\x00\x07\x1b\x7f\x85\x9f\ud800\udfff\ufdd0\ufdef\ufffe\uffff\U0001fffe"
    assert printable(kept) == kept
    assert printable("a" + dropped + "b") == "ab"
    assert printable("Xa\u0303") == "Xã"  # NFC
    assert printable(None) == "" and printable(12) == "12"
    for char in map(chr, range(0x3000)):  # each character alone: kept exactly when the slow rule keeps it
        code = ord(char)
        keep = char in "\t\n" or not (code < 32 or 0x7F <= code < 0xA0 or 0xD800 <= code < 0xE000
                                      or 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE)
        assert printable(char) == (unicodedata.normalize("NFC", char) if keep else ""), hex(code)
