# redifine_set_warnings(target): the project's warning set, fatal when REDIFINE_WARNINGS_AS_ERRORS is on.
function(redifine_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
  if(REDIFINE_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
