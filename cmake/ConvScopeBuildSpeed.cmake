# Build speed for every target in the tree, without per-target work: call
# convscope_speed_up_build() once at the end of the top-level CMakeLists.txt and
# each library, program and test that exists by then (in any folder, including
# ones added later) gets
#   - a precompiled header: nlohmann/json and a few standard headers for engine
#     code, plus core Qt (and QWidget) headers for targets that link Qt.
#     Small holder targets compile each header set once; every other target
#     reuses one (REUSE_FROM), chosen by what it links, so a one-file test pays
#     nothing to build it.
#   - a unity build (CONVSCOPE_UNITY) for the libraries listed in
#     CONVSCOPE_UNITY_LIBRARIES below, whose many files share heavy headers.
#     Unity builds are opt-in per library, unlike the precompiled header: two
#     file-local names that are alike in two files of one library collide in a
#     unity batch, so a library joins the list once its files were built that way.
#     Programs and tests are one to three files each and gain nothing.
# A target opts out with set_target_properties(t PROPERTIES CONVSCOPE_NO_PCH ON)
# or CONVSCOPE_NO_UNITY ON; a source file with SKIP_UNITY_BUILD_INCLUSION ON.
# docs/PERFORMANCE.md ("Build time") has the profile this answers.

option(CONVSCOPE_PCH "Precompiled headers (Qt, nlohmann/json, std)" ON)
option(CONVSCOPE_UNITY "Unity builds for the libraries in CONVSCOPE_UNITY_LIBRARIES" ON)
set(CONVSCOPE_UNITY_LIBRARIES convscope_tensor convscope_kernels convscope_data convscope_layers convscope_explain
    convscope_diagnosis convscope_interop convscope_forward convscope_gui)

# Kept short on purpose: with -g a precompiled header is big (the engine set is
# about 115 MB, the widgets set 200 MB) and every file that uses it pays for loading it.
set(_convscope_pch_engine <algorithm> <optional> <span> <string> <vector> <nlohmann/json.hpp>)
set(_convscope_pch_qt <QObject> <QString> <QStringList> <QList> <QVariant>)
set(_convscope_pch_widgets <QWidget>)
# Not <QTest>: it reads QT_TESTCASE_BUILDDIR, which Qt sets to each test's own build
# folder, so GCC would refuse one shared header in every test but one.

# True in ${out} when ${target} links ${wanted} directly or through its libraries.
function(_convscope_links target wanted out)
  set(seen "")
  set(todo ${target})
  while(todo)
    list(POP_FRONT todo t)
    if(t IN_LIST seen OR NOT TARGET ${t})
      continue()
    endif()
    list(APPEND seen ${t})
    if(t STREQUAL wanted)
      set(${out} TRUE PARENT_SCOPE)
      return()
    endif()
    get_target_property(aliased ${t} ALIASED_TARGET)
    if(aliased)
      list(APPEND todo ${aliased})
    endif()
    get_target_property(type ${t} TYPE)
    get_target_property(imported ${t} IMPORTED)
    set(props INTERFACE_LINK_LIBRARIES)
    if(NOT type STREQUAL "INTERFACE_LIBRARY" AND NOT imported)
      list(APPEND props LINK_LIBRARIES)
    endif()
    foreach(p ${props})
      get_target_property(libs ${t} ${p})
      if(libs)
        foreach(l ${libs})
          # Generator expressions ($<LINK_ONLY:x>) name a target inside.
          string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" l "${l}")
          if(NOT l MATCHES "^\\$<" AND NOT l MATCHES "::@")
            list(APPEND todo ${l})
          endif()
        endforeach()
      endif()
    endforeach()
  endwhile()
  set(${out} FALSE PARENT_SCOPE)
endfunction()

function(_convscope_targets_in dir out)
  get_property(found DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub ${subdirs})
    _convscope_targets_in(${sub} more)
    list(APPEND found ${more})
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

function(_convscope_pch_holder name libs headers)
  add_library(convscope_pch_${name} STATIC ${PROJECT_BINARY_DIR}/pch/empty.cpp)
  target_link_libraries(convscope_pch_${name} PRIVATE ${libs})
  target_precompile_headers(convscope_pch_${name} PRIVATE ${headers})
endfunction()

function(convscope_speed_up_build)
  if(CONVSCOPE_FUZZ)
    # clang refuses a precompiled header built with other -fsanitize flags, and
    # the fuzz build is a handful of files: leave it as it is.
    return()
  endif()
  _convscope_targets_in(${PROJECT_SOURCE_DIR} targets)
  file(CONFIGURE OUTPUT ${PROJECT_BINARY_DIR}/pch/empty.cpp
       CONTENT "// Holds a precompiled header for other targets to reuse.\n")

  # One holder per header set; a target reuses the one whose libraries it links
  # (the holder's headers must be on the target's include path).
  if(CONVSCOPE_PCH)
    _convscope_pch_holder(engine "nlohmann_json::nlohmann_json" "${_convscope_pch_engine}")
    if(TARGET Qt6::Widgets)
      _convscope_pch_holder(qt "nlohmann_json::nlohmann_json;Qt6::Core"
                            "${_convscope_pch_engine};${_convscope_pch_qt}")
      _convscope_pch_holder(widgets "nlohmann_json::nlohmann_json;Qt6::Widgets"
                            "${_convscope_pch_engine};${_convscope_pch_qt};${_convscope_pch_widgets}")
    endif()
  endif()

  foreach(t ${targets})
    get_target_property(type ${t} TYPE)
    if(NOT type MATCHES "^(STATIC_LIBRARY|EXECUTABLE|SHARED_LIBRARY|OBJECT_LIBRARY)$")
      continue()
    endif()
    get_target_property(no_pch ${t} CONVSCOPE_NO_PCH)
    get_target_property(own_pch ${t} PRECOMPILE_HEADERS)
    if(CONVSCOPE_PCH AND NOT no_pch AND NOT own_pch)
      _convscope_links(${t} Qt6::Widgets uses_widgets)
      _convscope_links(${t} Qt6::Core uses_qt)
      _convscope_links(${t} nlohmann_json::nlohmann_json uses_json)
      set(holder "")
      if(uses_widgets)
        set(holder widgets)
      elseif(uses_qt)
        set(holder qt)
      elseif(uses_json)
        set(holder engine)
      endif()
      if(holder AND TARGET convscope_pch_${holder} AND NOT t STREQUAL "convscope_pch_${holder}")
        target_precompile_headers(${t} REUSE_FROM convscope_pch_${holder})
      endif()
    endif()
    get_target_property(no_unity ${t} CONVSCOPE_NO_UNITY)
    if(CONVSCOPE_UNITY AND NOT no_unity AND t IN_LIST CONVSCOPE_UNITY_LIBRARIES)
      set_target_properties(${t} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
    endif()
  endforeach()
endfunction()
