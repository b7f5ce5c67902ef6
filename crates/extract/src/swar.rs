//! Eight bytes at a time in a `u64` ("SIMD within a register"): the word and token scans look
//! for the first byte of a class without a per-byte loop. Buffers read this way are padded.

/// Eight bytes at `i` (the caller pads the buffer).
#[inline(always)]
pub(crate) fn load(b: &[u8], i: usize) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(x)
}

const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of every zero byte of `x` (exact, no false positives).
#[inline(always)]
pub(crate) fn zero_bits(x: u64) -> u64 {
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// The high bit of every non-zero byte of `x`.
#[inline(always)]
pub(crate) fn nonzero_bits(x: u64) -> u64 {
    zero_bits(x) ^ HIGH
}

/// The high bit of every space byte of `x`.
#[inline(always)]
pub(crate) fn space_bits(x: u64) -> u64 {
    zero_bits(x ^ 0x2020_2020_2020_2020)
}

/// Index of the byte that holds the lowest set high bit of `bits` (non-zero).
#[inline(always)]
pub(crate) fn first_byte(bits: u64) -> usize {
    (bits.trailing_zeros() / 8) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_classes() {
        let x = u64::from_le_bytes([b'a', 0, b' ', 0x80, 0xA0, 1, b' ', 0xFF]);
        assert_eq!(zero_bits(x), 0x0000_0000_0000_8000);
        assert_eq!(space_bits(x), 0x0080_0000_0080_0000);
        assert_eq!(nonzero_bits(x), HIGH ^ 0x0000_0000_0000_8000);
        assert_eq!(first_byte(space_bits(x)), 2);
    }
}
