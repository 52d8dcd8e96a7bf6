# Warnings for the project's own targets only: nothing here leaks into a
# parent project through target properties or global flags.
function(stytch_set_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4)
    if(STYTCH_WERROR)
      target_compile_options(${target} PRIVATE /WX)
    endif()
  else()
    target_compile_options(${target} PRIVATE
      -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
      -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
    if(STYTCH_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()
