//! Staff PINs: stored only as a slow salted hash (Argon2id), never in clear, never logged.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// A PIN is 4 to 12 digits: typed on a kiosk keyboard, remembered by a clerk.
pub fn check_format(pin: &str) -> Result<(), String> {
    if (4..=12).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err("a PIN is 4 to 12 digits".to_string())
    }
}

pub fn hash(pin: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("PIN hash: {e}"))
}

pub fn matches(pin: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(pin.as_bytes(), &h)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ_by_salt() {
        let a = hash("123456").expect("hash");
        let b = hash("123456").expect("hash");
        assert_ne!(a, b, "salted");
        assert!(a.starts_with("$argon2id$"));
        assert!(matches("123456", &a) && matches("123456", &b));
        assert!(!matches("123457", &a));
        assert!(!matches("123456", "not a hash"));
        assert!(
            check_format("0042").is_ok()
                && check_format("12a4").is_err()
                && check_format("123").is_err()
        );
    }
}
