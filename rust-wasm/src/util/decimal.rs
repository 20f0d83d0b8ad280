//! Decimal numbers into strings without `core::fmt`, for per-message paths (TM2a ids).

/// Appends `n` in decimal.
pub(crate) fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

/// `n` in decimal.
pub(crate) fn decimal(n: u64) -> String {
    let mut s = String::new();
    push_decimal(&mut s, n);
    s
}

/// `<parent>:<index>`: the id of a frame's `index`-th message (TM2a, TP3a) or of a REST
/// publish's (RSL1k1).
pub(crate) fn child_id(parent: &str, index: usize) -> String {
    let mut id = String::with_capacity(parent.len() + 4);
    id.push_str(parent);
    id.push(':');
    push_decimal(&mut id, index as u64);
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_and_child_ids() {
        for n in [0u64, 7, 10, 99, 1234567890, u64::MAX] {
            let mut s = String::new();
            push_decimal(&mut s, n);
            assert_eq!(s, n.to_string());
        }
        assert_eq!(child_id("abc:1", 12), "abc:1:12");
    }
}
