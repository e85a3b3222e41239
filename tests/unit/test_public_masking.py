"""What is masked before a citizen's words are made public: a table of real phrasings."""

import pytest

from bot.public_answers.masking import MASK, is_phone_or_id, mask_personal, name_variants

M = MASK


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Phones as Vietnamese write them.
        ("gọi 0912345678 nhé", f"gọi {M} nhé"),
        ("SĐT: 0912 345 678.", f"SĐT: {M}."),
        ("số máy +84 912 345 678", f"số máy {M}"),
        ("liên hệ 091.234.5678", f"liên hệ {M}"),
        ("ĐT 0912-345-678, cảm ơn", f"ĐT {M}, cảm ơn"),
        ("zalo 84912345678", f"zalo {M}"),
        ("+84912345678", M),
        ("máy bàn (024) 3825 1234", f"máy bàn {M}"),
        ("bàn 024.3825.1234", f"bàn {M}"),
        ("gọi 0912345678 2 lần rồi", f"gọi {M} 2 lần rồi"),
        ("ngày 12.03.2024 gọi 0987654321", f"ngày 12.03.2024 gọi {M}"),
        ("CCCD 001089012345", f"CCCD {M}"),
        # The forms people type without thinking: glued to a word, odd separators,
        # the country code in brackets, full-width digits, a zero-width space.
        ("sđt0912345678", f"sđt{M}"),
        ("SĐT:0912345678 ạ", f"SĐT:{M} ạ"),
        ("dt0912345678.", f"dt{M}."),
        ("gọi 0912.345.678 nhé", f"gọi {M} nhé"),
        ("gọi 0912 345 678 nhé", f"gọi {M} nhé"),
        ("(+84)912345678", M),
        ("số (+84) 912 345 678", f"số {M}"),
        ("gọi 84912345678", f"gọi {M}"),
        ("gọi ０９１２３４５６７８ nhé", f"gọi {M} nhé"),
        ("gọi ０９１２ ３４５ ６７８", f"gọi {M}"),
        ("gọi 0912\u200b345678 nhé", f"gọi {M} nhé"),
        ("gọi 09\u200b12\u200b345\u200b678", f"gọi {M}"),
        ("gọi 0912\u2060345\ufeff678", f"gọi {M}"),
        ("gọi 0912\u00a0345\u00a0678", f"gọi {M}"),
        ("0912345678là số tôi", f"{M}là số tôi"),
        ("gọi 0912 - 345 - 678", f"gọi {M}"),
        # Numbers that are not phones stay.
        ("bồi thường 350.000.000 đồng", "bồi thường 350.000.000 đồng"),
        ("từ năm 2023 đến 2024", "từ năm 2023 đến 2024"),
        ("có 15 hộ dân, dài 1.200 m", "có 15 hộ dân, dài 1.200 m"),
        ("mã PA-7KX45", "mã PA-7KX45"),
        ("hồ sơ PA-7KX45, PA-23457 và PA-9876Q", "hồ sơ PA-7KX45, PA-23457 và PA-9876Q"),
        ("ngày 12/03/2024 tôi đã gọi", "ngày 12/03/2024 tôi đã gọi"),
        ("từ 01/02/2024 đến 05/06/2025", "từ 01/02/2024 đến 05/06/2025"),
        ("ngày 01.02.2024", "ngày 01.02.2024"),
        ("hỗ trợ 1.500.000 đồng", "hỗ trợ 1.500.000 đồng"),
        ("hỗ trợ 1.500.000đ mỗi hộ", "hỗ trợ 1.500.000đ mỗi hộ"),
        ("nợ 15 000 000 đồng", "nợ 15 000 000 đồng"),
        ("năm 2024, năm ２０２４", "năm 2024, năm ２０２４"),
        ("quyết định số 123/QĐ-UBND năm 2024", "quyết định số 123/QĐ-UBND năm 2024"),
        ("lúc 08:30 ngày 02/09", "lúc 08:30 ngày 02/09"),
        # E-mails, handles and Telegram links.
        ("thư: nguyen.lan+xa@gmail.com.", f"thư: {M}."),
        ("email LAN_1990@yahoo.com.vn", f"email {M}"),
        ("nhắn @nguyenlan90 giúp", f"nhắn {M} giúp"),
        ("hoặc t.me/nguyenlan90", f"hoặc {M}"),
        ("https://t.me/nguyenlan90 nhé", f"{M} nhé"),
        # House-number-style addresses, with and without diacritics.
        ("nhà tôi ở số 12 ngõ 3 thôn Tân Hưng", f"nhà tôi ở {M} thôn Tân Hưng"),
        ("Số nhà 45, đường Lê Lợi", f"{M}, đường Lê Lợi"),
        ("số 12 đường Lê Lợi bị ngập", f"{M} đường Lê Lợi bị ngập"),
        ("ngách 7/2 ngõ 15 rất tối", f"{M} rất tối"),
        ("nhà số 8A hẻm 45/12/3", f"{M}"),
        ("so nha 45 ngo 3", M),
        ("kiệt 24 Trần Phú", f"{M} Trần Phú"),
        ("thửa đất số 123, tờ bản đồ số 45", M),
        ("căn hộ 1203 chung cư", f"{M} chung cư"),
        ("NGÕ 3 mất điện", f"{M} mất điện"),
        # "số" alone is any number: left as it is.
        ("số 5 hộ dân bị ảnh hưởng", "số 5 hộ dân bị ảnh hưởng"),
        ("ngõ nhỏ, số hộ đông", "ngõ nhỏ, số hộ đông"),
        ("đường liên thôn bị sụt lún", "đường liên thôn bị sụt lún"),
    ],
)
def test_personal_details_are_masked(text: str, expected: str) -> None:
    assert mask_personal(text) == expected


@pytest.mark.parametrize(
    ("known", "text", "expected"),
    [
        (["Nguyễn Thị Lan"], "Tôi là Nguyễn Thị Lan, xin phản ánh", f"Tôi là {M}, xin phản ánh"),
        (["Nguyễn Thị Lan"], "con gái bà Thị Lan nói", f"con gái bà {M} nói"),
        (["Nguyễn Thị Lan"], "toi la nguyen thi lan", f"toi la {M}"),
        (["Nguyễn Thị Lan"], "hoa lan nở đẹp", "hoa lan nở đẹp"),
        (["Lê Mai", "0987 654 321"], "Lê Mai, 0987 654 321", f"{M}, {M}"),
    ],
)
def test_the_name_the_citizen_shared_is_masked(known, text: str, expected: str) -> None:
    names = [v for k in known for v in (name_variants(k) if k[0].isalpha() else [k])]
    assert mask_personal(text, names) == expected


@pytest.mark.parametrize(
    ("digits", "phone"),
    [
        ("0912345678", True),
        ("02438251234", True),
        ("84912345678", True),
        ("840912345678", True),
        ("001089012345", True),
        ("091234567", False),  # one digit short
        ("350000000", False),
        ("0123456789012", False),
        ("09123456782", False),  # a mobile number has 10 digits
        ("0212345678", False),  # a landline 11
    ],
)
def test_what_counts_as_a_phone_or_id_number(digits: str, phone: bool) -> None:
    assert is_phone_or_id(digits) is phone


def test_decomposed_vietnamese_is_masked_too() -> None:
    decomposed = "so\u0302\u0301 12 ngo\u0303 3"  # "số 12 ngõ 3" typed in NFD
    assert mask_personal(decomposed) == M
