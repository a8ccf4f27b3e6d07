#pragma once
// Core-internal: fp16 autocast on CUDA, as the paper's pipeline runs (mixed-precision training, fp16
// sampling); a no-op on CPU. Scopes nest: an inner one leaves autocast as the outer one set it. Hold one for a
// whole loop where you can: leaving the outermost clears the cache of fp16 copies of trainable weights.

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace redifine {

class CudaAutocast
{
public:
    explicit CudaAutocast(bool enabled) : m_enabled(enabled), m_wasEnabled(isEnabled())
    {
        if (m_enabled && !m_wasEnabled)
            set(true);
    }
    ~CudaAutocast()
    {
        if (m_enabled && !m_wasEnabled) {
            set(false);
            at::autocast::clear_cache();
        }
    }
    CudaAutocast(const CudaAutocast &) = delete;
    CudaAutocast &operator=(const CudaAutocast &) = delete;

    static bool isEnabled()
    {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
        return at::autocast::is_autocast_enabled(at::kCUDA);
#else
        return at::autocast::is_enabled();
#endif
    }

private:
    static void set(bool on)
    {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
        at::autocast::set_autocast_enabled(at::kCUDA, on);
#else
        at::autocast::set_enabled(on);
#endif
    }
    bool m_enabled;
    bool m_wasEnabled;
};

} // namespace redifine
