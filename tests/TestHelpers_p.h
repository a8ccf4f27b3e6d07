#pragma once
// Test-only helpers for comparing LibTorch tensors with golden values.

#include <ATen/ATen.h>

#include <QTest>

namespace redifine::test {

// Largest |a - b| / (1 + |b|): the golden README's tolerance form for sampler steps.
inline double maxScaledError(const at::Tensor &actual, const at::Tensor &expected)
{
    const at::Tensor a = actual.to(at::kDouble);
    const at::Tensor b = expected.to(at::kDouble);
    return ((a - b).abs() / (b.abs() + 1.0)).max().item<double>();
}

// Largest |a - b| / max(|b|, floor): relative error that tolerates exact zeros in the expected values.
inline double maxRelativeError(const at::Tensor &actual, const at::Tensor &expected, double floor = 1e-12)
{
    const at::Tensor a = actual.to(at::kDouble);
    const at::Tensor b = expected.to(at::kDouble);
    return ((a - b).abs() / b.abs().clamp_min(floor)).max().item<double>();
}

inline at::Tensor fromVector(const std::vector<double> &values)
{
    return at::tensor(at::ArrayRef<double>(values), at::kDouble);
}

} // namespace redifine::test

#define REDIFINE_GOLDEN(name) QStringLiteral(REDIFINE_TEST_DATA_DIR "/golden/" name)
