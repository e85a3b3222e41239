"""Questions as citizens type them, each with the shipped FAQ entry it must find.

Kinds: "vi" well typed; "plain" without diacritics; "typo" misspelt; "telex"
Telex leftovers; "caps" capitals; "nfd" decomposed Unicode; "region" regional
wording or chat abbreviations. Half of all are typed without diacritics.
"""

import unicodedata


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


QUERIES: list[tuple[str, str, str]] = [
    # --- hộ tịch
    ("vi", "Làm giấy khai sinh cho con cần mang gì?", "khai-sinh"),
    ("plain", "lam giay khai sinh cho con can giay to gi", "khai-sinh"),
    ("plain", "dang ky khai sinh cho be moi sinh o dau", "khai-sinh"),
    ("region", "làm giấy khai sanh cho con", "khai-sinh"),
    ("telex", "ddang kys khai sinh cho con", "khai-sinh"),
    ("plain", "con duoc 3 thang roi moi di khai sinh co bi phat khong", "khai-sinh-qua-han"),
    ("vi", "Khai sinh quá hạn có bị phạt không?", "khai-sinh-qua-han"),
    ("plain", "mat giay khai sinh thi xin lai o dau", "trich-luc-khai-sinh"),
    ("vi", "Xin bản sao trích lục khai sinh ở đâu?", "trich-luc-khai-sinh"),
    ("typo", "mat giay khai xinh lam lai the nao", "trich-luc-khai-sinh"),
    ("plain", "dang ky ket hon can nhung giay to gi", "ket-hon"),
    ("vi", "Sắp cưới thì đi đăng ký kết hôn ở đâu?", "ket-hon"),
    ("region", "lấy vợ thì mần giấy tờ chi", "ket-hon"),
    ("caps", "THỦ TỤC ĐĂNG KÝ KẾT HÔN", "ket-hon"),
    ("plain", "xin giay xac nhan doc than o dau", "xac-nhan-tinh-trang-hon-nhan"),
    ("vi", "Giấy xác nhận tình trạng hôn nhân có giá trị bao lâu?", "xac-nhan-tinh-trang-hon-nhan"),
    ("plain", "bo toi moi mat thi lam giay khai tu the nao", "khai-tu"),
    ("vi", "Người nhà qua đời cần làm giấy tờ gì ở xã?", "khai-tu"),
    ("nfd", nfd("Đăng ký khai tử cần mang gì?"), "khai-tu"),
    ("plain", "bo nhan con ngoai gia thu the nao", "nhan-cha-me-con"),
    ("vi", "Giấy khai sinh bị ghi sai tên thì sửa thế nào?", "cai-chinh-ho-tich"),
    ("plain", "muon doi ten cho con thi lam o dau", "cai-chinh-ho-tich"),
    ("typo", "giay khai sinh bi sai ngay sin", "cai-chinh-ho-tich"),
    ("plain", "dang ky giam ho cho chau mo coi", "giam-ho"),
    # --- cư trú, căn cước
    ("plain", "nhap ho khau ve nha chong can gi", "thuong-tru"),
    ("vi", "Đăng ký thường trú cần giấy tờ gì?", "thuong-tru"),
    ("plain", "thue tro co phai dang ky tam tru khong", "tam-tru"),
    ("typo", "dang ky tam chu o dau", "tam-tru"),
    ("vi", "Đi làm ăn xa có phải khai báo tạm vắng không?", "tam-vang"),
    ("plain", "con di xuat khau lao dong co can bao tam vang", "tam-vang"),
    ("plain", "so ho khau bi bo roi thi dung giay gi", "xac-nhan-cu-tru"),
    ("vi", "Xin giấy xác nhận cư trú ở đâu?", "xac-nhan-cu-tru"),
    ("vi", "Cho em hỏi làm CMND ở đâu ạ?", "can-cuoc"),
    ("plain", "lam can cuoc cong dan cho con 14 tuoi", "can-cuoc"),
    ("caps", "MẤT CĂN CƯỚC LÀM LẠI BAO NHIÊU TIỀN", "can-cuoc"),
    ("plain", "chung minh nhan dan cu con dung duoc khong", "cmnd-het-gia-tri"),
    ("vi", "CMND 9 số có phải đổi không?", "cmnd-het-gia-tri"),
    ("plain", "dang ky vneid muc 2 o dau", "vneid"),
    ("telex", "quene maatj khaaur vneid", "vneid"),
    # --- đất đai
    ("plain", "lam so do o dau", "so-do-lan-dau"),
    ("vi", "Đất ông bà để lại chưa có sổ đỏ thì làm thế nào?", "so-do-lan-dau"),
    ("telex", "lamf sor ddor laanf ddaauf", "so-do-lan-dau"),
    ("plain", "bo me cho con dat thi sang ten the nao", "sang-ten"),
    ("vi", "Mua đất rồi sang tên mất bao nhiêu tiền thuế?", "sang-ten"),
    ("plain", "chia dat thua ke cua bo me de lai", "thua-ke-dat"),
    ("vi", "Bố mẹ mất không để lại di chúc thì chia đất thế nào?", "thua-ke-dat"),
    ("plain", "tach thua dat cho con can dieu kien gi", "tach-thua"),
    ("typo", "dien tich toi thieu de tach sổ", "tach-thua"),
    ("plain", "bi mat so do thi lam lai the nao", "mat-so-do"),
    ("vi", "Sổ đỏ bị cháy thì xin cấp lại thế nào?", "mat-so-do"),
    ("plain", "chuyen dat ruong len tho cu", "chuyen-muc-dich"),
    ("vi", "Xây nhà trên đất ruộng có được không?", "chuyen-muc-dich"),
    ("plain", "hang xom lan dat thi lam don gui ai", "tranh-chap-dat"),
    ("region", "nhà bên cạnh lấn đất hông chịu trả", "tranh-chap-dat"),
    ("plain", "xay nha o nong thon co can xin giay phep khong", "giay-phep-xay-dung"),
    ("plain", "dat bi lay lam duong thi duoc den bu bao nhieu", "thu-hoi-boi-thuong"),
    # --- xã hội
    ("plain", "bo toi 80 tuoi co duoc luong gia khong", "tro-cap-nguoi-cao-tuoi"),
    ("vi", "Người cao tuổi được nhận trợ cấp hằng tháng khi nào?", "tro-cap-nguoi-cao-tuoi"),
    ("plain", "con bi tan tat bam sinh co duoc tro cap khong", "tro-cap-khuyet-tat"),
    ("typo", "xac dinh muc do khuyet tat o dau", "tro-cap-khuyet-tat"),
    ("plain", "nha toi kho khan muon xin vao ho ngheo", "ho-ngheo"),
    ("vi", "Hộ cận nghèo được hỗ trợ những gì?", "ho-ngheo"),
    (
        "plain",
        "xin giay xac nhan hoan canh kho khan de vay von di hoc",
        "xac-nhan-hoan-canh-kho-khan",
    ),
    ("vi", "Xin giấy xác nhận gia cảnh khó khăn để miễn học phí", "xac-nhan-hoan-canh-kho-khan"),
    ("plain", "nguoi huong tro cap mat thi co tien mai tang khong", "mai-tang-phi"),
    ("plain", "tre mo coi duoc ho tro gi", "tre-mo-coi"),
    ("plain", "vay von ngan hang chinh sach o dau", "vay-von-chinh-sach"),
    ("vi", "Con thương binh có được hưởng chế độ gì không?", "nguoi-co-cong"),
    # --- bảo hiểm
    ("plain", "con moi sinh co the bao hiem y te mien phi khong", "bhyt-tre-em"),
    ("region", "mua bhyt ho gia dinh bn tien", "bhyt-ho-gia-dinh"),
    ("vi", "Đóng bảo hiểm y tế cho cả nhà mất bao nhiêu tiền?", "bhyt-ho-gia-dinh"),
    ("plain", "ho ngheo co duoc cap the bao hiem y te khong", "bhyt-mien-phi"),
    ("plain", "dong bao hiem xa hoi tu nguyen de co luong huu", "bhxh-tu-nguyen"),
    # --- quân sự
    ("plain", "con trai 17 tuoi co phai dang ky nghia vu quan su", "dang-ky-nvqs"),
    ("region", "đk nvqs lần đầu ở đâu", "dang-ky-nvqs"),
    ("plain", "dang hoc dai hoc co phai di nghia vu khong", "hoan-nvqs"),
    ("vi", "Lao động duy nhất trong nhà có được hoãn đi bộ đội không?", "hoan-nvqs"),
    ("plain", "bao gio kham suc khoe nghia vu quan su", "kham-nvqs"),
    # --- chứng thực, chung
    ("plain", "photo cong chung giay to o xa mat bao nhieu tien", "chung-thuc-ban-sao"),
    ("vi", "Sao y bản chính bằng tốt nghiệp ở đâu?", "chung-thuc-ban-sao"),
    ("plain", "chung thuc chu ky giay uy quyen", "chung-thuc-chu-ky"),
    ("plain", "chung thuc hop dong chuyen nhuong dat o xa duoc khong", "chung-thuc-hop-dong"),
    ("plain", "uy ban xa may gio mo cua", "gio-lam-viec"),
    ("vi", "Thứ bảy xã có làm việc không?", "gio-lam-viec"),
    ("plain", "nop ho so online tren dich vu cong the nao", "dich-vu-cong-truc-tuyen"),
    ("plain", "muon gap chu tich xa thi den luc nao", "tiep-cong-dan"),
    ("plain", "lam don khieu nai gui dau", "khieu-nai-to-cao"),
    ("plain", "mo quan tap hoa co can giay phep kinh doanh khong", "ho-kinh-doanh"),
    # --- typing slips: transpositions, doubled or dropped letters, s/x and l/n swaps
    ("typo", "dnag ky ket hon o dau", "ket-hon"),
    ("typo", "giay khai sinnh bi mat xin lai", "trich-luc-khai-sinh"),
    ("typo", "tro cap nguoi khuyet tatt", "tro-cap-khuyet-tat"),
    ("typo", "bao hiem y te ho gia dinhh bao nhieu", "bhyt-ho-gia-dinh"),
    ("typo", "dang ky nghia vu quan xu lan dau", "dang-ky-nvqs"),
    ("typo", "chung thuc ban xao giay to", "chung-thuc-ban-sao"),
    ("typo", "nàm sổ đỏ lần đầu", "so-do-lan-dau"),
    ("typo", "khai bao tam vangg", "tam-vang"),
    ("typo", "xac nhan tinh trang hon nhn", "xac-nhan-tinh-trang-hon-nhan"),
    ("typo", "thu tuc chuyen nhuong dât", "sang-ten"),
]


# Questions about things the shipped FAQ does not cover, whose syllables it does:
# "họp dân" (the villagers' meeting) folds to "hop dan", as "hợp đồng" and "người
# dân" do. No entry may be offered for them: the citizen is offered the officers.
OFF_SUBJECT: list[tuple[str, str]] = [
    ("plain", "khi nao hop dan"),
    ("vi", "khi nào họp dân"),
    ("vi", "Khi nào thôn họp dân?"),
    ("plain", "lich hop thon thang nay"),
    ("plain", "bao gio hop to dan pho"),
    ("plain", "khi nao co dien lai"),
    ("vi", "mất điện bao giờ có lại"),
    ("plain", "duong lang bao gio lam xong"),
    ("vi", "Đường làng bao giờ làm xong?"),
    ("plain", "bao gio tiem phong cho tre"),
    ("plain", "nuoc sach bao gio co"),
    ("plain", "bao gio phat gao cuu tro"),
    ("plain", "khi nao thu phi ve sinh"),
    ("vi", "đóng tiền rác ở đâu"),
    ("vi", "Lễ hội làng năm nay tổ chức khi nào?"),
]
