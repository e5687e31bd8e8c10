//! Masking of personal data for lists, paper and logs (§8).

use super::codes::IdType;

/// Keeps the first character and `·`, masks every other character (§8 v2.1): 张三 → 张*,
/// 欧阳娜娜 → 欧***, 买买提·艾力·吐尔逊 → 买**·**·***.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    std::iter::once(first)
        .chain(chars.map(|c| if c == '·' { '·' } else { '*' }))
        .collect()
}

/// Resident IDs and residence permits keep the first 4 and last 4 characters; passes and passports
/// the first 2 and last 2.
pub fn mask_id(id_type: IdType, number: &str) -> String {
    let keep = match id_type {
        IdType::ResidentId | IdType::ResidencePermit => 4,
        IdType::HkmoPass | IdType::TwPass | IdType::Passport => 2,
    };
    keep_ends(number.trim(), keep, keep)
}

/// Mobile numbers keep the first 3 and last 4 (`138****5678`); other numbers keep as many ends as
/// leave at least half masked.
pub fn mask_phone(phone: &str) -> String {
    let p = phone.trim();
    let n = p.chars().count();
    if n == 11 && p.starts_with('1') {
        keep_ends(p, 3, 4)
    } else {
        let keep = n / 4;
        keep_ends(p, keep, keep)
    }
}

fn keep_ends(s: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    if n <= head + tail {
        // Too short to show any part safely.
        return "*".repeat(n);
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < head || i >= n - tail { *c } else { '*' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_as_the_reference_shows() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_name("欧阳锋"), "欧**");
        assert_eq!(mask_name("买买提·艾力"), "买**·**");
        assert_eq!(mask_name("买买提·艾力·吐尔逊"), "买**·**·***");
        assert_eq!(
            mask_id(IdType::ResidentId, "41010519900307158X"),
            "4101**********158X"
        );
        assert_eq!(mask_id(IdType::Passport, "E12345678"), "E1*****78");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("0371-12345678"), "037*******678");
        assert_eq!(mask_phone("123"), "***");
    }
}
