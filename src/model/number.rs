//! Exact numbers as people read them: digits grouped by three, ratios
//! exact or, when a division did not terminate, to six places. One place
//! for it, so an amount reads the same in a reason, a report and an error.

use rust_decimal::Decimal;

/// Groups digits by three: 1234567 → 1,234,567.
pub(crate) fn group_digits(n: Decimal) -> String {
    // Whole numbers (every amount of yen) without going through a decimal's
    // text: this runs for every amount a decision shows.
    if n.scale() == 0 {
        return group_whole(n.mantissa());
    }
    if n.fract().is_zero()
        && let Ok(i) = i128::try_from(n)
    {
        return group_whole(i);
    }
    let n = n.normalize();
    let s = n.abs().to_string();
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if n.is_sign_negative() && !n.is_zero() {
        out.insert(0, '-');
    }
    out
}

fn group_whole(i: i128) -> String {
    let mut digits = [0u8; 40];
    let mut len = 0;
    // Dividing a u128 is a library call; every amount of yen fits a u64.
    let mut v = i.unsigned_abs();
    while v > u128::from(u64::MAX) {
        digits[len] = b'0' + (v % 10) as u8;
        len += 1;
        v /= 10;
    }
    let mut v = v as u64;
    loop {
        digits[len] = b'0' + (v % 10) as u8;
        len += 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let mut out = String::with_capacity(len + len / 3 + 1);
    if i < 0 {
        out.push('-');
    }
    for k in (0..len).rev() {
        out.push(digits[k] as char);
        if k > 0 && k % 3 == 0 {
            out.push(',');
        }
    }
    out
}

/// Decimal places a ratio that does not terminate is shown with.
pub(crate) const RATIO_PLACES: u32 = 6;

/// A ratio as a decimal string: exact when the division terminated (no
/// trailing zeros: `0.175`, `0.2`, `1`); a division that did not terminate
/// fills every digit a decimal holds, and is shown rounded to
/// [`RATIO_PLACES`] places (`0.333333`, `0.730000`). Decisions compare
/// exactly; this is for display only.
pub(crate) fn ratio(n: Decimal) -> String {
    let n = n.normalize();
    let full_precision = n.scale() >= 28 || n.mantissa().unsigned_abs() >= 10u128.pow(27);
    if full_precision && n.scale() > RATIO_PLACES {
        let r = n.round_dp(RATIO_PLACES);
        format!("{r:.prec$}", prec = RATIO_PLACES as usize)
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_grouped_by_three() {
        for (n, shown) in [
            (Decimal::from(0), "0"),
            (Decimal::from(999), "999"),
            (Decimal::from(1000), "1,000"),
            (Decimal::from(-1_234_567), "-1,234,567"),
            (Decimal::from(u64::MAX), "18,446,744,073,709,551,615"),
            (Decimal::from(u128::from(u64::MAX) + 1), "18,446,744,073,709,551,616"),
            (Decimal::MAX, "79,228,162,514,264,337,593,543,950,335"),
            (Decimal::MIN, "-79,228,162,514,264,337,593,543,950,335"),
            (Decimal::new(12345, 1), "1,234.5"),
            (Decimal::new(-5, 1), "-0.5"),
            (Decimal::new(12000, 3), "12"),
        ] {
            assert_eq!(group_digits(n), shown, "{n}");
        }
    }

    #[test]
    fn ratios_exact_or_to_six_places() {
        let third = Decimal::ONE / Decimal::from(3);
        let ratio_of = |a: i64, b: i64| ratio(Decimal::from(a) / Decimal::from(b));
        assert_eq!(ratio_of(700_000, 4_000_000), "0.175");
        assert_eq!(ratio(Decimal::new(2000, 4)), "0.2");
        assert_eq!(ratio(Decimal::from(1)), "1");
        assert_eq!(ratio(third), "0.333333");
        assert_eq!(ratio_of(73, 100), "0.73");
        assert_eq!(ratio(Decimal::from(73) * third / Decimal::from(33)), "0.737374");
    }
}
