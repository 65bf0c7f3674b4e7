# Writes builtin_scenarios_data.cpp: every resources/scenarios/*.json as a string, sorted by name.
# Included by engine/CMakeLists.txt at configure time; editing a scenario re-runs it.
function(chanscope_embed_scenarios out_file)
  file(GLOB files "${PROJECT_SOURCE_DIR}/resources/scenarios/*.json")
  list(SORT files)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${files})
  set(entries "")
  foreach(f IN LISTS files)
    get_filename_component(name "${f}" NAME_WE)
    file(READ "${f}" text)
    string(APPEND entries "        {\"${name}\", R\"CHANSCOPE_JSON(${text})CHANSCOPE_JSON\"},\n")
  endforeach()
  # Written aside and copied only if different, so that a re-configure does not force a rebuild.
  file(WRITE "${out_file}.new"
"// Generated from resources/scenarios/*.json by engine/scenario/embed_scenarios.cmake.
#include \"scenario/builtin_scenarios.h\"

namespace cs::scenario {

const std::vector<BuiltinScenario>& builtin_scenarios() {
    static const std::vector<BuiltinScenario> all = {
${entries}    };
    return all;
}

}  // namespace cs::scenario
")
  configure_file("${out_file}.new" "${out_file}" COPYONLY)
endfunction()
