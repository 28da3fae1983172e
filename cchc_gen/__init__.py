"""cchc_gen: Vietnamese administrative reform reports (BÁO CÁO CCHC) laid out per Nghị định 30/2020/NĐ-CP."""
