#pragma once
// Core-internal: fp16 autocast on CUDA, as the paper's pipeline runs (mixed-precision training, fp16
// sampling); a no-op on CPU. Hold one for a whole loop: leaving it clears the cache of fp16 weight copies.

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace redifine {

class CudaAutocast
{
public:
    explicit CudaAutocast(bool enabled) : m_enabled(enabled) { set(enabled); }
    ~CudaAutocast()
    {
        if (m_enabled) {
            set(false);
            at::autocast::clear_cache();
        }
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
};

} // namespace redifine
