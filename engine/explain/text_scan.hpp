// Pasted text made scannable: whitespace collapsed so wrapped messages read as
// one line, and a cursor that matches message wording without backtracking.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tensor/shape.hpp"

namespace convscope::explain {

class FlatText {
public:
    explicit FlatText(std::string_view raw);
    // Every run of whitespace (and box-drawing frame characters, pytest's "E   "
    // line prefix) is one space, ANSI colour codes are dropped; lower() is the
    // same text in lower case.
    const std::string& text() const { return flat_; }
    const std::string& lower() const { return lower_; }
    int64_t line_at(size_t pos) const;  // 1-based line of the raw text
private:
    std::string flat_, lower_;
    std::vector<size_t> line_starts_;  // flat offset where each raw line begins
};

// Reads forward through a FlatText. Every method either consumes what it
// matched and returns success, or leaves the position as it was.
class Cursor {
public:
    Cursor(const FlatText& t, size_t pos) : t_(&t), pos_(pos) {}
    size_t pos() const { return pos_; }

    // Case-insensitive; whitespace in the text and in `s` is ignored, so a
    // message wrapped anywhere still matches.
    bool lit(std::string_view s);
    // Skips at most `max_chars` to the next occurrence of `s` and consumes it.
    bool skip_past(std::string_view s, size_t max_chars);
    std::optional<int64_t> integer();
    // "[32, 100, 5]", "(None, 100, 5)", "(1500,)", "[?,1,4,5]", "[*, 16]", "TensorShape([32, 5])";
    // None, ?, * read as kAnyDim. At most 16 dims of at most 19 digits.
    std::optional<Shape> shape();
    // "32x1600" or "8x1x2".
    std::optional<Shape> x_dims();
    // A quoted 'name' or "name", or a bare identifier (letters, digits, _ . / -).
    std::optional<std::string> name();
    // The rest of the sentence (up to ". " or end, at most max_chars), trimmed.
    std::string sentence(size_t max_chars = 200);

private:
    void skip_space();
    const FlatText* t_;
    size_t pos_;
};

// Every offset where `anchor` (lower case, single spaces) starts.
std::vector<size_t> find_all(const FlatText& t, std::string_view anchor, size_t limit = 4096);
// The name after the last "marker" in the `window` characters before `pos`, e.g.
// the layer in `Input 0 of layer "conv1d" is incompatible`.
std::optional<std::string> name_before(const FlatText& t, size_t pos, std::string_view marker, size_t window = 240);

}  // namespace convscope::explain
