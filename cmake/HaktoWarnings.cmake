# Warning flags shared by every hakto target.
add_library(hakto_warnings INTERFACE)
target_compile_options(hakto_warnings INTERFACE -Wall -Wextra -Wpedantic)
if(HAKTO_WERROR)
  target_compile_options(hakto_warnings INTERFACE -Werror)
endif()
# In a unity batch (cmake/HaktoUnity.cmake) GCC takes a type of one file's anonymous namespace,
# used in a class of another file of the batch, for one a header leaks; it is each file's own.
if(HAKTO_UNITY AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(hakto_warnings INTERFACE -Wno-subobject-linkage)
endif()
