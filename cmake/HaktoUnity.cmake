# Unity builds: the files of each target compile four at a time as one, so the heavy headers
# (Asio, Beast, Catch2, the standard library's) are read and their templates instantiated once a
# batch. Measured on a 2-core machine (docs/architecture.md, "Building"). A name in one file's
# anonymous namespace must therefore not stand in another file of the same target: helpers
# shared by several files belong in a header (protocol/text/text_util.hpp, tests/support/).
# -DHAKTO_UNITY=OFF compiles one file at a time.
option(HAKTO_UNITY "Compile each target's files in unity batches of four" ON)
if(HAKTO_UNITY)
  set(CMAKE_UNITY_BUILD ON)
  set(CMAKE_UNITY_BUILD_BATCH_SIZE 4)
endif()
