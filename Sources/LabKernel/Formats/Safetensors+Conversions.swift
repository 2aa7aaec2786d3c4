// Safetensors+Conversions: 16-bit floats to Float and back, bit by bit.
//
// Checkpoints are often stored in float16 (IEEE half: 1 sign bit, 5 exponent bits, 10 fraction
// bits) or bfloat16 (the top 16 bits of a float32: 1 sign, 8 exponent, 7 fraction). Every 16-bit
// value is exactly a Float, so reading is exact, including subnormals, infinities and NaN
// payloads. Writing rounds to nearest, ties to even, as numpy and PyTorch do: values too large
// become infinity, values too small become (signed) zero or a subnormal. Written here from the bit
// layouts rather than with `Float16`, which Swift does not offer on every platform (x86-64 macOS).
// Left out: the 8-bit float formats (F8_E4M3, F8_E5M2), which the kit does not load.

/// The Float value of IEEE half-precision bits.
@inlinable
public func floatFromHalfBits(_ bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = UInt32(bits >> 10) & 0x1F
    let fraction = UInt32(bits & 0x3FF)
    switch exponent {
    case 0x1F:
        // Infinity (fraction 0) or NaN, keeping the payload in the fraction's top bits.
        return Float(bitPattern: sign | 0x7F80_0000 | fraction << 13)
    case 0:
        // Zero or subnormal: fraction × 2⁻²⁴, exact in Float (fewer than 24 significant bits).
        let magnitude = Float(fraction) * 0x1p-24
        return sign == 0 ? magnitude : -magnitude
    default:
        // Normal: rebias the exponent from 15 to 127 and widen the fraction.
        return Float(bitPattern: sign | (exponent + 112) << 23 | fraction << 13)
    }
}

/// The Float value of bfloat16 bits (the upper half of a float32).
@inlinable
public func floatFromBFloat16Bits(_ bits: UInt16) -> Float {
    Float(bitPattern: UInt32(bits) << 16)
}

/// `value` rounded to the nearest half-precision value (ties to even), as bits. NaN stays a
/// (quiet) NaN; magnitudes of 65520 and more become infinity.
public func halfBits(from value: Float) -> UInt16 {
    let bits = value.bitPattern
    let sign = UInt16((bits >> 16) & 0x8000)
    let exponent = Int((bits >> 23) & 0xFF)
    let fraction = bits & 0x7F_FFFF
    if exponent == 0xFF {
        return sign | 0x7C00 | (fraction == 0 ? 0 : 0x200 | UInt16(fraction >> 13))
    }
    let halfExponent = exponent - 127 + 15
    if halfExponent >= 0x1F { return sign | 0x7C00 }
    if halfExponent <= 0 {
        // Subnormal in half precision: shift the full 24-bit significand right and round.
        // Below 2⁻²⁵ (halfExponent < -10) everything rounds to zero, including Float subnormals.
        if halfExponent < -10 { return sign }
        let significand = fraction | 0x80_0000
        let shift = UInt32(14 - halfExponent)
        return sign | UInt16(roundShiftedRight(significand, by: shift))
    }
    // Normal: keep 10 fraction bits; a carry out of the fraction correctly bumps the exponent
    // (and turns the largest values into infinity, 0x7C00).
    let truncated = UInt32(halfExponent) << 10 | fraction >> 13
    return sign | UInt16(truncated + roundingIncrement(fraction, droppedBits: 13, kept: truncated))
}

/// `value` rounded to the nearest bfloat16 (ties to even), as bits. NaN stays a quiet NaN.
public func bfloat16Bits(from value: Float) -> UInt16 {
    let bits = value.bitPattern
    if value.isNaN { return UInt16(bits >> 16) | 0x40 }
    let kept = bits >> 16
    return UInt16((kept + roundingIncrement(bits, droppedBits: 16, kept: kept)) & 0xFFFF)
}

/// 1 when the `droppedBits` low bits of `bits` round the kept value up (more than half, or
/// exactly half with an odd kept value), else 0.
@usableFromInline
func roundingIncrement(_ bits: UInt32, droppedBits: UInt32, kept: UInt32) -> UInt32 {
    let remainder = bits & ((1 << droppedBits) - 1)
    let half: UInt32 = 1 << (droppedBits - 1)
    return remainder > half || (remainder == half && kept & 1 == 1) ? 1 : 0
}

/// `bits >> shift`, rounded to nearest with ties to even.
func roundShiftedRight(_ bits: UInt32, by shift: UInt32) -> UInt32 {
    let kept = bits >> shift
    return kept + roundingIncrement(bits, droppedBits: shift, kept: kept)
}
