# redifine_check_torch_abi(flags): fails the configure step when LibTorch was built with the old C++ ABI.
function(redifine_check_torch_abi torch_cxx_flags)
  if("${torch_cxx_flags}" MATCHES "_GLIBCXX_USE_CXX11_ABI=0")
    message(FATAL_ERROR
      "LibTorch was built with the pre-C++11 ABI (_GLIBCXX_USE_CXX11_ABI=0, from TORCH_CXX_FLAGS "
      "\"${torch_cxx_flags}\"). Qt 6 and every Debian library use the C++11 ABI, so the two cannot be "
      "linked together. Use the \"cxx11 ABI\" LibTorch download (libtorch-cxx11-abi-shared-with-deps-*.zip) "
      "or Debian's libtorch-dev.")
  endif()
endfunction()
