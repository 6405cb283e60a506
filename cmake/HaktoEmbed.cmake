# hakto_embed(<target> NAMESPACE <ns> SYMBOL <symbol> FILES <files…>): compiles the files' text into
# <target> as `const hakto::embedded_file <symbol>[]` (see sim/io/embedded.hpp).
function(hakto_embed target)
  cmake_parse_arguments(E "" "NAMESPACE;SYMBOL" "FILES" ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${E_SYMBOL}.cpp)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${out} -DNAMESPACE=${E_NAMESPACE} -DSYMBOL=${E_SYMBOL}
            "-DFILES=${E_FILES}" -P ${PROJECT_SOURCE_DIR}/cmake/EmbedText.cmake
    DEPENDS ${E_FILES} ${PROJECT_SOURCE_DIR}/cmake/EmbedText.cmake
    COMMENT "Embedding ${E_SYMBOL}"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
