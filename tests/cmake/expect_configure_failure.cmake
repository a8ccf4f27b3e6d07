# Configures the project against FAKE_TORCH_DIR and passes only if configuring fails with the ABI message.
file(REMOVE_RECURSE "${WORK_DIR}")
execute_process(
  COMMAND ${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${WORK_DIR}" -DTorch_DIR=${FAKE_TORCH_DIR}
          -DREDIFINE_BUILD_TESTS=OFF
  RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(REMOVE_RECURSE "${WORK_DIR}")
if(result EQUAL 0)
  message(FATAL_ERROR "configure succeeded against an old-ABI LibTorch; it must fail")
endif()
if(NOT err MATCHES "pre-C\\+\\+11 ABI")
  message(FATAL_ERROR "configure failed without the ABI explanation:\n${err}")
endif()
message(STATUS "refused as expected")
