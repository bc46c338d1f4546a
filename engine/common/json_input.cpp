#include "common/json_input.hpp"

namespace convscope {

std::string line_and_column(std::string_view text, size_t byte) {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

namespace {

// The offset of the first bracket that opens level kMaxJsonDepth + 1, or npos.
// Brackets inside strings do not count; malformed text is left to the parser.
size_t first_too_deep(std::string_view text) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxJsonDepth) return i;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return std::string_view::npos;
}

}  // namespace

Result<nlohmann::json> parse_json_text(std::string_view text, std::string_view source) {
    // Checked before parsing: nlohmann's parser is iterative, but printing or
    // comparing the value it builds recurses once per level.
    if (const size_t at = first_too_deep(text); at != std::string_view::npos)
        return make_error(std::string(source) + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                          " levels at " + line_and_column(text, at) + " (the limit on nested lists and objects)");
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        // e.what() repeats the byte offset in nlohmann's words; keep only its reason,
        // itself cut short (it quotes the offending token, which may be huge).
        std::string why = e.what();
        if (auto pos = why.find(": syntax error"); pos != std::string::npos) why = why.substr(pos + 2);
        if (why.size() > 4 * kMaxExcerptChars) why = why.substr(0, 4 * kMaxExcerptChars) + "...";
        return make_error(std::string(source) + ": not valid JSON at " +
                          line_and_column(text, e.byte > 0 ? e.byte - 1 : 0) + ": " + why);
    } catch (const nlohmann::json::exception& e) {
        // A number too large for a double (out_of_range 406) carries no position.
        std::string why = e.what();
        if (auto pos = why.find("] "); pos != std::string::npos) why = why.substr(pos + 2);
        if (why.size() > 4 * kMaxExcerptChars) why = why.substr(0, 4 * kMaxExcerptChars) + "...";
        return make_error(std::string(source) + ": not valid JSON: " + why);
    }
}

std::string text_excerpt(std::string_view text) {
    if (text.size() <= kMaxExcerptChars) return nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    // Cut on a UTF-8 character boundary so the excerpt stays valid text.
    size_t cut = kMaxExcerptChars;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    std::string quoted = nlohmann::json(std::string(text.substr(0, cut))).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    quoted.insert(quoted.size() - 1, "...");
    return quoted + " (" + std::to_string(text.size()) + " characters)";
}

std::string json_excerpt(const nlohmann::json& value) {
    if (value.is_string()) return text_excerpt(value.get_ref<const std::string&>());
    std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (text.size() <= kMaxExcerptChars) return text;
    const size_t full = text.size();
    size_t cut = kMaxExcerptChars;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
    return text + "... (" + std::to_string(full) + " characters)";
}

}  // namespace convscope
