# Unity builds for the parts that use Boost.Asio and Boost.Beast: their files compile four at a
# time as one, so the heavy headers are read and their templates instantiated once a batch.
# Measured on a 2-core machine, the Asio/Beast parts with their test runners from clean: 191 s
# one file at a time, 149 s in batches of four (precompiled headers were tried: 210 s).
# hakto_unity(<target>); -DHAKTO_UNITY=OFF compiles one file at a time.
option(HAKTO_UNITY "Compile the Asio and Beast parts in unity batches" ON)

function(hakto_unity target)
  if(HAKTO_UNITY)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 4)
  endif()
endfunction()
