# LibTorch: Debian's libtorch-dev by default, or an official LibTorch (CPU or CUDA) given with
# -DCMAKE_PREFIX_PATH=/path/to/libtorch. Torch is linked PRIVATE to redifine_core only.
find_package(Torch REQUIRED)

# A LibTorch built with the pre-C++11 std::string ABI links but crashes or fails to link against Qt and
# the rest of Debian, all built with the new ABI. Refuse it here, where the reason can still be said.
include(RedifineTorchAbi)
redifine_check_torch_abi("${TORCH_CXX_FLAGS}")

# CUDA: LibTorch's config sets CAFFE2_USE_CUDA (or lists torch_cuda) when it was built with CUDA.
set(REDIFINE_TORCH_HAS_CUDA OFF)
if(CAFFE2_USE_CUDA OR TARGET torch_cuda OR "${TORCH_LIBRARIES}" MATCHES "torch_cuda")
  set(REDIFINE_TORCH_HAS_CUDA ON)
endif()
message(STATUS "ReDiFine: LibTorch ${Torch_VERSION} at ${Torch_DIR}, CUDA: ${REDIFINE_TORCH_HAS_CUDA}")
