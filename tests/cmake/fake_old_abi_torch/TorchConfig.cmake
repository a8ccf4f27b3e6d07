# Stand-in for a LibTorch built with -D_GLIBCXX_USE_CXX11_ABI=0 (the "pre-cxx11 ABI" download).
set(Torch_FOUND TRUE)
set(TORCH_CXX_FLAGS "-D_GLIBCXX_USE_CXX11_ABI=0")
set(TORCH_LIBRARIES torch)
set(Torch_VERSION 2.1.0)
