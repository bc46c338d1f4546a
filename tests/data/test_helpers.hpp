// Shared bits of the data tests: fixture paths and scratch folders.
#pragma once

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <string>

inline std::filesystem::path fixture(const std::string& rel) {
    return std::filesystem::path(CONVSCOPE_TEST_DATA_DIR) / "fixtures" / rel;
}
inline std::filesystem::path sample(const std::string& name) {
    return std::filesystem::path(CONVSCOPE_RESOURCES_DIR) / "samples" / name;
}
inline bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

#define CHECK_CONTAINS(hay, needle)                                                                     \
    QVERIFY2(contains((hay), (needle)), ("expected \"" + std::string(needle) + "\" in: " + std::string(hay)).c_str())
