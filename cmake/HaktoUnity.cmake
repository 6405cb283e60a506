# Unity builds for the parts that use Boost.Asio and Boost.Beast and for the test runners: their
# files compile four at a time as one, so the heavy headers (Asio, Beast, Catch2) are read and
# their templates instantiated once a batch. Measured on a 2-core machine, the Asio/Beast parts
# with their test runners from clean: 191 s one file at a time, 149 s in batches of four
# (precompiled headers were tried: 210 s). A name in one file's anonymous namespace must not
# stand in another file of the same target (shared test helpers live in tests/support).
# hakto_unity(<target>); -DHAKTO_UNITY=OFF compiles one file at a time.
option(HAKTO_UNITY "Compile the Asio and Beast parts in unity batches" ON)

function(hakto_unity target)
  if(HAKTO_UNITY)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 4)
    # GCC warns of a type of one file's anonymous namespace used in a class of another file of
    # the batch, as it would in a header; in a unity batch that is each file's own business.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      target_compile_options(${target} PRIVATE -Wno-subobject-linkage)
    endif()
  endif()
endfunction()
