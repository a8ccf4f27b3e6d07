# Debian's LibTorch finds BLAS through libblas.so.3, which the system points at OpenBLAS's pthread build.
# That build keeps its own thread pool next to LibTorch's OpenMP pool; on small matrices the two fight
# for the cores, and a tiny-family training step is about 2x slower than with OpenBLAS's OpenMP build,
# which shares LibTorch's pool (measured with `redifine bench`: 0.52 s against 0.26 s per step at batch 32
# on 2 cores). So executables built here search OpenBLAS's OpenMP directory first, through an RPATH that
# also applies to LibTorch's own dependencies (DT_RPATH, hence --disable-new-dtags). Without that package
# they fall back to the system's libblas.so.3.
set(REDIFINE_OPENMP_BLAS_DIR "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-openmp")
if(EXISTS "${REDIFINE_OPENMP_BLAS_DIR}/libblas.so.3")
  add_link_options("LINKER:--disable-new-dtags" "LINKER:-rpath,${REDIFINE_OPENMP_BLAS_DIR}")
  message(STATUS "ReDiFine: executables prefer the OpenMP OpenBLAS in ${REDIFINE_OPENMP_BLAS_DIR}")
endif()
