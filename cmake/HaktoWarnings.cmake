# Warning flags shared by every hakto target.
add_library(hakto_warnings INTERFACE)
target_compile_options(hakto_warnings INTERFACE -Wall -Wextra -Wpedantic)
if(HAKTO_WERROR)
  target_compile_options(hakto_warnings INTERFACE -Werror)
endif()
