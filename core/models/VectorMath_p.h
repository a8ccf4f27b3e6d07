#pragma once
// Core-internal: branch-free float functions that element loops can vectorise (libm's calls would stop them).
// A file using them is compiled with -fno-trapping-math (core/CMakeLists.txt): the clamps' comparisons may
// then become vector selects.

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace redifine {

// e^x to about 1 ulp for x in [-87, 88] (clamped there): 2^n e^r with |r| <= ln2/2 and Cephes' expf
// polynomial for e^r.
inline float vectorExp(float x)
{
    x = std::min(88.0f, std::max(-87.0f, x));
    // n = x log2(e) rounded to the nearest integer, by adding 1.5 * 2^23: the sum's low mantissa bits hold n.
    constexpr float kShift = 12582912.0f;
    const float shifted = x * 1.44269504088896341f + kShift;
    const float fn = shifted - kShift;
    int32_t shiftedBits;
    std::memcpy(&shiftedBits, &shifted, sizeof shiftedBits);
    const int32_t n = shiftedBits - 0x4B400000;
    const float r = (x - fn * 0.693359375f) - fn * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    const float er = p * (r * r) + r + 1.0f;
    const int32_t bits = (n + 127) << 23;
    float twoToN;
    std::memcpy(&twoToN, &bits, sizeof twoToN);
    return er * twoToN;
}

inline float vectorSigmoid(float z)
{
    return 1.0f / (1.0f + vectorExp(-z));
}

// erf(x) from e^{-x^2}, given as `expMinusSquare` (callers often have it already), within 1.5e-7 absolute
// (Abramowitz and Stegun 7.1.26).
inline float vectorErf(float x, float expMinusSquare)
{
    const float ax = x < 0.0f ? -x : x;
    const float t = 1.0f / (1.0f + 0.3275911f * ax);
    const float poly = ((((1.061405429f * t - 1.453152027f) * t + 1.421413741f) * t - 0.284496736f) * t + 0.254829592f) * t;
    const float y = 1.0f - poly * expMinusSquare;
    return x < 0.0f ? -y : y;
}

} // namespace redifine
